"""`ledgerlens parse`: one-shot extraction without a server, per-file errors without stopping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledgerlens.cli import app
from tests.jobs.documents import digital_pdf

pytest.importorskip("ledgerlens.pipeline", reason="the extraction pipeline is not importable yet")

runner = CliRunner()

INVOICE_LINES = [
    "ACME Supplies GmbH, Hauptstrasse 1, 10115 Berlin",
    "INVOICE",
    "Invoice number: INV-2025-0042",
    "Invoice date: 14.03.2025",
    "Description                 Qty   Unit price    Amount",
    "Printer paper A4            10        4.50      45.00",
    "Toner cartridge              2       60.00     120.00",
    "Subtotal                                       165.00",
    "VAT 19%                                         31.35",
    "Total EUR                                      196.35",
]


def test_parse_one_file_prints_result_json(tmp_path: Path, data_dir: Path) -> None:
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(digital_pdf(INVOICE_LINES))
    result = runner.invoke(app, ["parse", str(pdf), "--type", "invoice"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["document_type"] == "invoice"
    assert payload["pages"] == 1


def test_parse_many_files_reports_errors_per_file_and_exits_non_zero(tmp_path: Path, data_dir: Path) -> None:
    good = tmp_path / "a" / "doc.pdf"
    twin = tmp_path / "b" / "doc.pdf"
    for path in (good, twin):
        path.parent.mkdir()
        path.write_bytes(digital_pdf(INVOICE_LINES))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"definitely not a pdf")
    missing = tmp_path / "missing.pdf"
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["parse", str(junk), str(good), str(missing), str(twin), "--out", str(out), "--no-progress"]
    )
    assert result.exit_code == 1
    assert f"{junk}: UNSUPPORTED_FORMAT" in result.stderr
    assert f"{missing}: NOT_FOUND" in result.stderr
    assert "2 of 4 file(s) failed" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["doc-2.json", "doc.json"]
    for name in ("doc.json", "doc-2.json"):
        assert json.loads((out / name).read_text())["document_type"] in ("invoice", "bank_statement", "other")
    assert result.stdout == ""


def test_parse_many_files_to_stdout_as_json_lines(tmp_path: Path, data_dir: Path) -> None:
    paths = []
    for i in range(2):
        path = tmp_path / f"inv{i}.pdf"
        path.write_bytes(digital_pdf(INVOICE_LINES))
        paths.append(path)
    result = runner.invoke(app, ["parse", *map(str, paths), "-t", "invoice"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(p) for p in paths]
    assert all(line["result"]["document_type"] == "invoice" for line in lines)


def test_parse_rejects_unknown_type(tmp_path: Path, data_dir: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(digital_pdf(["hello"]))
    result = runner.invoke(app, ["parse", str(pdf), "--type", "receipt"])
    assert result.exit_code == 2
    assert "INVALID_REQUEST" in result.stderr


def test_parse_encrypted_pdf_needs_password(tmp_path: Path, data_dir: Path) -> None:
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("s3cret", canPrint=1))
    for i, line in enumerate(INVOICE_LINES):
        c.drawString(50, 780 - 16 * i, line)
    c.showPage()
    c.save()
    pdf = tmp_path / "locked.pdf"
    pdf.write_bytes(buf.getvalue())
    locked = runner.invoke(app, ["parse", str(pdf)])
    assert locked.exit_code == 1 and "PASSWORD_REQUIRED" in locked.stderr
    unlocked = runner.invoke(app, ["parse", str(pdf), "--password", "s3cret", "--type", "invoice"])
    assert unlocked.exit_code == 0, unlocked.output
    assert json.loads(unlocked.stdout)["document_type"] == "invoice"
