"""The one model every extractor reads: pages of words with boxes.

Boxes are fractions (0-1) of the page's width and height with the origin at the top left, so
extractors never care whether a page came from a PDF text layer or from OCR of a 300-DPI scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BBox = tuple[float, float, float, float]
"""(x0, y0, x1, y1) as fractions of page width/height, origin top left, x0 <= x1, y0 <= y1."""

WordSource = Literal["text_layer", "tesseract", "rapidocr"]


@dataclass(slots=True)
class Word:
    text: str
    bbox: BBox
    confidence: float = 1.0
    source: WordSource = "text_layer"

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def y0(self) -> float:
        return self.bbox[1]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def y1(self) -> float:
        return self.bbox[3]

    @property
    def cx(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def cy(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


@dataclass(slots=True)
class Page:
    number: int
    """1-based."""
    width: float
    """Width in PDF points (1/72 inch) as displayed, i.e. after rotation."""
    height: float
    rotation: int = 0
    """Rotation applied to bring the page upright (0, 90, 180, 270)."""
    words: list[Word] = field(default_factory=list)
    source: str = "text_layer"
    """Where the words came from: "text_layer", "tesseract", "rapidocr" or "empty"."""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(slots=True)
class Document:
    pages: list[Page] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    """format ("pdf", "jpeg", ...), page_count, encrypted, producer, ... as known."""

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)
