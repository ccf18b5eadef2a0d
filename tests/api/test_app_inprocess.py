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


def test_deleting_a_document_fails_its_pending_jobs_and_notifies(tmp_path: Path) -> None:
    """No workers in-process, so the job is still pending when its document is deleted."""
    from sqlalchemy import select

    from ledgerlens.jobs.models import WebhookDelivery

    with _app(tmp_path) as (client, key):
        auth = {"Authorization": f"Bearer {key}"}
        up = client.post(
            "/api/v1/files/upload", headers=auth, files=[("files", ("s.pdf", statement_pdf(902)))]
        )
        doc = up.json()["data"]["files"][0]["doc_id"]
        job = client.post(
            "/api/v1/parse/statements",
            headers=auth,
            json={"document_id": doc, "callback_url": "https://example.com/hook"},
        ).json()["data"]["job_id"]
        assert client.delete(f"/api/v1/files/{doc}", headers=auth).status_code == 200
        data = client.get(f"/api/v1/parse/statements/{job}", headers=auth).json()["data"]
        assert data["status"] == "failed"
        assert data["error"]["code"] == "GONE"
        with client.app.state.ledgerlens.sessions() as session:  # type: ignore[attr-defined]
            deliveries = session.scalars(select(WebhookDelivery)).all()
        assert [d.url for d in deliveries] == ["https://example.com/hook"]
        assert '"job.failed"' in deliveries[0].payload
