"""Resource limits shared by probing, rendering and OCR, each failing with LIMIT_EXCEEDED."""

from __future__ import annotations

import resource

from ledgerlens.config import Settings
from ledgerlens.errors import DocumentError, ErrorCode


def check_pages(page_count: int, settings: Settings) -> None:
    if page_count > settings.max_pages:
        raise DocumentError(
            ErrorCode.LIMIT_EXCEEDED,
            f"The document has {page_count} pages; the limit is {settings.max_pages}.",
        )


def check_pixels(width: int, height: int, settings: Settings) -> None:
    """Reject an image by its header dimensions, before any pixel is decoded (decompression bombs)."""
    if width <= 0 or height <= 0:
        raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "The image has no pixels.")
    if width * height > settings.max_pixels:
        raise DocumentError(
            ErrorCode.LIMIT_EXCEEDED,
            f"The image is {width}x{height} pixels ({width * height / 1e6:.0f} MP); "
            f"the limit is {settings.max_pixels / 1e6:.0f} MP.",
        )


def render_scale(width_pt: float, height_pt: float, dpi: int, settings: Settings) -> float:
    """Pixels per point for rendering at `dpi`, reduced so the raster stays under max_pixels."""
    scale = dpi / 72.0
    pixels = width_pt * height_pt * scale * scale
    if pixels > settings.max_pixels:
        scale *= (settings.max_pixels / pixels) ** 0.5
    return max(scale, 1e-3)


def apply_memory_limit(max_memory_mb: int) -> None:
    """Cap this process's address space; used in OCR child processes so one page cannot eat the host."""
    if max_memory_mb <= 0:
        return
    limit = max_memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
