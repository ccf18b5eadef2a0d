"""Structured e-invoices embedded in PDFs (Factur-X, ZUGFeRD 1/2, XRechnung CII, UBL) -> invoice dict.

When a PDF carries the seller's own XML, that XML is the invoice and the page is only a rendering of
it, so reading it beats any visual extraction. The XML comes from outside, so it is parsed with
defusedxml with DTDs forbidden: no entity expansion (billion laughs), no external entities (XXE),
no network. Elements are matched by local name, which covers the namespaces of every CII version
(ZUGFeRD 1.0 `CrossIndustryDocument`, its 2014 draft `rsm:Invoice`, D16B `CrossIndustryInvoice`) and
UBL 2.1 `Invoice`/`CreditNote`.
"""

from __future__ import annotations

import ctypes
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

MAX_XML_BYTES = 5_000_000
"""Largest attachment read: real e-invoices are tens of kilobytes."""

MAX_ATTACHMENTS = 50


class EInvoiceRefused(Exception):
    """The embedded XML is hostile (DTD, entities) or malformed; the caller falls back to the page."""


@dataclass(slots=True)
class EmbeddedXml:
    name: str
    data: bytes


def _pdfium_attachments(data: bytes) -> list[EmbeddedXml]:
    """Read /EmbeddedFiles with pdfium's attachment API (no rendering, no text extraction)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:
        return []
    out: list[EmbeddedXml] = []
    try:
        count = min(int(raw.FPDFDoc_GetAttachmentCount(pdf.raw)), MAX_ATTACHMENTS)
        for i in range(count):
            att = raw.FPDFDoc_GetAttachment(pdf.raw, i)
            if not att:
                continue
            nlen = int(raw.FPDFAttachment_GetName(att, None, 0))
            name = ""
            if nlen > 2:
                nbuf = (ctypes.c_ushort * (nlen // 2 + 1))()
                raw.FPDFAttachment_GetName(att, nbuf, nlen)
                name = bytes(nbuf)[: nlen - 2].decode("utf-16-le", errors="replace")
            size = ctypes.c_ulong(0)
            if not raw.FPDFAttachment_GetFile(att, None, 0, ctypes.byref(size)):
                continue
            if size.value == 0 or size.value > MAX_XML_BYTES:
                continue
            buf = (ctypes.c_char * size.value)()
            if not raw.FPDFAttachment_GetFile(att, buf, size.value, ctypes.byref(size)):
                continue
            out.append(EmbeddedXml(name, bytes(buf)[: size.value]))
    finally:
        pdf.close()
    return out


def embedded_xml_files(data: bytes) -> list[EmbeddedXml]:
    """XML attachments of a PDF, e-invoice names first; [] for non-PDFs or PDFs without any."""
    if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        return []
    files: list[EmbeddedXml] = []
    try:
        from ledgerlens.documents import pdf as docpdf

        reader = getattr(docpdf, "embedded_files", None)
        if reader is not None:
            files = [EmbeddedXml(str(n), bytes(b)) for n, b in reader(data)]
        else:
            files = _pdfium_attachments(data)
    except ImportError:
        files = _pdfium_attachments(data)
    except Exception:
        files = _pdfium_attachments(data)
    xmls = [f for f in files if f.name.lower().endswith(".xml") or f.data.lstrip()[:5] == b"<?xml"]
    known = ("factur-x", "zugferd", "xrechnung", "order-x", "invoice")
    xmls.sort(key=lambda f: 0 if any(k in f.name.lower() for k in known) else 1)
    return [f for f in xmls if len(f.data) <= MAX_XML_BYTES]


# ---------------------------------------------------------------- XML navigation by local name


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kids(el: ET.Element | None, name: str) -> list[ET.Element]:
    if el is None:
        return []
    return [c for c in el if _local(c.tag) == name]


def _kid(el: ET.Element | None, *names: str) -> ET.Element | None:
    """First child (in the order of `names`) whose local name matches."""
    if el is None:
        return None
    for name in names:
        for c in el:
            if _local(c.tag) == name:
                return c
    return None


def _path(el: ET.Element | None, path: str) -> ET.Element | None:
    """Follow `A|A2/B/C` (alternatives separated by `|`) by local names."""
    cur = el
    for step in path.split("/"):
        cur = _kid(cur, *step.split("|"))
        if cur is None:
            return None
    return cur


def _text(el: ET.Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    t = re.sub(r"\s+", " ", el.text).strip()
    return t or None


def _ptext(el: ET.Element | None, path: str) -> str | None:
    return _text(_path(el, path))


def _dec(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _money(text: str | None) -> Decimal | None:
    """Money with at least two decimals, extra digits kept (`3.3333`)."""
    value = _dec(text)
    if value is None:
        return None
    value = value.normalize()
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and exp > -2:
        return value.quantize(Decimal("0.01"))
    return value


def _qty(text: str | None) -> Decimal | None:
    """Quantities and rates drop trailing zeros (`20.0000` -> `20`)."""
    value = _dec(text)
    if value is None:
        return None
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return value


def _cii_date(el: ET.Element | None) -> date | None:
    """`udt:DateTimeString format="102"` (YYYYMMDD) or an ISO date/datetime."""
    if el is None:
        return None
    node = _kid(el, "DateTimeString", "DateString")
    if node is None:
        node = el
    raw = (node.text or "").strip()
    m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})", raw)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_xml(data: bytes) -> ET.Element:
    """Parse untrusted XML: DTDs, entities and external references are refused."""
    if len(data) > MAX_XML_BYTES:
        raise EInvoiceRefused("embedded XML too large")
    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise EInvoiceRefused(f"embedded XML refused: {type(exc).__name__}") from exc
    except ET.ParseError as exc:
        raise EInvoiceRefused(f"embedded XML is malformed: {exc}") from exc


def is_einvoice_root(root: ET.Element) -> bool:
    name = _local(root.tag)
    if name in ("CrossIndustryInvoice", "CrossIndustryDocument", "CreditNote"):
        return True
    if name == "Invoice":
        return any(_local(c.tag) in ("HeaderExchangedDocument", "ExchangedDocument", "ID") for c in root)
    return False


# ---------------------------------------------------------------- CII (ZUGFeRD / Factur-X / XRechnung)

_ID_LINE = re.compile(r"^(GLN|ILN|Lief[\w.-]*|Kd[\w.-]*|Kunden[\w.-]*nr\.?)\b", re.IGNORECASE)


def _party_name(raw: str | None) -> str | None:
    """Party name without leading id lines such as `GLN 4000001123452` or `Lief-Nr: 123`."""
    if raw is None:
        return None
    return re.sub(r"\s+", " ", raw).strip() or None


def _party_name_lines(el: ET.Element | None) -> str | None:
    node = _kid(el, "Name")
    if node is None or node.text is None:
        return None
    lines = [ln.strip() for ln in node.text.splitlines() if ln.strip()]
    while len(lines) > 1 and (_ID_LINE.match(lines[0]) or re.fullmatch(r"[\d\s./-]+", lines[0])):
        lines.pop(0)
    return _party_name(" ".join(lines))


def _cii_address(party: ET.Element | None) -> str | None:
    addr = _kid(party, "PostalTradeAddress")
    if addr is None:
        return None
    parts = [_ptext(addr, n) for n in ("LineOne", "LineTwo", "LineThree")]
    city = " ".join(x for x in (_ptext(addr, "PostcodeCode"), _ptext(addr, "CityName")) if x)
    parts.append(city or None)
    parts.append(_ptext(addr, "CountryID"))
    joined = ", ".join(p for p in parts if p)
    return joined or None


def _cii_tax_id(party: ET.Element | None) -> str | None:
    regs = [
        (r.get("schemeID") or "", _text(r))
        for reg in _kids(party, "SpecifiedTaxRegistration")
        for r in _kids(reg, "ID")
    ]
    for scheme in ("VA", "FC"):
        for s, v in regs:
            if s.upper() == scheme and v:
                return re.sub(r"\s", "", v)
    return None


def _cii_party(party: ET.Element | None, *, full: bool) -> dict[str, Any]:
    contact = _kid(party, "DefinedTradeContact")
    out: dict[str, Any] = {
        "name": _party_name_lines(party),
        "address": _cii_address(party),
        "tax_id": _cii_tax_id(party),
    }
    if full:
        out["email"] = _ptext(contact, "EmailURIUniversalCommunication/URIID") or _ptext(
            party, "URIUniversalCommunication/URIID"
        )
        out["phone"] = _ptext(contact, "TelephoneUniversalCommunication/CompleteNumber")
        out["iban"] = None
        out["bic"] = None
    return out


def _map_cii(root: ET.Element) -> dict[str, Any]:
    header = _kid(root, "ExchangedDocument", "HeaderExchangedDocument")
    trans = _kid(root, "SupplyChainTradeTransaction", "SpecifiedSupplyChainTradeTransaction")
    agreement = _kid(trans, "ApplicableHeaderTradeAgreement", "ApplicableSupplyChainTradeAgreement")
    settlement = _kid(trans, "ApplicableHeaderTradeSettlement", "ApplicableSupplyChainTradeSettlement")
    summation = _kid(
        settlement,
        "SpecifiedTradeSettlementHeaderMonetarySummation",
        "SpecifiedTradeSettlementMonetarySummation",
    )
    currency = _ptext(settlement, "InvoiceCurrencyCode")

    type_code = _ptext(header, "TypeCode")
    seller = _kid(agreement, "SellerTradeParty")
    buyer = _kid(agreement, "BuyerTradeParty")
    vendor = _cii_party(seller, full=True)
    for means in _kids(settlement, "SpecifiedTradeSettlementPaymentMeans"):
        iban = _ptext(means, "PayeePartyCreditorFinancialAccount/IBANID")
        bic = _ptext(means, "PayeeSpecifiedCreditorFinancialInstitution/BICID")
        if iban and not vendor["iban"]:
            vendor["iban"] = re.sub(r"\s", "", iban).upper()
        if bic and not vendor["bic"]:
            vendor["bic"] = bic.replace(" ", "").upper()

    due_dates = [
        d
        for t in _kids(settlement, "SpecifiedTradePaymentTerms")
        if (d := _cii_date(_kid(t, "DueDateDateTime")))
    ]
    terms = [
        t for t in (_ptext(x, "Description") for x in _kids(settlement, "SpecifiedTradePaymentTerms")) if t
    ]

    taxes = []
    for tax in _kids(settlement, "ApplicableTradeTax"):
        taxes.append(
            {
                "rate": _qty(_ptext(tax, "RateApplicablePercent|ApplicablePercent")),
                "base": _money(_ptext(tax, "BasisAmount")),
                "amount": _money(_ptext(tax, "CalculatedAmount")),
            }
        )

    tax_total = None
    for node in _kids(summation, "TaxTotalAmount"):
        cur = node.get("currencyID")
        if cur is None or currency is None or cur == currency:
            tax_total = _money(_text(node))
            break

    lines = []
    for item in _kids(trans, "IncludedSupplyChainTradeLineItem"):
        product = _kid(item, "SpecifiedTradeProduct")
        name = _ptext(product, "Name")
        if product is None or name is None:
            continue  # note-only pseudo line
        line_agr = _kid(item, "SpecifiedLineTradeAgreement", "SpecifiedSupplyChainTradeAgreement")
        line_del = _kid(item, "SpecifiedLineTradeDelivery", "SpecifiedSupplyChainTradeDelivery")
        line_set = _kid(item, "SpecifiedLineTradeSettlement", "SpecifiedSupplyChainTradeSettlement")
        line_sum = _kid(
            line_set,
            "SpecifiedTradeSettlementLineMonetarySummation",
            "SpecifiedTradeSettlementMonetarySummation",
        )
        lines.append(
            {
                "description": name,
                "quantity": _qty(_ptext(line_del, "BilledQuantity")),
                "unit_price": _money(_ptext(line_agr, "NetPriceProductTradePrice/ChargeAmount")),
                "amount": _money(_ptext(line_sum, "LineTotalAmount")),
                "tax_rate": _qty(
                    _ptext(line_set, "ApplicableTradeTax/RateApplicablePercent|ApplicablePercent")
                ),
            }
        )
    warnings: list[str] = []
    line_total = _money(_ptext(summation, "LineTotalAmount"))
    _repair_gross_line_totals(lines, line_total, warnings)

    po = _ptext(agreement, "BuyerOrderReferencedDocument/IssuerAssignedID") or _ptext(
        agreement, "BuyerOrderReferencedDocument/ID"
    )
    result: dict[str, Any] = {
        "document_type": "credit_note" if type_code == "381" else "invoice",
        "invoice_number": _ptext(header, "ID"),
        "invoice_date": _cii_date(_kid(header, "IssueDateTime")),
        "due_date": max(due_dates) if due_dates else None,
        "purchase_order": po,
        "currency": currency,
        "vendor": vendor,
        "customer": _cii_party(buyer, full=False),
        "line_items": lines,
        "taxes": taxes,
        "subtotal": line_total
        if line_total is not None
        else _money(_ptext(summation, "TaxBasisTotalAmount")),
        "tax_total": tax_total,
        "total": _money(_ptext(summation, "GrandTotalAmount")),
        "amount_due": _money(_ptext(summation, "DuePayableAmount")),
        "payment_terms": "; ".join(terms) if terms else None,
    }
    if result["amount_due"] is None:
        result["amount_due"] = result["total"]
    result["_warnings"] = warnings
    return result


def _repair_gross_line_totals(
    lines: list[dict[str, Any]], header_total: Decimal | None, warnings: list[str]
) -> None:
    """Some generators put gross values in line totals; qty x net price is right when the header agrees."""
    amounts = [ln["amount"] for ln in lines]
    if header_total is None or not lines or any(a is None for a in amounts):
        return
    if sum(amounts, Decimal(0)) == header_total:
        return
    products = []
    for ln in lines:
        if ln["quantity"] is None or ln["unit_price"] is None:
            return
        products.append((ln["quantity"] * ln["unit_price"]).quantize(Decimal("0.01")))
    if sum(products, Decimal(0)) == header_total:
        for ln, p in zip(lines, products, strict=True):
            ln["amount"] = p
        warnings.append(
            "embedded XML line totals do not add up to its LineTotalAmount; used quantity x net price instead"
        )


# ---------------------------------------------------------------- UBL 2.1


def _ubl_party(party: ET.Element | None, *, full: bool) -> dict[str, Any]:
    p = _kid(party, "Party")
    name = _ptext(p, "PartyName/Name") or _ptext(p, "PartyLegalEntity/RegistrationName")
    addr = _kid(p, "PostalAddress")
    parts = [_ptext(addr, "StreetName"), _ptext(addr, "AdditionalStreetName")]
    parts.append(_ptext(addr, "AddressLine/Line"))
    city = " ".join(x for x in (_ptext(addr, "PostalZone"), _ptext(addr, "CityName")) if x)
    parts.append(city or None)
    parts.append(_ptext(addr, "Country/IdentificationCode"))
    address = ", ".join(x for x in parts if x) or None
    tax_id = None
    for scheme in _kids(p, "PartyTaxScheme"):
        tax_id = _ptext(scheme, "CompanyID")
        if tax_id:
            break
    out: dict[str, Any] = {"name": name, "address": address, "tax_id": tax_id}
    if full:
        out["email"] = _ptext(p, "Contact/ElectronicMail")
        out["phone"] = _ptext(p, "Contact/Telephone")
        out["iban"] = None
        out["bic"] = None
    return out


def _map_ubl(root: ET.Element) -> dict[str, Any]:
    credit = _local(root.tag) == "CreditNote"
    currency = _ptext(root, "DocumentCurrencyCode")
    vendor = _ubl_party(_kid(root, "AccountingSupplierParty"), full=True)
    for means in _kids(root, "PaymentMeans"):
        iban = _ptext(means, "PayeeFinancialAccount/ID")
        bic = _ptext(means, "PayeeFinancialAccount/FinancialInstitutionBranch/ID")
        if iban and not vendor["iban"]:
            vendor["iban"] = re.sub(r"\s", "", iban).upper()
        if bic and not vendor["bic"]:
            vendor["bic"] = bic.upper()
    taxes = []
    tax_total = None
    for tt in _kids(root, "TaxTotal"):
        amount_el = _kid(tt, "TaxAmount")
        if amount_el is not None and (currency is None or amount_el.get("currencyID") in (None, currency)):
            tax_total = _money(_text(amount_el))
            for sub in _kids(tt, "TaxSubtotal"):
                taxes.append(
                    {
                        "rate": _qty(_ptext(sub, "TaxCategory/Percent")),
                        "base": _money(_ptext(sub, "TaxableAmount")),
                        "amount": _money(_ptext(sub, "TaxAmount")),
                    }
                )
            break
    lines = []
    for line in _kids(root, "CreditNoteLine" if credit else "InvoiceLine"):
        qty = _qty(_ptext(line, "CreditedQuantity|InvoicedQuantity"))
        amount = _money(_ptext(line, "LineExtensionAmount"))
        if qty is not None and qty == 0 and (amount is None or amount == 0):
            continue  # a section title or note carried as a zero line
        lines.append(
            {
                "description": _ptext(line, "Item/Name") or _ptext(line, "Item/Description"),
                "quantity": qty,
                "unit_price": _money(_ptext(line, "Price/PriceAmount")),
                "amount": amount,
                "tax_rate": _qty(_ptext(line, "Item/ClassifiedTaxCategory/Percent")),
            }
        )
    totals = _kid(root, "LegalMonetaryTotal")
    due = _ptext(root, "DueDate") or _ptext(root, "PaymentMeans/PaymentDueDate")
    total = _money(_ptext(totals, "TaxInclusiveAmount"))
    result: dict[str, Any] = {
        "document_type": "credit_note" if credit or _ptext(root, "InvoiceTypeCode") == "381" else "invoice",
        "invoice_number": _ptext(root, "ID"),
        "invoice_date": _iso(_ptext(root, "IssueDate")),
        "due_date": _iso(due),
        "purchase_order": _ptext(root, "OrderReference/ID"),
        "currency": currency,
        "vendor": vendor,
        "customer": _ubl_party(_kid(root, "AccountingCustomerParty"), full=False),
        "line_items": lines,
        "taxes": taxes,
        "subtotal": _money(_ptext(totals, "LineExtensionAmount"))
        or _money(_ptext(totals, "TaxExclusiveAmount")),
        "tax_total": tax_total,
        "total": total,
        "amount_due": _money(_ptext(totals, "PayableAmount")) or total,
        "payment_terms": _ptext(root, "PaymentTerms/Note"),
        "_warnings": [],
    }
    return result


def _iso(text: str | None) -> date | None:
    if not text:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def map_einvoice(root: ET.Element) -> dict[str, Any]:
    """Map a parsed CII or UBL root to the invoice fields of RESULT_SCHEMA (plus `_warnings`)."""
    name = _local(root.tag)
    is_ubl = name == "CreditNote" or (
        name == "Invoice"
        and _kid(root, "HeaderExchangedDocument") is None
        and _kid(root, "ExchangedDocument") is None
    )
    return _map_ubl(root) if is_ubl else _map_cii(root)


@dataclass(slots=True)
class EInvoiceReading:
    result: dict[str, Any] | None
    """Mapped invoice fields, or None when no usable e-invoice XML was found."""
    warnings: list[str]
    attachment: str | None = None


def read_embedded_einvoice(data: bytes | None) -> EInvoiceReading:
    """Find and map the PDF's e-invoice XML; hostile or broken XML gives warnings, never an exception."""
    if not data:
        return EInvoiceReading(None, [])
    warnings: list[str] = []
    try:
        files = embedded_xml_files(data)
    except Exception as exc:  # a broken attachment table must not stop visual extraction
        return EInvoiceReading(None, [f"could not read PDF attachments: {type(exc).__name__}"])
    for f in files:
        try:
            root = parse_xml(f.data)
        except EInvoiceRefused as exc:
            warnings.append(f"{exc} in attachment {f.name!r}; read the page instead")
            continue
        if not is_einvoice_root(root):
            continue
        try:
            mapped = map_einvoice(root)
        except Exception as exc:  # an unexpected structure: fall back to the page
            warnings.append(f"embedded e-invoice {f.name!r} could not be mapped ({type(exc).__name__})")
            continue
        warnings.extend(mapped.pop("_warnings", []))
        return EInvoiceReading(mapped, warnings, f.name)
    return EInvoiceReading(None, warnings)
