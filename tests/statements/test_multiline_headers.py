"""Column headers stacked on two or three lines ("Withdrawals/" over "Debits", "Money" / "Out" /
"($)"), printed tight enough that the lines' boxes overlap: the header is found, not inferred."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from ledgerlens.documents.loader import load_document
from ledgerlens.extract.statement import extract_statement

ROWS = [
    ("1/3", "Payroll ACME", Decimal("1500.00")),
    ("1/5", "Rent payment", Decimal("-900.00")),
    ("1/9", "Grocery store 12", Decimal("-54.21")),
    ("1/15", "Refund store", Decimal("20.00")),
]
X = (40, 90, 400, 470, 540)
RIGHT = (False, False, True, True, True)


def _pdf(headers: tuple[str, ...]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    y = letter[1] - 50
    c.setFont("Helvetica", 9)
    for line in ("Lakeside Federal Bank", "Account number: 5566778899", "Beginning balance  $1,000.00"):
        c.drawString(40, y, line)
        y -= 14
    y -= 16
    c.setFont("Helvetica-Bold", 8)
    for header, x, right in zip(headers, X, RIGHT, strict=True):
        for k, part in enumerate(header.split("\n")):
            (c.drawRightString if right else c.drawString)(x, y - 9 * k, part)
    y -= 9 * max(len(h.split("\n")) for h in headers) + 6
    c.setFont("Helvetica", 9)
    balance = Decimal("1000.00")
    for date, desc, amount in ROWS:
        balance += amount
        debit = f"{-amount:,.2f}" if amount < 0 else ""
        credit = f"{amount:,.2f}" if amount > 0 else ""
        for text, x, right in zip((date, desc, debit, credit, f"{balance:,.2f}"), X, RIGHT, strict=True):
            (c.drawRightString if right else c.drawString)(x, y, text)
        y -= 12
    c.drawString(40, y - 10, f"Ending balance  ${balance:,.2f}")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    "headers",
    [
        ("Date", "Description", "Withdrawals/\nDebits", "Deposits/\nCredits", "Ending daily\nbalance"),
        ("Posting\nDate", "Transaction\nDescription", "Money\nOut\n($)", "Money\nIn\n($)", "Balance\n($)"),
        ("Date", "Transaction\ndetails", "Paid\nout", "Paid\nin", "Running\nbalance"),
    ],
)
def test_stacked_header_is_found_and_read(headers: tuple[str, ...]) -> None:
    result = extract_statement(load_document(_pdf(headers)))
    assert [t["amount"] for t in result["transactions"]] == [a for *_, a in ROWS]
    assert [t["balance"] for t in result["transactions"]][-1] == Decimal("1565.79")
    assert result["validation"]["reconciled"] is True
    assert not any("no column header" in w for w in result["warnings"]), result["warnings"]


def test_posting_date_first_with_a_stacked_transaction_date_and_a_long_title() -> None:
    """ "Posted | Transaction / Date | Merchant Name or Transaction Description | Amount": the stacked
    reading knows more roles than the top line read alone (which takes "Transaction" for a text
    column); the transaction date is the row's date, the posting date its value date."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    y = letter[1] - 60
    c.setFont("Helvetica", 9)
    c.drawString(40, y, "Lakeside Federal Bank - Account number: 5566778899")
    y -= 12
    c.drawString(40, y, "Statement period: 01/01/2025 - 01/31/2025")
    y -= 30
    c.setFont("Helvetica-Bold", 8)
    for x, title in ((40, "Posted"), (100, "Transaction"), (170, "Merchant Name or Transaction Description")):
        c.drawString(x, y, title)
    c.drawRightString(540, y, "Amount (USD)")
    c.drawString(100, y - 9, "Date")
    y -= 24
    c.setFont("Helvetica", 9)
    rows = [
        ("01/04", "01/03", "SHELL OIL 57442 HOUSTON TX", "41.12"),
        ("01/09", "01/07", "NETFLIX.COM", "15.49"),
    ]
    for posted, made, text, amount in rows:
        c.drawString(40, y, posted)
        c.drawString(100, y, made)
        c.drawString(170, y, text)
        c.drawRightString(540, y, amount)
        y -= 12
    c.showPage()
    c.save()
    result = extract_statement(load_document(buf.getvalue()))
    got = [(t["date"].strftime("%m/%d"), t["value_date"].strftime("%m/%d")) for t in result["transactions"]]
    assert got == [("01/03", "01/04"), ("01/07", "01/09")]
    assert [t["description"] for t in result["transactions"]] == ["SHELL OIL 57442 HOUSTON TX", "NETFLIX.COM"]
