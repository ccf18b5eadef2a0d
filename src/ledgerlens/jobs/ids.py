"""Public ids: UUIDs for documents, `job_<digits>` / `batch_<digits>` for jobs and batches.

Numeric ids are time-ordered with random low digits, so they sort by creation and do not
reveal how many jobs other tenants run.
"""

from __future__ import annotations

import secrets
import time
import uuid


def new_uuid() -> str:
    return str(uuid.uuid4())


def new_numeric_id() -> int:
    """~ milliseconds since 2024 * 10^6 + 6 random digits; fits in a signed 64-bit integer."""
    ms = int(time.time() * 1000) - 1_704_067_200_000
    return ms * 1_000_000 + secrets.randbelow(1_000_000)


def format_job_id(job_id: int) -> str:
    return f"job_{job_id}"


def format_batch_id(batch_id: int) -> str:
    return f"batch_{batch_id}"


def parse_prefixed_id(value: str, prefix: str) -> int | None:
    """`job_123` -> 123 for prefix "job"; None for anything malformed (answered as 404)."""
    head, sep, digits = value.partition("_")
    if head != prefix or not sep or not digits.isdigit() or len(digits) > 19:
        return None
    number = int(digits)
    return number if number < 2**63 else None
