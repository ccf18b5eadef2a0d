"""The envelope for every failure, request ids on every response, no internals in 500s."""

from __future__ import annotations

import shutil

import httpx

from tests.api.conftest import assert_error, upload
from tests.api.documents import statement_pdf
from tests.api.live import LiveServer


def test_request_id_echoed_or_generated(live_server: LiveServer, client_a: httpx.Client) -> None:
    r = client_a.get("/files", headers={"X-Request-ID": "client-trace-123"})
    assert r.headers["x-request-id"] == "client-trace-123"
    generated = client_a.get("/files").headers["x-request-id"]
    assert len(generated) >= 16
    assert generated != client_a.get("/files").headers["x-request-id"]
    hostile = client_a.get("/files", headers={"X-Request-ID": "x" * 500})
    assert hostile.headers["x-request-id"] != "x" * 500
    odd = client_a.get("/files", headers={"X-Request-ID": "a b<script>"})
    assert odd.headers["x-request-id"] != "a b<script>"
    # Also on unauthenticated, unknown and public responses.
    assert httpx.get(live_server.url("/files")).headers["x-request-id"]
    assert httpx.get(live_server.url("/health")).headers["x-request-id"]
    assert client_a.get("/no/such/route").headers["x-request-id"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_unknown_route_and_wrong_method(client_a: httpx.Client) -> None:
    assert_error(client_a.get("/no/such/route"), 404, "NOT_FOUND")
    assert_error(client_a.get("/api/v2/files"), 404, "NOT_FOUND")
    r = client_a.put("/files/upload")
    assert_error(r, 405, "INVALID_REQUEST")
    assert "POST" in r.headers.get("allow", "")


def test_unexpected_failure_is_a_500_envelope_without_internals(
    live_server: LiveServer, client_a: httpx.Client
) -> None:
    """Make the blob store unusable for real (its directory replaced by a plain file)."""
    files_dir = live_server.data_dir / "files"
    backup = live_server.data_dir / "files.test-backup"
    # The store's directory exists once a file was stored (not only when other tests ran first).
    assert upload(client_a, ("first.pdf", statement_pdf(600))).status_code == 200
    shutil.move(files_dir, backup)
    files_dir.write_bytes(b"not a directory")
    try:
        r = upload(client_a, ("s.pdf", statement_pdf(601)), ("t.pdf", statement_pdf(602)))
    finally:
        files_dir.unlink()
        shutil.move(backup, files_dir)
    err = assert_error(r, 500, "INTERNAL_SERVER_ERROR")
    request_id = r.headers["x-request-id"]
    assert request_id in (err["details"] or "")
    assert "Traceback" not in r.text and "Error" not in err["message"] and "/" not in err["message"]
    assert request_id in live_server.log()
    # The service is fine afterwards.
    assert upload(client_a, ("s.pdf", statement_pdf(603))).status_code == 200
