"""PDF text layer -> words with boxes, fast (raw pdfium calls, one pass over the page's chars).

Boxes are turned into fractions of the page *as displayed* (after /Rotate), so extractors see an
upright page. Text nobody can see (render mode 3/7 outside an OCR layer, white fill, outside the
crop box) is not content: it is how statements hide tracking codes and how forgers hide edits.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ledgerlens.documents.model import BBox, Page, Word
from ledgerlens.errors import DocumentError, ErrorCode

_SPLIT_CHARS = frozenset(
    " \t\r\n\x0b\x0c\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u3000"
)
_SPLIT_CODES = np.array(sorted(ord(ch) for ch in _SPLIT_CHARS), dtype=np.uint32)
GAP_SPLIT = 0.2
"""A horizontal gap wider than this fraction of the char box height splits words (~0.8x a space)."""

_INVISIBLE_MODES = (3, 7)  # FPDF_TEXTRENDERMODE_INVISIBLE, _CLIP


def _plain(function: Any, restype: Any, *argtypes: Any) -> Any:
    """A pdfium function taking and returning plain addresses and ints.

    pypdfium2's typed bindings convert pointers and structs on every call; in the loops below (one
    call per char, several per page object) that conversion cost as much as pdfium's own work.
    """
    address = ctypes.cast(function, ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_P, _I = ctypes.c_void_p, ctypes.c_int
_LOOSE_CHAR_BOX = _plain(pdfium_c.FPDFText_GetLooseCharBox, _I, _P, _I, _P)
"""Writes each char's FS_RECTF (left, top, right, bottom as float32) straight into a numpy row."""
_GET_OBJECT = _plain(pdfium_c.FPDFPage_GetObject, _P, _P, _I)
_OBJECT_TYPE = _plain(pdfium_c.FPDFPageObj_GetType, _I, _P)
_RENDER_MODE = _plain(pdfium_c.FPDFTextObj_GetTextRenderMode, _I, _P)
_FILL_COLOR = _plain(pdfium_c.FPDFPageObj_GetFillColor, _I, _P, _P, _P, _P, _P)
_BOUNDS = _plain(pdfium_c.FPDFPageObj_GetBounds, _I, _P, _P, _P, _P, _P)
_DRAW_MODE = _plain(pdfium_c.FPDFPath_GetDrawMode, _I, _P, _P, _P)
assert ctypes.sizeof(pdfium_c.FS_RECTF) == 16


def _bad_char(ch: str) -> bool:
    """A glyph without a usable Unicode value: replacement char, private use, control."""
    o = ord(ch)
    if ch == "\ufffd" or 0xE000 <= o <= 0xF8FF or o >= 0xF0000:
        return True
    return o < 32 and ch not in "\t\r\n"


@dataclass(slots=True)
class TextLayerStats:
    """What the text layer of one page looks like, for deciding whether to OCR it instead."""

    visible_chars: int = 0
    bad_chars: int = 0
    invisible_chars: int = 0
    """Chars in render mode 3 (typical OCR layer of a scanned PDF)."""
    hidden_dropped: int = 0
    """White-on-white or out-of-crop chars that were dropped."""
    image_coverage: float = 0.0
    """Share of the page area covered by image objects (1.0 = a full-page scan)."""
    path_objects: int = 0
    invisible_words: list[Word] = field(default_factory=list)


@dataclass(slots=True)
class PageText:
    page: Page
    stats: TextLayerStats


@contextmanager
def open_pdf(data: bytes, password: str | None = None) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF, mapping pdfium's failures to API error codes; always closed on exit."""
    try:
        pdf = pdfium.PdfDocument(data, password=password or None)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            if password:
                raise DocumentError(
                    ErrorCode.PASSWORD_REQUIRED, "The password for this PDF is wrong."
                ) from None
            raise DocumentError(
                ErrorCode.PASSWORD_REQUIRED, "This PDF is encrypted; send its password."
            ) from None
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise DocumentError(
                ErrorCode.UNSUPPORTED_FORMAT, "This PDF uses an unsupported security handler."
            ) from None
        raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "The PDF is damaged and cannot be read.") from None
    try:
        yield pdf
    finally:
        pdf.close()


def is_encrypted(pdf: pdfium.PdfDocument) -> bool:
    return int(pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw)) != -1


def _damaged_page(index: int, count: int) -> DocumentError:
    return DocumentError(
        ErrorCode.CORRUPT_DOCUMENT,
        f"The PDF is damaged: page {index + 1} of {count} cannot be found in its page tree.",
    )


def check_page_tree(pdf: pdfium.PdfDocument, count: int) -> None:
    """Every page the tree announces can be found, before any is parsed or rendered.

    pdfium takes the page count from /Count and looks a page up only when asked for it, so a
    lying /Count, a missing or broken /Kids entry or a "page" that is not a dictionary opens
    fine and fails later. Looking up each page's size walks the tree without parsing content
    (microseconds a page).
    """
    size = pdfium_c.FS_SIZEF()
    for index in range(count):
        if not pdfium_c.FPDF_GetPageSizeByIndexF(pdf.raw, index, ctypes.byref(size)):
            raise _damaged_page(index, count)


def load_page(pdf: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """`pdf[index]`, with a page that cannot be loaded reported as CORRUPT_DOCUMENT."""
    try:
        return pdf[index]
    except pdfium.PdfiumError:
        raise _damaged_page(index, len(pdf)) from None


def _page_objects(page: pdfium.PdfPage, stats: TextLayerStats) -> tuple[set[int], set[int]]:
    """Scan top-level page objects: (hidden white text objects, invisible text objects); fills stats.

    White text counts as hidden only when no dark fill or image lies under it (white headings on a
    coloured banner are content).
    """
    raw = ctypes.cast(page.raw, ctypes.c_void_p).value
    white: list[tuple[int, float, float]] = []
    invisible: set[int] = set()
    backgrounds: list[tuple[float, float, float, float]] = []
    floats = (ctypes.c_float * 4)()
    colour = (ctypes.c_uint * 4)()
    modes = (ctypes.c_int * 2)()
    at_f, at_c, at_m = ctypes.addressof(floats), ctypes.addressof(colour), ctypes.addressof(modes)
    fl, fb, fr, ft = at_f, at_f + 4, at_f + 8, at_f + 12
    cr, cg, cb, ca = at_c, at_c + 4, at_c + 8, at_c + 12
    pw, ph = page.get_size()
    page_area = max(pw * ph, 1.0)
    image_area = 0.0
    text_kind, image_kind, path_kind = (
        pdfium_c.FPDF_PAGEOBJ_TEXT,
        pdfium_c.FPDF_PAGEOBJ_IMAGE,
        pdfium_c.FPDF_PAGEOBJ_PATH,
    )
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = _GET_OBJECT(raw, i)
        if not obj:
            continue
        kind = _OBJECT_TYPE(obj)
        if kind == text_kind:
            mode = _RENDER_MODE(obj)
            if mode in _INVISIBLE_MODES:
                invisible.add(obj)
            elif (
                mode in (0, 4)
                and _FILL_COLOR(obj, cr, cg, cb, ca)
                and ((colour[0] > 245 and colour[1] > 245 and colour[2] > 245) or colour[3] == 0)
                and _BOUNDS(obj, fl, fb, fr, ft)
            ):
                white.append((obj, (floats[0] + floats[2]) / 2, (floats[3] + floats[1]) / 2))
        elif kind == image_kind:
            if _BOUNDS(obj, fl, fb, fr, ft):
                left, bottom, right, top = floats
                image_area += max(0.0, right - left) * max(0.0, top - bottom)
                backgrounds.append((left, bottom, right, top))
        elif kind == path_kind:
            stats.path_objects += 1
            if (
                _DRAW_MODE(obj, at_m, at_m + 4)
                and modes[0] != 0
                and _FILL_COLOR(obj, cr, cg, cb, ca)
                and colour[3] > 0
                and (colour[0] + colour[1] + colour[2]) < 600
                and _BOUNDS(obj, fl, fb, fr, ft)
            ):
                backgrounds.append(tuple(floats))  # type: ignore[arg-type]
    stats.image_coverage = min(1.0, image_area / page_area)
    hidden_white = {
        addr
        for addr, cx, cy in white
        if not any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in backgrounds)
    }
    return hidden_white, invisible


class _Frame:
    """Maps PDF user-space points to fractions of the displayed (rotated, cropped) page."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        x0, y0, x1, y1 = page.get_cropbox()
        self.x0: float = float(x0)
        self.y0: float = float(y0)
        self.w: float = max(float(x1) - self.x0, 1e-6)
        self.h: float = max(float(y1) - self.y0, 1e-6)
        self.rotation = int(page.get_rotation()) % 360

    def boxes(
        self,
        left: npt.NDArray[np.float64],
        top: npt.NDArray[np.float64],
        right: npt.NDArray[np.float64],
        bottom: npt.NDArray[np.float64],
    ) -> list[BBox]:
        """PDF user-space boxes of many words -> upright 0-1 page fractions, clipped to the page."""
        u0 = (left - self.x0) / self.w
        u1 = (right - self.x0) / self.w
        v0 = 1.0 - (top - self.y0) / self.h
        v1 = 1.0 - (bottom - self.y0) / self.h
        if self.rotation == 90:
            u0, v0, u1, v1 = 1.0 - v1, u0, 1.0 - v0, u1
        elif self.rotation == 180:
            u0, v0, u1, v1 = 1.0 - u1, 1.0 - v1, 1.0 - u0, 1.0 - v0
        elif self.rotation == 270:
            u0, v0, u1, v1 = v0, 1.0 - u1, v1, 1.0 - u0
        stacked = np.clip(np.stack([u0, v0, u1, v1], axis=1), 0.0, 1.0)
        return [(a, b, c, d) for a, b, c, d in stacked.tolist()]


_BAD = re.compile("[\x00-\x08\x0e-\x1f\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")


def normalize_text(text: str) -> str:
    """NFKC (ligatures, full-width digits, odd compatibility forms) and no soft hyphens/control chars."""
    if text.isascii() and text.isprintable():
        return text
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch != "\u00ad" and not _bad_char(ch) and ch not in _SPLIT_CHARS)


def _row_key(w: Word) -> tuple[float, float]:
    return (w.bbox[1] + w.bbox[3], w.bbox[0])


def _left(w: Word) -> float:
    return w.bbox[0]


def reading_order(words: list[Word]) -> list[Word]:
    """Lines top to bottom (words whose vertical extents overlap by half join a line), each left to right.

    A light version of layout.lines.group_lines, run on every page of every PDF, so kept cheap
    (comparisons inline rather than min()/max() calls: this loop runs once per word).
    """
    out: list[Word] = []
    line: list[Word] = []
    top = bottom = 0.0
    for w in sorted(words, key=_row_key):
        y0, y1 = w.bbox[1], w.bbox[3]
        if line:
            low = bottom if bottom < y1 else y1
            high = top if top > y0 else y0
            h_line, h_word = bottom - top, y1 - y0
            shorter = h_line if h_line < h_word else h_word
            if low - high >= 0.5 * (shorter or 1e-9):
                line.append(w)
                if y0 < top:
                    top = y0
                if y1 > bottom:
                    bottom = y1
                continue
            line.sort(key=_left)
            out.extend(line)
        line = [w]
        top, bottom = y0, y1
    line.sort(key=_left)
    out.extend(line)
    return out


def _word_breaks(box: npt.NDArray[np.float64], kinds: npt.NDArray[np.int8]) -> npt.NDArray[np.bool_]:
    """For consecutive kept chars (rows of `box`: left, top, right, bottom), True where a new word starts."""
    left, top, right, bottom = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    pl, pt, pr, pb = left[:-1], top[:-1], right[:-1], bottom[:-1]
    nl, nt, nr, nb = left[1:], top[1:], right[1:], bottom[1:]
    ph, nh = pt - pb, nt - nb
    overlap = np.minimum(pt, nt) - np.maximum(pb, nb)
    same_line = overlap >= 0.5 * np.minimum(ph, nh)
    height = np.maximum(np.maximum(ph, nh), 1e-3)
    gap = nl - pr
    horizontal_split = (gap > GAP_SPLIT * height) | (gap < -height)
    # rotated text stacks its chars vertically: same column, adjacent rows
    width = np.maximum(np.maximum(pr - pl, nr - nl), 1e-3)
    h_overlap = np.minimum(pr, nr) - np.maximum(pl, nl)
    v_gap = np.maximum(nb - pt, pb - nt)
    vertical_split = (h_overlap < 0.5 * width) | (v_gap > GAP_SPLIT * width)
    split = np.where(same_line, horizontal_split, vertical_split)
    result: npt.NDArray[np.bool_] = split | (kinds[1:] != kinds[:-1])
    return result


def extract_page_text(page: pdfium.PdfPage, number: int) -> PageText:
    """Words of one page's text layer (visible text only) plus stats for the OCR decision.

    One ctypes call per non-space char (its loose box: font-height tall, advance-width wide, so
    gaps mean what a reader sees); everything else is vectorised.
    """
    stats = TextLayerStats()
    frame = _Frame(page)
    pw, ph = page.get_size()
    result = Page(
        number=number, width=float(pw), height=float(ph), rotation=frame.rotation, source="text_layer"
    )
    white, invisible = _page_objects(page, stats)
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        n = pdfium_c.FPDFText_CountChars(tp)
        if n <= 0:
            return PageText(result, stats)
        buf = ctypes.create_string_buffer((n + 1) * 2)
        pdfium_c.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        text = buf.raw[: n * 2].decode("utf-16-le", errors="replace")
        if len(text) != n:  # surrogate pairs: fall back to one char per index
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i) or 0xFFFD) for i in range(n))
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        index = np.flatnonzero(~np.isin(codes, _SPLIT_CODES))
        idx: list[int] = index.tolist()
        if not idx:
            return PageText(result, stats)
        rects = np.zeros((len(idx), 4), dtype=np.float32)
        base = rects.ctypes.data
        tp_address = ctypes.cast(tp, ctypes.c_void_p).value
        get_box = _LOOSE_CHAR_BOX
        for j, i in enumerate(idx):
            get_box(tp_address, i, base + 16 * j)
        box = rects.astype(np.float64)
        top = np.maximum(box[:, 1], box[:, 3])
        bottom = np.minimum(box[:, 1], box[:, 3])
        box[:, 1], box[:, 3] = top, bottom
        cx = (box[:, 0] + box[:, 2]) / 2
        cy = (top + bottom) / 2
        keep = (cx >= frame.x0) & (cx <= frame.x0 + frame.w) & (cy >= frame.y0) & (cy <= frame.y0 + frame.h)
        kinds = np.zeros(len(idx), dtype=np.int8)
        if white or invisible:
            for j, i in enumerate(idx):
                addr = ctypes.cast(pdfium_c.FPDFText_GetTextObject(tp, i), ctypes.c_void_p).value or 0
                if addr in white:
                    keep[j] = False
                elif addr in invisible:
                    kinds[j] = 1
        stats.hidden_dropped = int((~keep).sum())
        index, box, kinds = index[keep], box[keep], kinds[keep]
        if index.size == 0:
            return PageText(result, stats)
        starts_mask = np.ones(index.size, dtype=np.bool_)
        starts_mask[1:] = (index[1:] != index[:-1] + 1) | _word_breaks(box, kinds)
        starts = np.flatnonzero(starts_mask)
        ends = np.append(starts[1:], index.size)
        boxes = frame.boxes(
            np.minimum.reduceat(box[:, 0], starts),
            np.maximum.reduceat(box[:, 1], starts),
            np.maximum.reduceat(box[:, 2], starts),
            np.minimum.reduceat(box[:, 3], starts),
        )
        kind_of = kinds[starts].tolist()
        first = index[starts].tolist()
        last = index[ends - 1].tolist()
        visible: list[Word] = []
        hidden_layer: list[Word] = []
        n_invisible = int(kinds.sum())
        stats.invisible_chars = n_invisible
        stats.visible_chars = int(index.size) - n_invisible
        for k in range(len(first)):
            raw_text = text[first[k] : last[k] + 1]
            if not (raw_text.isascii() and raw_text.isprintable()):
                stats.bad_chars += len(_BAD.findall(raw_text))
                raw_text = normalize_text(raw_text)
                if not raw_text:
                    continue
            w = Word(raw_text, boxes[k], 1.0, "text_layer")
            (hidden_layer if kind_of[k] else visible).append(w)
    finally:
        textpage.close()
    result.words = visible
    result.words = reading_order(result.words)
    stats.invisible_words = hidden_layer
    return PageText(result, stats)


_TOKEN_OK = re.compile(r"^[\w€$£¥%&@#+\-–.,:;/()'\"*]+$")


def text_quality(words: list[Word]) -> float:
    """Share (0-1) of tokens that look like real text: mostly letters/digits, few stray symbols.

    Used on invisible OCR layers, which are often garbage from a poor engine.
    """
    if not words:
        return 0.0
    good = 0
    for w in words:
        t = w.text
        alnum = sum(ch.isalnum() for ch in t)
        if _TOKEN_OK.match(t) and alnum >= max(1, len(t) // 2) and len(t) <= 40:
            good += 1
    return good / len(words)


def first_pages_text(data: bytes, max_pages: int = 2) -> str:
    """Cheap text-layer text of the first pages for the classifier; '' when unreadable or image-only."""
    try:
        with open_pdf(data) as pdf:
            parts: list[str] = []
            for i in range(min(max_pages, len(pdf))):
                page = load_page(pdf, i)
                try:
                    textpage = page.get_textpage()
                    try:
                        parts.append(textpage.get_text_range())
                    finally:
                        textpage.close()
                finally:
                    page.close()
            return unicodedata.normalize("NFKC", "\n".join(parts)).replace("\r\n", "\n").strip()
    except DocumentError:
        return ""


def embedded_files(data: bytes, password: str | None = None) -> list[tuple[str, bytes]]:
    """(name, content) of every file attached to the PDF (e.g. ZUGFeRD/Factur-X XML); [] if none."""
    out: list[tuple[str, bytes]] = []
    with open_pdf(data, password) as pdf:
        count = pdfium_c.FPDFDoc_GetAttachmentCount(pdf.raw)
        for i in range(max(count, 0)):
            att = pdfium_c.FPDFDoc_GetAttachment(pdf.raw, i)
            if not att:
                continue
            name_len = pdfium_c.FPDFAttachment_GetName(att, None, 0)
            name = ""
            if name_len > 0:
                name_buf = ctypes.create_string_buffer(name_len)
                pdfium_c.FPDFAttachment_GetName(
                    att, ctypes.cast(name_buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), name_len
                )
                name = name_buf.raw[: name_len - 2].decode("utf-16-le", errors="replace")
            size = ctypes.c_ulong()
            if not pdfium_c.FPDFAttachment_GetFile(att, None, 0, size) or size.value <= 0:
                continue
            content = ctypes.create_string_buffer(size.value)
            if pdfium_c.FPDFAttachment_GetFile(att, content, size.value, size):
                out.append((name, content.raw[: size.value]))
    return out
