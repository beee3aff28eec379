"""The Touchpoints section of the journey builder: the touchpoint grid (with the emotion of
all customers or of one persona) and the persona picker. A channel that is not in the list
is typed straight into its cell and joins the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from cxmap import services
from cxmap.app import shell
from cxmap.app.widgets import cells, notices, saving
from cxmap.app.widgets.cells import Column, GridColumns
from cxmap.app.widgets.drawn import DrawnGrid, drawn_grid, number_column, stage_choice
from cxmap.app.widgets.grid_editor import grid_editor
from cxmap.core.context import Context
from cxmap.core.errors import CxmapError
from cxmap.core.records import JourneyAggregate, MapRecord, TouchpointRecord

# Channels offered in every map (DOMAIN.md); a map's own channels are added to them.
COMMON_CHANNELS = (
    "web",
    "app",
    "email",
    "phone",
    "chat",
    "social",
    "store",
    "branch",
    "mail",
    "sms",
    "tv",
    "partner",
)
ALL_CUSTOMERS = "All customers"
EMOTION_HELP = "−2 very negative (😠) … 0 neutral (😐) … +2 delighted (😄); empty = not known"
DTYPES = {
    "Stage": "object",
    "Touchpoint": "object",
    "Emotion": "object",
    "Channel": "object",
    "Owner": "object",
    "Effort": "Int64",
    "Volume": "Int64",
    "Drop-off %": "float64",
    "Moment of truth": "bool",
    "Customer action": "object",
    "Thought": "object",
}


def map_channels(aggregate: JourneyAggregate, extra: Iterable[str] = ()) -> list[str]:
    """The channels offered in the touchpoint grid: the common ones, the map's own, new ones.

    >>> from cxmap.core.examples import demo_chain
    >>> map_channels(demo_chain(), ["kiosk"])[:4]
    ['app', 'branch', 'chat', 'email']
    >>> "kiosk" in map_channels(demo_chain(), ["kiosk"])
    True
    """
    own = {t.channel for t in aggregate.touchpoints if t.channel}
    return sorted({*COMMON_CHANNELS, *own, *extra}, key=str.casefold)


def known_spelling(known: Iterable[str]) -> Callable[[Any], str]:
    """A cell converter that writes a known value as it is known (``Email`` → ``email``).

    >>> cell = known_spelling(["email", "web"])
    >>> cell(" Email "), cell("kiosk"), cell(None)
    ('email', 'kiosk', '')
    """
    spelled = {value.casefold(): value for value in known}

    def converted(value: Any) -> str:
        typed = cells.text(value).strip()
        return spelled.get(typed.casefold(), typed)

    return converted


def touchpoint_grid(aggregate: JourneyAggregate, persona_id: int | None = None) -> DrawnGrid:
    """The touchpoint grid; with ``persona_id`` its emotion column is that persona's."""
    stages = stage_choice(aggregate)
    channels = map_channels(aggregate)
    persona = next((p for p in aggregate.personas if p.id == persona_id), None)
    columns = GridColumns(
        [
            Column("Stage", "stage_id", stages.to_id, stages.to_label),
            Column("Touchpoint", "name"),
            *(
                [Column("Emotion", "emotion", cells.parse_emotion, cells.emotion_label)]
                if persona is None
                else []
            ),
            Column("Channel", "channel", known_spelling(channels)),
            Column("Owner", "owner"),
            Column("Effort", "effort", cells.integer),
            Column("Volume", "volume", cells.integer),
            Column("Drop-off %", "drop_off", cells.percent_to_share, cells.share_to_percent),
            Column("Moment of truth", "moment_of_truth", cells.boolean),
            Column("Customer action", "customer_action"),
            Column("Thought", "thought"),
        ]
    )
    emotions = (
        {e.touchpoint_id: e for e in aggregate.emotions if e.persona_id == persona.id}
        if persona
        else {}
    )

    def persona_emotion(touchpoint: TouchpointRecord, row: dict[str, Any]) -> None:
        if persona is not None:
            emotion = emotions.get(touchpoint.id)
            row["Emotion"] = cells.emotion_label(emotion.score) if emotion else None
            row["emotion_id"] = emotion.id if emotion else None
            row["emotion_version"] = emotion.version if emotion else None

    last_stage = aggregate.touchpoints[-1].stage_id if aggregate.touchpoints else None
    default_stage = stages.to_label(last_stage) or (stages.options[0] if stages.options else None)
    config = st.column_config
    emotion_title = "Emotion" if persona is None else f"Emotion · {persona.name}"
    column_config = {
        "Stage": config.SelectboxColumn(
            "Stage",
            options=stages.options,
            default=default_stage,
            width=170,
            pinned=True,  # stage and name stay in view while scrolling right
        ),
        "Touchpoint": config.TextColumn("Touchpoint", max_chars=200, width=280, pinned=True),
        # Typed, not picked: a new channel needs no detour, and typing "mail" gives mail
        # (a pick list completes it to "email"). The known spelling of a channel is kept.
        "Channel": config.TextColumn(
            "Channel",
            help="Type the channel, e.g. " + ", ".join(channels[:8]) + "; a new one is fine.",
            max_chars=200,
            width=90,
        ),
        "Owner": config.TextColumn(
            "Owner", help="The department that owns this touchpoint", max_chars=200
        ),
        "Customer action": config.TextColumn("Customer action", max_chars=5000, width="medium"),
        "Thought": config.TextColumn("Thought", max_chars=5000, width="medium"),
        "Emotion": config.SelectboxColumn(
            emotion_title,
            options=cells.EMOTION_OPTIONS,
            help=EMOTION_HELP
            + ("" if persona is None else f". Only for the persona {persona.name}."),
            width=110,
        ),
        "Effort": number_column("Effort", 1, 5, "1 easy … 5 hard"),
        "Volume": number_column("Volume", 0, None, "Customers a month"),
        "Drop-off %": number_column(
            "Drop-off %",
            0,
            100,
            "Share of customers who leave the journey here",
            step=0.1,
            format="%.1f",
        ),
        "Moment of truth": config.CheckboxColumn(
            "MoT", help="Moment of truth: decides how the customer judges you"
        ),
    }
    return drawn_grid(
        "touchpoint",
        aggregate,
        columns,
        more=persona_emotion,
        dtypes=DTYPES,
        column_config=column_config,
        variant=f"persona-{persona.id}" if persona else "all",
        # A persona's view edits emotions of existing touchpoints; new ones are added under
        # "All customers" (their own emotion first, in one transaction).
        num_rows="dynamic" if persona is None else "delete",
        persona_id=persona.id if persona else None,
        emotion_column="Emotion" if persona else None,
    )


def _persona_picker(journey: MapRecord, aggregate: JourneyAggregate, locked: bool) -> int | None:
    if not aggregate.personas:
        return None
    labels = cells.unique_labels((p.id, p.name, p.key) for p in aggregate.personas)
    options = [0, *labels]  # 0: all customers (ids start at 1)
    key = f"persona_view_{journey.id}"
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)
    choice = st.selectbox(
        "Emotion column shows",
        options,
        format_func=lambda pid: f"Persona: {labels[pid]}" if pid else ALL_CUSTOMERS,
        key=key,
        disabled=locked,
        help="“All customers” is the touchpoint's own emotion; a persona's column sets how "
        "that persona feels there (empty = same as all customers)."
        + (" Save or discard the held edits first." if locked else ""),
    )
    return choice or None


def touchpoints_section(
    ctx: Context, journey: MapRecord, aggregate: JourneyAggregate, editable: bool = True
) -> None:
    """The touchpoint grid with its persona picker, and the reordering of touchpoints."""
    locked = saving.held(journey.id, "touchpoints") is not None
    persona_id = None
    hint = st.container()
    if aggregate.personas:
        picker, hint = st.columns([2, 3], vertical_alignment="bottom")
        with picker:
            persona_id = _persona_picker(journey, aggregate, locked)
    if editable:
        hint.caption(
            "Each row is a touchpoint; edits save as you make them (Enter, Tab or leaving the "
            "cell). To add one, click the empty row at the bottom; to delete, tick rows at "
            "the left and press 🗑️ above the grid."
        )
    grid_editor(ctx, journey, touchpoint_grid(aggregate, persona_id), editable=editable)
    if not editable:
        return
    if persona_id is not None:
        st.caption(
            "Persona view: add touchpoints under “All customers”. Clearing a cell removes the "
            "persona's own emotion there."
        )
    with st.popover("↕️ Reorder touchpoints", disabled=locked):
        _reorder(ctx, journey, aggregate)


def _move(ctx: Context, map_id: int, ids: list[int], index: int, step: int) -> None:
    try:
        services.reorder(ctx, map_id, "touchpoint", cells.swapped(ids, index, step))
    except CxmapError as error:
        notices.toast(f"Not moved: {error.message}")


def _reorder(ctx: Context, journey: MapRecord, aggregate: JourneyAggregate) -> None:
    """Move touchpoints up and down within their stage (to another stage: its Stage cell)."""
    stages: dict[int, str] = {s.id: s.name for s in aggregate.stages}
    stage_id: int | None = st.selectbox(
        "Stage",
        list(stages),
        format_func=lambda sid: stages.get(sid, ""),
        key=f"reorder_stage_{journey.id}",
    )
    inside = [t for t in aggregate.touchpoints if t.stage_id == stage_id]
    if not inside:
        st.caption("No touchpoints in this stage yet.")
    ids = [t.id for t in inside]
    for index, touchpoint in enumerate(inside):
        name, up, down = st.columns([6, 1, 1], vertical_alignment="center")
        name.markdown(shell.md_escape(touchpoint.name))
        up.button(
            "↑",
            key=f"tp_up_{touchpoint.id}",
            disabled=index == 0,
            on_click=_move,
            args=(ctx, journey.id, ids, index, -1),
            help=f"Move “{touchpoint.name}” up",
        )
        down.button(
            "↓",
            key=f"tp_down_{touchpoint.id}",
            disabled=index == len(inside) - 1,
            on_click=_move,
            args=(ctx, journey.id, ids, index, 1),
            help=f"Move “{touchpoint.name}” down",
        )
