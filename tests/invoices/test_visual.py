"""Visual invoice extraction on generated families, the corpus and a scan, plus the arithmetic checks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ledgerlens.validate.invoice_checks import run_checks
from tests.gen.invoices import INVOICE_FAMILIES, make_invoice, make_scanned_invoice
from tests.invoices.helpers import extract, same, score_module

HEADER = ("invoice_number", "invoice_date", "currency", "total", "amount_due", "subtotal", "tax_total")


def _line_f1(truth: list[dict[str, Any]], pred: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(matched, truth lines, predicted lines), matching in order on amount and quantity."""
    j = matched = 0
    for t in truth:
        for k in range(j, len(pred)):
            if same(t.get("amount"), pred[k].get("amount")) and same(
                t.get("quantity"), pred[k].get("quantity")
            ):
                matched += 1
                j = k + 1
                break
    return matched, len(truth), len(pred)


def test_generated_families_header_and_lines() -> None:
    ok = total = matched = n_true = n_pred = 0
    failures: list[str] = []
    for family in INVOICE_FAMILIES:
        pdf, truth = make_invoice(family, seed=11)
        _doc, result = extract(pdf)
        assert result["document_type"] == truth["document_type"], family
        assert result["source"] == "visual"
        for key in HEADER:
            if key in truth:
                total += 1
                if same(truth[key], result[key]):
                    ok += 1
                else:
                    failures.append(f"{family}.{key}: {truth[key]!r} != {result[key]!r}")
        m, t, p = _line_f1(truth.get("line_items", []), result["line_items"])
        matched, n_true, n_pred = matched + m, n_true + t, n_pred + p
        # invoice number and total are the fields everything else hangs on
        assert same(truth["invoice_number"], result["invoice_number"]), family
        assert same(truth["total"], result["total"]), family
    precision, recall = matched / max(n_pred, 1), matched / max(n_true, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    assert ok / total >= 0.9, failures
    assert f1 >= 0.8, (f1, failures)


@pytest.mark.corpus
def test_corpus_visual_invoices_meet_targets(corpus_dir: Path) -> None:
    score = score_module(corpus_dir)
    if score is None:
        pytest.skip("shared scorer not found")
    import json

    fields: list[bool] = []
    m = nt = npred = 0
    for pdf in sorted((corpus_dir / "invoices").glob("*.pdf")):
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        _doc, result = extract(pdf.read_bytes())
        s = score.score_invoice(truth, json.loads(json.dumps(result)), False)
        fields.extend(s["fields"].values())
        m, nt, npred = m + s["matched"], nt + s["n_true"], npred + s["n_pred"]
    _p, _r, f1 = score.prf(m, nt, npred)
    header = sum(fields) / len(fields)
    assert header >= 0.9, header
    assert f1 >= 0.85, f1


@pytest.mark.slow
def test_scanned_invoice_is_read_by_ocr() -> None:
    pdf, truth = make_scanned_invoice("inv_uk_consulting", seed=2)
    doc, result = extract(pdf)
    assert doc.pages[0].source != "text_layer"
    assert same(truth["invoice_number"], result["invoice_number"])
    assert same(truth["total"], result["total"])
    m, t, _p = _line_f1(truth["line_items"], result["line_items"])
    assert m >= t - 1


def test_checks_pass_on_consistent_arithmetic_and_fail_on_a_broken_line() -> None:
    good: dict[str, Any] = {
        "line_items": [
            {
                "quantity": Decimal(2),
                "unit_price": Decimal("10.00"),
                "amount": Decimal("20.00"),
                "confidence": 0.8,
            },
            {
                "quantity": Decimal(1),
                "unit_price": Decimal("5.50"),
                "amount": Decimal("5.50"),
                "confidence": 0.8,
            },
        ],
        "subtotal": Decimal("25.50"),
        "tax_total": Decimal("4.85"),
        "total": Decimal("30.35"),
        "taxes": [{"rate": Decimal(19), "base": Decimal("25.50"), "amount": Decimal("4.85")}],
        "vendor": {"iban": "DE89370400440532013000"},
    }
    checks = {c["name"]: c["status"] for c in run_checks(good)["checks"]}
    assert set(checks.values()) == {"pass"}, checks
    assert all(i["confidence"] >= 0.99 for i in good["line_items"])
    bad = dict(good)
    bad["line_items"] = [dict(good["line_items"][0], amount=Decimal("21.00")), dict(good["line_items"][1])]
    bad["vendor"] = {"iban": "DE89370400440532013001"}
    checks = {c["name"]: c["status"] for c in run_checks(bad)["checks"]}
    assert checks["line_items_sum_to_subtotal"] == "fail"
    assert checks["quantity_times_unit_price_equals_amount"] == "fail"
    assert checks["iban_checksum"] == "fail"
    assert bad["line_items"][0]["confidence"] <= 0.5


def test_items_table_continues_on_a_page_without_header() -> None:
    import io

    from reportlab.pdfgen.canvas import Canvas

    from ledgerlens.documents.loader import load_document
    from ledgerlens.extract.invoice import extract_invoice

    buf = io.BytesIO()
    c = Canvas(buf)
    rows = [(f"Widget type {k}", k % 5 + 1, Decimal("12.50") + k) for k in range(1, 61)]
    y = 0.0
    page_rows: list[list[tuple[str, int, Decimal]]] = [rows[:40], rows[40:]]
    for n, chunk in enumerate(page_rows):
        if n == 0:
            c.drawString(60, 800, "INVOICE")
            c.drawString(60, 784, "Invoice number: INV-9001")
            c.drawString(60, 768, "Invoice date: 2025-02-03")
            c.drawString(60, 740, "Description")
            c.drawString(330, 740, "Qty")
            c.drawString(390, 740, "Unit price")
            c.drawString(490, 740, "Amount")
            y = 724
        else:
            c.drawString(60, 800, "INV-9001, page 2")
            y = 770
        for desc, qty, price in chunk:
            c.drawString(60, y, desc)
            c.drawRightString(350, y, str(qty))
            c.drawRightString(450, y, f"{price:.2f}")
            c.drawRightString(540, y, f"{qty * price:.2f}")
            y -= 16
        if n == 0:
            c.showPage()
    subtotal = sum((q * p for _d, q, p in rows), Decimal(0))
    c.drawString(390, y - 10, "Subtotal")
    c.drawRightString(540, y - 10, f"{subtotal:.2f}")
    c.drawString(390, y - 26, "Total")
    c.drawRightString(540, y - 26, f"{subtotal:.2f}")
    c.save()
    data = buf.getvalue()
    result = extract_invoice(load_document(data), data)
    assert len(result["line_items"]) == 60
    assert {i["page"] for i in result["line_items"]} == {1, 2}
    assert result["subtotal"] == subtotal
    checks = {ch["name"]: ch["status"] for ch in result["validation"]["checks"]}
    assert checks["line_items_sum_to_subtotal"] == "pass"
