"""Values next to invoice labels: the text right of a label, else the text under it, parsed by kind.

Kept apart from the label vocabulary so the same geometry serves the built-in header fields and the
tenant's custom fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from ledgerlens.documents.model import Word
from ledgerlens.extract.dates import DateMatch, DateOrder, find_dates
from ledgerlens.extract.labels import MONEY_RX, LabelHit, PageLines, TextLine, all_label_spans
from ledgerlens.extract.numbers import parse_amount_ex

ValueKind = Literal["ref", "date", "money", "text"]

_FILLER = re.compile(
    r"^(?:[:#.\-–/]+|no\.?|nr\.?|n°|nº|n\.?|num\.?|number|nummer|numero|número|of|du|del|de|vom|van|dd\.?|"
    r"is|at|le|am|on|:?#)$",
    re.IGNORECASE,
)
_QUALIFIED = re.compile(
    r"(?:\(|/|(?<![a-z])(?:exkl|excl|inkl|incl|ohne|zzgl|zuzugl|plus|hors|ex|inc))\.?\s*$"
)
_CURRENCY_WORD = re.compile(r"^(?:[$€£₹¥]|[A-Z]{3}|Rs\.?|INR|EUR|USD)$")


@dataclass(slots=True)
class Found:
    value: object
    text: str
    page: int
    bbox: tuple[float, float, float, float]
    below: bool = False


def _bbox(words: list[Word]) -> tuple[float, float, float, float]:
    return (
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
    )


def _starts(rx: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in rx.finditer(text) if m.end() > m.start()]


def segment_after(hit: LabelHit, money: bool = False) -> tuple[str, list[Word]]:
    """Same-line text after the label, up to the next label-like phrase.

    A label that only qualifies this one ("Netto (exkl. USt.)", "TVA / BTW") does not end it.
    """
    tl = hit.line
    stop = len(tl.text)
    first_amount = hit.end
    money_spans: set[int] = set()
    if money:
        first_amount = len(tl.text)
        for i, w in enumerate(tl.words):
            if tl.starts[i] >= hit.end and money_amounts([w], None):
                first_amount = tl.starts[i]
                break
        money_spans = {a for pats in MONEY_RX.values() for rx, _p in pats for a in _starts(rx, tl.folded)}
    for a, _b in all_label_spans(tl):
        if not hit.end <= a < stop or _QUALIFIED.search(tl.folded[max(hit.end, a - 8) : a]):
            continue
        # for money, only another amount label ends the segment before its first amount
        # ("Total for this invoice $4.11" reads past "invoice")
        if money and a < first_amount and a not in money_spans:
            continue
        stop = a
    text = tl.text[hit.end : stop]
    words = tl.words_between(hit.end, stop)
    if words and tl.starts[tl.words.index(words[0])] < hit.end:
        # the label ends inside a word ("Number:B547"): keep only the rest of that word
        first = words[0]
        rest = first.text[hit.end - tl.starts[tl.words.index(first)] :]
        words = (
            [Word(rest, first.bbox, first.confidence, first.source)] if rest.strip(" :#") else []
        ) + words[1:]
    return text, words


def words_below(
    hit: LabelHit, pages: list[PageLines], max_lines: int = 3, extend: bool = True
) -> list[tuple[TextLine, list[Word]]]:
    """Words under the label (x-overlapping it) on the next few lines of the same page."""
    page = next((p for p in pages if p.number == hit.page), None)
    if page is None:
        return []
    x0, x1 = hit.x0 - 0.01, max(hit.x1, hit.x0 + 0.04) + 0.01
    out: list[tuple[TextLine, list[Word]]] = []
    h = max(hit.line.height, 0.008)
    last_y = hit.line.bbox[3]
    for tl in page.lines[hit.line.index + 1 :]:
        if tl.bbox[1] - last_y > 2.8 * h:
            break
        ws = [w for w in tl.words if w.x1 > x0 and w.x0 < x1]
        if not ws:
            continue
        if not extend:
            # one value per column: the word most under the label, and what follows it closely
            best = max(ws, key=lambda w: min(w.x1, hit.x1) - max(w.x0, hit.x0))
            ws = ws[ws.index(best) :]
            keep = ws[:1]
            for w in ws[1:]:
                if w.x0 - keep[-1].x1 > 1.2 * max(w.height, 0.005):
                    break
                keep.append(w)
            ws = keep
        else:
            # extend to the right over words that continue the value (small gaps)
            idx = tl.words.index(ws[-1])
            for w in tl.words[idx + 1 :]:
                if w.x0 - ws[-1].x1 < 1.2 * max(w.height, 0.005):
                    ws.append(w)
                else:
                    break
        if ws:
            out.append((tl, ws))
            last_y = tl.bbox[3]
            if len(out) >= max_lines:
                break
    return out


def parse_ref(text: str) -> str | None:
    """First id-like token: contains a digit, is not a date or a bare amount."""
    tokens = text.replace(":", " : ").split()
    for tok in tokens[:6]:
        if _FILLER.match(tok):
            continue
        if re.fullmatch(r"\(\w{1,4}\)", tok):
            continue  # "Handelsrechnung (380) Nr. 471102": a type code, not the number
        t = tok.strip(",;:()[]").lstrip("#")
        if len(t) >= 2 and t[0] in "nN" and t[1] in "°º":
            t = t[2:]
        t = t.strip(".")
        if not t or not any(c.isdigit() for c in t):
            return None
        if find_dates(t) and find_dates(t)[0].text == t:
            return None
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})*[.,]\d{2}", t):
            return None
        return t
    return None


_NUM_DATE_COMMA = re.compile(r"(\d{1,4}[./-]\d{1,2}[./-]\d{2,4}),")


def dates_in(text: str, order: DateOrder | None = None) -> list[DateMatch]:
    """`find_dates` on invoice text: "04.07.2013, 3% Skonto" and "August 3 , 2014" read as dates."""
    text = re.sub(r"(?<=\d) ,", ",", text)
    text = _NUM_DATE_COMMA.sub(r"\1 ", text)
    found = find_dates(text, order)
    if not found and order is not None:
        found = find_dates(text, None)  # "01/20/2024" in a document guessed day-first
    return found


def parse_first_date(text: str, order: DateOrder | None, within: int = 14) -> date | None:
    for m in dates_in(text, order):
        if m.has_year and m.start <= within:
            return m.value
    return None


@dataclass(slots=True)
class Amount:
    value: Decimal
    word: Word
    decimals: int


def amounts_in(words: list[Word], decimal_sep: str | None) -> list[Amount]:
    """Money amounts among words (currency symbols and percentages skipped), left to right."""
    out: list[Amount] = []
    i = 0
    while i < len(words):
        w = words[i]
        t = w.text.strip()
        if not t or t.endswith("%") or _CURRENCY_WORD.match(t):
            i += 1
            continue
        # "1 234,56": a 1-3 digit word followed closely by a 3-digit group with decimals
        if i + 1 < len(words) and re.fullmatch(r"-?\d{1,3}", t):
            nxt = words[i + 1]
            # x is a fraction of the width, heights of the (taller) page height: OCR spaces run wider
            if re.fullmatch(r"\d{3}[.,]\d{2}", nxt.text) and nxt.x0 - w.x1 < 1.5 * max(
                w.height, nxt.height, 0.004
            ):
                p = parse_amount_ex(t + " " + nxt.text, decimal_sep)
                if p is not None:
                    out.append(
                        Amount(p.value, Word(t + " " + nxt.text, (w.x0, w.y0, nxt.x1, nxt.y1)), p.decimals)
                    )
                    i += 2
                    continue
        t = t.replace("(-)", "-")
        if t.count("(") != t.count(")"):
            t = t.strip("()")
        p = parse_amount_ex(t, decimal_sep)
        if p is not None and p.marker not in ("debit", "credit"):
            out.append(Amount(p.value, w, p.decimals))
        i += 1
    return out


def money_amounts(words: list[Word], decimal_sep: str | None) -> list[Amount]:
    """Amounts that look like money: two (or more) decimals, or a whole number right after a currency."""
    out = []
    for a in amounts_in(words, decimal_sep):
        if a.decimals >= 2:
            out.append(a)
            continue
        idx = next((i for i, w in enumerate(words) if w is a.word), None)
        prev = words[idx - 1].text if idx else ""
        if a.decimals == 0 and (_CURRENCY_WORD.match(prev) or re.match(r"^-?[$€£₹]", a.word.text)):
            out.append(a)
    return out


def value_for(
    hit: LabelHit,
    kind: ValueKind,
    pages: list[PageLines],
    *,
    order: DateOrder | None = None,
    decimal_sep: str | None = None,
    allow_below: bool = True,
) -> Found | None:
    """The value of `kind` that belongs to a label: right of it on its line, else under it."""
    text, words = segment_after(hit, money=kind == "money")
    found = _parse(kind, text, words, hit.page, order, decimal_sep)
    if found is not None or not allow_below:
        return found
    for tl, ws in words_below(hit, pages, max_lines=1 if kind == "money" else 3, extend=kind == "text"):
        t = " ".join(w.text for w in ws)
        f = _parse(kind, t, ws, tl.page, order, decimal_sep)
        if f is not None:
            f.below = True
            return f
    return None


def _parse(
    kind: ValueKind, text: str, words: list[Word], page: int, order: DateOrder | None, decimal_sep: str | None
) -> Found | None:
    if not words:
        return None
    if kind == "ref":
        v = parse_ref(text)
        if v is None:
            return None
        ws = [w for w in words if v in w.text] or words[:1]
        return Found(v, v, page, _bbox(ws))
    if kind == "date":
        d = parse_first_date(text, order)
        return Found(d, text.strip(), page, _bbox(words)) if d else None
    if kind == "money":
        amts = money_amounts(words, decimal_sep)
        if not amts:
            return None
        a = amts[-1]
        return Found(a.value, a.word.text, page, a.word.bbox)
    # free text (purchase order, custom fields): the words up to a wide gap; a second label
    # before a colon ("/ Ref. klant: PO-1") is skipped
    colon = next((i for i, w in enumerate(words[:4]) if w.text.endswith(":")), None)
    if colon is not None:
        words = words[colon + 1 :]
    run: list[Word] = []
    for w in words:
        if run and w.x0 - run[-1].x1 > 3 * max(w.height, 0.006):
            break
        if not run and _FILLER.match(w.text):
            continue
        run.append(w)
    value = " ".join(w.text for w in run).strip(" :")
    if not value:
        return None
    return Found(value, value, page, _bbox(run))
