"""CLI tests run the Typer app in-process against a data dir in tmp (settings from the environment)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ledgerlens.config import get_settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "data"
    monkeypatch.setenv("LEDGERLENS_DATA_DIR", str(directory))
    monkeypatch.delenv("LEDGERLENS_DATABASE_URL", raising=False)
    monkeypatch.delenv("LEDGERLENS_LOCAL_KEY_FILE", raising=False)
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()
