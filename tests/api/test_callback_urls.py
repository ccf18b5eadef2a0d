"""`callback_url` over the real HTTP API: internal and malformed targets are refused when the job is
created (400 VALIDATION_ERROR, on every job-creating endpoint), a name resolving to loopback is refused
when the webhook is sent, and `LEDGERLENS_WEBHOOK_ALLOW_PRIVATE=1` lets a loopback receiver have it.

Only loopback receives traffic here: refused URLs are never contacted, and the servers that would send
to an internal address are the ones that refuse it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.jobs.ids import parse_prefixed_id
from ledgerlens.jobs.models import Tenant, WebhookDelivery
from ledgerlens.jobs.webhooks import verify_signature
from tests.api.conftest import assert_error, upload_one, wait_for_job
from tests.api.documents import statement_pdf
from tests.api.live import LiveServer, start_live_server
from tests.jobs.receiver import webhook_receiver

REFUSED = [
    "http://127.0.0.1:8080/hook",
    "http://127.0.0.1/",
    "http://localhost.127.0.0.1/",  # a name whose last label is a number is an IPv4 spelling
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/hook",
    "http://169.254.169.254/latest",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.0.10/",
    "http://100.64.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://0.0.0.0:8000/",
    "http://224.0.0.1/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://127.1/",
    "ftp://example.com/hook",
    "file:///etc/passwd",
    "http://example.com:99999/",
    "http://example.com:0/",
    "http://example.com:port/",
    "http://user:secret@example.com/hook",
    "http://",
    "https://example.com/" + "x" * 2100,
]


def _refused(r: httpx.Response) -> None:
    err = assert_error(r, 400, "VALIDATION_ERROR")
    assert "callback_url" in (err["details"] or ""), err


def _files_total(client: httpx.Client) -> int:
    total: int = client.get("/files").json()["data"]["total"]
    return total


def test_internal_and_malformed_callback_urls_are_refused_on_every_endpoint(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "cb.pdf", statement_pdf(431))
    files_before = _files_total(client_a)
    for url in REFUSED:
        for path in ("/parse", "/parse/statements", "/parse/invoices"):
            _refused(client_a.post(path, json={"document_id": doc, "callback_url": url}))
        for path in ("/parse/batch", "/parse/statements/batch", "/parse/invoices/batch"):
            _refused(client_a.post(path, json={"files": [{"document_id": doc}], "callback_url": url}))
    for url in ("http://127.0.0.1:9/hook", "http://169.254.169.254/latest", "ftp://example.com/x"):
        multipart = client_a.post(
            "/parse/statements", files={"file": ("s.pdf", statement_pdf(432))}, data={"callback_url": url}
        )
        _refused(multipart)
    assert _files_total(client_a) == files_before, "a refused multipart job stores no file"
    refused = client_a.post("/parse", json={"document_id": doc, "callback_url": "http://10.0.0.1/"})
    details = refused.json()["error"]["details"]
    assert "10.0.0.1 (private address)" in details and "LEDGERLENS_WEBHOOK_ALLOW_PRIVATE" in details


def test_public_addresses_and_names_are_accepted_at_creation(client_a: httpx.Client) -> None:
    """Accepted only; these jobs' webhooks are never sent to a public address from this machine
    (the names do not resolve here, and no job with a public literal is created)."""
    doc = upload_one(client_a, "cbok.pdf", statement_pdf(433))
    for url in ("https://hooks.example.com/ledgerlens", "http://localhost:8080/hook"):
        r = client_a.post("/parse/statements", json={"document_id": doc, "callback_url": url})
        assert r.status_code == 202, r.text


@contextmanager
def _db(server: LiveServer) -> Iterator[Callable[[], list[WebhookDelivery]]]:
    engine = make_engine(server.settings())
    sf = make_session_factory(engine)

    def deliveries() -> list[WebhookDelivery]:
        with sf() as session:
            return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))

    try:
        yield deliveries
    finally:
        engine.dispose()


def _wait(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_name_resolving_to_loopback_is_refused_when_the_webhook_is_sent(live_server: LiveServer) -> None:
    if not live_server.has_workers:
        pytest.skip("jobs only run with `ledgerlens serve`")
    with webhook_receiver([200]) as receiver, live_server.client(live_server.key_a) as client:
        url = receiver.url.replace("127.0.0.1", "localhost")
        doc = upload_one(client, "lh.pdf", statement_pdf(434))
        started = client.post("/parse/statements", json={"document_id": doc, "callback_url": url})
        assert started.status_code == 202, started.text
        job_ref = started.json()["data"]["job_id"]
        assert wait_for_job(client, job_ref)["status"] in ("completed", "failed")
        number = parse_prefixed_id(job_ref, "job")
        with _db(live_server) as deliveries:

            def mine() -> WebhookDelivery | None:
                return next((d for d in deliveries() if d.job_id == number), None)

            _wait(lambda: (d := mine()) is not None and d.status != "pending", 30, "the delivery to end")
            delivery = mine()
        time.sleep(0.3)
    assert delivery is not None and delivery.url == url
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "localhost resolves to" in (delivery.last_error or "")
    assert "loopback address" in (delivery.last_error or "")
    assert receiver.requests == [], "nothing may reach the loopback receiver"


def test_allow_private_lets_a_loopback_receiver_get_its_webhook(tmp_path: Path) -> None:
    env = {"LEDGERLENS_WEBHOOK_ALLOW_PRIVATE": "1"}
    with webhook_receiver([200]) as receiver, start_live_server(tmp_path, env=env, workers=1) as server:
        if not server.has_workers:
            pytest.skip("jobs only run with `ledgerlens serve`")
        with server.client(server.key_a) as client:
            doc = upload_one(client, "ok.pdf", statement_pdf(435))
            body = {"document_id": doc, "callback_url": receiver.url}
            started = client.post("/parse/statements", json=body)
            assert started.status_code == 202, started.text
            job_ref = started.json()["data"]["job_id"]
            multipart = client.post(
                "/parse/statements",
                files={"file": ("mp.pdf", statement_pdf(436))},
                data={"callback_url": receiver.url},
            )
            assert multipart.status_code == 202, multipart.text
            jobs = {job_ref: wait_for_job(client, job_ref)}
            mp_ref = multipart.json()["data"]["job_id"]
            jobs[mp_ref] = wait_for_job(client, mp_ref)
        _wait(lambda: len(receiver.requests) >= 2, 30, "the webhooks")
        engine = make_engine(server.settings())
        try:
            with make_session_factory(engine)() as session:
                tenant = session.get(Tenant, server.tenant_a)
                assert tenant is not None
                secret = tenant.webhook_secret
        finally:
            engine.dispose()
    assert len(receiver.requests) == 2
    for req in receiver.requests:
        assert verify_signature(req.body, secret, req.headers["x-signature"])
        payload = json.loads(req.body)
        assert payload["status"] == jobs[payload["job_id"]]["status"]
    assert {json.loads(r.body)["job_id"] for r in receiver.requests} == set(jobs)
