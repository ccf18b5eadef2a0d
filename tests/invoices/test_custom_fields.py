"""Custom schema fields: found by label geometry on the page, known result keys reused, null otherwise."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from ledgerlens.documents.loader import load_document
from ledgerlens.extract.custom_fields import apply_custom_fields
from ledgerlens.extract.invoice import extract_invoice


def _invoice_pdf() -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(60, 790, "Nordlicht Werkzeuge GmbH")
    c.setFont("Helvetica", 10)
    c.drawString(60, 774, "Hafenstraße 8, 20457 Hamburg")
    c.drawString(60, 720, "Rechnung")
    rows = [
        ("Rechnungsnummer:", "RE-2025-0815"),
        ("Rechnungsdatum:", "04.03.2025"),
        ("Kundennummer:", "K-44721"),
        ("Bestellnummer:", "PO-99812"),
        ("Lieferdatum:", "28.02.2025"),
    ]
    y = 700
    for label, value in rows:
        c.drawString(60, y, label)
        c.drawString(200, y, value)
        y -= 16
    # a label with its value under it
    c.drawString(360, 700, "Projekt")
    c.drawString(360, 684, "Hafenkante 3")
    c.drawString(60, 600, "Beschreibung")
    c.drawString(300, 600, "Menge")
    c.drawString(380, 600, "Einzelpreis")
    c.drawString(480, 600, "Gesamt")
    c.drawString(60, 584, "Drehmomentschlüssel")
    c.drawRightString(330, 584, "2")
    c.drawRightString(440, 584, "49,50")
    c.drawRightString(530, 584, "99,00")
    c.drawString(380, 550, "Zwischensumme")
    c.drawRightString(530, 550, "99,00")
    c.drawString(380, 534, "MwSt. 19 %")
    c.drawRightString(530, 534, "18,81")
    c.drawString(380, 518, "Gesamtbetrag")
    c.drawRightString(530, 518, "117,81")
    c.save()
    return buf.getvalue()


def test_fields_by_label_and_result_keys() -> None:
    data = _invoice_pdf()
    doc = load_document(data)
    result = extract_invoice(doc, data)
    schemas = [
        {
            "schema_string": {
                "fields": ["po_number", "Kundennummer", {"name": "delivery_date", "type": "date"}]
            }
        },
        {"fields": [{"name": "invoice_number"}, "total", "Projekt", "warranty_code", {"nope": 1}, 42]},
    ]
    got = apply_custom_fields(doc, result, schemas)
    assert got == {
        "po_number": "PO-99812",
        "Kundennummer": "K-44721",
        "delivery_date": date(2025, 2, 28),
        "invoice_number": "RE-2025-0815",
        "total": Decimal("117.81"),
        "Projekt": "Hafenkante 3",
        "warranty_code": None,
    }
    assert result["purchase_order"] == "PO-99812"
    assert result["subtotal"] == Decimal("99.00") and result["tax_total"] == Decimal("18.81")


def test_no_schemas_no_fields() -> None:
    data = _invoice_pdf()
    doc = load_document(data)
    assert apply_custom_fields(doc, {"document_type": "invoice"}, []) == {}


def test_statement_fields_take_the_account_values() -> None:
    """On a statement, `iban`/`currency` name the account's, not an invoice vendor's."""
    from ledgerlens.extract.statement import extract_statement
    from tests.gen.statements import make_statement

    pdf, truth = make_statement("de_mainufer", seed=1)
    doc = load_document(pdf)
    result = extract_statement(doc)
    fields = apply_custom_fields(doc, result, [{"fields": ["iban", "currency", "closing_balance"]}])
    info = truth["account_info"]
    assert info["iban"] is not None
    assert fields["iban"] == info["iban"]
    assert fields["currency"] == info["currency"]
    assert fields["closing_balance"] == Decimal(info["closing_balance"])
