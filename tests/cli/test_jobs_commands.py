"""Operator commands on the queue: `jobs stats`, `jobs reclaim`, `jobs purge`."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledgerlens.cli import app
from ledgerlens.config import get_settings
from ledgerlens.jobs import queue
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.jobs.models import utcnow
from ledgerlens.migrations import upgrade
from tests.jobs.factory import add_file, add_job, add_tenant, get_job

runner = CliRunner()


def test_stats_reclaim_and_purge(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGERLENS_STALE_AFTER_SECONDS", "0.5")
    get_settings.cache_clear()
    settings = get_settings()
    assert runner.invoke(app, ["jobs", "stats"]).exit_code == 2, "refuses a database without tables"
    upgrade(settings)
    sf = make_session_factory(make_engine(settings))
    blobs = BlobStore(settings.files_dir)
    tenant = add_tenant(sf)
    old = add_file(sf, blobs, tenant.id, b"%PDF-1.4 old", created_at=utcnow() - timedelta(days=10))
    fresh = add_file(sf, blobs, tenant.id, b"%PDF-1.4 fresh")
    stuck = add_job(sf, tenant.id, fresh.id)
    add_job(sf, tenant.id, fresh.id)
    assert queue.claim_next(sf, "gone-worker") is not None

    stats = json.loads(runner.invoke(app, ["jobs", "stats", "--json"]).stdout)
    assert stats["jobs"] == {"pending": 1, "processing": 1, "completed": 0, "failed": 0}
    assert stats["oldest_pending_created_at"] is not None
    assert "pending=1" in runner.invoke(app, ["jobs", "stats"]).stdout

    time.sleep(0.7)
    reclaimed = runner.invoke(app, ["jobs", "reclaim"])
    assert reclaimed.stdout.strip() == "requeued 1, failed 0"
    assert get_job(sf, stuck).status == "pending"

    off = runner.invoke(app, ["jobs", "purge"])
    assert off.exit_code == 2, "retention off and no --days: nothing is deleted"
    purged = runner.invoke(app, ["jobs", "purge", "--days", "7"])
    assert purged.exit_code == 0, purged.output
    assert json.loads(purged.stdout)["files_deleted"] == 1
    assert not blobs.exists(old.sha256) and blobs.exists(fresh.sha256)
