"""Webhooks end to end: outbox row written with the job's end, signed POST to a real receiver, retries."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.errors import ErrorCode
from ledgerlens.jobs import queue
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.ids import format_batch_id, format_job_id
from ledgerlens.jobs.models import Job, WebhookDelivery
from ledgerlens.jobs.webhooks import WebhookDispatcher, lease_next, make_client, send, verify_signature
from tests.jobs.factory import add_file, add_job, add_tenant
from tests.jobs.receiver import webhook_receiver


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The receivers here listen on 127.0.0.1, which callbacks may only reach with the switch on;
    the tests of the address rules turn it off again."""
    return settings.model_copy(update={"webhook_allow_private": True})


def _strict(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhook_allow_private": False})


def _wait(cond: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def _deliveries(sf: sessionmaker[Session]) -> list[WebhookDelivery]:
    with sf() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_completed_job_webhook_is_signed_and_retried_after_500(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 hook", doc_type="invoice")
    with webhook_receiver([500, 200]) as receiver:
        job_id = add_job(sf, tenant.id, file.id, job_type="invoice", callback_url=receiver.url)
        claimed = queue.claim_next(sf, "w")
        assert claimed is not None
        assert _deliveries(sf) == [], "no webhook before the job ends"
        result = {"document_type": "invoice", "totals": {"total": "1520.35"}, "pages": 1}
        assert queue.complete(sf, job_id, claimed.lease_token, result, processing_seconds=0.5, pages=1)
        (outbox,) = _deliveries(sf)
        assert outbox.status == "pending" and outbox.url == receiver.url

        dispatcher = WebhookDispatcher(sf, settings, poll_seconds=0.05)
        dispatcher.start()
        try:
            _wait(lambda: _deliveries(sf)[0].status == "delivered")
        finally:
            dispatcher.stop()

    assert len(receiver.requests) == 2
    first, second = receiver.requests
    assert first.body == second.body == outbox.payload.encode("utf-8"), "the exact stored body is resent"
    for req in receiver.requests:
        assert req.headers["content-type"] == "application/json"
        expected = "sha256=" + hmac.new(tenant.webhook_secret.encode(), req.body, hashlib.sha256).hexdigest()
        assert req.headers["x-signature"] == expected
        assert verify_signature(req.body, tenant.webhook_secret, req.headers["x-signature"])
    payload = json.loads(second.body)
    assert payload["event"] == "job.completed"
    assert payload["job_id"] == format_job_id(job_id)
    assert payload["document_id"] == file.id
    assert payload["job_type"] == "invoice"
    assert payload["status"] == "completed"
    assert payload["result"] == result
    assert payload["created_at"] and payload["completed_at"]
    assert "batch_id" not in payload
    (delivered,) = _deliveries(sf)
    assert delivered.attempts == 2 and delivered.last_error is None


def test_failed_batch_job_uses_batch_callback_and_gives_up_after_attempts(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    settings = settings.model_copy(update={"webhook_backoff_seconds": 0.05})
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 batch")
    with webhook_receiver([503]) as receiver:
        job_id = add_job(sf, tenant.id, file.id, job_type="bank_statement", batch_callback_url=receiver.url)
        claimed = queue.claim_next(sf, "w")
        assert claimed is not None
        assert queue.fail(sf, job_id, claimed.lease_token, ErrorCode.PASSWORD_REQUIRED, "needs a password")
        dispatcher = WebhookDispatcher(sf, settings, poll_seconds=0.02)
        dispatcher.start()
        try:
            _wait(lambda: _deliveries(sf)[0].status == "failed")
        finally:
            dispatcher.stop()
    assert len(receiver.requests) == settings.webhook_attempts
    payload = json.loads(receiver.requests[0].body)
    with sf() as session:
        batch_id = session.get(Job, job_id).batch_id  # type: ignore[union-attr]
    assert payload["event"] == "job.failed" and payload["status"] == "failed"
    assert payload["batch_id"] == format_batch_id(batch_id or 0)
    assert payload["result"] is None
    assert payload["error"] == {"code": "PASSWORD_REQUIRED", "message": "needs a password"}
    (delivery,) = _deliveries(sf)
    assert delivery.attempts == settings.webhook_attempts and delivery.last_error == "HTTP 503"


def test_network_errors_are_retried_with_backoff(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 net")
    job_id = add_job(sf, tenant.id, file.id, callback_url=f"http://127.0.0.1:{closed_port}/hook")
    claimed = queue.claim_next(sf, "w")
    assert claimed is not None
    assert queue.complete(
        sf, job_id, claimed.lease_token, {"document_type": "other"}, processing_seconds=1, pages=1
    )
    dispatcher = WebhookDispatcher(sf, settings, poll_seconds=0.02)
    started = time.monotonic()
    dispatcher.start()
    try:
        _wait(lambda: _deliveries(sf)[0].attempts >= 3)
    finally:
        dispatcher.stop()
    elapsed = time.monotonic() - started
    (delivery,) = _deliveries(sf)
    assert delivery.status == "pending" and "ConnectError" in (delivery.last_error or "")
    # attempts 1→2 wait 0.2 s, 2→3 wait 0.4 s: exponential backoff, not a hot loop
    assert elapsed >= 0.6 * 0.9


def test_job_without_callback_has_no_delivery(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 none")
    job_id = add_job(sf, tenant.id, file.id)
    claimed = queue.claim_next(sf, "w")
    assert claimed is not None
    assert queue.complete(
        sf, job_id, claimed.lease_token, {"document_type": "other"}, processing_seconds=1, pages=1
    )
    assert _deliveries(sf) == []


def test_unclaimed_jobs_failed_on_delete_get_their_webhook(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 doomed")
    with webhook_receiver([200]) as receiver:
        first = add_job(sf, tenant.id, file.id, callback_url=receiver.url, password="pw")
        second = add_job(sf, tenant.id, file.id)
        with sf() as session:
            failed = queue.fail_unclaimed(session, file.id, ErrorCode.GONE, "The document was deleted.")
            session.commit()
        assert sorted(failed) == sorted([first, second])
        assert queue.claim_next(sf, "w") is None
        dispatcher = WebhookDispatcher(sf, settings, poll_seconds=0.02)
        dispatcher.start()
        try:
            _wait(lambda: _deliveries(sf)[0].status == "delivered")
        finally:
            dispatcher.stop()
    (delivery,) = _deliveries(sf)
    assert delivery.job_id == first
    payload = json.loads(receiver.requests[0].body)
    assert payload["event"] == "job.failed" and payload["error"]["code"] == "GONE"
    with sf() as session:
        job = session.get(Job, first)
        assert job is not None and job.status == "failed" and "pw" not in (job.options_json or "")


def _finished_job_with_callback(sf: sessionmaker[Session], blobs: BlobStore, url: str) -> int:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 " + url.encode())
    job_id = add_job(sf, tenant.id, file.id, callback_url=url)
    claimed = queue.claim_next(sf, "w")
    assert claimed is not None
    assert queue.complete(
        sf, job_id, claimed.lease_token, {"document_type": "other"}, processing_seconds=1, pages=1
    )
    return job_id


def test_name_resolving_to_loopback_is_refused_at_send_time_and_not_retried(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    """`localhost` passes job creation (a name is not resolved there); the sender resolves it, finds
    a loopback address and fails the delivery at once; the receiver on that address gets nothing."""
    strict = _strict(settings)
    with webhook_receiver([200]) as receiver:
        url = receiver.url.replace("127.0.0.1", "localhost")
        _finished_job_with_callback(sf, blobs, url)
        dispatcher = WebhookDispatcher(sf, strict, poll_seconds=0.02)
        dispatcher.start()
        try:
            _wait(lambda: _deliveries(sf)[0].status == "failed")
            time.sleep(0.3)  # room for a retry to show up, if there were one
        finally:
            dispatcher.stop()
    assert receiver.requests == []
    (delivery,) = _deliveries(sf)
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "localhost resolves to" in (delivery.last_error or "")
    assert "loopback address" in (delivery.last_error or "")
    assert "LEDGERLENS_WEBHOOK_ALLOW_PRIVATE" in (delivery.last_error or "")


def test_stored_private_or_malformed_urls_are_refused_at_send_time(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    """Rows written before the rules existed (or straight into the database) are checked again."""
    strict = _strict(settings)
    with webhook_receiver([200]) as receiver:
        port = receiver.url.rsplit(":", 1)[1].split("/")[0]
        cases = {
            receiver.url: "loopback address",
            f"http://[::ffff:127.0.0.1]:{port}/hook": "IPv4-mapped loopback",
            f"http://2130706433:{port}/hook": "non-standard form",
            f"http://user:pw@localhost:{port}/hook": "credentials",
            "ftp://localhost/hook": "http(s)",
        }
        for url, why in cases.items():
            _finished_job_with_callback(sf, blobs, url)
            leased = lease_next(sf, strict)
            assert leased is not None and leased.url == url
            with make_client(strict) as client:
                assert send(sf, strict, leased, client) is False
            delivery = next(d for d in _deliveries(sf) if d.id == leased.id)
            assert delivery.status == "failed" and delivery.attempts == 1, url
            assert why in (delivery.last_error or ""), (url, delivery.last_error)
    assert receiver.requests == []


def test_send_connects_to_the_address_it_checked(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    """A name only the sender's resolver knows: delivered means the POST went to the checked address
    (no second lookup a rebinding DNS server could answer differently), with the name as `Host`."""
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"] if host == "hooks.rebind.test" else []

    with webhook_receiver([200]) as receiver:
        port = receiver.url.rsplit(":", 1)[1].split("/")[0]
        url = f"http://hooks.rebind.test:{port}/hook"
        _finished_job_with_callback(sf, blobs, url)
        leased = lease_next(sf, settings)
        assert leased is not None
        with make_client(settings, resolver=resolver) as client:
            assert send(sf, settings, leased, client) is True
        (req,) = receiver.requests
        assert req.headers["host"] == f"hooks.rebind.test:{port}"
        assert lookups == ["hooks.rebind.test"]

        # the same name with the switch off: the checked address is loopback, refused, nothing sent
        strict = _strict(settings)
        _finished_job_with_callback(sf, blobs, url)
        leased = lease_next(sf, strict)
        assert leased is not None
        with make_client(strict, resolver=resolver) as client:
            assert send(sf, strict, leased, client) is False
    assert len(receiver.requests) == 1
    refused = next(d for d in _deliveries(sf) if d.id == leased.id)
    assert refused.status == "failed"
    assert "hooks.rebind.test resolves to 127.0.0.1" in (refused.last_error or "")
