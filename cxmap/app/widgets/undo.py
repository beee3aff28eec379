"""Undo of a map's last saved change (per browser tab): the inverse changes of the last save
are kept in the session and applied through the same services, as a conflict when the rows
have moved on since.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cxmap import services
from cxmap.app import shell
from cxmap.app.widgets.conflicts import describe_value, field_label
from cxmap.app.widgets.notices import toast
from cxmap.core.context import Context
from cxmap.core.entities import entity
from cxmap.core.errors import ConflictError, CxmapError
from cxmap.core.records import Change, MapRecord


@dataclass(frozen=True)
class Reorder:
    """Put rows of ``entity`` back in the order ``restore``, if they are still in the order
    ``expected`` (the order the change left): a reorder changes places, not rows."""

    entity: str
    expected: tuple[int, ...]
    restore: tuple[int, ...]


@dataclass(frozen=True)
class UndoEntry:
    """What undoes a map's last saved change: the change's ``summary`` and the inverse changes
    (or the order to put back)."""

    summary: str
    changes: list[Change]
    reorder: Reorder | None = None


def _undo_key(map_id: int) -> str:
    return f"undo_{map_id}"


def remember_undo(
    map_id: int, summary: str, changes: list[Change], reorder: Reorder | None = None
) -> None:
    """Keep ``changes`` (or ``reorder``) as what undoes the map's last saved change
    (``summary`` names it)."""
    st.session_state[_undo_key(map_id)] = UndoEntry(summary, changes, reorder)


def forget_undo(map_id: int) -> None:
    """Nothing to undo (the last change cannot be taken back)."""
    st.session_state.pop(_undo_key(map_id), None)


def _undo(ctx: Context, map_id: int) -> None:
    entry = st.session_state.pop(_undo_key(map_id), None)
    if not isinstance(entry, UndoEntry):
        return
    try:
        if entry.reorder is not None:
            _put_back(ctx, map_id, entry.reorder)
        else:
            services.apply_changes(ctx, map_id, entry.changes)
    except ConflictError as error:
        st.session_state[f"{_undo_key(map_id)}_failed"] = (
            f"Could not undo “{entry.summary}”: {_changed_since(ctx, map_id, error)} "
            "Your change stays as it is."
        )
        return
    except CxmapError as error:
        st.session_state[f"{_undo_key(map_id)}_failed"] = (
            f"Could not undo “{entry.summary}”: {error.message}"
        )
        return
    toast(f"Undone: {entry.summary}")


def _put_back(ctx: Context, map_id: int, reorder: Reorder) -> None:
    """Undo a reorder: refused when the rows are no longer in the order it left."""
    rows = entity(reorder.entity).rows(services.load_map(ctx, map_id))
    wanted = set(reorder.expected)
    if tuple(row.id for row in rows if row.id in wanted) != reorder.expected:
        raise CxmapError("someone else changed the order since.")
    services.reorder(ctx, map_id, reorder.entity, list(reorder.restore))


def _changed_since(ctx: Context, map_id: int, error: ConflictError) -> str:
    """What someone else did to the row since, in words (no version numbers)."""
    if error.current_version is None:
        return f"someone else deleted {error.label} since."
    if not error.changes:
        return f"someone else changed {error.label} since."
    aggregate = services.load_map(ctx, map_id)
    changed = ", ".join(
        f"{field_label(error.entity, name)} → {describe_value(aggregate, error.entity, name, now)}"
        for name, (_, now) in error.changes.items()
    )
    return f"someone else changed {error.label} since ({changed})."


def undo_button(ctx: Context, journey: MapRecord) -> None:
    """The button that undoes this tab's last saved change of the map (when there is one)."""
    failed = st.session_state.pop(f"{_undo_key(journey.id)}_failed", None)
    if failed:
        st.warning(shell.md_escape(failed), icon="↩️")
    entry = st.session_state.get(_undo_key(journey.id))
    st.button(
        "↩️ Undo",
        key=f"undo_button_{journey.id}",
        disabled=not isinstance(entry, UndoEntry),
        help=f"Undo: {entry.summary}" if isinstance(entry, UndoEntry) else "Nothing to undo yet",
        on_click=_undo,
        args=(ctx, journey.id),
        width="stretch",
    )


def editing_page(title: str, icon: str, hint: str, heading: str) -> tuple[Context, MapRecord, bool]:
    """Set up a page that edits the selected map: its ``heading`` (markdown, ``{name}`` for
    the map's name) with the undo button beside it. Without a map: the page's title, the
    ``hint`` and a link to the home page, and the page stops.

    Also returns whether this run offers edits (:func:`cxmap.app.shell.can_edit`, decided
    here once): a viewer gets no undo button, and the page draws its sections read only."""
    ctx, selected = shell.page_setup(title, icon)
    journey = shell.require_map(selected, f"{icon} {title}", hint)
    editable = shell.can_edit(ctx, journey)
    left, right = st.columns([6, 1], vertical_alignment="bottom")
    left.title(heading.format(name=shell.md_escape(journey.name)))
    if editable:
        with right:
            undo_button(ctx, journey)
    return ctx, journey, editable
