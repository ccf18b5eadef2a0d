"""Per-application state (settings, database, blob store, authenticator) and its dependency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ledgerlens.api.auth import Authenticator
from ledgerlens.config import Settings
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.db import make_engine, make_session_factory

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

    async def read(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run a short read-only DB function: inline for SQLite, in the threadpool otherwise."""
        if self.inline_reads:
            return fn(*args, **kwargs)
        return await run_in_threadpool(fn, *args, **kwargs)

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        engine = make_engine(settings)
        sessions = make_session_factory(engine)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            blobs=BlobStore(settings.files_dir),
            auth=Authenticator(settings, sessions),
            inline_reads=engine.dialect.name == "sqlite",
        )


async def get_state(request: Request) -> AppState:
    """Async so FastAPI does not spend a threadpool hop on it."""
    state: AppState = request.app.state.ledgerlens
    return state
