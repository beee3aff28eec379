"""Queries of whole maps: list, create, change, delete, and load or write a map's content.

Functions take an open session (one transaction, opened by the services through
``Context.session``) and return plain records from :mod:`cxmap.core.records`. Every write to a
map first calls :func:`begin_map_write`, which bumps the map's ``revision`` (so caches keyed by
(map id, revision) refresh) and, on PostgreSQL, locks the map row so that writers of one map
queue up instead of deadlocking. What a map holds is read and written entity by entity from the
registry (:mod:`cxmap.core.entities`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session

from cxmap.core.access import may_create_maps
from cxmap.core.context import utcnow
from cxmap.core.entities import ENTITIES, Entity
from cxmap.core.errors import ConflictError, Forbidden, NotFound
from cxmap.core.records import EvidenceRecord, FeedbackFileRecord, JourneyAggregate, MapRecord
from cxmap.store import access_queries
from cxmap.store.access_queries import require
from cxmap.store.integrity import explained_refusal
from cxmap.store.models import EVIDENCE_TABLE, FEEDBACK_FILE_TABLE, MAP_TABLE, table_of


def now(session: Session) -> dt.datetime:
    """The time of the request the session serves (the context's clock), else the wall clock."""
    context = session.info.get("context")
    return context.now() if context is not None else utcnow()


def begin_map_write(session: Session, map_id: int) -> int:
    """Start a write to a map: bump its revision and touch ``updated_at``; return the revision.

    The update locks the map until the transaction ends (PostgreSQL: the map's row; SQLite:
    the whole database), so writers of one map take turns: a use case that derives a value
    from the map's rows (the next free key, say) calls this *before* reading them.
    Once per transaction: later writes of the same transaction keep the revision, so one
    save is one revision (a page can tell its own save from someone else's by the count).
    Raises NotFound when the map does not exist (deleted by someone else, say).
    """
    written = session.info.setdefault("cxmap_map_revisions", {})
    if map_id in written:
        return int(written[map_id])
    require(session, map_id, "editor")
    result = session.connection().execute(
        update(MAP_TABLE)
        .where(MAP_TABLE.c.id == map_id)
        .values(revision=MAP_TABLE.c.revision + 1, updated_at=now(session))
        .returning(MAP_TABLE.c.revision)
    )
    revision = result.scalar_one_or_none()
    if revision is None:
        raise NotFound(f"Map {map_id} does not exist (it may have been deleted).")
    written[map_id] = int(revision)
    access_queries.record_write(session, map_id, int(revision))
    return int(revision)


def get_map(session: Session, map_id: int) -> MapRecord:
    """The map ``map_id``; NotFound when it does not exist."""
    row = session.connection().execute(select(MAP_TABLE).where(MAP_TABLE.c.id == map_id))
    found = row.mappings().one_or_none()
    if found is None:
        raise NotFound(f"Map {map_id} does not exist (it may have been deleted).")
    require(session, map_id, "viewer")
    return MapRecord.from_row(found)


def find_map_id_by_name(session: Session, name: str) -> int | None:
    """The id of the map named exactly ``name``, or None (names are unique)."""
    return (
        session.connection()
        .execute(select(MAP_TABLE.c.id).where(MAP_TABLE.c.name == name))
        .scalar_one_or_none()
    )


def map_revision(session: Session, map_id: int) -> int | None:
    """The map's current revision, or None if it is gone (a cheap poll for live refresh)."""
    revision = (
        session.connection()
        .execute(select(MAP_TABLE.c.revision).where(MAP_TABLE.c.id == map_id))
        .scalar_one_or_none()
    )
    if revision is not None:
        require(session, map_id, "viewer")
    return revision


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
    query = select(MAP_TABLE, *count_columns).order_by(
        MAP_TABLE.c.updated_at.desc(), MAP_TABLE.c.id.desc()
    )
    visible = access_queries.visible_map_ids(session)
    if visible is not None:  # team mode: only the maps the actor holds a role on
        query = query.where(MAP_TABLE.c.id.in_(visible))
    rows = session.connection().execute(query)
    return [
        (MapRecord.from_row(row), {entity: int(row[f"n_{entity}"]) for entity in counted})
        for row in rows.mappings()
    ]


def insert_map(session: Session, values: Mapping[str, Any]) -> int:
    """Insert a map at revision 0 and return its id; a broken database rule raises InvalidInput.
    In team mode the account creating it becomes its owner."""
    actor = access_queries.actor_of(session)
    refused = may_create_maps(actor)
    if refused is not None:
        raise Forbidden(refused)
    moment = now(session)
    row = {"created_at": moment, "updated_at": moment, "revision": 0, "version": 1, **values}
    with explained_refusal():
        result = session.connection().execute(
            insert(MAP_TABLE).values(**row).returning(MAP_TABLE.c.id)
        )
    map_id = int(result.scalar_one())
    if actor is not None and actor.user_id is not None:
        access_queries.set_role(session, map_id, actor.user_id, "owner")
    return map_id


def update_map(
    session: Session, map_id: int, read_version: int, changes: Mapping[str, Any]
) -> MapRecord:
    """Change the map's own fields if nobody changed them since ``read_version``."""
    begin_map_write(session, map_id)
    with explained_refusal():
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
            differences(current.as_dict(), changes),
        )
    return current


def delete_map(session: Session, map_id: int) -> None:
    """Delete a map and, through the foreign keys' ON DELETE CASCADE, everything in it (its
    owners only)."""
    require(session, map_id, "owner")
    result = session.connection().execute(delete(MAP_TABLE).where(MAP_TABLE.c.id == map_id))
    if result.rowcount == 0:
        raise NotFound(f"Map {map_id} does not exist (it may have been deleted).")


def differences(
    current: Mapping[str, Any], wanted: Mapping[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """Fields whose stored value differs from the one wanted: field → (wanted, stored)."""
    return {k: (v, current[k]) for k, v in wanted.items() if k in current and current[k] != v}


# ---------------------------------------------------------------- a whole map


def load_aggregate(session: Session, map_id: int) -> JourneyAggregate:
    """Load a whole map with one query per entity, however large it is (a test counts them).

    Ordered rows come in their order (rows ordered within a parent, such as touchpoints within
    their stage, in the parent's order first); the rest in the order they were added.
    """
    connection = session.connection()
    journey_map = get_map(session, map_id)  # NotFound before anything else is read
    lists = {
        entity.list_name: [
            entity.record.from_row(row)
            for row in connection.execute(_ordered_rows(entity, map_id)).mappings()
        ]
        for entity in ENTITIES.values()
    }
    evidence = [
        EvidenceRecord.from_row(row)
        for row in connection.execute(
            select(EVIDENCE_TABLE)
            .where(EVIDENCE_TABLE.c.map_id == map_id)
            .order_by(EVIDENCE_TABLE.c.id)
        ).mappings()
    ]
    return JourneyAggregate(map=journey_map, evidence=evidence, **lists)  # type: ignore[arg-type]


def feedback_files(session: Session, map_id: int) -> list[FeedbackFileRecord]:
    """The feedback files imported into the map, in the order they were imported (what a
    journey file carries besides the rows, so the same file is recognised in a copy too)."""
    require(session, map_id, "viewer")
    table = FEEDBACK_FILE_TABLE
    found = session.connection().execute(
        select(table).where(table.c.map_id == map_id).order_by(table.c.id)
    )
    return [FeedbackFileRecord.from_row(row) for row in found.mappings()]


def _ordered_rows(entity: Entity, map_id: int) -> Any:
    table = table_of(entity.name)
    query = select(table).where(table.c.map_id == map_id)
    if entity.ordered_within is None:
        return query.order_by(table.c.id)
    order = []
    for column in entity.ordered_within:  # e.g. a touchpoint's stage: its position first
        parent = table_of(entity.references[column].entity)
        query = query.join(parent, parent.c.id == table.c[column])
        order += [parent.c.position, parent.c.id]
    return query.order_by(*order, table.c.position, table.c.id)


def insert_content(
    session: Session, map_id: int, content: Mapping[str, Sequence[Mapping[str, Any]]]
) -> None:
    """Insert a map's rows given with key references (``{"stage": "s1"}``) in a few bulk inserts.

    ``content`` maps entity names to rows whose references name rows by key (by their name in
    the journey file: ``stage``, ``source``…); the keys must already be checked (the journey
    file reader and the services do that). Import and duplicate both write maps this way.
    ``content["evidence"]`` links feedback rows (by their place in ``content["feedback"]``) to
    pain points and opportunities (by key); ``content["feedback_files"]`` are the feedback
    files imported (:func:`feedback_files`).
    """
    connection = session.connection()
    ids: dict[str, dict[str, int]] = {}
    for entity in ENTITIES.values():
        rows = content.get(entity.name, ())
        if not rows:
            continue
        table = table_of(entity.name)
        prepared = []
        for row in rows:
            values = dict(row)
            for column, reference in entity.references.items():
                key = values.pop(entity.file_name(column), None)
                values[column] = None if key is None else ids[reference.entity][key]
            values["map_id"] = map_id
            prepared.append(values)
        with explained_refusal():
            connection.execute(insert(table), prepared)
        if entity.has_keys:
            found = connection.execute(
                select(table.c.key, table.c.id).where(table.c.map_id == map_id)
            )
            ids[entity.name] = {key: row_id for key, row_id in found}
    files = content.get("feedback_files", ())
    if files:
        connection.execute(insert(FEEDBACK_FILE_TABLE), [{**f, "map_id": map_id} for f in files])
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

        def id_of(entity: str, key: str | None) -> int | None:
            return None if key is None else ids[entity][key]

        connection.execute(
            insert(EVIDENCE_TABLE),
            [
                {
                    "map_id": map_id,
                    "feedback_id": feedback_ids[e["feedback_index"]],
                    "pain_point_id": id_of("pain_point", e["pain_point"]),
                    "opportunity_id": id_of("opportunity", e["opportunity"]),
                }
                for e in evidence
            ],
        )
