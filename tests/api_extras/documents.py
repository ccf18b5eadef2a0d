"""A one-page digital bank statement with a tenant-specific header line, made with reportlab."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def statement_with_reference(reference: str) -> bytes:
    """Balances add up; the header carries `Mandate reference: <reference>` for a custom field."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _, height = A4
    y = height - 60
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, y, "Northgate Savings Bank")
    c.setFont("Helvetica", 10)
    for text in (
        "Account statement no. 7",
        "Account holder: Erik Example",
        "IBAN: GB82 WEST 1234 5698 7654 32",
        f"Mandate reference: {reference}",
        "Statement period: 01/04/2025 - 30/04/2025",
        "Currency: GBP",
    ):
        y -= 16
        c.drawString(50, y, text)
    y -= 30
    c.setFont("Helvetica-Bold", 10)
    c.drawString(50, y, "Date")
    c.drawString(120, y, "Description")
    c.drawRightString(450, y, "Amount")
    c.drawRightString(540, y, "Balance")
    c.setFont("Helvetica", 10)
    balance = 50_000
    y -= 18
    c.drawString(120, y, "Opening balance")
    c.drawRightString(540, y, f"{balance / 100:,.2f}")
    for date, text, cents in (
        ("02/04/2025", "Salary April", 310_000),
        ("09/04/2025", "Council tax", -14_250),
        ("17/04/2025", "Grocer", -6_312),
    ):
        balance += cents
        y -= 16
        c.drawString(50, y, date)
        c.drawString(120, y, text)
        c.drawRightString(450, y, f"{cents / 100:,.2f}")
        c.drawRightString(540, y, f"{balance / 100:,.2f}")
    y -= 22
    c.setFont("Helvetica-Bold", 10)
    c.drawString(120, y, "Closing balance")
    c.drawRightString(540, y, f"{balance / 100:,.2f}")
    c.showPage()
    c.save()
    return buf.getvalue()
