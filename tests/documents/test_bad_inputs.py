"""Every bad input gets its error code quickly, and the process lives on."""

from __future__ import annotations

import time

import pytest

from ledgerlens.config import Settings
from ledgerlens.documents.loader import load_document, probe
from ledgerlens.documents.sniff import sniff_format
from ledgerlens.errors import DocumentError, ErrorCode
from tests.documents.pdfs import blank_pages_pdf, png_bomb, statement_pdf

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
