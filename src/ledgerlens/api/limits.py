"""Request limits enforced before authentication: header bytes, header count and body size.

- Header bytes are bounded in the HTTP parser, before any of this runs (`api.headlimit`).
- `RequestLimitsMiddleware` (outermost but for the request id and response headers): too many
  header fields (431), a declared `Content-Length` over the route's limit (413 at once, the body is
  never read), and a streamed (chunked) body counted as it is received (413 once it passes the
  limit). Upload routes may carry `max_files_per_request` files of `max_file_bytes` plus multipart
  overhead; every other route `LEDGERLENS_MAX_BODY_BYTES`.

Refusals use the error envelope of spec/API.md and close the connection, so a client cannot make
the server read (and discard) a body it already refused.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledgerlens.api.envelope import dumps, error_payload
from ledgerlens.api.multipart import BODY_OVERHEAD_BYTES
from ledgerlens.config import Settings
from ledgerlens.errors import ErrorCode, LedgerlensError

API_PREFIX = "/api/v1"
UPLOAD_PATHS = frozenset(
    f"{API_PREFIX}{p}"
    for p in ("/files/upload", "/parse/upload", "/parse", "/parse/statements", "/parse/invoices")
)
"""POST routes that take multipart uploads (the last three also take a JSON body, which gets the
small limit)."""


def error_body(code: ErrorCode, message: str, details: str | None = None) -> bytes:
    return dumps(error_payload(code, message, details)).encode("utf-8")


def refusal_headers(body: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("latin-1")),
        (b"connection", b"close"),
    ]


class _BodyTooLarge(LedgerlensError):
    """Raised to the app from `receive` after the 413 was sent; its own answer is dropped."""


def body_limit(settings: Settings, scope: Scope) -> tuple[int, bool]:
    """(allowed body bytes, whether it is an upload) for this request."""
    if scope["method"] == "POST" and scope["path"] in UPLOAD_PATHS:
        for name, value in scope["headers"]:
            if name == b"content-type":
                if value[:19].lower() == b"multipart/form-data":
                    upload = settings.max_files_per_request * settings.max_file_bytes
                    return upload + BODY_OVERHEAD_BYTES, True
                break
    return settings.max_body_bytes, False


class RequestLimitsMiddleware:
    """ASGI middleware: header count and body size, before rate limiting, auth and routing."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.max_headers = settings.max_header_count

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        if len(headers) > self.max_headers:
            await self._refuse(
                send,
                431,
                ErrorCode.INVALID_REQUEST,
                "Too many request header fields.",
                f"At most {self.max_headers} header fields.",
            )
            return
        declared: bytes | None = None
        streamed = False
        for name, value in headers:
            if name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                streamed = True
        if declared is None and not streamed:
            await self.app(scope, receive, send)  # no body (the hot status GETs end here)
            return
        limit, upload = body_limit(self.settings, scope)
        if declared is not None and not streamed:
            if not declared.strip().isdigit():
                await self._refuse(send, 400, ErrorCode.INVALID_REQUEST, "Invalid Content-Length.")
                return
            if int(declared) > limit:
                await self._too_large(send, limit, upload)
                return
        await self._counted(scope, receive, send, limit, upload)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int, upload: bool) -> None:
        """Run the app with a `receive` that counts body bytes and refuses past `limit`."""
        received = 0
        started = False
        refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                raise _BodyTooLarge(ErrorCode.FILE_TOO_LARGE, "The request body is too large.")
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await self._too_large(send, limit, upload)
                    raise _BodyTooLarge(ErrorCode.FILE_TOO_LARGE, "The request body is too large.")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the app's answer to the exception above; the 413 is already sent
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception:
            if not refused:
                raise

    async def _too_large(self, send: Send, limit: int, upload: bool) -> None:
        if upload:
            settings = self.settings
            details = (
                f"At most {settings.max_files_per_request} files of {settings.max_file_bytes} bytes each."
            )
            await self._refuse(
                send,
                413,
                ErrorCode.FILE_TOO_LARGE,
                "The request body is larger than the upload limits allow.",
                details,
            )
        else:
            await self._refuse(
                send, 413, ErrorCode.FILE_TOO_LARGE, f"The request body is larger than {limit} bytes."
            )

    @staticmethod
    async def _refuse(
        send: Send, status: int, code: ErrorCode, message: str, details: str | None = None
    ) -> None:
        body = error_body(code, message, details)
        await send({"type": "http.response.start", "status": status, "headers": refusal_headers(body)})
        await send({"type": "http.response.body", "body": body})
