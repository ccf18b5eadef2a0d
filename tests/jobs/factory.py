"""Test data for the job system: tenants, stored files and pending jobs written straight to the DB.

This is test setup, not a stand-in for our code: the rows are what `jobs.store` creates for the API,
and everything under test (queue, workers, webhooks, retention) runs for real against them.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.synchronize
import os
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.jobs import queue
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.jobs.ids import new_numeric_id, new_uuid
from ledgerlens.jobs.models import Batch, Job, StoredFile, Tenant, utcnow
from ledgerlens.jobs.tenants import get_or_create_tenant


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "workers": 1,
        "heartbeat_seconds": 0.2,
        "stale_after_seconds": 1.5,
        "poll_interval_seconds": 0.05,
        "webhook_backoff_seconds": 0.2,
        "webhook_attempts": 5,
        "webhook_timeout_seconds": 5.0,
        "page_workers": 1,
        "job_timeout_seconds": 120.0,
        "max_attempts": 3,
        "ocr_languages": "eng",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment that makes a `python -m ledgerlens` subprocess see the same settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERLENS_")}
    for name in (
        "data_dir",
        "workers",
        "heartbeat_seconds",
        "stale_after_seconds",
        "poll_interval_seconds",
        "webhook_backoff_seconds",
        "webhook_attempts",
        "webhook_timeout_seconds",
        "webhook_allow_private",
        "page_workers",
        "job_timeout_seconds",
        "max_attempts",
        "retention_days",
        "ocr_engine",
        "ocr_dpi",
        "ocr_languages",
        "rate_limit_per_minute",
        "max_memory_mb",
        "max_pixels",
    ):
        env[f"LEDGERLENS_{name.upper()}"] = str(getattr(settings, name))
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def add_tenant(sf: sessionmaker[Session], name: str = "acme") -> Tenant:
    with sf() as session:
        tenant, _ = get_or_create_tenant(session, name)
        session.commit()
        return tenant


def add_file(
    sf: sessionmaker[Session],
    blobs: BlobStore,
    tenant_id: str,
    data: bytes,
    *,
    doc_type: str = "other",
    created_at: datetime | None = None,
) -> StoredFile:
    digest = blobs.put(data)
    with sf() as session:
        row = StoredFile(
            id=new_uuid(),
            tenant_id=tenant_id,
            filename="doc.pdf",
            content_type="application/pdf",
            format="pdf",
            size=len(data),
            sha256=digest,
            page_count=None,
            type=doc_type,
            status="uploaded",
            created_at=created_at or utcnow(),
        )
        session.add(row)
        session.commit()
        return row


def add_job(
    sf: sessionmaker[Session],
    tenant_id: str,
    file_id: str,
    *,
    job_type: str = "auto",
    callback_url: str | None = None,
    password: str | None = None,
    batch_callback_url: str | None = None,
    created_at: datetime | None = None,
) -> int:
    with sf() as session:
        batch_id = None
        if batch_callback_url is not None:
            batch = Batch(
                id=new_numeric_id(), tenant_id=tenant_id, job_type=job_type, callback_url=batch_callback_url
            )
            session.add(batch)
            session.flush()
            batch_id = batch.id
        job = Job(
            id=new_numeric_id(),
            tenant_id=tenant_id,
            file_id=file_id,
            batch_id=batch_id,
            job_type=job_type,
            status="pending",
            progress=0,
            options_json=json.dumps({"password": password, "custom_schemas": []}),
            callback_url=callback_url,
            attempts=0,
            created_at=created_at or utcnow(),
            updated_at=utcnow(),
        )
        session.add(job)
        session.commit()
        return job.id


def get_job(sf: sessionmaker[Session], job_id: int) -> Job:
    with sf() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def claim_until_empty(
    settings: Settings, name: str, out: str, start: multiprocessing.synchronize.Barrier
) -> None:
    """Process body for claim races: claim jobs until the queue stays empty, write the ids to `out`."""
    sf = make_session_factory(make_engine(settings))
    queue.has_pending(sf)  # connected and warm before the race starts
    claimed: list[int] = []
    start.wait(60)
    misses = 0
    while misses < 3:
        job = queue.claim_next(sf, name)
        if job is None:
            misses += 1
            time.sleep(0.02)
            continue
        misses = 0
        claimed.append(job.id)
        # a worker runs the job before it claims again; without this pause one process can hold
        # SQLite's write lock back to back and starve the others on a busy machine
        time.sleep(0.002)
    Path(out).write_text(json.dumps(claimed))
