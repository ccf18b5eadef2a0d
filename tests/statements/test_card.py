"""Credit-card statements read from the card holder's side (RESULT_SCHEMA "Card statements"):
purchases negative, payments positive, the balance owed negative, two dates per row."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from ledgerlens.documents.loader import load_document
from ledgerlens.extract.statement import extract_statement

D = Decimal
ROWS = [  # transaction date, posting date, description, amount as the issuer prints it
    ("04/02", "04/03", "AMAZON MKTPLACE PMTS AMZN.COM/BILL WA", "54.99"),
    ("04/05", "04/05", "PAYMENT THANK YOU", "-500.00"),
    ("04/09", "04/10", "JUST EAT LONDON", "23.40"),
    ("04/14", "04/15", "SHELL OIL 57442 HOUSTON TX", "41.12"),
    ("04/20", "04/21", "REFUND AMAZON MKTPLACE", "-12.50"),
    ("04/28", "04/28", "INTEREST CHARGE ON PURCHASES", "18.31"),
]
PREVIOUS = D("1234.56")


def _card_pdf(payment_marker: str = "-", holder_side: bool = False) -> tuple[bytes, Decimal]:
    """`holder_side`: the issuer prints purchases and the balance owed negative already."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    y = letter[1] - 50

    def text(x: float, s: str, size: int = 9, right: bool = False) -> None:
        c.setFont("Helvetica", size)
        (c.drawRightString if right else c.drawString)(x, y, s)

    new = PREVIOUS + sum(D(a) for *_, a in ROWS)
    text(40, "Summit Rewards Visa Signature Card", 14)
    y -= 16
    text(40, "Card number XXXX XXXX XXXX 4411")
    text(330, "Statement closing date: 04/30/2025")
    y -= 12
    text(40, "MARIA GONZALEZ")
    y -= 12
    text(40, "1200 MAPLE AVE APT 4")
    y -= 12
    text(40, "AUSTIN TX 78701")
    y -= 24
    owed = "-" if holder_side else ""
    # Two boxes side by side, as card statements print them: account summary | payment information.
    for (label, value), (label2, value2) in zip(
        (
            ("Previous Balance", f"{owed}${PREVIOUS:,.2f}"),
            ("Purchases", "$137.82"),
            ("New Balance", f"{owed}${new:,.2f}"),
        ),
        (
            ("Credit Limit", "$8,000.00"),
            ("Minimum Payment Due", "$35.00"),
            ("Payment Due Date", "05/25/2025"),
        ),
        strict=True,
    ):
        text(40, label)
        text(250, value, right=True)
        text(330, label2)
        text(540, value2, right=True)
        y -= 12
    y -= 20
    for x, label in ((40, "Trans Date"), (100, "Post Date"), (160, "Description")):
        text(x, label, 8)
    text(540, "Amount", 8, right=True)
    y -= 14
    for trans, post, desc, amount in ROWS:
        shown = amount
        if holder_side:
            shown = amount[1:] if amount.startswith("-") else "-" + amount
        elif amount.startswith("-") and payment_marker == "CR":
            shown = amount[1:] + " CR"
        text(40, trans)
        text(100, post)
        text(160, desc)
        text(540, shown, right=True)
        y -= 12
    c.showPage()
    c.save()
    return buf.getvalue(), new


def _check(payment_marker: str, holder_side: bool = False) -> None:
    pdf, new = _card_pdf(payment_marker, holder_side)
    result = extract_statement(load_document(pdf))
    info = result["account_info"]
    assert info["account_type"] == "credit_card"
    assert info["opening_balance"] == -PREVIOUS and info["closing_balance"] == -new
    assert info["credit_limit"] == D("8000.00") and info["minimum_payment"] == D("35.00")
    assert info["payment_due_date"] == date(2025, 5, 25)
    txns = result["transactions"]
    assert [t["amount"] for t in txns] == [-D(a) for *_, a in ROWS]
    assert [t["type"] for t in txns] == ["debit", "credit", "debit", "debit", "credit", "debit"]
    assert [(t["date"], t["value_date"]) for t in txns][2] == (date(2025, 4, 9), date(2025, 4, 10))
    assert txns[2]["description"] == "JUST EAT LONDON"
    assert info["account_holder"] == "MARIA GONZALEZ"
    assert info["account_number"] == "XXXX XXXX XXXX 4411"
    assert result["validation"]["reconciled"] is True


def test_card_statement_with_minus_payments() -> None:
    _check("-")


def test_card_statement_with_cr_payments() -> None:
    _check("CR")


def test_card_statement_printed_from_the_holders_side() -> None:
    _check("-", holder_side=True)
