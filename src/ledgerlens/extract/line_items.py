"""The items table: found by its header row, read column by column from the header's geometry.

Columns are anchored on the header words (description, quantity, unit price, tax rate, amount in six
languages); each word of a row goes to the column whose span holds its centre. A row with an amount
starts an item, a row with text only continues the description above (wrapped descriptions), and
the table ends at the totals block. Quantity x unit price = amount is checked per row; when the
columns are ambiguous (a quantity column titled "Amount"), that product decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ledgerlens.documents.model import Word
from ledgerlens.extract.labels import MONEY_RX, PageLines, TextLine, fold
from ledgerlens.extract.numbers import parse_amount_ex

_COLS: dict[str, str] = {
    "desc": r"description|descriptions|item|items|product(?:\s+title)?|produkt|products|service|services|"
    r"article|artikel(?:beschreibung)?|beschreibung|bezeichnung|leistung|omschrijving|designation|libelle|descripcion|"
    r"concepto|descrizione|articolo|particulars|details|description\s+of\s+goods|prestation|descricao|artigo",
    "qty": r"qty|quantity|quantities|menge|anzahl|anz\.|aantal|quantite|q\.?\s?te|qty\.|cantidad|cant\.?|"
    r"quantita|quantidade|q\.?\s?ta|hours|hrs|units|stk|stuck|pcs|nos|uds|unidades|aantal",
    "price": r"unit\s+price|price|unit\s+cost|rate|einzelpreis|preis|e-preis|vk-preis|nettopreis|stuckpreis|"
    r"prijs(?:\s+per\s+stuk)?|prix\s+unitaire|prix|p\.u\.|pu\s+ht|precio(?:\s+unitario)?|prezzo(?:\s+unitario)?|"
    r"tarif|preco(?:\s+unitario)?|price/unit|preis/\s*einheit|unit\s+price\s+\(?excl",
    "amount": r"amount|total|line\s+total|betrag|gesamt|gesamtpreis|summe|zeilenbetrag|positionsbetrag|"
    r"bedrag|montant(?:\s+ht)?|importe|importo|valor|totale|totaal|net\s+amount|entgelt|subtotal|"
    r"taxable\s+(?:value|amount)|net\s+value|nettowert|warenwert",
    "tax": r"vat|tax|gst|mwst|ust|btw|tva|iva|tax\s*\(%\)|vat\s*%|taxes|ust\.\s*%",
    "pos": r"#|pos\.?|position|lfd\.?\s*nr\.?|sl\.?(?:\s*no\.?)?|s\.\s*no\.?|nr\.?|no\.",
    "other": r"sconto|rabatt|disc\.?\s*%?|discount|remise|descuento|korting|u\.\s?m\.|einheit|unite|unidad|"
    r"eenheid|hsn(?:/sac)?|sac|codice|codigo|code|art(?:ikel)?\.?-?\s?nr\.?|sku|per",
}
_COL_RX = {k: re.compile(rf"(?<![a-z0-9])(?:{v})(?![a-z])") for k, v in _COLS.items()}
# Quantity roles of an order/delivery table: the billed quantity is the one shipped
_QTY_ROLES: dict[str, re.Pattern[str]] = {
    "backorder": re.compile(
        r"(?<![a-z])(?:back[\s-]?order(?:ed)?|b/o|ruckstand|reliquat|nalevering|achterstand|pendiente|"
        r"residuo|inevas[oa]|da\s+consegnare|en\s+attente)(?![a-z])"
    ),
    "ordered": re.compile(
        r"(?<![a-z])(?:ordered|qty\.?\s*ord\.?|ord\.|bestellt|bestellmenge|commandee?s?|besteld|pedid[oa]s?|"
        r"ordinat[oa]|solicitad[oa])(?![a-z])"
    ),
    "shipped": re.compile(
        r"(?<![a-z])(?:shipped|qty\.?\s*shp\.?|shp\.|delivered|geliefert|liefermenge|livree?s?|geleverd|"
        r"servid[oa]s?|enviad[oa]s?|entregad[oa]s?|consegnat[oa]|spedit[oa]|invoiced\s+qty)(?![a-z])"
    ),
}
_NOTE = re.compile(r"^(?:incl|inkl|including|inclusief|dont|davon|hiervon)\b", re.IGNORECASE)
_SUBLINE = re.compile(
    r"(?<![a-z])(?:abzgl|zzgl|abschlag|zuschlag|rabatt|nachlass|discount|remise|descuento|korting|sconto|"
    r"bruttopreis|gross\s+price)(?![a-z])",
    re.IGNORECASE,
)
_CARRIED = re.compile(
    r"(?<![a-z])(?:ubertrag|uebertrag|vortrag|carried\s+forward|brought\s+forward|carry\s+forward|c/f|b/f|"
    r"a\s+riportare|riporto|a\s+reporter|report|transport|suma\s+y\s+sigue|suma\s+anterior|"
    r"van\s+vorige\s+pagina|naar\s+volgende\s+pagina|zwischensumme\s+seite)(?![a-z])"
)
"""A multi-page table's carried subtotal row."""
_NOTE_LINE = re.compile(r"^[^\W\d][\w .'’/-]{1,30}:\s*[-+]?(?:[€$£]\s?)?\d[\d.,' ]*(?:\s?(?:€|[A-Z]{3}))?$")
"""A `Label: amount` sub-line under an item (`List price: 56.70`, `Bruttopreis: 9,9000`)."""
_PERCENT = re.compile(r"^\(?(\d{1,2}(?:[.,]\d{1,2})?)\s?%\)?$")


@dataclass(slots=True)
class Column:
    kind: str
    x0: float
    x1: float
    lo: float = 0.0
    hi: float = 1.0


@dataclass(slots=True)
class Token:
    word: Word
    number: Decimal | None
    decimals: int
    percent: Decimal | None


@dataclass(slots=True)
class Item:
    desc: list[str] = field(default_factory=list)
    qty: Decimal | None = None
    price: Decimal | None = None
    amount: Decimal | None = None
    tax: Decimal | None = None
    page: int = 1
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    arithmetic: bool | None = None


_KIND_ORDER = ("price", "desc", "qty", "tax", "amount", "pos", "other")


_QUALIFIER = re.compile(
    r"(?:(?<![a-z])(?:ex(?:cl|kl)?|in(?:cl|kl|c)|ohne|hors|sans|sin|senza|zonder)|\()\.?\s*$"
)


def _phrase_columns(ph: list[Word]) -> list[Column]:
    """Columns in one header phrase; several when titles sit close together ("Qté / Aantal Prix unit.")."""
    starts: list[int] = []
    pos = 0
    for w in ph:
        starts.append(pos)
        pos += len(w.text) + 1
    text = fold(" ".join(w.text for w in ph))
    for role, rx in _QTY_ROLES.items():
        if rx.search(text) and not _COL_RX["desc"].search(text) and not _COL_RX["price"].search(text):
            return [Column(role, ph[0].x0, ph[-1].x1)]
    matches: list[tuple[int, int, int, str]] = []
    for rank, kind in enumerate(_KIND_ORDER):
        for m in _COL_RX[kind].finditer(text):
            if m.end() > m.start() and not _QUALIFIER.search(text[max(0, m.start() - 8) : m.start()]):
                # "Amount (ex GST)", "Total excl. BTW": a qualifier, not another column
                matches.append((m.start(), m.end(), rank, kind))
    matches.sort(key=lambda x: (x[0], -(x[1] - x[0]), x[2]))
    found: list[tuple[int, int, str]] = []
    for a, b, _rank, kind in matches:
        if all(b <= fa or a >= fb for fa, fb, _k in found):
            found.append((a, b, kind))
    found.sort()
    groups: list[tuple[int, str]] = []
    for a, _b, kind in found:
        if not groups or groups[-1][1] != kind:
            groups.append((a, kind))
    cols: list[Column] = []
    for g, (a, kind) in enumerate(groups):
        first = max(i for i, st in enumerate(starts) if st <= a)
        end_char = groups[g + 1][0] if g + 1 < len(groups) else len(text)
        last = max(i for i, st in enumerate(starts) if st < end_char)
        if g + 1 < len(groups):
            nxt_first = max(i for i, st in enumerate(starts) if st <= groups[g + 1][0])
            last = min(last, nxt_first - 1) if nxt_first > first else first
        cols.append(Column(kind, ph[first].x0, ph[max(last, first)].x1))
    return cols


def _header_columns(tl: TextLine) -> list[Column]:
    """Columns of a header line: each phrase (words between wide gaps) named by its first keyword.

    "Amount (ex GST)" is one amount column, not an amount and a tax column.
    """
    phrases: list[list[Word]] = []
    for w in tl.words:
        if phrases and w.x0 - phrases[-1][-1].x1 <= 1.1 * max(w.height, 0.006):
            phrases[-1].append(w)
        else:
            phrases.append([w])
    cols: list[Column] = []
    for ph in phrases:
        cols.extend(_phrase_columns(ph))
    prices = [c for c in cols if c.kind == "price"]
    if len(prices) > 1 and not any(c.kind == "amount" for c in cols):
        prices[-1].kind = "amount"  # "Prijs per stuk ... Prijs incl. BTW": the last price is the line total
    return sorted(cols, key=lambda c: c.x0)


def is_items_header(tl: TextLine, decimal_sep: str | None) -> bool:
    """A row of column titles with a description or quantity and a price or amount column."""
    cols = _header_columns(tl)
    kinds = {c.kind for c in cols}
    if len(kinds) < 2 or not (kinds & {"amount", "price"}):
        return False
    if not (kinds & {"desc", "qty", "shipped"}):
        return False
    # a header has no money amounts in it
    return not any(_token(w, decimal_sep).decimals >= 2 for w in tl.words)


def _merge_groups(words: list[Word]) -> list[Word]:
    """Join "2 668,31" (thousands grouped with a space) into one word."""
    out: list[Word] = []
    for w in words:
        if out and re.fullmatch(r"\d{3}(?:[.,]\d+)?", w.text) and re.fullmatch(r"-?\d{1,3}", out[-1].text):
            prev = out[-1]
            if w.x0 - prev.x1 < 1.2 * max(w.height, prev.height, 0.004):
                out[-1] = Word(
                    prev.text + " " + w.text, (prev.x0, min(prev.y0, w.y0), w.x1, max(prev.y1, w.y1))
                )
                continue
        out.append(w)
    return out


def _token(w: Word, decimal_sep: str | None) -> Token:
    t = w.text.strip()
    if not any(c.isdigit() for c in t):
        return Token(w, None, 0, None)
    pm = _PERCENT.match(t)
    if pm:
        return Token(w, None, 0, Decimal(pm.group(1).replace(",", ".")))
    p = parse_amount_ex(t, decimal_sep)
    if p is None or p.marker in ("debit", "credit"):
        return Token(w, None, 0, None)
    return Token(w, p.value, p.decimals, None)


def _merge_header(lines: list[TextLine], i: int, decimal_sep: str | None) -> tuple[list[Column], int]:
    """Columns of a header that may span two or three lines; returns them and the last header line."""
    cols = _header_columns(lines[i])
    last = i
    h = max(lines[i].height, 0.008)
    for j in (i - 1, i + 1, i + 2):
        if j < 0 or j >= len(lines) or j == i:
            continue
        tl = lines[j]
        if abs(tl.bbox[1] - lines[i].bbox[1]) > 3.2 * h:
            continue
        extra = _header_columns(tl)
        if not extra or any(_token(w, decimal_sep).decimals >= 2 for w in tl.words):
            continue
        if j > i and any(_token(w, decimal_sep).number is not None for w in tl.words):
            continue
        for c in extra:
            if all(c.x1 < o.x0 or c.x0 > o.x1 for o in cols):
                cols.append(c)
        if j > last:
            last = j
    cols.sort(key=lambda c: c.x0)
    if any(c.kind == "shipped" for c in cols):
        for c in cols:
            if c.kind == "qty":
                c.kind = "other"  # "Qty" over an ordered/shipped pair: the shipped one is billed
            elif c.kind == "shipped":
                c.kind = "qty"
    amounts = [c for c in cols if c.kind == "amount"]
    if len(amounts) > 1 and not any(c.kind == "qty" for c in cols):
        # "Amount Product VAT Price Total": the left "amount" column holds quantities
        amounts[0].kind = "qty"
    for k, c in enumerate(cols):
        # text far left of the first column title (side notes, rotated margin text) is not in the table
        c.lo = max(0.0, c.x0 - 0.03) if k == 0 else (cols[k - 1].x1 + c.x0) / 2
        c.hi = 1.0 if k == len(cols) - 1 else (c.x1 + cols[k + 1].x0) / 2
    for k, c in enumerate(cols):
        if c.kind == "desc" and k + 1 < len(cols):
            # descriptions run from their header to just before the next column's values
            nxt = cols[k + 1]
            c.hi = max(c.hi, nxt.x0 - 0.01)
            nxt.lo = c.hi
    return cols, last


def _column_of(cols: list[Column], w: Word) -> Column | None:
    cx = (w.x0 + w.x1) / 2
    for c in cols:
        if c.lo <= cx < c.hi:
            return c
    return None


def _totals_line(tl: TextLine) -> str | None:
    """The kind of totals label a line starts with (subtotal/total/tax/amount_due), if any."""
    for name, pats in MONEY_RX.items():
        if name in ("charges", "prepaid"):
            continue
        for rx, _prio in pats:
            m = rx.search(tl.folded)
            if m and m.start() <= max(3, len(tl.folded) // 2):
                return name
    return None


def _close(a: Decimal, b: Decimal, qty: Decimal) -> bool:
    tol = max(Decimal("0.01"), qty.copy_abs() * Decimal("0.005"))
    return (a - b).copy_abs() <= tol


def _read_row(tl: TextLine, cols: list[Column], decimal_sep: str | None) -> Item | None:
    """An item from a row with an amount; None for a text-only row."""
    desc_col = next((c for c in cols if c.kind == "desc"), None)
    values: dict[str, list[Token]] = {}
    desc: list[str] = []
    desc_nums: list[tuple[int, Token]] = []
    numbers: list[Token] = []
    for w in _merge_groups(tl.words):
        tok = _token(w, decimal_sep)
        col = _column_of(cols, w)
        if col is None and cols and (w.x0 + w.x1) / 2 < cols[0].lo:
            continue
        kind = col.kind if col else None
        if kind == "desc" or (kind is None and desc_col is None):
            if tok.number is not None:
                desc_nums.append((len(desc), tok))
            desc.append(w.text)
            continue
        if tok.number is None and tok.percent is None:
            if w.text == "%" and numbers and numbers[-1].percent is None and numbers[-1].number is not None:
                last = numbers.pop()
                pct = Token(last.word, None, 0, last.number)
                numbers.append(pct)
                for toks in values.values():
                    if last in toks:
                        toks.remove(last)
                values.setdefault("tax", []).append(pct)
            elif desc and not numbers and kind not in ("amount", "price"):
                desc.append(w.text)
            continue
        numbers.append(tok)
        if kind is not None:
            values.setdefault(kind, []).append(tok)
    money = [t for t in numbers if t.number is not None and t.decimals >= 2]
    if not money:
        return None
    item = Item(desc=desc, page=tl.page, boxes=[tl.bbox])

    def first(kind: str, want_money: bool = False) -> Decimal | None:
        for t in values.get(kind, []):
            if kind == "tax":
                if t.percent is not None:
                    return t.percent
                continue
            if t.number is not None and (not want_money or t.decimals >= 2):
                return t.number
        return None

    item.amount = next((t.number for t in reversed(values.get("amount", [])) if t.number is not None), None)
    if item.amount is None:
        if any(c.kind == "amount" for c in cols):
            return None  # nothing in the amount column: a sub-line (gross price, note), not an item
        item.amount = money[-1].number
    item.price = first("price", want_money=True)
    item.qty = first("qty")
    item.tax = first("tax")
    if item.tax is None:
        item.tax = next((t.percent for t in numbers if t.percent is not None), None)
    plain = [t for t in numbers if t.number is not None]
    if item.amount is not None:
        if item.qty is not None and item.price is not None:
            item.arithmetic = _close(item.qty * item.price, item.amount, item.qty)
        if not item.arithmetic:
            # let the arithmetic decide among the row's numbers
            for q in plain:
                for p in plain:
                    if p is q or q.number is None or p.number is None or p.decimals < 2:
                        continue
                    if p.word is money[-1].word or q.word is money[-1].word:
                        continue
                    if q.number > 0 and _close(q.number * p.number, item.amount, q.number):
                        item.qty, item.price, item.arithmetic = q.number, p.number, True
                        break
                if item.arithmetic:
                    break
        if not item.arithmetic and desc_nums:
            _numbers_from_description(item, desc_nums, plain, money[-1])
        if item.qty is None and item.price is not None and item.price == item.amount:
            item.qty = Decimal(1)
    if (
        any(c.kind == "pos" for c in cols)
        and len(item.desc) > 1
        and re.fullmatch(r"\d{1,3}\.?", item.desc[0])
    ):
        item.desc = item.desc[1:]  # the position number drifted into the description (a scan's skew)
    return item


def _numbers_from_description(
    item: Item, desc_nums: list[tuple[int, Token]], plain: list[Token], amount_tok: Token
) -> None:
    """Quantity and price read as description text (columns shifted on a scan): keep the pair whose
    product is the amount, and take them (and a unit right after the quantity) out of the text."""
    assert item.amount is not None
    pool: list[tuple[int | None, Token]] = [(i, t) for i, t in desc_nums] + [
        (None, t) for t in plain if t is not amount_tok
    ]
    for qi, q in pool:
        for pi, p in pool:
            if p is q or q.number is None or p.number is None or p.decimals < 2 or q.number <= 0:
                continue
            if qi is None and pi is None:
                continue
            if not _close(q.number * p.number, item.amount, q.number):
                continue
            drop = {i for i in (qi, pi) if i is not None}
            if (
                qi is not None
                and qi + 1 < len(item.desc)
                and re.fullmatch(r"[^\W\d]{1,8}\.?", item.desc[qi + 1])
                and (qi + 2 >= len(item.desc) or (pi is not None and pi == qi + 2))
            ):
                drop.add(qi + 1)  # "144 h", "100 caja": the quantity's unit
            item.desc = [w for k, w in enumerate(item.desc) if k not in drop]
            item.qty, item.price, item.arithmetic = q.number, p.number, True
            return


def _as_dict(item: Item) -> dict[str, Any]:
    x0 = min(b[0] for b in item.boxes)
    y0 = min(b[1] for b in item.boxes)
    x1 = max(b[2] for b in item.boxes)
    y1 = max(b[3] for b in item.boxes)
    conf = 0.97 if item.arithmetic else (0.8 if item.arithmetic is None else 0.5)
    qty = item.qty
    if qty is not None:
        qty = qty.normalize()
        if qty == qty.to_integral_value():
            qty = qty.quantize(Decimal(1))
    tax = item.tax
    if tax is not None:
        tax = tax.normalize()
        if tax == tax.to_integral_value():
            tax = tax.quantize(Decimal(1))
    return {
        "description": re.sub(r"\s+", " ", " ".join(item.desc)).strip() or None,
        "quantity": qty,
        "unit_price": item.price,
        "amount": item.amount,
        "tax_rate": tax,
        "page": item.page,
        "bbox": [round(x0, 4), round(y0, 4), round(x1, 4), round(y1, 4)],
        "confidence": conf,
    }


def _arithmetic_row(tl: TextLine, decimal_sep: str | None) -> Item | None:
    """A row without column titles: description, then numbers where quantity x price = amount."""
    words = _merge_groups(tl.words)
    toks = [_token(w, decimal_sep) for w in words]
    nums = [(i, t) for i, t in enumerate(toks) if t.number is not None]
    if len(nums) < 3 or toks[nums[-1][0]].decimals < 2:
        return None
    _ai, at = nums[-1]
    amount = at.number
    assert amount is not None
    for qi, qt in nums[:-1]:
        for pi, pt in nums[:-1]:
            if pi == qi or pt.decimals < 2 or qt.number is None or pt.number is None or qt.number <= 0:
                continue
            if _close(qt.number * pt.number, amount, qt.number):
                first, second = min(qi, pi), max(qi, pi)
                # "Widget 2 9.50 19.00" or "2 Widget 9.50 19.00": the text before and between them
                desc = [w.text for w in words[:first]] + [w.text for w in words[first + 1 : second]]
                if not desc or not re.search(r"[A-Za-zÀ-ÿ]{2}", " ".join(desc)):
                    return None
                tax = next((t.percent for t in toks if t.percent is not None), None)
                return Item(desc, qt.number, pt.number, amount, tax, tl.page, [tl.bbox], True)
    return None


def _headerless_items(lines: list[TextLine], decimal_sep: str | None) -> list[Item]:
    """Items of a table whose title row is missing (e.g. white on a dark band that OCR lost)."""
    items: list[Item] = []
    desc_x: float | None = None
    prev_bottom = 0.0
    for tl in lines:
        if items and _totals_line(tl) is not None:
            break
        item = _arithmetic_row(tl, decimal_sep)
        if item is not None:
            items.append(item)
            desc_x = tl.bbox[0]
            prev_bottom = tl.bbox[3]
            continue
        if items and desc_x is not None:
            h = max(tl.height, 0.006)
            if tl.bbox[1] - prev_bottom > 2.5 * h:
                break
            if abs(tl.bbox[0] - desc_x) < 0.02 and not any(
                _token(w, decimal_sep).decimals >= 2 for w in tl.words
            ):
                items[-1].desc.extend(w.text for w in tl.words)
                items[-1].boxes.append(tl.bbox)
                prev_bottom = tl.bbox[3]
    return items


def _page_items(
    lines: list[TextLine], decimal_sep: str | None, carried: list[Column] | None = None
) -> tuple[list[Item], list[Column] | None, bool]:
    """(items, the columns used, whether the table ended on this page).

    A page without its own header row continues the table of the page before with its columns.
    """
    start = next((i for i, tl in enumerate(lines) if is_items_header(tl, decimal_sep)), None)
    if start is None and carried is None:
        return _headerless_items(lines, decimal_sep), None, True
    if start is not None:
        cols, last = _merge_header(lines, start, decimal_sep)
        prev_bottom = lines[last].bbox[3]
        body = lines[last + 1 :]
    else:
        assert carried is not None
        cols, body, prev_bottom = carried, lines, 0.0
    desc_col = next((c for c in cols if c.kind == "desc"), None)
    items: list[Item] = []
    after_sub = False
    ended = False
    for tl in body:
        h = max(tl.height, 0.006)
        total_kind = _totals_line(tl)
        if total_kind is not None and is_items_header(tl, decimal_sep):
            total_kind = None
        if total_kind is not None:
            if not items:
                continue
            if total_kind == "subtotal":
                after_sub = True
                prev_bottom = tl.bbox[3]
                continue
            ended = True
            break
        item = _read_row(tl, cols, decimal_sep)
        if item is not None and item.qty is None and _CARRIED.search(tl.folded):
            prev_bottom = tl.bbox[3]  # "Übertrag 13.999,64", "Carried forward": a page's running sum
            continue
        if item is not None:
            strict = after_sub or start is None  # after a subtotal, or on a page without its own header
            if strict and not (item.qty is not None and item.price is not None and item.arithmetic):
                ended = True
                break
            text = " ".join(item.desc)
            if items and (_NOTE.match(text.strip()) or (item.qty is None and _SUBLINE.search(tl.text))):
                prev_bottom = tl.bbox[3]
                continue  # "Incl. levy ...", "abzgl. 10% Rabatt": part of the item above, not an item
            if not item.desc and items and item.qty is None and item.price is None:
                ended = True
                break
            items.append(item)
            prev_bottom = tl.bbox[3]
            continue
        # text-only row: continues the description above when it sits in the description column
        if not items:
            continue
        gap = tl.bbox[1] - prev_bottom
        in_desc = desc_col is not None and tl.bbox[0] >= desc_col.lo - 0.02
        if gap > 2.5 * h:
            ended = True
            break
        if not in_desc:
            prev_bottom = tl.bbox[3]  # article numbers, codes: still the table
            continue
        if after_sub:
            ended = True
            break
        if _NOTE_LINE.match(tl.text.strip()) or _NOTE.match(tl.text.strip()):
            prev_bottom = tl.bbox[3]  # "List price: 56.70", "Entregado: 2022-03-15": a note, not text
            continue
        items[-1].desc.extend(w.text for w in tl.words if _column_of(cols, w) in (desc_col, None))
        items[-1].boxes.append(tl.bbox)
        prev_bottom = tl.bbox[3]
    return items, cols, ended


def extract_line_items(pages: list[PageLines], decimal_sep: str | None) -> list[dict[str, Any]]:
    """Line items in document order over all pages (each page's table read under its own header)."""
    out: list[dict[str, Any]] = []
    carried: list[Column] | None = None
    for pl in pages:
        items, cols, ended = _page_items(pl.lines, decimal_sep, carried)
        out.extend(_as_dict(it) for it in items)
        carried = cols if cols is not None and not ended else None
    return out
