"""Fixtures for API tests: one shared live server (small upload limits, JWT enabled) and helpers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.api.live import LiveServer, start_live_server

JWT_SECRET = "test-hs256-secret-that-is-long-enough-for-hmac"
SMALL_LIMITS = {
    "LEDGERLENS_MAX_FILE_BYTES": "300000",
    "LEDGERLENS_MAX_FILES_PER_REQUEST": "4",
    "LEDGERLENS_JWT_HS256_SECRET": JWT_SECRET,
}
"""Shared-server settings: real generated PDFs are a few KB, so 300 kB / 4 files makes the limits
reachable in tests without sending megabytes."""


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server (with one embedded worker when `ledgerlens serve` exists) and two tenants.

    `server.extra["rsa_private_pem"]` signs RS256 JWTs the server accepts.
    """
    tmp: Path = tmp_path_factory.mktemp("live")
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key_path = tmp / "jwt-public.pem"
    key_path.write_bytes(public_pem)
    env = {**SMALL_LIMITS, "LEDGERLENS_JWT_RS256_PUBLIC_KEY": str(key_path)}
    with start_live_server(tmp, env=env, workers=1) as server:
        server.extra["rsa_private_pem"] = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        yield server


@pytest.fixture
def client_a(live_server: LiveServer) -> Iterator[httpx.Client]:
    with live_server.client(live_server.key_a) as client:
        yield client


@pytest.fixture
def client_b(live_server: LiveServer) -> Iterator[httpx.Client]:
    with live_server.client(live_server.key_b) as client:
        yield client


def upload(client: httpx.Client, *files: tuple[str, bytes], path: str = "/files/upload") -> httpx.Response:
    return client.post(
        path, files=[("files", (name, data, "application/octet-stream")) for name, data in files]
    )


def upload_one(client: httpx.Client, name: str, data: bytes) -> str:
    r = upload(client, (name, data))
    assert r.status_code == 200, r.text
    doc_id: str = r.json()["data"]["files"][0]["doc_id"]
    return doc_id


def assert_error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "details" in body["error"]
    assert r.headers.get("x-request-id")
    error: dict[str, Any] = body["error"]
    return error


def wait_for_job(
    client: httpx.Client, job_id: str, path: str = "/parse", timeout: float = 90.0
) -> dict[str, Any]:
    """Poll until the job ends (completed or failed); fails the test on timeout."""
    deadline = time.monotonic() + timeout
    data: dict[str, Any] = {}
    while time.monotonic() < deadline:
        r = client.get(f"{path}/{job_id}")
        assert r.status_code == 200, r.text
        data = r.json()["data"]
        if data["status"] in ("completed", "failed"):
            return data
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish within {timeout}s: {data}")
