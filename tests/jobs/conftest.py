"""Fixtures for the job system tests: a migrated SQLite database and a blob store in a tmp dir."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.migrations import upgrade
from tests.jobs.factory import make_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = make_settings(tmp_path / "data")
    upgrade(s)
    return s


@pytest.fixture
def sf(settings: Settings) -> sessionmaker[Session]:
    return make_session_factory(make_engine(settings))


@pytest.fixture
def blobs(settings: Settings) -> BlobStore:
    return BlobStore(settings.files_dir)
