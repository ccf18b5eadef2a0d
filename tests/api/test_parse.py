"""Job creation, idempotency, batches and status endpoints (no processing results needed)."""

from __future__ import annotations

import json
import re
import uuid

import httpx
from sqlalchemy import select

from tests.api.conftest import assert_error, upload_one
from tests.api.documents import invoice_pdf, statement_pdf
from tests.api.live import LiveServer

JOB_ID = re.compile(r"^job_\d+$")
BATCH_ID = re.compile(r"^batch_\d+$")


def test_create_statement_job(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "s.pdf", statement_pdf(401))
    r = client_a.post("/parse/statements", json={"document_id": doc})
    assert r.status_code == 202, r.text
    data = r.json()["data"]
    assert JOB_ID.match(data["job_id"])
    assert data["status"] == "pending"
    assert data["document_id"] == doc
    assert data["type"] == "bank_statement"
    assert data["created_at"] and data["updated_at"]
    status = client_a.get(f"/parse/statements/{data['job_id']}")
    assert status.status_code == 200
    s = status.json()["data"]
    assert set(s) >= {
        "job_id",
        "status",
        "file_id",
        "document_id",
        "created_at",
        "updated_at",
        "progress",
        "results",
    }
    assert s["file_id"] == doc and 0 <= s["progress"] <= 100
    assert s["status"] in ("pending", "processing", "completed", "failed")


def test_type_specific_endpoints_answer_404_for_other_type(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "i.pdf", invoice_pdf("INV-P-1"))
    job = client_a.post("/parse/invoices", json={"document_id": doc}).json()["data"]["job_id"]
    assert client_a.get(f"/parse/invoices/{job}").status_code == 200
    assert "result" in client_a.get(f"/parse/invoices/{job}").json()["data"]
    assert_error(client_a.get(f"/parse/statements/{job}"), 404, "NOT_FOUND")
    generic = client_a.get(f"/parse/{job}")
    assert generic.status_code == 200 and generic.json()["data"]["type"] == "invoice"


def test_idempotency_key_returns_same_job(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "s.pdf", statement_pdf(402))
    other = upload_one(client_a, "t.pdf", statement_pdf(403))
    key = f"idem-{uuid.uuid4()}"
    first = client_a.post("/parse/statements", json={"document_id": doc, "idempotency_key": key})
    second = client_a.post("/parse/statements", json={"document_id": doc, "idempotency_key": key})
    assert first.status_code == 202 and second.status_code in (200, 202)
    assert first.json()["data"]["job_id"] == second.json()["data"]["job_id"]
    assert_error(
        client_a.post("/parse/statements", json={"document_id": other, "idempotency_key": key}),
        409,
        "CONFLICT",
    )
    header = {"Idempotency-Key": f"hdr-{uuid.uuid4()}"}
    h1 = client_a.post("/parse/statements", json={"document_id": other}, headers=header)
    h2 = client_a.post("/parse/statements", json={"document_id": other}, headers=header)
    assert h1.status_code == 202 and h1.json()["data"]["job_id"] == h2.json()["data"]["job_id"]


def test_concurrent_requests_with_one_idempotency_key_make_one_job(live_server: LiveServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with live_server.client(live_server.key_a) as client:
        doc = upload_one(client, "race.pdf", statement_pdf(409))
    key = f"race-{uuid.uuid4()}"

    def create(_: int) -> tuple[int, str]:
        with live_server.client(live_server.key_a) as c:
            r = c.post("/parse/statements", json={"document_id": doc, "idempotency_key": key})
            return r.status_code, r.json()["data"]["job_id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(create, range(8)))
    assert {status for status, _ in answers} == {202}
    assert len({job for _, job in answers}) == 1


def test_idempotency_keys_are_per_tenant(client_a: httpx.Client, client_b: httpx.Client) -> None:
    key = f"shared-{uuid.uuid4()}"
    doc_a = upload_one(client_a, "a.pdf", statement_pdf(404))
    doc_b = upload_one(client_b, "b.pdf", statement_pdf(405))
    job_a = client_a.post("/parse/statements", json={"document_id": doc_a, "idempotency_key": key})
    job_b = client_b.post("/parse/statements", json={"document_id": doc_b, "idempotency_key": key})
    assert job_a.status_code == 202 and job_b.status_code == 202
    assert job_a.json()["data"]["job_id"] != job_b.json()["data"]["job_id"]


def test_request_validation(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "v.pdf", statement_pdf(406))
    assert_error(client_a.post("/parse/statements", content=b'{"document_id": '), 400, "INVALID_REQUEST")
    assert_error(client_a.post("/parse/statements", json={}), 400, "INVALID_REQUEST")
    assert_error(client_a.post("/parse/statements", json=["not", "an", "object"]), 400, "INVALID_REQUEST")
    assert_error(client_a.post("/parse/statements", json={"document_id": 42}), 400, "VALIDATION_ERROR")
    for bad_url in ("ftp://example.com/hook", "javascript:alert(1)", "not a url", "http://"):
        r = client_a.post("/parse/statements", json={"document_id": doc, "callback_url": bad_url})
        err = assert_error(r, 400, "VALIDATION_ERROR")
        assert "callback_url" in (err["details"] or "")
    ok = client_a.post(
        "/parse/statements", json={"document_id": doc, "callback_url": "https://example.com/h"}
    )
    assert ok.status_code == 202
    assert_error(
        client_a.post("/parse/statements", json={"document_id": str(uuid.uuid4())}), 404, "NOT_FOUND"
    )
    assert_error(client_a.post("/parse/statements", json={"document_id": "../../etc"}), 404, "NOT_FOUND")


def test_malformed_and_unknown_job_ids(client_a: httpx.Client) -> None:
    for job_id in ("job_", "job_abc", "batch_1", "1234", "job_99999999999999999999999", "job_1"):
        assert_error(client_a.get(f"/parse/{job_id}"), 404, "NOT_FOUND")
        assert_error(client_a.get(f"/parse/statements/{job_id}"), 404, "NOT_FOUND")
    assert_error(client_a.get("/parse/batch/batch_x"), 404, "NOT_FOUND")


def test_multipart_upload_and_job_in_one_call(client_a: httpx.Client) -> None:
    pdf = invoice_pdf("INV-MP-1")
    r = client_a.post(
        "/parse/invoices",
        files={"file": ("inv.pdf", pdf, "application/pdf")},
        data={"callback_url": "https://example.com/cb", "idempotency_key": f"mp-{uuid.uuid4()}"},
    )
    assert r.status_code == 202, r.text
    data = r.json()["data"]
    assert JOB_ID.match(data["job_id"]) and data["type"] == "invoice"
    assert data["file"]["validation"]["file_size"] == len(pdf)
    got = client_a.get(f"/files/{data['document_id']}/download")
    assert got.content == pdf
    bad = client_a.post("/parse/statements", files={"file": ("x.pdf", b"hello, not a pdf at all")})
    assert_error(bad, 415, "UNSUPPORTED_FORMAT")
    bad_cb = client_a.post(
        "/parse/statements", files={"file": ("s.pdf", statement_pdf(407))}, data={"callback_url": "file:///x"}
    )
    assert_error(bad_cb, 400, "VALIDATION_ERROR")


def test_multipart_replay_does_not_store_the_file_again(client_a: httpx.Client) -> None:
    key = f"mp-replay-{uuid.uuid4()}"
    form = {"idempotency_key": key}
    first = client_a.post("/parse/statements", files={"file": ("s.pdf", statement_pdf(408))}, data=form)
    assert first.status_code == 202, first.text
    before = client_a.get("/files").json()["data"]["total"]
    again = client_a.post("/parse/statements", files={"file": ("s.pdf", statement_pdf(408))}, data=form)
    assert again.status_code == 202
    assert again.json()["data"]["job_id"] == first.json()["data"]["job_id"]
    assert client_a.get("/files").json()["data"]["total"] == before
    two = client_a.post(
        "/parse/statements",
        files=[("file", ("a.pdf", statement_pdf(1))), ("file", ("b.pdf", statement_pdf(2)))],
    )
    assert_error(two, 400, "INVALID_REQUEST")


def test_batch_create_and_status(client_a: httpx.Client) -> None:
    docs = [upload_one(client_a, f"b{i}.pdf", statement_pdf(410 + i)) for i in range(2)]
    r = client_a.post(
        "/parse/statements/batch",
        json={"files": [{"document_id": d} for d in docs], "callback_url": "https://example.com/batch"},
    )
    assert r.status_code == 202, r.text
    data = r.json()["data"]
    assert BATCH_ID.match(data["batch_id"]) and data["status"] == "pending"
    assert len(data["job_ids"]) == 2 and all(JOB_ID.match(j) for j in data["job_ids"])
    got = client_a.get(f"/parse/batch/{data['batch_id']}")
    assert got.status_code == 200
    batch = got.json()["data"]
    assert batch["job_ids"] == data["job_ids"]
    assert batch["counts"]["total"] == 2
    assert sum(batch["counts"][s] for s in ("pending", "processing", "completed", "failed")) == 2
    assert [j["document_id"] for j in batch["jobs"]] == docs
    assert batch["status"] in ("pending", "processing", "completed", "failed", "partial_error")
    for job_id in data["job_ids"]:
        assert client_a.get(f"/parse/statements/{job_id}").json()["data"]["batch_id"] == data["batch_id"]


def test_batch_validation(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "bv.pdf", statement_pdf(420))
    assert_error(client_a.post("/parse/batch", json={"files": []}), 400, "VALIDATION_ERROR")
    assert_error(client_a.post("/parse/batch", json={"documents": [doc]}), 400, "INVALID_REQUEST")
    unknown = {"files": [{"document_id": doc}, {"document_id": str(uuid.uuid4())}]}
    assert_error(client_a.post("/parse/invoices/batch", json=unknown), 404, "NOT_FOUND")
    too_many = {"files": [{"document_id": doc}] * 5}  # limit is 4 per request
    assert_error(client_a.post("/parse/batch", json=too_many), 413, "FILE_TOO_LARGE")


def test_active_custom_schemas_and_password_are_snapshotted(live_server: LiveServer) -> None:
    from ledgerlens.jobs.db import make_engine, make_session_factory
    from ledgerlens.jobs.ids import new_uuid, parse_prefixed_id
    from ledgerlens.jobs.models import CustomSchema, Job

    key = live_server.new_key("tenant-schemas")
    engine = make_engine(live_server.settings())
    try:
        with make_session_factory(engine)() as session:
            from ledgerlens.jobs import store

            tenant = store.find_tenant(session, "tenant-schemas")
            assert tenant is not None
            for name, typ, active in (
                ("po", "invoice", True),
                ("old", "invoice", False),
                ("acct", "bank_statement", True),
            ):
                session.add(
                    CustomSchema(
                        id=new_uuid(),
                        tenant_id=tenant.id,
                        name=name,
                        type=typ,
                        schema_json=json.dumps({"fields": [{"name": f"{name}_field", "type": "string"}]}),
                        is_active=active,
                    )
                )
            session.commit()
        with live_server.client(key) as client:
            doc = upload_one(client, "inv.pdf", invoice_pdf("INV-S-1"))
            job_id = client.post("/parse/invoices", json={"document_id": doc, "password": "pw"}).json()[
                "data"
            ]["job_id"]
        number = parse_prefixed_id(job_id, "job")
        with make_session_factory(engine)() as session:
            job = session.scalars(select(Job).where(Job.id == number)).one()
            options = json.loads(job.options_json or "{}")
    finally:
        engine.dispose()
    assert [s["fields"][0]["name"] for s in options["custom_schemas"]] == ["po_field"]
    if job.status == "pending":  # the worker erases the password once the job ends
        assert options["password"] == "pw"
