"""A statement whose text layer is a cipher for one font only passes the page-level check (its
other font reads fine) but gives a reading that does not add up: the pipeline reads the pages
again by OCR and keeps the reading that reconciles."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from ledgerlens.documents.lexicon import lexicon_share
from ledgerlens.documents.loader import load_document
from ledgerlens.pipeline import process
from tests.documents.pdfs import garble_tounicode, register_dejavu

ROWS = [
    ("02.03.2025", "Gehalt Firma Beispiel GmbH", Decimal("2500.00")),
    ("05.03.2025", "Miete Wohnung Hauptstrasse", Decimal("-950.00")),
    ("09.03.2025", "Lastschrift Stadtwerke Strom", Decimal("-64.12")),
    ("15.03.2025", "Kartenzahlung Supermarkt", Decimal("-43.21")),
]


def _de(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _statement() -> bytes:
    """Titles and labels in Helvetica (no ToUnicode map to break), the table in embedded DejaVu."""
    body = register_dejavu()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    y = 790.0
    c.setFont("Helvetica-Bold", 12)
    for line in (
        "Kontoauszug der Sparkasse am Main für das Konto des Kunden",
        "Kontoinhaber und Anschrift des Kontos, Auszug für den Monat März",
        "Bitte prüfen Sie den Auszug, die Buchungen und den Saldo des Kontos",
    ):
        c.drawString(50, y, line)
        y -= 18
    y -= 12
    c.setFont("Helvetica-Bold", 10)
    c.drawString(50, y, "Datum")
    c.drawString(130, y, "Verwendungszweck")
    c.drawRightString(450, y, "Betrag")
    c.drawRightString(540, y, "Saldo")
    y -= 18
    c.setFont(body, 10)
    balance = Decimal("1000.00")
    c.drawString(130, y, "Alter Kontostand")
    c.drawRightString(540, y, _de(balance))
    y -= 16
    for date, text, amount in ROWS:
        balance += amount
        c.drawString(50, y, date)
        c.drawString(130, y, text)
        c.drawRightString(450, y, _de(amount))
        c.drawRightString(540, y, _de(balance))
        y -= 16
    c.drawString(130, y, "Neuer Kontostand")
    c.drawRightString(540, y, _de(balance))
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.slow
def test_a_partly_garbled_text_layer_is_read_again_by_ocr() -> None:
    garbled = garble_tounicode(_statement())
    page = load_document(garbled).pages[0]
    assert page.source == "text_layer"  # the clean font keeps the page-level check satisfied
    assert lexicon_share(page.text)[1] > 0.05
    result = process(garbled, "bank_statement")
    assert [Decimal(t["amount"]) for t in result["transactions"]] == [a for *_, a in ROWS]
    assert result["validation"]["reconciled"] is True
    assert any("read by OCR" in w for w in result["warnings"])


def test_an_invoice_sent_as_a_statement_gets_a_warning_not_invented_fields() -> None:
    from tests.api.documents import invoice_pdf, statement_pdf

    result = process(invoice_pdf("INV-9"), "bank_statement")
    assert result["transactions"] == [] and result["validation"]["reconciled"] is None
    assert all(v is None for k, v in result["account_info"].items() if k != "statement_period")
    assert any("reads as an invoice" in w for w in result["warnings"])
    # A statement sent as a statement is read as usual.
    statement = process(statement_pdf(1), "bank_statement")
    assert statement["transactions"] and statement["validation"]["reconciled"] is True
