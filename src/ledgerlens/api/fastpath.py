"""Job-status GETs answered in front of FastAPI's routing.

Clients poll `GET /api/v1/parse/{job_id}` (and the `statements/` and `invoices/` variants) far more
often than anything else, and for those requests FastAPI's routing, request objects and exception
middleware cost several times the work itself. This ASGI layer sits inside the request-id and
rate-limit middlewares (so those apply unchanged) and in front of the rest: it answers a status GET
that succeeds with the same authenticator, the same row read (`AppState.job_status_row`) and the
same body (`views.job_status_body` in the `envelope` success shape) as the routers in
`routers/parse.py`. Anything else, including every error (bad token, unknown or foreign job, wrong
type), goes on to the FastAPI app, so error envelopes have one source. Responses are identical
byte for byte either way (tests/api/test_fastpath.py compares both paths).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ledgerlens.api.deps import AppState
from ledgerlens.api.envelope import JSON_TYPE, ok_raw_body
from ledgerlens.api.views import effective_type, job_status_body
from ledgerlens.errors import LedgerlensError
from ledgerlens.jobs.ids import parse_prefixed_id

PARSE_PREFIX = "/api/v1/parse/"
ROUTES: dict[str, tuple[str | None, str]] = {
    "": (None, "result"),
    "statements/": ("bank_statement", "results"),
    "invoices/": ("invoice", "result"),
}
"""Path after PARSE_PREFIX up to the job id -> (required effective type, result key), as routed
by `routers/parse.py`."""
_CONTENT_TYPE = (b"content-type", JSON_TYPE.encode("latin-1"))


def match(path: str) -> tuple[str, str | None, str] | None:
    """(job id, required type, result key) when `path` is one of the status GETs."""
    if not path.startswith(PARSE_PREFIX):
        return None
    rest = path[len(PARSE_PREFIX) :]
    head, slash, job_id = rest.partition("/")
    if not slash:
        head, job_id = "", rest
    else:
        head += "/"
    route = ROUTES.get(head)
    if route is None or not job_id or "/" in job_id:
        return None
    return job_id, route[0], route[1]


def _authorization(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return str(value.decode("latin-1"))
    return None


class StatusFastPath:
    """ASGI middleware: successful status GETs here, everything else to `app`."""

    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            found = match(scope["path"])
            if found is not None and await self._answer(found, scope, send):
                return
        await self.app(scope, receive, send)

    async def _answer(self, found: tuple[str, str | None, str], scope: Scope, send: Send) -> bool:
        job_id, want, key = found
        number = parse_prefixed_id(job_id, "job")
        if number is None:
            return False
        state = self.state
        try:
            principal = await state.auth.authenticate(_authorization(scope))
        except LedgerlensError:
            return False  # the router answers 401 (the rejection is cached, so that costs little)
        row = await state.job_status_row(principal.tenant_id, number)
        if row is None or (want is not None and effective_type(row) != want):
            return False
        body = ok_raw_body(job_status_body(row, key))
        headers = [(b"content-length", str(len(body)).encode("latin-1")), _CONTENT_TYPE]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        state.fast_status_answers += 1
        return True
