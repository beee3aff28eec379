"""Queries of single rows of any entity: read, add, change, delete, order, count.

Every write first bumps the map's revision (:func:`~cxmap.store.map_queries.begin_map_write`).
:func:`update_row` and :func:`delete_row` are conditional on the version the editor read
(``UPDATE … WHERE id = :id AND version = :version``): a lost update is impossible; when no row
matches, the error says who changed what (:class:`~cxmap.core.errors.ConflictError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session

from cxmap.core.entities import ENTITIES
from cxmap.core.errors import ConflictError, NotFound
from cxmap.core.records import Record
from cxmap.store.integrity import explained_refusal
from cxmap.store.map_queries import begin_map_write, differences
from cxmap.store.models import table_of


def get_row(session: Session, entity: str, map_id: int, row_id: int) -> Record:
    """Row ``row_id`` of kind ``entity`` in the map, as a record; NotFound when it is not there."""
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
    return ENTITIES[entity].record.from_row(found)


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
    """The position after the last of the map's ``entity`` rows matching ``where`` (1 if none)."""
    table = table_of(entity)
    conditions = [table.c.map_id == map_id, *(table.c[k] == v for k, v in where.items())]
    highest = (
        session.connection()
        .execute(select(func.max(table.c.position)).where(*conditions))
        .scalar_one()
    )
    return 1 if highest is None else int(highest) + 1


def insert_row(session: Session, entity: str, map_id: int, values: Mapping[str, Any]) -> Record:
    """Insert a row of kind ``entity`` into the map (a new map revision); return it as stored."""
    begin_map_write(session, map_id)
    table = table_of(entity)
    with explained_refusal():
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

    ``read_values`` (the changed fields as the editor saw them) lets an edit of *other*
    fields by someone else merge: when the fields changed here still hold what the editor
    saw, the changes are saved on top. Otherwise the error says what the other editor
    changed (without ``read_values``: the wanted fields whose stored value now differs).
    """
    begin_map_write(session, map_id)
    table = table_of(entity)
    with explained_refusal():
        result = session.connection().execute(
            update(table)
            .where(table.c.id == row_id, table.c.map_id == map_id, table.c.version == read_version)
            .values(**changes, version=table.c.version + 1)
        )
    if result.rowcount == 1:
        return get_row(session, entity, map_id, row_id)
    if read_values is not None:
        # Someone else saved the row since it was read. If none of the fields changed here
        # moved (they edited others), both edits stand: save on top of theirs.
        merged = _merge_onto_current(session, entity, map_id, row_id, changes, read_values)
        if merged is not None:
            return merged
    raise _conflict(session, entity, map_id, row_id, read_version, read_values or changes)


def _merge_onto_current(
    session: Session,
    entity: str,
    map_id: int,
    row_id: int,
    changes: Mapping[str, Any],
    read_values: Mapping[str, Any],
) -> Record | None:
    """Apply ``changes`` to the row as it is now when its fields still hold ``read_values``
    (the row's lock is held: the map's write lock was taken); None when they do not."""
    try:
        current = get_row(session, entity, map_id, row_id).as_dict()
    except NotFound:
        return None
    if any(name not in read_values or current.get(name) != read_values[name] for name in changes):
        return None
    table = table_of(entity)
    with explained_refusal():
        result = session.connection().execute(
            update(table)
            .where(table.c.id == row_id, table.c.version == current["version"])
            .values(**changes, version=table.c.version + 1)
        )
    return get_row(session, entity, map_id, row_id) if result.rowcount == 1 else None


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


def row_label(record: Record) -> str:
    """How a row is named in messages: its name or title, and its key."""
    name = getattr(record, "name", None) or getattr(record, "title", None)
    key = getattr(record, "key", None)
    if name and key:
        return f"{name!r} ({key})"
    return repr(name) if name else (key or f"#{getattr(record, 'id', '?')}")


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
        differences(current.as_dict(), compare_with),
    )
