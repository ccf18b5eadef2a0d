"""`ledgerlens config`: the settings reference is generated from the model, secrets never printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledgerlens.cli import app
from ledgerlens.config import Settings, get_settings

runner = CliRunner()


def test_markdown_table_lists_every_setting(data_dir: Path) -> None:
    result = runner.invoke(app, ["config", "--markdown"])
    assert result.exit_code == 0
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `LEDGERLENS_")]
    assert len(rows) == len(Settings.model_fields)
    for row, name in zip(rows, Settings.model_fields, strict=True):
        assert row.startswith(f"| `LEDGERLENS_{name.upper()}` |")
        assert row.count(" | ") == 3, f"a stray pipe breaks the table: {row}"
    assert "| `LEDGERLENS_WORKERS` | int | number of CPUs |" in result.stdout


def test_effective_settings_hide_secrets(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGERLENS_JWT_HS256_SECRET", "very-secret-value")
    monkeypatch.setenv("LEDGERLENS_DATABASE_URL", "postgresql://app:pw123@db/ledgerlens")
    monkeypatch.setenv("LEDGERLENS_WORKERS", "3")
    get_settings.cache_clear()
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0
    assert "very-secret-value" not in result.stdout and "pw123" not in result.stdout
    assert "LEDGERLENS_JWT_HS256_SECRET=<set>" in result.stdout
    assert "LEDGERLENS_WORKERS=3" in result.stdout
    assert f"LEDGERLENS_DATA_DIR={data_dir}" in result.stdout
