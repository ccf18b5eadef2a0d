"""Retention: old documents, results and sent webhook bodies are deleted; recent ones stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.jobs import queue
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.models import Job, StoredFile, WebhookDelivery, utcnow
from ledgerlens.jobs.retention import purge_expired
from tests.jobs.factory import add_file, add_job, add_tenant, get_job


def _finish(sf: sessionmaker[Session], job_id: int) -> None:
    claimed = queue.claim_next(sf, "w")
    assert claimed is not None and claimed.id == job_id
    assert queue.complete(
        sf,
        job_id,
        claimed.lease_token,
        {"document_type": "other", "text": "IBAN"},
        processing_seconds=1,
        pages=1,
    )


def test_retention_deletes_old_files_results_and_webhooks(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    tenant = add_tenant(sf)
    old_time = utcnow() - timedelta(days=40)
    old = add_file(sf, blobs, tenant.id, b"%PDF-1.4 old statement", created_at=old_time)
    shared_old = add_file(sf, blobs, tenant.id, b"%PDF-1.4 shared", created_at=old_time)
    shared_new = add_file(sf, blobs, tenant.id, b"%PDF-1.4 shared")
    new = add_file(sf, blobs, tenant.id, b"%PDF-1.4 new statement")
    old_job = add_job(sf, tenant.id, old.id, created_at=old_time, callback_url="http://127.0.0.1:9/x")
    _finish(sf, old_job)
    new_job = add_job(sf, tenant.id, new.id)
    _finish(sf, new_job)
    busy_old = add_file(sf, blobs, tenant.id, b"%PDF-1.4 still queued", created_at=old_time)
    add_job(sf, tenant.id, busy_old.id, created_at=utcnow())
    with sf() as session:
        for d in session.scalars(select(WebhookDelivery)):
            d.status = "failed"
            d.created_at = old_time
        session.commit()

    assert purge_expired(sf, blobs, 0).files_deleted == 0, "retention_days=0 keeps everything"
    report = purge_expired(sf, blobs, 30)
    assert report.files_deleted == 2
    assert report.results_erased == 1
    assert report.webhooks_deleted == 1

    with sf() as session:
        status = {f.id: f.status for f in session.scalars(select(StoredFile))}
    assert status[old.id] == status[shared_old.id] == "deleted"
    assert status[new.id] == "completed" and status[shared_new.id] == "uploaded"
    assert status[busy_old.id] == "uploaded", "a file with a queued job is kept until the job ends"
    assert not blobs.exists(old.sha256)
    assert blobs.exists(shared_new.sha256), "a blob still used by a recent upload is kept"
    assert blobs.exists(new.sha256)
    kept = get_job(sf, old_job)
    assert kept.status == "completed" and kept.result_json is None and kept.options_json is None
    assert kept.pages == 1, "job rows stay for metrics and audit"
    assert get_job(sf, new_job).result_json is not None
    with sf() as session:
        assert session.scalars(select(WebhookDelivery)).all() == []
        assert len(session.scalars(select(Job)).all()) == 3
    # idempotent
    assert purge_expired(sf, blobs, 30).files_deleted == 0
