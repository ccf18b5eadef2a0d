"""Accepting one uploaded file: sniff its bytes, probe it, classify it, store it.

Probing and classification run in a sandboxed child process, storing in a worker thread; the
event loop only waits. Every rejection is a
`(code, message)` the client sees next to the file's name; nothing about the client's file name
reaches the filesystem, which only ever sees the content hash.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

from ledgerlens.api.deps import AppState
from ledgerlens.config import Settings
from ledgerlens.documents.loader import FileProbe
from ledgerlens.errors import ErrorCode
from ledgerlens.jobs import store
from ledgerlens.jobs.models import StoredFile
from ledgerlens.jobs.sandbox import Outcome, run_isolated

log = logging.getLogger("ledgerlens.api")

MAX_FILENAME_CHARS = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\"\\/]+")


def clean_filename(raw: str | None) -> str:
    """A display name: last path component, no control characters or quotes, bounded length.

    Format characters (Unicode category Cf) are dropped: bidi overrides and isolates (U+202A-202E,
    U+2066-2069, U+200E/200F, U+061C) make 'invoice' + U+202E + 'fdp.exe' show as 'invoiceexe.pdf', and
    zero-width ones make two names look alike.
    """
    name = "".join(c for c in raw or "" if unicodedata.category(c) != "Cf")
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_FILENAME_CHARS - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name
        name = name[:MAX_FILENAME_CHARS]
    return name or "document"


@dataclass(slots=True)
class Intake:
    filename: str
    size: int
    stored: StoredFile | None = None
    error: tuple[ErrorCode, str] | None = None

    def as_json(self) -> dict[str, Any]:
        if self.stored is None:
            code, message = self.error or (ErrorCode.INTERNAL_SERVER_ERROR, "Not stored.")
            return {
                "filename": self.filename,
                "type": None,
                "validation": None,
                "error": {"code": str(code), "message": message},
            }
        row = self.stored
        return {
            "doc_id": row.id,
            "filename": row.filename,
            "type": row.type,
            "validation": {"page_count": row.page_count, "file_size": row.size, "format": row.format},
        }


def too_large(filename: str, size: int, limit: int) -> Intake:
    return Intake(
        filename=clean_filename(filename),
        size=size,
        error=(ErrorCode.FILE_TOO_LARGE, f"The file is larger than the limit of {limit} bytes."),
    )


async def accept_file(state: AppState, tenant_id: str, filename: str, read: Callable[[], bytes]) -> Intake:
    """Validate and store one upload; a bad file gives an Intake with `error`, never an exception.

    The bytes are only ever read by a sandboxed child (`pipeline.probe_upload`): PDFium and
    Tesseract on a hostile file may crash, hang or allocate without bound, and must not do so in
    the API process. `state.probe_slots` bounds how many such children run at once; the bytes are
    read (`read()`) only once a slot is free, so queued uploads are not all held in memory.
    """
    name = clean_filename(filename)
    async with state.probe_slots:
        data = read()
        outcome = await run_in_threadpool(_probe, state.settings, data, name)
    intake = Intake(filename=name, size=len(data))
    found = {m[0]: m[1] for m in outcome.messages if len(m) == 2}
    info: FileProbe | None = found.get("probe")
    if info is None:
        intake.error = _rejection(outcome, state.settings)
        return intake
    doc_type = str(found.get("type") or "other")
    intake.stored = await run_in_threadpool(_store, state, tenant_id, name, data, info, doc_type)
    return intake


def _probe(settings: Settings, data: bytes, name: str) -> Outcome:
    from ledgerlens.pipeline import probe_upload

    outcome = run_isolated(
        probe_upload,
        (data, settings),
        seconds=settings.probe_timeout_seconds,
        memory_mb=settings.max_memory_mb,
        name="upload-probe",
        after={"probe": settings.classify_timeout_seconds},
    )
    if outcome.ended == "crashed":
        detail = f":\n{outcome.trace}" if outcome.trace else ""
        log.error("probing %r failed (exit code %s)%s", name, outcome.exitcode, detail)
    elif outcome.ended == "timeout" and any(m[0] == "probe" for m in outcome.messages):
        log.warning("classifying %r took too long; stored as type 'other'", name)
    return outcome


def _rejection(outcome: Outcome, settings: Settings) -> tuple[ErrorCode, str]:
    """Why a file whose page tree was never read is refused."""
    if outcome.error is not None:
        return outcome.error
    if outcome.ended == "timeout":
        return (
            ErrorCode.LIMIT_EXCEEDED,
            f"Reading the file took longer than the limit of {settings.probe_timeout_seconds:g} seconds.",
        )
    return ErrorCode.CORRUPT_DOCUMENT, "The file could not be read: its reader failed on it."


def _store(
    state: AppState, tenant_id: str, name: str, data: bytes, info: FileProbe, doc_type: str
) -> StoredFile:
    sha = state.blobs.put(data)
    with state.sessions() as session:
        stored = store.create_file(
            session,
            tenant_id=tenant_id,
            filename=name,
            content_type=info.content_type,
            fmt=info.format,
            size=len(data),
            sha256=sha,
            page_count=info.page_count,
            doc_type=doc_type,
        )
    # A concurrent DELETE of another file with the same bytes may have removed the blob between
    # `put` and the insert above; now that our row references it, make sure it is there.
    if not state.blobs.exists(sha):
        state.blobs.put(data)
    return stored
