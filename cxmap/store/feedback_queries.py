"""Queries of imported feedback: fingerprints of rows already in, the sentiment cache, the
files imported, evidence links, and the bulk insert that stores 100,000 rows quickly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from cxmap.store import models
from cxmap.store.access_queries import require
from cxmap.store.integrity import explained_refusal
from cxmap.store.map_queries import begin_map_write, now
from cxmap.store.models import EVIDENCE_TABLE, FEEDBACK_FILE_TABLE, SENTIMENT_CACHE_TABLE, table_of


def existing_fingerprints(session: Session, map_id: int) -> set[str]:
    """Fingerprints of the rows already imported into a map from files."""
    table = table_of("feedback")
    found = session.connection().execute(
        select(table.c.fingerprint).where(
            table.c.map_id == map_id, table.c.fingerprint.is_not(None)
        )
    )
    return {fingerprint for (fingerprint,) in found}


def cached_sentiments(
    session: Session, hashes: Iterable[str]
) -> dict[str, tuple[float | None, str]]:
    """(sentiment, language) for the text hashes already scored, looked up in chunks."""
    table = SENTIMENT_CACHE_TABLE
    wanted = list(dict.fromkeys(hashes))
    found: dict[str, tuple[float | None, str]] = {}
    connection = session.connection()
    for start in range(0, len(wanted), 900):  # under SQLite's limit of bound parameters
        part = wanted[start : start + 900]
        rows = connection.execute(
            select(table.c.text_hash, table.c.sentiment, table.c.language).where(
                table.c.text_hash.in_(part)
            )
        ).all()
        found.update({h: (s, lang) for h, s, lang in rows})
    return found


def store_sentiments(session: Session, scored: Mapping[str, tuple[float | None, str]]) -> None:
    """Add new entries to the sentiment cache (entries already there are left as they are)."""
    rows = [{"text_hash": h, "sentiment": s, "language": lang} for h, (s, lang) in scored.items()]
    _insert_many(session, SENTIMENT_CACHE_TABLE, rows, skip_existing=True)


def add_evidence(
    session: Session,
    map_id: int,
    feedback_ids: Iterable[int],
    *,
    pain_point_id: int | None = None,
    opportunity_id: int | None = None,
) -> None:
    """Link feedback rows as the evidence of a pain point or an opportunity."""
    rows = [
        {
            "map_id": map_id,
            "feedback_id": feedback_id,
            "pain_point_id": pain_point_id,
            "opportunity_id": opportunity_id,
        }
        for feedback_id in dict.fromkeys(feedback_ids)
    ]
    if rows:
        begin_map_write(session, map_id)
        session.connection().execute(insert(EVIDENCE_TABLE), rows)


def insert_feedback(session: Session, map_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Bulk-insert feedback rows (already checked) into a map."""
    if not rows:
        return
    begin_map_write(session, map_id)
    with explained_refusal():
        _insert_many(
            session, table_of("feedback"), [{**row, "map_id": map_id, "version": 1} for row in rows]
        )


def _insert_many(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    skip_existing: bool = False,
) -> None:
    """Insert many rows with the same keys; ``skip_existing`` leaves rows whose key is taken.

    On SQLite the driver binds the values itself: at 100,000 rows SQLAlchemy's per-row
    parameter processing costs more than the insert (dates go in as ISO text, as SQLAlchemy
    writes them: see ``db.py``). PostgreSQL goes through SQLAlchemy (psycopg batches well).
    """
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        statement = (
            postgresql.insert(table).on_conflict_do_nothing() if skip_existing else insert(table)
        )
        connection.execute(statement, list(rows))
        return
    columns = list(rows[0])
    unknown = set(columns) - set(table.columns.keys())
    if unknown:  # the SQL below names columns as given: only the table's own names go in
        raise ValueError(f"{table.name} has no column {sorted(unknown)[0]!r}")
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        + (" ON CONFLICT DO NOTHING" if skip_existing else "")  # uniqueness only, not CHECKs
    )
    as_tuple = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
    connection.exec_driver_sql(sql, list(map(as_tuple, rows)))


def feedback_file(session: Session, map_id: int, file_hash: str) -> models.FeedbackFile | None:
    """The earlier import of this exact file (and column mapping) into the map, if any."""
    require(session, map_id, "viewer")
    table = FEEDBACK_FILE_TABLE
    row = (
        session.connection()
        .execute(select(table).where(table.c.map_id == map_id, table.c.file_hash == file_hash))
        .mappings()
        .one_or_none()
    )
    return None if row is None else models.FeedbackFile(**row)


def record_feedback_file(
    session: Session, map_id: int, file_hash: str, file_name: str, rows_added: int
) -> None:
    """Remember that the file ``file_hash`` was imported into the map, with the rows it added."""
    table = FEEDBACK_FILE_TABLE
    session.connection().execute(
        insert(table).values(
            map_id=map_id,
            file_hash=file_hash,
            file_name=file_name[:300],
            rows_added=rows_added,
            imported_at=now(session),
        )
    )
