"""Durable webhooks: an outbox row written with the job's final status, then signed delivery.

`enqueue_for_job` runs inside the transaction that finishes a job, so a job never ends without
its webhook being recorded, and a rolled-back finish never sends one. `WebhookDispatcher` leases due
deliveries (one sender per delivery even with several processes), POSTs the exact stored body with
an HMAC-SHA256 signature, and retries with exponential backoff. Only public addresses are sent to
(jobs.callbacks; `LEDGERLENS_WEBHOOK_ALLOW_PRIVATE=1` lifts that): a refused target fails the delivery
at once, without retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.jobs.callbacks import CallbackRefused, GuardedTransport, Resolver, check_callback_url
from ledgerlens.jobs.ids import format_batch_id, format_job_id
from ledgerlens.jobs.models import Batch, Job, StoredFile, Tenant, WebhookDelivery, utcnow
from ledgerlens.jobs.transactions import write_session

log = logging.getLogger(__name__)

USER_AGENT = "ledgerlens-webhooks/1"
LEASE_MARGIN_SECONDS = 30.0


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    return None if value is None else as_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sign(body: bytes, secret: str) -> str:
    """The `X-Signature` header value for `body`."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(body: bytes, secret: str, header: str) -> bool:
    """Constant-time check of an `X-Signature` header, for receivers written in Python."""
    return hmac.compare_digest(sign(body, secret), header.strip())


def _result_type(job: Job, file: StoredFile | None, result: dict[str, Any] | None) -> str:
    """The job's type as the status endpoints show it: declared, or for auto jobs the detected
    document type (else the upload classification); credit notes count as invoices."""
    if job.job_type != "auto":
        return job.job_type
    kind: str = job.job_type
    if result is not None and isinstance(result.get("document_type"), str):
        kind = str(result["document_type"])
    elif file is not None:
        kind = file.type
    return "invoice" if kind == "credit_note" else kind


def build_payload(session: Session, job: Job) -> dict[str, Any]:
    """The event body for a finished job (spec: Webhooks)."""
    result: dict[str, Any] | None = json.loads(job.result_json) if job.result_json else None
    file = session.get(StoredFile, job.file_id)
    payload: dict[str, Any] = {
        "event": "job.completed" if job.status == "completed" else "job.failed",
        "job_id": format_job_id(job.id),
    }
    if job.batch_id is not None:
        payload["batch_id"] = format_batch_id(job.batch_id)
    payload.update(
        {
            "document_id": job.file_id,
            "job_type": _result_type(job, file, result),
            "status": job.status,
            "created_at": iso(job.created_at),
            "completed_at": iso(job.completed_at),
            "result": result,
        }
    )
    if job.status == "failed":
        payload["error"] = {"code": job.error_code, "message": job.error_message}
    return payload


def callback_url_for(session: Session, job: Job) -> str | None:
    if job.callback_url:
        return job.callback_url
    if job.batch_id is not None:
        batch = session.get(Batch, job.batch_id)
        if batch is not None and batch.callback_url:
            return batch.callback_url
    return None


def enqueue_for_job(session: Session, job: Job) -> WebhookDelivery | None:
    """Record the delivery for a job that just ended, in the caller's transaction."""
    url = callback_url_for(session, job)
    if url is None:
        return None
    body = json.dumps(build_payload(session, job), ensure_ascii=False, separators=(",", ":"))
    delivery = WebhookDelivery(
        tenant_id=job.tenant_id,
        job_id=job.id,
        url=url,
        payload=body,
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
        created_at=utcnow(),
    )
    session.add(delivery)
    session.flush()
    return delivery


@dataclass(frozen=True, slots=True)
class LeasedDelivery:
    id: int
    tenant_id: str
    url: str
    payload: str
    attempts: int
    lease_until: datetime


def _due(now: datetime) -> Any:
    return and_(
        WebhookDelivery.status == "pending",
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.lease_until.is_(None), WebhookDelivery.lease_until < now),
    )


def lease_next(session_factory: sessionmaker[Session], settings: Settings) -> LeasedDelivery | None:
    """Take the oldest due delivery for one send attempt, or None."""
    now = utcnow()
    with session_factory() as session:
        if session.execute(select(WebhookDelivery.id).where(_due(now)).limit(1)).first() is None:
            return None
    lease_until = now + timedelta(seconds=settings.webhook_timeout_seconds + LEASE_MARGIN_SECONDS)
    candidate = (
        select(WebhookDelivery.id)
        .where(_due(now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    stmt = (
        update(WebhookDelivery)
        .where(WebhookDelivery.id == candidate, _due(now))
        .values(lease_until=lease_until, attempts=WebhookDelivery.attempts + 1)
        .returning(
            WebhookDelivery.id,
            WebhookDelivery.tenant_id,
            WebhookDelivery.url,
            WebhookDelivery.payload,
            WebhookDelivery.attempts,
        )
        .execution_options(synchronize_session=False)
    )
    with write_session(session_factory) as session:
        row = session.execute(stmt).first()
    if row is None:
        return None
    return LeasedDelivery(
        id=row.id,
        tenant_id=row.tenant_id,
        url=row.url,
        payload=row.payload,
        attempts=row.attempts,
        lease_until=lease_until,
    )


def _record(session_factory: sessionmaker[Session], leased: LeasedDelivery, values: dict[str, Any]) -> bool:
    with write_session(session_factory) as session:
        res = session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == leased.id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.lease_until == leased.lease_until,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(res, "rowcount", 0) == 1)


def make_client(settings: Settings, resolver: Resolver | None = None) -> httpx.Client:
    """The HTTP client deliveries go through: every connection to a checked, pinned address
    (jobs.callbacks.GuardedTransport), redirects not followed, and no proxies from the environment
    (a proxy would resolve the name itself, out of reach of the check)."""
    return httpx.Client(
        transport=GuardedTransport(allow_private=settings.webhook_allow_private, resolver=resolver),
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        trust_env=False,
    )


def _refused(session_factory: sessionmaker[Session], leased: LeasedDelivery, reason: str) -> bool:
    """A target the address rules refuse: failed now, never retried (it would be refused again)."""
    error = reason[:500]
    _record(session_factory, leased, {"status": "failed", "lease_until": None, "last_error": error})
    log.warning("webhook %s to %s refused: %s", leased.id, leased.url, error)
    return False


def send(
    session_factory: sessionmaker[Session],
    settings: Settings,
    leased: LeasedDelivery,
    client: httpx.Client,
) -> bool:
    """One delivery attempt; records delivered / retry / failed. True when delivered."""
    with session_factory() as session:
        tenant = session.get(Tenant, leased.tenant_id)
        secret = tenant.webhook_secret if tenant is not None else ""
    try:
        check_callback_url(leased.url, allow_private=settings.webhook_allow_private)
    except CallbackRefused as exc:
        return _refused(session_factory, leased, str(exc))
    body = leased.payload.encode("utf-8")
    error: str | None = None
    try:
        response = client.post(
            leased.url,
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Signature": sign(body, secret),
                "X-Webhook-Id": str(leased.id),
                "X-Webhook-Attempt": str(leased.attempts),
                "User-Agent": USER_AGENT,
            },
        )
        if 200 <= response.status_code < 300:
            _record(session_factory, leased, {"status": "delivered", "lease_until": None, "last_error": None})
            log.info("webhook %s delivered to %s (attempt %d)", leased.id, leased.url, leased.attempts)
            return True
        error = f"HTTP {response.status_code}"
    except CallbackRefused as exc:  # the name resolved to a non-public address
        return _refused(session_factory, leased, str(exc))
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    if leased.attempts >= settings.webhook_attempts:
        _record(session_factory, leased, {"status": "failed", "lease_until": None, "last_error": error})
        log.warning(
            "webhook %s to %s gave up after %d attempts: %s", leased.id, leased.url, leased.attempts, error
        )
        return False
    delay = settings.webhook_backoff_seconds * (2 ** (leased.attempts - 1))
    _record(
        session_factory,
        leased,
        {"next_attempt_at": utcnow() + timedelta(seconds=delay), "lease_until": None, "last_error": error},
    )
    log.info("webhook %s to %s failed (%s); retry in %.1fs", leased.id, leased.url, error, delay)
    return False


class WebhookDispatcher:
    """Background sender: a polling thread handing leased deliveries to a few sender threads."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        concurrency: int = 4,
        poll_seconds: float = 0.25,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.concurrency = max(1, concurrency)
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="webhook-dispatcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        in_flight: set[Future[bool]] = set()
        with (
            make_client(self.settings) as client,
            ThreadPoolExecutor(self.concurrency, thread_name_prefix="webhook-send") as pool,
        ):
            while not self._stop.is_set():
                in_flight = {f for f in in_flight if not f.done()}
                leased = None
                if len(in_flight) < self.concurrency:
                    try:
                        leased = lease_next(self.session_factory, self.settings)
                    except Exception:
                        log.exception("webhook lease failed")
                if leased is None:
                    self._stop.wait(self.poll_seconds)
                    continue
                in_flight.add(pool.submit(self._send_safely, leased, client))

    def _send_safely(self, leased: LeasedDelivery, client: httpx.Client) -> bool:
        try:
            return send(self.session_factory, self.settings, leased, client)
        except Exception:
            log.exception("webhook %s: unexpected error while sending", leased.id)
            return False
