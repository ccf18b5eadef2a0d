"""Image inputs (JPEG, PNG, TIFF incl. multi-page, WEBP): size checked from the header before decoding."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ledgerlens.config import Settings
from ledgerlens.documents.limits import check_pages, check_pixels
from ledgerlens.documents.ocr.base import GrayImage
from ledgerlens.errors import DocumentError, ErrorCode

DEFAULT_DPI = 300.0


def apply_pixel_limit(settings: Settings) -> None:
    """Make Pillow's own bomb guard follow `max_pixels` (LEDGERLENS_MAX_PIXELS).

    Pillow checks `Image.MAX_IMAGE_PIXELS` (89.5 MP unless set) when it opens an image and when
    some formats seek to or load a frame: a warning above it, DecompressionBombError above twice
    it. Left at its default it was the real cut-off, whatever the setting said. It is a process
    global, so every place that opens user images sets it from the settings first.
    """
    Image.MAX_IMAGE_PIXELS = settings.max_pixels


def _too_many_pixels(settings: Settings) -> DocumentError:
    return DocumentError(
        ErrorCode.LIMIT_EXCEEDED,
        f"The image has too many pixels; the limit is {settings.max_pixels / 1e6:.0f} MP.",
    )


@contextmanager
def open_image(data: bytes, settings: Settings) -> Iterator[Image.Image]:
    """Open lazily (header only) and enforce the pixel limit before any decoding happens."""
    apply_pixel_limit(settings)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(settings) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "The image is damaged and cannot be read.") from exc
    try:
        check_pixels(img.width, img.height, settings)
        yield img
    finally:
        img.close()


def frame_count(img: Image.Image) -> int:
    return int(getattr(img, "n_frames", 1) or 1)


def image_page_count(data: bytes, settings: Settings) -> int:
    with open_image(data, settings) as img:
        n = frame_count(img)
        check_pages(n, settings)
        for i in range(1, n):
            _seek(img, i, settings)
            check_pixels(img.width, img.height, settings)
        return n


def _seek(img: Image.Image, index: int, settings: Settings) -> None:
    try:
        img.seek(index)
    except Image.DecompressionBombError:
        raise _too_many_pixels(settings) from None
    except (EOFError, OSError, ValueError) as exc:
        raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "A page of the image cannot be read.") from exc


def decode_frame(data: bytes, index: int, settings: Settings) -> tuple[GrayImage, float]:
    """(upright grayscale pixels of frame `index`, its DPI) with EXIF orientation applied."""
    with open_image(data, settings) as img:
        if index:
            _seek(img, index, settings)
            check_pixels(img.width, img.height, settings)
        dpi_info = img.info.get("dpi")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if index == 0:  # turned where it lies: a copy of a 12 MP page costs ~50 ms
                    ImageOps.exif_transpose(img, in_place=True)
                frame = img
                if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
                    background = Image.new("RGBA", frame.size, (255, 255, 255, 255))
                    frame = Image.alpha_composite(background, frame.convert("RGBA"))
                gray = np.asarray(frame.convert("L"), dtype=np.uint8)
        except Image.DecompressionBombError:
            raise _too_many_pixels(settings) from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise DocumentError(
                ErrorCode.CORRUPT_DOCUMENT, "The image is damaged and cannot be read."
            ) from exc
    dpi = DEFAULT_DPI
    if isinstance(dpi_info, tuple) and dpi_info and 50 <= float(dpi_info[0]) <= 2400:
        dpi = float(dpi_info[0])
    return np.ascontiguousarray(gray), dpi
