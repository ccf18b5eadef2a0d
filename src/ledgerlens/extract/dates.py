"""Printed dates -> `datetime.date`, with the day/month order decided per document.

Statements print `03/04/2025`, `2025-04-03`, `03.04.25`, `3 Apr 2025`, `03 avr.`, `3. März 2025`
or just `03 APR`. Whether `03/04` is 3 April or 4 March is decided once per document from evidence
(`detect_date_order`: a first field above 12, a second field above 12, else a locale hint), and a
missing year comes from the statement period (`infer_year`), including December -> January rollover.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ledgerlens.layout.vocab import trie_pattern

DateOrder = Literal["DMY", "MDY", "YMD"]


def _fold(text: str) -> str:
    """Lower case without accents, so `Févr.`, `févr` and `fevr` all match."""
    if text.isascii():
        return text.lower()  # the same result, without Unicode normalisation
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "janner",
        "janvier",
        "janv",
        "enero",
        "ene",
        "januari",
        "gennaio",
        "gen",
        "janeiro",
    ),
    2: (
        "february",
        "feb",
        "febr",
        "februar",
        "fevrier",
        "fevr",
        "fev",
        "febrero",
        "februari",
        "febbraio",
        "fevereiro",
    ),
    3: ("march", "mar", "marz", "maerz", "mrz", "mars", "marzo", "maart", "mrt", "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "mei", "maggio", "mag", "maio"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"),
    8: ("august", "aug", "aout", "agosto", "ago", "augustus"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "set", "settembre", "setembro"),
    10: (
        "october",
        "oct",
        "oktober",
        "okt",
        "octobre",
        "octubre",
        "oktober",
        "ottobre",
        "ott",
        "outubro",
        "out",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembre", "novembro"),
    12: ("december", "dec", "dezember", "dez", "decembre", "diciembre", "dic", "dicembre", "dezembro"),
}
MONTHS: dict[str, int] = {name: num for num, names in _MONTH_NAMES.items() for name in names}


_MONTH_ALT = trie_pattern(MONTHS)
_NUMERIC = re.compile(r"(?<![\d.,])(\d{1,4})([./\-])(\d{1,2})(?:\2(\d{2,4}))?(?![\d,]|\.\d)")
# `3 Apr 2025`, `03-APR-25`, `3. März 2025`, `03 avr.`, `3 de abril de 2025`
_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|\.)?[\s\-/.]*(?:de\s+)?({_MONTH_ALT})\.?(?![a-z])"
    rf"(?:[\s\-/.,]*(?:de\s+)?(\d{{4}}|\d{{2}}(?![\d:])))?",
)
# `Apr 3, 2025`, `April 03 2025`, `Apr 03`, and `Jan 31,2025` (OCR often loses the space after the
# comma: a whole scanned statement's dates were lost to it)
_MONTH_DAY = re.compile(
    rf"(?<![a-z])({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:(?:,\s*|\s+)(\d{{4}})(?![\d.,]\d))?"
)
_OCR_FIRST = re.compile(r"(?<![a-z0-9])[li](?:er|st)(?=\s)")
_MONTH_YEAR = re.compile(rf"(?<![a-z])({_MONTH_ALT})\.?\s+(\d{{4}})(?!\d)")
# The three patterns above run on case-folded text only: no IGNORECASE, which would slow them down
# several times.
_LETTER = re.compile(r"[a-z]")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date found in a text: where, what, and whether the year was printed."""

    start: int
    end: int
    value: date
    has_year: bool
    text: str


def _year(y: str) -> int:
    n = int(y)
    if len(y) <= 2:
        return 2000 + n if n < 70 else 1900 + n
    return n


def _make(y: int, m: int, d: int) -> date | None:
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def infer_year(
    month: int, day: int, start: date | None, end: date | None, fallback: int | None = None
) -> int | None:
    """Year of a day+month: the one that puts it nearest the statement period (handles New Year)."""
    if start is None and end is None:
        return fallback
    lo = start or end
    hi = end or start
    assert lo is not None and hi is not None
    best: tuple[int, int] | None = None
    for year in range(lo.year - 1, hi.year + 2):
        candidate = _make(year, month, day) or (_make(year, month, 28) if month == 2 else None)
        if candidate is None:
            continue
        gap = (lo - candidate).days if candidate < lo else (candidate - hi).days if candidate > hi else 0
        if best is None or gap < best[0]:
            best = (gap, year)
    return best[1] if best else fallback


def month_number(name: str) -> int | None:
    """Month number of a month name or abbreviation in EN/DE/FR/ES/NL/IT/PT."""
    return MONTHS.get(_fold(name).rstrip("."))


def find_dates(
    text: str,
    order: DateOrder | None = None,
    default_year: int | None = None,
    period: tuple[date | None, date | None] | None = None,
) -> list[DateMatch]:
    """All dates in `text`, left to right. Day+month without a year takes it from `period`/`default_year`."""
    if _DIGIT.search(text) is None:
        return []
    folded = _fold(text)
    if len(folded) != len(text):
        folded = text.casefold()
    # OCR reads the "1" of "1er"/"1st" as a letter l/I.
    folded = _OCR_FIRST.sub(lambda m: "1" + m.group(0)[1:], folded)
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    named = _LETTER.search(folded) is not None  # month names need letters

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def no_year(m: int, d: int) -> date | None:
        y = infer_year(m, d, period[0], period[1], default_year) if period is not None else default_year
        return _make(y, m, d) if y is not None else None

    for rx, kind in ((_DAY_MONTH, "dm"), (_MONTH_DAY, "md")) if named else ():
        for mt in rx.finditer(folded):
            if not free(mt.start(), mt.end()):
                continue
            if kind == "dm":
                d, mon, y = mt.group(1), mt.group(2), mt.group(3)
            else:
                mon, d, y = mt.group(1), mt.group(2), mt.group(3)
            mnum = MONTHS.get(mon.lower())
            if mnum is None:
                continue
            value = _make(_year(y), mnum, int(d)) if y else no_year(mnum, int(d))
            if value is None:
                continue
            found.append(DateMatch(mt.start(), mt.end(), value, bool(y), text[mt.start() : mt.end()]))
            taken.append((mt.start(), mt.end()))
    for mt in _NUMERIC.finditer(text):
        if not free(mt.start(), mt.end()):
            continue
        a, sep, b, c = mt.group(1), mt.group(2), mt.group(3), mt.group(4)
        value = None
        has_year = c is not None
        if len(a) == 4:
            if c is None or len(c) > 2:
                continue
            value = _make(int(a), int(b), int(c))
        elif c is not None:
            if len(a) > 2:
                continue
            x, z = int(a), int(b)
            eff = order or ("MDY" if x <= 12 < z else "DMY")
            value = _make(_year(c), x, z) if eff == "MDY" else _make(_year(c), z, x)
        else:
            if len(a) > 2 or (sep == "-" and order is None):
                continue
            x, z = int(a), int(b)
            if sep == "." and len(b) != 2:
                continue
            eff = order or ("MDY" if x <= 12 < z else "DMY")
            value = no_year(x, z) if eff == "MDY" else no_year(z, x)
        if value is None:
            continue
        found.append(DateMatch(mt.start(), mt.end(), value, has_year, mt.group(0)))
        taken.append((mt.start(), mt.end()))
    found.sort(key=lambda m: m.start)
    return found


def parse_date(
    text: str,
    order: DateOrder | None = None,
    default_year: int | None = None,
    period: tuple[date | None, date | None] | None = None,
) -> date | None:
    """The date that `text` is (whole string, surrounding blanks and punctuation allowed), or None."""
    stripped = text.strip().strip(",;:()")
    matches = find_dates(stripped, order, default_year, period)
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end >= len(stripped.rstrip(".")):
        return matches[0].value
    return None


def detect_date_order(texts: Iterable[str], hint: DateOrder | None = None) -> DateOrder:
    """D/M/Y or M/D/Y for a document, from numeric dates whose fields show it; else `hint` or DMY."""
    dmy = mdy = 0
    for text in texts:
        for mt in _NUMERIC.finditer(text):
            a, b = mt.group(1), mt.group(3)
            if len(a) > 2 or (mt.group(4) is None and mt.group(2) != "/"):
                continue  # "3.50" is an amount, not evidence about dates
            x, z = int(a), int(b)
            if x > 12 and z <= 12:
                dmy += 1
            elif z > 12 and x <= 12:
                mdy += 1
    if dmy > mdy:
        return "DMY"
    if mdy > dmy:
        return "MDY"
    return hint or "DMY"


def find_month_year(text: str) -> tuple[int, int] | None:
    """(year, month) from headings such as `March 2025` / `Kontoauszug März 2025`."""
    mt = _MONTH_YEAR.search(_fold(text))
    if not mt:
        return None
    mnum = MONTHS.get(mt.group(1).lower())
    return (int(mt.group(2)), mnum) if mnum else None
