"""GET /metrics on a live server: Prometheus text with job counts, and its two access fences."""

from __future__ import annotations

import re
import time

import httpx

from tests.api.documents import statement_pdf
from tests.api.live import LiveServer
from tests.api_extras.conftest import METRICS_TOKEN
from tests.api_extras.helpers import assert_error, data


def _jobs(text: str, status: str, job_type: str) -> float:
    total = 0.0
    for line in text.splitlines():
        m = re.fullmatch(r"ledgerlens_jobs\{(.*)\} ([0-9.e+]+)", line)
        if m and f'status="{status}"' in m.group(1) and f'job_type="{job_type}"' in m.group(1):
            total += float(m.group(2))
    return total


def _scrape(server: LiveServer, **kwargs: object) -> httpx.Response:
    return httpx.get(server.url("/metrics"), timeout=10, **kwargs)  # type: ignore[arg-type]


def test_metrics_count_jobs_without_a_token(server: LiveServer) -> None:
    first = _scrape(server)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/plain")
    assert "x-ratelimit-limit" not in first.headers
    for family in ("ledgerlens_jobs", "ledgerlens_job_processing_seconds", "ledgerlens_pages_processed"):
        assert f"# TYPE {family}" in first.text
    before = _jobs(first.text, "pending", "bank_statement")

    with server.client(server.key_a) as c:
        for i in range(3):
            pdf = statement_pdf(100 + i)
            r = c.post("/parse/statements", files={"file": (f"m{i}.pdf", pdf, "application/pdf")})
            assert data(r, r.status_code)["status"] == "pending"
            assert r.status_code in (200, 202)

    deadline = time.monotonic() + 5
    while True:  # a scrape is reused for one second
        now = _jobs(_scrape(server).text, "pending", "bank_statement")
        if now == before + 3 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert now == before + 3


def test_metrics_token_and_networks(limited_server: LiveServer, fenced_server: LiveServer) -> None:
    assert_error(_scrape(limited_server), 401, "UNAUTHORIZED")
    wrong = _scrape(limited_server, headers={"Authorization": "Bearer nope"})
    assert_error(wrong, 401, "UNAUTHORIZED")
    api_key = _scrape(limited_server, headers=limited_server.auth(limited_server.key_a))
    assert_error(api_key, 401, "UNAUTHORIZED")  # an API key is not the metrics token
    right = _scrape(limited_server, headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert right.status_code == 200 and "# TYPE ledgerlens_jobs" in right.text

    assert_error(_scrape(fenced_server), 403, "FORBIDDEN")


def _value(text: str, name: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_time_and_pages_of_completed_jobs(working_server: LiveServer) -> None:
    s = working_server
    with s.client(s.key_a) as c:
        r = c.post("/parse/statements", files={"file": ("t.pdf", statement_pdf(7), "application/pdf")})
        job_id = data(r, r.status_code)["job_id"]
        deadline = time.monotonic() + 90
        while data(c.get(f"/parse/{job_id}"))["status"] not in ("completed", "failed"):
            assert time.monotonic() < deadline, "job did not finish"
            time.sleep(0.1)
        assert data(c.get(f"/parse/{job_id}"))["status"] == "completed"
    time.sleep(1.1)  # past the one-second scrape cache
    text = _scrape(s).text
    completed = sum(_jobs(text, "completed", t) for t in ("bank_statement", "invoice", "auto"))
    assert completed >= 1
    assert _value(text, "ledgerlens_job_processing_seconds_count") == completed
    assert _value(text, "ledgerlens_job_processing_seconds_sum") > 0
    assert _value(text, "ledgerlens_pages_processed_total") >= completed
