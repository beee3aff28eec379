"""Grid edits as changes: what a ``st.data_editor`` reports, turned into ``Change`` records.

Pure functions: no Streamlit, no database. A grid is drawn from *rows*: one dict per row with
the display columns the user sees (``"Stage": "Awareness"``, ``"Emotion": "🙂 +1"``,
``"Drop-off %": 15.0``) plus ``"id"`` and ``"version"`` of the record it shows (and optionally
``"_label"``, how messages name the row). The editor reports its edits as
``{"edited_rows": {row index: {column: value}}, "added_rows": [{column: value}],
"deleted_rows": [row index]}``; :func:`apply_edits` turns them into creates, updates and
deletes for ``services.apply_changes``, converting display values back to model fields with a
:class:`GridColumns` (stage name → ``stage_id``, ``"😠 -2"`` → ``-2``, ``15`` % → ``0.15``).
:func:`inverse` gives the changes that undo applied ones.

Examples
--------
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

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxmap.core import entities
from cxmap.core.entities import DeletionEffects, entity
from cxmap.core.errors import InvalidInput
from cxmap.core.messages import Message
from cxmap.core.records import Change, Record

EditorState = Mapping[str, Any]
ToValues = Callable[[Mapping[str, Any]], dict[str, Any]]

# Faces of the emotion scale −2…+2 (DOMAIN.md): angry, worried, neutral, pleased, delighted.
EMOTION_FACES = {-2: "😠", -1: "😟", 0: "😐", 1: "🙂", 2: "😄"}
_NUMBER_IN_LABEL = re.compile(r"[-+−]?\d+(?:\.\d+)?")


# ---------------------------------------------------------------- cell values


def is_blank(value: Any) -> bool:
    """An empty cell: None, NaN/NA from pandas, or text with nothing but spaces.

    >>> [is_blank(v) for v in (None, float("nan"), "  ", 0, "x")]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:  # NaN-like values are unequal to themselves
        return bool(value != value)
    except (TypeError, ValueError):  # pandas.NA refuses to be a bool
        return repr(value) == "<NA>"


def text(value: Any) -> str:
    """A text cell: an empty cell is the empty string."""
    return "" if is_blank(value) else str(value)


def emotion_label(score: int | None) -> str | None:
    """How an emotion score is shown in a grid.

    >>> [emotion_label(s) for s in (-2, 0, 1, None)]
    ['😠 -2', '😐 0', '🙂 +1', None]
    """
    if score is None:
        return None
    return f"{EMOTION_FACES.get(score, '❔')} {score:+d}" if score else f"{EMOTION_FACES[0]} 0"


EMOTION_OPTIONS: list[str] = [
    f"{face} {s:+d}" if s else f"{face} 0" for s, face in EMOTION_FACES.items()
]


def parse_emotion(value: Any) -> int | None:
    """An emotion score from a cell: ``"😠 -2"``, ``"+1"``, ``2``, or empty (None).

    Numbers outside −2…+2 are returned as they are, so the service's range check names them.

    >>> [parse_emotion(v) for v in ("😠 -2", "🙂 +1", "0", 2, None, 7)]
    [-2, 1, 0, 2, None, 7]
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidInput("", f"{value!r} is not an emotion from -2 to +2")
    if isinstance(value, int | float):
        return _whole(value, "an emotion from -2 to +2")
    for face_score, face in EMOTION_FACES.items():
        if str(value).strip() == face:
            return face_score
    found = _NUMBER_IN_LABEL.search(str(value))
    if not found:
        raise InvalidInput("", f"{str(value)!r} is not an emotion from -2 to +2")
    return _whole(float(found.group().replace("−", "-")), "an emotion from -2 to +2")


def integer(value: Any) -> int | None:
    """A whole-number cell (empty → None).

    >>> [integer(v) for v in (3, 3.0, "4", None)]
    [3, 3, 4, None]
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidInput("", f"{value!r} is not a whole number")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise InvalidInput("", f"{value.strip()!r} is not a whole number") from None
    return _whole(value, "a whole number")


def number(value: Any) -> float | None:
    """A decimal-number cell (empty → None)."""
    if is_blank(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidInput("", f"{str(value)!r} is not a number") from None


def percent_to_share(value: Any) -> float:
    """A percentage cell as a share 0…1 (empty → 0): ``15`` → ``0.15``.

    >>> percent_to_share(15), percent_to_share(None), percent_to_share("2.5")
    (0.15, 0.0, 0.025)
    """
    found = number(value)
    return 0.0 if found is None else round(found / 100, 8)


def share_to_percent(share: float | None) -> float | None:
    """A share 0…1 shown as a percentage: ``0.15`` → ``15.0``."""
    return None if share is None else round(share * 100, 6)


def boolean(value: Any) -> bool:
    """A checkbox cell (empty → False)."""
    return False if is_blank(value) else bool(value)


def _whole(value: float, what: str) -> int:
    if float(value) != int(value):
        raise InvalidInput("", f"{value!r} is not {what}")
    return int(value)


# ---------------------------------------------------------------- references by label


def unique_labels(items: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """A label per id for pick lists: the name, with the key added where names repeat.

    >>> unique_labels([(1, "Call", "t1"), (2, "Visit", "t2"), (3, "Call", "t3")])
    {1: 'Call (t1)', 2: 'Visit', 3: 'Call (t3)'}
    """
    listed = list(items)
    counts: dict[str, int] = {}
    for _, name, _ in listed:
        counts[name] = counts.get(name, 0) + 1
    return {
        row_id: (f"{name} ({key})" if counts[name] > 1 or not name.strip() else name)
        for row_id, name, key in listed
    }


@dataclass(frozen=True)
class Choice:
    """Converts a pick-list label to the id it stands for, and back.

    >>> stages = Choice({1: "Awareness", 2: "Purchase"}, what="stage")
    >>> stages.to_id("Purchase"), stages.to_label(1)
    (2, 'Awareness')
    >>> stages.to_id("Nowhere")
    Traceback (most recent call last):
    ...
    cxmap.core.errors.InvalidInput: 'Nowhere' is not a stage of this map
    """

    labels: Mapping[int, str]
    what: str

    def to_id(self, label: Any) -> int | None:
        if is_blank(label):
            return None
        for row_id, known in self.labels.items():
            if known == label:
                return row_id
        raise InvalidInput("", f"{str(label)!r} is not a {self.what} of this map")

    def to_label(self, row_id: int | None) -> str | None:
        return None if row_id is None else self.labels.get(row_id)

    @property
    def options(self) -> list[str]:
        return list(self.labels.values())


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One display column of a grid and the model field it edits."""

    name: str
    field: str
    to_model: Callable[[Any], Any] = text
    to_display: Callable[[Any], Any] = lambda value: value


class GridColumns:
    """The display columns of a grid: record → display row, and display values → model values.

    Columns that are not listed (computed or read-only ones) are ignored by :meth:`to_values`.
    """

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self.by_name = {column.name: column for column in self.columns}
        self.by_field = {column.field: column for column in self.columns}

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def display_row(self, record: Record) -> dict[str, Any]:
        """The grid row of a record (with its id and version)."""
        values = record.as_dict()
        row = {c.name: c.to_display(values[c.field]) for c in self.columns}
        return {**row, "id": values["id"], "version": values["version"]}

    def to_values(self, display: Mapping[str, Any]) -> dict[str, Any]:
        """Model values of the listed display columns; a bad cell raises InvalidInput naming it."""
        values: dict[str, Any] = {}
        for name, value in display.items():
            column = self.by_name.get(name)
            if column is None:
                continue
            try:
                values[column.field] = column.to_model(value)
            except InvalidInput as error:
                raise InvalidInput(name, error.problem) from None
        return values

    def column_of(self, field: str) -> str:
        """The display name of a model field (the field itself when no column shows it)."""
        column = self.by_field.get(field)
        return column.name if column else field


# ---------------------------------------------------------------- edits → changes


def row_location(rows: Sequence[Mapping[str, Any]], index: int) -> str:
    """How messages name a row of the grid: its number as the user counts, and its label."""
    label = rows[index].get("_label") if 0 <= index < len(rows) else None
    return f"row {index + 1}" + (f" “{label}”" if label else "")


def located_edits(
    original_rows: Sequence[Mapping[str, Any]],
    editor_state: EditorState,
    *,
    entity: str,
    to_values: ToValues,
) -> list[tuple[str, Change]]:
    """Like :func:`apply_edits`, each change with the row it comes from (``row 3 “Checkout”``,
    ``new row 1``), so an error of ``services.apply_changes`` ("change 2 · …") can name it.

    Order: updates (by row), then new rows, then deletes. A cell that cannot be converted
    raises InvalidInput naming the row and the column.
    """
    located: list[tuple[str, Change]] = []
    for index, cells in _edited_rows(original_rows, editor_state):
        where = row_location(original_rows, index)
        row = original_rows[index]
        wanted = _converted(to_values, cells, where)
        seen = _converted(to_values, {name: row.get(name) for name in cells}, where)
        changed = {k: v for k, v in wanted.items() if k not in seen or seen[k] != v}
        if not changed:
            continue
        located.append(
            (
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
        )
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


def _deleted(editor_state: EditorState) -> set[int]:
    return {int(i) for i in editor_state.get("deleted_rows", [])}


def _edited_rows(
    original_rows: Sequence[Mapping[str, Any]], editor_state: EditorState
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The edited cells of each row that is drawn and not being deleted, by row index."""
    deleted = _deleted(editor_state)
    edited = {int(i): cells for i, cells in editor_state.get("edited_rows", {}).items()}
    for index in sorted(edited):
        if index not in deleted and 0 <= index < len(original_rows):
            yield index, edited[index]


def apply_edits(
    original_rows: Sequence[Mapping[str, Any]],
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
    original_rows: Sequence[Mapping[str, Any]],
    editor_state: EditorState,
    *,
    column: str,
    persona_id: int,
) -> list[tuple[str, Change]]:
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
    located: list[tuple[str, Change]] = []
    for index, cells in _edited_rows(original_rows, editor_state):
        if column not in cells:
            continue
        row = original_rows[index]
        where = row_location(original_rows, index)
        try:
            wanted, seen = parse_emotion(cells[column]), parse_emotion(row.get(column))
        except InvalidInput as error:
            raise InvalidInput(f"{where} · {column}", error.problem) from None
        if wanted == seen:
            continue
        emotion_id = row.get("emotion_id")
        if emotion_id is None:
            values = {"touchpoint_id": row["id"], "persona_id": persona_id, "score": wanted}
            located.append((where, Change("create", "emotion", values=values)))
        elif wanted is None:
            located.append((where, Change("delete", "emotion", emotion_id, row["emotion_version"])))
        else:
            located.append(
                (
                    where,
                    Change(
                        "update",
                        "emotion",
                        emotion_id,
                        row["emotion_version"],
                        values={"score": wanted},
                        read_values={"score": seen},
                    ),
                )
            )
    return located


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
