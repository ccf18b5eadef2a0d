"""Active schema names are unique per tenant in the database itself (revision 0002), so concurrent
creates of one name answer one 201 and one 409 SCHEMA_EXISTS even from two server processes."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, insert, select
from sqlalchemy.exc import IntegrityError

from ledgerlens.config import Settings
from ledgerlens.jobs.models import Base, CustomSchema, Tenant
from ledgerlens.migrations import alembic_config, upgrade
from tests.api.live import LiveServer, start_live_server
from tests.api_extras.helpers import assert_error

ROUNDS = 10


def _row(tenant_id: str, name: str, *, active: bool, at: datetime) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "tenant_id": tenant_id,
        "name": name,
        "type": "invoice",
        "description": None,
        "schema_json": '{"fields":[{"name":"po"}]}',
        "version": 1,
        "is_active": active,
        "created_at": at,
        "updated_at": at,
    }


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    upgrade(settings)
    engine = create_engine(settings.resolved_database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"render_as_batch": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_keeps_the_oldest_of_duplicate_active_names_and_enforces_uniqueness(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    upgrade(settings, "0001")
    engine = create_engine(settings.resolved_database_url)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        with engine.begin() as conn:
            conn.execute(insert(Tenant).values(id="t1", name="one", webhook_secret="s", created_at=t0))
            conn.execute(insert(Tenant).values(id="t2", name="two", webhook_secret="s", created_at=t0))
            rows = [
                _row("t1", "dup", active=True, at=t0 + timedelta(seconds=2)),
                _row("t1", "dup", active=True, at=t0),  # oldest: stays active
                _row("t1", "dup", active=True, at=t0 + timedelta(seconds=1)),
                _row("t1", "dup", active=False, at=t0 - timedelta(seconds=1)),
                _row("t2", "dup", active=True, at=t0 + timedelta(seconds=5)),  # other tenant
            ]
            conn.execute(insert(CustomSchema), rows)
        upgrade(settings)
        with engine.connect() as conn:
            active = conn.execute(
                select(CustomSchema.tenant_id, CustomSchema.id).where(CustomSchema.is_active.is_(True))
            ).all()
        assert sorted(active) == sorted([("t1", str(rows[1]["id"])), ("t2", str(rows[4]["id"]))])
        # The index refuses a second active name but allows inactive copies and other tenants' names.
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(CustomSchema).values(**_row("t1", "dup", active=True, at=t0)))
        with engine.begin() as conn:
            conn.execute(insert(CustomSchema).values(**_row("t1", "dup", active=False, at=t0)))
            conn.execute(insert(CustomSchema).values(**_row("t1", "other", active=True, at=t0)))
        command.downgrade(alembic_config(settings), "0001")
        with engine.begin() as conn:  # without the index, duplicates are accepted again
            conn.execute(insert(CustomSchema).values(**_row("t1", "dup", active=True, at=t0)))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def second_server(server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Another server process on the same database as `server` (its own keys are not used)."""
    env = {"LEDGERLENS_DATA_DIR": str(server.data_dir), "LEDGERLENS_RATE_LIMIT_PER_MINUTE": "0"}
    with start_live_server(tmp_path_factory.mktemp("second"), env=env, workers=0) as live:
        yield live


def _race(urls: list[str], body: dict[str, object], headers: dict[str, str]) -> list[httpx.Response]:
    """POST `body` to every url at the same moment (one thread and connection each)."""
    barrier = threading.Barrier(len(urls))
    responses: list[httpx.Response] = []
    lock = threading.Lock()

    def create(url: str) -> None:
        with httpx.Client(timeout=30) as client:
            client.get(url.replace("/schemas", "/health"))  # connection open before the race
            barrier.wait()
            response = client.post(url, json=body, headers=headers)
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=create, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def test_concurrent_creates_of_one_name_in_two_processes(
    server: LiveServer, second_server: LiveServer
) -> None:
    headers = server.auth(server.key_a)
    urls = [server.url("/schemas"), second_server.url("/schemas")]
    for round_no in range(ROUNDS):
        name = f"race-{round_no}-{uuid.uuid4().hex[:6]}"
        body = {"name": name, "type": "invoice", "schema_string": {"fields": ["po_number"]}}
        # Alternate: the two processes, then two threads of one process.
        responses = _race(urls if round_no % 2 == 0 else [urls[0], urls[0]], body, headers)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201, 409], [r.text for r in responses]
        loser = next(r for r in responses if r.status_code == 409)
        winner = next(r for r in responses if r.status_code == 201)
        error = assert_error(loser, 409, "SCHEMA_EXISTS")
        assert error["details"] == f"id {winner.json()['data']['id']}"
    with server.client(server.key_a) as client:
        listed = client.get("/schemas/list", params={"limit": 100}).json()["data"]["schemas"]
    names = [s["name"] for s in listed if s["name"].startswith("race-")]
    assert len(names) == len(set(names)) == ROUNDS
