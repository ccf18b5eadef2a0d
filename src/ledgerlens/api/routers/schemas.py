"""Custom schemas: a tenant's lists of extra fields to pull from its invoices or bank statements.

Accepted `schema_string` shape (an object, or a JSON string holding one):

    {"fields": ["po_number", {"name": "cost_center", "type": "string", "description": "..."}]}

Each field is either a name or an object with a `name` (other keys are kept as given). Fields are
stored and returned normalised to objects, so `["po_number"]` comes back as `[{"name": "po_number"}]`;
other top-level keys of `schema_string` are kept. Names are 1-100 characters, unique within a schema;
at most 200 fields, 64 KB in all. `name` and `type` of a schema are fixed at creation; PUT changes
`description` and/or `schema_string` and bumps `version` by one. DELETE deactivates (the record
stays, `is_active: false`); names are unique per tenant among active schemas only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic.config import JsonDict
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.responses import Response

from ledgerlens.api import docs_models as dm
from ledgerlens.api.auth import Principal, get_principal
from ledgerlens.api.deps import AppState, get_state
from ledgerlens.api.docs_models import responses
from ledgerlens.api.envelope import ok
from ledgerlens.api.jsonbody import JsonError, StrictJsonRoute, loads
from ledgerlens.errors import ErrorCode, LedgerlensError
from ledgerlens.jobs.ids import new_uuid
from ledgerlens.jobs.models import CustomSchema, utcnow

SCHEMA_TYPES = ("invoice", "bank_statement")
MAX_NAME = 200
MAX_FIELD_NAME = 100
MAX_FIELDS = 200
MAX_SCHEMA_BYTES = 64 * 1024
MAX_DESCRIPTION = 10_000


def _invalid(message: str, details: str | None = None) -> LedgerlensError:
    return LedgerlensError(ErrorCode.VALIDATION_ERROR, message, details)


def check_type(value: object) -> str:
    if not isinstance(value, str) or value not in SCHEMA_TYPES:
        raise LedgerlensError(
            ErrorCode.INVALID_SCHEMA_TYPE,
            f"Schema type must be one of: {', '.join(SCHEMA_TYPES)}.",
            f"got {value!r}",
        )
    return value


def check_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid("Schema name must be a non-empty string.")
    name = value.strip()
    if len(name) > MAX_NAME:
        raise _invalid(f"Schema name is longer than {MAX_NAME} characters.")
    return name


def check_description(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _invalid("description must be a string or null.")
    if len(value) > MAX_DESCRIPTION:
        raise _invalid(f"description is longer than {MAX_DESCRIPTION} characters.")
    return value


def normalize_schema_string(value: object) -> dict[str, Any]:
    """Validate `schema_string` and return it with every field as an object with a `name`."""
    if isinstance(value, str):
        try:
            value = loads(value)
        except JsonError as exc:
            raise _invalid("schema_string is a string but not valid JSON.", str(exc)) from None
    if not isinstance(value, dict):
        raise _invalid('schema_string must be an object like {"fields": ["name", ...]}.')
    fields = value.get("fields")
    if not isinstance(fields, list) or not fields:
        raise _invalid("schema_string.fields must be a non-empty list of field names or objects with a name.")
    if len(fields) > MAX_FIELDS:
        raise _invalid(f"schema_string.fields has more than {MAX_FIELDS} fields.")
    normalized: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(fields):
        field = {"name": item} if isinstance(item, str) else item
        if not isinstance(field, dict):
            raise _invalid(f"schema_string.fields[{index}] must be a field name or an object with a name.")
        name = field.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _invalid(f"schema_string.fields[{index}].name must be a non-empty string.")
        name = name.strip()
        if len(name) > MAX_FIELD_NAME:
            raise _invalid(f"schema_string.fields[{index}].name is longer than {MAX_FIELD_NAME} characters.")
        if name in seen:
            raise _invalid(f"schema_string.fields has the field name {name!r} twice.")
        seen.add(name)
        normalized.append({**field, "name": name})
    result = {**value, "fields": normalized}
    if len(json.dumps(result, ensure_ascii=False).encode("utf-8")) > MAX_SCHEMA_BYTES:
        raise _invalid(f"schema_string is larger than {MAX_SCHEMA_BYTES // 1024} KB.")
    return result


def _iso(value: datetime) -> str:
    """SQLite hands timezone-aware columns back naive; they were written in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def schema_to_dict(row: CustomSchema) -> dict[str, Any]:
    return {
        "id": row.id,
        "user_id": row.tenant_id,
        "name": row.name,
        "type": row.type,
        "description": row.description,
        # rows stored before NaN/Infinity were refused may hold them: they read back as null
        "schema_string": json.loads(row.schema_json, parse_constant=lambda _constant: None),
        "version": row.version,
        "is_active": row.is_active,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def _not_found(schema_id: str) -> LedgerlensError:
    details = f"no schema with id {schema_id!r}"
    return LedgerlensError(ErrorCode.SCHEMA_NOT_FOUND, "Schema not found.", details)


def get_schema(session: Session, tenant_id: str, schema_id: str) -> CustomSchema:
    """The tenant's schema; another tenant's id is as unknown as a made-up one."""
    row = session.get(CustomSchema, schema_id) if len(schema_id) <= 36 else None
    if row is None or row.tenant_id != tenant_id:
        raise _not_found(schema_id)
    return row


def _exists(name: str, schema_id: str) -> LedgerlensError:
    return LedgerlensError(
        ErrorCode.SCHEMA_EXISTS, f"An active schema named {name!r} already exists.", f"id {schema_id}"
    )


def _active_named(session: Session, tenant_id: str, name: str) -> str | None:
    return session.scalars(
        select(CustomSchema.id).where(
            CustomSchema.tenant_id == tenant_id,
            CustomSchema.name == name,
            CustomSchema.is_active.is_(True),
        )
    ).first()


def create_schema(session: Session, tenant_id: str, body: dict[str, Any]) -> CustomSchema:
    """The pre-check gives the usual answer; the partial unique index (revision 0002) decides a
    race between processes, and the loser gets the same SCHEMA_EXISTS."""
    schema_type = check_type(body.get("type"))
    name = check_name(body.get("name"))
    description = check_description(body.get("description"))
    schema = normalize_schema_string(body.get("schema_string"))
    clash = _active_named(session, tenant_id, name)
    if clash is not None:
        raise _exists(name, clash)
    now = utcnow()
    row = CustomSchema(
        id=new_uuid(),
        tenant_id=tenant_id,
        name=name,
        type=schema_type,
        description=description,
        schema_json=json.dumps(schema, ensure_ascii=False, separators=(",", ":")),
        version=1,
        is_active=True,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        clash = _active_named(session, tenant_id, name)
        if clash is None:
            raise
        raise _exists(name, clash) from None
    return row


def update_schema(session: Session, tenant_id: str, schema_id: str, body: dict[str, Any]) -> CustomSchema:
    row = get_schema(session, tenant_id, schema_id)
    if not row.is_active:
        raise LedgerlensError(ErrorCode.CONFLICT, "Schema is deactivated and cannot be changed.")
    if "name" in body and body["name"] is not None and check_name(body["name"]) != row.name:
        raise _invalid("A schema's name cannot be changed; create a new schema instead.")
    if "type" in body and body["type"] is not None and check_type(body["type"]) != row.type:
        raise _invalid("A schema's type cannot be changed; create a new schema instead.")
    if "description" not in body and body.get("schema_string") is None:
        raise _invalid("Nothing to update: give description and/or schema_string.")
    if "description" in body:
        row.description = check_description(body["description"])
    if body.get("schema_string") is not None:
        schema = normalize_schema_string(body["schema_string"])
        row.schema_json = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    row.version += 1
    row.updated_at = utcnow()
    session.commit()
    return row


def deactivate_schema(session: Session, tenant_id: str, schema_id: str) -> CustomSchema:
    row = get_schema(session, tenant_id, schema_id)
    if not row.is_active:
        raise LedgerlensError(ErrorCode.CONFLICT, "Schema is already deactivated.")
    row.is_active = False
    row.updated_at = utcnow()
    session.commit()
    return row


def list_schemas(
    session: Session,
    tenant_id: str,
    *,
    page: int,
    page_size: int,
    schema_type: str | None,
    include_inactive: bool,
) -> tuple[list[CustomSchema], int]:
    conditions = [CustomSchema.tenant_id == tenant_id]
    if schema_type is not None:
        conditions.append(CustomSchema.type == check_type(schema_type))
    if not include_inactive:
        conditions.append(CustomSchema.is_active.is_(True))
    total = session.scalar(select(func.count()).select_from(CustomSchema).where(*conditions)) or 0
    rows = session.scalars(
        select(CustomSchema)
        .where(*conditions)
        .order_by(CustomSchema.created_at.desc(), CustomSchema.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), total


# --- HTTP ------------------------------------------------------------------------------------------

router = APIRouter(tags=["schemas"], route_class=StrictJsonRoute)

Auth = Annotated[Principal, Depends(get_principal)]
State = Annotated[AppState, Depends(get_state)]
SCHEMA_DOC = '{"fields": ["name", {"name": "...", ...}]} (an object, or a JSON string of one)'
TYPE_ENUM: JsonDict = {"enum": list(SCHEMA_TYPES)}

# The documented shape of `schema_string` (what `normalize_schema_string` accepts), for the OpenAPI
# document only. Not expressible here: names unique once trimmed, 64 KB in all; and the same object
# sent as a JSON string (older clients) is accepted too.
_FIELD_NAME_DOC: JsonDict = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_FIELD_NAME,
    "pattern": dm.NOT_BLANK_PATTERN,
}
SCHEMA_STRING_DOC: JsonDict = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_FIELDS,
            "uniqueItems": True,
            "items": {
                "anyOf": [
                    _FIELD_NAME_DOC,
                    {"type": "object", "required": ["name"], "properties": {"name": _FIELD_NAME_DOC}},
                ]
            },
        }
    },
    "description": SCHEMA_DOC + "; names 1-100 characters, unique, at most 200 fields, 64 KB in all.",
}
SchemaString = Annotated[dict[str, Any] | str, WithJsonSchema(SCHEMA_STRING_DOC)]


class CreateSchemaRequest(BaseModel):
    name: str = Field(min_length=1, max_length=MAX_NAME, json_schema_extra={"pattern": dm.NOT_BLANK_PATTERN})
    type: Any = Field(description="invoice | bank_statement", json_schema_extra=TYPE_ENUM)
    schema_string: SchemaString
    description: str | None = Field(None, json_schema_extra={"maxLength": MAX_DESCRIPTION})


class UpdateSchemaRequest(BaseModel):
    # Give `description` and/or a `schema_string` (checked by `update_schema`, documented here).
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["description"]},
                {"required": ["schema_string"], "properties": {"schema_string": {"type": "object"}}},
            ]
        }
    )

    description: str | None = Field(None, json_schema_extra={"maxLength": MAX_DESCRIPTION})
    schema_string: SchemaString | None = None
    # Names and types are fixed: sent, they must equal the current ones (else 400), which a request
    # schema cannot say, so they are left out of the document (see the operation's description).
    name: SkipJsonSchema[str | None] = None
    type: SkipJsonSchema[Any] = None


@router.post(
    "/schemas",
    status_code=201,
    summary="Create a custom schema",
    description=__doc__,
    responses=responses(
        dm.SchemaInfo,
        201,
        _409="SCHEMA_EXISTS (an active schema has this name)",
        _413="FILE_TOO_LARGE (body over its limit)",
    ),
)
def create(req: CreateSchemaRequest, principal: Auth, state: State) -> Response:
    with state.sessions() as session:
        row = create_schema(session, principal.tenant_id, req.model_dump())
        return ok(schema_to_dict(row), status_code=201)


@router.get(
    "/schemas/list",
    summary="The caller's schemas, newest first (active ones unless asked)",
    responses=responses(dm.SchemaList, _400="INVALID_SCHEMA_TYPE / INVALID_REQUEST"),
)
def list_(
    principal: Auth,
    state: State,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    type: Annotated[
        str | None, Query(description="invoice | bank_statement", json_schema_extra=TYPE_ENUM)
    ] = None,
    include_inactive: bool = False,
    limit: Annotated[int | None, Query(ge=1, le=100, description="Alias of page_size")] = None,
) -> Response:
    if limit is not None:
        page_size = limit
    with state.sessions() as session:
        rows, total = list_schemas(
            session,
            principal.tenant_id,
            page=page,
            page_size=page_size,
            schema_type=type,
            include_inactive=include_inactive,
        )
        schemas = [schema_to_dict(row) for row in rows]
    return ok({"schemas": schemas, "page": page, "limit": page_size, "total": total})


@router.get(
    "/schemas/id/{schema_id}",
    summary="One schema (also after deactivation)",
    responses=responses(dm.SchemaInfo, _404="SCHEMA_NOT_FOUND"),
)
def get_one(schema_id: str, principal: Auth, state: State) -> Response:
    with state.sessions() as session:
        return ok(schema_to_dict(get_schema(session, principal.tenant_id, schema_id)))


@router.put(
    "/schemas/id/{schema_id}",
    summary="Change description and/or schema_string; bumps version",
    description="`name` and `type` are fixed at creation: if sent, they must equal the current ones.",
    responses=responses(
        dm.SchemaInfo,
        _404="SCHEMA_NOT_FOUND",
        _409="CONFLICT (the schema is deactivated)",
        _413="FILE_TOO_LARGE (body over its limit)",
    ),
)
def update(schema_id: str, req: UpdateSchemaRequest, principal: Auth, state: State) -> Response:
    with state.sessions() as session:
        row = update_schema(session, principal.tenant_id, schema_id, req.model_dump(exclude_unset=True))
        return ok(schema_to_dict(row))


@router.delete(
    "/schemas/id/{schema_id}",
    summary="Deactivate a schema (409 if already inactive)",
    responses=responses(dm.SchemaInfo, _404="SCHEMA_NOT_FOUND", _409="CONFLICT (already inactive)"),
)
def delete(schema_id: str, principal: Auth, state: State) -> Response:
    with state.sessions() as session:
        return ok(schema_to_dict(deactivate_schema(session, principal.tenant_id, schema_id)))
