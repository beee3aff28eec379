"""A grid as it was drawn (:class:`DrawnGrid`): the rows behind it, its table, its column
settings and how its cells convert back to model values; and the pieces the builder's
sections draw their grids with (pick lists of stages and touchpoints, whole-number columns).

The grid's name is its entity's list name in the registry (``pain_points``), so held edits,
widget keys and tests name a grid the same way for every entity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st

from cxmap.app.widgets import cells, grid_changes
from cxmap.app.widgets.cells import GridColumns
from cxmap.core.entities import entity
from cxmap.core.records import Change, JourneyAggregate
from cxmap.render.text import shorten

NumRows = Literal["fixed", "dynamic", "add", "delete"]


@dataclass(frozen=True)
class DrawnGrid:
    """A grid as it was drawn: the rows behind it, its table and how its cells convert back."""

    name: str
    entity: str
    revision: int
    rows: list[dict[str, Any]]
    frame: pd.DataFrame
    column_config: dict[str, Any]
    columns: GridColumns
    variant: str = ""
    num_rows: NumRows = "dynamic"
    disabled: tuple[str, ...] = ()
    persona_id: int | None = None
    emotion_column: str | None = None

    def edits(self, state: Mapping[str, Any]) -> list[tuple[str, Change]]:
        """The changes the editor's state asks for, each with the row it comes from."""
        located = grid_changes.located_edits(
            self.rows, state, entity=self.entity, to_values=self.columns.to_values
        )
        if self.persona_id is not None and self.emotion_column:
            located += grid_changes.persona_emotion_edits(
                self.rows, state, column=self.emotion_column, persona_id=self.persona_id
            )
        return located


def drawn_grid(
    kind: str,
    aggregate: JourneyAggregate,
    columns: GridColumns,
    *,
    dtypes: Mapping[str, str],
    column_config: dict[str, Any],
    order: Callable[[Any], Any] | None = None,
    label: Callable[[Any, dict[str, Any]], str | None] | None = None,
    more: Callable[[Any, dict[str, Any]], None] | None = None,
    **options: Any,
) -> DrawnGrid:
    """The grid of the map's rows of entity ``kind`` (sorted by the key ``order``, or in the
    map's order): one display row each, named by ``label(record, row)`` (by default as the
    registry names the row); ``more(record, row)`` adds computed cells; ``dtypes`` gives the
    table's columns in order; ``options`` are :class:`DrawnGrid`'s (``num_rows`` …)."""
    found = entity(kind)
    records = found.rows(aggregate)
    rows = []
    for record in sorted(records, key=order) if order is not None else records:
        row = columns.display_row(record)
        if more is not None:
            more(record, row)
        row["_label"] = label(record, row) if label is not None else found.label(record)
        rows.append(row)
    return DrawnGrid(
        name=found.list_name,
        entity=kind,
        revision=aggregate.revision,
        rows=rows,
        frame=frame(rows, dtypes),
        column_config=column_config,
        columns=columns,
        **options,
    )


def frame(rows: Sequence[Mapping[str, Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """The editor's table: the columns of ``dtypes``, in its order and with its types.

    >>> frame([{"Name": "Call", "Effort": 2, "id": 1}], {"Name": "object", "Effort": "Int64"})
       Name  Effort
    0  Call       2
    """
    names = list(dtypes)
    table = pd.DataFrame([{n: row.get(n) for n in names} for row in rows], columns=names)
    return table.astype(dict(dtypes))


def touchpoint_choice(aggregate: JourneyAggregate) -> cells.Choice:
    """The map's touchpoints as a pick list (names, with the key where names repeat)."""
    labels = cells.unique_labels((t.id, t.name, t.key) for t in aggregate.touchpoints)
    return cells.Choice(labels, "touchpoint")


def stage_choice(aggregate: JourneyAggregate) -> cells.Choice:
    """The map's stages as a pick list."""
    return cells.Choice(
        cells.unique_labels((s.id, s.name, s.key) for s in aggregate.stages), "stage"
    )


def short(text: str, length: int = 48) -> str:
    """``text`` on one line, cut to ``length`` characters.

    >>> short("Router  arrives\\nlate", 12), short("x" * 60, 10)
    ('Router arri…', 'xxxxxxxxx…')
    """
    return shorten(" ".join(text.split()), length)


def number_column(
    title: str,
    low: float,
    high: float | None,
    help: str,
    *,
    step: float = 1,
    format: str | None = "%d",
    **more: Any,
) -> Any:
    """A column of numbers from ``low`` to ``high`` (``None``: no upper bound); whole numbers
    unless ``step`` and ``format`` say otherwise; ``more``: other settings (``default`` …)."""
    return st.column_config.NumberColumn(
        title, min_value=low, max_value=high, step=step, format=format, help=help, **more
    )
