"""Write transactions that take the database's write lock up front.

SQLite in WAL mode fails a deferred transaction that read a snapshot and then tries to write after
another process committed (SQLITE_BUSY_SNAPSHOT, not retried by the busy timeout). Starting every
write transaction with `BEGIN IMMEDIATE` makes concurrent workers queue on the busy timeout instead.
Other databases get an ordinary transaction (row locks come from the statements themselves).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def write_session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction holds the write lock (SQLite) and commits on success."""
    with session_factory() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("BEGIN IMMEDIATE"))
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
