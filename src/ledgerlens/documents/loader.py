"""Bytes in, `Document` out: the entry point every caller uses (upload probe, worker, CLI, bench).

Per PDF page, the text layer is used when it is real text; otherwise (scans, glyphs without Unicode,
a poor invisible OCR layer) the page is rendered and OCR'd. Image inputs are always OCR'd.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from ledgerlens.config import Settings, get_settings
from ledgerlens.documents.images import image_page_count
from ledgerlens.documents.lexicon import lexicon_share
from ledgerlens.documents.limits import check_pages
from ledgerlens.documents.model import Document, Page
from ledgerlens.documents.pdf import (
    PageText,
    check_page_tree,
    extract_page_text,
    is_encrypted,
    load_page,
    open_pdf,
    reading_order,
    text_quality,
)
from ledgerlens.documents.sniff import CONTENT_TYPES, sniff_format
from ledgerlens.errors import DocumentError, ErrorCode

Progress = Callable[[int, int], None]

MIN_TEXT_CHARS = 20
MAX_BAD_SHARE = 0.1
MIN_LEXICON_TOKENS = 25
MIN_LEXICON_SHARE = 0.03
"""A text layer with this many letter tokens, of which fewer than this share are common words of
any language read here, is a cipher (real pages of the shared corpus: 0.07 at the lowest)."""
MIN_OCR_LAYER_QUALITY = 0.85


@dataclass(slots=True, frozen=True)
class FileProbe:
    format: str
    content_type: str
    page_count: int | None
    encrypted: bool


def probe(data: bytes, settings: Settings | None = None) -> FileProbe:
    """Validate an upload fast (headers and page tree only; nothing rendered or OCR'd)."""
    settings = settings or get_settings()
    fmt = sniff_format(data)
    if fmt != "pdf":
        return FileProbe(fmt, CONTENT_TYPES[fmt], image_page_count(data, settings), False)
    try:
        with open_pdf(data) as pdf:
            n = len(pdf)
            check_pages(n, settings)
            check_page_tree(pdf, n)
            return FileProbe(fmt, CONTENT_TYPES[fmt], n, is_encrypted(pdf))
    except DocumentError as exc:
        if exc.code == ErrorCode.PASSWORD_REQUIRED:
            return FileProbe(fmt, CONTENT_TYPES[fmt], None, True)
        raise


def text_layer_usable(pt: PageText) -> tuple[bool, Page]:
    """Decide whether a page's text layer is the content, or the page must be OCR'd.

    Returns (usable, page): for a scanned PDF with a good invisible OCR layer, the page carries
    that layer's words.
    """
    s = pt.stats
    page = pt.page
    bad_share = s.bad_chars / max(s.visible_chars + s.invisible_chars, 1)
    if bad_share > MAX_BAD_SHARE:
        return False, page
    tokens, share = lexicon_share(" ".join(w.text for w in page.words))
    if tokens >= MIN_LEXICON_TOKENS and share < MIN_LEXICON_SHARE:
        return False, page  # a font with a broken ToUnicode map: the page shows words, the layer a cipher
    scanned_look = s.image_coverage >= 0.5
    if s.visible_chars >= MIN_TEXT_CHARS and not (scanned_look and s.visible_chars < 200):
        return True, page
    if s.invisible_chars >= MIN_TEXT_CHARS:
        if text_quality(s.invisible_words) >= MIN_OCR_LAYER_QUALITY:
            page.words = reading_order(page.words + s.invisible_words)
            return True, page
        return False, page
    if s.image_coverage >= 0.05 or s.path_objects >= 200:
        return False, page  # a picture or outlined glyphs: something to read that has no text
    if not page.words:
        page.source = "empty"
    return True, page


def load_document(
    data: bytes,
    *,
    password: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    force_ocr: bool = False,
) -> Document:
    """The document's pages as words with boxes; `force_ocr` reads every page by OCR, text layer
    or not (a second reading when the text layer's one does not add up)."""
    settings = settings or get_settings()
    fmt = sniff_format(data)
    started = time.monotonic()
    if fmt == "pdf":
        doc = _load_pdf(data, password, settings, progress, force_ocr)
    else:
        doc = _load_image(data, fmt, settings, progress)
    doc.metadata.setdefault("format", fmt)
    doc.metadata["page_count"] = len(doc.pages)
    doc.metadata["ocr_pages"] = sum(1 for p in doc.pages if p.source in ("tesseract", "rapidocr"))
    doc.metadata["ingest_seconds"] = round(time.monotonic() - started, 3)
    return doc


def _ocr_pages(
    data: bytes,
    fmt: str,
    password: str | None,
    indices: list[int],
    settings: Settings,
    pages: list[Page | None],
    tick: Callable[[], None],
    pdf: object | None = None,
) -> str | None:
    """OCR the pages at `indices` into `pages`; returns the Tesseract languages used (None: no Tesseract)."""
    if not indices:
        return None

    def store(index: int, page: Page) -> None:
        pages[index] = page
        tick()

    import pypdfium2 as pdfium

    from ledgerlens.documents.ocr import get_engine
    from ledgerlens.documents.ocr.langs import detect_languages
    from ledgerlens.documents.scanned import ocr_image_frame, ocr_pdf_page

    def read(index: int, engine_settings: Settings, choose_languages: bool = False) -> Page:
        engine = get_engine(engine_settings)
        if isinstance(pdf, pdfium.PdfDocument):
            return ocr_pdf_page(pdf, index, engine_settings, engine, choose_languages)
        return ocr_image_frame(data, index, engine_settings, engine, choose_languages)

    tesseract = get_engine(settings).name == "tesseract"
    configured = settings.ocr_languages.split("+")
    # Every extra language costs up to one more recognition pass (Tesseract retries each word it is
    # unsure of in every other language: on a page of numbers, most words). So page 1 is read with
    # English alone unless its text shows other languages (ocr_page), and the other pages with
    # English plus the languages page 1 shows.
    choose = tesseract and len(configured) >= 2 and "eng" in configured
    rest = indices[1:] if choose else indices
    with contextlib.ExitStack() as stack:
        pool = None
        if len(rest) >= 2 and settings.page_workers > 1:
            from ledgerlens.documents.parallel import PagePool

            # started now: the workers start up while page 1 is read here
            pool = stack.enter_context(PagePool(data, fmt, password, settings, len(rest)))
        if choose:
            first = read(indices[0], settings, choose_languages=True)
            narrowed = detect_languages(first.words, settings.ocr_languages)
            store(indices[0], first)
            settings = settings.model_copy(update={"ocr_languages": narrowed})
        if pool is not None:
            pool.run(rest, settings.ocr_languages, store)
        else:
            for index in rest:
                store(index, read(index, settings))
    return settings.ocr_languages if tesseract else None


def _page_counter(progress: Progress | None, total: int) -> Callable[[], None]:
    """A callback for "one more page done" that reports (done, total) to `progress`."""
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    return tick


def _load_pdf(
    data: bytes, password: str | None, settings: Settings, progress: Progress | None, force_ocr: bool = False
) -> Document:
    with open_pdf(data, password) as pdf:
        total = len(pdf)
        check_pages(total, settings)
        check_page_tree(pdf, total)
        tick = _page_counter(progress, total)
        pages: list[Page | None] = [None] * total
        need_ocr: list[int] = []
        for i in range(total):
            page = load_page(pdf, i)
            try:
                usable, text_page = text_layer_usable(extract_page_text(page, i + 1))
            finally:
                page.close()
            if usable and not force_ocr:
                pages[i] = text_page
                tick()
            else:
                need_ocr.append(i)
        metadata: dict[str, object] = {"format": "pdf", "encrypted": is_encrypted(pdf)}
        languages = _ocr_pages(data, "pdf", password, need_ocr, settings, pages, tick, pdf=pdf)
        if languages:
            metadata["ocr_languages"] = languages
    return Document([p for p in pages if p is not None], metadata)


def _load_image(data: bytes, fmt: str, settings: Settings, progress: Progress | None) -> Document:
    total = image_page_count(data, settings)
    pages: list[Page | None] = [None] * total
    tick = _page_counter(progress, total)
    metadata: dict[str, object] = {"format": fmt, "encrypted": False}
    languages = _ocr_pages(data, fmt, None, list(range(total)), settings, pages, tick)
    if languages:
        metadata["ocr_languages"] = languages
    return Document([p for p in pages if p is not None], metadata)
