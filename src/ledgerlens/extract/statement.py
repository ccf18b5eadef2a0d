"""Bank statement extraction: Document -> RESULT_SCHEMA `bank_statement` dict.

Layout-driven, no bank templates: find the transaction table by its header words (or, without a
header, by lines that start with a date and end in right-aligned amounts), read each line into its
columns, group lines into transactions around the lines that carry an amount, and let the balance
chain check (and, for OCR, repair) the result.
"""

from __future__ import annotations

import calendar
import itertools
import re
import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from ledgerlens.documents.model import Document, Page, Word
from ledgerlens.extract.accounts import ACCOUNT_LABEL, find_account_number, find_bics, find_ibans
from ledgerlens.extract.currency import find_currency
from ledgerlens.extract.dates import DateOrder, detect_date_order, find_dates, find_month_year, parse_date
from ledgerlens.extract.numbers import ParsedAmount, detect_decimal_separator, parse_amount_ex
from ledgerlens.layout.lines import Line, group_lines
from ledgerlens.layout.table import Column, Header, detect_header, join_words
from ledgerlens.layout.vocab import (
    AMOUNT_ROLES,
    CLOSING_WORDS,
    END_WORDS,
    OPEN_OR_CLOSE_WORDS,
    OPENING_WORDS,
    SUMMARY_WORDS,
    contains_phrase,
    fold,
)
from ledgerlens.validate.reconcile import ChainRow, Reconciliation, reconcile

_Date = date  # dataclass fields named `date` shadow the type inside their class bodies

_DEBIT_MARKS = {"af", "dr", "d", "s", "soll", "debit", "-", "db", "da"}
_CREDIT_MARKS = {"bij", "cr", "c", "h", "haben", "credit", "+", "av"}
_SIGN_MARKS = frozenset(_DEBIT_MARKS | _CREDIT_MARKS)
_OCR_SIGN_WORDS = {"at": "af", "ai": "af", "al": "af", "4f": "af", "aff": "af", "bi": "bij", "bjj": "bij",
                   "bii": "bij", "blj": "bij", "8ij": "bij", "bij,": "bij"}  # fmt: skip
"""Dutch sign words as OCR misreads them, trusted only right before an amount on an OCR'd row."""
_PAGE_FURNITURE = re.compile(
    r"\b(page|seite|blatt|pagina|pag\.|p\.)\s*\d+\s*(of|von|de|sur|van|di|/)?\s*\d*", re.I
)


@dataclass(slots=True)
class RowLine:
    """One physical line of the table, read into its columns."""

    line: Line
    date: _Date | None = None
    value_date: _Date | None = None
    desc_words: list[Word] = field(default_factory=list)
    ref_words: list[Word] = field(default_factory=list)
    amounts: dict[str, ParsedAmount] = field(default_factory=dict)
    amount_words: dict[str, list[Word]] = field(default_factory=dict)
    sign: str | None = None
    overflow: int = 0
    text_limit: float = 1.0
    """Where the first amount column's title starts: wrapped text stays left of it."""
    kind: str = "orphan"  # anchor | orphan | summary | opening | closing | noise
    segment: int = 0
    """Which table of the document the line belongs to (a new header starts a new one)."""

    @property
    def desc(self) -> str:
        return join_words(self.desc_words) if self.desc_words else ""

    @property
    def ocr(self) -> bool:
        return any(w.source != "text_layer" for w in self.line.words)


@dataclass(slots=True)
class Txn:
    anchor: RowLine
    lines: list[RowLine]
    date: _Date | None = None


@dataclass(slots=True)
class Segment:
    """One table of the statement: its header and the title printed just above it.

    US statements list "Deposits and additions", "Checks paid", "Fees"... as separate tables whose
    amounts carry no sign: the title does, or failing that the statement's arithmetic.
    """

    header: Header
    title: str = ""
    context: str = ""
    """The lines just above the header (account name and number of a second account, say)."""


@dataclass(slots=True)
class Context:
    order: DateOrder
    decimal_sep: str | None
    period: tuple[date | None, date | None]
    default_year: int | None
    card: bool = False
    """A credit-card statement: read from the card holder's side (purchases negative, the balance
    owed negative), whatever side the issuer prints it from."""


def extract_statement(doc: Document) -> dict[str, Any]:
    """Read a bank statement. Values are Decimals/dates; the pipeline makes them JSON."""
    pages_lines = [group_lines(_clean_page(p)) for p in doc.pages]
    all_lines = [ln for pl in pages_lines for ln in pl]
    warnings: list[str] = []
    texts = [ln.text for ln in all_lines]
    decimal_sep = detect_decimal_separator(texts)
    first_text = "\n".join(ln.text for ln in pages_lines[0]) if pages_lines else ""
    iban_list = find_ibans(first_text)
    headers = _find_headers(pages_lines)
    # Where the table starts on the first page: the text above it holds currency and period.
    first_page = pages_lines[0][0].page if pages_lines and pages_lines[0] else None
    table_start = min((k[1] for k in headers if k[0] == first_page), default=None)
    currency = find_currency(_pre_table_text(pages_lines, table_start), iban_list[0] if iban_list else None)
    order = detect_date_order(texts, hint="MDY" if currency == "USD" else None)
    period = _find_period(pages_lines, order, table_start)
    known = period[1] or period[0]
    default_year = known.year if known is not None else _guess_year(texts)
    pre_table = _pre_table_text(pages_lines, table_start)
    last_text = "\n".join(ln.text for ln in pages_lines[-1]) if len(pages_lines) > 1 else ""
    card = _is_card_statement(first_text + "\n" + last_text)
    ctx = Context(order, decimal_sep, period, default_year, card)

    if not headers:
        inferred = _infer_header(pages_lines, ctx)
        if inferred is not None:
            headers = {}
            headers[(inferred.page, -1)] = inferred
            warnings.append("no column header found; columns inferred from the amounts' alignment")
    _fit_amount_columns(pages_lines, headers, ctx)
    segments: list[Segment] = []
    rows = _read_rows(pages_lines, headers, ctx, warnings, segments)
    header_lines = {id(pages_lines[h.page - 1][k[1]]) for k, h in headers.items() if k[1] >= 0}
    opening, closing = _find_balances(all_lines, header_lines, ctx)
    if card and _printed_from_holder_side(opening, closing):
        ctx.card = False  # balances owed printed negative: already the holder's side
    if ctx.card:  # "Previous balance $1,234.56" is owed: -1234.56 from the holder's side
        opening = -opening if opening is not None else None
        closing = -closing if closing is not None else None
    groups = _split_accounts(rows, segments)
    readings: list[AccountReading] = []
    for n, group in enumerate(groups):
        own_open, own_close = _own_balances(group)
        if n == 0:  # the first account also owns the summary box above the tables
            own_open = own_open if opening is None else opening
            own_close = own_close if closing is None or len(groups) > 1 else closing
        readings.append(_read_account(group, segments, own_open, own_close, ctx, warnings))
    reading = readings[0]
    result_txns = [t for r in readings for t in r.transactions]
    account_number = _account_number(pages_lines)
    bics = find_bics(first_text)
    bank_name = _bank_name(pages_lines)
    account_info = {
        "bank_name": bank_name,
        "account_holder": _holder(pages_lines, bank_name),
        "account_number": account_number,
        "iban": iban_list[0] if iban_list else None,
        "bic": bics[0] if bics else None,
        "currency": currency,
        "statement_period": {"start": period[0], "end": period[1]},
        "opening_balance": reading.opening,
        "closing_balance": reading.closing,
        "total_credits": reading.total_credits,
        "total_debits": reading.total_debits,
        "account_type": "credit_card" if card else _account_type(pre_table),
    }
    if card:
        account_info.update(_card_terms(pages_lines, ctx))
    validation = _validation(readings)
    result: dict[str, Any] = {
        "document_type": "bank_statement",
        "account_info": account_info,
        "transactions": result_txns,
        "validation": validation,
        "pages": len(doc.pages),
        "warnings": warnings,
    }
    if len(readings) > 1:
        names = _account_names(groups, segments, account_number or (iban_list[0] if iban_list else None))
        result["accounts"] = []
        for name, (group, r) in zip(names, zip(groups, readings, strict=True), strict=True):
            for t in r.transactions:
                t["account"] = name
            result["accounts"].append(
                {
                    "account": name,
                    "account_type": _account_type(segments[group[0].segment].context if group else ""),
                    "currency": currency,
                    "opening_balance": r.opening,
                    "closing_balance": r.closing,
                    "total_credits": r.total_credits,
                    "total_debits": r.total_debits,
                    "reconciled": r.reconciliation.reconciled,
                }
            )
    return result


def _validation(readings: list[AccountReading]) -> dict[str, Any]:
    """One validation block for the document: every account's checks, rows indexed document-wide."""
    if len(readings) == 1:
        rec = readings[0].reconciliation
        return {"reconciled": rec.reconciled, "checks": rec.checks, "corrections": rec.corrections}
    checks: list[dict[str, Any]] = []
    corrections: list[dict[str, Any]] = []
    offset = 0
    states: list[bool | None] = []
    for n, r in enumerate(readings, 1):
        rec = r.reconciliation
        states.append(rec.reconciled)
        for c in rec.checks:
            detail = f"account {n}" + (f": {c['detail']}" if c.get("detail") else "")
            checks.append({**c, "detail": detail, "rows": [i + offset for i in c["rows"]]})
        corrections += [{**c, "row": c["row"] + offset} for c in rec.corrections]
        offset += len(r.transactions)
    known = [s for s in states if s is not None]
    reconciled = None if not known else all(known)
    return {"reconciled": reconciled, "checks": checks, "corrections": corrections}


def _split_accounts(rows: list[RowLine], segments: list[Segment]) -> list[list[RowLine]]:
    """Rows grouped by account: a table starts another account when its own opening balance, or a
    running balance that does not continue the one before, says so.

    Tables of one account by type (deposits, checks, fees) print no running balance: they stay one
    account, and their signs are decided later (`_section_signs`).
    """
    by_segment: dict[int, list[RowLine]] = {}
    for r in rows:
        by_segment.setdefault(r.segment, []).append(r)
    groups: list[list[RowLine]] = []
    last_balance: Decimal | None = None
    last_date: date | None = None
    for k in sorted(by_segment):
        seg_rows = by_segment[k]
        anchors = [r for r in seg_rows if r.kind == "anchor"]
        own_open = _own_balances(seg_rows[:3])[0] if anchors else None
        # A balance brought forward that continues the last one is a page break, not a new account.
        starts_own = own_open is not None and (
            own_open != last_balance if last_balance is not None else _dates_restart(last_date, anchors)
        )
        first_bal = next((r for r in anchors if "balance" in r.amounts), None)
        breaks_chain = (
            first_bal is not None
            and last_balance is not None
            and not _continues(last_balance, first_bal)
            and _dates_restart(last_date, anchors)
        )
        if groups and (starts_own or breaks_chain) and k > 0:
            groups.append(list(seg_rows))
        elif groups:
            groups[-1].extend(seg_rows)
        else:
            groups.append(list(seg_rows))
        balances = [r.amounts["balance"].value for r in anchors if "balance" in r.amounts]
        if balances:
            last_balance = balances[-1]
        dates = [r.date for r in anchors if r.date is not None]
        if dates:
            last_date = max(dates)
    return groups or [[]]


def _continues(previous: Decimal, row: RowLine) -> bool:
    """Whether a row's printed balance can follow `previous` by the row's amount (either sign)."""
    balance = row.amounts["balance"].value
    moves = [abs(row.amounts[k].value) for k in ("debit", "credit", "amount") if k in row.amounts]
    return any(previous + m == balance or previous - m == balance for m in moves) or balance == previous


def _dates_restart(last: date | None, anchors: list[RowLine]) -> bool:
    first = next((r.date for r in anchors if r.date is not None), None)
    return last is None or first is None or first <= last


def _own_balances(rows: list[RowLine]) -> tuple[Decimal | None, Decimal | None]:
    """Opening and closing balance lines inside an account's own table."""
    opening = closing = None
    for r in rows:
        value = r.amounts.get("balance") or next(iter(r.amounts.values()), None)
        if value is None:
            continue
        if r.kind in ("opening", "openclose") and opening is None and closing is None:
            opening = value.value
        elif r.kind == "closing" and "carried" not in fold(r.line.text):
            closing = value.value
    return opening, closing


_ACCOUNT_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("credit_card", ("credit card", "card account", "kreditkarte", "carte de credit", "tarjeta de credito")),
    ("savings", ("savings", "saving", "sparkonto", "sparbuch", "tagesgeld", "livret", "epargne",
                 "spaarrekening", "spaar", "ahorro", "risparmio", "deposit account")),
    ("loan", ("loan", "darlehen", "kredit", "pret", "prestamo", "lening", "mortgage")),
    ("current", ("checking", "current account", "girokonto", "compte courant", "compte cheque",
                 "cuenta corriente", "betaalrekening", "lopende rekening", "conto corrente", "privatkonto")),
)  # fmt: skip


def _account_type(text: str) -> str | None:
    folded = fold(text)
    for kind, words in _ACCOUNT_TYPES:
        if contains_phrase(folded, words):
            return kind
    return None


def _account_names(groups: list[list[RowLine]], segments: list[Segment], first: str | None) -> list[str]:
    """Each account's name: its number as printed above its table, else that table's title."""
    names: list[str] = []
    for n, group in enumerate(groups, 1):
        segment = segments[group[0].segment] if group and group[0].segment < len(segments) else None
        context = segment.context if segment else ""
        ibans = find_ibans(context)
        number = find_account_number(context) or (ibans[0] if ibans else None)
        if number is None and n == 1:
            number = first
        title = segment.title if segment and segment.title else ""
        lead = context.splitlines()[0] if context else ""
        names.append(number or title or lead or f"account {n}")
    return names


def not_a_statement(doc: Document, detected: str) -> dict[str, Any]:
    """The answer for a document sent as a statement that reads as something else (an invoice) and
    that no reading as a statement makes add up: the statement shape, nothing filled in, a warning
    (the counterpart of `invoice.not_an_invoice`)."""
    info: dict[str, Any] = dict.fromkeys(_ACCOUNT_INFO_KEYS)
    info["statement_period"] = {"start": None, "end": None}
    return {
        "document_type": "bank_statement",
        "account_info": info,
        "transactions": [],
        "validation": {"reconciled": None, "checks": [], "corrections": []},
        "pages": len(doc.pages),
        "warnings": [
            f"the document reads as an {detected}, not a bank statement, and no reading of it as a "
            f"statement adds up: nothing was extracted (send it as an {detected})"
        ],
    }


_ACCOUNT_INFO_KEYS = (
    "bank_name", "account_holder", "account_number", "iban", "bic", "currency", "statement_period",
    "opening_balance", "closing_balance", "total_credits", "total_debits", "account_type",
)  # fmt: skip


@dataclass(slots=True)
class AccountReading:
    """One account's transactions, balances and the checks its arithmetic passed."""

    transactions: list[dict[str, Any]]
    opening: Decimal | None
    closing: Decimal | None
    reconciliation: Reconciliation

    @property
    def total_credits(self) -> Decimal | None:
        if not self.transactions:
            return None
        return sum((t["amount"] for t in self.transactions if t["type"] == "credit"), Decimal("0.00"))

    @property
    def total_debits(self) -> Decimal | None:
        if not self.transactions:
            return None
        return sum((-t["amount"] for t in self.transactions if t["type"] == "debit"), Decimal("0.00"))


def _read_account(
    rows: list[RowLine],
    segments: list[Segment],
    opening: Decimal | None,
    closing: Decimal | None,
    ctx: Context,
    warnings: list[str],
) -> AccountReading:
    """Transactions of one account's rows, signed and checked against its balances."""
    txns = _group(rows)
    result_txns, amounts_rows = _to_transactions(txns, ctx)

    # Sign from the balance movement where the column gives none.
    chain_rows: list[ChainRow] = []
    for t, (amt, _explicit, _marked) in zip(result_txns, amounts_rows, strict=True):
        chain_rows.append(ChainRow(amount=amt, balance=t["balance"], ocr=t.pop("_ocr")))
    implied = _fill_lost_amounts(result_txns, chain_rows, amounts_rows, opening)
    marks = {t.pop("_mark") for t in result_txns}
    if any(m for _a, _e, m in amounts_rows):
        # The amount column prints a minus (or brackets) on debits: an unmarked amount is a credit.
        amounts_rows = [(a, True, m) for a, _e, m in amounts_rows]
    elif marks & {"plus", "credit"} and not marks & {"debit", "minus", "parens"}:
        # Only credits carry a mark ("+", "CR"): an unmarked amount is a debit.
        for i, (_a, explicit, m) in enumerate(amounts_rows):
            if not explicit:
                chain_rows[i].amount = -abs(chain_rows[i].amount)
                amounts_rows[i] = (chain_rows[i].amount, True, m)
    _infer_signs(chain_rows, amounts_rows, opening)
    _section_signs(result_txns, chain_rows, amounts_rows, segments, opening, closing)
    _drop_unbooked_tail(result_txns, chain_rows, opening, closing, warnings)
    if closing is None:
        last_bal = next((r.balance for r in reversed(chain_rows) if r.balance is not None), None)
        if last_bal is not None:
            closing = last_bal
    dates = [t["date"] for t in result_txns if t["date"] is not None]
    newest_first = len(dates) >= 2 and dates[0] > dates[-1] and len(segments) <= 1
    if newest_first:
        # Newest-first statements: the chain runs bottom-up.
        rec, fixed_rev = reconcile(chain_rows[::-1], opening, closing)
        n = len(chain_rows)
        fixed_amounts = fixed_rev[::-1]
        rec.confirmed = {n - 1 - i for i in rec.confirmed}
        rec.failing = {n - 1 - i for i in rec.failing}
        for c in rec.checks:
            c["rows"] = sorted(n - 1 - i for i in c["rows"])
        for c in rec.corrections:
            c["row"] = n - 1 - c["row"]
    else:
        rec, fixed_amounts = reconcile(chain_rows, opening, closing)
    rec.corrections = implied + rec.corrections
    for i, t in enumerate(result_txns):
        amt = fixed_amounts[i]
        t["amount"] = amt
        t["balance"] = chain_rows[i].balance
        if t["type"] is None:
            t["type"] = "debit" if amt < 0 else "credit"
        elif t["type"] == "debit" and amt > 0:
            t["type"] = "credit"
        elif t["type"] == "credit" and amt < 0:
            t["type"] = "debit"
        base = t.pop("_conf")
        if i in rec.failing:
            t["confidence"] = round(min(base, 0.6), 3)
        elif i in rec.confirmed:
            t["confidence"] = round(max(base, 0.99) if base >= 0.9 else base + 0.1, 3)
        else:
            t["confidence"] = round(min(base, 0.9), 3)
        t.pop("_segment", None)
    if rec.reconciled is False:
        warnings.append("balances do not reconcile; see validation.checks")
    return AccountReading(result_txns, opening, closing, rec)


# ----------------------------------------------------------------------------- table finding

_OCR_NUMBER = re.compile(r"^[$€£(+-]?\d[\d.,:]*\d[.,]?\)?[.,]?$")
_OCR_JUNK = "|_‘’'\"~—–=«»¦!`"


def _clean_page(page: Page) -> Page:
    """OCR words without the table rules and specks read as `|`, `_`, `~`, `‘` around them."""
    if all(w.source == "text_layer" for w in page.words):
        return page
    ocr_heights = [(w.bbox[3] - w.bbox[1]) * page.height for w in page.words if w.source != "text_layer"]
    typical = statistics.median(ocr_heights)
    words: list[Word] = []
    for w in page.words:
        if w.source == "text_layer":
            words.append(w)
            continue
        if w.confidence < 0.5:
            # A doubtful word whose box is far too small for its letters is a speck (dirt, a rule's
            # end) that OCR read as "i", "a", "Hd": it must not end up in a description.
            width = (w.bbox[2] - w.bbox[0]) * page.width
            height = (w.bbox[3] - w.bbox[1]) * page.height
            if width < 0.3 * typical * len(w.text.strip()) or height < 0.4 * typical:
                continue
        text = w.text.strip(_OCR_JUNK)
        if text.startswith("(") and not text.endswith(")") and ")" not in text:
            text = text.lstrip("(")
        if not text or not any(c.isalnum() for c in text):
            continue
        text = re.sub(r"(?<=\d)[:;](?=[SHDC]R?$)", " ", text)  # "257,31:S" -> "257,31 S"
        if _OCR_NUMBER.match(text):
            # "130:53" -> "130.53", "1.82." -> "1.82": punctuation noise inside numbers.
            text = re.sub(r"(?<=\d):(?=\d)", ".", text)
            if text[-1] in ".,":
                text = text.rstrip(".,")
        words.append(Word(text, w.bbox, w.confidence, w.source))
    return Page(page.number, page.width, page.height, page.rotation, words, page.source)


def _find_headers(pages_lines: list[list[Line]]) -> dict[tuple[int, int], Header]:
    found: dict[tuple[int, int], Header] = {}
    for pl in pages_lines:
        i = 0
        while i < len(pl):
            h = detect_header(pl, i)
            if h is not None:
                found[(pl[i].page, i)] = h
                i += h.line_count
            else:
                i += 1
    return found


_EDGE_GAP = 0.012
"""Right edges of amounts closer than this (page widths) are one right-aligned column."""
_BODY_LINES = 80


def _fit_amount_columns(
    pages_lines: list[list[Line]], headers: dict[tuple[int, int], Header], ctx: Context
) -> None:
    """Amount columns bounded by where their amounts end, not by where their titles stand.

    Amounts are right-aligned; a title may be left-aligned or centred over them ("AMOUNT EUR" at
    the column's left while "1,196.50 Dr" ends past the midpoint to the next title). The right
    edges of the amounts below a header cluster, one cluster per amount column; when the clusters
    and the columns pair up one to one, each column ends just after its cluster.
    """
    keys = sorted(k for k in headers if k[1] >= 0)
    fitted: list[Header] = []
    for n, key in enumerate(keys):
        header = headers[key]
        cols = sorted(header.amount_columns(), key=lambda c: c.x0)
        if not cols:
            continue
        # A repeated header takes the fit of the same table's first page (a savings page with no
        # debits has fewer clusters than columns).
        same = next((h for h in fitted if h.roles == header.roles and _same_columns(header, h)), None)
        if same is not None:
            for col in header.columns:
                twin = same.column(str(col.role))
                if twin is not None:
                    col.left, col.right = twin.left, twin.right
            continue
        page_index = key[0] - 1
        stop = keys[n + 1] if n + 1 < len(keys) else None
        body: list[Line] = []
        for pi in range(page_index, len(pages_lines)):
            start = key[1] + header.line_count if pi == page_index else 0
            for li in range(start, len(pages_lines[pi])):
                if stop is not None and (pi + 1, li) >= stop:
                    break
                body.append(pages_lines[pi][li])
            if len(body) >= _BODY_LINES or (stop is not None and stop[0] <= pi + 1):
                break
        edges = _amount_edges(body[:_BODY_LINES], ctx, cols[0].x0 - _LEFT_OF_TITLES)
        clusters: list[list[tuple[float, float]]] = []
        for edge in sorted(edges):
            if clusters and edge[0] - clusters[-1][-1][0] < _EDGE_GAP:
                clusters[-1].append(edge)
            else:
                clusters.append([edge])
        clusters = [c for c in clusters if len(c) >= 2]
        # Each column takes the largest cluster that ends right of where its title starts and before
        # the next title ends (lines after the table, a summary box, add clusters of their own).
        limits = [c.x1 for c in cols[1:]] + [1.0]
        picked: list[list[tuple[float, float]] | None] = []
        for col, limit in zip(cols, limits, strict=True):
            fits = [c for c in clusters if col.x0 - 0.02 <= max(x1 for x1, _x0 in c) <= limit]
            picked.append(max(fits, key=len) if fits else None)
        ends = [max(x1 for x1, _x0 in c) for c in picked if c is not None]
        if not ends or any(b <= a for a, b in itertools.pairwise(ends)):
            continue
        for i, (col, cluster) in enumerate(zip(cols, picked, strict=True)):
            if cluster is None:
                continue
            col.right = max(x1 for x1, _x0 in cluster) + _EDGE_GAP / 2
            if i == 0:
                col.left = min(col.left, min(x0 for _x1, x0 in cluster) - 0.005)
        for i in range(1, len(cols)):
            cols[i].left = cols[i - 1].right
        ordered = header.columns
        for a, b in itertools.pairwise(ordered):
            if b is cols[0]:
                a.right = b.left
            elif any(a is c for c in cols) and not any(b is c for c in cols):
                b.left = a.right
        if ordered[-1] is cols[-1]:
            cols[-1].right = 1.0
        fitted.append(header)


_LEFT_OF_TITLES = 0.1
"""Words ending this far left of the first amount title are dates and text, never its amounts."""


def _amount_edges(body: list[Line], ctx: Context, min_x1: float) -> list[tuple[float, float]]:
    """(right edge, left edge) of every amount ending right of `min_x1`, a sign word after it
    included (words further left are not parsed: this runs over every line under a header)."""
    found: list[tuple[float, float]] = []
    for ln in body:
        ws = ln.words
        for j, w in enumerate(ws):
            if w.x1 < min_x1:
                continue
            p = parse_amount_ex(w.text, ctx.decimal_sep)
            if p is None or p.decimals not in (2, 3):
                continue
            x1 = w.x1
            if j + 1 < len(ws):
                nxt = ws[j + 1]
                if fold(nxt.text).strip(".") in _SIGN_MARKS and nxt.x0 - w.x1 < 1.5 * max(w.height, 0.004):
                    x1 = nxt.x1
            found.append((x1, w.x0))
    return found


def _first_date(line: Line, ctx: Context) -> tuple[date | None, int]:
    """A date made of the line's first one to three words, and how many words it used."""
    for k in (3, 2, 1):
        if len(line.words) < k:
            continue
        text = " ".join(w.text for w in line.words[:k])
        d = parse_date(text, ctx.order, ctx.default_year, ctx.period)
        if d is not None:
            return d, k
    return None, 0


def _infer_header(pages_lines: list[list[Line]], ctx: Context) -> Header | None:
    """Columns without a header: lines starting with a date and ending in right-aligned amounts."""
    cands: list[tuple[Line, int, list[Word]]] = []
    for pl in pages_lines:
        for ln in pl:
            d, k = _first_date(ln, ctx)
            if d is None:
                continue
            trailing: list[Word] = []
            for w in reversed(ln.words[k:]):
                p = parse_amount_ex(w.text, ctx.decimal_sep)
                if p is not None and (p.decimals == 2 or p.marker in ("debit", "credit")):
                    trailing.append(w)
                elif w.text.upper() in ("CR", "DR", "-", "+"):
                    continue
                else:
                    break
            if trailing:
                cands.append((ln, k, trailing))
    if len(cands) < 2:
        return None
    rights = sorted(w.x1 for _, _, tr in cands for w in tr)
    clusters: list[list[float]] = []
    for x in rights:
        if clusters and x - clusters[-1][-1] < 0.02:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    clusters = [c for c in clusters if len(c) >= max(2, len(cands) // 10)]
    if not clusters:
        return None
    lefts = [min(w.x0 for w in tr) for _, _, tr in cands]
    date_right = statistics.median(ln.words[k - 1].x1 for ln, k, _ in cands)
    desc_left = statistics.median(ln.words[k].x0 for ln, k, _ in cands if len(ln.words) > k)
    centers = [statistics.median(c) for c in clusters]
    roles: list[str]
    if len(clusters) >= 3:
        roles = ["other"] * (len(clusters) - 3) + ["debit", "credit", "balance"]
    elif len(clusters) == 2:
        both = sum(1 for _, _, tr in cands if len(tr) >= 2)
        roles = ["amount", "balance"] if both >= len(cands) * 0.6 else ["debit", "credit"]
    else:
        roles = ["amount"]
    cols = [Column("date", 0.0, date_right, 0.0, (date_right + desc_left) / 2, "date")]
    first_amount_left = min(min(lefts), centers[0] - 0.05)
    cols.append(Column("description", desc_left, first_amount_left, cols[0].right, first_amount_left, ""))
    prev_right = first_amount_left
    for i, (c, role) in enumerate(zip(centers, roles, strict=True)):
        nxt = (c + centers[i + 1]) / 2 - 0.03 if i + 1 < len(centers) else 1.0
        right = c + 0.01 if i + 1 < len(centers) else 1.0
        if role != "other":
            cols.append(Column(role, c - 0.06, c, prev_right, max(right, nxt), role))  # type: ignore[arg-type]
        prev_right = max(right, nxt)
    for i, col in enumerate(cols[:-1]):
        col.right = cols[i + 1].left
    first = cands[0][0]
    h = Header(cols, first.page, first.bbox[1], first.bbox[1], 0)
    h.roles = {str(c.role) for c in cols}
    return h


# ----------------------------------------------------------------------------- reading rows


def _read_line(line: Line, header: Header, ctx: Context) -> RowLine:
    row = RowLine(line)
    row.text_limit = min((c.x0 for c in header.columns if c.role in AMOUNT_ROLES), default=1.0)
    by_col: dict[int, list[Word]] = {}
    unplaced: list[Word] = []
    bounds = [(c.left, c.right, id(c)) for c in header.columns]
    for w in line.words:
        # column_of(header, w), inlined: this runs for every word of every table line.
        b = w.bbox
        cx = (b[0] + b[2]) / 2
        for left, right, key in bounds:
            if left <= cx < right:
                by_col.setdefault(key, []).append(w)
                break
        else:
            unplaced.append(w)
    for col in header.columns:
        words = by_col.get(id(col), [])
        if not words:
            continue
        if col.role in AMOUNT_ROLES:
            parsed, rest = _amount_in(words, ctx)
            if parsed is not None:
                row.amounts[str(col.role)] = parsed
                row.amount_words[str(col.role)] = [w for w in words if w not in rest]
            if parsed is None and len(words) == 1 and _misread(words[0], _DAMAGED_NUMBER):
                continue  # an amount OCR garbled ("§,612.22"): unknown, and not description text
            if rest:
                row.overflow += len(rest)
                row.desc_words.extend(rest)
        elif col.role in ("date", "value_date"):
            d, used = _date_in(words, ctx)
            if d is not None:
                if col.role == "date":
                    row.date = d
                else:
                    row.value_date = d
            elif col.role == "value_date" and len(words) == 1 and _misread(words[0], _DATE_SHAPE):
                continue  # a value date OCR garbled ("42/01/23"): unknown, and not description text
            row.desc_words.extend(words[used:] if d is not None else words)
        elif col.role == "currency":
            # A per-row currency code column: not part of the description.
            row.desc_words.extend(w for w in words if not (len(w.text) == 3 and w.text.isupper()))
        elif col.role == "reference":
            row.ref_words.extend(words)
        elif col.role == "sign":
            mark = fold(words[0].text).strip(".:") if len(words) == 1 else ""
            if mark in _DEBIT_MARKS:
                row.sign = "debit"
            elif mark in _CREDIT_MARKS:
                row.sign = "credit"
            else:
                row.desc_words.extend(words)  # description text that ran into the column
        else:
            row.desc_words.extend(words)
    row.desc_words.extend(unplaced)
    row.desc_words.sort(key=lambda w: w.x0)
    if row.ocr:
        # Single-character OCR specks out in the amount columns are not text.
        row.desc_words = [
            w for w in row.desc_words if not (len(w.text) == 1 and w.x0 > row.text_limit - 0.02)
        ]
    # A sign word written next to a signed amount ("Af", "DR") inside the description column.
    if "amount" in row.amounts and row.sign is None and row.desc_words:
        last = fold(row.desc_words[-1].text).strip(".:")
        if row.ocr:
            last = _OCR_SIGN_WORDS.get(last, last)
        if last in ("af", "bij"):
            row.sign = "debit" if last == "af" else "credit"
            row.desc_words.pop()
    return row


_DAMAGED_NUMBER = re.compile(r"[^\s\d][\d.,]*\d[.,]\d{2}")
_DATE_SHAPE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _misread(word: Word, shape: re.Pattern[str]) -> bool:
    """An OCR word shaped like a value of its column that did not parse as one."""
    return word.source != "text_layer" and shape.fullmatch(word.text) is not None


def _amount_in(words: list[Word], ctx: Context) -> tuple[ParsedAmount | None, list[Word]]:
    """The amount in a cell's words (rightmost first; joins `1 234,56` and `12.00 DR` pieces)."""
    ws = sorted(words, key=lambda w: w.x0)
    # Only the rightmost run of close words can be one number ("1 583,34"); text that ran into the
    # column from the left is separated from it by a wider gap.
    first = len(ws) - 1
    while first > 0 and (
        ws[first].x0 - ws[first - 1].x1 < 0.8 * max(ws[first].height, 0.004)
        or fold(ws[first].text).strip(".") in _SIGN_MARKS
        or (
            # OCR drops a thousands separator and leaves a gap: "1" ",810.44" / "1" "810.44".
            ws[first].source != "text_layer"
            and ws[first - 1].text.isdigit()
            and len(ws[first - 1].text) <= 3
            and ws[first].x0 - ws[first - 1].x1 < 1.6 * max(ws[first].height, 0.004)
        )
    ):
        first -= 1
    ocr = any(w.source != "text_layer" for w in ws)
    for start in range(first, len(ws)):
        text = join_words(ws[start:])
        p = parse_amount_ex(text, ctx.decimal_sep)
        if p is None and ocr and start + 1 < len(ws):
            # OCR splits a number at a gap in the print ("1" "2,200.00").
            p = parse_amount_ex("".join(w.text for w in ws[start:]), ctx.decimal_sep)
        if p is not None and (p.decimals in (2, 3) or p.marker in ("debit", "credit") or "," in text):
            return p, ws[:start]
    return None, ws


def _date_in(words: list[Word], ctx: Context) -> tuple[date | None, int]:
    ws = sorted(words, key=lambda w: w.x0)[:4]
    text = " ".join(w.text for w in ws)
    found = find_dates(text, ctx.order, ctx.default_year, ctx.period)
    if not found or found[0].start != 0:
        return None, 0
    end, pos = found[0].end, 0
    for k, w in enumerate(ws, 1):
        pos += len(w.text)
        if pos >= end:
            # The date must cover whole words (a word may only add closing punctuation).
            return (found[0].value, k) if not text[end:pos].strip(".,;:") else (None, 0)
        pos += 1
    return None, 0


_PHRASE_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def _phrase_set(phrases: tuple[str, ...]) -> frozenset[str]:
    found = _PHRASE_SETS.get(phrases)
    if found is None:
        found = _PHRASE_SETS[phrases] = frozenset(phrases)
    return found


def _classify(row: RowLine) -> None:
    text = fold(row.line.text)
    # A total printed under a table whose first column is a reference ("Check no.") starts there.
    desc = fold(join_words(sorted(row.ref_words + row.desc_words, key=lambda w: w.x0)))
    has_move = any(k in row.amounts for k in ("debit", "credit", "amount"))
    # A dated booking may mention these words ("ACCOUNT OPENING FEE"): then they must lead the text.
    lead_only = has_move and row.date is not None

    # The text's leading word runs: a phrase "leads" when it is one of them (set lookups instead of
    # testing every phrase against every line).
    leading = {desc[:k] for k, c in enumerate(desc) if c == " "}
    leading.add(desc)

    def says(phrases: tuple[str, ...]) -> bool:
        if lead_only:
            return not _phrase_set(phrases).isdisjoint(leading)
        return contains_phrase(desc, phrases) is not None

    if says(OPENING_WORDS) or (says(OPEN_OR_CLOSE_WORDS) and (not has_move or row.date is None)):
        row.kind = "opening" if says(OPENING_WORDS) else "openclose"
        return
    if says(CLOSING_WORDS):
        row.kind = "closing"
        return
    leads = not _phrase_set(SUMMARY_WORDS).isdisjoint(leading)
    if leads and (has_move or "balance" in row.amounts):
        row.kind = "summary"
        return
    if not row.amounts and any(text.startswith(p) for p in END_WORDS):
        row.kind = "end"  # the statement's table ends; what follows (pending items, examples) is not booked
        return
    if has_move and not row.desc_words and row.date is None and len(row.amounts) >= 3:
        row.kind = "summary"
        return
    if has_move:
        # Running text (a footer sentence) has words after its numbers; a transaction row does not.
        first_amount = min(w.x0 for ws in row.amount_words.values() for w in ws)
        after = sum(1 for w in row.desc_words if w.x0 > first_amount)
        row.kind = "noise" if after >= 2 and row.date is None else "anchor"
        return
    if row.amounts:
        # An OCR row with a date, text and a running balance whose amount the scan lost: a booking
        # whose amount the balance chain gives (see `_fill_lost_amounts`).
        row.kind = "anchor" if row.ocr and row.date is not None and row.desc_words else "summary"
        return
    row.kind = "orphan"


def _read_rows(
    pages_lines: list[list[Line]],
    headers: dict[tuple[int, int], Header],
    ctx: Context,
    warnings: list[str],
    segments: list[Segment],
) -> list[RowLine]:
    """Rows of every table region, in reading order, each tagged with its table (`segments`).

    A header starts a new table when it stands below rows already read on its page, or when a new
    section title stands above it; a header repeated at the top of a continuation page does not.
    """
    rows: list[RowLine] = []
    current: Header | None = None
    header_keys = sorted(headers)
    # Lines that belong to a header (its second line included), and pages that have one.
    covered = {(k[0], k[1] + j) for k in header_keys if k[1] >= 0 for j in range(headers[k].line_count)}
    furniture = _furniture(pages_lines)
    ended = False
    ended_table = False  # the last table closed with its closing balance: the next header is a new one
    for pl in pages_lines:
        if not pl or ended:
            continue
        page = pl[0].page
        inferred = headers.get((page, -1))
        if inferred is not None:
            current = inferred
            segments.append(Segment(inferred))
        page_rows: list[RowLine] = []
        closed = False  # the table above ended with its closing line; only a new header reopens one
        for idx, ln in enumerate(pl):
            new = headers.get((page, idx))
            if new is not None:
                closed = False
                fresh_after_close, ended_table = ended_table, False
                title = _section_title(pl, idx, furniture)
                fresh = current is None or fresh_after_close or any(r.kind == "anchor" for r in page_rows)
                if fresh or (title and fold(title) != fold(segments[-1].title)):
                    segments.append(Segment(new, title, _context_above(pl, idx)))
                    if title and page_rows and page_rows[-1].line is pl[idx - 1]:
                        page_rows[-1].kind = "noise"  # the title is not a wrapped description
                # A repeated header read with a column missing (OCR) keeps the columns seen before;
                # another table's header (its columns elsewhere) replaces them.
                if current is None or not (new.roles < current.roles and _same_columns(new, current)):
                    current = new
                continue
            if (page, idx) in covered or current is None or closed:
                continue
            row = _read_line(ln, current, ctx)
            row.segment = len(segments) - 1
            _classify(row)
            if row.kind == "end":
                ended = True
                break
            if (
                row.kind == "anchor"
                and page_rows
                and page_rows[-1].kind in ("opening", "closing", "openclose", "summary")
                and not page_rows[-1].amounts
                and row.date is None
            ):
                row.kind = "summary"  # the values row of a summary box
            page_rows.append(row)
            if row.kind == "closing" and any(r.kind == "anchor" for r in page_rows):
                closed = True  # the table ends with its closing / carried-forward line
                ended_table = "carried" not in fold(row.line.text)  # a page break does not end it
        rows.extend(page_rows)
    _check_alignment(rows)
    _mark_noise(rows, furniture)
    return rows


def _same_columns(new: Header, old: Header) -> bool:
    """Whether every column of `new` stands where `old` has the same column (a repeated header)."""
    for col in new.columns:
        match = old.column(str(col.role))
        if match is None or abs(match.x0 - col.x0) > 0.03:
            return False
    return True


def _context_above(lines: list[Line], header_index: int, count: int = 4) -> str:
    """Text of up to `count` lines right above a header (no wider gap than a few lines between)."""
    picked: list[str] = []
    below = lines[header_index]
    for ln in reversed(lines[max(0, header_index - count) : header_index]):
        if below.bbox[1] - ln.bbox[3] > _TITLE_GAP * below.height:
            break
        picked.append(ln.text)
        below = ln
    return "\n".join(reversed(picked))


_TITLE_GAP = 3.0
"""A section title stands at most this many line heights above its table's header."""


def _section_title(lines: list[Line], header_index: int, furniture: set[tuple[str, int]]) -> str:
    """The line just above a header that names its table ("Checks paid"), or ""."""
    if header_index == 0:
        return ""
    above, header = lines[header_index - 1], lines[header_index]
    if header.bbox[1] - above.bbox[3] > _TITLE_GAP * header.height:
        return ""
    if (above.text, round(above.bbox[1] * 50)) in furniture or len(above.words) > 8:
        return ""
    if any(c.isdigit() for c in above.text):
        return ""  # a booking, an amount or a date: not a title
    return above.text


def _check_alignment(rows: list[RowLine]) -> None:
    """Amounts are right-aligned in their column: a number that ends elsewhere is description text
    that ran into the column ("... USD 24.02" above the line that holds the real amount)."""
    edges: dict[str, list[float]] = {}
    for r in rows:
        if r.kind == "anchor":
            for role, ws in r.amount_words.items():
                edges.setdefault(role, []).append(max(w.x1 for w in ws))
    medians = {role: statistics.median(xs) for role, xs in edges.items() if len(xs) >= 4}
    for r in rows:
        if r.kind != "anchor":
            continue
        moves = [k for k in ("debit", "credit", "amount") if k in r.amounts]
        if not moves or "balance" in r.amounts:
            continue
        off = [
            k
            for k in moves
            if k in medians and abs(max(w.x1 for w in r.amount_words[k]) - medians[k]) > 0.012
        ]
        if off and len(off) == len(moves):
            for k in off:
                r.desc_words.extend(r.amount_words.pop(k))
                del r.amounts[k]
            r.desc_words.sort(key=lambda w: w.x0)
            r.kind = "orphan"


def _furniture(pages_lines: list[list[Line]]) -> set[tuple[str, int]]:
    """Page furniture repeats: the same sentence in the top or bottom margin of several pages."""
    seen: dict[tuple[str, int], set[int]] = {}
    for pl in pages_lines:
        for ln in pl:
            if (ln.bbox[1] < 0.1 or ln.bbox[3] > 0.88) and len(ln.words) >= 3:
                seen.setdefault((ln.text, round(ln.bbox[1] * 50)), set()).add(ln.page)
    return {k for k, pages in seen.items() if len(pages) >= 2}


def _mark_noise(rows: list[RowLine], furniture: set[tuple[str, int]]) -> None:
    """Text lines that cannot be wrapped descriptions: wrong left edge, too wide, page furniture."""
    anchors = [r for r in rows if r.kind == "anchor" and r.desc_words]
    if not anchors:
        return
    for r in rows:
        if r.kind == "orphan" and (r.line.text, round(r.line.bbox[1] * 50)) in furniture:
            r.kind = "noise"
    desc_x0 = statistics.median(r.desc_words[0].x0 for r in anchors)
    desc_x1 = max(r.desc_words[-1].x1 for r in anchors)
    for r in rows:
        if r.kind != "orphan":
            continue
        if _PAGE_FURNITURE.search(r.line.text) and not r.date:
            r.kind = "noise"
            continue
        x0 = r.desc_words[0].x0 if r.desc_words else r.line.bbox[0]
        beyond = [w for w in r.desc_words if w.x1 > max(desc_x1 + 0.05, r.text_limit + 0.01)]
        too_wide = sum(len(w.text) for w in beyond) >= 3  # a lone OCR speck does not count
        if r.date is None and (abs(x0 - desc_x0) > 0.03 or too_wide):
            r.kind = "noise"


# ----------------------------------------------------------------------------- grouping


def _group(rows: list[RowLine]) -> list[Txn]:
    """Attach wrapped description lines to the amount line above or below them."""
    seq = [r for r in rows if r.kind in ("anchor", "orphan")]
    anchors = [i for i, r in enumerate(seq) if r.kind == "anchor"]
    if not anchors:
        return []
    above_votes = 0
    for j, i in enumerate(anchors):
        r = seq[i]
        if not r.desc_words:
            above_votes += 2
        prev = anchors[j - 1] if j > 0 else -1
        before = seq[prev + 1 : i]
        if before and any(b.date is not None for b in before) and r.date is None:
            above_votes += 2
    mode_above = above_votes >= 2
    gaps = [g for a, b in pairwise(seq) if (g := _gap(a, b)) is not None and g > 0]
    typical_gap = statistics.median(gaps) if gaps else 0.005
    owner: dict[int, int] = {i: i for i in anchors}
    bounds = [-1, *anchors, len(seq)]
    for b in range(len(bounds) - 1):
        lo, hi = bounds[b], bounds[b + 1]
        block = list(range(lo + 1, hi))
        if not block:
            continue
        prev_a = lo if lo >= 0 else None
        next_a = hi if hi < len(seq) else None
        targets = _block_targets(seq, block, prev_a, next_a, mode_above, typical_gap)
        for i, target in zip(block, targets, strict=True):
            if target is not None:
                owner[i] = target
    txns: list[Txn] = []
    by_anchor: dict[int, list[RowLine]] = {i: [] for i in anchors}
    for i, r in enumerate(seq):
        if i in owner:
            by_anchor[owner[i]].append(r)
    last_date: date | None = None
    for i in anchors:
        lines = by_anchor[i]
        d = next((r.date for r in lines if r.date is not None), None)
        if d is None:
            d = last_date
        last_date = d
        txns.append(Txn(seq[i], lines, d))
    return txns


def _gap(a: RowLine, b: RowLine) -> float | None:
    if a.line.page != b.line.page:
        return None
    return b.line.bbox[1] - a.line.bbox[3]


def _block_targets(
    seq: list[RowLine], block: list[int], prev_a: int | None, next_a: int | None, above: bool, typical: float
) -> list[int | None]:
    """Owner anchor of each orphan line; None for lines left after a wide gap at a page's foot."""
    split = _split_block(seq, block, prev_a, next_a, above)
    targets: list[int | None] = [prev_a if k < split else next_a for k in range(len(block))]
    chain = [prev_a, *block] if prev_a is not None else list(block)
    for k in range(len(block)):
        i = block[k]
        nxt_i = block[k + 1] if k + 1 < len(block) else next_a
        if nxt_i is not None and seq[nxt_i].line.page == seq[i].line.page:
            continue
        # Last line of its page inside the block: walk back over the close run that ends the table.
        j = k
        while j >= 0:
            before = chain[j] if prev_a is not None else (block[j - 1] if j > 0 else None)
            if before is None:
                break
            g = _gap(seq[before], seq[block[j]])
            if g is None or g > max(3 * typical, 0.8 * seq[block[j]].line.height):
                # Lines from block[j] to block[k] sit apart from the table: page footer.
                for m in range(j, k + 1):
                    targets[m] = None
                break
            j -= 1
    return targets


def _split_block(
    seq: list[RowLine], block: list[int], prev_a: int | None, next_a: int | None, above: bool
) -> int:
    """How many lines of an orphan block go to the anchor above (the rest go below)."""
    if prev_a is None:
        return 0
    if next_a is None:
        # Trailing lines: only close ones, never past a page break in "above" layouts.
        k = 0
        last = seq[prev_a]
        for i in block:
            g = _gap(last, seq[i])
            if g is None or g > 1.5 * max(seq[i].line.height, 0.005) or above:
                break
            k += 1
            last = seq[i]
        return k
    dated = [k for k, i in enumerate(block) if seq[i].date is not None]
    limit = dated[0] if dated else len(block)
    if not seq[next_a].desc_words and not dated and seq[prev_a].desc_words:
        return 0
    if not seq[prev_a].desc_words and seq[next_a].desc_words:
        return limit
    chain = [prev_a, *block, next_a]
    gaps = [_gap(seq[chain[k]], seq[chain[k + 1]]) for k in range(len(chain) - 1)]
    known = [g for g in gaps if g is not None]
    if any(g is None for g in gaps):
        brk = next(k for k, g in enumerate(gaps) if g is None)
        return 0 if above else min(limit, brk)
    if known:
        big = max(known)
        small = min(known)
        if big > small * 1.4 + 0.002:
            k = gaps.index(big)
            return min(limit, k)
    return 0 if above else limit


# ----------------------------------------------------------------------------- transactions


def _to_transactions(
    txns: list[Txn], ctx: Context
) -> tuple[list[dict[str, Any]], list[tuple[Decimal, bool, bool]]]:
    out: list[dict[str, Any]] = []
    amounts: list[tuple[Decimal, bool, bool]] = []
    for t in txns:
        a = t.anchor
        kind: str | None = None
        explicit = True
        marked = False
        if "debit" in a.amounts and "credit" in a.amounts:
            d, c = a.amounts["debit"].value, a.amounts["credit"].value
            amt = abs(c) - abs(d)
            kind = "debit" if amt < 0 else "credit"
        elif "debit" in a.amounts:
            amt = -abs(a.amounts["debit"].value)
            kind = "debit"
        elif "credit" in a.amounts:
            amt = abs(a.amounts["credit"].value)
            kind = "credit"
        elif "amount" not in a.amounts:
            amt = Decimal(0)
            explicit = False
            kind = None
        else:
            p = a.amounts["amount"]
            amt = p.value
            if ctx.card and a.sign is None and p.marker != "plus":
                amt, kind = _card_amount(p)
            elif a.sign == "debit":
                amt, kind = -abs(amt), "debit"
            elif a.sign == "credit":
                amt, kind = abs(amt), "credit"
            elif p.marker is not None:
                kind = "debit" if amt < 0 else "credit"
                marked = p.marker in ("minus", "parens")
            else:
                explicit = False
                kind = None
        bal = a.amounts.get("balance")
        ordered = sorted(t.lines, key=lambda r: (r.line.page, r.line.bbox[1]))
        desc_parts = [d for d in (r.desc for r in ordered) if d]
        refs = [join_words(r.ref_words) for r in t.lines if r.ref_words]
        value_date = next((r.value_date for r in t.lines if r.value_date is not None), None)
        words = [w for r in t.lines for w in r.line.words]
        page = a.line.page
        same_page = [r.line for r in t.lines if r.line.page == page]
        x0 = min(ln.bbox[0] for ln in same_page)
        y0 = min(ln.bbox[1] for ln in same_page)
        x1 = max(ln.bbox[2] for ln in same_page)
        y1 = max(ln.bbox[3] for ln in same_page)
        conf = min((w.confidence for w in words), default=1.0)
        out.append(
            {
                "date": t.date,
                "value_date": value_date,
                "description": re.sub(r"\s+", " ", " ".join(desc_parts)).strip() or None,
                "reference": " ".join(refs) or None,
                "amount": amt,
                "type": kind,
                "balance": None if bal is None else _owed(bal) if ctx.card else bal.value,
                "page": page,
                "bbox": [round(x0, 4), round(y0, 4), round(x1, 4), round(y1, 4)],
                "_conf": 0.95 if conf >= 0.99 else max(0.3, min(0.9, conf)),
                "_ocr": a.ocr,
                "_lost": not any(k in a.amounts for k in ("debit", "credit", "amount")),
                "_segment": a.segment,
                "_mark": a.amounts["amount"].marker if "amount" in a.amounts else None,
            }
        )
        amounts.append((amt, explicit, marked))
    return out, amounts


def _fill_lost_amounts(
    txns: list[dict[str, Any]],
    rows: list[ChainRow],
    amounts: list[tuple[Decimal, bool, bool]],
    opening: Decimal | None,
) -> list[dict[str, Any]]:
    """Rows whose amount OCR lost take it from the balance movement, or are dropped when no
    balance before them is known. Each filled amount is reported as a correction."""
    corrections: list[dict[str, Any]] = []
    running = opening
    keep: list[int] = []
    for i, (t, r) in enumerate(zip(txns, rows, strict=True)):
        if t.pop("_lost"):
            if running is None or r.balance is None:
                continue
            r.amount = r.balance - running
            amounts[i] = (r.amount, True, False)
            t["_conf"] = min(t["_conf"], 0.8)
            corrections.append({"row": len(keep), "field": "amount", "read": None, "value": r.amount})
        keep.append(i)
        running = (
            r.balance if r.balance is not None else (running + r.amount if running is not None else None)
        )
    if len(keep) != len(txns):
        txns[:] = [txns[i] for i in keep]
        rows[:] = [rows[i] for i in keep]
        amounts[:] = [amounts[i] for i in keep]
    return corrections


def _drop_unbooked_tail(
    txns: list[dict[str, Any]],
    rows: list[ChainRow],
    opening: Decimal | None,
    closing: Decimal | None,
    warnings: list[str],
) -> None:
    """Rows after the last booked one that the printed closing balance excludes (pending card
    payments listed under the statement) are dropped when the balances prove it exactly."""
    if opening is None or closing is None or len(rows) < 4:
        return
    total = opening + sum((r.amount for r in rows), Decimal(0))
    if total == closing:
        return
    for k in range(1, min(5, len(rows) // 3) + 1):
        tail = rows[-k:]
        if any(r.balance is not None for r in tail):
            return
        total -= rows[-k].amount
        if total == closing:
            del txns[-k:]
            del rows[-k:]
            warnings.append(f"{k} row(s) after the last booked transaction are not in the closing balance")
            return


_CREDIT_TITLES = (
    "deposits",
    "deposit",
    "additions",
    "deposits and additions",
    "deposits and other additions",
    "deposits and other credits",
    "credits",
    "other credits",
    "payments and credits",
    "payments and other credits",
    "refunds",
    "gutschriften",
    "eingange",
    "zahlungseingange",
    "habenbuchungen",
    "credits et versements",
    "versements",
    "operations au credit",
    "abonos",
    "ingresos",
    "bijschrijvingen",
    "accrediti",
    "entrate",
)
_DEBIT_TITLES = (
    "withdrawals", "withdrawal", "subtractions", "withdrawals and subtractions",
    "withdrawals and other debits", "other withdrawals", "electronic withdrawals",
    "atm & debit card withdrawals", "atm and debit card withdrawals",
    "card purchases", "purchases", "purchases and adjustments", "checks", "checks paid", "cheques",
    "cheques paid", "fees", "fees charged", "service fees", "interest charged", "charges", "debits",
    "other debits", "belastungen", "lastschriften", "abbuchungen", "sollbuchungen", "debits et prelevements",
    "prelevements", "operations au debit", "cargos", "afschrijvingen", "addebiti", "uscite",
)  # fmt: skip


def _title_sign(title: str) -> int | None:
    """+1 / -1 when a table's title says its rows are money in / out ("Checks paid"), else None."""
    text = fold(title)
    credit = contains_phrase(text, _CREDIT_TITLES)
    debit = contains_phrase(text, _DEBIT_TITLES)
    if credit and debit:
        return 1 if len(credit) > len(debit) else -1 if len(debit) > len(credit) else None
    return 1 if credit else -1 if debit else None


MAX_SIGN_SEARCH = 12
"""Tables with an unknown sign tried both ways at most (2**12 readings)."""


def _section_signs(
    txns: list[dict[str, Any]],
    rows: list[ChainRow],
    amounts: list[tuple[Decimal, bool, bool]],
    segments: list[Segment],
    opening: Decimal | None,
    closing: Decimal | None,
) -> None:
    """Unsigned amounts without a running balance, in a statement of several tables, take their
    table's sign: the one its title says, else the one that makes opening + Σ = closing hold."""
    unsigned = [i for i, (r, (_a, explicit, _m)) in enumerate(zip(rows, amounts, strict=True))
                if not explicit and r.balance is None]  # fmt: skip
    if not unsigned or len(segments) < 2:
        return
    by_segment: dict[int, list[int]] = {}
    for i in unsigned:
        by_segment.setdefault(int(txns[i]["_segment"]), []).append(i)
    keys = sorted(by_segment)
    told = {k: _title_sign(segments[k].title) if k < len(segments) else None for k in keys}
    chosen: dict[int, int] = {k: v for k, v in told.items() if v is not None}
    open_keys = [k for k in keys if k not in chosen]
    if opening is not None and closing is not None and 0 < len(open_keys) <= MAX_SIGN_SEARCH:
        rest = set(unsigned)
        fixed = opening + sum((r.amount for i, r in enumerate(rows) if i not in rest), Decimal(0))
        fixed += sum((chosen[k] * abs(rows[i].amount) for k in chosen for i in by_segment[k]), Decimal(0))
        sums = {k: sum((abs(rows[i].amount) for i in by_segment[k]), Decimal(0)) for k in open_keys}
        fits = [
            signs
            for signs in itertools.product((1, -1), repeat=len(open_keys))
            if fixed + sum((sg * sums[k] for sg, k in zip(signs, open_keys, strict=True)), Decimal(0))
            == closing
        ]
        if len(fits) == 1:
            chosen.update(zip(open_keys, fits[0], strict=True))
    for k, sign in chosen.items():
        for i in by_segment[k]:
            rows[i].amount = sign * abs(rows[i].amount)
            amounts[i] = (rows[i].amount, True, False)


_CARD_CUES = (
    "credit card", "card statement", "card number", "card account", "cash advance", "new balance",
    "kreditkarte", "kartenabrechnung", "carte de credit", "tarjeta de credito", "carta di credito",
    "creditcard",
    "visa", "mastercard", "american express",
)  # fmt: skip
_CARD_TERMS: dict[str, tuple[str, ...]] = {
    "credit_limit": (
        "credit limit", "credit line", "total credit line", "kreditrahmen", "kreditlimit", "verfugungsrahmen",
        "limite de credit", "plafond", "limite de credito", "limite di credito", "kredietlimiet",
        "bestedingslimiet",
    ),
    "minimum_payment": (
        "minimum payment due", "minimum payment", "minimum amount due", "minimum due", "mindestbetrag",
        "mindestzahlung", "paiement minimum", "montant minimum", "pago minimo", "importo minimo",
        "minimumbedrag",
    ),
    "payment_due_date": (
        "payment due date", "payment due", "due date", "falligkeitsdatum", "zahlbar bis", "date d'echeance",
        "date limite de paiement", "fecha limite de pago", "fecha de vencimiento", "scadenza", "vervaldatum",
    ),
}  # fmt: skip


def _is_card_statement(first_page: str) -> bool:
    """Card statements name the terms only a card has (a minimum payment, a credit limit) and a
    card: two distinct cues, one of them a card-only term."""
    folded = fold(first_page)
    terms = [k for k, words in _CARD_TERMS.items() if contains_phrase(folded, words)]
    strong = [k for k in terms if k != "payment_due_date"]
    cues = [c for c in _CARD_CUES if contains_phrase(folded, (c,))]
    return bool(strong) and len(terms) + len(cues) >= 2


def _printed_from_holder_side(opening: Decimal | None, closing: Decimal | None) -> bool:
    """A card statement that prints the balance owed as a negative number ("-396.47") is printed
    from the holder's side already: its amounts are then signed as the spec wants them."""
    printed = [v for v in (opening, closing) if v is not None and v != 0]
    return bool(printed) and all(v < 0 for v in printed)


def _card_amount(p: ParsedAmount) -> tuple[Decimal, str]:
    """A card row's amount from the holder's side: a plain amount is spent, a minus, brackets or CR
    mark a payment or refund."""
    if p.marker in ("minus", "parens", "credit"):
        return abs(p.value), "credit"
    return -abs(p.value), "debit"


def _owed(p: ParsedAmount) -> Decimal:
    """A card balance from the holder's side: owed is negative, a balance marked CR is in credit."""
    return abs(p.value) if p.marker == "credit" else -p.value


def _card_terms(pages_lines: list[list[Line]], ctx: Context) -> dict[str, Any]:
    """Credit limit, minimum payment and payment due date, where the first page prints them."""
    found: dict[str, Any] = {"credit_limit": None, "minimum_payment": None, "payment_due_date": None}
    for ln in pages_lines[0][:80] if pages_lines else []:
        cells = _cells(ln)
        for n, cell in enumerate(cells):
            text = fold(" ".join(w.text for w in cell))
            for key, words in _CARD_TERMS.items():
                label = contains_phrase(text, words)
                if label is None or found[key] is not None:
                    continue
                if key == "payment_due_date" and contains_phrase(text, _CARD_TERMS["minimum_payment"]):
                    continue  # "Minimum payment due" is not the due date
                rest = text[text.find(label) + len(label) :].strip(" :")
                value_text = rest or (" ".join(w.text for w in cells[n + 1]) if n + 1 < len(cells) else "")
                if key == "payment_due_date":
                    dates = find_dates(value_text, ctx.order, ctx.default_year, ctx.period)
                    found[key] = dates[0].value if dates else None
                else:
                    amount = parse_amount_ex(value_text.split(" ")[-1] if value_text else "", ctx.decimal_sep)
                    found[key] = abs(amount.value) if amount is not None else None
    return found


def _infer_signs(
    rows: list[ChainRow], amounts: list[tuple[Decimal, bool, bool]], opening: Decimal | None
) -> None:
    """For unsigned single-column amounts, the balance movement gives the sign."""
    prev = opening  # running balance as printed (or carried over rows without one)
    before: Decimal | None = None  # the one before it, to step over a single misprinted balance
    last_amount: Decimal | None = None
    for n, (r, (_amt, explicit, _marked)) in enumerate(zip(rows, amounts, strict=True)):
        if not explicit and r.balance is not None:
            bases = [prev]
            if before is not None and last_amount is not None:
                bases.append(before + last_amount)
            matched = False
            for base in bases:
                if base is None:
                    continue
                if base - abs(r.amount) == r.balance:
                    r.amount, matched = -abs(r.amount), True
                    break
                if base + abs(r.amount) == r.balance:
                    r.amount, matched = abs(r.amount), True
                    break
            nxt = rows[n + 1] if n + 1 < len(rows) else None
            if not matched and prev is not None and nxt is not None and nxt.balance is not None:
                # This row's balance is misprinted: the next balance decides both signs.
                a, b = abs(r.amount), abs(nxt.amount)
                combos = [
                    (sa, sb) for sa in (1, -1) for sb in (1, -1) if prev + sa * a + sb * b == nxt.balance
                ]
                if len({sa for sa, _ in combos}) == 1:
                    r.amount = combos[0][0] * a
        before, last_amount = prev, r.amount
        if r.balance is not None:
            prev = r.balance
        elif prev is not None:
            prev = prev + r.amount


# ----------------------------------------------------------------------------- account info


def _line_amount(line: Line, ctx: Context) -> ParsedAmount | None:
    """The rightmost money value on a line (joining split `2 085,60` / `100.00 CR` pieces)."""
    ws = line.words
    for end in range(len(ws), 0, -1):
        for start in range(max(0, end - 3), end):
            text = join_words(ws[start:end])
            p = parse_amount_ex(text, ctx.decimal_sep)
            if p is None or not (p.decimals in (2, 3) or p.marker in ("debit", "credit")):
                continue
            if start > 0 and ws[start - 1].x1 > ws[start].x0 - 0.002:
                continue
            # Take the widest valid join that ends here.
            best = p
            for s2 in range(start - 1, max(-1, end - 4), -1):
                p2 = parse_amount_ex(join_words(ws[s2:end]), ctx.decimal_sep)
                if p2 is not None and p2.decimals == p.decimals:
                    best = p2
                else:
                    break
            return best
    return None


def _find_balances(
    all_lines: list[Line], header_lines: set[int], ctx: Context
) -> tuple[Decimal | None, Decimal | None]:
    opening: Decimal | None = None
    closing_strong: Decimal | None = None
    closing_weak: Decimal | None = None
    oc: list[Decimal] = []
    for i, ln in enumerate(all_lines):
        if id(ln) in header_lines:
            continue  # "Closing Balance" as a column title
        text = fold(ln.text)
        is_open = contains_phrase(text, OPENING_WORDS)
        is_close = contains_phrase(text, CLOSING_WORDS)
        is_oc = contains_phrase(text, OPEN_OR_CLOSE_WORDS)
        if not (is_open or is_close or is_oc):
            continue
        p = _line_amount(ln, ctx)
        if p is None and i + 1 < len(all_lines):
            nxt = all_lines[i + 1]
            if nxt.page == ln.page and nxt.bbox[1] - ln.bbox[3] < 2.5 * ln.height:
                # A summary box: labels on one line, values under each label.
                if is_open and opening is None:
                    po = _value_below(ln, nxt, is_open, ctx)
                    if po is not None:
                        opening = po.value
                if is_close and closing_strong is None:
                    pc = _value_below(ln, nxt, is_close, ctx)
                    if pc is not None and is_close not in (
                        "carried forward",
                        "c/f",
                        "balance carried forward",
                    ):
                        closing_strong = pc.value
                if is_oc:
                    pq = _value_below(ln, nxt, is_oc, ctx)
                    if pq is not None:
                        oc.append(pq.value)
                continue
        if p is None:
            continue
        if is_open and is_close and is_open != is_close:
            # Two boxes side by side: "Previous Balance 8,930.09 | New Balance 941.32 CR".
            po, pc = _labelled_amount(ln, is_open, ctx), _labelled_amount(ln, is_close, ctx)
            if po is not None and pc is not None and po is not pc:
                opening = po.value if opening is None else opening
                if closing_strong is None and is_close not in ("carried forward", "c/f"):
                    closing_strong = pc.value
                continue
        p = _labelled_amount(ln, is_open or is_close or is_oc or "", ctx) or p
        if is_open and (not is_close or len(is_open) > len(is_close)):
            if opening is None:
                opening = p.value
        elif is_close:
            if is_close in ("carried forward", "c/f", "balance carried forward"):
                closing_weak = p.value
            elif closing_strong is None:
                closing_strong = p.value
        elif is_oc:
            oc.append(p.value)
    if opening is None and oc:
        opening = oc[0]
    closing = closing_strong
    if closing is None and len(oc) >= 2:
        closing = oc[-1]
    if closing is None:
        closing = closing_weak
    return opening, closing


def _labelled_amount(line: Line, phrase: str, ctx: Context) -> ParsedAmount | None:
    """The amount that belongs to a label on a line of several label/value cells: in the label's
    own cell after it, else in the next cell."""
    cells = _cells(line)
    for n, cell in enumerate(cells):
        if not contains_phrase(fold(" ".join(w.text for w in cell)), (phrase,)):
            continue
        own = _line_amount(Line(cell, line.page), ctx)
        if own is not None:
            return own
        if n + 1 < len(cells):
            return _line_amount(Line(cells[n + 1], line.page), ctx)
        return None
    return None


def _value_below(label_line: Line, nxt: Line, phrase: str, ctx: Context) -> ParsedAmount | None:
    """The value printed under a label in a summary box ("Beginsaldo" over "€ 3.216,30")."""
    words = label_line.words
    n = len(phrase.split())
    for i in range(len(words) - n + 1):
        if contains_phrase(fold(" ".join(w.text for w in words[i : i + n])), (phrase,)):
            x0, x1 = words[i].x0, words[i + n - 1].x1
            right = next((w.x0 for w in words[i + n :]), 1.0)
            below = [w for w in nxt.words if w.x1 > x0 - 0.03 and w.x0 < max(x1 + 0.02, right - 0.01)]
            if below:
                return _line_amount(Line(below, nxt.page), ctx)
            return None
    return None


def _pre_table_text(pages_lines: list[list[Line]], table_start: int | None) -> str:
    """The first page's text down to the table header (its first line included)."""
    if not pages_lines:
        return ""
    end = len(pages_lines[0]) if table_start is None else table_start + 1
    return "\n".join(ln.text for ln in pages_lines[0][:end])


_PERIOD_WORDS = (
    "period", "from", "statement", "through", "zeitraum", "vom", "bis", "du", "au", "periode", "t/m", "del",
    "al", "dal", "periodo", "to", "-", "until",
)  # fmt: skip


_YEARISH = re.compile(r"\d{4}|\d[./-]\d{1,2}[./-]\d{2}\b")  # one hit per date with a year


def _find_period(
    pages_lines: list[list[Line]], order: DateOrder, table_start: int | None
) -> tuple[date | None, date | None]:
    best: tuple[int, date, date] | None = None
    for pl in pages_lines[:2]:
        for n, ln in enumerate(pl[:80]):
            if len(_YEARISH.findall(ln.text)) < 2:
                continue  # cheap filter: a period needs two dates with years
            ds = [m for m in find_dates(ln.text, order) if m.has_year]
            if len(ds) < 2:
                continue
            a, b = ds[0].value, ds[1].value
            if not (0 < (b - a).days <= 400):
                continue
            score = 10 if contains_phrase(fold(ln.text), _PERIOD_WORDS) else 0
            score -= n // 10
            if best is None or score > best[0]:
                best = (score, a, b)
        if best is not None:
            break
    if best is None:
        return _month_period(pages_lines, table_start)
    return best[1], best[2]


_MONTH_TITLE_WORDS = (
    "statement", "period", "kontoauszug", "auszug", "zeitraum", "releve", "periode", "extracto",
    "estratto", "rekeningoverzicht", "afschrift", "month", "monat", "mois", "mes", "mese", "maand",
)  # fmt: skip


def _month_period(pages_lines: list[list[Line]], table_start: int | None) -> tuple[date | None, date | None]:
    """A period printed only as a month ("March 2025", "Relevé de mars 2025"): its first to last day.

    Only above the table on the first page, and not a month that belongs to a full date
    ("3 March 2025" is an issue date, not a period)."""
    if not pages_lines:
        return None, None
    page = pages_lines[0]
    found: list[tuple[int, date, date]] = []
    for ln in page[: min(60, len(page) if table_start is None else table_start)]:
        text = ln.text
        my = find_month_year(text)
        if my is None or any(m.has_year for m in find_dates(text)):
            continue
        year, month = my
        if not 1900 <= year <= 2100:
            continue
        last = calendar.monthrange(year, month)[1]
        score = 1 if contains_phrase(fold(text), _MONTH_TITLE_WORDS) else 0
        found.append((score, date(year, month, 1), date(year, month, last)))
    if not found:
        return None, None
    best = max(found, key=lambda f: f[0])  # the first of the best-scored lines
    return best[1], best[2]


def _guess_year(texts: list[str]) -> int | None:
    years = [int(y) for t in texts[:60] for y in re.findall(r"\b(20\d\d)\b", t)]
    return statistics.mode(years) if years else None


_MASKED_CARD = re.compile(
    r"(?<![\w*•])(?:(?:[X*•x]{4}[ -]?){3}\d{4}|\d{4}(?:[ -]?[X*•x]{4}){2}[ -]?\d{4}|[X*•x]{6,12}\d{4})(?!\w)"
)
"""A card number as statements print it: masked but for the last (and maybe first) four digits."""


def _account_number(pages_lines: list[list[Line]]) -> str | None:
    if not pages_lines:
        return None
    lines = pages_lines[0][:60]
    for ln in lines:
        masked = _MASKED_CARD.search(ln.text)
        if masked:
            return masked.group(0)
    for ln in lines:
        v = find_account_number(ln.text)
        if v:
            return v
    # Label above its value in a box row ("Número de cuenta" over "8531918843").
    for n, ln in enumerate(lines[:-1]):
        for cell in _cells(ln):
            text = " ".join(w.text for w in cell)
            m = ACCOUNT_LABEL.match(text)
            if not m:
                continue
            # The label's own words; further labels may follow in the same row ("Account number BIC").
            used, pos = 0, 0
            for w in cell:
                if pos >= len(text[: m.end()].rstrip()):
                    break
                pos += len(w.text) + 1
                used += 1
            right = cell[used].x0 if used < len(cell) else cell[-1].x1 + 0.01
            nxt = lines[n + 1]
            below = [w for w in nxt.words if w.x1 > cell[0].x0 - 0.01 and w.x0 < right - 0.005]
            if below and nxt.bbox[1] - ln.bbox[3] < 2 * ln.height:
                v = find_account_number("Account: " + " ".join(w.text for w in below))
                if v and not find_dates(v):
                    return v
    return None


_BANK_WORDS = (
    "bank", "banque", "banca", "banco", "sparkasse", "volksbank", "raiffeisen", "credit union", "credit",
    "kasse", "caisse", "building society", "savings", "trust", "bancorp", "financial", "finance", "bnp",
    "hsbc", "barclays", "lloyds", "natwest", "santander", "rabobank", "ing", "abn amro", "postbank",
)  # fmt: skip
_TITLE_WORDS = (
    "statement", "your", "kontoauszug", "rekeningoverzicht", "releve", "extracto", "estratto", "account",
    "afschrift", "overzicht", "auszug", "current", "savings account",
)  # fmt: skip


def _cells(line: Line) -> list[list[Word]]:
    """Split a line into cells at gaps wider than two character heights."""
    cells: list[list[Word]] = []
    prev_x1 = 0.0
    for w in line.words:
        x0, y0, x1, y1 = w.bbox
        h = y1 - y0
        if cells and x0 - prev_x1 < 1.6 * (h if h > 0.004 else 0.004):
            cells[-1].append(w)
        else:
            cells.append([w])
        prev_x1 = x1
    return cells


def _bank_name(pages_lines: list[list[Line]]) -> str | None:
    if not pages_lines:
        return None
    lines = [ln for ln in pages_lines[0] if ln.bbox[1] < 0.3]
    for n, ln in enumerate(lines):
        for cell in _cells(ln):
            text = " ".join(w.text for w in cell)
            f = fold(text)
            if any(re.search(rf"\b{re.escape(b)}", f) or b in f for b in ("bank", "sparkasse", "banque")) or (
                contains_phrase(f, _BANK_WORDS) and not re.search(r"\d", text)
            ):
                if re.search(r"\d{3,}|@|www\.|http", text):
                    continue
                words = [w.text for w in cell]
                # Trim a title written in the same cell ("Polderbank Rekeningoverzicht").
                for k in range(1, len(words)):
                    if contains_phrase(fold(" ".join(words[k:])), _TITLE_WORDS) and contains_phrase(
                        fold(words[k]), _TITLE_WORDS
                    ):
                        words = words[:k]
                        break
                # Logo specks read by OCR in front of the name ("È Crédit ...", "C1 Bharat ...").
                ocr = cell[0].source != "text_layer"
                while (
                    len(words) > 2
                    and len(words[0]) <= 2
                    and (len(words[0]) == 1 or any(c.isdigit() for c in words[0]) or ocr)
                ):
                    words = words[1:]
                name = " ".join(words).strip(" ,·-")
                # A logo split over two lines ("SUMMIT" / "NATIONAL BANK"): the cell just above.
                joined = False
                for above_line in reversed(lines[max(0, n - 3) : n]):
                    for above in _cells(above_line):
                        a_text = " ".join(w.text for w in above)
                        a_y1 = max(w.y1 for w in above)
                        if (
                            cell[0].y0 - a_y1 < 1.5 * ln.height
                            and len(above) <= 2
                            and not re.search(r"\d", a_text)
                            and min(above[-1].x1, cell[-1].x1) > max(above[0].x0, cell[0].x0)
                            and not contains_phrase(fold(a_text), _TITLE_WORDS)
                        ):
                            name = a_text + " " + name
                            joined = True
                            break
                    if joined:
                        break
                return name
    # No bank word: the letterhead, i.e. the largest text at the top of the first page.
    top = [ln for ln in pages_lines[0] if ln.bbox[1] < 0.15 and not re.search(r"\d", ln.text)]
    top = [ln for ln in top if not contains_phrase(fold(ln.text), _TITLE_WORDS)]
    if top:
        biggest = max(top, key=lambda ln: ln.height)
        heights = sorted(ln.height for ln in pages_lines[0])
        if biggest.height > 1.3 * heights[len(heights) // 2]:
            return " ".join(w.text for w in _cells(biggest)[0])
    return None


_HOLDER_LABELS = re.compile(
    r"^(?:account\s*name|account\s*holder|name|customer\s*name|titulaire(?:\s*du\s*compte)?|rekeninghouder|"
    r"kontoinhaber(?:in)?|inhaber|titular|intestatario|intestato\s*a|tenedor)\s*[:.]?\s*(.+)$",
    re.I,
)
_SALUTATION = re.compile(
    r"^(frau|herr|mr\.?|mrs\.?|ms\.?|miss|m\.|mme|monsieur|madame|dhr\.?|mevr\.?|sr\.?|sra\.?)$", re.I
)
_STREET = re.compile(
    r"\d|\b(street|st\.?|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|blvd|way|place|pl|flat|apt|suite|"
    r"p\s*o\s*box|postfach|stra(ss|ß)e|str\.|weg|allee|platz|gasse|rue|chemin|boulevard|calle|avenida|plaza|"
    r"laan|gracht|straat|plein|kade|via|viale|piazza|corso|rua)\b",
    re.I,
)


def _holder(pages_lines: list[list[Line]], bank_name: str | None) -> str | None:
    if not pages_lines:
        return None
    lines = pages_lines[0][:60]
    for ln in lines:
        cells = _cells(ln)
        for k, cell in enumerate(cells):
            text = " ".join(w.text for w in cell)
            m = _HOLDER_LABELS.match(text)
            if not m:
                continue
            value = m.group(1).strip(" :")
            if not re.search(r"[^\W\d_]", value) and k + 1 < len(cells):
                value = " ".join(w.text for w in cells[k + 1])
            if re.search(r"[^\W\d_]", value) and not re.search(r"\d", value):
                return value
    # An address block: a name line directly above a street line.
    for n, ln in enumerate(lines[:-1]):
        if ln.bbox[1] > 0.4:
            break
        for cell in _cells(ln):
            text = " ".join(w.text for w in cell)
            if _SALUTATION.match(text):
                continue
            words = text.split()
            if not 2 <= len(words) <= 5 or re.search(r"[\d:@]", text):
                continue
            f = fold(text)
            if contains_phrase(f, _BANK_WORDS) or contains_phrase(f, _TITLE_WORDS):
                continue
            if any(b in f for b in ("bank", "sparkasse", "banque", "banco", "banca", "kasse")):
                continue
            if bank_name and fold(bank_name) in f:
                continue  # the bank's own letterhead address
            if "card" in f.split() or contains_phrase(f, _CARD_CUES):
                continue  # the card's product name ("Rewards Visa Signature Card")
            nxt = lines[n + 1]
            if nxt.bbox[1] - ln.bbox[3] > 2 * ln.height:
                continue
            below = [c for c in _cells(nxt) if abs(c[0].x0 - cell[0].x0) < 0.02]
            if below and _STREET.search(" ".join(w.text for w in below[0])):
                return text
    return None
