"""Live servers for the API-extras tests (schemas, rate limits, metrics), built on tests.api.live."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.live import LiveServer, start_live_server

METRICS_TOKEN = "metrics-secret-for-tests"
SMALL_LIMIT = 4


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """No workers (jobs stay pending, so counts are exact); a generous rate limit so headers show."""
    env = {"LEDGERLENS_RATE_LIMIT_PER_MINUTE": "100000"}
    with start_live_server(tmp_path_factory.mktemp("extras"), env=env, workers=0) as live:
        yield live


@pytest.fixture(scope="session")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A tiny per-token limit, a metrics token, and /metrics restricted to loopback."""
    env = {
        "LEDGERLENS_RATE_LIMIT_PER_MINUTE": str(SMALL_LIMIT),
        "LEDGERLENS_METRICS_TOKEN": METRICS_TOKEN,
        "LEDGERLENS_METRICS_ALLOW_FROM": "127.0.0.0/8, ::1",
    }
    with start_live_server(tmp_path_factory.mktemp("limited"), env=env, workers=0) as live:
        yield live


@pytest.fixture(scope="session")
def fenced_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """/metrics allowed only from a network the loopback client is not in."""
    env = {"LEDGERLENS_METRICS_ALLOW_FROM": "10.0.0.0/8"}
    with start_live_server(tmp_path_factory.mktemp("fenced"), env=env, workers=0) as live:
        yield live


@pytest.fixture(scope="session")
def working_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One embedded worker, so jobs run through the real pipeline."""
    with start_live_server(tmp_path_factory.mktemp("working"), workers=1) as live:
        if not live.has_workers:
            pytest.skip("`ledgerlens serve` is not available: no workers to run jobs")
        yield live
