"""Every JSON-body route reads its body the same strict way (api.jsonbody): a body that is not
standard JSON, cannot be stored as UTF-8 or nests without bound is a 400, never a 500."""

from __future__ import annotations

import uuid

import pytest

from tests.api.live import LiveServer
from tests.api_extras.helpers import assert_error

JSON_ROUTES = (
    "/parse",
    "/parse/statements",
    "/parse/invoices",
    "/parse/batch",
    "/parse/statements/batch",
    "/parse/invoices/batch",
    "/schemas",
)
DEEP = b"[" * 50_000 + b"]" * 50_000
BAD_BODIES = {
    "lone high surrogate": b'{"document_id": "\\ud800"}',
    "lone low surrogate in an ignored member": b'{"document_id": "x", "note": "\\udfff"}',
    "surrogate in a batch file": b'{"files": [{"document_id": "\\ud800x"}]}',
    "raw UTF-8 surrogate bytes": b'{"document_id": "\xed\xa0\x80"}',
    "50,000 nested arrays": DEEP,
    "50,000 nested arrays in a member": b'{"document_id": "x", "extra": ' + DEEP + b"}",
    "NaN": b'{"document_id": "x", "n": NaN}',
    "Infinity": b'{"files": [{"document_id": "x"}], "n": -Infinity}',
    "a number too large for a float": b'{"document_id": "x", "n": 1e999}',
    "NUL in a string": b'{"document_id": "a\\u0000b"}',
    "not JSON": b"{document_id: x}",
}


@pytest.mark.parametrize("path", JSON_ROUTES)
def test_bad_json_bodies_are_invalid_request(server: LiveServer, path: str) -> None:
    with server.client(server.key_a) as c:
        for what, body in BAD_BODIES.items():
            r = c.post(path, content=body, headers={"content-type": "application/json"})
            error = assert_error(r, 400, "INVALID_REQUEST")
            assert error["details"], what
        # well-formed bodies still reach the route's own checks
        unknown = str(uuid.uuid4())
        body = {"files": [{"document_id": unknown}]} if "batch" in path else {"document_id": unknown}
        if path == "/schemas":
            assert_error(c.post(path, json={"name": "x", "type": "receipt"}), 400, "INVALID_REQUEST")
        else:
            assert_error(c.post(path, json=body), 404, "NOT_FOUND")
