"""JSON request bodies, read strictly and in one place for every route that takes JSON.

Only standard JSON (RFC 8259) that can be stored and sent back as UTF-8 JSON is accepted:

- no `NaN`, `Infinity`, `-Infinity`, nor numbers too large for a float (Python would make them
  infinite, and `json.dumps` writes infinities back out as `Infinity`, which is not JSON);
- no lone UTF-16 surrogates in `\\u` escapes (such a string cannot be encoded as UTF-8), no invalid
  UTF-8, no NUL characters (PostgreSQL text cannot hold them);
- nothing nested deeper than `MAX_DEPTH` arrays/objects.

Parsing never recurses in Python, so no body can reach the interpreter's recursion limit: jiter
(pydantic-core, in Rust, with its own nesting bound) parses, then depth, numbers and strings are
checked with an explicit stack. Route bodies fail with INVALID_REQUEST (400); `loads` raises
`JsonError` for callers that parse JSON held in a field (a VALIDATION_ERROR there).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from pydantic_core import from_json
from starlette.requests import Request
from starlette.responses import Response

from ledgerlens.errors import ErrorCode, LedgerlensError

MAX_DEPTH = 64
"""Arrays/objects nested in one another; the API's own bodies need 4 (a schema's fields: 5)."""

_BOM = b"\xef\xbb\xbf"
_CONSTANT = re.compile(rb"(?<![A-Za-z])(?:NaN|Infinity)(?![A-Za-z])")


class JsonError(ValueError):
    """Not acceptable JSON; the message says why (safe to show to the client)."""


def loads(raw: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse standard JSON (see the module doc); `JsonError` for anything else."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")  # jiter then refuses a raw lone surrogate
    if raw.startswith(_BOM):  # RFC 8259 §8.1: a parser MAY ignore a byte order mark
        raw = raw[len(_BOM) :]
    try:
        value = from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        reason = str(exc)
        if reason.startswith("recursion limit exceeded"):
            raise JsonError(f"JSON is nested deeper than {max_depth} levels.") from None
        if reason.startswith(("expected value", "invalid number")) and _CONSTANT.search(raw):
            reason += " (NaN and Infinity are not JSON numbers)"
        raise JsonError(reason) from None
    _check(value, max_depth)
    return value


def _check(value: Any, max_depth: int) -> None:
    """Depth, finite numbers and NUL-free strings, iteratively (one stack entry per container).

    jiter hands back exact built-in types, so `type(x) is ...` is safe and keeps this pass at a few
    tens of nanoseconds per value.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        kind = type(node)
        if kind is dict:
            children: Any = node.values()
            _check_strings(node)
        elif kind is list:
            children = node
        else:
            _check_scalar(node)
            continue
        if depth >= max_depth:
            raise JsonError(f"JSON is nested deeper than {max_depth} levels.")
        for item in children:
            kind = type(item)
            if kind is dict or kind is list:
                stack.append((item, depth + 1))
            elif kind is float or kind is str:
                _check_scalar(item)


def _check_strings(keys: Any) -> None:
    for key in keys:
        if "\x00" in key:
            raise JsonError("A JSON string contains a NUL character.")


def _check_scalar(item: Any) -> None:
    if type(item) is float and not math.isfinite(item):
        raise JsonError("JSON numbers must be finite (this one is too large for a float).")
    if type(item) is str and "\x00" in item:
        raise JsonError("A JSON string contains a NUL character.")


def parse_body(raw: bytes) -> Any:
    """A request body as JSON, or INVALID_REQUEST saying what is wrong with it."""
    try:
        return loads(raw)
    except JsonError as exc:
        raise LedgerlensError(
            ErrorCode.INVALID_REQUEST, "The request body is not valid JSON.", str(exc)
        ) from None


def is_json_content_type(value: str | None) -> bool:
    """What FastAPI decodes as JSON: no content type, application/json or application/*+json."""
    if not value:
        return True
    media = value.split(";", 1)[0].strip().lower()
    main, _, sub = media.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


class _StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_strict_json"):
            self._strict_json = parse_body(await self.body())
        return self._strict_json


class StrictJsonRoute(APIRoute):
    """An APIRoute whose JSON body is read with `parse_body` instead of `json.loads`.

    The body is parsed before FastAPI's own handler runs, so a bad body ends in the error envelope
    with its reason (FastAPI would turn any parse failure into a bare "error parsing the body").
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def strict_json_handler(request: Request) -> Response:
            request = _StrictJsonRequest(request.scope, request.receive)
            if is_json_content_type(request.headers.get("content-type")) and await request.body():
                await request.json()
            return await handler(request)

        return strict_json_handler
