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


def tesseract_engine(settings: Settings, languages: str) -> TesseractEngine:
    """Tesseract as configured: `ocr_fast` reads sparse text in bands (README `ingestion`)."""
    from ledgerlens.documents.ocr.bands import BANDS
    from ledgerlens.documents.ocr.tesseract import AUTO_LAYOUT, SPARSE_TEXT

    if settings.ocr_fast:
        return TesseractEngine(languages, settings.max_memory_mb, SPARSE_TEXT, BANDS)
    return TesseractEngine(languages, settings.max_memory_mb, AUTO_LAYOUT, 1)


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
                return tesseract_engine(settings, settings.ocr_languages)
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
    languages: str = ""
    """Tesseract languages the words were read with ('' for other engines)."""


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


def sideways_share(words: list[Word], width: int, height: int) -> float:
    """Share of multi-letter words whose box is much taller than wide: text read on a page turned 90°."""
    long_words = [w for w in words if len(w.text) >= 3]
    if not long_words:
        return 0.0
    tall = sum(1 for w in long_words if (w.y1 - w.y0) * height > 1.5 * (w.x1 - w.x0) * width)
    return tall / len(long_words)


def _score(words: list[Word], width: int, height: int) -> float:
    return quality(words) * min(len(words), 50) * (1.0 - sideways_share(words, width, height))


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise DocumentError(ErrorCode.TIMEOUT, "OCR of a page ran past its time limit.")
    return left


def _shifted(words: list[Word], top: int, part_height: int, height: int) -> list[Word]:
    """Boxes of words read on rows top..top+part_height -> fractions of the whole page."""
    scale = part_height / max(height, 1)
    offset = top / max(height, 1)
    return [
        Word(w.text, (w.x0, offset + w.y0 * scale, w.x1, offset + w.y1 * scale), w.confidence, w.source)
        for w in words
    ]


PROBE_BANDS = 2
"""Bands (of ~6, see `bands`) read with English alone to decide the page's languages."""


def _read_choosing_languages(
    image: GrayImage, settings: Settings, deadline: float | None
) -> tuple[list[Word], OcrEngine]:
    """Read with English alone unless the text shows other configured languages.

    Every extra Tesseract language costs up to one more recognition pass and most pages are English,
    so the top of the page (~1/3, cut at a blank row) is read with English first. English there: the
    rest is read with English too. Other languages: the page is read with English plus those. Too few
    words on top to tell: the rest with English, then decide on the whole page.
    """
    from ledgerlens.documents.ocr.bands import BANDS, band_spans
    from ledgerlens.documents.ocr.langs import MIN_WORDS, detect_languages

    configured = settings.ocr_languages
    english = tesseract_engine(settings, "eng")
    height = image.shape[0]
    spans = band_spans(image, max(english.bands, BANDS))
    split = spans[PROBE_BANDS - 1][1] if len(spans) > PROBE_BANDS else height
    words = english.recognize(image[:split], _remaining(deadline))
    if split < height:
        words = _shifted(words, 0, split, height)
    chosen = detect_languages(words, configured)
    if split < height and (chosen == "eng" or len(words) < MIN_WORDS):
        rest = english.recognize(image[split:], _remaining(deadline))
        words += _shifted(rest, split, height - split, height)
        chosen = detect_languages(words, configured)
    if chosen == "eng" or not words:
        return words, english
    chosen_engine = tesseract_engine(settings, chosen)
    return chosen_engine.recognize(image, _remaining(deadline)), chosen_engine


def ocr_page(
    gray: GrayImage, settings: Settings, engine: OcrEngine | None = None, choose_languages: bool = False
) -> PageOcr:
    """Upright + OCR one page raster. Words' boxes are fractions of the upright, deskewed page.

    `choose_languages`: with Tesseract and several configured languages (English among them), read
    with English alone unless the page shows the others (`PageOcr.languages` says what was used).
    """
    from ledgerlens.documents.deskew import deskew
    from ledgerlens.documents.raster import (
        FAST_TEXT_HEIGHT,
        FAST_TOLERANCE,
        normalize_resolution,
        rotate_quarter,
    )

    started = time.monotonic()
    timeout = settings.page_timeout_seconds
    deadline = started + timeout if timeout and timeout > 0 else None
    engine = engine or get_engine(settings)
    if settings.ocr_fast:
        image, _factor = normalize_resolution(gray, FAST_TEXT_HEIGHT, FAST_TOLERANCE)
    else:
        image, _factor = normalize_resolution(gray)
    image, skew = deskew(image)
    configured = settings.ocr_languages.split("+")
    choose = choose_languages and engine.name == "tesseract" and len(configured) > 1 and "eng" in configured

    def read(img: GrayImage) -> tuple[list[Word], str]:
        if choose:
            raw, used = _read_choosing_languages(img, settings, deadline)
        else:
            raw, used = engine.recognize(img, _remaining(deadline)), engine
        return _drop_rules(raw), used.languages if isinstance(used, TesseractEngine) else ""

    words, languages = read(image)
    result = PageOcr(words, engine.name, 0, skew, languages=languages)
    h, w = image.shape[:2]
    if quality(words) < 0.75 or len(words) < 5 or sideways_share(words, w, h) > 0.5:
        # OSD names the turn when Tesseract is installed; otherwise every quarter turn is tried
        osd = _detect_orientation(image, settings, deadline)
        blind = tesseract_binary() is None and bool(words)  # a blank page is not worth three reads
        candidates = [osd] if osd else ([90, 270, 180] if blind else [])
        best = _score(words, w, h)
        for rotation in candidates:
            turned = rotate_quarter(image, rotation)
            turned, skew2 = deskew(turned)
            words2, languages2 = read(turned)  # a sideways page's languages show only once upright
            th, tw = turned.shape[:2]
            score = _score(words2, tw, th)
            if score > best:
                best = score
                result = PageOcr(words2, engine.name, rotation, skew2, languages=languages2)
            if quality(words2) >= 0.85 and len(words2) >= 5 and sideways_share(words2, tw, th) < 0.2:
                break  # a clean upright read: no need to try the other turns
    result.seconds = time.monotonic() - started
    return result


def _detect_orientation(image: GrayImage, settings: Settings, deadline: float | None) -> int:
    if tesseract_binary() is None:
        return 0
    osd = TesseractEngine("osd", settings.max_memory_mb)
    rotation, confidence = osd.orientation(image, _remaining(deadline))
    return rotation if confidence >= 1.0 else 0
