"""Outermost ASGI middleware: a request id (and `nosniff`) on every response, and the last-resort 500.

Pure ASGI (not BaseHTTPMiddleware) because it wraps every request, including the hot status GETs.
It also catches anything that escaped the routers, so even an unexpected crash answers in the
envelope with `X-Request-ID` and the traceback goes to the log, never to the client. When the
access log is on, each uvicorn access line ends with ` request_id=<id>` so a client's report can
be matched to its line (`install_access_log_request_ids`).
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledgerlens.api.envelope import dumps, error_payload
from ledgerlens.errors import ErrorCode

HEADER = b"x-request-id"
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_OWN_HEADERS = frozenset({HEADER, _NOSNIFF[0]})
_SANE = re.compile(rb"^[A-Za-z0-9._:\-]{1,128}$")

log = logging.getLogger("ledgerlens.api")
current_request_id: ContextVar[str | None] = ContextVar("ledgerlens_request_id", default=None)


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == HEADER:
            if _SANE.match(value):
                return str(value.decode("ascii"))
            break
    return uuid.uuid4().hex


def request_id_of(scope: Scope) -> str | None:
    state = scope.get("state")
    if isinstance(state, dict):
        value = state.get("request_id")
        return value if isinstance(value, str) else None
    return None


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope)
        state = scope.setdefault("state", {})
        if isinstance(state, dict):
            state["request_id"] = request_id
        token = current_request_id.set(request_id)
        header = (HEADER, request_id.encode("ascii"))
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", ()) if h[0].lower() not in _OWN_HEADERS]
                headers.append(header)
                headers.append(_NOSNIFF)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error request_id=%s %s %s", request_id, scope["method"], scope["path"])
            if started:
                raise
            body = dumps(
                error_payload(
                    ErrorCode.INTERNAL_SERVER_ERROR,
                    "An unexpected error occurred.",
                    f"Quote request id {request_id} when reporting this.",
                )
            ).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"cache-control", b"no-store"),
                        header,
                        _NOSNIFF,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
        finally:
            current_request_id.reset(token)


ACCESS_LOGGER = "uvicorn.access"


class _StampRequestId(logging.Filter):
    """Runs where the record is made (inside the request's context, since uvicorn logs the access
    line when the response starts), so the context variable still holds this request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class _AppendRequestId(logging.Formatter):
    """Wraps the handler's own formatter (uvicorn's, or whatever the log config set) and appends the
    id, so the configured line format is kept whatever its arguments are."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record)
        request_id = getattr(record, "request_id", None)
        return f"{text} request_id={request_id}" if request_id else text


def install_access_log_request_ids(logger: logging.Logger | None = None) -> None:
    """Add the request id to every access line of `logger` (default uvicorn's); idempotent."""
    logger = logger or logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, _StampRequestId) for f in logger.filters):
        logger.addFilter(_StampRequestId())
    for handler in logger.handlers:
        if not isinstance(handler.formatter, _AppendRequestId):
            handler.setFormatter(_AppendRequestId(handler.formatter))
