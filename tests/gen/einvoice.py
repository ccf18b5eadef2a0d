"""Hybrid e-invoices: a generated invoice PDF with a matching Factur-X / ZUGFeRD 2 (CII D16B) XML attached.

The XML is built from the same truth the page shows, so a reader of the embedded XML and a reader
of the page must agree. Not a full PDF/A-3 (no colour profile), but the attachment, /AF and the
Factur-X XMP declaration are laid out as real files carry them.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

import pikepdf

from tests.gen.invoices import make_invoice

EINVOICE_FAMILIES = [
    "inv_de_handwerk",
    "inv_fr_facture",
    "inv_nl_factuur",
    "inv_it_fattura",
    "inv_es_factura",
    "inv_ch_rechnung",
    "inv_at_grosshandel",
]

_COUNTRY_BY_FAMILY = {
    "inv_de_handwerk": "DE",
    "inv_fr_facture": "FR",
    "inv_nl_factuur": "NL",
    "inv_it_fattura": "IT",
    "inv_es_factura": "ES",
    "inv_ch_rechnung": "CH",
    "inv_at_grosshandel": "AT",
}
_COUNTRY_NAMES = {"Deutschland", "France", "Nederland", "Italia", "España", "Schweiz", "Österreich"}

PROFILES = {
    "EN16931": ("urn:cen.eu:en16931:2017", "EN 16931", "factur-x.xml"),
    "BASIC": ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "BASIC", "factur-x.xml"),
    "ZUGFERD2": ("urn:cen.eu:en16931:2017", "EN 16931", "zugferd-invoice.xml"),
}


def _split_address(address: str) -> tuple[str, str, str]:
    """'street, 12345 City[, Country or code]' -> (line one, postcode, city)."""
    parts = [p.strip() for p in address.split(",")]
    if parts and (parts[-1] in _COUNTRY_NAMES or re.fullmatch(r"[A-Z]{2}", parts[-1])):
        parts = parts[:-1]
    city_part = parts[-1]
    m = re.match(r"^(\d{4} [A-Z]{2}|\d{4,5})\s+(.+)$", city_part)
    if not m:
        return ", ".join(parts[:-1]), "", city_part
    return ", ".join(parts[:-1]), m.group(1), m.group(2)


def _d(iso: str) -> str:
    return iso.replace("-", "")


def _e(v: Any) -> str:
    return escape(str(v))


def _party_xml(tag: str, party: dict[str, Any], country: str, with_bank: bool = False) -> str:
    line1, postcode, city = _split_address(party["address"])
    out = [f"<ram:{tag}>", f"<ram:Name>{_e(party['name'])}</ram:Name>"]
    if party.get("phone") or party.get("email"):
        out.append("<ram:DefinedTradeContact>")
        if party.get("phone"):
            out.append(
                f"<ram:TelephoneUniversalCommunication><ram:CompleteNumber>{_e(party['phone'])}"
                "</ram:CompleteNumber></ram:TelephoneUniversalCommunication>"
            )
        if party.get("email"):
            out.append(
                f"<ram:EmailURIUniversalCommunication><ram:URIID>{_e(party['email'])}</ram:URIID>"
                "</ram:EmailURIUniversalCommunication>"
            )
        out.append("</ram:DefinedTradeContact>")
    out.append("<ram:PostalTradeAddress>")
    if postcode:
        out.append(f"<ram:PostcodeCode>{_e(postcode)}</ram:PostcodeCode>")
    out.append(f"<ram:LineOne>{_e(line1)}</ram:LineOne>")
    out.append(f"<ram:CityName>{_e(city)}</ram:CityName><ram:CountryID>{country}</ram:CountryID>")
    out.append("</ram:PostalTradeAddress>")
    if party.get("tax_id"):
        out.append(
            f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{_e(party["tax_id"])}</ram:ID>'
            "</ram:SpecifiedTaxRegistration>"
        )
    out.append(f"</ram:{tag}>")
    return "".join(out)


def build_cii_xml(truth: dict[str, Any], country: str, profile: str = "EN16931") -> bytes:
    """CII D16B CrossIndustryInvoice for an invoice truth (RESULT_SCHEMA form)."""
    guideline = PROFILES[profile][0]
    cur = truth["currency"]
    type_code = "381" if truth["document_type"] == "credit_note" else "380"
    x: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"'
        ' xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"'
        ' xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"'
        ' xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">',
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
        f"<ram:ID>{guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>"
        "</rsm:ExchangedDocumentContext>",
        f"<rsm:ExchangedDocument><ram:ID>{_e(truth['invoice_number'])}</ram:ID><ram:TypeCode>{type_code}"
        f'</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format="102">{_d(truth["invoice_date"])}'
        "</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>",
        "<rsm:SupplyChainTradeTransaction>",
    ]
    for i, ln in enumerate(truth["line_items"], start=1):
        qty = ln.get("quantity") or "1"
        price = ln.get("unit_price") or ln["amount"]
        x.append(
            "<ram:IncludedSupplyChainTradeLineItem>"
            f"<ram:AssociatedDocumentLineDocument><ram:LineID>{i}</ram:LineID></ram:AssociatedDocumentLineDocument>"
            f"<ram:SpecifiedTradeProduct><ram:Name>{_e(ln['description'])}</ram:Name></ram:SpecifiedTradeProduct>"
            "<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>"
            f"<ram:ChargeAmount>{price}</ram:ChargeAmount></ram:NetPriceProductTradePrice>"
            "</ram:SpecifiedLineTradeAgreement>"
            f'<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">{qty}</ram:BilledQuantity>'
            "</ram:SpecifiedLineTradeDelivery>"
            "<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>"
            f"<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{ln['tax_rate']}"
            "</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
            "<ram:SpecifiedTradeSettlementLineMonetarySummation>"
            f"<ram:LineTotalAmount>{ln['amount']}</ram:LineTotalAmount>"
            "</ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>"
            "</ram:IncludedSupplyChainTradeLineItem>"
        )
    x.append("<ram:ApplicableHeaderTradeAgreement>")
    x.append(_party_xml("SellerTradeParty", truth["vendor"], country))
    x.append(_party_xml("BuyerTradeParty", truth["customer"], country))
    if truth.get("purchase_order"):
        x.append(
            f"<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{_e(truth['purchase_order'])}"
            "</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>"
        )
    x.append("</ram:ApplicableHeaderTradeAgreement><ram:ApplicableHeaderTradeDelivery/>")
    x.append(f"<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>{cur}</ram:InvoiceCurrencyCode>")
    vendor = truth["vendor"]
    if vendor.get("iban"):
        x.append(
            "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>"
            f"<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{vendor['iban']}</ram:IBANID>"
            "</ram:PayeePartyCreditorFinancialAccount>"
        )
        if vendor.get("bic"):
            x.append(
                f"<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>{vendor['bic']}</ram:BICID>"
                "</ram:PayeeSpecifiedCreditorFinancialInstitution>"
            )
        x.append("</ram:SpecifiedTradeSettlementPaymentMeans>")
    for t in truth["taxes"]:
        x.append(
            f"<ram:ApplicableTradeTax><ram:CalculatedAmount>{t['amount']}</ram:CalculatedAmount>"
            f"<ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>{t['base']}</ram:BasisAmount>"
            f"<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{t['rate']}"
            "</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        )
    if truth.get("payment_terms") or truth.get("due_date"):
        x.append("<ram:SpecifiedTradePaymentTerms>")
        if truth.get("payment_terms"):
            x.append(f"<ram:Description>{_e(truth['payment_terms'])}</ram:Description>")
        if truth.get("due_date"):
            x.append(
                f'<ram:DueDateDateTime><udt:DateTimeString format="102">{_d(truth["due_date"])}'
                "</udt:DateTimeString></ram:DueDateDateTime>"
            )
        x.append("</ram:SpecifiedTradePaymentTerms>")
    subtotal = Decimal(truth["subtotal"])
    basis = sum((Decimal(t["base"]) for t in truth["taxes"]), Decimal(0))
    diff = basis - subtotal  # shipping charges minus discounts
    prepaid = Decimal(truth["total"]) - Decimal(truth["amount_due"])
    x.append(
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        f"<ram:LineTotalAmount>{truth['subtotal']}</ram:LineTotalAmount>"
        f"<ram:ChargeTotalAmount>{max(diff, Decimal(0)):.2f}</ram:ChargeTotalAmount>"
        f"<ram:AllowanceTotalAmount>{max(-diff, Decimal(0)):.2f}</ram:AllowanceTotalAmount>"
        f"<ram:TaxBasisTotalAmount>{basis:.2f}</ram:TaxBasisTotalAmount>"
        f'<ram:TaxTotalAmount currencyID="{cur}">{truth["tax_total"]}</ram:TaxTotalAmount>'
        f"<ram:GrandTotalAmount>{truth['total']}</ram:GrandTotalAmount>"
        f"<ram:TotalPrepaidAmount>{prepaid:.2f}</ram:TotalPrepaidAmount>"
        f"<ram:DuePayableAmount>{truth['amount_due']}</ram:DuePayableAmount>"
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
    )
    x.append(
        "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>"
    )
    return "\n".join(x).encode("utf-8")


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
   <fx:DocumentType>INVOICE</fx:DocumentType>
   <fx:DocumentFileName>{filename}</fx:DocumentFileName>
   <fx:Version>1.0</fx:Version>
   <fx:ConformanceLevel>{level}</fx:ConformanceLevel>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def embed_xml(pdf_bytes: bytes, xml: bytes, filename: str = "factur-x.xml", level: str = "EN 16931") -> bytes:
    """Attach the XML as an associated file (/AF, /AFRelationship /Alternative) with Factur-X XMP."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        spec = pikepdf.AttachedFileSpec(
            pdf,
            xml,
            description="Factur-X invoice",
            filename=filename,
            mime_type="text/xml",
            creation_date="D:20250101000000Z",
            mod_date="D:20250101000000Z",
        )
        pdf.attachments[filename] = spec
        fs = pdf.Root.Names.EmbeddedFiles.Names[1]
        fs.AFRelationship = pikepdf.Name.Alternative
        pdf.Root.AF = pikepdf.Array([fs])
        meta = pikepdf.Stream(pdf, _XMP.format(filename=filename, level=level).encode("utf-8"))
        meta.Type = pikepdf.Name.Metadata
        meta.Subtype = pikepdf.Name.XML
        pdf.Root.Metadata = meta
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def make_einvoice(
    family: str, seed: int = 0, profile: str = "EN16931", **opts: Any
) -> tuple[bytes, dict[str, Any], bytes]:
    """(hybrid PDF, truth with source "embedded_xml", the XML). Families: EINVOICE_FAMILIES."""
    if family not in _COUNTRY_BY_FAMILY:
        raise KeyError(f"e-invoice families are {EINVOICE_FAMILIES}")
    # line discounts are off: the XML's net price must equal the printed unit price
    pdf, truth = make_invoice(family, seed, **{"line_discounts": False, **opts})
    xml = build_cii_xml(truth, _COUNTRY_BY_FAMILY[family], profile)
    _, level, filename = PROFILES[profile]
    hybrid = embed_xml(pdf, xml, filename, level)
    # the XML reading: addresses always end in the CountryID, as the shared corpus builds them
    country = _COUNTRY_BY_FAMILY[family]
    parties = {}
    for who in ("vendor", "customer"):
        line1, postcode, city = _split_address(truth[who]["address"])
        parties[who] = {**truth[who], "address": f"{line1}, {postcode} {city}, {country}"}
    truth = {**truth, **parties, "source": "embedded_xml"}
    return hybrid, truth, xml
