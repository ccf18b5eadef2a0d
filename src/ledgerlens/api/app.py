"""The FastAPI application: routers under /api/v1, the envelope for every error, request ids.

To add a resource, append its router to `ROUTERS`; to add a middleware, add it in
`install_middleware` before the request-id middleware (which must stay outermost so that even
responses produced by other middlewares carry `X-Request-ID`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from ledgerlens import __version__
from ledgerlens.api.deps import AppState
from ledgerlens.api.docs_models import finish_document
from ledgerlens.api.envelope import install_error_handlers
from ledgerlens.api.fastpath import StatusFastPath
from ledgerlens.api.headers import SecurityHeadersMiddleware
from ledgerlens.api.limits import RequestLimitsMiddleware
from ledgerlens.api.ratelimit import RateLimitMiddleware
from ledgerlens.api.requestid import ACCESS_LOGGER, RequestIdMiddleware, install_access_log_request_ids
from ledgerlens.api.routers import files, health, metrics, parse, schemas
from ledgerlens.config import Settings, get_settings

API_PREFIX = "/api/v1"

ROUTERS: list[APIRouter] = [
    parse.router,
    files.router,
    schemas.router,
    health.router,
]
"""Mounted under API_PREFIX, in this order (parse first: its status GETs are the hot path and
routes are matched in order)."""

PUBLIC_PATHS = frozenset(
    {"/health", f"{API_PREFIX}/health", "/docs", "/openapi.json", "/docs/oauth2-redirect"}
)
"""Paths served without a bearer token (documented in the OpenAPI security section)."""


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Innermost first. Starlette wraps each added middleware around the previous ones."""
    if settings.status_fast_path:
        app.add_middleware(StatusFastPath, state=app.state.ledgerlens)
    if settings.rate_limit_per_minute > 0:
        app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(RequestLimitsMiddleware, settings=settings)  # before rate limit, auth, routing
    app.add_middleware(SecurityHeadersMiddleware)  # also on the refusals of the limits
    app.add_middleware(RequestIdMiddleware)  # keep last: outermost


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    state = AppState.build(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Applied at startup, after the server configured its logging. Per-request access lines
        # cost more CPU than a whole status GET; errors are logged (with request ids) regardless.
        logging.getLogger(ACCESS_LOGGER).disabled = not settings.access_log
        if settings.access_log:
            install_access_log_request_ids()
        yield
        state.close()

    app = FastAPI(
        title="ledgerlens",
        summary="API for processing bank statements and invoices using OCR and AI",
        description=(
            "Invaro-compatible document processing API: upload → job → poll → results. "
            "Every endpoint except /health and these docs needs `Authorization: Bearer <token>`."
        ),
        version=__version__,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.ledgerlens = state
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(health.router, include_in_schema=False)  # /health for load balancers
    app.include_router(metrics.router, include_in_schema=False)  # /metrics for Prometheus (no token)
    install_middleware(app, settings)
    _document_bearer_auth(app)
    return app


def _document_bearer_auth(app: FastAPI) -> None:
    """Declare bearer auth in the OpenAPI document (enforced by `get_principal`, not by FastAPI)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "API key or JWT"}
        }
        for path, operations in schema.get("paths", {}).items():
            if path in PUBLIC_PATHS:
                continue
            for operation in operations.values():
                if isinstance(operation, dict):
                    operation["security"] = [{"bearer": []}]
        finish_document(schema, API_PREFIX)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
