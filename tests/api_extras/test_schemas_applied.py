"""Active custom schemas reach the pipeline: fields appear under `custom_fields` of finished jobs."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.api.documents import statement_pdf
from tests.api.live import LiveServer
from tests.api_extras.helpers import data

JOB_SECONDS = 90.0


def _run_statement(client: httpx.Client, pdf: bytes) -> dict[str, Any]:
    r = client.post("/parse/statements", files={"file": ("statement.pdf", pdf, "application/pdf")})
    job_id = data(r, r.status_code)["job_id"]
    deadline = time.monotonic() + JOB_SECONDS
    while time.monotonic() < deadline:
        job: dict[str, Any] = data(client.get(f"/parse/statements/{job_id}"))
        if job["status"] in ("completed", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {JOB_SECONDS} s")


def test_active_schemas_of_the_type_are_applied(working_server: LiveServer) -> None:
    s = working_server
    with s.client(s.key_a) as a, s.client(s.key_b) as b:
        fields = {"fields": ["mandate_reference", {"name": "Account holder", "type": "string"}]}
        data(
            a.post("/schemas", json={"name": "sepa", "type": "bank_statement", "schema_string": fields}), 201
        )
        invoice_only = {"name": "erp", "type": "invoice", "schema_string": {"fields": ["po_number"]}}
        data(a.post("/schemas", json=invoice_only), 201)
        retired = data(
            a.post(
                "/schemas",
                json={"name": "old", "type": "bank_statement", "schema_string": {"fields": ["old_field"]}},
            ),
            201,
        )
        data(a.delete(f"/schemas/id/{retired['id']}"))

        pdf = statement_pdf(holder="Erik Example", extra_lines=("Mandate reference: MR-2025-0815",))
        mine = _run_statement(a, pdf)
        assert mine["status"] == "completed", mine
        assert mine["results"]["custom_fields"] == {
            "mandate_reference": "MR-2025-0815",
            "Account holder": "Erik Example",
        }
        # Tenant B has no schemas: the same document gets no custom fields.
        theirs = _run_statement(b, pdf)
        assert theirs["status"] == "completed", theirs
        assert "custom_fields" not in theirs["results"]
