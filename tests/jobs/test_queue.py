"""The queue on a real SQLite database: atomic claims across processes, leases, reclaim."""

from __future__ import annotations

import json
import multiprocessing
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.errors import ErrorCode
from ledgerlens.jobs import queue
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.models import Job, StoredFile, utcnow
from tests.jobs.factory import add_file, add_job, add_tenant, claim_until_empty, get_job


def test_three_processes_claim_200_jobs_each_exactly_once(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore, tmp_path: Path
) -> None:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 test")
    ids = {add_job(sf, tenant.id, file.id) for _ in range(200)}
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(4)
    outs = [tmp_path / f"claimer{i}.json" for i in range(3)]
    procs = [
        ctx.Process(target=claim_until_empty, args=(settings, f"claimer-{i}", str(out), start))
        for i, out in enumerate(outs)
    ]
    for p in procs:
        p.start()
    start.wait(60)  # all three claimers are ready: they race from the same moment
    for p in procs:
        p.join(90)
        assert p.exitcode == 0
    per_process = [json.loads(out.read_text()) for out in outs]
    claimed = [job_id for ids_ in per_process for job_id in ids_]
    assert len(claimed) == len(set(claimed)) == 200
    assert set(claimed) == ids
    assert sum(1 for ids_ in per_process if ids_) >= 2, "claims should be spread over the processes"
    with sf() as session:
        jobs = session.query(Job).all()
        assert all(j.status == "processing" and j.attempts == 1 and j.lease_token for j in jobs)
        owners = {j.id: j.worker_id for j in jobs}
    for i, ids_ in enumerate(per_process):
        assert all(owners[j] == f"claimer-{i}" for j in ids_)


def test_claim_order_and_lease_guards(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 a")
    older = add_job(sf, tenant.id, file.id, created_at=utcnow() - timedelta(minutes=5), password="s3cret")
    newer = add_job(sf, tenant.id, file.id)
    first = queue.claim_next(sf, "w1")
    assert first is not None and first.id == older
    with sf() as session:
        assert session.get(StoredFile, file.id).status == "processing"  # type: ignore[union-attr]

    assert queue.heartbeat(sf, older, first.lease_token, progress=40)
    assert get_job(sf, older).progress == 40
    assert not queue.heartbeat(sf, older, "not-the-token")
    assert not queue.complete(sf, older, "not-the-token", {"x": 1}, processing_seconds=1.0, pages=1)

    assert queue.complete(
        sf, older, first.lease_token, {"document_type": "other"}, processing_seconds=1.5, pages=3
    )
    done = get_job(sf, older)
    assert done.status == "completed" and done.progress == 100 and done.pages == 3
    assert json.loads(done.result_json or "") == {"document_type": "other"}
    assert "password" not in json.loads(done.options_json or "{}"), (
        "password must be erased when the job ends"
    )
    assert done.lease_token is None and done.completed_at is not None
    # a second finish of the same job never succeeds
    assert not queue.complete(sf, older, first.lease_token, {"x": 2}, processing_seconds=1.0, pages=1)
    assert not queue.fail(sf, older, first.lease_token, ErrorCode.TIMEOUT, "late")

    second = queue.claim_next(sf, "w2")
    assert second is not None and second.id == newer
    assert queue.claim_next(sf, "w3") is None
    assert queue.fail(sf, newer, second.lease_token, ErrorCode.CORRUPT_DOCUMENT, "bad bytes")
    failed = get_job(sf, newer)
    assert (failed.status, failed.error_code, failed.error_message) == (
        "failed",
        "CORRUPT_DOCUMENT",
        "bad bytes",
    )


def test_stale_job_is_reclaimed_and_old_worker_cannot_finish_it(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 b")
    job_id = add_job(sf, tenant.id, file.id)
    first = queue.claim_next(sf, "dead-worker")
    assert first is not None
    # a fresh heartbeat is not stale
    patient = settings.model_copy(update={"stale_after_seconds": 600.0})
    assert queue.reclaim_stale(sf, patient) == queue.ReclaimReport(0, 0)
    # the worker went silent: its last heartbeat is older than stale_after_seconds
    with sf() as session:
        long_ago = utcnow() - timedelta(seconds=settings.stale_after_seconds + 1)
        session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=long_ago))
        session.commit()
    assert queue.reclaim_stale(sf, settings) == queue.ReclaimReport(1, 0)
    assert get_job(sf, job_id).status == "pending"

    second = queue.claim_next(sf, "live-worker")
    assert second is not None and second.id == job_id and second.attempts == 2
    assert not queue.complete(sf, job_id, first.lease_token, {"stale": True}, processing_seconds=1, pages=1)
    assert queue.complete(sf, job_id, second.lease_token, {"fresh": True}, processing_seconds=1, pages=1)
    assert json.loads(get_job(sf, job_id).result_json or "") == {"fresh": True}


def test_job_whose_workers_keep_dying_fails_after_max_attempts(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 c")
    job_id = add_job(sf, tenant.id, file.id)
    long_ago = utcnow() - timedelta(seconds=settings.stale_after_seconds * 10)
    for attempt in range(1, settings.max_attempts + 1):
        claimed = queue.claim_next(sf, f"w{attempt}")
        assert claimed is not None and claimed.attempts == attempt
        with sf() as session:
            session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=long_ago))
            session.commit()
        report = queue.reclaim_stale(sf, settings)
        expected = (
            queue.ReclaimReport(0, 1) if attempt == settings.max_attempts else queue.ReclaimReport(1, 0)
        )
        assert report == expected
    job = get_job(sf, job_id)
    assert job.status == "failed" and job.error_code == "INTERNAL_SERVER_ERROR"
    assert str(settings.max_attempts) in (job.error_message or "")


def test_release_on_shutdown_does_not_count_an_attempt(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 d")
    job_id = add_job(sf, tenant.id, file.id)
    claimed = queue.claim_next(sf, "w")
    assert claimed is not None
    assert queue.release(sf, job_id, claimed.lease_token, count_attempt=False)
    job = get_job(sf, job_id)
    assert (job.status, job.attempts, job.lease_token) == ("pending", 0, None)
    again = queue.claim_next(sf, "w")
    assert again is not None and again.attempts == 1
    assert queue.release(sf, job_id, again.lease_token, count_attempt=True)
    assert get_job(sf, job_id).attempts == 1


def test_claim_statement_is_portable_to_postgresql() -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    stmt = queue.claim_statement(42, "w", "token", utcnow())
    for dialect in (postgresql.dialect(), sqlite.dialect()):
        sql = str(stmt.compile(dialect=dialect))
        assert "RETURNING" in sql and "status" in sql


def test_claims_are_fair_between_tenants(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    big = add_tenant(sf, "big-batch")
    small = add_tenant(sf, "single-doc")
    start = utcnow() - timedelta(minutes=10)
    big_file = add_file(sf, blobs, big.id, b"%PDF-1.4 big")
    small_file = add_file(sf, blobs, small.id, b"%PDF-1.4 small")
    batch = [add_job(sf, big.id, big_file.id, created_at=start + timedelta(seconds=i)) for i in range(6)]
    single = add_job(sf, small.id, small_file.id, created_at=start + timedelta(minutes=5))

    claimed = [queue.claim_next(sf, f"w{i}") for i in range(3)]
    ids = [c.id for c in claimed if c is not None]
    # oldest job first; then the other tenant, who has nothing running, although its job is newer
    assert ids[:2] == [batch[0], single]
    assert ids[2] == batch[1], "within a tenant, oldest first"
    rest = [queue.claim_next(sf, "w") for _ in range(5)]
    assert [c.id for c in rest if c is not None] == batch[2:]
