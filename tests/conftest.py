"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL.

PostgreSQL tests use the server at CXMAP_TEST_PG_URL (default: postgres@127.0.0.1:5432,
trust auth). Each test process (each pytest-xdist worker: ``gw0``, ``gw1``…) creates its own
database, ``cxmap_test_<worker>_<random>``, and drops it at the end; tests empty it between them,
so two workers (or two runs at once) never share one. When the server does not answer, those
tests skip with the reason, except under CI=true, where they fail: CI must prove PostgreSQL works.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import create_engine, event, text

from cxmap.core.context import Context
from cxmap.store.db import Database, get_database

PG_ADMIN_URL = os.environ.get(
    "CXMAP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
# argon2id's real profile takes ~0.1–0.8 s a hash; the suite signs in thousands of times.
os.environ.setdefault("CXMAP_FAST_PASSWORD_HASH", "1")


def _postgres_unavailable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means: no server to test against
        return f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {str(error).splitlines()[0]}"
    return None


def worker_name() -> str:
    """This test process's pytest-xdist worker (``gw0``, ``gw1``…), or ``main`` without xdist
    (``-n0``, ``-p no:xdist``): xdist names each worker in ``PYTEST_XDIST_WORKER``."""
    return os.environ.get("PYTEST_XDIST_WORKER") or "main"


@contextmanager
def fresh_postgres_database(label: str = "test") -> Iterator[str]:
    """A new PostgreSQL database, migrated, for this test process: its URL; dropped after.
    Skips (fails under CI=true) when the server does not answer. The name says whose it is
    (``cxmap_<label>_<worker>_<random>``); the random part keeps two runs at once apart."""
    reason = _postgres_unavailable()
    if reason:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)
    name = f"cxmap_{label}_{worker_name()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        database = Database(url)
        database.migrate()
        database.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test process (one per xdist worker), migrated;
    dropped after."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


def _empty(database: Database) -> None:
    # Deleting the maps cascades to every other table but the sentiment cache, which is keyed
    # by text (shared by all maps): emptied too, or a test would find another's scores there.
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM journey_map"))
        connection.execute(text("DELETE FROM sentiment_cache"))
        connection.execute(text("DELETE FROM account"))  # team mode: not part of any map
        connection.execute(text("DELETE FROM sign_in_throttle"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ctx(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Context]:
    """A request context on a migrated, empty database: a SQLite file, or the run's PostgreSQL
    database (local mode: nobody signed in)."""
    if request.param == "sqlite":
        path = tmp_path / "cxmap.db"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}")
    else:
        database = Database(request.getfixturevalue("postgres_url"))
        _empty(database)
    try:
        yield Context(database)
    finally:
        database.dispose()


@pytest.fixture
def sqlite_ctx(tmp_path: Path, sqlite_template: Path) -> Iterator[Context]:
    """Only SQLite (for tests of SQLite-specific behaviour)."""
    path = tmp_path / "cxmap.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield Context(database)
    database.dispose()


@pytest.fixture
def pg_ctx(postgres_url: str) -> Iterator[Context]:
    """Only PostgreSQL (for tests of real concurrency)."""
    database = Database(postgres_url)
    _empty(database)
    yield Context(database)
    database.dispose()


@contextmanager
def counting_queries(ctx: Context) -> Iterator[list[str]]:
    """Collect the SQL statements run on the context's database inside the block."""
    statements: list[str] = []
    engine = ctx.db.engine  # type: ignore[attr-defined]

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path
) -> Iterator[str]:
    """A fresh, migrated SQLite file for the app under AppTest; empty Streamlit caches around it.

    Page tests use it for every test: ``pytestmark = pytest.mark.usefixtures("database_url")``.
    """
    path = tmp_path / "app.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("CXMAP_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()
    # The app opened the file through the store's process-wide cache: close its connections.
    get_database(url).dispose()


@pytest.fixture
def app_ctx(database_url: str) -> Iterator[Context]:
    """A context on the database the app uses, for preparing and inspecting data through
    services."""
    database = Database(database_url)
    yield Context(database)
    database.dispose()
