"""Documents generated for the job tests: a digital statement-like PDF and an image-only "scan".

The scan has no text layer, so processing it means rendering and OCR'ing every page: real,
seconds-long work that lets the tests kill a worker mid-job or hit the job timeout.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def digital_pdf(lines: list[str]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = A4[1] - 60
    for line in lines:
        c.setFont("Helvetica", 10)
        c.drawString(50, y, line)
        y -= 16
    c.showPage()
    c.save()
    return buf.getvalue()


def _scan_page(page: int, rng: random.Random, dpi: int, lines: int) -> Image.Image:
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    size = max(12, dpi // 7)
    font = ImageFont.truetype(str(FONT), size) if FONT.is_file() else ImageFont.load_default()
    y = dpi // 2
    draw.text((dpi // 2, y), f"Harbour Bank statement page {page}", fill=0, font=font)
    y += int(size * 2.2)
    balance = 1000 * page
    for _ in range(lines):
        amount = rng.randint(100, 99999) / 100
        balance += amount
        draw.text(
            (dpi // 2, y),
            f"0{rng.randint(1, 9)}/03/2025  CARD PAYMENT SHOP {rng.randint(1000, 9999)}"
            f"  {amount:.2f}  {balance:.2f}",
            fill=0,
            font=font,
        )
        y += int(size * 1.6)
    return img


def scanned_pdf(pages: int, dpi: int = 200, seed: int = 7, lines: int = 60) -> bytes:
    """An image-only PDF of `pages` pages of `lines` text lines each (60 fill an A4 page)."""
    rng = random.Random(seed)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, pages + 1):
        img = _scan_page(n, rng, dpi, lines)
        png = io.BytesIO()
        img.save(png, format="PNG")
        png.seek(0)
        c.drawImage(ImageReader(png), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buf.getvalue()


def scan_image(fmt: str, seed: int = 7, dpi: int = 150, lines: int = 25) -> bytes:
    """One scanned page as a JPEG or PNG file (a phone or scanner image upload)."""
    img = _scan_page(1, random.Random(seed), dpi, lines)
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()
