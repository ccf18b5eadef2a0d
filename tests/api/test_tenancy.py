"""Tenant isolation on every endpoint: another tenant's ids behave exactly like unknown ids."""

from __future__ import annotations

import httpx

from tests.api.conftest import assert_error, upload_one
from tests.api.documents import invoice_pdf, statement_pdf


def test_every_endpoint_hides_other_tenants_objects(client_a: httpx.Client, client_b: httpx.Client) -> None:
    doc_a = upload_one(client_a, "a-secret.pdf", statement_pdf(501))
    inv_a = upload_one(client_a, "a-inv.pdf", invoice_pdf("INV-A-1"))
    st_job = client_a.post("/parse/statements", json={"document_id": doc_a}).json()["data"]["job_id"]
    inv_job = client_a.post("/parse/invoices", json={"document_id": inv_a}).json()["data"]["job_id"]
    auto_job = client_a.post("/parse", json={"document_id": doc_a}).json()["data"]["job_id"]
    batch = client_a.post("/parse/batch", json={"files": [{"document_id": doc_a}]}).json()["data"]["batch_id"]

    # Tenant B: every read, write and reference of A's objects is NOT_FOUND.
    attempts = [
        client_b.get(f"/files/{doc_a}"),
        client_b.get(f"/files/{doc_a}/download"),
        client_b.delete(f"/files/{doc_a}"),
        client_b.post("/parse/statements", json={"document_id": doc_a}),
        client_b.post("/parse/invoices", json={"document_id": inv_a}),
        client_b.post("/parse", json={"document_id": doc_a}),
        client_b.post("/parse/statements/batch", json={"files": [{"document_id": doc_a}]}),
        client_b.post("/parse/invoices/batch", json={"files": [{"document_id": inv_a}]}),
        client_b.post("/parse/batch", json={"files": [{"document_id": doc_a}]}),
        client_b.get(f"/parse/statements/{st_job}"),
        client_b.get(f"/parse/invoices/{inv_job}"),
        client_b.get(f"/parse/{st_job}"),
        client_b.get(f"/parse/{auto_job}"),
        client_b.get(f"/parse/batch/{batch}"),
    ]
    for r in attempts:
        err = assert_error(r, 404, "NOT_FOUND")
        assert doc_a not in err["message"]
    listed = client_b.get("/files", params={"page_size": 100}).json()["data"]["files"]
    assert not {doc_a, inv_a} & {f["id"] for f in listed}
    deleted = client_b.get("/files", params={"status": "deleted", "page_size": 100}).json()["data"]["files"]
    assert doc_a not in {f["id"] for f in deleted}

    # And A still has everything (B's DELETE did nothing).
    assert client_a.get(f"/files/{doc_a}").json()["data"]["status"] != "deleted"
    assert client_a.get(f"/files/{doc_a}/download").status_code == 200
    assert client_a.get(f"/parse/batch/{batch}").status_code == 200
    for job in (st_job, inv_job, auto_job):
        assert client_a.get(f"/parse/{job}").status_code == 200


def test_idempotency_key_of_other_tenant_is_not_replayed(
    client_a: httpx.Client, client_b: httpx.Client
) -> None:
    doc_a = upload_one(client_a, "ia.pdf", statement_pdf(502))
    doc_b = upload_one(client_b, "ib.pdf", statement_pdf(503))
    key = "same-key-for-two-tenants-502"
    job_a = client_a.post("/parse/statements", json={"document_id": doc_a, "idempotency_key": key}).json()[
        "data"
    ]
    r = client_b.post("/parse/statements", json={"document_id": doc_b, "idempotency_key": key})
    assert r.status_code == 202
    assert r.json()["data"]["job_id"] != job_a["job_id"]
    assert r.json()["data"]["document_id"] == doc_b
