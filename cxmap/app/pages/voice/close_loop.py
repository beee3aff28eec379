"""The Close-the-loop tab: pick verbatims, turn them into a pain point or an opportunity that keeps
them as its evidence (:func:`cxmap.services.create_with_evidence`), or correct their sentiment by
hand; see how many verbatims back each pain point and opportunity, and read them.

The picks live in the session (per map), so a search or another filter does not drop them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from cxmap import services
from cxmap.analysis.evidence import (
    NO_VALUE,
    evidence_counts,
    merge_selection,
    touchpoint_labels,
)
from cxmap.app import shell
from cxmap.app.pages.voice.view import (
    MAX_SHOWN,
    VocView,
    no_feedback,
    show_verbatims,
    verbatim_filters,
)
from cxmap.core.records import OPPORTUNITY_STATUSES
from cxmap.render.text import shorten


def _picked_key(view: VocView) -> str:
    return f"voc_picked_{view.map_id}"


def _generation_key(view: VocView) -> str:
    return f"voc_pick_generation_{view.map_id}"


def picked_ids(view: VocView) -> list[int]:
    """The verbatims picked in this browser tab (ids still in the map)."""
    known = set(view.frame["id"].tolist())
    return [i for i in st.session_state.get(_picked_key(view), []) if i in known]


def clear_picks(view: VocView) -> None:
    """Unpick every verbatim in this tab (the table gets a new key: no old selection returns)."""
    st.session_state[_picked_key(view)] = []
    # A new table key: its old selection must not come back.
    st.session_state[_generation_key(view)] = st.session_state.get(_generation_key(view), 0) + 1


def close_the_loop(view: VocView) -> None:
    """The Close-the-loop tab: pick verbatims; make them a pain point's or an opportunity's
    evidence, or correct their sentiment; see how much evidence each item has (a viewer: only
    that)."""
    if not view.editable:
        shell.read_only_note()
        evidence_tables(view)
        return
    if view.frame.empty:
        no_feedback()
        evidence_tables(view)
        return
    st.markdown(
        "Pick the verbatims that show a problem or an idea (tick their rows; searches keep "
        "your picks), then turn them into a **pain point** or an **opportunity** on the map. "
        "They stay linked to it as its evidence, so anyone can read why it is there."
    )
    rows = verbatim_filters(view, "loop")
    shown = rows.head(MAX_SHOWN)
    shown_ids = shown["id"].tolist()
    picked = picked_ids(view)
    position = {feedback_id: n for n, feedback_id in enumerate(shown_ids)}
    generation = st.session_state.get(_generation_key(view), 0)
    event = show_verbatims(
        shown,
        # The key follows the rows shown: a row number from another list must never pick
        # another verbatim. A new list starts from the picks kept in the session.
        shell.list_key("voc_pick", view.map_id, view.revision, generation, shown_ids),
        on_select="rerun",
        selection_mode="multi-row",
        selection_default={
            "selection": {"rows": [position[i] for i in picked if i in position], "columns": []}
        },
    )
    selected = event.selection.rows if event else []
    picked = merge_selection(picked, shown_ids, selected)
    st.session_state[_picked_key(view)] = picked
    chosen = view.frame.set_index("id").loc[picked].reset_index() if picked else view.frame.head(0)
    _picked_summary(view, chosen)
    pain, opportunity = st.columns(2)
    with pain:
        item_form(view, chosen, PAIN_POINT_FORM)
    with opportunity:
        item_form(view, chosen, OPPORTUNITY_FORM)
    sentiment_form(view, chosen)
    evidence_tables(view)


def _picked_summary(view: VocView, chosen: pd.DataFrame) -> None:
    if chosen.empty:
        st.caption("No verbatim picked yet: tick rows in the table.")
        return
    text, clear = st.columns([5, 1], vertical_alignment="center")
    text.markdown(
        f"**{len(chosen)} verbatim{'s' if len(chosen) > 1 else ''} picked**, first: "
        f"“{shell.md_escape(shorten(chosen['text'].iloc[0], 160))}”"
    )
    clear.button("Clear picks", key="voc_clear_picks", on_click=clear_picks, args=(view,))


def _first_touchpoint(chosen: pd.DataFrame) -> int | None:
    linked = chosen["touchpoint_id"].dropna()
    return int(linked.iloc[0]) if len(linked) else None


@dataclass(frozen=True)
class ItemForm:
    """What differs between the forms that make a pain point and an opportunity of the picks:
    the entity, its words, the fields drawn inside the form, and how the success names it."""

    entity: str  # "pain_point" or "opportunity" (cxmap.services.create_with_evidence)
    noun: str
    heading: str
    form_key: str
    fields: Callable[[VocView, pd.DataFrame, Mapping[int, str]], dict[str, Any]]
    what: Callable[[Mapping[str, Any], Mapping[int, str]], str]
    needs_touchpoint: bool = False


def item_form(view: VocView, chosen: pd.DataFrame, kind: ItemForm) -> None:
    """The form that creates ``kind`` from the picked verbatims, which become its evidence."""
    labels = touchpoint_labels(view.structure)
    st.markdown(f"##### {kind.heading}")
    if kind.needs_touchpoint and not labels:
        st.info(f"This map has no touchpoints yet: a {kind.noun} sits at a touchpoint.")
        return
    ids_picked = chosen["id"].tolist()
    with st.form(shell.list_key(kind.form_key, view.revision, ids_picked), border=True):
        values = kind.fields(view, chosen, labels)
        submitted = st.form_submit_button(
            f"Create {kind.noun}", type="primary", disabled=chosen.empty
        )
    if submitted:
        _create(view, kind.entity, values, ids_picked, kind.what(values, labels))


def _touchpoint_box(
    where: Any, options: list[Any], chosen: pd.DataFrame, labels: Mapping[int, str]
) -> Any:
    """The touchpoint to create it at: the first picked verbatim's, by default."""
    first = _first_touchpoint(chosen)
    return where.selectbox(
        "Touchpoint",
        options,
        index=options.index(first) if first in options else 0,
        format_func=lambda t: NO_VALUE if t is None else labels[t],
    )


def _pain_point_fields(
    view: VocView, chosen: pd.DataFrame, labels: Mapping[int, str]
) -> dict[str, Any]:
    """A pain point at a touchpoint, described by the first picked verbatim by default."""
    touchpoint = _touchpoint_box(st, list(labels), chosen, labels)
    description = st.text_area(
        "Description",
        value=shorten(chosen["text"].iloc[0], 5000) if len(chosen) else "",
        max_chars=5000,
        help="Prefilled with the first picked verbatim: say it in the team's words.",
    )
    severity, frequency = st.columns(2)
    return {
        "touchpoint_id": touchpoint,
        "description": description,
        "severity": severity.slider("Severity", 1, 5, 3, help="1 minor … 5 severe"),
        "frequency": frequency.slider("Frequency", 1, 5, 3, help="1 rare … 5 constant"),
    }


def _opportunity_fields(
    view: VocView, chosen: pd.DataFrame, labels: Mapping[int, str]
) -> dict[str, Any]:
    """An improvement idea, at a touchpoint and for a pain point when it has them."""
    pains = {p.id: f"{p.key}: {shorten(p.description, 60)}" for p in view.structure.pain_points}
    title = st.text_input(
        "Title", max_chars=200, placeholder="e.g. Text customers the technician's arrival time"
    )
    where, pain = st.columns(2)
    touchpoint = _touchpoint_box(where, [None, *labels], chosen, labels)
    pain_point = pain.selectbox(
        "For pain point",
        [None, *pains],
        format_func=lambda p: NO_VALUE if p is None else pains[p],
    )
    customer, business = st.columns(2)
    values = {
        "title": title,
        "touchpoint_id": touchpoint,
        "pain_point_id": pain_point,
        "customer_value": customer.slider("Customer value", 0, 100, 50),
        "business_value": business.slider("Business value", 0, 100, 50),
    }
    effort, status = st.columns(2)
    values["effort"] = effort.slider("Effort", 1, 5, 3, help="1 small … 5 large")
    values["status"] = status.selectbox("Status", OPPORTUNITY_STATUSES)
    return values


PAIN_POINT_FORM = ItemForm(
    "pain_point",
    "pain point",
    "Create a pain point",
    "voc_pain_form",
    _pain_point_fields,
    lambda values, labels: f"pain point at {labels[values['touchpoint_id']]}",
    needs_touchpoint=True,
)
OPPORTUNITY_FORM = ItemForm(
    "opportunity",
    "opportunity",
    "Create an opportunity",
    "voc_opportunity_form",
    _opportunity_fields,
    lambda values, labels: f"opportunity “{values['title'].strip()}”",
)


def _create(
    view: VocView, entity: str, values: Mapping[str, Any], feedback_ids: list[int], what: str
) -> None:
    created = shell.run_action(
        lambda: services.create_with_evidence(view.ctx, view.map_id, entity, values, feedback_ids)
    )
    if created is not None:
        n = len(feedback_ids)
        key = getattr(created, "key", "")
        shell.flash(f"Created {what} ({key}) with {n} verbatim{'s' if n > 1 else ''} as evidence.")
        clear_picks(view)
        st.rerun()


def sentiment_form(view: VocView, chosen: pd.DataFrame) -> None:
    """Correct the sentiment of the picked verbatims by hand (the model misreads irony,
    and does not read other languages than English)."""
    st.markdown("##### Correct the sentiment")
    with st.form(shell.list_key("voc_sentiment_form", view.revision, chosen["id"].tolist())):
        label = st.radio(
            "Sentiment of the picked verbatims",
            ["negative", "neutral", "positive"],
            horizontal=True,
            help="Stored as −0.5, 0 or +0.5, marked as set by a person; the model never "
            "overwrites it.",
        )
        submitted = st.form_submit_button("Set sentiment", disabled=chosen.empty)
    if submitted:
        rows = list(zip(chosen["id"].tolist(), chosen["version"].tolist(), strict=True))
        # One transaction for all: on a conflict nothing is saved and the error stays on
        # screen (no rerun), so nobody believes the other rows were set.
        saved = shell.run_action(
            partial(services.set_sentiments, view.ctx, view.map_id, rows, label)
        )
        if saved is not None:
            shell.flash(
                f"Set the sentiment of {len(saved)} verbatim{'s' if len(saved) > 1 else ''} "
                f"to {label}."
            )
            st.rerun()


def evidence_tables(view: VocView) -> None:
    """Each pain point and opportunity with how many verbatims back it; read them."""
    pains, opportunities = evidence_counts(view.structure)
    st.subheader("Evidence on the map")
    if pains.empty and opportunities.empty:
        st.caption("The map has no pain points or opportunities yet.")
        return
    evidence_column = st.column_config.NumberColumn(
        "Verbatims", help="How many verbatims back it (its evidence)", width="small"
    )
    wide = st.column_config.TextColumn(width="large")
    backed: list[tuple[str, int, str]] = []  # (entity, id, what it says) of those with evidence
    for entity, table, name, key in (
        ("pain_point", pains, "Pain point", "voc_pains"),
        ("opportunity", opportunities, "Opportunity", "voc_opps"),
    ):
        st.dataframe(
            table.drop(columns="id"),
            hide_index=True,
            width="stretch",
            key=key,
            column_config={"Verbatims": evidence_column, name: wide},
        )
        backed += [
            (entity, r["id"], f"{r['Key']}: {r[name]}")
            for r in table.to_dict("records")
            if r["Verbatims"]
        ]
    if not backed:
        st.caption("None of them has verbatims as evidence yet: pick some above.")
        return
    choice = st.selectbox(
        "Read the evidence of",
        range(len(backed)),
        format_func=lambda n: shorten(backed[n][2], 120),
        key="voc_evidence_of",
    )
    entity, item_id, _ = backed[choice or 0]
    field = "pain_point_id" if entity == "pain_point" else "opportunity_id"
    ids = [e.feedback_id for e in view.structure.evidence if getattr(e, field) == item_id]
    rows = view.frame[view.frame["id"].isin(ids)]
    show_verbatims(rows, "voc_evidence_rows")
