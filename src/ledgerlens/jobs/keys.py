"""API key material and key records: generated once, shown once, stored only as a sha256 hash.

Keys are random and long, so a fast unsalted sha256 is enough to make the stored hash useless to
someone reading the database, and it lets the API find a key by its hash with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledgerlens.jobs.ids import new_uuid
from ledgerlens.jobs.models import ApiKey, Tenant, utcnow

KEY_PREFIX = "ll_"
DISPLAY_PREFIX_LEN = 10
"""Characters of a key kept in clear (`ApiKey.prefix`) so humans can tell keys apart."""


def generate_key() -> str:
    """A new API key: `ll_` + 43 url-safe characters (256 bits of randomness)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """sha256 hex of the whole key, as stored in `ApiKey.key_hash`."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def display_prefix(key: str) -> str:
    return key[:DISPLAY_PREFIX_LEN]


def keys_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class KeyInfo:
    id: str
    tenant_id: str
    tenant_name: str
    label: str | None
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def create_key(session: Session, tenant: Tenant, label: str | None = None) -> tuple[ApiKey, str]:
    """Store a new key for `tenant`; returns the row and the plaintext key (shown once)."""
    key = generate_key()
    row = ApiKey(
        id=new_uuid(),
        tenant_id=tenant.id,
        label=label,
        prefix=display_prefix(key),
        key_hash=hash_key(key),
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row, key


def list_keys(session: Session, tenant_name: str | None = None) -> list[KeyInfo]:
    stmt = select(ApiKey, Tenant).join(Tenant, Tenant.id == ApiKey.tenant_id).order_by(ApiKey.created_at)
    if tenant_name is not None:
        stmt = stmt.where(Tenant.name == tenant_name)
    return [
        KeyInfo(
            id=key.id,
            tenant_id=tenant.id,
            tenant_name=tenant.name,
            label=key.label,
            prefix=key.prefix,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )
        for key, tenant in session.execute(stmt)
    ]


def revoke_key(session: Session, key_id: str) -> bool:
    """Mark a key revoked; False when it does not exist or was already revoked."""
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.flush()
    return True


def find_active_key(session: Session, key: str) -> ApiKey | None:
    """The non-revoked key row matching a presented plaintext key."""
    row = session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_key(key))).first()
    if row is None or row.revoked_at is not None:
        return None
    return row
