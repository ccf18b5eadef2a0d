"""Which ISO 4217 currency a document is in: codes, symbols, and the country of an IBAN."""

from __future__ import annotations

import re
from collections import Counter

_ISO_TEXT = (
    "EUR USD GBP CHF JPY CNY INR AUD CAD NZD SEK NOK DKK PLN CZK HUF RON BGN HRK ISK TRY RUB UAH ZAR BRL MXN "
    "ARS CLP COP PEN SGD HKD KRW TWD THB MYR IDR PHP VND AED SAR QAR KWD BHD OMR ILS EGP NGN KES MAD TND"
)
ISO_CODES = frozenset(_ISO_TEXT.split(" "))
_EURO_COUNTRIES = "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MC MT NL PT SI SK SM VA AD ME XK"

COUNTRY_CURRENCY: dict[str, str] = {
    **dict.fromkeys(_EURO_COUNTRIES.split(" "), "EUR"),
    "GB": "GBP", "CH": "CHF", "LI": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "FO": "DKK", "GL": "DKK",
    "PL": "PLN", "CZ": "CZK", "HU": "HUF", "RO": "RON", "BG": "BGN", "IS": "ISK", "TR": "TRY", "UA": "UAH",
    "IL": "ILS", "AE": "AED", "SA": "SAR", "QA": "QAR", "KW": "KWD", "BH": "BHD", "EG": "EGP", "TN": "TND",
    "MA": "MAD", "BR": "BRL", "PK": "PKR", "JO": "JOD", "LB": "LBP", "GE": "GEL", "AZ": "AZN", "KZ": "KZT",
    "RS": "RSD", "MK": "MKD", "AL": "ALL", "BA": "BAM", "MD": "MDL", "BY": "BYN", "GI": "GIP",
}  # fmt: skip

# Unambiguous symbols only; a bare "$" is resolved by other evidence (locale words, country).
_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("A$", "AUD"), ("AU$", "AUD"), ("C$", "CAD"), ("CA$", "CAD"), ("NZ$", "NZD"), ("HK$", "HKD"),
    ("S$", "SGD"), ("US$", "USD"), ("R$", "BRL"), ("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("¥", "JPY"),
    ("₩", "KRW"), ("₺", "TRY"), ("₪", "ILS"), ("₽", "RUB"), ("zł", "PLN"), ("Rs.", "INR"), ("Rs ", "INR"),
)  # fmt: skip
_CODE = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(ISO_CODES)) + r")(?![A-Za-z])")
_DOLLAR_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bBSB\b|\bABN\b|Australia|\bNSW\b|\bVIC\b|\bQLD\b", re.I), "AUD"),
    (re.compile(r"New Zealand|\bNZ\b", re.I), "NZD"),
    (re.compile(r"Canada|\bTransit\b|\bInstitution\b", re.I), "CAD"),
    (re.compile(r"Singapore", re.I), "SGD"),
    (re.compile(r"Hong Kong", re.I), "HKD"),
    (
        re.compile(
            r"\bRouting\b|\bABA\b|\bUSA\b|United States|\bFDIC\b|\bNCUA\b|\b[A-Z]{2} \d{5}(?:-\d{4})?\b"
        ),
        "USD",
    ),
)


def currency_for_country(country: str) -> str | None:
    return COUNTRY_CURRENCY.get(country.upper())


def find_currency(text: str, iban: str | None = None) -> str | None:
    """The document's currency: the most frequent ISO code, else a symbol, else the IBAN's country.

    A bare `$` needs a second clue (a BSB number, a US state + ZIP, ...), otherwise it stays unknown.
    """
    codes = Counter(m.group(1) for m in _CODE.finditer(text))
    if codes:
        return codes.most_common(1)[0][0]
    symbols: Counter[str] = Counter()
    for sym, code in _SYMBOLS:
        n = text.count(sym)
        if n:
            symbols[code] += n
    if symbols:
        return symbols.most_common(1)[0][0]
    if iban:
        found = currency_for_country(iban[:2])
        if found:
            return found
    for rx, code in _DOLLAR_HINTS:
        if rx.search(text) and ("$" in text or code == "USD"):
            return code
    return None
