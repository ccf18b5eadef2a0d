"""Fixtures for API tests: one shared live server (small upload limits) and generated documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.live import LiveServer, start_live_server

SMALL_LIMITS = {
    "LEDGERLENS_MAX_FILE_BYTES": "300000",
    "LEDGERLENS_MAX_FILES_PER_REQUEST": "4",
}
"""Shared-server limits: real generated PDFs are a few KB, so 300 kB / 4 files makes the limits
reachable in tests without sending megabytes."""


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server (with one embedded worker when `ledgerlens serve` exists) and two tenants."""
    tmp: Path = tmp_path_factory.mktemp("live")
    with start_live_server(tmp, env=SMALL_LIMITS, workers=1) as server:
        yield server
