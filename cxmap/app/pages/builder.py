"""The journey builder's pieces: stages, and grids of touchpoints, pain points, opportunities
and transitions that save as they are edited.

How an edit travels: the grid's ``on_change`` callback turns the editor's state into changes
(:mod:`cxmap.app.grid`), ``services.apply_changes`` writes them in one transaction, and the grid's
key changes with the map's revision so it redraws from the database. When the write is refused
(a bad value, someone else's edit of the same row, or a delete that takes other rows with it),
the edits are *held*: the grid is drawn again from exactly the rows the user edited, under the
same key, so their edits stay on screen, and a message beside the grid says what is wrong and
what they can do (fix the cell, Keep mine / Take theirs, Delete / Keep them). Nothing is ever
half-saved and nothing is silently dropped.

The last saved change of a map can be undone (:func:`undo_button`), through the same services,
as a conflict when the rows have moved on since.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
import streamlit as st

from cxmap import services
from cxmap.analysis import flow
from cxmap.app import cache, grid, shell
from cxmap.app.grid import Column, GridColumns
from cxmap.core.context import Context
from cxmap.core.errors import ConflictError, CxmapError, InvalidInput
from cxmap.core.messages import Message
from cxmap.core.records import (
    OPPORTUNITY_STATUSES,
    Change,
    JourneyAggregate,
    MapRecord,
    Record,
    StageRecord,
)

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
SECTIONS = ("Stages", "Touchpoints", "Pain points", "Opportunities", "Transitions")
ALL_CUSTOMERS = "All customers"
EMOTION_HELP = "−2 very negative (😠) … 0 neutral (😐) … +2 delighted (😄); empty = not known"
# Beyond this many rows the default flow is better left implicit (the friction model uses it).
DEFAULT_FLOW_LIMIT = 5000
_TOASTS = "_builder_toasts"


# ---------------------------------------------------------------- messages after a rerun


def toast(message: str) -> None:
    """Show ``message`` (plain text) as a short toast on the next run of the page."""
    st.session_state.setdefault(_TOASTS, []).append(message)


def show_toasts() -> None:
    for message in st.session_state.pop(_TOASTS, []):
        st.toast(shell.md_escape(message), icon="✅")


# ---------------------------------------------------------------- grids


@dataclass(frozen=True)
class DrawnGrid:
    """A grid as it was drawn: the rows behind it, its table and how its cells convert back."""

    name: str
    entity: str
    revision: int
    variant: str
    rows: list[dict[str, Any]]
    frame: pd.DataFrame
    column_config: dict[str, Any]
    columns: GridColumns
    num_rows: Literal["fixed", "dynamic", "add", "delete"] = "dynamic"
    disabled: tuple[str, ...] = ()
    persona_id: int | None = None
    emotion_column: str | None = None

    def edits(self, state: Mapping[str, Any]) -> list[tuple[str, Change]]:
        located = grid.located_edits(
            self.rows, state, entity=self.entity, to_values=self.columns.to_values
        )
        if self.persona_id is not None and self.emotion_column:
            located += grid.persona_emotion_edits(
                self.rows, state, column=self.emotion_column, persona_id=self.persona_id
            )
        return located


def _frame(rows: Sequence[Mapping[str, Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    names = list(dtypes)
    frame = pd.DataFrame([{n: row.get(n) for n in names} for row in rows], columns=names)
    return frame.astype(dict(dtypes))


def _touchpoint_choice(aggregate: JourneyAggregate) -> grid.Choice:
    labels = grid.unique_labels((t.id, t.name, t.key) for t in aggregate.touchpoints)
    return grid.Choice(labels, "touchpoint")


def _stage_choice(aggregate: JourneyAggregate) -> grid.Choice:
    return grid.Choice(grid.unique_labels((s.id, s.name, s.key) for s in aggregate.stages), "stage")


def _short(text: str, length: int = 48) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def map_channels(aggregate: JourneyAggregate, extra: Iterable[str] = ()) -> list[str]:
    """The channels offered in the touchpoint grid: the common ones, the map's own, new ones."""
    own = {t.channel for t in aggregate.touchpoints if t.channel}
    return sorted({*COMMON_CHANNELS, *own, *extra}, key=str.casefold)


def touchpoint_grid(
    aggregate: JourneyAggregate, persona_id: int | None = None, extra_channels: Iterable[str] = ()
) -> DrawnGrid:
    """The touchpoint grid; with ``persona_id`` its emotion column is that persona's."""
    stages = _stage_choice(aggregate)
    persona = next((p for p in aggregate.personas if p.id == persona_id), None)
    columns = GridColumns(
        [
            Column("Stage", "stage_id", stages.to_id, stages.to_label),
            Column("Touchpoint", "name"),
            *(
                [Column("Emotion", "emotion", grid.parse_emotion, grid.emotion_label)]
                if persona is None
                else []
            ),
            Column("Channel", "channel"),
            Column("Owner", "owner"),
            Column("Effort", "effort", grid.integer),
            Column("Volume", "volume", grid.integer),
            Column("Drop-off %", "drop_off", grid.percent_to_share, grid.share_to_percent),
            Column("Moment of truth", "moment_of_truth", grid.boolean),
            Column("Customer action", "customer_action"),
            Column("Thought", "thought"),
        ]
    )
    emotions = (
        {e.touchpoint_id: e for e in aggregate.emotions if e.persona_id == persona.id}
        if persona
        else {}
    )
    rows = []
    for touchpoint in aggregate.touchpoints:
        row = columns.display_row(touchpoint)
        row["_label"] = touchpoint.name
        if persona is not None:
            emotion = emotions.get(touchpoint.id)
            row["Emotion"] = grid.emotion_label(emotion.score) if emotion else None
            row["emotion_id"] = emotion.id if emotion else None
            row["emotion_version"] = emotion.version if emotion else None
        rows.append(row)
    dtypes = {
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
    last_stage = aggregate.touchpoints[-1].stage_id if aggregate.touchpoints else None
    default_stage = stages.to_label(last_stage) or (stages.options[0] if stages.options else None)
    config = st.column_config
    emotion_title = "Emotion" if persona is None else f"Emotion · {persona.name}"
    column_config = {
        "Stage": config.SelectboxColumn(
            "Stage", options=stages.options, required=True, default=default_stage, width=170
        ),
        "Touchpoint": config.TextColumn("Touchpoint", required=True, max_chars=200, width=280),
        "Channel": config.SelectboxColumn(
            "Channel",
            options=map_channels(aggregate, extra_channels),
            help="Pick a channel; a new one can be added under the grid.",
            width=90,
        ),
        "Owner": config.TextColumn(
            "Owner", help="The department that owns this touchpoint", max_chars=200
        ),
        "Customer action": config.TextColumn("Customer action", max_chars=5000, width="medium"),
        "Thought": config.TextColumn("Thought", max_chars=5000, width="medium"),
        "Emotion": config.SelectboxColumn(
            emotion_title,
            options=grid.EMOTION_OPTIONS,
            help=EMOTION_HELP
            + ("" if persona is None else f". Only for the persona {persona.name}."),
            width=110,
        ),
        "Effort": config.NumberColumn(
            "Effort", min_value=1, max_value=5, step=1, format="%d", help="1 easy … 5 hard"
        ),
        "Volume": config.NumberColumn(
            "Volume", min_value=0, step=1, format="%d", help="Customers a month"
        ),
        "Drop-off %": config.NumberColumn(
            "Drop-off %",
            min_value=0,
            max_value=100,
            step=0.1,
            format="%.1f",
            help="Share of customers who leave the journey here",
        ),
        "Moment of truth": config.CheckboxColumn(
            "MoT", help="Moment of truth: decides how the customer judges you"
        ),
    }
    return DrawnGrid(
        name="touchpoints",
        entity="touchpoint",
        revision=aggregate.revision,
        variant=f"persona-{persona.id}" if persona else "all",
        rows=rows,
        frame=_frame(rows, dtypes),
        column_config=column_config,
        columns=columns,
        # A persona's view edits emotions of existing touchpoints; new ones are added under
        # "All customers" (their own emotion first, in one transaction).
        num_rows="dynamic" if persona is None else "delete",
        persona_id=persona.id if persona else None,
        emotion_column="Emotion" if persona else None,
    )


def pain_point_grid(aggregate: JourneyAggregate) -> DrawnGrid:
    touchpoints = _touchpoint_choice(aggregate)
    order = {t.id: n for n, t in enumerate(aggregate.touchpoints)}
    columns = GridColumns(
        [
            Column("Touchpoint", "touchpoint_id", touchpoints.to_id, touchpoints.to_label),
            Column("Pain point", "description"),
            Column("Severity", "severity", grid.integer),
            Column("Frequency", "frequency", grid.integer),
        ]
    )
    rows = []
    for pain in sorted(aggregate.pain_points, key=lambda p: (order.get(p.touchpoint_id, 0), p.id)):
        row = columns.display_row(pain)
        row["Score"] = pain.severity * pain.frequency
        row["_label"] = _short(pain.description) or pain.key
        rows.append(row)
    dtypes = {
        "Touchpoint": "object",
        "Pain point": "object",
        "Severity": "Int64",
        "Frequency": "Int64",
        "Score": "Int64",
    }
    config = st.column_config
    return DrawnGrid(
        name="pain_points",
        entity="pain_point",
        revision=aggregate.revision,
        variant="",
        rows=rows,
        frame=_frame(rows, dtypes),
        column_config={
            "Touchpoint": config.SelectboxColumn(
                "Touchpoint", options=touchpoints.options, required=True, width=260
            ),
            "Pain point": config.TextColumn("Pain point", max_chars=5000, width=420),
            "Severity": config.NumberColumn(
                "Severity",
                min_value=1,
                max_value=5,
                step=1,
                format="%d",
                required=True,
                default=3,
                help="1 minor … 5 severe",
            ),
            "Frequency": config.NumberColumn(
                "Frequency",
                min_value=1,
                max_value=5,
                step=1,
                format="%d",
                required=True,
                default=3,
                help="1 rare … 5 every time",
            ),
            "Score": config.NumberColumn(
                "Score", help="Severity × frequency (1…25)", format="%d", disabled=True
            ),
        },
        columns=columns,
        disabled=("Score",),
    )


def opportunity_grid(aggregate: JourneyAggregate) -> DrawnGrid:
    touchpoints = _touchpoint_choice(aggregate)
    pains = grid.Choice(
        {p.id: f"{p.key}: {_short(p.description, 40)}" for p in aggregate.pain_points},
        "pain point",
    )
    columns = GridColumns(
        [
            Column("Opportunity", "title"),
            Column("Touchpoint", "touchpoint_id", touchpoints.to_id, touchpoints.to_label),
            Column("Pain point", "pain_point_id", pains.to_id, pains.to_label),
            Column("Customer value", "customer_value", grid.integer),
            Column("Business value", "business_value", grid.integer),
            Column("Effort", "effort", grid.integer),
            Column("Status", "status", lambda v: grid.text(v) or "idea"),
        ]
    )
    rows = []
    for opportunity in aggregate.opportunities:
        row = columns.display_row(opportunity)
        row["_label"] = opportunity.title
        rows.append(row)
    dtypes = {
        "Opportunity": "object",
        "Touchpoint": "object",
        "Pain point": "object",
        "Customer value": "Int64",
        "Business value": "Int64",
        "Effort": "Int64",
        "Status": "object",
    }
    config = st.column_config
    value_help = "0 none … 100 very high"
    return DrawnGrid(
        name="opportunities",
        entity="opportunity",
        revision=aggregate.revision,
        variant="",
        rows=rows,
        frame=_frame(rows, dtypes),
        column_config={
            "Opportunity": config.TextColumn(
                "Opportunity", required=True, max_chars=200, width=300
            ),
            "Touchpoint": config.SelectboxColumn(
                "Touchpoint", options=touchpoints.options, width=200
            ),
            "Pain point": config.SelectboxColumn("Pain point", options=pains.options, width=200),
            "Customer value": config.NumberColumn(
                "Customer value", min_value=0, max_value=100, step=1, format="%d", help=value_help
            ),
            "Business value": config.NumberColumn(
                "Business value", min_value=0, max_value=100, step=1, format="%d", help=value_help
            ),
            "Effort": config.NumberColumn(
                "Effort", min_value=1, max_value=5, step=1, format="%d", help="1 small … 5 large"
            ),
            "Status": config.SelectboxColumn(
                "Status", options=list(OPPORTUNITY_STATUSES), required=True, default="idea"
            ),
        },
        columns=columns,
    )


def transition_grid(aggregate: JourneyAggregate) -> DrawnGrid:
    touchpoints = _touchpoint_choice(aggregate)
    order = {t.id: n for n, t in enumerate(aggregate.touchpoints)}
    columns = GridColumns(
        [
            Column("From", "source_id", touchpoints.to_id, touchpoints.to_label),
            Column("To", "target_id", touchpoints.to_id, touchpoints.to_label),
            Column("Weight", "weight", lambda v: 1.0 if grid.is_blank(v) else grid.number(v)),
        ]
    )
    outflow: dict[int, float] = {}
    for transition in aggregate.transitions:
        outflow[transition.source_id] = outflow.get(transition.source_id, 0.0) + transition.weight
    rows = []
    for transition in sorted(
        aggregate.transitions,
        key=lambda t: (order.get(t.source_id, 0), order.get(t.target_id, 0), t.id),
    ):
        row = columns.display_row(transition)
        total = outflow[transition.source_id]
        row["Share %"] = round(100 * transition.weight / total, 1) if total else None
        row["_label"] = f"{row['From']} → {row['To']}"
        rows.append(row)
    dtypes = {"From": "object", "To": "object", "Weight": "float64", "Share %": "float64"}
    config = st.column_config
    return DrawnGrid(
        name="transitions",
        entity="transition",
        revision=aggregate.revision,
        variant="",
        rows=rows,
        frame=_frame(rows, dtypes),
        column_config={
            "From": config.SelectboxColumn(
                "From", options=touchpoints.options, required=True, width=340
            ),
            "To": config.SelectboxColumn(
                "To", options=touchpoints.options, required=True, width=340
            ),
            "Weight": config.NumberColumn(
                "Weight",
                min_value=0,
                step=0.01,
                default=1.0,
                help="Relative: a touchpoint's flow splits in proportion to its weights",
            ),
            "Share %": config.NumberColumn(
                "Share %", format="%.1f", disabled=True, help="Share of the From flow"
            ),
        },
        columns=columns,
        disabled=("Share %",),
    )


# ---------------------------------------------------------------- held edits


@dataclass
class Held:
    """Edits that were not saved, and why: shown beside their grid until resolved."""

    kind: Literal["invalid", "conflict", "confirm"]
    message: Message | str
    located: list[tuple[str, Change]]
    drawn: DrawnGrid | None = None
    details: list[str] = field(default_factory=list)


def _slot(map_id: int, name: str) -> str:
    return f"held_{map_id}_{name}"


def held(map_id: int, name: str) -> Held | None:
    found = st.session_state.get(_slot(map_id, name))
    return found if isinstance(found, Held) else None


def generation(map_id: int, name: str) -> int:
    """Bumped whenever a grid or form must start afresh from the database."""
    return int(st.session_state.get(f"{_slot(map_id, name)}_gen", 0))


def _hold(map_id: int, name: str, found: Held) -> None:
    st.session_state[_slot(map_id, name)] = found


def _release(map_id: int, name: str) -> None:
    """Forget held edits; the grid (or form) redraws from the database."""
    st.session_state.pop(_slot(map_id, name), None)
    st.session_state[f"{_slot(map_id, name)}_gen"] = generation(map_id, name) + 1


def _records(aggregate: JourneyAggregate) -> dict[tuple[str, int], Record]:
    found: dict[tuple[str, int], Record] = {}
    for records in (
        aggregate.personas,
        aggregate.stages,
        aggregate.touchpoints,
        aggregate.emotions,
        aggregate.pain_points,
        aggregate.opportunities,
        aggregate.transitions,
        aggregate.feedback,
    ):
        for record in records:
            found[(record.entity, record.as_dict()["id"])] = record
    return found


def submit(
    ctx: Context,
    map_id: int,
    name: str,
    located: list[tuple[str, Change]],
    *,
    drawn: DrawnGrid | None = None,
    revision: int | None = None,
    confirmed: bool = False,
    what: str = "",
) -> bool:
    """Save ``located`` changes in one transaction, or hold them with the reason.

    ``name`` is the grid or form the edits come from; ``revision`` the map revision its rows
    were read at. Deletes that take other rows with them are held for confirmation first.
    Returns True when saved.
    """
    if not located:
        _release(map_id, name)
        return True
    seen_at = revision if revision is not None else (drawn.revision if drawn else None)
    aggregate = (
        cache.content_at(ctx, map_id, seen_at)
        if seen_at is not None
        else services.load_map(ctx, map_id)
    )
    changes = [change for _, change in located]
    deletes = [c for c in changes if c.op == "delete" and c.row_id is not None]
    effects = grid.deletion_effects(aggregate, deletes)
    if not confirmed and effects.anything:
        _hold(
            map_id,
            name,
            Held("confirm", grid.describe_effects(aggregate, deletes, effects), located, drawn),
        )
        return False
    try:
        results = services.apply_changes(ctx, map_id, changes)
    except InvalidInput as error:
        _hold(map_id, name, Held("invalid", _explain(error, located, drawn), located, drawn))
        return False
    except ConflictError as error:
        details = conflict_details(ctx, map_id, aggregate, located)
        _hold(map_id, name, Held("conflict", error.reason, located, drawn, details))
        return False
    except CxmapError as error:
        _hold(map_id, name, Held("invalid", error.reason, located, drawn))
        return False
    _release(map_id, name)
    records = _records(aggregate)
    before = {
        (c.entity, c.row_id): records[(c.entity, c.row_id)].as_dict()
        for c in changes
        if c.row_id is not None and (c.entity, c.row_id) in records
    }
    summary = what or _summary(located, drawn, aggregate)
    if effects.anything:
        forget_undo(map_id)
    else:
        try:
            remember_undo(map_id, summary, grid.inverse(changes, before, results=results))
        except ValueError:
            forget_undo(map_id)
    toast(f"Saved: {summary}")
    return True


def _summary(
    located: Sequence[tuple[str, Change]], drawn: DrawnGrid | None, aggregate: JourneyAggregate
) -> str:
    """What a save did, in a line: ``row 3 “Checkout” · Emotion → 😠 -2``."""
    if len(located) != 1:
        return f"{len(located)} changes"
    where, change = located[0]
    if change.op == "create":
        return f"{where} added"
    if change.op == "delete":
        return f"{where} deleted"
    parts = []
    for name, value in change.values.items():
        column = FIELD_NAMES.get(name, name)
        if drawn is not None:
            persona_column = drawn.emotion_column if change.entity == "emotion" else None
            column = persona_column or drawn.columns.column_of(name)
        parts.append(f"{column} → {describe_value(aggregate, name, value)}")
    return f"{where} · {', '.join(parts)}"


def _explain(
    error: InvalidInput, located: Sequence[tuple[str, Change]], drawn: DrawnGrid | None
) -> str:
    """The error of a refused save, naming the grid row and the column."""
    failing = grid.failing_change(error.where)
    if failing is None or not 0 < failing[0] <= len(located):
        return error.message
    where, change = located[failing[0] - 1]
    column = failing[1]
    if column and drawn is not None:
        if change.entity == "emotion" and column == "score" and drawn.emotion_column:
            column = drawn.emotion_column
        else:
            column = drawn.columns.column_of(column)
    return f"{where}" + (f" · {column}" if column else "") + f": {error.problem}"


# ---------------------------------------------------------------- conflicts


FIELD_NAMES = {
    "stage_id": "stage",
    "touchpoint_id": "touchpoint",
    "pain_point_id": "pain point",
    "source_id": "from",
    "target_id": "to",
    "drop_off": "drop-off",
    "moment_of_truth": "moment of truth",
    "segment_share": "segment share",
    "customer_action": "customer action",
    "customer_value": "customer value",
    "business_value": "business value",
    "behaviors": "behaviours",
    "pain_points": "pain points",
    "score": "emotion",
}


def describe_value(aggregate: JourneyAggregate, name: str, value: Any) -> str:
    """A field's value as the pages show it (faces, percentages, names instead of ids)."""
    if value is None or value == "":
        return "(empty)"
    if name in ("emotion", "score"):
        return grid.emotion_label(value) or "(empty)"
    if name in ("drop_off", "segment_share"):
        return f"{value * 100:g} %"
    references: dict[str, Sequence[Any]] = {
        "stage_id": aggregate.stages,
        "touchpoint_id": aggregate.touchpoints,
        "source_id": aggregate.touchpoints,
        "target_id": aggregate.touchpoints,
        "persona_id": aggregate.personas,
        "pain_point_id": aggregate.pain_points,
    }
    if name in references:
        found = next((r for r in references[name] if r.id == value), None)
        label = found and (getattr(found, "name", "") or _short(found.description) or found.key)
        return f"“{label}”" if label else f"#{value}"
    if isinstance(value, str):
        return f"“{_short(value, 60)}”"
    return str(value)


def conflict_details(
    ctx: Context,
    map_id: int,
    seen: JourneyAggregate,
    located: Sequence[tuple[str, Change]],
) -> list[str]:
    """One line per row someone else changed or deleted since it was read: what they changed
    (fields whose value differs from what the editor saw) and what this editor wanted."""
    now = services.load_map(ctx, map_id)
    current, was = _records(now), _records(seen)
    lines = []
    for where, change in located:
        if change.op == "create" or change.row_id is None:
            continue
        record = current.get((change.entity, change.row_id))
        if record is None:
            lines.append(f"{where}: deleted by someone else.")
            continue
        if record.as_dict()["version"] == change.read_version:
            continue
        values = record.as_dict()
        old = was.get((change.entity, change.row_id))
        read = (
            old.as_dict()
            if old is not None and old.as_dict()["version"] == change.read_version
            else dict(change.read_values or {})
        )
        theirs = [
            f"{FIELD_NAMES.get(k, k)} {describe_value(now, k, v)} → "
            f"{describe_value(now, k, values[k])}"
            for k, v in read.items()
            if k not in ("id", "version", "position") and k in values and values[k] != v
        ]
        mine = [
            f"{FIELD_NAMES.get(k, k)} → {describe_value(now, k, v)}"
            for k, v in change.values.items()
        ]
        text = f"{where}: someone else changed " + ("; ".join(theirs) or "it")
        if change.op == "update":
            text += f". Yours: {'; '.join(mine)}."
        else:
            text += ". You deleted it."
        lines.append(text)
    return lines


def _fresh(
    ctx: Context, map_id: int, located: Sequence[tuple[str, Change]]
) -> tuple[list[tuple[str, Change]], list[str], int]:
    """``located`` re-based on the rows as they are now ("Keep mine"): updates and deletes
    expect the current versions; edits of rows deleted meanwhile are dropped (and named)."""
    now = services.load_map(ctx, map_id)
    current = _records(now)
    emotions = {(e.touchpoint_id, e.persona_id): e for e in now.emotions}
    rebased: list[tuple[str, Change]] = []
    dropped: list[str] = []
    for where, change in located:
        if change.op == "create":
            values = change.values
            pair = (values.get("touchpoint_id"), values.get("persona_id"))
            if change.entity == "emotion" and pair in emotions:
                existing = emotions[pair]  # someone set this persona's emotion meanwhile
                change = Change(
                    "update",
                    "emotion",
                    existing.id,
                    existing.version,
                    {"score": values["score"]},
                    {"score": existing.score},
                )
            rebased.append((where, change))
            continue
        assert change.row_id is not None
        record = current.get((change.entity, change.row_id))
        if record is None:
            dropped.append(where)
            continue
        values = record.as_dict()
        rebased.append(
            (
                where,
                dataclasses.replace(
                    change,
                    read_version=values["version"],
                    read_values={k: values[k] for k in change.values} if change.values else None,
                ),
            )
        )
    return rebased, dropped, now.revision


def _keep_mine(ctx: Context, map_id: int, name: str) -> None:
    found = held(map_id, name)
    if found is None:
        return
    rebased, dropped, revision = _fresh(ctx, map_id, found.located)
    saved = submit(ctx, map_id, name, rebased, drawn=found.drawn, revision=revision, confirmed=True)
    if saved and dropped:
        toast(f"Not saved: {', '.join(dropped)} (deleted by someone else meanwhile)")


def _confirm(ctx: Context, map_id: int, name: str) -> None:
    found = held(map_id, name)
    if found is not None:
        submit(ctx, map_id, name, found.located, drawn=found.drawn, confirmed=True)


def held_message(ctx: Context, map_id: int, name: str) -> None:
    """The message beside a grid or form whose edits are held, with what the user can do."""
    found = held(map_id, name)
    if found is None:
        return
    key = f"{_slot(map_id, name)}_{generation(map_id, name)}"
    if found.kind == "invalid":
        st.error(f"Not saved. {shell.md_words(found.message)}", icon="⚠️")
        if found.drawn is not None:
            st.caption(
                "Nothing in this grid was saved: fix the cell and all your edits here are "
                "saved together, or discard them."
            )
        st.button(
            "Discard my unsaved edits",
            key=f"{key}_discard",
            on_click=_release,
            args=(map_id, name),
        )
    elif found.kind == "confirm":
        st.warning(shell.md_words(found.message), icon="🗑️")
        buttons = st.container(horizontal=True)
        buttons.button(
            "Delete",
            type="primary",
            key=f"{key}_confirm",
            on_click=_confirm,
            args=(ctx, map_id, name),
        )
        buttons.button("Keep them", key=f"{key}_cancel", on_click=_release, args=(map_id, name))
    else:
        lines = "\n".join(f"- {shell.md_escape(line)}" for line in found.details)
        st.warning(
            "**Someone else changed the same row first; nothing of yours was saved.**\n\n"
            + (lines or shell.md_words(found.message)),
            icon="🔀",
        )
        buttons = st.container(horizontal=True)
        buttons.button(
            "Keep mine",
            type="primary",
            key=f"{key}_mine",
            help="Save your values on top of theirs (only the fields you changed)",
            on_click=_keep_mine,
            args=(ctx, map_id, name),
        )
        buttons.button(
            "Take theirs",
            key=f"{key}_theirs",
            help="Discard your edits and show the rows as they are now",
            on_click=_release,
            args=(map_id, name),
        )


def _grid_changed(ctx: Context, map_id: int, drawn: DrawnGrid, key: str) -> None:
    """``on_change`` of a grid: save every edit in it, or hold them all with the reason."""
    state = st.session_state.get(key) or {}
    try:
        located = drawn.edits(state)
    except InvalidInput as error:
        _hold(map_id, drawn.name, Held("invalid", error.reason, [], drawn))
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
        height=_grid_height(len(drawn.rows)),
        placeholder="—",
        on_change=_grid_changed,
        args=(ctx, journey.id, drawn, key),
    )


def _grid_height(rows: int) -> int:
    # Header, rows, the "add row" line and room for the row being added, 35 px each (so
    # adding a row does not scroll the grid under the user's cursor); long grids scroll
    # inside 15 rows.
    return 35 * (min(rows, 15) + 3) + 3


# ---------------------------------------------------------------- undo


@dataclass(frozen=True)
class UndoEntry:
    summary: str
    changes: list[Change]


def _undo_key(map_id: int) -> str:
    return f"undo_{map_id}"


def remember_undo(map_id: int, summary: str, changes: list[Change]) -> None:
    st.session_state[_undo_key(map_id)] = UndoEntry(summary, changes)


def forget_undo(map_id: int) -> None:
    st.session_state.pop(_undo_key(map_id), None)


def _undo(ctx: Context, map_id: int) -> None:
    entry = st.session_state.pop(_undo_key(map_id), None)
    if not isinstance(entry, UndoEntry):
        return
    try:
        services.apply_changes(ctx, map_id, entry.changes)
    except ConflictError as error:
        st.session_state[f"{_undo_key(map_id)}_failed"] = (
            f"Could not undo “{entry.summary}”: {error.message} Your change stays as it is."
        )
        return
    except CxmapError as error:
        st.session_state[f"{_undo_key(map_id)}_failed"] = (
            f"Could not undo “{entry.summary}”: {error.message}"
        )
        return
    toast(f"Undone: {entry.summary}")


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


# ---------------------------------------------------------------- stages


def _rename_stage(ctx: Context, map_id: int, stage: StageRecord, key: str, revision: int) -> None:
    name = st.session_state.get(key, "")
    if name == stage.name:
        return
    change = Change(
        "update", "stage", stage.id, stage.version, {"name": name}, {"name": stage.name}
    )
    submit(
        ctx,
        map_id,
        "stages",
        [(f"stage “{stage.name}”", change)],
        revision=revision,
        what=f"stage “{stage.name}” renamed to “{name.strip()}”",
    )


def _move_stage(ctx: Context, map_id: int, ids: list[int], index: int, step: int) -> None:
    order = list(ids)
    order[index], order[index + step] = order[index + step], order[index]
    try:
        services.reorder(ctx, map_id, "stage", order)
    except CxmapError as error:
        _hold(map_id, "stages", Held("invalid", error.message, []))


def _add_stage(ctx: Context, map_id: int, key: str, revision: int) -> None:
    name = str(st.session_state.get(key) or "").strip()
    if not name:
        _hold(map_id, "stages", Held("invalid", "new stage: name: a stage needs a name", []))
        return
    change = Change("create", "stage", values={"name": name})
    located = [("new stage", change)]
    if submit(ctx, map_id, "stages", located, revision=revision, what=f"stage “{name}” added"):
        st.session_state[key] = ""


def _delete_stage(ctx: Context, map_id: int, stage: StageRecord, revision: int) -> None:
    change = Change("delete", "stage", stage.id, stage.version)
    submit(
        ctx,
        map_id,
        "stages",
        [(f"stage “{stage.name}”", change)],
        revision=revision,
        confirmed=True,
        what=f"stage “{stage.name}” deleted",
    )


def stages_section(ctx: Context, journey: MapRecord, aggregate: JourneyAggregate) -> None:
    """Stages in order: rename in place, move up or down, delete (saying what goes with it)."""
    held_message(ctx, journey.id, "stages")
    gen = generation(journey.id, "stages")
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
            change = Change("delete", "stage", stage.id, stage.version)
            effects = grid.deletion_effects(aggregate, [change])
            st.warning(shell.md_words(grid.describe_effects(aggregate, [change], effects)))
            st.button(
                "Yes, delete this stage",
                type="primary",
                key=f"stage_delete_{stage.id}",
                on_click=_delete_stage,
                args=(ctx, journey.id, stage, aggregate.revision),
            )
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


# ---------------------------------------------------------------- sections


def _persona_picker(journey: MapRecord, aggregate: JourneyAggregate, locked: bool) -> int | None:
    if not aggregate.personas:
        return None
    labels = grid.unique_labels((p.id, p.name, p.key) for p in aggregate.personas)
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


def _add_channel(map_id: int, key: str) -> None:
    channel = str(st.session_state.get(key) or "").strip()[:200]
    if channel:
        extra = st.session_state.setdefault(f"channels_{map_id}", [])
        if channel not in extra:
            extra.append(channel)
        toast(f"Channel “{channel}” added to the Channel column")
    st.session_state[key] = ""


def touchpoints_section(ctx: Context, journey: MapRecord, aggregate: JourneyAggregate) -> None:
    if not aggregate.stages:
        st.info("Add a stage first (tab **Stages**): every touchpoint belongs to a stage.")
        return
    locked = held(journey.id, "touchpoints") is not None
    persona_id = None
    hint = st.container()
    if aggregate.personas:
        picker, hint = st.columns([2, 3], vertical_alignment="bottom")
        with picker:
            persona_id = _persona_picker(journey, aggregate, locked)
    extra = st.session_state.get(f"channels_{journey.id}", [])
    with hint:
        st.caption(
            "Each row is a touchpoint; edits save as you make them (Enter, Tab or leaving the "
            "cell). To add one, click the empty row at the bottom; to delete, tick rows at "
            "the left and press 🗑️ above the grid."
        )
    grid_editor(ctx, journey, touchpoint_grid(aggregate, persona_id, extra))
    if persona_id is not None:
        st.caption(
            "Persona view: add or reorder touchpoints under “All customers”. Clearing a cell "
            "removes the persona's own emotion there."
        )
    channel_key = f"new_channel_{journey.id}"
    left, right, _ = st.columns([2, 1, 3], vertical_alignment="bottom")
    left.text_input(
        "A channel that is not in the list",
        key=channel_key,
        max_chars=200,
        placeholder="e.g. kiosk, WhatsApp",
        disabled=locked,
    )
    right.button(
        "Add channel",
        key=f"add_channel_{journey.id}",
        on_click=_add_channel,
        args=(journey.id, channel_key),
        disabled=locked,
    )


def pain_points_section(ctx: Context, journey: MapRecord, aggregate: JourneyAggregate) -> None:
    if not aggregate.touchpoints:
        st.info("Add touchpoints first: every pain point is a problem at a touchpoint.")
        return
    st.caption(
        "A problem customers meet at a touchpoint: severity 1–5 × frequency 1–5 "
        "(the score feeds the friction of the touchpoint)."
    )
    grid_editor(ctx, journey, pain_point_grid(aggregate))


def opportunities_section(ctx: Context, journey: MapRecord, aggregate: JourneyAggregate) -> None:
    st.caption(
        "Improvement ideas, linked to the touchpoint or pain point they address (both "
        "optional): customer and business value 0–100, effort 1–5, status."
    )
    grid_editor(ctx, journey, opportunity_grid(aggregate))


def default_flow_changes(aggregate: JourneyAggregate) -> list[Change]:
    """The transitions the friction model assumes without explicit ones, as creates."""
    ids = {t.key: t.id for t in aggregate.touchpoints}
    graph = flow.journey_graph(aggregate)
    return [
        Change(
            "create",
            "transition",
            values={"source_id": ids[source], "target_id": ids[target], "weight": float(weight)},
        )
        for source, target, weight in graph.edges(data="weight")
    ]


def _start_default_flow(ctx: Context, map_id: int, revision: int) -> None:
    aggregate = cache.content_at(ctx, map_id, revision)
    changes = default_flow_changes(aggregate)
    submit(
        ctx,
        map_id,
        "transitions",
        [(f"transition {n}", c) for n, c in enumerate(changes, start=1)],
        revision=revision,
        what=f"{len(changes)} transitions of the default stage-by-stage flow added",
    )


def transitions_section(ctx: Context, journey: MapRecord, aggregate: JourneyAggregate) -> None:
    if not aggregate.touchpoints:
        st.info("Add touchpoints first: transitions connect touchpoints.")
        return
    if not aggregate.transitions:
        st.info(
            "This map has no explicit transitions, so the journey flows stage by stage: every "
            "touchpoint of a stage leads to every touchpoint of the next stage that has any, "
            "split by volume (evenly when volumes are missing). Add transitions below to draw "
            "your own paths (loops, skips, alternatives), or start from the default flow."
        )
        count = len(default_flow_changes(aggregate))
        st.button(
            "Start from the default stage-by-stage flow",
            key=f"default_flow_{journey.id}",
            on_click=_start_default_flow,
            args=(ctx, journey.id, aggregate.revision),
            disabled=count == 0 or count > DEFAULT_FLOW_LIMIT,
            help=f"Creates {count} transitions you can then edit"
            + (f" (more than {DEFAULT_FLOW_LIMIT}: too many to edit)" if count > 5000 else ""),
        )
    else:
        st.caption(
            "Explicit transitions: only these paths are used. A touchpoint's flow splits in "
            "proportion to the weights of its transitions (Share %)."
        )
    grid_editor(ctx, journey, transition_grid(aggregate))


REVISION_POLL_SECONDS = 5


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


def builder(ctx: Context, journey: MapRecord) -> None:
    """The whole builder page below its title."""
    aggregate = cache.content(ctx, journey)
    show_toasts()
    revision_watch(ctx, journey)
    # Chosen once per tab and map: adding the first stage must not switch the open tab.
    default = st.session_state.setdefault(
        f"default_section_{journey.id}", "Touchpoints" if aggregate.stages else "Stages"
    )
    tabs = st.tabs(
        list(SECTIONS),
        key="section",
        default=default,
        on_change="rerun",
        bind="query-params",
    )
    sections: dict[str, Callable[[Context, MapRecord, JourneyAggregate], None]] = {
        "Stages": stages_section,
        "Touchpoints": touchpoints_section,
        "Pain points": pain_points_section,
        "Opportunities": opportunities_section,
        "Transitions": transitions_section,
    }
    for label, tab in zip(SECTIONS, tabs, strict=True):
        if tab.open is False:
            continue  # only the open tab runs: a rerun stays fast on large maps
        with tab:
            sections[label](ctx, journey, aggregate)
