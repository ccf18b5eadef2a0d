"""Liveness and readiness without credentials: is the process up and the database reachable."""

from __future__ import annotations

import logging
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


def _database_ok(state: AppState) -> bool:
    try:
        with state.engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM tenants LIMIT 1"))
        return True
    except Exception:
        log.exception("health check: database not reachable")
        return False


@router.get(
    "/health",
    summary="Service and database status (no authentication)",
    responses={200: {"model": Envelope[Health]}, 503: {"model": ErrorEnvelope}},
)
async def health(state: Annotated[AppState, Depends(get_state)]) -> Response:
    if not await run_in_threadpool(_database_ok, state):
        return error_response(
            ErrorCode.INTERNAL_SERVER_ERROR, "Database not reachable.", None, status_code=503
        )
    return ok({"status": "ok", "database": "ok", "version": __version__})
