"""Pydantic models of the response shapes, for the OpenAPI document only.

Handlers build their JSON directly (the status GET embeds stored result text without re-parsing);
these models describe that JSON to clients and are never used to validate at request time.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from ledgerlens.documents.sniff import CONTENT_TYPES

T = TypeVar("T")
JSON_MEDIA = "application/json"


class ErrorBody(BaseModel):
    code: str = Field(examples=["NOT_FOUND"])
    message: str
    details: str | None = None


class ErrorEnvelope(BaseModel):
    success: Literal[False] = False
    error: ErrorBody


class Envelope(BaseModel, Generic[T]):
    success: Literal[True] = True
    data: T


class Validation(BaseModel):
    page_count: int | None
    file_size: int
    format: str


class UploadedFileEntry(BaseModel):
    doc_id: str | None = Field(None, description="Absent when the file was rejected.")
    filename: str
    type: Literal["bank_statement", "invoice", "other"] | None
    validation: Validation | None
    error: ErrorBody | None = Field(None, description="Only on rejected files.")


class UploadData(BaseModel):
    files: list[UploadedFileEntry]
    status: Literal["done", "partial_error"]


class FileInfo(BaseModel):
    id: str
    filename: str
    file_id: str
    type: Literal["bank_statement", "invoice", "other"]
    status: Literal["uploaded", "processing", "completed", "failed", "deleted"]
    size: int
    format: str
    content_type: str
    page_count: int | None
    created_at: str
    completed_at: str | None


class FileDeleted(FileInfo):
    deleted: Literal[True] = True


class FileDetail(FileInfo):
    processed_data: dict[str, Any] | None = Field(description="Latest completed result (RESULT_SCHEMA).")


class FileList(BaseModel):
    files: list[FileInfo]
    page: int
    page_size: int
    total: int


class JobCreated(BaseModel):
    job_id: str = Field(examples=["job_91300484768990005"])
    status: Literal["pending", "processing", "completed", "failed"]
    document_id: str
    type: Literal["bank_statement", "invoice", "auto"]
    created_at: str
    updated_at: str
    batch_id: str | None = None
    file: UploadedFileEntry | None = Field(
        None, description="Only when the document was sent in the same (multipart) call."
    )


class JobError(BaseModel):
    code: str
    message: str


class JobStatusBase(BaseModel):
    job_id: str
    status: Literal["pending", "processing", "completed", "failed"]
    file_id: str
    document_id: str
    type: Literal["bank_statement", "invoice", "auto"]
    created_at: str
    updated_at: str
    completed_at: str | None
    progress: int = Field(ge=0, le=100)
    batch_id: str | None = None
    error: JobError | None = Field(None, description="Only on failed jobs.")


class StatementJobStatus(JobStatusBase):
    results: dict[str, Any] | None = Field(description="Bank statement payload once completed.")


class JobStatus(JobStatusBase):
    result: dict[str, Any] | None = Field(description="Result payload once completed.")


class BatchCreated(BaseModel):
    batch_id: str = Field(examples=["batch_91300484768990123"])
    status: Literal["pending"]
    type: Literal["bank_statement", "invoice", "auto"]
    job_ids: list[str]
    created_at: str
    updated_at: str


class BatchJob(BaseModel):
    job_id: str
    document_id: str
    status: Literal["pending", "processing", "completed", "failed"]
    progress: int
    updated_at: str
    error: JobError | None = None


class BatchStatus(BaseModel):
    batch_id: str
    status: Literal["pending", "processing", "completed", "failed", "partial_error"]
    type: Literal["bank_statement", "invoice", "auto"]
    job_ids: list[str]
    jobs: list[BatchJob]
    counts: dict[str, int]
    callback_url: str | None
    created_at: str
    updated_at: str


class Health(BaseModel):
    status: str
    database: str
    version: str


class SchemaInfo(BaseModel):
    id: str
    user_id: str
    name: str
    type: Literal["invoice", "bank_statement"]
    description: str | None
    schema_string: dict[str, Any] = Field(description="As stored: every field an object with a `name`.")
    version: int
    is_active: bool
    created_at: str
    updated_at: str


class SchemaList(BaseModel):
    schemas: list[SchemaInfo]
    page: int
    limit: int
    total: int


_HEADER_INT = {"schema": {"type": "integer"}}
ERROR_STATUSES: dict[int, tuple[str, dict[str, Any]]] = {
    400: ("INVALID_REQUEST (malformed request) / VALIDATION_ERROR (field values)", {}),
    401: (
        "UNAUTHORIZED (missing, invalid or expired token)",
        {"WWW-Authenticate": {"required": True, "schema": {"type": "string", "enum": ["Bearer"]}}},
    ),
    404: ("NOT_FOUND (unknown id, or another tenant's)", {}),
    409: ("CONFLICT", {}),
    410: ("GONE", {}),
    413: ("FILE_TOO_LARGE (body or file over its limit, or too many files)", {}),
    415: ("UNSUPPORTED_FORMAT (not a PDF, JPEG, PNG, TIFF or WEBP by its bytes)", {}),
    429: (
        "RATE_LIMIT_EXCEEDED (per-token limit)",
        {
            "Retry-After": {"required": True, "description": "Seconds to wait.", **_HEADER_INT},
            "X-RateLimit-Limit": {"required": True, **_HEADER_INT},
            "X-RateLimit-Remaining": {"required": True, **_HEADER_INT},
            "X-RateLimit-Reset": {"required": True, "description": "Unix seconds.", **_HEADER_INT},
        },
    ),
    500: ("INTERNAL_SERVER_ERROR", {}),
}
"""Every error status the API answers, with its codes (spec/API.md) and the headers it always has."""

COMMON_ERRORS = (400, 401, 429, 500)
"""What any authenticated route may answer: a malformed request, a bad token, the rate limit (when
enabled), an unexpected failure. FastAPI's default 422 is never sent: validation errors are 400
envelopes (`envelope.validation_error_response`)."""


def error_response_doc(status: int, description: str | None = None) -> dict[str, Any]:
    default, headers = ERROR_STATUSES[status]
    doc: dict[str, Any] = {"model": ErrorEnvelope, "description": description or default}
    if headers:
        doc["headers"] = headers
    return doc


def responses(ok_model: Any, ok_status: int = 200, **extra: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for an authenticated route: its success envelope, `COMMON_ERRORS`, and
    `extra` statuses given as `_404="NOT_FOUND ..."` keyword pairs. An extra status below 400 (207 on
    a partial upload) is another success answer with the same envelope."""
    out: dict[int | str, dict[str, Any]] = {
        ok_status: {"model": Envelope[ok_model], "description": "Success"}
    }
    for status in COMMON_ERRORS:
        out[status] = error_response_doc(status)
    for key, description in extra.items():
        status = int(key.lstrip("_"))
        if status < 400:
            out[status] = {"model": Envelope[ok_model], "description": description}
        else:
            out[status] = error_response_doc(status, description)
    return out


# --- request bodies read by the handlers themselves ------------------------------------------------

_REQUEST_MODELS: dict[str, tuple[type[BaseModel], dict[str, dict[str, Any]]]] = {}


def request_schema_ref(model: type[BaseModel], **property_docs: dict[str, Any]) -> dict[str, str]:
    """A `$ref` to `model`'s JSON schema under `components/schemas`, for a route whose body is read by
    the handler (so FastAPI does not know the model): `finish_document` adds the schema and the
    models it nests. Embedding `model_json_schema()` instead would leave `#/$defs/...` references
    that do not resolve inside the OpenAPI document.

    `property_docs` are merged into the named properties' schemas: rules a validator function
    enforces that the model's field types cannot show (e.g. `callback_url=CALLBACK_URL_DOC`)."""
    _REQUEST_MODELS[model.__name__] = (model, property_docs)
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _link(path: str, method: str, **fields: Any) -> dict[str, Any]:
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {"operationRef": f"#/paths/{pointer}/{method}", **fields}


_PARSE_ROUTES = ("/parse/statements", "/parse/invoices", "/parse")
_STATUS_GET = {
    "/parse/statements": "/parse/statements/{job_id}",
    "/parse/invoices": "/parse/invoices/{job_id}",
}
_UPLOADED_DOC = "$response.body#/data/files/0/doc_id"


def _links(prefix: str) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """OpenAPI `links` by (path, success status): where the ids a response carries are used next
    (clients and testing tools follow them from an upload to its jobs and their statuses)."""
    # Uploads link to the batch routes only: the single-job routes also take multipart bodies, and a
    # link's requestBody cannot say which media type it is for.
    upload_links: dict[str, dict[str, Any]] = {}
    for route in _PARSE_ROUTES:
        name = route.strip("/").replace("/", "_")
        upload_links[f"start_{name}_batch"] = _link(
            prefix + route + "/batch", "post", requestBody={"files": [{"document_id": _UPLOADED_DOC}]}
        )
    job_id = {"job_id": "$response.body#/data/job_id"}
    links: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for path in ("/files/upload", "/parse/upload"):
        links[(prefix + path, "200")] = upload_links
        links[(prefix + path, "207")] = upload_links
    for route in _PARSE_ROUTES:
        status_links = {"job_status": _link(prefix + "/parse/{job_id}", "get", parameters=job_id)}
        if route in _STATUS_GET:  # an auto job's typed status depends on the detected type
            status_links["typed_job_status"] = _link(prefix + _STATUS_GET[route], "get", parameters=job_id)
        links[(prefix + route, "202")] = status_links
        links[(prefix + route + "/batch", "202")] = {
            "batch_status": _link(
                prefix + "/parse/batch/{batch_id}",
                "get",
                parameters={"batch_id": "$response.body#/data/batch_id"},
            ),
            "first_job_status": _link(
                prefix + "/parse/{job_id}", "get", parameters={"job_id": "$response.body#/data/job_ids/0"}
            ),
        }
    return links


JSON_BODY_RULES = (
    "JSON request bodies are standard JSON (RFC 8259) in UTF-8: no `NaN` or `Infinity`, no NUL "
    "characters and no lone surrogates in strings, at most 64 nested arrays/objects; other bodies "
    "are refused with 400 `INVALID_REQUEST`."
)


def finish_document(document: dict[str, Any], prefix: str) -> None:
    """Last touches to the generated OpenAPI document (called once, by the app's `openapi()`);
    `prefix` is the routers' mount point (`/api/v1`)."""
    info = document.setdefault("info", {})
    info["description"] = (info.get("description", "") + "\n\n" + JSON_BODY_RULES).strip()
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    if _REQUEST_MODELS:
        _, top = models_json_schema(
            [(model, "validation") for model, _ in _REQUEST_MODELS.values()],
            ref_template="#/components/schemas/{model}",
        )
        for name, schema in top.get("$defs", {}).items():
            schemas.setdefault(name, schema)
        for name, (_, property_docs) in _REQUEST_MODELS.items():
            for prop, doc in property_docs.items():
                schemas[name]["properties"][prop].update(doc)
    paths = document.get("paths", {})
    for (path, status), links in _links(prefix).items():
        answer = paths.get(path, {}).get("post", {}).get("responses", {}).get(status)
        if answer is not None:
            answer["links"] = links
    # FastAPI documents a 422 (its own error shape) for every route with parameters; this API
    # answers validation failures with a 400 envelope instead, and never 422.
    fastapi_422 = {"$ref": "#/components/schemas/HTTPValidationError"}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            answers = operation.get("responses", {}) if isinstance(operation, dict) else {}
            if answers.get("422", {}).get("content", {}).get(JSON_MEDIA, {}).get("schema") == fastapi_422:
                del answers["422"]
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)


# --- small JSON-schema pieces shared by routers ----------------------------------------------------

DOCUMENT_PART_ENCODING = {"contentType": ", ".join(CONTENT_TYPES.values())}
"""`encoding` of a multipart file part: the formats accepted (by their bytes: the part's own
Content-Type is not trusted, see documents/sniff.py)."""

_LABEL = "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_PORT = "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
CALLBACK_URL_PATTERN = (
    f"^(?:[Hh][Tt][Tt][Pp][Ss]?://(?:{_LABEL}\\.){{0,3}}[A-Za-z_](?:[A-Za-z0-9_-]{{0,61}}[A-Za-z0-9_])?\\.?"
    f"(?::{_PORT})?(?:[/?#][!-\\[\\]-~]*)?)?$"
)
"""What `jobs.callbacks.check_callback_url` accepts, as far as a pattern can say: http(s), a host
name of a few labels (the last not a number), a port in 1-65535, no credentials, no whitespace or
backslash; empty means no webhook. Public IP literals are accepted too but left out of the pattern."""
CALLBACK_URL_DOC: dict[str, Any] = {
    "pattern": CALLBACK_URL_PATTERN,
    "description": "Webhook URL: http or https, a host name (the pattern) or a public IP address, no "
    "`user:password@`; empty for none. When the webhook is sent, the name must resolve to public "
    "addresses only (jobs/callbacks.py).",
}

_SPACE_CLASS = "".join(f"\\u{code:04x}" for code in range(0x10000) if chr(code).isspace())
# (no whitespace lies above U+FFFF)
NOT_BLANK_PATTERN = f"[^{_SPACE_CLASS}]"
"""JSON-schema `pattern` of a string that is not empty once `str.strip()`ped: it has a character
that Python does not count as whitespace (spelled out, since `\\s` differs between regex dialects)."""
