"""How stored rows look on the wire (the JSON shapes of spec/API.md)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ledgerlens.api.envelope import dumps
from ledgerlens.jobs.ids import format_batch_id, format_job_id
from ledgerlens.jobs.models import Batch, Job
from ledgerlens.jobs.store import FileView, JobStatusRow, as_utc


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def file_json(view: FileView) -> dict[str, Any]:
    row = view.file
    return {
        "id": row.id,
        "filename": row.filename,
        "file_id": row.id,
        "type": row.type,
        "status": view.status,
        "size": row.size,
        "format": row.format,
        "content_type": row.content_type,
        "page_count": row.page_count,
        "created_at": iso(row.created_at),
        "completed_at": iso(view.completed_at),
    }


def job_created_json(job: Job) -> dict[str, Any]:
    data: dict[str, Any] = {
        "job_id": format_job_id(job.id),
        "status": job.status,
        "document_id": job.file_id,
        "type": job.job_type,
        "created_at": iso(job.created_at),
        "updated_at": iso(job.updated_at),
    }
    if job.batch_id is not None:
        data["batch_id"] = format_batch_id(job.batch_id)
    return data


def result_document_type(row: JobStatusRow) -> str | None:
    if not row.result_json:
        return None
    try:
        parsed = json.loads(row.result_json)
    except ValueError:
        return None
    value = parsed.get("document_type") if isinstance(parsed, dict) else None
    return value if isinstance(value, str) else None


def effective_type(row: JobStatusRow) -> str:
    """What a job is about: its declared type; for auto jobs the detected document type once the
    result exists, before that the upload classification. Credit notes count as invoices."""
    if row.job_type != "auto":
        return row.job_type
    detected = result_document_type(row) if row.status == "completed" else None
    kind = detected or row.file_type
    return "invoice" if kind == "credit_note" else kind


def job_status_body(row: JobStatusRow, result_key: str) -> str:
    """Serialized `data` for a status response; the stored result text is embedded as is."""
    done = row.status == "completed"
    head: dict[str, Any] = {
        "job_id": format_job_id(row.id),
        "status": row.status,
        "file_id": row.file_id,
        "document_id": row.file_id,
        "type": row.job_type,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "completed_at": iso(row.completed_at),
        "progress": 100 if done else max(0, min(100, row.progress or 0)),
    }
    if row.batch_id is not None:
        head["batch_id"] = format_batch_id(row.batch_id)
    if row.status == "failed":
        head["error"] = {
            "code": row.error_code or "INTERNAL_SERVER_ERROR",
            "message": row.error_message or "",
        }
    text = dumps(head)
    result = row.result_json if done and row.result_json else "null"
    return text[:-1] + ',"' + result_key + '":' + result + "}"


def batch_status(statuses: list[str]) -> str:
    """pending (nothing started) < processing < completed / failed / partial_error (all ended)."""
    if not statuses or all(s == "pending" for s in statuses):
        return "pending"
    if any(s in ("pending", "processing") for s in statuses):
        return "processing"
    if all(s == "completed" for s in statuses):
        return "completed"
    if all(s == "failed" for s in statuses):
        return "failed"
    return "partial_error"


def batch_json(batch: Batch, jobs: list[Job]) -> dict[str, Any]:
    counts = {s: 0 for s in ("pending", "processing", "completed", "failed")}
    for job in jobs:
        counts[job.status] = counts.get(job.status, 0) + 1
    counts["total"] = len(jobs)
    entries: list[dict[str, Any]] = []
    for job in jobs:
        entry: dict[str, Any] = {
            "job_id": format_job_id(job.id),
            "document_id": job.file_id,
            "status": job.status,
            "progress": 100 if job.status == "completed" else max(0, min(100, job.progress or 0)),
            "updated_at": iso(job.updated_at),
        }
        if job.status == "failed":
            entry["error"] = {
                "code": job.error_code or "INTERNAL_SERVER_ERROR",
                "message": job.error_message or "",
            }
        entries.append(entry)
    return {
        "batch_id": format_batch_id(batch.id),
        "status": batch_status([j.status for j in jobs]),
        "type": batch.job_type,
        "job_ids": [format_job_id(j.id) for j in jobs],
        "jobs": entries,
        "counts": counts,
        "callback_url": batch.callback_url,
        "created_at": iso(batch.created_at),
        "updated_at": iso(max([batch.updated_at, *(j.updated_at for j in jobs)], key=as_utc)),
    }
