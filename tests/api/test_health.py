"""/health reports a database that cannot be reached with 503 in the error envelope, and recovers.

Real failure, no mocks: the running server's data directory is moved away (its open connections
keep working on the moved file, which is exactly why the probe uses a fresh connection), then put back.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.api.conftest import assert_error
from tests.api.live import start_live_server


def test_health_is_503_while_the_database_is_gone(tmp_path: Path) -> None:
    with start_live_server(tmp_path, workers=0) as server:
        for path in ("/health", "/api/v1/health"):
            ok = httpx.get(server.url(path), timeout=10)
            assert ok.status_code == 200, ok.text
            assert ok.json()["data"]["database"] == "ok"
        moved = server.data_dir.with_name("data-moved")
        server.data_dir.rename(moved)
        try:
            for path in ("/health", "/api/v1/health"):
                down = httpx.get(server.url(path), timeout=10)
                error = assert_error(down, 503, "INTERNAL_SERVER_ERROR")
                assert error["message"] == "Database not reachable."
                assert str(moved) not in down.text and str(server.data_dir) not in down.text
            assert not server.data_dir.exists()  # the probe never creates a database
        finally:
            moved.rename(server.data_dir)
        back = httpx.get(server.url("/health"), timeout=10)
        assert back.status_code == 200, back.text
        assert "database not reachable" in server.log()
