"""Turn generated PDFs into realistic scans: rasterise, degrade, and re-wrap as image-only files.

Everything is deterministic for a given seed so a failing test can be replayed exactly.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter


def render_pdf_page(pdf_bytes: bytes, page_index: int = 0, dpi: int = 300) -> Image.Image:
    """Rasterise one page in greyscale-free RGB, like a flatbed scanner would see it."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        page = pdf[page_index]
        bitmap = page.render(scale=dpi / 72.0)
        img: Image.Image = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        pdf.close()
    img.info["dpi"] = (dpi, dpi)
    return img


def page_count(pdf_bytes: bytes) -> int:
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_pdf(pdf_bytes: bytes, dpi: int = 300) -> list[Image.Image]:
    return [render_pdf_page(pdf_bytes, i, dpi) for i in range(page_count(pdf_bytes))]


def degrade(
    img: Image.Image,
    *,
    seed: int,
    noise: float = 8.0,
    blur: float = 0.6,
    skew_deg: float = 0.8,
    jpeg_quality: int | None = 70,
    rotate: int = 0,
    speckles: int = 0,
) -> Image.Image:
    """Simulate a mediocre office scan.

    noise: std-dev of gaussian noise in grey levels; blur: gaussian radius in pixels; skew_deg: the
    page is rotated by a random angle in [-skew_deg, skew_deg] (white fill); jpeg_quality: JPEG
    round-trip (None to skip); rotate: 0/90/180/270 counter-clockwise, as a page fed sideways;
    speckles: number of dark dust specks.
    """
    if rotate not in (0, 90, 180, 270):
        raise ValueError("rotate must be 0, 90, 180 or 270")
    rng = np.random.default_rng(seed)
    out = img.convert("RGB")
    if blur > 0:
        out = out.filter(ImageFilter.GaussianBlur(radius=blur))
    if skew_deg:
        angle = float(rng.uniform(-abs(skew_deg), abs(skew_deg)))
        out = out.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    arr = np.asarray(out, dtype=np.float32)
    if noise > 0:
        # Scanner noise is mostly luminance noise: same offset on all channels.
        grain = rng.normal(0.0, noise, size=arr.shape[:2]).astype(np.float32)
        arr = arr + grain[:, :, None]
    if speckles > 0:
        h, w = arr.shape[:2]
        ys = rng.integers(0, h, size=speckles)
        xs = rng.integers(0, w, size=speckles)
        for y, x in zip(ys, xs, strict=True):
            r = int(rng.integers(1, 3))
            arr[max(0, y - r) : y + r, max(0, x - r) : x + r, :] = float(rng.uniform(40, 120))
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    out = Image.fromarray(arr, mode="RGB")
    if jpeg_quality is not None:
        buf = io.BytesIO()
        out.save(buf, format="JPEG", quality=int(jpeg_quality))
        buf.seek(0)
        out = Image.open(buf).convert("RGB")
    if rotate:
        out = out.rotate(rotate, expand=True)
    dpi = img.info.get("dpi")
    if dpi:
        out.info["dpi"] = dpi
    return out


def photo(
    img: Image.Image,
    *,
    seed: int,
    tilt: float = 0.05,
    rotation_deg: float = 4.0,
    lighting: float = 0.3,
    background: tuple[int, int, int] = (96, 84, 72),
    margin: float = 0.08,
    blur: float = 0.7,
    noise: float = 4.0,
    jpeg_quality: int | None = 80,
) -> Image.Image:
    """Simulate a phone photo of a printed page: the page lies on a desk (background colour around it),
    seen under a perspective (corners moved by up to tilt x page size), turned by up to rotation_deg,
    lit unevenly (up to lighting darkening away from a light spot), slightly soft and noisy."""
    import cv2  # local: only photo simulation needs OpenCV

    rng = np.random.default_rng(seed)
    page = np.asarray(img.convert("RGB"), dtype=np.uint8)
    h, w = page.shape[:2]
    out_w, out_h = int(w * (1 + 2 * margin)), int(h * (1 + 2 * margin))
    cx, cy = out_w / 2, out_h / 2
    angle = np.deg2rad(rng.uniform(-rotation_deg, rotation_deg))
    cos_a, sin_a = np.cos(angle), np.sin(angle)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    dst = []
    for x, y in src:
        dx = x - w / 2 + rng.uniform(-tilt, tilt) * w
        dy = y - h / 2 + rng.uniform(-tilt, tilt) * h
        dst.append([cx + dx * cos_a - dy * sin_a, cy + dx * sin_a + dy * cos_a])
    matrix = cv2.getPerspectiveTransform(src, np.array(dst, dtype=np.float32))
    warped = cv2.warpPerspective(
        page,
        matrix,
        (out_w, out_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=tuple(int(v) for v in background),
    )
    arr = warped.astype(np.float32)
    if lighting > 0:
        ly, lx = rng.uniform(0, out_h), rng.uniform(0, out_w)
        yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
        dist = np.sqrt((yy - ly) ** 2 + (xx - lx) ** 2) / np.hypot(out_w, out_h)
        arr *= (1.0 - lighting * dist)[:, :, None]
        arr *= np.array([1.0, 0.98, 0.93], dtype=np.float32)  # warm indoor light
    if noise > 0:
        arr += np.asarray(rng.normal(0.0, noise, size=arr.shape), dtype=np.float32)
    result = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="RGB")
    if blur > 0:
        result = result.filter(ImageFilter.GaussianBlur(radius=blur))
    if jpeg_quality is not None:
        buf = io.BytesIO()
        result.save(buf, format="JPEG", quality=int(jpeg_quality))
        buf.seek(0)
        result = Image.open(buf).convert("RGB")
    return result


def image_to_pdf(images: Sequence[Image.Image], dpi: int = 300) -> bytes:
    """Image-only PDF (no text layer), one page per image, page size from the pixel size and dpi."""
    if not images:
        raise ValueError("no images")
    rgb = [im.convert("RGB") for im in images]
    buf = io.BytesIO()
    fixed = time.gmtime(1_735_689_600)  # byte-identical output for a given seed
    rgb[0].save(
        buf,
        format="PDF",
        save_all=True,
        append_images=rgb[1:],
        resolution=float(dpi),
        creationDate=fixed,
        modDate=fixed,
    )
    return buf.getvalue()


def image_bytes(img: Image.Image, fmt: str = "JPEG", *, quality: int = 85, dpi: int | None = None) -> bytes:
    """Encode one image as a stand-alone file (JPEG, PNG, TIFF or WEBP)."""
    fmt = fmt.upper()
    if fmt == "JPG":
        fmt = "JPEG"
    buf = io.BytesIO()
    kwargs: dict[str, object] = {}
    if fmt in ("JPEG", "WEBP"):
        kwargs["quality"] = quality
    res = dpi or (img.info.get("dpi") or (None,))[0]
    if res and fmt in ("JPEG", "PNG", "TIFF"):
        kwargs["dpi"] = (int(res), int(res))
    img.convert("RGB").save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def multipage_tiff(images: Sequence[Image.Image], dpi: int = 300) -> bytes:
    """One TIFF with a frame per page, as fax/scanner software writes them."""
    if not images:
        raise ValueError("no images")
    rgb = [im.convert("RGB") for im in images]
    buf = io.BytesIO()
    rgb[0].save(
        buf, format="TIFF", save_all=True, append_images=rgb[1:], compression="tiff_deflate", dpi=(dpi, dpi)
    )
    return buf.getvalue()


def scan_pdf(
    pdf_bytes: bytes,
    *,
    seed: int,
    dpi: int = 200,
    noise: float = 6.0,
    blur: float = 0.5,
    skew_deg: float = 0.6,
    jpeg_quality: int | None = 75,
    rotate: int = 0,
) -> bytes:
    """Whole-document convenience: render every page, degrade each with its own seed, re-wrap as PDF."""
    pages = render_pdf(pdf_bytes, dpi)
    out = [
        degrade(
            p,
            seed=seed * 1000 + i,
            noise=noise,
            blur=blur,
            skew_deg=skew_deg,
            jpeg_quality=jpeg_quality,
            rotate=rotate,
        )
        for i, p in enumerate(pages)
    ]
    return image_to_pdf(out, dpi)


def encrypt_pdf(pdf_bytes: bytes, user_password: str, owner_password: str | None = None) -> bytes:
    """AES-256 encrypted copy (needs pikepdf, a dev dependency): opening it requires user_password."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        out = io.BytesIO()
        enc = pikepdf.Encryption(user=user_password, owner=owner_password or user_password + "-owner", R=6)
        pdf.save(out, encryption=enc)
        return out.getvalue()


def office_scan(pdf: bytes, family: str, seed: int, opts: dict[str, Any]) -> bytes:
    """A generated document as an office scanner (or, with opts["photo"], a phone) would give it back.

    opts: dpi (default 200/250/300 by seed), rotate (0/90/180/270), photo. Deterministic per family+seed.
    """
    rng = random.Random(f"scan/{family}/{seed}")
    dpi = int(opts.get("dpi", rng.choice([200, 250, 300])))
    if opts.get("photo"):
        pages = [photo(p, seed=seed * 100 + i) for i, p in enumerate(render_pdf(pdf, dpi))]
        return image_to_pdf(pages, dpi)
    return scan_pdf(
        pdf,
        seed=seed,
        dpi=dpi,
        noise=rng.uniform(3, 9),
        blur=rng.uniform(0.2, 0.7),
        skew_deg=rng.uniform(0.2, 1.0),
        jpeg_quality=rng.choice([60, 75, 85]),
        rotate=int(opts.get("rotate", 0)),
    )
