"""Processing jobs: create (by document id or with the file in the same call), batches, status.

Jobs are only recorded here as `pending`; worker processes claim and run them (jobs.queue), so
the API process never spends CPU on a document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ledgerlens.api import docs_models as dm
from ledgerlens.api.auth import Principal, get_principal
from ledgerlens.api.deps import AppState, get_state
from ledgerlens.api.docs_models import responses
from ledgerlens.api.envelope import ok, ok_raw, validation_error_response
from ledgerlens.api.jsonbody import parse_body
from ledgerlens.api.multipart import is_multipart
from ledgerlens.api.routers.files import UPLOAD_FIELDS, accept_uploads, open_upload_form, upload_response
from ledgerlens.api.views import batch_json, effective_type, job_created_json, job_status_body
from ledgerlens.errors import ErrorCode, LedgerlensError
from ledgerlens.jobs import store
from ledgerlens.jobs.callbacks import MAX_URL_LENGTH, check_callback_url
from ledgerlens.jobs.ids import parse_prefixed_id
from ledgerlens.jobs.models import Job, StoredFile

router = APIRouter(tags=["parse"])

M = TypeVar("M", bound=BaseModel)
MAX_JSON_BYTES = 1024 * 1024


def _check_callback(value: str | None, info: ValidationInfo) -> str | None:
    """jobs.callbacks rules; private addresses only with `webhook_allow_private` in the context."""
    if value is None or value == "":
        return None
    allow_private = bool((info.context or {}).get("webhook_allow_private", False))
    check_callback_url(value, allow_private=allow_private)  # CallbackRefused is a ValueError
    return value


class ParseRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    document_id: str = Field(min_length=1, max_length=100, description="A doc_id from /files/upload.")
    password: str | None = Field(None, max_length=1024, description="Password of an encrypted PDF.")
    callback_url: str | None = Field(
        None,
        max_length=MAX_URL_LENGTH,
        description="Webhook URL (http or https) on a public address; no credentials in the URL.",
    )
    idempotency_key: str | None = Field(
        None, min_length=1, max_length=255, description="Same key (per tenant) returns the same job."
    )

    _callback = field_validator("callback_url")(_check_callback)


class BatchFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    document_id: str = Field(min_length=1, max_length=100)
    password: str | None = Field(None, max_length=1024)


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    files: list[BatchFile] = Field(min_length=1)
    callback_url: str | None = Field(None, max_length=MAX_URL_LENGTH)

    _callback = field_validator("callback_url")(_check_callback)


PARSE_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": dm.request_schema_ref(ParseRequest, callback_url=dm.CALLBACK_URL_DOC)
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "password": {"type": "string", "maxLength": 1024},
                        "callback_url": {"type": "string", "maxLength": 2048, **dm.CALLBACK_URL_DOC},
                        "idempotency_key": {"type": "string", "maxLength": 255},
                    },
                },
                "encoding": {"file": dm.DOCUMENT_PART_ENCODING},
            },
        },
    }
}
BATCH_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": dm.request_schema_ref(BatchRequest, callback_url=dm.CALLBACK_URL_DOC)
            }
        },
    }
}


JOB_RESPONSES = responses(
    dm.JobCreated,
    202,
    _404="NOT_FOUND (no such document)",
    _409="CONFLICT (idempotency key used for another document)",
    _410="GONE (the document was deleted)",
    _413="FILE_TOO_LARGE (body over its limit; with a file: the file)",
    _415="UNSUPPORTED_FORMAT (the file sent in the same call)",
)
BATCH_RESPONSES = responses(
    dm.BatchCreated,
    202,
    _404="NOT_FOUND (a document does not exist)",
    _410="GONE (a document was deleted)",
    _413="FILE_TOO_LARGE (body over its limit, or more documents than files per request)",
)


class _BadRequest(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


async def _json_body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_JSON_BYTES:
            raise LedgerlensError(ErrorCode.INVALID_REQUEST, "JSON body larger than 1 MB.")
        chunks.append(chunk)
    return b"".join(chunks)


def _validate(model: type[M], raw: bytes | dict[str, Any], state: AppState) -> M:
    context = {"webhook_allow_private": state.settings.webhook_allow_private}
    try:
        # strict JSON (api.jsonbody): INVALID_REQUEST for NaN, lone surrogates, deep nesting...
        value = parse_body(raw) if isinstance(raw, bytes) else raw
        return model.model_validate(value, context=context)
    except ValidationError as exc:
        raise _BadRequest(validation_error_response(exc.errors())) from None


def _document(session: Any, tenant_id: str, document_id: str) -> StoredFile:
    row = store.get_file(session, tenant_id, document_id)
    if row is None:
        raise LedgerlensError(ErrorCode.NOT_FOUND, "Document not found.", f"document_id {document_id}")
    if row.status == "deleted":
        raise LedgerlensError(ErrorCode.GONE, "The document was deleted.", f"document_id {document_id}")
    return row


def _replay(job: Job, document_id: str | None) -> Job:
    if document_id is not None and job.file_id != document_id:
        raise LedgerlensError(
            ErrorCode.CONFLICT,
            "This idempotency_key was already used for another document.",
            f"existing job_{job.id}",
        )
    return job


def _create_job(state: AppState, tenant_id: str, job_type: str, req: ParseRequest) -> Job:
    with state.sessions() as session:
        if req.idempotency_key:
            existing = store.find_job_by_idempotency(session, tenant_id, req.idempotency_key)
            if existing is not None:
                return _replay(existing, req.document_id)
        file = _document(session, tenant_id, req.document_id)
        job = store.new_job(
            session,
            tenant_id=tenant_id,
            file=file,
            job_type=job_type,
            password=req.password,
            callback_url=req.callback_url,
            idempotency_key=req.idempotency_key,
        )
        try:
            session.commit()
        except IntegrityError:
            # Lost a race with the same idempotency key: answer with the winner's job.
            session.rollback()
            if req.idempotency_key:
                existing = store.find_job_by_idempotency(session, tenant_id, req.idempotency_key)
                if existing is not None:
                    return _replay(existing, req.document_id)
            raise
        return job


def _existing_idempotent(state: AppState, tenant_id: str, key: str | None) -> Job | None:
    if not key:
        return None
    with state.sessions() as session:
        return store.find_job_by_idempotency(session, tenant_id, key)


async def _start(request: Request, state: AppState, principal: Principal, job_type: str) -> Response:
    try:
        if is_multipart(request):
            return await _start_multipart(request, state, principal, job_type)
        req = _validate(ParseRequest, await _json_body(request), state)
        header_key = request.headers.get("idempotency-key")
        if req.idempotency_key is None and header_key:
            req = _validate(ParseRequest, {**req.model_dump(), "idempotency_key": header_key}, state)
    except _BadRequest as bad:
        return bad.response
    job = await run_in_threadpool(_create_job, state, principal.tenant_id, job_type, req)
    return ok(job_created_json(job), 202)


async def _start_multipart(
    request: Request, state: AppState, principal: Principal, job_type: str
) -> Response:
    """Upload one file and start its job in a single call (form fields as in the JSON body).

    An idempotent replay answers with the existing job before the file is stored again.
    """
    form = await open_upload_form(request, state, UPLOAD_FIELDS)
    try:
        if len(form.files) != 1:
            raise LedgerlensError(ErrorCode.INVALID_REQUEST, "Send exactly one file in the field `file`.")
        fields = form.fields
        key = fields.get("idempotency_key") or request.headers.get("idempotency-key") or None
        options = _validate(
            ParseRequest,
            {
                "document_id": "pending-upload",
                "password": fields.get("password") or None,
                "callback_url": fields.get("callback_url") or None,
                "idempotency_key": key,
            },
            state,
        )
        existing = await run_in_threadpool(_existing_idempotent, state, principal.tenant_id, key)
        if existing is not None:
            return ok(job_created_json(existing), 202)
        outcomes = await accept_uploads(form, state, principal)
    finally:
        form.close()
    stored = outcomes[0].stored
    if stored is None:
        return upload_response(outcomes)
    req = options.model_copy(update={"document_id": stored.id})
    job = await run_in_threadpool(_create_job, state, principal.tenant_id, job_type, req)
    return ok({**job_created_json(job), "file": outcomes[0].as_json()}, 202)


def _create_batch(state: AppState, tenant_id: str, job_type: str, req: BatchRequest) -> Response:
    limit = state.settings.max_files_per_request
    if len(req.files) > limit:
        raise LedgerlensError(
            ErrorCode.FILE_TOO_LARGE,
            f"Too many files in one batch: at most {limit}.",
            f"{len(req.files)} sent.",
        )
    with state.sessions() as session:
        items = [(_document(session, tenant_id, f.document_id), f.password) for f in req.files]
        batch, jobs = store.create_batch(
            session, tenant_id=tenant_id, job_type=job_type, callback_url=req.callback_url, items=items
        )
        data = batch_json(batch, jobs)
    return ok(
        {
            "batch_id": data["batch_id"],
            "status": "pending",
            "type": job_type,
            "job_ids": data["job_ids"],
            "created_at": data["created_at"],
            "updated_at": data["updated_at"],
        },
        202,
    )


async def _start_batch(request: Request, state: AppState, principal: Principal, job_type: str) -> Response:
    try:
        req = _validate(BatchRequest, await _json_body(request), state)
    except _BadRequest as bad:
        return bad.response
    response: Response = await run_in_threadpool(_create_batch, state, principal.tenant_id, job_type, req)
    return response


Auth = Annotated[Principal, Depends(get_principal)]
State = Annotated[AppState, Depends(get_state)]


JobType = Literal["bank_statement", "invoice", "auto"]

# (path, job type, summary, operation name). Registered in this order, before the GET routes below, so
# `/parse/batch` is never taken for a job id.
_JOB_ROUTES: tuple[tuple[str, JobType, str, str], ...] = (
    ("/parse/statements", "bank_statement", "Start a bank-statement job", "parse_statement"),
    ("/parse/invoices", "invoice", "Start an invoice job", "parse_invoice"),
    ("/parse", "auto", "Start a job; the type is detected", "parse_auto"),
)
_BATCH_ROUTES: tuple[tuple[str, JobType, str, str], ...] = (
    (
        "/parse/statements/batch",
        "bank_statement",
        "Bank-statement jobs for many documents",
        "batch_statements",
    ),
    ("/parse/invoices/batch", "invoice", "Invoice jobs for many documents", "batch_invoices"),
    ("/parse/batch", "auto", "Auto-typed jobs for many documents", "batch_auto"),
)


def _job_endpoint(job_type: JobType) -> Callable[..., Awaitable[Response]]:
    async def start_job(request: Request, principal: Auth, state: State) -> Response:
        return await _start(request, state, principal, job_type)

    return start_job


def _batch_endpoint(job_type: JobType) -> Callable[..., Awaitable[Response]]:
    async def start_batch(request: Request, principal: Auth, state: State) -> Response:
        return await _start_batch(request, state, principal, job_type)

    return start_batch


for _path, _type, _summary, _name in _JOB_ROUTES:
    router.add_api_route(
        _path,
        _job_endpoint(_type),
        methods=["POST"],
        status_code=202,
        summary=_summary,
        name=_name,
        openapi_extra=PARSE_OPENAPI,
        responses=JOB_RESPONSES,
    )
for _path, _type, _summary, _name in _BATCH_ROUTES:
    router.add_api_route(
        _path,
        _batch_endpoint(_type),
        methods=["POST"],
        status_code=202,
        summary=_summary,
        name=_name,
        openapi_extra=BATCH_OPENAPI,
        responses=BATCH_RESPONSES,
    )


@router.get(
    "/parse/batch/{batch_id}",
    summary="A batch with per-job statuses and counts",
    responses=responses(dm.BatchStatus, _404="NOT_FOUND"),
)
def get_batch(batch_id: str, principal: Auth, state: State) -> Response:
    number = parse_prefixed_id(batch_id, "batch")
    with state.sessions() as session:
        batch = store.get_batch(session, principal.tenant_id, number) if number is not None else None
        if batch is None:
            raise LedgerlensError(ErrorCode.NOT_FOUND, "Batch not found.")
        return ok(batch_json(batch, store.batch_jobs(session, batch.id)))


async def _job_status(request: Request, job_id: str, want: str | None, key: str) -> Response:
    """The status GETs are polled hard: state and caller are resolved directly instead of through
    FastAPI's dependency machinery (same checks as get_principal). `api.fastpath` answers the same
    requests before routing; keep the two in step (tests/api/test_fastpath.py compares them)."""
    state: AppState = request.app.state.ledgerlens
    principal = await state.auth.authenticate(request.headers.get("authorization"))
    number = parse_prefixed_id(job_id, "job")
    if number is not None:
        row = await state.job_status_row(principal.tenant_id, number)
        if row is not None and (want is None or effective_type(row) == want):
            return ok_raw(job_status_body(row, key))
    raise LedgerlensError(ErrorCode.NOT_FOUND, "Job not found.")


@router.get(
    "/parse/statements/{job_id}",
    summary="Status and `results` of a bank-statement job",
    responses=responses(dm.StatementJobStatus, _404="NOT_FOUND (also a job of another type)"),
)
async def statement_status(job_id: str, request: Request) -> Response:
    return await _job_status(request, job_id, "bank_statement", "results")


@router.get(
    "/parse/invoices/{job_id}",
    summary="Status and `result` of an invoice job",
    responses=responses(dm.JobStatus, _404="NOT_FOUND (also a job of another type)"),
)
async def invoice_status(job_id: str, request: Request) -> Response:
    return await _job_status(request, job_id, "invoice", "result")


@router.get(
    "/parse/{job_id}",
    summary="Status and `result` of any job",
    responses=responses(dm.JobStatus, _404="NOT_FOUND"),
)
async def job_status(job_id: str, request: Request) -> Response:
    return await _job_status(request, job_id, None, "result")
