"""Grid edits as changes: what a ``st.data_editor`` reports, turned into ``Change`` records.

Pure functions: no Streamlit, no database. A grid is drawn from *rows*: one dict per row with
the display columns the user sees (``"Stage": "Awareness"``, ``"Emotion": "🙂 +1"``,
``"Drop-off %": 15.0``) plus ``"id"`` and ``"version"`` of the record it shows (and optionally
``"_label"``, how messages name the row). The editor reports its edits as
``{"edited_rows": {row index: {column: value}}, "added_rows": [{column: value}],
"deleted_rows": [row index]}``; :func:`apply_edits` turns them into creates, updates and
deletes for ``services.apply_changes``, converting display values back to model fields with
the grid's :class:`~cxmap.app.widgets.cells.GridColumns` (stage name → ``stage_id``,
``"😠 -2"`` → ``-2``, ``15`` % → ``0.15``). :func:`inverse` gives the changes that undo
applied ones; :func:`describe_effects` asks about a delete that takes other rows with it.

Examples
--------
>>> from cxmap.app.widgets.cells import Column, GridColumns, emotion_label, parse_emotion, text
>>> columns = GridColumns([
...     Column("Touchpoint", "name", text),
...     Column("Emotion", "emotion", parse_emotion, emotion_label),
... ])
>>> rows = [{"id": 7, "version": 3, "Touchpoint": "Checkout", "Emotion": "🙂 +1"}]
>>> state = {"edited_rows": {0: {"Emotion": "😠 -2"}}, "added_rows": [], "deleted_rows": []}
>>> [change] = apply_edits(rows, state, entity="touchpoint", to_values=columns.to_values)
>>> change.op, change.row_id, change.read_version, dict(change.values), dict(change.read_values)
('update', 7, 3, {'emotion': -2}, {'emotion': 1})
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from cxmap.app.widgets.cells import is_blank, parse_emotion
from cxmap.core import entities
from cxmap.core.entities import DeletionEffects, entity
from cxmap.core.errors import InvalidInput
from cxmap.core.messages import Message
from cxmap.core.records import Change, Record

EditorState = Mapping[str, Any]
ToValues = Callable[[Mapping[str, Any]], dict[str, Any]]
# The rows a grid was drawn from, and changes each with the row it comes from.
Rows = Sequence[Mapping[str, Any]]
Located = list[tuple[str, Change]]


# ---------------------------------------------------------------- edits → changes


def row_location(rows: Rows, index: int) -> str:
    """How messages name a row of the grid: its number as the user counts, and its label."""
    label = rows[index].get("_label") if 0 <= index < len(rows) else None
    return f"row {index + 1}" + (f" “{label}”" if label else "")


def located_edits(
    original_rows: Rows,
    editor_state: EditorState,
    *,
    entity: str,
    to_values: ToValues,
) -> Located:
    """Like :func:`apply_edits`, each change with the row it comes from (``row 3 “Checkout”``,
    ``new row 1``), so an error of ``services.apply_changes`` ("change 2 · …") can name it.

    Order: updates (by row), then new rows, then deletes. A cell that cannot be converted
    raises InvalidInput naming the row and the column.
    """
    located: Located = []
    for index, cells in _edited_rows(original_rows, editor_state):
        found = update_change(original_rows, index, cells, entity=entity, to_values=to_values)
        if found is not None:
            located.append(found)
    for number, added in enumerate(editor_state.get("added_rows", []), start=1):
        if all(is_blank(value) for value in added.values()):
            continue  # a row the user opened but has not filled in yet
        where = f"new row {number}"
        located.append(
            (where, Change("create", entity, values=_converted(to_values, added, where)))
        )
    for index in sorted(_deleted(editor_state)):
        if not 0 <= index < len(original_rows):
            continue
        row = original_rows[index]
        located.append(
            (
                row_location(original_rows, index),
                Change("delete", entity, row_id=row["id"], read_version=row["version"]),
            )
        )
    return located


def update_change(
    rows: Rows, index: int, cells: Mapping[str, Any], *, entity: str, to_values: ToValues
) -> tuple[str, Change] | None:
    """The update of row ``index`` that its edited ``cells`` ask for (None: nothing changes).

    It carries the row's version and the values the cells had, and only the fields whose
    model value changes; a cell that cannot be converted raises InvalidInput naming the row.

    >>> from cxmap.app.widgets.cells import Column, GridColumns, integer
    >>> columns = GridColumns([Column("Name", "name"), Column("Effort", "effort", integer)])
    >>> rows = [{"id": 4, "version": 2, "Name": "Call", "Effort": 3, "_label": "Call"}]
    >>> where, change = update_change(rows, 0, {"Name": "Call", "Effort": "4"},
    ...     entity="touchpoint", to_values=columns.to_values)
    >>> where, dict(change.values), dict(change.read_values), change.read_version
    ('row 1 “Call”', {'effort': 4}, {'effort': 3}, 2)
    """
    where = row_location(rows, index)
    row = rows[index]
    wanted = _converted(to_values, cells, where)
    seen = _converted(to_values, {name: row.get(name) for name in cells}, where)
    changed = {k: v for k, v in wanted.items() if k not in seen or seen[k] != v}
    if not changed:
        return None
    return (
        where,
        Change(
            "update",
            entity,
            row_id=row["id"],
            read_version=row["version"],
            values=changed,
            read_values={k: seen.get(k) for k in changed},
        ),
    )


def _deleted(editor_state: EditorState) -> set[int]:
    return {int(i) for i in editor_state.get("deleted_rows", [])}


def _edited_rows(
    original_rows: Rows, editor_state: EditorState
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The edited cells of each row that is drawn and not being deleted, by row index."""
    deleted = _deleted(editor_state)
    edited = {int(i): cells for i, cells in editor_state.get("edited_rows", {}).items()}
    for index in sorted(edited):
        if index not in deleted and 0 <= index < len(original_rows):
            yield index, edited[index]


def apply_edits(
    original_rows: Rows,
    editor_state: EditorState,
    *,
    entity: str,
    to_values: ToValues,
) -> list[Change]:
    """The changes a grid's edit state asks for (see the module docstring).

    Updates carry the version and the values (of the changed fields) the grid was drawn with,
    so a concurrent edit is refused as a conflict that says what the other editor changed.
    Edits that leave a cell as it was make no change.
    """
    return [
        change
        for _, change in located_edits(
            original_rows, editor_state, entity=entity, to_values=to_values
        )
    ]


def _converted(to_values: ToValues, display: Mapping[str, Any], where: str) -> dict[str, Any]:
    try:
        return to_values(display)
    except InvalidInput as error:
        raise InvalidInput(
            f"{where} · {error.where}" if error.where else where, error.problem
        ) from None


def persona_emotion_edits(
    original_rows: Rows,
    editor_state: EditorState,
    *,
    column: str,
    persona_id: int,
) -> Located:
    """Edits of a persona's emotion column in the touchpoint grid, as emotion-row changes.

    Each row carries ``"id"`` (the touchpoint) and, where the persona already has an emotion
    there, ``"emotion_id"`` and ``"emotion_version"``. A new score creates the emotion, a
    changed one updates it, an emptied cell deletes it. Rows being deleted are skipped (their
    emotions go with them).

    >>> rows = [{"id": 5, "version": 1, "Emotion": None}]
    >>> state = {"edited_rows": {0: {"Emotion": "😟 -1"}}}
    >>> [(where, c)] = persona_emotion_edits(rows, state, column="Emotion", persona_id=2)
    >>> where, c.op, dict(c.values)
    ('row 1', 'create', {'touchpoint_id': 5, 'persona_id': 2, 'score': -1})
    """
    located: Located = []
    for index, cells in _edited_rows(original_rows, editor_state):
        if column in cells:
            found = emotion_change(
                original_rows, index, cells[column], column=column, persona_id=persona_id
            )
            if found is not None:
                located.append(found)
    return located


def emotion_change(
    rows: Rows, index: int, value: Any, *, column: str, persona_id: int
) -> tuple[str, Change] | None:
    """The emotion-row change that setting a persona's emotion cell of row ``index`` to
    ``value`` asks for (see :func:`persona_emotion_edits`); None when the score stays."""
    row = rows[index]
    where = row_location(rows, index)
    try:
        wanted, seen = parse_emotion(value), parse_emotion(row.get(column))
    except InvalidInput as error:
        raise InvalidInput(f"{where} · {column}", error.problem) from None
    if wanted == seen:
        return None
    emotion_id = row.get("emotion_id")
    if emotion_id is None:
        if wanted is None:
            return None
        values = {"touchpoint_id": row["id"], "persona_id": persona_id, "score": wanted}
        return where, Change("create", "emotion", values=values)
    if wanted is None:
        return where, Change("delete", "emotion", emotion_id, row["emotion_version"])
    change = Change(
        "update",
        "emotion",
        emotion_id,
        row["emotion_version"],
        values={"score": wanted},
        read_values={"score": seen},
    )
    return where, change


# ---------------------------------------------------------------- undo


def inverse(
    changes: Sequence[Change],
    before: Mapping[tuple[str, int], Mapping[str, Any]],
    *,
    results: Sequence[Record | Mapping[str, Any] | None] = (),
) -> list[Change]:
    """The changes that undo ``changes`` once they were applied, in the order to apply them.

    ``before`` holds, by ``(entity, row id)``, every field of each updated or deleted row as it
    was before (``Record.as_dict()``); ``results`` is what ``services.apply_changes`` returned
    (needed for creates: the id of the new row). An update is undone by writing the old values
    back, expecting the version the update left (``read_version + 1``), so undo is refused as
    a conflict when someone changed the row since; a create by deleting the new row (at its
    first version); a delete by creating the row again with the same values and key (rows
    that were deleted *with* it, by cascade, are not part of ``before`` and do not return).

    >>> update = Change("update", "stage", 4, 2, {"name": "Buy"}, {"name": "Purchase"})
    >>> [undo] = inverse([update], {("stage", 4): {"id": 4, "name": "Purchase", "version": 2}})
    >>> undo.op, undo.row_id, undo.read_version, dict(undo.values), dict(undo.read_values)
    ('update', 4, 3, {'name': 'Purchase'}, {'name': 'Buy'})
    """
    undo: list[Change] = []
    for number, change in enumerate(changes):
        if change.op == "update":
            assert change.row_id is not None and change.read_version is not None
            old = _before(before, change)
            undo.append(
                Change(
                    "update",
                    change.entity,
                    change.row_id,
                    change.read_version + 1,
                    values={field: old[field] for field in change.values},
                    read_values=dict(change.values),
                )
            )
        elif change.op == "delete":
            old = _before(before, change)
            values = {k: v for k, v in old.items() if k not in ("id", "version")}
            undo.append(Change("create", change.entity, values=values))
        else:
            created = results[number] if number < len(results) else None
            if created is None:
                raise ValueError(f"change {number + 1} created a row: its result is needed")
            made = created if isinstance(created, Mapping) else created.as_dict()
            undo.append(Change("delete", change.entity, made["id"], made["version"]))
    return list(reversed(undo))


def _before(
    before: Mapping[tuple[str, int], Mapping[str, Any]], change: Change
) -> Mapping[str, Any]:
    assert change.row_id is not None
    try:
        return before[(change.entity, change.row_id)]
    except KeyError:
        raise ValueError(
            f"no 'before' values of {change.entity} {change.row_id}: cannot undo"
        ) from None


# ---------------------------------------------------------------- messages


_CHANGE_WHERE = re.compile(r"^change (\d+)(?: · (.*))?$")


def failing_change(where: str) -> tuple[int, str] | None:
    """The change number and field in a ``services.apply_changes`` error's ``where``.

    >>> failing_change("change 3 · emotion"), failing_change("change 1"), failing_change("x")
    ((3, 'emotion'), (1, ''), None)
    """
    found = _CHANGE_WHERE.match(where)
    if not found:
        return None
    return int(found.group(1)), found.group(2) or ""


# ---------------------------------------------------------------- what a delete takes with it


def count_of(entity_name: str, n: int) -> Message:
    """``3 pain points``, ``1 opportunity`` as a message.

    >>> [str(count_of(*c)) for c in (("pain_point", 3), ("opportunity", 1), ("feedback", 2))]
    ['3 pain points', '1 opportunity', '2 feedback rows']
    """
    return entity(entity_name).count(n)


def deletion_effects(aggregate: Any, deletes: Sequence[Change]) -> DeletionEffects:
    """What deleting these rows does to the rest of the map (``aggregate``: a JourneyAggregate):
    the rows that cascade and those that stay, unlinked (see
    :func:`cxmap.core.entities.deletion_effects`)."""
    asked: dict[str, set[int]] = {}
    for change in deletes:
        if change.op == "delete" and change.row_id is not None:
            asked.setdefault(change.entity, set()).add(change.row_id)
    return entities.deletion_effects(aggregate, asked)


def describe_effects(
    aggregate: Any, deletes: Sequence[Change], effects: DeletionEffects
) -> Message:
    """The confirmation question of a delete, saying what goes with it and what stays.

    >>> import datetime as dt
    >>> from cxmap.core.records import JourneyAggregate, MapRecord, StageRecord
    >>> now = dt.datetime(2026, 1, 1)
    >>> agg = JourneyAggregate(MapRecord(1, "M", "", "current", "en", now, now, 0, 1),
    ...     stages=[StageRecord(3, "s1", "Awareness", 1, 1)])
    >>> delete = Change("delete", "stage", 3, 1)
    >>> str(describe_effects(agg, [delete], deletion_effects(agg, [delete])))
    'Delete stage “Awareness”? Nothing else goes with it.'
    """
    named: list[Message] = []
    for change in deletes:
        kind = entity(change.entity)
        record = next((r for r in kind.rows(aggregate) if r.id == change.row_id), None)
        label = kind.label(record) if record is not None else None
        named.append(
            Message("row.named", {"noun": kind.noun(), "label": label})
            if label
            else Message("row.unnamed", {"noun": kind.noun()})
        )
    shown = named[:3] + ([Message("count.more", {"n": len(named) - 3})] if len(named) > 3 else [])
    sentences = [Message("delete.question", {"rows": shown})]
    if effects.deleted:
        parts = [count_of(name, n) for name, n in effects.deleted.items()]
        sentences.append(Message("delete.also", {"items": parts}))
    if effects.unlinked:
        parts = [count_of(name, n) for name, n in effects.unlinked.items()]
        total = sum(effects.unlinked.values())
        sentences.append(Message("delete.unlinked", {"items": parts, "n": total}))
    sentences.append(Message("delete.final" if effects.anything else "delete.alone"))
    return Message("list.sentences", {"items": sentences})
