"""The one save path of the editing pages, and *held* edits.

:func:`submit` writes a grid's or form's changes with ``services.apply_changes`` in one
transaction. When the write is refused (a bad value, someone else's edit of the same row, or
a delete that takes other rows with it) the edits are *held* in the session under the grid's
or form's name: the grid is drawn again from exactly the rows the user edited, under the same
key, so their edits stay on screen, and :func:`held_message` says beside it what is wrong and
what they can do (fix the cell, Keep mine / Take theirs, Delete / Keep them). Nothing is ever
half-saved and nothing is silently dropped. A save is remembered for undo
(:mod:`cxmap.app.widgets.undo`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import streamlit as st

from cxmap import services
from cxmap.app import cache, shell
from cxmap.app.widgets import grid_changes
from cxmap.app.widgets.conflicts import (
    conflict_details,
    describe_value,
    field_label,
    rebased,
    records,
)
from cxmap.app.widgets.drawn import DrawnGrid
from cxmap.app.widgets.grid_ledger import Step
from cxmap.app.widgets.notices import toast
from cxmap.app.widgets.undo import forget_undo, remember_undo
from cxmap.core.context import Context
from cxmap.core.errors import ConflictError, CxmapError, InvalidInput
from cxmap.core.messages import Message
from cxmap.core.records import Change, JourneyAggregate, Record


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
    """The held edits of grid or form ``name`` of the map, if any."""
    found = st.session_state.get(_slot(map_id, name))
    return found if isinstance(found, Held) else None


def generation(map_id: int, name: str) -> int:
    """Bumped whenever a grid or form must start afresh from the database."""
    return int(st.session_state.get(f"{_slot(map_id, name)}_gen", 0))


def hold(map_id: int, name: str, found: Held) -> None:
    """Hold edits of grid or form ``name`` (they stay on screen with ``found``'s message)."""
    st.session_state[_slot(map_id, name)] = found


def release(map_id: int, name: str) -> None:
    """Forget held edits; the grid (or form) redraws from the database."""
    st.session_state.pop(_slot(map_id, name), None)
    st.session_state[f"{_slot(map_id, name)}_gen"] = generation(map_id, name) + 1


def save_steps(
    ctx: Context,
    map_id: int,
    name: str,
    steps: Sequence[Step],
    drawn: DrawnGrid,
    revision: int,
    on_saved: Callable[[list[Step], list[Record | None]], None],
) -> str:
    """Save a grid's pending ``steps`` (see :mod:`~cxmap.app.widgets.grid_ledger`) in one
    transaction, and hold those that cannot be saved, with the reason, beside the grid.

    A cell that cannot be converted or a value the services refuse holds that one step (the
    others are saved); a delete that takes other rows with it waits for a confirmation;
    a conflict with someone else's edit holds them all. ``revision``: the map's revision
    when the grid last saved. ``on_saved(steps, results)`` is called right after the commit,
    before anything touches ``st.session_state``: every session-state access is a point where
    Streamlit may stop the run for a newer one, and what was committed must be recorded
    first. Returns the save in words ("" when nothing was saved).
    """
    refused: list[tuple[Step, CxmapError]] = [
        (step, step.problem) for step in steps if step.problem is not None
    ]
    ready = [step for step in steps if step.change is not None]
    if not ready and not refused:
        clear_held(map_id, name)
        return ""
    aggregate = cache.content_at(ctx, map_id, revision)
    deletes = [c for _, c in _located(ready) if c.op == "delete" and c.row_id is not None]
    effects = grid_changes.deletion_effects(aggregate, deletes)
    waiting = [s for s in ready if s.change in deletes] if effects.anything else []
    ready = [s for s in ready if s not in waiting]
    results: list[Record | None] = []
    while ready:
        try:
            results = services.apply_changes(ctx, map_id, [c for _, c in _located(ready)])
            on_saved(ready, results)
            break
        except InvalidInput as error:
            failing = grid_changes.failing_change(error.where)
            if failing is None or not 0 < failing[0] <= len(ready):
                refused += [(s, error) for s in ready]
                ready = []
                break
            step = ready.pop(failing[0] - 1)
            refused.append((step, InvalidInput(failing[1], error.problem)))
        except ConflictError as conflict:
            located = _located(ready)
            details = conflict_details(ctx, map_id, aggregate, located)
            hold(map_id, name, Held("conflict", conflict.reason, located, drawn, details))
            return ""
        except CxmapError as other:
            refused += [(s, other) for s in ready]
            ready = []
    if refused:
        first, problem = refused[0]
        message = _step_problem(first, problem, drawn)
        hold(map_id, name, Held("invalid", message, _located(s for s, _ in refused), drawn))
    elif waiting:
        question = grid_changes.describe_effects(aggregate, deletes, effects)
        hold(map_id, name, Held("confirm", question, _located(waiting), drawn))
    else:
        clear_held(map_id, name)
    if not ready:
        return ""
    located = _located(ready)
    summary = _summary(located, drawn, aggregate)
    changes = [change for _, change in located]
    before = {
        (c.entity, c.row_id): record.as_dict()
        for c in changes
        if c.row_id is not None and (record := records(aggregate).get((c.entity, c.row_id)))
    }
    try:
        remember_undo(map_id, summary, grid_changes.inverse(changes, before, results=results))
    except ValueError:
        forget_undo(map_id)
    return summary


def clear_held(map_id: int, name: str) -> None:
    """Forget the message of held edits (they were saved); the grid stays as it is."""
    st.session_state.pop(_slot(map_id, name), None)


def _located(steps: Iterable[Step]) -> list[tuple[str, Change]]:
    return [(step.where, step.change) for step in steps if step.change is not None]


def _step_problem(step: Step, error: CxmapError, drawn: DrawnGrid) -> str:
    """Why a step was not saved, naming its grid row and column."""
    if not isinstance(error, InvalidInput):
        return f"{step.where}: {error.message}"
    where = error.where
    if " · " in where:  # "row 3 · Effort" from converting the cell
        return f"{where}: {error.problem}"
    column = where
    if column and step.change is not None:
        if step.change.entity == "emotion" and column == "score" and drawn.emotion_column:
            column = drawn.emotion_column
        else:
            column = drawn.columns.column_of(column)
    return f"{step.where}" + (f" · {column}" if column else "") + f": {error.problem}"


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
        release(map_id, name)
        return True
    seen_at = revision if revision is not None else (drawn.revision if drawn else None)
    aggregate = (
        cache.content_at(ctx, map_id, seen_at)
        if seen_at is not None
        else services.load_map(ctx, map_id)
    )
    changes = [change for _, change in located]
    deletes = [c for c in changes if c.op == "delete" and c.row_id is not None]
    effects = grid_changes.deletion_effects(aggregate, deletes)
    if not confirmed and effects.anything:
        hold(
            map_id,
            name,
            Held(
                "confirm",
                grid_changes.describe_effects(aggregate, deletes, effects),
                located,
                drawn,
            ),
        )
        return False
    try:
        results = services.apply_changes(ctx, map_id, changes)
    except InvalidInput as error:
        hold(map_id, name, Held("invalid", _explain(error, located, drawn), located, drawn))
        return False
    except ConflictError as error:
        details = conflict_details(ctx, map_id, aggregate, located)
        hold(map_id, name, Held("conflict", error.reason, located, drawn, details))
        return False
    except CxmapError as error:
        hold(map_id, name, Held("invalid", error.reason, located, drawn))
        return False
    release(map_id, name)
    found = records(aggregate)
    before = {
        (c.entity, c.row_id): found[(c.entity, c.row_id)].as_dict()
        for c in changes
        if c.row_id is not None and (c.entity, c.row_id) in found
    }
    summary = what or _summary(located, drawn, aggregate)
    if effects.anything:
        forget_undo(map_id)
    else:
        try:
            remember_undo(map_id, summary, grid_changes.inverse(changes, before, results=results))
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
        column = field_label(change.entity, name)
        if drawn is not None:
            persona_column = drawn.emotion_column if change.entity == "emotion" else None
            column = persona_column or drawn.columns.column_of(name)
        parts.append(f"{column} → {describe_value(aggregate, change.entity, name, value)}")
    return f"{where} · {', '.join(parts)}"


def _explain(
    error: InvalidInput, located: Sequence[tuple[str, Change]], drawn: DrawnGrid | None
) -> str:
    """The error of a refused save, naming the grid row and the column."""
    failing = grid_changes.failing_change(error.where)
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


def _keep_mine(ctx: Context, map_id: int, name: str) -> None:
    found = held(map_id, name)
    if found is None:
        return
    kept, dropped, revision = rebased(ctx, map_id, found.located)
    saved = submit(ctx, map_id, name, kept, drawn=found.drawn, revision=revision, confirmed=True)
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
                "Your other edits here are saved. Fix the cell and it is saved too, or "
                "discard what is not saved (the grid shows the map as saved)."
            )
        st.button(
            "Discard my unsaved edits",
            key=f"{key}_discard",
            on_click=release,
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
        buttons.button("Keep them", key=f"{key}_cancel", on_click=release, args=(map_id, name))
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
            on_click=release,
            args=(map_id, name),
        )
