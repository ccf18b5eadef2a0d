"""With the access log on, every uvicorn access line carries the request's id."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx

from tests.api.documents import statement_pdf
from tests.api.live import start_live_server


def test_access_lines_end_with_the_request_id(tmp_path: Path) -> None:
    with start_live_server(tmp_path, env={"LEDGERLENS_ACCESS_LOG": "1"}, workers=0) as server:
        auth = server.auth(server.key_a)
        started = httpx.post(
            server.url("/api/v1/parse/statements"),
            headers=auth,
            files={"file": ("s.pdf", statement_pdf(55), "application/pdf")},
            timeout=30,
        )
        assert started.status_code == 202, started.text
        job_id = started.json()["data"]["job_id"]
        sent = {
            f"/api/v1/parse/{job_id}": "trace-fast-0",  # answered by the status fast path
            "/api/v1/files": "trace-files-1",  # an ordinary route
            "/api/v1/parse/job_123": "trace-status-2",  # a status GET (404: not found)
            "/api/v1/health": "trace-health-3",
        }
        for path, request_id in sent.items():
            r = httpx.get(server.url(path), headers={**auth, "X-Request-ID": request_id}, timeout=10)
            assert r.headers["x-request-id"] == request_id
            assert r.status_code == (404 if path.endswith("job_123") else 200), r.text
        generated = httpx.get(server.url("/api/v1/files"), headers=auth, timeout=10).headers["x-request-id"]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and generated not in server.log():
            time.sleep(0.05)
        lines = [line for line in server.log().splitlines() if '"GET /' in line]
        for path, request_id in sent.items():
            assert any(
                re.search(rf'"GET {re.escape(path)} HTTP/1.1" \d{{3}}.* request_id={request_id}$', line)
                for line in lines
            ), (path, lines)
        assert any(line.endswith(f"request_id={generated}") for line in lines), lines
