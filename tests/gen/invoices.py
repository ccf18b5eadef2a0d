"""Invoices and credit notes in many layout families with exact RESULT_SCHEMA truth.

A family fixes language, tax regime, number/date conventions, the items-table columns and where the
header blocks sit; the seed varies parties, items, fonts, spacing and which optional elements appear
(discounts, shipping, prepayments, purchase orders, printed due dates).
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from tests.gen import scan
from tests.gen.common import (
    canon,
    canon_num,
    fmt_date,
    fmt_num,
    fonts,
    iban_print,
    make_bic,
    make_iban,
    text_width,
    wrap_words,
)

CENT = Decimal("0.01")


def r2(v: Decimal) -> Decimal:
    return v.quantize(CENT, rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------ tax ids


def gstin(rng: random.Random, state: str) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    pan = "".join(rng.choice(letters) for _ in range(3)) + "C" + rng.choice(letters)
    pan += "".join(rng.choice("0123456789") for _ in range(4)) + rng.choice(letters)
    body = state + pan + "1Z"
    chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = 0
    for i, ch in enumerate(body):
        prod = chars.index(ch) * (1 if i % 2 == 0 else 2)
        total += prod // 36 + prod % 36
    return body + chars[(36 - total % 36) % 36]


def abn(rng: random.Random) -> str:
    weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(10)]
        d = digits.copy()
        d[0] -= 1
        if sum(a * b for a, b in zip(d, weights, strict=True)) % 89 == 0:
            return "".join(map(str, digits))


def fr_vat(rng: random.Random) -> str:
    siren = rng.randint(100_000_000, 999_999_999)
    key = (12 + 3 * (siren % 97)) % 97
    return f"FR{key:02d}{siren}"


def it_vat(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(10)]
    s = 0
    for i, d in enumerate(digits):
        if i % 2 == 0:
            s += d
        else:
            dd = d * 2
            s += dd - 9 if dd > 9 else dd
    return "IT" + "".join(map(str, digits)) + str((10 - s % 10) % 10)


def tax_id_for(rng: random.Random, country: str) -> tuple[str, str]:
    """(compact id for the truth, how the page prints it)."""
    n9 = "".join(rng.choice("0123456789") for _ in range(9))
    if country == "DE":
        return f"DE{n9}", f"DE {n9[:3]} {n9[3:6]} {n9[6:]}" if rng.random() < 0.4 else f"DE{n9}"
    if country == "GB":
        return f"GB{n9}", f"GB {n9[:3]} {n9[3:7]} {n9[7:]}"
    if country == "IE":
        v = f"IE{n9[:7]}{rng.choice('ABCDEFGHW')}"
        return v, v
    if country == "FR":
        v = fr_vat(rng)
        return v, f"{v[:4]} {v[4:7]} {v[7:10]} {v[10:]}" if rng.random() < 0.5 else v
    if country == "NL":
        v = f"NL{n9}B{rng.randint(1, 3):02d}"
        return v, v
    if country == "IT":
        v = it_vat(rng)
        return v, v
    if country == "ES":
        v = f"ES{rng.choice('ABG')}{n9[:8]}"
        return v, v
    if country == "AT":
        return f"ATU{n9[:8]}", f"ATU{n9[:8]}"
    if country == "BE":
        n8 = "0" + n9[:7]
        num = f"{n8}{97 - int(n8) % 97:02d}"
        return f"BE{num}", f"BE {num[:4]}.{num[4:7]}.{num[7:]}"
    if country == "CH":
        return f"CHE{n9}", f"CHE-{n9[:3]}.{n9[3:6]}.{n9[6:]} MWST"
    if country == "AU":
        a = abn(rng)
        return a, f"{a[:2]} {a[2:5]} {a[5:8]} {a[8:]}"
    if country == "IN":
        g = gstin(rng, rng.choice(["27", "29", "33", "07"]))
        return g, g
    ein = f"{n9[:2]}-{n9[2:9]}"
    return ein.replace("-", ""), ein


# ------------------------------------------------------------------ families


@dataclass(frozen=True)
class ICol:
    kind: str  # pos | sku | desc | qty | unit | price | rate | amount | hsn
    title: str
    width: float
    align: str = "l"


@dataclass(frozen=True)
class InvFamily:
    name: str
    lang: str
    country: str
    currency: str
    cols: tuple[ICol, ...]
    labels: dict[str, str]
    num: str = "eu"
    date_fmt: str = "{dd}.{mm}.{yyyy}"
    font: str = "helvetica"
    size: float = 9.0
    pagesize: tuple[float, float] = A4
    rates: tuple[str, ...] = ("19",)
    tax_mode: str = "vat"  # vat | gst_in | gst_au | sales_tax
    meta_pos: str = "right"  # right | below | left_table
    billto_pos: str = "left"  # left | right
    brand_pos: str = "left"  # left | right | center
    bank_in_footer: bool = True
    currency_display: str = "code"  # code | symbol
    symbol: str = ""
    credit_note: bool = False
    due_mode: tuple[str, ...] = ("date", "terms", "both")
    prepay_share: float = 0.2
    discount_share: float = 0.25
    shipping_share: float = 0.3
    po_share: float = 0.4
    qty_decimals: bool = False
    header_fill: tuple[float, float, float] | None = (0.88, 0.9, 0.95)
    grid: bool = False
    tax_base_shown: bool = True
    items_pool: str = "en"
    title_size: float = 20
    sender_line: bool = False
    price_places: int = 2  # decimals printed on unit prices (wholesale prints 3 or 4)
    cell_symbol: bool = False  # currency symbol in every money cell, not only the totals
    headline_due: bool = False  # a big "$1,234.56 USD due May 3, 2025" line above the items
    tax_table: bool = False  # VAT as a separate rate/base/tax grid left of the totals
    extra_meta: tuple[
        tuple[str, str], ...
    ] = ()  # (label, kind) distractors: delivery, tax_point, customer_no
    structured_ref: bool = False  # Belgian "+++123/4567/89012+++" payment reference


_L_EN = {
    "title": "INVOICE",
    "number": "Invoice No.",
    "date": "Invoice Date",
    "due": "Due Date",
    "po": "PO Number",
    "bill_to": "Bill To",
    "subtotal": "Subtotal",
    "discount": "Discount",
    "shipping": "Shipping",
    "tax": "VAT {rate}%",
    "total": "Total",
    "prepaid": "Less amount paid",
    "due_amount": "Amount Due",
    "terms": "Payment terms",
    "vat_id": "VAT No.",
    "iban": "IBAN",
    "bic": "BIC",
    "phone": "Tel.",
    "email": "Email",
    "page": "Page {p} of {n}",
    "customer_vat": "Customer VAT No.",
    "currency": "Currency",
    "tax_total": "Total VAT",
    "tax_rate_col": "VAT rate",
    "tax_base_col": "Net",
    "tax_amount_col": "VAT",
    "structured": "Payment reference",
}

_TERMS = {
    "en": ["Net 30", "Net 14", "Payment due within 30 days", "Due on receipt", "Net 45"],
    "de": [
        "Zahlbar innerhalb von 14 Tagen ohne Abzug",
        "Zahlbar innerhalb 30 Tagen netto",
        "Zahlbar sofort ohne Abzug",
    ],
    "fr": ["Paiement à 30 jours", "Paiement à réception de facture", "Paiement à 45 jours fin de mois"],
    "es": ["Pago a 30 días", "Transferencia a 15 días", "Pago al contado"],
    "nl": ["Betaling binnen 14 dagen", "Betaling binnen 30 dagen na factuurdatum"],
    "it": ["Bonifico bancario 30 gg d.f.", "Rimessa diretta", "Bonifico 60 gg f.m."],
}


def _due_truth(inv_date: date, printed: date | None, terms: str | None) -> str | None:
    """The printed due date, else the one the printed terms give in whole days (the service computes
    it and says so in `warnings`); terms counted from a month end or "on receipt" give none."""
    if printed is not None:
        return printed.isoformat()
    if terms is None or re.search(r"fin de mois|f\.m\.", terms):
        return None
    m = re.search(r"(\d+)\s*(?:days|Tagen|jours|días|dagen|gg)\b", terms) or re.search(r"Net (\d+)", terms)
    return (inv_date + timedelta(days=int(m.group(1)))).isoformat() if m else None


INVOICE_FAMILY_LIST: list[InvFamily] = [
    InvFamily(
        name="inv_de_handwerk",
        extra_meta=(("Lieferdatum", "delivery"), ("Kundennummer", "customer_no")),
        lang="de",
        country="DE",
        currency="EUR",
        num="eu",
        rates=("19", "7"),
        cols=(
            ICol("pos", "Pos.", 5),
            ICol("qty", "Menge", 8, "r"),
            ICol("unit", "Einheit", 8),
            ICol("desc", "Bezeichnung", 45),
            ICol("price", "Einzelpreis", 13, "r"),
            ICol("rate", "USt.", 7, "r"),
            ICol("amount", "Gesamt", 14, "r"),
        ),
        labels={
            **_L_EN,
            "title": "Rechnung",
            "number": "Rechnungsnummer",
            "date": "Rechnungsdatum",
            "due": "Fällig am",
            "po": "Ihre Bestellnummer",
            "bill_to": "",
            "subtotal": "Nettobetrag",
            "discount": "Rabatt",
            "shipping": "Versandkosten",
            "tax": "zzgl. USt. {rate} %",
            "total": "Rechnungsbetrag",
            "prepaid": "abzüglich Anzahlung",
            "due_amount": "Zahlbetrag",
            "terms": "Zahlungsbedingungen",
            "vat_id": "USt-IdNr.",
            "phone": "Telefon",
            "email": "E-Mail",
            "page": "Seite {p} von {n}",
            "customer_vat": "Ihre USt-IdNr.",
            "currency": "Währung",
        },
        meta_pos="right",
        billto_pos="left",
        brand_pos="right",
        items_pool="de",
        sender_line=True,
        header_fill=(0.9, 0.9, 0.9),
        grid=True,
        qty_decimals=True,
    ),
    InvFamily(
        name="inv_uk_consulting",
        lang="en",
        country="GB",
        currency="GBP",
        num="us",
        date_fmt="{d} {mon} {yyyy}",
        rates=("20",),
        currency_display="symbol",
        symbol="£",
        cols=(
            ICol("desc", "Description", 52),
            ICol("qty", "Hours", 10, "r"),
            ICol("price", "Rate", 12, "r"),
            ICol("rate", "VAT", 8, "r"),
            ICol("amount", "Amount", 14, "r"),
        ),
        labels={
            **_L_EN,
            "number": "Invoice number",
            "date": "Date of issue",
            "due": "Payment due",
            "vat_id": "VAT Reg. No.",
            "tax": "VAT @ {rate}%",
            "due_amount": "Balance due",
        },
        meta_pos="below",
        billto_pos="right",
        brand_pos="left",
        font="times",
        qty_decimals=True,
        header_fill=None,
        due_mode=("terms", "both"),
        items_pool="services",
    ),
    InvFamily(
        name="inv_fr_facture",
        lang="fr",
        country="FR",
        currency="EUR",
        num="fr",
        date_fmt="{dd}/{mm}/{yyyy}",
        rates=("20", "10", "5.5"),
        font="dejavu",
        size=8.5,
        cols=(
            ICol("sku", "Réf.", 10),
            ICol("desc", "Désignation", 44),
            ICol("qty", "Qté", 7, "r"),
            ICol("price", "PU HT", 12, "r"),
            ICol("rate", "TVA", 7, "r"),
            ICol("amount", "Montant HT", 14, "r"),
        ),
        labels={
            **_L_EN,
            "title": "FACTURE",
            "number": "Facture n°",
            "date": "Date",
            "due": "Échéance",
            "po": "Votre commande",
            "bill_to": "Client",
            "subtotal": "Total HT",
            "discount": "Remise",
            "shipping": "Frais de port",
            "tax": "TVA {rate} %",
            "total": "Total TTC",
            "prepaid": "Acompte versé",
            "due_amount": "Net à payer",
            "terms": "Conditions de paiement",
            "vat_id": "N° TVA intracommunautaire",
            "phone": "Tél.",
            "email": "Courriel",
            "page": "Page {p}/{n}",
            "customer_vat": "N° TVA client",
            "currency": "Devise",
        },
        meta_pos="left_table",
        billto_pos="right",
        brand_pos="left",
        items_pool="fr",
        header_fill=(0.2, 0.3, 0.5),
    ),
    InvFamily(
        name="inv_es_factura",
        lang="es",
        country="ES",
        currency="EUR",
        num="eu",
        date_fmt="{dd}/{mm}/{yyyy}",
        rates=("21", "10"),
        currency_display="symbol",
        symbol="€",
        cols=(
            ICol("sku", "Código", 10),
            ICol("desc", "Concepto", 46),
            ICol("qty", "Cant.", 8, "r"),
            ICol("price", "Precio", 12, "r"),
            ICol("disc", "Dto.", 6, "r"),
            ICol("rate", "IVA %", 8, "r"),
            ICol("amount", "Importe", 14, "r"),
        ),
        labels={
            **_L_EN,
            "title": "FACTURA",
            "number": "Nº Factura",
            "date": "Fecha",
            "due": "Vencimiento",
            "po": "Pedido",
            "bill_to": "Datos del cliente",
            "subtotal": "Base imponible",
            "discount": "Descuento",
            "shipping": "Portes",
            "tax": "IVA {rate}%",
            "total": "Total factura",
            "prepaid": "Anticipo",
            "due_amount": "Total a pagar",
            "terms": "Forma de pago",
            "vat_id": "NIF",
            "phone": "Tel.",
            "email": "Email",
            "page": "Página {p} de {n}",
            "customer_vat": "NIF cliente",
            "currency": "Divisa",
        },
        meta_pos="below",
        billto_pos="left",
        brand_pos="center",
        items_pool="es",
        header_fill=(0.8, 0.2, 0.2),
        grid=True,
    ),
    InvFamily(
        name="inv_nl_factuur",
        extra_meta=(("Leverdatum", "delivery"), ("Klantnummer", "customer_no")),
        lang="nl",
        country="NL",
        currency="EUR",
        num="eu",
        date_fmt="{d} {month} {yyyy}",
        rates=("21", "9"),
        cols=(
            ICol("desc", "Omschrijving", 50),
            ICol("qty", "Aantal", 9, "r"),
            ICol("price", "Prijs", 12, "r"),
            ICol("rate", "BTW", 8, "r"),
            ICol("amount", "Bedrag", 14, "r"),
        ),
        labels={
            **_L_EN,
            "title": "Factuur",
            "number": "Factuurnummer",
            "date": "Factuurdatum",
            "due": "Vervaldatum",
            "po": "Uw referentie",
            "bill_to": "Factuuradres",
            "subtotal": "Subtotaal",
            "discount": "Korting",
            "shipping": "Verzendkosten",
            "tax": "BTW {rate}%",
            "total": "Totaal",
            "prepaid": "Reeds betaald",
            "due_amount": "Te betalen",
            "terms": "Betalingsvoorwaarden",
            "vat_id": "BTW-nummer",
            "phone": "Tel",
            "email": "E-mail",
            "page": "Pagina {p} van {n}",
            "customer_vat": "BTW-nummer klant",
            "currency": "Valuta",
        },
        meta_pos="right",
        billto_pos="left",
        brand_pos="right",
        items_pool="nl",
        header_fill=(0.95, 0.55, 0.15),
    ),
    InvFamily(
        name="inv_it_fattura",
        extra_meta=(("Cod. cliente", "customer_no"),),
        lang="it",
        country="IT",
        currency="EUR",
        num="eu",
        date_fmt="{dd}/{mm}/{yyyy}",
        rates=("22", "10", "4"),
        font="dejavu-serif",
        size=8.5,
        cols=(
            ICol("sku", "Codice", 10),
            ICol("desc", "Descrizione", 44),
            ICol("unit", "U.M.", 6),
            ICol("qty", "Q.tà", 7, "r"),
            ICol("price", "Prezzo unitario", 13, "r"),
            ICol("disc", "Sconto", 7, "r"),
            ICol("rate", "IVA", 6, "r"),
            ICol("amount", "Importo", 13, "r"),
        ),
        labels={
            **_L_EN,
            "title": "FATTURA",
            "number": "Fattura n.",
            "date": "Data",
            "due": "Scadenza",
            "po": "Rif. ordine",
            "bill_to": "Spett.le",
            "subtotal": "Totale imponibile",
            "discount": "Sconto",
            "shipping": "Spese di trasporto",
            "tax": "IVA {rate}%",
            "total": "Totale documento",
            "prepaid": "Acconto ricevuto",
            "due_amount": "Netto a pagare",
            "terms": "Modalità di pagamento",
            "vat_id": "P.IVA",
            "phone": "Tel.",
            "email": "PEC",
            "page": "Pagina {p} di {n}",
            "customer_vat": "P.IVA cliente",
            "currency": "Valuta",
        },
        meta_pos="left_table",
        billto_pos="right",
        brand_pos="left",
        items_pool="it",
        grid=True,
    ),
    InvFamily(
        name="inv_us_services",
        extra_meta=(("Ship Date", "delivery"), ("Customer ID", "customer_no")),
        lang="en",
        country="US",
        currency="USD",
        num="us",
        date_fmt="{mm}/{dd}/{yyyy}",
        rates=("8.25",),
        tax_mode="sales_tax",
        pagesize=LETTER,
        bank_in_footer=False,
        cols=(
            ICol("sku", "Item", 12),
            ICol("desc", "Description", 48),
            ICol("qty", "Qty", 8, "r"),
            ICol("price", "Rate", 13, "r"),
            ICol("amount", "Amount", 14, "r"),
        ),
        labels={
            **_L_EN,
            "number": "Invoice #",
            "date": "Date",
            "due": "Due Date",
            "po": "P.O. #",
            "tax": "Sales Tax ({rate}%)",
            "shipping": "Shipping & Handling",
            "prepaid": "Payments/Credits",
            "due_amount": "Balance Due",
            "terms": "Terms",
            "vat_id": "EIN",
        },
        meta_pos="right",
        billto_pos="left",
        brand_pos="left",
        header_fill=(0.15, 0.4, 0.25),
        prepay_share=0.35,
        items_pool="us",
    ),
    InvFamily(
        name="inv_in_gst",
        lang="en",
        country="IN",
        currency="INR",
        num="in",
        date_fmt="{dd}-{mon}-{yyyy}",
        rates=("18", "12"),
        tax_mode="gst_in",
        font="dejavu-condensed",
        size=8,
        cols=(
            ICol("pos", "S.No", 5),
            ICol("desc", "Description of Goods", 40),
            ICol("hsn", "HSN/SAC", 10),
            ICol("qty", "Qty", 7, "r"),
            ICol("price", "Rate", 12, "r"),
            ICol("rate", "GST %", 7, "r"),
            ICol("amount", "Taxable Value", 15, "r"),
        ),
        labels={
            **_L_EN,
            "title": "TAX INVOICE",
            "number": "Invoice No",
            "date": "Invoice Date",
            "po": "Buyer's Order No",
            "bill_to": "Bill To (Buyer)",
            "subtotal": "Total Taxable Value",
            "tax": "{kind} @ {rate}%",
            "total": "Grand Total",
            "due_amount": "Amount Payable",
            "vat_id": "GSTIN",
            "customer_vat": "GSTIN",
            "terms": "Terms of Payment",
            "shipping": "Freight Charges",
        },
        meta_pos="right",
        billto_pos="left",
        brand_pos="center",
        items_pool="in",
        grid=True,
        discount_share=0.0,
        prepay_share=0.1,
        header_fill=(0.85, 0.85, 0.85),
    ),
    InvFamily(
        name="inv_au_tax",
        lang="en",
        country="AU",
        currency="AUD",
        num="us",
        date_fmt="{dd}/{mm}/{yyyy}",
        rates=("10",),
        tax_mode="gst_au",
        font="dejavu",
        cols=(
            ICol("qty", "Qty", 7, "r"),
            ICol("desc", "Description", 52),
            ICol("price", "Unit Price", 13, "r"),
            ICol("amount", "Amount (ex GST)", 16, "r"),
        ),
        labels={
            **_L_EN,
            "title": "TAX INVOICE",
            "number": "Invoice Number",
            "date": "Issue Date",
            "due": "Due Date",
            "po": "Reference",
            "tax": "GST {rate}%",
            "total": "Total (inc GST)",
            "due_amount": "Amount Due",
            "vat_id": "ABN",
            "customer_vat": "Customer ABN",
            "iban": "Account",
            "bic": "BSB",
        },
        meta_pos="right",
        billto_pos="left",
        brand_pos="right",
        items_pool="us",
        header_fill=(0.1, 0.3, 0.5),
        bank_in_footer=False,
    ),
    InvFamily(
        name="inv_ie_creditnote",
        lang="en",
        country="IE",
        currency="EUR",
        num="us",
        date_fmt="{dd}/{mm}/{yyyy}",
        rates=("23", "13.5"),
        credit_note=True,
        due_mode=("none",),
        prepay_share=0.0,
        font="helvetica",
        cols=(
            ICol("pos", "#", 4),
            ICol("desc", "Description", 50),
            ICol("qty", "Qty", 8, "r"),
            ICol("price", "Unit price", 13, "r"),
            ICol("rate", "VAT %", 8, "r"),
            ICol("amount", "Net", 14, "r"),
        ),
        labels={
            **_L_EN,
            "title": "CREDIT NOTE",
            "number": "Credit note no.",
            "date": "Date",
            "bill_to": "Customer",
            "total": "Total credit",
            "due_amount": "Amount credited",
            "vat_id": "VAT No.",
        },
        meta_pos="right",
        billto_pos="left",
        brand_pos="left",
        items_pool="services",
        header_fill=(0.6, 0.15, 0.15),
    ),
    InvFamily(
        name="inv_ch_rechnung",
        lang="de",
        country="CH",
        currency="CHF",
        num="ch",
        date_fmt="{dd}.{mm}.{yyyy}",
        rates=("8.1", "2.6"),
        font="dejavu-serif",
        cols=(
            ICol("sku", "Art.-Nr.", 10),
            ICol("desc", "Bezeichnung", 46),
            ICol("qty", "Menge", 8, "r"),
            ICol("price", "Preis", 12, "r"),
            ICol("rate", "MWST", 7, "r"),
            ICol("amount", "Betrag", 14, "r"),
        ),
        labels={
            **_L_EN,
            "title": "Rechnung",
            "number": "Rechnung Nr.",
            "date": "Datum",
            "due": "Zahlbar bis",
            "po": "Ihre Referenz",
            "bill_to": "",
            "subtotal": "Total exkl. MWST",
            "discount": "Rabatt",
            "shipping": "Versand",
            "tax": "MWST {rate} %",
            "total": "Total inkl. MWST",
            "prepaid": "Akontozahlung",
            "due_amount": "Offener Betrag",
            "terms": "Zahlungsbedingungen",
            "vat_id": "UID",
            "phone": "Tel.",
            "email": "E-Mail",
            "page": "Seite {p}/{n}",
            "customer_vat": "UID Kunde",
            "currency": "Währung",
        },
        meta_pos="below",
        billto_pos="right",
        brand_pos="left",
        items_pool="de",
        header_fill=None,
    ),
    InvFamily(
        name="inv_at_grosshandel",
        lang="de",
        country="AT",
        currency="EUR",
        num="eu",
        date_fmt="{dd}.{mm}.{yyyy}",
        rates=("20", "10"),
        price_places=3,
        cols=(
            ICol("qty", "Menge", 8, "r"),
            ICol("sku", "Art.Nr.", 10),
            ICol("desc", "Bezeichnung", 44),
            ICol("price", "EP netto", 13, "r"),
            ICol("rate", "USt", 7, "r"),
            ICol("amount", "Gesamt netto", 15, "r"),
        ),
        labels={
            **_L_EN,
            "title": "RECHNUNG",
            "number": "Rechnungs-Nr.",
            "date": "Datum",
            "due": "Fälligkeit",
            "po": "Ihre Bestellung",
            "bill_to": "Rechnungsempfänger",
            "subtotal": "Summe netto",
            "discount": "Rabatt",
            "shipping": "Frachtkosten",
            "tax": "USt {rate} %",
            "total": "Gesamtbetrag brutto",
            "prepaid": "Anzahlung",
            "due_amount": "Offener Betrag",
            "terms": "Zahlungskonditionen",
            "vat_id": "UID-Nr.",
            "phone": "Tel.",
            "email": "E-Mail",
            "page": "Seite {p}",
            "customer_vat": "UID Kunde",
            "currency": "Währung",
        },
        meta_pos="below",
        billto_pos="left",
        brand_pos="center",
        items_pool="de",
        sender_line=True,
        header_fill=(0.85, 0.9, 0.85),
    ),
    InvFamily(
        name="inv_us_modern",
        lang="en",
        country="US",
        currency="USD",
        num="us",
        date_fmt="{month} {d}, {yyyy}",
        rates=("8.875",),
        tax_mode="sales_tax",
        pagesize=LETTER,
        bank_in_footer=False,
        currency_display="symbol",
        symbol="$",
        cell_symbol=True,
        headline_due=True,
        due_mode=("date",),
        font="dejavu",
        cols=(
            ICol("desc", "Description", 56),
            ICol("qty", "Qty", 8, "r"),
            ICol("price", "Unit price", 15, "r"),
            ICol("amount", "Amount", 15, "r"),
        ),
        labels={
            **_L_EN,
            "title": "Invoice",
            "number": "Invoice number",
            "date": "Date of issue",
            "due": "Date due",
            "tax": "Sales tax ({rate}%)",
            "prepaid": "Amount paid",
            "due_amount": "Amount due",
            "vat_id": "EIN",
        },
        meta_pos="right",
        billto_pos="left",
        brand_pos="left",
        header_fill=None,
        items_pool="services",
        prepay_share=0.3,
    ),
    InvFamily(
        name="inv_be_bilingual",
        lang="fr",
        country="BE",
        currency="EUR",
        num="eu",
        date_fmt="{dd}/{mm}/{yyyy}",
        rates=("21", "6"),
        font="dejavu",
        size=8.5,
        tax_table=True,
        structured_ref=True,
        cols=(
            ICol("desc", "Description / Omschrijving", 48),
            ICol("qty", "Qté / Aantal", 9, "r"),
            ICol("price", "Prix unit. / Eenheidsprijs", 14, "r"),
            ICol("rate", "TVA / BTW", 8, "r"),
            ICol("amount", "Total HTVA / Excl. BTW", 15, "r"),
        ),
        labels={
            **_L_EN,
            "title": "FACTURE / FACTUUR",
            "number": "N° facture / Factuurnr.",
            "date": "Date / Datum",
            "due": "Échéance / Vervaldag",
            "po": "Réf. client / Ref. klant",
            "bill_to": "Client / Klant",
            "subtotal": "Total HTVA / Totaal excl. BTW",
            "discount": "Remise / Korting",
            "shipping": "Frais d'envoi / Verzendkosten",
            "tax": "TVA/BTW {rate}%",
            "total": "Total TVAC / Totaal incl. BTW",
            "prepaid": "Acompte / Voorschot",
            "due_amount": "À payer / Te betalen",
            "terms": "Conditions / Voorwaarden",
            "vat_id": "TVA/BTW",
            "customer_vat": "TVA client / BTW klant",
            "currency": "Devise / Munt",
            "phone": "Tél.",
            "email": "E-mail",
            "page": "Page {p}",
            "tax_total": "Total TVA / BTW",
            "tax_rate_col": "Taux / Tarief",
            "tax_base_col": "Base / Basis",
            "tax_amount_col": "TVA / BTW",
            "structured": "Communication structurée / Gestructureerde mededeling",
        },
        extra_meta=(
            ("Date de livraison / Leveringsdatum", "delivery"),
            ("N° client / Klantnr.", "customer_no"),
        ),
        meta_pos="right",
        billto_pos="right",
        brand_pos="left",
        items_pool="fr",
        header_fill=(0.93, 0.93, 0.85),
        grid=True,
    ),
    InvFamily(
        name="inv_uk_amount_only",
        lang="en",
        country="GB",
        currency="GBP",
        num="us",
        date_fmt="{dd}/{mm}/{yyyy}",
        rates=("20",),
        currency_display="symbol",
        symbol="£",
        font="times",
        size=9.5,
        cols=(ICol("desc", "Description of services", 78), ICol("amount", "Amount (£)", 18, "r")),
        labels={
            **_L_EN,
            "title": "VAT INVOICE",
            "number": "Invoice no",
            "date": "Invoice date",
            "due": "Payment due by",
            "vat_id": "VAT registration number",
            "tax": "VAT at {rate}%",
            "due_amount": "Balance to pay",
        },
        extra_meta=(("Tax point", "tax_point"), ("Account ref", "customer_no")),
        meta_pos="below",
        billto_pos="left",
        brand_pos="right",
        header_fill=None,
        items_pool="services",
        discount_share=0.0,
    ),
]

INVOICE_FAMILIES: list[str] = [f.name for f in INVOICE_FAMILY_LIST]
# families whose line amount may be below quantity x unit price (a printed line discount %)
LINE_DISCOUNT_FAMILIES: frozenset[str] = frozenset(
    f.name for f in INVOICE_FAMILY_LIST if any(col.kind == "disc" for col in f.cols)
)
_BY_NAME = {f.name: f for f in INVOICE_FAMILY_LIST}

# ------------------------------------------------------------------ parties and items

_PARTIES: dict[str, list[tuple[str, str, str]]] = {
    # country: (name, street, postcode + city)
    "DE": [
        ("Schreinerei Holzmann GmbH", "Werkstattweg 8", "34117 Kassel"),
        ("Elektro Brenner KG", "Industriestraße 41", "90431 Nürnberg"),
        ("Kaffeerösterei Bohnenglück GmbH", "Speicherstadt 3", "20457 Hamburg"),
        ("Technikhaus Weber e.K.", "Marktplatz 17", "79098 Freiburg im Breisgau"),
    ],
    "GB": [
        ("Fenwick Advisory Ltd", "12 Quayside", "Newcastle upon Tyne NE1 3DX"),
        ("Bramble & Oak Design Ltd", "4 Tanner Street", "London SE1 3LD"),
        ("Copperfield Analytics LLP", "88 Deansgate", "Manchester M3 2ER"),
    ],
    "FR": [
        ("Atelier Verrier SARL", "14 rue de la Paix", "69002 Lyon"),
        ("Les Jardins de Provence SAS", "3 chemin des Oliviers", "13100 Aix-en-Provence"),
        ("Informatique Armor SAS", "22 quai Duguay-Trouin", "35000 Rennes"),
    ],
    "ES": [
        ("Suministros Levante S.L.", "Calle de Colón 22", "46004 Valencia"),
        ("Cerámicas del Tajo S.A.", "Polígono Industrial Sur 7", "45600 Talavera de la Reina"),
    ],
    "NL": [
        ("Grachtenlicht B.V.", "Herengracht 221", "1016 BG Amsterdam"),
        ("Fietsfabriek Oost B.V.", "Havenstraat 12", "7511 JA Enschede"),
    ],
    "IT": [
        ("Tipografia Fiorentina S.r.l.", "Via dei Servi 38", "50122 Firenze"),
        ("Oleificio Colli Euganei S.r.l.", "Via Roma 5", "35031 Abano Terme PD"),
    ],
    "US": [
        ("Brightline Web Studio LLC", "500 Pine Street, Suite 210", "Seattle, WA 98101"),
        ("Keystone HVAC Services Inc.", "77 Commerce Drive", "Harrisburg, PA 17110"),
        ("Mesa Verde Landscaping Co.", "1420 Canyon Rd", "Santa Fe, NM 87501"),
    ],
    "IN": [
        ("Sahyadri Industrial Supplies Pvt Ltd", "Plot 14, MIDC Bhosari", "Pune 411026"),
        ("Coromandel Electricals", "45 Anna Salai", "Chennai 600002"),
    ],
    "AU": [
        ("Bluegum Plumbing Pty Ltd", "9 Wattle Street", "Ballarat VIC 3350"),
        ("Reefside Marine Services Pty Ltd", "2 Esplanade", "Cairns QLD 4870"),
    ],
    "IE": [
        ("Shamrock Office Supplies Ltd", "18 Patrick Street", "Cork T12 X9RT"),
        ("Corrib Software Ltd", "Unit 4, Galway Technology Park", "Galway H91 PX84"),
    ],
    "BE": [
        ("Brasserie du Canal SRL", "Quai au Foin 12", "1000 Bruxelles"),
        ("Drukkerij Van Hove BV", "Nijverheidsstraat 8", "9000 Gent"),
    ],
    "AT": [
        ("Tischlerei Alpenholz GmbH", "Industriezeile 14", "4020 Linz"),
        ("Weinbau Grünberg KG", "Kellergasse 3", "3550 Langenlois"),
    ],
    "CH": [
        ("Uhrenatelier Jura AG", "Rue du Marché 6", "2300 La Chaux-de-Fonds"),
        ("Berghof Käserei GmbH", "Dorfstrasse 21", "3812 Wilderswil"),
    ],
}

_ITEMS: dict[str, list[tuple[str, str, str, float, float]]] = {
    # pool: (description, optional detail line, unit, low, high)
    "de": [
        ("Montage Einbauschrank", "inkl. Anfahrt und Entsorgung Verpackung", "Std.", 45, 95),
        ("Eichenholzplatte geölt 2000x600 mm", "", "Stk.", 80, 240),
        ("Schrauben-Set Edelstahl", "", "Pck.", 4, 19),
        ("Arbeitszeit Geselle", "Einsatz vor Ort gemäß Auftrag", "Std.", 48, 72),
        ("Kaffeebohnen Espresso Classico 1 kg", "", "kg", 14, 32),
        ("Fachbuch Holzverbindungen", "ermäßigter Steuersatz", "Stk.", 19, 49),
        ("Wartungspauschale Heizungsanlage", "", "psch.", 120, 380),
        ("LED-Panel 60x60 neutralweiß", "", "Stk.", 35, 90),
    ],
    "services": [
        (
            "Strategy workshop facilitation",
            "two-day session incl. preparation and written summary",
            "h",
            90,
            180,
        ),
        ("Data pipeline review", "", "h", 85, 150),
        ("Monthly retainer - advisory services", "", "mo", 900, 2500),
        ("Travel expenses (rail, hotel)", "", "", 120, 600),
        ("Brand identity refresh", "", "h", 70, 140),
        ("Licence renewal - analytics suite", "12 months, 5 seats", "", 300, 1800),
    ],
    "fr": [
        ("Vase soufflé bouche bleu", "", "u", 35, 120),
        ("Prestation de conseil", "analyse et recommandations", "h", 80, 150),
        ("Livre technique verrerie", "taux réduit", "u", 18, 45),
        ("Repas d'équipe traiteur", "", "u", 12, 30),
        ("Installation réseau Wi-Fi", "bureaux du 2e étage", "forfait", 250, 900),
        ("Câble Ethernet Cat6 20 m", "", "u", 8, 25),
    ],
    "es": [
        ("Azulejo cerámico 20x20 blanco", "", "m2", 12, 40),
        ("Transporte y descarga", "", "", 40, 150),
        ("Servicio de mantenimiento anual", "instalaciones de climatización", "", 200, 800),
        ("Comida de empresa", "menú del día", "", 10, 25),
        ("Pintura plástica 15 L", "", "ud", 30, 70),
    ],
    "nl": [
        ("Hanglamp messing", "", "st", 60, 220),
        ("Fietsonderhoud groot", "inclusief remmen en ketting", "", 60, 140),
        ("Boeken leesclub", "", "st", 15, 35),
        ("Installatie op locatie", "", "uur", 45, 85),
        ("Binnenband 28 inch", "", "st", 5, 12),
    ],
    "it": [
        ("Stampa brochure A4 quadricromia", "carta patinata 150 g", "pz", 0.4, 2.5),
        ("Olio extravergine di oliva 5 L", "", "pz", 30, 70),
        ("Impaginazione grafica", "", "h", 35, 70),
        ("Biglietti da visita", "", "conf", 15, 45),
        ("Libri per biblioteca aziendale", "", "pz", 10, 40),
    ],
    "us": [
        ("Website maintenance", "monthly plan, includes security updates", "", 150, 900),
        ("HVAC filter replacement", "", "", 20, 80),
        ("Service call - diagnostics", "", "", 80, 180),
        ("Landscape design consultation", "", "", 120, 400),
        ("Mulch, premium hardwood (cu yd)", "", "", 30, 55),
        ("Labor - technician", "", "", 65, 120),
    ],
    "in": [
        ("Industrial Ball Bearing 6205", "", "Nos", 80, 400),
        ("MS Hex Bolt M12 x 50", "", "Kg", 90, 160),
        ("Copper Cable 2.5 sq mm", "90 m coil", "Roll", 1800, 4200),
        ("Installation Charges", "", "", 500, 3000),
        ("Control Panel Enclosure IP65", "", "Nos", 2500, 9000),
    ],
}

_CUSTOMERS: dict[str, list[tuple[str, str, str]]] = {
    "DE": [
        ("Stadtbäckerei Krume GmbH", "Hauptstraße 102", "37073 Göttingen"),
        ("Praxis Dr. Lindqvist", "Am Stadtpark 4", "93047 Regensburg"),
    ],
    "GB": [
        ("Harrow Lane Foods plc", "Unit 7, Brunel Way", "Swindon SN2 8BA"),
        ("Northern Lights Theatre Trust", "1 Market Row", "Sheffield S1 2GH"),
    ],
    "FR": [
        ("Hôtel Les Tilleuls", "8 place Carnot", "21000 Dijon"),
        ("Cabinet Marchand & Associés", "45 rue Nationale", "59000 Lille"),
    ],
    "ES": [("Restaurante Los Olivos S.L.", "Avenida de la Constitución 9", "41004 Sevilla")],
    "NL": [
        ("Studio Noordzee", "Boulevard 1", "4381 AA Vlissingen"),
        ("Bakkerij Vermeer", "Markt 3", "2611 GS Delft"),
    ],
    "IT": [("Libreria Dante S.n.c.", "Piazza della Signoria 2", "50122 Firenze")],
    "US": [
        ("Pioneer Dental Partners", "2200 Elm Ave", "Boulder, CO 80302"),
        ("Lakeside Community Library", "15 Shore Rd", "Madison, WI 53703"),
    ],
    "IN": [("Vindhya Engineering Works", "Survey No 88, GIDC Estate", "Vadodara 390010")],
    "AU": [("Harbourview Cafe Pty Ltd", "33 Wharf Street", "Hobart TAS 7000")],
    "IE": [("Ballymore Veterinary Clinic", "Main Street", "Ennis V95 K2T7")],
    "CH": [("Hotel Alpenblick AG", "Seeweg 3", "3800 Interlaken")],
    "AT": [("Gasthof Zum Goldenen Hirschen", "Hauptplatz 7", "8010 Graz")],
    "BE": [
        ("Atelier Lumière SRL", "Rue Haute 45", "4000 Liège"),
        ("Bakkerij Peeters", "Markt 2", "2000 Antwerpen"),
    ],
}

_COUNTRY_NAMES = {
    "DE": "Deutschland",
    "GB": "United Kingdom",
    "FR": "France",
    "ES": "España",
    "NL": "Nederland",
    "IT": "Italia",
    "US": "USA",
    "IN": "India",
    "AU": "Australia",
    "IE": "Ireland",
    "CH": "Schweiz",
    "AT": "Österreich",
    "BE": "Belgique",
}


@dataclass
class Line:
    desc: str
    detail: str
    unit: str
    qty: Decimal
    price: Decimal
    amount: Decimal
    rate: str
    sku: str
    hsn: str
    disc: Decimal = Decimal(0)  # line discount in percent, printed in a "disc" column


@dataclass
class Party:
    name: str
    lines: list[str]
    tax_id: str | None = None
    tax_print: str | None = None
    email: str | None = None
    phone: str | None = None
    iban: str | None = None
    bic: str | None = None
    extra: list[str] = field(default_factory=list)

    country_code: str | None = None  # set when the page prints the country (as a name)

    @property
    def address(self) -> str:
        """Truth form, as the shared corpus builds it: "street, postcode city[, country code]"."""
        lines = [*self.lines[:-1], self.country_code] if self.country_code else self.lines
        return ", ".join(lines)


def _party(rng: random.Random, pool: list[tuple[str, str, str]], country: str, with_country: bool) -> Party:
    name, street, city = rng.choice(pool)
    lines = [street, city]
    if with_country:
        lines.append(_COUNTRY_NAMES[country])
    return Party(name, lines, country_code=country if with_country else None)


def _qty(rng: random.Random, fam: InvFamily, unit: str, hi: float) -> Decimal:
    if hi > 300:
        return Decimal(rng.choice([1, 1, 1, 2, 3]))
    if fam.qty_decimals and unit in ("h", "Std.", "uur", "kg") and rng.random() < 0.6:
        return Decimal(rng.choice(["0.5", "1.5", "2.25", "3.5", "7.5", "12.75"]))
    if rng.random() < 0.4:
        return Decimal(1)
    return Decimal(rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 20, 25, 50, 100]))


def _price(rng: random.Random, lo: float, hi: float, places: int = 2) -> Decimal:
    v = Decimal(str(round(rng.uniform(lo, hi), places)))
    return v.quantize(Decimal(1).scaleb(-places))


# ------------------------------------------------------------------ formatting helpers


@dataclass
class ICtx:
    fam: InvFamily
    rng: random.Random
    font: str
    bold: str
    size: float
    lh: float
    width: float
    height: float
    margin: float


def _money(ctx: ICtx, v: Decimal, symbol: bool = False, places: int = 2) -> str:
    s = fmt_num(v, ctx.fam.num, places)
    if v < 0:
        s = "-" + s
    if (symbol or ctx.fam.cell_symbol) and ctx.fam.currency_display == "symbol":
        if ctx.fam.lang == "en":
            return f"-{ctx.fam.symbol}{s[1:]}" if v < 0 else f"{ctx.fam.symbol}{s}"
        return f"{s} {ctx.fam.symbol}"
    return s


def _qty_str(ctx: ICtx, q: Decimal) -> str:
    places = max(0, -q.normalize().as_tuple().exponent)  # type: ignore[operator]
    return fmt_num(q, ctx.fam.num, places) if places else fmt_num(q, ctx.fam.num, 0)


def _rate_str(ctx: ICtx, rate: str) -> str:
    r = Decimal(rate)
    places = max(0, -r.normalize().as_tuple().exponent)  # type: ignore[operator]
    return (
        fmt_num(r, ctx.fam.num, places) + " %"
        if ctx.fam.lang in ("de", "fr")
        else fmt_num(r, ctx.fam.num, places) + "%"
    )


def _date(ctx: ICtx, d: date) -> str:
    return fmt_date(d, ctx.fam.date_fmt, ctx.fam.lang)


# ------------------------------------------------------------------ public API


def make_invoice(family: str, seed: int = 0, **opts: Any) -> tuple[bytes, dict[str, Any]]:
    """Render one invoice.

    opts: n_items, prepay, discount, shipping, credit_note, igst (bools force the optional elements).
    """
    if family not in _BY_NAME:
        raise KeyError(f"unknown invoice family {family!r}; choose from {INVOICE_FAMILIES}")
    fam = _BY_NAME[family]
    rng = random.Random(f"{family}/{seed}")
    if opts.get("credit_note"):
        fam = replace(
            fam,
            credit_note=True,
            due_mode=("none",),
            prepay_share=0.0,
            labels={
                **fam.labels,
                "title": {
                    "de": "Gutschrift",
                    "fr": "AVOIR",
                    "es": "FACTURA RECTIFICATIVA",
                    "nl": "Creditnota",
                    "it": "NOTA DI CREDITO",
                }.get(fam.lang, "CREDIT NOTE"),
            },
        )
    font, bold, unicode_ok = fonts(fam.font)
    if not unicode_ok and fam.num == "fr":
        fam = replace(fam, num="fr-space")
    size = fam.size + rng.choice([-0.5, 0.0, 0.5])
    width, height = fam.pagesize
    margin = rng.choice([40.0, 48.0, 56.0])
    ctx = ICtx(fam, rng, font, bold, size, size * rng.choice([1.2, 1.3, 1.4]), width, height, margin)

    # ---- parties
    vendor = _party(rng, _PARTIES[fam.country], fam.country, rng.random() < 0.35)
    vendor.tax_id, vendor.tax_print = tax_id_for(rng, fam.country)
    slug = "".join(ch for ch in vendor.name.lower().split()[0] if ch.isalnum())
    tld = {"GB": "co.uk", "US": "com", "AU": "com.au", "IN": "in"}.get(fam.country, fam.country.lower())
    mailbox = {
        "de": ["rechnung", "buchhaltung", "info"],
        "fr": ["facturation", "contact"],
        "es": ["facturacion"],
        "it": ["amministrazione", "fatture"],
        "nl": ["facturen", "info"],
    }.get(fam.lang, ["billing", "accounts"])
    vendor.email = f"{rng.choice(mailbox)}@{slug}.example.{tld}"
    vendor.phone = {
        "DE": "+49 561 {a} {b}",
        "GB": "+44 20 {a} {b}",
        "FR": "+33 4 {a} {b}",
        "ES": "+34 96 {a} {b}",
        "NL": "+31 20 {a} {b}",
        "IT": "+39 055 {a} {b}",
        "US": "(206) {a}-{b}",
        "IN": "+91 20 {a} {b}",
        "AU": "(03) {a} {b}",
        "IE": "+353 21 {a} {b}",
        "CH": "+41 32 {a} {b}",
        "AT": "+43 732 {a} {b}",
        "BE": "+32 2 {a} {b}",
    }[fam.country].format(a=rng.randint(100, 999), b=rng.randint(1000, 9999))
    if fam.country in ("DE", "GB", "FR", "ES", "NL", "IT", "IE", "CH", "AT", "BE"):
        vendor.iban = make_iban(rng, fam.country)
        vendor.bic = make_bic(
            "".join(ch for ch in vendor.name.upper() if ch.isalpha())[:4],
            fam.country,
            rng.choice(["2X", "MM", "FF", "XX"]),
        )
    show_email = rng.random() < 0.7
    show_phone = rng.random() < 0.7
    customer = _party(rng, _CUSTOMERS[fam.country], fam.country, rng.random() < 0.3)
    show_cust_vat = fam.tax_mode == "gst_in" or (fam.country != "US" and rng.random() < 0.35)
    if show_cust_vat:
        customer.tax_id, customer.tax_print = tax_id_for(rng, fam.country)

    # ---- items and totals
    n_items = int(opts.get("n_items", rng.randint(15, 32) if rng.random() < 0.1 else rng.randint(1, 9)))
    pool = _ITEMS[fam.items_pool]
    lines: list[Line] = []
    multi_rate = len(fam.rates) > 1 and rng.random() < 0.6
    has_disc = any(col.kind == "disc" for col in fam.cols)
    for _ in range(n_items):
        desc, detail, unit, lo, hi = rng.choice(pool)
        if detail and rng.random() < 0.5:
            detail = ""
        qty = _qty(rng, fam, unit, hi)
        price = _price(rng, lo, hi, fam.price_places)
        disc = Decimal(0)
        if has_disc and opts.get("line_discounts", True) and rng.random() < 0.4:
            disc = Decimal(rng.choice([5, 10, 15, 20, 25]))
        amount = r2(qty * price * (100 - disc) / 100)
        rate = rng.choice(fam.rates) if multi_rate else fam.rates[0]
        sku = f"{rng.choice(['A', 'B', 'K', 'M'])}{rng.randint(1000, 99999)}"
        hsn = str(rng.choice([8482, 7318, 8544, 9987, 8538, 998719]))
        lines.append(Line(desc, detail, unit, qty, price, amount, rate, sku, hsn, disc))
    rates_used = sorted({ln.rate for ln in lines}, key=Decimal, reverse=True)
    single_rate = len(rates_used) == 1
    subtotal = sum((ln.amount for ln in lines), Decimal(0))
    discount = Decimal(0)
    disc_pct: Decimal | None = None
    if opts.get("discount", single_rate and rng.random() < fam.discount_share):
        disc_pct = Decimal(rng.choice([2, 3, 5, 10]))
        discount = r2(subtotal * disc_pct / 100)
    shipping = Decimal(0)
    if opts.get("shipping", rng.random() < fam.shipping_share):
        shipping = _price(rng, 4.9, 49.0) * (40 if fam.currency == "INR" else 1)
    taxes: list[dict[str, str]] = []
    tax_rows: list[tuple[str, Decimal, Decimal]] = []  # (label, base, amount)
    main_rate = rates_used[0]
    igst = bool(opts.get("igst", rng.random() < 0.4))
    for rate in rates_used:
        base = sum((ln.amount for ln in lines if ln.rate == rate), Decimal(0))
        if rate == main_rate:
            base = base - discount + shipping
        if fam.tax_mode == "gst_in" and not igst:
            half = str(Decimal(rate) / 2)
            half = canon_num(Decimal(half))
            amt = r2(base * Decimal(half) / 100)
            for kind in ("CGST", "SGST"):
                tax_rows.append((fam.labels["tax"].format(kind=kind, rate=_rate_num(ctx, half)), base, amt))
                taxes.append({"rate": half, "base": canon(base), "amount": canon(amt)})
        else:
            amt = r2(base * Decimal(rate) / 100)
            label = fam.labels["tax"].format(kind="IGST", rate=_rate_num(ctx, rate))
            tax_rows.append((label, base, amt))
            taxes.append({"rate": canon_num(Decimal(rate)), "base": canon(base), "amount": canon(amt)})
    tax_total = sum((Decimal(t["amount"]) for t in taxes), Decimal(0))
    total = subtotal - discount + shipping + tax_total
    prepaid = Decimal(0)
    if opts.get("prepay", rng.random() < fam.prepay_share):
        prepaid = r2(total * Decimal(rng.choice([20, 25, 30, 50])) / 100)
    amount_due = total - prepaid

    # ---- header facts
    inv_date = date(rng.choice([2023, 2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))
    prefix = {"de": "RE-", "fr": "FA", "es": "F", "nl": "", "it": ""}.get(fam.lang, "INV-")
    if fam.credit_note:
        prefix = {"de": "GS-", "fr": "AV", "it": "NC"}.get(fam.lang, "CN-")
    number = rng.choice(
        [
            f"{prefix}{inv_date.year}-{rng.randint(1, 9999):04d}",
            f"{prefix}{rng.randint(10000, 999999)}",
            f"{prefix}{inv_date.year % 100:02d}{inv_date.month:02d}{rng.randint(1, 999):03d}",
        ]
    )
    if fam.lang == "it":
        number = f"{rng.randint(1, 999)}/{inv_date.year}"
    due_mode = rng.choice(fam.due_mode)
    days = rng.choice([14, 30, 30, 45])
    due_date = inv_date + timedelta(days=days)
    terms_text: str | None = None
    if due_mode in ("terms", "both"):
        terms_text = rng.choice(_TERMS.get(fam.lang, _TERMS["en"]))
    show_due = due_mode in ("date", "both")
    po = None
    if rng.random() < fam.po_share:
        po = rng.choice(
            [
                f"PO-{rng.randint(10000, 99999)}",
                f"{rng.randint(4500000000, 4509999999)}",
                f"B{rng.randint(100, 999)}-{rng.randint(10, 99)}",
            ]
        )
    original = f"INV-{inv_date.year}-{rng.randint(1, 9999):04d}" if fam.credit_note else None

    # ---- draw
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=fam.pagesize, invariant=True)
    c.setTitle(f"{fam.labels['title']} {number}")
    shown_items = _draw_invoice(
        c,
        ctx,
        vendor=vendor,
        customer=customer,
        lines=lines,
        number=number,
        inv_date=inv_date,
        due_date=due_date if show_due else None,
        po=po,
        terms=terms_text,
        subtotal=subtotal,
        discount=discount,
        disc_pct=disc_pct,
        shipping=shipping,
        tax_rows=tax_rows,
        total=total,
        prepaid=prepaid,
        amount_due=amount_due,
        show_email=show_email,
        show_phone=show_phone,
        original=original,
        extra_meta=_extra_meta(random.Random(f"meta/{family}/{seed}"), ctx, inv_date),
    )
    c.save()

    has = {col.kind for col in fam.cols}
    line_truth = []
    for ln, desc in zip(lines, shown_items, strict=True):
        line: dict[str, Any] = {"description": desc}
        # A column the layout lacks is left unannotated rather than null: score.py matches lines on
        # quantity wherever the truth has the key, and a null there could never match.
        if "qty" in has:
            line["quantity"] = canon_num(ln.qty)
        if "price" in has:
            line["unit_price"] = f"{ln.price:.{fam.price_places}f}"
        line["amount"] = canon(ln.amount)
        line["tax_rate"] = canon_num(Decimal(ln.rate)) if "rate" in has else None
        line_truth.append(line)
    bank_shown = fam.bank_in_footer and vendor.iban is not None
    truth: dict[str, Any] = {
        "document_type": "credit_note" if fam.credit_note else "invoice",
        "invoice_number": number,
        "invoice_date": inv_date.isoformat(),
        "due_date": _due_truth(inv_date, due_date if show_due else None, terms_text),
        "purchase_order": po,
        "currency": fam.currency,
        "vendor": {
            "name": vendor.name,
            "address": vendor.address,
            "tax_id": vendor.tax_id,
            "email": vendor.email if show_email else None,
            "phone": vendor.phone if show_phone else None,
            "iban": vendor.iban if bank_shown else None,
            "bic": vendor.bic if bank_shown else None,
        },
        "customer": {
            "name": customer.name,
            "address": customer.address,
            "tax_id": customer.tax_id if show_cust_vat else None,
        },
        "line_items": line_truth,
        "taxes": taxes,
        "subtotal": canon(subtotal),
        "tax_total": canon(tax_total),
        "total": canon(total),
        "amount_due": canon(amount_due),
        "payment_terms": terms_text,
    }
    return buf.getvalue(), truth


def _rate_num(ctx: ICtx, rate: str) -> str:
    r = Decimal(rate)
    places = max(0, -r.normalize().as_tuple().exponent)  # type: ignore[operator]
    return fmt_num(r, ctx.fam.num, places)


def _draw_invoice(
    c: Canvas,
    ctx: ICtx,
    *,
    vendor: Party,
    customer: Party,
    lines: list[Line],
    number: str,
    inv_date: date,
    due_date: date | None,
    po: str | None,
    terms: str | None,
    subtotal: Decimal,
    discount: Decimal,
    disc_pct: Decimal | None,
    shipping: Decimal,
    tax_rows: list[tuple[str, Decimal, Decimal]],
    total: Decimal,
    prepaid: Decimal,
    amount_due: Decimal,
    show_email: bool,
    show_phone: bool,
    original: str | None,
    extra_meta: list[tuple[str, str]],
) -> list[str]:
    fam = ctx.fam
    lab = fam.labels
    rng = ctx.rng
    W, H, M = ctx.width, ctx.height, ctx.margin
    top = H - M
    # -- letterhead
    name_size = rng.choice([14.0, 16.0, 18.0])
    c.setFillColorRGB(
        *rng.choice([(0.1, 0.2, 0.45), (0.45, 0.1, 0.1), (0.1, 0.35, 0.25), (0.15, 0.15, 0.15)])
    )
    c.setFont(ctx.bold, name_size)
    vx = {
        "left": M,
        "right": W - M - text_width(vendor.name, ctx.bold, name_size),
        "center": (W - text_width(vendor.name, ctx.bold, name_size)) / 2,
    }[fam.brand_pos]
    c.drawString(vx, top - name_size, vendor.name)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(ctx.font, ctx.size)
    contact = list(vendor.lines)
    if show_phone:
        contact.append(f"{lab['phone']} {vendor.phone}")
    if show_email:
        contact.append(f"{lab['email']}: {vendor.email}")
    y = top - name_size - ctx.lh - 2
    for ln in contact:
        if fam.brand_pos == "right":
            c.drawRightString(W - M, y, ln)
        elif fam.brand_pos == "center":
            c.drawCentredString(W / 2, y, ln)
        else:
            c.drawString(M, y, ln)
        y -= ctx.lh
    vat_line = f"{lab['vat_id']}: {vendor.tax_print}"
    if not fam.bank_in_footer or fam.tax_mode in ("gst_in", "gst_au"):
        if fam.brand_pos == "right":
            c.drawRightString(W - M, y, vat_line)
        elif fam.brand_pos == "center":
            c.drawCentredString(W / 2, y, vat_line)
        else:
            c.drawString(M, y, vat_line)
        y -= ctx.lh
    y -= 16
    # -- title
    c.setFont(ctx.bold, fam.title_size + rng.choice([-4, 0, 2]))
    title_w = text_width(lab["title"], ctx.bold, fam.title_size + 2)
    room = W - 2 * M - text_width(vendor.name, ctx.bold, name_size) - 30
    title_right = fam.meta_pos == "right" and fam.brand_pos == "left" and title_w < room
    if title_right:
        c.drawRightString(W - M, top - name_size, lab["title"])
    # -- addresses and meta block
    meta: list[tuple[str, str]] = [(lab["number"], number), (lab["date"], _date(ctx, inv_date))]
    if due_date is not None:
        meta.append((lab["due"], _date(ctx, due_date)))
    if po is not None:
        meta.append((lab["po"], po))
    if fam.currency_display == "code" and rng.random() < 0.5:
        meta.append((lab["currency"], fam.currency))
        code_in_meta = True
    else:
        code_in_meta = False
    meta.extend(extra_meta)
    if original is not None:
        meta.append(
            ({"de": "zu Rechnung", "fr": "Facture d'origine"}.get(fam.lang, "Original invoice"), original)
        )
    bill_lines = [customer.name, *customer.lines]
    if customer.tax_print:
        bill_lines.append(f"{lab['customer_vat']}: {customer.tax_print}")
    addr_x = M if fam.billto_pos == "left" else W / 2 + 40
    ay = y
    if fam.sender_line:
        c.setFont(ctx.font, ctx.size - 2)
        c.drawString(addr_x, ay, f"{vendor.name} · {' · '.join(vendor.lines)}")
        ay -= ctx.lh + 2
    if lab["bill_to"]:
        c.setFont(ctx.bold, ctx.size)
        c.drawString(addr_x, ay, lab["bill_to"] + ("" if fam.lang == "it" else ":"))
        ay -= ctx.lh
    c.setFont(ctx.font, ctx.size + 0.5)
    for ln in bill_lines:
        c.drawString(addr_x, ay, ln)
        ay -= ctx.lh + 1
    label_w = max(text_width(k + ":", ctx.bold, ctx.size) for k, _ in meta) + 10
    val_w = max(text_width(v, ctx.font, ctx.size) for _, v in meta)
    if fam.meta_pos == "right":
        mx = (W - M - label_w - val_w) if fam.billto_pos == "left" else M
        my = y
        for k, v in meta:
            c.setFont(ctx.bold, ctx.size)
            c.drawString(mx, my, k + ":")
            c.setFont(ctx.font, ctx.size)
            c.drawString(mx + label_w, my, v)
            my -= ctx.lh + 1
        y = min(ay, my) - 18
        if not title_right:
            c.setFont(ctx.bold, fam.title_size)
            c.drawString(M, y, lab["title"])
            y -= 22
    elif fam.meta_pos == "below":
        y = ay - 14
        c.setFont(ctx.bold, fam.title_size)
        c.drawString(M, y, lab["title"])
        y -= 18
        for k, v in meta:
            c.setFont(ctx.bold, ctx.size)
            c.drawString(M, y, k + ":")
            c.setFont(ctx.font, ctx.size)
            c.drawString(M + label_w, y, v)
            y -= ctx.lh + 1
        y -= 10
    else:  # left_table: a boxed row of labels over values
        y = ay - 14
        c.setFont(ctx.bold, fam.title_size)
        c.drawString(M, y, lab["title"])
        y -= 16
        cw = (W - 2 * M) / len(meta)
        c.setStrokeColorRGB(0.5, 0.5, 0.5)
        c.rect(M, y - 2 * ctx.lh - 6, W - 2 * M, 2 * ctx.lh + 6, stroke=1, fill=0)
        for i, (k, v) in enumerate(meta):
            c.setFont(ctx.bold, ctx.size - 0.5)
            c.drawString(M + i * cw + 4, y - ctx.lh, k)
            c.setFont(ctx.font, ctx.size)
            c.drawString(M + i * cw + 4, y - 2 * ctx.lh - 1, v)
        y -= 2 * ctx.lh + 20
    # -- items table
    table_w = W - 2 * M
    weights = [col.width * rng.uniform(0.93, 1.07) for col in fam.cols]
    tot = sum(weights)
    widths = [table_w * w / tot for w in weights]
    need = _needed(ctx, lines)
    for i, col in enumerate(fam.cols):
        want = max(
            need.get(col.kind, 0.0),
            text_width(col.title, ctx.bold, ctx.size) + 6 if col.kind != "desc" else 0.0,
        )
        if widths[i] < want:
            d = next(j for j, cc in enumerate(fam.cols) if cc.kind == "desc")
            widths[d] -= want - widths[i]
            widths[i] = want
    xs: list[tuple[ICol, float, float]] = []
    x = M
    for col, w in zip(fam.cols, widths, strict=True):
        xs.append((col, x, x + w))
        x += w
    pages = 1

    def table_header(yy: float) -> float:
        h = ctx.lh + 6
        fill = fam.header_fill
        if fill is not None:
            c.setFillColorRGB(*fill)
            c.rect(M, yy - h, table_w, h, stroke=0, fill=1)
        else:
            c.line(M, yy - h, W - M, yy - h)
            c.line(M, yy, W - M, yy)
        dark = fill is not None and sum(fill) < 1.6
        c.setFillColorRGB(1, 1, 1) if dark else c.setFillColorRGB(0, 0, 0)
        c.setFont(ctx.bold, ctx.size)
        for col, x0, x1 in xs:
            if col.align == "r":
                c.drawRightString(x1 - 3, yy - ctx.lh - 1, col.title)
            else:
                c.drawString(x0 + 3, yy - ctx.lh - 1, col.title)
        c.setFillColorRGB(0, 0, 0)
        return yy - h - 2

    if fam.headline_due:
        c.setFont(ctx.bold, ctx.size + 6)
        due_txt = f" due {_date(ctx, due_date)}" if due_date is not None else " due"
        c.drawString(M, y, f"{_money(ctx, amount_due, True)} {fam.currency}{due_txt}")
        y -= 30
    y = table_header(y)
    shown: list[str] = []
    bottom = M + 60
    for n, item in enumerate(lines, start=1):
        dcol = next(cc for cc in xs if cc[0].kind == "desc")
        text = f"{item.desc} {item.detail}".strip()
        wrapped, shown_text = wrap_words(text, ctx.font, ctx.size, dcol[2] - dcol[1] - 6, 3)
        shown.append(shown_text)
        row_h = ctx.lh * len(wrapped) + 4
        if y - row_h < bottom:
            _footer(c, ctx, vendor, pages)
            c.showPage()
            pages += 1
            y = table_header(H - M - 20)
        cells = {
            "pos": str(n),
            "sku": item.sku,
            "hsn": item.hsn,
            "qty": _qty_str(ctx, item.qty),
            "unit": item.unit,
            "price": _money(ctx, item.price, places=fam.price_places),
            "rate": _rate_str(ctx, item.rate),
            "disc": _rate_str(ctx, str(item.disc)) if item.disc else "",
            "amount": _money(ctx, item.amount),
        }
        c.setFont(ctx.font, ctx.size)
        for col, x0, x1 in xs:
            if col.kind == "desc":
                for li, part in enumerate(wrapped):
                    c.drawString(x0 + 3, y - ctx.lh * (li + 1) + 1, part)
                continue
            val = cells.get(col.kind, "")
            if not val:
                continue
            if col.align == "r":
                c.drawRightString(x1 - 3, y - ctx.lh + 1, val)
            else:
                c.drawString(x0 + 3, y - ctx.lh + 1, val)
        y -= row_h
        if fam.grid:
            c.setStrokeColorRGB(0.7, 0.7, 0.7)
            c.line(M, y + 1, W - M, y + 1)
            c.setStrokeColorRGB(0, 0, 0)
    # -- totals block
    rows: list[tuple[str, str, bool]] = []
    rows.append((lab["subtotal"], _money(ctx, subtotal, True), False))
    if discount:
        pct = fmt_num(disc_pct or Decimal(0), fam.num, 0)
        rows.append((f"{lab['discount']} {pct}%", _money(ctx, -discount, True), False))
    if shipping:
        rows.append((lab["shipping"], _money(ctx, shipping, True), False))
    if fam.tax_table:
        tax_sum = sum((amt for _, _, amt in tax_rows), Decimal(0))
        rows.append((lab["tax_total"], _money(ctx, tax_sum, True), False))
    else:
        for label, base, amt in tax_rows:
            if fam.tax_base_shown and len(tax_rows) > 1:
                label = f"{label} ({_money(ctx, base)})"
            rows.append((label, _money(ctx, amt, True), False))
    total_label = lab["total"] + (
        "" if fam.currency_display == "symbol" or code_in_meta else f" {fam.currency}"
    )
    rows.append((total_label, _money(ctx, total, True), True))
    if prepaid:
        rows.append((lab["prepaid"], _money(ctx, -prepaid, True), False))
        rows.append((lab["due_amount"], _money(ctx, amount_due, True), True))
    need_h = (ctx.lh + 3) * len(rows) + 20 + (3 * ctx.lh if terms else 0)
    if y - need_h < M + 50:
        _footer(c, ctx, vendor, pages)
        c.showPage()
        pages += 1
        y = H - M - 20
    y -= 8
    lx = W - M - 230
    if fam.tax_table:
        _draw_tax_table(c, ctx, M, y, min(250.0, lx - M - 20), tax_rows)
    for label, val, strong in rows:
        c.setFont(ctx.bold if strong else ctx.font, ctx.size + (0.5 if strong else 0))
        c.drawString(lx, y - ctx.lh, label)
        c.drawRightString(W - M - 3, y - ctx.lh, val)
        y -= ctx.lh + 3
        if strong:
            c.line(lx, y + 1, W - M, y + 1)
    y -= 14
    c.setFont(ctx.font, ctx.size)
    if terms:
        c.drawString(M, y, f"{lab['terms']}: {terms}")
        y -= ctx.lh + 2
    if fam.structured_ref:
        digits = f"{rng.randint(10**9, 10**10 - 1)}"
        check = int(digits) % 97 or 97
        ref = f"{digits}{check:02d}"
        c.drawString(M, y, f"{lab['structured']}: +++{ref[:3]}/{ref[3:7]}/{ref[7:]}+++")
        y -= ctx.lh + 2
    if not fam.bank_in_footer and fam.tax_mode == "gst_au":
        bsb = f"{rng.randint(100, 999)}-{rng.randint(100, 999)}"
        c.drawString(M, y, f"Pay by EFT: BSB {bsb}  Account {rng.randint(10000000, 99999999)}")
    _footer(c, ctx, vendor, pages)
    c.showPage()
    return shown


def _extra_meta(rng: random.Random, ctx: ICtx, inv_date: date) -> list[tuple[str, str]]:
    """Header fields that look like the answer but are not (delivery date, tax point, customer number)."""
    out: list[tuple[str, str]] = []
    for label, kind in ctx.fam.extra_meta:
        if kind == "delivery":
            out.append((label, _date(ctx, inv_date - timedelta(days=rng.randint(1, 12)))))
        elif kind == "tax_point":
            out.append((label, _date(ctx, inv_date - timedelta(days=rng.randint(1, 6)))))
        elif kind == "customer_no":
            out.append((label, f"{rng.choice(['K', 'C', 'D'])}{rng.randint(10000, 99999)}"))
    return out


def _draw_tax_table(
    c: Canvas, ctx: ICtx, x: float, y: float, w: float, tax_rows: list[tuple[str, Decimal, Decimal]]
) -> None:
    lab = ctx.fam.labels
    heads = [lab["tax_rate_col"], lab["tax_base_col"], lab["tax_amount_col"]]
    xs = [x, x + w * 0.4, x + w * 0.7, x + w]
    c.setStrokeColorRGB(0.4, 0.4, 0.4)
    c.setLineWidth(0.5)
    row_h = ctx.lh + 4
    c.rect(x, y - row_h * (len(tax_rows) + 1), w, row_h * (len(tax_rows) + 1), stroke=1, fill=0)
    c.line(x, y - row_h, x + w, y - row_h)
    c.setFont(ctx.bold, ctx.size - 0.5)
    for i, h in enumerate(heads):
        c.drawRightString(xs[i + 1] - 4, y - ctx.lh, h) if i else c.drawString(xs[0] + 4, y - ctx.lh, h)
    c.setFont(ctx.font, ctx.size)
    for k, (label, base, amt) in enumerate(tax_rows, start=1):
        yy = y - row_h * k - ctx.lh
        c.drawString(xs[0] + 4, yy, label)
        c.drawRightString(xs[2] - 4, yy, _money(ctx, base))
        c.drawRightString(xs[3] - 4, yy, _money(ctx, amt))
    c.setStrokeColorRGB(0, 0, 0)


def _footer(c: Canvas, ctx: ICtx, vendor: Party, page: int) -> None:
    fam = ctx.fam
    lab = fam.labels
    y = ctx.margin + 10
    c.setFont(ctx.font, ctx.size - 1.5)
    c.setFillColorRGB(0.25, 0.25, 0.25)
    c.line(ctx.margin, y + 3 * (ctx.size + 1), ctx.width - ctx.margin, y + 3 * (ctx.size + 1))
    if fam.bank_in_footer and vendor.iban:
        cols = [
            [vendor.name, *vendor.lines][:3],
            [f"{lab['vat_id']}: {vendor.tax_print}"],
            [f"{lab['iban']}: {iban_print(vendor.iban)}", f"{lab['bic']}: {vendor.bic}"],
        ]
        x = ctx.margin
        for col in cols:
            yy = y + 2 * (ctx.size + 1)
            for ln in col:
                c.drawString(x, yy, ln)
                yy -= ctx.size + 1
            x += max(text_width(ln, ctx.font, ctx.size - 1.5) for ln in col) + 18
    else:
        c.drawString(ctx.margin, y + 2 * (ctx.size + 1), f"{vendor.name} · {' · '.join(vendor.lines)}")
    c.drawRightString(ctx.width - ctx.margin, ctx.margin - 10, f"{lab['page'].split(' ')[0]} {page}")
    c.setFillColorRGB(0, 0, 0)


def _needed(ctx: ICtx, lines: list[Line]) -> dict[str, float]:
    out: dict[str, float] = {}
    for ln in lines:
        vals = {
            "pos": "99",
            "sku": ln.sku,
            "hsn": ln.hsn,
            "qty": _qty_str(ctx, ln.qty),
            "unit": ln.unit,
            "price": _money(ctx, ln.price, places=ctx.fam.price_places),
            "rate": _rate_str(ctx, ln.rate),
            "disc": _rate_str(ctx, str(ln.disc)) if ln.disc else "",
            "amount": _money(ctx, ln.amount),
        }
        for k, v in vals.items():
            out[k] = max(out.get(k, 0.0), text_width(v, ctx.font, ctx.size) + 8)
    return out


def make_scanned_invoice(family: str, seed: int = 0, **opts: Any) -> tuple[bytes, dict[str, Any]]:
    """The same invoice as an image-only PDF (no text layer).

    opts as make_invoice, plus dpi, rotate (0/90/180/270) and photo (True: photographed on a desk)."""
    pdf, truth = make_invoice(family, seed, **opts)
    return scan.office_scan(pdf, family, seed, opts), truth
