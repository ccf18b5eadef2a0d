"""Per-token rate limits on a live server: headers on every counted response, a real 429."""

from __future__ import annotations

import time
import uuid

import httpx

from tests.api.live import LiveServer
from tests.api_extras.conftest import SMALL_LIMIT
from tests.api_extras.helpers import assert_error, data

HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def test_headers_on_successes_and_errors(server: LiveServer) -> None:
    key = server.new_key(f"headers-{uuid.uuid4().hex[:6]}")
    with server.client(key) as c:
        ok = c.get("/schemas/list")
        missing = c.get(f"/schemas/id/{uuid.uuid4()}")
        files = c.get("/files")
    for response in (ok, missing, files):
        assert all(h in response.headers for h in HEADERS), response.headers
        assert response.headers["x-ratelimit-limit"] == "100000"
        reset = int(response.headers["x-ratelimit-reset"])
        assert time.time() - 2 <= reset <= time.time() + 61
        # The bucket refills at 100000/60 per second, so only the first request's count is exact.
        assert 99_990 <= int(response.headers["x-ratelimit-remaining"]) <= 99_999
    assert int(ok.headers["x-ratelimit-remaining"]) == 99_999


def test_limit_gives_429_per_token(limited_server: LiveServer) -> None:
    s = limited_server
    key = s.new_key(f"burst-{uuid.uuid4().hex[:6]}")
    with s.client(key) as c:
        remaining = []
        for _ in range(SMALL_LIMIT):
            r = c.get("/schemas/list")
            data(r)
            assert r.headers["x-ratelimit-limit"] == str(SMALL_LIMIT)
            remaining.append(int(r.headers["x-ratelimit-remaining"]))
        assert remaining == list(range(SMALL_LIMIT - 1, -1, -1))
        over = c.get("/schemas/list")
        error = assert_error(over, 429, "RATE_LIMIT_EXCEEDED")
        assert str(SMALL_LIMIT) in error["message"]
        assert over.headers["x-ratelimit-remaining"] == "0"
        retry_after = int(over.headers["retry-after"])
        assert 1 <= retry_after <= 60 / SMALL_LIMIT + 1
        assert int(over.headers["x-ratelimit-reset"]) >= time.time()
        # Every endpoint under /api/v1 draws from the same bucket, POSTs included.
        assert_error(c.post("/schemas", json={"name": "n", "type": "invoice"}), 429, "RATE_LIMIT_EXCEEDED")
    # Another token of the same kind is not affected, and unauthenticated calls are not counted.
    with s.client(s.new_key(f"calm-{uuid.uuid4().hex[:6]}")) as other:
        fresh = other.get("/schemas/list")
        data(fresh)
        assert fresh.headers["x-ratelimit-remaining"] == str(SMALL_LIMIT - 1)
    anonymous = httpx.get(s.url("/schemas/list"))
    assert_error(anonymous, 401, "UNAUTHORIZED")
    assert "x-ratelimit-limit" not in anonymous.headers
    health = httpx.get(s.url("/api/v1/health"), headers=s.auth(key))
    assert health.status_code == 200  # liveness probes are never throttled
