"""`ledgerlens inspect`: the report and the box drawings come from the real document."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from ledgerlens.cli import app
from ledgerlens.config import Settings
from ledgerlens.documents.inspect import run_inspect
from tests.documents.pdfs import statement_pdf


def test_inspect_report_and_png(tmp_path: Path) -> None:
    src = tmp_path / "stmt.pdf"
    src.write_bytes(statement_pdf())
    out = io.StringIO()
    code = run_inspect(src, png_dir=tmp_path / "png", settings=Settings(page_workers=1), out=out)
    assert code == 0
    report = out.getvalue()
    assert "page 1: source text_layer, 18 words" in report
    assert "03/01/2025 Coffee Roasters 1,234.56" in report
    png = tmp_path / "png" / "stmt-p1.png"
    img = Image.open(png).convert("RGB")
    assert abs(img.width / img.height - 420 / 300) < 0.01
    arr = np.asarray(img)
    green = int(((arr[:, :, 0] == 0) & (arr[:, :, 1] == 160) & (arr[:, :, 2] == 0)).sum())
    assert green > 100


def test_inspect_cli_errors_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some text, not a document")
    result = CliRunner().invoke(app, ["inspect", str(bad)])
    assert result.exit_code == 1
    assert "UNSUPPORTED_FORMAT" in result.output
    good = tmp_path / "s.pdf"
    good.write_bytes(statement_pdf())
    result = CliRunner().invoke(app, ["inspect", str(good)])
    assert result.exit_code == 0, result.output
    assert "Salary Payment 3,210.75" in result.output
