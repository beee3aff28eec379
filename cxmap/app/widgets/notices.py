"""Notices of the editing pages: toasts shown after the rerun a callback causes, the sidebar
note that someone else changed the map, and the confirmation of a delete (what goes with it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from cxmap import services
from cxmap.app import shell
from cxmap.app.widgets import grid_changes
from cxmap.core.context import Context
from cxmap.core.entities import entity
from cxmap.core.records import Change, JourneyAggregate, MapRecord, Record

_TOASTS = "_builder_toasts"
REVISION_POLL_SECONDS = 5


def toast(message: str) -> None:
    """Show ``message`` (plain text) as a short toast on the next run of the page."""
    st.session_state.setdefault(_TOASTS, []).append(message)


def show_toasts() -> None:
    """Show the toasts queued by :func:`toast` (once)."""
    for message in st.session_state.pop(_TOASTS, []):
        st.toast(shell.md_escape(message), icon="✅")


@st.fragment(run_every=REVISION_POLL_SECONDS)
def _revision_watch(ctx: Context, map_id: int, drawn_revision: int) -> None:
    now = services.map_revision(ctx, map_id)
    if now is not None and now > drawn_revision:
        st.info("Someone else changed this map since this page was drawn.", icon="🔄")
        if st.button("Show the latest", key=f"show_latest_{map_id}", width="stretch"):
            st.rerun(scope="app")


def revision_watch(ctx: Context, journey: MapRecord) -> None:
    """A note in the sidebar when someone else changes the map (checked every few seconds).

    It only offers to redraw: a grid someone is typing in is never redrawn under them, and
    the sidebar keeps the page from jumping when the note appears.
    """
    with st.sidebar:
        _revision_watch(ctx, journey.id, journey.revision)


def confirm_delete(
    aggregate: JourneyAggregate,
    record: Record,
    on_click: Callable[..., None],
    args: tuple[Any, ...],
) -> None:
    """Inside a delete popover: what deleting ``record`` takes with it, and the button
    ("Yes, delete this stage") whose ``on_click(*args)`` deletes it."""
    row = record.as_dict()
    change = Change("delete", record.entity, row["id"], row["version"])
    effects = grid_changes.deletion_effects(aggregate, [change])
    st.warning(shell.md_words(grid_changes.describe_effects(aggregate, [change], effects)))
    st.button(
        f"Yes, delete this {shell.words(entity(record.entity).noun())}",
        type="primary",
        key=f"{record.entity}_delete_{row['id']}",
        on_click=on_click,
        args=args,
    )
