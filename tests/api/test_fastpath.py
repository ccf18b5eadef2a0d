"""The status fast path (`api.fastpath`) answers exactly like the FastAPI routes it short-circuits.

Two apps share one real SQLite database: one with `status_fast_path` on, one with it off. Jobs are
created over HTTP from generated PDFs and driven to their states by the real queue functions (and
the real pipeline for the completed ones), then every status URL is fetched from both apps and the
status, headers (in order) and body bytes compared. `fast_status_answers` shows which requests the
fast path served itself, so the comparison cannot silently be normal-vs-normal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ledgerlens.api.app import create_app
from ledgerlens.api.deps import AppState
from ledgerlens.config import Settings
from ledgerlens.jobs import queue, store
from ledgerlens.migrations import upgrade
from ledgerlens.pipeline import ProcessOptions, process
from tests.api.documents import invoice_pdf, statement_pdf

RATE_LIMIT = 100_000
DYNAMIC = {b"x-ratelimit-reset"}
"""Unix seconds at which the bucket refills: may tick between the two requests."""


@dataclass
class Apps:
    fast: TestClient
    normal: TestClient
    key_a: str
    key_b: str
    jobs: dict[str, str]

    @property
    def fast_state(self) -> AppState:
        state: AppState = self.fast.app.state.ledgerlens  # type: ignore[attr-defined]
        return state


def _settings(data_dir: Path, fast: bool) -> Settings:
    return Settings(data_dir=data_dir, rate_limit_per_minute=RATE_LIMIT, status_fast_path=fast, workers=0)


def _start(client: TestClient, key: str, path: str, name: str, data: bytes) -> str:
    r = client.post(
        f"/api/v1/parse{path}",
        headers={"Authorization": f"Bearer {key}"},
        files={"file": (name, data, "application/pdf")},
    )
    assert r.status_code == 202, r.text
    job_id: str = r.json()["data"]["job_id"]
    return job_id


def _run_queue(settings: Settings, fail_ids: set[int]) -> None:
    """Claim every pending job like a worker: fail the chosen ones, complete the rest for real."""
    from ledgerlens.jobs.db import make_engine, make_session_factory

    engine = make_engine(settings)
    sessions = make_session_factory(engine)
    try:
        while (claimed := queue.claim_next(sessions, "test-worker")) is not None:
            if claimed.id in fail_ids:
                assert queue.fail(sessions, claimed.id, claimed.lease_token, "CORRUPT_DOCUMENT", "Bad PDF.")
                continue
            with sessions() as session:
                file = store.get_file(session, claimed.tenant_id, claimed.file_id)
                assert file is not None
                sha = file.sha256
            data = AppState.build(settings).blobs.get(sha)
            declared = "auto" if claimed.job_type == "auto" else claimed.job_type
            result = process(data, declared, ProcessOptions(settings=settings))  # type: ignore[arg-type]
            assert queue.complete(
                sessions, claimed.id, claimed.lease_token, result, processing_seconds=0.1, pages=1
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Apps]:
    from ledgerlens.jobs.ids import parse_prefixed_id

    data_dir = tmp_path_factory.mktemp("fastpath")
    upgrade(_settings(data_dir, True))
    fast_app = create_app(_settings(data_dir, True))
    normal_app = create_app(_settings(data_dir, False))
    with fast_app.state.ledgerlens.sessions() as session:
        key_a, _ = store.create_api_key(session, store.ensure_tenant(session, "fast-a").id)
        key_b, _ = store.create_api_key(session, store.ensure_tenant(session, "fast-b").id)
    with (
        TestClient(fast_app, raise_server_exceptions=False) as fast,
        TestClient(normal_app, raise_server_exceptions=False) as normal,
    ):
        jobs = {
            "auto_statement": _start(fast, key_a, "", "s.pdf", statement_pdf(71)),
            "invoice": _start(fast, key_a, "/invoices", "i.pdf", invoice_pdf("INV-71")),
            "failed": _start(fast, key_a, "/statements", "f.pdf", statement_pdf(72)),
        }
        failed = parse_prefixed_id(jobs["failed"], "job")
        assert failed is not None
        _run_queue(_settings(data_dir, True), {failed})
        # Started after the queue ran: stays pending.
        jobs["pending"] = _start(fast, key_a, "/statements", "p.pdf", statement_pdf(73))
        batch = fast.post(
            "/api/v1/parse/invoices/batch",
            headers={"Authorization": f"Bearer {key_a}"},
            json={"files": [{"document_id": fast.get(
                f"/api/v1/parse/{jobs['invoice']}", headers={"Authorization": f"Bearer {key_a}"}
            ).json()["data"]["document_id"]}]},
        )  # fmt: skip
        assert batch.status_code == 202, batch.text
        jobs["batch_member"] = batch.json()["data"]["job_ids"][0]
        yield Apps(fast, normal, key_a, key_b, jobs)


def _get(client: TestClient, path: str, key: str | None, method: str = "GET") -> httpx.Response:
    headers = {"X-Request-ID": "same-id-for-both"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    response: httpx.Response = client.request(method, path, headers=headers, follow_redirects=False)
    return response


def _same(apps: Apps, path: str, key: str | None, method: str = "GET") -> tuple[httpx.Response, bool]:
    """Fetch from both apps; assert equal status, header names/values in order, and body bytes.
    Returns the fast app's response and whether the fast path served it."""
    before = apps.fast_state.fast_status_answers
    fast = _get(apps.fast, path, key, method)
    served = apps.fast_state.fast_status_answers > before
    normal = _get(apps.normal, path, key, method)
    assert fast.status_code == normal.status_code, (path, fast.text, normal.text)
    assert fast.content == normal.content, path
    fast_headers = [(k, v) for k, v in fast.headers.raw if k not in DYNAMIC]
    normal_headers = [(k, v) for k, v in normal.headers.raw if k not in DYNAMIC]
    assert fast_headers == normal_headers, path
    for name in DYNAMIC:
        a, b = fast.headers.get(name.decode()), normal.headers.get(name.decode())
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert abs(int(a) - int(b)) <= 1
    return fast, served


@pytest.mark.parametrize(
    ("job", "prefix", "status"),
    [
        ("auto_statement", "", 200),
        ("auto_statement", "statements/", 200),
        ("auto_statement", "invoices/", 404),  # wrong type
        ("invoice", "", 200),
        ("invoice", "invoices/", 200),
        ("invoice", "statements/", 404),
        ("failed", "statements/", 200),
        ("failed", "", 200),
        ("pending", "statements/", 200),
        ("pending", "invoices/", 404),
        ("batch_member", "invoices/", 200),
    ],
)
def test_fast_path_matches_the_router(apps: Apps, job: str, prefix: str, status: int) -> None:
    if job == "auto_statement" and prefix:
        # An auto job counts as the type the pipeline detected; follow it rather than assume it.
        detected = _get(apps.normal, f"/api/v1/parse/{apps.jobs[job]}", apps.key_a).json()["data"]
        kind = (
            "invoices/"
            if detected["result"]["document_type"] in ("invoice", "credit_note")
            else "statements/"
        )
        status = 200 if prefix == kind else 404
    response, served = _same(apps, f"/api/v1/parse/{prefix}{apps.jobs[job]}", apps.key_a)
    assert response.status_code == status, response.text
    assert served == (status == 200)  # successes are served fast, errors by the router
    if status == 200:
        data = response.json()["data"]
        assert response.headers["x-ratelimit-limit"] == str(RATE_LIMIT)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-request-id"] == "same-id-for-both"
        expected = {"auto_statement": "completed", "invoice": "completed", "failed": "failed"}
        assert data["status"] == expected.get(job, "pending")
        key = "results" if prefix == "statements/" else "result"
        assert key in data
        if data["status"] == "completed":
            assert data[key]["document_type"] in ("bank_statement", "invoice")
        if job == "failed":
            assert data["error"] == {"code": "CORRUPT_DOCUMENT", "message": "Bad PDF."}
        if job == "batch_member":
            assert data["batch_id"].startswith("batch_")
    else:
        assert response.json()["error"]["code"] == "NOT_FOUND"


def test_other_tenant_and_bad_tokens_fall_through_identically(apps: Apps) -> None:
    job = apps.jobs["auto_statement"]
    for path in (f"/api/v1/parse/{job}", f"/api/v1/parse/statements/{job}"):
        other, served = _same(apps, path, apps.key_b)
        assert other.status_code == 404 and not served
        bad, served = _same(apps, path, "ll_not-a-real-key")
        assert bad.status_code == 401 and not served
        assert bad.headers["www-authenticate"] == "Bearer"
        missing, served = _same(apps, path, None)
        assert missing.status_code == 401 and not served


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/parse/job_abc",
        "/api/v1/parse/12345",
        "/api/v1/parse/statements/",
        "/api/v1/parse/statements",
        "/api/v1/parse/batch",
        "/api/v1/parse/batch/batch_1",
        "/api/v1/parse/receipts/job_1",
        "/api/v1/parse/job_1/",
        "/api/v1/parse/%6Aob_1",
    ],
)
def test_other_paths_are_left_to_the_router(apps: Apps, path: str) -> None:
    response, served = _same(apps, path, apps.key_a)
    assert not served
    assert response.status_code in (307, 404, 405), response.text


def test_head_and_trailing_slash_and_query_string(apps: Apps) -> None:
    job = apps.jobs["invoice"]
    head, served = _same(apps, f"/api/v1/parse/{job}", apps.key_a, method="HEAD")
    assert not served and head.status_code in (200, 405)
    slash, served = _same(apps, f"/api/v1/parse/{job}/", apps.key_a)
    assert not served and slash.status_code in (307, 404)
    query, served = _same(apps, f"/api/v1/parse/{job}?fields=all", apps.key_a)
    assert served and query.status_code == 200


def test_status_changes_are_seen_at_once(apps: Apps) -> None:
    """The fast path's own sqlite3 connection holds no snapshot between reads: a change written by
    another connection (deleting the document fails its pending job) shows on the next GET."""
    auth = {"Authorization": f"Bearer {apps.key_a}"}
    job = _start(apps.fast, apps.key_a, "/statements", "late.pdf", statement_pdf(74))
    first, served = _same(apps, f"/api/v1/parse/{job}", apps.key_a)
    assert served and first.json()["data"]["status"] == "pending"
    document = first.json()["data"]["document_id"]
    assert apps.normal.delete(f"/api/v1/files/{document}", headers=auth).status_code == 200
    second, served = _same(apps, f"/api/v1/parse/{job}", apps.key_a)
    assert served and second.json()["data"]["status"] == "failed"
    assert second.json()["data"]["error"]["code"] == "GONE"


def test_status_gets_spend_the_rate_limit_like_any_request(tmp_path: Path) -> None:
    """The fast path sits inside the rate limiter: the bucket runs dry on status GETs too."""
    settings = Settings(data_dir=tmp_path, rate_limit_per_minute=3, workers=0)
    upgrade(settings)
    app = create_app(settings)
    with app.state.ledgerlens.sessions() as session:
        key, _ = store.create_api_key(session, store.ensure_tenant(session, "limited").id)
    with TestClient(app, raise_server_exceptions=False) as client:
        auth = {"Authorization": f"Bearer {key}"}
        job = _start(client, key, "/statements", "s.pdf", statement_pdf(75))  # spends one token
        first = client.get(f"/api/v1/parse/{job}", headers=auth)
        second = client.get(f"/api/v1/parse/statements/{job}", headers=auth)
        third = client.get(f"/api/v1/parse/{job}", headers=auth)
    assert [first.status_code, second.status_code] == [200, 200]
    assert [first.headers["x-ratelimit-remaining"], second.headers["x-ratelimit-remaining"]] == ["1", "0"]
    assert third.status_code == 429 and third.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert third.headers["retry-after"] and third.headers["x-request-id"]
    assert app.state.ledgerlens.fast_status_answers == 2
