"""Real documents for API tests, generated with reportlab (no fixtures on disk)."""

from __future__ import annotations

import io
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
