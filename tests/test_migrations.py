"""The schema: Alembic builds it, models and migrations agree, and the database enforces it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from cxmap import services
from cxmap.core.context import Context
from cxmap.store import models
from cxmap.store.db import Database, alembic_config
from tests.factories import journey_document

ROOT = Path(__file__).resolve().parent.parent


def test_models_and_migrations_do_not_drift(ctx: Context) -> None:
    with ctx.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, models.metadata)
    assert differences == [], "models changed without a migration: alembic revision --autogenerate"


def test_alembic_command_builds_the_schema_on_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env={**os.environ, "CXMAP_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    tables = set(inspect(Database(url).engine).get_table_names())
    assert set(models.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migrate_is_idempotent(ctx: Context) -> None:
    ctx.db.migrate()
    ctx.db.migrate()
    with ctx.db.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_ctx: Context) -> None:
    with sqlite_ctx.db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE touchpoint SET emotion = 3",
        "UPDATE touchpoint SET effort = 6",
        "UPDATE touchpoint SET drop_off = 1.5",
        "UPDATE touchpoint SET volume = -1",
        "UPDATE touchpoint SET name = '  '",
        "UPDATE pain_point SET severity = 0",
        "UPDATE pain_point SET frequency = 6",
        "UPDATE opportunity SET customer_value = 101",
        "UPDATE opportunity SET status = 'maybe'",
        "UPDATE feedback SET nps = 11",
        "UPDATE feedback SET csat = 0",
        "UPDATE feedback SET ces = 7, ces_scale = 5",
        "UPDATE emotion SET score = -3",
        "UPDATE feedback SET sentiment_source = 'guess'",
        "UPDATE feedback SET sentiment = 1.5",
        "UPDATE persona SET segment_share = 1.5",
        "UPDATE journey_map SET state = 'past'",
        "UPDATE touchpoint SET key = 't2'",
        "UPDATE touchpoint SET stage_id = 999999",
    ],
)
def test_the_database_itself_refuses_out_of_range_values(ctx: Context, statement: str) -> None:
    services.import_document(ctx, journey_document(stages=1, touchpoints_per_stage=2))
    with pytest.raises(IntegrityError), ctx.db.engine.begin() as connection:
        connection.execute(text(statement))


def test_deleting_a_map_in_sql_cascades_to_every_table(ctx: Context) -> None:
    map_id = services.import_document(ctx, journey_document()).id
    with ctx.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM journey_map WHERE id = :id"), {"id": map_id})
        # Every table that belongs to a map; the sentiment cache is keyed by text, not by map.
        for name in sorted(set(models.metadata.tables) - {"sentiment_cache"}):
            assert connection.execute(text(f"SELECT count(*) FROM {name}")).scalar() == 0, name


def test_feedback_time_migration_keeps_existing_rows_both_ways(tmp_path: Path) -> None:
    # 0006_feedback_time adds feedback.received_at (nullable, nothing backfilled) and its
    # downgrade drops it; SQLite rebuilds the table both times, so rows must survive the copy.
    url = f"sqlite:///{tmp_path / 'rows.db'}"
    config = alembic_config(url)
    command.upgrade(config, "head")
    database = Database(url)
    ctx = Context(database)
    document = journey_document(feedback_per_touchpoint=1)
    journey = services.import_document(ctx, document)
    before = [(f.text, f.nps, f.created_at) for f in services.load_map(ctx, journey.id).feedback]
    assert before and len(before) == len(document["feedback"])
    with database.engine.begin() as connection:
        moment = "2024-03-10 04:30:00.000000"
        connection.execute(text("UPDATE feedback SET received_at = :m WHERE id = 1"), {"m": moment})
    database.dispose()

    command.downgrade(config, "0005_feedback_channel")
    with database.engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("feedback")}
        count = connection.execute(text("SELECT count(*) FROM feedback")).scalar()
    database.dispose()
    assert "received_at" not in columns and count == len(before)

    command.upgrade(config, "head")
    after = services.load_map(ctx, journey.id).feedback
    database.dispose()
    assert [(f.text, f.nps, f.created_at) for f in after] == before
    assert [f.received_at for f in after] == [None] * len(before)  # not backfilled
