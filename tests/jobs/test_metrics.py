"""Metrics are aggregated from the jobs table, so they count work done by any worker process."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.errors import ErrorCode
from ledgerlens.jobs import queue
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.metrics import CONTENT_TYPE, render_metrics
from tests.jobs.factory import add_file, add_job, add_tenant


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_metrics_reflect_jobs_in_the_database(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore
) -> None:
    assert CONTENT_TYPE.startswith("text/plain; version=0.0.4")
    empty = _samples(render_metrics(sf).decode())
    assert empty[("ledgerlens_job_processing_seconds_count", ())] == 0
    assert empty[("ledgerlens_jobs", (("job_type", "auto"), ("status", "pending")))] == 0

    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 m")
    for seconds, pages in ((0.3, 2), (4.0, 5)):
        job_id = add_job(sf, tenant.id, file.id, job_type="invoice")
        claimed = queue.claim_next(sf, "w")
        assert claimed is not None and claimed.id == job_id
        assert queue.complete(sf, job_id, claimed.lease_token, {}, processing_seconds=seconds, pages=pages)
    failed_id = add_job(sf, tenant.id, file.id, job_type="bank_statement")
    claimed = queue.claim_next(sf, "w")
    assert claimed is not None and claimed.id == failed_id
    assert queue.fail(sf, failed_id, claimed.lease_token, ErrorCode.TIMEOUT, "slow")
    add_job(sf, tenant.id, file.id)

    s = _samples(render_metrics(sf).decode())
    assert s[("ledgerlens_jobs", (("job_type", "invoice"), ("status", "completed")))] == 2
    assert s[("ledgerlens_jobs", (("job_type", "bank_statement"), ("status", "failed")))] == 1
    assert s[("ledgerlens_jobs", (("job_type", "auto"), ("status", "pending")))] == 1
    assert s[("ledgerlens_job_failures_total", (("code", "TIMEOUT"),))] == 1
    assert s[("ledgerlens_pages_processed_total", ())] == 7
    assert s[("ledgerlens_job_processing_seconds_count", ())] == 2
    assert abs(s[("ledgerlens_job_processing_seconds_sum", ())] - 4.3) < 1e-9
    assert s[("ledgerlens_job_processing_seconds_bucket", (("le", "0.5"),))] == 1
    assert s[("ledgerlens_job_processing_seconds_bucket", (("le", "5.0"),))] == 2
    assert s[("ledgerlens_job_processing_seconds_bucket", (("le", "+Inf"),))] == 2
    assert s[("ledgerlens_queue_oldest_pending_seconds", ())] >= 0
