"""The personas page's pieces: one card per persona; add, edit, duplicate and delete.

Personas belong to one map (docs/architecture.md). Edits go through the same save path as the
builder's grids (:func:`cxmap.app.widgets.saving.submit`): one transaction, conflicts shown with
Keep mine / Take theirs, the last change undoable.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import streamlit as st

from cxmap import services
from cxmap.app import cache, shell
from cxmap.app.widgets import notices, saving, undo
from cxmap.core.context import Context
from cxmap.core.errors import CxmapError
from cxmap.core.records import Change, JourneyAggregate, MapRecord, PersonaRecord

SLOT = "personas"
# A persona's texts by field, with their titles, in the order a card shows them.
PROFILE = {
    "goals": "🎯 Goals",
    "needs": "🧰 Needs",
    "motivations": "🔥 Motivations",
    "behaviors": "🚶 Behaviours",
    "pain_points": "😣 Pain points",
}
TEXT_FIELDS = ("description", *PROFILE)
AVATAR_COLOURS = ("blue", "green", "orange", "red", "violet", "gray")


def avatar(name: str) -> tuple[str, str]:
    """Initials and a colour for a persona, derived from its name (nothing extra is stored).

    >>> avatar("Busy parent"), avatar("  tech-savvy remote worker")[0], avatar("")[0]
    (('BP', 'gray'), 'TR', '?')
    """
    words = [w for w in name.split() if any(ch.isalnum() for ch in w)]
    initials = "".join(next(ch for ch in w if ch.isalnum()) for w in words[:2]).upper() or "?"
    digest = hashlib.sha1(name.strip().casefold().encode()).digest()
    return initials, AVATAR_COLOURS[digest[0] % len(AVATAR_COLOURS)]


def share_text(share: float | None) -> str:
    """How a card states the segment share.

    >>> share_text(0.45), share_text(None)
    ('45 % of customers', 'segment share not set')
    """
    return "segment share not set" if share is None else f"{share * 100:g} % of customers"


# ---------------------------------------------------------------- form values


def _keys(prefix: str) -> dict[str, str]:
    return {name: f"{prefix}_{name}" for name in ("name", *TEXT_FIELDS, "share")}


def _form_values(keys: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {"name": str(st.session_state.get(keys["name"]) or "")}
    for name in TEXT_FIELDS:
        values[name] = str(st.session_state.get(keys[name]) or "")
    share = st.session_state.get(keys["share"])
    values["segment_share"] = (
        None
        if share is None or (isinstance(share, float) and math.isnan(share))
        else round(float(share) / 100, 6)
    )
    return values


def _persona_fields(keys: dict[str, str], persona: PersonaRecord | None) -> None:
    """The inputs of a persona (empty for a new one)."""
    st.text_input(
        "Name",
        value=persona.name if persona else "",
        key=keys["name"],
        max_chars=200,
        placeholder="e.g. Busy parent",
    )
    st.text_area(
        "Short description",
        value=persona.description if persona else "",
        key=keys["description"],
        max_chars=5000,
        height=80,
    )
    left, right = st.columns(2)
    for number, (name, title) in enumerate(PROFILE.items()):
        (left if number % 2 == 0 else right).text_area(
            title,
            value=getattr(persona, name) if persona else "",
            key=keys[name],
            max_chars=5000,
            height=90,
        )
    share = persona.segment_share if persona else None
    right.number_input(
        "Segment share (% of customers)",
        min_value=0.0,
        max_value=100.0,
        step=1.0,
        value=None if share is None else round(share * 100, 4),
        key=keys["share"],
        placeholder="e.g. 40",
        help="Leave empty when not known",
    )


# ---------------------------------------------------------------- actions


def _add(ctx: Context, journey: MapRecord, keys: dict[str, str]) -> None:
    values = _form_values(keys)
    change = Change("create", "persona", values=values)
    name = values["name"].strip() or "new persona"
    if saving.submit(
        ctx,
        journey.id,
        SLOT,
        [("new persona", change)],
        revision=journey.revision,
        what=f"persona “{name}” added",
    ):
        for name_key, key in keys.items():
            st.session_state[key] = None if name_key == "share" else ""
        st.session_state[f"adding_personas_{journey.id}"] = True  # the form stays open


def _editing_key(map_id: int) -> str:
    return f"editing_persona_{map_id}"


def _start_editing(map_id: int, persona: PersonaRecord) -> None:
    # The record as the form was opened: the form keeps showing what the user typed over it
    # (and saves against its version) until it is saved, cancelled or a conflict is resolved.
    st.session_state[_editing_key(map_id)] = {"persona": persona, "held": False}


def _stop_editing(map_id: int) -> None:
    st.session_state.pop(_editing_key(map_id), None)


def _save(ctx: Context, journey: MapRecord, persona: PersonaRecord, keys: dict[str, str]) -> None:
    wanted = _form_values(keys)
    seen = persona.as_dict()
    changed = {k: v for k, v in wanted.items() if seen[k] != v}
    if not changed:
        _stop_editing(journey.id)
        return
    change = Change(
        "update",
        "persona",
        persona.id,
        persona.version,
        changed,
        {k: seen[k] for k in changed},
    )
    if saving.submit(
        ctx,
        journey.id,
        SLOT,
        [(f"persona “{persona.name}”", change)],
        revision=journey.revision,
        what=f"persona “{persona.name}” edited",
    ):
        _stop_editing(journey.id)
    else:
        st.session_state[_editing_key(journey.id)]["held"] = True


def _duplicate(ctx: Context, journey: MapRecord, persona: PersonaRecord) -> None:
    """Copy a persona with how it feels at each touchpoint (one transaction)."""
    try:
        copy = services.duplicate_persona(ctx, journey.id, persona.id)
    except CxmapError as error:
        st.session_state[f"{SLOT}_failed_{journey.id}"] = (
            f"Could not duplicate {persona.name}: {error.message}"
        )
        return
    undo.remember_undo(
        journey.id,
        f"persona “{persona.name}” duplicated",
        [Change("delete", "persona", copy.id, copy.version)],
    )
    notices.toast(f"Duplicated {persona.name} as {copy.name} (with its emotions).")


def _delete(ctx: Context, journey: MapRecord, persona: PersonaRecord) -> None:
    saving.submit(
        ctx,
        journey.id,
        SLOT,
        [(f"persona “{persona.name}”", Change("delete", "persona", persona.id, persona.version))],
        revision=journey.revision,
        confirmed=True,
        what=f"persona “{persona.name}” deleted",
    )


# ---------------------------------------------------------------- cards


def _card(
    ctx: Context, journey: MapRecord, aggregate: JourneyAggregate, p: PersonaRecord, editable: bool
) -> None:
    initials, colour = avatar(p.name)
    emotions = sum(1 for e in aggregate.emotions if e.persona_id == p.id)
    st.markdown(
        f"### :{colour}-background[**{shell.md_escape(initials)}**] {shell.md_escape(p.name)}"
    )
    feelings = (
        f" · emotions recorded at {emotions} of {len(aggregate.touchpoints)} touchpoints"
        if aggregate.touchpoints
        else ""
    )
    st.caption(share_text(p.segment_share) + feelings)
    if p.description:
        st.markdown(shell.md_escape(p.description))
    for name, title in PROFILE.items():
        text = getattr(p, name)
        if text:
            st.markdown(f"**{title}**  \n{shell.md_escape(text)}")
    if not editable:
        return
    edit, duplicate, delete = st.columns(3)
    edit.button(
        "✏️ Edit",
        key=f"persona_edit_{p.id}",
        on_click=_start_editing,
        args=(journey.id, p),
        width="stretch",
    )
    duplicate.button(
        "📄 Duplicate",
        key=f"persona_duplicate_{p.id}",
        on_click=_duplicate,
        args=(ctx, journey, p),
        width="stretch",
    )
    with delete.popover("🗑️ Delete", width="stretch"):
        notices.confirm_delete(aggregate, p, _delete, (ctx, journey, p))


def _edit_form(ctx: Context, journey: MapRecord, persona: PersonaRecord) -> None:
    gen = saving.generation(journey.id, SLOT)
    keys = _keys(f"persona_{persona.id}_{persona.version}_{gen}")
    with st.form(f"persona_form_{persona.id}_{persona.version}_{gen}"):
        st.markdown(f"#### ✏️ {shell.md_escape(persona.name)}")
        _persona_fields(keys, persona)
        save, cancel, _ = st.columns([1, 1, 2])
        save.form_submit_button(
            "Save", type="primary", on_click=_save, args=(ctx, journey, persona, keys)
        )
        cancel.form_submit_button("Cancel", on_click=_stop_editing, args=(journey.id,))


def _add_form(ctx: Context, journey: MapRecord, aggregate: JourneyAggregate) -> None:
    adding = st.session_state.get(f"adding_personas_{journey.id}", False)
    with st.expander("➕ Add a persona", expanded=adding or not aggregate.personas):
        keys = _keys(f"new_persona_{journey.id}")
        with st.form(f"new_persona_form_{journey.id}", border=False):
            _persona_fields(keys, None)
            st.form_submit_button(
                "Add persona", type="primary", on_click=_add, args=(ctx, journey, keys)
            )


def personas_page(ctx: Context, journey: MapRecord, editable: bool = True) -> None:
    """Everything below the page title (cards only, no add, edit or delete, unless
    ``editable``)."""
    aggregate = cache.content(ctx, journey)
    notices.show_toasts()
    notices.revision_watch(ctx, journey)
    failed = st.session_state.pop(f"{SLOT}_failed_{journey.id}", None)
    if failed:
        st.error(shell.md_escape(failed), icon="⚠️")
    saving.held_message(ctx, journey.id, SLOT)
    shares = [p.segment_share for p in aggregate.personas if p.segment_share is not None]
    if sum(shares) > 1.0001:
        st.warning(
            f"The segment shares add up to {sum(shares) * 100:g} %: more than all customers. "
            "Personas may overlap; if they should not, lower some shares."
        )
    if editable:
        _add_form(ctx, journey, aggregate)
    else:
        shell.read_only_note()
    if not aggregate.personas:
        st.info(
            "No personas yet. A persona is a research-based archetype of a customer group: "
            "their goals, needs, motivations, behaviours and pain points. With personas, the "
            "journey builder can record how each of them feels at every touchpoint."
        )
        return
    editing = st.session_state.get(_editing_key(journey.id))
    if editing and editing["held"] and saving.held(journey.id, SLOT) is None:
        _stop_editing(journey.id)  # Keep mine saved it, or Take theirs dropped the edit
        editing = None
    columns = st.columns(2)
    for number, persona in enumerate(aggregate.personas):
        with columns[number % 2].container(border=True):
            if editable and editing and editing["persona"].id == persona.id:
                _edit_form(ctx, journey, editing["persona"])
            else:
                _card(ctx, journey, aggregate, persona, editable)
