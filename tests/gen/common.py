"""Shared bits of the document generators: fonts, number and date formatting, IBANs, text wrapping.

Formatting lives here because the truth and the page must be produced by the same function: the
self-tests then only have to prove the page shows what the truth says.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

CENT = Decimal("0.01")
NNBSP = "\u202f"  # narrow no-break space, the French thousands separator

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_FONTS_READY: dict[str, bool] = {}


def _register_dejavu() -> bool:
    if "dejavu" in _FONTS_READY:
        return _FONTS_READY["dejavu"]
    ok = True
    for name, file in (
        ("DejaVuSans", "DejaVuSans.ttf"),
        ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
        ("DejaVuSerif", "DejaVuSerif.ttf"),
        ("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf"),
        ("DejaVuSansCondensed", "DejaVuSansCondensed.ttf"),
        ("DejaVuSansCondensed-Bold", "DejaVuSansCondensed-Bold.ttf"),
        ("DejaVuSansMono", "DejaVuSansMono.ttf"),
        ("DejaVuSansMono-Bold", "DejaVuSansMono-Bold.ttf"),
    ):
        path = _DEJAVU / file
        if not path.is_file():
            ok = False
            break
        pdfmetrics.registerFont(TTFont(name, str(path)))
    _FONTS_READY["dejavu"] = ok
    return ok


# Font pairs (regular, bold). Unicode-capable pairs fall back to Helvetica when DejaVu is missing.
_STANDARD = {
    "helvetica": ("Helvetica", "Helvetica-Bold"),
    "times": ("Times-Roman", "Times-Bold"),
    "courier": ("Courier", "Courier-Bold"),
}
_TTF = {
    "dejavu": ("DejaVuSans", "DejaVuSans-Bold"),
    "dejavu-serif": ("DejaVuSerif", "DejaVuSerif-Bold"),
    "dejavu-condensed": ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold"),
    "dejavu-mono": ("DejaVuSansMono", "DejaVuSansMono-Bold"),
}


def fonts(name: str) -> tuple[str, str, bool]:
    """Return (regular, bold, unicode_ok) for a font family name."""
    if name in _STANDARD:
        reg, bold = _STANDARD[name]
        return reg, bold, False
    if name in _TTF and _register_dejavu():
        reg, bold = _TTF[name]
        return reg, bold, True
    return "Helvetica", "Helvetica-Bold", False


def text_width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


def wrap_words(text: str, font: str, size: float, width: float, max_lines: int = 3) -> tuple[list[str], str]:
    """Greedy word wrap; returns (lines, the text actually shown). Words that would need a 4th line are
    dropped, so the truth is what the page shows."""
    words = text.split()
    lines: list[str] = []
    cur: list[str] = []
    for w in words:
        trial = " ".join([*cur, w])
        if cur and text_width(trial, font, size) > width:
            lines.append(" ".join(cur))
            cur = [w]
            if len(lines) == max_lines:
                cur = []
                break
        else:
            cur.append(w)
    if cur:
        lines.append(" ".join(cur))
    lines = lines[:max_lines]
    return lines, " ".join(lines)


# ------------------------------------------------------------------ numbers
def group_digits(int_part: str, sep: str, indian: bool = False) -> str:
    if not sep or len(int_part) <= 3:
        return int_part
    groups: list[str] = []
    if indian:
        head, tail = int_part[:-3], int_part[-3:]
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        return sep.join([*groups, tail])
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    return sep.join(groups)


NUM_STYLES: dict[str, tuple[str, str, bool]] = {
    # style: (thousands separator, decimal mark, indian grouping)
    "us": (",", ".", False),
    "eu": (".", ",", False),
    "fr": (NNBSP, ",", False),
    "fr-space": (" ", ",", False),
    "ch": ("'", ".", False),
    "in": (",", ".", True),
    "za": (" ", ".", False),
    "plain": ("", ".", False),
    "plain-comma": ("", ",", False),
}


def fmt_num(value: Decimal, style: str, places: int = 2) -> str:
    """Unsigned number in a locale style (absolute value)."""
    sep, dec, indian = NUM_STYLES[style]
    q = abs(value).quantize(Decimal(1).scaleb(-places)) if places else abs(value).quantize(Decimal(1))
    s = f"{q:f}"
    int_part, _, frac = s.partition(".")
    out = group_digits(int_part, sep, indian)
    return f"{out}{dec}{frac}" if frac else out


def fmt_signed(value: Decimal, style: str, sign: str, dr: str = "DR", cr: str = "CR", places: int = 2) -> str:
    """Signed number as a statement prints it.

    sign: minus | plus_minus | trailing | trailing_blank | paren | drcr | abs | cr_only (credits marked,
    debits bare)."""
    body = fmt_num(value, style, places)
    neg = value < 0
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
        return f"{body} {dr}" if neg else f"{body} {cr}"
    if sign == "cr_only":
        return body if neg else f"{body} {cr}"
    if sign == "abs":
        return body
    raise ValueError(sign)


def canon(value: Decimal) -> str:
    """Canonical money string for the truth (two decimals)."""
    return f"{value.quantize(CENT):f}"


def canon_num(value: Decimal) -> str:
    """Canonical quantity/rate string: trailing zeros dropped."""
    s = f"{value.normalize():f}"
    return s


def cents(rng: random.Random, lo: float, hi: float) -> Decimal:
    return Decimal(rng.randint(round(lo * 100), round(hi * 100))) / 100


# ------------------------------------------------------------------ dates
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
}


def fmt_date(d: date, pattern: str, lang: str = "en") -> str:
    """Format with named fields: {dd} {d} {mm} {m} {yyyy} {yy} {mon} {MON} {month}."""
    month = MONTHS.get(lang, MONTHS["en"])[d.month - 1]
    mon = MONTHS["en"][d.month - 1][:3] if lang == "en" else month[:3]
    return pattern.format(
        dd=f"{d.day:02d}",
        d=str(d.day),
        mm=f"{d.month:02d}",
        m=str(d.month),
        yyyy=f"{d.year:04d}",
        yy=f"{d.year % 100:02d}",
        mon=mon.capitalize() if lang == "en" else mon,
        MON=mon.upper(),
        month=month,
    )


# ------------------------------------------------------------------ IBAN / BIC
_BBAN_SHAPE = {
    # country: list of (kind, length): n digits, a upper letters, c alnum
    "DE": [("n", 8), ("n", 10)],
    "GB": [("a", 4), ("n", 6), ("n", 8)],
    "IE": [("a", 4), ("n", 6), ("n", 8)],
    "FR": [("n", 5), ("n", 5), ("n", 11), ("n", 2)],
    "NL": [("a", 4), ("n", 10)],
    "CH": [("n", 5), ("n", 12)],
    "ES": [("n", 4), ("n", 4), ("n", 2), ("n", 10)],
    "IT": [("a", 1), ("n", 5), ("n", 5), ("n", 12)],
    "AT": [("n", 5), ("n", 11)],
    "BE": [("n", 12)],
    "LU": [("n", 3), ("n", 13)],
    "PT": [("n", 21)],
    "SE": [("n", 3), ("n", 17)],
}


def iban_check_digits(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    num = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(num) % 97:02d}"


def iban_valid(iban: str) -> bool:
    s = iban.replace(" ", "").upper()
    num = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(num) % 97 == 1


def make_iban(rng: random.Random, country: str, parts: dict[int, str] | None = None) -> str:
    """A mod-97 valid IBAN; parts can pin BBAN segments (e.g. the bank code or the account number)."""
    segs = []
    for i, (kind, n) in enumerate(_BBAN_SHAPE[country]):
        if parts and i in parts:
            seg = parts[i]
        elif kind == "n":
            seg = "".join(rng.choice("0123456789") for _ in range(n))
        elif kind == "a":
            seg = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(n))
        else:
            seg = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(n))
        assert len(seg) == n, (country, i, seg)
        segs.append(seg)
    bban = "".join(segs)
    return country + iban_check_digits(country, bban) + bban


def iban_print(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def make_bic(bank4: str, country: str, loc: str = "XX", branch: str = "") -> str:
    return (bank4 + country + loc + branch).upper()
