"""Self-verification of a statement: the running-balance chain and opening + Σ amounts = closing.

A printed running balance is evidence about every amount since the previous printed balance. When a
segment does not add up and exactly one amount has an OCR-plausible alternative reading (digit
confusions 1/7, 1/4, 3/8, 5/6, 0/8, a lost minus, a shifted decimal) that makes it add up, that reading is
taken and recorded as a correction. Printed balances are never rewritten: a balance that disagrees
while the amounts around it are consistent is flagged, not "repaired".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

_CONFUSIONS: dict[str, str] = {
    "1": "74",
    "7": "1",
    "4": "1",
    "3": "8",
    "8": "30",
    "5": "6",
    "6": "5",
    "0": "8",
    "9": "8",
}


@dataclass(slots=True)
class ChainRow:
    amount: Decimal
    balance: Decimal | None
    ocr: bool = False
    """True when the row was read by OCR (only then are misreadings plausible)."""


@dataclass(slots=True)
class Reconciliation:
    reconciled: bool | None
    checks: list[dict[str, Any]]
    corrections: list[dict[str, Any]] = field(default_factory=list)
    confirmed: set[int] = field(default_factory=set)
    """Rows whose amount a printed balance (or the closing balance) confirms."""
    failing: set[int] = field(default_factory=set)


def alternatives(value: Decimal) -> list[Decimal]:
    """Readings OCR could have confused with `value`: one digit swapped, sign lost, decimal shifted."""
    text = format(abs(value), "f")
    sign = -1 if value < 0 else 1
    out: list[Decimal] = [-value]
    for i, ch in enumerate(text):
        for repl in _CONFUSIONS.get(ch, ""):
            cand = text[:i] + repl + text[i + 1 :]
            out.append(sign * Decimal(cand))
            out.append(-sign * Decimal(cand))
    if "." in text:
        digits = text.replace(".", "")
        if len(digits) > 2:
            out.append(sign * Decimal(digits[:-2] + "." + digits[-2:]) / 10)
    return [v for v in out if v != value]


def reconcile(
    rows: list[ChainRow], opening: Decimal | None, closing: Decimal | None
) -> tuple[Reconciliation, list[Decimal]]:
    """Check (and where OCR misreadings are provable, repair) the chain; returns the result and amounts."""
    amounts = [r.amount for r in rows]
    checks: list[dict[str, Any]] = []
    corrections: list[dict[str, Any]] = []
    confirmed: set[int] = set()
    failing: set[int] = set()
    printed = [i for i, r in enumerate(rows) if r.balance is not None]

    chain_status: str | None = None
    if printed:
        running = opening
        start = 0
        if running is None:
            # Without an opening balance the first printed balance anchors the chain.
            first = printed[0]
            running = rows[first].balance
            assert running is not None
            start = first + 1
            confirmed.update(range(first + 1))
        chain_fail_rows: list[int] = []
        for idx in printed:
            if idx < start:
                continue
            seg = list(range(start, idx + 1))
            bal = rows[idx].balance
            assert bal is not None
            total = running + sum((amounts[i] for i in seg), Decimal(0))
            if total == bal:
                confirmed.update(seg)
            elif (
                rows[idx].ocr
                and total in alternatives(bal)
                and (
                    _next_follows(rows, amounts, printed, idx, total)
                    or (
                        idx == printed[-1]
                        and closing is not None
                        and _tail_total(amounts, idx, total) == closing
                    )
                )
            ):
                # OCR lost the balance's minus (or misread a digit) and the amounts prove it.
                corrections.append({"row": idx, "field": "balance", "read": bal, "value": total})
                rows[idx].balance = total
                bal = total
                confirmed.update(seg)
            else:
                fixed = _repair(rows, amounts, seg, running, bal)
                if fixed is not None:
                    row, new = fixed
                    corrections.append({"row": row, "field": "amount", "read": amounts[row], "value": new})
                    amounts[row] = new
                    confirmed.update(seg)
                else:
                    chain_fail_rows.append(idx)
                    failing.update(seg)
                    if _next_follows(rows, amounts, printed, idx, total):
                        # The printed balance is the odd one out (a misprint): the chain goes on
                        # from the computed balance and only this row is flagged.
                        failing.difference_update(seg[:-1])
                        running = total
                        start = idx + 1
                        continue
            running = bal
            start = idx + 1
        chain_status = "fail" if chain_fail_rows else "pass"
        checks.append(
            {
                "name": "balance_chain",
                "status": chain_status,
                "detail": None
                if not chain_fail_rows
                else f"{len(chain_fail_rows)} printed balance(s) do not follow",
                "rows": chain_fail_rows,
            }
        )
    total_status: str | None = None
    if opening is not None and closing is not None:
        total = opening + sum(amounts, Decimal(0))
        if total != closing and not corrections:
            # A single misread amount with no balance after it: the closing balance proves it.
            tail = list(range(printed[-1] + 1 if printed else 0, len(rows)))
            base = rows[printed[-1]].balance if printed else opening
            if tail and base is not None:
                fixed = _repair(rows, amounts, tail, base, closing)
                if fixed is not None:
                    row, new = fixed
                    corrections.append({"row": row, "field": "amount", "read": amounts[row], "value": new})
                    amounts[row] = new
                    total = opening + sum(amounts, Decimal(0))
        total_status = "pass" if total == closing else "fail"
        if total_status == "pass":
            if not printed:
                confirmed.update(range(len(rows)))
            else:
                confirmed.update(range(printed[-1] + 1, len(rows)))
        checks.append(
            {
                "name": "opening_plus_transactions_equals_closing",
                "status": total_status,
                "detail": None
                if total_status == "pass"
                else f"opening + transactions = {total}, closing = {closing}",
                "rows": [],
            }
        )
    statuses = [s for s in (chain_status, total_status) if s is not None]
    reconciled = None if not statuses else all(s == "pass" for s in statuses)
    result = Reconciliation(reconciled, checks, corrections, confirmed - failing, failing)
    return result, amounts


def _repair(
    rows: list[ChainRow], amounts: list[Decimal], seg: list[int], running: Decimal, target: Decimal
) -> tuple[int, Decimal] | None:
    """The one OCR-read row in `seg` whose alternative reading makes the segment add up, if unique."""
    base = running + sum((amounts[i] for i in seg), Decimal(0))
    found: list[tuple[int, Decimal]] = []
    for i in seg:
        if not rows[i].ocr:
            continue
        for alt in alternatives(amounts[i]):
            if base - amounts[i] + alt == target:
                found.append((i, alt))
    if len(found) == 1:
        return found[0]
    if not found and len(seg) == 1 and rows[seg[0]].ocr:
        # One row between two printed balances: the chain fixes its amount exactly. Taken only when
        # the reading differs in at most two digits (a misread, not a different number).
        i = seg[0]
        implied = target - (base - amounts[i])
        if _digit_distance(implied, amounts[i]) <= 2:
            return i, implied
    return None


def _digit_distance(a: Decimal, b: Decimal) -> int:
    """Positions in which two same-length, same-sign amounts differ (large when shapes differ)."""
    sa, sb = format(a, "f"), format(b, "f")
    if len(sa) != len(sb) or (a < 0) != (b < 0):
        return 99
    return sum(1 for x, y in zip(sa, sb, strict=True) if x != y)


def _next_follows(
    rows: list[ChainRow], amounts: list[Decimal], printed: list[int], idx: int, running: Decimal
) -> bool:
    """True when the next printed balance follows from `running` (so the one at `idx` is a misprint)."""
    later = [i for i in printed if i > idx]
    if not later:
        return False
    nxt = later[0]
    bal = rows[nxt].balance
    if bal is None:
        return False
    expected = running + sum((amounts[i] for i in range(idx + 1, nxt + 1)), Decimal(0))
    # The next balance may have lost its own minus in OCR: the magnitude still proves the chain.
    return expected == bal or (rows[nxt].ocr and abs(expected) == abs(bal))


def _tail_total(amounts: list[Decimal], idx: int, running: Decimal) -> Decimal:
    return running + sum(amounts[idx + 1 :], Decimal(0))
