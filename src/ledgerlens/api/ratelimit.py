"""Per-token rate limits: a token bucket per bearer credential, kept in this server process.

Every request to `/api/v1/...` that carries `Authorization: Bearer ...` spends one token from the
bucket of that credential (keyed by a hash of it, so tokens are never kept in memory in clear).
A bucket holds `rate_limit_per_minute` tokens and refills continuously at that rate, so a client may
burst up to the limit and then sustain the limit. Responses carry `X-RateLimit-Limit`,
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix seconds when the bucket is full again); a request
over the limit gets 429 `RATE_LIMIT_EXCEEDED` in the standard envelope plus `Retry-After`.

Limits are per server process: with several uvicorn workers each enforces its own buckets. It is an
ASGI middleware rather than a FastAPI dependency so that it runs before auth and body parsing (a
flood of requests costs a dict lookup each) and covers every router without each one opting in.
Requests without a bearer token are not counted: they are rejected by auth anyway.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledgerlens.errors import ErrorCode

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]

PREFIX = "/api/v1/"
EXEMPT = frozenset({"/api/v1/health"})
"""Liveness probes are never throttled, token or not."""
PRUNE_EVERY = 4096
"""Requests between sweeps that drop buckets which have refilled completely (idle clients)."""
MAX_BUCKETS = 100_000
"""Memory bound under a flood of distinct (e.g. made-up) tokens: beyond it, a sweep also drops the
least recently used buckets, which only ever gives those tokens a full bucket again."""


@dataclass(slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: int
    """Unix seconds at which the bucket is full again."""
    retry_after: int
    """Seconds until one request is allowed again (0 when allowed)."""


class TokenBucketLimiter:
    """Thread-safe token buckets keyed by an opaque string; `clock` is injectable for tests."""

    def __init__(
        self, per_minute: int, clock: Callable[[], float] = time.time, max_buckets: int = MAX_BUCKETS
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.max_buckets = max_buckets
        self.capacity = float(per_minute)
        self.limit = per_minute
        self.rate = per_minute / 60.0
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}
        """key -> (tokens, time of last update)"""
        self._since_prune = 0

    def hit(self, key: str) -> Decision:
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)
            self._since_prune += 1
            if self._since_prune >= PRUNE_EVERY:
                self._prune(now)
        reset_at = math.ceil(now + (self.capacity - tokens) / self.rate)
        retry_after = 0 if allowed else max(1, math.ceil((1.0 - tokens) / self.rate))
        return Decision(allowed, self.limit, int(tokens), reset_at, retry_after)

    def _prune(self, now: float) -> None:
        self._since_prune = 0
        full_after = self.capacity / self.rate
        stale = [k for k, (_, last) in self._buckets.items() if now - last >= full_after]
        for k in stale:
            del self._buckets[k]
        if len(self._buckets) > self.max_buckets:
            by_age = sorted(self._buckets.items(), key=lambda item: item[1][1])
            for k, _ in by_age[: len(by_age) - self.max_buckets // 2]:
                del self._buckets[k]

    def __len__(self) -> int:
        return len(self._buckets)


def _bearer_key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.partition(b" ")
            token = token.strip()
            if scheme.lower() != b"bearer" or not token:
                return None
            return hashlib.blake2b(token, digest_size=16).hexdigest()
    return None


def _headers(decision: Decision) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-ratelimit-limit", str(decision.limit).encode()),
        (b"x-ratelimit-remaining", str(decision.remaining).encode()),
        (b"x-ratelimit-reset", str(decision.reset_at).encode()),
    ]
    if not decision.allowed:
        headers.append((b"retry-after", str(decision.retry_after).encode()))
    return headers


def _too_many_body(decision: Decision) -> bytes:
    error = {
        "code": ErrorCode.RATE_LIMIT_EXCEEDED.value,
        "message": f"Rate limit of {decision.limit} requests per minute exceeded for this token.",
        "details": f"Retry after {decision.retry_after} seconds.",
    }
    return json.dumps({"success": False, "error": error}, separators=(",", ":")).encode()


class RateLimitMiddleware:
    """ASGI middleware applying `TokenBucketLimiter` to authenticated `/api/v1/` requests."""

    def __init__(self, app: ASGIApp, per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.limiter = TokenBucketLimiter(per_minute, clock) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["type"] == "http" else ""
        if self.limiter is None or not path.startswith(PREFIX) or path in EXEMPT:
            await self.app(scope, receive, send)
            return
        key = _bearer_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        decision = self.limiter.hit(key)
        extra = _headers(decision)
        if not decision.allowed:
            body = _too_many_body(decision)
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *extra,
            ]
            await send({"type": "http.response.start", "status": 429, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
