"""Phone photos of a page: find the sheet on the desk, flatten it to a rectangle, even out the light.

A photo shows the page as a bright quadrilateral on a darker background, its text rows converging;
read as it is, rows slant across each other and OCR merges them ("12 11 Jan Jan 2025 2025 ...").
Only a sheet with background beyond all four of its sides is flattened (a corner may be cut off by
the frame): a scan whose paper fills the frame, or a page with a dark band across it, is never cropped.
"""

from __future__ import annotations

import cv2
import numpy as np

from ledgerlens.documents.ocr.base import GrayImage

WORK_SIDE = 800
"""The sheet is looked for on a copy this size (px, longest side): ~15 ms a page."""
MIN_AREA = 0.25
MAX_AREA = 0.95
"""The sheet's share of the photo: smaller is not a page, larger is a scan (nothing around it)."""
FRAME_PX = 2
"""Outline points this close (work px) to the photo's edge are where the frame cuts the sheet off."""
MIN_VISIBLE = 0.6
"""Each side's visible share: a corner cut off by the frame is rebuilt from its two sides, but a sheet
running off the frame (a side missing or mostly cut) is not a sheet seen whole."""
OUTLINE = 0.005
"""The outline is simplified to within this share of its length before its sides are picked."""
MAX_SPLIT = 0.04
"""Outline edges beyond the four sides must be this short (share of the outline): rounded corners."""
MIN_CONTRAST = 40.0
"""Paper brighter than the background around it by at least this many grey levels."""
MIN_CORRECTION = 0.01
"""Corners already this close (share of the side) to an upright rectangle: nothing to flatten."""
LIGHT_SIDE = 200
LIGHT_KERNEL = 0.1
"""Paper brightness is estimated on a copy LIGHT_SIDE px long, as the brightest pixel within this
share of it: wider than text and table bands, narrower than the light's fall-off across the sheet."""


def _shrink(gray: GrayImage, side: int) -> tuple[GrayImage, float]:
    """A copy at most `side` px long, and the scale applied."""
    h, w = gray.shape[:2]
    scale = min(1.0, side / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    step = max(1, int(1 / scale) // 2)  # averaging every pixel of a 12 MP photo costs ~30 ms
    small = cv2.resize(gray[::step, ::step], size, interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.uint8), scale


def _order(quad: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = quad.sum(axis=1)
    d = np.diff(quad, axis=1).ravel()
    return np.array([quad[np.argmin(s)], quad[np.argmin(d)], quad[np.argmax(s)], quad[np.argmax(d)]])


def _sides(outline: np.ndarray, width: int, height: int) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """The sheet's four visible sides in outline order, or None: the frame's own edges are left out."""
    t = FRAME_PX
    edges = [(outline[i], outline[(i + 1) % len(outline)]) for i in range(len(outline))]

    def on_frame(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(
            (a[0] <= t and b[0] <= t)
            or (a[1] <= t and b[1] <= t)
            or (a[0] >= width - 1 - t and b[0] >= width - 1 - t)
            or (a[1] >= height - 1 - t and b[1] >= height - 1 - t)
        )

    sides = [e for e in edges if not on_frame(*e)]
    if len(sides) < 4:
        return None
    lengths = [float(np.linalg.norm(b - a)) for a, b in sides]
    longest = sorted(range(len(sides)), key=lambda i: -lengths[i])
    if len(sides) > 4 and lengths[longest[4]] > MAX_SPLIT * sum(lengths):
        return None
    return [sides[i] for i in sorted(longest[:4])]


def _fit(side: tuple[np.ndarray, np.ndarray], points: np.ndarray, near: float) -> np.ndarray:
    """The line (homogeneous) through the outline points along the side's middle: the simplified
    outline cuts a corner the frame clipped off, the points themselves do not."""
    a, b = side
    u = (b - a) / np.linalg.norm(b - a)
    along = (points - a) @ u
    off = np.abs((points - a) @ np.array([-u[1], u[0]]))
    length = float(np.linalg.norm(b - a))
    picked = points[(along > 0.1 * length) & (along < 0.9 * length) & (off <= near)]
    if len(picked) >= 10:
        vx, vy, x0, y0 = cv2.fitLine(picked.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        a, b = np.array([x0, y0], dtype=np.float64), np.array([x0 + vx, y0 + vy], dtype=np.float64)
    line: np.ndarray = np.cross([*a, 1.0], [*b, 1.0])
    return line


def _meet(p: np.ndarray, q: np.ndarray) -> np.ndarray | None:
    """Where two lines cross (None when they are parallel)."""
    x = np.cross(p, q)
    if abs(x[2]) < 1e-9:
        return None
    point: np.ndarray = x[:2] / x[2]
    return point


def find_sheet(gray: GrayImage) -> np.ndarray | None:
    """The sheet's four corners in `gray` pixels (tl, tr, br, bl), or None when there is no clear one.

    A corner cut off by the frame lies outside the image (where its two sides meet).
    """
    small, scale = _shrink(gray, WORK_SIDE)
    sh, sw = small.shape[:2]
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _t, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # text and rulings are dark holes in the paper: close them so the sheet is one blob (on a padded
    # copy: closing up to the image's edge would glue paper near the frame onto it)
    size = max(3, round(max(sh, sw) / 40))
    padded = cv2.copyMakeBorder(mask, size, size, size, size, cv2.BORDER_CONSTANT, value=0)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    mask = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, kernel)[size:-size, size:-size]
    contours, _h = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    blob = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(blob)
    tolerance = OUTLINE * cv2.arcLength(hull, True)
    outline = cv2.approxPolyDP(hull, tolerance, True).reshape(-1, 2).astype(np.float64)
    sides = _sides(outline, sw, sh)
    if sides is None:
        return None
    points = blob.reshape(-1, 2).astype(np.float64)
    low, high = np.array([FRAME_PX, FRAME_PX]), np.array([sw - 1 - FRAME_PX, sh - 1 - FRAME_PX])
    inner = ((points > low) & (points < high)).all(axis=1)
    lines = [_fit(side, points[inner], tolerance) for side in sides]
    met = [_meet(lines[i - 1], lines[i]) for i in range(4)]  # side i runs from corner i to corner i+1
    corners = [c for c in met if c is not None]
    if len(corners) < 4:
        return None
    for i, (a, b) in enumerate(sides):  # each side seen over most of its length
        if np.linalg.norm(b - a) < MIN_VISIBLE * np.linalg.norm(corners[(i + 1) % 4] - corners[i]):
            return None
    quad = _order(np.array(corners))
    if not cv2.isContourConvex(quad.astype(np.float32)):
        return None
    if not MIN_AREA <= cv2.contourArea(quad.astype(np.float32)) / float(sh * sw) <= MAX_AREA:
        return None
    inside = np.zeros((sh, sw), np.uint8)
    cv2.fillConvexPoly(inside, np.round(quad).astype(np.int32), 255)
    paper = float(np.median(small[inside > 0]))
    ground = float(np.median(small[inside == 0]))
    if paper - ground < MIN_CONTRAST:
        return None
    out: np.ndarray = quad / scale
    return out


def flatten(gray: GrayImage) -> tuple[GrayImage, bool]:
    """(the sheet warped to an upright rectangle, evenly lit; True) or (gray unchanged, False)."""
    quad = find_sheet(gray)
    if quad is None:
        return gray, False
    tl, tr, br, bl = quad
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    box = np.array([[quad[:, 0].min(), quad[:, 1].min()], [quad[:, 0].max(), quad[:, 1].max()]])
    tilt = np.abs(quad - np.array([box[0], [box[1][0], box[0][1]], box[1], [box[0][0], box[1][1]]])).max()
    if tilt < MIN_CORRECTION * max(gray.shape[:2]):
        return gray, False  # already square to the frame: deskew and cropping add nothing
    w, h = max(1, round(width)), max(1, round(height))
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    flat = cv2.warpPerspective(
        gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return _even_light(np.asarray(flat, dtype=np.uint8)), True


def _even_light(gray: GrayImage) -> GrayImage:
    """The sheet with its paper made evenly white.

    A lamp leaves one end of the sheet a third darker; Tesseract binarises the page with one global
    threshold, which then swallows text on the darker end of a shaded table header.
    """
    h, w = gray.shape[:2]
    small, _scale = _shrink(gray, LIGHT_SIDE)
    k = max(3, round(LIGHT_KERNEL * LIGHT_SIDE))
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.blur(paper, (k, k))
    light = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    return np.asarray(cv2.divide(gray, np.maximum(light, 1), scale=255.0), dtype=np.uint8)
