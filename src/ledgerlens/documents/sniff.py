"""Which format a file really is, judged by its bytes (never by its name or declared type)."""

from __future__ import annotations

from ledgerlens.errors import DocumentError, ErrorCode

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tiff": "image/tiff",
    "webp": "image/webp",
}


def sniff_format(data: bytes) -> str:
    """Return "pdf", "jpeg", "png", "tiff" or "webp"; anything else is UNSUPPORTED_FORMAT.

    Files too short to carry any magic number are CORRUPT_DOCUMENT rather than unsupported, so an
    empty upload reads as "broken" to the client.
    """
    if len(data) < 8:
        raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "The file is empty or too short to be a document.")
    # image signatures sit at offset 0; check them first so "%PDF-" inside image metadata cannot win
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    raise DocumentError(
        ErrorCode.UNSUPPORTED_FORMAT,
        "Unsupported file format: expected a PDF, JPEG, PNG, TIFF or WEBP file.",
    )
