"""Words -> lines: rows of words that share a baseline, left to right.

Statement and invoice extractors both start here, so this stays geometric and fast: one sort by
vertical centre, then a sweep that joins words whose vertical extents overlap enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledgerlens.documents.model import BBox, Page, Word


@dataclass(slots=True)
class Line:
    words: list[Word] = field(default_factory=list)
    page: int = 1
    _bbox: BBox | None = field(default=None, repr=False, compare=False)
    _count: int = field(default=-1, repr=False, compare=False)
    _text: str | None = field(default=None, repr=False, compare=False)
    _text_words: list[Word] | None = field(default=None, repr=False, compare=False)
    _text_count: int = field(default=-1, repr=False, compare=False)

    @property
    def bbox(self) -> BBox:
        # Cached; recomputed if words were added since (lines are built once, read many times).
        if self._bbox is None or self._count != len(self.words):
            ws = self.words
            x0s, y0s, x1s, y1s = zip(*[w.bbox for w in ws], strict=True)
            self._bbox = (min(x0s), min(y0s), max(x1s), max(y1s))
            self._count = len(ws)
        return self._bbox

    @property
    def text(self) -> str:
        # Cached like bbox (extractors read every line's text several times).
        ws = self.words
        if self._text is None or self._text_words is not ws or self._text_count != len(ws):
            self._text = " ".join([w.text for w in ws])
            self._text_words = ws
            self._text_count = len(ws)
        return self._text

    @property
    def cy(self) -> float:
        return sum([(w.bbox[1] + w.bbox[3]) / 2 for w in self.words]) / len(self.words)

    @property
    def height(self) -> float:
        return max(w.y1 for w in self.words) - min(w.y0 for w in self.words)


def group_lines(page: Page, overlap: float = 0.5) -> list[Line]:
    """Group a page's words into lines, top to bottom, each line left to right.

    Two words share a line when their vertical overlap is at least `overlap` of the smaller height.
    """
    all_words = [w for w in page.words if w.text.strip()]
    if not all_words:
        return []
    word_heights = [w.bbox[3] - w.bbox[1] for w in all_words]
    heights = sorted(word_heights)
    typical = heights[len(heights) // 2]
    # Letterhead/logo words several lines tall would swallow the small lines beside them: they form
    # lines of their own.
    # (OCR boxes vary too much in height for this; only text-layer words are split off.)
    limit = 1.8 * typical
    tall: list[Word] = []
    normal: list[Word] = []
    for w, h in zip(all_words, word_heights, strict=True):
        (tall if h > limit and w.source == "text_layer" else normal).append(w)
    lines = _sweep(normal, page.number, overlap, 0.0)
    # Scans keep a little skew after deskewing: long rows then drift across several baselines.
    slope = _residual_slope(lines)
    if abs(slope) > 0.001:
        lines = _sweep(normal, page.number, overlap, slope)
    for tall_line in _sweep(tall, page.number, overlap, 0.0):
        # A tall word beside exactly one normal line (a larger font in the same row) joins it; one
        # spanning several lines (a logo) stays a line of its own.
        t0, t1 = tall_line.bbox[1], tall_line.bbox[3]
        hits = [
            ln
            for ln in lines
            if min(t1, ln.bbox[3]) - max(t0, ln.bbox[1]) >= overlap * min(t1 - t0, ln.bbox[3] - ln.bbox[1])
        ]
        if len(hits) == 1:
            hits[0].words = sorted(hits[0].words + tall_line.words, key=lambda x: x.x0)
        else:
            lines.append(tall_line)
    lines.sort(key=lambda ln: (ln.cy, ln.bbox[0]))
    return lines


def _residual_slope(lines: list[Line]) -> float:
    """Median slope (dy/dx of word centres) over long lines; 0 when there is too little evidence."""
    slopes: list[float] = []
    for ln in lines:
        ws = ln.words
        n = len(ws)
        if n < 4:
            continue
        xs = [(b[0] + b[2]) / 2 for b in (w.bbox for w in ws)]
        if xs[-1] - xs[0] < 0.3:
            continue
        ys = [(w.bbox[1] + w.bbox[3]) / 2 for w in ws]
        mx = sum(xs) / n
        my = sum(ys) / n
        sxx = sum((x - mx) ** 2 for x in xs)
        if sxx > 0:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx)
    if len(slopes) < 3:
        return 0.0
    slopes.sort()
    return slopes[len(slopes) // 2]


def _sweep(items: list[Word], page_number: int, overlap: float, slope: float) -> list[Line]:
    """Sweep words top to bottom by vertical centre, corrected by `slope` (dy per unit x)."""
    # (sort key, shifted top, shifted bottom, height, word), computed once per word.
    keyed: list[tuple[float, float, float, float, float, Word]] = []
    for w in items:
        x0, y0, x1, y1 = w.bbox
        shift = slope * ((x0 + x1) / 2)
        keyed.append(((y0 + y1) / 2 - shift, x0, y0 - shift, y1 - shift, y1 - y0, w))
    keyed.sort(key=lambda k: (k[0], k[1]))
    lines: list[Line] = []
    current: list[Word] = []
    top = bottom = 0.0
    for _key, _x0, y0, y1, height, w in keyed:
        if current:
            # min/max spelled out: this loop runs for every word of every page.
            inter = (bottom if bottom <= y1 else y1) - (top if top >= y0 else y0)
            span = bottom - top
            smaller = (span if span <= height else height) or 1e-9
            if inter / smaller >= overlap:
                current.append(w)
                if y0 < top:
                    top = y0
                if y1 > bottom:
                    bottom = y1
                continue
            lines.append(Line(sorted(current, key=_left), page_number))
        current = [w]
        top, bottom = y0, y1
    if current:
        lines.append(Line(sorted(current, key=_left), page_number))
    return lines


def _left(w: Word) -> float:
    return w.bbox[0]
