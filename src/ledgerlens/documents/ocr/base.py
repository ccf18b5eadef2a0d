"""The one interface every OCR engine implements: an upright grayscale page in, words out."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
import numpy.typing as npt

from ledgerlens.documents.model import BBox, Word, WordSource

GrayImage = npt.NDArray[np.uint8]
"""2-D uint8 array, 0 = black ink, 255 = white paper."""


class OcrEngine(ABC):
    name: WordSource
    reads_light_on_dark: bool = True
    """False: light text on dark bands is turned dark on light before this engine reads the page
    (`documents/darkbands.py`)."""

    @abstractmethod
    def recognize(self, image: GrayImage, timeout: float | None = None) -> list[Word]:
        """Words with boxes as fractions of the image (origin top left) and confidences 0-1.

        Raises DocumentError(TIMEOUT) when the engine runs past `timeout` seconds (where it can be
        enforced) and DocumentError(LIMIT_EXCEEDED) when it runs out of memory.
        """


def pixel_box(x0: float, y0: float, x1: float, y1: float, width: int, height: int) -> BBox:
    """Pixel rectangle -> fractions of the image, clamped to the page."""
    w, h = max(width, 1), max(height, 1)
    return (
        min(max(x0 / w, 0.0), 1.0),
        min(max(y0 / h, 0.0), 1.0),
        min(max(x1 / w, 0.0), 1.0),
        min(max(y1 / h, 0.0), 1.0),
    )


def pixel_corners(word: Word, width: int, height: int) -> tuple[int, int, int, int]:
    """A word's box in pixels of a `width` x `height` image (the inverse of `pixel_box`)."""
    return (
        round(word.x0 * width),
        round(word.y0 * height),
        round(word.x1 * width),
        round(word.y1 * height),
    )
