"""The editable journey-map canvas: a bidirectional Streamlit component (Components v1, iframe).

The component's bundle is built from ``frontend/`` (Vite + TypeScript; ``make canvas``) into
``frontend/dist/``, which is committed: running the app needs no Node and loads nothing from
elsewhere. The component draws the swimlane map with the read-only canvas's colours and lets
people edit it in place (cards, new touchpoints, drag or Alt+arrows to move, the emotion
curve's points, pain point and opportunity chips); every edit comes back as an *event*
(:mod:`.protocol`).

Events are applied in the component's ``on_change`` callback, before the page runs, each once
(:class:`.protocol.AppliedEvents`), through the save path of the grids
(:func:`cxmap.app.widgets.saving.submit`: versions, conflicts held with Keep mine / Take
theirs, undo) or ``services.move_touchpoint``; then the page draws the new revision and
the component, under the same key, redraws in place (its scroll position and focus kept).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from cxmap import services
from cxmap.analysis.scoring import JourneyAnalysis
from cxmap.app import cache
from cxmap.app.widgets import saving
from cxmap.app.widgets.canvas_editor import protocol, view
from cxmap.app.widgets.notices import toast
from cxmap.app.widgets.undo import Reorder, forget_undo, remember_undo
from cxmap.core.context import Context
from cxmap.core.errors import ConflictError, CxmapError
from cxmap.core.messages import Message, render
from cxmap.core.records import JourneyAggregate, MapRecord

BUILD_DIR = Path(__file__).parent / "frontend" / "dist"
SAVE_NAME = "canvas"  # the name of the canvas's held edits (saving.held / held_message)

_component = components.declare_component("cxmap_canvas_editor", path=str(BUILD_DIR))


def _key(map_id: int) -> str:
    return f"canvas_editor_{map_id}"


@st.cache_resource(show_spinner=False)
def _ledgers() -> dict[tuple[str, int], protocol.AppliedEvents]:
    return {}


def _applied(ctx: Context, map_id: int) -> protocol.AppliedEvents:
    """The ids of the canvas events applied to the map, kept by the server process rather than
    the session: a browser that reconnects under a new session sends its last value again,
    and its events must still count as applied (ids are unique per browser tab)."""
    return _ledgers().setdefault((ctx.db.url, map_id), protocol.AppliedEvents())


def _notice_slot(map_id: int) -> str:
    return f"canvas_notice_{map_id}"


def _tell(map_id: int, kind: str, text: str, *, held: bool = False) -> None:
    """Show ``text`` in the component's status line on its next drawing; ``held``: it is about
    edits held above the canvas (Keep mine / Take theirs), so it is over when they are."""
    previous = st.session_state.get(_notice_slot(map_id)) or {}
    number = int(previous.get("seq", 0)) + 1
    notice = {"kind": kind, "text": text, "seq": str(number), "held": "1" if held else ""}
    st.session_state[_notice_slot(map_id)] = notice


def apply_events(ctx: Context, map_id: int, events: list[Any]) -> int:
    """Apply the component's events not applied yet, in order, each exactly once; how many
    had an id (an event without one is refused each time it comes, and never counts)."""
    applied = _applied(ctx, map_id)
    answered = 0
    for raw in applied.new(events):
        aggregate = cache.content_at(ctx, map_id, _revision(ctx, map_id))
        plan = protocol.plan_event(raw, aggregate)
        if plan.event_id is not None:
            applied.add(plan.event_id)  # first: a run stopped after the write cannot redo it
            answered += 1
        _apply(ctx, map_id, aggregate, plan)
    return answered


def _revision(ctx: Context, map_id: int) -> int:
    revision = services.map_revision(ctx, map_id)
    return revision if revision is not None else -1


def _apply(ctx: Context, map_id: int, aggregate: JourneyAggregate, plan: protocol.Plan) -> None:
    if isinstance(plan, protocol.Refusal):
        _tell(map_id, "error", render(plan.message, ctx.locale))
        return
    summary = render(plan.summary, ctx.locale)
    if isinstance(plan, protocol.Edit):
        saved = saving.submit(  # a delete taking other rows with it waits for a "yes"
            ctx, map_id, SAVE_NAME, plan.located, revision=aggregate.map.revision, what=summary
        )
        found = saving.held(map_id, SAVE_NAME)
        if saved:
            _tell(map_id, "ok", f"Saved: {summary}")
        elif found is not None and found.kind == "confirm":
            name = plan.summary.params.get("name", "")
            question = Message("canvas.confirm_above", {"name": name})
            _tell(map_id, "error", render(question, ctx.locale), held=True)
        elif found is not None:
            _tell(map_id, "error", f"Not saved: {render(found.message, ctx.locale)}", held=True)
        return
    try:
        services.move_touchpoint(
            ctx,
            map_id,
            plan.touchpoint_id,
            plan.read_version,
            plan.stage_id,
            plan.ordered_ids,
            read_stage_id=plan.from_stage_id,
        )
    except ConflictError as error:
        _tell(map_id, "error", f"Not moved: {render(error.reason, ctx.locale)}")
        return
    except CxmapError as error:
        _tell(map_id, "error", f"Not moved: {error.message}")
        return
    undo, order = plan.undo(), plan.undo_order()
    if undo is not None:
        remember_undo(map_id, summary, undo)
    elif order is not None:
        remember_undo(map_id, summary, [], Reorder("touchpoint", *order))
    else:
        forget_undo(map_id)
    toast(f"Saved: {summary}")
    _tell(map_id, "ok", f"Saved: {summary}")


def _on_change(ctx: Context, map_id: int) -> None:
    apply_events(ctx, map_id, protocol.pending_events(st.session_state.get(_key(map_id))))


@st.cache_data(show_spinner=False, max_entries=32)
def _view(
    _aggregate: JourneyAggregate,
    _analysis: JourneyAnalysis,
    database_url: str,
    map_id: int,
    revision: int,
    persona_ids: tuple[int, ...],
) -> dict[str, Any]:
    return view.canvas_view(_aggregate, _analysis, persona_ids)


def canvas_editor(
    ctx: Context,
    journey: MapRecord,
    aggregate: JourneyAggregate,
    analysis: JourneyAnalysis,
    persona_ids: Collection[int],
) -> None:
    """The editable canvas of ``journey`` (at the revision of ``aggregate``), the emotion lines
    of ``persona_ids``, and above it what is wrong with an edit that was not saved (in a slot
    that is always there, so the component keeps its place among the page's elements and is
    never re-created)."""
    above = st.container()
    base = _view(aggregate, analysis, ctx.db.url, journey.id, journey.revision, tuple(persona_ids))
    held = saving.held(journey.id, SAVE_NAME)
    if held is None and (st.session_state.get(_notice_slot(journey.id)) or {}).get("held"):
        _tell(journey.id, "ok", "Resolved: the canvas shows the map as it is saved now.")
    notice = st.session_state.get(_notice_slot(journey.id))
    applied = _applied(ctx, journey.id)
    sent = protocol.pending_events(st.session_state.get(_key(journey.id)))
    shown = {**base, "applied": applied.done(sent), "notice": notice}
    value = _component(
        view=shown,
        key=_key(journey.id),
        default=None,
        on_change=partial(_on_change, ctx, journey.id),
    )
    events = protocol.pending_events(value)
    if applied.new(events) and apply_events(ctx, journey.id, events):
        st.rerun()  # events sent while no callback could run: draw what they changed
    with above:
        saving.held_message(ctx, journey.id, SAVE_NAME)


__all__ = ["BUILD_DIR", "apply_events", "canvas_editor", "protocol"]
