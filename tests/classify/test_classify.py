"""Document classification: every corpus document and generated statements/invoices, text and scans."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from ledgerlens.documents.loader import load_document
from ledgerlens.documents.pdf import first_pages_text
from ledgerlens.extract.classify import classify, classify_bytes, classify_text
from tests.gen.invoices import INVOICE_FAMILIES, make_invoice, make_scanned_invoice
from tests.gen.statements import STATEMENT_FAMILIES, make_scanned_statement, make_statement

_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"}


def _expected(truth_file: Path) -> str:
    kind = json.loads(truth_file.read_text(encoding="utf-8"))["document_type"]
    return "invoice" if kind == "credit_note" else str(kind)


@pytest.mark.corpus
def test_every_corpus_document_is_classified_right(corpus_dir: Path) -> None:
    wrong: list[str] = []
    n = 0
    for f in sorted(corpus_dir.rglob("*")):
        if f.suffix.lower() not in _SUFFIXES or not f.with_suffix(".json").is_file():
            continue
        n += 1
        want = _expected(f.with_suffix(".json"))
        got = classify_bytes(f.read_bytes())
        if got != want:
            wrong.append(f"{f.name}: bytes -> {got}, want {want}")
        if f.suffix.lower() == ".pdf" and len(first_pages_text(f.read_bytes(), max_pages=1)) > 200:
            # digital PDFs also through the loaded document (scans were covered by the bytes path)
            got_doc = classify(load_document(f.read_bytes()))
            if got_doc != want:
                wrong.append(f"{f.name}: document -> {got_doc}, want {want}")
    assert n > 0
    assert not wrong, wrong


def test_generated_statements_and_invoices() -> None:
    wrong: list[str] = []
    for family in STATEMENT_FAMILIES:
        pdf, _truth = make_statement(family, seed=7)
        for got in (classify_bytes(pdf), classify(load_document(pdf))):
            if got != "bank_statement":
                wrong.append(f"statement {family}: {got}")
    for family in INVOICE_FAMILIES:
        pdf, _truth = make_invoice(family, seed=7)
        for got in (classify_bytes(pdf), classify(load_document(pdf))):
            if got != "invoice":
                wrong.append(f"invoice {family}: {got}")
    assert not wrong, wrong


@pytest.mark.slow
def test_scans_are_classified_from_the_first_page_quickly() -> None:
    for data, want in (
        (make_scanned_invoice(INVOICE_FAMILIES[0], seed=4)[0], "invoice"),
        (make_scanned_statement(STATEMENT_FAMILIES[0], seed=4)[0], "bank_statement"),
    ):
        start = time.monotonic()
        assert classify_bytes(data) == want
        # one page at reduced resolution; generous because the test machine is shared
        assert time.monotonic() - start < 15


def _pdf(lines: list[str]) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    for i, line in enumerate(lines):
        c.drawString(60, 780 - 16 * i, line)
    c.save()
    return buf.getvalue()


def test_unreadable_and_unrelated_input_is_other() -> None:
    assert classify_bytes(b"\x00\x01 not a document at all") == "other"
    assert classify_bytes(_pdf([])) == "other"
    letter = [
        "Dear Ms Smith,",
        "thank you for your letter of last week about the garden party.",
        "We are delighted to accept and look forward to seeing everyone there.",
        "Kind regards, Tom",
    ]
    assert classify_bytes(_pdf(letter)) == "other"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Rechnung\nRechnungsnummer 2025-17\nMenge Einzelpreis Gesamt\nZwischensumme 100,00\nMwSt 19 %",
            "invoice",
        ),
        ("Facture n° F-88\nDésignation Qté Prix unitaire Montant HT\nTotal TTC 120,00", "invoice"),
        ("Factuur\nFactuurnummer 77\nOmschrijving Aantal Prijs\nTotaal incl. BTW 60,50", "invoice"),
        (
            "Fattura n. 12/2025\nDescrizione Quantità Prezzo unitario Importo\nTotale fattura 122,00",
            "invoice",
        ),
        (
            "Factura nº 3\nConcepto Cantidad Precio unitario Importe\nBase imponible 100,00 IVA 21 %",
            "invoice",
        ),
        (
            "Kontoauszug Nr. 3\nAlter Saldo 1.000,00\n01.03. Miete 500,00- 500,00\nNeuer Saldo 500,00",
            "bank_statement",
        ),
        (
            "RELEVÉ DE COMPTE\nSolde créditeur au 01.03 1 000,00\n02.03 PRLV EDF 50,00\nNouveau solde 950,00",
            "bank_statement",
        ),
        (
            "Estratto conto\nSaldo iniziale 100,00\n03/03/2025 Bonifico 20,00 120,00\nSaldo finale 120,00",
            "bank_statement",
        ),
    ],
)
def test_vocabulary_in_six_languages(text: str, want: str) -> None:
    assert classify_text(text) == want
