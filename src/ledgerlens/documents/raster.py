"""Page rasters for OCR: PDF pages rendered, and any page image brought to an OCR-friendly size."""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2 as pdfium

from ledgerlens.config import Settings
from ledgerlens.documents.limits import render_scale
from ledgerlens.documents.ocr.base import GrayImage

TARGET_TEXT_HEIGHT = 26.0
"""Median glyph height (px) aimed for: ~10 pt text at 300 DPI, where Tesseract reads amounts best
(measured: 14 pt text read at 0.6-0.8x scale beats 1.0x)."""
TOLERANCE = 0.3
"""Pages within this share of the target are left as they are (resampling blurs a little)."""
FAST_TEXT_HEIGHT = 19.0
FAST_TOLERANCE = 0.1
"""With ocr_fast: Tesseract scales each text line to a fixed height anyway, so ~19 px glyphs read
words and amounts as well as ~26 px with ~15 % less CPU (but the extractors lose a few rows)."""
MAX_OCR_PIXELS = 16_000_000


def render_page(page: pdfium.PdfPage, dpi: int, settings: Settings) -> tuple[GrayImage, float]:
    """(grayscale raster of the page as displayed (/Rotate applied), pixels per point)."""
    width, height = page.get_size()
    scale = render_scale(float(width), float(height), dpi, settings)
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
    try:
        arr = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
    finally:
        bitmap.close()
    if arr.ndim == 3:
        arr = arr[:, :, 0]
    return arr, scale


def text_height(gray: GrayImage) -> float | None:
    """Median height of character-sized ink blobs, in pixels (None when the page has no text)."""
    h, w = gray.shape[:2]
    step = max(1, int(max(h, w) / 2000))
    small = gray[::step, ::step]
    _t, binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n < 20:
        return None
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    widths = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float64)
    keep = (heights >= 3) & (heights <= small.shape[0] / 10) & (widths <= heights * 3) & (widths >= 1)
    if int(keep.sum()) < 20:
        return None
    return float(np.median(heights[keep])) * step


def normalize_resolution(
    gray: GrayImage, target: float = TARGET_TEXT_HEIGHT, tolerance: float = TOLERANCE
) -> tuple[GrayImage, float]:
    """Scale so glyphs are OCR-sized (tiny photos up, huge scans down); returns (image, factor applied)."""
    th = text_height(gray)
    h, w = gray.shape[:2]
    factor = 1.0
    if th is not None and abs(th - target) > target * tolerance:
        factor = min(max(target / th, 0.25), 4.0)
    if h * w * factor * factor > MAX_OCR_PIXELS:
        factor = (MAX_OCR_PIXELS / (h * w)) ** 0.5
    if abs(factor - 1.0) < 0.05:
        return gray, 1.0
    interp = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    out: GrayImage = np.asarray(cv2.resize(gray, size, interpolation=interp), dtype=np.uint8)
    return out, factor


def rotate_quarter(gray: GrayImage, degrees_cw: int) -> GrayImage:
    """Rotate by a multiple of 90° clockwise."""
    turns = (degrees_cw // 90) % 4
    if turns == 0:
        return gray
    code = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}[turns]
    out: GrayImage = np.asarray(cv2.rotate(gray, code), dtype=np.uint8)
    return out
