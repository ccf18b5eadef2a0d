"""Money strings as printed on statements and invoices -> exact signed Decimals.

Banks print the same value as `1,234.56`, `1.234,56`, `1 234,56`, `1'234.56`, `1,23,456.78`,
`(1,234.56)`, `1,234.56-`, `1,234.56 DR` or `S 1.234,56`. Grouping is checked strictly (groups of
three, or the Indian 2-2-3 pattern) so that dates (`12.03.2024`), phone numbers and references are
not mistaken for money. The decimal separator of a document is decided once from evidence
(`detect_decimal_separator`) and passed back in for ambiguous strings such as `1,234`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

SignMarker = Literal["minus", "plus", "parens", "debit", "credit"]

_SPACES = "\u00a0\u202f\u2009\u2007 "
_CODES = (
    "EUR|USD|GBP|CHF|JPY|CNY|INR|AUD|CAD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|RON|BGN|ISK|TRY|ZAR|BRL|MXN|SGD|HKD|"
    "AED|SAR|ILS|KRW|THB|MYR|IDR|PHP|RUB|UAH"
)
_CURRENCY_PREFIX = re.compile(
    rf"^(?:{_CODES}|[$€£¥₹₩₽₺₪฿]|R\$|A\$|C\$|NZ\$|HK\$|S\$|US\$|Rs\.?|Fr\.|kr\.?|zł)\s*", re.IGNORECASE
)
_CURRENCY_SUFFIX = re.compile(rf"\s*(?:{_CODES}|[$€£¥₹]|kr\.?|zł|Fr\.)$", re.IGNORECASE)
_DEBIT_WORDS = {"DR", "DB", "D", "S", "SOLL", "DEBIT", "DÉBIT", "DEB", "AF", "-", "OD", "DA"}
_CREDIT_WORDS = {"CR", "C", "H", "HABEN", "CREDIT", "CRÉDIT", "CRED", "BIJ", "+", "AV"}
_MARKER_SUFFIX = re.compile(
    r"(?:\s*\b|(?<=[.,]\d\d))(DR|CR|DB|OD|Dr|Cr|Db|dr|cr|D|C|S|H|Af|Bij|AF|BIJ|DA|AV|Da|Av)\.?$"
)
"""A sign word after the amount (Italian dare/avere: DA/AV); straight after its two decimals too,
where OCR lost the space (`250,01S`)."""
_MARKER_PREFIX = re.compile(r"^(DR|CR|Dr|Cr|S|H|Af|Bij|AF|BIJ)\.?\s+")
_BODY = re.compile(r"^\d[\d.,'’\u00a0\u202f\u2009\u2007 ]*$|^[.,]\d+$")

# OCR engines often read a minus as one of these dashes.
_DASHES = "\u2212\u2013\u2014\u2012\u2010"


@dataclass(frozen=True, slots=True)
class ParsedAmount:
    """A parsed money string: the signed value plus how the sign was printed."""

    value: Decimal
    marker: SignMarker | None
    decimals: int
    """Digits after the decimal separator as printed (0 when none)."""


def _clean(text: str) -> str:
    s = text.strip()
    if not s.isascii():
        for d in _DASHES:
            s = s.replace(d, "-")
    return s


def _split_body(body: str, decimal_sep: str | None) -> tuple[str, str] | None:
    """Split a number body into (integer digits, fraction digits), validating the grouping."""
    if not body.isascii():
        body = body.replace("’", "'")
        for sp in _SPACES:
            body = body.replace(sp, " ")
    if not body or (not body[0].isdigit() and body[0] not in ".,"):
        return None
    seps = [c for c in body if not c.isdigit()]
    if not seps:
        return body, ""
    dec: str | None = None
    last = max(body.rfind("."), body.rfind(","))
    last_char = body[last] if last >= 0 else ""
    tail = body[last + 1 :] if last >= 0 else ""
    has_dot, has_comma = "." in body, "," in body
    if has_dot and has_comma:
        dec = last_char
    elif last_char:
        count = body.count(last_char)
        if count > 1:
            dec = None  # repeated separator: grouping only
        elif decimal_sep is not None:
            dec = last_char if last_char == decimal_sep else None
            if dec is None and len(tail) != 3:
                # `12,5` on a dot-decimal document: still decimal when it cannot be grouping
                dec = last_char
        else:
            dec = None if len(tail) == 3 and body[0] != "0" and body.index(last_char) <= 3 else last_char
            if " " in body or "'" in body:
                dec = last_char
    if dec is not None:
        int_part, frac = body[: body.rfind(dec)], body[body.rfind(dec) + 1 :]
        if not frac.isdigit():
            return None
    else:
        int_part, frac = body, ""
    if not int_part:
        return "0", frac
    groups = re.split(r"[.,' ]", int_part)
    if len(groups) == 1:
        return (groups[0], frac) if groups[0].isdigit() else None
    separators = set(re.findall(r"[.,' ]", int_part))
    if len(separators) > 1 or (dec is not None and dec in separators):
        return None
    if not all(g.isdigit() for g in groups) or not 1 <= len(groups[0]) <= 3:
        return None
    rest = groups[1:]
    if all(len(g) == 3 for g in rest):
        return "".join(groups), frac
    # Indian lakh/crore grouping: 1,23,45,678.90
    if len(rest[-1]) == 3 and all(len(g) == 2 for g in rest[:-1]) and len(groups[0]) <= 2:
        return "".join(groups), frac
    return None


def parse_amount_ex(text: str, decimal_sep: str | None = None) -> ParsedAmount | None:
    """Parse a money string with its sign marker; None when `text` is not a money amount."""
    s = _clean(text)
    if not s or not any(c.isdigit() for c in s):
        return None  # no digit, no money (most words of a line)
    marker: SignMarker | None = None
    # Markers are words: a string that ends (starts) in a digit has no suffix (prefix) marker.
    m = None if s[-1].isdigit() else _MARKER_SUFFIX.search(s)
    if m and s[: m.start()].strip():
        word = m.group(1).upper()
        marker = "credit" if word in _CREDIT_WORDS else "debit"
        s = s[: m.start()].strip()
    else:
        m = None if s[0].isdigit() else _MARKER_PREFIX.match(s)
        if m and s[m.end() :].strip():
            word = m.group(1).upper()
            marker = "credit" if word in _CREDIT_WORDS else "debit"
            s = s[m.end() :].strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, marker = True, "parens"
        s = s[1:-1].strip()
    for _ in range(2):
        if s.startswith("-"):
            negative, marker = True, "minus"
            s = s[1:].strip()
        elif s.startswith("+"):
            marker = "plus"
            s = s[1:].strip()
        if s and not s[0].isdigit():  # every currency prefix starts with a non-digit
            s = _CURRENCY_PREFIX.sub("", s, count=1)
    if s.endswith("-"):
        negative, marker = True, "minus"
        s = s[:-1].strip()
    elif s.endswith("+"):
        marker = "plus"
        s = s[:-1].strip()
    if s and not s[-1].isdigit():  # every currency suffix ends in a non-digit
        s = _CURRENCY_SUFFIX.sub("", s, count=1)
    s = s.strip()
    if s.endswith("-"):
        negative, marker = True, "minus"
        s = s[:-1].strip()
    if not s or not _BODY.match(s):
        return None
    parts = _split_body(s, decimal_sep)
    if parts is None:
        return None
    int_digits, frac = parts
    try:
        value = Decimal(f"{int_digits or '0'}.{frac}" if frac else int_digits)
    except InvalidOperation:
        return None
    if negative or marker == "debit":
        value = -value
    return ParsedAmount(value=value, marker=marker, decimals=len(frac))


def parse_amount(text: str, decimal_sep: str | None = None) -> Decimal | None:
    """Signed Decimal for a printed money string, or None when it is not one.

    `decimal_sep` ("." or ",") is the document's decimal separator when known; it only matters for
    ambiguous strings such as `1,234` or `1.234`.
    """
    parsed = parse_amount_ex(text, decimal_sep)
    return parsed.value if parsed else None


def looks_like_amount(text: str, decimal_sep: str | None = None) -> bool:
    """True for strings that are money with decimals (`12.50`, `1.234,56 S`), not bare integers."""
    parsed = parse_amount_ex(text, decimal_sep)
    return parsed is not None and parsed.decimals in (2, 3)


_EVIDENCE = re.compile(r"\d[\d.,'\u00a0\u202f ]*[.,]\d+")


def detect_decimal_separator(texts: Iterable[str]) -> str | None:
    """Decide "." or "," for a whole document from unambiguous numbers; None without evidence."""
    votes = {".": 0, ",": 0}
    for text in texts:
        for m in _EVIDENCE.finditer(text):
            token = m.group(0).rstrip()
            last = max(token.rfind("."), token.rfind(","))
            tail = token[last + 1 :]
            sep = token[last]
            other = "," if sep == "." else "."
            if other in token[:last] and token.count(sep) == 1:
                votes[sep] += 2
            elif len(tail) == 2 and token.count(sep) == 1:
                votes[sep] += 1
    if votes["."] == votes[","]:
        return None
    return "." if votes["."] > votes[","] else ","


def quantize_like(value: Decimal, decimals: int) -> Decimal:
    """Value with exactly `decimals` fraction digits (money keeps the digits the page printed)."""
    return value.quantize(Decimal(1).scaleb(-decimals)) if decimals > 0 else value.quantize(Decimal(1))
