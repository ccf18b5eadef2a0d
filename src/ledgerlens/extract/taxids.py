"""Tax identifiers printed on invoices: EU VAT ids, German Steuernummer, GSTIN, ABN, EIN.

Found after their labels (value printed with spaces or dots, as issuers do) or, for formats with a
country prefix, anywhere in the text. Returned compact and upper case; ABN and GSTIN are checked by
their check digits so a phone or account number is not taken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.au import abn
from stdnum.eu import vat

_EU_VAT = re.compile(
    r"^(?:ATU\d{8}|BE[01]\d{9}|BG\d{9,10}|CY\d{8}[A-Z]|CZ\d{8,10}|DE\d{9}|DK\d{8}|EE\d{9}|EL\d{9}|"
    r"ES[0-9A-Z]\d{7}[0-9A-Z]|FI\d{8}|FR[0-9A-Z]{2}\d{9}|HR\d{11}|HU\d{8}|IE\d{7}[A-Z]{1,2}|"
    r"IE\d[A-Z0-9+*]\d{5}[A-Z]|IT\d{11}|LT(?:\d{9}|\d{12})|LU\d{8}|LV\d{11}|MT\d{8}|NL\d{9}B\d{2}|"
    r"PL\d{10}|PT\d{9}|RO\d{2,10}|SE\d{12}|SI\d{8}|SK\d{10}|GB(?:\d{9}|\d{12})|XI\d{9}|CHE\d{9}(?:MWST|TVA|IVA)?|"
    r"NO\d{9}(?:MVA)?)$"
)
_GSTIN = re.compile(r"^\d{2}[A-Z]{5}\d{4}[A-Z][A-Z0-9]Z[A-Z0-9]$")
_LABEL = re.compile(
    r"(?<![A-Za-z])(?P<label>"
    r"VAT\s*(?:Reg(?:istration)?\.?\s*)?(?:No\.?|Number|ID|#)?|USt\.?\s*-?\s*Id(?:ent)?\.?\s*-?\s*(?:Nr\.?)?|UStId(?:Nr)?\.?|"
    r"USt-?IdNr\.?|Umsatzsteuer-?ID(?:ent)?(?:-?Nr\.?)?|MwSt\.?-?(?:Nr\.?)?|UID(?:-Nr\.?)?|"
    r"BTW(?:-?(?:nr|nummer)\.?)?|TVA(?:\s+intra[-\s]?communautaire|\s+intracom\.?)?|N°\s*(?:de\s+)?TVA(?:\s+intra[-\s]?communautaire|\s+intracom\.?)?|"
    r"N\.?I\.?F\.?|C\.?I\.?F\.?|IVA|P\.?\s?IVA|Partita\s+IVA|"
    r"GSTIN(?:/UIN)?|GST\s*(?:No\.?|Number|Reg\.?)|ABN|EIN|Tax\s*(?:ID|No\.?|Number)|TIN|"
    r"Steuer-?(?:nummer|nr\.?)|St\.?-?Nr\.?)\s*[:.#]?\s*",
    re.IGNORECASE,
)
_VALUE = re.compile(r"[A-Z0-9][A-Z0-9 ./\-]{4,24}[A-Z0-9]", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![A-Z0-9])(?:[A-Z]{2}U?|CHE)\d[\dA-Z]{6,14}(?![A-Z0-9])")


@dataclass(slots=True)
class TaxId:
    value: str
    kind: str
    """"vat", "gstin", "abn", "ein" or "national" (e.g. German Steuernummer)."""
    start: int
    label: str | None


def compact(text: str) -> str:
    return re.sub(r"[\s./\-]", "", text).upper()


def valid_abn(digits: str) -> bool:
    return bool(re.fullmatch(r"\d{11}", digits)) and bool(abn.is_valid(digits))


def valid_vat(value: str) -> bool:
    """An EU (or Swiss, Norwegian, British) VAT id whose check digits hold (python-stdnum)."""
    try:
        return bool(vat.is_valid(value))
    except Exception:  # stdnum raises for formats it does not know: not valid then
        return False


def _classify(raw: str, label: str | None) -> tuple[str, str] | None:
    """(compact value, kind) of a printed id candidate, or None when it is not a tax id."""
    c = compact(raw)
    # longest prefix that is a known format (a value may run into the next word)
    for end in range(len(c), 5, -1):
        head = c[:end]
        if _EU_VAT.match(head):
            return head, "vat"
        if _GSTIN.match(head):
            return head, "gstin"
    lab = (label or "").upper()
    digits = re.sub(r"\D", "", raw)
    if "ABN" in lab and valid_abn(digits[:11]):
        return raw.strip()[: len(raw.strip())], "abn"
    if "EIN" in lab and re.fullmatch(r"\d{2}-?\d{7}", raw.strip()[:10]):
        return raw.strip()[:10], "ein"
    if lab and re.fullmatch(r"\d{2}-\d{7}", raw.strip()[:10]) and "TEL" not in lab:
        return raw.strip()[:10], "ein"  # "Tax ID: 52-2145770": a US employer id under a generic label
    if re.search(r"STEUER|ST\.?-?NR", lab) and re.fullmatch(r"\d{2,3}/\d{3}/\d{4,5}|\d{10,13}", raw.strip()):
        return raw.strip(), "national"
    if lab and re.fullmatch(r"[A-Z]{0,3}\d[\d ]{6,14}\d", raw.strip(), re.IGNORECASE) and "TEL" not in lab:
        return c, "national"
    return None


def find_tax_ids(text: str) -> list[TaxId]:
    """Tax ids in a text in order of appearance (labelled ones carry their label)."""
    found: list[TaxId] = []
    seen: set[str] = set()
    for m in _LABEL.finditer(text):
        rest = text[m.end() : m.end() + 48]
        # "BTW nr.: BE 0123.456.789", "VAT Reg. No: GB...": a number word between label and value
        rest = re.sub(r"^(?:nr|no|nummer|number|num|n°|#)\.?\s*[:.#]?\s*", "", rest, flags=re.IGNORECASE)
        v = _VALUE.match(rest)
        if not v:
            continue
        raw = v.group(0)
        # stop at the next word that starts a new label ("DE123 Handelsreg")
        raw = re.split(r"\s{2,}|\s(?=[A-Za-z]{3,})", raw)[0] if not re.match(r"^[A-Z]{2}\s", raw) else raw
        got = _classify(raw, m.group("label"))
        if got is None:
            # printed grouped with spaces: "DE 232 446 240", "FR 78 474824237"
            grouped = re.match(r"[A-Z]{2,3}[\s-]?(?:[\s.]?[\dA-Z]{2,4}){2,6}", rest.upper())
            if grouped:
                got = _classify(grouped.group(0), m.group("label"))
        if got is None:
            continue
        value, kind = got
        if value not in seen:
            seen.add(value)
            found.append(TaxId(value, kind, m.start(), m.group("label").strip(" :.#")))
    for m in re.finditer(r"(?<![A-Z0-9])CHE-?\d{3}\.\d{3}\.\d{3}(?![\d])", text.upper()):
        value = compact(m.group(0))
        if value not in seen:
            seen.add(value)
            found.append(TaxId(value, "vat", m.start(), None))
    for m in _PREFIXED.finditer(text.upper()):
        # unlabelled: only a complete id token (an IBAN starts like a VAT id too)
        value = m.group(0)
        kind = "vat" if _EU_VAT.match(value) else "gstin" if _GSTIN.match(value) else ""
        if not kind:
            continue
        if value not in seen:
            seen.add(value)
            found.append(TaxId(value, kind, m.start(), None))
    found.sort(key=lambda t: t.start)
    return found
