"""Prometheus metrics computed from the database at scrape time.

Workers are separate processes (and may run on other hosts), so in-process counters would only see
the API process. The jobs table already records everything worth counting (status, timings, pages),
so each scrape aggregates it with a few indexed queries; the numbers are the same whichever process
answers `/metrics`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.jobs.models import Job, StoredFile, WebhookDelivery

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PROCESSING_BUCKETS: tuple[float, ...] = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600)
JOB_STATUSES = ("pending", "processing", "completed", "failed")


class DatabaseCollector(Collector):
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily | HistogramMetricFamily]:
        with self.session_factory() as session:
            yield from self._jobs(session)
            yield from self._processing(session)
            yield from self._other(session)

    def _jobs(self, session: Session) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        jobs = GaugeMetricFamily("ledgerlens_jobs", "Jobs by status and type.", labels=["status", "job_type"])
        counts: dict[tuple[str, str], int] = {}
        for status, job_type, n in session.execute(
            select(Job.status, Job.job_type, func.count()).group_by(Job.status, Job.job_type)
        ):
            counts[(status, job_type)] = n
        for status in JOB_STATUSES:
            if not any(s == status for s, _t in counts):
                counts[(status, "auto")] = 0
        for (status, job_type), n in sorted(counts.items()):
            jobs.add_metric([status, job_type], n)
        yield jobs

        failures = CounterMetricFamily(
            "ledgerlens_job_failures", "Failed jobs by error code.", labels=["code"]
        )
        for code, n in session.execute(
            select(Job.error_code, func.count()).where(Job.status == "failed").group_by(Job.error_code)
        ):
            failures.add_metric([code or "UNKNOWN"], n)
        yield failures

        oldest = session.scalar(select(func.min(Job.created_at)).where(Job.status == "pending"))
        age = GaugeMetricFamily(
            "ledgerlens_queue_oldest_pending_seconds", "Age of the oldest pending job (0 when none)."
        )
        if oldest is not None:
            created = oldest.replace(tzinfo=UTC) if oldest.tzinfo is None else oldest
            age.add_metric([], max(0.0, (datetime.now(UTC) - created).total_seconds()))
        else:
            age.add_metric([], 0.0)
        yield age

        busy = GaugeMetricFamily("ledgerlens_workers_busy", "Distinct workers holding a job right now.")
        busy.add_metric(
            [],
            session.scalar(select(func.count(func.distinct(Job.worker_id))).where(Job.status == "processing"))
            or 0,
        )
        yield busy

    def _processing(self, session: Session) -> Iterator[HistogramMetricFamily | CounterMetricFamily]:
        done = (Job.status == "completed") & Job.processing_seconds.is_not(None)
        columns = [
            func.sum(case((Job.processing_seconds <= bound, 1), else_=0)) for bound in PROCESSING_BUCKETS
        ]
        row = session.execute(
            select(func.count(), func.coalesce(func.sum(Job.processing_seconds), 0.0), *columns).where(done)
        ).one()
        count, total = int(row[0] or 0), float(row[1] or 0.0)
        buckets: list[tuple[str, float]] = [
            (_le(bound), float(row[2 + i] or 0)) for i, bound in enumerate(PROCESSING_BUCKETS)
        ]
        buckets.append(("+Inf", float(count)))
        histogram = HistogramMetricFamily(
            "ledgerlens_job_processing_seconds",
            "Processing time of completed jobs (seconds).",
            buckets=buckets,
            sum_value=total,
        )
        yield histogram

        pages = CounterMetricFamily("ledgerlens_pages_processed", "Pages of completed jobs.")
        pages.add_metric(
            [],
            float(
                session.scalar(select(func.coalesce(func.sum(Job.pages), 0)).where(Job.status == "completed"))
            ),
        )
        yield pages

    def _other(self, session: Session) -> Iterator[GaugeMetricFamily]:
        files = GaugeMetricFamily("ledgerlens_files", "Stored files by status.", labels=["status"])
        for status, n in session.execute(select(StoredFile.status, func.count()).group_by(StoredFile.status)):
            files.add_metric([status], n)
        yield files
        hooks = GaugeMetricFamily(
            "ledgerlens_webhook_deliveries", "Webhook deliveries by status.", labels=["status"]
        )
        for status, n in session.execute(
            select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
        ):
            hooks.add_metric([status], n)
        yield hooks


def _le(bound: float) -> str:
    return str(float(bound))


def render_metrics(session_factory: sessionmaker[Session]) -> bytes:
    """Prometheus text exposition (serve with `CONTENT_TYPE`)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(session_factory))
    return bytes(generate_latest(registry))
