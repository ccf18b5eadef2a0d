"""RapidOCR (PP-OCR models in ONNX, shipped in the wheel): line boxes, then words by pixel gaps.

Its recogniser drops most spaces ("AccountNumber"), so words are rebuilt from the ink: the line crop's
column profile gives the real blank gaps, and each recognised char (positioned by the CTC decoder)
goes to the ink segment under it.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ledgerlens.documents.model import Word
from ledgerlens.documents.ocr.base import GrayImage, OcrEngine, pixel_box

WORD_GAP = 0.3
"""A blank run wider than this fraction of the line's ink height separates words."""
NUMBER_GAP = 0.5
"""Between two digits/number signs the gap must be this wide: "1" and "." leave wide blank ink
next to them, and "1 74.53" must stay "174.53"."""
_NUMERIC = frozenset("0123456789.,/-:$€£%+'")


DET_MAX_SIDE = 2000
"""Lines are found on a copy whose long side is at most this (RapidOCR's own limit), but read from
the full page: the detector needs no more pixels, the recogniser reads small print better."""
TEXT_SCORE = 0.5
"""Lines recognised with less confidence are dropped (RapidOCR's own default)."""
REC_BATCH = 1
REC_SHAPE = [3, 48, 48]
"""Each line is read on its own at its own width. RapidOCR's defaults (batches of 6, every crop
padded to at least 320 px and to the widest in its batch) spend most of the recogniser's time on
padding: per line, 12.9 -> 7.9 CPU s a generated statement page, 9.2 -> 7.2 on the corpus scans,
with the same amounts and slightly better words (README `ingestion`)."""

DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"
"""The detector the rapidocr-onnxruntime wheel ships (its config.yaml names it)."""

_lock = threading.Lock()
_engine: Any = None


def rapidocr_available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _get_engine() -> Any:
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            _engine = RapidOCR(
                intra_op_num_threads=1,
                inter_op_num_threads=1,
                rec_batch_num=REC_BATCH,
                rec_img_shape=REC_SHAPE,
            )
            _keep_detector_memory(_engine)
        return _engine


def _keep_detector_memory(engine: Any) -> None:
    """Give the line detector an ONNX Runtime memory arena (RapidOCR turns it off for every model).

    Without it each page's feature maps (hundreds of MB) are fresh pages from the OS, and a page size
    not seen before costs ~1.5 s more: 8.1 -> 6.4 CPU s a generated statement page. The arena keeps
    ~150 MB more resident; a job still reads under the default 2048 MB address-space cap (it did at
    1800). The recogniser gains nothing from one (its line widths all differ), so it is left alone.
    """
    from pathlib import Path

    import onnxruntime as ort
    import rapidocr_onnxruntime

    model = Path(rapidocr_onnxruntime.__file__).parent / "models" / DET_MODEL
    holder = getattr(getattr(engine, "text_det", None), "infer", None)
    if (
        holder is None
        or not model.is_file()
        or not isinstance(getattr(holder, "session", None), ort.InferenceSession)
    ):
        return  # another RapidOCR layout: keep its own session
    options = holder.session.get_session_options()  # RapidOCR's own (threads, optimisation level)
    options.enable_cpu_mem_arena = True
    holder.session = ort.InferenceSession(str(model), options, providers=holder.session.get_providers())


def preload() -> None:
    """Create the ONNX sessions now (a long-lived process creates them once, before any page)."""
    _get_engine()


def _detect(engine: Any, gray: GrayImage) -> list[Any]:
    """Line quads in `gray`'s pixels, found on a copy scaled so its long side is DET_MAX_SIDE."""
    import cv2

    height, width = gray.shape[:2]
    scale = min(1.0, DET_MAX_SIDE / max(height, width))
    small = gray
    if scale < 1.0:
        size = (max(32, round(width * scale)), max(32, round(height * scale)))
        small = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    sh, sw = small.shape[:2]
    rgb = np.ascontiguousarray(np.stack([small, small, small], axis=-1))
    boxes, _elapsed = engine.text_det(rgb)
    if boxes is None or len(boxes) == 0:
        return []
    quads = np.asarray(boxes, dtype=np.float32)
    quads[:, :, 0] *= width / sw
    quads[:, :, 1] *= height / sh
    quads[:, :, 0] = np.clip(quads[:, :, 0], 0, width - 1)
    quads[:, :, 1] = np.clip(quads[:, :, 1], 0, height - 1)
    return list(engine.sorted_boxes(quads))


def _read(engine: Any, gray: GrayImage) -> list[list[Any]]:
    """RapidOCR's result rows ([quad, text, score, char boxes, chars, char confidences])."""
    quads = _detect(engine, gray)
    if not quads:
        return []
    # RapidOCR's own crop, on the one grey channel: the page is never copied three times over
    crops = [
        np.ascontiguousarray(np.stack([c, c, c], axis=-1)) for c in engine.get_crop_img_list(gray, quads)
    ]
    rec_res, _elapsed = engine.text_rec(crops, True)
    rows = engine.cal_rec_boxes(crops, quads, rec_res)
    return [
        [quad.tolist(), *row] for quad, row in zip(quads, rows, strict=True) if float(row[1]) >= TEXT_SCORE
    ]


def _ink_segments(gray: GrayImage, x0: int, y0: int, x1: int, y1: int) -> tuple[list[tuple[int, int]], int]:
    """([start, end) column runs of ink in a line crop, merged across letter gaps; ink height)."""
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0:
        return [], 0
    thr = min(160.0, (float(crop.min()) + float(crop.max())) / 2)
    ink = crop < thr
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return [], 0
    ink_height = int(rows[-1] - rows[0] + 1)
    min_gap = max(3, round(WORD_GAP * ink_height))
    cols = [bool(v) for v in np.asarray(ink.any(axis=0))]
    segments: list[tuple[int, int]] = []
    start = -1
    blank = 0
    for i, has_ink in enumerate(cols):
        if has_ink:
            if start < 0:
                start = i
            elif blank >= min_gap:
                segments.append((start + x0, i - blank + x0))
                start = i
            blank = 0
        elif start >= 0:
            blank += 1
    if start >= 0:
        segments.append((start + x0, len(cols) - blank + x0))
    return segments, ink_height


class RapidOcrEngine(OcrEngine):
    name = "rapidocr"

    def recognize(self, image: GrayImage, timeout: float | None = None) -> list[Word]:
        engine = _get_engine()
        # no per-line 180° classifier: an upside-down page must read badly so ocr_page turns it
        result = _read(engine, image)
        height, width = image.shape[:2]
        words: list[Word] = []
        for row in result:
            words.extend(self._line_words(image, row, width, height))
        return words

    @staticmethod
    def _gap_splits(
        segments: list[tuple[int, int]], seg_of: list[int], chars: list[str], i: int, ink_height: int
    ) -> bool:
        a, b = seg_of[i - 1], seg_of[i]
        if a == b or not segments:
            return False
        lo, hi = min(a, b), max(a, b)
        gap = max(segments[k + 1][0] - segments[k][1] for k in range(lo, hi))
        left, right = chars[i - 1], chars[i]
        if "_" in (left, right):
            return False  # it joins ("BLR_WFLD..."); its low stroke often falls below the line's box
        if left in _NUMERIC and right in _NUMERIC and (left.isdigit() or right.isdigit()):
            return gap >= NUMBER_GAP * ink_height
        return True

    def _line_words(self, gray: GrayImage, row: list[Any], width: int, height: int) -> list[Word]:
        quad, text, score = row[0], str(row[1]), float(row[2])
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        lx0, ly0, lx1, ly1 = max(min(xs), 0), max(min(ys), 0), min(max(xs), width), min(max(ys), height)
        char_boxes: list[Any] = row[3] if len(row) > 4 else []
        chars: list[str] = [str(c) for c in row[4]] if len(row) > 4 else []
        confs: list[float] = [float(c) for c in row[5]] if len(row) > 5 else []
        if len(chars) == len(char_boxes) and not all(c.strip() for c in chars):
            # a space the recogniser did read comes as a char of its own: it splits below (via the
            # text) but has no ink to place, so it leaves the per-char lists
            kept = [i for i, c in enumerate(chars) if c.strip()]
            if len(confs) == len(chars):
                confs = [confs[i] for i in kept]
            chars = [chars[i] for i in kept]
            char_boxes = [char_boxes[i] for i in kept]
        if not chars or len(chars) != len(char_boxes) or "".join(chars) != text.replace(" ", ""):
            # no per-char positions: keep the recogniser's own spacing
            parts = text.split()
            if not parts:
                return []
            step = (lx1 - lx0) / max(len(text), 1)
            spaced: list[Word] = []
            pos = 0
            for part in parts:
                start = text.index(part, pos)
                pos = start + len(part)
                box = pixel_box(lx0 + start * step, ly0, lx0 + pos * step, ly1, width, height)
                spaced.append(Word(part, box, score, "rapidocr"))
            return spaced
        segments, ink_height = _ink_segments(gray, int(lx0), int(ly0), int(lx1 + 0.999), int(ly1 + 0.999))
        centers = [(min(p[0] for p in b) + max(p[0] for p in b)) / 2 for b in char_boxes]
        # which ink segment each char sits in (nearest when between segments)
        seg_of: list[int] = []
        for cx in centers:
            best, best_d = 0, float("inf")
            for k, (s0, s1) in enumerate(segments):
                d = 0.0 if s0 <= cx <= s1 else min(abs(cx - s0), abs(cx - s1))
                if d < best_d:
                    best, best_d = k, d
            seg_of.append(best)
        # explicit spaces in the recognised text also split
        space_before: set[int] = set()
        idx = 0
        for ch in text:
            if ch == " ":
                space_before.add(idx)
            else:
                idx += 1
        out: list[Word] = []
        cur: list[int] = []

        def flush() -> None:
            if not cur:
                return
            boxes = [char_boxes[i] for i in cur]
            bx0 = min(p[0] for b in boxes for p in b)
            bx1 = max(p[0] for b in boxes for p in b)
            seg_ids = {seg_of[i] for i in cur}
            if segments:  # the ink is more precise than the decoder's char cells
                bx0 = min(segments[s][0] for s in seg_ids)
                bx1 = max(segments[s][1] for s in seg_ids)
            conf = min((confs[i] for i in cur), default=score) if confs else score
            word_text = "".join(chars[i] for i in cur)
            out.append(Word(word_text, pixel_box(bx0, ly0, bx1, ly1, width, height), conf, "rapidocr"))
            cur.clear()

        for i in range(len(chars)):
            if cur and (i in space_before or self._gap_splits(segments, seg_of, chars, i, ink_height)):
                flush()
            cur.append(i)
        flush()
        return out
