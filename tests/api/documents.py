"""Real documents for API tests, generated with reportlab (no fixtures on disk)."""

from __future__ import annotations

import io
import zlib
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def statement_pdf(
    serial: int = 0,
    *,
    encrypt_password: str | None = None,
    holder: str = "Jane Q. Doe",
    extra_lines: tuple[str, ...] = (),
) -> bytes:
    """A one-page digital bank statement whose running balances add up.

    `serial` makes each document's bytes (and so its stored blob) distinct; `extra_lines` go into
    the header block, e.g. a labelled value for a custom-schema field.
    """
    buf = io.BytesIO()
    encrypt = None
    if encrypt_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(encrypt_password, canPrint=1)
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt)
    _, height = A4
    y = height - 60
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, y, "First Harbour Bank")
    c.setFont("Helvetica", 10)
    for text in (
        f"Account statement no. {serial + 1}",
        f"Account holder: {holder}",
        "Account number: 12-3456-7890123-00",
        *extra_lines,
        "Statement period: 01/03/2025 - 31/03/2025",
        "Currency: USD",
    ):
        y -= 16
        c.drawString(50, y, text)
    y -= 30
    c.setFont("Helvetica-Bold", 10)
    for x, label in ((50, "Date"), (120, "Description")):
        c.drawString(x, y, label)
    c.drawRightString(450, y, "Amount")
    c.drawRightString(540, y, "Balance")
    c.setFont("Helvetica", 10)
    balance = Decimal("1520.35")
    y -= 18
    c.drawString(120, y, "Opening balance")
    c.drawRightString(540, y, f"{balance:.2f}")
    rows = [
        ("03/03/2025", "POS PURCHASE TESCO 4411", Decimal("-513.58")),
        ("07/03/2025", "SALARY ACME LTD", Decimal("2352.26")),
        ("12/03/2025", "RENT MARCH", Decimal("-1200.00")),
        ("20/03/2025", f"CARD PAYMENT REF {1000 + serial}", Decimal("-45.10")),
    ]
    for date, desc, amount in rows:
        balance += amount
        y -= 18
        c.drawString(50, y, date)
        c.drawString(120, y, desc)
        c.drawRightString(450, y, f"{amount:.2f}")
        c.drawRightString(540, y, f"{balance:.2f}")
    y -= 24
    c.drawString(120, y, "Closing balance")
    c.drawRightString(540, y, f"{balance:.2f}")
    c.showPage()
    c.save()
    return buf.getvalue()


def invoice_pdf(number: str = "INV-2025-0042") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _, height = A4
    y = height - 60
    c.setFont("Helvetica-Bold", 16)
    c.drawString(50, y, "INVOICE")
    c.setFont("Helvetica", 10)
    for text in (
        "Lieferant GmbH, Lieferantenstrasse 20, 80333 Muenchen",
        "VAT ID: DE123456789",
        f"Invoice number: {number}",
        "Invoice date: 04.03.2025",
        "Due date: 03.04.2025",
        "Bill to: Kunden AG, Kundenstrasse 15, 69876 Frankfurt",
    ):
        y -= 16
        c.drawString(50, y, text)
    y -= 30
    c.setFont("Helvetica-Bold", 10)
    c.drawString(50, y, "Description")
    c.drawRightString(330, y, "Qty")
    c.drawRightString(420, y, "Unit price")
    c.drawRightString(540, y, "Amount")
    c.setFont("Helvetica", 10)
    y -= 18
    c.drawString(50, y, "Separator sheets A4")
    c.drawRightString(330, y, "20")
    c.drawRightString(420, y, "9.90")
    c.drawRightString(540, y, "198.00")
    for label, value in (("Subtotal", "198.00"), ("VAT 19%", "37.62"), ("Total EUR", "235.62")):
        y -= 18
        c.drawString(330, y, label)
        c.drawRightString(540, y, value)
    c.showPage()
    c.save()
    return buf.getvalue()


def png_bytes() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).text((20, 80), "Hello ledgerlens", fill="black")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _raw_pdf(page: bytes, content: bytes) -> bytes:
    """A one-page PDF written object by object: `page` is the page dictionary's extra keys."""
    from tests.documents.pdfs import raw_pdf

    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R " + page + b" /Contents 4 0 R >>",
            content,
        ]
    )


def huge_page_pdf(points: int = 14400) -> bytes:
    """A few hundred bytes declaring a `points` x `points` page (200 x 200 inches) with one line on it:
    rendered naively at 150 DPI it is a 900-megapixel raster."""
    stroke = b"0 0 m %d %d l S" % (points - 400, points - 400)
    return _raw_pdf(
        b"/MediaBox [0 0 %d %d]" % (points, points),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stroke), stroke),
    )


def content_stream_bomb(expanded_mb: int = 300) -> bytes:
    """A page whose Flate content stream inflates ~1000x into millions of path operators."""
    unit = b"0 0 m 100 100 l S\n" * 4096
    packer = zlib.compressobj(9)
    packed = b"".join(packer.compress(unit) for _ in range(expanded_mb * 1024 * 1024 // len(unit)))
    packed += packer.flush()
    head = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
    return _raw_pdf(b"/MediaBox [0 0 612 792]", head + packed + b"\nendstream")
