"""The data layer on a real PostgreSQL server: migrations, atomic claims across processes, leases.

Runs when a server answers at LEDGERLENS_TEST_PG_URL (default: the local trust-auth server at
127.0.0.1:5432); each test gets a fresh database that is dropped afterwards. Skips cleanly otherwise.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.errors import ErrorCode
from ledgerlens.jobs import queue
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.migrations import upgrade
from tests.jobs.factory import add_file, add_job, add_tenant, claim_until_empty, get_job, make_settings

ADMIN_URL = os.environ.get("LEDGERLENS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _admin_engine() -> Engine:
    pytest.importorskip("psycopg")
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure means: no server here
        engine.dispose()
        pytest.skip(f"no PostgreSQL at {ADMIN_URL}: {type(exc).__name__}")
    return engine


@pytest.fixture
def pg_settings(tmp_path: Path) -> Iterator[Settings]:
    admin = _admin_engine()
    name = f"ledgerlens_test_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    settings = make_settings(tmp_path / "data", database_url=url)
    try:
        yield settings
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_create_every_table_on_postgres(pg_settings: Settings) -> None:
    upgrade(pg_settings)
    engine = make_engine(pg_settings)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"tenants", "api_keys", "files", "jobs", "batches", "schemas", "webhook_deliveries"} <= tables


def test_processes_claim_each_job_exactly_once_on_postgres(pg_settings: Settings, tmp_path: Path) -> None:
    upgrade(pg_settings)
    sf: sessionmaker[Session] = make_session_factory(make_engine(pg_settings))
    blobs = BlobStore(pg_settings.files_dir)
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 test")
    ids = {add_job(sf, tenant.id, file.id) for _ in range(60)}
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(3)
    outs = [tmp_path / f"claimer{i}.json" for i in range(2)]
    procs = [
        ctx.Process(target=claim_until_empty, args=(pg_settings, f"pg-claimer-{i}", str(out), start))
        for i, out in enumerate(outs)
    ]
    for p in procs:
        p.start()
    start.wait(60)
    for p in procs:
        p.join(90)
        assert p.exitcode == 0
    claimed = [job_id for out in outs for job_id in json.loads(out.read_text())]
    assert sorted(claimed) == sorted(ids)  # every job claimed, none twice


def test_lease_guards_completion_on_postgres(pg_settings: Settings) -> None:
    upgrade(pg_settings)
    sf: sessionmaker[Session] = make_session_factory(make_engine(pg_settings))
    blobs = BlobStore(pg_settings.files_dir)
    tenant = add_tenant(sf)
    file = add_file(sf, blobs, tenant.id, b"%PDF-1.4 test")
    job_id = add_job(sf, tenant.id, file.id)
    claimed = queue.claim_next(sf, "w1")
    assert claimed is not None and claimed.id == job_id
    assert not queue.complete(sf, job_id, "not-the-lease", {"x": 1}, processing_seconds=0.1, pages=1)
    assert queue.complete(
        sf, job_id, claimed.lease_token, {"document_type": "other"}, processing_seconds=0.1, pages=1
    )
    assert not queue.fail(sf, job_id, claimed.lease_token, ErrorCode.TIMEOUT, "late")  # already ended
    job = get_job(sf, job_id)
    assert job.status == "completed" and json.loads(job.result_json or "{}") == {"document_type": "other"}
