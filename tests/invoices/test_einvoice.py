"""Embedded e-invoice XML: read exactly, hostile XML refused, page disagreements reported."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from ledgerlens.extract.einvoice import EInvoiceRefused, parse_xml, read_embedded_einvoice
from tests.gen.einvoice import EINVOICE_FAMILIES, embed_xml, make_einvoice
from tests.invoices.helpers import extract, same


def _walk(truth: Any, pred: Any, path: str, bad: list[str]) -> None:
    if isinstance(truth, dict):
        for k, v in truth.items():
            _walk(v, pred.get(k) if isinstance(pred, dict) else None, f"{path}.{k}", bad)
    elif isinstance(truth, list):
        if not isinstance(pred, list) or len(pred) != len(truth):
            bad.append(f"{path}: {len(truth)} entries, got {pred!r}")
            return
        for i, (t, p) in enumerate(zip(truth, pred, strict=True)):
            _walk(t, p, f"{path}[{i}]", bad)
    elif not same(truth, pred):
        bad.append(f"{path}: want {truth!r}, got {pred!r}")


@pytest.mark.corpus
def test_corpus_einvoices_match_truth_exactly(corpus_dir: Path) -> None:
    files = sorted((corpus_dir / "einvoice").glob("*.pdf"))
    assert files, "no e-invoices in the corpus"
    for pdf in files:
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        _doc, result = extract(pdf.read_bytes())
        bad: list[str] = []
        _walk(truth, result, pdf.stem, bad)
        assert not bad, bad


@pytest.mark.parametrize("family", EINVOICE_FAMILIES[:3])
def test_generated_einvoices_read_from_xml(family: str) -> None:
    pdf, truth, _xml = make_einvoice(family, seed=3)
    _doc, result = extract(pdf)
    assert result["source"] == "embedded_xml"
    for key in ("invoice_number", "invoice_date", "currency", "subtotal", "tax_total", "total", "amount_due"):
        if key in truth:
            assert same(truth[key], result[key]), (key, truth[key], result[key])
    assert len(result["line_items"]) == len(truth["line_items"])
    for t, p in zip(truth["line_items"], result["line_items"], strict=True):
        assert same(t["amount"], p["amount"]) and same(t["quantity"], p["quantity"])


def _pdf_with_text(lines: list[str]) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    y = 800
    for line in lines:
        c.drawString(60, y, line)
        y -= 18
    c.save()
    return buf.getvalue()


_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
<rsm:ExchangedDocument><ram:ID>&x;</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>"""

_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&lol4;
</rsm:CrossIndustryInvoice>"""


@pytest.mark.parametrize("xml", [_XXE, _LAUGHS], ids=["xxe", "billion-laughs"])
def test_hostile_xml_is_refused_and_the_page_is_read(xml: bytes) -> None:
    with pytest.raises(EInvoiceRefused):
        parse_xml(xml)
    page = _pdf_with_text(
        ["INVOICE", "Invoice No: INV-7781", "Invoice date: 2025-03-04", "Total: 119.00 EUR"]
    )
    pdf = embed_xml(page, xml)
    reading = read_embedded_einvoice(pdf)
    assert reading.result is None and any("refused" in w for w in reading.warnings)
    _doc, result = extract(pdf)
    assert result["source"] == "visual"
    assert result["invoice_number"] == "INV-7781"
    assert result["total"] == "119.00"
    assert "root:" not in json.dumps(result)
    assert any("refused" in w for w in result["warnings"])


def test_page_disagreement_is_reported() -> None:
    _pdf, truth, xml = make_einvoice("inv_de_handwerk", seed=5)
    other = xml.replace(str(truth["invoice_number"]).encode(), b"XML-DIFFERENT-1", 1)
    tampered = embed_xml(_pdf_with_text(["Rechnung", f"Rechnungsnummer {truth['invoice_number']}"]), other)
    _doc, result = extract(tampered)
    assert result["source"] == "embedded_xml"
    assert result["invoice_number"] == "XML-DIFFERENT-1"
    assert any("invoice number" in w for w in result["warnings"])


_UBL = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>UBL-2025-77</cbc:ID><cbc:IssueDate>2025-03-04</cbc:IssueDate><cbc:DueDate>2025-04-03</cbc:DueDate>
 <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:OrderReference><cbc:ID>PO-4411</cbc:ID></cac:OrderReference>
 <cac:AccountingSupplierParty>
 <cac:Party><cac:PartyName><cbc:Name>Nordwind Handel GmbH</cbc:Name></cac:PartyName>
  <cac:PostalAddress><cbc:StreetName>Hafenweg 3</cbc:StreetName><cbc:CityName>Kiel</cbc:CityName>
  <cbc:PostalZone>24103</cbc:PostalZone>
  <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
  </cac:PostalAddress><cac:PartyTaxScheme><cbc:CompanyID>DE811907980</cbc:CompanyID></cac:PartyTaxScheme>
 </cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty>
 <cac:Party><cac:PartyName><cbc:Name>Kunde KG</cbc:Name></cac:PartyName>
 </cac:Party>
 </cac:AccountingCustomerParty>
 <cac:PaymentMeans>
  <cac:PayeeFinancialAccount><cbc:ID>DE89 3704 0044 0532 0130 00</cbc:ID></cac:PayeeFinancialAccount>
 </cac:PaymentMeans>
 <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">38.00</cbc:TaxAmount>
  <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">200.00</cbc:TaxableAmount>
  <cbc:TaxAmount currencyID="EUR">38.00</cbc:TaxAmount>
  <cac:TaxCategory><cbc:Percent>19</cbc:Percent></cac:TaxCategory>
  </cac:TaxSubtotal></cac:TaxTotal>
 <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">200.00</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="EUR">200.00</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="EUR">238.00</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="EUR">238.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
 <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">4</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="EUR">200.00</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Tauwerk 12 mm</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="EUR">50.00</cbc:PriceAmount></cac:Price>
 </cac:InvoiceLine>
</Invoice>"""


def test_ubl_invoice_is_mapped() -> None:
    page = _pdf_with_text(["Rechnung UBL-2025-77", "Datum 04.03.2025", "Gesamtbetrag 238,00 EUR"])
    _doc, result = extract(embed_xml(page, _UBL.encode("utf-8"), filename="xrechnung.xml"))
    assert result["source"] == "embedded_xml"
    assert result["invoice_number"] == "UBL-2025-77"
    assert (result["invoice_date"], result["due_date"]) == ("2025-03-04", "2025-04-03")
    assert result["purchase_order"] == "PO-4411"
    assert result["vendor"]["name"] == "Nordwind Handel GmbH"
    assert result["vendor"]["address"] == "Hafenweg 3, 24103 Kiel, DE"
    assert result["vendor"]["tax_id"] == "DE811907980"
    assert result["vendor"]["iban"] == "DE89370400440532013000"
    assert result["line_items"][0]["quantity"] == "4" and result["line_items"][0]["amount"] == "200.00"
    assert result["taxes"] == [{"rate": "19", "base": "200.00", "amount": "38.00"}]
    assert (result["subtotal"], result["tax_total"], result["total"], result["amount_due"]) == (
        "200.00",
        "38.00",
        "238.00",
        "238.00",
    )
    assert result["warnings"] == []
