"""The grid that saves as it is edited: an ``st.data_editor`` whose ``on_change`` saves what
the editor shows that is not saved yet (a :class:`~cxmap.app.widgets.grid_ledger.GridLedger`
says what that is) through :func:`~cxmap.app.widgets.saving.save_steps`.

The editor keeps its table and its key while the user works in it: a save never re-creates
it, so edits typed while the last one was saving are not dropped, and the grid keeps its
scroll position, column and focus. It is drawn afresh from the database only when the user
acts outside it (another tab, the persona picker, Undo, a button beside a held edit, a
reload) after the map changed, or when it was not on screen in the last run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from cxmap import services
from cxmap.app import shell
from cxmap.app.widgets.drawn import DrawnGrid
from cxmap.app.widgets.grid_ledger import GridLedger
from cxmap.app.widgets.saving import generation, held_message, release, save_steps
from cxmap.core.context import Context
from cxmap.core.records import MapRecord


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


def _slot(map_id: int, name: str) -> str:
    return f"grid_session_{map_id}_{name}"


def grid_session(map_id: int, name: str) -> GridSession | None:
    """The grid ``name`` of the map as it is being edited in this browser tab, if drawn."""
    found = st.session_state.get(_slot(map_id, name))
    return found if isinstance(found, GridSession) else None


def _grid_changed(ctx: Context, map_id: int, name: str, key: str) -> None:
    """``on_change`` of a grid: save what the editor shows that is not saved yet."""
    session = grid_session(map_id, name)
    if session is None or session.key != key:
        return  # an editor drawn before the grid started afresh
    st.session_state[f"{_slot(map_id, name)}_typed"] = True
    state = st.session_state.get(key) or {}
    drawn = session.drawn
    steps = session.ledger.pending(
        state,
        entity=drawn.entity,
        to_values=drawn.columns.to_values,
        emotion_column=drawn.emotion_column,
        persona_id=drawn.persona_id,
    )
    saved, results, summary = save_steps(ctx, map_id, name, steps, drawn, session.revision)
    if saved:
        session.ledger.settle(saved, results, state)
        now = services.map_revision(ctx, map_id) or session.revision
        # One save is one revision: more means someone else saved in between.
        session.behind = session.behind or now != session.revision + 1
        session.revision = now
        session.last_saved = f"{summary} · {dt.datetime.now():%H:%M:%S}"


def _starts_afresh(session: GridSession | None, current: DrawnGrid, map_id: int) -> bool:
    """Whether the grid is drawn anew from ``current`` (the map as it is now)."""
    if session is None or session.drawn.variant != current.variant:
        return True
    if session.generation != generation(map_id, current.name) or session.ledger.lost_track:
        return True
    if session.key not in st.session_state:
        return True  # not on screen in the last run: nothing can be in flight
    typed = st.session_state.pop(f"{_slot(map_id, current.name)}_typed", False)
    if typed:
        # The user is typing in this grid: never redraw it under them (a note says when
        # the map has moved on).
        session.behind = session.behind or current.revision != session.revision
        return False
    # They acted elsewhere: if the map changed meanwhile (someone else, Undo), show it as it
    # is now.
    return current.revision != session.revision


def grid_editor(ctx: Context, journey: MapRecord, current: DrawnGrid) -> None:
    """Draw a grid that saves as it is edited (``current``: as the map is now)."""
    name = current.name
    session = grid_session(journey.id, name)
    if _starts_afresh(session, current, journey.id):
        st.session_state.pop(f"{_slot(journey.id, name)}_typed", None)
        gen = generation(journey.id, name)
        session = GridSession(
            key=shell.list_key(f"grid_{name}", journey.id, current.revision, current.variant, gen),
            drawn=current,
            ledger=GridLedger.of(current.rows, _editable(current)),
            revision=current.revision,
            generation=gen,
        )
        st.session_state[_slot(journey.id, name)] = session
    assert session is not None
    drawn = session.drawn
    # Notes come and go above the editor inside one container that is always there: an
    # element appearing before the editor would re-mount it (and drop what is being typed).
    with st.container(key=f"grid_notes_{name}"):
        held_message(ctx, journey.id, name)
        if session.behind:
            _behind_note(journey.id, name)
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
