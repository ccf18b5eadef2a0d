"""Pydantic models of the response shapes, for the OpenAPI document only.

Handlers build their JSON directly (the status GET embeds stored result text without re-parsing);
these models describe that JSON to clients and are never used to validate at request time.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


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


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in (
        (400, "INVALID_REQUEST / VALIDATION_ERROR / CORRUPT_DOCUMENT"),
        (401, "UNAUTHORIZED"),
        (404, "NOT_FOUND (also for another tenant's ids)"),
        (500, "INTERNAL_SERVER_ERROR"),
    )
}


def responses(ok_model: Any, ok_status: int = 200, **extra: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for a route: its success envelope, common errors, and `extra` statuses
    given as `_413="FILE_TOO_LARGE"` keyword pairs."""
    out: dict[int | str, dict[str, Any]] = {
        ok_status: {"model": Envelope[ok_model], "description": "Success"}
    }
    out.update(ERRORS)
    for key, description in extra.items():
        out[int(key.lstrip("_"))] = {"model": ErrorEnvelope, "description": description}
    return out
