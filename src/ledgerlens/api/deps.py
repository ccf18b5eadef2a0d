"""Per-application state (settings, database, blob store, authenticator) and its dependency."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.api.auth import Authenticator
from ledgerlens.config import Settings
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.db import make_engine, make_session_factory


@dataclass(slots=True)
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    blobs: BlobStore
    auth: Authenticator

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
        )


async def get_state(request: Request) -> AppState:
    """Async so FastAPI does not spend a threadpool hop on it."""
    state: AppState = request.app.state.ledgerlens
    return state
