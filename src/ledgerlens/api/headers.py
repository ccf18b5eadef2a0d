"""Response headers for what browsers and caches may do with our answers.

- `Cache-Control: no-store` on every `/api/v1/...` answer (and `/metrics`): they carry tenants'
  financial data (results, file bytes, names), errors included, and no shared or browser cache
  may keep them. A route's own Cache-Control is replaced, so one policy holds everywhere.
- HTML pages (`/docs` and its OAuth2 redirect page) get a Content-Security-Policy and
  `X-Frame-Options: DENY`. The policy allows the inline scripts of the page actually sent (by
  their sha256, computed from the body), so the page works and an injected script does not;
  Swagger UI's assets still come from FastAPI's CDN (`SWAGGER_ASSETS`) until they are vendored.
- `X-Content-Type-Options: nosniff` is set on every response by `requestid.RequestIdMiddleware`.

Pure ASGI: the hot status GETs pay one prefix test and one header scan.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_STORE_PREFIXES = ("/api/v1", "/metrics")
_NO_STORE = (b"cache-control", b"no-store")
_FRAME_DENY = (b"x-frame-options", b"DENY")
_OWN = frozenset({b"content-security-policy", b"x-frame-options"})

SWAGGER_ASSETS = "https://cdn.jsdelivr.net"
"""Where FastAPI's /docs page loads swagger-ui-bundle.js and swagger-ui.css from."""
SWAGGER_FAVICON = "https://fastapi.tiangolo.com"
MAX_HTML_BYTES = 512 * 1024
"""HTML bodies up to this size are held to hash their inline scripts; a larger page is sent as it
comes with a policy that allows no inline script."""
_INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def content_security_policy(html: bytes | None) -> str:
    """The policy for one HTML page: its inline scripts by hash, Swagger UI's assets, no framing.

    Styles may be inline (Swagger UI sets them from script), images may be data:/blob: URLs
    (its icons and previews of image responses); requests go to this origin only.
    """
    hashes = []
    for script in _INLINE_SCRIPT.findall(html or b""):
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    return "; ".join(
        (
            "default-src 'none'",
            " ".join(("script-src 'self'", SWAGGER_ASSETS, *hashes)),
            f"style-src 'self' {SWAGGER_ASSETS} 'unsafe-inline'",
            f"img-src 'self' data: blob: {SWAGGER_FAVICON}",
            f"font-src 'self' data: {SWAGGER_ASSETS}",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        )
    )


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name.lower() == b"content-type":
            return value[:9].lower() == b"text/html"
    return False


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = scope["path"].startswith(NO_STORE_PREFIXES)
        held: Message | None = None
        body = bytearray()

        async def send_with_headers(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                if no_store:
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.append(_NO_STORE)
                message["headers"] = headers
                if _is_html(headers):
                    held = message  # sent with its policy once the page is complete
                    return
                await send(message)
            elif held is not None and message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                more = bool(message.get("more_body", False))
                if more and len(body) <= MAX_HTML_BYTES:
                    return
                start, held = held, None
                complete = not more
                csp = content_security_policy(bytes(body) if complete else None)
                start["headers"] = [
                    *(h for h in start["headers"] if h[0].lower() not in _OWN),
                    (b"content-security-policy", csp.encode("ascii")),
                    _FRAME_DENY,
                ]
                await send(start)
                await send({"type": "http.response.body", "body": bytes(body), "more_body": more})
                body.clear()
            else:
                await send(message)

        await self.app(scope, receive, send_with_headers)
