"""Light text on dark bands (table header rows, banners) turned dark on light before OCR.

Tesseract reads most white-on-dark words, but not reliably: on a generated Canadian statement the
header row's first word, `Date`, sat close to the band's edge and was never read, so the extractor
found no date column and lost every date. A band is found on a half-size copy (~15 ms a 300 DPI
page): the dark pixels that survive an opening wider than any text stroke, forming a wide region a
few text heights tall and mostly dark inside its box. Only such regions are inverted; pictures
(taller) and dark text (thin strokes) are left alone. Used before Tesseract only: RapidOCR reads
light-on-dark text as it is.
"""

from __future__ import annotations

import cv2
import numpy as np

from ledgerlens.documents.ocr.base import GrayImage

DARK = 110
"""Grey level below which a pixel is band (or ink); light-grey table shading stays untouched."""
MIN_HEIGHT = 0.8
MAX_HEIGHT = 5.0
MIN_WIDTH = 4.0
"""A band's box in text heights: at least a text row tall, at most a banner, and wide."""
MIN_FILL = 0.6
"""Share of the band's box that is dark: white text takes at most ~40 % of a header row."""
MIN_LIGHT = 0.03
"""... and light text must be there: a solid bar or a ruling doubled by blur has nothing to read."""


def _grown(dark: np.ndarray, x: int, y: int, w: int, h: int) -> tuple[int, int, int, int]:
    """The box grown to the band's real edges: the opening leaves it short where light text comes
    close to an edge (the `j` of a right-aligned `Bij` stayed dark, outside the inverted box)."""
    rows, cols = dark.shape
    x0, y0, x1, y1 = x, y, x + w, y + h
    while x0 > 0 and dark[y0:y1, x0 - 1].mean() > 0.5:
        x0 -= 1
    while x1 < cols and dark[y0:y1, x1].mean() > 0.5:
        x1 += 1
    while y0 > 0 and dark[y0 - 1, x0:x1].mean() > 0.5:
        y0 -= 1
    while y1 < rows and dark[y1, x0:x1].mean() > 0.5:
        y1 += 1
    return x0, y0, x1 - x0, y1 - y0


def invert_dark_bands(gray: GrayImage, text_height: float) -> tuple[GrayImage, int]:
    """(page with each dark band's box inverted, number of bands inverted). `text_height` is the
    page's median glyph height in pixels; the page is returned unchanged when it has no band."""
    height, width = gray.shape[:2]
    if text_height <= 0 or height < 8 or width < 8:
        return gray, 0
    small = cv2.resize(gray, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    dark = np.asarray(small < DARK, dtype=np.uint8)
    side = max(3, round(text_height * 0.35 / 2))  # wider than bold strokes, narrower than a band
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    # outer outlines only: their boxes are the regions' boxes, at ~1/30 of the cost of labelling
    # every pixel, and a dark island in a band's light text is no band of its own
    outlines, _hierarchy = cv2.findContours(solid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    th = text_height / 2
    out = gray
    inverted = 0
    for outline in outlines:
        x, y, w, h = cv2.boundingRect(outline)
        if not (MIN_HEIGHT * th <= h <= MAX_HEIGHT * th and w >= MIN_WIDTH * th):
            continue
        x, y, w, h = _grown(dark, x, y, w, h)
        box = dark[y : y + h, x : x + w]
        fill = float(box.mean())
        if fill < MIN_FILL or 1.0 - fill < MIN_LIGHT:
            continue
        if inverted == 0:
            out = gray.copy()
        _lighten(out, 2 * x, 2 * y, min(width, 2 * (x + w)), min(height, 2 * (y + h)))
        inverted += 1
    return out, inverted


EDGE = 2
"""Pixels each side of a band's edge made paper: its anti-aliased rim, inverted or not, would
otherwise frame the header like a ruled box (a right-aligned `Bij` was read `> Bi`)."""


def _lighten(page: GrayImage, x0: int, y0: int, x1: int, y1: int) -> None:
    """Invert the box in place and stretch its new background to the paper's white."""
    box = 255 - page[y0:y1, x0:x1].astype(np.float32)
    background = float(np.median(box))
    if background > 0:
        box *= 255.0 / background
    page[y0:y1, x0:x1] = np.clip(box, 0, 255).astype(np.uint8)
    for ys, xs in (
        (slice(max(0, y0 - EDGE), y0 + EDGE), slice(max(0, x0 - EDGE), x1 + EDGE)),
        (slice(max(0, y1 - EDGE), y1 + EDGE), slice(max(0, x0 - EDGE), x1 + EDGE)),
        (slice(max(0, y0 - EDGE), y1 + EDGE), slice(max(0, x0 - EDGE), x0 + EDGE)),
        (slice(max(0, y0 - EDGE), y1 + EDGE), slice(max(0, x1 - EDGE), x1 + EDGE)),
    ):
        page[ys, xs] = 255
