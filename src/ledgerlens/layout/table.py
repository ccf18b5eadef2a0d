"""Transaction tables found from the page itself: header words give the columns, amounts refine them.

No bank templates: a header row is any line whose words are mostly column-header vocabulary
(`vocab.py`) in one of seven languages, possibly spread over two lines. Each header cell becomes a
column with x bounds; right-aligned amount columns get the space to their left up to the middle of
the gap to the previous column, text columns start at their header's left edge. A table continues
on following pages with the same columns until another header replaces them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ledgerlens.documents.model import BBox, Word
from ledgerlens.layout.lines import Line
from ledgerlens.layout.vocab import AMOUNT_ROLES, HEADER_FILLER, MAX_PHRASE_WORDS, Role, fold, header_role


@dataclass(slots=True)
class Column:
    role: Role | None
    x0: float
    """Header cell span."""
    x1: float
    left: float = 0.0
    """Bounds a body word's centre must fall in to belong to this column."""
    right: float = 1.0
    text: str = ""


@dataclass(slots=True)
class Header:
    columns: list[Column]
    page: int
    top: float
    bottom: float
    line_count: int = 1
    roles: set[str] = field(default_factory=set)

    def column(self, role: str) -> Column | None:
        for c in self.columns:
            if c.role == role:
                return c
        return None

    def amount_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role in AMOUNT_ROLES]


_DIGITS = re.compile(r"\d")


_SOFT_HYPHENS = str.maketrans({"\ufffe": "-", "\u00ad": "-"})


def _clean(word: str) -> str:
    text = fold(word.translate(_SOFT_HYPHENS)).strip(":;-")
    # "Withdrawals/" over "Debits": a slash that joins stacked header words, not part of either.
    return text[:-1] if len(text) > 2 and text[-1] == "/" and text[-2].isalpha() else text


def _match_cells(words: list[Word]) -> tuple[list[Column], int]:
    """Greedy longest-phrase match of header words; returns cells and the count of unknown words."""
    cells: list[Column] = []
    unknown = 0
    i = 0
    n = len(words)
    height = max((w.height for w in words), default=0.01) or 0.01
    while i < n:
        matched = False
        for k in range(min(MAX_PHRASE_WORDS, n - i), 0, -1):
            span = words[i : i + k]
            if any(span[j + 1].x0 - span[j].x1 > 2.0 * height for j in range(k - 1)):
                continue
            phrase = " ".join(_clean(w.text) for w in span)
            role = header_role(phrase)
            if role is not None:
                cells.append(Column(role, span[0].x0, span[-1].x1, text=" ".join(w.text for w in span)))
                i += k
                matched = True
                break
        if matched:
            continue
        w = words[i]
        cleaned = _clean(w.text)
        if cells and cleaned in HEADER_FILLER and w.x0 - cells[-1].x1 < 2.0 * height:
            cells[-1].x1 = max(cells[-1].x1, w.x1)
            cells[-1].text += " " + w.text
        else:
            unknown += 1
            cells.append(Column(None, w.x0, w.x1, text=w.text))
        i += 1
    _two_dates(cells)
    return cells, unknown


_BOOKING_DATE_WORDS = ("trans", "tran", "txn", "buchung", "booking", "operation", "operazione", "operacion",
                       "boek", "purchase", "sale")  # fmt: skip


def _two_dates(cells: list[Column]) -> None:
    """Two date columns ("Trans date", "Post date"): the transaction/booking one is the row's date,
    the other its value date (RESULT_SCHEMA: two dates per row)."""
    dates = [c for c in cells if c.role == "date"]
    if len(dates) != 2 or any(c.role == "value_date" for c in cells):
        return
    booking = [c for c in dates if any(w in fold(c.text) for w in _BOOKING_DATE_WORDS)]
    first = booking[0] if len(booking) == 1 else dates[0]
    for c in dates:
        if c is not first:
            c.role = "value_date"


def _qualifies(cells: list[Column], unknown: int, total: int) -> bool:
    roles = [c.role for c in cells if c.role is not None]
    others = [r for r in roles if r != "description"]  # "Type" + "Description" are both text columns
    if len(set(roles)) < 2 or len(others) != len(set(others)):
        return False
    has_amount = any(r in AMOUNT_ROLES for r in roles)
    has_anchor = "date" in roles or "description" in roles
    if not (has_amount and has_anchor):
        return False
    return unknown <= max(1, total // 4)


def detect_header(lines: list[Line], index: int, look_ahead: bool = True) -> Header | None:
    """A header starting at `lines[index]` (one line, or two stacked lines), or None."""
    line = lines[index]
    words = line.words
    if not words or len(words) > 16 or any(_DIGITS.search(w.text) for w in words):
        return None
    cells, unknown = _match_cells(words)
    single = _qualifies(cells, unknown, len(words)) or _titles_qualify(words, cells)
    # A header stacked on two or three lines ("Money" / "Out" / "($)"), joined column by column.
    below: list[Line] = []
    for k in (1, 2):
        if index + k >= len(lines):
            break
        nxt = lines[index + k]
        prev = lines[index + k - 1]
        gap = nxt.bbox[1] - prev.bbox[3]
        if not (
            nxt.page == line.page
            and -0.5 * line.height <= gap < 1.2 * line.height  # tight stacks overlap a little
            and not any(_DIGITS.search(w.text) for w in nxt.words)
            and len(nxt.words) <= 12
        ):
            break
        ncells, _nunknown = _match_cells(nxt.words)
        if _unnamed_runs(nxt.words, ncells) > 1 + k:
            break
        below.append(nxt)
    top_ok = min(unknown, _unnamed_runs(words, cells)) <= 1 + len(below) and any(c.role for c in cells)
    if below and top_ok:
        # Either line may read as a header by itself ("Posted Description Amount Ledger" over
        # "of EUR Balance", "Date Description Out In" under "Money Money Balance"): the stacked
        # reading wins when it knows more columns.
        ncells, nunknown = _match_cells(below[0].words)
        alone = (
            len({c.role for c in ncells if c.role})
            if _qualifies(ncells, nunknown, len(below[0].words))
            else 0
        )
        if single:
            alone = max(alone, len({c.role for c in cells if c.role}))
        for n in range(len(below), 0, -1):
            rest = [w for ln in below[:n] for w in ln.words]
            merged = _merge_two_lines(words, rest)
            if merged is None:
                continue
            mcells, munknown = merged
            known = len({c.role for c in mcells if c.role})
            if (
                _qualifies(mcells, munknown, len(words) + len(rest))
                and known > alone
                and _amounts_right(mcells)
            ):
                # A title above a stacked header stacks too: the header one line down may know more.
                for j in range(index + 1, index + n + 1) if look_ahead else ():
                    later = detect_header(lines, j, look_ahead=False)
                    if later is not None and len(later.roles) >= known:
                        return None
                return _finish(mcells, line, below[n - 1], n + 1)
    if single:
        return _finish(cells, line, None)
    return None


def _amounts_right(cells: list[Column]) -> bool:
    """Amount columns stand right of the text columns: a stacked reading that puts one left of the
    description took a section title above the header ("Deposits and credits") for a column."""
    text = [c.x0 for c in cells if c.role in ("description", "date")]
    return all(c.x0 > min(text) for c in cells if c.role in AMOUNT_ROLES) if text else True


def _stack_phrase(ordered: list[Word]) -> str:
    """A stacked header cell's words as one phrase; a word hyphenated at the line end is joined
    with the next ("Buchungs-" over "datum" is "buchungsdatum")."""
    parts: list[str] = []
    glue = False
    for w in ordered:
        raw = fold(w.text.translate(_SOFT_HYPHENS))
        word = _clean(w.text)
        if glue and parts:
            parts[-1] += word
        else:
            parts.append(word)
        glue = len(raw) > 2 and raw.endswith("-") and raw[-2].isalpha()
    return " ".join(p for p in parts if p)


def _titles_qualify(words: list[Word], cells: list[Column]) -> bool:
    """A header whose column titles are several words each ("Payment type and details"): read by
    runs (one title each), every run may name at most one column and few may name none."""
    if len({c.role for c in cells if c.role is not None}) < 2:
        return False  # most lines of a page: checked before building runs (this runs per line)
    runs = _runs(words)
    if len(runs) < 3:
        return False
    unknown = 0
    for run in runs:
        named = [c for c in cells if c.role is not None and any(c.x0 <= w.cx <= c.x1 for w in run)]
        if len(named) > 1:
            return False  # a sentence that mentions "balance" and "details" is not a header
        unknown += not named
    return _qualifies(cells, 0, len(runs)) and unknown <= max(1, len(runs) // 4)


def _unnamed_runs(words: list[Word], cells: list[Column]) -> int:
    """Runs of a line that name no column and are not currency or filler words ("(EUR)")."""
    named = [(c.x0, c.x1) for c in cells if c.role is not None]
    return sum(
        1
        for run in _runs(words)
        if not any(x0 <= w.cx <= x1 for w in run for x0, x1 in named)
        and not all(_clean(w.text) in HEADER_FILLER for w in run)
    )


def _runs(words: list[Word]) -> list[list[Word]]:
    """Words of each printed line split where the gap is wider than a space ("Saldo in" is one
    run, "Date" and "Description" two): a run stacks over what is below it as a whole."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.cy, w.x0)):
        if rows and abs(rows[-1][0].cy - w.cy) < 0.5 * w.height:
            rows[-1].append(w)
        else:
            rows.append([w])
    runs: list[list[Word]] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        for k, w in enumerate(row):
            if k and w.x0 - row[k - 1].x1 < 0.6 * max(w.height, 0.004):
                runs[-1].append(w)
            else:
                runs.append([w])
    return runs


def _merge_two_lines(top: list[Word], bottom: list[Word]) -> tuple[list[Column], int] | None:
    """Stack words of two header lines into columns by horizontal overlap, then match each column."""
    stacks: list[list[Word]] = []
    for run in _runs(top) + _runs(bottom):
        r0, r1 = run[0].x0, run[-1].x1
        for st in stacks:
            sx0 = min(x.x0 for x in st)
            sx1 = max(x.x1 for x in st)
            same_row = any(abs(x.cy - run[0].cy) < run[0].height * 0.5 for x in st)
            if not same_row and min(sx1, r1) - max(sx0, r0) > 0:
                st.extend(run)
                break
        else:
            stacks.append(list(run))
    stacks.sort(key=lambda st: min(w.x0 for w in st))
    cells: list[Column] = []
    unknown = 0
    # Words of one header line that were not stacked still form phrases with their neighbours.
    singles: list[Word] = []

    def flush_singles() -> None:
        nonlocal unknown
        if singles:
            sc, su = _match_cells(list(singles))
            cells.extend(sc)
            unknown += su
            singles.clear()

    for st in stacks:
        if len(st) == 1:
            singles.append(st[0])
            continue
        flush_singles()
        ordered = sorted(st, key=lambda w: (round(w.cy, 3), w.x0))
        phrase = _stack_phrase(ordered)
        role = header_role(phrase)
        if role is None:
            sc, _su = _match_cells(ordered)
            # Currency and filler words under a title ("Saldo in" / "EUR") do not name a column.
            known = {c.role for c in sc if c.role and _clean(c.text.split()[0]) not in HEADER_FILLER}
            known = known or {c.role for c in sc if c.role}  # "Amount" / "EUR": amount is all there is
            if len(known) == 1:  # "Withdrawals/" over "Debits": both say debit
                role = known.pop()
            else:
                unknown += 1
        cells.append(
            Column(role, min(w.x0 for w in st), max(w.x1 for w in st), text=" ".join(w.text for w in ordered))
        )
    flush_singles()
    cells.sort(key=lambda c: c.x0)
    _two_dates(cells)
    return cells, unknown


def _finish(cells: list[Column], line: Line, last: Line | None, line_count: int = 1) -> Header:
    cols = [c for c in cells if c.role is not None]
    # Unknown cells widen nothing; they only separate neighbours.
    cols.sort(key=lambda c: c.x0)
    for i, c in enumerate(cols):
        prev = cols[i - 1] if i > 0 else None
        nxt = cols[i + 1] if i + 1 < len(cols) else None
        if prev is None:
            c.left = 0.0
        elif c.role in AMOUNT_ROLES:
            c.left = (prev.x1 + c.x0) / 2 if prev.role in AMOUNT_ROLES else max(prev.x1, (prev.x1 + c.x0) / 2)
        else:
            c.left = c.x0 - 0.01 if prev.role not in AMOUNT_ROLES else (prev.x1 + c.x0) / 2
        if nxt is None:
            c.right = 1.0
    for i, c in enumerate(cols[:-1]):
        c.right = cols[i + 1].left
    bottom = (last or line).bbox[3]
    header = Header(cols, line.page, line.bbox[1], bottom, line_count)
    header.roles = {str(c.role) for c in cols}
    return header


def column_of(header: Header, word: Word) -> Column | None:
    """The column whose bounds hold the word's centre."""
    cx = word.cx
    for c in header.columns:
        if c.left <= cx < c.right:
            return c
    return None


def join_words(words: list[Word]) -> str:
    """Text of words in one cell: a space only where the page shows a gap."""
    if len(words) == 1:
        return words[0].text
    parts: list[str] = []
    prev: BBox | None = None
    for w in sorted(words, key=_left):
        b = w.bbox
        if prev is not None and b[0] - prev[2] > 0.12 * max(prev[3] - prev[1], b[3] - b[1]):
            parts.append(" ")
        parts.append(w.text)
        prev = b
    return "".join(parts)


def _left(w: Word) -> float:
    return w.bbox[0]
