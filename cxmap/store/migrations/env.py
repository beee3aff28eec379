"""Alembic environment: migrates CXMAP_DATABASE_URL, or the connection cxmap hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from cxmap.core.config import load_settings
from cxmap.store import models
from cxmap.store.db import make_engine

config = context.config
target_metadata = models.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    url = config.get_main_option("sqlalchemy.url") or load_settings().database_url
    engine = make_engine(url)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()
