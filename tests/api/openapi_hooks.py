"""Schemathesis hooks for runs against a ledgerlens server (tests/api/test_openapi_conformance.py,
bench/openapi_fuzz.py): `SCHEMATHESIS_HOOKS=tests.api.openapi_hooks` with the repository on the path.

They teach the generator what the OpenAPI document states but JSON Schema cannot express; no check
is switched off here.

- Upload parts are documented as PDF/JPEG/PNG/TIFF/WEBP files (the multipart `encoding`); the server
  sniffs the bytes, so a generated part must be a real file of one of those formats: each media type
  gets a strategy drawing such files (small, so probing them costs little).
- JSON bodies are strict JSON (api/jsonbody.py, stated in the document's description): strings carry
  no NUL and no lone surrogate. The config keeps them out of generated strings (`allow-x00`,
  `codec`), but the coverage phase draws free-form values (the extra keys of `schema_string`)
  without that alphabet, so they are taken out of JSON bodies before sending.
- `schema_string` field names must be unique once trimmed (the document says so in words; JSON
  Schema's `uniqueItems` cannot see that `"a"`, `" a"` and `{"name": "a"}` name one field): a
  repeated name gets a numbered suffix before the request is sent. (Schemathesis re-classifies a
  case a hook changed, so a negative case that this makes valid counts as positive.)

Generated `callback_url`s name arbitrary hosts: run the server without webhook delivery
(`start_live_server(..., api_only=True)`) so that nothing is ever sent to them.
"""

from __future__ import annotations

import io
from typing import Any

import schemathesis
from hypothesis import strategies as st
from PIL import Image

SCHEMA_BODY_OPERATIONS = frozenset({"POST /api/v1/schemas", "PUT /api/v1/schemas/id/{schema_id}"})


def _image(fmt: str, size: tuple[int, int], color: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, color).save(out, format=fmt)
    return out.getvalue()


def _samples(fmt: str) -> list[bytes]:
    return [_image(fmt, size, color) for size, color in (((1, 1), 255), ((16, 8), 0), ((40, 40), 200))]


DOCUMENT_SAMPLES: dict[str, list[bytes]] = {
    "application/pdf": _samples("PDF"),
    "image/jpeg": _samples("JPEG"),
    "image/png": _samples("PNG"),
    "image/tiff": _samples("TIFF"),
    "image/webp": _samples("WEBP"),
}

for _media_type, _files in DOCUMENT_SAMPLES.items():
    schemathesis.openapi.media_type(_media_type, st.sampled_from(_files))


def _unique_field_names(body: dict[str, Any]) -> dict[str, Any]:
    schema = body.get("schema_string")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(schema, dict) or not isinstance(fields, list):
        return body
    seen: set[str] = set()
    unique: list[Any] = []
    for index, item in enumerate(fields):
        name = item if isinstance(item, str) else item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and name.strip() in seen:
            name = f"{name.strip()[:90]}#{index}"
            item = name if isinstance(item, str) else {**item, "name": name}
        if isinstance(name, str):
            seen.add(name.strip())
        unique.append(item)
    return {**body, "schema_string": {**schema, "fields": unique}}


def _strict_json_text(text: str) -> str:
    # A high and a low surrogate side by side make one character in JSON; a lone one is refused.
    paired = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return paired.replace("\x00", "")


def _strict_json(value: Any) -> Any:
    if isinstance(value, str):
        return _strict_json_text(value)
    if isinstance(value, list):
        return [_strict_json(item) for item in value]
    if isinstance(value, dict):
        return {_strict_json_text(k): _strict_json(v) for k, v in value.items()}
    return value


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    body = case.body
    if not isinstance(body, dict | list) or case.media_type != "application/json":
        return
    changed = _strict_json(body)
    if case.operation.label in SCHEMA_BODY_OPERATIONS and isinstance(changed, dict):
        changed = _unique_field_names(changed)
    if changed != body:
        case.body = changed
