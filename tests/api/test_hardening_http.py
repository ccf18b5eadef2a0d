"""HTTP-layer hardening against a real server: request limits before auth, response headers that
keep tenants' data out of caches and pages out of frames, /metrics exposure, bidi-free file names,
and validators of deduplicated blobs taken from the caller's own record."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import select
import socket
import time
import urllib.parse
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from ledgerlens.api.app import create_app
from ledgerlens.api.routers.metrics import is_loopback, loopback_only_by_default
from ledgerlens.config import Settings
from ledgerlens.migrations import upgrade
from tests.api.conftest import assert_error, upload, upload_one
from tests.api.documents import statement_pdf
from tests.api.live import LiveServer, start_live_server

MAX_BODY = 64 * 1024
MAX_FILE = 300_000
ENV = {
    "LEDGERLENS_MAX_BODY_BYTES": str(MAX_BODY),
    "LEDGERLENS_MAX_FILE_BYTES": str(MAX_FILE),
    "LEDGERLENS_MAX_FILES_PER_REQUEST": "2",
}
UPLOAD_LIMIT = 2 * MAX_FILE + 4 * 1024 * 1024  # files x size + multipart overhead


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """No workers: jobs stay pending, which is all the status fast path needs."""
    with start_live_server(tmp_path_factory.mktemp("hardening"), env=ENV, workers=0) as live:
        yield live


# ------------------------------------------------------------------------------------ raw HTTP
def _connect(server: LiveServer) -> socket.socket:
    host, port = server.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _read_response(sock: socket.socket, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """One response (status, lower-cased headers, body); a reset after the answer is fine."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def _envelope(body: bytes, code: str) -> dict[str, Any]:
    payload = json.loads(body)
    assert payload["success"] is False and payload["error"]["code"] == code, payload
    error: dict[str, Any] = payload["error"]
    return error


def _send_until_answered(sock: socket.socket, head: bytes, chunk: bytes, total: int) -> int:
    """Send `head` then up to `total` bytes of `chunk`s, stopping as soon as the server answers or
    closes; returns how many of the `total` bytes were sent by then."""
    sock.sendall(head)
    sent = 0
    while sent < total:
        readable, _, _ = select.select([sock], [], [], 0.05)
        if readable:
            break
        try:
            sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += len(chunk)
    return sent


# ---------------------------------------------------------------------------- request limits
def test_an_8_mb_header_is_refused_before_it_is_read(server: LiveServer) -> None:
    big = 8 * 1024 * 1024
    with _connect(server) as sock:
        started = time.monotonic()
        head = b"GET /api/v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\nX-Big: "
        sent = _send_until_answered(sock, head, b"a" * 65536, big)
        status, headers, body = _read_response(sock)
        elapsed = time.monotonic() - started
    # The answer came while the header was still arriving: the server never held it whole (with
    # uvicorn's plain httptools parser it reads all 8 MB and then answers 401).
    assert sent < big, "the server read the whole header"
    assert elapsed < 5
    assert status == 431
    assert "x-request-id" in headers and headers["cache-control"] == "no-store"
    _envelope(body, "INVALID_REQUEST")
    assert httpx.get(server.url("/health"), timeout=5).status_code == 200


def test_a_head_under_the_limit_is_served(server: LiveServer) -> None:
    r = httpx.get(server.url("/files"), headers={**server.auth(server.key_a), "X-Pad": "p" * 16_000})
    assert r.status_code == 200


def test_too_many_headers_are_refused_before_auth(server: LiveServer) -> None:
    many = {f"X-H{i}": "v" for i in range(150)}
    r = httpx.get(server.url("/files"), headers={"Authorization": "Bearer not-a-key", **many})
    assert_error(r, 431, "INVALID_REQUEST")
    assert r.headers["cache-control"] == "no-store"
    fewer = {f"X-H{i}": "v" for i in range(80)}  # httpx adds 5 of its own
    assert httpx.get(server.url("/files"), headers={**server.auth(server.key_a), **fewer}).status_code == 200


def test_a_declared_json_body_over_the_limit_is_refused_unread(server: LiveServer) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST /api/v1/parse HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-key\r\n"
            b"Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
        )
        status, headers, body = _read_response(sock)  # answered without a byte of the body
        assert sock.recv(1) == b""  # and the connection closed: the body will not be read either
    assert status == 413 and headers["connection"] == "close"
    assert headers["cache-control"] == "no-store" and "x-request-id" in headers
    error = _envelope(body, "FILE_TOO_LARGE")
    assert str(MAX_BODY) in error["message"]


def test_a_chunked_json_body_is_counted(server: LiveServer) -> None:
    with _connect(server) as sock:
        head = (
            b"POST /api/v1/schemas HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {server.key_a}\r\n".encode()
            + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"x" * 8192
        chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
        sent = _send_until_answered(sock, head, chunk, 64 * len(chunk))
        status, _headers, body = _read_response(sock)
    assert status == 413
    _envelope(body, "FILE_TOO_LARGE")
    assert MAX_BODY < sent < 64 * len(chunk)


def test_a_small_chunked_body_goes_through(server: LiveServer) -> None:
    with _connect(server) as sock:
        payload = json.dumps({"document_id": "00000000-0000-0000-0000-000000000000"}).encode()
        sock.sendall(
            b"POST /api/v1/parse HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {server.key_a}\r\n".encode()
            + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"%x\r\n" % len(payload)
            + payload
            + b"\r\n0\r\n\r\n"
        )
        status, _headers, body = _read_response(sock)
    assert status == 404
    _envelope(body, "NOT_FOUND")


def test_uploads_keep_their_own_limits(server: LiveServer) -> None:
    pdf = statement_pdf(7001) + b"\n%" + b"p" * (3 * MAX_BODY)  # over the JSON limit, under a file's
    assert MAX_BODY < len(pdf) < MAX_FILE
    with server.client(server.key_a) as client:
        r = upload(client, ("padded.pdf", pdf))
        assert r.status_code == 200, r.text
        multipart = client.post("/parse/statements", files={"file": ("padded.pdf", pdf, "application/pdf")})
        assert multipart.status_code == 202, multipart.text
    with _connect(server) as sock:
        sock.sendall(
            b"POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-key\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n"
            + f"Content-Length: {UPLOAD_LIMIT + 1}\r\n\r\n".encode()
        )
        status, _headers, body = _read_response(sock)
    assert status == 413
    assert "upload limits" in _envelope(body, "FILE_TOO_LARGE")["message"]


# ------------------------------------------------------------------------------ response headers
def test_api_responses_are_not_stored(server: LiveServer) -> None:
    pdf = statement_pdf(7002)
    with server.client(server.key_a) as client:
        r = client.post("/parse/statements", files={"file": ("s.pdf", pdf, "application/pdf")})
        assert r.status_code == 202, r.text
        job_id = r.json()["data"]["job_id"]
        doc_id = r.json()["data"]["document_id"]
        answers = {
            "list": client.get("/files"),
            "status (fast path)": client.get(f"/parse/{job_id}"),
            "status (typed)": client.get(f"/parse/statements/{job_id}"),
            "file": client.get(f"/files/{doc_id}"),
            "download": client.get(f"/files/{doc_id}/download"),
            "not found": client.get("/files/00000000-0000-0000-0000-000000000000"),
            "validation": client.get("/files", params={"page_size": 1000}),
        }
    answers["unauthorized"] = httpx.get(server.url("/files"))
    answers["unknown route"] = httpx.get(server.url("/api/v1/nowhere"))
    assert answers["status (fast path)"].json()["data"]["status"] == "pending"
    assert answers["download"].content == pdf
    for what, response in answers.items():
        assert response.headers.get("cache-control") == "no-store", what
        assert response.headers.get("x-content-type-options") == "nosniff", what
    health = httpx.get(server.url("/health"))
    assert health.headers["x-content-type-options"] == "nosniff"


def test_docs_page_has_a_policy_that_lets_it_run(server: LiveServer) -> None:
    r = httpx.get(server.url("/docs"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    policy = {
        d.split()[0]: d.split()[1:] for d in r.headers["content-security-policy"].split("; ") if d.strip()
    }
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    # Every script the page loads or holds inline is allowed, and nothing else inline.
    for src in re.findall(r'<script src="([^"]+)"', r.text):
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(src))
        assert origin in policy["script-src"], src
    inline = re.findall(r"<script>(.*?)</script>", r.text, re.DOTALL)
    assert inline
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline
    ]
    assert sorted(h for h in policy["script-src"] if h.startswith("'sha256-")) == sorted(hashes)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    for href in re.findall(r'<link[^>]*href="([^"]+)"', r.text):
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(href))
        assert origin in policy["style-src"] or origin in policy["img-src"], href
    assert "'self'" in policy["connect-src"]  # the page fetches /openapi.json and tries requests


# ------------------------------------------------------------------------------------ /metrics
def test_metrics_exposure_follows_the_bind_address() -> None:
    open_settings = Settings(metrics_token=None, metrics_allow_from="")
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"):
        assert is_loopback(host), host
        assert not loopback_only_by_default(open_settings, host), host
    for host in ("0.0.0.0", "::", "", "10.0.0.5", "192.168.1.20", "2001:db8::1", "ledger.example"):
        assert not is_loopback(host), host
        assert loopback_only_by_default(open_settings, host), host
    assert not loopback_only_by_default(Settings(metrics_token="t"), "0.0.0.0")
    assert not loopback_only_by_default(Settings(metrics_allow_from="10.0.0.0/8"), "0.0.0.0")


def _metrics_app(tmp_path: Path, **overrides: Any) -> Any:
    overrides = {"metrics_token": None, "metrics_allow_from": "", **overrides}
    settings = Settings(data_dir=tmp_path, rate_limit_per_minute=0, **overrides)
    upgrade(settings)
    return create_app(settings)


def _scrape(app: Any, client: str, server: str = "http://127.0.0.1:8000", **headers: str) -> httpx.Response:
    """In process (no socket): the ASGI scope carries the client and local addresses given."""
    with TestClient(app, base_url=server, client=(client, 40000), raise_server_exceptions=False) as c:
        response: httpx.Response = c.get("/metrics", headers=headers)
        return response


def test_metrics_on_a_public_bind_only_for_loopback_clients(tmp_path: Path) -> None:
    app = _metrics_app(tmp_path / "public", host="0.0.0.0")
    assert_error(_scrape(app, "10.1.2.3", "http://10.0.0.5:8000"), 403, "FORBIDDEN")
    assert _scrape(app, "127.0.0.1").status_code == 200
    # Settings that say loopback, a request that came in on another address: refused all the same.
    app = _metrics_app(tmp_path / "inferred", host="127.0.0.1")
    assert_error(_scrape(app, "10.1.2.3", "http://10.0.0.5:8000"), 403, "FORBIDDEN")
    # A token opens it to whoever has the token.
    app = _metrics_app(tmp_path / "token", host="0.0.0.0", metrics_token="scrape-me")
    remote = _scrape(app, "10.1.2.3", "http://10.0.0.5:8000", authorization="Bearer scrape-me")
    assert remote.status_code == 200 and "# TYPE ledgerlens_jobs" in remote.text


def test_metrics_on_a_loopback_bind_are_served(server: LiveServer) -> None:
    r = httpx.get(server.url("/metrics"), timeout=10)  # the fixture runs `serve --host 127.0.0.1`
    assert r.status_code == 200 and "# TYPE ledgerlens_jobs" in r.text
    assert r.headers["cache-control"] == "no-store"


# ------------------------------------------------------------------------------------ filenames
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufeff\u200b"


def test_filenames_lose_bidi_and_format_characters(server: LiveServer) -> None:
    hostile = "invoice\u202efdp.exe" + BIDI + "\u0085Ü.pdf"
    with server.client(server.key_a) as client:
        doc = upload_one(client, hostile, statement_pdf(7003))
        stored = client.get(f"/files/{doc}").json()["data"]["filename"]
        disposition = client.get(f"/files/{doc}/download").headers["content-disposition"]
    assert stored == "invoicefdp.exe_Ü.pdf"
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert urllib.parse.unquote(encoded) == stored
    assert not any(c in stored + urllib.parse.unquote(encoded) for c in BIDI)


# --------------------------------------------------------------------------- deduplicated blobs
def _http_date(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).replace(microsecond=0)


def test_shared_blob_validators_come_from_each_tenants_record(server: LiveServer) -> None:
    pdf = statement_pdf(7004)
    sha = hashlib.sha256(pdf).hexdigest()
    blob = server.data_dir / "files" / sha[:2] / sha[2:4] / sha
    with server.client(server.key_a) as a, server.client(server.key_b) as b:
        doc_a = upload_one(a, "a.pdf", pdf)
        old = time.time() - 10 * 365 * 86400  # as if tenant A had uploaded it ten years ago
        os.utime(blob, (old, old))
        time.sleep(1.1)  # B uploads the same bytes in a later second
        doc_b = upload_one(b, "b.pdf", pdf)
        assert abs(os.stat(blob).st_mtime - old) < 1  # one blob, still with A's time
        got_a, got_b = a.get(f"/files/{doc_a}/download"), b.get(f"/files/{doc_b}/download")
        created_a = _http_date(a.get(f"/files/{doc_a}").json()["data"]["created_at"])
        created_b = _http_date(b.get(f"/files/{doc_b}").json()["data"]["created_at"])
    assert got_a.content == got_b.content == pdf
    assert created_b > created_a
    assert parsedate_to_datetime(got_b.headers["last-modified"]) == created_b
    assert parsedate_to_datetime(got_a.headers["last-modified"]) == created_a
    assert got_a.headers["etag"] != got_b.headers["etag"]
    assert doc_a not in got_b.headers["etag"]
    # Nothing else in B's answer differs from what B's own record says.
    assert got_b.headers["content-length"] == str(len(pdf))
    assert "b.pdf" in got_b.headers["content-disposition"]
