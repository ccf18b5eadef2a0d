"""With ocr_fast, tall scans are read by Tesseract in horizontal bands: words land where they are printed."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from reportlab.pdfbase.pdfmetrics import stringWidth

from ledgerlens.config import Settings
from ledgerlens.documents.loader import load_document
from ledgerlens.documents.ocr import available_engines
from ledgerlens.documents.ocr.bands import band_spans
from tests.documents.pdfs import lines, make_pdf
from tests.gen.scan import degrade, image_bytes, render_pdf_page

pytestmark = pytest.mark.skipif("tesseract" not in available_engines(), reason="Tesseract not installed")

A4 = (595.0, 842.0)
SETTINGS = Settings(page_workers=1, ocr_engine="tesseract", ocr_languages="eng", ocr_fast=True)


def _gray(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=np.uint8)


def test_dense_page_words_keep_their_place_across_bands() -> None:
    rows = [
        (40.0, 60.0 + 24.0 * i, f"Payment {i + 1} to supplier {100 + i} {i + 1},2{i % 10}4.50")
        for i in range(30)
    ]
    scan = degrade(
        render_pdf_page(make_pdf(lines(*rows, size=11), size=A4), 0, dpi=300), seed=2, skew_deg=0.0
    )
    data = image_bytes(scan, "PNG")
    assert len(band_spans(_gray(data))) >= 4
    page = load_document(data, settings=SETTINGS).pages[0]
    found = 0
    for i, (x, y, text) in enumerate(rows):
        amount = text.split()[-1]
        hits = [w for w in page.words if w.text == amount]
        if not hits:
            continue
        found += 1
        baseline = y / A4[1]
        assert abs(hits[0].y1 - baseline) < 0.01, (i, amount, hits[0].bbox)
        prefix = text[: text.rindex(" ") + 1]
        assert abs(hits[0].x0 - (x + stringWidth(prefix, "Helvetica", 11)) / A4[0]) < 0.01, hits[0].bbox
    assert found >= 27


def test_blank_paper_below_the_text_is_not_read_as_words() -> None:
    """A band of plain noisy paper would be binarised inside its noise: it must join the text above."""
    rows = [(40.0, 60.0 + 24.0 * i, f"Invoice line {i + 1} consulting {i + 3}50.00") for i in range(8)]
    scan = degrade(
        render_pdf_page(make_pdf(lines(*rows, size=11), size=A4), 0, dpi=300), seed=4, noise=9.0, skew_deg=0.0
    )
    data = image_bytes(scan, "JPEG", quality=70)
    spans = band_spans(_gray(data))
    assert spans[-1][1] == _gray(data).shape[0]
    page = load_document(data, settings=SETTINGS).pages[0]
    expected = sum(len(text.split()) for _x, _y, text in rows)
    assert expected - 3 <= len(page.words) <= expected + 3, page.text
    assert all(w.y0 < 0.4 for w in page.words), [w for w in page.words if w.y0 >= 0.4]
