"""OCR engines behind one small interface, and the page-level OCR recipe shared by every input.

`ocr_page` straightens the page (deskew, 90°/180° via Tesseract OSD when the first read looks bad),
brings glyphs to an OCR-friendly size and returns words as fractions of the upright page.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import numpy as np

from ledgerlens.config import Settings
from ledgerlens.documents.model import Word
from ledgerlens.documents.ocr.amounts import is_amount
from ledgerlens.documents.ocr.base import GrayImage, OcrEngine, pixel_corners
from ledgerlens.documents.ocr.rapid import RapidOcrEngine, rapidocr_available
from ledgerlens.documents.ocr.tesseract import TesseractEngine, tesseract_available
from ledgerlens.errors import DocumentError, ErrorCode

PREFERRED = ("tesseract", "rapidocr")
"""Order tried by ocr_engine=auto (see README `ingestion` for the measurements behind it)."""

__all__ = ["PageOcr", "available_engines", "get_engine", "ocr_page", "preload"]


def available_engines() -> list[str]:
    found = []
    if tesseract_available():
        found.append("tesseract")
    if rapidocr_available():
        found.append("rapidocr")
    return found


def tesseract_engine(settings: Settings, languages: str) -> TesseractEngine:
    """Tesseract as configured: `ocr_fast` reads sparse text in bands (README `ingestion`)."""
    from ledgerlens.documents.ocr.bands import BANDS
    from ledgerlens.documents.ocr.tesseract import AUTO_LAYOUT, SPARSE_TEXT

    psm, bands = (SPARSE_TEXT, BANDS) if settings.ocr_fast else (AUTO_LAYOUT, 1)
    return TesseractEngine(languages, settings.max_memory_mb, psm, bands, settings.tesseract_backend)


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


def preload(settings: Settings) -> None:
    """Load the configured engine's models now: the worker's fork server does before any job (so
    job children start with them), and the bench does before it times pages."""
    if get_engine(settings).name == "rapidocr":
        from ledgerlens.documents.ocr import rapid

        rapid.preload()
    else:
        from ledgerlens.documents.ocr import tesseract

        tesseract.preload(settings.ocr_languages)


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
    scale: tuple[float, float] = (1.0, 1.0)
    """(width, height) of the page read over those of the raster given: a photographed sheet is
    flattened to its own size (`documents/perspective.py`)."""


_RULE_CHARS = frozenset("|_¦")


LOGO_HEIGHT = 2.5
"""A word this many times taller than the page's median word is a heading or a graphic."""
LOGO_CONFIDENCE = 0.6
LOGO_CHARS = 3


_DIRT = "„‚“”‘’\"'`_|~^*«»"


_DAY_MONTH = re.compile(r"^(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.$")


def _strip_dirt(words: list[Word]) -> list[Word]:
    """Specks read as quotes or underscores glued to a number or date: "“8,64", "„05/26" -> the value.

    Only where a digit follows (or precedes) the marks: an apostrophe in "O'Connor" stays. A point or
    comma after an amount's two decimals is a speck too ("788.80." no longer parses as an amount),
    unless the word can be a day and month ("01.10." on Austrian and German statements).
    """
    out: list[Word] = []
    for w in words:
        text = w.text
        core = text.lstrip(_DIRT)
        if core != text and core[:1].isdigit():
            text = core
        core = text.rstrip(_DIRT)
        if core != text and core[-1:].isdigit():
            text = core
        if text[-1:] in (".", ",") and is_amount(text[:-1]) and not _DAY_MONTH.match(text):
            text = text[:-1]
        out.append(w if text == w.text else Word(text, w.bbox, w.confidence, w.source))
    return out


_DECIMAL_HEAD = re.compile(r"^[-+(]?[$€£¥₹]?\d{1,3}(?:[,.' ]\d{3})*[.,]$|^[-+(]?[$€£¥₹]?\d+[.,]$")
_DECIMAL_TAIL = re.compile(r"^\d{2}(?:\)|-|CR|DR|Cr|Dr)?$")
JOIN_GAP = 0.6
"""A split decimal's two halves are at most this share of the text height apart."""


def _join_split_decimals(words: list[Word], width: int, height: int) -> list[Word]:
    """An amount OCR cut after its decimal mark ("8,137." "01") is one word again ("8,137.01").

    Blurred or photographed pages widen the gap after the point until Tesseract sees a space; left
    split, the balance column reads "8,137." and the cents become a word of their own. Only a
    number ending in its decimal mark followed, on the same text row and close by, by exactly two
    digits (and a closing sign) is joined. Tesseract may list the halves apart (table cells become
    blocks), so the halves are paired by position, not by order.
    """
    heads = [i for i, w in enumerate(words) if _DECIMAL_HEAD.match(w.text)]
    tails = [i for i, w in enumerate(words) if _DECIMAL_TAIL.match(w.text)]
    if not heads or not tails:
        return words
    joined: dict[int, Word] = {}
    used: set[int] = set()
    for t in tails:
        w = words[t]
        for h in heads:
            prev = words[h]
            if h in joined:
                continue
            row = max(prev.y1 - prev.y0, w.y1 - w.y0) * height
            overlap = (min(prev.y1, w.y1) - max(prev.y0, w.y0)) * height
            gap = (w.x0 - prev.x1) * width
            if row > 0 and overlap > 0.5 * row and -0.1 * row <= gap <= JOIN_GAP * row:
                box = (prev.x0, min(prev.y0, w.y0), w.x1, max(prev.y1, w.y1))
                joined[h] = Word(prev.text + w.text, box, min(prev.confidence, w.confidence), prev.source)
                used.add(t)
                break
    if not joined:
        return words
    return [joined.get(i, w) for i, w in enumerate(words) if i not in used]


def _drop_graphics(words: list[Word]) -> list[Word]:
    """Table rulings read as "|" or "_", and logos read as a few unsure letters, are not words.

    A logo's glyph-like shapes come back as short low-confidence "words" two or three text rows
    tall; left in, they join the rows beside them into one line ("fe <p NATIONAL ... Account").
    """
    kept = [w for w in words if not set(w.text) <= _RULE_CHARS]
    if len(kept) < 5:
        return kept
    heights = sorted(w.y1 - w.y0 for w in kept)
    median = heights[len(heights) // 2]
    return [
        w
        for w in kept
        if not (
            w.y1 - w.y0 > LOGO_HEIGHT * median
            and w.confidence < LOGO_CONFIDENCE
            and len(w.text) <= LOGO_CHARS
        )
    ]


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


RECHECK_PAGE_QUALITY = 0.6
"""Doubtful words are read again only on a page that reads well on the whole (not on a photo of a
wall, where every word is doubtful and none would read better)."""


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise DocumentError(ErrorCode.TIMEOUT, "OCR of a page ran past its time limit.")
    return left


def _painted_out(image: GrayImage, words: list[Word]) -> GrayImage:
    """The page with these words' boxes filled with the paper around each (the median of a ring
    just outside the box, so a number on a dark band leaves no bright patch to be read)."""
    height, width = image.shape[:2]
    out = image.copy()
    for w in words:
        x0, y0, x1, y1 = pixel_corners(w, width, height)
        x0, y0, x1, y1 = max(0, x0 - 2), max(0, y0 - 2), min(width, x1 + 2), min(height, y1 + 2)
        if x1 <= x0 or y1 <= y0:
            continue
        ring = [
            image[max(0, y0 - 2) : y0, x0:x1].ravel(),
            image[y1 : y1 + 2, x0:x1].ravel(),
            image[y0:y1, max(0, x0 - 2) : x0].ravel(),
            image[y0:y1, x1 : x1 + 2].ravel(),
        ]
        around = np.concatenate(ring)
        out[y0:y1, x0:x1] = int(np.median(around)) if around.size else 255
    return out


SETTLED_CONFIDENCE = 0.9
"""A word without letters read at least this surely in English reads the same in any language."""
SETTLED_GAP = 1.0
"""... unless a word read again sits within this many text heights on its row: English splits
"4.841,36" into "4.841" (0.75) and "36" (0.10) where German reads one word (0.96), so a number
beside a doubtful fragment is read again with it."""


SETTLED_MAX_WORDS = 1500
"""Pages with more words (noise read as specks) are read again whole: the pairwise test below
needs memory in the square of the word count (~100 MB at this many; dense statements have ~500)."""


def _settled_numbers(words: list[Word], width: int, height: int) -> list[Word]:
    """The words of an English read that a read in other languages would give back unchanged."""
    if not words or len(words) > SETTLED_MAX_WORDS:
        return []
    box = np.array([w.bbox for w in words], dtype=np.float64) * [width, height, width, height]
    x0, y0, x1, y1 = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    tall = np.maximum(y1 - y0, 1.0)
    overlap = np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :])
    same_row = overlap > 0.5 * np.minimum(tall[:, None], tall[None, :])
    gap = np.maximum(x0[None, :] - x1[:, None], x0[:, None] - x1[None, :])
    near = same_row & (gap < SETTLED_GAP * np.maximum(tall[:, None], tall[None, :]))
    np.fill_diagonal(near, False)
    settled = np.array(
        [w.confidence >= SETTLED_CONFIDENCE and not any(c.isalpha() for c in w.text) for w in words]
    )
    while True:  # a number next to one read again is read again, and so on along the row
        unsettled_near = (near & ~settled[None, :]).any(axis=1)
        still = settled & ~unsettled_near
        if (still == settled).all():
            break
        settled = still
    return [w for w, keep in zip(words, settled, strict=True) if keep]


def _read_choosing_languages(
    image: GrayImage, settings: Settings, deadline: float | None
) -> tuple[list[Word], OcrEngine]:
    """Read with English alone unless the text shows other configured languages.

    Tesseract retries every word it is unsure of in each extra language (on a page of numbers, most
    words), so English alone costs ~1/3 of all six. Most pages are English: the page is read once
    with English; only if its words show other languages is it read again with English plus those.
    The whole page, not a strip of it, is read first: Tesseract's layout analysis of a strip loses
    boxed text that the whole page keeps (measured on the corpus invoices). The second read is of
    the page with the settled numbers painted out (`_settled_numbers`): numbers, dates and marks
    read surely in English read the same in any language (English is tried first and accepts them),
    and they are half the words of a statement.
    """
    from ledgerlens.documents.ocr.langs import detect_languages

    english = tesseract_engine(settings, "eng")
    words = english.recognize(image, _remaining(deadline))
    chosen = detect_languages(words, settings.ocr_languages)
    if chosen == "eng" or not words:
        return words, english
    chosen_engine = tesseract_engine(settings, chosen)
    kept = _settled_numbers(words, image.shape[1], image.shape[0])
    lettered = chosen_engine.recognize(_painted_out(image, kept), _remaining(deadline))
    return kept + lettered, chosen_engine


def ocr_page(
    gray: GrayImage, settings: Settings, engine: OcrEngine | None = None, choose_languages: bool = False
) -> PageOcr:
    """Upright + OCR one page raster. Words' boxes are fractions of the upright, deskewed page.

    `choose_languages`: with Tesseract and several configured languages (English among them), read
    with English alone unless the page shows the others (`PageOcr.languages` says what was used).
    """
    from ledgerlens.documents.darkbands import invert_dark_bands
    from ledgerlens.documents.deskew import deskew
    from ledgerlens.documents.perspective import flatten
    from ledgerlens.documents.raster import (
        FAST_TEXT_HEIGHT,
        FAST_TOLERANCE,
        TARGET_TEXT_HEIGHT,
        TOLERANCE,
        normalize_resolution,
        rotate_quarter,
    )

    started = time.monotonic()
    timeout = settings.page_timeout_seconds
    deadline = started + timeout if timeout and timeout > 0 else None
    engine = engine or get_engine(settings)
    raw_h, raw_w = gray.shape[:2]
    gray, _flat = flatten(gray)
    scale = (gray.shape[1] / raw_w, gray.shape[0] / raw_h)
    fast = settings.ocr_fast
    glyphs, tolerance = (FAST_TEXT_HEIGHT, FAST_TOLERANCE) if fast else (TARGET_TEXT_HEIGHT, TOLERANCE)
    image, _factor = normalize_resolution(gray, glyphs, tolerance)
    image, skew = deskew(image)
    # RapidOCR reads light-on-dark text as it is (inverting its bands cost it statement fields on
    # the corpus scans, 0.898 -> 0.875); Tesseract loses words there
    invert = not engine.reads_light_on_dark
    if invert:
        image, _bands = invert_dark_bands(image, glyphs)
    configured = settings.ocr_languages.split("+")
    choose = choose_languages and engine.name == "tesseract" and len(configured) > 1 and "eng" in configured

    def read(img: GrayImage) -> tuple[list[Word], OcrEngine]:
        if choose:
            raw, used = _read_choosing_languages(img, settings, deadline)
        else:
            raw, used = engine.recognize(img, _remaining(deadline)), engine
        return _drop_graphics(raw), used

    words, used = read(image)
    final, final_image = (words, used, 0, skew), image
    h, w = image.shape[:2]
    if quality(words) < 0.75 or len(words) < 5 or sideways_share(words, w, h) > 0.5:
        # OSD names the turn when Tesseract is installed; otherwise every quarter turn is tried
        osd = _detect_orientation(image, settings, deadline)
        blind = not tesseract_available() and bool(words)  # a blank page is not worth three reads
        candidates = [osd] if osd else ([90, 270, 180] if blind else [])
        best = _score(words, w, h)
        for rotation in candidates:
            turned = rotate_quarter(image, rotation)
            turned, skew2 = deskew(turned)
            if invert:  # a sideways page's bands are upright now
                turned, _bands = invert_dark_bands(turned, glyphs)
            words2, used2 = read(turned)  # a sideways page's languages show only once upright
            th, tw = turned.shape[:2]
            score = _score(words2, tw, th)
            if score > best:
                best = score
                final, final_image = (words2, used2, rotation, skew2), turned
            if quality(words2) >= 0.85 and len(words2) >= 5 and sideways_share(words2, tw, th) < 0.2:
                break  # a clean upright read: no need to try the other turns
    words, used, rotation, skew = final
    languages = ""
    if isinstance(used, TesseractEngine):
        languages = used.languages
        if quality(words) >= RECHECK_PAGE_QUALITY:
            _remaining(deadline)
            words = used.recheck(final_image, words, settings.ocr_languages)
    fh, fw = final_image.shape[:2]
    words = _join_split_decimals(_strip_dirt(words), fw, fh)
    result = PageOcr(words, engine.name, rotation, skew, languages=languages, scale=scale)
    result.seconds = time.monotonic() - started
    return result


def _detect_orientation(image: GrayImage, settings: Settings, deadline: float | None) -> int:
    if not tesseract_available():
        return 0
    osd = TesseractEngine("osd", settings.max_memory_mb, backend=settings.tesseract_backend)
    rotation, confidence = osd.orientation(image, _remaining(deadline))
    return rotation if confidence >= 1.0 else 0
