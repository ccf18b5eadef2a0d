"""One page that needs OCR -> a `Page`: render (PDF) or decode (image), then `ocr_page`.

Shared by the in-process path and the worker processes of `parallel`, so both give the same page.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from ledgerlens.config import Settings
from ledgerlens.documents.images import decode_frame
from ledgerlens.documents.model import Page
from ledgerlens.documents.ocr import ocr_page
from ledgerlens.documents.ocr.base import OcrEngine
from ledgerlens.documents.pdf import load_page, reading_order
from ledgerlens.documents.raster import render_page


def _page_from_ocr(number: int, width: float, height: float, base_rotation: int, result: object) -> Page:
    from ledgerlens.documents.ocr import PageOcr

    assert isinstance(result, PageOcr)
    width, height = width * result.scale[0], height * result.scale[1]
    if result.rotation in (90, 270):
        width, height = height, width
    page = Page(
        number=number,
        width=width,
        height=height,
        rotation=(base_rotation + result.rotation) % 360,
        words=result.words,
        source=result.engine if result.words else "empty",
    )
    page.words = reading_order(page.words)  # as for text layers
    return page


def ocr_pdf_page(
    pdf: pdfium.PdfDocument,
    index: int,
    settings: Settings,
    engine: OcrEngine | None = None,
    choose_languages: bool = False,
) -> Page:
    page = load_page(pdf, index)
    try:
        width, height = (float(v) for v in page.get_size())
        rotation = int(page.get_rotation()) % 360
        gray, _scale = render_page(page, settings.ocr_dpi, settings)
    finally:
        page.close()
    result = ocr_page(gray, settings, engine, choose_languages)
    return _page_from_ocr(index + 1, width, height, rotation, result)


def ocr_image_frame(
    data: bytes,
    index: int,
    settings: Settings,
    engine: OcrEngine | None = None,
    choose_languages: bool = False,
) -> Page:
    gray, dpi = decode_frame(data, index, settings)
    height_px, width_px = gray.shape[:2]
    result = ocr_page(gray, settings, engine, choose_languages)
    return _page_from_ocr(index + 1, width_px * 72.0 / dpi, height_px * 72.0 / dpi, 0, result)
