"""Phone photos of a page: the sheet is found on the desk, flattened, and read like a scan."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from ledgerlens.config import Settings
from ledgerlens.documents.loader import load_document
from ledgerlens.documents.model import Word
from ledgerlens.documents.ocr import _join_split_decimals, available_engines
from ledgerlens.documents.ocr.base import GrayImage
from ledgerlens.documents.perspective import find_sheet, flatten
from ledgerlens.export.json import to_jsonable
from ledgerlens.extract.statement import extract_statement
from tests.documents.pdfs import statement_pdf
from tests.gen import statements as gen
from tests.gen.scan import degrade, image_bytes, photo, render_pdf_page
from tests.statements.test_statements import _key

needs_tesseract = pytest.mark.skipif("tesseract" not in available_engines(), reason="Tesseract not installed")

SETTINGS = Settings(page_workers=1, ocr_engine="tesseract")
DPI = 150
Corners = list[tuple[float, float]]


def _gray(img: Image.Image) -> GrayImage:
    return np.asarray(img.convert("L"), dtype=np.uint8)


@lru_cache(maxsize=1)
def _statement() -> Image.Image:
    pdf, _ = gen.make_statement("uk_kestrel", 2, n_tx=6)
    return render_pdf_page(pdf, 0, dpi=DPI)


def _shot(page: GrayImage, corners: Corners, frame: tuple[int, int]) -> GrayImage:
    """`page` on a desk with its corners (tl, tr, br, bl) at `corners` in a `frame` (w, h) px photo,
    lit from the top left, a little soft."""
    h, w = page.shape
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, np.array(corners, dtype=np.float32))
    out = cv2.warpPerspective(page, matrix, frame, borderMode=cv2.BORDER_CONSTANT, borderValue=90)
    yy, xx = np.mgrid[0 : frame[1], 0 : frame[0]].astype(np.float32)
    lit = out * (1.0 - 0.3 * np.hypot(xx, yy) / np.hypot(*frame))
    return np.asarray(cv2.GaussianBlur(lit, (3, 3), 0.7).clip(0, 255), dtype=np.uint8)


def _sides(corners: Corners) -> tuple[float, float]:
    """(width, height) of the flattened sheet: its longer top/bottom and left/right sides."""
    tl, tr, br, bl = (np.array(c) for c in corners)
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    return float(width), float(height)


def test_sheet_found_and_a_corner_cut_off_by_the_frame_rebuilt() -> None:
    page = _gray(_statement())
    h, w = page.shape
    frame = (w + 200, h + 160)
    corners = [(-25.0, 70.0), (w + 40.0, 30.0), (w + 150.0, h + 120.0), (90.0, h + 140.0)]  # tl off frame
    shot = _shot(page, corners, frame)
    found = find_sheet(shot)
    assert found is not None
    assert np.abs(found - np.array(corners)).max() < 0.01 * max(frame)
    flat, done = flatten(shot)
    assert done
    width, height = _sides(corners)
    assert flat.shape == (pytest.approx(height, rel=0.02), pytest.approx(width, rel=0.02))
    # the top margin is paper, evenly white once the lamp's fall-off is evened out
    margin = np.median(flat[5 : h // 25, 10:-10], axis=0)
    assert margin.min() > 225, margin.min()


def _dark_band() -> GrayImage:
    page = _gray(_statement()).copy()
    h = page.shape[0]
    page[int(0.4 * h) : int(0.46 * h), :] = 30
    return page


def _dark_letterhead() -> GrayImage:
    page = _gray(_statement()).copy()
    page[: int(0.1 * page.shape[0]), :] = 40
    return page


def _sheet_off_the_bottom() -> GrayImage:
    shot = _gray(photo(_statement(), seed=3))
    return shot[: int(0.8 * shot.shape[0])]


def _sheet_against_the_left_edge() -> GrayImage:
    page = _gray(_statement())
    h, w = page.shape
    return _shot(page, [(0.0, 60.0), (w, 80.0), (w + 60.0, h + 100.0), (0.0, h + 120.0)], (w + 160, h + 200))


NO_SHEET: dict[str, Callable[[], GrayImage]] = {
    "full-frame scan": lambda: _gray(degrade(render_pdf_page(statement_pdf(), 0, DPI), seed=1, skew_deg=1.5)),
    "skewed statement scan": lambda: _gray(degrade(_statement(), seed=2, skew_deg=2.0)),
    "sideways scan": lambda: _gray(degrade(_statement(), seed=4, rotate=90)),
    "dark band across the page": _dark_band,
    "dark letterhead strip": _dark_letterhead,
    "sheet runs off the frame": _sheet_off_the_bottom,
    "sheet touching the frame edge": _sheet_against_the_left_edge,
}


@pytest.mark.parametrize("case", list(NO_SHEET))
def test_no_sheet_in_scans_bands_or_a_sheet_off_the_frame(case: str) -> None:
    """Paper filling the frame, or a sheet not seen whole, is never cropped or warped."""
    gray = NO_SHEET[case]()
    assert find_sheet(gray) is None
    out, done = flatten(gray)
    assert not done and out is gray


@needs_tesseract
@pytest.mark.parametrize(
    ("family", "seed"),
    [
        ("us_cedarpoint", 0),
        ("za_capemeridian", 9),  # the photo cuts a corner of the sheet off
    ],
)
def test_statement_photo_end_to_end(family: str, seed: int) -> None:
    """A generated phone photo (perspective, turned, desk around it, uneven light) reads like a scan."""
    data, truth = gen.make_scanned_statement(family, seed, n_tx=10, photo=True)
    doc = load_document(data, settings=SETTINGS)
    result = json.loads(json.dumps(to_jsonable(extract_statement(doc)), default=str))
    truth = json.loads(json.dumps(truth, default=str))
    assert [_key(t) for t in result["transactions"]] == [_key(t) for t in truth["transactions"]]
    assert result["validation"]["reconciled"] is True
    for field in ("opening_balance", "closing_balance", "total_credits", "total_debits"):
        assert Decimal(result["account_info"][field]) == Decimal(truth["account_info"][field]), field
    pdf = pdfium.PdfDocument(data)
    photo_w, photo_h = pdf[0].get_size()
    pdf.close()
    page = doc.pages[0]
    assert page.width < 0.95 * photo_w and page.height < 0.95 * photo_h  # the sheet, not the desk


@needs_tesseract
@pytest.mark.parametrize("sideways", [False, True])
def test_photo_words_are_placed_on_the_flattened_sheet(sideways: bool) -> None:
    """Boxes are fractions of the flattened sheet (in points at the photo's DPI), not of the photo."""
    page = _gray(render_pdf_page(statement_pdf(), 0, dpi=DPI))  # 420 x 300 pt
    if sideways:
        page = np.ascontiguousarray(np.rot90(page))
    h, w = page.shape
    corners = [(70.0, 60.0), (w + 110.0, 85.0), (w + 80.0, h + 120.0), (40.0, h + 95.0)]
    shot = _shot(page, corners, (w + 160, h + 180))
    doc = load_document(image_bytes(Image.fromarray(shot), "PNG", dpi=DPI), settings=SETTINGS)
    got = doc.pages[0]
    width, height = (v * 72.0 / DPI for v in _sides(corners))
    if sideways:
        width, height = height, width  # turned upright by OCR
    assert got.width == pytest.approx(width, rel=0.02) and got.height == pytest.approx(height, rel=0.02)
    assert got.width > got.height  # the landscape page, upright
    words = {w.text: w for w in got.words}
    for w in got.words:
        assert 0 <= w.x0 <= w.x1 <= 1 and 0 <= w.y0 <= w.y1 <= 1
    for text, (x, y) in {"1,234.56": (330, 110), "-850.00": (330, 140), "Salary": (120, 170)}.items():
        assert text in words, sorted(words)
        # within 2 % of where the page prints it (x from the left edge, y the baseline from the top)
        assert words[text].x0 == pytest.approx(x / 420, abs=0.02), text
        assert words[text].y1 == pytest.approx(y / 300, abs=0.02), text


@needs_tesseract
def test_photo_whose_amounts_ocr_splits_after_the_point() -> None:
    """Tesseract reads this photo's balances as "8,137. 01": joined again, every row comes out."""
    data, truth = gen.make_scanned_statement("us_prairie_paren", 9, n_tx=10, photo=True)
    result = json.loads(json.dumps(to_jsonable(extract_statement(load_document(data, settings=SETTINGS)))))
    truth = json.loads(json.dumps(truth, default=str))
    got, want = result["transactions"], truth["transactions"]
    assert [_key(t)[:3] for t in got] == [_key(t)[:3] for t in want]
    # one balance is lost to OCR ("11,533." read as "pe RICE"); the split ones all come back
    same = sum(1 for a, b in zip(got, want, strict=True) if a["balance"] == b["balance"])
    assert same >= 9


def _word(text: str, x0: float, x1: float, y0: float = 0.50, y1: float = 0.51) -> Word:
    return Word(text, (x0, y0, x1, y1), 0.9, "tesseract")


def test_split_decimals_joined_only_when_close_on_one_row() -> None:
    # a 1000 x 1000 px page: words 10 px tall, so the join allows a gap of up to 6 px
    words = [
        _word("01", 0.306, 0.318),  # listed before its head, as Tesseract's table blocks may
        _word("8,137.", 0.25, 0.303),
        _word("(446.", 0.50, 0.54),
        _word("04)", 0.544, 0.56),
        _word("12.", 0.70, 0.72),
        _word("45", 0.75, 0.77),  # 30 px away: two words
        _word("Ref.", 0.80, 0.83),
        _word("01", 0.832, 0.842),  # not a number before it
        _word("3.", 0.10, 0.12, 0.60, 0.61),
        _word("50", 0.122, 0.14, 0.62, 0.63),  # the next row down
    ]
    texts = [w.text for w in _join_split_decimals(words, 1000, 1000)]
    assert texts == ["8,137.01", "(446.04)", "12.", "45", "Ref.", "01", "3.", "50"]
