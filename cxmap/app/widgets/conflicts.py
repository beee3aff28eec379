"""Rows in words, for messages about a save: a field's name and value as the pages show them,
what someone else changed since a row was read, and edits re-based on the rows as they are
now ("Keep mine").

Every entity and field is looked up in the registry (:mod:`cxmap.core.entities`): a field is
called by its spreadsheet heading, a reference by the name of the row it points at.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from typing import Any

from cxmap import services
from cxmap.app.widgets import cells
from cxmap.app.widgets.drawn import short
from cxmap.core.context import Context
from cxmap.core.entities import ENTITIES, entity
from cxmap.core.records import Change, JourneyAggregate, Record

# Where the pages' words differ from the spreadsheet headings (British spelling on screen; an
# emotion row's score is the emotion).
_SPOKEN = {("persona", "behaviors"): "behaviours", ("emotion", "score"): "emotion"}


def records(aggregate: JourneyAggregate) -> dict[tuple[str, int], Record]:
    """Every row of the map by ``(entity, id)``.

    >>> from cxmap.core.examples import demo_chain
    >>> records(demo_chain())[("touchpoint", 2)].name
    'Touchpoint 2'
    """
    return {
        (kind.name, record.id): record
        for kind in ENTITIES.values()
        for record in kind.rows(aggregate)
    }


def field_label(kind: str, name: str) -> str:
    """How messages call field ``name`` of entity ``kind``.

    >>> field_label("touchpoint", "stage_id"), field_label("transition", "source_id")
    ('stage', 'from')
    >>> field_label("touchpoint", "drop_off"), field_label("emotion", "score")
    ('drop-off', 'emotion')
    """
    if (kind, name) in _SPOKEN:
        return _SPOKEN[(kind, name)]
    found = entity(kind)
    return found.heading(name) if name in found.field_names else name


def describe_value(aggregate: JourneyAggregate, kind: str, name: str, value: Any) -> str:
    """A field's value as the pages show it (faces, percentages, names instead of ids).

    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()
    >>> describe_value(chain, "touchpoint", "stage_id", 2), describe_value(chain, "touchpoint", "drop_off", 0.15)
    ('“Stage 2”', '15 %')
    >>> describe_value(chain, "touchpoint", "emotion", -2), describe_value(chain, "stage", "name", "")
    ('😠 -2', '(empty)')
    """  # noqa: E501
    if value is None or value == "":
        return "(empty)"
    if name in ("emotion", "score"):
        return cells.emotion_label(value) or "(empty)"
    if name in ("drop_off", "segment_share"):
        return f"{value * 100:g} %"
    reference = entity(kind).references.get(name)
    if reference is not None:
        target = entity(reference.entity)
        found = next((r for r in target.rows(aggregate) if r.id == value), None)
        label = target.label(found) if found is not None else None
        if label and target.label_field == "description":
            label = short(label)  # a description can run to paragraphs; names are short
        label = label or (getattr(found, "key", None) if found is not None else None)
        return f"“{label}”" if label else f"#{value}"
    if isinstance(value, str):
        return f"“{short(value, 60)}”"
    return str(value)


def conflict_details(
    ctx: Context,
    map_id: int,
    seen: JourneyAggregate,
    located: Sequence[tuple[str, Change]],
) -> list[str]:
    """One line per row someone else changed or deleted since it was read: what they changed
    (fields whose value differs from what the editor saw) and what this editor wanted."""
    now = services.load_map(ctx, map_id)
    current, was = records(now), records(seen)
    lines = []
    for where, change in located:
        if change.op == "create" or change.row_id is None:
            continue
        record = current.get((change.entity, change.row_id))
        if record is None:
            lines.append(f"{where}: deleted by someone else.")
            continue
        if record.as_dict()["version"] == change.read_version:
            continue
        values = record.as_dict()
        old = was.get((change.entity, change.row_id))
        read = (
            old.as_dict()
            if old is not None and old.as_dict()["version"] == change.read_version
            else dict(change.read_values or {})
        )

        said = functools.partial(describe_value, now, change.entity)
        theirs = [
            f"{field_label(change.entity, k)} {said(k, v)} → {said(k, values[k])}"
            for k, v in read.items()
            if k not in ("id", "version", "position") and k in values and values[k] != v
        ]
        mine = [f"{field_label(change.entity, k)} → {said(k, v)}" for k, v in change.values.items()]
        text = f"{where}: someone else changed " + ("; ".join(theirs) or "it")
        if change.op == "update":
            text += f". Yours: {'; '.join(mine)}."
        else:
            text += ". You deleted it."
        lines.append(text)
    return lines


def rebased(
    ctx: Context, map_id: int, located: Sequence[tuple[str, Change]]
) -> tuple[list[tuple[str, Change]], list[str], int]:
    """``located`` re-based on the rows as they are now ("Keep mine"): updates and deletes
    expect the current versions; edits of rows deleted meanwhile are dropped (and named).
    Returns the re-based edits, the dropped rows and the map's revision they were read at."""
    now = services.load_map(ctx, map_id)
    current = records(now)
    emotions = {(e.touchpoint_id, e.persona_id): e for e in now.emotions}
    kept: list[tuple[str, Change]] = []
    dropped: list[str] = []
    for where, change in located:
        if change.op == "create":
            values = change.values
            pair = (values.get("touchpoint_id"), values.get("persona_id"))
            if change.entity == "emotion" and pair in emotions:
                existing = emotions[pair]  # someone set this persona's emotion meanwhile
                change = Change(
                    "update",
                    "emotion",
                    existing.id,
                    existing.version,
                    {"score": values["score"]},
                    {"score": existing.score},
                )
            kept.append((where, change))
            continue
        assert change.row_id is not None
        record = current.get((change.entity, change.row_id))
        if record is None:
            dropped.append(where)
            continue
        values = record.as_dict()
        kept.append(
            (
                where,
                dataclasses.replace(
                    change,
                    read_version=values["version"],
                    read_values={k: values[k] for k in change.values} if change.values else None,
                ),
            )
        )
    return kept, dropped, now.revision
