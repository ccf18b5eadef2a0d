"""Self-tests of the invoice layout fuzzer: deterministic per seed, exact truth arithmetic, the page shows
what the truth says, valid identifiers, and every failure class within a small fixed seed sample.
Fixed seeds, no OCR."""

from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import pypdfium2 as pdfium
import pytest

from tests.gen.common import iban_valid
from tests.gen.fuzz_invoices import (
    CLASSES,
    TABLE_FEATURES,
    _sample_layout,
    make_fuzzed_invoice,
)

SAMPLE = range(0, 60)  # every class and table feature appears in here (test_every_class_in_sample)
CENT = Decimal("0.01")
LINE_DISCOUNTS = (0, 3, 5, 10, 15, 20, 25)


@cache
def fuzzed(seed: int) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    return make_fuzzed_invoice(seed, scanned=False)


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        parts = []
        for page in pdf:
            tp = page.get_textpage()
            parts.append(tp.get_text_bounded())
            tp.close()
            page.close()
        return "\n".join(parts)
    finally:
        pdf.close()


def flat(s: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", s)


def compact(s: str) -> str:
    return re.sub(r"[\s.\-/\u00a0\u202f]", "", s).upper()


# ------------------------------------------------------------------ identifier checks, written independently
def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _de_ok(n: str) -> bool:  # ISO 7064 MOD 11,10 with the product form of the algorithm
    product = 10
    for ch in n[:-1]:
        s = (int(ch) + product) % 10 or 10
        product = (2 * s) % 11
    return (11 - product) % 10 == int(n[-1])


def vat_valid(v: str) -> bool:
    cc, body = v[:2], v[2:]
    if cc == "DE":
        return _de_ok(body)
    if cc == "AT":
        d = [int(x) for x in body[1:8]]
        s = d[0] + d[2] + d[4] + d[6] + sum(sum(divmod(2 * x, 10)) for x in (d[1], d[3], d[5]))
        return (10 - (s + 4) % 10) % 10 == int(body[8])
    if cc == "CH":
        d = [int(x) for x in body[1:9]]
        c = 11 - sum(w * x for w, x in zip((5, 4, 3, 2, 7, 6, 5, 4), d, strict=True)) % 11
        return (0 if c == 11 else c) == int(body[9])
    if cc == "FR":
        return int(body[:2]) == (12 + 3 * (int(body[2:]) % 97)) % 97 and _luhn_ok(body[2:])
    if cc == "BE":
        return 97 - int(body[:8]) % 97 == int(body[8:])
    if cc == "NL":
        d = [int(x) for x in body[:9]]
        return sum(w * x for w, x in zip(range(9, 1, -1), d[:8], strict=True)) % 11 == d[8]
    if cc == "IT":
        return _luhn_ok(body)
    if cc == "ES":
        d = [int(x) for x in body[1:8]]
        s = d[1] + d[3] + d[5] + sum(sum(divmod(2 * x, 10)) for x in (d[0], d[2], d[4], d[6]))
        return (10 - s % 10) % 10 == int(body[8])
    if cc == "GB":
        d = [int(x) for x in body[:7]]
        return (sum(w * x for w, x in zip(range(8, 1, -1), d, strict=True)) + int(body[7:9])) % 97 == 0
    if cc == "IE":
        d = [int(x) for x in body[:7]]
        return "WABCDEFGHIJKLMNOPQRSTUV"[sum(x * (8 - i) for i, x in enumerate(d)) % 23] == body[7]
    return bool(re.fullmatch(r"\d{9}", v))  # US EIN: no check digit


def test_identifier_checks_accept_published_examples() -> None:
    for v in (
        "DE136695976",
        "ATU13585627",
        "CHE107787577",
        "FR40303265045",
        "BE0403019261",
        "NL004495445B01",
        "IT00743110157",
        "ESB58378431",
        "GB980780684",
        "IE6433435F",
    ):
        assert vat_valid(v), v
    assert not vat_valid("DE136695977")


# ------------------------------------------------------------------ truth
def check_truth(truth: dict[str, Any], meta: dict[str, Any]) -> None:
    assert truth["document_type"] in ("invoice", "credit_note")
    assert set(truth) >= {
        "invoice_number",
        "invoice_date",
        "due_date",
        "purchase_order",
        "currency",
        "vendor",
        "customer",
        "line_items",
        "subtotal",
        "tax_total",
        "total",
        "amount_due",
        "taxes",
    }
    for key in ("name", "address", "tax_id", "iban"):
        assert key in truth["vendor"]
    lines = truth["line_items"]
    assert lines
    disc_col = "disc" in meta["dims"]["table_cols"]
    for ln in lines:
        assert isinstance(ln["amount"], str) and ln["description"] == " ".join(ln["description"].split())
        if "quantity" in ln and "unit_price" in ln:
            gross = Decimal(ln["quantity"]) * Decimal(ln["unit_price"])
            options = LINE_DISCOUNTS if disc_col else (0,)
            assert any(
                (gross * (100 - d) / 100).quantize(CENT, rounding=ROUND_HALF_UP) == Decimal(ln["amount"])
                for d in options
            ), ln
    assert sum(Decimal(ln["amount"]) for ln in lines) == Decimal(truth["subtotal"])
    taxes = truth["taxes"]
    for t in taxes:
        want = (Decimal(t["base"]) * Decimal(t["rate"]) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        assert Decimal(t["amount"]) == want, t
    assert sum(Decimal(t["amount"]) for t in taxes) == Decimal(truth["tax_total"])
    assert sum(Decimal(t["base"]) for t in taxes) + Decimal(truth["tax_total"]) == Decimal(truth["total"])
    assert Decimal(0) < Decimal(truth["amount_due"]) <= Decimal(truth["total"])
    if truth["vendor"]["iban"] is not None:
        assert iban_valid(truth["vendor"]["iban"])
    for who in ("vendor", "customer"):
        if truth[who]["tax_id"] is not None:
            assert vat_valid(truth[who]["tax_id"]), truth[who]["tax_id"]
    for key in ("invoice_date", "due_date"):
        assert truth[key] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", truth[key])


def test_deterministic_per_seed() -> None:
    for seed in (3, 17):
        a = make_fuzzed_invoice(seed, scanned=False)
        b = make_fuzzed_invoice(seed, scanned=False)
        assert a[0] == b[0] and a[1] == b[1] and a[2] == b[2]
    assert fuzzed(3)[1] != fuzzed(4)[1]


@pytest.mark.parametrize("seed", SAMPLE)
def test_truth_is_exact_and_shown(seed: int) -> None:
    pdf, truth, meta = fuzzed(seed)
    check_truth(truth, meta)
    text = pdf_text(pdf)
    ft, ct = flat(text), compact(text)
    assert truth["invoice_number"] in ft
    for who in ("vendor", "customer"):
        # a letter-spaced logo comes out of the text layer with spaces between the letters
        assert re.sub(r"\s", "", truth[who]["name"]).upper() in re.sub(r"\s", "", text).upper(), who
        for word in re.findall(r"\w+", truth[who]["address"])[:-1]:
            assert word.upper() in ct or len(word) == 2, (who, word)
    for key in ("iban", "tax_id"):
        value = truth["vendor"][key]
        if value is not None:
            assert compact(value) in ct, key
    if truth["purchase_order"] is not None:
        assert truth["purchase_order"] in ft
    for i, ln in enumerate(truth["line_items"]):
        words = set(ft.split(" "))
        missing = [w for w in ln["description"].split() if w not in words]
        assert not missing, (i, missing)
    assert meta["pages"] == len(pdfium.PdfDocument(pdf))
    assert set(meta["classes"]) <= set(CLASSES)


def test_every_class_in_sample() -> None:
    classes: Counter[str] = Counter()
    features: Counter[str] = Counter()
    for seed in SAMPLE:
        _, _, meta = fuzzed(seed)
        classes.update(meta["classes"])
        features.update(meta["table_features"])
        if _sample_layout(seed, None).scanned:
            classes["scanned"] += 1
    for c in CLASSES:
        assert classes[c] >= 3, (c, classes)
    for f in TABLE_FEATURES:
        assert features[f] >= 2, (f, features)
    assert classes["scanned"] >= len(SAMPLE) // 4


def test_benchmark_range_shares() -> None:
    """The baseline range 20000-20199: at least a quarter scanned, every layout family of parties present."""
    lays = [_sample_layout(seed, None) for seed in range(20000, 20200)]
    assert sum(lay.scanned for lay in lays) >= 50
    assert {lay.vendor_style for lay in lays} == {"plain", "logo", "form", "footer_only", "beside_title"}
    assert {lay.lang for lay in lays} == {"en", "de", "fr", "es", "nl", "it"}
    assert sum(lay.meta_style == "title_line" for lay in lays) >= 30


def test_title_line_carries_number_not_type_code() -> None:
    seeds = [s for s in SAMPLE if "title_numbering" in fuzzed(s)[2]["classes"]]
    assert seeds
    for seed in seeds:
        pdf, truth, _ = fuzzed(seed)
        assert truth["invoice_number"] not in ("380", "381")
        assert truth["invoice_number"] in flat(pdf_text(pdf))


def test_scanned_is_image_only_with_same_truth() -> None:
    seed = next(s for s in SAMPLE if fuzzed(s)[2]["pages"] == 1)
    pdf, truth, meta = make_fuzzed_invoice(seed, scanned=True)
    assert pdf.startswith(b"%PDF") and pdf_text(pdf).strip() == ""
    assert truth == fuzzed(seed)[1]
    assert meta["scan"] and "scanned" in meta["classes"]


def test_forcing_scan_keeps_the_layout() -> None:
    for seed in (5, 8):
        a = _sample_layout(seed, None)
        b = _sample_layout(seed, not a.scanned)
        assert {k: v for k, v in vars(a).items() if k not in ("scanned", "scan")} == {
            k: v for k, v in vars(b).items() if k not in ("scanned", "scan")
        }
