"""US-style statements in sections by type: each table's rows are signed by the section they stand
in (its title, or the statement's arithmetic when the title does not say)."""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from ledgerlens.documents.loader import load_document
from ledgerlens.extract.statement import extract_statement

D = Decimal
DEPOSITS = [
    ("03/03", "Direct Deposit ACME PAYROLL PPD ID: 9911", D("2450.00")),
    ("03/17", "Direct Deposit ACME PAYROLL PPD ID: 9911", D("2450.00")),
    ("03/20", "Zelle Payment From Mary Smith 1234", D("75.00")),
]
CARD = [
    ("03/04", "Card Purchase 03/02 Whole Foods Springfield IL Card 4411", D("84.12")),
    ("03/09", "Online Transfer To Sav xxxx7788", D("500.00")),
    ("03/22", "Card Purchase 03/21 Shell Oil 5551 Springfield IL", D("41.30")),
]
CHECKS = [("03/11", "1041", D("1200.00")), ("03/25", "1042", D("89.99"))]
FEES = [("03/31", "Monthly Service Fee", D("12.00"))]
OPENING = D("2104.17")


def _statement(titles: tuple[str, str, str, str]) -> tuple[bytes, Decimal]:
    """Summary box, then four tables: deposits, checks, card withdrawals, fees (amounts unsigned)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    y = letter[1] - 50

    def text(x: float, s: str, size: int = 9, bold: bool = False, right: bool = False) -> None:
        c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        (c.drawRightString if right else c.drawString)(x, y, s)

    closing = OPENING + sum(a for *_, a in DEPOSITS) - sum(a for t in (CARD, CHECKS, FEES) for *_, a in t)
    text(40, "Evergreen National Bank", 14, True)
    y -= 18
    text(40, "JOHN A SMITH")
    text(350, "Account number: 000123456789")
    y -= 12
    text(350, "March 1, 2025 through March 31, 2025")
    y -= 24
    for label, value in (("Beginning Balance", OPENING), ("Ending Balance", closing)):
        text(40, label)
        text(300, f"${value:,.2f}", right=True)
        y -= 12
    y -= 14
    for title, rows in zip(titles, (DEPOSITS, CHECKS, CARD, FEES), strict=True):
        text(40, title, 10, True)
        y -= 14
        checks = rows is CHECKS
        text(40, "CHECK NO." if checks else "DATE", 8, True)
        text(120 if checks else 100, "DATE PAID" if checks else "DESCRIPTION", 8, True)
        text(540, "AMOUNT", 8, True, True)
        y -= 12
        for d, desc, amount in rows:
            text(40, desc if checks else d)
            text(120 if checks else 100, d if checks else desc)
            text(540, f"${amount:,.2f}", right=True)
            y -= 12
        text(100, f"Total {title.title()}", 9, True)
        text(540, f"${sum(a for *_, a in rows):,.2f}", 9, True, True)
        y -= 22
    c.showPage()
    c.save()
    return buf.getvalue(), closing


def _expected() -> list[tuple[str, Decimal]]:
    return (
        [(f"2025-{d[:2]}-{d[3:]}", a) for d, _, a in DEPOSITS]
        + [(f"2025-{d[:2]}-{d[3:]}", -a) for d, _, a in CHECKS]
        + [(f"2025-{d[:2]}-{d[3:]}", -a) for t in (CARD, FEES) for d, _, a in t]
    )


def test_section_titles_sign_the_rows_and_totals_are_not_transactions() -> None:
    pdf, closing = _statement(
        ("DEPOSITS AND ADDITIONS", "CHECKS PAID", "ATM & DEBIT CARD WITHDRAWALS", "FEES")
    )
    result = extract_statement(load_document(pdf))
    got = [(t["date"].isoformat(), t["amount"]) for t in result["transactions"]]
    assert got == _expected()
    descriptions = [t["description"] or "" for t in result["transactions"]]
    assert not any("WITHDRAWALS" in d or "Total" in d for d in descriptions), descriptions
    assert [t["reference"] for t in result["transactions"][3:5]] == ["1041", "1042"]
    info = result["account_info"]
    assert info["closing_balance"] == closing and info["total_debits"] == D("1927.41")
    assert result["validation"]["reconciled"] is True


def test_titles_that_do_not_say_are_signed_by_the_arithmetic() -> None:
    # "Zelle and other activity" and "Miscellaneous" say nothing about direction: only the reading
    # with deposits in and miscellaneous out gives opening + sum = closing.
    pdf, closing = _statement(("ZELLE AND OTHER ACTIVITY", "CHECKS PAID", "MISCELLANEOUS", "FEES"))
    result = extract_statement(load_document(pdf))
    assert [(t["date"].isoformat(), t["amount"]) for t in result["transactions"]] == _expected()
    assert result["account_info"]["closing_balance"] == closing
    assert result["validation"]["reconciled"] is True
