"""End to end through the embedded workers: upload → job → poll → result (real extraction)."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.api.conftest import assert_error, upload_one, wait_for_job
from tests.api.documents import invoice_pdf, statement_pdf
from tests.api.live import LiveServer


@pytest.fixture(autouse=True)
def _needs_workers(live_server: LiveServer) -> None:
    if not live_server.has_workers:
        pytest.skip("`ledgerlens serve` with embedded workers is not available")


def _assert_statement(result: dict[str, Any]) -> None:
    assert result["document_type"] == "bank_statement"
    info = result["account_info"]
    assert info["opening_balance"] == "1520.35"
    assert info["closing_balance"] == "2113.93"
    txs = result["transactions"]
    assert [t["amount"] for t in txs] == ["-513.58", "2352.26", "-1200.00", "-45.10"]
    assert [t["type"] for t in txs] == ["debit", "credit", "debit", "debit"]
    assert txs[0]["date"] == "2025-03-03" and txs[-1]["date"] == "2025-03-20"
    for t in txs:
        Decimal(t["amount"])  # decimal strings, never floats
        assert isinstance(t["amount"], str) and t["page"] == 1
        assert len(t["bbox"]) == 4 and all(0 <= v <= 1 for v in t["bbox"])
    assert result["validation"]["reconciled"] is True


def test_unofficial_client_statement_flow(live_server: LiveServer) -> None:
    """Only the public API shape, as a third-party Invaro client would use it."""
    base = live_server.base_url + "/api/v1"
    headers = {"Authorization": f"Bearer {live_server.key_a}"}
    with httpx.Client(timeout=30) as http:
        up = http.post(
            f"{base}/files/upload",
            headers=headers,
            files=[("files", ("statement.pdf", statement_pdf(701), "application/pdf"))],
        )
        assert up.status_code == 200 and up.json()["success"] is True
        doc_id = up.json()["data"]["files"][0]["doc_id"]
        created = http.post(f"{base}/parse/statements", headers=headers, json={"document_id": doc_id})
        assert created.status_code in (200, 202)
        job_id = created.json()["data"]["job_id"]
        deadline = time.monotonic() + 60
        while True:
            polled = http.get(f"{base}/parse/statements/{job_id}", headers=headers).json()
            assert polled["success"] is True
            if polled["data"]["status"] in ("completed", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.25)
    data = polled["data"]
    assert data["status"] == "completed", data
    assert data["progress"] == 100
    _assert_statement(data["results"])


def test_result_appears_as_processed_data_and_file_status(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "s.pdf", statement_pdf(702))
    job = client_a.post("/parse/statements", json={"document_id": doc}).json()["data"]["job_id"]
    data = wait_for_job(client_a, job, "/parse/statements", timeout=60)
    assert data["status"] == "completed", data
    f = client_a.get(f"/files/{doc}").json()["data"]
    assert f["status"] == "completed" and f["completed_at"]
    assert f["processed_data"] == data["results"]
    generic = client_a.get(f"/parse/{job}").json()["data"]
    assert generic["result"] == data["results"]


def test_auto_job_routes_by_detected_type(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "i.pdf", invoice_pdf("INV-F-1"))
    created = client_a.post("/parse", json={"document_id": doc}).json()["data"]
    assert created["type"] == "auto"
    data = wait_for_job(client_a, created["job_id"], timeout=60)
    assert data["status"] == "completed", data
    result = data["result"]
    assert result["document_type"] == "invoice"
    assert result["invoice_number"] == "INV-F-1"
    assert result["total"] == "235.62"
    assert client_a.get(f"/parse/invoices/{created['job_id']}").status_code == 200
    assert_error(client_a.get(f"/parse/statements/{created['job_id']}"), 404, "NOT_FOUND")


def test_encrypted_pdf_needs_its_password(client_a: httpx.Client) -> None:
    up = client_a.post(
        "/files/upload", files=[("files", ("locked.pdf", statement_pdf(703, encrypt_password="s3cret")))]
    )
    assert up.status_code == 200, up.text
    entry = up.json()["data"]["files"][0]
    assert entry["validation"]["format"] == "pdf"
    doc = entry["doc_id"]
    no_pw = client_a.post("/parse/statements", json={"document_id": doc}).json()["data"]["job_id"]
    wrong = client_a.post("/parse/statements", json={"document_id": doc, "password": "nope"}).json()["data"][
        "job_id"
    ]
    right = client_a.post("/parse/statements", json={"document_id": doc, "password": "s3cret"}).json()[
        "data"
    ]["job_id"]
    for job in (no_pw, wrong):
        data = wait_for_job(client_a, job, "/parse/statements", timeout=60)
        assert data["status"] == "failed"
        assert data["error"]["code"] == "PASSWORD_REQUIRED"
        assert data["results"] is None
    done = wait_for_job(client_a, right, "/parse/statements", timeout=60)
    assert done["status"] == "completed", done
    _assert_statement(done["results"])


def test_batch_completes_with_counts(client_a: httpx.Client) -> None:
    docs = [upload_one(client_a, f"b{i}.pdf", statement_pdf(710 + i)) for i in range(2)]
    batch = client_a.post(
        "/parse/statements/batch", json={"files": [{"document_id": d} for d in docs]}
    ).json()["data"]
    for job in batch["job_ids"]:
        assert wait_for_job(client_a, job, "/parse/statements", timeout=60)["status"] == "completed"
    got = client_a.get(f"/parse/batch/{batch['batch_id']}").json()["data"]
    assert got["status"] == "completed"
    assert got["counts"]["completed"] == 2 and got["counts"]["total"] == 2
