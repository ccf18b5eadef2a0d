"""Invoice arithmetic: lines add up to the subtotal, subtotal + tax = total, tax = base x rate, IBAN.

Each check is reported (pass/fail/skipped with the numbers that disagree) and feeds the line and
document confidences, so a value confirmed by the arithmetic is trusted and one that breaks it is not.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledgerlens.extract.accounts import valid_iban

_CENT = Decimal("0.01")


def _check(name: str, status: str, detail: str | None = None) -> dict[str, Any]:
    return {"name": name, "status": status, "detail": detail}


def _dec(v: Any) -> Decimal | None:
    return v if isinstance(v, Decimal) else None


def run_checks(result: dict[str, Any]) -> dict[str, Any]:
    """`validation` block for an invoice result; also adjusts `line_items[].confidence` in place."""
    checks: list[dict[str, Any]] = []
    items = [i for i in result.get("line_items") or [] if isinstance(i, dict)]
    subtotal = _dec(result.get("subtotal"))
    tax_total = _dec(result.get("tax_total"))
    total = _dec(result.get("total"))

    amounts = [_dec(i.get("amount")) for i in items]
    if items and subtotal is not None and all(a is not None for a in amounts):
        s = sum((a for a in amounts if a is not None), Decimal(0))
        ok = abs(s - subtotal) <= _CENT
        checks.append(
            _check(
                "line_items_sum_to_subtotal",
                "pass" if ok else "fail",
                None if ok else f"lines sum to {s}, subtotal is {subtotal}",
            )
        )
    else:
        checks.append(_check("line_items_sum_to_subtotal", "skipped", "no line items or no subtotal"))
        ok = False
    lines_ok = checks[-1]["status"] == "pass"

    bad_rows = []
    for n, item in enumerate(items):
        q, p, a = _dec(item.get("quantity")), _dec(item.get("unit_price")), _dec(item.get("amount"))
        if q is None or p is None or a is None:
            continue
        tol = max(_CENT, abs(q) * Decimal("0.005"))
        if abs(q * p - a) > tol:
            bad_rows.append(n)
            item["confidence"] = min(float(item.get("confidence") or 0.5), 0.5)
        elif lines_ok:
            item["confidence"] = max(float(item.get("confidence") or 0.0), 0.99)
    checks.append(
        _check(
            "quantity_times_unit_price_equals_amount",
            "fail" if bad_rows else "pass",
            f"rows {bad_rows}" if bad_rows else None,
        )
    )

    taxes = [t for t in result.get("taxes") or [] if isinstance(t, dict)]
    if subtotal is not None and tax_total is not None and total is not None:
        base: Decimal = subtotal
        bases = [_dec(t.get("base")) for t in taxes]
        if taxes and all(b is not None for b in bases):
            base = sum((b for b in bases if b is not None), Decimal(0))
        ok = abs(base + tax_total - total) <= _CENT or abs(subtotal + tax_total - total) <= _CENT
        checks.append(
            _check(
                "subtotal_plus_tax_equals_total",
                "pass" if ok else "fail",
                None if ok else f"{base} + {tax_total} != {total}",
            )
        )
    else:
        checks.append(_check("subtotal_plus_tax_equals_total", "skipped", "subtotal, tax or total not found"))

    bad_tax = []
    checked = 0
    for tax in taxes:
        rate, tbase, amount = _dec(tax.get("rate")), _dec(tax.get("base")), _dec(tax.get("amount"))
        if rate is None or tbase is None or amount is None:
            continue
        checked += 1
        if abs(tbase * rate / 100 - amount) > Decimal("0.02"):
            bad_tax.append(f"{rate}%: {tbase} x {rate}% != {amount}")
    if checked:
        checks.append(
            _check(
                "tax_per_rate_equals_base_times_rate",
                "fail" if bad_tax else "pass",
                "; ".join(bad_tax) or None,
            )
        )
    else:
        checks.append(
            _check("tax_per_rate_equals_base_times_rate", "skipped", "no rate with base and amount")
        )

    vendor = result.get("vendor") or {}
    iban = vendor.get("iban") if isinstance(vendor, dict) else None
    if iban:
        ok = valid_iban(str(iban))
        checks.append(
            _check("iban_checksum", "pass" if ok else "fail", None if ok else f"{iban} fails mod-97")
        )
    else:
        checks.append(_check("iban_checksum", "skipped", "no IBAN"))
    statuses = [c["status"] for c in checks]
    passed, failed = statuses.count("pass"), statuses.count("fail")
    # how far the arithmetic confirms the document: every check that could run passed -> high
    confidence = 0.5 if passed == 0 else round(max(0.2, min(0.99, 0.6 + 0.1 * passed - 0.25 * failed)), 2)
    return {"checks": checks, "confidence": confidence}
