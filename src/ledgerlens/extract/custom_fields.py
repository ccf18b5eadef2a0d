"""Tenant-defined fields: each name in an active schema is looked up as a label on the page.

A field such as `po_number` or `Kundennummer` is matched against the page's labels (its own words,
plus common synonyms in six languages) and read with the same label–value geometry as the built-in
header fields (value right of or under the label). Names that are already result keys
(`invoice_number`, `total`, `vendor_name`, `iban`) take the validated result value.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from ledgerlens.documents.model import Document
from ledgerlens.extract.dates import DateOrder, detect_date_order
from ledgerlens.extract.fieldvalues import ValueKind, value_for
from ledgerlens.extract.labels import LabelHit, PageLines, document_lines, fold
from ledgerlens.extract.numbers import detect_decimal_separator

_SYNONYMS: dict[str, list[str]] = {
    "po": [r"purchase\s+order(?:\s+(?:number|no|nr|#))?", r"p\.?\s?o\.?\s*(?:number|no|#)?",
        r"bestell(?:nummer|nr)",
           r"bestellung", r"bon\s+de\s+commande", r"commande", r"orden\s+de\s+compra", r"pedido",
           r"inkooporder", r"bestelnummer", r"ordine", r"buyer.?s?\s+order\s+no"],
    "order": [r"order\s*(?:number|no|nr|#)?", r"ordernummer", r"auftrag(?:snummer)?", r"commande", r"pedido",
        r"ordine"],
    "customer": [r"customer\s*(?:number|no|id|#)", r"client\s*(?:number|no|id)", r"kunden(?:nummer|nr)",
        r"kd\.?-?nr",
                 r"klant(?:nummer|nr)", r"n°\s*client", r"numero\s+(?:de\s+)?client(?:e)?",
                     r"account\s+(?:number|no)"],
    "delivery": [r"delivery\s+date", r"date\s+of\s+delivery", r"lieferdatum", r"leistungsdatum",
        r"date\s+de\s+livraison",
                 r"fecha\s+de\s+entrega", r"leverdatum", r"data\s+(?:di\s+)?consegna", r"ship\s+date"],
    "reference": [r"reference", r"ref\.?", r"your\s+ref(?:erence)?", r"ihr\s+zeichen", r"referenz",
        r"kenmerk",
                  r"referencia", r"riferimento", r"votre\s+reference"],
    "vat": [r"vat\s*(?:id|no|number|reg)?", r"ust\.?-?id(?:nr)?", r"btw(?:-?nr|nummer)?", r"tva", r"iva",
        r"gstin",
            r"tax\s+id", r"abn"],
    "contract": [r"contract\s*(?:number|no)?", r"vertrag(?:snummer|snr)?", r"contrat", r"contrato",
        r"contratto"],
    "project": [r"project(?:\s+(?:number|no|name))?", r"projekt(?:nummer)?", r"projet", r"proyecto",
        r"progetto"],
}  # fmt: skip

# Field names that are result keys (or paths) already, with their spellings.
_RESULT_KEYS: dict[str, str] = {
    "invoicenumber": "invoice_number", "invoiceno": "invoice_number", "invoiceid": "invoice_number",
    "invoicedate": "invoice_date", "issuedate": "invoice_date", "date": "invoice_date",
    "duedate": "due_date", "paymentduedate": "due_date",
    "ponumber": "purchase_order", "purchaseorder": "purchase_order", "purchaseordernumber": "purchase_order",
    "currency": "currency|account_info.currency",
    "subtotal": "subtotal", "nettotal": "subtotal", "taxtotal": "tax_total",
    "tax": "tax_total", "vat": "tax_total", "taxamount": "tax_total", "total": "total",
        "totalamount": "total",
    "grandtotal": "total", "amountdue": "amount_due", "balancedue": "amount_due",
        "paymentterms": "payment_terms",
    "vendor": "vendor.name", "vendorname": "vendor.name", "supplier": "vendor.name",
        "suppliername": "vendor.name",
    "seller": "vendor.name", "vendoraddress": "vendor.address", "vendortaxid": "vendor.tax_id",
    "vendorvat": "vendor.tax_id", "vatnumber": "vendor.tax_id", "vatid": "vendor.tax_id",
        "taxid": "vendor.tax_id",
    "iban": "vendor.iban|account_info.iban", "bic": "vendor.bic|account_info.bic",
    "vendoremail": "vendor.email", "vendorphone": "vendor.phone",
    "customer": "customer.name", "customername": "customer.name", "buyer": "customer.name",
    "customeraddress": "customer.address", "customertaxid": "customer.tax_id",
    "bankname": "account_info.bank_name", "accountholder": "account_info.account_holder",
    "accountnumber": "account_info.account_number", "openingbalance": "account_info.opening_balance",
    "closingbalance": "account_info.closing_balance", "statementstart": "account_info.statement_period.start",
    "statementend": "account_info.statement_period.end",
}  # fmt: skip


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[\s_\-./]+", fold(spaced)) if w]


def _field_spec(field: Any) -> tuple[str, str | None, str | None] | None:
    if isinstance(field, str):
        return field, None, None
    if isinstance(field, dict) and isinstance(field.get("name"), str):
        t = field.get("type")
        d = field.get("description")
        return field["name"], t if isinstance(t, str) else None, d if isinstance(d, str) else None
    return None


def field_names(schemas: list[dict[str, Any]]) -> list[tuple[str, str | None, str | None]]:
    """(name, type, description) of every field in the schemas, first occurrence of a name wins."""
    out: list[tuple[str, str | None, str | None]] = []
    seen: set[str] = set()
    for schema in schemas:
        body = schema.get("schema_string", schema) if isinstance(schema, dict) else None
        fields = body.get("fields") if isinstance(body, dict) else None
        if not isinstance(fields, list):
            continue
        for f in fields:
            spec = _field_spec(f)
            if spec and spec[0] not in seen:
                seen.add(spec[0])
                out.append(spec)
    return out


def _kind(name: str, ftype: str | None) -> ValueKind:
    t = (ftype or "").lower()
    words = _words(name)
    if t in ("date", "datetime") or "date" in words or "datum" in words:
        return "date"
    if t in ("number", "decimal", "amount", "money", "float", "integer", "currency_amount") or (
        set(words) & {"amount", "total", "subtotal", "betrag", "summe", "montant", "importe", "price"}
    ):
        return "money"
    return "text"


def _patterns(name: str) -> list[str]:
    words = _words(name)
    pats = [r"\s*".join(re.escape(w) for w in words)] if words else []
    keys = set(words)
    if keys & {"po", "purchase"}:
        pats += _SYNONYMS["po"]
    if "order" in keys and not keys & {"po", "purchase"}:
        pats += _SYNONYMS["order"]
    if keys & {"customer", "client", "kunde", "klant"} and keys & {"number", "no", "id", "nr", "nummer"}:
        pats += _SYNONYMS["customer"]
    if keys & {"delivery", "shipping", "lieferdatum", "leistungsdatum"}:
        pats += _SYNONYMS["delivery"]
    if keys & {"reference", "ref"}:
        pats += _SYNONYMS["reference"]
    if keys & {"vat", "tax"} and keys & {"id", "number", "no"}:
        pats += _SYNONYMS["vat"]
    if "contract" in keys:
        pats += _SYNONYMS["contract"]
    if "project" in keys:
        pats += _SYNONYMS["project"]
    return pats


def _result_value(result: dict[str, Any], name: str) -> tuple[bool, Any]:
    """The result's own value for a field named like a result key; `a|b` tries an invoice path,
    then a statement one (an `iban` field means the vendor's on an invoice, the account's on a statement)."""
    keys = _RESULT_KEYS.get("".join(_words(name)))
    if keys is None:
        return False, None
    for key in keys.split("|"):
        cur: Any = result
        for part in key.split("."):
            if not isinstance(cur, dict) or part not in cur:
                break
            cur = cur[part]
        else:
            return True, cur
    return False, None


def _page_value(
    pages: list[PageLines], name: str, kind: ValueKind, order: DateOrder, decimal_sep: str | None
) -> Any:
    pats = _patterns(name)
    if not pats:
        return None
    rx = re.compile(r"(?<![a-z0-9_])(?:" + "|".join(pats) + r")(?![a-z_])\s*[:#.]?")
    for pl in pages:
        for tl in pl.lines:
            for m in rx.finditer(tl.folded):
                if m.end() <= m.start():
                    continue
                hit = LabelHit(name, 5, pl.number, tl, m.start(), m.end())
                found = value_for(hit, kind, pages, order=order, decimal_sep=decimal_sep)
                if found is None and kind == "text":
                    found = value_for(hit, "ref", pages, order=order, decimal_sep=decimal_sep)
                if found is not None:
                    value = found.value
                    if isinstance(value, str | date | Decimal):
                        return value
    return None


def apply_custom_fields(
    doc: Document, result: dict[str, Any], schemas: list[dict[str, Any]]
) -> dict[str, Any]:
    """`{field name: value or None}` for every field of the active schemas."""
    specs = field_names(schemas)
    if not specs:
        return {}
    pages = document_lines(doc)
    texts = [tl.text for pl in pages for tl in pl.lines]
    order = detect_date_order(texts)
    decimal_sep = detect_decimal_separator(texts)
    out: dict[str, Any] = {}
    for name, ftype, _desc in specs:
        known, value = _result_value(result, name)
        if known and value is not None:
            out[name] = value
            continue
        out[name] = _page_value(pages, name, _kind(name, ftype), order, decimal_sep)
    return out
