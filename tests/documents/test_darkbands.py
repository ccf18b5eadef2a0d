"""Light text on dark bands is turned dark on light before OCR; pictures, bars and dark text are not."""

from __future__ import annotations

from decimal import Decimal

import cv2
import numpy as np
import pytest

from ledgerlens.config import Settings
from ledgerlens.documents.darkbands import invert_dark_bands
from ledgerlens.documents.loader import load_document
from ledgerlens.documents.ocr import available_engines
from ledgerlens.extract.statement import extract_statement
from tests.gen import statements as gen

needs_tesseract = pytest.mark.skipif("tesseract" not in available_engines(), reason="Tesseract not installed")

GLYPH = 26.0  # px: the glyph height pages are normalised to before OCR


def _page() -> np.ndarray:
    """A 300-DPI-like page: a dark header row with white words, dark text rows below."""
    page = np.full((1400, 1700), 250, np.uint8)
    cv2.rectangle(page, (100, 200), (1600, 260), 55, thickness=-1)
    font = cv2.FONT_HERSHEY_SIMPLEX
    for x, word in ((110, "Date"), (400, "Description"), (1250, "Amount"), (1460, "Balance")):
        cv2.putText(page, word, (x, 245), font, 1.0, 255, 2, cv2.LINE_AA)
    for i in range(8):
        y = 320 + 50 * i
        cv2.putText(page, f"0{i + 1}/03  Card payment {i}   12.5{i}", (110, y), font, 1.0, 20, 2, cv2.LINE_AA)
    return page


def test_header_band_is_inverted_and_text_rows_are_not() -> None:
    page = _page()
    out, bands = invert_dark_bands(page, GLYPH)
    assert bands == 1
    band = out[205:255, 105:1595]
    assert np.median(band) > 200  # the band is paper now
    assert (band < 100).mean() > 0.03  # and its words are ink
    assert np.array_equal(out[300:800], page[300:800])  # the text rows are untouched
    assert np.median(page[205:255, 105:1595]) < 100  # the input is not changed in place


def test_pictures_bars_and_plain_pages_are_left_alone() -> None:
    page = np.full((1400, 1700), 250, np.uint8)
    cv2.rectangle(page, (100, 100), (500, 600), 40, thickness=-1)  # a photo: far taller than a band
    cv2.rectangle(page, (100, 800), (1600, 850), 30, thickness=-1)  # a solid bar: nothing to read
    cv2.putText(page, "Plain dark text", (100, 1000), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 10, 4, cv2.LINE_AA)
    out, bands = invert_dark_bands(page, GLYPH)
    assert bands == 0
    assert out is page
    blank = np.full((10, 10), 255, np.uint8)
    assert invert_dark_bands(blank, GLYPH) == (blank, 0)


@needs_tesseract
def test_header_word_at_a_band_edge_is_read_and_dates_found() -> None:
    """A generated Canadian statement, scanned: its header row is white on dark grey and `Date` sits
    near the band's edge. Read as it was, the word was lost, the extractor found no date column and
    every transaction came out without a date (0 of 20 right)."""
    data, truth = gen.make_scanned_statement("ca_mapleridge_yearend", 512, n_tx=20)
    doc = load_document(data, settings=Settings(page_workers=1, ocr_engine="tesseract"))
    assert "Date" in doc.pages[0].text.split()
    result = extract_statement(doc)
    got = [(str(t["date"]), Decimal(str(t["amount"]))) for t in result["transactions"]]
    want = [(str(t["date"]), Decimal(str(t["amount"]))) for t in truth["transactions"]]
    assert all(date != "None" for date, _ in got)
    assert sum(1 for k in want if k in got) >= 19
