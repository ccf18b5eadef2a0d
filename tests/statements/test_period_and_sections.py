"""Statement periods printed only as a month, and a second table (another account) after the first:
real PDFs drawn with reportlab, read through the loader."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ledgerlens.documents.loader import load_document
from ledgerlens.extract.statement import extract_statement

Row = tuple[str, str, str, str]  # date, description, amount, balance


def _pdf(pages: list[tuple[list[str], list[Row]]], header: tuple[str, str, str, str]) -> bytes:
    """Each page: title lines, then a table with `header` and rows (amount/balance right-aligned)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _w, h = A4
    for titles, rows in pages:
        y = h - 60
        c.setFont("Helvetica", 10)
        for t in titles:
            c.drawString(50, y, t)
            y -= 16
        y -= 20
        c.drawString(50, y, header[0])
        c.drawString(130, y, header[1])
        c.drawRightString(440, y, header[2])
        c.drawRightString(540, y, header[3])
        y -= 18
        for d, desc, amount, balance in rows:
            c.drawString(50, y, d)
            c.drawString(130, y, desc)
            c.drawRightString(440, y, amount)
            c.drawRightString(540, y, balance)
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    ("title", "header", "rows", "period"),
    [
        (
            "Statement March 2025",
            ("Date", "Description", "Amount", "Balance"),
            [("03/03/2025", "Coffee", "-3.50", "96.50"), ("05/03/2025", "Salary", "1,000.00", "1,096.50")],
            (date(2025, 3, 1), date(2025, 3, 31)),
        ),
        (
            "Kontoauszug März 2025",
            ("Datum", "Verwendungszweck", "Betrag", "Saldo"),
            [("03.03.2025", "Bäckerei", "-3,50", "96,50"), ("05.03.2025", "Gehalt", "1.000,00", "1.096,50")],
            (date(2025, 3, 1), date(2025, 3, 31)),
        ),
        (
            "Relevé de février 2024",
            ("Date", "Libellé", "Montant", "Solde"),
            [
                ("03/02/2024", "Boulangerie", "-3,50", "96,50"),
                ("29/02/2024", "Salaire", "1 000,00", "1 096,50"),
            ],
            (date(2024, 2, 1), date(2024, 2, 29)),
        ),
    ],
)
def test_month_only_period_spans_the_whole_month(
    title: str, header: tuple[str, str, str, str], rows: list[Row], period: tuple[date, date]
) -> None:
    pdf = _pdf([(["Example Bank", title, "Account holder: Jane Doe"], rows)], header)
    result = extract_statement(load_document(pdf))
    sp = result["account_info"]["statement_period"]
    assert (sp["start"], sp["end"]) == period
    assert len(result["transactions"]) == 2


def test_month_inside_a_full_date_is_not_a_period() -> None:
    rows = [("03/03/2025", "Coffee", "-3.50", "96.50"), ("05/03/2025", "Salary", "1,000.00", "1,096.50")]
    pdf = _pdf(
        [(["Example Bank", "Issued on 7 April 2025"], rows)], ("Date", "Description", "Amount", "Balance")
    )
    sp = extract_statement(load_document(pdf))["account_info"]["statement_period"]
    assert sp["start"] is None and sp["end"] is None


def test_a_second_account_is_read_as_its_own_account() -> None:
    """RESULT_SCHEMA "several accounts": every account's rows, each named, each reconciled alone."""
    header = ("Date", "Description", "Amount", "Balance")
    first = [("10/03/2025", "Coffee", "-3.50", "96.50"), ("20/03/2025", "Salary", "1,000.00", "1,096.50")]
    second = [
        ("02/01/2025", "Savings interest", "1.25", "501.25"),
        ("15/01/2025", "Transfer", "-50.00", "451.25"),
    ]
    pdf = _pdf([(["Current account"], first), (["Savings account"], second)], header)
    result = extract_statement(load_document(pdf))
    txns = result["transactions"]
    assert [t["amount"] for t in txns] == [Decimal(v) for v in ("-3.50", "1000.00", "1.25", "-50.00")]
    assert [t["account"] for t in txns] == ["Current account"] * 2 + ["Savings account"] * 2
    accounts = result["accounts"]
    assert [a["account"] for a in accounts] == ["Current account", "Savings account"]
    assert [a["account_type"] for a in accounts] == ["current", "savings"]
    assert accounts[1]["closing_balance"] == Decimal("451.25")
    assert accounts[1]["total_credits"] == Decimal("1.25") and accounts[1]["total_debits"] == Decimal("50.00")
    assert all(a["reconciled"] for a in accounts) and result["validation"]["reconciled"] is True
    assert result["account_info"]["closing_balance"] == Decimal("1096.50")


def test_one_account_over_pages_is_not_split() -> None:
    header = ("Date", "Description", "Amount", "Balance")
    first = [("10/03/2025", "Coffee", "-3.50", "96.50"), ("20/03/2025", "Salary", "1,000.00", "1,096.50")]
    later = [("21/03/2025", "Rent", "-500.00", "596.50"), ("28/03/2025", "Refund", "12.00", "608.50")]
    result = extract_statement(load_document(_pdf([(["Current account"], first), ([], later)], header)))
    assert "accounts" not in result
    assert len(result["transactions"]) == 4 and "account" not in result["transactions"][0]
    assert result["validation"]["reconciled"] is True
