"""`ledgerlens serve` end to end over HTTP, with the embedded worker SIGKILLed mid-job.

Upload a scanned statement, start a job with a callback, kill the worker process while it OCRs,
and check that the supervisor restarts it, the job is reclaimed and completed exactly once (one
webhook, correctly signed), /metrics counts it, and SIGTERM stops the server and every child.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.jobs.ids import parse_prefixed_id
from ledgerlens.jobs.keys import create_key
from ledgerlens.jobs.models import Job, WebhookDelivery
from ledgerlens.jobs.tenants import get_or_create_tenant
from ledgerlens.migrations import upgrade
from tests.jobs.documents import scanned_pdf
from tests.jobs.factory import make_settings
from tests.jobs.procs import descendants_of, job_child_of, ledgerlens_process, wait_for, wait_gone, worker_pid
from tests.jobs.receiver import webhook_receiver

pytest.importorskip("ledgerlens.pipeline", reason="the extraction pipeline is not importable yet")
pytest.importorskip("ledgerlens.api.app", reason="the HTTP API is not importable yet")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_survives_sigkilled_worker_and_finishes_job_exactly_once(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "data",
        ocr_engine="tesseract",
        ocr_dpi=200,
        rate_limit_per_minute=0,
        webhook_allow_private=True,  # the receiver is on 127.0.0.1
    )
    upgrade(settings)
    sf = make_session_factory(make_engine(settings))
    with sf() as session:
        tenant, _ = get_or_create_tenant(session, "acme")
        _row, key = create_key(session, tenant, "test")
        secret = tenant.webhook_secret
        session.commit()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {key}"}
    args = ("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1")

    with (
        webhook_receiver([200]) as receiver,
        ledgerlens_process(settings, *args, log_path=tmp_path / "serve.log") as proc,
        httpx.Client(base_url=base + "/api/v1", headers=headers, timeout=30) as client,
    ):
        wait_for(lambda: _healthy(base), 60, "the server to answer /health")
        upload = client.post(
            "/files/upload", files={"files": ("scan.pdf", scanned_pdf(3, lines=15), "application/pdf")}
        )
        assert upload.status_code == 200, upload.text
        doc_id = upload.json()["data"]["files"][0]["doc_id"]
        started = client.post("/parse/statements", json={"document_id": doc_id, "callback_url": receiver.url})
        assert started.status_code in (200, 202), started.text
        job_ref = started.json()["data"]["job_id"]
        job_id = parse_prefixed_id(job_ref, "job")
        assert job_id is not None

        def status() -> dict[str, object]:
            r = client.get(f"/parse/{job_ref}")
            assert r.status_code == 200, r.text
            data: dict[str, object] = r.json()["data"]
            return data

        wait_for(lambda: status()["status"] == "processing", 60, "the job to be claimed")
        with sf() as session:
            running = session.get(Job, job_id)
            assert running is not None
            victim = worker_pid(running.worker_id)
        wait_for(lambda: job_child_of(victim) is not None, 30, "the job child to start")
        time.sleep(0.3)  # into the OCR of the first page
        assert status()["status"] == "processing"
        assert victim in [p.pid for p in descendants_of(proc.pid)], "the worker is a child of serve"
        orphans = descendants_of(victim)
        os.kill(victim, signal.SIGKILL)
        assert not wait_gone(orphans), "the killed worker's job child must not keep running"

        wait_for(lambda: status()["status"] in ("completed", "failed"), 120, "the reclaimed job to finish")
        final = status()
        assert final["status"] == "completed", final
        result = final["result"]
        assert isinstance(result, dict) and result["pages"] == 3
        assert final["progress"] == 100
        wait_for(lambda: len(receiver.requests) >= 1, 30, "the webhook")
        time.sleep(1.0)  # room for a duplicate to show up, if there were one

        metrics = httpx.get(base + "/metrics", timeout=10).text
        assert 'ledgerlens_jobs{job_type="bank_statement",status="completed"} 1.0' in metrics
        assert "ledgerlens_pages_processed_total 3.0" in metrics
        assert proc.poll() is None

        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        assert proc.returncode == 0

    with sf() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.attempts == 2
        assert worker_pid(job.worker_id) != victim
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
    assert len(receiver.requests) == 1
    (hook,) = receiver.requests
    expected = "sha256=" + hmac.new(secret.encode(), hook.body, hashlib.sha256).hexdigest()
    assert hook.headers["x-signature"] == expected
    payload = json.loads(hook.body)
    assert payload["event"] == "job.completed" and payload["job_id"] == job_ref
    assert payload["document_id"] == doc_id and payload["result"] == result
    log = (tmp_path / "serve.log").read_text()
    assert "restarting" in log and "reclaimed" in log


def _healthy(base: str) -> bool:
    try:
        return httpx.get(base + "/api/v1/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
