"""API key material: how keys look and how they are hashed for storage.

Keys are random and long, so a fast unsalted sha256 is enough to make the stored hash useless to
someone reading the database, and it lets the API find a key by its hash with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets

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
