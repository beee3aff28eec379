"""The grid that saves as it is edited: an ``st.data_editor`` whose every edit reruns the
page, which saves what the editor shows that is not saved yet (a
:class:`~cxmap.app.widgets.grid_ledger.GridLedger` says what that is) through
:func:`~cxmap.app.widgets.saving.save_steps`.

The editor keeps its table and its key while the user works in it: a save never re-creates
it, so edits typed while the last one was saving are not dropped, and the grid keeps its
scroll position, column and focus. It is drawn afresh from the database only when the user
acts outside it (another tab, the persona picker, Undo, a button beside a held edit, a
reload) after the map changed, or when it was not on screen in the last run.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st

from cxmap import services
from cxmap.app import shell
from cxmap.app.widgets.drawn import DrawnGrid
from cxmap.app.widgets.grid_ledger import GridLedger, Step
from cxmap.app.widgets.saving import generation, held, held_message, release, save_steps
from cxmap.core.context import Context
from cxmap.core.records import MapRecord, Record


@dataclass
class GridSession:
    """One grid as the user works in it: the editor's key and table, what is saved of it,
    the map's revision after its last save, and the last save in words."""

    key: str
    drawn: DrawnGrid
    ledger: GridLedger
    revision: int
    generation: int
    last_saved: str = ""
    behind: bool = False  # someone else changed the map since the grid was drawn
    seen_state: Any = None  # the editor's state at the last run (changed: the user typed)


_NO_EDITS: dict[str, Any] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}


def _slot(map_id: int, name: str) -> str:
    return f"grid_session_{map_id}_{name}"


def grid_session(map_id: int, name: str) -> GridSession | None:
    """The grid ``name`` of the map as it is being edited in this browser tab, if drawn."""
    found = st.session_state.get(_slot(map_id, name))
    return found if isinstance(found, GridSession) else None


def _save_pending(ctx: Context, map_id: int, name: str, session: GridSession, state: Any) -> None:
    """Save what the editor shows (``state``) that is not saved yet."""
    drawn = session.drawn
    steps = session.ledger.pending(
        state,
        entity=drawn.entity,
        to_values=drawn.columns.to_values,
        emotion_column=drawn.emotion_column,
        persona_id=drawn.persona_id,
    )
    if not steps and held(map_id, name) is None:
        return
    before = session.revision

    def saved(done: list[Step], results: list[Record | None]) -> None:
        # Right after the commit, before any st.* call (where the run may be stopped).
        session.ledger.settle(done, results, state)
        session.revision = services.map_revision(ctx, map_id) or session.revision

    summary = save_steps(ctx, map_id, name, steps, drawn, session.revision, saved)
    if summary:
        # One save is one revision: more means someone else saved in between.
        session.behind = session.behind or session.revision != before + 1
        session.last_saved = f"{summary} · {dt.datetime.now():%H:%M:%S}"


def _grid_changed(ctx: Context, map_id: int, name: str, key: str) -> None:
    """``on_change`` of a grid: save what it shows that is not saved yet (before the page
    runs, so Undo and the notes are up to date on the page)."""
    session = grid_session(map_id, name)
    state = st.session_state.get(key)
    if session is not None and session.key == key and state is not None:
        _save_pending(ctx, map_id, name, session, state)


def grid_editor(
    ctx: Context, journey: MapRecord, current: DrawnGrid, *, editable: bool = True
) -> None:
    """Draw a grid that saves as it is edited (``current``: as the map is now); for a viewer
    (``editable`` False) the same table read only, with no editor behind it.

    Its ``on_change`` saves each edit; the page's run saves again whatever the editor shows
    that is not saved yet, for when Streamlit cut a callback short to start a newer run.
    """
    if not editable:
        read_only_grid(current)
        return
    name = current.name
    session = grid_session(journey.id, name)
    state = st.session_state.get(session.key) if session is not None else None
    afresh = True
    if (
        session is not None
        and state is not None
        and session.generation == generation(journey.id, name)
    ):
        typed = state != (session.seen_state or _NO_EDITS)
        # Saved even when the grid starts afresh below (the user typed, then clicked).
        _save_pending(ctx, journey.id, name, session, state)
        session.seen_state = copy.deepcopy(state)
        # The user is typing in this grid: never redraw it under them (a note says when the
        # map has moved on). Otherwise they acted elsewhere: if the map changed meanwhile
        # (someone else, Undo), show it as it is now.
        if typed:
            session.behind = session.behind or current.revision > session.revision
        afresh = (
            session.drawn.variant != current.variant
            or session.ledger.lost_track
            or (not typed and current.revision != session.revision)
        )
    if afresh:
        gen = generation(journey.id, name)
        session = GridSession(
            key=shell.list_key(f"grid_{name}", journey.id, current.revision, current.variant, gen),
            drawn=current,
            ledger=GridLedger.of(current.rows, _editable(current), _defaults(current)),
            revision=current.revision,
            generation=gen,
        )
        st.session_state[_slot(journey.id, name)] = session
    assert session is not None
    drawn = session.drawn
    st.data_editor(
        drawn.frame,
        key=session.key,
        num_rows=drawn.num_rows,
        column_config=drawn.column_config,
        disabled=list(drawn.disabled),
        hide_index=True,
        width="stretch",
        height=grid_height(len(drawn.rows)),
        placeholder="—",
        on_change=_grid_changed,
        args=(ctx, journey.id, name, session.key),
    )
    with st.container(key=f"grid_status_{name}"):
        if session.last_saved:
            st.caption(f"✓ Saved: {shell.md_escape(session.last_saved)}")
    # Notes come and go *below* the editor: one appearing above it would move the grid while
    # a cell editor is open, which closes the editor and drops what is being typed.
    with st.container(key=f"grid_notes_{name}"):
        held_message(ctx, journey.id, name)
        if session.behind:
            _behind_note(journey.id, name)


def read_only_grid(current: DrawnGrid) -> None:
    """The grid as a table nobody can type into: no new rows, no deletes, no save. Columns
    are not pinned: a table draws pinned columns greyed, as if they were left out."""
    config: dict[str, Any] = {
        name: {**column, "pinned": False} if isinstance(column, dict) else column
        for name, column in current.column_config.items()
    }
    st.dataframe(
        current.frame,
        column_config=config,
        hide_index=True,
        width="stretch",
        height=min(grid_height(len(current.rows)), 35 * (len(current.rows) + 1) + 3),
    )
    shell.read_only_note()


def _behind_note(map_id: int, name: str) -> None:
    note, button = st.columns([5, 1], vertical_alignment="center")
    note.info(
        "Someone else changed this map while you were editing this grid. Your edits are "
        "saved; the grid shows their changes when you ask.",
        icon="🔄",
    )
    button.button(
        "Show their changes",
        key=f"grid_behind_{map_id}_{name}",
        on_click=release,
        args=(map_id, name),
        width="stretch",
    )


def _defaults(drawn: DrawnGrid) -> dict[str, Any]:
    """The values the editor puts in a new row by itself (a new touchpoint's stage)."""
    found = {}
    for column, config in drawn.column_config.items():
        default = config.get("default") if isinstance(config, dict) else None
        if default is not None:
            found[column] = default
    return found


def _editable(drawn: DrawnGrid) -> list[str]:
    return [c for c in drawn.frame.columns if c not in drawn.disabled]


def grid_height(rows: int) -> int:
    """The grid's height in pixels for ``rows`` rows.

    Header, rows, the "add row" line and room for ten rows more, 35 px each: the editor is
    kept while rows are added (its height cannot change without re-creating it), so new rows
    must fit without the grid scrolling under the user's cursor. Long grids scroll inside 15
    rows.

    >>> grid_height(0), grid_height(2), grid_height(100)
    (423, 493, 598)
    """
    return 35 * (min(rows + 10, 15) + 2) + 3
