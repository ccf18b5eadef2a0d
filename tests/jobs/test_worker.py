"""Real worker processes (`python -m ledgerlens worker`) on a real SQLite database.

Covers: documents processed end to end, bad input failing with its code while the worker lives on,
the job timeout, and SIGTERM handing the running job back to the queue. A worker SIGKILLed mid-job
is covered end to end over HTTP in tests/cli/test_serve.py.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.models import Job, StoredFile
from tests.jobs.documents import digital_pdf, scanned_pdf
from tests.jobs.factory import add_file, add_job, add_tenant, get_job
from tests.jobs.procs import job_child_of, ledgerlens_process, wait_for, worker_pid

pytest.importorskip("ledgerlens.pipeline", reason="the extraction pipeline is not importable yet")

pytestmark = pytest.mark.slow

STATEMENT_LINES = [
    "Harbour Bank - Account statement",
    "Account holder: Jane Doe   IBAN: GB33BUKB20201555555555",
    "Statement period 01/03/2025 - 31/03/2025",
    "Date        Description                    Amount      Balance",
    "01/03/2025  Opening balance                            1520.35",
    "02/03/2025  POS PURCHASE TESCO 4411       -513.58      1006.77",
    "05/03/2025  SALARY ACME LTD               2000.00      3006.77",
    "31/03/2025  Closing balance                            3006.77",
]


def _ended(sf: sessionmaker[Session], *job_ids: int) -> bool:
    with sf() as session:
        statuses = session.scalars(select(Job.status).where(Job.id.in_(job_ids))).all()
    return len(statuses) == len(job_ids) and all(s in ("completed", "failed") for s in statuses)


def test_worker_processes_documents_and_survives_bad_input(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore, tmp_path: Path
) -> None:
    tenant = add_tenant(sf)
    good = add_file(sf, blobs, tenant.id, digital_pdf(STATEMENT_LINES), doc_type="bank_statement")
    junk = add_file(sf, blobs, tenant.id, b"this is not a document at all")
    broken = add_file(sf, blobs, tenant.id, b"%PDF-1.7\n1 0 obj <<>> garbage without xref")
    gone = add_file(sf, blobs, tenant.id, b"%PDF-1.4 deleted before processing")
    with sf() as session:
        row = session.get(StoredFile, gone.id)
        assert row is not None
        row.status = "deleted"
        session.commit()
    good_job = add_job(sf, tenant.id, good.id, job_type="bank_statement", password="unused-secret")
    junk_job = add_job(sf, tenant.id, junk.id)
    broken_job = add_job(sf, tenant.id, broken.id, job_type="invoice")
    gone_job = add_job(sf, tenant.id, gone.id)

    with ledgerlens_process(settings, "worker", "--workers", "1", log_path=tmp_path / "worker.log") as proc:
        wait_for(lambda: _ended(sf, good_job, junk_job, broken_job, gone_job), 90, "jobs to end")
        assert proc.poll() is None, "the worker command must survive bad input"

    done = get_job(sf, good_job)
    assert done.status == "completed", (done.error_code, done.error_message)
    result = json.loads(done.result_json or "{}")
    assert result["document_type"] == "bank_statement"
    assert done.progress == 100 and done.pages == 1 and (done.processing_seconds or 0) > 0
    assert done.attempts == 1 and done.lease_token is None
    assert "password" not in json.loads(done.options_json or "{}")
    with sf() as session:
        good_file = session.get(StoredFile, good.id)
        assert (
            good_file is not None and good_file.status == "completed" and good_file.completed_at is not None
        )

    assert (get_job(sf, junk_job).status, get_job(sf, junk_job).error_code) == (
        "failed",
        "UNSUPPORTED_FORMAT",
    )
    assert (get_job(sf, broken_job).status, get_job(sf, broken_job).error_code) == (
        "failed",
        "CORRUPT_DOCUMENT",
    )
    assert (get_job(sf, gone_job).status, get_job(sf, gone_job).error_code) == ("failed", "GONE")
    assert proc.returncode == 0, (tmp_path / "worker.log").read_text()[-3000:]


def test_crashed_job_child_is_retried_and_the_job_completes(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore, tmp_path: Path
) -> None:
    """A processing child that dies (segfault, OOM kill) costs an attempt, not the worker."""
    settings = settings.model_copy(update={"ocr_engine": "tesseract", "ocr_dpi": 200})
    tenant = add_tenant(sf)
    scan = add_file(sf, blobs, tenant.id, scanned_pdf(3, lines=15, seed=3))
    job_id = add_job(sf, tenant.id, scan.id)
    with ledgerlens_process(settings, "worker", "--workers", "1", log_path=tmp_path / "worker.log") as proc:
        wait_for(lambda: get_job(sf, job_id).status == "processing", 60, "the job to be claimed")
        worker = worker_pid(get_job(sf, job_id).worker_id)
        wait_for(lambda: job_child_of(worker) is not None, 30, "the job child to start")
        time.sleep(0.3)  # into the OCR of the first page
        job_child = job_child_of(worker)
        assert job_child is not None
        job_child.kill()
        wait_for(lambda: _ended(sf, job_id), 90, "the retried job to finish")
        assert proc.poll() is None
        job = get_job(sf, job_id)
        assert (job.status, job.attempts) == ("completed", 2), (job.error_code, job.error_message)
        assert worker_pid(job.worker_id) == worker, "the same worker process retried it"
    assert "processing child died" in (tmp_path / "worker.log").read_text()


def test_job_past_timeout_fails_with_timeout_and_worker_carries_on(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"job_timeout_seconds": 1.5, "ocr_engine": "tesseract"})
    tenant = add_tenant(sf)
    slow = add_file(sf, blobs, tenant.id, scanned_pdf(5, seed=11))
    quick = add_file(sf, blobs, tenant.id, digital_pdf(STATEMENT_LINES))
    slow_job = add_job(sf, tenant.id, slow.id)
    with ledgerlens_process(settings, "worker", "--workers", "1", log_path=tmp_path / "worker.log") as proc:
        wait_for(lambda: _ended(sf, slow_job), 60, "the slow job to time out")
        quick_job = add_job(sf, tenant.id, quick.id)
        wait_for(lambda: _ended(sf, quick_job), 60, "the next job")
        assert proc.poll() is None
    failed = get_job(sf, slow_job)
    assert (failed.status, failed.error_code) == ("failed", "TIMEOUT")
    assert "1.5 seconds" in (failed.error_message or "")
    assert failed.result_json is None
    assert get_job(sf, quick_job).status == "completed"


def test_sigterm_hands_the_running_job_back(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"ocr_engine": "tesseract"})
    tenant = add_tenant(sf)
    scan = add_file(sf, blobs, tenant.id, scanned_pdf(3, seed=5))
    job_id = add_job(sf, tenant.id, scan.id)
    with ledgerlens_process(settings, "worker", "--workers", "1", log_path=tmp_path / "worker.log") as proc:
        wait_for(lambda: get_job(sf, job_id).status == "processing", 30, "the job to be claimed")
        time.sleep(0.5)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        assert time.monotonic() - started < 15, "shutdown must not wait for the document to finish"
        assert proc.returncode == 0
    job = get_job(sf, job_id)
    assert (job.status, job.attempts, job.lease_token, job.worker_id) == ("pending", 0, None, None)
