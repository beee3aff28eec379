"""Engine, sessions and migrations: the one place that opens database connections.

Examples
--------
>>> import tempfile
>>> db = Database(f"sqlite:///{tempfile.mkdtemp()}/journeys.db")
>>> db.migrate()
>>> with db.session() as session:
...     _ = session.connection()
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from cxmap.core.config import PROJECT_ROOT, load_settings
from cxmap.core.errors import Busy

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


# Bulk inserts (map_queries.insert_content) hand dates straight to the driver: store them as ISO
# text, the format SQLAlchemy uses on SQLite (and without Python 3.12's deprecated adapter).
sqlite3.register_adapter(dt.date, dt.date.isoformat)


# How long a write waits for another writer on SQLite before giving up with ``Busy``.
SQLITE_BUSY_SECONDS = 10.0
BUSY_MESSAGE = (
    "The database is busy saving another change (a large feedback import, say), so nothing "
    "was saved. Try again in a moment."
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite enforces foreign keys only when asked, per connection; WAL lets readers
    # (other browser tabs) read while one writer writes; busy_timeout waits for that writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 32 MB of page cache (default 2 MB): bulk imports insert into indexes of random hashes.
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine for ``url`` with cxmap's connection settings (SQLite or PostgreSQL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def alembic_config(url: str) -> Config:
    """Alembic configuration for ``url`` (what ``alembic.ini`` gives the alembic command)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class Database:
    """An engine plus a session factory. Each ``session()`` block is one transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    @property
    def dialect(self) -> str:
        """The database's SQLAlchemy dialect name: "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        config = alembic_config(self.url)
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except OperationalError as error:
                session.rollback()
                if "database is locked" in str(error.orig):  # SQLite's busy timeout ran out
                    raise Busy(BUSY_MESSAGE) from None
                raise
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close the engine's pooled connections (a new one is opened when next needed)."""
        self.engine.dispose()


@cache
def _database_for(url: str) -> Database:
    database = Database(url)
    database.migrate()
    return database


def get_database(url: str | None = None) -> Database:
    """The process-wide, migrated database for ``url`` (default: the settings' URL)."""
    return _database_for(url or load_settings().database_url)
