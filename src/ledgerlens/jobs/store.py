"""Database operations behind the API, every lookup scoped by tenant.

All functions take an open `Session` and never commit unless their name says they create, change
or delete something. An object of another tenant is indistinguishable from a missing one (None).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, bindparam, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection

from ledgerlens.errors import ErrorCode
from ledgerlens.jobs import queue
from ledgerlens.jobs.ids import new_numeric_id, new_uuid
from ledgerlens.jobs.keys import display_prefix, generate_key, hash_key
from ledgerlens.jobs.models import ApiKey, Batch, CustomSchema, Job, StoredFile, Tenant, utcnow
from ledgerlens.jobs.tenants import new_webhook_secret

JOB_TYPES = ("bank_statement", "invoice", "auto")
FILE_TYPES = ("bank_statement", "invoice", "other")
FILE_STATUSES = ("uploaded", "processing", "completed", "failed", "deleted")
JOB_STATUSES = ("pending", "processing", "completed", "failed")


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --------------------------------------------------------------------------- tenants and keys


def get_tenant(session: Session, tenant_id: str) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def find_tenant(session: Session, ref: str) -> Tenant | None:
    """A tenant by id or, failing that, by name."""
    tenant = session.get(Tenant, ref)
    if tenant is None:
        tenant = session.scalars(select(Tenant).where(Tenant.name == ref)).first()
    return tenant


def create_tenant(session: Session, name: str) -> Tenant:
    tenant = Tenant(id=new_uuid(), name=name, webhook_secret=new_webhook_secret(), created_at=utcnow())
    session.add(tenant)
    session.commit()
    return tenant


def ensure_tenant(session: Session, ref: str) -> Tenant:
    """The tenant with this id or name, created (named `ref`) on first use; safe under races."""
    tenant = find_tenant(session, ref)
    if tenant is not None:
        return tenant
    try:
        return create_tenant(session, ref)
    except IntegrityError:
        session.rollback()
        tenant = find_tenant(session, ref)
        if tenant is None:
            raise
        return tenant


def create_api_key(session: Session, tenant_id: str, label: str | None = None) -> tuple[str, ApiKey]:
    """A new key for the tenant; the clear key is returned once and never stored."""
    key = generate_key()
    row = ApiKey(
        id=new_uuid(),
        tenant_id=tenant_id,
        label=label,
        prefix=display_prefix(key),
        key_hash=hash_key(key),
        created_at=utcnow(),
    )
    session.add(row)
    session.commit()
    return key, row


def find_api_key(session: Session, key_hash: str) -> ApiKey | None:
    return session.scalars(select(ApiKey).where(ApiKey.key_hash == key_hash)).first()


def revoke_api_key(session: Session, key_id: str) -> bool:
    result = session.execute(
        update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0))


# --------------------------------------------------------------------------- files


@dataclass(slots=True)
class FileView:
    """A file as listed: its stored row plus the status derived from its jobs."""

    file: StoredFile
    status: str
    completed_at: datetime | None


def _latest_job_status() -> Any:
    return (
        select(Job.status)
        .where(Job.file_id == StoredFile.id)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(1)
        .correlate(StoredFile)
        .scalar_subquery()
    )


def _file_status_expr() -> ColumnElement[str]:
    """deleted > status of the newest job (pending counts as processing) > uploaded.

    Derived from the jobs table so it is right whichever process finished the job.
    """
    latest = _latest_job_status()
    return case(
        (StoredFile.status == "deleted", "deleted"),
        (latest.is_(None), "uploaded"),
        (latest.in_(("pending", "processing")), "processing"),
        else_=latest,
    )


def _file_completed_expr() -> Any:
    return (
        select(func.max(Job.completed_at))
        .where(Job.file_id == StoredFile.id, Job.status == "completed")
        .correlate(StoredFile)
        .scalar_subquery()
    )


def create_file(
    session: Session,
    *,
    tenant_id: str,
    filename: str,
    content_type: str,
    fmt: str,
    size: int,
    sha256: str,
    page_count: int | None,
    doc_type: str,
) -> StoredFile:
    row = StoredFile(
        id=new_uuid(),
        tenant_id=tenant_id,
        filename=filename,
        content_type=content_type,
        format=fmt,
        size=size,
        sha256=sha256,
        page_count=page_count,
        type=doc_type,
        status="uploaded",
        created_at=utcnow(),
    )
    session.add(row)
    session.commit()
    return row


def get_file(session: Session, tenant_id: str, file_id: str) -> StoredFile | None:
    """The tenant's file (deleted ones included, so callers can answer 410)."""
    row = session.get(StoredFile, file_id)
    if row is None or row.tenant_id != tenant_id:
        return None
    return row


def file_view(session: Session, row: StoredFile) -> FileView:
    status, completed_at = session.execute(
        select(_file_status_expr(), _file_completed_expr()).where(StoredFile.id == row.id)
    ).one()
    return FileView(row, str(status), completed_at)


def list_files(
    session: Session,
    tenant_id: str,
    *,
    page: int,
    page_size: int,
    doc_type: str | None = None,
    status: str | None = None,
) -> tuple[list[FileView], int]:
    """Newest first; deleted files only when asked for with status="deleted"."""
    status_expr = _file_status_expr()
    conditions: list[ColumnElement[bool]] = [StoredFile.tenant_id == tenant_id]
    if doc_type is not None:
        conditions.append(StoredFile.type == doc_type)
    if status == "deleted":
        conditions.append(StoredFile.status == "deleted")
    else:
        conditions.append(StoredFile.status != "deleted")
        if status is not None:
            conditions.append(status_expr == status)
    total = session.scalar(select(func.count()).select_from(StoredFile).where(*conditions)) or 0
    query = (
        select(StoredFile, status_expr, _file_completed_expr())
        .where(*conditions)
        .order_by(StoredFile.created_at.desc(), StoredFile.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    views = [FileView(row, str(st), done) for row, st, done in session.execute(query).tuples().all()]
    return views, int(total)


def latest_result(session: Session, file_id: str) -> str | None:
    """Result JSON text of the file's most recently completed job."""
    return session.scalar(
        select(Job.result_json)
        .where(Job.file_id == file_id, Job.status == "completed", Job.result_json.is_not(None))
        .order_by(Job.completed_at.desc(), Job.id.desc())
        .limit(1)
    )


def mark_file_deleted(session: Session, row: StoredFile) -> bool:
    """Mark deleted (False if it already was) and fail (with webhook) its jobs nobody has started yet.

    The conditional updates make a concurrent delete or worker claim safe: only one side wins.
    """
    now = utcnow()
    result = session.execute(
        update(StoredFile)
        .where(StoredFile.id == row.id, StoredFile.status != "deleted")
        .values(status="deleted", deleted_at=now)
    )
    if not getattr(result, "rowcount", 0):
        session.rollback()
        return False
    # the files UPDATE above holds the write lock, so no worker can claim these jobs meanwhile
    queue.fail_unclaimed(
        session, row.id, ErrorCode.GONE, "The document was deleted before processing started."
    )
    session.commit()
    session.refresh(row)
    return True


def blob_in_use(session: Session, sha256: str) -> bool:
    """Whether any non-deleted file (of any tenant) still needs these bytes."""
    return (
        session.scalar(
            select(StoredFile.id).where(StoredFile.sha256 == sha256, StoredFile.status != "deleted").limit(1)
        )
        is not None
    )


# --------------------------------------------------------------------------- schemas


def active_schemas(session: Session, tenant_id: str, schema_type: str) -> list[dict[str, Any]]:
    """`schema_string` objects of the tenant's active schemas of one type, oldest first."""
    rows = session.scalars(
        select(CustomSchema)
        .where(
            CustomSchema.tenant_id == tenant_id,
            CustomSchema.type == schema_type,
            CustomSchema.is_active.is_(True),
        )
        .order_by(CustomSchema.created_at, CustomSchema.id)
    ).all()
    snapshots: list[dict[str, Any]] = []
    for row in rows:
        try:
            value = json.loads(row.schema_json)
        except ValueError:
            continue
        if isinstance(value, dict):
            snapshots.append(value)
    return snapshots


def job_options(
    session: Session, tenant_id: str, job_type: str, file_type: str, password: str | None
) -> dict[str, Any]:
    """What a worker needs besides the bytes, frozen at creation so later schema edits do not
    change a queued job.

    Keys: `password`; `custom_schemas` (schemas for the type the job will be processed as: the
    declared type, or for auto jobs the upload classification); `custom_schemas_by_type` (both
    types, for auto jobs whose detected type differs from the upload classification).
    """
    by_type = {t: active_schemas(session, tenant_id, t) for t in ("bank_statement", "invoice")}
    effective = job_type if job_type != "auto" else file_type
    return {
        "password": password,
        "custom_schemas": by_type.get(effective, []),
        "custom_schemas_by_type": by_type,
    }


# --------------------------------------------------------------------------- jobs and batches


@dataclass(slots=True)
class JobRequest:
    file_id: str
    password: str | None = None


def find_job_by_idempotency(session: Session, tenant_id: str, key: str) -> Job | None:
    return session.scalars(select(Job).where(Job.tenant_id == tenant_id, Job.idempotency_key == key)).first()


def new_job(
    session: Session,
    *,
    tenant_id: str,
    file: StoredFile,
    job_type: str,
    password: str | None,
    callback_url: str | None,
    idempotency_key: str | None = None,
    batch_id: int | None = None,
    job_id: int | None = None,
) -> Job:
    """Add (not commit) a pending job for one of the tenant's files."""
    now = utcnow()
    job = Job(
        id=job_id if job_id is not None else new_numeric_id(),
        tenant_id=tenant_id,
        file_id=file.id,
        batch_id=batch_id,
        job_type=job_type,
        status="pending",
        progress=0,
        options_json=json.dumps(job_options(session, tenant_id, job_type, file.type, password)),
        callback_url=callback_url,
        idempotency_key=idempotency_key,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    return job


def get_job(session: Session, tenant_id: str, job_id: int) -> Job | None:
    job = session.get(Job, job_id)
    if job is None or job.tenant_id != tenant_id:
        return None
    return job


@dataclass(slots=True)
class JobStatusRow:
    """The columns the status endpoints need, read in one indexed query (the hot path)."""

    id: int
    file_id: str
    batch_id: int | None
    job_type: str
    status: str
    progress: int
    result_json: str | None
    error_code: str | None
    error_message: str | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    file_type: str


_JOB_STATUS_QUERY = (
    select(
        Job.id,
        Job.file_id,
        Job.batch_id,
        Job.job_type,
        Job.status,
        Job.progress,
        Job.result_json,
        Job.error_code,
        Job.error_message,
        Job.created_at,
        Job.updated_at,
        Job.completed_at,
        StoredFile.type,
    )
    .join(StoredFile, StoredFile.id == Job.file_id)
    .where(Job.id == bindparam("job_id"), Job.tenant_id == bindparam("tenant_id"))
)
"""Built once: the status GET is the hottest path and statement construction costs more than the
indexed lookup itself."""


def job_status_row(conn: Connection | Session, tenant_id: str, job_id: int) -> JobStatusRow | None:
    row = conn.execute(_JOB_STATUS_QUERY, {"job_id": job_id, "tenant_id": tenant_id}).first()
    if row is None:
        return None
    values: tuple[Any, ...] = tuple(row)
    return JobStatusRow(*values)


class SqliteStatusReader:
    """`job_status_row` on a bare sqlite3 connection: the same SQL, compiled once from
    `_JOB_STATUS_QUERY`, and the same result conversions SQLAlchemy applies, without the ~25 µs
    SQLAlchemy spends per execution. Use it from one thread (the event loop) only.

    The connection comes from `engine.raw_connection()`, so it has the engine's pragmas (WAL, busy
    timeout). Each read runs to completion in autocommit mode, so it holds no snapshot afterwards
    and the next read sees every commit made meanwhile.
    """

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name != "sqlite" or engine.dialect.driver != "pysqlite":
            raise ValueError("SqliteStatusReader needs a SQLite engine on the sqlite3 driver")
        dialect = engine.dialect
        compiled = _JOB_STATUS_QUERY.compile(dialect=dialect)
        self._sql = str(compiled)
        self._order = tuple(compiled.positiontup or ())
        self._processors: list[tuple[int, Callable[[Any], Any]]] = []
        for index, column in enumerate(_JOB_STATUS_QUERY.selected_columns):
            processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if processor is not None:
                self._processors.append((index, processor))
        self._engine = engine
        self._raw: PoolProxiedConnection | None = None

    def __call__(self, tenant_id: str, job_id: int) -> JobStatusRow | None:
        raw = self._raw
        if raw is None:
            raw = self._raw = self._engine.raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        params = {"job_id": job_id, "tenant_id": tenant_id}
        try:
            cursor = driver.execute(self._sql, [params[name] for name in self._order])
            rows = cursor.fetchall()
        except sqlite3.Error:
            self.close(invalidate=True)  # reconnect on the next read rather than reuse a broken one
            raise
        if not rows:
            return None
        values = list(rows[0])
        for index, processor in self._processors:
            values[index] = processor(values[index])
        return JobStatusRow(*values)

    def close(self, invalidate: bool = False) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            if invalidate:
                raw.invalidate()
            else:
                raw.close()


def create_batch(
    session: Session,
    *,
    tenant_id: str,
    job_type: str,
    callback_url: str | None,
    items: Sequence[tuple[StoredFile, str | None]],
) -> tuple[Batch, list[Job]]:
    """One batch and a pending job per (file, password), committed together."""
    now = utcnow()
    batch = Batch(
        id=new_numeric_id(),
        tenant_id=tenant_id,
        job_type=job_type,
        callback_url=callback_url,
        created_at=now,
        updated_at=now,
    )
    session.add(batch)
    session.flush()
    # Ids ascending in request order, so listing a batch's jobs by id keeps the order they were sent in.
    unique: set[int] = set()
    while len(unique) < len(items):
        unique.add(new_numeric_id())
    ids = sorted(unique)
    jobs = [
        new_job(
            session,
            tenant_id=tenant_id,
            file=file,
            job_type=job_type,
            password=password,
            callback_url=callback_url,
            batch_id=batch.id,
            job_id=job_id,
        )
        for (file, password), job_id in zip(items, ids, strict=True)
    ]
    session.commit()
    return batch, jobs


def get_batch(session: Session, tenant_id: str, batch_id: int) -> Batch | None:
    batch = session.get(Batch, batch_id)
    if batch is None or batch.tenant_id != tenant_id:
        return None
    return batch


def batch_jobs(session: Session, batch_id: int) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.batch_id == batch_id).order_by(Job.id)).all())
