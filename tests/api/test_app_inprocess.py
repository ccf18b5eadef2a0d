"""`create_app(settings)` without uvicorn: apps are self-contained (no global state between them)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from ledgerlens.api.app import create_app
from ledgerlens.config import Settings
from ledgerlens.jobs import store
from ledgerlens.migrations import upgrade
from tests.api.documents import statement_pdf


@contextmanager
def _app(data_dir: Path, **overrides: object) -> Iterator[tuple[TestClient, str]]:
    settings = Settings(data_dir=data_dir, rate_limit_per_minute=0, **overrides)  # type: ignore[arg-type]
    upgrade(settings)
    app = create_app(settings)
    with app.state.ledgerlens.sessions() as session:
        tenant = store.ensure_tenant(session, "inproc")
        key, _ = store.create_api_key(session, tenant.id)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, key


def test_two_apps_with_their_own_settings_and_databases(tmp_path: Path) -> None:
    with (
        _app(tmp_path / "one", max_file_bytes=1000) as (one, key_one),
        _app(tmp_path / "two") as (two, key_two),
    ):
        pdf = statement_pdf(901)
        assert len(pdf) > 1000
        small = one.post(
            "/api/v1/files/upload",
            headers={"Authorization": f"Bearer {key_one}"},
            files=[("files", ("s.pdf", pdf))],
        )
        assert small.status_code == 413 and small.json()["error"]["code"] == "FILE_TOO_LARGE"
        ok = two.post(
            "/api/v1/files/upload",
            headers={"Authorization": f"Bearer {key_two}"},
            files=[("files", ("s.pdf", pdf))],
        )
        assert ok.status_code == 200, ok.text
        # Each app knows only its own keys.
        assert two.get("/api/v1/files", headers={"Authorization": f"Bearer {key_one}"}).status_code == 401
        assert one.get("/api/v1/files", headers={"Authorization": f"Bearer {key_two}"}).status_code == 401
        assert (tmp_path / "two" / "files").is_dir() and not (tmp_path / "one" / "files").exists()


def test_openapi_documents_bearer_auth_and_envelopes(tmp_path: Path) -> None:
    with _app(tmp_path) as (client, _key):
        spec = client.get("/openapi.json").json()
        assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
        upload = spec["paths"]["/api/v1/files/upload"]["post"]
        assert upload["security"] == [{"bearer": []}]
        assert "multipart/form-data" in upload["requestBody"]["content"]
        assert {"200", "207", "413", "415"} <= set(upload["responses"])
        assert "security" not in spec["paths"]["/api/v1/health"]["get"]
        parse = spec["paths"]["/api/v1/parse/statements"]["post"]["requestBody"]["content"]
        assert {"application/json", "multipart/form-data"} <= set(parse)
