"""Invoice layout fuzzer: a space of invoice layouts sampled per seed, with exact RESULT_SCHEMA truth.

Unlike tests/gen/invoices.py (fixed families), every layout dimension is drawn independently per seed:
label language, country (addresses, tax ids, rates), currency and its display, number/date formats, fonts
and sizes, page size and margins, how the parties are printed (plain letterhead, logo-like heading,
form-style ``Label: value`` blocks, vendor only in the footer or remit-to block, vendor beside the document
title), where the invoice number and date sit (meta block, boxed row, inside the title line with a
UNTDID 1001 type code), the items table (column set and order, position numbers, one or two stacked
article numbers, ordered/shipped/back-ordered quantities, unit in the quantity cell, discount, tax-rate
and gross-price columns, note sub-lines, wrapped descriptions, numbers on the first or last line of a
row, rules and shading, multi-page tables with carried subtotals), the totals block (invoice-level
discount, shipping, several rates, zero-rated intra-community supplies, prepayments, a tax grid), due
dates as dates, terms or sentences, purchase orders, distractor numbers (customer no., GLN, delivery
note), bank details, credit notes and invoices that merely mention credit, and scans.

    pdf, truth, meta = make_fuzzed_invoice(seed)

``truth`` follows RESULT_SCHEMA's invoice shape (money, quantities and dates as strings; a field the page
does not show is null). ``meta`` names the sampled dimensions (``dims``) and the failure classes the
document exercises (``classes``, see CLASSES), plus ``layout``/``scan`` for the shared scorer.
All arithmetic is Decimal: quantity x unit price x (1 - discount) = amount (rounded half up), the
amounts sum to the subtotal, every rate's tax is its base x rate rounded, subtotal - discount + shipping
+ tax = total, total - prepayment = amount due.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
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
from tests.gen.invoices import _TERMS, _due_truth

CENT = Decimal("0.01")

# Failure classes a fuzzed invoice can exercise (meta["classes"]); TABLE_FEATURES are the items-table
# traits; a document with at least WIDE_MIN of the WIDE_TRAITS counts as "wide_table".
CLASSES = (
    "form_parties",
    "title_numbering",
    "wide_table",
    "vendor_logo",
    "vendor_footer_only",
    "vendor_beside_title",
    "credit_note",
    "credit_mention",
    "scanned",
)
TABLE_FEATURES = (
    "pos_col",
    "stacked_skus",
    "ordered_shipped",
    "qty_unit_cell",
    "disc_col",
    "gross_price_col",
    "rate_col",
    "sub_lines",
    "wrapped_desc",
    "numbers_on_last_line",
    "multipage",
)
WIDE_MIN = 3
WIDE_TRAITS = frozenset(
    {
        "pos_col",
        "stacked_skus",
        "ordered_shipped",
        "qty_unit_cell",
        "disc_col",
        "gross_price_col",
        "sub_lines",
        "multipage",
    }
)


def r2(v: Decimal) -> Decimal:
    return v.quantize(CENT, rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------ tax ids, GLNs (valid check digits)


def _digits(rng: random.Random, n: int, first_nonzero: bool = False) -> list[int]:
    out = [rng.randint(0, 9) for _ in range(n)]
    if first_nonzero and n:
        out[0] = rng.randint(1, 9)
    return out


def _luhn_sum(ds: Sequence[int]) -> int:
    """Luhn sum of a digit string that already carries its check digit (valid when % 10 == 0)."""
    total = 0
    for i, d in enumerate(reversed(ds)):
        if i % 2 == 1:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return total


def luhn_complete(ds: Sequence[int]) -> list[int]:
    """Append the Luhn check digit."""
    for c in range(10):
        if _luhn_sum([*ds, c]) % 10 == 0:
            return [*ds, c]
    raise AssertionError("unreachable")


def mod11_10_valid(number: str) -> bool:
    """ISO 7064 MOD 11,10 (German USt-IdNr.)."""
    check = 5
    for ch in number:
        check = (((check or 10) * 2) % 11 + int(ch)) % 10
    return check == 1


def gs1_check(body: str) -> str:
    """GS1 check digit for a GLN/GTIN body (12 digits for a 13-digit GLN)."""
    total = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gln(rng: random.Random) -> str:
    body = rng.choice(["40", "43", "30", "50", "76", "80", "87"]) + "".join(map(str, _digits(rng, 10)))
    return body + gs1_check(body)


def vat_id(rng: random.Random, country: str) -> tuple[str, str]:
    """(compact id for the truth, how the page prints it) with a valid check digit where one exists."""
    if country == "DE":
        while True:
            body = "".join(map(str, _digits(rng, 8, True)))
            for check in "0123456789":
                if mod11_10_valid(body + check):
                    v = body + check
                    return "DE" + v, rng.choice([f"DE{v}", f"DE {v[:3]} {v[3:6]} {v[6:]}"])
    if country == "AT":
        d = _digits(rng, 7)
        s = d[0] + d[2] + d[4] + d[6] + sum(sum(divmod(2 * x, 10)) for x in (d[1], d[3], d[5]))
        v = "ATU" + "".join(map(str, d)) + str((10 - (s + 4) % 10) % 10)
        return v, v
    if country == "CH":
        while True:
            d = _digits(rng, 8, True)
            c = 11 - sum(w * x for w, x in zip((5, 4, 3, 2, 7, 6, 5, 4), d, strict=True)) % 11
            if c == 10:
                continue
            n = "".join(map(str, d)) + str(0 if c == 11 else c)
            suffix = rng.choice(["MWST", "TVA", "MWST"])
            return "CHE" + n, f"CHE-{n[:3]}.{n[3:6]}.{n[6:]} {suffix}"
    if country == "FR":
        siren = "".join(map(str, luhn_complete(_digits(rng, 8, True))))
        key = (12 + 3 * (int(siren) % 97)) % 97
        v = f"FR{key:02d}{siren}"
        return v, rng.choice([v, f"FR {key:02d} {siren[:3]} {siren[3:6]} {siren[6:]}"])
    if country == "BE":
        n8 = str(rng.choice([0, 1])) + "".join(map(str, _digits(rng, 7, True)))
        v = f"{n8}{97 - int(n8) % 97:02d}"
        return "BE" + v, rng.choice([f"BE{v}", f"BE {v[:4]}.{v[4:7]}.{v[7:]}"])
    if country == "NL":
        while True:
            d = _digits(rng, 8, True)
            c = sum(w * x for w, x in zip(range(9, 1, -1), d, strict=True)) % 11
            if c < 10:
                v = "NL" + "".join(map(str, d)) + str(c) + f"B{rng.randint(1, 3):02d}"
                return v, v
    if country == "IT":
        it_body = _digits(rng, 7) + [int(x) for x in f"{rng.randint(1, 100):03d}"]
        v = "IT" + "".join(map(str, luhn_complete(it_body)))
        return v, v
    if country == "ES":
        d = _digits(rng, 7)
        s = d[1] + d[3] + d[5] + sum(sum(divmod(2 * x, 10)) for x in (d[0], d[2], d[4], d[6]))
        v = "ES" + rng.choice("AB") + "".join(map(str, d)) + str((10 - s % 10) % 10)
        return v, v
    if country == "GB":
        d = _digits(rng, 7, True)
        cc = (-sum(w * x for w, x in zip(range(8, 1, -1), d, strict=True))) % 97
        n = "".join(map(str, d)) + f"{cc:02d}"
        return "GB" + n, rng.choice([f"GB{n}", f"GB {n[:3]} {n[3:7]} {n[7:]}"])
    if country == "IE":
        d = _digits(rng, 7)
        letter = "WABCDEFGHIJKLMNOPQRSTUV"[sum(x * (8 - i) for i, x in enumerate(d)) % 23]
        v = "IE" + "".join(map(str, d)) + letter
        return v, v
    # US: an EIN has no check digit; the prefix is a valid campus code
    n = f"{rng.choice([12, 20, 27, 35, 46, 52, 61, 74, 81, 94])}{rng.randint(1000000, 9999999)}"
    return n, f"{n[:2]}-{n[2:]}"


# ------------------------------------------------------------------ countries, parties


def _parse_table(text: str) -> dict[str, list[str]]:
    """key = variant | variant ... lines; a line starting with spaces continues the previous one."""
    out: dict[str, list[str]] = {}
    key = ""
    for raw in text.strip("\n").splitlines():
        if raw.startswith(" "):
            out[key] += [v.strip() for v in raw.strip().rstrip("|").split(" | ")]
            continue
        key, _, rest = raw.partition(" = ")
        out[key] = [v.strip() for v in rest.rstrip("|").split(" | ")]
    return out


COUNTRY_NAMES: dict[str, dict[str, str]] = {
    # country code: {label language: printed country name}
    "DE": {
        "de": "Deutschland",
        "en": "Germany",
        "fr": "Allemagne",
        "es": "Alemania",
        "nl": "Duitsland",
        "it": "Germania",
    },
    "AT": {
        "de": "Österreich",
        "en": "Austria",
        "fr": "Autriche",
        "es": "Austria",
        "nl": "Oostenrijk",
        "it": "Austria",
    },
    "CH": {
        "de": "Schweiz",
        "en": "Switzerland",
        "fr": "Suisse",
        "es": "Suiza",
        "nl": "Zwitserland",
        "it": "Svizzera",
    },
    "FR": {
        "de": "Frankreich",
        "en": "France",
        "fr": "France",
        "es": "Francia",
        "nl": "Frankrijk",
        "it": "Francia",
    },
    "BE": {
        "de": "Belgien",
        "en": "Belgium",
        "fr": "Belgique",
        "es": "Bélgica",
        "nl": "België",
        "it": "Belgio",
    },
    "NL": {
        "de": "Niederlande",
        "en": "Netherlands",
        "fr": "Pays-Bas",
        "es": "Países Bajos",
        "nl": "Nederland",
        "it": "Paesi Bassi",
    },
    "IT": {"de": "Italien", "en": "Italy", "fr": "Italie", "es": "Italia", "nl": "Italië", "it": "Italia"},
    "ES": {"de": "Spanien", "en": "Spain", "fr": "Espagne", "es": "España", "nl": "Spanje", "it": "Spagna"},
    "GB": {
        "de": "Vereinigtes Königreich",
        "en": "United Kingdom",
        "fr": "Royaume-Uni",
        "es": "Reino Unido",
        "nl": "Verenigd Koninkrijk",
        "it": "Regno Unito",
    },
    "IE": {
        "de": "Irland",
        "en": "Ireland",
        "fr": "Irlande",
        "es": "Irlanda",
        "nl": "Ierland",
        "it": "Irlanda",
    },
    "US": {
        "de": "USA",
        "en": "USA",
        "fr": "États-Unis",
        "es": "EE. UU.",
        "nl": "Verenigde Staten",
        "it": "Stati Uniti",
    },
}
COUNTRY_CURRENCY = {
    "DE": "EUR",
    "AT": "EUR",
    "CH": "CHF",
    "FR": "EUR",
    "BE": "EUR",
    "NL": "EUR",
    "IT": "EUR",
    "ES": "EUR",
    "GB": "GBP",
    "IE": "EUR",
    "US": "USD",
}
COUNTRY_NUM = {
    "DE": "eu",
    "AT": "eu",
    "CH": "ch",
    "FR": "fr",
    "BE": "eu",
    "NL": "eu",
    "IT": "eu",
    "ES": "eu",
    "GB": "us",
    "IE": "us",
    "US": "us",
}
COUNTRY_RATES: dict[str, tuple[str, ...]] = {
    "DE": ("19", "7"),
    "AT": ("20", "10", "13"),
    "CH": ("8.1", "2.6", "3.8"),
    "FR": ("20", "10", "5.5"),
    "BE": ("21", "6", "12"),
    "NL": ("21", "9"),
    "IT": ("22", "10", "4"),
    "ES": ("21", "10", "4"),
    "GB": ("20", "5"),
    "IE": ("23", "13.5"),
    "US": ("8.25", "7.25", "6", "8.875"),
}
LANG_COUNTRIES = {
    "en": ("GB", "IE", "US", "US"),
    "de": ("DE", "DE", "AT", "CH"),
    "fr": ("FR", "FR", "BE", "CH"),
    "es": ("ES",),
    "nl": ("NL", "NL", "BE"),
    "it": ("IT",),
}
EU = ("DE", "AT", "FR", "BE", "NL", "IT", "ES", "IE")

# country: (name parts A, name parts B, legal forms, name patterns, streets, postcode+city lines, line-2s)
_NAME_TABLE = """
DE.a = Nordwind | Becker | Hansen | Rheinland | Alpenblick | Weber | Sonnenhof | Kramer | Elbtal |
    Schwarzwald | Lindner | Brandt
DE.b = Metallbau | Elektrotechnik | Logistik | Bürobedarf | Feinkost | Haustechnik | Druckerei |
    Verpackungen | Software | Baustoffe | Werkzeugbau | Gastro-Service
DE.legal = GmbH | GmbH & Co. KG | AG | KG | e.K. | OHG
DE.pattern = {a} {b} {l} | {b} {a} {l} | {a} {l}
DE.street = Hauptstraße {n} | Bahnhofstraße {n} | Industriestraße {n} | Gartenweg {n} |
    Lindenallee {n} | Am Markt {n} | Mühlenweg {n}a | Kaiserstraße {n} | Hafenstraße {n} |
    Ringstraße {n}
DE.city = 80333 München | 20457 Hamburg | 50667 Köln | 60311 Frankfurt am Main | 70173 Stuttgart |
    04109 Leipzig | 28195 Bremen | 90402 Nürnberg | 44135 Dortmund | 01067 Dresden | 34117 Kassel |
    69117 Heidelberg
DE.line2 = Gebäude B | 2. OG | Haus 3 | Hinterhaus
AT.a = Alpenholz | Donau | Grünberg | Huber | Steiner | Wachau | Tauern | Leitner
AT.b = Tischlerei | Handel | Elektro | Bau | Weinbau | Installationen | Maschinenbau
AT.legal = GmbH | KG | OG | e.U.
AT.pattern = {b} {a} {l} | {a} {b} {l}
AT.street = Mariahilfer Straße {n} | Landstraße {n} | Hauptplatz {n} | Industriezeile {n} |
    Wiener Straße {n}
AT.city = 1010 Wien | 4020 Linz | 5020 Salzburg | 8010 Graz | 6020 Innsbruck | 9020 Klagenfurt
AT.line2 = Stiege 2 | Top 4
CH.a = Jura | Berghof | Limmat | Aare | Säntis | Pilatus | Keller | Meier
CH.b = Uhrenatelier | Käserei | Informatik | Holzbau | Treuhand | Elektro
CH.legal = AG | GmbH | SA
CH.pattern = {b} {a} {l} | {a} {b} {l}
CH.street = Bahnhofstrasse {n} | Seestrasse {n} | Dorfstrasse {n} | Limmatquai {n} | Marktgasse {n}
CH.city = 8001 Zürich | 3011 Bern | 4051 Basel | 6003 Luzern | 9000 St. Gallen |
    2300 La Chaux-de-Fonds
CH.line2 = Postfach
FR.a = Atelier | Maison | Comptoir | Ateliers | Groupe | Société
FR.b = Dubois | Lefèvre | du Rhône | de Bretagne | des Alpes | Moreau | Garnier | Lambert
FR.legal = SARL | SAS | SA | EURL
FR.pattern = {a} {b} {l}
FR.street = {n} rue de la République | {n} avenue Jean Jaurès | {n} boulevard Voltaire |
    {n} place Bellecour | {n} quai des Chartrons | {n} chemin des Vignes
FR.city = 69002 Lyon | 75011 Paris | 33000 Bordeaux | 13001 Marseille | 31000 Toulouse |
    44000 Nantes | 67000 Strasbourg | 59000 Lille
FR.line2 = Bâtiment C | ZI des Pins | BP 214
BE.a = Brasserie | Drukkerij | Atelier | Bouwbedrijf | Imprimerie
BE.b = Peeters | Janssens | Dupont | Maes | Lambert | du Canal
BE.legal = BV | SRL | NV | SA
BE.pattern = {a} {b} {l}
BE.street = Rue Haute {n} | Nijverheidsstraat {n} | Avenue Louise {n} | Kerkstraat {n} | Meir {n}
BE.city = 1000 Bruxelles | 2000 Antwerpen | 9000 Gent | 4000 Liège | 3000 Leuven
BE.line2 = Bus 3 | Boîte 12
NL.a = Van Dijk | De Vries | Bakker | Jansen | Visser | Smit | Grachtenlicht | Noordzee
NL.b = Installatietechniek | Drukwerk | Logistiek | Bouwmaterialen | ICT Diensten | Groothandel
NL.legal = B.V. | BV | V.O.F.
NL.pattern = {a} {b} {l} | {b} {a} {l}
NL.street = Kerkstraat {n} | Stationsweg {n} | Havenstraat {n} | Industrieweg {n} | Herengracht {n} |
    Dorpsstraat {n}
NL.city = 1016 BG Amsterdam | 3011 AD Rotterdam | 3511 LX Utrecht | 5611 AB Eindhoven |
    9711 LM Groningen | 2511 CV Den Haag
NL.line2 = Unit 4 | 2e verdieping
IT.a = Forniture Industriali | Arredamenti | Tipografia | Impianti Elettrici | Logistica |
    Alimentari
IT.b = Rossi | Bianchi | Ferrari | Colombo | Ricci | Marino | Greco | Fiorentina
IT.legal = S.r.l. | S.p.A. | S.n.c. | S.a.s.
IT.pattern = {a} {b} {l}
IT.street = Via Roma {n} | Via Garibaldi {n} | Corso Italia {n} | Viale Europa {n} | Via Dante {n} |
    Piazza della Libertà {n}
IT.city = 20121 Milano MI | 00184 Roma RM | 50122 Firenze FI | 10121 Torino TO | 40121 Bologna BO |
    80133 Napoli NA
IT.line2 = Scala B | Zona Industriale
ES.a = Suministros | Distribuciones | Talleres | Construcciones | Gráficas | Servicios Informáticos
ES.b = García | Martínez | del Sur | Levante | Ibérica | López | del Norte
ES.legal = S.L. | S.A. | S.L.U.
ES.pattern = {a} {b} {l}
ES.street = Calle Mayor {n} | Avenida de la Constitución {n} | Calle Alcalá {n} |
    Paseo de Gracia {n} | Calle Colón {n} | Polígono Industrial Norte, nave {n}
ES.city = 28013 Madrid | 08007 Barcelona | 46004 Valencia | 41004 Sevilla | 48001 Bilbao |
    50001 Zaragoza
ES.line2 = 2º izquierda | Local 3
GB.a = Fenwick | Ashford | Kingsley | Bramble & Oak | Harbour | Redwood | Thornbury | Copperfield
GB.b = Consulting | Supplies | Engineering | Design | Logistics | Print | Analytics | Catering
GB.legal = Ltd | Limited | LLP | plc
GB.pattern = {a} {b} {l}
GB.street = {n} High Street | {n} Station Road | {n} Church Lane | Unit {n}, Riverside Business Park |
    {n} Victoria Road | {n} Deansgate
GB.city = London EC1V 2NX | Manchester M1 3BE | Leeds LS1 4DY | Bristol BS1 5TR | Glasgow G2 1DY |
    Birmingham B3 2BJ
GB.line2 = Second Floor | Suite 5
IE.a = Shamrock | Liffey | Corrib | Atlantic | Emerald | Shannon
IE.b = Office Supplies | Software | Engineering | Foods | Print | Veterinary
IE.legal = Ltd | Limited | DAC
IE.pattern = {a} {b} {l}
IE.street = {n} Patrick Street | Unit {n}, Galway Technology Park | {n} Main Street |
    {n} O'Connell Street
IE.city = Cork T12 X9RT | Galway H91 PX84 | Dublin 2 D02 XY45 | Limerick V94 T9PX
IE.line2 = Block B
US.a = Brightline | Keystone | Mesa Verde | Summit | Pioneer | Lakeshore | Red Rock | Blue Ridge
US.b = Web Studio | HVAC Services | Supply | Consulting Group | Logistics | Landscaping |
    Office Solutions | Dental Partners
US.legal = LLC | Inc. | Co. | Corp.
US.pattern = {a} {b} {l}
US.street = {n} Pine Street | {n} Commerce Drive | {n} Main St | {n} Market Street, Suite {s} |
    {n} Industrial Pkwy
US.city = Seattle, WA 98101 | Harrisburg, PA 17110 | Austin, TX 78701 | Denver, CO 80202 |
    Portland, OR 97204 | Columbus, OH 43215 | Boston, MA 02110
US.line2 = Building 2 | Floor 3
"""
_NAMES_PARSED = _parse_table(_NAME_TABLE)
_NAMES: dict[str, tuple[list[str], ...]] = {
    c: tuple(_NAMES_PARSED[f"{c}.{k}"] for k in ("a", "b", "legal", "pattern", "street", "city", "line2"))
    for c in COUNTRY_CURRENCY
}

_BANKS = {
    "DE": ["Sparkasse", "Commerzbank", "Deutsche Bank", "Volksbank"],
    "AT": ["Erste Bank", "Raiffeisenbank"],
    "CH": ["UBS", "Zürcher Kantonalbank"],
    "FR": ["BNP Paribas", "Crédit Agricole", "Société Générale"],
    "BE": ["KBC", "Belfius", "ING Belgique"],
    "NL": ["Rabobank", "ING", "ABN AMRO"],
    "IT": ["Intesa Sanpaolo", "UniCredit"],
    "ES": ["Santander", "BBVA", "CaixaBank"],
    "GB": ["Barclays", "HSBC", "Lloyds Bank"],
    "IE": ["AIB", "Bank of Ireland"],
    "US": ["Chase", "Wells Fargo", "Bank of America"],
}
_PHONES = {
    "DE": "+49 {a} {b}",
    "AT": "+43 {a} {b}",
    "CH": "+41 {a} {b}",
    "FR": "+33 {a} {b}",
    "BE": "+32 {a} {b}",
    "NL": "+31 {a} {b}",
    "IT": "+39 {a} {b}",
    "ES": "+34 {a} {b}",
    "GB": "+44 {a} {b}",
    "IE": "+353 {a} {b}",
    "US": "({a}) 555-{b}",
}
_CONTACTS = [
    "Hans Muster",
    "Anna Schmidt",
    "Jane Miller",
    "Pierre Martin",
    "Laura Gómez",
    "Sanne de Boer",
    "Marco Bianchi",
    "Tom O'Brien",
]

# ------------------------------------------------------------------ label vocabularies
# Every entry is a list of variants; one is drawn per document. Templates use {rate} {pct} {v} {d} {s}.
_VOCAB = {
    "en": """
title = INVOICE | Invoice | SALES INVOICE | TAX INVOICE | COMMERCIAL INVOICE
title_cn = CREDIT NOTE | Credit Note | CREDIT MEMO
title_line = {title} #{number} dated {date} | {title} No. {number} of {date} |
    {title} ({code}) No. {number} of {date} | {title} {number} - {date}
number = Invoice No. | Invoice Number | Invoice # | Document No.
number_cn = Credit Note No. | Credit Memo #
date = Invoice Date | Date | Date of issue | Issue date
due = Due Date | Payment due | Due
po = PO Number | Your order no. | Purchase Order | Customer PO
customer_no = Customer No. | Account No. | Customer ID
delivery_date = Delivery date | Ship date | Date of supply
delivery_note = Delivery note | Packing slip
currency = Currency
bill_to = Bill To | Invoice to | Billed to | Customer
ship_to = Ship To | Deliver to | Delivery address
seller_form = Seller | Supplier | From
buyer_form = Buyer | Bill to | Customer
f_name = Name
f_address = Address
f_number_s = Supplier No. | Vendor ID
f_number_b = Customer No. | Account No.
f_gln = GLN | Global Location No.
f_vat = VAT ID | VAT No.
f_taxno = Tax No.
f_contact = Contact
phone = Tel. | Phone
email = Email | E-mail
vat = VAT No. | VAT Reg. No. | VAT ID
vat_us = Tax ID | EIN
iban = IBAN
bic = BIC | SWIFT
bank = Bank
c_pos = # | No. | Line
c_sku = SKU | Item code | Part No. | Product code
c_sku_cust = Cust. Item
c_sku_supp = Our Item
c_desc = Description | Item description | Product / Service | Details
c_qty = Qty | Quantity | Units
c_ordered = Ordered | Qty Ord.
c_shipped = Shipped | Qty Shp.
c_backordered = Back-ordered | B/O
c_unit = Unit | UoM
c_price = Unit Price | Price | Rate | Unit Cost
c_gross = Price incl. VAT | Gross price
c_disc = Disc. % | Discount %
c_rate = VAT % | VAT | Tax
c_amount = Amount | Total | Line Total | Net Amount
subtotal = Subtotal | Net total | Total excl. VAT | Sub-total
subtotal_us = Subtotal
discount = Discount {pct}% | Less discount {pct}%
shipping = Shipping | Freight | Delivery charge | Shipping & handling
tax = VAT {rate}% | VAT @ {rate}% | Tax ({rate}%)
tax_us = Sales Tax ({rate}%) | Tax {rate}%
tax_total = Total VAT | Total tax
total = Total | Invoice Total | Total incl. VAT | Grand Total | TOTAL
prepaid = Less amount paid | Deposit received | Payments/Credits
amount_due = Amount Due | Balance Due | Total due
terms = Payment terms | Terms
carried = Carried forward
brought = Brought forward
page = Page {p} of {n} | Page {p}/{n}
s_list = List price: {v}
s_incl = incl. recycling fee {v} | incl. deposit {v}
s_delivery = Delivered: {d} | Ship date: {d}
s_serial = S/N: {s} | Serial no. {s}
credit = Payment by credit card accepted. | Paid by credit card (Visa ending {s}). |
    Credit card payments incur no surcharge. | Credit terms: 30 days from date of invoice.
intra = Intra-community delivery - VAT exempt under Art. 138 of Directive 2006/112/EC. |
    Zero-rated intra-community supply; the customer accounts for VAT (reverse charge).
remit = Remit to: | Please remit payment to: | Make checks payable to:
pay_by = Please pay by {d}. | Payment is due on {d}.
orig = Original invoice | Ref. invoice
attn = Attn:
tagline = Quality you can count on | Since 1987 | Your partner in business
thanks = Thank you for your business! | We appreciate your prompt payment.
tax_grid = Rate | Net | VAT
""",
    "de": """
title = Rechnung | RECHNUNG | Handelsrechnung
title_cn = Gutschrift | GUTSCHRIFT
title_line = {title} ({code}) Nr. {number} vom {date} | {title} Nr. {number} vom {date} |
    {title} {number} vom {date}
number = Rechnungsnummer | Rechnungs-Nr. | Rechnung Nr. | Beleg-Nr.
number_cn = Gutschrift-Nr. | Gutschriftsnummer
date = Rechnungsdatum | Datum | Belegdatum
due = Fällig am | Fälligkeitsdatum | Zahlbar bis
po = Ihre Bestellnummer | Bestell-Nr. | Ihre Bestellung
customer_no = Kundennummer | Kunden-Nr.
delivery_date = Lieferdatum | Leistungsdatum
delivery_note = Lieferschein-Nr.
currency = Währung
bill_to = Rechnungsempfänger | Rechnungsadresse | An
ship_to = Lieferadresse | Warenempfänger | Lieferanschrift
seller_form = Verkäufer | Lieferant | Rechnungssteller
buyer_form = Käufer/Leistungsempfänger | Käufer | Rechnungsempfänger
f_name = Name
f_address = Anschrift
f_number_s = Nummer | Lieferanten-Nr.
f_number_b = Nummer | Kundennummer
f_gln = Globale Nummer | GLN
f_vat = USt.-Id.-Nr. | USt-IdNr.
f_taxno = Steuernummer
f_contact = Kontakt
phone = Telefon | Tel.
email = E-Mail
vat = USt-IdNr. | USt.-Id.-Nr. | Umsatzsteuer-ID
vat_us = Tax ID
iban = IBAN
bic = BIC
bank = Bank | Bankverbindung
c_pos = Pos. | Pos
c_sku = Art.-Nr. | Artikelnr.
c_sku_cust = Art-Nr-Kunde
c_sku_supp = Art-Nr-Lief.
c_desc = Bezeichnung | Artikelbezeichnung | Beschreibung | Leistung
c_qty = Menge | Anzahl
c_ordered = Bestellt
c_shipped = Geliefert
c_backordered = Rückstand
c_unit = Einheit | ME
c_price = Einzelpreis | E-Preis | Preis/Einheit | Nettopreis
c_gross = Preis inkl. USt.
c_disc = Rabatt % | Rabatt
c_rate = USt. % | MwSt. | USt.
c_amount = Gesamtpreis | Gesamt | Betrag | Nettowert
subtotal = Zwischensumme | Nettobetrag | Summe netto | Warenwert netto
subtotal_us = Summe
discount = abzgl. {pct}% Rabatt | Rabatt {pct} %
shipping = Versandkosten | zzgl. Fracht
tax = zzgl. {rate} % USt. | USt. {rate} % | MwSt. {rate}%
tax_us = Sales Tax {rate} %
tax_total = Summe USt. | Umsatzsteuer gesamt
total = Rechnungsbetrag | Gesamtbetrag | Summe brutto | Endbetrag
prepaid = abzgl. Anzahlung | Bereits bezahlt
amount_due = Zahlbetrag | Offener Betrag | Noch zu zahlen
terms = Zahlungsbedingungen | Zahlungsziel
carried = Übertrag
brought = Übertrag
page = Seite {p} von {n} | Seite {p}/{n}
s_list = Bruttopreis: {v} | Listenpreis: {v}
s_incl = inkl. {v} Pfand | inkl. Urheberrechtsabgabe {v}
s_delivery = Liefer-Datum: {d} | Lieferung vom {d}
s_serial = Serien-Nr.: {s}
credit = Zahlung per Kreditkarte erhalten. |
    Gutschriften werden mit der nächsten Rechnung verrechnet. |
    Bei Zahlung per Kreditkarte fallen keine Gebühren an.
intra = Steuerfreie innergemeinschaftliche Lieferung gemäß § 4 Nr. 1b UStG. |
    Innergemeinschaftliche Lieferung, steuerfrei nach § 6a UStG.
remit = Zahlungsempfänger: | Bitte überweisen an:
pay_by = Bitte überweisen Sie den Betrag bis zum {d}. | Zahlbar bis {d} ohne Abzug.
orig = zu Rechnung | Bezug: Rechnung
attn = z. Hd.
tagline = Ihr Partner für Qualität | Seit 1987 | Meisterbetrieb
thanks = Vielen Dank für Ihren Auftrag! | Wir danken für Ihr Vertrauen.
tax_grid = USt.-Satz | Netto | USt.
""",
    "fr": """
title = FACTURE | Facture
title_cn = AVOIR | Facture d'avoir
title_line = {title} N° {number} du {date} | {title} n° {number} du {date} |
    {title} ({code}) N° {number} du {date}
number = Facture n° | N° de facture | Numéro de facture
number_cn = Avoir n° | N° d'avoir
date = Date | Date de facture | Date d'émission
due = Échéance | Date d'échéance
po = Votre commande | Réf. commande | Bon de commande
customer_no = N° client | Code client
delivery_date = Date de livraison
delivery_note = Bon de livraison
currency = Devise
bill_to = Client | Facturé à | Adresse de facturation
ship_to = Livré à | Adresse de livraison
seller_form = Fournisseur | Vendeur
buyer_form = Client | Acheteur
f_name = Nom
f_address = Adresse
f_number_s = Numéro | N° fournisseur
f_number_b = N° client | Numéro
f_gln = GLN
f_vat = N° TVA | TVA intracom.
f_taxno = SIRET
f_contact = Contact
phone = Tél. | Téléphone
email = Courriel | E-mail
vat = N° TVA intracommunautaire | TVA intracom. | N° TVA
vat_us = Tax ID
iban = IBAN
bic = BIC
bank = Banque | Domiciliation
c_pos = N° | Ligne
c_sku = Réf. | Référence
c_sku_cust = Réf. client
c_sku_supp = Réf. fourn.
c_desc = Désignation | Description
c_qty = Qté | Quantité
c_ordered = Commandé
c_shipped = Livré
c_backordered = Reliquat
c_unit = Unité | U.
c_price = PU HT | Prix unitaire HT | P.U.
c_gross = PU TTC
c_disc = Remise % | Rem.
c_rate = TVA | Taux TVA
c_amount = Montant HT | Total HT | Montant
subtotal = Total HT | Sous-total HT | Montant HT
subtotal_us = Sous-total
discount = Remise {pct} %
shipping = Frais de port | Frais de livraison
tax = TVA {rate} % | TVA à {rate} %
tax_us = Taxe {rate} %
tax_total = Total TVA
total = Total TTC | Montant TTC
prepaid = Acompte versé | Déjà réglé
amount_due = Net à payer | Reste à payer
terms = Conditions de paiement | Règlement
carried = À reporter
brought = Report
page = Page {p}/{n} | Page {p} sur {n}
s_list = Prix brut : {v}
s_incl = dont éco-participation {v}
s_delivery = Livré le {d}
s_serial = N° de série : {s}
credit = Paiement par carte de crédit accepté. | Réglé par carte de crédit.
intra = Livraison intracommunautaire exonérée de TVA, art. 262 ter I du CGI.
remit = Paiement à l'ordre de :
pay_by = Merci de régler avant le {d}.
orig = Facture d'origine
attn = À l'attention de
tagline = Le savoir-faire depuis 1987 | Votre partenaire qualité
thanks = Merci de votre confiance.
tax_grid = Taux | Base HT | TVA
""",
    "es": """
title = FACTURA | Factura
title_cn = FACTURA RECTIFICATIVA | NOTA DE ABONO
title_line = {title} Nº {number} de fecha {date} | {title} n.º {number} - {date} |
    {title} ({code}) Nº {number} de {date}
number = Nº Factura | Número de factura | Factura nº
number_cn = Nº Abono
date = Fecha | Fecha de factura | Fecha de emisión
due = Vencimiento | Fecha de vencimiento
po = Pedido | Su pedido | Nº pedido
customer_no = Nº cliente | Código cliente
delivery_date = Fecha de entrega
delivery_note = Albarán
currency = Divisa
bill_to = Cliente | Facturar a | Datos del cliente
ship_to = Enviar a | Dirección de entrega
seller_form = Proveedor | Emisor
buyer_form = Cliente | Destinatario
f_name = Nombre
f_address = Dirección
f_number_s = Nº proveedor
f_number_b = Nº cliente
f_gln = GLN
f_vat = NIF | CIF
f_taxno = NIF
f_contact = Contacto
phone = Tel. | Teléfono
email = Email | Correo
vat = NIF | CIF | NIF/CIF
vat_us = Tax ID
iban = IBAN
bic = BIC | SWIFT
bank = Banco
c_pos = Nº | Lín.
c_sku = Código | Ref.
c_sku_cust = Ref. cliente
c_sku_supp = Ref. proveedor
c_desc = Concepto | Descripción | Artículo
c_qty = Cant. | Cantidad | Uds.
c_ordered = Pedido
c_shipped = Servido
c_backordered = Pendiente
c_unit = Unidad
c_price = Precio | Precio unit.
c_gross = PVP IVA incl.
c_disc = Dto. % | Dto.
c_rate = IVA % | IVA
c_amount = Importe | Total
subtotal = Base imponible | Subtotal
subtotal_us = Subtotal
discount = Descuento {pct}%
shipping = Portes | Gastos de envío
tax = IVA {rate}% | IVA {rate} %
tax_us = Impuesto {rate}%
tax_total = Total IVA | Cuota IVA
total = Total factura | TOTAL | Total
prepaid = Anticipo | Entregado a cuenta
amount_due = Total a pagar | Pendiente de pago
terms = Forma de pago | Condiciones de pago
carried = Suma y sigue
brought = Suma anterior
page = Página {p} de {n}
s_list = Precio tarifa: {v}
s_incl = incl. ecotasa {v}
s_delivery = Entregado: {d}
s_serial = Nº serie: {s}
credit = Pago con tarjeta de crédito. | Abonado con tarjeta de crédito.
intra = Entrega intracomunitaria exenta de IVA (art. 25 Ley 37/1992).
remit = Pagar a:
pay_by = Fecha límite de pago: {d}.
orig = Factura rectificada
attn = A/A
tagline = Calidad desde 1987
thanks = Gracias por su confianza.
tax_grid = Tipo | Base | Cuota
""",
    "nl": """
title = FACTUUR | Factuur
title_cn = CREDITNOTA | Creditfactuur
title_line = {title} nr. {number} d.d. {date} | {title} {number} van {date} |
    {title} ({code}) nr. {number} d.d. {date}
number = Factuurnummer | Factuurnr. | Factuur nr.
number_cn = Creditnotanummer
date = Factuurdatum | Datum
due = Vervaldatum | Uiterste betaaldatum
po = Uw referentie | Uw ordernummer | Inkoopordernummer
customer_no = Klantnummer | Debiteurnr.
delivery_date = Leverdatum
delivery_note = Pakbon
currency = Valuta
bill_to = Factuuradres | Aan | Klant
ship_to = Afleveradres
seller_form = Leverancier | Verkoper
buyer_form = Klant | Koper
f_name = Naam
f_address = Adres
f_number_s = Nummer | Leveranciersnr.
f_number_b = Klantnummer | Nummer
f_gln = GLN
f_vat = BTW-nummer | Btw-id
f_taxno = KvK
f_contact = Contactpersoon
phone = Tel. | Telefoon
email = E-mail
vat = BTW-nummer | BTW nr. | Btw-id
vat_us = Tax ID
iban = IBAN
bic = BIC
bank = Bank
c_pos = Nr. | Regel
c_sku = Artikelnr. | Art.nr.
c_sku_cust = Art.nr. klant
c_sku_supp = Art.nr. lev.
c_desc = Omschrijving | Artikel
c_qty = Aantal
c_ordered = Besteld
c_shipped = Geleverd
c_backordered = Nalevering
c_unit = Eenheid
c_price = Prijs | Stukprijs
c_gross = Prijs incl. btw
c_disc = Korting %
c_rate = BTW | Btw %
c_amount = Bedrag | Totaal
subtotal = Subtotaal | Totaal excl. btw
subtotal_us = Subtotaal
discount = Korting {pct}%
shipping = Verzendkosten
tax = BTW {rate}% | Btw {rate}%
tax_us = Sales tax {rate}%
tax_total = Totaal btw
total = Totaal | Totaal incl. btw | Factuurbedrag
prepaid = Reeds betaald | Aanbetaling
amount_due = Te betalen | Openstaand bedrag
terms = Betalingsvoorwaarden
carried = Transport
brought = Transport
page = Pagina {p} van {n}
s_list = Adviesprijs: {v}
s_incl = incl. verwijderingsbijdrage {v}
s_delivery = Geleverd op {d}
s_serial = Serienr.: {s}
credit = Betaald met creditcard. | Betaling per creditcard mogelijk.
intra = Intracommunautaire levering, vrijgesteld van btw.
remit = Betalen aan:
pay_by = Gelieve te betalen vóór {d}.
orig = Betreft factuur
attn = T.a.v.
tagline = Kwaliteit sinds 1987
thanks = Bedankt voor uw bestelling!
tax_grid = Tarief | Grondslag | BTW
""",
    "it": """
title = FATTURA | Fattura
title_cn = NOTA DI CREDITO | Nota di accredito
title_line = {title} n. {number} del {date} | {title} N° {number} del {date} |
    {title} ({code}) n. {number} del {date}
number = Fattura n. | Numero fattura | N. documento
number_cn = Nota di credito n.
date = Data | Data fattura | Data documento
due = Scadenza | Data scadenza
po = Vs. ordine | Rif. ordine | Ordine n.
customer_no = Cod. cliente | Codice cliente
delivery_date = Data consegna
delivery_note = DDT n.
currency = Valuta
bill_to = Spett.le | Cliente | Intestatario
ship_to = Destinazione merce | Luogo di consegna
seller_form = Cedente/Prestatore | Fornitore
buyer_form = Cessionario/Committente | Cliente
f_name = Denominazione
f_address = Indirizzo
f_number_s = Codice fornitore
f_number_b = Codice cliente
f_gln = GLN
f_vat = P.IVA | Partita IVA
f_taxno = Cod. fiscale
f_contact = Referente
phone = Tel.
email = Email
vat = P.IVA | Partita IVA | P. IVA
vat_us = Tax ID
iban = IBAN
bic = BIC
bank = Banca | Appoggio bancario
c_pos = N. | Riga
c_sku = Codice | Cod. art.
c_sku_cust = Cod. cliente
c_sku_supp = Cod. fornitore
c_desc = Descrizione | Articolo
c_qty = Q.tà | Quantità
c_ordered = Ordinato
c_shipped = Consegnato
c_backordered = Residuo
c_unit = U.M. | UM
c_price = Prezzo | Prezzo unit.
c_gross = Prezzo IVA incl.
c_disc = Sconto % | Sc. %
c_rate = IVA | Aliq. IVA
c_amount = Importo | Totale
subtotal = Imponibile | Totale imponibile | Totale merce
subtotal_us = Subtotale
discount = Sconto {pct}%
shipping = Spese di trasporto | Spese di spedizione
tax = IVA {rate}% | IVA {rate} %
tax_us = Imposta {rate}%
tax_total = Totale IVA
total = Totale fattura | Totale documento | TOTALE
prepaid = Acconto | Già versato
amount_due = Netto a pagare | Totale da pagare
terms = Pagamento | Modalità di pagamento
carried = A riportare
brought = Riporto
page = Pagina {p} di {n}
s_list = Prezzo di listino: {v}
s_incl = incl. contributo RAEE {v}
s_delivery = Consegnato il {d}
s_serial = Matricola: {s}
credit = Pagamento con carta di credito. | Saldato con carta di credito.
intra = Cessione intracomunitaria non imponibile art. 41 DL 331/93.
remit = Pagamento a favore di:
pay_by = Pagamento entro il {d}.
orig = Rif. fattura
attn = Alla c.a.
tagline = Qualità dal 1987
thanks = Grazie per la fiducia.
tax_grid = Aliquota | Imponibile | Imposta
""",
}


L: dict[str, dict[str, list[str]]] = {lang: _parse_table(text) for lang, text in _VOCAB.items()}

# Date patterns a language prints (numeric ones are added per country in _sample_layout).
_TEXT_DATES = {
    "en": ["{d} {month} {yyyy}", "{d} {mon} {yyyy}", "{dd}-{mon}-{yyyy}"],
    "de": ["{d}. {month} {yyyy}"],
    "fr": ["{d} {month} {yyyy}"],
    "es": ["{d} de {month} de {yyyy}"],
    "nl": ["{d} {month} {yyyy}"],
    "it": ["{d} {month} {yyyy}"],
}
_NUM_DATES = {
    "US": ["{mm}/{dd}/{yyyy}", "{month} {d}, {yyyy}", "{mon} {d}, {yyyy}"],
    "GB": ["{dd}/{mm}/{yyyy}"],
    "IE": ["{dd}/{mm}/{yyyy}"],
    "DE": ["{dd}.{mm}.{yyyy}"],
    "AT": ["{dd}.{mm}.{yyyy}"],
    "CH": ["{dd}.{mm}.{yyyy}"],
    "FR": ["{dd}/{mm}/{yyyy}"],
    "BE": ["{dd}/{mm}/{yyyy}", "{dd}-{mm}-{yyyy}"],
    "NL": ["{dd}-{mm}-{yyyy}"],
    "IT": ["{dd}/{mm}/{yyyy}"],
    "ES": ["{dd}/{mm}/{yyyy}"],
}

# Items: (description, optional long detail, unit, low price, high price)
_ITEMS: dict[str, list[tuple[str, str, str, float, float]]] = {
    "en": [
        (
            "Strategy workshop facilitation",
            "two-day session incl. preparation and written summary",
            "h",
            90,
            180,
        ),
        ("Data pipeline review", "architecture, cost and reliability assessment", "h", 85, 150),
        ("Monthly retainer - advisory services", "", "mo", 900, 2500),
        ("Stainless steel hex bolt M12 x 50", "DIN 933, A2-70, box of 100", "box", 18, 45),
        ("Copy paper A4 80 g/m2", "500 sheets per ream, FSC certified", "case", 21, 38),
        ("Safety gloves nitrile, size L", "", "pair", 1.2, 4.5),
        (
            "Website maintenance",
            "monthly plan, includes security updates and uptime monitoring",
            "",
            150,
            900,
        ),
        ("Service call - diagnostics", "", "ea", 80, 180),
        ("LED panel 600 x 600 mm neutral white", "40 W, 4000 K, incl. mounting frame", "pcs", 35, 90),
        ("Pallet wrap film 500 mm x 300 m", "", "roll", 9, 22),
        ("Labour - technician", "", "h", 65, 120),
        ("Replacement filter cartridge", "compatible with series 300 and 400 units", "pcs", 12, 60),
    ],
    "de": [
        ("Montage Einbauschrank", "inkl. Anfahrt und Entsorgung der Verpackung", "Std.", 45, 95),
        ("Eichenholzplatte geölt 2000x600 mm", "", "Stk", 80, 240),
        ("Schrauben-Set Edelstahl", "Senkkopf, Torx, 4x40 mm, 200 Stück", "Pck.", 4, 19),
        ("Arbeitszeit Geselle", "Einsatz vor Ort gemäß Auftrag", "Std.", 48, 72),
        ("Trennblätter A4 farbig", "", "Stk", 0.9, 9.9),
        ("Kopierpapier A4 80 g", "", "Karton", 19, 34),
        (
            "Wartungspauschale Heizungsanlage",
            "jährliche Inspektion mit Abgasmessung und Protokoll",
            "psch.",
            120,
            380,
        ),
        ("Kabelkanal PVC 40x60 mm grau", "Länge 2 m", "m", 3, 9),
        ("Faltenbeutel 16x6x28 cm", "", "Stk", 0.05, 0.4),
        ("Kaffeebohnen Espresso Classico 1 kg", "", "kg", 14, 32),
        ("Fachbuch Holzverbindungen", "", "Stk", 19, 49),
        ("Ökostrom Arbeitspreis", "Abrechnungszeitraum laut Zählerstand", "kWh", 0.18, 0.42),
    ],
    "fr": [
        ("Vase soufflé bouche bleu", "", "u", 35, 120),
        ("Prestation de conseil", "analyse de l'existant et recommandations", "h", 80, 150),
        ("Installation réseau Wi-Fi", "bureaux du deuxième étage, câblage compris", "forfait", 250, 900),
        ("Câble Ethernet Cat6 20 m", "", "u", 8, 25),
        ("Ramette papier A4 80 g", "", "carton", 18, 32),
        ("Maintenance annuelle chaudière", "contrat d'entretien avec déplacement", "forfait", 120, 300),
        ("Gants de protection nitrile", "", "paire", 1, 4),
        ("Huile d'olive vierge extra 5 L", "", "u", 30, 70),
    ],
    "es": [
        ("Azulejo cerámico 20x20 blanco", "", "m2", 12, 40),
        ("Transporte y descarga", "", "", 40, 150),
        (
            "Servicio de mantenimiento anual",
            "instalaciones de climatización y revisión de filtros",
            "",
            200,
            800,
        ),
        ("Pintura plástica 15 L", "", "ud", 30, 70),
        ("Tornillo hexagonal M10 x 40", "acero inoxidable, caja de 100 unidades", "caja", 15, 40),
        ("Horas de técnico", "", "h", 35, 65),
        ("Papel A4 80 g", "", "caja", 18, 30),
    ],
    "nl": [
        ("Hanglamp messing", "", "st", 60, 220),
        ("Fietsonderhoud groot", "inclusief remmen, ketting en banden controleren", "", 60, 140),
        ("Installatie op locatie", "", "uur", 45, 85),
        ("Binnenband 28 inch", "", "st", 5, 12),
        ("Kopieerpapier A4 80 gram", "", "doos", 18, 32),
        ("Onderhoudscontract cv-ketel", "jaarlijkse inspectie met rookgasmeting", "", 90, 220),
        ("Kabelgoot PVC 40x60 mm", "", "m", 3, 9),
    ],
    "it": [
        ("Stampa brochure A4 quadricromia", "carta patinata 150 g, piegatura a due ante", "pz", 0.4, 2.5),
        ("Olio extravergine di oliva 5 L", "", "pz", 30, 70),
        ("Impaginazione grafica", "", "h", 35, 70),
        ("Biglietti da visita", "", "conf", 15, 45),
        ("Manutenzione impianto elettrico", "verifica quadri e sostituzione interruttori", "h", 40, 75),
        ("Vite esagonale inox M8 x 30", "", "conf", 6, 18),
    ],
}
_DEFAULT_UNIT = {"en": "pcs", "de": "Stk", "fr": "u", "es": "ud", "nl": "st", "it": "pz"}
_SPECS = {
    "en": [
        "finish: anthracite grey, as per quotation Q-2291",
        "incl. installation and commissioning on site",
        "batch 24-118, shelf life 24 months",
        "according to framework agreement 2023/07",
    ],
    "de": [
        "Ausführung anthrazit, gemäß Angebot Nr. 2291",
        "inkl. Montage und Inbetriebnahme vor Ort",
        "Charge 24-118, Mindesthaltbarkeit 24 Monate",
        "laut Rahmenvertrag 2023/07",
    ],
    "fr": [
        "finition gris anthracite, selon devis D-2291",
        "pose et mise en service sur site comprises",
        "lot 24-118, conformément au contrat cadre",
    ],
    "es": ["acabado gris antracita, según presupuesto P-2291", "incluye instalación y puesta en marcha"],
    "nl": ["uitvoering antraciet, volgens offerte 2291", "inclusief montage en inbedrijfstelling op locatie"],
    "it": ["finitura grigio antracite, come da preventivo 2291", "compresa installazione e collaudo in loco"],
}


# ------------------------------------------------------------------ the sampled layout


@dataclass
class Layout:
    """Every dimension drawn for one seed (meta["dims"] is this, as a dict)."""

    lang: str
    country: str
    cust_country: str
    currency: str
    cur_display: str  # code_total | code_meta | code_header | symbol_totals | symbol_cells
    num: str
    date_pat: str
    font: str
    size: float
    lh: float
    page: str  # A4 | Letter
    margin: float
    doc_kind: str  # invoice | credit_note
    credit_mention: str | None  # credit_card | payments_credits | intra | None
    vendor_style: str  # plain | logo | form | footer_only | beside_title
    vendor_align: str  # l | r | c
    footer_only_kind: str  # footer | remit
    customer_style: str  # plain | labeled | form
    customer_side: str  # l | r
    sender_line: bool
    attn: bool
    ship_to: bool
    form_label_mode: str  # inline | column
    form_ids_first: bool
    form_bar: bool
    meta_style: str  # block | boxed_row | inline_row | title_line
    meta_side: str  # l | r
    meta_colon: bool
    title_pos: str  # above | below | top_opposite
    title_size: float
    customer_no: bool
    delivery_date: bool
    delivery_note: bool
    cols: list[str]
    col_order: str
    num_align: str  # r | c | l
    rules: str  # none | hlines | grid | zebra | header_only
    header_fill: str  # none | light | dark
    num_valign: str  # top | bottom
    sub_lines: bool
    long_desc: bool
    price_places: int
    qty_places: int | None
    rate_fmt: str
    repeat_header: bool
    carry: bool
    n_items: int
    totals_style: str  # right_stack | amount_col | full_width
    tax_table: bool
    tax_base_in_label: bool
    discount: bool
    shipping: bool
    prepaid: bool
    multi_rate: bool
    due_mode: str  # date | terms | both | sentence | none
    po: bool
    iban_loc: str  # footer | payment | none
    vat_loc: str  # header | footer | totals
    show_phone: bool
    show_email: bool
    cust_vat: bool
    footer_style: str  # columns | line | none
    scanned: bool
    scan: dict[str, Any] = field(default_factory=dict)


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    vals = [v for v, _ in weighted]
    return rng.choices(vals, weights=[w for _, w in weighted])[0]


def _sample_layout(seed: int, scanned: bool | None) -> Layout:
    rng = random.Random(f"fuzz-invoice/{seed}/layout")
    lang = _pick(rng, [("en", 0.3), ("de", 0.28), ("fr", 0.12), ("es", 0.1), ("nl", 0.1), ("it", 0.1)])
    country = rng.choice(LANG_COUNTRIES[lang]) if rng.random() < 0.8 else rng.choice(list(COUNTRY_CURRENCY))
    doc_kind = "credit_note" if rng.random() < 0.18 else "invoice"
    credit_mention = None
    if doc_kind == "invoice" and rng.random() < 0.3:
        credit_mention = _pick(rng, [("credit_card", 0.45), ("payments_credits", 0.2), ("intra", 0.35)])
        if credit_mention == "payments_credits" and lang != "en":
            credit_mention = "credit_card"
        if credit_mention == "intra" and country not in EU:
            credit_mention = "credit_card"
    cust_country = country
    if credit_mention == "intra":
        cust_country = rng.choice([c for c in EU if c != country])
    elif rng.random() < 0.12:
        cust_country = rng.choice(list(COUNTRY_CURRENCY))
    currency = COUNTRY_CURRENCY[country] if rng.random() < 0.88 else rng.choice(["EUR", "USD", "GBP", "CHF"])
    cur_display = _pick(
        rng,
        [
            ("code_total", 0.25),
            ("code_meta", 0.15),
            ("code_header", 0.15),
            ("symbol_totals", 0.3),
            ("symbol_cells", 0.15),
        ],
    )
    if cur_display.startswith("symbol") and currency == "USD" and country != "US":
        cur_display = "code_total"  # "$" alone names USD only on a US invoice
    num = COUNTRY_NUM[country] if rng.random() < 0.85 else rng.choice(["us", "eu", "plain", "ch", "fr-space"])
    font = rng.choice(
        [
            "helvetica",
            "helvetica",
            "times",
            "courier",
            "dejavu",
            "dejavu-serif",
            "dejavu-condensed",
            "dejavu-mono",
        ]
    )
    if num == "fr" and not fonts(font)[2]:
        num = "fr-space"
    home = country if country in LANG_COUNTRIES[lang] else LANG_COUNTRIES[lang][0]
    date_pat = rng.choice(_NUM_DATES[home] * 2 + _TEXT_DATES[lang] + ["{yyyy}-{mm}-{dd}"])
    size = rng.choice([7.5, 8.0, 8.5, 9.0, 9.5, 10.0])
    vendor_style = _pick(
        rng, [("plain", 0.34), ("logo", 0.2), ("form", 0.2), ("footer_only", 0.12), ("beside_title", 0.14)]
    )
    if vendor_style == "form":
        customer_style = "form" if rng.random() < 0.85 else rng.choice(["plain", "labeled"])
    else:
        customer_style = _pick(rng, [("plain", 0.3), ("labeled", 0.5), ("form", 0.2)])
    title_numbering = rng.random() < 0.32
    meta_style = (
        "title_line"
        if title_numbering
        else _pick(rng, [("block", 0.6), ("boxed_row", 0.2), ("inline_row", 0.2)])
    )
    qty_mode = _pick(rng, [("single", 0.68), ("ordered_shipped", 0.22), ("none", 0.1)])
    cols: list[str] = []
    if rng.random() < 0.45:
        cols.append("pos")
    sku = _pick(rng, [("", 0.4), ("sku", 0.35), ("sku2", 0.25)])
    if sku:
        cols.append(sku)
    cols.append("desc")
    if qty_mode == "single":
        cols.append("qty")
    elif qty_mode == "ordered_shipped":
        cols += ["ordered", "shipped", "backordered"]
    if qty_mode != "none":
        unit_mode = _pick(rng, [("", 0.35), ("unit", 0.35), ("qtyunit", 0.3)])
        if unit_mode == "qtyunit" and qty_mode == "single":
            cols[-1] = "qtyunit"  # "20 Stk" in one cell
        elif unit_mode:
            cols.append("unit")
        cols.append("price")
        if rng.random() < 0.13 and country != "US":
            cols.append("gross")
        if rng.random() < 0.25:
            cols.append("disc")
    if rng.random() < 0.5:
        cols.append("rate")
    cols.append("amount")
    n_items = _pick(
        rng,
        [
            (rng.randint(1, 4), 0.35),
            (rng.randint(5, 12), 0.35),
            (rng.randint(13, 24), 0.15),
            (rng.randint(25, 45), 0.15),
        ],
    )
    multi_rate = country != "US" and rng.random() < 0.4
    intra = credit_mention == "intra"
    scan_draw = rng.random()  # drawn whether or not `scanned` is forced: the layout stays the same
    layout = Layout(
        lang=lang,
        country=country,
        cust_country=cust_country,
        currency=currency,
        cur_display=cur_display,
        num=num,
        date_pat=date_pat,
        font=font,
        size=size,
        lh=round(size * rng.choice([1.15, 1.25, 1.35, 1.45]), 2),
        page="Letter" if (country == "US") != (rng.random() < 0.1) else "A4",
        margin=rng.choice([34.0, 42.0, 50.0, 58.0]),
        doc_kind=doc_kind,
        credit_mention=credit_mention,
        vendor_style=vendor_style,
        vendor_align=_pick(rng, [("l", 0.55), ("r", 0.3), ("c", 0.15)]),
        footer_only_kind=rng.choice(["footer", "remit"]),
        customer_style=customer_style,
        customer_side=_pick(rng, [("l", 0.75), ("r", 0.25)]),
        sender_line=vendor_style != "footer_only" and rng.random() < 0.25,
        attn=rng.random() < 0.15,
        ship_to=rng.random() < 0.25,
        form_label_mode=rng.choice(["inline", "column"]),
        form_ids_first=rng.random() < 0.35,
        form_bar=rng.random() < 0.4,
        meta_style=meta_style,
        meta_side=_pick(rng, [("r", 0.7), ("l", 0.3)]),
        meta_colon=rng.random() < 0.7,
        title_pos=_pick(rng, [("above", 0.35), ("below", 0.4), ("top_opposite", 0.25)]),
        title_size=rng.choice([12.0, 14.0, 16.0, 18.0, 22.0]),
        customer_no=rng.random() < 0.5,
        delivery_date=rng.random() < 0.35,
        delivery_note=rng.random() < 0.2,
        cols=cols,
        col_order=_pick(
            rng, [("standard", 0.55), ("qty_first", 0.15), ("desc_first", 0.15), ("rate_last", 0.15)]
        ),
        num_align=_pick(rng, [("r", 0.8), ("c", 0.1), ("l", 0.1)]),
        rules=rng.choice(["none", "hlines", "grid", "zebra", "header_only"]),
        header_fill=_pick(rng, [("none", 0.35), ("light", 0.4), ("dark", 0.25)]),
        num_valign=_pick(rng, [("top", 0.75), ("bottom", 0.25)]),
        sub_lines=rng.random() < 0.3,
        long_desc=rng.random() < 0.4,
        price_places=_pick(rng, [(2, 0.7), (3, 0.1), (4, 0.2)]),
        qty_places=_pick(rng, [(None, 0.6), (2, 0.25), (3, 0.05), (4, 0.1)]),
        rate_fmt=rng.choice(["{r}%", "{r} %", "{r2} %", "{r}"]),
        repeat_header=rng.random() < 0.8,
        carry=rng.random() < 0.7,
        n_items=n_items,
        totals_style=_pick(rng, [("right_stack", 0.6), ("amount_col", 0.25), ("full_width", 0.15)]),
        tax_table=not intra and rng.random() < 0.2,
        tax_base_in_label=rng.random() < 0.3,
        discount=rng.random() < 0.2,
        shipping=rng.random() < 0.3,
        prepaid=doc_kind == "invoice" and (credit_mention == "payments_credits" or rng.random() < 0.2),
        multi_rate=multi_rate and not intra,
        due_mode="none"
        if doc_kind == "credit_note"
        else _pick(rng, [("date", 0.3), ("terms", 0.22), ("both", 0.22), ("sentence", 0.13), ("none", 0.13)]),
        po=rng.random() < 0.4,
        iban_loc="none"
        if country == "US"
        else _pick(rng, [("footer", 0.45), ("payment", 0.35), ("none", 0.2)]),
        vat_loc=_pick(rng, [("header", 0.4), ("footer", 0.4), ("totals", 0.2)]),
        show_phone=rng.random() < 0.6,
        show_email=rng.random() < 0.6,
        cust_vat=rng.random() < 0.35 or intra,
        footer_style=_pick(rng, [("columns", 0.5), ("line", 0.3), ("none", 0.2)]),
        scanned=scan_draw < 0.33 if scanned is None else scanned,
    )
    if (
        layout.vendor_style == "footer_only"
        and layout.footer_only_kind == "footer"
        and layout.footer_style == "none"
    ):
        layout.footer_style = rng.choice(["columns", "line"])
    if layout.iban_loc == "footer" and layout.footer_style == "none":
        layout.iban_loc = "payment"
    if layout.vat_loc == "footer" and layout.footer_style == "none":
        layout.vat_loc = "header"
    if layout.vat_loc == "header" and layout.vendor_style == "footer_only":
        layout.vat_loc = "totals"  # no letterhead: the supplier's VAT id goes under the totals
    if layout.scanned:
        layout.scan = {
            "dpi": rng.choice([200, 250, 300]),
            "noise": round(rng.uniform(3, 9), 2),
            "blur": round(rng.uniform(0.2, 0.8), 2),
            "skew": round(rng.uniform(0.2, 1.2), 2),
            "jpeg": rng.choice([55, 70, 85]),
        }
    return layout


# ------------------------------------------------------------------ content


@dataclass
class Party:
    name: str
    street: list[str]
    city: str
    country: str
    country_shown: str | None  # "name" | "code" | None
    tax_id: str | None = None
    tax_print: str | None = None
    gln: str | None = None
    number: str | None = None
    phone: str | None = None
    email: str | None = None
    iban: str | None = None
    bic: str | None = None
    bank: str | None = None
    contact: str | None = None

    def lines(self, lang: str) -> list[str]:
        out = [*self.street, self.city]
        if self.country_shown == "name":
            out.append(COUNTRY_NAMES[self.country][lang])
        elif self.country_shown == "code":
            out.append(self.country)
        return out

    @property
    def address(self) -> str:
        """Truth form: street lines, postcode city[, country code] (the corpus convention)."""
        return ", ".join([*self.street, self.city, *([self.country] if self.country_shown else [])])


def _make_party(rng: random.Random, country: str, avoid: set[str]) -> Party:
    a_parts, b_parts, legal, patterns, streets, cities, line2s = _NAMES[country]
    while True:
        name = rng.choice(patterns).format(a=rng.choice(a_parts), b=rng.choice(b_parts), l=rng.choice(legal))
        if name not in avoid:
            break
    street = [rng.choice(streets).format(n=rng.randint(1, 180), s=rng.randint(100, 900))]
    if rng.random() < 0.2:
        street.append(rng.choice(line2s))
    shown = _pick(rng, [(None, 0.55), ("name", 0.35), ("code", 0.1)])
    slug = "".join(ch for ch in name.lower().split()[0] if ch.isascii() and ch.isalnum()) or "firma"
    tld = {"GB": "co.uk", "US": "com"}.get(country, country.lower())
    phone = _PHONES[country].format(a=rng.randint(100, 999), b=rng.randint(1000, 9999))
    return Party(
        name,
        street,
        rng.choice(cities),
        country,
        shown,
        phone=phone,
        email=f"{rng.choice(['billing', 'info', 'accounts', 'office'])}@{slug}.example.{tld}",
    )


@dataclass
class Item:
    desc: str
    unit: str
    qty: Decimal
    price: Decimal
    disc: Decimal
    rate: str
    amount: Decimal
    sku: str
    sku_cust: str
    ordered: Decimal
    subs: list[tuple[str, str]]  # (kind, template key value) note lines printed under the description


@dataclass
class Content:
    vendor: Party
    customer: Party
    ship_to: Party | None
    items: list[Item]
    number: str
    inv_date: date
    due_date: date
    terms: str | None
    po: str | None
    customer_no: str
    delivery_date: date
    delivery_note: str
    original: str | None
    subtotal: Decimal
    disc_pct: Decimal
    discount: Decimal
    shipping: Decimal
    taxes: list[tuple[str, Decimal, Decimal]]  # (rate, base, amount)
    tax_total: Decimal
    total: Decimal
    prepaid: Decimal
    amount_due: Decimal
    last4: str


def _qty(rng: random.Random, unit: str, hi: float) -> Decimal:
    if unit in ("h", "Std.", "uur") and rng.random() < 0.7:
        return Decimal(rng.choice(["0.5", "1.5", "2.25", "3.5", "4", "7.5", "8", "12.75", "27.5"]))
    if unit == "kWh":
        return Decimal(rng.choice(["1210", "3500", "10000", "2750.5"]))
    if unit in ("kg", "m", "m2") and rng.random() < 0.6:
        return Decimal(rng.choice(["2.5", "12.75", "0.85", "120", "37.5"]))
    if unit == "mo":
        return Decimal(rng.randint(1, 12))
    if hi > 300:
        return Decimal(rng.choice([1, 1, 1, 2, 3]))
    if hi < 1:
        return Decimal(rng.choice([500, 1000, 2500, 3500, 10000]))
    if rng.random() < 0.35:
        return Decimal(1)
    return Decimal(rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 20, 24, 25, 40, 50, 100, 144]))


def _make_content(seed: int, lay: Layout) -> Content:
    rng = random.Random(f"fuzz-invoice/{seed}/content")
    vendor = _make_party(rng, lay.country, set())
    vendor.tax_id, vendor.tax_print = vat_id(rng, lay.country)
    vendor.gln = gln(rng)
    vendor.number = f"{rng.randint(100000, 999999)}"
    vendor.contact = rng.choice(_CONTACTS)
    if lay.country != "US":
        vendor.iban = make_iban(rng, lay.country)
        bank = rng.choice(_BANKS[lay.country])
        vendor.bank = bank
        vendor.bic = make_bic(
            "".join(ch for ch in bank.upper() if "A" <= ch <= "Z")[:4].ljust(4, "X"),
            lay.country,
            rng.choice(["2X", "MM", "FF", "XX"]),
            rng.choice(["", "", "XXX"]),
        )
    customer = _make_party(rng, lay.cust_country, {vendor.name})
    customer.tax_id, customer.tax_print = vat_id(rng, lay.cust_country)
    customer.gln = gln(rng)
    customer.contact = rng.choice(_CONTACTS)
    ship_to = None
    if lay.ship_to:
        ship_to = _make_party(rng, lay.cust_country, {vendor.name, customer.name})
        if rng.random() < 0.5:
            ship_to.name = customer.name
        ship_to.gln = gln(rng)
    customer_no = rng.choice(
        [
            f"K{rng.randint(10000, 99999)}",
            f"{rng.randint(100000, 999999)}",
            f"GE{rng.randint(1000000, 9999999)}",
            f"C-{rng.randint(1000, 9999)}",
        ]
    )
    customer.number = customer_no

    # ---- items
    pool = _ITEMS[lay.lang]
    rates = COUNTRY_RATES[lay.country]
    intra = lay.credit_mention == "intra"
    has_disc = "disc" in lay.cols
    items: list[Item] = []
    for _ in range(lay.n_items):
        desc, detail, unit, lo, hi = rng.choice(pool)
        if lay.long_desc and detail and rng.random() < 0.8:
            desc = f"{desc} {detail}"
        elif lay.long_desc and rng.random() < 0.4:
            desc = f"{desc}, {rng.choice(_SPECS[lay.lang])}"
        unit = unit or _DEFAULT_UNIT[lay.lang]
        qty = _qty(rng, unit, hi)
        places = lay.price_places if hi < 50 or lay.price_places == 2 else 2
        price = Decimal(str(round(rng.uniform(lo, hi), places))).quantize(Decimal(1).scaleb(-places))
        if price <= 0:
            price = Decimal(1).scaleb(-places)
        disc = Decimal(rng.choice([5, 10, 15, 20, 25, 3])) if has_disc and rng.random() < 0.45 else Decimal(0)
        amount = r2(qty * price * (100 - disc) / 100)
        if amount == 0:
            qty, amount = Decimal(1000), r2(1000 * price * (100 - disc) / 100)
        rate = "0" if intra else (rng.choice(rates[:2]) if lay.multi_rate else rates[0])
        ordered = qty + (
            Decimal(rng.choice([1, 2, 5, 10])) if rng.random() < 0.3 and qty == qty.to_integral() else 0
        )
        subs: list[tuple[str, str]] = []
        if lay.sub_lines and rng.random() < 0.6:
            kind = rng.choice(["s_list", "s_incl", "s_delivery", "s_serial"])
            if kind == "s_list":
                val = (price * rng.choice([Decimal("1.1"), Decimal("1.25"), Decimal("1.5")])).quantize(price)
            elif kind == "s_incl":
                val = Decimal(rng.choice(["0.08", "0.25", "0.38", "1.50", "2.00"]))
            elif kind == "s_delivery":
                val = Decimal(rng.randint(1, 20))  # days before the invoice date
            else:
                val = Decimal(rng.randint(10**7, 10**8 - 1))
            subs.append((kind, str(val)))
        sku = rng.choice(
            [
                f"{rng.choice('ABKMWS')}{rng.randint(1000, 99999)}",
                f"{rng.randint(100000, 999999)}",
                f"{rng.choice(['ART', 'PN', 'SFK', 'GTR'])}-{rng.randint(100, 9999)}",
            ]
        )
        items.append(
            Item(
                desc,
                unit,
                qty,
                price,
                disc,
                rate,
                amount,
                sku,
                f"{rng.randint(55000, 55999)}T{rng.randint(1, 99):02d}",
                ordered,
                subs,
            )
        )
    subtotal = sum((it.amount for it in items), Decimal(0))
    rates_used = sorted({it.rate for it in items}, key=Decimal, reverse=True)
    disc_pct = Decimal(0)
    discount = Decimal(0)
    if lay.discount and len(rates_used) == 1:
        disc_pct = Decimal(rng.choice([2, 3, 5, 10]))
        discount = r2(subtotal * disc_pct / 100)
    shipping = r2(Decimal(str(round(rng.uniform(4.9, 49.0), 2)))) if lay.shipping else Decimal(0)
    taxes: list[tuple[str, Decimal, Decimal]] = []
    for i, rate in enumerate(rates_used):
        base = sum((it.amount for it in items if it.rate == rate), Decimal(0))
        if i == 0:
            base = base - discount + shipping
        taxes.append((rate, base, r2(base * Decimal(rate) / 100)))
    tax_total = sum((t[2] for t in taxes), Decimal(0))
    total = subtotal - discount + shipping + tax_total
    prepaid = r2(total * Decimal(rng.choice([20, 25, 30, 50])) / 100) if lay.prepaid else Decimal(0)

    # ---- header facts
    inv_date = date(
        rng.choice([2018, 2020, 2022, 2023, 2024, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)
    )
    y, m = inv_date.year, inv_date.month
    credit = lay.doc_kind == "credit_note"
    prefix = {
        "en": ["INV-", "IN", ""],
        "de": ["RE-", "R", ""],
        "fr": ["F-", "FA", ""],
        "es": ["F", "FV-", ""],
        "nl": ["", "F"],
        "it": [""],
    }[lay.lang]
    if credit:
        prefix = {
            "en": ["CN-", "CM"],
            "de": ["GS-", "G"],
            "fr": ["AV-", "AV"],
            "es": ["R-", "AB"],
            "nl": ["C", "CN-"],
            "it": ["NC"],
        }[lay.lang]
    p = rng.choice(prefix)
    number = rng.choice(
        [
            f"{p}{y}-{rng.randint(1, 9999):04d}",
            f"{p}{rng.randint(10000, 999999)}",
            f"{p}{y % 100:02d}{m:02d}{rng.randint(1, 999):03d}",
            f"{p}{y}/{rng.randint(100, 999)}",
        ]
    )
    if lay.lang == "it" and not credit:
        number = f"{rng.randint(1, 999)}/{y}"
    due_days = rng.choice([10, 14, 30, 30, 45, 60])
    due_date = inv_date + timedelta(days=due_days)
    terms = None
    if lay.due_mode in ("terms", "both"):
        terms = rng.choice(_TERMS[lay.lang])
        from_terms = _due_truth(inv_date, None, terms)
        if from_terms is not None:  # a printed date agrees with the printed terms
            due_date = date.fromisoformat(from_terms)
    po = None
    if lay.po:
        po = rng.choice(
            [
                f"PO-{rng.randint(10000, 99999)}",
                f"{rng.randint(4500000000, 4509999999)}",
                f"B{rng.randint(100, 999)}-{rng.randint(10, 99)}",
                f"ORD-{y}-{rng.randint(100, 999)}",
            ]
        )
    original = f"{rng.choice(['INV-', 'RE-', 'F-', ''])}{y}-{rng.randint(1, 9999):04d}" if credit else None
    return Content(
        vendor=vendor,
        customer=customer,
        ship_to=ship_to,
        items=items,
        number=number,
        inv_date=inv_date,
        due_date=due_date,
        terms=terms,
        po=po,
        customer_no=customer_no,
        delivery_date=inv_date - timedelta(days=rng.randint(1, 12)),
        delivery_note=f"{rng.choice(['LS', 'DN', 'BL', ''])}{rng.randint(100000, 999999)}",
        original=original,
        subtotal=subtotal,
        disc_pct=disc_pct,
        discount=discount,
        shipping=shipping,
        taxes=taxes,
        tax_total=tax_total,
        total=total,
        prepaid=prepaid,
        amount_due=total - prepaid,
        last4=f"{rng.randint(1000, 9999)}",
    )


# ------------------------------------------------------------------ drawing primitives

RGB = tuple[float, float, float]
_SYMBOL = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}


@dataclass
class TL:
    """One text line of a block. ``label`` (form rows in column mode) is drawn at the block's left edge and
    the text at ``indent``; ``space`` is extra letter spacing."""

    text: str
    font: str
    size: float
    indent: float = 0.0
    label: str | None = None
    label_font: str | None = None
    space: float = 0.0
    color: RGB = (0.0, 0.0, 0.0)
    lead: float = 0.0  # extra space after the line
    bar: RGB | None = None  # a shaded bar behind the line (form section titles)


def _tl_width(t: TL) -> float:
    w = t.indent + text_width(t.text, t.font, t.size) + t.space * max(0, len(t.text) - 1)
    if t.label is not None:
        w = max(w, text_width(t.label, t.label_font or t.font, t.size))
    return w


def block_width(lines: Sequence[TL]) -> float:
    return max((_tl_width(t) for t in lines), default=0.0)


def block_height(lines: Sequence[TL], lh: float) -> float:
    return sum(t.size * lh + t.lead for t in lines)


def draw_block(c: Canvas, lines: Sequence[TL], x: float, y: float, align: str, lh: float) -> float:
    """Draw from the top edge y; align l (x = left), r (each line ends at x), c (centred on x), R (the
    block's widest line ends at x, lines left-aligned). Returns the bottom y."""
    bw = block_width(lines)
    for t in lines:
        adv = t.size * lh
        base = y - t.size
        w = _tl_width(t)
        left = {"l": x, "r": x - w, "c": x - w / 2, "R": x - bw}[align]
        if t.bar is not None:
            c.setFillColorRGB(*t.bar)
            c.rect(left - 2, base - t.size * 0.3, max(bw, w) + 4, t.size * 1.35, stroke=0, fill=1)
        c.setFillColorRGB(*t.color)
        if t.label is not None:
            c.setFont(t.label_font or t.font, t.size)
            c.drawString(left, base, t.label)
        c.setFont(t.font, t.size)
        c.drawString(left + t.indent, base, t.text, charSpace=t.space)
        c.setFillColorRGB(0, 0, 0)
        y -= adv + t.lead
    return y


@dataclass
class Col:
    kind: str
    title: list[str]
    align: str
    width: float = 0.0
    x0: float = 0.0

    @property
    def x1(self) -> float:
        return self.x0 + self.width


_COL_BASE = [
    "pos",
    "sku",
    "sku2",
    "desc",
    "qty",
    "ordered",
    "shipped",
    "backordered",
    "qtyunit",
    "unit",
    "price",
    "gross",
    "disc",
    "rate",
    "amount",
]
_QTYISH = ["qty", "ordered", "shipped", "backordered", "qtyunit", "unit"]


def _ordered_kinds(kinds: list[str], order: str) -> list[str]:
    if order == "qty_first":
        seq = ["pos", *_QTYISH, "sku", "sku2", "desc", "price", "gross", "disc", "rate", "amount"]
    elif order == "desc_first":
        seq = ["pos", "desc", "sku", "sku2", *_QTYISH, "price", "gross", "disc", "rate", "amount"]
    elif order == "rate_last":
        seq = [k for k in _COL_BASE if k != "rate"] + ["rate"]
    else:
        seq = _COL_BASE
    return [k for k in seq if k in kinds]


# ------------------------------------------------------------------ the document renderer


class _Doc:
    """Renders one invoice; deterministic for a seed (label variants come from their own stream)."""

    def __init__(self, seed: int, lay: Layout, con: Content, n_pages: int) -> None:
        self.lay, self.con, self.n_pages = lay, con, n_pages
        self.rng = random.Random(f"fuzz-invoice/{seed}/render")
        self.font, self.bold, _ = fonts(lay.font)
        self.W, self.H = LETTER if lay.page == "Letter" else A4
        self.M = lay.margin
        self.size, self.lhf = lay.size, lay.lh / lay.size
        self.lab = {k: self.rng.choice(v) for k, v in L[lay.lang].items()}
        us = con.vendor.country == "US"
        if us:
            for k in ("subtotal", "tax", "vat"):
                self.lab[k] = self.rng.choice(L[lay.lang][k + "_us"])
        if lay.credit_mention == "payments_credits":
            self.lab["prepaid"] = "Payments/Credits"
        self.colon = ":" if lay.meta_colon else ""
        self.shown: set[str] = set()  # which optional facts reached the page
        self.page = 1
        self.table_pages = 1
        self.features: set[str] = set()
        self.final_cols: list[str] = []
        self.footer_h = self._footer_height()
        self.table_cols: list[str] = []
        self.table_amount_col = Col("amount", [], "r")

    # ---- formatting
    def num(self, v: Decimal, places: int = 2) -> str:
        s = fmt_num(v, self.lay.num, places)
        return "-" + s if v < 0 else s

    def money(self, v: Decimal, total: bool = False, code: bool = False) -> str:
        lay = self.lay
        s = self.num(v)
        if lay.cur_display == "symbol_cells" or (lay.cur_display == "symbol_totals" and total):
            sym = _SYMBOL[lay.currency]
            if sym == "CHF":
                return f"CHF {s}"
            if lay.lang == "en" or sym in ("£", "$"):
                return f"-{sym}{s[1:]}" if v < 0 else f"{sym}{s}"
            return f"{s} {sym}"
        if code:
            return f"{lay.currency} {s}" if self.rng.random() < 0.5 else f"{s} {lay.currency}"
        return s

    def qty(self, q: Decimal) -> str:
        natural = max(0, -q.normalize().as_tuple().exponent)  # type: ignore[operator]
        return fmt_num(q, self.lay.num, max(natural, self.lay.qty_places or 0))

    def rate(self, r: str | Decimal) -> str:
        d = Decimal(r)
        natural = max(0, -d.normalize().as_tuple().exponent)  # type: ignore[operator]
        return self.lay.rate_fmt.format(r=fmt_num(d, self.lay.num, natural), r2=fmt_num(d, self.lay.num, 2))

    def rate_num(self, r: str | Decimal) -> str:
        d = Decimal(r)
        return fmt_num(d, self.lay.num, max(0, -d.normalize().as_tuple().exponent))  # type: ignore[operator]

    def date(self, d: date) -> str:
        return fmt_date(d, self.lay.date_pat, self.lay.lang)

    def tl(self, text: str, bold: bool = False, dsize: float = 0.0, **kw: Any) -> TL:
        return TL(text, self.bold if bold else self.font, self.size + dsize, **kw)

    # ---- header pieces
    def title_text(self) -> str:
        lay, con = self.lay, self.con
        title = self.lab["title_cn" if lay.doc_kind == "credit_note" else "title"]
        if lay.meta_style != "title_line":
            return title
        return self.lab["title_line"].format(
            title=title,
            number=con.number,
            date=self.date(con.inv_date),
            code="381" if lay.doc_kind == "credit_note" else "380",
        )

    def draw_title(self, c: Canvas, x: float, y: float, align: str, max_w: float) -> float:
        text = self.title_text()
        size = self.lay.title_size if self.lay.meta_style != "title_line" else min(self.lay.title_size, 14.0)
        while size > 9 and text_width(text, self.bold, size) > max_w:
            size -= 1
        return draw_block(c, [TL(text, self.bold, size, color=self.title_color)], x, y, align, 1.25) - 4

    @property
    def title_color(self) -> RGB:
        return (0.1, 0.1, 0.1) if self.lay.header_fill != "dark" else (0.12, 0.22, 0.45)

    def vendor_lines(self, size_boost: float) -> list[TL]:
        lay, v, lab = self.lay, self.con.vendor, self.lab
        out: list[TL] = []
        if lay.vendor_style == "logo":
            name = v.name.upper() if self.rng.random() < 0.5 else v.name
            space = self.rng.choice([0.0, 1.0, 2.5, 4.0])
            big = self.rng.choice([16.0, 20.0, 24.0, 28.0])
            while (
                big > 12
                and text_width(name, self.bold, big) + space * len(name) > (self.W - 2 * self.M) * 0.62
            ):
                big -= 1
            out.append(TL(name, self.bold, big, space=space, color=(0.15, 0.2, 0.45), lead=4))
            if self.rng.random() < 0.35:
                out.append(self.tl(lab["tagline"], dsize=-1, color=(0.4, 0.4, 0.4), lead=3))
            addr = v.lines(lay.lang)
            if self.rng.random() < 0.5:
                out.append(self.tl(" · ".join(addr), dsize=-1))
            else:
                out += [self.tl(a) for a in addr]
        else:
            out.append(self.tl(v.name, bold=True, dsize=size_boost, lead=2))
            out += [self.tl(a) for a in v.lines(lay.lang)]
        if lay.show_phone:
            out.append(self.tl(f"{lab['phone']}{self.colon} {v.phone}"))
            self.shown.add("vendor_phone")
        if lay.show_email:
            out.append(self.tl(f"{lab['email']}{self.colon} {v.email}"))
            self.shown.add("vendor_email")
        if lay.vat_loc == "header":
            out.append(self.tl(f"{lab['vat']}: {v.tax_print}"))
            self.shown.add("vendor_vat")
        return out

    def form_lines(self, who: str, size: float) -> list[TL]:
        """A form-style party block: section title, then Label: value rows (addresses over several lines)."""
        lay, lab = self.lay, self.lab
        p = (
            self.con.vendor
            if who == "vendor"
            else (self.con.customer if who == "customer" else self.con.ship_to)
        )
        assert p is not None
        title = {"vendor": lab["seller_form"], "customer": lab["buyer_form"], "ship": lab["ship_to"]}[who]
        rows: list[tuple[str, list[str]]] = []
        ids: list[tuple[str, list[str]]] = []
        if who == "vendor":
            if self.rng.random() < 0.6:
                ids.append((lab["f_number_s"], [p.number or ""]))
        elif who == "customer" and self.rng.random() < 0.7:
            ids.append((lab["f_number_b"], [self.con.customer_no]))
        if self.rng.random() < 0.6:
            ids.append((lab["f_gln"], [p.gln or ""]))
        name_row = (lab["f_name"], [p.name])
        addr_row = (lab["f_address"], p.lines(lay.lang))
        rows = [*ids, name_row, addr_row] if lay.form_ids_first else [name_row, addr_row, *ids]
        if who == "vendor":
            rows.append((lab["f_vat"], [p.tax_print or ""]))
            self.shown.add("vendor_vat")
            if p.country == "DE" and self.rng.random() < 0.4:
                rows.append(
                    (
                        lab["f_taxno"],
                        [
                            f"{self.rng.randint(10, 99)}{self.rng.randint(1, 9)}/"
                            f"{self.rng.randint(100, 999)}/{self.rng.randint(10000, 99999)}"
                        ],
                    )
                )
            if lay.show_phone:
                rows.append((lab["phone"], [p.phone or ""]))
                self.shown.add("vendor_phone")
            if lay.show_email:
                rows.append((lab["email"], [p.email or ""]))
                self.shown.add("vendor_email")
        elif who == "customer":
            if lay.cust_vat:
                rows.append((lab["f_vat"], [p.tax_print or ""]))
                self.shown.add("customer_vat")
            if self.rng.random() < 0.3:
                rows.append((lab["f_contact"], [p.contact or ""]))
        font, bold = self.font, self.bold
        lbl_font = bold if self.rng.random() < 0.5 else font
        out = [TL(title, bold, size + 1, lead=3, bar=(0.88, 0.88, 0.88) if lay.form_bar else None)]
        if lay.form_label_mode == "column":
            lw = max(text_width(k + ":", lbl_font, size) for k, _ in rows) + 8
            for k, vals in rows:
                for i, v in enumerate(vals):
                    out.append(
                        TL(v, font, size, indent=lw, label=(k + ":") if i == 0 else None, label_font=lbl_font)
                    )
        else:
            for k, vals in rows:
                head = f"{k}: "
                out.append(TL(head + vals[0], font, size))
                ind = text_width(head, font, size)
                out += [TL(v, font, size, indent=ind) for v in vals[1:]]
        return out

    def party_lines(self, who: str, size: float) -> list[TL]:
        """Customer or ship-to block in plain / labeled style."""
        lay, lab, con = self.lay, self.lab, self.con
        p = con.customer if who == "customer" else con.ship_to
        assert p is not None
        out: list[TL] = []
        if who == "customer" and lay.sender_line:
            v = con.vendor
            out.append(
                TL(
                    f"{v.name} · {' · '.join([*v.street, v.city])}",
                    self.font,
                    max(5.5, size - 2.5),
                    lead=4,
                    color=(0.3, 0.3, 0.3),
                )
            )
        heading = lab["bill_to"] if who == "customer" else lab["ship_to"]
        if who == "ship" or lay.customer_style == "labeled":
            colon = "" if heading.endswith(".") or heading.startswith("Spett") else ":"
            out.append(TL(heading + colon, self.bold, size, lead=2))
        out.append(TL(p.name, self.bold if self.rng.random() < 0.5 else self.font, size + 0.5))
        if who == "customer" and lay.attn:
            out.append(TL(f"{lab['attn']} {p.contact}", self.font, size))
        out += [TL(a, self.font, size) for a in p.lines(lay.lang)]
        if who == "customer" and lay.cust_vat:
            out.append(TL(f"{lab['vat']}: {p.tax_print}", self.font, size - 0.5, lead=0))
            self.shown.add("customer_vat")
        return out

    def fit(self, build: Any, max_w: float) -> list[TL]:
        """Build a block at the body size, smaller while it is wider than max_w."""
        base = self.size
        size = base
        try:
            while True:
                self.size = size
                lines: list[TL] = build(size)
                if block_width(lines) <= max_w or size <= 6:
                    return lines
                size -= 0.5
        finally:
            self.size = base

    def meta_fields(self) -> list[tuple[str, str]]:
        lay, con, lab = self.lay, self.con, self.lab
        credit = lay.doc_kind == "credit_note"
        out: list[tuple[str, str]] = []
        if lay.meta_style != "title_line":
            out += [
                (lab["number_cn" if credit else "number"], con.number),
                (lab["date"], self.date(con.inv_date)),
            ]
        if lay.due_mode in ("date", "both"):
            out.append((lab["due"], self.date(con.due_date)))
        if con.po:
            out.append((lab["po"], con.po))
        if lay.customer_no and lay.customer_style != "form":
            out.append((lab["customer_no"], con.customer_no))
        if lay.delivery_date:
            out.append((lab["delivery_date"], self.date(con.delivery_date)))
        if lay.delivery_note:
            out.append((lab["delivery_note"], con.delivery_note))
        if lay.cur_display == "code_meta":
            out.append((lab["currency"], lay.currency))
        if con.original:
            out.append((lab["orig"], con.original))
        return out

    def meta_block(self, fields: list[tuple[str, str]], size: float) -> list[TL]:
        lbl_font = self.bold if self.rng.random() < 0.6 else self.font
        lw = max(text_width(k + self.colon, lbl_font, size) for k, _ in fields) + 10
        return [
            TL(v, self.font, size, indent=lw, label=k + self.colon, label_font=lbl_font) for k, v in fields
        ]

    def draw_meta_row(self, c: Canvas, y: float, fields: list[tuple[str, str]]) -> float:
        W, M, size = self.W, self.M, self.size
        if self.lay.meta_style == "boxed_row":
            per = min(len(fields), 5)
            cw = (W - 2 * M) / per
            rows = [fields[i : i + per] for i in range(0, len(fields), per)]
            h = 2 * size * self.lhf + 6
            c.setStrokeColorRGB(0.45, 0.45, 0.45)
            c.setLineWidth(0.6)
            for row in rows:
                for i, (k, v) in enumerate(row):
                    c.rect(M + i * cw, y - h, cw, h, stroke=1, fill=0)
                    c.setFont(self.bold, size - 0.5)
                    c.drawString(M + i * cw + 4, y - size - 1, k)
                    c.setFont(self.font, size)
                    c.drawString(M + i * cw + 4, y - 2 * size * self.lhf - 1, v)
                y -= h
            c.setStrokeColorRGB(0, 0, 0)
            return y - 12
        # inline_row: "Label: value" pairs flowing over as many lines as needed
        parts = [f"{k}: {v}" for k, v in fields]
        lines: list[str] = []
        cur = ""
        for p in parts:
            trial = f"{cur}     {p}" if cur else p
            if cur and text_width(trial, self.font, size) > W - 2 * M:
                lines.append(cur)
                cur = p
            else:
                cur = trial
        lines.append(cur)
        return draw_block(c, [TL(ln, self.font, size) for ln in lines], M, y, "l", self.lhf) - 10

    def header(self, c: Canvas) -> float:
        lay, W, H, M = self.lay, self.W, self.H, self.M
        y = H - M
        title_done = False
        half = (W - 2 * M) / 2 - 14
        if lay.vendor_style in ("plain", "logo"):
            lines = self.fit(lambda s: self.vendor_lines(self.rng.choice([2.0, 3.0, 5.0])), W - 2 * M)
            x = {"l": M, "r": W - M, "c": W / 2}[lay.vendor_align]
            bottom = draw_block(c, lines, x, y, lay.vendor_align, self.lhf)
            room = W - 2 * M - block_width(lines) - 30
            if lay.title_pos == "top_opposite" and lay.vendor_align != "c" and room > 80:
                tx, ta = (W - M, "r") if lay.vendor_align == "l" else (M, "l")
                bottom = min(bottom, self.draw_title(c, tx, y, ta, room))
                title_done = True
            y = bottom - 14
        elif lay.vendor_style == "beside_title":
            side = lay.vendor_align if lay.vendor_align != "c" else "r"
            lines = self.fit(lambda s: self.vendor_lines(2.0), half)
            vb = draw_block(c, lines, W - M if side == "r" else M, y, "r" if side == "r" else "l", self.lhf)
            tb = self.draw_title(c, M if side == "r" else W - M, y, "l" if side == "r" else "r", half)
            title_done = True
            y = min(vb, tb) - 14
        if not title_done and lay.title_pos in ("above", "top_opposite"):
            centred = self.rng.random() < 0.25
            y = self.draw_title(c, W / 2 if centred else M, y, "c" if centred else "l", W - 2 * M) - 6
            title_done = True
        y = self.parties(c, y)
        if not title_done:
            y = self.draw_title(c, M, y, "l", W - 2 * M) - 6
        fields = self.meta_fields()
        if lay.meta_style in ("boxed_row", "inline_row") and fields:
            y = self.draw_meta_row(c, y, fields)
        return y - 6

    def parties(self, c: Canvas, y: float) -> float:
        lay, W, M = self.lay, self.W, self.M
        half = (W - 2 * M) / 2 - 14
        fields = self.meta_fields()
        meta = None
        if fields and lay.meta_style in ("block", "title_line"):
            meta = self.fit(lambda s: self.meta_block(fields, s), half)

        def cust(s: float) -> list[TL]:
            return (
                self.form_lines("customer", s)
                if lay.customer_style == "form"
                else self.party_lines("customer", s)
            )

        def ship(s: float) -> list[TL]:
            return self.form_lines("ship", s) if lay.customer_style == "form" else self.party_lines("ship", s)

        bottoms: list[float] = []
        if lay.vendor_style == "form":
            vf = self.fit(lambda s: self.form_lines("vendor", s), half)
            cf = self.fit(cust, half)
            left, right = (vf, cf) if self.rng.random() < 0.85 else (cf, vf)
            lb = draw_block(c, left, M, y, "l", self.lhf)
            rb = draw_block(c, right, W / 2 + 8, y, "l", self.lhf)
            y2 = min(lb, rb) - 12
            if lay.ship_to:
                y2 = draw_block(c, self.fit(ship, half), W / 2 + 8, y2, "l", self.lhf) - 12
            if meta:
                y2 = (
                    draw_block(
                        c,
                        meta,
                        W - M if lay.meta_side == "r" else M,
                        y2,
                        "R" if lay.meta_side == "r" else "l",
                        self.lhf,
                    )
                    - 12
                )
            return y2
        cb_lines = self.fit(cust, half)
        cx = M if lay.customer_side == "l" else W / 2 + 20
        cy = y - (self.rng.choice([0.0, 10.0, 24.0]) if lay.customer_style != "form" else 0.0)
        cb = draw_block(c, cb_lines, cx, cy, "l", self.lhf)
        bottoms.append(cb)
        if lay.ship_to:
            sb_lines = self.fit(ship, half)
            bottoms.append(draw_block(c, sb_lines, cx, cb - 10, "l", self.lhf))
        if meta:
            if lay.customer_side == "l":
                bottoms.append(draw_block(c, meta, W - M, y, "R", self.lhf))
            else:
                bottoms.append(draw_block(c, meta, M, y, "l", self.lhf))
        return min(bottoms) - 16

    # ---- items table
    def col_title(self, kind: str) -> list[str]:
        lab, lay = self.lab, self.lay
        if kind == "sku2":
            return [lab["c_sku_cust"], lab["c_sku_supp"]]
        key = {"qtyunit": "c_qty"}.get(kind, "c_" + kind)
        title = lab[key]
        if kind == "amount" and lay.cur_display == "code_header":
            title = f"{title} ({lay.currency})" if self.rng.random() < 0.5 else f"{title} {lay.currency}"
        return [title]

    def cells(self, n: int, it: Item) -> dict[str, list[str]]:
        lay = self.lay
        return {
            "pos": [str(n)],
            "sku": [it.sku],
            "sku2": [it.sku_cust, it.sku],
            "qty": [self.qty(it.qty)],
            "ordered": [self.qty(it.ordered)],
            "shipped": [self.qty(it.qty)],
            "backordered": [self.qty(it.ordered - it.qty)],
            "qtyunit": [f"{self.qty(it.qty)} {it.unit}"],
            "unit": [it.unit],
            "price": [self.num(it.price, lay.price_places)],
            "gross": [
                self.num(
                    (it.price * (100 + Decimal(it.rate)) / 100).quantize(
                        Decimal(1).scaleb(-lay.price_places), rounding=ROUND_HALF_UP
                    ),
                    lay.price_places,
                )
            ],
            "disc": [self.rate(it.disc) if it.disc else ""],
            "rate": [self.rate(it.rate)],
            "amount": [self.money(it.amount)],
        }

    def sub_text(self, kind: str, val: str) -> str:
        tpl = self.lab[kind]
        if kind == "s_list":
            return tpl.format(v=self.num(Decimal(val), self.lay.price_places))
        if kind == "s_incl":
            return tpl.format(v=self.money(Decimal(val)))
        if kind == "s_delivery":
            return tpl.format(d=self.date(self.con.inv_date - timedelta(days=int(val))))
        return tpl.format(s=val)

    def layout_columns(self, size: float) -> tuple[list[Col], float] | None:
        """Column widths for the font size, or None when the description column would be too narrow."""
        kinds = _ordered_kinds(self.final_cols, self.lay.col_order)
        table_w = self.W - 2 * self.M
        pad = 6.0
        cols: list[Col] = []
        all_cells = [self.cells(n, it) for n, it in enumerate(self.con.items, start=1)]
        for k in kinds:
            title = self.col_title(k)
            align = "l" if k in ("desc", "sku", "sku2", "unit") else self.lay.num_align
            if k == "pos":
                align = "l"
            need = 0.0
            if k != "desc":
                cell_w = max(text_width(s, self.font, size) for cells in all_cells for s in cells[k])
                word_w = max(text_width(w, self.bold, size) for t in title for w in t.split())
                need = max(cell_w, word_w) + 2 * pad
            cols.append(Col(k, title, align, need))
        fixed = sum(c.width for c in cols)
        desc_min = max(120.0, table_w * 0.26)
        if table_w - fixed < desc_min:
            return None
        slack = table_w - fixed - desc_min
        for col in cols:
            if col.kind != "desc" and slack > 0:
                extra = min(slack, col.width * self.rng.uniform(0.0, 0.35))
                col.width += extra
                slack -= extra
        desc = next(col for col in cols if col.kind == "desc")
        desc.width = table_w - sum(col.width for col in cols if col.kind != "desc")
        x = self.M
        for col in cols:
            col.x0 = x
            x += col.width
        return cols, size

    def fit_table(self) -> tuple[list[Col], float]:
        self.final_cols = list(self.lay.cols)
        drops = [
            ("gross", None),
            ("unit", "qtyunit"),
            ("backordered", None),
            ("pos", None),
            ("sku2", "sku"),
            ("ordered", None),
            ("sku", None),
            ("rate", None),
        ]
        while True:
            size = self.size
            while size >= 6.5:
                got = self.layout_columns(size)
                if got is not None:
                    return got
                size -= 0.5
            for kind, repl in drops:
                if kind in self.final_cols:
                    i = self.final_cols.index(kind)
                    if kind == "unit" and "qty" not in self.final_cols:
                        self.final_cols.pop(i)
                    elif repl and repl not in self.final_cols:
                        self.final_cols[i] = repl
                        if repl == "qtyunit" and "qty" in self.final_cols:
                            self.final_cols.remove("qty")
                    else:
                        self.final_cols.pop(i)
                    break
            else:
                raise AssertionError("table cannot fit")

    def draw_cell(self, c: Canvas, col: Col, y: float, text: str, font: str, size: float) -> None:
        pad = 3.0
        c.setFont(font, size)
        if col.align == "r":
            c.drawRightString(col.x1 - pad, y, text)
        elif col.align == "c":
            c.drawCentredString((col.x0 + col.x1) / 2, y, text)
        else:
            c.drawString(col.x0 + pad, y, text)

    def table_header(self, c: Canvas, cols: list[Col], y: float, size: float) -> float:
        lay = self.lay
        lh = size * self.lhf
        titles: dict[str, list[str]] = {}
        for col in cols:
            lines: list[str] = []
            for t in col.title:
                wrapped, _ = wrap_words(t, self.bold, size, col.width - 6, 2)
                lines += wrapped
            titles[col.kind] = lines
        h = max(len(v) for v in titles.values()) * lh + 6
        table_l, table_r = cols[0].x0, cols[-1].x1
        dark = lay.header_fill == "dark"
        if lay.header_fill != "none":
            c.setFillColorRGB(*((0.18, 0.27, 0.45) if dark else (0.87, 0.89, 0.93)))
            c.rect(table_l, y - h, table_r - table_l, h, stroke=0, fill=1)
        if lay.header_fill == "none" or lay.rules in ("grid", "header_only"):
            c.setLineWidth(0.8)
            c.line(table_l, y, table_r, y)
            c.line(table_l, y - h, table_r, y - h)
        c.setFillColorRGB(*((1, 1, 1) if dark else (0, 0, 0)))
        for col in cols:
            for i, t in enumerate(titles[col.kind]):
                self.draw_cell(c, col, y - size - 2 - i * lh, t, self.bold, size)
        c.setFillColorRGB(0, 0, 0)
        return y - h - 3

    def carry_row(self, c: Canvas, cols: list[Col], y: float, size: float, key: str, value: Decimal) -> float:
        amount = next(col for col in cols if col.kind == "amount")
        desc = next(col for col in cols if col.kind == "desc")
        base = y - size - 2
        c.setFont(self.bold, size)
        label = self.lab[key] + (":" if self.rng.random() < 0.5 else "")
        if self.rng.random() < 0.5:
            c.drawString(desc.x0 + 3, base, label)
        else:
            c.drawRightString(amount.x0 - 6, base, label)
        c.drawRightString(amount.x1 - 3, base, self.money(value))
        return y - size * self.lhf - 6

    def table(self, c: Canvas, y: float) -> tuple[float, list[str]]:
        lay, con = self.lay, self.con
        cols, size = self.fit_table()
        lh = size * self.lhf
        desc_col = next(col for col in cols if col.kind == "desc")
        shown: list[str] = []
        table_l, table_r = cols[0].x0, cols[-1].x1
        y = self.table_header(c, cols, y, size)
        y_top = y
        bottom = self.M + self.footer_h + (lh + 10 if lay.carry else 6)
        running = Decimal(0)
        kinds = {col.kind for col in cols}
        for n, it in enumerate(con.items, start=1):
            wrapped, text = wrap_words(it.desc, self.font, size, desc_col.width - 6, 3)
            shown.append(text)
            if len(wrapped) > 1:
                self.features.add("wrapped_desc")
                if lay.num_valign == "bottom":
                    self.features.add("numbers_on_last_line")
            subs = [self.sub_text(k, v) for k, v in it.subs]
            if subs:
                self.features.add("sub_lines")
            cells = self.cells(n, it)
            n_lines = max(len(wrapped) + len(subs), len(cells["sku2"]) if "sku2" in kinds else 1)
            row_h = n_lines * lh + 4
            if y - row_h < bottom:
                if lay.carry:
                    self.line(c, table_l, y, table_r)
                    self.carry_row(c, cols, y, size, "carried", running)
                self.new_page(c)
                self.table_pages += 1
                y = self.H - self.M
                if self.rng.random() < 0.6:
                    c.setFont(self.font, size)
                    c.drawString(self.M, y - size, f"{self.title_text().split(' ')[0]} {con.number}")
                    y -= lh + 8
                if lay.repeat_header:
                    y = self.table_header(c, cols, y, size)
                if lay.carry:
                    y = self.carry_row(c, cols, y, size, "brought", running)
                y_top = y
            if lay.rules == "zebra" and n % 2 == 0:
                c.setFillColorRGB(0.94, 0.94, 0.94)
                c.rect(table_l, y - row_h + 1, table_r - table_l, row_h, stroke=0, fill=1)
                c.setFillColorRGB(0, 0, 0)
            num_line = len(wrapped) - 1 if lay.num_valign == "bottom" else 0
            for col in cols:
                if col.kind == "desc":
                    for i, part in enumerate(wrapped):
                        self.draw_cell(c, col, y - size - 1 - i * lh, part, self.font, size)
                    c.setFillColorRGB(0.3, 0.3, 0.3)
                    for j, part in enumerate(subs):
                        self.draw_cell(
                            c, col, y - size - 1 - (len(wrapped) + j) * lh, part, self.font, size - 0.5
                        )
                    c.setFillColorRGB(0, 0, 0)
                    continue
                vals = cells[col.kind]
                if col.kind == "sku2":
                    for i, v in enumerate(vals):
                        self.draw_cell(c, col, y - size - 1 - i * lh, v, self.font, size)
                    continue
                if vals[0]:
                    self.draw_cell(c, col, y - size - 1 - num_line * lh, vals[0], self.font, size)
            y -= row_h
            running += it.amount
            if lay.rules in ("hlines", "grid"):
                c.setStrokeColorRGB(0.65, 0.65, 0.65)
                c.setLineWidth(0.4)
                c.line(table_l, y + 1, table_r, y + 1)
                c.setStrokeColorRGB(0, 0, 0)
            if lay.rules == "grid":
                self.verticals(c, cols, y_top, y + 1)
        self.line(c, table_l, y, table_r)
        for k in ("pos", "sku2", "disc", "gross", "rate"):
            if k in kinds and (k != "disc" or any(it.disc for it in con.items)):
                self.features.add(
                    {
                        "pos": "pos_col",
                        "sku2": "stacked_skus",
                        "disc": "disc_col",
                        "gross": "gross_price_col",
                        "rate": "rate_col",
                    }[k]
                )
        if "ordered" in kinds and "shipped" in kinds:
            self.features.add("ordered_shipped")
        if "qtyunit" in kinds:
            self.features.add("qty_unit_cell")
        if self.table_pages > 1:
            self.features.add("multipage")
        self.table_cols = [col.kind for col in cols]
        self.table_amount_col = next(col for col in cols if col.kind == "amount")
        return y - 10, shown

    def verticals(self, c: Canvas, cols: list[Col], top: float, bottom: float) -> None:
        c.setStrokeColorRGB(0.65, 0.65, 0.65)
        c.setLineWidth(0.4)
        for col in cols:
            c.line(col.x0, top, col.x0, bottom)
        c.line(cols[-1].x1, top, cols[-1].x1, bottom)
        c.setStrokeColorRGB(0, 0, 0)

    def line(self, c: Canvas, x0: float, y: float, x1: float) -> None:
        c.setLineWidth(0.7)
        c.line(x0, y, x1, y)

    # ---- totals, notes, footer
    def totals_rows(self) -> list[tuple[str, str, bool]]:
        lay, con, lab = self.lay, self.con, self.lab
        rows: list[tuple[str, str, bool]] = [(lab["subtotal"], self.money(con.subtotal, True), False)]
        if con.discount:
            rows.append(
                (
                    lab["discount"].format(pct=self.rate_num(con.disc_pct)),
                    self.money(-con.discount, True),
                    False,
                )
            )
        if con.shipping:
            rows.append((lab["shipping"], self.money(con.shipping, True), False))
        if lay.tax_table:
            rows.append((lab["tax_total"], self.money(con.tax_total, True), False))
        else:
            for rate, base, amt in con.taxes:
                label = lab["tax"].format(rate=self.rate_num(rate))
                if lay.tax_base_in_label and (len(con.taxes) > 1 or self.rng.random() < 0.5):
                    label += f" ({self.money(base)})"
                rows.append((label, self.money(amt, True), False))
        code = lay.cur_display == "code_total"
        total_label = lab["total"]
        if code and self.rng.random() < 0.5:
            total_label, code = f"{total_label} {lay.currency}", False
        rows.append((total_label, self.money(con.total, True, code=code), True))
        if con.prepaid:
            rows.append((lab["prepaid"], self.money(-con.prepaid, True), False))
            rows.append((lab["amount_due"], self.money(con.amount_due, True), True))
        return rows

    def totals(self, c: Canvas, y: float) -> float:
        lay, W, M = self.lay, self.W, self.M
        rows = self.totals_rows()
        size = self.size
        lh = size * self.lhf + 3
        need = lh * len(rows) + 20 + (lh * (len(self.con.taxes) + 2) if lay.tax_table else 0)
        if y - need < M + self.footer_h + 10:
            self.new_page(c)
            y = self.H - M
        lw = max(text_width(k, self.bold, size + 0.5) for k, _, _ in rows)
        vw = max(text_width(v, self.bold, size + 0.5) for _, v, _ in rows)
        style = lay.totals_style
        amount = self.table_amount_col
        if style == "right_stack":
            lx, vx = W - M - lw - vw - 24, W - M - 3
        elif style == "amount_col":
            vx = amount.x1 - 3
            lx = min(amount.x0 - 10, vx - vw - 14) - lw
            if lx < M:
                lx = M
        else:
            lx, vx = M, W - M - 3
        top = y
        for label, val, strong in rows:
            font = self.bold if strong else self.font
            c.setFont(font, size + (0.5 if strong else 0))
            c.drawString(lx, y - size, label)
            c.drawRightString(vx, y - size, val)
            y -= lh
            if strong or style == "full_width":
                c.setLineWidth(0.8 if strong else 0.3)
                c.line(lx, y + 2, vx + 3, y + 2)
        if lay.tax_table:
            if style == "full_width":
                y = self.tax_grid(c, M, y - 8, min(280.0, W - 2 * M))
            else:
                self.tax_grid(c, M, top, min(260.0, lx - M - 20))
                y = min(y, top - (len(self.con.taxes) + 1) * (size * self.lhf + 4))
        return y - 14

    def tax_grid(self, c: Canvas, x: float, y: float, w: float) -> float:
        heads = L[self.lay.lang]["tax_grid"]
        size = self.size - 0.5
        rh = size * self.lhf + 4
        xs = [x, x + w * 0.35, x + w * 0.68, x + w]
        c.setLineWidth(0.5)
        c.rect(x, y - rh * (len(self.con.taxes) + 1), w, rh * (len(self.con.taxes) + 1), stroke=1, fill=0)
        c.line(x, y - rh, x + w, y - rh)
        c.setFont(self.bold, size)
        c.drawString(xs[0] + 4, y - size - 1, heads[0])
        c.drawRightString(xs[2] - 4, y - size - 1, heads[1])
        c.drawRightString(xs[3] - 4, y - size - 1, heads[2])
        c.setFont(self.font, size)
        for k, (rate, base, amt) in enumerate(self.con.taxes, start=1):
            yy = y - rh * k - size - 1
            c.drawString(xs[0] + 4, yy, self.rate(rate))
            c.drawRightString(xs[2] - 4, yy, self.money(base))
            c.drawRightString(xs[3] - 4, yy, self.money(amt))
        return y - rh * (len(self.con.taxes) + 1) - 6

    def notes(self, c: Canvas, y: float) -> float:
        lay, con, lab, v = self.lay, self.con, self.lab, self.con.vendor
        paras: list[tuple[str, bool]] = []
        if lay.vat_loc == "totals" and lay.vendor_style != "form":
            paras.append((f"{lab['vat']}: {v.tax_print}", False))
            self.shown.add("vendor_vat")
        if con.terms:
            paras.append((f"{lab['terms']}: {con.terms}", False))
        if lay.due_mode == "sentence":
            paras.append((lab["pay_by"].format(d=self.date(con.due_date)), False))
        if lay.credit_mention == "credit_card":
            paras.append((lab["credit"].format(s=con.last4), False))
        if lay.credit_mention == "intra":
            paras.append((lab["intra"], False))
        if lay.iban_loc == "payment" and v.iban:
            sep = self.rng.choice(["  ", " · ", ", "])
            paras.append(
                (
                    f"{lab['bank']}: {v.bank}{sep}{lab['iban']}: {iban_print(v.iban)}{sep}"
                    f"{lab['bic']}: {v.bic}",
                    False,
                )
            )
            self.shown |= {"vendor_iban", "vendor_bic"}
        if self.rng.random() < 0.35:
            paras.append((lab["thanks"], False))
        lines: list[TL] = []
        for text, bold in paras:
            wrapped, _ = wrap_words(text, self.font, self.size, self.W - 2 * self.M, 4)
            lines += [self.tl(w, bold=bold) for w in wrapped]
        remit: list[TL] = []
        if lay.vendor_style == "footer_only" and lay.footer_only_kind == "remit":
            remit = [
                self.tl(lab["remit"], bold=True),
                self.tl(v.name),
                *[self.tl(a) for a in v.lines(lay.lang)],
            ]
        need = block_height(lines + remit, self.lhf) + 20
        if y - need < self.M + self.footer_h + 6:
            self.new_page(c)
            y = self.H - self.M
        y = draw_block(c, lines, self.M, y, "l", self.lhf) - 8
        if remit:
            bw = block_width(remit) + 16
            bh = block_height(remit, self.lhf) + 10
            c.setLineWidth(0.6)
            c.rect(self.M, y - bh, bw, bh, stroke=1, fill=0)
            y = draw_block(c, remit, self.M + 8, y - 5, "l", self.lhf) - 10
        return y

    def _footer_height(self) -> float:
        fs = max(6.0, self.size - 1.5)
        return {"columns": 5 * (fs + 1.5), "line": 3 * (fs + 1.5), "none": fs + 4}[self.lay.footer_style] + 6

    def footer(self, c: Canvas) -> None:
        lay, v, lab = self.lay, self.con.vendor, self.lab
        fs = max(6.0, self.size - 1.5)
        font = self.font
        y0 = self.M + self.footer_h - fs
        c.setFillColorRGB(0.25, 0.25, 0.25)
        show_name = lay.vendor_style != "footer_only" or lay.footer_only_kind == "footer"
        if lay.footer_style != "none":
            c.setLineWidth(0.5)
            c.line(self.M, y0 + fs + 2, self.W - self.M, y0 + fs + 2)
        vat = f"{lab['vat']}: {v.tax_print}" if lay.vat_loc == "footer" else None
        bank = (
            [f"{v.bank}", f"{lab['iban']}: {iban_print(v.iban)}", f"{lab['bic']}: {v.bic}"]
            if lay.iban_loc == "footer" and v.iban
            else []
        )
        contact = [f"{lab['phone']}{self.colon} {v.phone}"] if lay.show_phone else []
        contact += [f"{lab['email']}{self.colon} {v.email}"] if lay.show_email else []
        if lay.footer_style == "columns":
            cols = []
            if show_name:
                cols.append([v.name, *v.lines(lay.lang)][:4])
            cols.append([*contact, *([vat] if vat else [])])
            if bank:
                cols.append(bank)
            cols = [col for col in cols if col]
            x = self.M
            gap = 16.0
            for col in cols:
                yy = y0
                c.setFont(font, fs)
                for ln in col:
                    c.drawString(x, yy, ln)
                    yy -= fs + 1.5
                x += max(text_width(ln, font, fs) for ln in col) + gap
            self._footer_flags(show_name, contact, vat, bank)
        elif lay.footer_style == "line":
            parts = (
                ([v.name, *v.street, v.city] if show_name else [])
                + contact
                + ([vat] if vat else [])
                + [p for p in bank[1:]]
            )
            text = " · ".join(parts)
            wrapped, _ = wrap_words(text, font, fs, self.W - 2 * self.M, 3)
            c.setFont(font, fs)
            for i, ln in enumerate(wrapped):
                c.drawCentredString(self.W / 2, y0 - i * (fs + 1.5), ln)
            self._footer_flags(show_name, contact, vat, bank)
        if self.n_pages > 1 or self.rng.random() < 0.4:
            c.setFont(font, fs)
            page = lab["page"].format(p=self.page, n=self.n_pages)
            c.drawRightString(self.W - self.M, self.M - fs - 2, page)
        c.setFillColorRGB(0, 0, 0)

    def _footer_flags(self, show_name: bool, contact: list[str], vat: str | None, bank: list[str]) -> None:
        if vat:
            self.shown.add("vendor_vat")
        if bank:
            self.shown |= {"vendor_iban", "vendor_bic"}
        if contact and self.lay.show_phone:
            self.shown.add("vendor_phone")
        if contact and self.lay.show_email:
            self.shown.add("vendor_email")

    def new_page(self, c: Canvas) -> None:
        self.footer(c)
        c.showPage()
        self.page += 1

    def render(self) -> tuple[bytes, list[str]]:
        buf = io.BytesIO()
        c = Canvas(buf, pagesize=(self.W, self.H), invariant=True)
        c.setTitle(f"{self.lab['title']} {self.con.number}")
        y = self.header(c)
        y, shown = self.table(c, y)
        y = self.totals(c, y)
        self.notes(c, y)
        self.footer(c)
        c.showPage()
        c.save()
        return buf.getvalue(), shown


# ------------------------------------------------------------------ public API


def _truth(lay: Layout, con: Content, doc: _Doc, shown_desc: list[str]) -> dict[str, Any]:
    has = set(doc.table_cols)
    lines: list[dict[str, Any]] = []
    for it, desc in zip(con.items, shown_desc, strict=True):
        line: dict[str, Any] = {"description": desc}
        # a column the layout lacks is not annotated (score.py matches on quantity wherever the key exists)
        if has & {"qty", "shipped", "qtyunit"}:
            line["quantity"] = canon_num(it.qty)
        if "price" in has:
            line["unit_price"] = f"{it.price:f}" if it.price != it.price.quantize(CENT) else canon(it.price)
        line["amount"] = canon(it.amount)
        line["tax_rate"] = canon_num(Decimal(it.rate)) if "rate" in has else None
        lines.append(line)
    v, cu = con.vendor, con.customer
    printed_due = con.due_date if lay.due_mode in ("date", "both", "sentence") else None
    return {
        "document_type": lay.doc_kind,
        "invoice_number": con.number,
        "invoice_date": con.inv_date.isoformat(),
        "due_date": _due_truth(con.inv_date, printed_due, con.terms),
        "purchase_order": con.po,
        "currency": lay.currency,
        "vendor": {
            "name": v.name,
            "address": v.address,
            "tax_id": v.tax_id if "vendor_vat" in doc.shown else None,
            "email": v.email if "vendor_email" in doc.shown else None,
            "phone": v.phone if "vendor_phone" in doc.shown else None,
            "iban": v.iban if "vendor_iban" in doc.shown else None,
            "bic": v.bic if "vendor_bic" in doc.shown else None,
        },
        "customer": {
            "name": cu.name,
            "address": cu.address,
            "tax_id": cu.tax_id if "customer_vat" in doc.shown else None,
        },
        "line_items": lines,
        "taxes": [
            {"rate": canon_num(Decimal(r)), "base": canon(b), "amount": canon(a)} for r, b, a in con.taxes
        ],
        "subtotal": canon(con.subtotal),
        "tax_total": canon(con.tax_total),
        "total": canon(con.total),
        "amount_due": canon(con.amount_due),
        "payment_terms": con.terms,
        "source": "visual",
    }


def _classes(lay: Layout, features: set[str]) -> list[str]:
    out: list[str] = []
    if "form" in (lay.vendor_style, lay.customer_style):
        out.append("form_parties")
    if lay.meta_style == "title_line":
        out.append("title_numbering")
    if len(features & WIDE_TRAITS) >= WIDE_MIN:
        out.append("wide_table")
    out += {
        "logo": ["vendor_logo"],
        "footer_only": ["vendor_footer_only"],
        "beside_title": ["vendor_beside_title"],
    }.get(lay.vendor_style, [])
    if lay.doc_kind == "credit_note":
        out.append("credit_note")
    if lay.credit_mention:
        out.append("credit_mention")
    if lay.scanned:
        out.append("scanned")
    return out


def make_fuzzed_invoice(
    seed: int, *, scanned: bool | None = None
) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    """One fuzzed invoice: (pdf bytes, truth in RESULT_SCHEMA invoice shape, meta).

    scanned: None samples it (a third of seeds), True/False forces it (the layout is otherwise the same).
    meta: {"layout", "scan", "edge_case", "pages", "seed", "classes", "table_features", "dims"}."""
    lay = _sample_layout(seed, scanned)
    con = _make_content(seed, lay)
    doc = _Doc(seed, lay, con, 1)
    pdf, shown = doc.render()
    if doc.page > 1:  # "Page p of n" needs the count: render again, identically
        doc = _Doc(seed, lay, con, doc.page)
        pdf, shown = doc.render()
    truth = _truth(lay, con, doc, shown)
    pages = doc.page
    if lay.scanned:
        s = lay.scan
        pdf = scan.scan_pdf(
            pdf,
            seed=seed,
            dpi=s["dpi"],
            noise=s["noise"],
            blur=s["blur"],
            skew_deg=s["skew"],
            jpeg_quality=s["jpeg"],
        )
    dims = {k: v for k, v in vars(lay).items() if k != "scan"}
    dims["table_cols"] = doc.table_cols
    if lay.scanned:
        dims["scan"] = dict(lay.scan)
    meta = {
        "layout": f"fuzz-{lay.lang}",
        "scan": lay.scanned,
        "edge_case": None,
        "pages": pages,
        "seed": seed,
        "classes": _classes(lay, doc.features),
        "table_features": sorted(doc.features),
        "dims": dims,
    }
    return pdf, truth, meta
