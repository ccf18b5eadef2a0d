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
    words = sorted((w for w in page.words if w.text.strip()), key=lambda w: (w.cy, w.x0))
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
            lines.append(Line(sorted(current, key=lambda x: x.x0), page.number))
        current = [w]
        top, bottom = w.y0, w.y1
    if current:
        lines.append(Line(sorted(current, key=lambda x: x.x0), page.number))
    return lines
