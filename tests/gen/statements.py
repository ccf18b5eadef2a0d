"""Bank statements in many layout families with exact RESULT_SCHEMA truth.

Each family is a fictional bank with its own language, number/date conventions, columns and page
furniture. The engine below lays out rows first (so "page x of y", carried-forward rows and page
totals are known), then draws; the truth is built from the same values and formatters the page uses.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

from tests.gen import scan
from tests.gen.common import (
    canon,
    cents,
    fmt_date,
    fmt_num,
    fmt_signed,
    fonts,
    iban_print,
    make_bic,
    make_iban,
    text_width,
    wrap_words,
)

# ------------------------------------------------------------------ family description


@dataclass(frozen=True)
class Col:
    kind: str  # date | vdate | desc | ref | debit | credit | amount | balance
    title: str  # "\n" separates header lines
    width: float  # relative weight; scaled to the table width
    align: str = "l"


@dataclass(frozen=True)
class Family:
    name: str
    bank: str
    bank4: str
    lang: str
    country: str
    currency: str
    cols: tuple[Col, ...]
    date_fmt: str
    vdate_fmt: str = "{dd}.{mm}.{yyyy}"
    long_date_fmt: str = "{dd}/{mm}/{yyyy}"
    num: str = "us"
    amount_sign: str = "minus"  # for a signed "amount" column
    bal_sign: str = "minus"
    dr: str = "DR"
    cr: str = "CR"
    font: str = "helvetica"
    size: float = 8.5
    pagesize: tuple[float, float] = A4
    title: str = "Statement of Account"
    labels: dict[str, str] = field(default_factory=dict)
    period_fmt: str = "{start} to {end}"
    open_row: str | None = None  # label of an opening-balance row in the table
    close_row: str | None = None
    carry: tuple[str, str] | None = None  # (carried forward, brought forward) labels at page breaks
    page_totals: str | None = None  # label of a per-page debit/credit subtotal row
    summary: str | None = None  # None | "top" | "end": box with opening / in / out / closing
    balance_mode: str = "every"  # every | none | day_end
    show_iban: bool = True
    show_bic: bool = True
    show_holder_in_kv: bool = False
    brand_pos: str = "left"  # left | center | right
    info_pos: str = "right"  # right | below | boxrow (labels over values in a row of boxes)
    kv_colon: bool = True  # "Account number: 123" or "Account number 123"
    header_fill: tuple[float, float, float] | None = (0.85, 0.88, 0.93)
    grid: bool = False
    vgrid: bool = False  # vertical rules between columns (boxed table)
    zebra: bool = False
    amounts_on_last_line: bool = False
    year_end: bool = False
    ref_fmt: str = "num"  # num | alnum
    n_range: tuple[int, int] = (5, 45)
    locale_pool: str = "en"
    page_label: str = "Page {p} of {n}"
    footer_text: str = ""
    max_desc_lines: int = 3
    uppercase_desc: bool = False
    desc_prefix_lines: bool = False  # German style: first line is the booking type
    open_row_date: bool = False  # the opening row carries the period start date
    date_once: bool = False  # a date is printed only on the first row of that day on a page
    cell_symbol: str = ""  # currency symbol printed in every money cell ("£12.34", "-£5.00")
    bank_address: str = ""  # overrides the per-country default letterhead address
    newest_first: bool = (
        False  # rows in reverse date order (online-banking printouts); truth keeps page order
    )


# ------------------------------------------------------------------ descriptions

_POOLS: dict[str, dict[str, list[str]]] = {
    "en": {
        "card": [
            "TESCO STORES 2231",
            "SAINSBURYS S/MKT",
            "AMAZON MKTPLACE",
            "SHELL 4471",
            "COSTA COFFEE",
            "UBER TRIP",
            "NETFLIX.COM",
            "WHOLE FOODS MKT",
            "TARGET T-1852",
            "WALGREENS #2231",
            "HOME DEPOT 6621",
            "STARBUCKS 11872",
            "APPLE.COM/BILL",
            "SPOTIFY P1A2B3",
            "IKEA RESTAURANT",
            "BOOTS 1123",
            "PRET A MANGER",
            "CHEVRON 0093",
            "BEST BUY 00412",
            "TRADER JOES #552",
        ],
        "dd": [
            "BRITISH GAS",
            "THAMES WATER",
            "COUNCIL TAX",
            "VODAFONE LTD",
            "COMCAST CABLE",
            "PG&E UTILITY",
            "STATE FARM INS",
            "VERIZON WIRELESS",
            "AVIVA INSURANCE",
            "SKY DIGITAL",
        ],
        "salary_from": [
            "ACME WIDGETS LTD",
            "NORTHWIND TRADING",
            "BLUE HERON LABS",
            "QUARRY HILL COUNCIL",
            "GLOBEX CORP PAYROLL",
            "FERNDALE HOSPITAL",
        ],
        "people": ["J SMITH", "MARIA GARCIA", "A PATEL", "T NGUYEN", "L O'BRIEN", "K MUELLER", "S OKAFOR"],
    },
    "de": {
        "card": [
            "REWE SAGT DANKE",
            "EDEKA CENTER",
            "ALDI SUED",
            "DM DROGERIE MARKT",
            "ARAL TANKSTELLE",
            "LIDL DIENSTL.",
            "ROSSMANN",
            "MEDIAMARKT",
            "DB VERTRIEB GMBH",
            "KAUFLAND",
        ],
        "dd": [
            "STADTWERKE MAINUFER",
            "TELEKOM DEUTSCHLAND",
            "ALLIANZ VERSICHERUNG",
            "RUNDFUNK ARD ZDF",
            "VODAFONE KABEL",
            "HUK-COBURG",
            "FITNESSSTUDIO KRAFTWERK",
        ],
        "salary_from": ["MUSTERMANN MASCHINENBAU GMBH", "STADT MAINUFER", "BAUER LOGISTIK AG"],
        "people": ["MAX MUSTERMANN", "ERIKA SCHULZ", "JONAS WEBER", "LEA HOFFMANN", "PAUL BECKER"],
    },
    "fr": {
        "card": [
            "CARREFOUR MARKET",
            "MONOPRIX",
            "LECLERC",
            "SNCF INTERNET",
            "BOULANGERIE PAUL",
            "FNAC",
            "TOTAL ENERGIES",
            "PHARMACIE DU CENTRE",
            "PICARD SURGELES",
            "DECATHLON",
        ],
        "dd": ["EDF CLIENTS", "ORANGE SA", "FREE MOBILE", "MAIF ASSURANCE", "TRESOR PUBLIC", "VEOLIA EAU"],
        "salary_from": ["SARL LES ATELIERS", "MAIRIE DE NANTES", "SOCIETE GENERALE DES EAUX"],
        "people": ["M DUPONT", "CLAIRE MARTIN", "LUC BERNARD", "SOPHIE PETIT", "JEAN MOREAU"],
    },
    "es": {
        "card": [
            "MERCADONA",
            "EL CORTE INGLES",
            "CARREFOUR",
            "REPSOL",
            "ZARA",
            "FARMACIA LOPEZ",
            "RENFE VIAJEROS",
            "DIA SUPERMERCADO",
            "LIDL ES",
        ],
        "dd": ["IBERDROLA", "MOVISTAR", "AGUAS DE VALENCIA", "MAPFRE SEGUROS", "NATURGY"],
        "salary_from": ["TALLERES GARCIA SL", "AYUNTAMIENTO DE TOLEDO", "LOGISTICA IBERICA SA"],
        "people": ["JUAN PEREZ", "LUCIA FERNANDEZ", "CARLOS RUIZ", "ANA TORRES"],
    },
    "it": {
        "card": [
            "ESSELUNGA",
            "COOP ITALIA",
            "CONAD",
            "TRENITALIA",
            "ENI STATION",
            "FARMACIA CENTRALE",
            "AUTOGRILL",
            "MEDIAWORLD",
            "IPER LA GRANDE I",
        ],
        "dd": ["ENEL ENERGIA", "TIM SPA", "ACEA ATO 2", "GENERALI ASSICURAZIONI", "FASTWEB"],
        "salary_from": ["ROSSI COSTRUZIONI SRL", "COMUNE DI VERONA", "OFFICINE BIANCHI SPA"],
        "people": ["MARIO ROSSI", "GIULIA BIANCHI", "LUCA ESPOSITO", "FRANCESCA RICCI"],
    },
    "nl": {
        "card": [
            "ALBERT HEIJN 1234",
            "JUMBO",
            "HEMA",
            "NS GROEP",
            "KRUIDVAT",
            "ACTION",
            "SHELL DE MEERN",
            "BOL.COM",
            "COOLBLUE",
        ],
        "dd": ["VATTENFALL", "ZIGGO", "KPN", "EVIDES WATER", "ZILVEREN KRUIS", "BELASTINGDIENST"],
        "salary_from": ["BAKKER TRANSPORT BV", "GEMEENTE DELFT", "VAN DIJK TECHNIEK"],
        "people": ["J DE VRIES", "S JANSEN", "P VAN DEN BERG", "M BAKKER"],
    },
    "in": {
        "card": [
            "FLIPKART",
            "BIGBASKET",
            "SWIGGY",
            "ZOMATO",
            "RELIANCE FRESH",
            "DMART",
            "AMAZON PAY",
            "IRCTC",
            "PHONEPE MERCHANT",
        ],
        "dd": ["AIRTEL", "TATA POWER", "JIO PREPAID", "LIC PREMIUM", "BESCOM"],
        "salary_from": ["INFOSTREAM TECHNOLOGIES", "GANGA TEXTILES PVT LTD", "SAHYADRI PHARMA"],
        "people": ["RAHUL SHARMA", "PRIYA IYER", "ANIL KUMAR", "SNEHA REDDY"],
    },
}


def _ref(rng: random.Random, fmt: str) -> str:
    if fmt == "alnum":
        return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2)) + str(
            rng.randint(10**7, 10**8 - 1)
        )
    return str(rng.randint(10**9, 10**12 - 1)).zfill(12)


def _description(rng: random.Random, fam: Family, kind: str, long: bool) -> str:
    pool = _POOLS[fam.locale_pool]
    lang = fam.lang
    card = rng.choice(pool["card"])
    city = rng.choice(["LONDON", "BERLIN", "PARIS", "MADRID", "MILANO", "DENVER", "TORONTO", "PUNE", "PERTH"])
    n4 = f"{rng.randint(1000, 9999)}"
    n8 = f"{rng.randint(10**7, 10**8 - 1)}"
    if kind == "card":
        if lang == "de":
            base = f"Kartenzahlung {card} {city.title()}"
            extra = f"Karte Nr. ****{n4} Datum {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d} {n8}"
        elif lang == "fr":
            base = f"CB {card} {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}"
            extra = f"CARTE X{n4} {city}"
        elif lang == "es":
            base = f"COMPRA TARJ. {card}"
            extra = f"TARJETA ****{n4} {city}"
        elif lang == "it":
            base = f"PAGAMENTO POS {card}"
            extra = f"CARTA *{n4} {city} OPERAZIONE {n8}"
        elif lang == "nl":
            base = f"BEA {card}"
            extra = f"PASNR {n4} {city} TERMINAL {n8}"
        elif fam.locale_pool == "in":
            base = f"UPI/DR/{n8}{n4}/{card} Payment"
            extra = f"REF {n8}"
        else:
            base = f"CARD PURCHASE {card}"
            extra = f"CARD {n4} {city} RATE 1.0{rng.randint(100, 999)} REF {n8}"
    elif kind == "dd":
        payee = rng.choice(pool["dd"])
        if lang == "de":
            base = f"SEPA-Lastschrift {payee}"
            extra = f"Mandat M{n8} Glaeubiger-ID DE{rng.randint(10, 99)}ZZZ{n8} Kundennr. {n4}"
        elif lang == "fr":
            base = f"PRLV SEPA {payee}"
            extra = f"ECH/{rng.randint(1, 28):02d}{rng.randint(1, 12):02d} ID EMETTEUR/FR{n8} MDT/{n4}"
        elif lang == "es":
            base = f"RECIBO {payee}"
            extra = f"REF. MANDATO {n8} FACTURA {n4}"
        elif lang == "it":
            base = f"ADDEBITO SDD {payee}"
            extra = f"MANDATO {n8} FATTURA N. {n4}"
        elif lang == "nl":
            base = f"INCASSO {payee}"
            extra = f"MACHTIGING {n8} KENMERK {n4}"
        elif fam.locale_pool == "in":
            base = f"ACH D- TP ACH {payee}-{n8}"
            extra = f"UMRN {n4}{n8}"
        else:
            base = f"DIRECT DEBIT {payee}"
            extra = f"REF {n8} MANDATE {n4}"
    elif kind == "salary":
        emp = rng.choice(pool["salary_from"])
        if lang == "de":
            base = f"Lohn/Gehalt {emp}"
            extra = f"Gehalt {fam.name[-3:].upper()} Personalnr. {n4}"
        elif lang == "fr":
            base = f"VIR SEPA {emp}"
            extra = f"SALAIRE REF {n8}"
        elif lang == "es":
            base = f"NOMINA {emp}"
            extra = f"TRANSFERENCIA {n8}"
        elif lang == "it":
            base = f"BONIFICO A VOSTRO FAVORE {emp}"
            extra = f"STIPENDIO CRO {n8}"
        elif lang == "nl":
            base = f"SALARIS {emp}"
            extra = f"PERIODE {rng.randint(1, 12):02d} KENMERK {n8}"
        elif fam.locale_pool == "in":
            base = f"NEFT CR-{emp}-SALARY"
            extra = f"UTR {n8}{n4}"
        else:
            base = f"PAYROLL {emp}"
            extra = f"SALARY PPD ID {n8}"
    elif kind == "transfer_in":
        who = rng.choice(pool["people"])
        word = {
            "de": "Gutschrift",
            "fr": "VIR RECU DE",
            "es": "TRANSFERENCIA DE",
            "it": "BONIFICO DA",
            "nl": "OVERBOEKING VAN",
        }.get(lang, "TRANSFER FROM")
        base = f"{word} {who}"
        extra = f"REF {n8}"
    elif kind == "transfer_out":
        who = rng.choice(pool["people"])
        word = {
            "de": "Ueberweisung an",
            "fr": "VIR EMIS VERS",
            "es": "TRANSFERENCIA A",
            "it": "BONIFICO A",
            "nl": "OVERBOEKING NAAR",
        }.get(lang, "TRANSFER TO")
        base = f"{word} {who}"
        extra = f"REF {n8}"
    elif kind == "atm":
        word = {
            "de": "Bargeldauszahlung GA",
            "fr": "RETRAIT DAB",
            "es": "REINTEGRO CAJERO",
            "it": "PRELIEVO BANCOMAT",
            "nl": "GELDAUTOMAAT",
        }.get(lang, "ATM WITHDRAWAL")
        base = f"{word} {city} {n4}"
        extra = f"TERMINAL {n8}"
    elif kind == "fee":
        base = {
            "de": "Kontofuehrungsentgelt",
            "fr": "FRAIS TENUE DE COMPTE",
            "es": "COMISION MANTENIMIENTO",
            "it": "COMMISSIONI TENUTA CONTO",
            "nl": "KOSTEN BETAALPAKKET",
        }.get(lang, "MONTHLY SERVICE FEE")
        extra = ""
    else:  # interest
        base = {
            "de": "Habenzinsen",
            "fr": "INTERETS CREDITEURS",
            "es": "INTERESES A SU FAVOR",
            "it": "INTERESSI CREDITORI",
            "nl": "RENTE",
        }.get(lang, "INTEREST PAID")
        extra = ""
    text = f"{base} {extra}".strip() if long and extra else base
    if fam.uppercase_desc:
        text = text.upper()
    return " ".join(text.split())


_KINDS = [("card", 40), ("dd", 14), ("transfer_out", 8), ("transfer_in", 8), ("atm", 6), ("fee", 2)]
_CREDIT_KINDS = {"salary", "transfer_in", "interest"}


_Date = date


@dataclass
class Tx:
    date: _Date
    vdate: _Date | None
    desc: str
    ref: str | None
    amount: Decimal
    balance: Decimal
    show_balance: bool = True
    printed_balance: Decimal | None = None  # a deliberate misprint; the truth keeps what is printed

    @property
    def shown_balance(self) -> Decimal:
        return self.balance if self.printed_balance is None else self.printed_balance


def _make_transactions(
    rng: random.Random, fam: Family, start: date, end: date, n: int, opening: Decimal, wrap_share: float
) -> list[Tx]:
    days = (end - start).days
    dates = sorted(start + timedelta(days=rng.randint(0, days)) for _ in range(n))
    kinds: list[str] = []
    for i in range(n):
        if i in (n // 3, (2 * n) // 3 + 1) and n >= 6 and rng.random() < 0.8:
            kinds.append("salary")
        elif i == n - 1 and rng.random() < 0.3:
            kinds.append("interest")
        else:
            kinds.append(rng.choices([k for k, _ in _KINDS], [w for _, w in _KINDS])[0])
    scale = {"INR": 40, "ZAR": 12, "CHF": 1, "JPY": 100}.get(fam.currency, 1)
    out: list[Tx] = []
    bal = opening
    for d, kind in zip(dates, kinds, strict=True):
        if kind == "salary":
            amt = cents(rng, 1800, 5200) * scale
        elif kind == "transfer_in":
            amt = cents(rng, 20, 900) * scale
        elif kind == "interest":
            amt = cents(rng, 0.1, 12)
        elif kind == "card":
            amt = -cents(rng, 1.5, 260) * scale
        elif kind == "dd":
            amt = -cents(rng, 9, 450) * scale
        elif kind == "atm":
            amt = -Decimal(rng.choice([20, 40, 50, 100, 200, 300])) * scale
        elif kind == "transfer_out":
            amt = -cents(rng, 15, 1200) * scale
        else:
            amt = -cents(rng, 1, 15)
        amt = amt.quantize(Decimal("0.01"))
        bal += amt
        vdate = d + timedelta(days=rng.choice([0, 0, 0, 1, 2])) if kind != "salary" else d - timedelta(days=0)
        long = rng.random() < wrap_share
        desc = _description(rng, fam, kind, long)
        ref = _ref(rng, fam.ref_fmt) if any(c.kind == "ref" for c in fam.cols) else None
        out.append(Tx(d, vdate, desc, ref, amt, bal))
    if fam.balance_mode == "day_end":
        for i, t in enumerate(out):
            t.show_balance = i == len(out) - 1 or out[i + 1].date != t.date
    elif fam.balance_mode == "none":
        for t in out:
            t.show_balance = False
    return out


# ------------------------------------------------------------------ people, addresses

_HOLDERS = {
    "en": [
        "Olivia Bennett",
        "Marcus Reyes",
        "Priya Sandhu",
        "Thomas Gallagher",
        "Hannah Whitfield",
        "Daniel Osei",
    ],
    "de": ["Katrin Vogel", "Stefan Brandt", "Anja Lindner", "Florian Keller", "Miriam Albrecht"],
    "fr": ["Camille Lefèvre", "Antoine Rousseau", "Élodie Garnier", "Julien Faure"],
    "es": ["Alejandro Navarro", "Carmen Ortega", "Javier Molina", "Isabel Romero"],
    "it": ["Alessandro Conti", "Chiara Marino", "Davide Greco", "Sara Lombardi"],
    "nl": ["Ruben Visser", "Femke de Boer", "Daan Mulder", "Sanne Smit"],
    "in": ["Vikram Malhotra", "Lakshmi Menon", "Arjun Desai", "Kavya Pillai"],
}
_STREETS = {
    "en": ["14 Willow Lane", "221 Maple Avenue Apt 3B", "7 Harbour Road", "58 Kingsway", "1029 Elm Street"],
    "de": ["Lindenstraße 12", "Am Mühlbach 3", "Goethestraße 45", "Bergweg 7a"],
    "fr": ["12 rue des Lilas", "4 avenue Jean Jaurès", "27 boulevard Voltaire"],
    "es": ["Calle Mayor 15, 2º B", "Avenida del Puerto 88", "Plaza de la Luna 3"],
    "it": ["Via Garibaldi 21", "Corso Vittorio Emanuele 104", "Piazza Duomo 5"],
    "nl": ["Kerkstraat 18", "Prinsengracht 412", "Molenweg 9"],
    "in": ["Flat 302, Lotus Residency", "12/4 MG Road", "B-17 Sector 21"],
}
_CITIES = {
    "US": ["Springfield, IL 62704", "Boise, ID 83702", "Raleigh, NC 27601"],
    "GB": ["Leeds LS1 4AP", "Bristol BS1 5TR", "York YO1 7HH"],
    "DE": ["60311 Frankfurt am Main", "97070 Würzburg", "63739 Aschaffenburg"],
    "FR": ["44000 Nantes", "37000 Tours", "49100 Angers"],
    "NL": ["2611 AB Delft", "4331 CK Middelburg", "3511 LX Utrecht"],
    "IN": ["Pune 411001", "Kochi 682011", "Bengaluru 560038"],
    "CH": ["3011 Bern", "6003 Luzern", "8400 Winterthur"],
    "ES": ["45001 Toledo", "46001 Valencia", "37001 Salamanca"],
    "IT": ["37121 Verona", "30121 Venezia", "35122 Padova"],
    "ZA": ["Cape Town 8001", "Stellenbosch 7600", "Durban 4001"],
    "IE": ["Dublin D02 X285", "Galway H91 E2K3", "Cork T12 R2NC"],
    "CA": ["Halifax NS B3J 1S9", "Kelowna BC V1Y 2A1", "Guelph ON N1H 3T1"],
    "SG": ["Singapore 238859", "Singapore 049315", "Singapore 569933"],
    "AU": ["Hobart TAS 7000", "Geelong VIC 3220", "Cairns QLD 4870"],
    "AT": ["1010 Wien", "4020 Linz", "5020 Salzburg"],
    "SE": ["111 52 Stockholm", "411 05 Göteborg", "211 20 Malmö"],
    "NZ": ["Wellington 6011", "Christchurch 8013", "Dunedin 9016"],
}


# ------------------------------------------------------------------ the families

_EN = {
    "holder": "Account holder",
    "account": "Account number",
    "iban": "IBAN",
    "bic": "BIC",
    "currency": "Currency",
    "period": "Statement period",
    "opening": "Opening balance",
    "closing": "Closing balance",
    "in": "Total credits",
    "out": "Total debits",
    "summary": "Account summary",
    "continued": "continued",
}

FAMILY_LIST: list[Family] = [
    Family(
        name="us_cedarpoint",
        bank="Cedar Point Savings Bank",
        bank4="CDPT",
        lang="en",
        country="US",
        currency="USD",
        pagesize=LETTER,
        font="helvetica",
        date_fmt="{mm}/{dd}/{yyyy}",
        long_date_fmt="{month} {d}, {yyyy}",
        cols=(
            Col("date", "Date", 11),
            Col("desc", "Description", 45),
            Col("debit", "Withdrawals", 14, "r"),
            Col("credit", "Deposits", 14, "r"),
            Col("balance", "Balance", 15, "r"),
        ),
        labels={
            **_EN,
            "account": "Account #",
            "opening": "Beginning balance",
            "closing": "Ending balance",
            "in": "Deposits and other credits",
            "out": "Withdrawals and other debits",
            "currency": "All amounts in",
        },
        summary="top",
        show_iban=False,
        show_bic=False,
        brand_pos="left",
        info_pos="right",
        header_fill=(0.12, 0.33, 0.45),
        zebra=True,
        title="Checking Account Statement",
        n_range=(8, 50),
        footer_text="Cedar Point Savings Bank, 400 Lakeview Blvd, Sandusky OH 44870 · Member FDIC",
    ),
    Family(
        name="uk_kestrel",
        bank="Kestrel & Vale Bank plc",
        bank4="KEVA",
        lang="en",
        country="GB",
        currency="GBP",
        font="times",
        size=9,
        date_fmt="{dd} {mon}",
        long_date_fmt="{d} {month} {yyyy}",
        cols=(
            Col("date", "Date", 10),
            Col("desc", "Payment type and details", 48),
            Col("debit", "Paid out", 13, "r"),
            Col("credit", "Paid in", 13, "r"),
            Col("balance", "Balance", 14, "r"),
        ),
        labels={
            **_EN,
            "account": "Account number",
            "iban": "International Bank Account Number",
            "bic": "Branch Identifier Code",
        },
        open_row="BALANCE BROUGHT FORWARD",
        close_row="BALANCE CARRIED FORWARD",
        carry=("BALANCE CARRIED FORWARD", "BALANCE BROUGHT FORWARD"),
        open_row_date=True,
        brand_pos="right",
        info_pos="below",
        header_fill=None,
        grid=False,
        title="Your Current Account statement",
        uppercase_desc=True,
        footer_text="Kestrel & Vale Bank plc. Registered in England No. 0482113. Authorised by the PRA.",
    ),
    Family(
        name="de_mainufer",
        bank="Bankhaus Mainufer AG",
        bank4="BHMU",
        lang="de",
        country="DE",
        currency="EUR",
        font="helvetica",
        size=8.5,
        num="eu",
        date_fmt="{dd}.{mm}.{yyyy}",
        vdate_fmt="{dd}.{mm}.{yyyy}",
        long_date_fmt="{dd}.{mm}.{yyyy}",
        locale_pool="de",
        cols=(
            Col("date", "Buchungstag", 12),
            Col("vdate", "Valuta", 11),
            Col("desc", "Verwendungszweck", 47),
            Col("amount", "Betrag EUR", 14, "r"),
            Col("balance", "Saldo EUR", 14, "r"),
        ),
        labels={
            "holder": "Kontoinhaber",
            "account": "Kontonummer",
            "iban": "IBAN",
            "bic": "BIC",
            "currency": "Währung",
            "period": "Zeitraum",
            "opening": "Alter Kontostand",
            "closing": "Neuer Kontostand",
            "in": "Summe Gutschriften",
            "out": "Summe Belastungen",
            "summary": "Übersicht",
            "continued": "Fortsetzung",
        },
        period_fmt="{start} bis {end}",
        open_row="Alter Kontostand",
        close_row="Neuer Kontostand",
        title="Kontoauszug",
        page_label="Seite {p} von {n}",
        brand_pos="right",
        info_pos="below",
        header_fill=(0.9, 0.9, 0.9),
        grid=True,
        desc_prefix_lines=True,
        n_range=(6, 40),
        footer_text="Bankhaus Mainufer AG · Sitz Frankfurt am Main · Amtsgericht Frankfurt HRB 99812",
    ),
    Family(
        name="fr_valdeloire",
        bank="Banque du Val de Loire",
        bank4="BVDL",
        lang="fr",
        country="FR",
        currency="EUR",
        font="dejavu",
        size=8,
        num="fr",
        date_fmt="{dd}/{mm}/{yyyy}",
        vdate_fmt="{dd}/{mm}/{yy}",
        long_date_fmt="{d} {month} {yyyy}",
        locale_pool="fr",
        cols=(
            Col("date", "Date", 11),
            Col("desc", "Libellé", 44),
            Col("vdate", "Valeur", 10),
            Col("debit", "Débit", 12, "r"),
            Col("credit", "Crédit", 12, "r"),
            Col("balance", "Solde", 13, "r"),
        ),
        labels={
            "holder": "Titulaire",
            "account": "N° de compte",
            "iban": "IBAN",
            "bic": "BIC",
            "currency": "Devise",
            "period": "Période",
            "opening": "Ancien solde",
            "closing": "Nouveau solde",
            "in": "Total des crédits",
            "out": "Total des débits",
            "summary": "Récapitulatif",
            "continued": "suite",
        },
        period_fmt="du {start} au {end}",
        open_row="Ancien solde",
        close_row="Nouveau solde",
        title="Relevé de compte",
        page_label="Page {p}/{n}",
        brand_pos="center",
        info_pos="below",
        header_fill=(0.93, 0.86, 0.8),
        zebra=False,
        grid=True,
        footer_text="Banque du Val de Loire, SA au capital de 12 000 000 €, RCS Tours 512 345 678",
    ),
    Family(
        name="nl_zeeuwse",
        bank="Zeeuwse Spaarbank N.V.",
        bank4="ZESP",
        lang="nl",
        country="NL",
        currency="EUR",
        font="helvetica",
        size=8.5,
        num="eu",
        date_fmt="{dd}-{mm}-{yyyy}",
        long_date_fmt="{d} {month} {yyyy}",
        locale_pool="nl",
        cols=(
            Col("date", "Datum", 12),
            Col("desc", "Omschrijving", 60),
            Col("debit", "Af", 13, "r"),
            Col("credit", "Bij", 13, "r"),
        ),
        labels={
            "holder": "Rekeninghouder",
            "account": "Rekeningnummer",
            "iban": "IBAN",
            "bic": "BIC",
            "currency": "Valuta",
            "period": "Periode",
            "opening": "Beginsaldo",
            "closing": "Eindsaldo",
            "in": "Totaal bij",
            "out": "Totaal af",
            "summary": "Overzicht",
            "continued": "vervolg",
        },
        period_fmt="{start} t/m {end}",
        summary="top",
        balance_mode="none",
        title="Rekeningafschrift",
        page_label="Pagina {p} van {n}",
        brand_pos="left",
        info_pos="right",
        header_fill=(0.95, 0.6, 0.2),
        uppercase_desc=False,
        footer_text="Zeeuwse Spaarbank N.V. · KvK 20041187 · Middelburg",
    ),
    Family(
        name="in_deccan",
        bank="Deccan Cooperative Bank Ltd",
        bank4="DCCB",
        lang="en",
        country="IN",
        currency="INR",
        font="dejavu-condensed",
        size=7.5,
        num="in",
        date_fmt="{dd}-{mm}-{yyyy}",
        vdate_fmt="{dd}/{mm}/{yy}",
        long_date_fmt="{dd}-{mm}-{yyyy}",
        locale_pool="in",
        bal_sign="drcr",
        dr="Dr",
        cr="Cr",
        cols=(
            Col("date", "Date", 10),
            Col("desc", "Particulars", 34),
            Col("ref", "Chq./Ref.No.", 15),
            Col("vdate", "Value Dt", 9),
            Col("debit", "Withdrawal", 11, "r"),
            Col("credit", "Deposit", 11, "r"),
            Col("balance", "Balance", 14, "r"),
        ),
        labels={
            **_EN,
            "holder": "Customer Name",
            "account": "Account No",
            "in": "Total Deposits",
            "out": "Total Withdrawals",
        },
        open_row="Opening Balance",
        open_row_date=True,
        summary="end",
        show_iban=False,
        show_bic=False,
        show_holder_in_kv=True,
        period_fmt="From {start} To {end}",
        title="Statement of Account",
        brand_pos="left",
        info_pos="right",
        header_fill=(0.8, 0.85, 0.95),
        grid=True,
        vgrid=True,
        ref_fmt="num",
        n_range=(10, 55),
        footer_text="Deccan Cooperative Bank Ltd. IFSC DCCB0000412. This is a computer generated statement.",
    ),
    Family(
        name="ch_alpenrose",
        bank="Bank Alpenrose AG",
        bank4="ALPR",
        lang="de",
        country="CH",
        currency="CHF",
        font="dejavu-serif",
        size=8,
        num="ch",
        date_fmt="{dd}.{mm}.{yy}",
        vdate_fmt="{dd}.{mm}.{yy}",
        long_date_fmt="{dd}.{mm}.{yyyy}",
        locale_pool="de",
        cols=(
            Col("date", "Datum", 9),
            Col("desc", "Text", 48),
            Col("amount", "Betrag", 14, "r"),
            Col("vdate", "Valuta", 11, "r"),
            Col("balance", "Saldo", 14, "r"),
        ),
        labels={
            "holder": "Inhaber",
            "account": "Konto",
            "iban": "IBAN",
            "bic": "SWIFT",
            "currency": "Währung",
            "period": "Periode",
            "opening": "Anfangssaldo",
            "closing": "Schlusssaldo",
            "in": "Total Gutschriften",
            "out": "Total Belastungen",
            "summary": "Zusammenfassung",
            "continued": "Fortsetzung",
        },
        period_fmt="{start} - {end}",
        open_row="Anfangssaldo",
        close_row="Schlusssaldo",
        summary="end",
        title="Kontoauszug Privatkonto",
        page_label="Seite {p}/{n}",
        brand_pos="center",
        info_pos="right",
        header_fill=None,
        grid=False,
        n_range=(5, 35),
        footer_text="Bank Alpenrose AG · Bahnhofplatz 2 · 3011 Bern · alpenrose.example.ch",
    ),
    Family(
        name="es_meseta",
        bank="Banco de la Meseta, S.A.",
        bank4="BMES",
        lang="es",
        country="ES",
        currency="EUR",
        font="helvetica",
        size=8,
        num="eu",
        date_fmt="{dd}/{mm}/{yyyy}",
        vdate_fmt="{dd}/{mm}/{yyyy}",
        long_date_fmt="{d} de {month} de {yyyy}",
        locale_pool="es",
        cols=(
            Col("date", "Fecha", 11),
            Col("vdate", "Fecha valor", 11),
            Col("desc", "Concepto", 48),
            Col("amount", "Importe", 14, "r"),
            Col("balance", "Saldo", 14, "r"),
        ),
        labels={
            "holder": "Titular",
            "account": "Número de cuenta",
            "iban": "IBAN",
            "bic": "BIC",
            "currency": "Divisa",
            "period": "Periodo",
            "opening": "Saldo anterior",
            "closing": "Saldo final",
            "in": "Total abonos",
            "out": "Total cargos",
            "summary": "Resumen",
            "continued": "continuación",
        },
        period_fmt="del {start} al {end}",
        summary="top",
        title="Extracto de cuenta",
        page_label="Página {p} de {n}",
        brand_pos="left",
        info_pos="boxrow",
        header_fill=(0.75, 0.1, 0.1),
        zebra=True,
        uppercase_desc=True,
        footer_text="Banco de la Meseta, S.A. Registro Mercantil de Toledo, Tomo 1234, CIF A45000000",
    ),
    Family(
        name="it_laguna",
        bank="Banca della Laguna S.p.A.",
        bank4="BLAG",
        lang="it",
        country="IT",
        currency="EUR",
        font="dejavu-serif",
        size=7.8,
        num="eu",
        date_fmt="{dd}/{mm}/{yyyy}",
        vdate_fmt="{dd}/{mm}/{yyyy}",
        long_date_fmt="{dd}/{mm}/{yyyy}",
        locale_pool="it",
        cols=(
            Col("date", "Data", 12),
            Col("vdate", "Valuta", 12),
            Col("desc", "Descrizione operazione", 42),
            Col("debit", "Dare", 12, "r"),
            Col("credit", "Avere", 12, "r"),
            Col("balance", "Saldo", 13, "r"),
        ),
        labels={
            "holder": "Intestatario",
            "account": "Conto corrente n.",
            "iban": "IBAN",
            "bic": "BIC",
            "currency": "Divisa",
            "period": "Periodo",
            "opening": "Saldo iniziale",
            "closing": "Saldo finale",
            "in": "Totale avere",
            "out": "Totale dare",
            "summary": "Riepilogo",
            "continued": "segue",
        },
        period_fmt="dal {start} al {end}",
        open_row="SALDO INIZIALE",
        close_row="SALDO FINALE",
        title="Estratto conto corrente",
        page_label="Pagina {p} di {n}",
        brand_pos="left",
        info_pos="right",
        header_fill=(0.85, 0.92, 0.85),
        grid=True,
        amounts_on_last_line=True,
        footer_text="Banca della Laguna S.p.A. · Sede legale Venezia · Aderente al Fondo Interbancario",
    ),
    Family(
        name="us_prairie_paren",
        bank="Prairie Trust Company",
        bank4="PRTC",
        lang="en",
        country="US",
        currency="USD",
        pagesize=LETTER,
        font="courier",
        size=8,
        date_fmt="{mm}/{dd}",
        amount_sign="paren",
        bal_sign="paren",
        long_date_fmt="{mm}/{dd}/{yyyy}",
        cols=(
            Col("date", "DATE", 7),
            Col("desc", "TRANSACTION DETAIL", 55),
            Col("amount", "AMOUNT", 16, "r"),
            Col("balance", "BALANCE", 16, "r"),
        ),
        labels={
            **_EN,
            "account": "ACCOUNT NO.",
            "holder": "ACCOUNT OWNER",
            "period": "PERIOD",
            "opening": "PREVIOUS BALANCE",
            "closing": "NEW BALANCE",
            "in": "TOTAL CREDITS",
            "out": "TOTAL DEBITS",
            "currency": "CURRENCY",
            "summary": "SUMMARY",
        },
        summary="end",
        open_row="PREVIOUS BALANCE",
        show_iban=False,
        show_bic=False,
        brand_pos="center",
        info_pos="below",
        header_fill=None,
        uppercase_desc=True,
        title="STATEMENT OF ACCOUNT",
        page_label="PAGE {p} OF {n}",
        footer_text="PRAIRIE TRUST COMPANY - 18 MAIN ST - DODGE CITY KS 67801",
    ),
    Family(
        name="za_capemeridian",
        bank="Cape Meridian Bank Limited",
        bank4="CMBZ",
        lang="en",
        country="ZA",
        currency="ZAR",
        font="helvetica",
        size=8,
        num="za",
        date_fmt="{dd} {mon} {yyyy}",
        amount_sign="drcr",
        bal_sign="drcr",
        dr="Dr",
        cr="Cr",
        long_date_fmt="{d} {month} {yyyy}",
        cols=(
            Col("date", "Date", 12),
            Col("desc", "Description", 50),
            Col("amount", "Amount", 17, "r"),
            Col("balance", "Balance", 17, "r"),
        ),
        labels={**_EN, "in": "Credits", "out": "Debits"},
        summary="top",
        show_iban=False,
        show_bic=True,
        brand_pos="right",
        info_pos="right",
        header_fill=(0.0, 0.45, 0.4),
        zebra=True,
        title="Cheque Account Statement",
        footer_text="Cape Meridian Bank Limited Reg. No. 1962/000738/06. "
        "Authorised financial services provider.",
    ),
    Family(
        name="ie_liffey_multipage",
        bank="Liffey Mutual Bank DAC",
        bank4="LIFM",
        lang="en",
        country="IE",
        currency="EUR",
        font="helvetica",
        size=8.5,
        num="us",
        date_fmt="{dd}-{MON}-{yy}",
        long_date_fmt="{dd} {month} {yyyy}",
        cols=(
            Col("date", "Date", 11),
            Col("desc", "Details", 47),
            Col("debit", "Debit", 14, "r"),
            Col("credit", "Credit", 14, "r"),
            Col("balance", "Balance", 14, "r"),
        ),
        labels={**_EN, "in": "Total lodgements", "out": "Total withdrawals"},
        summary="top",
        carry=("Carried forward", "Brought forward"),
        page_totals="Page totals",
        n_range=(40, 62),
        brand_pos="left",
        info_pos="right",
        header_fill=(0.2, 0.5, 0.3),
        grid=False,
        zebra=False,
        footer_text="Liffey Mutual Bank DAC is regulated by the Central Bank of Ireland.",
    ),
    Family(
        name="ca_mapleridge_yearend",
        bank="Maple Ridge Credit Union",
        bank4="MRCU",
        lang="en",
        country="CA",
        currency="CAD",
        pagesize=LETTER,
        font="dejavu",
        size=8,
        date_fmt="{mon} {dd}",
        long_date_fmt="{month} {d}, {yyyy}",
        year_end=True,
        cols=(
            Col("date", "Date", 9),
            Col("desc", "Description", 49),
            Col("debit", "Withdrawals ($)", 14, "r"),
            Col("credit", "Deposits ($)", 14, "r"),
            Col("balance", "Balance ($)", 14, "r"),
        ),
        labels={**_EN, "account": "Account", "opening": "Opening balance", "closing": "Closing balance"},
        open_row="Opening balance",
        close_row="Closing balance",
        show_iban=False,
        show_bic=False,
        brand_pos="left",
        info_pos="right",
        header_fill=(0.6, 0.1, 0.1),
        zebra=True,
        title="Chequing statement",
        footer_text="Maple Ridge Credit Union · Deposits insured by CUDIC",
    ),
    Family(
        name="sg_pacificrim_landscape",
        bank="Pacific Rim Commercial Bank",
        bank4="PRCB",
        lang="en",
        country="SG",
        currency="SGD",
        pagesize=landscape(A4),
        font="helvetica",
        size=8,
        date_fmt="{dd} {MON} {yyyy}",
        vdate_fmt="{dd} {MON}",
        long_date_fmt="{dd} {MON} {yyyy}",
        cols=(
            Col("date", "Transaction Date", 11),
            Col("vdate", "Value Date", 8),
            Col("desc", "Description", 40),
            Col("ref", "Reference", 13),
            Col("debit", "Withdrawal", 10, "r"),
            Col("credit", "Deposit", 10, "r"),
            Col("balance", "Balance", 11, "r"),
        ),
        labels={**_EN, "in": "Total deposits", "out": "Total withdrawals"},
        summary="end",
        open_row="BALANCE B/F",
        close_row="BALANCE C/F",
        ref_fmt="alnum",
        show_iban=False,
        show_bic=True,
        brand_pos="left",
        info_pos="boxrow",
        header_fill=(0.1, 0.2, 0.5),
        grid=True,
        uppercase_desc=True,
        title="Consolidated Statement",
        n_range=(8, 40),
        footer_text="Pacific Rim Commercial Bank Ltd · 8 Marina View · Singapore 018960",
    ),
    Family(
        name="au_wattle_twoline",
        bank="Wattle & Gum Bank",
        bank4="WGBA",
        lang="en",
        country="AU",
        currency="AUD",
        font="dejavu",
        size=8,
        date_fmt="{dd}/{mm}/{yyyy}",
        bal_sign="drcr",
        long_date_fmt="{dd} {mon} {yyyy}",
        cols=(
            Col("date", "Date of\ntransaction", 11),
            Col("desc", "Transaction\ndetails", 49),
            Col("debit", "Withdrawals\n($)", 13, "r"),
            Col("credit", "Deposits\n($)", 13, "r"),
            Col("balance", "Balance\n($)", 14, "r"),
        ),
        labels={**_EN, "account": "BSB / Account", "period": "Statement period"},
        open_row="OPENING BALANCE",
        close_row="CLOSING BALANCE",
        balance_mode="day_end",
        show_iban=False,
        show_bic=False,
        brand_pos="right",
        info_pos="below",
        header_fill=(0.95, 0.8, 0.2),
        grid=False,
        title="Everyday Account statement",
        footer_text="Wattle & Gum Bank ABN 21 004 578 992 AFSL 234567",
    ),
    Family(
        name="at_donautal_sh",
        bank="Bankhaus Donautal AG",
        bank4="DNTL",
        lang="de",
        country="AT",
        currency="EUR",
        font="dejavu-condensed",
        size=8.5,
        num="eu",
        date_fmt="{dd}.{mm}.",
        vdate_fmt="{dd}.{mm}.",
        long_date_fmt="{dd}.{mm}.{yyyy}",
        locale_pool="de",
        amount_sign="drcr",
        bal_sign="drcr",
        dr="S",
        cr="H",
        cols=(
            Col("date", "Buchung", 8),
            Col("desc", "Buchungstext", 58),
            Col("vdate", "Valuta", 8),
            Col("amount", "Betrag EUR", 18, "r"),
        ),
        labels={
            "holder": "Kontoinhaber",
            "account": "Kontonummer",
            "iban": "IBAN",
            "bic": "BIC",
            "currency": "Währung",
            "period": "Auszugszeitraum",
            "opening": "Alter Saldo",
            "closing": "Neuer Saldo",
            "in": "Summe Haben",
            "out": "Summe Soll",
            "summary": "Saldenübersicht",
            "continued": "Folgeseite",
        },
        period_fmt="{start} bis {end}",
        open_row="Alter Saldo",
        close_row="Neuer Saldo",
        balance_mode="none",
        title="Kontoauszug Nr. 3",
        page_label="Blatt {p} von {n}",
        brand_pos="left",
        info_pos="right",
        header_fill=None,
        grid=True,
        desc_prefix_lines=True,
        footer_text="Bankhaus Donautal AG · Donaulände 5 · 4020 Linz · FN 48211t",
    ),
    Family(
        name="uk_pebble_neobank",
        bank="Pebble Money Ltd",
        bank4="PEBL",
        lang="en",
        country="GB",
        currency="GBP",
        font="dejavu",
        size=8,
        date_fmt="{d} {mon} {yyyy}",
        long_date_fmt="{d} {month} {yyyy}",
        cell_symbol="£",
        date_once=True,
        cols=(
            Col("date", "Date", 13),
            Col("desc", "Description", 45),
            Col("debit", "Money out", 13, "r"),
            Col("credit", "Money in", 13, "r"),
            Col("balance", "Balance", 14, "r"),
        ),
        labels={
            **_EN,
            "account": "Account number",
            "in": "Money in",
            "out": "Money out",
            "summary": "Summary",
        },
        summary="top",
        brand_pos="left",
        info_pos="right",
        header_fill=None,
        grid=True,
        title="Personal account statement",
        bank_address="2 Copper Yard, London EC2A 4NE",
        n_range=(12, 60),
        footer_text="Pebble Money Ltd is authorised as an electronic money institution. FRN 900123.",
    ),
    Family(
        name="us_bluewater_descfirst",
        bank="Bluewater Federal Savings",
        bank4="BLWF",
        lang="en",
        country="US",
        currency="USD",
        pagesize=LETTER,
        font="times",
        size=9,
        date_fmt="{mm}-{dd}-{yy}",
        long_date_fmt="{mm}/{dd}/{yyyy}",
        amount_sign="plus_minus",
        cols=(
            Col("desc", "Transaction Description", 56),
            Col("date", "Posted", 10),
            Col("amount", "Amount", 16, "r"),
            Col("balance", "Balance", 16, "r"),
        ),
        labels={**_EN, "account": "Account", "opening": "Beginning Balance", "closing": "Ending Balance"},
        summary="end",
        open_row="Beginning Balance",
        show_iban=False,
        show_bic=False,
        brand_pos="center",
        info_pos="below",
        header_fill=(0.9, 0.93, 0.97),
        zebra=True,
        title="Share Savings Statement",
        bank_address="1200 Harbor Drive, Duluth MN 55802",
        n_range=(6, 60),
        footer_text="Bluewater Federal Savings · NMLS 401123 · Equal Housing Lender",
    ),
    Family(
        name="se_ostersjo_iso",
        bank="Östersjö Sparbank AB",
        bank4="OSSB",
        lang="en",
        country="SE",
        currency="SEK",
        font="dejavu-condensed",
        size=8.5,
        num="fr-space",
        date_fmt="{yyyy}-{mm}-{dd}",
        vdate_fmt="{yyyy}-{mm}-{dd}",
        long_date_fmt="{yyyy}-{mm}-{dd}",
        cols=(
            Col("date", "Booking date", 11),
            Col("vdate", "Value date", 11),
            Col("desc", "Text", 46),
            Col("amount", "Amount", 15, "r"),
            Col("balance", "Balance", 15, "r"),
        ),
        labels={**_EN, "account": "Account", "period": "Period"},
        open_row="Opening balance",
        close_row="Closing balance",
        period_fmt="{start} – {end}",
        brand_pos="right",
        info_pos="below",
        header_fill=(0.82, 0.88, 0.95),
        vgrid=True,
        grid=True,
        title="Account statement",
        bank_address="Skeppsbron 12, 111 30 Stockholm",
        footer_text="Östersjö Sparbank AB (publ) · Org.nr 502000-1234 · Registered office Stockholm",
    ),
    Family(
        name="nz_kowhai_cronly",
        bank="Kowhai Savings Bank",
        bank4="KOWH",
        lang="en",
        country="NZ",
        currency="NZD",
        font="helvetica",
        size=8.5,
        date_fmt="{dd} {MON}",
        long_date_fmt="{d} {month} {yyyy}",
        amount_sign="cr_only",
        bal_sign="drcr",
        dr="OD",
        cr="CR",
        cols=(
            Col("date", "Date", 9),
            Col("desc", "Transaction", 57),
            Col("amount", "Amount", 16, "r"),
            Col("balance", "Balance", 18, "r"),
        ),
        labels={**_EN, "account": "Account number"},
        summary="top",
        open_row="OPENING BALANCE",
        show_iban=False,
        show_bic=False,
        uppercase_desc=True,
        brand_pos="left",
        info_pos="right",
        header_fill=(0.15, 0.15, 0.15),
        vgrid=True,
        title="Statement",
        bank_address="PO Box 1020, Wellington 6140",
        footer_text="Kowhai Savings Bank Limited. Credits are marked CR; OD means overdrawn.",
    ),
    Family(
        name="us_redrock_newestfirst",
        bank="Redrock Digital Bank",
        bank4="RRDB",
        lang="en",
        country="US",
        currency="USD",
        pagesize=LETTER,
        font="dejavu",
        size=8.5,
        date_fmt="{mon} {d}, {yyyy}",
        long_date_fmt="{mon} {d}, {yyyy}",
        newest_first=True,
        cols=(
            Col("date", "Date", 13),
            Col("desc", "Description", 53),
            Col("amount", "Amount", 15, "r"),
            Col("balance", "Balance", 15, "r"),
        ),
        labels={**_EN, "opening": "Starting balance", "closing": "Ending balance", "summary": "Overview"},
        summary="top",
        show_iban=False,
        show_bic=False,
        brand_pos="left",
        info_pos="right",
        header_fill=None,
        grid=True,
        title="Account activity (newest first)",
        bank_address="77 Canyon Road, Sedona AZ 86336",
        footer_text="Redrock Digital Bank, N.A. Member FDIC. Transactions are listed newest first.",
    ),
]

STATEMENT_FAMILIES: list[str] = [f.name for f in FAMILY_LIST]
_BY_NAME = {f.name: f for f in FAMILY_LIST}


# ------------------------------------------------------------------ layout


@dataclass
class Row:
    kind: str  # tx | open | close | carry | brought | pagetotal
    cells: dict[str, list[str]]
    height: float
    tx_index: int | None = None
    bold: bool = False


@dataclass
class Ctx:
    fam: Family
    rng: random.Random
    font: str
    bold: str
    size: float
    lh: float
    width: float
    height: float
    margin: float
    col_x: list[tuple[Col, float, float]]  # (col, x0, x1)
    info: dict[str, Any]
    start: date
    end: date
    opening: Decimal
    closing: Decimal
    credits: Decimal
    debits: Decimal


def _with_symbol(text: str, symbol: str) -> str:
    if not symbol:
        return text
    lead = text[0] if text[0] in "-+(" else ""
    return f"{lead}{symbol}{text[len(lead) :]}"


def _fmt_money(ctx: Ctx, v: Decimal, sign: str) -> str:
    f = ctx.fam
    return _with_symbol(fmt_signed(v, f.num, sign, f.dr, f.cr), f.cell_symbol)


def _unsigned(ctx: Ctx, v: Decimal) -> str:
    return _with_symbol(fmt_num(v, ctx.fam.num), ctx.fam.cell_symbol)


def _tx_cells(ctx: Ctx, t: Tx) -> tuple[dict[str, list[str]], str]:
    f = ctx.fam
    cells: dict[str, list[str]] = {}
    shown_desc = t.desc
    for col, x0, x1 in ctx.col_x:
        if col.kind == "date":
            cells["date"] = [fmt_date(t.date, f.date_fmt, f.lang)]
        elif col.kind == "vdate" and t.vdate is not None:
            cells["vdate"] = [fmt_date(t.vdate, f.vdate_fmt, f.lang)]
        elif col.kind == "desc":
            width = x1 - x0 - 4
            if f.desc_prefix_lines:
                head, _, rest = t.desc.partition(" ")
                lines, shown = wrap_words(rest, ctx.font, ctx.size, width, f.max_desc_lines - 1)
                lines = [head, *lines]
                shown_desc = " ".join([head, shown]).strip()
            else:
                lines, shown_desc = wrap_words(t.desc, ctx.font, ctx.size, width, f.max_desc_lines)
            cells["desc"] = lines
        elif col.kind == "ref" and t.ref:
            cells["ref"] = [t.ref]
        elif col.kind == "debit" and t.amount < 0:
            cells["debit"] = [_unsigned(ctx, t.amount)]
        elif col.kind == "credit" and t.amount >= 0:
            cells["credit"] = [_unsigned(ctx, t.amount)]
        elif col.kind == "amount":
            cells["amount"] = [_fmt_money(ctx, t.amount, f.amount_sign)]
        elif col.kind == "balance" and t.show_balance:
            cells["balance"] = [_fmt_money(ctx, t.shown_balance, f.bal_sign)]
    return cells, shown_desc


def _label_row(
    ctx: Ctx,
    kind: str,
    label: str,
    when: date | None,
    bal: Decimal | None,
    debit: Decimal | None = None,
    credit: Decimal | None = None,
) -> Row:
    f = ctx.fam
    cells: dict[str, list[str]] = {"desc": [label]}
    kinds = {c.kind for c in f.cols}
    if when is not None:
        cells["date"] = [fmt_date(when, f.date_fmt, f.lang)]
    if bal is not None:
        if "balance" in kinds:
            cells["balance"] = [_fmt_money(ctx, bal, f.bal_sign)]
        elif "amount" in kinds:
            cells["amount"] = [_fmt_money(ctx, bal, f.bal_sign)]
        elif "credit" in kinds:
            cells["credit"] = [_fmt_money(ctx, bal, "minus")]
    if debit is not None and "debit" in kinds:
        cells["debit"] = [_unsigned(ctx, debit)]
    if credit is not None and "credit" in kinds:
        cells["credit"] = [_unsigned(ctx, credit)]
    return Row(kind, cells, ctx.lh + 3, bold=True)


def _paginate(
    ctx: Ctx, txs: list[Tx], first_top: float, other_top: float, bottom: float, end_reserve: float
) -> tuple[list[list[Row]], list[str]]:
    f = ctx.fam
    shown: list[str] = []
    tx_rows: list[Row] = []
    for i, t in enumerate(txs):
        cells, desc = _tx_cells(ctx, t)
        shown.append(desc)
        n = max(len(v) for v in cells.values())
        tx_rows.append(Row("tx", cells, ctx.lh * n + 3, tx_index=i))
    items: list[Row] = []
    if f.open_row:
        items.append(_label_row(ctx, "open", f.open_row, ctx.start if f.open_row_date else None, ctx.opening))
    items.extend(tx_rows)
    if f.close_row:
        items.append(_label_row(ctx, "close", f.close_row, None, ctx.closing))
    pages: list[list[Row]] = [[]]
    top = first_top
    y = top
    reserve = ctx.lh + 3 if (f.carry or f.page_totals) else 0.0
    if f.carry and f.page_totals:
        reserve *= 2
    bal = ctx.opening
    page_deb = Decimal(0)
    page_cred = Decimal(0)
    for k, row in enumerate(items):
        last = k == len(items) - 1
        need = row.height + (end_reserve if last else 0.0)
        if y - need < bottom + reserve and pages[-1]:
            if f.page_totals:
                pages[-1].append(_label_row(ctx, "pagetotal", f.page_totals, None, None, page_deb, page_cred))
            if f.carry:
                pages[-1].append(_label_row(ctx, "carry", f.carry[0], None, bal))
            pages.append([])
            page_deb = page_cred = Decimal(0)
            y = other_top
            if f.carry:
                r = _label_row(ctx, "brought", f.carry[1], None, bal)
                pages[-1].append(r)
                y -= r.height
        pages[-1].append(row)
        y -= row.height
        if row.tx_index is not None:
            t = txs[row.tx_index]
            bal = t.balance
            if t.amount < 0:
                page_deb += -t.amount
            else:
                page_cred += t.amount
    if f.page_totals and len(pages) > 1:
        pages[-1].append(_label_row(ctx, "pagetotal", f.page_totals, None, None, page_deb, page_cred))
    return pages, shown


# ------------------------------------------------------------------ drawing


def _draw_logo(c: Canvas, ctx: Ctx, x: float, y: float, align: str) -> float:
    """Letterhead: a small mark and the bank name. Returns the y below it."""
    f = ctx.fam
    style = ctx.rng.choice(["bar", "circle", "square", "none"])
    size = ctx.rng.choice([14, 15, 16, 18])
    name_w = text_width(f.bank, ctx.bold, size)
    mark_w = 0.0 if style == "none" else 22.0
    total = name_w + mark_w
    x0 = {"left": x, "center": (ctx.width - total) / 2, "right": ctx.width - ctx.margin - total}[align]
    r, g, b = ctx.rng.choice([(0.1, 0.25, 0.5), (0.55, 0.1, 0.15), (0.1, 0.4, 0.3), (0.3, 0.3, 0.3)])
    c.setFillColorRGB(r, g, b)
    if style == "bar":
        c.rect(x0, y - 4, 14, 18, stroke=0, fill=1)
    elif style == "circle":
        c.circle(x0 + 8, y + 5, 8, stroke=0, fill=1)
    elif style == "square":
        c.rect(x0, y - 3, 16, 16, stroke=1, fill=0)
    c.setFont(ctx.bold, size)
    c.drawString(x0 + mark_w, y, f.bank)
    c.setFillColorRGB(0, 0, 0)
    return y - size - 6


def _kv(c: Canvas, ctx: Ctx, x: float, y: float, pairs: list[tuple[str, str]], gap: float) -> float:
    for label, value in pairs:
        c.setFont(ctx.font, ctx.size)
        c.drawString(x, y, f"{label}:" if ctx.fam.kv_colon and not label.endswith(":") else label)
        c.drawString(x + gap, y, value)
        y -= ctx.lh + 1.5
    return y


def _boxrow(c: Canvas, ctx: Ctx, y: float, pairs: list[tuple[str, str]]) -> float:
    """Account details as boxes side by side, label above value; wraps to a second row when needed."""
    x = ctx.margin
    h = 2 * ctx.lh + 8
    c.setStrokeColorRGB(0.5, 0.5, 0.5)
    c.setLineWidth(0.5)
    for label, value in pairs:
        w = max(text_width(label, ctx.bold, ctx.size - 1), text_width(value, ctx.font, ctx.size)) + 12
        if x + w > ctx.width - ctx.margin:
            x = ctx.margin
            y -= h + 4
        c.rect(x, y - h, w, h, stroke=1, fill=0)
        c.setFont(ctx.bold, ctx.size - 1)
        c.drawString(x + 6, y - ctx.lh - 1, label)
        c.setFont(ctx.font, ctx.size)
        c.drawString(x + 6, y - 2 * ctx.lh - 3, value)
        x += w + 4
    c.setStrokeColorRGB(0, 0, 0)
    return y - h


def _summary_box(c: Canvas, ctx: Ctx, x: float, y: float, w: float) -> float:
    f = ctx.fam
    lab = f.labels
    pairs = [
        (lab["opening"], ctx.opening),
        (lab["in"], ctx.credits),
        (lab["out"], ctx.debits),
        (lab["closing"], ctx.closing),
    ]
    h = (ctx.lh + 3) * (len(pairs) + 1) + 6
    c.setStrokeColorRGB(0.4, 0.4, 0.4)
    c.rect(x, y - h, w, h, stroke=1, fill=0)
    c.setFont(ctx.bold, ctx.size + 0.5)
    yy = y - ctx.lh - 2
    c.drawString(x + 6, yy, lab["summary"])
    c.setFont(ctx.font, ctx.size)
    for label, v in pairs:
        yy -= ctx.lh + 3
        c.drawString(x + 6, yy, label)
        sign = "minus" if f.bal_sign in ("paren", "drcr") and label in (lab["in"], lab["out"]) else f.bal_sign
        c.drawRightString(x + w - 6, yy, fmt_signed(v, f.num, sign, f.dr, f.cr))
    return y - h - 10


def _draw_header(c: Canvas, ctx: Ctx, page: int) -> float:
    """First page: letterhead, address window, account details, title, period. Returns table top."""
    f = ctx.fam
    info = ctx.info
    lab = f.labels
    top = ctx.height - ctx.margin
    y = _draw_logo(c, ctx, ctx.margin, top - 10, f.brand_pos)
    c.setFont(ctx.font, ctx.size - 0.5)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    bank_addr = info["bank_address"]
    if f.brand_pos == "right":
        c.drawRightString(ctx.width - ctx.margin, y, bank_addr)
    elif f.brand_pos == "center":
        c.drawCentredString(ctx.width / 2, y, bank_addr)
    else:
        c.drawString(ctx.margin, y, bank_addr)
    c.setFillColorRGB(0, 0, 0)
    y -= 24
    # customer address window
    addr_y = y
    c.setFont(ctx.bold if ctx.rng.random() < 0.5 else ctx.font, ctx.size + 1)
    addr_x = ctx.margin + (10 if ctx.rng.random() < 0.5 else 0)
    c.drawString(addr_x, addr_y, info["holder"])
    c.setFont(ctx.font, ctx.size + 0.5)
    for line in info["holder_address"]:
        addr_y -= ctx.lh + 2
        c.drawString(addr_x, addr_y, line)
    pairs: list[tuple[str, str]] = []
    if f.show_holder_in_kv:
        pairs.append((lab["holder"], info["holder"]))
    pairs.append((lab["account"], info["account_print"]))
    if f.show_iban:
        pairs.append((lab["iban"], iban_print(info["iban"])))
    if f.show_bic:
        pairs.append((lab["bic"], info["bic"]))
    pairs.append((lab["currency"], f.currency))
    period = f.period_fmt.format(
        start=fmt_date(ctx.start, f.long_date_fmt, f.lang), end=fmt_date(ctx.end, f.long_date_fmt, f.lang)
    )
    pairs.append((lab["period"], period))
    gap = max(text_width(p[0] + ":", ctx.font, ctx.size) for p in pairs) + 8
    val_w = max(text_width(p[1], ctx.font, ctx.size) for p in pairs)
    if f.info_pos == "right":
        kx = ctx.width - ctx.margin - gap - val_w - 4
        ky = _kv(c, ctx, kx, y, pairs, gap)
        y = min(ky, addr_y) - 18
    elif f.info_pos == "boxrow":
        y = addr_y - 22
        y = _boxrow(c, ctx, y, pairs) - 24
    else:
        y = addr_y - 22
        y = _kv(c, ctx, ctx.margin, y, pairs, gap) - 8
    c.setFont(ctx.bold, ctx.size + 4)
    c.drawString(ctx.margin, y, f.title)
    y -= 16
    if f.summary == "top":
        w = min(260.0, ctx.width - 2 * ctx.margin)
        bx = ctx.margin if ctx.rng.random() < 0.5 else ctx.width - ctx.margin - w
        y = _summary_box(c, ctx, bx, y, w)
    return y


def _draw_cont_header(c: Canvas, ctx: Ctx, page: int) -> float:
    f = ctx.fam
    y = ctx.height - ctx.margin - 10
    c.setFont(ctx.bold, ctx.size + 2)
    c.drawString(ctx.margin, y, f.bank)
    c.setFont(ctx.font, ctx.size)
    c.drawRightString(
        ctx.width - ctx.margin,
        y,
        f"{f.labels['account']}: {ctx.info['account_print']} ({f.labels['continued']})",
    )
    return y - 24


def _draw_table_header(c: Canvas, ctx: Ctx, y: float) -> float:
    f = ctx.fam
    n_lines = max(len(col.title.split("\n")) for col, _, _ in ctx.col_x)
    h = ctx.lh * n_lines + 6
    fill = f.header_fill
    dark = fill is not None and sum(fill) < 1.6
    if fill is not None:
        c.setFillColorRGB(*fill)
        c.rect(ctx.margin, y - h, ctx.width - 2 * ctx.margin, h, stroke=0, fill=1)
    else:
        c.setLineWidth(0.8)
        c.line(ctx.margin, y - h, ctx.width - ctx.margin, y - h)
    c.setFillColorRGB(1, 1, 1) if dark else c.setFillColorRGB(0, 0, 0)
    c.setFont(ctx.bold, ctx.size)
    for col, x0, x1 in ctx.col_x:
        for i, part in enumerate(col.title.split("\n")):
            yy = y - ctx.lh * (i + 1) - 1
            if col.align == "r":
                c.drawRightString(x1 - 2, yy, part)
            else:
                c.drawString(x0 + 2, yy, part)
    c.setFillColorRGB(0, 0, 0)
    return y - h - 3


def _draw_row(c: Canvas, ctx: Ctx, y: float, row: Row, shade: bool) -> float:
    f = ctx.fam
    if shade:
        c.setFillColorRGB(0.95, 0.95, 0.95)
        c.rect(ctx.margin, y - row.height + 1, ctx.width - 2 * ctx.margin, row.height, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
    c.setFont(ctx.bold if row.bold else ctx.font, ctx.size)
    n = max(len(v) for v in row.cells.values())
    for col, x0, x1 in ctx.col_x:
        lines = row.cells.get(col.kind)
        if not lines:
            continue
        offset = (n - len(lines)) if (f.amounts_on_last_line and col.kind != "desc") else 0
        for i, text in enumerate(lines):
            yy = y - ctx.lh * (i + offset + 1) + 1
            if col.align == "r":
                c.drawRightString(x1 - 2, yy, text)
            else:
                c.drawString(x0 + 2, yy, text)
    y -= row.height
    if f.grid:
        c.setStrokeColorRGB(0.75, 0.75, 0.75)
        c.setLineWidth(0.4)
        c.line(ctx.margin, y + 1, ctx.width - ctx.margin, y + 1)
        c.setStrokeColorRGB(0, 0, 0)
    if f.vgrid:
        c.setStrokeColorRGB(0.55, 0.55, 0.55)
        c.setLineWidth(0.4)
        for _col, x0, _x1 in ctx.col_x:
            c.line(x0, y + 1, x0, y + row.height + 1)
        c.line(ctx.width - ctx.margin, y + 1, ctx.width - ctx.margin, y + row.height + 1)
        c.setStrokeColorRGB(0, 0, 0)
    return y


def _draw_footer(c: Canvas, ctx: Ctx, page: int, n_pages: int) -> None:
    f = ctx.fam
    c.setFont(ctx.font, ctx.size - 1)
    c.setFillColorRGB(0.3, 0.3, 0.3)
    c.line(ctx.margin, ctx.margin + 14, ctx.width - ctx.margin, ctx.margin + 14)
    c.drawString(ctx.margin, ctx.margin + 4, f.footer_text)
    c.drawRightString(ctx.width - ctx.margin, ctx.margin - 8, f.page_label.format(p=page, n=n_pages))
    c.setFillColorRGB(0, 0, 0)


# ------------------------------------------------------------------ public API


def _period(rng: random.Random, fam: Family) -> tuple[date, date]:
    year = rng.choice([2023, 2024, 2025])
    if fam.year_end:
        start = date(year, 12, rng.choice([1, 10, 15]))
        end = start + timedelta(days=rng.choice([30, 31, 34]))
        return start, end
    month = rng.randint(1, 11)
    start = date(year, month, 1)
    end = date(year, month + 1, 1) - timedelta(days=1)
    return start, end


def _account_info(rng: random.Random, fam: Family) -> dict[str, Any]:
    lang = fam.locale_pool if fam.locale_pool in _HOLDERS else fam.lang
    holder = rng.choice(_HOLDERS.get(lang, _HOLDERS["en"]))
    street = rng.choice(_STREETS.get(lang, _STREETS["en"]))
    city = rng.choice(_CITIES.get(fam.country, ["Springfield"]))
    acct_digits = "".join(rng.choice("0123456789") for _ in range(10))
    iban: str | None = None
    account_print = acct_digits
    if fam.country == "DE":
        iban = make_iban(rng, "DE", {0: "50090100", 1: acct_digits})
    elif fam.country == "GB":
        sort = f"{rng.randint(10, 99)}{rng.randint(10, 99)}{rng.randint(10, 99)}"
        acct = acct_digits[:8]
        iban = make_iban(rng, "GB", {0: fam.bank4, 1: sort, 2: acct})
        account_print = acct
    elif fam.country == "IE":
        acct = acct_digits[:8]
        iban = make_iban(rng, "IE", {0: fam.bank4, 2: acct})
        account_print = acct
    elif fam.country == "NL":
        iban = make_iban(rng, "NL", {0: fam.bank4, 1: acct_digits})
    elif fam.country == "FR":
        acct = acct_digits + "0"
        iban = make_iban(rng, "FR", {2: acct})
        account_print = acct
    elif fam.country == "CH":
        acct = "00" + acct_digits
        iban = make_iban(rng, "CH", {1: acct})
        account_print = f"{acct[:4]}-{acct[4:10]}-{acct[10:]}"
    elif fam.country == "ES":
        iban = make_iban(rng, "ES", {3: acct_digits})
        account_print = acct_digits
    elif fam.country == "IT":
        acct = "00000" + acct_digits[:7]
        iban = make_iban(rng, "IT", {3: acct})
        account_print = acct
    elif fam.country == "SE":
        acct = "000" + acct_digits + "4821"
        iban = make_iban(rng, "SE", {0: "912", 1: acct})
        account_print = f"9120 {acct_digits[:3]} {acct_digits[3:6]} {acct_digits[6:]}"
    elif fam.country == "NZ":
        account_print = f"38-{rng.randint(1000, 9999)}-{acct_digits[:7]}-{rng.randint(0, 99):02d}"
    elif fam.country == "AT":
        acct = "0" + acct_digits
        iban = make_iban(rng, "AT", {1: acct})
        account_print = acct
    elif fam.country == "IN":
        account_print = "5010" + acct_digits
    elif fam.country == "AU":
        account_print = f"{rng.randint(100, 999)}-{rng.randint(100, 999)} {acct_digits[:8]}"
    elif fam.country == "US":
        account_print = acct_digits[:4] + "-" + acct_digits[4:]
    elif fam.country == "SG":
        account_print = f"{acct_digits[:3]}-{acct_digits[3:9]}-{acct_digits[9]}"
    bic = make_bic(
        fam.bank4, "US" if fam.country == "US" else fam.country, rng.choice(["2X", "FF", "MM", "XX", "22"])
    )
    bank_address = {
        "US": "PO Box 4410, Sandusky OH 44870",
        "GB": "1 Kestrel Square, Leeds LS1 2AB",
        "DE": "Mainkai 21, 60311 Frankfurt am Main",
        "FR": "8 quai d'Orléans, 37000 Tours",
        "NL": "Markt 1, 4331 LK Middelburg",
        "IN": "Head Office: FC Road, Pune 411004",
        "CH": "Bahnhofplatz 2, 3011 Bern",
        "ES": "Calle Ancha 4, 45001 Toledo",
        "IT": "Fondamenta Nuove 12, 30121 Venezia",
        "ZA": "40 Long Street, Cape Town 8001",
        "IE": "3 Ormond Quay, Dublin D07",
        "CA": "220 Ridge Road, Kelowna BC V1Y 4M2",
        "SG": "8 Marina View, Singapore 018960",
        "AU": "GPO Box 88, Hobart TAS 7001",
        "AT": "Donaulände 5, 4020 Linz",
    }.get(fam.country, "")
    if fam.bank_address:
        bank_address = fam.bank_address
    if fam.name == "us_prairie_paren":
        bank_address = "18 MAIN ST, DODGE CITY KS 67801"
    return {
        "holder": holder.upper() if fam.uppercase_desc else holder,
        "holder_address": [street, city],
        "account_print": account_print,
        "iban": iban,
        "bic": bic,
        "bank_address": bank_address,
    }


_PENDING_TITLE = {
    "de": "Vorgemerkte Umsätze (noch nicht gebucht, nicht im Saldo enthalten)",
    "fr": "Opérations en cours (non comptabilisées)",
    "es": "Movimientos pendientes de liquidar",
    "it": "Movimenti in attesa di contabilizzazione",
    "nl": "Nog te verwerken transacties (niet in saldo)",
}


def _pending_rows(rng: random.Random, fam: Family, end: date) -> list[Tx]:
    """Card authorisations after the period: printed below the table, but not transactions."""
    rows = []
    for k in range(rng.randint(2, 3)):
        amt = -cents(rng, 3, 120)
        rows.append(
            Tx(end + timedelta(days=k + 1), None, _description(rng, fam, "card", False), None, amt, amt)
        )
    return rows


def _draw_pending(c: Canvas, ctx: Ctx, y: float, pending: list[Tx]) -> float:
    f = ctx.fam
    c.setFont(ctx.bold, ctx.size + 1)
    c.drawString(
        ctx.margin, y, _PENDING_TITLE.get(f.lang, "Pending transactions (not yet posted, not in balance)")
    )
    y -= 6
    for t in pending:
        t.show_balance = False
        cells, _ = _tx_cells(ctx, t)
        cells.pop("vdate", None)
        row = Row("pending", cells, ctx.lh * max(len(v) for v in cells.values()) + 3)
        y = _draw_row(c, ctx, y, row, False)
    return y


def _needed_widths(
    fam: Family, txs: list[Tx], opening: Decimal, font: str, bold: str, size: float
) -> dict[str, float]:
    vals = [t.amount for t in txs]
    bals = [opening, *(t.balance for t in txs)]
    biggest_bal = max(bals, key=lambda v: (abs(v), v < 0))
    biggest_amt = max(vals, key=lambda v: (abs(v), v < 0)) if vals else Decimal(0)
    sample_dates = [t.date for t in txs] or [date(2025, 9, 28)]
    out = {
        "date": max(text_width(fmt_date(d, fam.date_fmt, fam.lang), bold, size) for d in sample_dates),
        "vdate": max(
            text_width(fmt_date(t.vdate, fam.vdate_fmt, fam.lang), font, size) for t in txs if t.vdate
        )
        if txs
        else 0.0,
        "ref": max((text_width(t.ref, font, size) for t in txs if t.ref), default=0.0),
        "debit": text_width(fmt_num(biggest_amt, fam.num), bold, size),
        "credit": max(
            text_width(fmt_num(biggest_amt, fam.num), bold, size),
            text_width(fmt_signed(biggest_bal, fam.num, "minus"), bold, size),
        ),
        "amount": max(
            text_width(fmt_signed(biggest_amt, fam.num, fam.amount_sign, fam.dr, fam.cr), font, size),
            text_width(fmt_signed(biggest_bal, fam.num, fam.bal_sign, fam.dr, fam.cr), bold, size),
        ),
        "balance": text_width(fmt_signed(biggest_bal, fam.num, fam.bal_sign, fam.dr, fam.cr), bold, size),
    }
    slack = 8 + (text_width(fam.cell_symbol, bold, size) if fam.cell_symbol else 0.0)
    return {k: v + slack for k, v in out.items()}


def make_statement(family: str, seed: int = 0, **opts: Any) -> tuple[bytes, dict[str, Any]]:
    """Render one statement.

    opts: n_tx (int), wrap_share (0-1), font / size (overrides), misprint (one printed running balance is
    wrong; the truth keeps the printed value, as the shared corpus does), pending_table (a table of
    not-yet-booked card payments below the statement: not transactions), restyle (default True:
    per-seed cosmetic variation of zebra rows, row rules and header colour).
    """
    if family not in _BY_NAME:
        raise KeyError(f"unknown statement family {family!r}; choose from {STATEMENT_FAMILIES}")
    fam = _BY_NAME[family]
    rng = random.Random(f"{family}/{seed}")
    if "font" in opts:
        fam = replace(fam, font=str(opts["font"]))
    if opts.get("restyle", True):
        # per-seed cosmetic variation on a side stream, so the family's conventions and data stay put
        style = random.Random(f"style/{family}/{seed}")
        if style.random() < 0.25:
            fam = replace(fam, zebra=not fam.zebra)
        if style.random() < 0.25:
            fam = replace(fam, grid=not fam.grid)
        if style.random() < 0.3:
            fam = replace(fam, kv_colon=False)
        if style.random() < 0.2:
            fill = style.choice(
                [None, (0.9, 0.9, 0.9), (0.2, 0.3, 0.45), (0.85, 0.92, 0.88), (0.95, 0.9, 0.8)]
            )
            fam = replace(fam, header_fill=fill)
    font, bold, unicode_ok = fonts(fam.font)
    if not unicode_ok and fam.num == "fr":
        fam = replace(fam, num="fr-space")
    size = float(opts.get("size", fam.size + rng.choice([-0.5, 0, 0, 0.5])))
    lh = size * rng.choice([1.15, 1.2, 1.3])
    width, height = fam.pagesize
    margin = rng.choice([36.0, 42.0, 48.0])
    n = int(opts.get("n_tx", rng.randint(*fam.n_range)))
    wrap_share = float(opts.get("wrap_share", rng.choice([0.1, 0.25, 0.4])))
    start, end = _period(rng, fam)
    scale = {"INR": 40, "ZAR": 12}.get(fam.currency, 1)
    opening = cents(rng, -300 if fam.bal_sign in ("drcr", "paren") else 50, 9000) * scale
    opening = opening.quantize(Decimal("0.01"))
    txs = _make_transactions(rng, fam, start, end, n, opening, wrap_share)
    if opts.get("misprint") and any(c.kind == "balance" for c in fam.cols):
        side = random.Random(f"misprint/{family}/{seed}")  # options must not shift the main random stream
        candidates = [i for i, t in enumerate(txs) if t.show_balance and 0 < i < len(txs) - 1]
        if candidates:
            victim = txs[side.choice(candidates)]
            victim.printed_balance = victim.balance + Decimal(
                side.choice(["90.00", "-9.00", "900.00", "0.90"])
            )
    pending_rng = random.Random(f"pending/{family}/{seed}")
    pending = _pending_rows(pending_rng, fam, end) if opts.get("pending_table") else []
    closing = txs[-1].balance if txs else opening
    credits = sum((t.amount for t in txs if t.amount >= 0), Decimal(0))
    debits = sum((-t.amount for t in txs if t.amount < 0), Decimal(0))
    if fam.newest_first:
        txs = txs[::-1]
    # column geometry with a little jitter per seed
    table_w = width - 2 * margin
    weights = [col.width * rng.uniform(0.92, 1.08) for col in fam.cols]
    tot = sum(weights)
    widths = [table_w * w / tot for w in weights]
    # Widen any fixed-content column whose longest printed value would not fit; the description pays.
    need = _needed_widths(fam, txs, opening, font, bold, size)
    for i, col in enumerate(fam.cols):
        head = max(text_width(part, bold, size) for part in col.title.split("\n")) + 6
        want = max(need.get(col.kind, 0.0), head if col.kind != "desc" else 0.0)
        if widths[i] < want:
            d = next(j for j, cc in enumerate(fam.cols) if cc.kind == "desc")
            widths[d] -= want - widths[i]
            widths[i] = want
    col_x: list[tuple[Col, float, float]] = []
    x = margin
    for col, cw in zip(fam.cols, widths, strict=True):
        col_x.append((col, x, x + cw))
        x += cw
    info = _account_info(rng, fam)
    ctx = Ctx(
        fam,
        rng,
        font,
        bold,
        size,
        lh,
        width,
        height,
        margin,
        col_x,
        info,
        start,
        end,
        opening,
        closing,
        credits,
        debits,
    )

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=fam.pagesize, invariant=True)
    c.setTitle(f"{fam.bank} statement")
    c.setAuthor(fam.bank)
    # draw page 1 header on a scratch canvas to learn where the table starts
    scratch = Canvas(io.BytesIO(), pagesize=fam.pagesize)
    state = rng.getstate()
    first_top = _draw_header(scratch, ctx, 1)
    rng.setstate(state)
    other_top = height - margin - 34
    bottom = margin + 22
    end_reserve = (ctx.lh + 3) * 6 + 16 if fam.summary == "end" else 0.0
    if pending:
        end_reserve += (ctx.lh * 3 + 3) * (len(pending) + 1) + 30
    # table header height is subtracted from each page's top
    n_head = max(len(col.title.split("\n")) for col in fam.cols)
    th = ctx.lh * n_head + 9
    pages, shown = _paginate(ctx, txs, first_top - th, other_top - th, bottom, end_reserve)
    n_pages = len(pages)
    for p, rows in enumerate(pages, start=1):
        y = _draw_header(c, ctx, p) if p == 1 else _draw_cont_header(c, ctx, p)
        y = _draw_table_header(c, ctx, y)
        last_date: str | None = None
        for k, row in enumerate(rows):
            if fam.date_once and row.kind == "tx":
                shown_date = row.cells.get("date", [""])[0]
                if shown_date == last_date:
                    row = replace(row, cells={kk: v for kk, v in row.cells.items() if kk != "date"})
                last_date = shown_date
            y = _draw_row(c, ctx, y, row, fam.zebra and k % 2 == 1)
        if p == n_pages and pending:
            y = _draw_pending(c, ctx, y - 14, pending)
        if p == n_pages and fam.summary == "end":
            w = min(280.0, width - 2 * margin)
            _summary_box(c, ctx, width - margin - w, y - 8, w)
        _draw_footer(c, ctx, p, n_pages)
        c.showPage()
    c.save()

    has = {col.kind for col in fam.cols}
    transactions = []
    for t, desc in zip(txs, shown, strict=True):
        transactions.append(
            {
                "date": t.date.isoformat(),
                "value_date": t.vdate.isoformat() if ("vdate" in has and t.vdate) else None,
                "description": desc,
                "reference": t.ref if "ref" in has else None,
                "amount": canon(t.amount),
                "type": "debit" if t.amount < 0 else "credit",
                "balance": canon(t.shown_balance) if ("balance" in has and t.show_balance) else None,
            }
        )
    truth: dict[str, Any] = {
        "document_type": "bank_statement",
        "account_info": {
            "bank_name": fam.bank,
            "account_holder": info["holder"],
            "account_number": info["account_print"],
            "iban": info["iban"] if fam.show_iban else None,
            "bic": info["bic"] if fam.show_bic else None,
            "currency": fam.currency,
            "statement_period": {"start": start.isoformat(), "end": end.isoformat()},
            "opening_balance": canon(opening),
            "closing_balance": canon(closing),
            "total_credits": canon(credits) if txs else None,
            "total_debits": canon(debits) if txs else None,
        },
        "transactions": transactions,
    }
    return buf.getvalue(), truth


def make_scanned_statement(family: str, seed: int = 0, **opts: Any) -> tuple[bytes, dict[str, Any]]:
    """The same statement as an image-only PDF (no text layer).

    opts as make_statement, plus dpi, rotate (0/90/180/270: pages fed sideways or upside down) and
    photo (True: each page photographed on a desk instead of scanned)."""
    pdf, truth = make_statement(family, seed, **opts)
    return scan.office_scan(pdf, family, seed, opts), truth
