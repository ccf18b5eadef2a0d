"""A statement LAYOUT FUZZER: every statement is drawn from a space of layouts, not from a list of families.

    make_fuzzed_statement(seed, scanned=None) -> (pdf bytes, truth, meta)

Each seed samples its dimensions independently (own random sub-streams, so adding a dimension later
does not move the others): kind (bank account or credit card), language and country, structure (one
table, US sections by type, card sections), one or several accounts, the column set and order,
header wording and its line breaks, alignment, date / value-date / period formats (with or without
the year), number format, sign conventions for amounts and balances, currency symbols in cells,
newest-first order, opening / closing rows, summary boxes above or below the table, carried-forward
and page-total rows at page breaks, continuation lines below the booking line or wrapped text above
the amount line, foreign-currency amounts inside descriptions, fonts, sizes, rules, zebra rows,
header bands (dark with white text or light), page size, 1-6 pages, a broken ToUnicode map (the page
renders right, the text layer is gibberish) and scans. The truth is built with Decimal from the
same values and formatters the page uses; it is what the page SHOWS, in RESULT_SCHEMA's shape.

meta["classes"] names the failure classes of issue #13 that the document exercises:
multiline_header, us_sections, credit_card, multi_account, continuation_lines, fr_debit_credit,
garbled_text, scanned. meta["dims"] lists every sampled dimension.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

from tests.gen import scan
from tests.gen.common import (
    canon,
    cents,
    fmt_date,
    fmt_num,
    fonts,
    iban_print,
    make_bic,
    make_iban,
    text_width,
    wrap_words,
)
from tests.gen.statements import _CITIES, _HOLDERS, _POOLS, _STREETS

CLASSES = (
    "multiline_header",
    "us_sections",
    "credit_card",
    "multi_account",
    "continuation_lines",
    "fr_debit_credit",
    "garbled_text",
    "scanned",
)

ZERO = Decimal(0)
Q2 = Decimal("0.01")

# ------------------------------------------------------------------ countries, currencies

_COUNTRIES = {
    "en": ["US"] * 6 + ["GB", "GB", "CA", "AU", "IE", "NZ", "SG", "ZA", "IN"],
    "de": ["DE", "DE", "DE", "AT", "CH"],
    "fr": ["FR", "FR", "FR", "BE", "CH"],
    "nl": ["NL", "NL", "BE"],
    "es": ["ES"],
    "it": ["IT"],
}
_CURRENCY = {
    "US": "USD",
    "GB": "GBP",
    "CA": "CAD",
    "AU": "AUD",
    "IE": "EUR",
    "NZ": "NZD",
    "SG": "SGD",
    "ZA": "ZAR",
    "IN": "INR",
    "DE": "EUR",
    "AT": "EUR",
    "CH": "CHF",
    "FR": "EUR",
    "BE": "EUR",
    "NL": "EUR",
    "ES": "EUR",
    "IT": "EUR",
}
_SYMBOL = {
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "CAD": "$",
    "AUD": "$",
    "NZD": "$",
    "SGD": "$",
    "ZAR": "R",
    "INR": "₹",
    "CHF": "",
}
_SCALE = {"INR": 40, "ZAR": 12}
_CITY_POOL = {**_CITIES, "BE": ["1000 Bruxelles", "4000 Liège", "9000 Gent"]}
NUM_DECIMAL_POINT = {
    "us": True,
    "plain": True,
    "ch": True,
    "za": True,
    "in": True,
    "eu": False,
    "fr": False,
    "fr-space": False,
    "plain-comma": False,
}
_FILLER = {
    "en": ["ONLINE BANKING", "RECURRING PAYMENT", "VIA MOBILE APP"],
    "de": ["ONLINE-BANKING", "DAUERAUFTRAG", "VIA APP"],
    "fr": ["PAIEMENT RECURRENT", "VIA INTERNET", "PAR MOBILE"],
    "nl": ["VIA INTERNETBANKIEREN", "PERIODIEKE BETALING", "MOBIEL BANKIEREN"],
    "es": ["BANCA ONLINE", "PAGO RECURRENTE", "APP MOVIL"],
    "it": ["INTERNET BANKING", "PAGAMENTO RICORRENTE", "DA APP"],
}
_IBAN_COUNTRIES = {"DE", "GB", "IE", "FR", "NL", "CH", "ES", "IT", "AT", "BE"}
_US_STATES = [
    ("SEATTLE", "WA"),
    ("DENVER", "CO"),
    ("BOISE", "ID"),
    ("RALEIGH", "NC"),
    ("AUSTIN", "TX"),
    ("HOUSTON", "TX"),
    ("OAKLAND", "CA"),
    ("NEW YORK", "NY"),
    ("ATLANTA", "GA"),
    ("CHICAGO", "IL"),
    ("PORTLAND", "OR"),
    ("TAMPA", "FL"),
]

# ------------------------------------------------------------------ wording

# Column header pools: "\n" is a printed line break. {cur} is the currency code.
_HEAD: dict[str, dict[str, list[str]]] = {
    "en": {
        "date": ["Date", "Date", "Posted", "Posting\nDate", "Transaction\nDate", "Booking date", "Txn Date"],
        "vdate": ["Value Date", "Value\nDate", "Effective\nDate", "Value Dt"],
        "desc": [
            "Description",
            "Details",
            "Transaction Details",
            "Particulars",
            "Narrative",
            "Payment type and details",
            "Transaction\ndescription",
            "Description of\nTransaction",
        ],
        "ref": ["Reference", "Ref.", "Check\nNumber", "Chq./Ref.No.", "Check #", "Ref Number"],
        "debit": [
            "Withdrawals",
            "Withdrawals/\nDebits",
            "Debits",
            "Debit",
            "Paid out",
            "Money out",
            "Withdrawals and\nother debits",
            "Withdrawal\n({cur})",
        ],
        "credit": [
            "Deposits",
            "Deposits/\nCredits",
            "Credits",
            "Credit",
            "Paid in",
            "Money in",
            "Deposits and\nother credits",
            "Deposit\n({cur})",
        ],
        "amount": ["Amount", "Amount ({cur})", "Transaction\nAmount", "Amount\n{cur}", "Value"],
        "marker": ["Dr/Cr", "D/C", "Type", "CR/DR"],
        "balance": [
            "Balance",
            "Ending daily\nbalance",
            "Running\nbalance",
            "Balance\n({cur})",
            "Daily\nbalance",
            "Ledger\nBalance",
        ],
        "card_date": [
            "Trans Date",
            "Trans.\nDate",
            "Transaction\nDate",
            "Sale\nDate",
            "Date of\nTransaction",
        ],
        "card_vdate": ["Post Date", "Posting\nDate", "Post\nDate", "Posted"],
        "card_single_date": ["Date", "Date of\nTransaction", "Trans Date"],
        "card_desc": [
            "Description",
            "Merchant Name or Transaction Description",
            "Transaction Description",
            "Details",
        ],
        "card_ref": ["Reference Number", "Reference\nNumber", "Ref #"],
        "card_amount": ["Amount", "$ Amount", "Amount ({cur})", "Amount\n({cur})"],
    },
    "de": {
        "date": ["Buchungstag", "Buchung", "Bu-Tag", "Buchungs-\ntag", "Datum", "Buchungs-\ndatum"],
        "vdate": ["Wert", "Valuta", "Wertstellung", "Wert-\nstellung", "Valuta-\ndatum"],
        "desc": [
            "Verwendungszweck",
            "Vorgang",
            "Buchungstext",
            "Erläuterung",
            "Verwendungszweck /\nBuchungstext",
            "Umsatzart /\nVerwendungszweck",
        ],
        "ref": ["Referenz", "Beleg-Nr.", "Primanota"],
        "debit": ["Soll", "Belastung", "Ausgang", "Soll\n{cur}", "Belastungen"],
        "credit": ["Haben", "Gutschrift", "Eingang", "Haben\n{cur}", "Gutschriften"],
        "amount": ["Betrag", "Betrag {cur}", "Betrag\nin {cur}", "Umsatz", "Betrag ({cur})"],
        "marker": ["S/H", "Soll/\nHaben"],
        "balance": ["Saldo", "Kontostand", "Saldo\n{cur}", "Saldo in\n{cur}"],
        "card_date": ["Belegdatum", "Beleg-\ndatum", "Kaufdatum", "Umsatz-\ndatum"],
        "card_vdate": ["Buchungsdatum", "Buchungs-\ndatum", "Buchung"],
        "card_single_date": ["Datum", "Belegdatum"],
        "card_desc": ["Umsatz", "Beschreibung", "Verwendungszweck", "Händler / Umsatz"],
        "card_ref": ["Referenz"],
        "card_amount": ["Betrag {cur}", "Betrag", "Betrag\nin {cur}"],
    },
    "fr": {
        "date": ["Date", "Date\nopération", "Date opé.", "Date de\nl'opération"],
        "vdate": ["Valeur", "Date\nvaleur", "Date de\nvaleur"],
        "desc": [
            "Libellé",
            "Libellé / Réf.",
            "Nature de l'opération",
            "Opérations",
            "Détail des\nopérations",
            "Libellé de\nl'opération",
        ],
        "ref": ["Réf.", "Référence"],
        "debit": ["Débit", "Débit\n({sym})", "Débit\n{cur}", "Débits", "Montant\ndébit"],
        "credit": ["Crédit", "Crédit\n({sym})", "Crédit\n{cur}", "Crédits", "Montant\ncrédit"],
        "amount": ["Montant", "Montant\nen {cur}", "Montant ({sym})"],
        "marker": ["D/C", "Sens"],
        "balance": ["Solde", "Solde\n({sym})", "Solde\nen {cur}"],
    },
    "nl": {
        "date": ["Datum", "Boekdatum", "Boek-\ndatum", "Transactie-\ndatum"],
        "vdate": ["Rentedatum", "Valutadatum", "Rente-\ndatum"],
        "desc": ["Omschrijving", "Naam / Omschrijving", "Mededelingen", "Omschrijving\ntransactie"],
        "ref": ["Kenmerk", "Referentie"],
        "debit": ["Af", "Bedrag af", "Af\n({cur})", "Debet"],
        "credit": ["Bij", "Bedrag bij", "Bij\n({cur})", "Credit"],
        "amount": ["Bedrag", "Bedrag\n({cur})", "Bedrag {cur}"],
        "marker": ["Af/Bij", "D/C"],
        "balance": ["Saldo", "Saldo\nna boeking"],
    },
    "es": {
        "date": ["Fecha", "F. Operación", "Fecha\noperación", "Fecha\ncontable"],
        "vdate": ["F. Valor", "Fecha\nvalor", "Valor"],
        "desc": ["Concepto", "Descripción", "Concepto /\nReferencia", "Movimiento"],
        "ref": ["Referencia", "Ref."],
        "debit": ["Cargos", "Debe", "Cargo", "Cargos\n({cur})", "Reintegros"],
        "credit": ["Abonos", "Haber", "Abono", "Abonos\n({cur})", "Ingresos"],
        "amount": ["Importe", "Importe\n({cur})", "Importe {cur}"],
        "marker": ["D/H"],
        "balance": ["Saldo", "Saldo\n({cur})", "Saldo\ndisponible"],
    },
    "it": {
        "date": ["Data", "Data\ncontabile", "Data\noperazione", "Data op."],
        "vdate": ["Valuta", "Data\nvaluta", "Data val."],
        "desc": ["Descrizione", "Descrizione\noperazione", "Causale", "Descrizione\ndei movimenti"],
        "ref": ["Riferimento", "Rif."],
        "debit": ["Dare", "Uscite", "Addebiti", "Dare\n({cur})", "Importo\ndare"],
        "credit": ["Avere", "Entrate", "Accrediti", "Avere\n({cur})", "Importo\navere"],
        "amount": ["Importo", "Importo\n({cur})", "Importo {cur}"],
        "marker": ["D/A", "Segno"],
        "balance": ["Saldo", "Saldo\ncontabile", "Saldo\n({cur})"],
    },
}

_WORDS: dict[str, dict[str, list[str]]] = {
    "en": {
        "holder": ["Account holder", "Account name", "Customer name", "Name", "Prepared for"],
        "account": ["Account number", "Account No.", "Account #", "Acct. No.", "Account", "Primary account"],
        "iban": ["IBAN", "International Bank Account Number", "IBAN number"],
        "bic": ["BIC", "SWIFT/BIC", "BIC/SWIFT", "SWIFT code"],
        "currency": ["Currency", "Account currency", "All amounts in"],
        "period": ["Statement period", "Period", "For the period", "Statement dates"],
        "period_fmt": ["{start} to {end}", "{start} - {end}", "{start} through {end}"],
        "opening": [
            "Opening balance",
            "Beginning balance",
            "Previous balance",
            "Balance brought forward",
            "Starting balance",
        ],
        "closing": ["Closing balance", "Ending balance", "New balance", "Balance carried forward"],
        "in": ["Total credits", "Deposits and other credits", "Money in", "Total deposits", "Paid in"],
        "out": ["Total debits", "Withdrawals and other debits", "Money out", "Total withdrawals", "Paid out"],
        "summary": ["Account summary", "Summary", "Balance summary", "Your account at a glance", "Overview"],
        "continued": ["continued", "(continued)", "cont."],
        "carry": ["Balance carried forward|Balance brought forward", "Carried forward|Brought forward"],
        "page_totals": ["Page totals", "Page total", "Totals this page"],
        "title_current": [
            "Checking Account Statement",
            "Current Account Statement",
            "Everyday Account statement",
        ],
        "title_savings": ["Savings Account Statement", "Savings statement"],
        "title_any": ["Statement of Account", "Account Statement", "Statement"],
        "page": ["Page {p} of {n}", "Page {p}/{n}", "{p} of {n}", "PAGE {p} OF {n}"],
        "count": ["{n} items", "({n})", "{n} transactions"],
        "overview": ["Your accounts", "Relationship summary", "Account overview"],
        "sdate": ["Statement date", "Issued on", "Date of statement"],
    },
    "de": {
        "holder": ["Kontoinhaber", "Inhaber", "Name"],
        "account": ["Kontonummer", "Konto-Nr.", "Konto", "Kontonr."],
        "iban": ["IBAN", "Ihre IBAN"],
        "bic": ["BIC", "BIC (SWIFT)"],
        "currency": ["Währung", "Kontowährung"],
        "period": ["Zeitraum", "Auszugszeitraum", "Abrechnungszeitraum"],
        "period_fmt": ["{start} bis {end}", "vom {start} bis {end}", "{start} - {end}"],
        "opening": ["Alter Kontostand", "Anfangssaldo", "alter Saldo", "Kontostand alt"],
        "closing": ["Neuer Kontostand", "Endsaldo", "neuer Saldo", "Kontostand neu"],
        "in": ["Summe Gutschriften", "Summe Haben", "Eingänge"],
        "out": ["Summe Belastungen", "Summe Soll", "Ausgänge"],
        "summary": ["Übersicht", "Saldenübersicht", "Zusammenfassung"],
        "continued": ["Fortsetzung", "(Fortsetzung)", "Folgeseite"],
        "carry": ["Übertrag auf Blatt {n}|Übertrag von Blatt {p}", "Zwischensaldo|Übertrag"],
        "page_totals": ["Seitensumme", "Summe dieser Seite"],
        "title_current": ["Kontoauszug Girokonto", "Kontoauszug Privatgirokonto"],
        "title_savings": ["Kontoauszug Tagesgeld", "Kontoauszug Sparkonto"],
        "title_any": ["Kontoauszug", "Kontoauszug Nr. {no}/{year}", "Kontoauszug {no}"],
        "page": ["Seite {p} von {n}", "Blatt {p} von {n}", "Seite {p}/{n}"],
        "count": ["{n} Buchungen", "({n})"],
        "overview": ["Ihre Konten", "Kontenübersicht", "Vermögensübersicht"],
        "sdate": ["erstellt am", "Auszugsdatum", "Datum"],
    },
    "fr": {
        "holder": ["Titulaire", "Titulaire du compte", "Client"],
        "account": ["N° de compte", "Compte n°", "Numéro de compte", "Compte"],
        "iban": ["IBAN", "Identifiant international (IBAN)"],
        "bic": ["BIC", "Code BIC"],
        "currency": ["Devise", "Monnaie du compte"],
        "period": ["Période", "Relevé", "Période du relevé"],
        "period_fmt": ["du {start} au {end}", "{start} - {end}", "du {start} au {end} inclus"],
        "opening": ["Ancien solde", "Solde précédent", "SOLDE CREDITEUR AU {start}", "Solde au {start}"],
        "closing": ["Nouveau solde", "Solde final", "NOUVEAU SOLDE CREDITEUR", "Solde au {end}"],
        "in": ["Total des crédits", "Total crédits", "Total des opérations au crédit"],
        "out": ["Total des débits", "Total débits", "Total des opérations au débit"],
        "summary": ["Récapitulatif", "Synthèse du compte", "Situation du compte"],
        "continued": ["suite", "(suite)", "à reporter"],
        "carry": ["A reporter|Report", "Solde à reporter|Report de la page précédente"],
        "page_totals": ["Total de la page", "Sous-total"],
        "title_current": ["Relevé de compte courant", "Relevé de compte de dépôt"],
        "title_savings": ["Relevé de compte d'épargne", "Relevé Livret A"],
        "title_any": ["Relevé de compte", "Relevé d'identité bancaire et opérations", "Extrait de compte"],
        "page": ["Page {p}/{n}", "Page {p} sur {n}", "{p}/{n}"],
        "count": ["{n} opérations", "({n})"],
        "overview": ["Vos comptes", "Synthèse de vos comptes"],
        "sdate": ["Date d'arrêté", "Édité le", "Date"],
    },
    "nl": {
        "holder": ["Rekeninghouder", "Ten name van", "Naam"],
        "account": ["Rekeningnummer", "Rekening", "Rekeningnr."],
        "iban": ["IBAN", "IBAN-nummer"],
        "bic": ["BIC", "BIC-code"],
        "currency": ["Valuta", "Munteenheid"],
        "period": ["Periode", "Afschriftperiode"],
        "period_fmt": ["{start} t/m {end}", "van {start} tot en met {end}", "{start} - {end}"],
        "opening": ["Beginsaldo", "Vorig saldo", "Saldo begin periode"],
        "closing": ["Eindsaldo", "Nieuw saldo", "Saldo einde periode"],
        "in": ["Totaal bij", "Totaal ontvangen", "Bijschrijvingen"],
        "out": ["Totaal af", "Totaal uitgegeven", "Afschrijvingen"],
        "summary": ["Overzicht", "Samenvatting", "Saldo-overzicht"],
        "continued": ["vervolg", "(vervolg)"],
        "carry": ["Transport|Transport", "Saldo naar volgende pagina|Saldo van vorige pagina"],
        "page_totals": ["Paginatotaal", "Subtotaal"],
        "title_current": ["Rekeningafschrift Betaalrekening", "Afschrift betaalrekening"],
        "title_savings": ["Afschrift Spaarrekening", "Rekeningafschrift Spaarrekening"],
        "title_any": ["Rekeningafschrift", "Afschrift", "Bankafschrift nr. {no}"],
        "page": ["Pagina {p} van {n}", "Blad {p}/{n}", "{p} van {n}"],
        "count": ["{n} transacties", "({n})"],
        "overview": ["Uw rekeningen", "Rekeningoverzicht"],
        "sdate": ["Datum afschrift", "Aanmaakdatum"],
    },
    "es": {
        "holder": ["Titular", "Titulares", "Cliente"],
        "account": ["Número de cuenta", "Cuenta", "N.º de cuenta"],
        "iban": ["IBAN", "Código IBAN"],
        "bic": ["BIC", "Código BIC"],
        "currency": ["Divisa", "Moneda"],
        "period": ["Periodo", "Fechas del extracto", "Periodo de liquidación"],
        "period_fmt": ["del {start} al {end}", "{start} - {end}", "desde {start} hasta {end}"],
        "opening": ["Saldo anterior", "Saldo inicial", "Saldo a {start}"],
        "closing": ["Saldo final", "Saldo actual", "Saldo a {end}"],
        "in": ["Total abonos", "Total ingresos", "Suma de abonos"],
        "out": ["Total cargos", "Total gastos", "Suma de cargos"],
        "summary": ["Resumen", "Resumen del periodo", "Posición de la cuenta"],
        "continued": ["continuación", "(continúa)", "sigue"],
        "carry": ["Suma y sigue|Suma anterior", "Saldo a la vuelta|Saldo anterior"],
        "page_totals": ["Total página", "Subtotal"],
        "title_current": ["Extracto de cuenta corriente", "Extracto cuenta nómina"],
        "title_savings": ["Extracto cuenta de ahorro", "Extracto de cuenta ahorro"],
        "title_any": ["Extracto de cuenta", "Extracto de movimientos", "Extracto mensual"],
        "page": ["Página {p} de {n}", "Pág. {p}/{n}", "Hoja {p} de {n}"],
        "count": ["{n} movimientos", "({n})"],
        "overview": ["Sus cuentas", "Posición global"],
        "sdate": ["Fecha de emisión", "Fecha"],
    },
    "it": {
        "holder": ["Intestatario", "Intestato a", "Cliente"],
        "account": ["Conto corrente n.", "Numero conto", "Conto n.", "Rapporto"],
        "iban": ["IBAN", "Codice IBAN"],
        "bic": ["BIC", "Codice BIC/SWIFT"],
        "currency": ["Divisa", "Valuta del conto"],
        "period": ["Periodo", "Periodo di riferimento", "Estratto conto"],
        "period_fmt": ["dal {start} al {end}", "{start} - {end}", "dal {start} al {end} compresi"],
        "opening": ["Saldo iniziale", "SALDO INIZIALE", "Saldo contabile iniziale", "Saldo al {start}"],
        "closing": ["Saldo finale", "SALDO FINALE", "Saldo contabile finale", "Saldo al {end}"],
        "in": ["Totale avere", "Totale entrate", "Totale accrediti"],
        "out": ["Totale dare", "Totale uscite", "Totale addebiti"],
        "summary": ["Riepilogo", "Riassunto scalare", "Sintesi del conto"],
        "continued": ["segue", "(segue)", "continua"],
        "carry": ["A riportare|Riporto", "Saldo a riportare|Saldo riportato"],
        "page_totals": ["Totale pagina", "Subtotale"],
        "title_current": ["Estratto conto corrente", "Estratto del conto corrente"],
        "title_savings": ["Estratto conto deposito", "Estratto libretto di risparmio"],
        "title_any": ["Estratto conto", "Lista movimenti", "Estratto conto n. {no}"],
        "page": ["Pagina {p} di {n}", "Pag. {p}/{n}", "Foglio {p} di {n}"],
        "count": ["{n} movimenti", "({n})"],
        "overview": ["I suoi rapporti", "Riepilogo rapporti"],
        "sdate": ["Data di emissione", "Data"],
    },
}

_ACCOUNT_NAMES = {
    "en": [
        ("Everyday Checking", "current"),
        ("Premier Checking", "current"),
        ("Way2Save Savings", "savings"),
        ("Money Market Savings", "savings"),
        ("Instant Saver", "savings"),
        ("Business Checking", "current"),
    ],
    "de": [("Girokonto", "current"), ("Tagesgeldkonto", "savings"), ("Sparkonto", "savings")],
    "fr": [("Compte courant", "current"), ("Compte de dépôt", "current"), ("Livret A", "savings")],
    "nl": [("Betaalrekening", "current"), ("Spaarrekening", "savings"), ("Internet Sparen", "savings")],
    "es": [("Cuenta corriente", "current"), ("Cuenta de ahorro", "savings"), ("Cuenta nómina", "current")],
    "it": [("Conto corrente", "current"), ("Conto deposito", "savings"), ("Conto risparmio", "savings")],
}

_BANK_PARTS = {
    "en": (
        ["Harbour", "Cedar", "Granite", "Prairie", "Lakeshore", "Summit", "Juniper", "Redwood", "Kestrel"],
        ["Bank", "Savings Bank", "Trust Company", "Credit Union", "National Bank", "Federal Credit Union"],
    ),
    "de": (
        ["Mainufer", "Taunus", "Elbtal", "Alpenland", "Rheinaue", "Donautal", "Schwarzwald"],
        ["Sparkasse {x}", "Volksbank {x} eG", "Bankhaus {x} AG", "{x}bank AG", "Raiffeisenbank {x} eG"],
    ),
    "fr": (
        ["Val de Loire", "Atlantique", "Provence", "Jura", "Normandie", "Alsace"],
        ["Banque du {x}", "Crédit Mutuel {x}", "Caisse d'Épargne {x}", "Banque Populaire {x}"],
    ),
    "nl": (
        ["Zeeuwse", "Friese", "Brabantse", "Utrechtse", "Hollandse"],
        ["{x} Spaarbank N.V.", "{x} Bank N.V.", "{x} Rabobank U.A."],
    ),
    "es": (
        ["Meseta", "Levante", "Cantábrico", "Guadalquivir", "Pirineo"],
        ["Banco de la {x}, S.A.", "Caja Rural del {x}", "Banco {x}"],
    ),
    "it": (
        ["Laguna", "Brenta", "Appennino", "Tirreno", "Langhe"],
        ["Banca della {x} S.p.A.", "Cassa di Risparmio del {x}", "Banca Popolare del {x}"],
    ),
}
_CARD_ISSUERS = {
    "en": ["{x} Card Services", "{x} Rewards Visa", "{x} Bank Mastercard", "{x} Platinum Card"],
    "de": ["{x} Kreditkarte", "{x} Card Services GmbH"],
}


# ------------------------------------------------------------------ layout dimensions


@dataclass
class Col:
    kind: str  # date | vdate | desc | ref | debit | credit | amount | marker | balance
    head: list[str]
    align: str = "l"  # l | r | c
    x0: float = 0.0
    x1: float = 0.0


@dataclass
class Style:
    font: str
    bold: str
    unicode_ok: bool
    size: float
    lh: float
    pad: float
    pagesize: tuple[float, float]
    margin: float
    rules: str  # none | hlines | grid | box
    zebra: bool
    header_fill: tuple[float, float, float] | None
    header_dark: bool
    header_valign: str  # top | bottom
    header_align: str  # col | left | center
    header_upper: bool
    brand_pos: str
    info_pos: str  # right | below | boxrow
    kv_colon: bool
    gap: float  # padding inside money columns (narrow gaps when small)
    section_band: bool


@dataclass
class Fmt:
    lang: str
    country: str
    currency: str
    num: str
    date_fmt: str
    vdate_fmt: str
    long_fmt: str
    year_in_dates: bool
    amount_sign: str  # for a signed amount column
    bal_sign: str
    dr: str
    cr: str
    symbol: str  # currency symbol in money cells ("" for none)
    symbol_pos: str  # pre | post


@dataclass
class Tx:
    date: date
    vdate: date | None
    lines: list[str]  # logical lines of the description (each may wrap)
    amount: Decimal  # signed, holder's view
    kind: str
    ref: str | None = None
    section: str | None = None
    balance: Decimal | None = None  # running balance after this transaction (None: not kept)
    show_balance: bool = False
    account: int = 0
    shown: str = ""  # description as printed (filled at layout)
    n_lines: int = 1  # printed description lines
    fx: bool = False


@dataclass
class Account:
    name: str
    acct_type: str
    number: str  # as printed
    iban: str | None
    opening: Decimal
    txs: list[Tx] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.opening + sum((t.amount for t in self.txs), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((t.amount for t in self.txs if t.amount >= 0), ZERO)

    @property
    def debits(self) -> Decimal:
        return sum((-t.amount for t in self.txs if t.amount < 0), ZERO)


# ------------------------------------------------------------------ formatting


def money(
    v: Decimal, f: Fmt, sign: str, *, symbol: bool = True, dr: str | None = None, cr: str | None = None
) -> str:
    """A money cell: number style, sign convention and currency symbol of the document."""
    body = fmt_num(v, f.num)
    if symbol and f.symbol:
        body = f"{f.symbol}{body}" if f.symbol_pos == "pre" else f"{body} {f.symbol}"
    d = f.dr if dr is None else dr
    c = f.cr if cr is None else cr
    neg = v < 0
    if sign == "minus":
        return f"-{body}" if neg else body
    if sign == "plus_minus":
        return f"-{body}" if neg else f"+{body}"
    if sign == "trailing":
        return f"{body}-" if neg else f"{body}+"
    if sign == "trailing_blank":
        return f"{body}-" if neg else body
    if sign == "paren":
        return f"({body})" if neg else body
    if sign == "drcr":
        return f"{body} {d}" if neg else f"{body} {c}"
    if sign == "cr_only":
        return body if neg else f"{body} {c}"
    if sign == "dr_only":
        return f"{body} {d}" if neg else body
    if sign == "abs":
        return body
    raise ValueError(sign)


def dfmt(d: date, pattern: str, lang: str) -> str:
    return fmt_date(d, pattern, lang)


# ------------------------------------------------------------------ sampling helpers


def _pick(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _date_patterns(lang: str, country: str) -> list[tuple[str, str, float]]:
    """(row pattern, year-less short pattern for value dates, weight)."""
    if country == "US":
        return [
            ("{mm}/{dd}/{yyyy}", "{mm}/{dd}", 3),
            ("{mm}/{dd}/{yy}", "{mm}/{dd}", 2),
            ("{mm}/{dd}", "{mm}/{dd}", 3),
            ("{mon} {dd}", "{mon} {dd}", 1),
            ("{mon} {d}, {yyyy}", "{mon} {d}", 1),
            ("{m}/{d}", "{m}/{d}", 1),
        ]
    if lang == "en":
        pats = [
            ("{dd}/{mm}/{yyyy}", "{dd}/{mm}", 3),
            ("{dd} {mon}", "{dd} {mon}", 2),
            ("{dd} {mon} {yyyy}", "{dd} {mon}", 2),
            ("{d} {mon} {yy}", "{d} {mon}", 1),
            ("{dd}-{MON}-{yy}", "{dd}-{MON}", 1),
            ("{dd}/{mm}/{yy}", "{dd}/{mm}", 1),
            ("{dd}-{mm}-{yyyy}", "{dd}-{mm}", 1),
        ]
        if country == "CA":
            pats.append(("{mon} {dd}", "{mon} {dd}", 2))
        return pats
    if lang == "de":
        return [
            ("{dd}.{mm}.{yyyy}", "{dd}.{mm}.", 4),
            ("{dd}.{mm}.{yy}", "{dd}.{mm}.", 2),
            ("{dd}.{mm}.", "{dd}.{mm}.", 3),
        ]
    if lang == "fr":
        return [
            ("{dd}/{mm}/{yyyy}", "{dd}/{mm}", 3),
            ("{dd}/{mm}", "{dd}/{mm}", 4),
            ("{dd}/{mm}/{yy}", "{dd}/{mm}", 2),
            ("{dd}.{mm}", "{dd}.{mm}", 1),
        ]
    if lang == "nl":
        return [
            ("{dd}-{mm}-{yyyy}", "{dd}-{mm}", 3),
            ("{dd}-{mm}", "{dd}-{mm}", 2),
            ("{d} {mon}", "{d} {mon}", 1),
            ("{dd}/{mm}/{yyyy}", "{dd}/{mm}", 1),
        ]
    if lang == "es":
        return [
            ("{dd}/{mm}/{yyyy}", "{dd}/{mm}", 4),
            ("{dd}-{mm}-{yyyy}", "{dd}-{mm}", 1),
            ("{dd}/{mm}", "{dd}/{mm}", 2),
        ]
    return [
        ("{dd}/{mm}/{yyyy}", "{dd}/{mm}", 4),
        ("{dd}.{mm}.{yy}", "{dd}.{mm}", 1),
        ("{dd}/{mm}/{yy}", "{dd}/{mm}", 2),
    ]


_LONG_FMTS = {
    "en-US": ["{month} {dd}, {yyyy}", "{mm}/{dd}/{yyyy}", "{mon} {d}, {yyyy}"],
    "en": ["{d} {month} {yyyy}", "{dd}/{mm}/{yyyy}", "{dd} {mon} {yyyy}"],
    "de": ["{dd}.{mm}.{yyyy}", "{d}. {month} {yyyy}"],
    "fr": ["{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}"],
    "nl": ["{dd}-{mm}-{yyyy}", "{d} {month} {yyyy}"],
    "es": ["{dd}/{mm}/{yyyy}", "{d} de {month} de {yyyy}"],
    "it": ["{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}"],
}

_NUM_PRIORS = {
    "US": [("us", 9), ("plain", 1)],
    "GB": [("us", 9), ("plain", 1)],
    "CA": [("us", 9), ("plain", 1)],
    "AU": [("us", 9), ("plain", 1)],
    "IE": [("us", 9), ("eu", 1)],
    "NZ": [("us", 1)],
    "SG": [("us", 1)],
    "ZA": [("za", 3), ("us", 2)],
    "IN": [("in", 3), ("us", 1)],
    "DE": [("eu", 9), ("plain-comma", 1)],
    "AT": [("eu", 8), ("fr-space", 1)],
    "CH": [("ch", 5), ("eu", 2)],
    "FR": [("fr", 4), ("eu", 4), ("fr-space", 2)],
    "BE": [("eu", 5), ("fr-space", 2)],
    "NL": [("eu", 8), ("plain-comma", 1)],
    "ES": [("eu", 9), ("plain-comma", 1)],
    "IT": [("eu", 9), ("plain-comma", 1)],
}

_DRCR = {
    "en": [("DR", "CR"), ("Dr", "Cr"), ("D", "C"), ("OD", "CR")],
    "de": [("S", "H"), ("Soll", "Haben"), ("-", "+")],
    "fr": [("D", "C"), ("DB", "CR")],
    "nl": [("Af", "Bij"), ("D", "C")],
    "es": [("D", "H"), ("DB", "CR")],
    "it": [("D", "A"), ("DA", "AV")],
}


@dataclass
class Plan:
    """Everything sampled for one seed (recorded in meta["dims"])."""

    kind: str
    lang: str
    country: str
    structure: str  # table | sections (us bank sections or card sections)
    n_accounts: int
    cols: list[Col]
    amount_mode: str  # dc | signed | marker
    balance_mode: str  # every | day_end | none
    head_breaks: str  # single | pooled | stacked
    fmt: Fmt
    style: Style
    newest_first: bool
    open_row: bool
    close_row: bool
    open_row_date: bool
    summary_pos: str  # none | top | bottom
    summary_counts: bool
    carry: bool
    page_totals: bool
    repeat_section_title: bool
    wrap_share: float
    detail_lines: bool
    valign: str  # top | bottom | split
    fx_share: float
    uppercase: bool
    date_once: bool
    n_tx: int
    card_print: str  # issuer | holder (whose view the card amounts are printed from)
    card_sign: str  # payments' sign on an issuer-view card statement
    section_signed: bool  # withdrawals printed with a minus inside a withdrawals section
    daily_balance_table: bool
    garble: str | None
    garble_fonts: str
    fr_narrow: bool
    title_kind: str  # current | savings | any
    iban_only: bool


def _sample_plan(seed: int) -> Plan:
    rng = random.Random(f"fuzz-statement/{seed}/layout")
    kind = "card" if rng.random() < 0.22 else "bank"
    if kind == "card":
        lang = "en" if rng.random() < 0.75 else "de"
        country = (
            rng.choice(["US", "US", "US", "GB", "CA", "AU"])
            if lang == "en"
            else rng.choice(["DE", "DE", "AT"])
        )
    else:
        lang = _pick(rng, [("en", 45), ("de", 17), ("fr", 13), ("nl", 8), ("es", 8), ("it", 9)])
        country = rng.choice(_COUNTRIES[lang])
    currency = _CURRENCY[country]
    us = country == "US"

    # structure and accounts
    if kind == "card":
        structure = "sections" if rng.random() < 0.45 else "table"
        n_accounts = 1
    else:
        p_sect = 0.55 if us else (0.15 if lang == "en" else 0.0)
        structure = "sections" if rng.random() < p_sect else "table"
        n_accounts = 1 if rng.random() < 0.8 else rng.choice([2, 2, 3])

    # numbers and dates
    num = _pick(rng, _NUM_PRIORS[country])
    if rng.random() < 0.05:
        num = rng.choice(
            ["us", "plain", "ch"] if NUM_DECIMAL_POINT[num] else ["eu", "fr-space", "plain-comma"]
        )
    pats = _date_patterns(lang, country)
    date_fmt, short_fmt, _w = pats[rng.choices(range(len(pats)), [p[2] for p in pats])[0]]
    if rng.random() < 0.05 and not us:
        date_fmt, short_fmt = "{yyyy}-{mm}-{dd}", "{mm}-{dd}"
    vdate_fmt = date_fmt if rng.random() < 0.65 else short_fmt
    year_in = "{yy" in date_fmt
    long_fmt = rng.choice(_LONG_FMTS["en-US" if us else lang])

    # sign conventions
    amount_mode = _pick(rng, [("dc", 45), ("signed", 45), ("marker", 10)])
    if lang == "fr" and kind == "bank":
        amount_mode = "dc" if rng.random() < 0.8 else amount_mode
    amount_sign = _pick(
        rng,
        [
            ("minus", 40),
            ("trailing_blank", 12),
            ("paren", 10),
            ("plus_minus", 10),
            ("drcr", 14),
            ("cr_only", 6),
            ("trailing", 8),
        ],
    )
    bal_sign = _pick(rng, [("minus", 55), ("drcr", 25), ("paren", 8), ("trailing_blank", 12)])
    dr, cr = rng.choice(_DRCR[lang])
    sym = _SYMBOL[currency]
    symbol = sym if rng.random() < 0.2 else ""
    symbol_pos = "pre" if (lang == "en" or rng.random() < 0.3) else "post"
    fmt = Fmt(
        lang,
        country,
        currency,
        num,
        date_fmt,
        vdate_fmt,
        long_fmt,
        year_in,
        amount_sign,
        bal_sign,
        dr,
        cr,
        symbol,
        symbol_pos,
    )

    # balance column
    if kind == "card" or structure == "sections":
        balance_mode = "none"
    else:
        balance_mode = _pick(rng, [("every", 62), ("day_end", 16), ("none", 22)])

    # typography
    font_name = _pick(
        rng,
        [
            ("helvetica", 30),
            ("times", 12),
            ("courier", 6),
            ("dejavu", 20),
            ("dejavu-serif", 10),
            ("dejavu-condensed", 14),
            ("dejavu-mono", 4),
        ],
    )
    font, bold, unicode_ok = fonts(font_name)
    if not unicode_ok:
        if fmt.num == "fr":
            fmt.num = "fr-space"
        if fmt.symbol == "₹":
            fmt.symbol = ""
    size = rng.choice([7.0, 7.5, 8.0, 8.0, 8.5, 8.5, 9.0, 9.5, 10.0])
    pagesize = LETTER if country in ("US", "CA") else A4
    if rng.random() < 0.05:
        pagesize = landscape(pagesize)
    header_fill_kind = _pick(rng, [("none", 30), ("light", 40), ("dark", 30)])
    if header_fill_kind == "light":
        fill: tuple[float, float, float] | None = rng.choice(
            [(0.9, 0.9, 0.9), (0.85, 0.88, 0.93), (0.93, 0.86, 0.8), (0.85, 0.92, 0.85), (0.95, 0.9, 0.75)]
        )
    elif header_fill_kind == "dark":
        fill = rng.choice(
            [(0.12, 0.33, 0.45), (0.1, 0.2, 0.5), (0.55, 0.1, 0.15), (0.15, 0.15, 0.15), (0.0, 0.4, 0.35)]
        )
    else:
        fill = None
    fr_narrow = lang == "fr" and amount_mode == "dc" and rng.random() < 0.75
    style = Style(
        font=font,
        bold=bold,
        unicode_ok=unicode_ok,
        size=size,
        lh=size * rng.choice([1.12, 1.2, 1.3]),
        pad=rng.choice([2.0, 3.0, 4.0]),
        pagesize=pagesize,
        margin=rng.choice([30.0, 36.0, 42.0, 50.0]),
        rules=_pick(rng, [("none", 35), ("hlines", 35), ("grid", 20), ("box", 10)]),
        zebra=rng.random() < 0.25,
        header_fill=fill,
        header_dark=header_fill_kind == "dark",
        header_valign=rng.choice(["top", "bottom"]),
        header_align=_pick(rng, [("col", 70), ("left", 15), ("center", 15)]),
        header_upper=rng.random() < 0.25,
        brand_pos=rng.choice(["left", "left", "center", "right"]),
        info_pos=_pick(rng, [("right", 50), ("below", 35), ("boxrow", 15)]),
        kv_colon=rng.random() < 0.7,
        gap=1.5 if fr_narrow else rng.choice([4.0, 6.0, 10.0]),
        section_band=rng.random() < 0.5,
    )

    # columns
    has_vdate = kind == "bank" and structure == "table" and rng.random() < (0.5 if lang != "en" else 0.25)
    has_ref = structure == "table" and rng.random() < 0.15
    head = _HEAD[lang]
    head_breaks = _pick(rng, [("single", 45), ("pooled", 35), ("stacked", 20)])
    cols: list[Col] = []

    def h(key: str) -> list[str]:
        pool = head[key]
        if lang == "en" and country != "US":  # cheques are a US habit
            pool = [x for x in pool if "Check" not in x] or pool
        text = rng.choice(pool).replace("{cur}", currency).replace("{sym}", _SYMBOL[currency] or currency)
        return text.split("\n")

    if kind == "card":
        two = rng.random() < 0.75
        date_cols: list[Col] = []
        if two:
            date_cols = [Col("date", h("card_date")), Col("vdate", h("card_vdate"))]
            if rng.random() < 0.15:
                date_cols.reverse()
        else:
            date_cols = [Col("date", h("card_single_date"))]
        cols = [*date_cols, Col("desc", h("card_desc"))]
        if rng.random() < 0.25 and "card_ref" in head:
            cols.append(Col("ref", h("card_ref")))
        cols.append(Col("amount", h("card_amount"), "r"))
        amount_mode = "signed"
    elif structure == "sections":
        cols = [Col("date", h("date")), Col("desc", h("desc")), Col("amount", h("amount"), "r")]
        amount_mode = "signed"
    else:
        cols = [Col("date", h("date"))]
        desc = Col("desc", h("desc"))
        vcol = Col("vdate", h("vdate")) if has_vdate else None
        vdate_after_desc = vcol is not None and rng.random() < 0.3
        if vcol is not None and not vdate_after_desc:
            cols.append(vcol)
        ref = Col("ref", h("ref")) if has_ref else None
        if ref is not None and rng.random() < 0.35:
            cols.append(ref)
            ref = None
        cols.append(desc)
        if vcol is not None and vdate_after_desc:
            cols.append(vcol)
        if ref is not None:
            cols.append(ref)
        if amount_mode == "dc":
            pair = [Col("debit", h("debit"), "r"), Col("credit", h("credit"), "r")]
            if rng.random() < 0.3:
                pair.reverse()
            cols.extend(pair)
        elif amount_mode == "marker":
            cols.extend([Col("amount", h("amount"), "r"), Col("marker", h("marker"), "c")])
        else:
            cols.append(Col("amount", h("amount"), "r"))
        if balance_mode != "none":
            cols.append(Col("balance", h("balance"), "r"))
        if rng.random() < 0.05:  # description first (some credit unions)
            cols.insert(0, cols.pop(cols.index(desc)))
    # header line breaks, case and alignment of money cells
    money_align = _pick(rng, [("r", 88), ("l", 5), ("c", 7)])
    for col in cols:
        if head_breaks == "single":
            col.head = [" ".join(col.head).replace("- ", "").replace("/ ", "/ ")]
        elif head_breaks == "stacked":
            words = " ".join(col.head).split()
            if len(words) >= 2:
                n = min(3, len(words))
                per = -(-len(words) // n)
                col.head = [" ".join(words[i : i + per]) for i in range(0, len(words), per)]
        if style.header_upper:
            col.head = [x.upper() for x in col.head]
        if col.kind in ("debit", "credit", "amount", "balance"):
            col.align = money_align
        elif col.kind in ("date", "vdate") and rng.random() < 0.15:
            col.align = "c"

    # rows and furniture
    newest_first = kind == "bank" and structure == "table" and rng.random() < 0.1
    open_row = structure == "table" and not newest_first and rng.random() < 0.55
    close_row = open_row and rng.random() < 0.7
    summary_pos = _pick(rng, [("top", 45), ("bottom", 25), ("none", 30)])
    if not open_row and summary_pos == "none":
        summary_pos = "top"
    if kind == "card":
        summary_pos = "top" if rng.random() < 0.8 else "bottom"
    carry = structure == "table" and balance_mode == "every" and rng.random() < 0.35
    page_totals = structure == "table" and amount_mode == "dc" and rng.random() < 0.25
    detail_p = 0.7 if lang in ("de", "nl") else (0.35 if lang in ("fr", "es", "it") else 0.2)
    detail_lines = rng.random() < detail_p
    valign = _pick(rng, [("top", 75), ("bottom", 15), ("split", 10)])
    n_tx = _pick(
        rng,
        [
            (rng.randint(4, 18), 35),
            (rng.randint(18, 45), 35),
            (rng.randint(45, 90), 20),
            (rng.randint(90, 170), 10),
        ],
    )
    garble = None
    if rng.random() < 0.13:
        garble = _pick(rng, [("shift", 40), ("permute", 30), ("pua", 30)])
    return Plan(
        kind=kind,
        lang=lang,
        country=country,
        structure=structure,
        n_accounts=n_accounts,
        cols=cols,
        amount_mode=amount_mode,
        balance_mode=balance_mode,
        head_breaks=head_breaks,
        fmt=fmt,
        style=style,
        newest_first=newest_first,
        open_row=open_row,
        close_row=close_row,
        open_row_date=rng.random() < 0.4,
        summary_pos=summary_pos,
        summary_counts=rng.random() < 0.35,
        carry=carry,
        page_totals=page_totals,
        repeat_section_title=rng.random() < 0.6,
        wrap_share=rng.choice([0.0, 0.15, 0.35, 0.6]),
        detail_lines=detail_lines,
        valign=valign,
        fx_share=rng.choice([0.0, 0.05, 0.12]) if lang != "fr" else rng.choice([0.05, 0.12, 0.2]),
        uppercase=rng.random() < 0.35,
        date_once=structure == "table" and kind == "bank" and rng.random() < 0.08,
        n_tx=n_tx,
        card_print=("holder" if rng.random() < 0.6 else "issuer")
        if lang == "de"
        else ("issuer" if rng.random() < 0.9 else "holder"),
        card_sign=_pick(rng, [("minus", 45), ("cr", 30), ("paren", 10), ("trailing_blank", 15)]),
        section_signed=rng.random() < 0.4,
        daily_balance_table=structure == "sections" and kind == "bank" and rng.random() < 0.5,
        garble=garble,
        garble_fonts="all" if rng.random() < 0.6 else "regular",
        fr_narrow=fr_narrow,
        title_kind=_pick(rng, [("current", 40), ("any", 60)]),
        iban_only=country in _IBAN_COUNTRIES and rng.random() < 0.3,
    )


# ------------------------------------------------------------------ people, banks, accounts


def _bank_name(rng: random.Random, lang: str, card: bool) -> tuple[str, str]:
    words, forms = _BANK_PARTS[lang]
    x = rng.choice(words)
    if card:
        name = rng.choice(_CARD_ISSUERS.get(lang, _CARD_ISSUERS["en"])).format(x=x)
    elif lang == "en":
        name = f"{x} {rng.choice(forms)}"
    else:
        name = rng.choice(forms).format(x=x)
    bank4 = re.sub(r"[^A-Z]", "", x.upper())[:4].ljust(4, "X")
    return name, bank4


def _account_ids(rng: random.Random, country: str, bank4: str) -> tuple[str, str | None]:
    """(account number as printed, IBAN or None)."""
    digits = "".join(rng.choice("0123456789") for _ in range(10))
    if country == "DE":
        return digits, make_iban(rng, "DE", {0: f"{rng.randint(10000000, 99999999)}", 1: digits})
    if country == "AT":
        acct = "0" + digits
        return acct, make_iban(rng, "AT", {1: acct})
    if country == "GB":
        sort = f"{rng.randint(10, 99)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
        acct = digits[:8]
        iban = make_iban(rng, "GB", {0: bank4, 1: sort.replace("-", ""), 2: acct})
        return (acct if rng.random() < 0.6 else f"{sort} {acct}"), iban
    if country == "IE":
        return digits[:8], make_iban(rng, "IE", {0: bank4, 2: digits[:8]})
    if country == "NL":
        return digits, make_iban(rng, "NL", {0: bank4, 1: digits})
    if country == "BE":
        acct = digits + "55"
        iban = make_iban(rng, "BE", {0: acct})
        return f"{acct[:3]}-{acct[3:10]}-{acct[10:]}", iban
    if country == "FR":
        acct = digits + "0"
        return acct, make_iban(rng, "FR", {2: acct})
    if country == "CH":
        acct = "00" + digits
        return f"{acct[:4]}-{acct[4:10]}-{acct[10:]}", make_iban(rng, "CH", {1: acct})
    if country == "ES":
        return digits, make_iban(rng, "ES", {3: digits})
    if country == "IT":
        acct = "00000" + digits[:7]
        return acct, make_iban(rng, "IT", {3: acct})
    if country == "US":
        form = rng.random()
        if form < 0.4:
            return f"{digits[:4]}-{digits[4:]}", None
        if form < 0.8:
            return "00" + digits, None
        return "XXXXXX" + digits[-4:], None
    if country == "NZ":
        return f"38-{rng.randint(1000, 9999)}-{digits[:7]}-{rng.randint(0, 99):02d}", None
    if country == "AU":
        return f"{rng.randint(100, 999)}-{rng.randint(100, 999)} {digits[:8]}", None
    if country == "IN":
        return "5010" + digits, None
    if country == "SG":
        return f"{digits[:3]}-{digits[3:9]}-{digits[9]}", None
    if country == "CA":
        return f"{rng.randint(10000, 99999)} {digits[:7]}", None
    return digits, None


def _person(rng: random.Random, lang: str, country: str) -> tuple[str, list[str]]:
    pool = "in" if country == "IN" else lang
    holder = rng.choice(_HOLDERS.get(pool, _HOLDERS["en"]))
    if rng.random() < 0.15:
        other = rng.choice(_HOLDERS.get(pool, _HOLDERS["en"]))
        if other != holder:
            holder = f"{holder} and {other}" if lang == "en" else f"{holder}, {other}"
    street = rng.choice(_STREETS.get(pool, _STREETS["en"]))
    city = rng.choice(_CITY_POOL.get(country, ["Springfield"]))
    return holder, [street, city]


# ------------------------------------------------------------------ descriptions


def _fx_line(rng: random.Random, f: Fmt, amount: Decimal) -> str:
    """A foreign-currency note inside a description; amount is the booked (absolute) amount."""
    cur = rng.choice([c for c in ("USD", "GBP", "CHF", "SEK", "EUR", "JPY", "CAD") if c != f.currency])
    rate = Decimal(rng.randint(8000, 14000)) / Decimal(10000)
    foreign = (abs(amount) * rate).quantize(Q2, ROUND_HALF_UP)
    fa = fmt_num(foreign, f.num)
    fr = fmt_num(rate, f.num, 4)
    if f.lang == "fr":
        return rng.choice([f"{cur} {fa} COURS {fr}", f"{fa} {cur} 1 EUR = {fr} {cur}"])
    if f.lang == "de":
        return rng.choice([f"Fremdwährung {cur} {fa} Kurs {fr}", f"{cur} {fa} Kurs {fr}"])
    if f.lang == "nl":
        return f"{cur} {fa} KOERS {fr}"
    if f.lang == "es":
        return f"IMPORTE ORIGEN {fa} {cur} CAMBIO {fr}"
    if f.lang == "it":
        return f"IMPORTO ORIGINALE {fa} {cur} CAMBIO {fr}"
    return rng.choice(
        [f"{cur} {fa} @ {fr}", f"{fa} {cur} X {fr} (EXCHG RATE)", f"ORIG CURR {cur} {fa} RATE {fr}"]
    )


def _creditor_id(rng: random.Random, country: str) -> str:
    cc = country if country in _IBAN_COUNTRIES else "DE"
    return f"{cc}{rng.randint(10, 99)}ZZZ{rng.randint(10**10, 10**11 - 1)}"


def _bank_lines(
    rng: random.Random, p: Plan, kind: str, amount: Decimal, detail: bool, when: date
) -> list[str]:
    """Logical description lines of a bank transaction (first = booking line)."""
    f = p.fmt
    lang = f.lang
    pool = _POOLS["in" if f.country == "IN" else lang]
    n8 = f"{rng.randint(10**7, 10**8 - 1)}"
    n4 = f"{rng.randint(1000, 9999)}"
    cp_country = f.country if f.country in _IBAN_COUNTRIES else "DE"
    cp_iban = iban_print(make_iban(rng, cp_country)) if rng.random() < 0.6 else make_iban(rng, cp_country)
    city = rng.choice(["LONDON", "BERLIN", "PARIS", "MADRID", "MILANO", "DENVER", "TORONTO", "UTRECHT"])
    lines: list[str]
    extra: list[str] = []
    if lang == "de":
        e2e = f"End-to-End-Ref.: {rng.choice(['NOTPROVIDED', 'RE' + n8, n8 + n4])}"
        if kind == "card":
            lines = [
                rng.choice(["Kartenzahlung girocard", "Kartenzahlung", "Debitkartenzahlung"]),
                f"{rng.choice(pool['card'])} {city.title()}",
            ]
            extra = [
                f"{when.isoformat()}T{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d} "
                f"Debitk.{rng.randint(0, 9)} {when.year + rng.randint(1, 3)}-{rng.randint(1, 12):02d}",
                f"Referenz: {n8}{n4}",
            ]
        elif kind == "dd":
            lines = [
                rng.choice(["Lastschrift", "SEPA-Lastschrift", "Basislastschrift"]),
                rng.choice(pool["dd"]),
            ]
            extra = [f"Mandat: M{n8}", f"Gläubiger-ID: {_creditor_id(rng, 'DE')}", e2e]
        elif kind == "salary":
            lines = ["Lohn/Gehalt", rng.choice(pool["salary_from"])]
            extra = [
                f"Gehalt {rng.randint(1, 12):02d}/{rng.randint(23, 25)} Personalnr. {n4}",
                f"IBAN: {cp_iban}",
            ]
        elif kind == "transfer_in":
            lines = ["Gutschrift", rng.choice(pool["people"])]
            extra = [f"IBAN: {cp_iban}", f"Referenz: {n8}"]
        elif kind == "transfer_out":
            lines = [
                rng.choice(["Überweisung", "Dauerauftrag", "Online-Überweisung"]),
                rng.choice(pool["people"]),
            ]
            extra = [f"IBAN: {cp_iban} BIC: {make_bic('COBA', 'DE', 'FF')}", e2e]
        elif kind == "atm":
            lines = ["Bargeldauszahlung", f"GA {city.title()} {n4}"]
            extra = [
                f"Karte {n4} {when.day:02d}.{when.month:02d}. "
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
            ]
        elif kind == "fee":
            lines = ["Entgelt", "Kontoführungsentgelt"]
        else:
            lines = ["Abschluss", "Habenzinsen"]
    elif lang == "nl":
        if kind == "card":
            lines = [f"BEA {rng.choice(pool['card'])}", f"Pasnr. {n4} {city.title()}"]
            extra = [f"Terminal {n8}"]
        elif kind == "dd":
            lines = ["SEPA Incasso algemeen doorlopend", f"Naam: {rng.choice(pool['dd'])}"]
            extra = [f"Machtiging: {n8}", f"Incassant: {_creditor_id(rng, 'NL')}", f"IBAN: {cp_iban}"]
        elif kind in ("salary", "transfer_in"):
            who = rng.choice(pool["salary_from"] if kind == "salary" else pool["people"])
            lines = ["SEPA Overboeking", f"Naam: {who}"]
            extra = [
                f"IBAN: {cp_iban}",
                f"Omschrijving: {'SALARIS' if kind == 'salary' else 'TERUGBETALING'} {n4}",
                f"Kenmerk: {n8}",
            ]
        elif kind == "transfer_out":
            lines = ["SEPA Overboeking", f"Naam: {rng.choice(pool['people'])}"]
            extra = [f"IBAN: {cp_iban}", f"Kenmerk: {n8}"]
        elif kind == "atm":
            lines = [f"GEA {city.title()} {n4}"]
            extra = [f"Pasnr. {n4}"]
        elif kind == "fee":
            lines = ["Kosten betaalpakket"]
        else:
            lines = ["Rente"]
    elif lang == "fr":
        if kind == "card":
            d = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(23, 25)}"
            bought = when - timedelta(days=rng.choice([0, 1, 2, 3]))
            lines = [f"CB {rng.choice(pool['card'])} {bought.day:02d}/{bought.month:02d}"]
            extra = [f"FACTURE CARTE DU {d} CARTE X{n4}"]
        elif kind == "dd":
            lines = [f"PRLV SEPA {rng.choice(pool['dd'])}"]
            extra = [
                f"ECH/{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(23, 25)} "
                f"ID EMETTEUR/{_creditor_id(rng, 'FR')}",
                f"MDT/{n8} REF/{n4}",
            ]
        elif kind == "salary":
            lines = [f"VIR SEPA {rng.choice(pool['salary_from'])}"]
            extra = [f"SALAIRE REF/{n8}"]
        elif kind == "transfer_in":
            lines = [f"VIR RECU DE {rng.choice(pool['people'])}"]
            extra = [f"REF/{n8}"]
        elif kind == "transfer_out":
            lines = [f"VIR EMIS VERS {rng.choice(pool['people'])}"]
            extra = [f"IBAN {cp_iban}"]
        elif kind == "atm":
            lines = [f"RETRAIT DAB {city} {when.day:02d}/{when.month:02d}"]
            extra = [f"CARTE X{n4}"]
        elif kind == "fee":
            lines = ["FRAIS TENUE DE COMPTE"]
        else:
            lines = ["INTERETS CREDITEURS"]
    elif lang in ("es", "it"):
        words = {
            "es": (
                "COMPRA TARJ.",
                "RECIBO",
                "NOMINA",
                "TRANSFERENCIA DE",
                "TRANSFERENCIA A",
                "REINTEGRO CAJERO",
                "COMISION MANTENIMIENTO",
                "INTERESES A SU FAVOR",
                "REF. MANDATO",
            ),
            "it": (
                "PAGAMENTO POS",
                "ADDEBITO SDD",
                "BONIFICO A VOSTRO FAVORE",
                "BONIFICO DA",
                "BONIFICO A",
                "PRELIEVO BANCOMAT",
                "COMMISSIONI TENUTA CONTO",
                "INTERESSI CREDITORI",
                "MANDATO",
            ),
        }[lang]
        table = {
            "card": (words[0], rng.choice(pool["card"])),
            "dd": (words[1], rng.choice(pool["dd"])),
            "salary": (words[2], rng.choice(pool["salary_from"])),
            "transfer_in": (words[3], rng.choice(pool["people"])),
            "transfer_out": (words[4], rng.choice(pool["people"])),
            "atm": (words[5], city),
            "fee": (words[6], ""),
            "interest": (words[7], ""),
        }
        a, b = table.get(kind, table["card"])
        lines = [f"{a} {b}".strip()]
        if kind == "dd":
            extra = [
                f"{words[8]} {n8}",
                f"ID ACREEDOR {_creditor_id(rng, f.country)}"
                if lang == "es"
                else f"CREDITORE {_creditor_id(rng, f.country)}",
            ]
        elif kind in ("transfer_in", "transfer_out", "salary"):
            extra = [f"IBAN {cp_iban}", f"{'REF.' if lang == 'es' else 'CRO'} {n8}{n4}"]
        elif kind in ("card", "atm"):
            extra = [f"{'TARJETA' if lang == 'es' else 'CARTA'} ****{n4} {city}"]
    elif f.country == "US":
        st_city, st = rng.choice(_US_STATES)
        bought = when - timedelta(days=rng.choice([0, 1, 2]))
        mmdd = f"{bought.month:02d}/{bought.day:02d}"
        if kind == "card":
            lines = [
                rng.choice(
                    [
                        f"Card Purchase {mmdd} {rng.choice(pool['card']).title()} "
                        f"{st_city.title()} {st} Card {n4}",
                        f"POS PURCHASE {rng.choice(pool['card'])} {st_city} {st}",
                        f"DEBIT CARD PURCHASE XXXXX{n4} {rng.choice(pool['card'])}",
                    ]
                )
            ]
        elif kind == "dd":
            payee = rng.choice(pool["dd"])
            lines = [
                rng.choice([f"ACH DEBIT {payee}", f"{payee} ONLINE PMT", f"Orig CO Name:{payee.title()}"])
            ]
            extra = [
                f"Orig ID:{n8} Desc Date:{mmdd.replace('/', '')}{rng.randint(23, 25)} CO Entry Descr:Payment",
                f"Sec:WEB Trace#:{n8}{n4} Eed:{rng.randint(230101, 251231)} Ind ID:{n4}",
            ]
        elif kind == "salary":
            lines = [
                f"PAYROLL DIRECT DEPOSIT {rng.choice(pool['salary_from'])}",
            ][:1]
            extra = [f"PPD ID: {n8}{n4[:2]}"]
        elif kind == "transfer_in":
            lines = [
                rng.choice(
                    [
                        f"Zelle Payment From {rng.choice(pool['people']).title()}",
                        "Mobile Deposit",
                        "Remote Online Deposit 1",
                    ]
                )
            ]
            extra = [f"Conf# {rng.choice('ABCDEFGH')}{n8}"]
        elif kind == "transfer_out":
            lines = [
                rng.choice(
                    [
                        f"Zelle Payment To {rng.choice(pool['people']).title()}",
                        f"Online Transfer To Sav ...{n4}",
                    ]
                )
            ]
            extra = [f"Transaction#: {n8}{n4}"]
        elif kind == "atm":
            lines = [f"ATM WITHDRAWAL {n4} {rng.randint(10, 9999)} MAIN ST {st_city} {st}"]
        elif kind == "check":
            lines = [rng.choice(["Check", "CHECK", "Check Paid"])]
        elif kind == "fee":
            lines = [rng.choice(["Monthly Service Fee", "Overdraft Fee", "Non-Network ATM Fee"])]
        else:
            lines = [rng.choice(["Interest Payment", "INTEREST EARNED"])]
    else:  # other English
        if kind == "card":
            lines = [
                rng.choice(
                    [
                        f"CARD PAYMENT TO {rng.choice(pool['card'])}",
                        f"POS {rng.choice(pool['card'])} {city}",
                        f"EFTPOS {rng.choice(pool['card'])}",
                    ]
                )
            ]
            extra = [f"ON {rng.randint(1, 28):02d} {rng.choice(['JAN', 'FEB', 'MAR', 'APR'])} CARD {n4}"]
        elif kind == "dd":
            lines = [f"DIRECT DEBIT {rng.choice(pool['dd'])}"]
            extra = [f"REF {n8} MANDATE {n4}"]
        elif kind == "salary":
            lines = [f"BANK GIRO CREDIT {rng.choice(pool['salary_from'])}"]
            extra = [f"SALARY REF {n8}"]
        elif kind == "transfer_in":
            lines = [f"FASTER PAYMENT FROM {rng.choice(pool['people'])}"]
            extra = [f"REF {n8}"]
        elif kind == "transfer_out":
            lines = [
                rng.choice(
                    [
                        f"STANDING ORDER TO {rng.choice(pool['people'])}",
                        f"TRANSFER TO {rng.choice(pool['people'])}",
                    ]
                )
            ]
            extra = [f"REF {n8}"]
        elif kind == "atm":
            lines = [f"CASH WITHDRAWAL {city} {n4}"]
        elif kind == "fee":
            lines = ["MONTHLY ACCOUNT FEE"]
        else:
            lines = ["INTEREST PAID"]
    if detail and extra:
        lines = lines + extra[: rng.randint(1, len(extra))]
    elif not detail and len(lines) > 1 and (lang not in ("de", "nl") or rng.random() < 0.5):
        lines = [" ".join(lines)]
    return lines


_US_SECTIONS = {
    # section key: (titles, total label prefix, sign)
    "deposits": (["Deposits and additions", "Deposits and other additions", "Deposits and credits"], 1),
    "atm": (["ATM & debit card withdrawals", "ATM and debit card subtractions", "Card withdrawals"], -1),
    "electronic": (["Electronic withdrawals", "Withdrawals and subtractions", "Other withdrawals"], -1),
    "checks": (["Checks paid", "Checks"], -1),
    "fees": (["Fees", "Service fees", "Fees and charges"], -1),
}
_US_KIND_SECTION = {
    "salary": "deposits",
    "transfer_in": "deposits",
    "interest": "deposits",
    "card": "atm",
    "atm": "atm",
    "dd": "electronic",
    "transfer_out": "electronic",
    "check": "checks",
    "fee": "fees",
}

_CARD_SECTIONS = {
    "en": {
        "payments": [
            "Payments and other credits",
            "Payments, credits and adjustments",
            "Payments and credits",
        ],
        "purchases": ["Purchases", "Purchase", "Standard purchases", "New charges"],
        "cash": ["Cash advances", "Cash advance"],
        "fees": ["Fees charged", "Fees"],
        "interest": ["Interest charged", "Interest charges"],
    },
    "de": {
        "payments": ["Zahlungen und Gutschriften", "Gutschriften"],
        "purchases": ["Umsätze", "Kartenumsätze", "Ihre Umsätze"],
        "cash": ["Bargeldauszahlungen"],
        "fees": ["Entgelte", "Gebühren"],
        "interest": ["Zinsen", "Sollzinsen"],
    },
}


def _card_lines(rng: random.Random, p: Plan, kind: str, amount: Decimal, fx: bool) -> list[str]:
    f = p.fmt
    if f.lang == "de":
        merchants = [
            "REWE Markt GmbH",
            "AMAZON EU S.A R.L.",
            "Lufthansa",
            "Deutsche Bahn",
            "SHELL",
            "IKEA",
            "Booking.com",
            "MediaMarkt",
        ]
        cities = ["Frankfurt", "Luxembourg", "Berlin", "Hamburg", "Amsterdam", "Wien"]
        if kind == "payment":
            return [rng.choice(["Zahlung - Vielen Dank", "Lastschrifteinzug", "Ausgleich Kartenkonto"])]
        if kind == "refund":
            return [f"Gutschrift {rng.choice(merchants)}"]
        if kind == "fee":
            return [rng.choice(["Auslandseinsatzentgelt 1,75%", "Jahresgebühr", "Entgelt Bargeldauszahlung"])]
        if kind == "interest":
            return ["Sollzinsen"]
        if kind == "cash":
            return [f"Bargeldauszahlung {rng.choice(cities)}"]
        lines = [f"{rng.choice(merchants)} {rng.choice(cities)}"]
    else:
        st_city, st = rng.choice(_US_STATES)
        merchants = [
            f"AMAZON MKTPL*{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}K4L{rng.randint(1, 9)} "
            "AMZN.COM/BILL WA",
            f"SHELL OIL {rng.randint(10000, 99999)} {st_city} {st}",
            "UBER *TRIP HELP.UBER.COM CA",
            f"STARBUCKS STORE {rng.randint(10000, 19999)} {st_city} {st}",
            f"TRADER JOE'S #{rng.randint(100, 999)} {st_city} {st}",
            f"DELTA AIR {rng.randint(10**11, 10**12 - 1)} ATLANTA GA",
            "NETFLIX.COM LOS GATOS CA",
            f"SQ *BLUE BOTTLE COFFEE {st_city} {st}",
            f"TST* JOE'S PIZZA {st_city} {st}",
            "PAYPAL *STEAM GAMES 4029357733 WA",
            f"WALGREENS #{rng.randint(1000, 9999)} {st_city} {st}",
            f"COSTCO WHSE #{rng.randint(100, 999):04d} {st_city} {st}",
            f"HOME DEPOT #{rng.randint(1000, 9999)} {st_city} {st}",
        ]
        if f.country != "US":
            merchants = [re.sub(r" [A-Z]{2}$", "", m) for m in merchants] + [
                "TESCO STORES 2231 LEEDS",
                "WOOLWORTHS 1234 SYDNEY",
            ]
        if kind == "payment":
            return [
                rng.choice(
                    [
                        "PAYMENT THANK YOU",
                        "AUTOPAY PAYMENT - THANK YOU",
                        "ONLINE PAYMENT, THANK YOU",
                        "Payment Thank You-Mobile",
                        "PAYMENT RECEIVED - THANK YOU",
                    ]
                )
            ]
        if kind == "refund":
            return [f"RETURN {rng.choice(merchants)}"]
        if kind == "fee":
            return [rng.choice(["LATE FEE", "ANNUAL MEMBERSHIP FEE", "FOREIGN TRANSACTION FEE"])]
        if kind == "interest":
            return [rng.choice(["PURCHASE INTEREST CHARGE", "INTEREST CHARGE ON PURCHASES"])]
        if kind == "cash":
            return [f"CASH ADVANCE ATM #{rng.randint(1000, 9999)} {st_city}"]
        lines = [rng.choice(merchants)]
    if fx:
        lines.append(_fx_line(rng, f, amount))
    if p.uppercase:
        lines = [x.upper() for x in lines]
    return lines


# ------------------------------------------------------------------ data generation


def _period(rng: random.Random, card: bool) -> tuple[date, date]:
    year = rng.choice([2023, 2024, 2025])
    if card or rng.random() < 0.15:
        start = date(year, rng.randint(1, 11), rng.choice([1, 5, 10, 16, 26]))
        end = start + timedelta(days=rng.choice([29, 30, 30, 31]))
        return start, end
    month = rng.randint(1, 12)
    start = date(year, month, 1)
    end = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
    return start, end


_BANK_KINDS = [("card", 38), ("dd", 14), ("transfer_out", 8), ("transfer_in", 8), ("atm", 6), ("fee", 2)]
_US_KINDS = [
    ("card", 36),
    ("dd", 14),
    ("transfer_out", 8),
    ("transfer_in", 9),
    ("atm", 6),
    ("check", 8),
    ("fee", 2),
]


def _bank_amount(rng: random.Random, kind: str, scale: int) -> Decimal:
    if kind == "salary":
        amt = cents(rng, 1800, 5200) * scale
    elif kind == "transfer_in":
        amt = cents(rng, 20, 900) * scale if rng.random() < 0.9 else cents(rng, 1000, 25000) * scale
    elif kind == "interest":
        amt = cents(rng, 0.1, 12)
    elif kind == "card":
        amt = -cents(rng, 1.5, 260) * scale
    elif kind == "dd":
        amt = -cents(rng, 9, 450) * scale
    elif kind == "atm":
        amt = -Decimal(rng.choice([20, 40, 50, 100, 200, 300])) * scale
    elif kind == "check":
        amt = -cents(rng, 25, 2400) * scale
    elif kind == "transfer_out":
        amt = -cents(rng, 15, 1200) * scale if rng.random() < 0.9 else -cents(rng, 1000, 12000) * scale
    else:
        amt = -cents(rng, 1, 15)
    return amt.quantize(Q2)


def _bank_account_txs(
    rng: random.Random, p: Plan, acct: Account, n: int, start: date, end: date, savings: bool
) -> None:
    f = p.fmt
    scale = _SCALE.get(f.currency, 1)
    days = (end - start).days
    dates = sorted(start + timedelta(days=rng.randint(0, days)) for _ in range(n))
    kinds: list[str] = []
    weights = _US_KINDS if f.country == "US" else _BANK_KINDS
    for i in range(n):
        if savings:
            kinds.append(rng.choice(["transfer_in", "transfer_in", "transfer_out", "interest"]))
        elif i in (n // 3, (2 * n) // 3 + 1) and n >= 6 and rng.random() < 0.8:
            kinds.append("salary")
        elif i == n - 1 and rng.random() < 0.3:
            kinds.append("interest")
        else:
            kinds.append(_pick(rng, weights))
    check_no = rng.randint(100, 9000)
    for d, kind in zip(dates, kinds, strict=True):
        amt = _bank_amount(rng, kind, scale)
        detail = p.detail_lines and rng.random() < 0.75
        lines = _bank_lines(rng, p, kind, amt, detail, d)
        fx = kind == "card" and rng.random() < p.fx_share
        if fx:
            lines = [*lines, _fx_line(rng, f, amt)]
        if rng.random() < p.wrap_share and len(lines) == 1 and kind in ("card", "dd", "transfer_out"):
            lines = [
                lines[0]
                + " "
                + rng.choice(
                    [
                        "REF " + str(rng.randint(10**7, 10**9)),
                        *_FILLER[f.lang],
                    ]
                )
            ]
        if p.uppercase:
            lines = [x.upper() for x in lines]
        vdate = d + timedelta(days=rng.choice([0, 0, 0, 1, 2]))
        ref: str | None = None
        if kind == "check":
            ref = str(check_no)
            check_no += rng.randint(1, 3)
        elif any(c.kind == "ref" for c in p.cols):
            ref = f"{rng.randint(10**9, 10**12 - 1)}" if rng.random() < 0.7 else None
        acct.txs.append(Tx(d, vdate, lines, amt, kind, ref=ref, fx=fx))


def _card_txs(
    rng: random.Random, p: Plan, acct: Account, n: int, start: date, end: date, limit: Decimal
) -> None:
    owed = -acct.opening
    kinds: list[str] = []
    if owed > 0 and rng.random() < 0.9:
        kinds.append("payment")
    for _ in range(max(1, n - len(kinds))):
        kinds.append(_pick(rng, [("purchase", 80), ("refund", 5), ("cash", 3), ("fee", 4), ("payment", 3)]))
    if rng.random() < 0.5 and owed > 0:
        kinds.append("interest")
    days = (end - start).days
    txs: list[Tx] = []
    budget = limit * Decimal("0.9") - owed
    paid = False
    for kind in kinds:
        post = start + timedelta(days=rng.randint(1, days))
        if kind == "interest":
            post = end
        if kind == "payment" and paid:  # a second payment is a round or arbitrary extra amount
            amt = Decimal(rng.choice([50, 100, 200, 250, 500])) if rng.random() < 0.5 else cents(rng, 25, 900)
        elif kind == "payment":
            amt = min(owed, max(Decimal(25), (owed * Decimal(rng.choice([0.1, 0.5, 1, 1]))).quantize(Q2)))
            amt = amt.quantize(Q2) if amt > 0 else cents(rng, 25, 300)
            paid = True
        elif kind == "refund":
            amt = cents(rng, 5, 120)
        elif kind == "interest":
            amt = -(owed * Decimal("0.018")).quantize(Q2) if owed > 10 else -Decimal("1.00")
        elif kind == "fee":
            amt = -Decimal(rng.choice(["29.00", "39.00", "95.00", "2.15", "4.87"]))
        elif kind == "cash":
            amt = -Decimal(rng.choice([60, 100, 200, 300]))
        else:
            amt = -cents(rng, 2.5, 420)
        if amt < 0 and -amt > budget:
            amt = -cents(rng, 1, 20)
        budget += amt
        trans = (
            post - timedelta(days=rng.choice([0, 1, 1, 2, 3])) if kind not in ("interest", "fee") else post
        )
        fx = kind == "purchase" and rng.random() < max(p.fx_share, 0.06)
        lines = _card_lines(rng, p, kind, amt, fx)
        ref = (
            f"{rng.randint(10**9, 10**10 - 1)}{rng.randint(10**5, 10**6 - 1)}"
            if any(c.kind == "ref" for c in p.cols)
            else None
        )
        section = {
            "payment": "payments",
            "refund": "payments",
            "purchase": "purchases",
            "cash": "cash",
            "fee": "fees",
            "interest": "interest",
        }[kind]
        txs.append(Tx(trans, post, lines, amt, kind, ref=ref, section=section, fx=fx))
    key = (lambda t: (t.vdate, t.date)) if rng.random() < 0.5 else (lambda t: (t.date, t.vdate))
    txs.sort(key=key)
    acct.txs = txs


# ------------------------------------------------------------------ page composition


@dataclass
class Item:
    kind: str  # block | thead | row | label | title
    height: float
    draw: Callable[[Canvas, float], None]
    table: Table | None = None
    tx: Tx | None = None
    keep: int = 0  # how many following items must share this item's page


@dataclass
class Table:
    cols: list[Col]
    title: str | None = None
    carry: tuple[str, str] | None = None
    page_totals: str | None = None
    account: int = 0
    bal: Decimal = ZERO
    page_deb: Decimal = ZERO
    page_cred: Decimal = ZERO
    broke: bool = False


class Doc:
    def __init__(self, p: Plan, rng: random.Random) -> None:
        self.p = p
        self.s = p.style
        self.f = p.fmt
        self.rng = rng
        self.width, self.height = self.s.pagesize
        self.items: list[Item] = []
        self.scratch = Canvas(io.BytesIO(), pagesize=self.s.pagesize)
        self.period = (date(2000, 1, 1), date(2000, 1, 31))

    # -- measuring: every draw function is deterministic, so a scratch draw gives its height
    def add(self, draw: Callable[[Canvas, float], float], kind: str = "block", **kw: Any) -> Item:
        y0 = self.height / 2
        h = y0 - draw(self.scratch, y0)
        item = Item(kind, h, _wrap(draw), **kw)
        self.items.append(item)
        return item

    # -- text helpers
    def text(
        self,
        c: Canvas,
        x: float,
        y: float,
        s: str,
        align: str = "l",
        bold: bool = False,
        size: float | None = None,
    ) -> None:
        c.setFont(self.s.bold if bold else self.s.font, size or self.s.size)
        if align == "r":
            c.drawRightString(x, y, s)
        elif align == "c":
            c.drawCentredString(x, y, s)
        else:
            c.drawString(x, y, s)

    def cell(self, c: Canvas, col: Col, y: float, s: str, bold: bool = False) -> None:
        pad = self.s.gap / 2 if col.kind in ("debit", "credit", "amount", "balance", "marker") else 2.0
        if col.align == "r":
            self.text(c, col.x1 - pad, y, s, "r", bold)
        elif col.align == "c":
            self.text(c, (col.x0 + col.x1) / 2, y, s, "c", bold)
        else:
            self.text(c, col.x0 + pad, y, s, "l", bold)


def _layout_columns(d: Doc, cols: list[Col], samples: dict[str, list[str]]) -> list[Col]:
    """Widths from content: fixed columns get what their longest cell and header need; the description
    takes the rest. Shrinks the font when the page is too narrow."""
    s = d.s
    while True:
        table_w = d.width - 2 * s.margin
        need: dict[int, float] = {}
        for i, col in enumerate(cols):
            if col.kind == "desc":
                continue
            head_w = max(text_width(x, s.bold, s.size) for x in col.head)
            cell_w = max((text_width(x, s.bold, s.size) for x in samples.get(col.kind, [])), default=0.0)
            pad = s.gap if col.kind in ("debit", "credit", "amount", "balance", "marker") else 6.0
            need[i] = max(head_w + 4, cell_w + pad)
        rest = table_w - sum(need.values())
        if rest >= 150 or s.size <= 6.5:
            break
        s.size -= 0.5
        s.lh = s.size * 1.15
    x = s.margin
    out: list[Col] = []
    extra = max(0.0, rest - 150) * 0.25 / max(1, len(need))  # a little air for fixed columns
    narrow = d.p.fr_narrow
    airy = [
        i
        for i, col in enumerate(cols)
        if col.kind != "desc" and not (narrow and col.kind in ("debit", "credit", "amount", "balance"))
    ]
    for i, col in enumerate(cols):
        w = rest - extra * len(airy) if col.kind == "desc" else need[i] + (extra if i in airy else 0.0)
        out.append(Col(col.kind, col.head, col.align, x, x + w))
        x += w
    return out


def _draw_thead(d: Doc, t: Table) -> Callable[[Canvas, float], float]:
    s = d.s

    def draw(c: Canvas, y: float) -> float:
        n = max(len(col.head) for col in t.cols)
        h = s.lh * n + 5
        if s.header_fill is not None:
            c.setFillColorRGB(*s.header_fill)
            c.rect(s.margin, y - h, d.width - 2 * s.margin, h, stroke=0, fill=1)
        else:
            c.setLineWidth(0.8)
            c.line(s.margin, y - h, d.width - 2 * s.margin + s.margin, y - h)
        if s.header_dark:
            c.setFillColorRGB(1, 1, 1)
        else:
            c.setFillColorRGB(0, 0, 0)
        for col in t.cols:
            off = n - len(col.head) if s.header_valign == "bottom" else 0
            for i, part in enumerate(col.head):
                yy = y - s.lh * (i + off + 1) - 1
                align = col.align if s.header_align == "col" else ("l" if s.header_align == "left" else "c")
                hc = Col(col.kind, col.head, align, col.x0, col.x1)
                d.cell(c, hc, yy, part, bold=True)
        c.setFillColorRGB(0, 0, 0)
        if s.rules == "grid":
            c.setLineWidth(0.4)
            for col in t.cols[1:]:
                c.line(col.x0, y, col.x0, y - h)
        return y - h - 2

    return draw


def _draw_cells(
    d: Doc,
    t: Table,
    cells: dict[str, list[str]],
    bold: bool = False,
    shade: bool = False,
    valign: str = "top",
) -> Callable[[Canvas, float], float]:
    s = d.s
    n = max((len(v) for v in cells.values()), default=1)
    h = s.lh * n + s.pad

    def draw(c: Canvas, y: float) -> float:
        if shade:
            c.setFillColorRGB(0.94, 0.94, 0.94)
            c.rect(s.margin, y - h, d.width - 2 * s.margin, h, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
        for col in t.cols:
            lines = cells.get(col.kind)
            if not lines:
                continue
            off = 0
            if (col.kind != "desc" and valign == "bottom") or (
                col.kind not in ("desc", "date", "vdate", "ref") and valign == "split"
            ):
                off = n - len(lines)
            for i, text in enumerate(lines):
                d.cell(c, col, y - s.lh * (i + off + 1) + 1, text, bold)
        if s.rules in ("hlines", "grid"):
            c.setStrokeColorRGB(0.7, 0.7, 0.7)
            c.setLineWidth(0.4)
            c.line(s.margin, y - h, d.width - s.margin, y - h)
            if s.rules == "grid":
                for col in t.cols[1:]:
                    c.line(col.x0, y, col.x0, y - h)
            c.setStrokeColorRGB(0, 0, 0)
        return y - h

    return draw


# ------------------------------------------------------------------ composition of a document


def _w(p: Plan, rng: random.Random, key: str) -> str:
    return rng.choice(_WORDS[p.lang][key])


@dataclass
class Labels:
    holder: str
    account: str
    iban: str
    bic: str
    currency: str
    period: str
    period_fmt: str
    opening: str
    closing: str
    cin: str
    cout: str
    summary: str
    continued: str
    carry: tuple[str, str]
    page_totals: str
    page: str
    count: str
    overview: str
    sdate: str


def _labels(p: Plan, rng: random.Random) -> Labels:
    carry = _w(p, rng, "carry").split("|")
    return Labels(
        holder=_w(p, rng, "holder"),
        account=_w(p, rng, "account"),
        iban=_w(p, rng, "iban"),
        bic=_w(p, rng, "bic"),
        currency=_w(p, rng, "currency"),
        period=_w(p, rng, "period"),
        period_fmt=_w(p, rng, "period_fmt"),
        opening=_w(p, rng, "opening"),
        closing=_w(p, rng, "closing"),
        cin=_w(p, rng, "in"),
        cout=_w(p, rng, "out"),
        summary=_w(p, rng, "summary"),
        continued=_w(p, rng, "continued"),
        carry=(carry[0], carry[1]),
        page_totals=_w(p, rng, "page_totals"),
        page=_w(p, rng, "page"),
        count=_w(p, rng, "count"),
        overview=_w(p, rng, "overview"),
        sdate=_w(p, rng, "sdate"),
    )


def _tx_cells(d: Doc, t: Table, tx: Tx, desc_w: float) -> tuple[dict[str, list[str]], str]:
    p, f, s = d.p, d.f, d.s
    cells: dict[str, list[str]] = {}
    shown: list[str] = []
    for line in tx.lines:
        wrapped, _txt = wrap_words(line, s.font, s.size, desc_w, max_lines=8)
        shown.extend(wrapped)
    printed = -tx.amount if (p.kind == "card" and p.card_print == "issuer") else tx.amount
    for col in t.cols:
        k = col.kind
        if k == "date":
            cells[k] = [dfmt(tx.date, f.date_fmt, f.lang)]
        elif k == "vdate" and tx.vdate is not None:
            cells[k] = [dfmt(tx.vdate, f.vdate_fmt, f.lang)]
        elif k == "desc":
            cells[k] = shown
        elif k == "ref" and tx.ref:
            cells[k] = [tx.ref]
        elif (k == "debit" and tx.amount < 0) or (k == "credit" and tx.amount >= 0):
            cells[k] = [money(tx.amount, f, "abs")]
        elif k == "marker":
            cells[k] = [f.dr if tx.amount < 0 else f.cr]
        elif k == "amount":
            if p.amount_mode == "marker":
                cells[k] = [money(tx.amount, f, "abs")]
            elif p.kind == "card":
                cells[k] = [_card_money(p, printed)]
            elif p.structure == "sections":
                cells[k] = [money(tx.amount, f, "minus" if p.section_signed else "abs")]
            else:
                cells[k] = [money(tx.amount, f, f.amount_sign)]
        elif k == "balance" and tx.show_balance and tx.balance is not None:
            cells[k] = [money(tx.balance, f, f.bal_sign)]
    return cells, " ".join(" ".join(shown).split())


def _card_money(p: Plan, printed: Decimal) -> str:
    f = p.fmt
    if p.card_print == "holder":
        return money(printed, f, "minus")
    if p.structure == "sections" and p.section_signed is False and printed < 0:
        return money(printed, f, "abs")
    sign = {"minus": "minus", "cr": "dr_only", "paren": "paren", "trailing_blank": "trailing_blank"}[
        p.card_sign
    ]
    return money(printed, f, sign, dr="CR")


def _label_cells(
    d: Doc,
    t: Table,
    label: str,
    when: date | None,
    bal: Decimal | None,
    deb: Decimal | None = None,
    cred: Decimal | None = None,
) -> dict[str, list[str]]:
    f, p = d.f, d.p
    kinds = [c.kind for c in t.cols]
    cells: dict[str, list[str]] = {"desc": [label]}
    if when is not None and "date" in kinds:
        cells["date"] = [dfmt(when, f.date_fmt, f.lang)]
    if bal is not None:
        if "balance" in kinds:
            cells["balance"] = [money(bal, f, f.bal_sign)]
        elif "amount" in kinds:
            if p.amount_mode == "marker":
                cells["amount"] = [money(bal, f, "abs")]
                cells["marker"] = [f.dr if bal < 0 else f.cr]
            else:
                cells["amount"] = [money(bal, f, f.bal_sign)]
        elif "credit" in kinds:  # French style: a credit balance stands in the credit column
            cells["credit" if bal >= 0 else "debit"] = [money(bal, f, "abs")]
    if deb is not None and "debit" in kinds:
        cells["debit"] = [money(deb, f, "abs")]
    if cred is not None and "credit" in kinds:
        cells["credit"] = [money(cred, f, "abs")]
    return cells


def _fmt_label(text: str, p: Plan, start: date, end: date, value: Decimal = ZERO) -> str:
    f = p.fmt
    if value < 0:
        text = text.replace("CREDITEUR", "DEBITEUR")
    return text.format(
        start=dfmt(start, f.long_fmt, f.lang), end=dfmt(end, f.long_fmt, f.lang), no="", year="", n="", p=""
    ).strip()


def _compose(
    d: Doc, accounts: list[Account], info: dict[str, Any], start: date, end: date, lab: Labels
) -> list[Tx]:
    """Append every item of the document to d.items; returns the transactions in document order."""
    p, rng = d.p, d.rng
    order: list[Tx] = []
    for acct in accounts:  # fit the font to the widest table before anything is measured
        _layout_columns(d, p.cols, _table_samples(d, acct.txs, acct))
    d.add(_header_block(d, accounts, info, start, end, lab))
    if p.n_accounts > 1 and rng.random() < 0.6:
        d.add(_overview_block(d, accounts, lab))
    if p.kind == "card":
        d_sum = _card_summary_block(d, accounts[0], info, start, end)
        if p.summary_pos == "top":
            d.add(d_sum)
    elif p.summary_pos == "top" and p.n_accounts == 1:
        d.add(_summary_block(d, accounts[0], lab, p.structure == "sections"))

    for ai, acct in enumerate(accounts):
        if p.n_accounts > 1:
            d.add(_account_banner(d, acct, lab), keep=2)
            if p.summary_pos in ("top", "bottom") and rng.random() < 0.7:
                d.add(_summary_block(d, acct, lab, p.structure == "sections"))
        if p.structure == "sections":
            order.extend(_compose_sections(d, acct, ai, lab))
        else:
            order.extend(_compose_table(d, acct, ai, lab, start, end))
    if p.kind == "card":
        if p.summary_pos == "bottom":
            d.add(d_sum)
        if rng.random() < 0.6:
            d.add(_apr_block(d, accounts[0]))
    elif p.summary_pos == "bottom" and p.n_accounts == 1:
        d.add(_summary_block(d, accounts[0], lab, p.structure == "sections"))
    if p.daily_balance_table:
        d.add(_daily_balance_block(d, accounts[0], start))
    return order


def _table_samples(d: Doc, txs: list[Tx], acct: Account) -> dict[str, list[str]]:
    f, p = d.f, d.p
    out: dict[str, list[str]] = {
        "date": [],
        "vdate": [],
        "ref": [],
        "debit": [],
        "credit": [],
        "amount": [],
        "marker": [f.dr, f.cr],
        "balance": [],
    }
    for t in txs:
        out["date"].append(dfmt(t.date, f.date_fmt, f.lang))
        if t.vdate:
            out["vdate"].append(dfmt(t.vdate, f.vdate_fmt, f.lang))
        if t.ref:
            out["ref"].append(t.ref)
    vals = [t.amount for t in txs] + [acct.opening, acct.closing, acct.credits, acct.debits]
    big = max(vals, key=lambda v: abs(v))
    for v in (big, -big):
        out["debit"].append(money(v, f, "abs"))
        out["credit"].append(money(v, f, "abs"))
        out["amount"].append(money(v, f, f.amount_sign))
        out["amount"].append(money(v, f, f.bal_sign))
        out["amount"].append(money(v, f, "minus"))
        if p.kind == "card":
            out["amount"].append(_card_money(p, v))
        out["balance"].append(money(v, f, f.bal_sign))
    bals = [t.balance for t in txs if t.balance is not None] + [acct.opening]
    for b in bals:
        out["balance"].append(money(b, f, f.bal_sign))
    return out


def _add_rows(d: Doc, t: Table, txs: list[Tx], first_shade: int = 0) -> None:
    p, s = d.p, d.s
    desc_col = next(c for c in t.cols if c.kind == "desc")
    desc_w = desc_col.x1 - desc_col.x0 - 4
    last_date: str | None = None
    for k, tx in enumerate(txs):
        cells, shown = _tx_cells(d, t, tx, desc_w)
        tx.shown = shown
        tx.n_lines = len(cells.get("desc", []))
        if p.date_once:
            ds = cells.get("date", [""])[0]
            if ds == last_date:
                cells.pop("date", None)
            last_date = ds
        d.add(
            _draw_cells(d, t, cells, shade=s.zebra and (k + first_shade) % 2 == 1, valign=p.valign),
            kind="row",
            table=t,
            tx=tx,
        )


def _compose_table(d: Doc, acct: Account, ai: int, lab: Labels, start: date, end: date) -> list[Tx]:
    p, rng = d.p, d.rng
    txs = list(acct.txs)
    if p.newest_first:
        txs.reverse()
    cols = _layout_columns(d, p.cols, _table_samples(d, txs, acct))
    t = Table(cols, account=ai, bal=acct.opening)
    if p.carry:
        t.carry = lab.carry
    if p.page_totals:
        t.page_totals = lab.page_totals
    if p.kind == "card" and rng.random() < 0.5:
        title = "Transactions" if p.lang == "en" else "Umsätze"
        d.add(_title_block(d, title), kind="title", keep=2)
    d.add(_draw_thead(d, t), kind="thead", table=t, keep=1)
    if p.open_row:
        label = _fmt_label(lab.opening, p, start, end, acct.opening)
        cells = _label_cells(d, t, label, start if p.open_row_date else None, acct.opening)
        d.add(_draw_cells(d, t, cells, bold=True), kind="label", table=t)
    _add_rows(d, t, txs)
    if p.lang == "fr" and p.amount_mode == "dc" and rng.random() < 0.6:
        cells = _label_cells(d, t, "TOTAL DES OPERATIONS", None, None, acct.debits, acct.credits)
        d.add(_draw_cells(d, t, cells, bold=True), kind="label", table=t)
    if p.close_row:
        label = _fmt_label(lab.closing, p, start, end, acct.closing)
        cells = _label_cells(d, t, label, end if p.open_row_date else None, acct.closing)
        d.add(_draw_cells(d, t, cells, bold=True), kind="label", table=t)
    return txs


def _compose_sections(d: Doc, acct: Account, ai: int, lab: Labels) -> list[Tx]:
    p, f, rng = d.p, d.f, d.rng
    if p.kind == "card":
        keys = ["payments", "purchases", "cash", "fees", "interest"]
        titles = {k: rng.choice(_CARD_SECTIONS[p.lang][k]) for k in keys}
        by = {k: [t for t in acct.txs if t.section == k] for k in keys}
    else:
        keys = (
            ["deposits", "checks", "atm", "electronic", "fees"]
            if rng.random() < 0.5
            else ["deposits", "atm", "electronic", "checks", "fees"]
        )
        titles = {k: rng.choice(_US_SECTIONS[k][0]) for k in keys}
        for t in acct.txs:
            t.section = _US_KIND_SECTION[t.kind]
        by = {k: sorted((t for t in acct.txs if t.section == k), key=lambda t: t.date) for k in keys}
    upper = rng.random() < 0.5
    order: list[Tx] = []
    all_txs = [t for k in keys for t in by[k]]
    base_cols = _layout_columns(d, p.cols, _table_samples(d, all_txs or acct.txs, acct))
    check_cols: list[Col] | None = None
    for k in keys:
        txs = by[k]
        if not txs:
            continue
        title = titles[k].upper() if upper else titles[k]
        cols = base_cols
        if k == "checks":
            if check_cols is None:
                heads = [
                    ["Check No."] if rng.random() < 0.5 else ["Check", "Number"],
                    ["Description"],
                    ["Date Paid"] if rng.random() < 0.5 else ["Date", "Paid"],
                    ["Amount"],
                ]
                if d.s.header_upper:
                    heads = [[x.upper() for x in h] for h in heads]
                proto = [
                    Col("ref", heads[0]),
                    Col("desc", heads[1]),
                    Col("date", heads[2]),
                    Col("amount", heads[3], "r"),
                ]
                check_cols = _layout_columns(d, proto, _table_samples(d, txs, acct))
            cols = check_cols
        t = Table(cols, title=title, account=ai)
        d.add(_title_block(d, title), kind="title", keep=2)
        d.add(_draw_thead(d, t), kind="thead", table=t, keep=1)
        _add_rows(d, t, txs)
        order.extend(txs)
        total = sum((abs(x.amount) for x in txs), ZERO)
        if p.kind == "card":
            total_label = (
                ("TOTAL " + titles[k].upper() + " FOR THIS PERIOD")
                if p.lang == "en"
                else f"Summe {titles[k]}"
            )
            signv = (
                -sum((x.amount for x in txs), ZERO)
                if p.card_print == "issuer"
                else sum((x.amount for x in txs), ZERO)
            )
            amount_text = _card_money(p, signv)
        else:
            total_label = f"Total {titles[k][0].lower() + titles[k][1:]}" if not upper else f"TOTAL {title}"
            if rng.random() < 0.5:
                total_label = total_label[0].upper() + total_label[1:]
            sv = total if _US_SECTIONS[k][1] > 0 or not p.section_signed else -total
            amount_text = ("-" if sv < 0 else "") + _SYMBOL[f.currency] + fmt_num(sv, f.num)
        cells = {"desc": [total_label], "amount": [amount_text]}
        d.add(_draw_cells(d, t, cells, bold=True), kind="label", table=t)
    return order


# ------------------------------------------------------------------ blocks


def _title_block(d: Doc, title: str) -> Callable[[Canvas, float], float]:
    s = d.s

    def draw(c: Canvas, y: float) -> float:
        y -= 6
        h = s.lh + 6
        if s.section_band:
            c.setFillColorRGB(*(s.header_fill if s.header_fill and s.header_dark else (0.85, 0.85, 0.85)))
            c.rect(s.margin, y - h, d.width - 2 * s.margin, h, stroke=0, fill=1)
            c.setFillColorRGB(1, 1, 1) if (s.header_fill and s.header_dark) else c.setFillColorRGB(0, 0, 0)
        d.text(c, s.margin + 3, y - s.lh - 1, title, bold=True, size=s.size + 1)
        c.setFillColorRGB(0, 0, 0)
        return y - h - 3

    return draw


def _kv_lines(d: Doc, pairs: list[tuple[str, str]]) -> Callable[[Canvas, float, float], float]:
    s = d.s
    colon = ":" if s.kv_colon else ""
    gap = max(text_width(a + colon, s.font, s.size) for a, _ in pairs) + 8

    def draw(c: Canvas, x: float, y: float) -> float:
        for a, b in pairs:
            d.text(c, x, y, a + colon)
            d.text(c, x + gap, y, b)
            y -= s.lh + 1.5
        return y

    return draw


def _header_block(
    d: Doc, accounts: list[Account], info: dict[str, Any], start: date, end: date, lab: Labels
) -> Callable[[Canvas, float], float]:
    p, f, s, rng = d.p, d.f, d.s, d.rng
    a0 = accounts[0]
    pairs: list[tuple[str, str]] = []
    show_holder_kv = rng.random() < 0.3
    if show_holder_kv:
        pairs.append((lab.holder, info["holder"]))
    if p.n_accounts == 1 or rng.random() < 0.5:
        if p.kind == "card":
            pairs.append(
                (
                    lab.account
                    if p.lang != "en"
                    else rng.choice(["Account Number", "Card number", "Account number"]),
                    a0.number,
                )
            )
        else:
            if not info["iban_only"]:
                pairs.append((lab.account, a0.number))
            if a0.iban and info["show_iban"]:
                pairs.append((lab.iban, iban_print(a0.iban) if rng.random() < 0.8 else a0.iban))
    if info["show_bic"]:
        pairs.append((lab.bic, info["bic"]))
    if rng.random() < 0.6:
        pairs.append((lab.currency, f.currency))
    period = lab.period_fmt.format(start=dfmt(start, f.long_fmt, f.lang), end=dfmt(end, f.long_fmt, f.lang))
    if p.kind == "card" and f.country == "US" and rng.random() < 0.5:
        pairs.append(
            (
                "Opening/Closing Date",
                f"{dfmt(start, '{mm}/{dd}/{yy}', 'en')} - {dfmt(end, '{mm}/{dd}/{yy}', 'en')}",
            )
        )
    else:
        pairs.append((lab.period, period))
    if rng.random() < 0.3:
        pairs.append((lab.sdate, dfmt(end + timedelta(days=rng.randint(1, 3)), f.long_fmt, f.lang)))
    kv = _kv_lines(d, pairs)
    title = info["title"]
    logo = rng.choice(["bar", "circle", "none"])
    name_size = rng.choice([13.0, 14.0, 16.0, 18.0])
    colour = rng.choice([(0.1, 0.25, 0.5), (0.55, 0.1, 0.15), (0.1, 0.4, 0.3), (0.2, 0.2, 0.2)])
    addr_bold = rng.random() < 0.5
    title_pos = rng.choice(["left", "center"])
    no_str = str(rng.randint(1, 12))

    def draw(c: Canvas, y: float) -> float:
        top = y - 4
        nw = text_width(info["bank"], s.bold, name_size) + (22 if logo != "none" else 0)
        x0 = {"left": s.margin, "center": (d.width - nw) / 2, "right": d.width - s.margin - nw}[s.brand_pos]
        c.setFillColorRGB(*colour)
        if logo == "bar":
            c.rect(x0, top - name_size, 14, name_size + 4, stroke=0, fill=1)
        elif logo == "circle":
            c.circle(x0 + 8, top - name_size / 2, 8, stroke=0, fill=1)
        d.text(
            c, x0 + (22 if logo != "none" else 0), top - name_size, info["bank"], bold=True, size=name_size
        )
        c.setFillColorRGB(0.35, 0.35, 0.35)
        yy = top - name_size - s.lh - 2
        ax = {"left": s.margin, "center": d.width / 2, "right": d.width - s.margin}[s.brand_pos]
        d.text(
            c,
            ax,
            yy,
            info["bank_address"],
            {"left": "l", "center": "c", "right": "r"}[s.brand_pos],
            size=s.size - 0.5,
        )
        c.setFillColorRGB(0, 0, 0)
        yy -= 22
        ay = yy
        d.text(c, s.margin + 8, ay, info["holder"], bold=addr_bold, size=s.size + 1)
        for line in info["holder_address"]:
            ay -= s.lh + 2
            d.text(c, s.margin + 8, ay, line, size=s.size + 0.5)
        if s.info_pos == "right":
            kx = d.width / 2 + 20
            ky = kv(c, kx, yy)
            yy = min(ky, ay) - 16
        elif s.info_pos == "boxrow":
            yy = ay - 20
            x = s.margin
            hbox = 2 * s.lh + 8
            for a, b in pairs:
                w = max(text_width(a, s.bold, s.size - 1), text_width(b, s.font, s.size)) + 12
                if x + w > d.width - s.margin:
                    x = s.margin
                    yy -= hbox + 4
                c.setStrokeColorRGB(0.5, 0.5, 0.5)
                c.rect(x, yy - hbox, w, hbox, stroke=1, fill=0)
                d.text(c, x + 6, yy - s.lh - 1, a, bold=True, size=s.size - 1)
                d.text(c, x + 6, yy - 2 * s.lh - 3, b)
                x += w + 4
            c.setStrokeColorRGB(0, 0, 0)
            yy -= hbox + 18
        else:
            yy = kv(c, s.margin, ay - 20) - 8
        t = title.format(no=no_str, year=start.year)
        if title_pos == "center":
            d.text(c, d.width / 2, yy, t, "c", bold=True, size=s.size + 4)
        else:
            d.text(c, s.margin, yy, t, bold=True, size=s.size + 4)
        return yy - 14

    return draw


def _summary_block(d: Doc, acct: Account, lab: Labels, sections: bool) -> Callable[[Canvas, float], float]:
    p, f, s, rng = d.p, d.f, d.s, d.rng
    d_start, d_end = d.period
    n_in = sum(1 for t in acct.txs if t.amount >= 0)
    n_out = len(acct.txs) - n_in
    out_sign = "minus" if rng.random() < 0.3 else "abs"
    opening = _fmt_label(lab.opening, p, d_start, d_end, acct.opening)
    closing = _fmt_label(lab.closing, p, d_start, d_end, acct.closing)
    rows: list[tuple[str, str, str]] = [
        (opening, "", money(acct.opening, f, f.bal_sign)),
        (lab.cin, str(n_in) if p.summary_counts else "", money(acct.credits, f, "abs")),
        (lab.cout, str(n_out) if p.summary_counts else "", money(-acct.debits, f, out_sign)),
        (
            closing,
            str(len(acct.txs)) if p.summary_counts and sections else "",
            money(acct.closing, f, f.bal_sign),
        ),
    ]
    if sections and p.lang == "en":
        # Chase-like: one line per section with instances
        rows = [rows[0]]
        for k, (titles, sign) in _US_SECTIONS.items():
            txs = [t for t in acct.txs if _US_KIND_SECTION.get(t.kind) == k]
            if not txs:
                continue
            tot = sum((abs(t.amount) for t in txs), ZERO)
            rows.append((titles[0], str(len(txs)), money(tot if sign > 0 else -tot, f, "minus")))
        rows.append(
            (closing, str(len(acct.txs)) if p.summary_counts else "", money(acct.closing, f, f.bal_sign))
        )
    style = rng.choice(["box", "box", "strip"]) if not sections else "box"
    w = min(300.0, d.width - 2 * s.margin)
    bx = s.margin if rng.random() < 0.5 else d.width - s.margin - w
    has_counts = any(r[1] for r in rows)
    title = lab.summary
    rng_upper = rng.random() < 0.5

    def draw(c: Canvas, y: float) -> float:
        y -= 6
        if style == "strip":  # labels over values in a row of boxes
            n = len(rows)
            bw = (d.width - 2 * s.margin) / n
            h = 2 * s.lh + 10
            for i, (a, _cnt, v) in enumerate(rows):
                x = s.margin + i * bw
                c.setStrokeColorRGB(0.5, 0.5, 0.5)
                c.rect(x, y - h, bw - 4, h, stroke=1, fill=0)
                d.text(c, x + 5, y - s.lh - 1, a, bold=True, size=s.size - 0.5)
                d.text(c, x + bw - 10, y - 2 * s.lh - 4, v, "r")
            c.setStrokeColorRGB(0, 0, 0)
            return y - h - 8
        h = (s.lh + 3) * (len(rows) + 1) + 6
        c.setStrokeColorRGB(0.4, 0.4, 0.4)
        c.rect(bx, y - h, w, h, stroke=1, fill=0)
        c.setStrokeColorRGB(0, 0, 0)
        yy = y - s.lh - 2
        d.text(c, bx + 6, yy, title, bold=True, size=s.size + 0.5)
        if has_counts and p.lang == "en":
            d.text(
                c, bx + w * 0.62, yy, "INSTANCES" if rng_upper else "Count", "r", bold=True, size=s.size - 1
            )
        for a, cnt, v in rows:
            yy -= s.lh + 3
            d.text(c, bx + 6, yy, a)
            if cnt:
                d.text(c, bx + w * 0.62, yy, cnt, "r")
            d.text(c, bx + w - 6, yy, v, "r")
        return y - h - 8

    return draw


def _overview_block(d: Doc, accounts: list[Account], lab: Labels) -> Callable[[Canvas, float], float]:
    f, s = d.f, d.s

    def draw(c: Canvas, y: float) -> float:
        y -= 4
        d.text(c, s.margin, y - s.lh, lab.overview, bold=True, size=s.size + 1)
        y -= s.lh + 6
        for a in accounts:
            y -= s.lh + 2
            d.text(c, s.margin + 6, y, f"{a.name} {a.number}")
            d.text(c, d.width - s.margin - 6, y, money(a.closing, f, f.bal_sign), "r")
        return y - 10

    return draw


def _account_banner(d: Doc, acct: Account, lab: Labels) -> Callable[[Canvas, float], float]:
    s, rng = d.s, d.rng
    show_iban = acct.iban is not None and rng.random() < 0.6
    text = (
        f"{acct.name} {acct.number}" if rng.random() < 0.5 else f"{acct.name} - {lab.account} {acct.number}"
    )

    def draw(c: Canvas, y: float) -> float:
        y -= 10
        h = s.lh * (2 if show_iban else 1) + 8
        c.setFillColorRGB(0.88, 0.9, 0.94)
        c.rect(s.margin, y - h, d.width - 2 * s.margin, h, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        d.text(c, s.margin + 4, y - s.lh - 1, text, bold=True, size=s.size + 1)
        if show_iban and acct.iban:
            d.text(c, s.margin + 4, y - 2 * s.lh - 3, f"{lab.iban}: {iban_print(acct.iban)}")
        return y - h - 4

    return draw


def _card_summary_block(
    d: Doc, acct: Account, info: dict[str, Any], start: date, end: date
) -> Callable[[Canvas, float], float]:
    p, f, s, rng = d.p, d.f, d.s, d.rng
    en = p.lang == "en"
    pay = sum((t.amount for t in acct.txs if t.kind == "payment"), ZERO)
    credit = sum((t.amount for t in acct.txs if t.kind == "refund"), ZERO)
    purch = -sum((t.amount for t in acct.txs if t.kind == "purchase"), ZERO)
    cash = -sum((t.amount for t in acct.txs if t.kind == "cash"), ZERO)
    fees = -sum((t.amount for t in acct.txs if t.kind == "fee"), ZERO)
    interest = -sum((t.amount for t in acct.txs if t.kind == "interest"), ZERO)
    prev, new = -acct.opening, -acct.closing
    holder_view = p.card_print == "holder"

    def bal(v: Decimal) -> str:  # balances owed
        return (
            money(-v if holder_view else v, f, "minus")
            if v >= 0 or holder_view
            else money(v, f, "dr_only", dr="CR")
        )

    flip = -1 if holder_view else 1
    if en:
        rows = [
            ("Previous Balance", bal(prev)),
            ("Payments", money(-pay * flip, f, "minus")),
            ("Other Credits", money(-credit * flip, f, "minus")),
            ("Purchases", money(purch * flip, f, "plus_minus")),
            ("Cash Advances", money(cash, f, "abs")),
            ("Fees Charged", money(fees, f, "abs")),
            ("Interest Charged", money(interest, f, "abs")),
            ("New Balance", bal(new)),
        ]
        pay_rows = [
            ("New Balance", bal(new)),
            ("Minimum Payment Due", money(info["min_pay"], f, "abs")),
            (
                "Payment Due Date",
                dfmt(info["due"], "{mm}/{dd}/{yy}" if f.country == "US" else f.long_fmt, "en"),
            ),
            (rng.choice(["Credit Limit", "Credit Access Line"]), info["limit_print"]),
            ("Available Credit", money(info["limit"] - max(new, ZERO), f, "abs")),
        ]
        t1, t2 = "ACCOUNT SUMMARY", "PAYMENT INFORMATION"
    else:
        rows = [
            ("Saldo Vormonat", bal(prev)),
            ("Zahlungen / Gutschriften", money(pay + credit, f, "abs")),
            ("Umsätze", money(purch + cash, f, "abs")),
            ("Entgelte und Zinsen", money(fees + interest, f, "abs")),
            ("Neuer Saldo", bal(new)),
        ]
        pay_rows = [
            ("Kreditrahmen", info["limit_print"]),
            ("Mindestbetrag", money(info["min_pay"], f, "abs")),
            ("Fälligkeit", dfmt(info["due"], f.long_fmt, "de")),
        ]
        t1, t2 = "Ihre Abrechnung", "Zahlungsinformation"

    def draw(c: Canvas, y: float) -> float:
        y -= 6
        w = (d.width - 2 * s.margin - 12) / 2
        h = (s.lh + 3) * (max(len(rows), len(pay_rows)) + 1) + 8
        for bx, title, rr in ((s.margin, t1, rows), (s.margin + w + 12, t2, pay_rows)):
            c.setStrokeColorRGB(0.4, 0.4, 0.4)
            c.rect(bx, y - h, w, h, stroke=1, fill=0)
            yy = y - s.lh - 2
            d.text(c, bx + 6, yy, title, bold=True, size=s.size + 0.5)
            for a, v in rr:
                yy -= s.lh + 3
                d.text(c, bx + 6, yy, a)
                d.text(c, bx + w - 6, yy, v, "r")
        c.setStrokeColorRGB(0, 0, 0)
        return y - h - 10

    return draw


def _apr_block(d: Doc, acct: Account) -> Callable[[Canvas, float], float]:
    """Interest charge calculation: percentages and balances that are not transactions."""
    f, s, rng = d.f, d.s, d.rng
    apr = Decimal(rng.randint(1599, 2999)) / 100
    bal = -acct.closing if acct.closing < 0 else Decimal("0.00")
    interest = -sum((t.amount for t in acct.txs if t.kind == "interest"), ZERO)
    en = d.p.lang == "en"
    rows = [
        (
            "Purchases" if en else "Umsätze",
            f"{fmt_num(apr, f.num)}%",
            money(bal, f, "abs"),
            money(interest, f, "abs"),
        ),
        (
            "Cash Advances" if en else "Bargeld",
            f"{fmt_num(apr + 5, f.num)}%",
            money(ZERO, f, "abs"),
            money(ZERO, f, "abs"),
        ),
    ]
    head = (
        (
            "Balance Type",
            "Annual Percentage Rate (APR)",
            "Balance Subject to Interest Rate",
            "Interest Charges",
        )
        if en
        else ("Art", "Sollzinssatz p.a.", "Saldo", "Zinsen")
    )

    def draw(c: Canvas, y: float) -> float:
        y -= 10
        d.text(c, s.margin, y - s.lh, "INTEREST CHARGE CALCULATION" if en else "Zinsberechnung", bold=True)
        y -= s.lh + 6
        xs = [s.margin, s.margin + 150, s.margin + 320, d.width - s.margin]
        for i, hh in enumerate(head):
            d.text(c, xs[i], y - s.lh, hh, "l" if i == 0 else "r", bold=True, size=s.size - 0.5)
        y -= s.lh + 3
        for r in rows:
            y -= s.lh + 2
            for i, v in enumerate(r):
                d.text(c, xs[i], y, v, "l" if i == 0 else "r")
        return y - 8

    return draw


def _daily_balance_block(d: Doc, acct: Account, start: date) -> Callable[[Canvas, float], float]:
    """US 'Daily ending balance' table: dates and balances that are not transactions."""
    f, s = d.f, d.s
    bal = acct.opening
    per_day: dict[date, Decimal] = {}
    for t in sorted(acct.txs, key=lambda t: t.date):
        bal += t.amount
        per_day[t.date] = bal
    items = [(dfmt(k, "{mm}/{dd}", "en"), money(v, f, "minus")) for k, v in sorted(per_day.items())]
    ncol = 3
    rows = -(-len(items) // ncol)

    def draw(c: Canvas, y: float) -> float:
        y -= 8
        d.text(c, s.margin, y - s.lh, "DAILY ENDING BALANCE", bold=True, size=s.size + 1)
        y -= s.lh + 6
        cw = (d.width - 2 * s.margin) / ncol
        for j in range(ncol):
            d.text(c, s.margin + j * cw, y - s.lh, "DATE", bold=True)
            d.text(c, s.margin + j * cw + cw - 20, y - s.lh, "AMOUNT", "r", bold=True)
        y -= s.lh + 3
        for i in range(rows):
            y -= s.lh + 1
            for j in range(ncol):
                k = j * rows + i
                if k < len(items):
                    d.text(c, s.margin + j * cw, y, items[k][0])
                    d.text(c, s.margin + j * cw + cw - 20, y, items[k][1], "r")
        return y - 8

    return draw


# ------------------------------------------------------------------ pagination and drawing


def _paginate(d: Doc, lab: Labels, cont_h: float) -> list[list[tuple[Item, float]]]:
    s = d.s
    top = d.height - s.margin
    bottom = s.margin + 26
    row_h = s.lh + s.pad
    pages: list[list[tuple[Item, float]]] = [[]]
    y = top
    open_table: Table | None = None
    items = d.items
    i = 0

    def place(item: Item) -> None:
        nonlocal y
        pages[-1].append((item, y))
        y -= item.height

    def break_rows(t: Table, page: int) -> list[Item]:
        out: list[Item] = []
        if t.page_totals:
            cells = _label_cells(d, t, t.page_totals, None, None, t.page_deb, t.page_cred)
            out.append(Item("label", row_h, _wrap(_draw_cells(d, t, cells, bold=True)), table=t))
        if t.carry:
            label = t.carry[0].format(n=page + 1, p=page)
            cells = _label_cells(d, t, label, None, t.bal)
            out.append(Item("label", row_h, _wrap(_draw_cells(d, t, cells, bold=True)), table=t))
        return out

    while i < len(items):
        item = items[i]
        group = items[i : i + 1 + item.keep]
        need = sum(x.height for x in group)
        t = item.table
        reserve = 0.0
        if t is not None and item.kind in ("row", "label"):
            reserve = row_h * ((1 if t.carry else 0) + (1 if t.page_totals else 0))
        if y - need < bottom + reserve and pages[-1]:
            cont = open_table is not None and t is open_table and item.kind in ("row", "label")
            if cont and open_table is not None:
                for r in break_rows(open_table, len(pages)):
                    place(r)
                open_table.broke = True
            pages.append([])
            y = top - cont_h
            if open_table is not None and open_table.page_totals:
                open_table.page_deb = open_table.page_cred = ZERO
            if cont and open_table is not None:
                ot = open_table
                if ot.title and d.p.repeat_section_title:
                    tb = _title_block(d, f"{ot.title} ({lab.continued.strip('()')})")
                    place(Item("title", _measure(d, tb), _wrap(tb)))
                th = _draw_thead(d, ot)
                place(Item("thead", _measure(d, th), _wrap(th), table=ot))
                if ot.carry:
                    label = ot.carry[1].format(n=len(pages), p=len(pages) - 1)
                    cells = _label_cells(d, ot, label, None, ot.bal)
                    place(Item("label", row_h, _wrap(_draw_cells(d, ot, cells, bold=True)), table=ot))
        place(item)
        if item.kind == "thead":
            open_table = item.table
        elif item.kind == "block" or item.kind == "title":
            open_table = None if item.kind == "block" else open_table
        if item.tx is not None and t is not None:
            if item.tx.balance is not None:
                t.bal = item.tx.balance
            if item.tx.amount < 0:
                t.page_deb -= item.tx.amount
            else:
                t.page_cred += item.tx.amount
        i += 1
    return pages


def _wrap(draw: Callable[[Canvas, float], float]) -> Callable[[Canvas, float], None]:
    def run(c: Canvas, y: float) -> None:
        draw(c, y)

    return run


def _measure(d: Doc, draw: Callable[[Canvas, float], float]) -> float:
    y0 = d.height / 2
    return y0 - draw(d.scratch, y0)


def _render(d: Doc, info: dict[str, Any], lab: Labels) -> tuple[bytes, int]:
    s = d.s
    cont_text = f"{info['bank']} · {lab.account} {info['cont_account']} · {lab.continued}"
    cont_h = s.lh + 22
    pages = _paginate(d, lab, cont_h)
    n = len(pages)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=s.pagesize, invariant=True)
    c.setTitle(f"{info['bank']} statement")
    c.setAuthor(info["bank"])
    page_label = lab.page
    footer = info["footer"]
    for pi, placed in enumerate(pages, start=1):
        if pi > 1:
            yy = d.height - s.margin - s.lh
            d.text(c, s.margin, yy, cont_text, bold=True)
        for item, y in placed:
            item.draw(c, y)
        if s.rules == "box":
            tops = [y for it, y in placed if it.kind == "thead"]
            if tops:
                c.setLineWidth(0.6)
                lowest = min(y - it.height for it, y in placed)
                c.rect(s.margin, lowest, d.width - 2 * s.margin, max(tops) - lowest, stroke=1, fill=0)
        c.setFillColorRGB(0.3, 0.3, 0.3)
        c.setLineWidth(0.4)
        c.line(s.margin, s.margin + 14, d.width - s.margin, s.margin + 14)
        d.text(c, s.margin, s.margin + 4, footer, size=s.size - 1.5)
        d.text(c, d.width - s.margin, s.margin - 8, page_label.format(p=pi, n=n), "r", size=s.size - 1)
        c.setFillColorRGB(0, 0, 0)
        c.showPage()
    c.save()
    return buf.getvalue(), n


# ------------------------------------------------------------------ garbled text layers


def _parse_tounicode(data: bytes) -> dict[int, str]:
    out: dict[int, str] = {}
    text = data.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            if uni and int(uni, 16):
                out[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(uni, 16)
            for k in range(int(lo, 16), int(hi, 16) + 1):
                out[k] = chr(base + k - int(lo, 16))
    return out


def _cmap_stream(mapping: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <FF>",
        "endcodespacerange",
    ]
    entries = sorted(mapping.items())
    for k in range(0, len(entries), 100):
        chunk = entries[k : k + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for code, uni in chunk:
            lines.append(f"<{code:02X}> <{uni.encode('utf-16-be').hex().upper()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def garble_pdf(pdf: bytes, mode: str, seed: int, which: str = "all") -> bytes:
    """Rewrite the fonts' ToUnicode maps so the page still renders the same glyphs but the text layer
    reads as gibberish: shift (every printable character moved along the ASCII range, as when glyph
    codes leak as text), permute (a random substitution over the font's characters) or pua (private
    use code points, which a text-layer check can spot). which: all fonts or only regular ones."""
    import pikepdf

    rng = random.Random(f"garble/{seed}")
    shift = rng.randint(3, 60)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        seen: set[tuple[int, int]] = set()
        for page in doc.pages:
            fonts_d = page.Resources.get("/Font")
            if fonts_d is None:
                continue
            for _name, font in fonts_d.items():
                og = font.objgen
                if og in seen:
                    continue
                seen.add(og)
                base = str(font.get("/BaseFont", ""))
                if which == "regular" and "Bold" in base:
                    continue
                if "/ToUnicode" in font:
                    cur = _parse_tounicode(font.ToUnicode.read_bytes())
                else:
                    cur = {k: bytes([k]).decode("cp1252", errors="replace") for k in range(32, 256)}
                    cur = {k: v for k, v in cur.items() if v != "\ufffd"}
                chars = sorted({v for v in cur.values() if v != " "})
                if mode == "permute":
                    perm = chars[:]
                    rng.shuffle(perm)
                    sub = dict(zip(chars, perm, strict=True))
                    new = {k: sub.get(v, v) for k, v in cur.items()}
                elif mode == "pua":
                    new = {k: (chr(0xE000 + k) if v != " " else " ") for k, v in cur.items()}
                else:
                    new = {}
                    for k, v in cur.items():
                        if v == " ":
                            new[k] = " "
                        else:
                            o = ord(v) if ord(v) < 127 else 33 + ord(v) % 94
                            new[k] = chr(33 + (o - 33 + shift) % 94)
                font.ToUnicode = doc.make_stream(_cmap_stream(new))
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()


# ------------------------------------------------------------------ public API


def is_scanned_seed(seed: int) -> bool:
    """The seed's own scanned draw (about 30 %), independent of every other dimension."""
    return random.Random(f"fuzz-statement/{seed}/scan").random() < 0.3


def _build(seed: int) -> tuple[bytes, dict[str, Any], dict[str, Any], Plan]:
    p = _sample_plan(seed)
    f = p.fmt
    rng = random.Random(f"fuzz-statement/{seed}/data")
    start, end = _period(rng, p.kind == "card")
    bank, bank4 = _bank_name(rng, p.lang, p.kind == "card")
    holder, address = _person(rng, p.lang, p.country)
    if p.uppercase and rng.random() < 0.5:
        holder = holder.upper()
    scale = _SCALE.get(f.currency, 1)
    accounts: list[Account] = []
    info: dict[str, Any] = {"bank": bank, "holder": holder, "holder_address": address}
    if p.kind == "card":
        last4 = f"{rng.randint(0, 9999):04d}"
        number = rng.choice(
            [
                f"XXXX XXXX XXXX {last4}",
                f"XXXX-XXXX-XXXX-{last4}",
                f"************{last4}",
                f"{rng.choice(['4', '5'])}{rng.randint(100, 999)} XXXX XXXX {last4}",
            ]
        )
        limit = Decimal(rng.choice([1000, 2500, 5000, 7500, 10000, 15000, 25000]))
        owed = cents(rng, 0, float(limit) * 0.6) if rng.random() < 0.92 else -cents(rng, 1, 80)
        acct = Account("Credit card", "credit_card", number, None, -owed.quantize(Q2))
        n = max(3, min(p.n_tx, 70))
        _card_txs(rng, p, acct, n, start, end, limit)
        accounts.append(acct)
        new_owed = -acct.closing
        min_pay = max(
            Decimal(25),
            (new_owed * Decimal("0.01")).quantize(Q2)
            + (-sum((t.amount for t in acct.txs if t.kind in ("interest", "fee")), ZERO)),
        )
        if new_owed <= 0:
            min_pay = Decimal("0.00")
        min_pay = min(min_pay, max(new_owed, ZERO)).quantize(Q2)
        info["limit"] = limit
        whole = rng.random() < 0.5
        info["limit_print"] = (_SYMBOL[f.currency] if f.lang == "en" else "") + (
            fmt_num(limit, f.num, 0) if whole else fmt_num(limit, f.num)
        )
        info["limit_truth"] = f"{limit:f}" if whole else canon(limit)
        info["min_pay"] = min_pay
        info["due"] = end + timedelta(days=rng.randint(20, 25))
    else:
        names = list(_ACCOUNT_NAMES[p.lang])
        rng.shuffle(names)
        if names[0][1] != "current" and rng.random() < 0.8:
            names.sort(key=lambda x: x[1] != "current")
        for ai in range(p.n_accounts):
            name, typ = names[ai % len(names)]
            number, iban = _account_ids(rng, p.country, bank4)
            opening = cents(rng, 50, 9000) * scale
            if typ == "savings":
                opening = cents(rng, 500, 40000) * scale
            elif rng.random() < 0.1:
                opening = -cents(rng, 10, 900) * scale
            acct = Account(name, typ, number, iban, opening.quantize(Q2))
            n = p.n_tx if ai == 0 else max(2, p.n_tx // rng.choice([2, 3, 4]))
            if p.n_accounts > 1:
                n = max(2, min(n, 60))
            _bank_account_txs(rng, p, acct, n, start, end, typ == "savings")
            accounts.append(acct)
    # running balances
    for acct in accounts:
        bal = acct.opening
        for t in acct.txs:
            bal += t.amount
            t.balance = bal
            t.show_balance = p.balance_mode == "every"
        if p.balance_mode == "day_end":
            for i, t in enumerate(acct.txs):
                t.show_balance = i == len(acct.txs) - 1 or acct.txs[i + 1].date != t.date
    for ai, acct in enumerate(accounts):
        for t in acct.txs:
            t.account = ai
    a0 = accounts[0]
    # titles and furniture
    lang_words = _WORDS[p.lang]
    if p.kind == "card":
        title = (
            rng.choice(["Credit Card Statement", "Your Card Statement", "Visa Signature Statement"])
            if p.lang == "en"
            else rng.choice(["Kreditkartenabrechnung", "Abrechnung Ihrer Kreditkarte"])
        )
        account_type: str | None = "credit_card"
    elif p.n_accounts > 1:
        title = rng.choice(lang_words["title_any"])
        account_type = a0.acct_type
    elif p.title_kind == "current" and a0.acct_type == "current":
        title = rng.choice(lang_words["title_current"])
        account_type = "current"
    else:
        title = rng.choice(lang_words["title_any"])
        account_type = None
    info["title"] = title
    info["show_iban"] = a0.iban is not None and (p.iban_only or rng.random() < 0.8)
    info["show_bic"] = a0.iban is not None and rng.random() < 0.5
    info["bic"] = make_bic(
        bank4, p.country if p.country in _IBAN_COUNTRIES else "US", rng.choice(["FF", "XX", "2X"])
    )
    street = rng.choice(_STREETS.get("in" if p.country == "IN" else p.lang, _STREETS["en"]))
    info["bank_address"] = f"{street} · {rng.choice(_CITY_POOL.get(p.country, ['Springfield']))}"
    legal = {
        "en": ["Member FDIC", "Registered office", "Authorised and regulated"],
        "de": ["Sitz", "Amtsgericht HRB"],
        "fr": ["Siège social", "RCS"],
        "nl": ["KvK", "Statutair gevestigd"],
        "es": ["Registro Mercantil", "CIF"],
        "it": ["Sede legale", "Codice ABI"],
    }[p.lang]
    footer_word = rng.choice(legal if p.country == "US" or p.lang != "en" else legal[1:])
    info["footer"] = f"{bank} · {footer_word} · {rng.randint(100000, 999999)}"
    iban_only = p.iban_only and a0.iban is not None and p.n_accounts == 1
    info["iban_only"] = iban_only
    info["cont_account"] = iban_print(a0.iban or "") if iban_only else a0.number
    if iban_only:
        info["show_iban"] = True

    d = Doc(p, rng)
    d.period = (start, end)
    lab = _labels(p, rng)
    order = _compose(d, accounts, info, start, end, lab)
    pdf, n_pages = _render(d, info, lab)

    # truth
    has = {c.kind for c in p.cols}
    multi = p.n_accounts > 1
    transactions: list[dict[str, Any]] = []
    for t in order:
        acct = accounts[t.account]
        row: dict[str, Any] = {
            "date": t.date.isoformat(),
            "value_date": t.vdate.isoformat() if ("vdate" in has and t.vdate) else None,
            "description": t.shown,
            "reference": t.ref if (t.ref and ("ref" in has or t.kind == "check")) else None,
            "amount": canon(t.amount),
            "type": "debit" if t.amount < 0 else "credit",
            "balance": canon(t.balance)
            if (t.show_balance and "balance" in has and t.balance is not None)
            else None,
        }
        if multi:
            row["account"] = acct.number
        transactions.append(row)
    account_info: dict[str, Any] = {
        "bank_name": bank,
        "account_holder": holder,
        "account_number": None if iban_only else a0.number,
        "iban": a0.iban if info["show_iban"] else None,
        "bic": info["bic"] if info["show_bic"] else None,
        "currency": f.currency,
        "statement_period": {"start": start.isoformat(), "end": end.isoformat()},
        "opening_balance": canon(a0.opening),
        "closing_balance": canon(a0.closing),
        "total_credits": canon(a0.credits) if a0.txs else None,
        "total_debits": canon(a0.debits) if a0.txs else None,
        "account_type": account_type,
    }
    if p.kind == "card":
        account_info["credit_limit"] = info["limit_truth"]
        account_info["minimum_payment"] = canon(info["min_pay"])
        account_info["payment_due_date"] = info["due"].isoformat()
    truth: dict[str, Any] = {
        "document_type": "bank_statement",
        "account_info": account_info,
        "transactions": transactions,
    }
    if multi:
        truth["accounts"] = [
            {
                "account": a.number,
                "account_type": a.acct_type,
                "currency": f.currency,
                "opening_balance": canon(a.opening),
                "closing_balance": canon(a.closing),
                "total_credits": canon(a.credits) if a.txs else None,
                "total_debits": canon(a.debits) if a.txs else None,
                "reconciled": True,
            }
            for a in accounts
        ]
    classes = _classes(p, order)
    meta: dict[str, Any] = {
        "layout": f"{p.kind}/{p.structure}/{p.lang}",
        "scan": False,
        "pages": n_pages,
        "edge_case": None,
        "seed": seed,
        "classes": classes,
        "dims": _dims(p),
    }
    return pdf, truth, meta, p


def _classes(p: Plan, order: list[Tx]) -> list[str]:
    out: list[str] = []
    if any(len(c.head) > 1 for c in p.cols):
        out.append("multiline_header")
    if p.kind == "bank" and p.structure == "sections":
        out.append("us_sections")
    if p.kind == "card":
        out.append("credit_card")
    if p.n_accounts > 1:
        out.append("multi_account")
    detail = p.detail_lines and any(len(t.lines) > 1 for t in order)
    above = p.valign != "top" and any(t.n_lines > 1 for t in order)
    if detail or above:
        out.append("continuation_lines")
    if p.lang == "fr" and p.amount_mode == "dc":
        out.append("fr_debit_credit")
    if p.garble:
        out.append("garbled_text")
    return out


def _dims(p: Plan) -> dict[str, Any]:
    s, f = p.style, p.fmt
    return {
        "kind": p.kind,
        "lang": p.lang,
        "country": p.country,
        "currency": f.currency,
        "structure": p.structure,
        "accounts": p.n_accounts,
        "columns": [c.kind for c in p.cols],
        "headers": [" / ".join(c.head) for c in p.cols],
        "header_breaks": p.head_breaks,
        "amount_mode": p.amount_mode,
        "balance_mode": p.balance_mode,
        "num": f.num,
        "date_fmt": f.date_fmt,
        "vdate_fmt": f.vdate_fmt,
        "period_fmt": f.long_fmt,
        "year_in_dates": f.year_in_dates,
        "amount_sign": f.amount_sign,
        "bal_sign": f.bal_sign,
        "drcr": [f.dr, f.cr],
        "cell_symbol": f.symbol,
        "newest_first": p.newest_first,
        "open_row": p.open_row,
        "close_row": p.close_row,
        "summary": p.summary_pos,
        "summary_counts": p.summary_counts,
        "carry": p.carry,
        "page_totals": p.page_totals,
        "detail_lines": p.detail_lines,
        "valign": p.valign,
        "wrap_share": p.wrap_share,
        "fx_share": p.fx_share,
        "uppercase": p.uppercase,
        "date_once": p.date_once,
        "n_tx": p.n_tx,
        "card_print": p.card_print if p.kind == "card" else None,
        "card_sign": p.card_sign if p.kind == "card" else None,
        "section_signed": p.section_signed if p.structure == "sections" else None,
        "daily_balance_table": p.daily_balance_table,
        "garble": p.garble,
        "garble_fonts": p.garble_fonts if p.garble else None,
        "fr_narrow": p.fr_narrow,
        "iban_only": p.iban_only,
        "font": s.font,
        "size": s.size,
        "pagesize": [round(x) for x in s.pagesize],
        "rules": s.rules,
        "zebra": s.zebra,
        "header_fill": "dark" if s.header_dark else ("light" if s.header_fill else "none"),
        "header_valign": s.header_valign,
        "header_align": s.header_align,
        "info_pos": s.info_pos,
        "brand_pos": s.brand_pos,
    }


def make_fuzzed_statement(
    seed: int, *, scanned: bool | None = None
) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    """One statement drawn from the layout space: (pdf bytes, truth, meta). Deterministic per seed.

    scanned: None follows the seed's own draw (about 30 % are scans); True / False force it. A scan is
    rendered and degraded page by page (tests/gen/scan.py) into an image-only PDF; a garbled text
    layer is only applied to digital documents.
    """
    pdf, truth, meta, p = _build(seed)
    is_scan = is_scanned_seed(seed) if scanned is None else scanned
    if is_scan:
        srng = random.Random(f"fuzz-statement/{seed}/scan-params")
        params: dict[str, Any] = {
            "dpi": srng.choice([200, 250, 300]),
            "noise": round(srng.uniform(2, 10), 2),
            "blur": round(srng.uniform(0.2, 0.8), 2),
            "skew_deg": round(srng.uniform(0.1, 1.2), 2),
            "jpeg_quality": srng.choice([55, 70, 85]),
        }
        if srng.random() < 0.06:
            params["photo"] = True
            pdf = scan.office_scan(pdf, "fuzz", seed, {"photo": True, "dpi": params["dpi"]})
        else:
            pdf = scan.scan_pdf(pdf, seed=seed, **params)
        meta["scan"] = True
        meta["scan_params"] = params
        meta["classes"] = [c for c in meta["classes"] if c != "garbled_text"] + ["scanned"]
        meta["dims"]["garble"] = None
    elif p.garble:
        pdf = garble_pdf(pdf, p.garble, seed, p.garble_fonts)
    return pdf, truth, meta
