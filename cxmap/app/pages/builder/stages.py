"""The Stages section of the journey builder: stages in order, renamed in place, moved up or
down, added and deleted (the delete says what goes with it). Saves go through
:func:`cxmap.app.widgets.saving.submit`, so they are held, confirmed and undone like grids.
"""

from __future__ import annotations

import streamlit as st

from cxmap import services
from cxmap.app import shell
from cxmap.app.widgets import cells, notices, saving
from cxmap.app.widgets.saving import Held
from cxmap.core.context import Context
from cxmap.core.errors import CxmapError
from cxmap.core.records import Change, JourneyAggregate, MapRecord, StageRecord

SLOT = "stages"


def _save(
    ctx: Context, map_id: int, stage: StageRecord, change: Change, revision: int, what: str
) -> None:
    """Save a change of one stage (a delete is confirmed already: its popover says what goes)."""
    located = [(f"stage “{stage.name}”", change)]
    confirmed = change.op == "delete"
    saving.submit(ctx, map_id, SLOT, located, revision=revision, confirmed=confirmed, what=what)


def _rename_stage(ctx: Context, map_id: int, stage: StageRecord, key: str, revision: int) -> None:
    name = st.session_state.get(key, "")
    if name == stage.name:
        return
    change = Change(
        "update", "stage", stage.id, stage.version, {"name": name}, {"name": stage.name}
    )
    _save(ctx, map_id, stage, change, revision, f"stage “{stage.name}” renamed to “{name.strip()}”")


def _move_stage(ctx: Context, map_id: int, ids: list[int], index: int, step: int) -> None:
    try:
        services.reorder(ctx, map_id, "stage", cells.swapped(ids, index, step))
    except CxmapError as error:
        saving.hold(map_id, SLOT, Held("invalid", error.message, []))


def _add_stage(ctx: Context, map_id: int, key: str, revision: int) -> None:
    name = str(st.session_state.get(key) or "").strip()
    if not name:
        saving.hold(map_id, SLOT, Held("invalid", "new stage: name: a stage needs a name", []))
        return
    change = Change("create", "stage", values={"name": name})
    located = [("new stage", change)]
    if saving.submit(ctx, map_id, SLOT, located, revision=revision, what=f"stage “{name}” added"):
        st.session_state[key] = ""


def _delete_stage(ctx: Context, map_id: int, stage: StageRecord, revision: int) -> None:
    change = Change("delete", "stage", stage.id, stage.version)
    _save(ctx, map_id, stage, change, revision, f"stage “{stage.name}” deleted")


def _stage_list(aggregate: JourneyAggregate) -> None:
    """The stages in order with their touchpoint counts, for a viewer (nothing to edit)."""
    if not aggregate.stages:
        st.info("This map has no stages yet.")
    for index, stage in enumerate(aggregate.stages):
        count = len(aggregate.touchpoints_in_stage(stage.id))
        st.markdown(
            f"**{index + 1}** · {shell.md_escape(stage.name)} "
            f":gray[· {count} touchpoint{'s' if count != 1 else ''}]"
        )
    shell.read_only_note()


def stages_section(
    ctx: Context, journey: MapRecord, aggregate: JourneyAggregate, editable: bool = True
) -> None:
    """Stages in order: rename in place, move up or down, delete (saying what goes with it);
    for a viewer, the list only."""
    if not editable:
        _stage_list(aggregate)
        return
    saving.held_message(ctx, journey.id, SLOT)
    gen = saving.generation(journey.id, SLOT)
    ids = [s.id for s in aggregate.stages]
    if not aggregate.stages:
        st.info("This map has no stages yet. Add the first one below (e.g. “Awareness”).")
    for index, stage in enumerate(aggregate.stages):
        touchpoints = aggregate.touchpoints_in_stage(stage.id)
        number, name, count, up, down, delete = st.columns(
            [0.4, 5, 1.6, 0.7, 0.7, 1.2], vertical_alignment="center"
        )
        number.markdown(f"**{index + 1}**")
        key = f"stage_name_{stage.id}_{stage.version}_{gen}"
        name.text_input(
            f"Stage {index + 1}",
            value=stage.name,
            key=key,
            max_chars=200,
            label_visibility="collapsed",
            on_change=_rename_stage,
            args=(ctx, journey.id, stage, key, aggregate.revision),
        )
        count.caption(f"{len(touchpoints)} touchpoint{'s' if len(touchpoints) != 1 else ''}")
        up.button(
            "↑",
            key=f"stage_up_{stage.id}",
            disabled=index == 0,
            help="Move up",
            on_click=_move_stage,
            args=(ctx, journey.id, ids, index, -1),
            width="stretch",
        )
        down.button(
            "↓",
            key=f"stage_down_{stage.id}",
            disabled=index == len(ids) - 1,
            help="Move down",
            on_click=_move_stage,
            args=(ctx, journey.id, ids, index, 1),
            width="stretch",
        )
        with delete.popover("🗑️", help=f"Delete the stage {stage.name}", width="stretch"):
            args = (ctx, journey.id, stage, aggregate.revision)
            notices.confirm_delete(aggregate, stage, _delete_stage, args)
    new_key = f"new_stage_{journey.id}"
    left, right = st.columns([5, 1.6], vertical_alignment="bottom")
    left.text_input(
        "New stage",
        key=new_key,
        max_chars=200,
        placeholder="e.g. Awareness, Purchase, Onboarding…",
    )
    right.button(
        "➕ Add stage",
        key=f"add_stage_{journey.id}",
        on_click=_add_stage,
        args=(ctx, journey.id, new_key, aggregate.revision),
        type="primary" if not aggregate.stages else "secondary",
        width="stretch",
    )
