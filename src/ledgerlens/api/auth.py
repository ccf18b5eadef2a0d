"""Bearer authentication: opaque API keys (stored as sha256) and, when configured, JWTs.

Lookups are cached for a few seconds per token hash so the hot status path costs no database
round trip for auth; a revoked key stops working within `CACHE_TTL_SECONDS`. A JWT's `sub` names
the tenant (by id or name); an unknown name creates the tenant on first use, because the identity
provider, not this service, is then the source of truth for who the tenants are.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ledgerlens.config import Settings
from ledgerlens.errors import ErrorCode, LedgerlensError
from ledgerlens.jobs import store
from ledgerlens.jobs.keys import hash_key

CACHE_TTL_SECONDS = 5.0
NEGATIVE_TTL_SECONDS = 2.0
CACHE_MAX_ENTRIES = 10_000
JWT_LEEWAY_SECONDS = 10


@dataclass(frozen=True, slots=True)
class Principal:
    tenant_id: str
    key_id: str | None
    """The API key's id, or None for a JWT."""


def _unauthorized(message: str) -> LedgerlensError:
    return LedgerlensError(ErrorCode.UNAUTHORIZED, message)


def _load_rs256_key(value: str) -> str:
    if value.lstrip().startswith("-----BEGIN"):
        return value
    return Path(value).expanduser().read_text(encoding="utf-8")


class Authenticator:
    """Turns a bearer token into a `Principal` or raises UNAUTHORIZED."""

    def __init__(self, settings: Settings, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory
        self._audience = settings.jwt_audience
        self._jwt_keys: list[tuple[str, str]] = []
        if settings.jwt_hs256_secret:
            self._jwt_keys.append(("HS256", settings.jwt_hs256_secret))
        if settings.jwt_rs256_public_key:
            self._jwt_keys.append(("RS256", _load_rs256_key(settings.jwt_rs256_public_key)))
        self._cache: dict[str, tuple[Principal | None, str, float]] = {}
        """token sha256 -> (principal or None for a rejected token, rejection message, expires at)"""
        self._lock = threading.Lock()

    @property
    def jwt_enabled(self) -> bool:
        return bool(self._jwt_keys)

    async def authenticate(self, authorization: str | None) -> Principal:
        token = _bearer_token(authorization)
        digest = hash_key(token)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached is not None and cached[2] > now:
            principal, message, _ = cached
            if principal is None:
                raise _unauthorized(message)
            return principal
        try:
            resolved, ttl = await run_in_threadpool(self._resolve, token, digest)
        except LedgerlensError as exc:
            self._remember(digest, None, exc.message, now + NEGATIVE_TTL_SECONDS)
            raise
        self._remember(digest, resolved, "", now + ttl)
        return resolved

    def forget(self) -> None:
        """Drop every cached decision (tests, key revocation in-process)."""
        with self._lock:
            self._cache.clear()

    def _remember(self, digest: str, principal: Principal | None, message: str, expires: float) -> None:
        with self._lock:
            if len(self._cache) >= CACHE_MAX_ENTRIES:
                now = time.monotonic()
                self._cache = {k: v for k, v in self._cache.items() if v[2] > now}
                if len(self._cache) >= CACHE_MAX_ENTRIES:
                    self._cache.clear()
            self._cache[digest] = (principal, message, expires)

    def _resolve(self, token: str, digest: str) -> tuple[Principal, float]:
        if self._jwt_keys and token.count(".") == 2:
            return self._resolve_jwt(token)
        with self._sessions() as session:
            row = store.find_api_key(session, digest)
            if row is None or not hmac.compare_digest(row.key_hash, digest):
                raise _unauthorized("Invalid API key.")
            if row.revoked_at is not None:
                raise _unauthorized("This API key has been revoked.")
            return Principal(tenant_id=row.tenant_id, key_id=row.id), CACHE_TTL_SECONDS

    def _resolve_jwt(self, token: str) -> tuple[Principal, float]:
        claims: dict[str, Any] | None = None
        last_error = "Invalid token."
        for algorithm, key in self._jwt_keys:
            try:
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=[algorithm],
                    audience=self._audience,
                    leeway=JWT_LEEWAY_SECONDS,
                    options={"require": ["exp", "sub"], "verify_aud": self._audience is not None},
                )
                break
            except jwt.ExpiredSignatureError:
                raise _unauthorized("The token has expired.") from None
            except jwt.PyJWTError as exc:
                last_error = f"Invalid token: {exc}"
        if claims is None:
            raise _unauthorized(last_error)
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 200:
            raise _unauthorized("The token's subject is not a tenant.")
        with self._sessions() as session:
            tenant = store.ensure_tenant(session, subject.strip())
        remaining = float(claims["exp"]) + JWT_LEEWAY_SECONDS - time.time()
        return Principal(tenant_id=tenant.id, key_id=None), max(0.0, min(CACHE_TTL_SECONDS, remaining))


def _bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise _unauthorized("Missing Authorization header; send `Authorization: Bearer <token>`.")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Authorization header must be `Bearer <token>`.")
    if len(token) > 8192:
        raise _unauthorized("Token too long.")
    return token


async def get_principal(request: Request) -> Principal:
    """FastAPI dependency: the authenticated caller (cached per request by FastAPI)."""
    authenticator: Authenticator = request.app.state.ledgerlens.auth
    return await authenticator.authenticate(request.headers.get("authorization"))


def token_fingerprint(token: str) -> str:
    """A short, non-reversible label for logs."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]
