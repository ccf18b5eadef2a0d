"""Authentication: API keys (hashed, revocable), HS256/RS256 JWTs, public endpoints."""

from __future__ import annotations

import time

import httpx
import jwt

from tests.api.conftest import JWT_SECRET, assert_error, upload_one
from tests.api.documents import statement_pdf
from tests.api.live import LiveServer


def _token(sub: str, *, exp_in: float = 300, secret: str = JWT_SECRET) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time() + exp_in)}, secret, algorithm="HS256")


def test_public_endpoints_need_no_token(live_server: LiveServer) -> None:
    r = httpx.get(live_server.url("/health"))
    assert r.status_code == 200
    assert r.json()["data"]["status"] == "ok" and r.json()["data"]["database"] == "ok"
    assert httpx.get(live_server.base_url + "/health").status_code == 200
    spec = httpx.get(live_server.base_url + "/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert "/api/v1/files/upload" in paths and "/api/v1/parse/statements/{job_id}" in paths
    assert httpx.get(live_server.base_url + "/docs").status_code == 200


def test_missing_malformed_and_unknown_tokens(live_server: LiveServer) -> None:
    url = live_server.url("/files")
    r = httpx.get(url)
    assert_error(r, 401, "UNAUTHORIZED")
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error(httpx.get(url, headers={"Authorization": f"Basic {live_server.key_a}"}), 401, "UNAUTHORIZED")
    assert_error(httpx.get(url, headers={"Authorization": "Bearer"}), 401, "UNAUTHORIZED")
    assert_error(httpx.get(url, headers=live_server.auth("ll_not-a-real-key")), 401, "UNAUTHORIZED")
    assert_error(httpx.get(url, headers=live_server.auth(live_server.key_a + "x")), 401, "UNAUTHORIZED")
    # Every protected endpoint, not just one.
    for method, path in [
        ("POST", "/files/upload"),
        ("GET", "/files/00000000-0000-0000-0000-000000000000"),
        ("DELETE", "/files/00000000-0000-0000-0000-000000000000"),
        ("POST", "/parse/statements"),
        ("POST", "/parse/batch"),
        ("GET", "/parse/statements/job_1"),
        ("GET", "/parse/job_1"),
        ("GET", "/parse/batch/batch_1"),
    ]:
        assert_error(httpx.request(method, live_server.url(path)), 401, "UNAUTHORIZED")


def test_revoked_key_stops_working_within_seconds(live_server: LiveServer) -> None:
    from ledgerlens.jobs import store
    from ledgerlens.jobs.db import make_engine, make_session_factory
    from ledgerlens.jobs.keys import hash_key

    key = live_server.new_key("tenant-revoke")
    headers = live_server.auth(key)
    assert httpx.get(live_server.url("/files"), headers=headers).status_code == 200
    engine = make_engine(live_server.settings())
    try:
        with make_session_factory(engine)() as session:
            row = store.find_api_key(session, hash_key(key))
            assert row is not None
            assert store.revoke_api_key(session, row.id)
    finally:
        engine.dispose()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        r = httpx.get(live_server.url("/files"), headers=headers)
        if r.status_code == 401:
            assert_error(r, 401, "UNAUTHORIZED")
            return
        time.sleep(0.25)
    raise AssertionError("revoked key still accepted after 10 s")


def test_hs256_jwt_creates_tenant_on_first_use_and_is_isolated(live_server: LiveServer) -> None:
    name = f"jwt-tenant-{time.time_ns()}"
    with httpx.Client(base_url=live_server.url(""), headers=live_server.auth(_token(name))) as client:
        doc = upload_one(client, "jwt.pdf", statement_pdf(301))
        assert client.get(f"/files/{doc}").status_code == 200
    # A new token for the same subject is the same tenant.
    with httpx.Client(base_url=live_server.url(""), headers=live_server.auth(_token(name, exp_in=600))) as c2:
        assert c2.get(f"/files/{doc}").status_code == 200
    # Other tenants do not see it.
    r = httpx.get(live_server.url(f"/files/{doc}"), headers=live_server.auth(live_server.key_a))
    assert_error(r, 404, "NOT_FOUND")


def test_jwt_sub_may_be_a_tenant_id(live_server: LiveServer) -> None:
    with live_server.client(live_server.key_a) as client_a:
        doc = upload_one(client_a, "by-id.pdf", statement_pdf(302))
    r = httpx.get(live_server.url(f"/files/{doc}"), headers=live_server.auth(_token(live_server.tenant_a)))
    assert r.status_code == 200, r.text


def test_expired_or_forged_jwt_rejected(live_server: LiveServer) -> None:
    url = live_server.url("/files")
    expired = _token("tenant-a", exp_in=-120)
    assert (
        "expired"
        in assert_error(httpx.get(url, headers=live_server.auth(expired)), 401, "UNAUTHORIZED")[
            "message"
        ].lower()
    )
    forged = _token("tenant-a", secret="not-the-server-secret-but-long-enough")
    assert_error(httpx.get(url, headers=live_server.auth(forged)), 401, "UNAUTHORIZED")
    no_exp = jwt.encode({"sub": "tenant-a"}, JWT_SECRET, algorithm="HS256")
    assert_error(httpx.get(url, headers=live_server.auth(no_exp)), 401, "UNAUTHORIZED")
    none_alg = jwt.encode({"sub": "tenant-a", "exp": int(time.time()) + 60}, None, algorithm="none")
    assert_error(httpx.get(url, headers=live_server.auth(none_alg)), 401, "UNAUTHORIZED")


def test_rs256_jwt(live_server: LiveServer) -> None:
    private_pem = live_server.extra["rsa_private_pem"]
    token = jwt.encode({"sub": "tenant-b", "exp": int(time.time()) + 300}, private_pem, algorithm="RS256")
    r = httpx.get(live_server.url("/files"), headers=live_server.auth(token))
    assert r.status_code == 200, r.text
    with live_server.client(live_server.key_b) as client_b:
        doc = upload_one(client_b, "rs.pdf", statement_pdf(303))
    assert httpx.get(live_server.url(f"/files/{doc}"), headers=live_server.auth(token)).status_code == 200
