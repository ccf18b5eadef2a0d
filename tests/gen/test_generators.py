"""Self-tests of the document generators: the truth must be exact and must be what the page shows."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pypdfium2 as pdfium
import pytest

from tests.gen import scan
from tests.gen.common import MONTHS, NUM_STYLES, fmt_date, fmt_num, iban_valid
from tests.gen.invoices import (
    INVOICE_FAMILIES,
    LINE_DISCOUNT_FAMILIES,
    make_invoice,
    make_scanned_invoice,
)
from tests.gen.statements import STATEMENT_FAMILIES, make_scanned_statement, make_statement


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        parts = []
        for page in pdf:
            tp = page.get_textpage()
            parts.append(tp.get_text_bounded())
            tp.close()
            page.close()
        return norm_space("\n".join(parts))
    finally:
        pdf.close()


def norm_space(s: str) -> str:
    return re.sub(r"[ \t\u00a0\u202f\r]+", " ", s)


def number_forms(value: str) -> set[str]:
    d = Decimal(value)
    places = max(0, -int(d.normalize().as_tuple().exponent))
    return {norm_space(fmt_num(d, style, p)) for style in NUM_STYLES for p in {places, 2}}


def date_forms(iso: str) -> set[str]:
    from datetime import date

    d = date.fromisoformat(iso)
    patterns = [
        "{dd}.{mm}.{yyyy}",
        "{dd}/{mm}/{yyyy}",
        "{mm}/{dd}/{yyyy}",
        "{dd}-{mm}-{yyyy}",
        "{d} {mon} {yyyy}",
        "{dd}-{mon}-{yyyy}",
        "{d} {month} {yyyy}",
        "{dd} {mon} {yyyy}",
        "{month} {d}, {yyyy}",
    ]
    return {fmt_date(d, p, lang) for p in patterns for lang in MONTHS}


def compact(s: str) -> str:
    return re.sub(r"[\s.\-/]", "", s).upper()


def assert_number_shown(text: str, value: str | None, what: str) -> None:
    if value is None:
        return
    forms = number_forms(value)
    assert any(f in text for f in forms), f"{what}={value} not on the page (tried {sorted(forms)})"


def assert_words_shown(text: str, value: str | None, what: str) -> None:
    if value is None:
        return
    tokens = re.findall(r"\S+", text)
    words = set(tokens) | {t.strip(",;:") for t in tokens}
    missing = [w for w in value.split() if w not in words]
    assert not missing, f"{what}={value!r}: words {missing} not on the page"


def check_statement_truth(truth: dict[str, Any]) -> None:
    info = truth["account_info"]
    assert truth["document_type"] == "bank_statement"
    bal = Decimal(info["opening_balance"])
    credits = debits = Decimal(0)
    rows = list(enumerate(truth["transactions"]))
    if rows and rows[0][1]["date"] > rows[-1][1]["date"]:  # printed newest first
        rows.reverse()
    for i, t in rows:
        amt = Decimal(t["amount"])
        assert (amt < 0) == (t["type"] == "debit"), i
        bal += amt
        if amt < 0:
            debits -= amt
        else:
            credits += amt
        if t["balance"] is not None:
            assert Decimal(t["balance"]) == bal, f"row {i}: printed balance {t['balance']} != {bal}"
        assert t["date"] >= info["statement_period"]["start"] and t["date"] <= info["statement_period"]["end"]
        assert t["description"] == " ".join(t["description"].split()) and t["description"]
    assert bal == Decimal(info["closing_balance"])
    assert Decimal(info["total_credits"]) == credits
    assert Decimal(info["total_debits"]) == debits
    if info["iban"] is not None:
        assert iban_valid(info["iban"]), info["iban"]


@pytest.mark.parametrize("family", STATEMENT_FAMILIES)
def test_statement_family(family: str) -> None:
    for seed in (0, 1):
        pdf, truth = make_statement(family, seed=seed)
        check_statement_truth(truth)
        n = len(truth["transactions"])
        assert 5 <= n <= 70
        text = pdf_text(pdf)
        info = truth["account_info"]
        assert_words_shown(text, info["bank_name"], "bank_name")
        assert_words_shown(text, info["account_holder"], "account_holder")
        assert_number_shown(text, info["opening_balance"], "opening_balance")
        assert_number_shown(text, info["closing_balance"], "closing_balance")
        compact = re.sub(r"\s", "", text)
        for key in ("iban", "account_number", "bic", "currency"):
            if info[key] is not None:
                assert re.sub(r"\s", "", info[key]) in compact, (key, info[key])
        for i, t in enumerate(truth["transactions"]):
            assert_number_shown(text, t["amount"], f"tx{i}.amount")
            assert_number_shown(text, t["balance"], f"tx{i}.balance")
            assert_words_shown(text, t["description"], f"tx{i}.description")
            if t["reference"] is not None:
                assert t["reference"] in text


def test_statement_deterministic_and_varied() -> None:
    a1, t1 = make_statement(STATEMENT_FAMILIES[0], seed=5)
    a2, t2 = make_statement(STATEMENT_FAMILIES[0], seed=5)
    _, t3 = make_statement(STATEMENT_FAMILIES[0], seed=6)
    assert a1 == a2 and t1 == t2
    assert t1 != t3
    assert len(STATEMENT_FAMILIES) >= 12


def test_statement_options_and_multipage() -> None:
    pdf, truth = make_statement("ie_liffey_multipage", seed=2, n_tx=60)
    assert len(truth["transactions"]) == 60
    assert scan.page_count(pdf) >= 2
    check_statement_truth(truth)


def test_scanned_statement_has_no_text_layer() -> None:
    pdf, truth = make_scanned_statement("de_mainufer", seed=1, n_tx=6, dpi=120)
    assert pdf.startswith(b"%PDF")
    assert pdf_text(pdf).strip() == ""
    check_statement_truth(truth)


def test_degrade_is_deterministic_and_rotates() -> None:
    pdf, _ = make_statement("uk_kestrel", seed=0, n_tx=5)
    img = scan.render_pdf_page(pdf, 0, dpi=60)
    a = scan.degrade(img, seed=3, rotate=90)
    b = scan.degrade(img, seed=3, rotate=90)
    assert a.size == (img.height, img.width)
    assert a.tobytes() == b.tobytes()
    tiff = scan.multipage_tiff([img, a])
    assert tiff[:2] in (b"II", b"MM")
    assert scan.image_bytes(a, "png").startswith(b"\x89PNG")


def check_invoice_truth(truth: dict[str, Any], line_discounts: bool = False) -> None:
    assert truth["document_type"] in ("invoice", "credit_note")
    lines = truth["line_items"]
    assert lines
    for ln in lines:
        if ln.get("quantity") is not None and ln.get("unit_price") is not None:
            exact = Decimal(ln["quantity"]) * Decimal(ln["unit_price"])
            if line_discounts:
                assert Decimal(ln["amount"]) <= exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"), ln
            else:
                assert Decimal(ln["amount"]) == exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"), ln
    assert sum(Decimal(ln["amount"]) for ln in lines) == Decimal(truth["subtotal"])
    taxes = truth["taxes"]
    assert sum(Decimal(t["amount"]) for t in taxes) == Decimal(truth["tax_total"])
    for t in taxes:
        want = Decimal(t["base"]) * Decimal(t["rate"]) / 100
        assert Decimal(t["amount"]) == want.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"), t
    # CGST and SGST share one base: count each taxable base once
    bases = {(t["base"], t["rate"]) for t in taxes}
    net = sum(Decimal(b) for b, _ in bases)
    assert net + Decimal(truth["tax_total"]) == Decimal(truth["total"])
    assert Decimal(truth["amount_due"]) <= Decimal(truth["total"])
    if truth["vendor"]["iban"] is not None:
        assert iban_valid(truth["vendor"]["iban"])


@pytest.mark.parametrize("family", INVOICE_FAMILIES)
def test_invoice_family(family: str) -> None:
    for seed in (0, 1, 2):
        pdf, truth = make_invoice(family, seed=seed)
        check_invoice_truth(truth, family in LINE_DISCOUNT_FAMILIES)
        text = pdf_text(pdf)
        flat = compact(text)
        assert compact(truth["invoice_number"]) in flat
        assert any(f in text for f in date_forms(truth["invoice_date"])), truth["invoice_date"]
        if truth["due_date"] is not None:
            # printed, or computed from the printed terms ("Net 30")
            printed = any(f in text for f in date_forms(truth["due_date"]))
            assert printed or truth["payment_terms"], truth["due_date"]
        for key in ("subtotal", "tax_total", "total", "amount_due"):
            if key == "tax_total" and len(truth["taxes"]) > 1:
                continue  # printed per rate only
            assert_number_shown(text, truth[key], key)
        for key in ("purchase_order", "payment_terms"):
            if truth[key] is not None:
                assert norm_space(truth[key]) in text, (key, truth[key])
        for who in ("vendor", "customer"):
            party = truth[who]
            assert_words_shown(text, party["name"], f"{who}.name")
            # a trailing country code stands for the printed country name
            address = re.sub(r", [A-Z]{2}$", "", party["address"])
            assert_words_shown(text, address.replace(",", ""), f"{who}.address")
            if party["tax_id"] is not None:
                assert compact(party["tax_id"]) in flat.replace("MWST", ""), party["tax_id"]
        vendor = truth["vendor"]
        for key in ("iban", "bic", "email", "phone"):
            if vendor[key] is not None:
                assert compact(vendor[key]) in flat, (key, vendor[key])
        for i, ln in enumerate(truth["line_items"]):
            assert_words_shown(text, ln["description"], f"line{i}.description")
            assert_number_shown(text, ln["amount"], f"line{i}.amount")
            assert_number_shown(text, ln.get("unit_price"), f"line{i}.unit_price")
            assert_number_shown(text, ln.get("quantity"), f"line{i}.quantity")
        for t in truth["taxes"]:
            assert_number_shown(text, t["amount"], "tax amount")


def test_invoice_options() -> None:
    _, t = make_invoice("inv_nl_factuur", seed=4, prepay=True, n_items=3)
    assert Decimal(t["amount_due"]) < Decimal(t["total"]) and len(t["line_items"]) == 3
    check_invoice_truth(t)
    _, t = make_invoice("inv_de_handwerk", seed=4, credit_note=True)
    assert t["document_type"] == "credit_note" and t["due_date"] is None
    check_invoice_truth(t)
    pdf, t = make_invoice("inv_in_gst", seed=4, igst=False, n_items=30)
    assert scan.page_count(pdf) >= 2 and len(t["line_items"]) == 30
    assert len(t["taxes"]) % 2 == 0
    check_invoice_truth(t)
    assert len(INVOICE_FAMILIES) >= 8


def test_scanned_invoice_has_no_text_layer() -> None:
    pdf, truth = make_scanned_invoice("inv_fr_facture", seed=2, dpi=120)
    assert pdf_text(pdf).strip() == ""
    check_invoice_truth(truth)


@pytest.mark.parametrize("profile", ["EN16931", "ZUGFERD2"])
def test_einvoice_attachment_matches_truth(profile: str) -> None:
    from lxml import etree

    from tests.gen.einvoice import EINVOICE_FAMILIES, make_einvoice

    ram = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
    for i, family in enumerate(EINVOICE_FAMILIES):
        pdf, truth, xml = make_einvoice(family, seed=i, profile=profile, credit_note=(i == 2))
        assert truth["source"] == "embedded_xml"
        doc = pdfium.PdfDocument(pdf)
        try:
            assert doc.count_attachments() == 1
            att = doc.get_attachment(0)
            assert att.get_name() == ("zugferd-invoice.xml" if profile == "ZUGFERD2" else "factur-x.xml")
            data = bytes(att.get_data())
        finally:
            doc.close()
        assert data == xml
        root = etree.fromstring(data)
        assert root.findtext(".//ram:GrandTotalAmount", namespaces=ram) == truth["total"]
        assert root.findtext(".//ram:DuePayableAmount", namespaces=ram) == truth["amount_due"]
        type_code = root.findtext(".//{*}ExchangedDocument/ram:TypeCode", namespaces=ram)
        assert type_code == ("381" if truth["document_type"] == "credit_note" else "380")
        totals = root.findall(".//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount", namespaces=ram)
        assert [t.text for t in totals] == [ln["amount"] for ln in truth["line_items"]]
        seller = root.find(".//ram:SellerTradeParty", namespaces=ram)
        assert seller is not None and seller.findtext("ram:Name", namespaces=ram) == truth["vendor"]["name"]
        # the page still carries the same invoice
        assert truth["invoice_number"] in pdf_text(pdf)


def test_photo_simulation() -> None:
    pdf, _ = make_statement("fr_valdeloire", seed=0, n_tx=5)
    img = scan.render_pdf_page(pdf, 0, dpi=40)
    a = scan.photo(img, seed=7)
    b = scan.photo(img, seed=7)
    assert a.width > img.width and a.height > img.height
    assert a.tobytes() == b.tobytes()
    corner = a.getpixel((1, 1))
    assert isinstance(corner, tuple) and max(corner) < 140  # desk, not paper


def test_statement_misprint_and_pending_table() -> None:
    _, clean = make_statement("uk_kestrel", seed=3, n_tx=12)
    pdf, bad = make_statement("uk_kestrel", seed=3, n_tx=12, misprint=True)
    diffs = [
        i for i, (a, b) in enumerate(zip(clean["transactions"], bad["transactions"], strict=True)) if a != b
    ]
    assert len(diffs) == 1
    i = diffs[0]
    assert bad["transactions"][i]["balance"] != clean["transactions"][i]["balance"]
    assert_number_shown(pdf_text(pdf), bad["transactions"][i]["balance"], "misprinted balance")
    with pytest.raises(AssertionError):
        check_statement_truth(bad)
    for family in ("de_mainufer", "us_cedarpoint"):
        pdf, pend = make_statement(family, seed=4, pending_table=True)
        _, plain = make_statement(family, seed=4)
        assert pend == plain  # the pending table adds no transactions
        assert "ending" in pdf_text(pdf) or "Vorgemerkte" in pdf_text(pdf)


def test_encrypt_pdf_needs_password() -> None:
    pdf, _ = make_statement("nl_zeeuwse", seed=0, n_tx=5)
    locked = scan.encrypt_pdf(pdf, "s3cret")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(locked)
    doc = pdfium.PdfDocument(locked, password="s3cret")
    assert len(doc) == 1
    doc.close()


def test_scanned_statement_variants() -> None:
    upright, truth = make_scanned_statement("nz_kowhai_cronly", seed=1, n_tx=6, dpi=60)
    sideways, truth2 = make_scanned_statement("nz_kowhai_cronly", seed=1, n_tx=6, dpi=60, rotate=90)
    shot, truth3 = make_scanned_statement("nz_kowhai_cronly", seed=1, n_tx=6, dpi=60, photo=True)
    assert truth == truth2 == truth3
    w, h = pdfium.PdfDocument(upright)[0].get_size()
    w2, h2 = pdfium.PdfDocument(sideways)[0].get_size()
    assert h > w and w2 > h2
    assert pdf_text(shot).strip() == ""
