"""Every query of cxmap, and the one place that turns database rows into plain records.

Functions take an open :class:`sqlmodel.Session` (one transaction, opened by ``Database.session``)
and return records from :mod:`cxmap.core.records`. They do not validate user input (services do) but
they do enforce the two invariants every writer relies on:

* every write to a map first calls :func:`begin_map_write`, which bumps the map's ``revision``
  (so caches keyed by (map id, revision) refresh) and, on PostgreSQL, locks the map row so that
  writers of one map queue up instead of deadlocking;
* :func:`update_row` and :func:`delete_row` are conditional on the version the editor read
  (``UPDATE … WHERE id = :id AND version = :version``): a lost update is impossible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from cxmap.core.errors import ConflictError, NotFound
from cxmap.core.records import (
    ENTITY_REFERENCES,
    RECORD_TYPES,
    EvidenceRecord,
    JourneyAggregate,
    MapRecord,
    Record,
    TouchpointRecord,
)
from cxmap.store import models

RECORDS = RECORD_TYPES
REFERENCES = ENTITY_REFERENCES


def table_of(entity: str) -> Table:
    """The SQLAlchemy table behind an entity name such as ``"touchpoint"``."""
    try:
        return models.TABLES[entity].__table__  # type: ignore[attr-defined]
    except KeyError:
        raise ValueError(f"unknown entity {entity!r}") from None


MAP_TABLE: Table = models.JourneyMap.__table__  # type: ignore[attr-defined]
EVIDENCE: Table = models.Evidence.__table__  # type: ignore[attr-defined]


# ---------------------------------------------------------------- maps


def begin_map_write(session: Session, map_id: int) -> int:
    """Start a write to a map: bump its revision and touch ``updated_at``; return the revision.

    Raises NotFound when the map does not exist (deleted by someone else, say).
    """
    result = session.connection().execute(
        update(MAP_TABLE)
        .where(MAP_TABLE.c.id == map_id)
        .values(revision=MAP_TABLE.c.revision + 1, updated_at=models.utcnow())
        .returning(MAP_TABLE.c.revision)
    )
    revision = result.scalar_one_or_none()
    if revision is None:
        raise NotFound(f"Map {map_id} does not exist (it may have been deleted).")
    return int(revision)


def get_map(session: Session, map_id: int) -> MapRecord:
    row = session.connection().execute(select(MAP_TABLE).where(MAP_TABLE.c.id == map_id))
    found = row.mappings().one_or_none()
    if found is None:
        raise NotFound(f"Map {map_id} does not exist (it may have been deleted).")
    return MapRecord.from_row(found)


def find_map_id_by_name(session: Session, name: str) -> int | None:
    return (
        session.connection()
        .execute(select(MAP_TABLE.c.id).where(MAP_TABLE.c.name == name))
        .scalar_one_or_none()
    )


def map_revision(session: Session, map_id: int) -> int | None:
    """The map's current revision, or None if it is gone (a cheap poll for live refresh)."""
    return (
        session.connection()
        .execute(select(MAP_TABLE.c.revision).where(MAP_TABLE.c.id == map_id))
        .scalar_one_or_none()
    )


def list_maps(session: Session) -> list[tuple[MapRecord, dict[str, int]]]:
    """All maps, most recently changed first, each with its row counts, in one query."""
    counted = ("persona", "stage", "touchpoint", "feedback")
    count_columns = [
        select(func.count())
        .select_from(table_of(entity))
        .where(table_of(entity).c.map_id == MAP_TABLE.c.id)
        .scalar_subquery()
        .label(f"n_{entity}")
        for entity in counted
    ]
    rows = session.connection().execute(
        select(MAP_TABLE, *count_columns).order_by(
            MAP_TABLE.c.updated_at.desc(), MAP_TABLE.c.id.desc()
        )
    )
    return [
        (MapRecord.from_row(row), {entity: int(row[f"n_{entity}"]) for entity in counted})
        for row in rows.mappings()
    ]


def insert_map(session: Session, values: Mapping[str, Any]) -> int:
    now = models.utcnow()
    row = {"created_at": now, "updated_at": now, "revision": 0, "version": 1, **values}
    result = session.connection().execute(insert(MAP_TABLE).values(**row).returning(MAP_TABLE.c.id))
    return int(result.scalar_one())


def update_map(
    session: Session, map_id: int, read_version: int, changes: Mapping[str, Any]
) -> MapRecord:
    """Change the map's own fields if nobody changed them since ``read_version``."""
    begin_map_write(session, map_id)
    result = session.connection().execute(
        update(MAP_TABLE)
        .where(MAP_TABLE.c.id == map_id, MAP_TABLE.c.version == read_version)
        .values(**changes, version=MAP_TABLE.c.version + 1)
    )
    current = get_map(session, map_id)
    if result.rowcount == 0:
        raise ConflictError(
            "map",
            repr(current.name),
            read_version,
            current.version,
            _differences(current.as_dict(), changes),
        )
    return current


def delete_map(session: Session, map_id: int) -> None:
    """Delete a map and, through the foreign keys' ON DELETE CASCADE, everything in it."""
    result = session.connection().execute(delete(MAP_TABLE).where(MAP_TABLE.c.id == map_id))
    if result.rowcount == 0:
        raise NotFound(f"Map {map_id} does not exist (it may have been deleted).")


# ---------------------------------------------------------------- whole map


def load_aggregate(session: Session, map_id: int) -> JourneyAggregate:
    """Load a whole map in nine queries, however large it is (a test counts them)."""
    connection = session.connection()
    journey_map = get_map(session, map_id)
    stage_t, touch_t = table_of("stage"), table_of("touchpoint")

    def rows(entity: str, *order: Any) -> list[Any]:
        table = table_of(entity)
        query = select(table).where(table.c.map_id == map_id).order_by(*order, table.c.id)
        return [RECORDS[entity].from_row(r) for r in connection.execute(query).mappings()]

    touchpoints = [
        TouchpointRecord.from_row(r)
        for r in connection.execute(
            select(touch_t)
            .join(stage_t, stage_t.c.id == touch_t.c.stage_id)
            .where(touch_t.c.map_id == map_id)
            .order_by(stage_t.c.position, stage_t.c.id, touch_t.c.position, touch_t.c.id)
        ).mappings()
    ]
    return JourneyAggregate(
        map=journey_map,
        personas=rows("persona", table_of("persona").c.position),
        stages=rows("stage", stage_t.c.position),
        touchpoints=touchpoints,
        emotions=rows("emotion"),
        pain_points=rows("pain_point"),
        opportunities=rows("opportunity"),
        transitions=rows("transition"),
        feedback=rows("feedback"),
        evidence=[
            EvidenceRecord.from_row(r)
            for r in connection.execute(
                select(EVIDENCE).where(EVIDENCE.c.map_id == map_id).order_by(EVIDENCE.c.id)
            ).mappings()
        ],
    )


def insert_content(
    session: Session, map_id: int, content: Mapping[str, Sequence[Mapping[str, Any]]]
) -> None:
    """Insert a map's rows given with key references (``{"stage": "s1"}``) in a few bulk inserts.

    ``content`` maps entity names to rows; rows refer to other rows by key (see REFERENCES) and
    the keys must already be checked (interchange and services do that). Used by import and by
    duplicate, so both write maps the same way.
    """
    connection = session.connection()
    ids: dict[str, dict[str, int]] = {}
    for entity in models.TABLES:
        rows = content.get(entity, ())
        if not rows:
            continue
        table = table_of(entity)
        references = REFERENCES[entity]
        prepared = []
        for row in rows:
            values = {
                k: v for k, v in row.items() if k not in {ref for _, ref in references.values()}
            }
            for column, (target, ref) in references.items():
                key = row.get(ref)
                values[column] = None if key is None else ids[target][key]
            values["map_id"] = map_id
            prepared.append(values)
        connection.execute(insert(table), prepared)
        if "key" in table.c:
            found = connection.execute(
                select(table.c.key, table.c.id).where(table.c.map_id == map_id)
            )
            ids[entity] = {key: row_id for key, row_id in found}
    evidence = content.get("evidence", ())
    if evidence:
        # Feedback has no keys: evidence names feedback rows by their place in content["feedback"],
        # and one bulk insert gives ascending ids in that order.
        feedback_table = table_of("feedback")
        feedback_ids = list(
            connection.execute(
                select(feedback_table.c.id)
                .where(feedback_table.c.map_id == map_id)
                .order_by(feedback_table.c.id)
            ).scalars()
        )
        connection.execute(
            insert(EVIDENCE),
            [
                {
                    "map_id": map_id,
                    "feedback_id": feedback_ids[e["feedback_index"]],
                    "pain_point_id": None
                    if e["pain_point"] is None
                    else ids["pain_point"][e["pain_point"]],
                    "opportunity_id": None
                    if e["opportunity"] is None
                    else ids["opportunity"][e["opportunity"]],
                }
                for e in evidence
            ],
        )


def aggregate_content(aggregate: JourneyAggregate) -> dict[str, list[dict[str, Any]]]:
    """The inverse of :func:`insert_content`: a map's rows with key references, no ids."""
    keys: dict[str, dict[int, str]] = {
        "persona": {p.id: p.key for p in aggregate.personas},
        "stage": {s.id: s.key for s in aggregate.stages},
        "touchpoint": {t.id: t.key for t in aggregate.touchpoints},
        "pain_point": {p.id: p.key for p in aggregate.pain_points},
    }
    lists: dict[str, Sequence[Record]] = {
        "persona": aggregate.personas,
        "stage": aggregate.stages,
        "touchpoint": aggregate.touchpoints,
        "emotion": aggregate.emotions,
        "pain_point": aggregate.pain_points,
        "opportunity": aggregate.opportunities,
        "transition": aggregate.transitions,
        "feedback": aggregate.feedback,
    }
    content: dict[str, list[dict[str, Any]]] = {}
    for entity, records in lists.items():
        references = REFERENCES[entity]
        out = []
        for record in records:
            row = {k: v for k, v in record.as_dict().items() if k not in references and k != "id"}
            row["version"] = 1
            for column, (target, ref) in references.items():
                value = getattr(record, column)
                row[ref] = None if value is None else keys[target][value]
            out.append(row)
        content[entity] = out
    feedback_index = {f.id: i for i, f in enumerate(aggregate.feedback)}
    opportunity_key = {o.id: o.key for o in aggregate.opportunities}
    content["evidence"] = [
        {
            "feedback_index": feedback_index[e.feedback_id],
            "pain_point": None if e.pain_point_id is None else keys["pain_point"][e.pain_point_id],
            "opportunity": None if e.opportunity_id is None else opportunity_key[e.opportunity_id],
        }
        for e in aggregate.evidence
    ]
    return content


# ---------------------------------------------------------------- rows


def get_row(session: Session, entity: str, map_id: int, row_id: int) -> Record:
    table = table_of(entity)
    found = (
        session.connection()
        .execute(select(table).where(table.c.id == row_id, table.c.map_id == map_id))
        .mappings()
        .one_or_none()
    )
    if found is None:
        raise NotFound(
            f"{entity} {row_id} does not exist in map {map_id} (it may have been deleted)."
        )
    return RECORDS[entity].from_row(found)


def find_row_id(session: Session, entity: str, map_id: int, **where: Any) -> int | None:
    """The id of the row of ``entity`` in the map matching ``where`` (e.g. ``key="t1"``)."""
    table = table_of(entity)
    conditions = [table.c.map_id == map_id, *(table.c[k] == v for k, v in where.items())]
    return session.connection().execute(select(table.c.id).where(*conditions)).scalar_one_or_none()


def row_ids(session: Session, entity: str, map_id: int) -> set[int]:
    """The ids of every row of ``entity`` in the map."""
    table = table_of(entity)
    found = session.connection().execute(select(table.c.id).where(table.c.map_id == map_id))
    return {row_id for (row_id,) in found}


def next_key(session: Session, entity: str, map_id: int, prefix: str) -> str:
    """A key not yet used in the map, such as ``t27`` (the contract's keys are free strings)."""
    table = table_of(entity)
    count = (
        session.connection()
        .execute(select(func.count()).select_from(table).where(table.c.map_id == map_id))
        .scalar_one()
    )
    n = int(count) + 1
    while find_row_id(session, entity, map_id, key=f"{prefix}{n}") is not None:
        n += 1
    return f"{prefix}{n}"


def next_position(session: Session, entity: str, map_id: int, **where: Any) -> int:
    table = table_of(entity)
    conditions = [table.c.map_id == map_id, *(table.c[k] == v for k, v in where.items())]
    highest = (
        session.connection()
        .execute(select(func.max(table.c.position)).where(*conditions))
        .scalar_one()
    )
    return 1 if highest is None else int(highest) + 1


def insert_row(session: Session, entity: str, map_id: int, values: Mapping[str, Any]) -> Record:
    begin_map_write(session, map_id)
    table = table_of(entity)
    row_id = (
        session.connection()
        .execute(insert(table).values(**values, map_id=map_id, version=1).returning(table.c.id))
        .scalar_one()
    )
    return get_row(session, entity, map_id, int(row_id))


def update_row(
    session: Session,
    entity: str,
    map_id: int,
    row_id: int,
    read_version: int,
    changes: Mapping[str, Any],
    read_values: Mapping[str, Any] | None = None,
) -> Record:
    """Apply ``changes`` if the row is still at ``read_version``; else raise ConflictError.

    ``read_values`` (the row as the editor saw it) lets the error say what the other editor
    changed; without it the error lists the wanted fields whose stored value now differs.
    """
    begin_map_write(session, map_id)
    table = table_of(entity)
    result = session.connection().execute(
        update(table)
        .where(table.c.id == row_id, table.c.map_id == map_id, table.c.version == read_version)
        .values(**changes, version=table.c.version + 1)
    )
    if result.rowcount == 1:
        return get_row(session, entity, map_id, row_id)
    raise _conflict(session, entity, map_id, row_id, read_version, read_values or changes)


def delete_row(
    session: Session, entity: str, map_id: int, row_id: int, read_version: int | None = None
) -> None:
    """Delete a row (and what cascades from it); with ``read_version``, only if unchanged."""
    begin_map_write(session, map_id)
    table = table_of(entity)
    conditions = [table.c.id == row_id, table.c.map_id == map_id]
    if read_version is not None:
        conditions.append(table.c.version == read_version)
    result = session.connection().execute(delete(table).where(*conditions))
    if result.rowcount == 0:
        if read_version is None:
            raise NotFound(f"{entity} {row_id} does not exist (it may have been deleted).")
        raise _conflict(session, entity, map_id, row_id, read_version, {})


def set_positions(session: Session, entity: str, map_id: int, ordered_ids: Iterable[int]) -> None:
    """Number rows 1, 2, 3… in the given order. Order is layout, not content: versions stay."""
    begin_map_write(session, map_id)
    table = table_of(entity)
    connection = session.connection()
    for position, row_id in enumerate(ordered_ids, start=1):
        connection.execute(
            update(table)
            .where(table.c.id == row_id, table.c.map_id == map_id)
            .values(position=position)
        )


def count_rows(session: Session, entity: str, map_id: int, **where: Any) -> int:
    table = table_of(entity)
    conditions = [table.c.map_id == map_id, *(table.c[k] == v for k, v in where.items())]
    return int(
        session.connection()
        .execute(select(func.count()).select_from(table).where(*conditions))
        .scalar_one()
    )


# ---------------------------------------------------------------- helpers


def row_label(record: Record) -> str:
    """How a row is named in messages: its name or title, and its key."""
    name = getattr(record, "name", None) or getattr(record, "title", None)
    key = getattr(record, "key", None)
    if name and key:
        return f"{name!r} ({key})"
    return repr(name) if name else (key or f"#{getattr(record, 'id', '?')}")


def _differences(
    current: Mapping[str, Any], wanted: Mapping[str, Any]
) -> dict[str, tuple[Any, Any]]:
    return {k: (v, current[k]) for k, v in wanted.items() if k in current and current[k] != v}


def _conflict(
    session: Session,
    entity: str,
    map_id: int,
    row_id: int,
    read_version: int,
    compare_with: Mapping[str, Any],
) -> ConflictError:
    try:
        current = get_row(session, entity, map_id, row_id)
    except NotFound:
        return ConflictError(entity, f"#{row_id}", read_version, None)
    return ConflictError(
        entity,
        row_label(current),
        read_version,
        getattr(current, "version", None),
        _differences(current.as_dict(), compare_with),
    )


# ---------------------------------------------------------------- feedback import


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
    table = models.SentimentCache.__table__  # type: ignore[attr-defined]
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
    _insert_many(session, models.SentimentCache.__table__, rows, skip_existing=True)  # type: ignore[attr-defined]


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
        session.connection().execute(insert(EVIDENCE), rows)


def insert_feedback(session: Session, map_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Bulk-insert feedback rows (already checked) into a map."""
    if not rows:
        return
    begin_map_write(session, map_id)
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
    table = models.FeedbackFile.__table__  # type: ignore[attr-defined]
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
    table = models.FeedbackFile.__table__  # type: ignore[attr-defined]
    session.connection().execute(
        insert(table).values(
            map_id=map_id,
            file_hash=file_hash,
            file_name=file_name[:300],
            rows_added=rows_added,
            imported_at=models.utcnow(),
        )
    )
