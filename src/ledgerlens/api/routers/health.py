"""Liveness and readiness without credentials: is the process up and the database reachable."""

from __future__ import annotations

import logging
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ledgerlens import __version__
from ledgerlens.api.deps import AppState, get_state
from ledgerlens.api.docs_models import Envelope, ErrorEnvelope, Health
from ledgerlens.api.envelope import error_response, ok
from ledgerlens.errors import ErrorCode

log = logging.getLogger("ledgerlens.api")

router = APIRouter(tags=["health"])

PROBE_SQL = "SELECT 1 FROM tenants LIMIT 1"
PROBE_TIMEOUT_SECONDS = 5.0


def _sqlite_file(state: AppState) -> Path | None:
    url = state.engine.url
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI filename: the pooled check below is all we can do
    return Path(database).resolve()


def _probe_sqlite_file(path: Path) -> None:
    """A fresh connection that may not create the file: pooled connections keep working on a
    database file that was deleted or moved away (they hold it open), so only a new one tells
    whether the configured database is still there for the next connection, worker or restart."""
    uri = "file:" + urllib.parse.quote(str(path)) + "?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=PROBE_TIMEOUT_SECONDS)
    try:
        conn.execute(PROBE_SQL).fetchall()
    finally:
        conn.close()


def _database_ok(state: AppState) -> bool:
    try:
        path = _sqlite_file(state)
        if path is not None:
            _probe_sqlite_file(path)
        else:
            with state.engine.connect() as conn:
                conn.execute(text(PROBE_SQL)).fetchall()
        return True
    except Exception as exc:
        log.error("health check: database not reachable: %s: %s", type(exc).__name__, exc)
        return False


@router.get(
    "/health",
    summary="Service and database status (no authentication)",
    responses={200: {"model": Envelope[Health]}, 503: {"model": ErrorEnvelope}},
)
async def health(state: Annotated[AppState, Depends(get_state)]) -> Response:
    if not await run_in_threadpool(_database_ok, state):
        return error_response(
            ErrorCode.INTERNAL_SERVER_ERROR,
            "Database not reachable.",
            "The service cannot read its database; see the server log.",
            status_code=503,
        )
    return ok({"status": "ok", "database": "ok", "version": __version__})
