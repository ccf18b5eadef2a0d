"""Per-application state (settings, database, blob store, authenticator) and its dependency."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Concatenate, ParamSpec, TypeVar

from fastapi import Request
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ledgerlens.api.auth import Authenticator
from ledgerlens.config import Settings
from ledgerlens.jobs import store
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.jobs.store import JobStatusRow, SqliteStatusReader

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(slots=True)
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    blobs: BlobStore
    auth: Authenticator
    inline_reads: bool
    """SQLite in WAL mode: a point read never waits for a writer and takes tens of microseconds,
    cheaper than a threadpool hop, so hot read paths run it on the event loop."""
    probe_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))
    """Uploads probed at once (each in a sandboxed child process): `settings.probe_workers`."""
    loop_connection: Connection | None = None
    """The event loop's own connection for inline reads: never waits for the pool, which threadpool
    work may have exhausted (that would stall every request)."""
    fast_status_answers: int = 0
    """Status GETs answered by `api.fastpath` before routing (diagnostics and tests)."""
    status_reader: SqliteStatusReader | None = None
    """`store.job_status_row` on the event loop's own bare sqlite3 connection (the hot path)."""

    async def job_status_row(self, tenant_id: str, job_id: int) -> JobStatusRow | None:
        """The status GETs' one read, shared by the routers and the fast path so both see the same row."""
        if self.status_reader is not None:
            return self.status_reader(tenant_id, job_id)
        return await self.read(store.job_status_row, tenant_id, job_id)

    async def read(self, fn: Callable[Concatenate[Connection, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run a short read-only DB function `fn(conn, ...)`: inline for SQLite, else in the threadpool."""
        if not self.inline_reads:
            return await run_in_threadpool(partial(self._read_pooled, fn, *args, **kwargs))
        conn = self.loop_connection
        if conn is None or conn.closed:
            conn = self.loop_connection = self.engine.connect()
        try:
            return fn(conn, *args, **kwargs)
        except DBAPIError:
            # A broken connection is replaced on the next read rather than reused.
            self.loop_connection = None
            conn.invalidate()
            raise
        finally:
            if not conn.invalidated:
                conn.rollback()  # end the read transaction so the next read sees fresh data

    def _read_pooled(
        self, fn: Callable[Concatenate[Connection, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        with self.engine.connect() as conn:
            return fn(conn, *args, **kwargs)

    def close(self) -> None:
        if self.status_reader is not None:
            self.status_reader.close()
        if self.loop_connection is not None:
            self.loop_connection.close()
            self.loop_connection = None
        self.engine.dispose()

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        engine = make_engine(settings)
        sessions = make_session_factory(engine)
        bare_sqlite = engine.dialect.name == "sqlite" and engine.dialect.driver == "pysqlite"
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            blobs=BlobStore(settings.files_dir),
            auth=Authenticator(settings, sessions),
            inline_reads=engine.dialect.name == "sqlite",
            status_reader=SqliteStatusReader(engine) if bare_sqlite else None,
            probe_slots=asyncio.Semaphore(max(1, settings.probe_workers)),
        )


async def get_state(request: Request) -> AppState:
    """Async so FastAPI does not spend a threadpool hop on it."""
    state: AppState = request.app.state.ledgerlens
    return state
