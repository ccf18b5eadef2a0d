"""OCR engines behind one small interface, and the page-level OCR recipe shared by every input.

`ocr_page` straightens the page (deskew, 90°/180° via Tesseract OSD when the first read looks bad),
brings glyphs to an OCR-friendly size and returns words as fractions of the upright page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ledgerlens.config import Settings
from ledgerlens.documents.model import Word
from ledgerlens.documents.ocr.base import GrayImage, OcrEngine
from ledgerlens.documents.ocr.rapid import RapidOcrEngine, rapidocr_available
from ledgerlens.documents.ocr.tesseract import TesseractEngine, tesseract_binary
from ledgerlens.errors import DocumentError, ErrorCode

PREFERRED = ("tesseract", "rapidocr")
"""Order tried by ocr_engine=auto (see README `ingestion` for the measurements behind it)."""

__all__ = ["PageOcr", "available_engines", "get_engine", "ocr_page"]


def available_engines() -> list[str]:
    found = []
    if tesseract_binary() is not None:
        found.append("tesseract")
    if rapidocr_available():
        found.append("rapidocr")
    return found


def get_engine(settings: Settings) -> OcrEngine:
    """The configured engine; `auto` (or a missing engine) falls back along PREFERRED."""
    have = available_engines()
    order = list(PREFERRED)
    if settings.ocr_engine != "auto":
        order.remove(settings.ocr_engine)
        order.insert(0, settings.ocr_engine)
    for name in order:
        if name in have:
            if name == "tesseract":
                return TesseractEngine(settings.ocr_languages, settings.max_memory_mb)
            return RapidOcrEngine()
    raise DocumentError(
        ErrorCode.INTERNAL_SERVER_ERROR, "No OCR engine is installed (need Tesseract or RapidOCR)."
    )


@dataclass(slots=True)
class PageOcr:
    words: list[Word] = field(default_factory=list)
    engine: str = ""
    rotation: int = 0
    """Clockwise quarter turns (degrees) applied to make the page upright."""
    skew: float = 0.0
    seconds: float = 0.0


_RULE_CHARS = frozenset("|_¦")


def _drop_rules(words: list[Word]) -> list[Word]:
    """Table rulings read as "|" or "_" are not words."""
    return [w for w in words if not set(w.text) <= _RULE_CHARS]


def quality(words: list[Word]) -> float:
    """Mean confidence weighted by text length: low when the page was read sideways or upside down."""
    total = sum(len(w.text) for w in words)
    if total == 0:
        return 0.0
    return sum(w.confidence * len(w.text) for w in words) / total


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise DocumentError(ErrorCode.TIMEOUT, "OCR of a page ran past its time limit.")
    return left


def ocr_page(gray: GrayImage, settings: Settings, engine: OcrEngine | None = None) -> PageOcr:
    """Upright + OCR one page raster. Words' boxes are fractions of the upright, deskewed page."""
    from ledgerlens.documents.deskew import deskew
    from ledgerlens.documents.raster import normalize_resolution, rotate_quarter

    started = time.monotonic()
    timeout = settings.page_timeout_seconds
    deadline = started + timeout if timeout and timeout > 0 else None
    engine = engine or get_engine(settings)
    image, _factor = normalize_resolution(gray)
    image, skew = deskew(image)
    words = _drop_rules(engine.recognize(image, _remaining(deadline)))
    result = PageOcr(words, engine.name, 0, skew)
    if quality(words) < 0.75 or len(words) < 5:
        rotation = _detect_orientation(image, settings, deadline)
        if rotation:
            turned = rotate_quarter(image, rotation)
            turned, skew2 = deskew(turned)
            words2 = _drop_rules(engine.recognize(turned, _remaining(deadline)))
            if quality(words2) * min(len(words2), 50) > quality(words) * min(len(words), 50):
                result = PageOcr(words2, engine.name, rotation, skew2)
    result.seconds = time.monotonic() - started
    return result


def _detect_orientation(image: GrayImage, settings: Settings, deadline: float | None) -> int:
    if tesseract_binary() is None:
        return 0
    osd = TesseractEngine("osd", settings.max_memory_mb)
    rotation, confidence = osd.orientation(image, _remaining(deadline))
    return rotation if confidence >= 1.0 else 0
