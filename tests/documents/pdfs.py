"""Small real PDFs and images for the ingestion tests, generated with reportlab / pypdfium2 / PIL."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

Draw = Callable[[Canvas], None]


def make_pdf(
    *pages: Draw, size: tuple[float, float] = (420.0, 300.0), encrypt: StandardEncryption | None = None
) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, encrypt=encrypt)
    for draw in pages:
        draw(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def lines(*rows: tuple[float, float, str], font: str = "Helvetica", size: float = 14) -> Draw:
    """Text at (x, y-from-top) positions."""

    def draw(c: Canvas) -> None:
        height = c._pagesize[1]
        c.setFont(font, size)
        for x, y, text in rows:
            c.drawString(x, height - y, text)

    return draw


STATEMENT_ROWS = (
    (30.0, 40.0, "Northwind Bank Statement"),
    (30.0, 80.0, "Date"),
    (120.0, 80.0, "Description"),
    (330.0, 80.0, "Amount"),
    (30.0, 110.0, "03/01/2025"),
    (120.0, 110.0, "Coffee Roasters"),
    (330.0, 110.0, "1,234.56"),
    (30.0, 140.0, "04/01/2025"),
    (120.0, 140.0, "Rent January"),
    (330.0, 140.0, "-850.00"),
    (30.0, 170.0, "05/01/2025"),
    (120.0, 170.0, "Salary Payment"),
    (330.0, 170.0, "3,210.75"),
)
STATEMENT_TOKENS = ["Northwind", "Statement", "03/01/2025", "1,234.56", "-850.00", "3,210.75", "Salary"]


def statement_pdf() -> bytes:
    return make_pdf(lines(*STATEMENT_ROWS))


def register_dejavu() -> str:
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
    return "DejaVuSans"


def with_rotation(data: bytes, rotation: int) -> bytes:
    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        pdf[i].set_rotation(rotation)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def blank_pages_pdf(n: int) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(n):
        pdf.new_page(200, 200)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG whose header claims width x height pixels (decompression bomb shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def garble_tounicode(data: bytes, seed: int = 3) -> bytes:
    """The same PDF with every embedded font's ToUnicode map scrambled among letters and digits:
    the page renders as before, its text layer reads as a cipher ("M0tU0XceFcl" for "Kontoauszug")."""
    import random
    import re

    import pikepdf

    rng = random.Random(seed)
    pdf = pikepdf.open(io.BytesIO(data))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/ToUnicode" in obj:
            cmap = obj.ToUnicode.read_bytes().decode("latin-1")
            pairs = re.findall(r"<([0-9A-Fa-f]{2,4})>\s*<([0-9A-Fa-f]{4})>", cmap)
            letters = [t for _, t in pairs if chr(int(t, 16)).isalnum()]
            shuffled = letters[:]
            rng.shuffle(shuffled)
            swap = dict(zip(letters, shuffled, strict=True))
            cmap = re.sub(
                r"(<[0-9A-Fa-f]{2,4}>\s*)<([0-9A-Fa-f]{4})>",
                lambda m, swap=swap: f"{m.group(1)}<{swap.get(m.group(2), m.group(2))}>",  # type: ignore[misc]
                cmap,
            )
            obj.ToUnicode.write(cmap.encode("latin-1"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written object by object (object 1 is the catalog) with an exact xref table: for files
    that reportlab would refuse to write (lying page trees, bombs)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
