"""Custom schema CRUD on a live server: shapes, every error code, versioning, tenant isolation."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import httpx

from tests.api.live import LiveServer
from tests.api_extras.helpers import assert_error, data


def _create(client: httpx.Client, **overrides: Any) -> httpx.Response:
    body: dict[str, Any] = {
        "name": f"schema-{uuid.uuid4().hex[:8]}",
        "type": "invoice",
        "schema_string": {"fields": ["po_number"]},
    }
    body.update(overrides)
    return client.post("/schemas", json=body)


def _parse_ts(value: str) -> datetime:
    assert value.endswith("Z")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_create_returns_the_full_record_with_normalised_fields(server: LiveServer) -> None:
    with server.client(server.key_a) as c:
        schema = data(
            _create(
                c,
                name="  PO and cost centre  ",
                description="fields our ERP needs",
                schema_string={
                    "fields": ["po_number", {"name": " cost_center ", "type": "string", "hint": "CC-"}],
                    "locale": "de",
                },
            ),
            201,
        )
        assert set(schema) == {
            "id", "user_id", "name", "type", "description", "schema_string",
            "version", "is_active", "created_at", "updated_at",
        }  # fmt: skip
        uuid.UUID(schema["id"])
        assert schema["user_id"] == server.tenant_a
        assert schema["name"] == "PO and cost centre"
        assert schema["type"] == "invoice"
        assert schema["description"] == "fields our ERP needs"
        assert schema["schema_string"] == {
            "fields": [{"name": "po_number"}, {"name": "cost_center", "type": "string", "hint": "CC-"}],
            "locale": "de",
        }
        assert schema["version"] == 1 and schema["is_active"] is True
        assert _parse_ts(schema["created_at"]) == _parse_ts(schema["updated_at"])
        assert data(c.get(f"/schemas/id/{schema['id']}")) == schema


def test_schema_string_may_be_a_json_string(server: LiveServer) -> None:
    with server.client(server.key_a) as c:
        text = json.dumps({"fields": ["iban", {"name": "mandate_ref"}]})
        schema = data(_create(c, type="bank_statement", schema_string=text), 201)
        assert schema["type"] == "bank_statement"
        assert schema["schema_string"] == {"fields": [{"name": "iban"}, {"name": "mandate_ref"}]}


def test_names_are_unique_per_tenant_among_active_schemas(server: LiveServer) -> None:
    name = f"unique-{uuid.uuid4().hex[:6]}"
    with server.client(server.key_a) as a, server.client(server.key_b) as b:
        first = data(_create(a, name=name), 201)
        error = assert_error(_create(a, name=name, type="bank_statement"), 409, "SCHEMA_EXISTS")
        assert name in error["message"]
        assert data(_create(b, name=name), 201)["user_id"] == server.tenant_b  # other tenant: fine
        data(a.delete(f"/schemas/id/{first['id']}"))
        again = data(_create(a, name=name), 201)  # the old one is inactive now
        assert again["id"] != first["id"] and again["version"] == 1


def test_bad_type_is_invalid_schema_type(server: LiveServer) -> None:
    with server.client(server.key_a) as c:
        for bad in ("receipt", "", "INVOICE", 5, None):
            assert_error(_create(c, type=bad), 400, "INVALID_SCHEMA_TYPE")
        assert_error(c.get("/schemas/list", params={"type": "payslip"}), 400, "INVALID_SCHEMA_TYPE")


def test_bad_schema_string_and_bodies(server: LiveServer) -> None:
    bad_schemas: list[object] = [
        {},
        {"fields": []},
        {"fields": "po_number"},
        {"fields": [""]},
        {"fields": [{"type": "string"}]},
        {"fields": [42]},
        {"fields": ["a", " a "]},
        {"fields": ["x" * 101]},
        {"fields": [f"f{i}" for i in range(201)]},
        "not json",
        "[1, 2]",
    ]
    with server.client(server.key_a) as c:
        for bad in bad_schemas:
            assert_error(_create(c, schema_string=bad), 400, "VALIDATION_ERROR")
        assert_error(_create(c, name="   "), 400, "VALIDATION_ERROR")
        assert_error(_create(c, name="n" * 201), 400, "VALIDATION_ERROR")
        # Malformed requests: not JSON, or a required member missing.
        bad_json = c.post("/schemas", content=b"{not json", headers={"content-type": "application/json"})
        assert_error(bad_json, 400, "INVALID_REQUEST")
        assert_error(
            c.post("/schemas", json={"type": "invoice", "schema_string": {}}), 400, "INVALID_REQUEST"
        )
        assert_error(c.post("/schemas", json=["a"]), 400, "INVALID_REQUEST")


def test_update_bumps_version_and_keeps_name_and_type(server: LiveServer) -> None:
    with server.client(server.key_a) as c:
        created = data(_create(c, description="v1"), 201)
        url = f"/schemas/id/{created['id']}"
        v2 = data(c.put(url, json={"description": "v2"}))
        assert v2["version"] == 2 and v2["description"] == "v2"
        assert v2["schema_string"] == created["schema_string"]
        assert _parse_ts(v2["updated_at"]) > _parse_ts(created["updated_at"])
        assert v2["created_at"] == created["created_at"]
        v3 = data(c.put(url, json={"schema_string": {"fields": ["po_number", "delivery_date"]}}))
        assert v3["version"] == 3 and v3["description"] == "v2"
        assert [f["name"] for f in v3["schema_string"]["fields"]] == ["po_number", "delivery_date"]
        v4 = data(c.put(url, json={"description": None, "name": created["name"], "type": "invoice"}))
        assert v4["version"] == 4 and v4["description"] is None
        assert data(c.get(url))["version"] == 4

        assert_error(c.put(url, json={}), 400, "VALIDATION_ERROR")
        assert_error(c.put(url, json={"name": "renamed", "description": "x"}), 400, "VALIDATION_ERROR")
        assert_error(c.put(url, json={"type": "bank_statement"}), 400, "VALIDATION_ERROR")
        assert_error(c.put(url, json={"type": "receipt"}), 400, "INVALID_SCHEMA_TYPE")
        assert_error(c.put(url, json={"schema_string": {"fields": []}}), 400, "VALIDATION_ERROR")
        assert data(c.get(url))["version"] == 4  # failed updates change nothing


def test_delete_deactivates(server: LiveServer) -> None:
    with server.client(server.key_a) as c:
        created = data(_create(c), 201)
        url = f"/schemas/id/{created['id']}"
        gone = data(c.delete(url))
        assert gone["is_active"] is False and gone["id"] == created["id"]
        assert data(c.get(url))["is_active"] is False
        assert_error(c.delete(url), 409, "CONFLICT")
        assert_error(c.put(url, json={"description": "late"}), 409, "CONFLICT")
        active = data(c.get("/schemas/list", params={"page_size": 100}))["schemas"]
        assert created["id"] not in {s["id"] for s in active}
        everything = data(c.get("/schemas/list", params={"page_size": 100, "include_inactive": "true"}))
        assert created["id"] in {s["id"] for s in everything["schemas"]}


def test_unknown_ids_are_schema_not_found(server: LiveServer) -> None:
    with server.client(server.key_a) as c:
        for schema_id in (str(uuid.uuid4()), "nope", "x" * 300):
            url = f"/schemas/id/{schema_id}"
            assert_error(c.get(url), 404, "SCHEMA_NOT_FOUND")
            assert_error(c.put(url, json={"description": "x"}), 404, "SCHEMA_NOT_FOUND")
            assert_error(c.delete(url), 404, "SCHEMA_NOT_FOUND")


def test_other_tenants_schemas_are_invisible(server: LiveServer) -> None:
    with server.client(server.key_a) as a, server.client(server.key_b) as b:
        mine = data(_create(a, description="tenant a only"), 201)
        url = f"/schemas/id/{mine['id']}"
        assert_error(b.get(url), 404, "SCHEMA_NOT_FOUND")
        assert_error(b.put(url, json={"description": "hijacked"}), 404, "SCHEMA_NOT_FOUND")
        assert_error(b.delete(url), 404, "SCHEMA_NOT_FOUND")
        listed = data(b.get("/schemas/list", params={"page_size": 100, "include_inactive": "true"}))
        assert all(s["user_id"] == server.tenant_b for s in listed["schemas"])
        assert mine["id"] not in {s["id"] for s in listed["schemas"]}
        after = data(a.get(url))
        assert after["description"] == "tenant a only" and after["version"] == 1 and after["is_active"]


def test_list_paginates_newest_first_and_filters_by_type(server: LiveServer) -> None:
    key = server.new_key(f"paging-{uuid.uuid4().hex[:6]}")
    with server.client(key) as c:
        made = [
            data(_create(c, name=f"s{i}", type=("invoice", "bank_statement")[i % 2]), 201) for i in range(5)
        ]
        page1 = data(c.get("/schemas/list", params={"page": 1, "page_size": 2}))
        page3 = data(c.get("/schemas/list", params={"page": 3, "page_size": 2}))
        assert (page1["page"], page1["limit"], page1["total"]) == (1, 2, 5)
        assert [s["name"] for s in page1["schemas"]] == ["s4", "s3"]
        assert [s["name"] for s in page3["schemas"]] == ["s0"]
        assert data(c.get("/schemas/list", params={"page": 4, "page_size": 2}))["schemas"] == []
        statements = data(c.get("/schemas/list", params={"type": "bank_statement"}))
        assert statements["total"] == 2 and {s["name"] for s in statements["schemas"]} == {"s1", "s3"}
        assert statements["limit"] == 20
        by_limit = data(c.get("/schemas/list", params={"page": 2, "limit": 3}))
        assert (by_limit["limit"], [s["name"] for s in by_limit["schemas"]]) == (3, ["s1", "s0"])
        assert_error(c.get("/schemas/list", params={"page_size": 101}), 400, "VALIDATION_ERROR")
        assert_error(c.get("/schemas/list", params={"page": 0}), 400, "VALIDATION_ERROR")
        assert {s["id"] for s in made} == {
            s["id"] for s in data(c.get("/schemas/list", params={"page_size": 100}))["schemas"]
        }


def test_schemas_need_a_token(server: LiveServer) -> None:
    with server.client() as c:
        assert_error(c.get("/schemas/list"), 401, "UNAUTHORIZED")
        assert_error(_create(c), 401, "UNAUTHORIZED")
    with server.client("ll_not-a-real-key") as c:
        assert_error(c.get(f"/schemas/id/{uuid.uuid4()}"), 401, "UNAUTHORIZED")


# --- bodies that are not (storable) JSON ------------------------------------------------------------

JSON_HEADERS = {"content-type": "application/json"}
DEEP = "[" * 50_000 + "]" * 50_000


def _strict(text: str) -> Any:
    """Parse a response as standard JSON: NaN/Infinity in it fail the test."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in a response body")

    return json.loads(text, parse_constant=refuse)


def _raw_create(c: httpx.Client, schema_string: str, name: str = '"raw"') -> httpx.Response:
    body = f'{{"name": {name}, "type": "invoice", "schema_string": {schema_string}}}'
    return c.post("/schemas", content=body.encode("utf-8"), headers=JSON_HEADERS)


def test_undecodable_too_deep_and_non_finite_json_is_invalid_request(server: LiveServer) -> None:
    key = server.new_key(f"badjson-{uuid.uuid4().hex[:6]}")
    with server.client(key) as c:
        created = data(_create(c, name="target"), 201)
        url = f"/schemas/id/{created['id']}"
        bad_schema_strings = [
            '{"fields": ["\\ud800"]}',  # lone high surrogate
            '{"fields": ["\\udc00x"]}',  # lone low surrogate
            '{"fields": ["\\ud800\\u0041"]}',  # high surrogate not followed by a low one
            '{"fields": ["a"], "deep": ' + DEEP + "}",  # 50,000 nested arrays (was a RecursionError)
            '{"fields": [{"name": "a", "weight": NaN}]}',
            '{"fields": [{"name": "a", "weight": Infinity}]}',
            '{"fields": [{"name": "a", "weight": -Infinity}]}',
            '{"fields": [{"name": "a", "weight": 1e400}]}',  # overflows to infinity in Python
            '{"fields": ["a\\u0000b"]}',  # NUL: not storable in PostgreSQL text
        ]
        for bad in bad_schema_strings:
            error = assert_error(_raw_create(c, bad), 400, "INVALID_REQUEST")
            assert error["details"], bad
            put = c.put(url, content=f'{{"schema_string": {bad}}}'.encode(), headers=JSON_HEADERS)
            assert_error(put, 400, "INVALID_REQUEST")
        assert_error(_raw_create(c, '{"fields": ["a"]}', name='"\\ud83d"'), 400, "INVALID_REQUEST")
        for body in (
            DEEP.encode(),
            b'{"name": "x", "type": "invoice", "schema_string": {"fields": ["\xed\xa0\x80"]}}',
        ):
            assert_error(c.post("/schemas", content=body, headers=JSON_HEADERS), 400, "INVALID_REQUEST")
            assert_error(c.put(url, content=body, headers=JSON_HEADERS), 400, "INVALID_REQUEST")
        # nothing was stored or changed, and the server answers as before
        listed = data(c.get("/schemas/list", params={"include_inactive": "true"}))
        assert [s["name"] for s in listed["schemas"]] == ["target"]
        assert data(c.get(url))["version"] == 1
        ok = data(_raw_create(c, '{"fields": ["\\ud83d\\ude00 emoji"]}', name='"pair"'), 201)
        assert ok["schema_string"]["fields"] == [{"name": "\U0001f600 emoji"}]


def test_nesting_is_bounded_at_64_levels_not_by_recursion(server: LiveServer) -> None:
    with server.client(server.key_a) as c:
        # body object (1) > schema_string (2) > n nested arrays
        fits = _raw_create(c, '{"fields": ["a"], "x": ' + "[" * 62 + "]" * 62 + "}", name='"deep-ok"')
        assert _strict(fits.text)["data"]["schema_string"]["x"] == json.loads("[" * 62 + "]" * 62)
        error = assert_error(
            _raw_create(c, '{"fields": ["a"], "x": ' + "[" * 63 + "]" * 63 + "}", name='"deep-no"'),
            400,
            "INVALID_REQUEST",
        )
        assert "64" in error["details"]


def test_schema_string_text_must_be_standard_json(server: LiveServer) -> None:
    """`schema_string` sent as a JSON string: the same rules, as a VALIDATION_ERROR of that field."""
    with server.client(server.key_a) as c:
        created = data(_create(c), 201)
        for text in (
            '{"fields": [{"name": "a", "w": NaN}]}',
            '{"fields": [{"name": "a", "w": Infinity}]}',
            '{"fields": ["\\ud800"]}',
            '{"fields": ["a"], "x": ' + DEEP + "}",
        ):
            assert_error(_create(c, schema_string=text), 400, "VALIDATION_ERROR")
            put = c.put(f"/schemas/id/{created['id']}", json={"schema_string": text})
            assert_error(put, 400, "VALIDATION_ERROR")


def test_schemas_stored_with_nan_read_back_as_json(server: LiveServer) -> None:
    """A row written before NaN was refused is served as standard JSON (null), never as `NaN`."""
    from ledgerlens.jobs.db import make_engine, make_session_factory
    from ledgerlens.jobs.models import CustomSchema, utcnow

    key = server.new_key(f"legacy-{uuid.uuid4().hex[:6]}")
    with server.client(key) as c:
        tenant = data(_create(c, name="probe"), 201)["user_id"]
        engine = make_engine(server.settings())
        try:
            with make_session_factory(engine)() as session:
                row = CustomSchema(
                    id=str(uuid.uuid4()),
                    tenant_id=tenant,
                    name="legacy",
                    type="invoice",
                    description=None,
                    schema_json='{"fields":[{"name":"a","w":NaN,"v":-Infinity}]}',
                    version=1,
                    is_active=True,
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
                session.add(row)
                session.commit()
                schema_id = row.id
        finally:
            engine.dispose()
        one = c.get(f"/schemas/id/{schema_id}")
        assert one.status_code == 200
        assert _strict(one.text)["data"]["schema_string"]["fields"] == [{"name": "a", "w": None, "v": None}]
        listed = c.get("/schemas/list")
        assert {s["name"] for s in _strict(listed.text)["data"]["schemas"]} == {"probe", "legacy"}
