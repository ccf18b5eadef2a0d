"""Retention: after `retention_days`, stored documents, results and webhook bodies are deleted.

Job rows stay (status, timings, page counts) so metrics and audits keep working; what goes is the
clients' money data: the original bytes, `result_json`, job options and sent webhook payloads.
Blobs are content-addressed and may be shared by several uploads, so a blob is removed only when no
live file still points at it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.models import Job, StoredFile, WebhookDelivery, utcnow
from ledgerlens.jobs.transactions import write_session

log = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class RetentionReport:
    files_deleted: int
    results_erased: int
    blobs_deleted: int
    webhooks_deleted: int


def purge_expired(
    session_factory: sessionmaker[Session],
    blobs: BlobStore,
    retention_days: int,
    now: datetime | None = None,
) -> RetentionReport:
    """Delete what is older than `retention_days` (no-op when it is 0 or less)."""
    if retention_days <= 0:
        return RetentionReport(0, 0, 0, 0)
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    files_deleted = results_erased = blobs_deleted = 0
    while True:
        with write_session(session_factory) as session:
            busy = select(Job.file_id).where(Job.status.in_(("pending", "processing")))
            rows = session.execute(
                select(StoredFile.id, StoredFile.sha256)
                .where(
                    StoredFile.created_at < cutoff,
                    StoredFile.status != "deleted",
                    StoredFile.id.not_in(busy),
                )
                .limit(BATCH_SIZE)
            ).all()
            if not rows:
                break
            ids = [r.id for r in rows]
            stamp = utcnow()
            session.execute(
                update(StoredFile)
                .where(StoredFile.id.in_(ids))
                .values(status="deleted", deleted_at=stamp)
                .execution_options(synchronize_session=False)
            )
            files_deleted += len(ids)
            digests = {r.sha256 for r in rows}
            still_used = set(
                session.scalars(
                    select(StoredFile.sha256).where(
                        StoredFile.sha256.in_(digests), StoredFile.status != "deleted"
                    )
                )
            )
        for digest in digests - still_used:
            try:
                blobs.delete(digest)
                blobs_deleted += 1
            except (OSError, ValueError):
                log.exception("retention: could not delete blob %s", digest)
    with write_session(session_factory) as session:
        res = session.execute(
            update(Job)
            .where(
                Job.status.in_(("completed", "failed")),
                Job.created_at < cutoff,
                (Job.result_json.is_not(None)) | (Job.options_json.is_not(None)),
            )
            .values(result_json=None, options_json=None)
            .execution_options(synchronize_session=False)
        )
        results_erased = int(getattr(res, "rowcount", 0) or 0)
        res = session.execute(
            delete(WebhookDelivery)
            .where(WebhookDelivery.created_at < cutoff, WebhookDelivery.status != "pending")
            .execution_options(synchronize_session=False)
        )
        webhooks_deleted = int(getattr(res, "rowcount", 0) or 0)
    report = RetentionReport(files_deleted, results_erased, blobs_deleted, webhooks_deleted)
    if files_deleted or results_erased or webhooks_deleted:
        log.info("retention: %s", report)
    return report


class RetentionLoop:
    """Runs `purge_expired` now and then every `interval_seconds` in a background thread."""

    def __init__(
        self, session_factory: sessionmaker[Session], settings: Settings, interval_seconds: float = 3600.0
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.interval_seconds = interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.settings.retention_days <= 0:
            return
        self._thread = threading.Thread(target=self.run, name="retention", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        blobs = BlobStore(self.settings.files_dir)
        while not self._stop.is_set():
            try:
                purge_expired(self.session_factory, blobs, self.settings.retention_days)
            except Exception:
                log.exception("retention pass failed")
            self._stop.wait(self.interval_seconds)
