"""`ledgerlens db upgrade`, `keys ...` and `tenants ...` against a real SQLite database."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ledgerlens.cli import app
from ledgerlens.config import get_settings
from ledgerlens.jobs.keys import hash_key
from ledgerlens.jobs.models import ApiKey, Tenant

runner = CliRunner()


def _db(data_dir: Path) -> Session:
    return Session(create_engine(f"sqlite:///{data_dir / 'ledgerlens.db'}"))


def test_db_upgrade_creates_schema_and_is_idempotent(data_dir: Path) -> None:
    for _ in range(2):
        result = runner.invoke(app, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
    tables = set(inspect(create_engine(f"sqlite:///{data_dir / 'ledgerlens.db'}")).get_table_names())
    assert {"tenants", "api_keys", "files", "jobs", "batches", "schemas", "webhook_deliveries"} <= tables


def test_keys_create_list_revoke(data_dir: Path) -> None:
    created = runner.invoke(app, ["keys", "create", "--tenant", "acme", "--label", "erp", "--json"])
    assert created.exit_code == 0, created.output
    info = json.loads(created.stdout)
    key = info["key"]
    assert key.startswith("ll_") and len(key) > 40
    assert info["tenant_created"] is True and info["webhook_secret"].startswith("whsec_")

    with _db(data_dir) as session:
        row = session.get(ApiKey, info["key_id"])
        assert row is not None
        assert row.key_hash == hash_key(key)
        assert key not in {row.key_hash, row.prefix, row.label}, "the key itself is never stored"
        tenant = session.get(Tenant, row.tenant_id)
        assert (
            tenant is not None and tenant.name == "acme" and tenant.webhook_secret == info["webhook_secret"]
        )

    second = runner.invoke(app, ["keys", "create", "--tenant", "acme", "--json"])
    second_info = json.loads(second.stdout)
    assert second_info["tenant_created"] is False and "webhook_secret" not in second_info
    assert second_info["tenant_id"] == info["tenant_id"] and second_info["key"] != key

    listed = runner.invoke(app, ["keys", "list", "--json"])
    rows = json.loads(listed.stdout)
    assert {r["id"] for r in rows} == {info["key_id"], second_info["key_id"]}
    assert all(key not in json.dumps(r) for r in rows)
    assert {r["label"] for r in rows} == {"erp", None}
    human = runner.invoke(app, ["keys", "list"])
    assert info["key_id"] in human.stdout and "active" in human.stdout and key not in human.stdout

    revoked = runner.invoke(app, ["keys", "revoke", info["key_id"]])
    assert revoked.exit_code == 0
    again = runner.invoke(app, ["keys", "revoke", info["key_id"]])
    assert again.exit_code == 1
    unknown = runner.invoke(app, ["keys", "revoke", "no-such-key"])
    assert unknown.exit_code == 1
    rows = {r["id"]: r for r in json.loads(runner.invoke(app, ["keys", "list", "--json"]).stdout)}
    assert rows[info["key_id"]]["revoked_at"] is not None
    assert rows[second_info["key_id"]]["revoked_at"] is None


def test_empty_tenant_name_is_refused(data_dir: Path) -> None:
    result = runner.invoke(app, ["keys", "create", "--tenant", "  "])
    assert result.exit_code == 2


def test_ensure_local_is_idempotent_and_private(data_dir: Path) -> None:
    first = runner.invoke(app, ["keys", "ensure-local"])
    assert first.exit_code == 0, first.output
    key = first.stdout.strip()
    key_file = data_dir / "local-api-key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    second = runner.invoke(app, ["keys", "ensure-local"])
    assert second.stdout.strip() == key
    with _db(data_dir) as session:
        assert len(session.scalars(select(ApiKey)).all()) == 1
        tenant = session.scalars(select(Tenant)).one()
        assert tenant.name == "local"

    # a revoked local key is replaced, not printed
    key_id = json.loads(runner.invoke(app, ["keys", "list", "--json"]).stdout)[0]["id"]
    runner.invoke(app, ["keys", "revoke", key_id])
    third = runner.invoke(app, ["keys", "ensure-local"])
    new_key = third.stdout.strip()
    assert new_key != key and key_file.read_text().strip() == new_key
    with _db(data_dir) as session:
        assert len(session.scalars(select(Tenant)).all()) == 1


def test_ensure_local_honours_local_key_file(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "elsewhere" / "key.txt"
    monkeypatch.setenv("LEDGERLENS_LOCAL_KEY_FILE", str(target))
    get_settings.cache_clear()
    result = runner.invoke(app, ["keys", "ensure-local"])
    assert result.exit_code == 0
    assert target.read_text().strip() == result.stdout.strip()
    assert not (data_dir / "local-api-key").exists()


def test_tenant_secret_show_and_rotate(data_dir: Path) -> None:
    info = json.loads(runner.invoke(app, ["keys", "create", "--tenant", "acme", "--json"]).stdout)
    shown = runner.invoke(app, ["tenants", "secret", "acme"])
    assert shown.stdout.strip() == info["webhook_secret"]
    rotated = runner.invoke(app, ["tenants", "secret", "acme", "--rotate"])
    assert rotated.exit_code == 0 and rotated.stdout.strip() != info["webhook_secret"]
    assert runner.invoke(app, ["tenants", "secret", "acme"]).stdout.strip() == rotated.stdout.strip()
    assert runner.invoke(app, ["tenants", "secret", "nobody"]).exit_code == 1
    names = [t["name"] for t in json.loads(runner.invoke(app, ["tenants", "list", "--json"]).stdout)]
    assert names == ["acme"]
