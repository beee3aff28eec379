"""Use cases of single rows of any entity: add, change, delete, reorder, and a grid's edits at once.

Which fields an entity has, which a new row needs, where its key and position come from and
which rows it may point at all come from the registry (:mod:`cxmap.core.entities`); value
ranges from the journey file's schema, so a grid and an import can never disagree.

Examples
--------
>>> import tempfile
>>> from cxmap.services import create_map, open_context
>>> ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/journeys.db")
>>> journey = create_map(ctx, "Broadband onboarding")
>>> stage = create_row(ctx, journey.id, "stage", {"name": "Awareness"})
>>> create_row(ctx, journey.id, "touchpoint", {"stage_id": stage.id, "name": "Ad", "emotion": 7})
Traceback (most recent call last):
...
cxmap.core.errors.InvalidInput: emotion: 7 is outside the range -2…2
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session

from cxmap.analysis import sentiment
from cxmap.core.context import Context
from cxmap.core.entities import TRIMMED, entity
from cxmap.core.errors import InvalidInput
from cxmap.core.records import CES_SCALES, Change, Record
from cxmap.formats import journey_contract, text_rules
from cxmap.store import map_queries, row_queries


def create_row(ctx: Context, map_id: int, entity_name: str, values: Mapping[str, Any]) -> Record:
    """Add a row of any kind (persona, stage, touchpoint, emotion, pain point, …)."""
    with ctx.session() as s:
        return create_in_session(s, map_id, entity_name, values)


def update_row(
    ctx: Context,
    map_id: int,
    entity_name: str,
    row_id: int,
    read_version: int,
    changes: Mapping[str, Any],
    read_values: Mapping[str, Any] | None = None,
) -> Record:
    """Change a row if it is still at ``read_version``; otherwise raise ConflictError."""
    with ctx.session() as s:
        return _update(s, map_id, entity_name, row_id, read_version, changes, read_values)


def delete_row(
    ctx: Context, map_id: int, entity_name: str, row_id: int, read_version: int | None = None
) -> None:
    """Delete a row and what cascades from it; with ``read_version``, only if unchanged."""
    with ctx.session() as s:
        row_queries.delete_row(s, entity_name, map_id, row_id, read_version)


def apply_changes(ctx: Context, map_id: int, changes: Sequence[Change]) -> list[Record | None]:
    """Apply a grid's edits in one transaction: all of them, or (on any error) none.

    Returns, per change, the created or updated record (None for a delete). An error names
    the change that failed, e.g. ``change 3 · emotion: 7 is outside the range -2…2``.
    """
    results: list[Record | None] = []
    with ctx.session() as s:
        for number, change in enumerate(changes, start=1):
            try:
                results.append(_apply(s, map_id, change))
            except InvalidInput as error:
                where = f"change {number}" + (f" · {error.where}" if error.where else "")
                raise InvalidInput(where, error.problem) from None
    return results


def _apply(s: Session, map_id: int, change: Change) -> Record | None:
    if change.op == "create":
        return create_in_session(s, map_id, change.entity, change.values)
    assert change.row_id is not None
    if change.op == "update":
        assert change.read_version is not None
        return _update(
            s,
            map_id,
            change.entity,
            change.row_id,
            change.read_version,
            change.values,
            change.read_values,
        )
    row_queries.delete_row(s, change.entity, map_id, change.row_id, change.read_version)
    return None


def reorder(ctx: Context, map_id: int, entity_name: str, ordered_ids: Sequence[int]) -> None:
    """Put stages, personas, or the touchpoints of one stage in the given order."""
    try:
        ordered = entity(entity_name).ordered_within is not None
    except KeyError:
        ordered = False
    if not ordered:
        raise InvalidInput(entity_name, "has no order")
    with ctx.session() as s:
        for row_id in ordered_ids:
            row_queries.get_row(s, entity_name, map_id, row_id)  # NotFound if not in this map
        row_queries.set_positions(s, entity_name, map_id, ordered_ids)


def move_touchpoint(
    ctx: Context,
    map_id: int,
    touchpoint_id: int,
    read_version: int,
    stage_id: int,
    ordered_ids: Sequence[int],
    read_stage_id: int | None = None,
) -> Record:
    """Move a touchpoint into stage ``stage_id`` and order that stage as ``ordered_ids`` (which
    holds it), in one transaction: the canvas's drag and Alt+arrow.

    A move to another stage is an edit of its stage, at ``read_version``: refused as a conflict
    when someone else moved it meanwhile (``read_stage_id``: the stage the mover saw; a change
    of its other fields merges). The places are layout: they bump the revision, not versions.
    Returns the touchpoint as it is now.
    """
    if touchpoint_id not in ordered_ids:
        raise InvalidInput("ordered_ids", f"must hold the touchpoint {touchpoint_id} that moves")
    with ctx.session() as s:
        map_queries.begin_map_write(s, map_id)
        current = row_queries.get_row(s, "touchpoint", map_id, touchpoint_id)
        if current.as_dict()["stage_id"] != stage_id:
            seen = {"stage_id": read_stage_id} if read_stage_id is not None else None
            _update(
                s, map_id, "touchpoint", touchpoint_id, read_version, {"stage_id": stage_id}, seen
            )
        for row_id in ordered_ids:
            row = row_queries.get_row(s, "touchpoint", map_id, row_id)  # NotFound if not here
            if row.as_dict()["stage_id"] != stage_id:
                raise InvalidInput("ordered_ids", f"touchpoint {row_id} is not in that stage")
        row_queries.set_positions(s, "touchpoint", map_id, ordered_ids)
        return row_queries.get_row(s, "touchpoint", map_id, touchpoint_id)


# ---------------------------------------------------------------- inside a transaction


def create_in_session(
    s: Session, map_id: int, entity_name: str, values: Mapping[str, Any]
) -> Record:
    """Check and add one row inside an open transaction: its key and position are the next
    free ones unless given (picked under the map's write lock, so editors adding rows at the
    same moment get different keys)."""
    map_queries.begin_map_write(s, map_id)
    row = _checked_values(s, map_id, entity_name, values, creating=True)
    kind = entity(entity_name)
    if kind.key_prefix is not None and not row.get("key"):
        row["key"] = row_queries.next_key(s, entity_name, map_id, kind.key_prefix)
    elif (
        "key" in row and row_queries.find_row_id(s, entity_name, map_id, key=row["key"]) is not None
    ):
        raise InvalidInput("key", f"{row['key']!r} is already used in this map")
    if kind.ordered_within is not None and "position" not in row:
        scope = {column: row[column] for column in kind.ordered_within}
        row["position"] = row_queries.next_position(s, entity_name, map_id, **scope)
    return row_queries.insert_row(s, entity_name, map_id, row)


def _update(
    s: Session,
    map_id: int,
    entity_name: str,
    row_id: int,
    read_version: int,
    changes: Mapping[str, Any],
    read_values: Mapping[str, Any] | None,
) -> Record:
    map_queries.begin_map_write(s, map_id)  # lock first: the key check below stays true
    row = _checked_values(s, map_id, entity_name, changes, creating=False)
    if "key" in row:
        other = row_queries.find_row_id(s, entity_name, map_id, key=row["key"])
        if other is not None and other != row_id:
            raise InvalidInput("key", f"{row['key']!r} is already used in this map")
    return row_queries.update_row(s, entity_name, map_id, row_id, read_version, row, read_values)


def _checked_values(
    s: Session, map_id: int, entity_name: str, values: Mapping[str, Any], *, creating: bool
) -> dict[str, Any]:
    """Validate one row's values: known fields, storable text (:mod:`cxmap.formats.text_rules`),
    the contract's ranges, references in this map."""
    try:
        kind = entity(entity_name)
    except KeyError:
        raise InvalidInput("", f"unknown kind of row {entity_name!r}") from None
    unknown = sorted(set(values) - set(kind.editable))
    if unknown:
        raise InvalidInput(unknown[0], f"is not a field of {entity_name.replace('_', ' ')}")
    row = {k: (v.strip() if k in TRIMMED and isinstance(v, str) else v) for k, v in values.items()}
    for name, value in row.items():
        text_rules.check_text(value, name)  # NUL and lone surrogates: the same on every database
    if creating:
        for name in kind.required:
            if row.get(name) in (None, ""):
                raise InvalidInput(name, "is required")
    typed = ("created_at", "received_at")  # (dates and times: checked by _check_feedback)
    journey_contract.check_fields(entity_name, {k: v for k, v in row.items() if k not in typed})
    for column, reference in kind.references.items():
        value = row.get(column)
        if value is None:
            continue
        if row_queries.find_row_id(s, reference.entity, map_id, id=value) is None:
            noun = reference.entity.replace("_", " ")
            raise InvalidInput(column, f"no {noun} {value} in this map")
    if entity_name == "feedback":
        _check_feedback(row)
    return row


def _check_feedback(row: dict[str, Any]) -> None:
    """What a feedback row needs beyond its ranges: a real date (or a moment with its zone:
    then the date is its UTC date), a CES within its scale, and a sentiment: given (set by
    hand) or scored from the text."""
    when = row.get("created_at")
    if isinstance(when, str):
        try:
            row["created_at"] = dt.date.fromisoformat(when) if when.strip() else None
        except ValueError:
            raise InvalidInput("created_at", f"{when!r} is not a date (YYYY-MM-DD)") from None
    elif isinstance(when, dt.datetime):
        row["created_at"] = when.date()
    elif when is not None and not isinstance(when, dt.date):
        raise InvalidInput("created_at", f"{when!r} is not a date")
    moment = row.get("received_at")
    if isinstance(moment, str) and moment.strip():
        try:
            moment = dt.datetime.fromisoformat(moment.strip())
        except ValueError:
            raise InvalidInput(
                "received_at", f"{moment!r} is not a time (YYYY-MM-DDTHH:MM:SS+HH:MM or …Z)"
            ) from None
    elif isinstance(moment, str):
        moment = None
    if moment is not None:
        if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
            raise InvalidInput("received_at", f"{moment!s} has no time zone (…Z or …+HH:MM)")
        # Stored in UTC, and the row's date is its UTC date, as for an imported row.
        moment = moment.astimezone(dt.UTC)
        row["created_at"] = moment.date()
    if "received_at" in row:
        row["received_at"] = moment
    scale = row.get("ces_scale", 7)
    if scale not in CES_SCALES:
        raise InvalidInput("ces_scale", f"{scale!r} is not 5 or 7")
    if row.get("ces") is not None and row["ces"] > scale:
        raise InvalidInput("ces", f"{row['ces']} is above the 1–{scale} CES scale")
    if "sentiment" in row:
        row.setdefault("sentiment_source", "manual")
        value = row["sentiment"]
        if value is not None and not (isinstance(value, int | float) and -1 <= value <= 1):
            raise InvalidInput("sentiment", f"{value!r} is not a score from -1 to 1")
    elif "text" in row:
        sentiment.score_rows([row])
