"""A grid's cells: display values and the model values they stand for.

Pure functions and small classes, no Streamlit: how an empty cell, a whole number, a
percentage, an emotion face (``"😠 -2"``) or a pick-list label (a stage's name) converts to a
model value and back, and :class:`GridColumns`, a grid's display columns with the fields they
edit. :mod:`cxmap.app.widgets.grid_changes` turns a grid's edits into changes with them.

Examples
--------
>>> columns = GridColumns([Column("Touchpoint", "name"), Column("Drop-off %", "drop_off",
...     percent_to_share, share_to_percent)])
>>> columns.to_values({"Touchpoint": "Checkout", "Drop-off %": 15})
{'name': 'Checkout', 'drop_off': 0.15}
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxmap.core.errors import InvalidInput
from cxmap.core.records import Record

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
        """The id a label stands for; None for a blank cell, InvalidInput for a label not listed."""
        if is_blank(label):
            return None
        for row_id, known in self.labels.items():
            if known == label:
                return row_id
        raise InvalidInput("", f"{str(label)!r} is not a {self.what} of this map")

    def to_label(self, row_id: int | None) -> str | None:
        """The label of ``row_id``; None for no id or an id not listed."""
        return None if row_id is None else self.labels.get(row_id)

    @property
    def options(self) -> list[str]:
        """The labels in the order given, for a pick list's options."""
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
        """The display column names, in order."""
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


def swapped(ids: list[int], index: int, step: int) -> list[int]:
    """``ids`` with the one at ``index`` moved ``step`` (±1) places: the ↑/↓ of a reorder.

    >>> swapped([7, 8, 9], 1, -1), swapped([7, 8, 9], 1, 1)
    ([8, 7, 9], [7, 9, 8])
    """
    order = list(ids)
    order[index], order[index + step] = order[index + step], order[index]
    return order
