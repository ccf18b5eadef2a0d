"""Account identifiers: IBAN (ISO 13616 mod-97), BIC (ISO 9362), and bank account numbers.

IBANs are returned compact and upper case. Printed IBANs come grouped in fours, sometimes with the
groups split across words, so `find_ibans` joins runs of alphanumeric groups and keeps only the ones
whose country length and check digits are right.
"""

from __future__ import annotations

import re

from ledgerlens.extract.currency import currency_for_country

IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

_IBAN_START = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2})")
_BIC = re.compile(r"(?<![A-Z0-9])([A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Z0-9])")
_BIC_LABEL = re.compile(r"\b(?:BIC|SWIFT|Swift[- ]?Code|BIC/SWIFT|SWIFT/BIC)\b[\s:.-]*", re.IGNORECASE)
_ACCOUNT_LABEL = re.compile(
    r"(?:Account\s*(?:No\.?|Number|Nr\.?|#)|A/C\s*(?:No\.?)?|Acct\.?\s*(?:No\.?|#)?|Kontonummer|Konto(?:-?Nr\.?)?"
    r"|N°\s*de\s*compte|Num[ée]ro\s*de\s*compte|Compte\s*(?:n°|no\.?)?|N[úu]mero\s*de\s*cuenta|Cuenta"
    r"|Rekeningnummer|Rekening|Numero\s*di\s*conto|Conto(?:\s*corrente)?(?:\s*n\.?)?|Conta|Kontonr\.?"
    r"|BSB\s*/\s*Account|Account)(?![A-Za-zäöüéè])\s*[:.#]?\s*",
    re.IGNORECASE,
)
_ACCOUNT_VALUE = re.compile(r"[A-Z]{0,4}\d[\dA-Z\-/.]*(?:[ -](?=[\dA-Z\-/.]*\d)[\dA-Z\-/.]+)*")


def compact(text: str) -> str:
    return re.sub(r"[\s\-.]", "", text).upper()


def valid_iban(iban: str) -> bool:
    """ISO 13616 check: known country length and mod-97 == 1 (input compact or spaced)."""
    s = compact(iban)
    # isascii first: str.isalnum() accepts "Ö", which int(c, 36) refuses (OCR does read umlauts)
    if len(s) < 15 or not s.isascii() or not s[:2].isalpha() or not s[2:4].isdigit() or not s.isalnum():
        return False
    expected = IBAN_LENGTHS.get(s[:2])
    if expected is not None and len(s) != expected:
        return False
    rearranged = s[4:] + s[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def find_ibans(text: str) -> list[str]:
    """Every valid IBAN in `text`, compact, in order of appearance, without duplicates."""
    upper = text.upper()
    found: list[str] = []
    for m in _IBAN_START.finditer(upper):
        country = m.group(1)[:2]
        length = IBAN_LENGTHS.get(country)
        if length is None:
            continue
        chars: list[str] = []
        for c in upper[m.start() :]:
            if c.isalnum():
                chars.append(c)
                if len(chars) == length:
                    break
            elif c not in " \u00a0-.":
                break
        candidate = "".join(chars)
        if len(candidate) == length and valid_iban(candidate) and candidate not in found:
            found.append(candidate)
    return found


def valid_bic(bic: str) -> bool:
    """ISO 9362 shape: 4 bank letters, 2 country letters, 2 location and optional 3 branch chars."""
    return bool(_BIC.fullmatch(compact(bic)))


def find_bics(text: str, labelled_only: bool = True) -> list[str]:
    """BICs in `text`. With `labelled_only`, only ones following a BIC/SWIFT label (plain capitals
    words such as `STATEMENT` otherwise pass the pattern)."""
    found: list[str] = []
    if labelled_only:
        for lab in _BIC_LABEL.finditer(text):
            m = _BIC.match(text[lab.end() :].upper())
            if m and valid_bic(m.group(1)) and m.group(1) not in found:
                found.append(m.group(1))
        return found
    for m in _BIC.finditer(text):
        if valid_bic(m.group(1)) and m.group(1) not in found:
            found.append(m.group(1))
    return found


def currency_for_iban(iban: str) -> str | None:
    """ISO 4217 currency of the IBAN's country (EUR for euro-area countries), None when unknown."""
    s = compact(iban)
    return currency_for_country(s[:2]) if len(s) >= 2 else None


ACCOUNT_LABEL = _ACCOUNT_LABEL


def find_account_number(text: str) -> str | None:
    """The value after an account-number label (`Account No: 12-3456-7890123-00`), as printed."""
    for lab in _ACCOUNT_LABEL.finditer(text):
        rest = text[lab.end() : lab.end() + 48]
        m = _ACCOUNT_VALUE.match(rest)
        if m:
            value = m.group(0).strip(" -/.")
            if sum(c.isdigit() for c in value) >= 4:
                return value
    return None
