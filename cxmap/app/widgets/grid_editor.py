"""The grid that saves as it is edited: an ``st.data_editor`` whose ``on_change`` turns the
editor's state into changes (:mod:`cxmap.app.widgets.grid_changes`) and hands them to
:func:`~cxmap.app.widgets.saving.submit`.

The grid's key changes with the map's revision, so after a save it redraws from the
database. While its edits are held, it is drawn from the rows the user edited, under the same
key, so not a keystroke is lost.
"""

from __future__ import annotations

import streamlit as st

from cxmap.app import shell
from cxmap.app.widgets.drawn import DrawnGrid
from cxmap.app.widgets.saving import Held, generation, held, held_message, hold, submit
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.core.records import MapRecord


def _grid_changed(ctx: Context, map_id: int, drawn: DrawnGrid, key: str) -> None:
    """``on_change`` of a grid: save every edit in it, or hold them all with the reason."""
    state = st.session_state.get(key) or {}
    try:
        located = drawn.edits(state)
    except InvalidInput as error:
        hold(map_id, drawn.name, Held("invalid", error.reason, [], drawn))
        return
    if not located and held(map_id, drawn.name) is None:
        return
    submit(ctx, map_id, drawn.name, located, drawn=drawn)


def grid_editor(ctx: Context, journey: MapRecord, current: DrawnGrid) -> None:
    """Draw a grid that saves as it is edited (held edits keep their rows and key)."""
    found = held(journey.id, current.name)
    drawn = found.drawn if found is not None and found.drawn is not None else current
    key = shell.list_key(
        f"grid_{drawn.name}",
        journey.id,
        drawn.revision,
        drawn.variant,
        generation(journey.id, drawn.name),
    )
    held_message(ctx, journey.id, drawn.name)
    st.data_editor(
        drawn.frame,
        key=key,
        num_rows=drawn.num_rows,
        column_config=drawn.column_config,
        disabled=list(drawn.disabled),
        hide_index=True,
        width="stretch",
        height=grid_height(len(drawn.rows)),
        placeholder="—",
        on_change=_grid_changed,
        args=(ctx, journey.id, drawn, key),
    )


def grid_height(rows: int) -> int:
    """The grid's height in pixels for ``rows`` rows.

    Header, rows, the "add row" line and room for the row being added, 35 px each (so adding
    a row does not scroll the grid under the user's cursor); long grids scroll inside 15 rows.

    >>> grid_height(2), grid_height(100)
    (178, 633)
    """
    return 35 * (min(rows, 15) + 3) + 3
