"""Accepting one uploaded file: sniff its bytes, probe it, classify it, store it.

Runs in a worker thread (probing and classification are blocking). Every rejection is a
`(code, message)` the client sees next to the file's name; nothing about the client's file name
reaches the filesystem, which only ever sees the content hash.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ledgerlens.api.deps import AppState
from ledgerlens.api.envelope import public_error
from ledgerlens.errors import DocumentError, ErrorCode, LedgerlensError
from ledgerlens.jobs import store
from ledgerlens.jobs.models import StoredFile

log = logging.getLogger("ledgerlens.api")

MAX_FILENAME_CHARS = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"\\/]+")


def clean_filename(raw: str | None) -> str:
    """A display name: last path component, no control characters or quotes, bounded length."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_FILENAME_CHARS - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name
        name = name[:MAX_FILENAME_CHARS]
    return name or "document"


@dataclass(slots=True)
class Intake:
    filename: str
    size: int
    stored: StoredFile | None = None
    error: tuple[ErrorCode, str] | None = None

    def as_json(self) -> dict[str, Any]:
        if self.stored is None:
            code, message = self.error or (ErrorCode.INTERNAL_SERVER_ERROR, "Not stored.")
            return {
                "filename": self.filename,
                "type": None,
                "validation": None,
                "error": {"code": str(code), "message": message},
            }
        row = self.stored
        return {
            "doc_id": row.id,
            "filename": row.filename,
            "type": row.type,
            "validation": {"page_count": row.page_count, "file_size": row.size, "format": row.format},
        }


def too_large(filename: str, size: int, limit: int) -> Intake:
    return Intake(
        filename=clean_filename(filename),
        size=size,
        error=(ErrorCode.FILE_TOO_LARGE, f"The file is larger than the limit of {limit} bytes."),
    )


def accept_file(state: AppState, tenant_id: str, filename: str, data: bytes) -> Intake:
    """Validate and store one upload; a bad file gives an Intake with `error`, never an exception."""
    from ledgerlens.documents.loader import probe
    from ledgerlens.documents.sniff import sniff_format

    name = clean_filename(filename)
    intake = Intake(filename=name, size=len(data))
    try:
        sniff_format(data)
        info = probe(data, state.settings)
    except LedgerlensError as exc:
        intake.error = public_error(exc)
        return intake
    doc_type = _classify(data) if not info.encrypted else "other"
    sha = state.blobs.put(data)
    with state.sessions() as session:
        intake.stored = store.create_file(
            session,
            tenant_id=tenant_id,
            filename=name,
            content_type=info.content_type,
            fmt=info.format,
            size=len(data),
            sha256=sha,
            page_count=info.page_count,
            doc_type=doc_type,
        )
    # A concurrent DELETE of another file with the same bytes may have removed the blob between
    # `put` and the insert above; now that our row references it, make sure it is there.
    if not state.blobs.exists(sha):
        state.blobs.put(data)
    return intake


def _classify(data: bytes) -> str:
    """Upload classification is a hint; failing to classify must not reject a valid document."""
    from ledgerlens.extract.classify import classify_bytes

    try:
        return str(classify_bytes(data))
    except DocumentError:
        return "other"
    except Exception:
        log.exception("classification failed; storing the file as type 'other'")
        return "other"
