"""The job queue on the database: claim, heartbeat, progress, complete, fail, release, reclaim.

Every state change after a claim is conditional on the worker's `lease_token`: once a job has been
reclaimed and claimed again, the old worker can no longer finish it, so each job ends exactly once.
A claim is `UPDATE ... SET status = 'processing' ... WHERE id = :candidate AND status = 'pending'
RETURNING ...`: only one claimer can flip a row from pending (SQLite serialises writers, and the write
transaction starts with BEGIN IMMEDIATE; PostgreSQL re-checks the condition after the row lock), and a
claimer that loses the race moves on to its next candidate.

Candidates are fair between tenants: the tenant with the fewest jobs running goes first (oldest
waiting job breaks ties), then its oldest job. One tenant's 50-file batch therefore does not hold
up another tenant's single document for the whole batch.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.errors import ErrorCode
from ledgerlens.jobs.ids import new_uuid
from ledgerlens.jobs.models import Batch, Job, StoredFile, utcnow
from ledgerlens.jobs.transactions import write_session
from ledgerlens.jobs.webhooks import enqueue_for_job

log = logging.getLogger(__name__)

SessionFactory = sessionmaker[Session]


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: int
    tenant_id: str
    file_id: str
    job_type: str
    options_json: str | None
    attempts: int
    lease_token: str
    worker_id: str


_PENDING = select(Job.id).where(Job.status == "pending").limit(1)


def has_pending(session_factory: SessionFactory) -> bool:
    """Cheap read-only check so idle workers do not take the write lock on every poll."""
    with session_factory() as session:
        return session.execute(_PENDING).first() is not None


class PendingProbe:
    """`has_pending` for an idle loop: one kept connection, no ORM session per poll.

    About ten times less CPU per check, which matters with several workers polling 20 times a second
    on a small machine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def __call__(self) -> bool:
        try:
            if self._conn is None:
                self._conn = self._engine.connect()
            found = self._conn.execute(_PENDING).first() is not None
            self._conn.rollback()
            return found
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


CANDIDATE_TENANTS = 4
CANDIDATES_PER_TENANT = 4


def claim_candidates(session: Session) -> list[int]:
    """Pending job ids in the order a worker should try to claim them (fair between tenants)."""
    heads = session.execute(
        select(Job.tenant_id, func.min(Job.created_at)).where(Job.status == "pending").group_by(Job.tenant_id)
    ).all()
    if not heads:
        return []
    running = {
        tenant: count
        for tenant, count in session.execute(
            select(Job.tenant_id, func.count()).where(Job.status == "processing").group_by(Job.tenant_id)
        )
    }
    order = sorted(heads, key=lambda head: (running.get(head[0], 0), head[1], head[0]))
    candidates: list[int] = []
    for tenant_id, _oldest in order[:CANDIDATE_TENANTS]:
        candidates.extend(
            session.scalars(
                select(Job.id)
                .where(Job.status == "pending", Job.tenant_id == tenant_id)
                .order_by(Job.created_at, Job.id)
                .limit(CANDIDATES_PER_TENANT)
            )
        )
    return candidates


def claim_statement(job_id: int, worker_id: str, lease_token: str, now: datetime) -> Any:
    """Flip one pending job to processing for this worker, RETURNING what the worker needs."""
    return (
        update(Job)
        .where(Job.id == job_id, Job.status == "pending")
        .values(
            status="processing",
            worker_id=worker_id,
            lease_token=lease_token,
            attempts=Job.attempts + 1,
            heartbeat_at=now,
            started_at=now,
            updated_at=now,
            progress=0,
        )
        .returning(Job.id, Job.tenant_id, Job.file_id, Job.job_type, Job.options_json, Job.attempts)
        .execution_options(synchronize_session=False)
    )


def claim_next(
    session_factory: SessionFactory, worker_id: str, probe: PendingProbe | None = None
) -> ClaimedJob | None:
    """Atomically take the next pending job (fair between tenants), or None when there is none."""
    if not (probe() if probe is not None else has_pending(session_factory)):
        return None
    token = new_uuid()
    with write_session(session_factory) as session:
        row = None
        for job_id in claim_candidates(session):
            row = session.execute(claim_statement(job_id, worker_id, token, utcnow())).first()
            if row is not None:
                break
        if row is None:
            return None
        session.execute(
            update(StoredFile)
            .where(StoredFile.id == row.file_id, StoredFile.status != "deleted")
            .values(status="processing")
            .execution_options(synchronize_session=False)
        )
    return ClaimedJob(
        id=row.id,
        tenant_id=row.tenant_id,
        file_id=row.file_id,
        job_type=row.job_type,
        options_json=row.options_json,
        attempts=row.attempts,
        lease_token=token,
        worker_id=worker_id,
    )


def _held(job_id: int, lease_token: str) -> Any:
    return (Job.id == job_id) & (Job.lease_token == lease_token) & (Job.status == "processing")


def heartbeat(
    session_factory: SessionFactory, job_id: int, lease_token: str, progress: int | None = None
) -> bool:
    """Refresh the lease (and optionally progress); False once the lease was lost."""
    now = utcnow()
    values: dict[str, Any] = {"heartbeat_at": now, "updated_at": now}
    if progress is not None:
        values["progress"] = max(0, min(99, int(progress)))
    with write_session(session_factory) as session:
        res = session.execute(
            update(Job)
            .where(_held(job_id, lease_token))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(res, "rowcount", 0) == 1)


def _scrub_options(options_json: str | None) -> str | None:
    """Drop the PDF password once the job has ended; keep the rest for the record."""
    if not options_json:
        return options_json
    try:
        options = json.loads(options_json)
    except ValueError:
        return None
    if isinstance(options, dict):
        options.pop("password", None)
        return json.dumps(options, separators=(",", ":"))
    return None


def _finish(
    session: Session,
    job: Job,
    *,
    status: str,
    now: datetime,
    file_status: str,
) -> None:
    job.status = status
    job.completed_at = now
    job.updated_at = now
    job.lease_token = None
    job.options_json = _scrub_options(job.options_json)
    file = session.get(StoredFile, job.file_id)
    if file is not None and file.status != "deleted":
        file.status = file_status
        if status == "completed":
            file.completed_at = now
    if job.batch_id is not None:
        batch = session.get(Batch, job.batch_id)
        if batch is not None:
            batch.updated_at = now
    session.flush()
    enqueue_for_job(session, job)


def _locked_job(session: Session, job_id: int, lease_token: str) -> Job | None:
    """The job if this lease still holds it, row-locked until commit (PostgreSQL; SQLite holds the
    database write lock already), so a concurrent reclaim cannot interleave with the finish."""
    return session.scalars(select(Job).where(_held(job_id, lease_token)).with_for_update()).first()


def complete(
    session_factory: SessionFactory,
    job_id: int,
    lease_token: str,
    result: dict[str, Any],
    *,
    processing_seconds: float,
    pages: int | None,
) -> bool:
    """Store the result and end the job; False (nothing written) when the lease was lost."""
    now = utcnow()
    with write_session(session_factory) as session:
        job = _locked_job(session, job_id, lease_token)
        if job is None:
            return False
        job.result_json = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        job.progress = 100
        job.processing_seconds = processing_seconds
        job.pages = pages
        job.error_code = None
        job.error_message = None
        _finish(session, job, status="completed", now=now, file_status="completed")
        return True


def fail(
    session_factory: SessionFactory,
    job_id: int,
    lease_token: str,
    code: ErrorCode | str,
    message: str,
    *,
    processing_seconds: float | None = None,
) -> bool:
    """End the job as failed with an API error code; False when the lease was lost."""
    now = utcnow()
    with write_session(session_factory) as session:
        job = _locked_job(session, job_id, lease_token)
        if job is None:
            return False
        job.error_code = str(code)
        job.error_message = message
        job.result_json = None
        if processing_seconds is not None:
            job.processing_seconds = processing_seconds
        _finish(session, job, status="failed", now=now, file_status="failed")
        return True


def fail_unclaimed(session: Session, file_id: str, code: ErrorCode | str, message: str) -> list[int]:
    """Fail the file's jobs no worker has claimed yet, in the caller's transaction (not committed).

    For the API deleting a document: those jobs end as failed with their webhook queued, like any
    other job end. Jobs already processing are left to their worker, which has read the bytes.
    """
    now = utcnow()
    jobs = session.scalars(
        select(Job).where(Job.file_id == file_id, Job.status == "pending").with_for_update()
    ).all()
    for job in jobs:
        job.error_code = str(code)
        job.error_message = message
        job.result_json = None
        _finish(session, job, status="failed", now=now, file_status="failed")
    return [job.id for job in jobs]


def release(session_factory: SessionFactory, job_id: int, lease_token: str, *, count_attempt: bool) -> bool:
    """Put a claimed job back to pending (worker shutting down, or its processor crashed).

    A clean shutdown does not count against the job's attempts; a crash does, so a document that
    kills its processor every time ends up failed instead of looping forever.
    """
    now = utcnow()
    with write_session(session_factory) as session:
        job = _locked_job(session, job_id, lease_token)
        if job is None:
            return False
        if not count_attempt:
            job.attempts = max(0, job.attempts - 1)
        job.status = "pending"
        job.worker_id = None
        job.lease_token = None
        job.heartbeat_at = None
        job.progress = 0
        job.updated_at = now
        return True


@dataclass(frozen=True, slots=True)
class ReclaimReport:
    requeued: int
    failed: int


def reclaim_stale(session_factory: SessionFactory, settings: Settings) -> ReclaimReport:
    """Return jobs whose worker stopped heartbeating to the queue (or fail them after max_attempts)."""
    cutoff = utcnow() - timedelta(seconds=settings.stale_after_seconds)
    with session_factory() as session:
        stale = session.execute(
            select(Job.id, Job.lease_token, Job.attempts).where(
                Job.status == "processing", Job.heartbeat_at < cutoff
            )
        ).all()
    requeued = failed = 0
    for job_id, token, attempts in stale:
        if token is None:
            continue
        if attempts >= settings.max_attempts:
            message = f"processing was interrupted {attempts} times (worker process died)"
            if fail(session_factory, job_id, token, ErrorCode.INTERNAL_SERVER_ERROR, message):
                failed += 1
                log.warning("job %s failed after %d interrupted attempts", job_id, attempts)
            continue
        with write_session(session_factory) as session:
            res = session.execute(
                update(Job)
                .where(_held(job_id, token), Job.heartbeat_at < cutoff)
                .values(
                    status="pending",
                    worker_id=None,
                    lease_token=None,
                    heartbeat_at=None,
                    progress=0,
                    updated_at=utcnow(),
                )
                .execution_options(synchronize_session=False)
            )
            if getattr(res, "rowcount", 0) == 1:
                requeued += 1
                log.warning("job %s reclaimed from a silent worker (attempt %d)", job_id, attempts)
    return ReclaimReport(requeued=requeued, failed=failed)
