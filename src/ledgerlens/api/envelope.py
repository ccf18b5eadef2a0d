"""The response envelope and the mapping of every kind of failure onto it.

Success: `{"success": true, "data": ...}`; error: `{"success": false, "error": {code, message,
details}}`. FastAPI's own errors (validation, unknown route, wrong method) are rewritten here so a
client never sees a second error shape.
"""

from __future__ import annotations

import json
import logging
import re
import weakref
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import compile_path

from ledgerlens.errors import HTTP_STATUS, ErrorCode, LedgerlensError

log = logging.getLogger("ledgerlens.api")

JSON_TYPE = "application/json"

# Pydantic error types that mean the request is malformed rather than a field value being wrong.
_MALFORMED_TYPES = frozenset(
    {
        "missing",
        "json_invalid",
        "json_type",
        "model_type",
        "model_attributes_type",
        "dict_type",
        "list_type",
        "literal_error",
        "enum",
        "extra_forbidden",
    }
)


def dumps(value: Any) -> str:
    """Response JSON. `NaN`/`Infinity` are not JSON: a response holding one is a bug (a 500 that
    is logged), never a body clients cannot parse."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def json_response(
    body: str | bytes, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        content=body.encode("utf-8") if isinstance(body, str) else body,
        status_code=status_code,
        media_type=JSON_TYPE,
        headers=headers,
    )


def ok(data: Any, status_code: int = 200) -> Response:
    return json_response('{"success":true,"data":' + dumps(data) + "}", status_code)


def ok_raw(data_json: str, status_code: int = 200) -> Response:
    """`data_json` is already serialized JSON (e.g. a stored result), embedded without re-parsing."""
    return json_response(ok_raw_body(data_json), status_code)


def ok_raw_body(data_json: str) -> bytes:
    """The success envelope around already serialized `data` (shared with `api.fastpath`)."""
    return ('{"success":true,"data":' + data_json + "}").encode("utf-8")


def error_payload(code: ErrorCode | str, message: str, details: str | None = None) -> dict[str, Any]:
    return {"success": False, "error": {"code": str(code), "message": message, "details": details}}


def error_response(
    code: ErrorCode,
    message: str,
    details: str | None = None,
    status_code: int | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    status = status_code if status_code is not None else HTTP_STATUS[code]
    if code == ErrorCode.UNAUTHORIZED:
        headers = {"WWW-Authenticate": "Bearer", **(headers or {})}
    return json_response(dumps(error_payload(code, message, details)), status, headers)


def _loc(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header") and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "request"


def validation_error_response(errors: Sequence[Any]) -> Response:
    """Malformed requests are INVALID_REQUEST, well-formed ones with bad values VALIDATION_ERROR."""
    details = "; ".join(f"{_loc(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors)
    malformed = any(e.get("type") in _MALFORMED_TYPES for e in errors)
    if malformed:
        return error_response(ErrorCode.INVALID_REQUEST, "The request is malformed.", details or None)
    return error_response(ErrorCode.VALIDATION_ERROR, "Request fields failed validation.", details or None)


_STATUS_CODES: dict[int, tuple[ErrorCode, str]] = {
    400: (ErrorCode.INVALID_REQUEST, "The request is malformed."),
    401: (ErrorCode.UNAUTHORIZED, "Authentication required."),
    403: (ErrorCode.FORBIDDEN, "Not allowed."),
    404: (ErrorCode.NOT_FOUND, "No such resource."),
    405: (ErrorCode.INVALID_REQUEST, "Method not allowed on this resource."),
    409: (ErrorCode.CONFLICT, "Conflict."),
    410: (ErrorCode.GONE, "Gone."),
    413: (ErrorCode.FILE_TOO_LARGE, "Request too large."),
    415: (ErrorCode.UNSUPPORTED_FORMAT, "Unsupported media type."),
    422: (ErrorCode.VALIDATION_ERROR, "Request fields failed validation."),
    429: (ErrorCode.RATE_LIMIT_EXCEEDED, "Too many requests."),
}


def install_error_handlers(app: FastAPI) -> None:
    async def on_ledgerlens_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LedgerlensError)
        code = exc.code
        status = exc.http_status
        if code not in _PUBLIC_CODES:
            # Internal-only codes (TIMEOUT, LIMIT_EXCEEDED) are reported with their nearest public one.
            code, status = _PUBLIC_EQUIVALENT.get(code, (ErrorCode.INTERNAL_SERVER_ERROR, 500))
        return error_response(code, exc.message, exc.details, status)

    async def on_validation_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return validation_error_response(exc.errors())

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code, message = _STATUS_CODES.get(
            exc.status_code,
            (ErrorCode.INTERNAL_SERVER_ERROR, "Unexpected error.")
            if exc.status_code >= 500
            else (ErrorCode.INVALID_REQUEST, "The request cannot be served."),
        )
        if exc.status_code == 404:
            message = "No such resource."
        elif isinstance(exc.detail, str) and exc.detail and exc.status_code != 500:
            message = exc.detail
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(code, message, None, exc.status_code, headers)

    app.add_exception_handler(LedgerlensError, on_ledgerlens_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)


_RouteTable = list[tuple[re.Pattern[str], bool, frozenset[str]]]
_route_tables: weakref.WeakKeyDictionary[Any, _RouteTable] = weakref.WeakKeyDictionary()


def _route_table(app: Any) -> _RouteTable:
    """(path regex, has path parameters, methods) of every route of `app`, built once per app.
    FastAPI >= 0.16x keeps included routers unflattened; `iter_route_contexts` flattens them."""
    table = _route_tables.get(app)
    if table is None:
        try:
            from fastapi.routing import iter_route_contexts

            routes: list[Any] = list(iter_route_contexts(app.routes))
        except ImportError:  # older FastAPI: `app.routes` is already flat
            routes = list(app.routes)
        table = []
        for route in routes:
            path, methods = getattr(route, "path", None), getattr(route, "methods", None)
            if isinstance(path, str) and methods:
                regex, _format, convertors = compile_path(path)
                table.append((regex, bool(convertors), frozenset(methods)))
        _route_tables[app] = table
    return table


def allowed_methods(request: Request) -> list[str]:
    """The methods of the resource at the request's path, for `Allow` on a 405 answer.

    Starlette names only the first route whose path matched, so `DELETE /files/{id}` would be left
    out of `PUT /files/x`'s answer. A literal path (`/parse/upload`) is a resource of its own even
    where a templated route (`/parse/{job_id}`) also matches it, so literal routes win there."""
    path = request.scope["path"]
    root_path = request.scope.get("root_path", "")
    if root_path and path.startswith(root_path + "/"):
        path = path[len(root_path) :]
    literal: set[str] = set()
    templated: set[str] = set()
    for regex, has_parameters, methods in _route_table(request.app):
        if regex.match(path):
            (templated if has_parameters else literal).update(methods)
    return sorted(literal or templated)


_PUBLIC_CODES = frozenset(ErrorCode) - {ErrorCode.TIMEOUT, ErrorCode.LIMIT_EXCEEDED}
_PUBLIC_EQUIVALENT: dict[ErrorCode, tuple[ErrorCode, int]] = {
    ErrorCode.LIMIT_EXCEEDED: (ErrorCode.FILE_TOO_LARGE, 413),
    ErrorCode.TIMEOUT: (ErrorCode.CORRUPT_DOCUMENT, 400),
}


def public_error(exc: LedgerlensError) -> tuple[ErrorCode, str]:
    """The client-facing (code, message) for an error raised below the HTTP layer."""
    if exc.code in _PUBLIC_CODES:
        return exc.code, exc.message
    return _PUBLIC_EQUIVALENT.get(exc.code, (ErrorCode.INTERNAL_SERVER_ERROR, 500))[0], exc.message
