"""`ledgerlens inspect FILE`: what ingestion sees, page by page (source, words, confidence, lines).

The first thing to run when an extraction is wrong: it shows whether the words were there at all.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import numpy as np
from PIL import Image, ImageDraw

from ledgerlens.config import Settings, get_settings
from ledgerlens.documents.images import decode_frame
from ledgerlens.documents.loader import load_document
from ledgerlens.documents.model import Document, Page
from ledgerlens.documents.pdf import open_pdf
from ledgerlens.documents.raster import render_page, rotate_quarter
from ledgerlens.errors import LedgerlensError
from ledgerlens.layout.lines import group_lines

PNG_DPI = 110


def describe(doc: Document) -> str:
    out: list[str] = []
    meta = doc.metadata
    out.append(
        f"format {meta.get('format')}, {len(doc.pages)} page(s), {meta.get('ocr_pages', 0)} OCR'd, "
        f"encrypted {meta.get('encrypted', False)}, {meta.get('ingest_seconds', 0)} s"
    )
    for page in doc.pages:
        conf = sum(w.confidence for w in page.words) / len(page.words) if page.words else 0.0
        out.append("")
        out.append(
            f"--- page {page.number}: source {page.source}, {len(page.words)} words, mean confidence "
            f"{conf:.2f}, rotation {page.rotation}, {page.width:.0f}x{page.height:.0f} pt"
        )
        for line in group_lines(page):
            out.append(line.text)
    return "\n".join(out)


def _page_image(data: bytes, fmt: str, page: Page, password: str | None, settings: Settings) -> Image.Image:
    if fmt == "pdf":
        with open_pdf(data, password) as pdf:
            pdf_page = pdf[page.number - 1]
            try:
                base = int(pdf_page.get_rotation()) % 360
                gray, _scale = render_page(pdf_page, PNG_DPI, settings)
            finally:
                pdf_page.close()
        gray = rotate_quarter(gray, (page.rotation - base) % 360)
    else:
        gray, _dpi = decode_frame(data, page.number - 1, settings)
        gray = rotate_quarter(gray, page.rotation)
    return Image.fromarray(np.ascontiguousarray(gray)).convert("RGB")


def draw_words(image: Image.Image, page: Page) -> Image.Image:
    """Word boxes: green for text-layer words, blue for confident OCR, red below 0.6 confidence."""
    draw = ImageDraw.Draw(image)
    w, h = image.size
    for word in page.words:
        x0, y0, x1, y1 = word.bbox
        if word.source == "text_layer":
            color = (0, 160, 0)
        else:
            color = (0, 90, 220) if word.confidence >= 0.6 else (220, 0, 0)
        draw.rectangle((x0 * w, y0 * h, x1 * w, y1 * h), outline=color, width=1)
    return image


def run_inspect(
    path: Path,
    *,
    password: str | None = None,
    png_dir: Path | None = None,
    settings: Settings | None = None,
    out: TextIO | None = None,
) -> int:
    """Print the report; returns a process exit code (0 ok, 1 the document failed, 2 unreadable path)."""
    settings = settings or get_settings()
    stream = out or sys.stdout
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"{path}: cannot read file ({exc.strerror})", file=sys.stderr)
        return 2
    try:
        doc = load_document(data, password=password, settings=settings)
    except LedgerlensError as exc:
        print(f"{path}: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    print(describe(doc), file=stream)
    if png_dir is not None:
        png_dir.mkdir(parents=True, exist_ok=True)
        fmt = str(doc.metadata.get("format", "pdf"))
        for page in doc.pages:
            target = png_dir / f"{path.stem}-p{page.number}.png"
            draw_words(_page_image(data, fmt, page, password, settings), page).save(target)
            print(f"wrote {target}", file=stream)
    return 0
