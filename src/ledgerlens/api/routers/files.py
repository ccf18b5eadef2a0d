"""Files: upload (multipart, several at once), list, get with latest result, download, delete."""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from email.utils import format_datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import FileResponse, Response

from ledgerlens.api import docs_models as dm
from ledgerlens.api import intake
from ledgerlens.api.auth import Principal, get_principal
from ledgerlens.api.deps import AppState, get_state
from ledgerlens.api.docs_models import responses
from ledgerlens.api.envelope import dumps, error_response, ok, ok_raw
from ledgerlens.api.multipart import MultipartForm, UploadedFile, is_multipart, read_multipart
from ledgerlens.api.views import file_json
from ledgerlens.documents.sniff import CONTENT_TYPES
from ledgerlens.errors import ErrorCode, LedgerlensError
from ledgerlens.jobs import store
from ledgerlens.jobs.models import StoredFile

log = logging.getLogger("ledgerlens.api")

router = APIRouter(tags=["files"])

UPLOAD_FIELDS = frozenset({"files", "file"})

UPLOAD_RESPONSES = responses(
    dm.UploadData,
    _207="Some files rejected (`status: partial_error`; see each file's `error`)",
    _413="FILE_TOO_LARGE (all files too large, or too many files)",
    _415="UNSUPPORTED_FORMAT (all files)",
)
"""When every file is rejected, the answer is the first file's error (400 CORRUPT_DOCUMENT or
PASSWORD_REQUIRED, 413, 415) with every file's reason in `details`."""

UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "format": "binary"},
                            "description": "Up to `max_files_per_request` (50) files; more is a 413.",
                        }
                    },
                },
                "encoding": {"files": dm.DOCUMENT_PART_ENCODING},
            }
        },
    }
}


def _not_found() -> LedgerlensError:
    return LedgerlensError(ErrorCode.NOT_FOUND, "File not found.")


async def open_upload_form(request: Request, state: AppState, fields: frozenset[str]) -> MultipartForm:
    """Read the multipart body within the limits; the caller must `close()` the form."""
    if not is_multipart(request):
        raise LedgerlensError(
            ErrorCode.INVALID_REQUEST,
            "Send the files as multipart/form-data in the field `files`.",
        )
    settings = state.settings
    form = await read_multipart(
        request,
        file_fields=fields,
        max_file_bytes=settings.max_file_bytes,
        max_files=settings.max_files_per_request,
    )
    if form.extra_files:
        form.close()
        raise LedgerlensError(
            ErrorCode.FILE_TOO_LARGE,
            f"Too many files: at most {settings.max_files_per_request} per request.",
            f"{len(form.files) + form.extra_files} files were sent.",
        )
    if not form.files:
        form.close()
        raise LedgerlensError(
            ErrorCode.INVALID_REQUEST, "No files: send them in the multipart field `files`."
        )
    return form


async def accept_uploads(form: MultipartForm, state: AppState, principal: Principal) -> list[intake.Intake]:
    """Validate, classify and store each file of the form; answers in upload order.

    Files are probed concurrently (bounded by `state.probe_slots`); each file's bytes are read
    from the spool only when its turn comes, so a large form is not held in memory at once.
    """
    limit = state.settings.max_file_bytes

    async def accept(upload: UploadedFile) -> intake.Intake:
        if upload.too_large:
            return intake.too_large(upload.filename, upload.size, limit)
        return await intake.accept_file(state, principal.tenant_id, upload.filename, upload.read)

    return list(await asyncio.gather(*(accept(upload) for upload in form.files)))


async def receive_uploads(
    request: Request, state: AppState, principal: Principal, fields: frozenset[str]
) -> list[intake.Intake]:
    form = await open_upload_form(request, state, fields)
    try:
        return await accept_uploads(form, state, principal)
    finally:
        form.close()


def upload_response(outcomes: list[intake.Intake]) -> Response:
    """200 `done` when all were stored, 207 `partial_error` when some were, else the rejection itself.

    When every file is rejected there is nothing to report as success: the answer is the error of
    the first file (its code and HTTP status); `details` lists every file's reason.
    """
    rejected = [o for o in outcomes if o.stored is None]
    if rejected and len(rejected) == len(outcomes):
        code, message = rejected[0].error or (ErrorCode.INTERNAL_SERVER_ERROR, "Not stored.")
        details = "; ".join(
            f"{o.filename}: {o.error[0] if o.error else ''} {o.error[1] if o.error else ''}".strip()
            for o in rejected
        )
        if len(rejected) > 1:
            message = f"None of the {len(rejected)} files was accepted; first: {message}"
        return error_response(code, message, details)
    data = {"files": [o.as_json() for o in outcomes], "status": "partial_error" if rejected else "done"}
    return ok(data, 207 if rejected else 200)


async def upload_files(
    request: Request,
    principal: Annotated[Principal, Depends(get_principal)],
    state: Annotated[AppState, Depends(get_state)],
) -> Response:
    outcomes = await receive_uploads(request, state, principal, UPLOAD_FIELDS)
    return upload_response(outcomes)


router.add_api_route(
    "/files/upload",
    upload_files,
    methods=["POST"],
    summary="Upload documents (multipart field `files`, repeated)",
    openapi_extra=UPLOAD_OPENAPI,
    responses=UPLOAD_RESPONSES,
)
router.add_api_route(  # older clients call the legacy path: same handler, request and response
    "/parse/upload",
    upload_files,
    methods=["POST"],
    name="upload_files_legacy",
    summary="Legacy alias of /files/upload (same request and response)",
    openapi_extra=UPLOAD_OPENAPI,
    responses=UPLOAD_RESPONSES,
)


@router.get("/files", summary="List the caller's files, newest first", responses=responses(dm.FileList))
def list_files(
    principal: Annotated[Principal, Depends(get_principal)],
    state: Annotated[AppState, Depends(get_state)],
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    type: Annotated[Literal["bank_statement", "invoice", "other"] | None, Query()] = None,
    status: Annotated[
        Literal["uploaded", "processing", "completed", "failed", "deleted"] | None, Query()
    ] = None,
) -> Response:
    with state.sessions() as session:
        views, total = store.list_files(
            session, principal.tenant_id, page=page, page_size=page_size, doc_type=type, status=status
        )
        files = [file_json(v) for v in views]
    return ok({"files": files, "page": page, "page_size": page_size, "total": total})


def _owned(state: AppState, principal: Principal, file_id: str) -> StoredFile:
    if len(file_id) > 64:
        raise _not_found()
    with state.sessions() as session:
        row = store.get_file(session, principal.tenant_id, file_id)
    if row is None:
        raise _not_found()
    return row


@router.get(
    "/files/{file_id}",
    summary="One file, with `processed_data` once a job completed",
    responses=responses(dm.FileDetail, _404="NOT_FOUND"),
)
def get_file(
    file_id: str,
    principal: Annotated[Principal, Depends(get_principal)],
    state: Annotated[AppState, Depends(get_state)],
) -> Response:
    row = _owned(state, principal, file_id)
    with state.sessions() as session:
        view = store.file_view(session, row)
        result = store.latest_result(session, row.id)
    # The stored result text is embedded verbatim (no re-serialisation of large payloads).
    return ok_raw(dumps(file_json(view))[:-1] + ',"processed_data":' + (result or "null") + "}")


DOWNLOAD_OK: dict[str, Any] = {
    "description": "The bytes as uploaded, with the content type found by sniffing them",
    "content": {
        media: {"schema": {"type": "string", "format": "binary"}} for media in CONTENT_TYPES.values()
    },
    "headers": {
        "Content-Disposition": {
            "required": True,
            "schema": {"type": "string"},
            "description": "`attachment` with the original file name",
        }
    },
}


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback plus the exact UTF-8 name (cleaned again: names stored before
    `clean_filename` dropped bidi controls may still hold them)."""
    filename = intake.clean_filename(filename)
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    quoted = urllib.parse.quote(filename, safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


@router.get(
    "/files/{file_id}/download",
    summary="The original bytes (410 once deleted)",
    response_class=Response,  # not JSON: the 200 is documented by DOWNLOAD_OK alone
    responses={
        **responses(dm.FileInfo, _404="NOT_FOUND", _410="GONE (the file was deleted)"),
        200: DOWNLOAD_OK,
    },
)
def download_file(
    file_id: str,
    principal: Annotated[Principal, Depends(get_principal)],
    state: Annotated[AppState, Depends(get_state)],
) -> Response:
    row = _owned(state, principal, file_id)
    if row.status == "deleted":
        raise LedgerlensError(ErrorCode.GONE, "The file was deleted.")
    path = state.blobs.path_for(row.sha256)
    if not path.is_file():
        log.error("blob %s of file %s is missing", row.sha256, row.id)
        raise LedgerlensError(ErrorCode.GONE, "The file's stored bytes are no longer available.")
    # The blob is shared by every upload of the same bytes, by any tenant: its mtime is the first
    # uploader's time. Validators come from the caller's own record instead.
    return FileResponse(
        path,
        media_type=row.content_type,
        headers={
            "Content-Disposition": content_disposition(row.filename),
            "Cache-Control": "no-store",
            "Last-Modified": format_datetime(store.as_utc(row.created_at), usegmt=True),
            "ETag": f'"{row.id}"',
        },
    )


@router.delete(
    "/files/{file_id}",
    summary="Delete the stored bytes and mark the file deleted",
    responses=responses(dm.FileDeleted, _404="NOT_FOUND", _409="CONFLICT (already deleted)"),
)
def delete_file(
    file_id: str,
    principal: Annotated[Principal, Depends(get_principal)],
    state: Annotated[AppState, Depends(get_state)],
) -> Response:
    if len(file_id) > 64:
        raise _not_found()
    with state.sessions() as session:
        row = store.get_file(session, principal.tenant_id, file_id)
        if row is None:
            raise _not_found()
        if row.status == "deleted" or not store.mark_file_deleted(session, row):
            raise LedgerlensError(ErrorCode.CONFLICT, "The file is already deleted.")
        if not store.blob_in_use(session, row.sha256):
            state.blobs.delete(row.sha256)
        view = store.file_view(session, row)
    return ok({**file_json(view), "deleted": True})
