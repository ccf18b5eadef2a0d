"""Every bad input gets its error code quickly, and the process lives on."""

from __future__ import annotations

import time

import pytest

from ledgerlens.config import Settings
from ledgerlens.documents.loader import load_document, probe
from ledgerlens.documents.sniff import sniff_format
from ledgerlens.errors import DocumentError, ErrorCode
from tests.documents.pdfs import blank_pages_pdf, png_bomb, raw_pdf, statement_pdf

SETTINGS = Settings(page_workers=1)


def _code(data: bytes, *, load: bool = True) -> ErrorCode:
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        if load:
            load_document(data, settings=SETTINGS)
        else:
            probe(data, SETTINGS)
    assert time.monotonic() - started < 10
    return info.value.code


def test_sniff_by_magic_bytes() -> None:
    assert sniff_format(statement_pdf()) == "pdf"
    assert sniff_format(b"junk before header\n%PDF-1.7\n" + b"x" * 100) == "pdf"
    assert sniff_format(b"\xff\xd8\xff\xe0" + b"\x00" * 20) == "jpeg"
    assert sniff_format(png_bomb(10, 10)) == "png"
    assert sniff_format(b"II*\x00" + b"\x00" * 20) == "tiff"
    assert sniff_format(b"MM\x00*" + b"\x00" * 20) == "tiff"
    assert sniff_format(b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8) == "webp"
    # a JPEG whose metadata happens to contain "%PDF-" is still a JPEG
    assert sniff_format(b"\xff\xd8\xff\xe1\x00\x20Exif comment %PDF-1.4" + b"\x00" * 20) == "jpeg"


@pytest.mark.parametrize("load", [False, True])
def test_empty_and_text_files(load: bool) -> None:
    assert _code(b"", load=load) == ErrorCode.CORRUPT_DOCUMENT
    assert _code(b"Date,Amount\n2025-01-01,12.00\n", load=load) == ErrorCode.UNSUPPORTED_FORMAT
    assert _code(b"GIF89a" + b"\x00" * 64, load=load) == ErrorCode.UNSUPPORTED_FORMAT


@pytest.mark.parametrize("load", [False, True])
def test_truncated_pdf(load: bool) -> None:
    assert _code(statement_pdf()[:300], load=load) == ErrorCode.CORRUPT_DOCUMENT


@pytest.mark.parametrize("load", [False, True])
def test_png_decompression_bomb_rejected_before_decoding(load: bool) -> None:
    assert _code(png_bomb(), load=load) == ErrorCode.LIMIT_EXCEEDED


def test_garbled_image() -> None:
    data = png_bomb(100, 100)[:40] + b"\x00garbage" * 10
    assert _code(data) == ErrorCode.CORRUPT_DOCUMENT


@pytest.mark.parametrize("load", [False, True])
def test_too_many_pages(load: bool) -> None:
    data = blank_pages_pdf(3000)
    assert _code(data, load=load) == ErrorCode.LIMIT_EXCEEDED


def test_limits_are_configurable() -> None:
    data = blank_pages_pdf(12)
    assert probe(data, SETTINGS).page_count == 12
    with pytest.raises(DocumentError) as info:
        probe(data, Settings(max_pages=10))
    assert info.value.code == ErrorCode.LIMIT_EXCEEDED
    assert "10" in info.value.message
    with pytest.raises(DocumentError) as info:
        probe(png_bomb(5000, 5000), Settings(max_pixels=1_000_000))
    assert info.value.code == ErrorCode.LIMIT_EXCEEDED


def test_blank_pages_are_empty_not_ocrd() -> None:
    doc = load_document(blank_pages_pdf(3), settings=SETTINGS)
    assert [p.source for p in doc.pages] == ["empty"] * 3
    assert doc.metadata["ocr_pages"] == 0


def test_process_lives_on_after_bad_inputs() -> None:
    for bad in (b"", b"hello world, not a document", statement_pdf()[:300], png_bomb()):
        with pytest.raises(DocumentError):
            load_document(bad, settings=SETTINGS)
    doc = load_document(statement_pdf(), settings=SETTINGS)
    assert "1,234.56" in doc.text


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "WEBP"])
def test_truncated_images(fmt: str) -> None:
    from tests.gen.scan import image_bytes, render_pdf_page

    data = image_bytes(render_pdf_page(statement_pdf(), 0, dpi=100), fmt)[:3000]
    assert _code(data) == ErrorCode.CORRUPT_DOCUMENT


# --- PDFs whose header and xref are fine but whose page tree is not -------------------------------------

_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>"
_CONTENT = b"<< /Length 38 >>\nstream\nBT /F1 12 Tf 20 100 Td (Hello) Tj ET\nendstream"
_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def _pdf(catalog: bytes, pages: bytes, page: bytes = _PAGE) -> bytes:
    """A PDF of four objects (catalog, page tree root, page, content) with an exact xref table."""
    return raw_pdf([catalog, pages, page, _CONTENT])


_KIDS = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
DAMAGED_TREES = {
    "no /Pages": _pdf(b"<< /Type /Catalog >>", _KIDS),
    "/Pages is a number": _pdf(_CATALOG, b"42"),
    "/Pages points nowhere": _pdf(b"<< /Type /Catalog /Pages 9 0 R >>", _KIDS),
    "/Count says 7, one kid": _pdf(_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 7 >>"),
    "/Count says 3, no kids": _pdf(_CATALOG, b"<< /Type /Pages /Kids [] /Count 3 >>"),
    "the page is a number": _pdf(_CATALOG, _KIDS, page=b"17"),
    "the page is an array": _pdf(_CATALOG, _KIDS, page=b"[1 2 3]"),
    "the page is a string": _pdf(_CATALOG, _KIDS, page=b"(page)"),
    "a kid points nowhere": _pdf(_CATALOG, b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>"),
    "/Kids is not an array": _pdf(_CATALOG, b"<< /Type /Pages /Kids 3 0 R /Count 1 >>"),
    "the tree is its own kid": _pdf(_CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
}


def test_the_page_tree_builder_makes_readable_pdfs() -> None:
    data = _pdf(_CATALOG, _KIDS)
    assert probe(data, SETTINGS).page_count == 1
    assert load_document(data, settings=SETTINGS).text == "Hello"


@pytest.mark.parametrize("load", [False, True])
@pytest.mark.parametrize("damage", sorted(DAMAGED_TREES))
def test_unloadable_page_tree_is_corrupt_document(damage: str, load: bool) -> None:
    """Seen by the upload probe, and by a job (whose file never went through it) alike."""
    assert _code(DAMAGED_TREES[damage], load=load) == ErrorCode.CORRUPT_DOCUMENT


def test_a_page_that_cannot_be_loaded_is_corrupt_document() -> None:
    """The page lookup itself (jobs, OCR of a page, the classifier's text) maps pdfium's failure."""
    from ledgerlens.documents.pdf import first_pages_text, load_page, open_pdf

    data = DAMAGED_TREES["/Count says 7, one kid"]
    with open_pdf(data) as pdf:
        load_page(pdf, 0).close()
        with pytest.raises(DocumentError) as info:
            load_page(pdf, 1)
    assert info.value.code == ErrorCode.CORRUPT_DOCUMENT
    assert "page 2 of 7" in info.value.message
    assert first_pages_text(data) == ""


# --- the pixel limit is LEDGERLENS_MAX_PIXELS, Pillow's own guard included ------------------------------


def _probe_code(data: bytes, settings: Settings) -> ErrorCode | None:
    try:
        probe(data, settings)
    except DocumentError as exc:
        return exc.code
    return None


def test_pixel_limit_larger_than_pillows_default_takes_effect() -> None:
    """Pillow warns past 89.5 MP and refuses past 179 MP unless told otherwise; the setting decides."""
    hundred = png_bomb(10_000, 10_000)  # 100 MP: the default limit, past Pillow's 89.5 MP
    huge = png_bomb(14_000, 14_000)  # 196 MP: past Pillow's hard 179 MP
    assert Settings().max_pixels == 100_000_000
    assert _probe_code(hundred, Settings()) is None
    assert probe(hundred, Settings()).page_count == 1
    assert _probe_code(huge, Settings(max_pixels=200_000_000)) is None
    assert _probe_code(huge, Settings(max_pixels=150_000_000)) == ErrorCode.LIMIT_EXCEEDED
    assert _probe_code(huge, Settings()) == ErrorCode.LIMIT_EXCEEDED


def test_pixel_limit_smaller_than_pillows_default_takes_effect() -> None:
    nine = png_bomb(3_000, 3_000)
    assert _probe_code(nine, Settings(max_pixels=10_000_000)) is None
    for load in (False, True):
        with pytest.raises(DocumentError) as info:
            if load:
                load_document(nine, settings=Settings(max_pixels=5_000_000, page_workers=1))
            else:
                probe(nine, Settings(max_pixels=5_000_000))
        assert info.value.code == ErrorCode.LIMIT_EXCEEDED
        assert "5 MP" in info.value.message


def test_the_classifier_opens_images_under_the_same_limit() -> None:
    from ledgerlens.extract.classify import _first_page_gray

    with pytest.raises(DocumentError) as info:
        _first_page_gray(png_bomb(3_000, 3_000), Settings(max_pixels=5_000_000))
    assert info.value.code == ErrorCode.LIMIT_EXCEEDED
    gray = _first_page_gray(_small_png(), Settings(max_pixels=5_000_000))
    assert gray is not None and gray.ndim == 2


def _small_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (1500, 1000), 255).save(buf, "PNG")
    return buf.getvalue()
