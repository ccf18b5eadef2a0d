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

    @property
    def bbox(self) -> BBox:
        return (
            min(w.x0 for w in self.words),
            min(w.y0 for w in self.words),
            max(w.x1 for w in self.words),
            max(w.y1 for w in self.words),
        )

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def cy(self) -> float:
        return sum(w.cy for w in self.words) / len(self.words)

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
    heights = sorted(w.height for w in all_words)
    typical = heights[len(heights) // 2]
    # Letterhead/logo words several lines tall would swallow the small lines beside them: they form
    # lines of their own.
    tall = [w for w in all_words if w.height > 1.8 * typical]
    normal = [w for w in all_words if w.height <= 1.8 * typical]
    lines = _sweep(normal, page.number, overlap) + _sweep(tall, page.number, overlap)
    lines.sort(key=lambda ln: (ln.cy, ln.bbox[0]))
    return lines


def _sweep(items: list[Word], page_number: int, overlap: float) -> list[Line]:
    words = sorted(items, key=lambda w: (w.cy, w.x0))
    lines: list[Line] = []
    current: list[Word] = []
    top = bottom = 0.0
    for w in words:
        if current:
            inter = min(bottom, w.y1) - max(top, w.y0)
            smaller = min(bottom - top, w.height) or 1e-9
            if inter / smaller >= overlap:
                current.append(w)
                top, bottom = min(top, w.y0), max(bottom, w.y1)
                continue
            lines.append(Line(sorted(current, key=lambda x: x.x0), page_number))
        current = [w]
        top, bottom = w.y0, w.y1
    if current:
        lines.append(Line(sorted(current, key=lambda x: x.x0), page_number))
    return lines
