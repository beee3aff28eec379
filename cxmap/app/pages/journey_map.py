"""The Journey Map page's pieces: filters, the legend and the swimlane canvas with its curve.

The canvas is plain HTML from :mod:`cxmap.render.canvas` (escaped, CSS inline, nothing loaded from
elsewhere) shown with ``st.html`` (sanitised, not in an iframe, scripts stripped) above and below
the plotly emotion curve (:func:`cxmap.render.charts.emotion_curve`). The three sit in one container
that scrolls sideways, so the curve stays under its touchpoint columns. Both are cached by
(map id, revision, filters, personas).

"Edit on the canvas" (:func:`editing`, off by default) swaps it for the editable canvas
(:mod:`cxmap.app.widgets.canvas_editor`), a component drawn in the same look.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from cxmap.analysis import scoring
from cxmap.analysis.scoring import JourneyAnalysis
from cxmap.app import cache, shell
from cxmap.app.widgets import canvas_editor, notices, undo
from cxmap.core.context import Context
from cxmap.core.records import JourneyAggregate, MapRecord
from cxmap.render import canvas, charts

NO_OWNER = "(no owner)"
_CHART_CONFIG = {"displayModeBar": False, "scrollZoom": False, "doubleClick": False}


# ---------------------------------------------------------------- cached work


@st.cache_data(show_spinner=False, max_entries=64)
def _canvas(
    _ctx: Context,
    database_url: str,
    map_id: int,
    revision: int,
    channels: tuple[str, ...],
    owners: tuple[str, ...],
    hide_others: bool,
    persona_ids: tuple[int, ...],
) -> tuple[canvas.CanvasHtml, go.Figure]:
    aggregate = cache.content_at(_ctx, map_id, revision)
    analysis = cache.analysis_at(_ctx, map_id, revision)
    filters = canvas.CanvasFilters(channels, owners, hide_others)
    html = canvas.journey_canvas(aggregate, analysis, filters, persona_ids)
    figure = charts.emotion_curve(
        aggregate, analysis, persona_ids, filters=filters, show_legend=False
    )
    return html, figure


# ---------------------------------------------------------------- the page's pieces


@dataclass(frozen=True)
class MapView:
    """What the canvas shows: which personas' lines, and which touchpoints stand out."""

    persona_ids: tuple[int, ...]
    filters: canvas.CanvasFilters


def editing(ctx: Context, journey: MapRecord) -> bool:
    """The "Edit on the canvas" switch (off by default: the map as people read it), with the
    undo button of this tab's last change beside it while it is on; none for a viewer."""
    if not shell.can_edit(ctx, journey):
        return False
    switch, undo_slot = st.columns([5, 1], vertical_alignment="center")
    on = switch.toggle(
        "✏️ Edit on the canvas",
        key=f"map_edit_{journey.id}",
        help="Edit the map where you see it: click a card to edit it, add touchpoints, drag "
        "cards (or Alt+arrow keys) to move them, click the curve to set emotions, add pain "
        "points and opportunities. Every change is saved at once.",
    )
    if on:
        with undo_slot:
            undo.undo_button(ctx, journey)
    return bool(on)


def no_map() -> None:
    """What the page says when no map is selected, with a link to the home page."""
    st.info("No map is selected. Pick or create a map on the home page, then come back here.")
    st.page_link("app.py", label="Go to the journey maps", icon="🗺️")


def load(ctx: Context, journey: MapRecord) -> tuple[JourneyAggregate, JourneyAnalysis]:
    """The selected map and its analysis (cached by map id and revision)."""
    return cache.content(ctx, journey), cache.analysis(ctx, journey)


def header(journey: MapRecord, aggregate: JourneyAggregate, analysis: JourneyAnalysis) -> None:
    """The map's name, then its state, counts, moments of truth and revision on one line."""
    st.subheader(shell.md_escape(journey.name))
    st.caption(
        f"{journey.state.capitalize()} state · {len(aggregate.stages)} stages · "
        f"{len(aggregate.touchpoints)} touchpoints · {len(aggregate.personas)} personas · "
        f"{len(analysis.moments_of_truth)} moments of truth · revision {journey.revision}"
    )


def empty_map(aggregate: JourneyAggregate) -> None:
    """Guidance for a map with nothing to draw yet."""
    if not aggregate.stages:
        first = "This map has no stages yet. Add stages (for example Awareness → Loyalty)"
    else:
        names = ", ".join(s.name for s in aggregate.stages[:6])
        first = f"This map has stages ({shell.md_escape(names)}) but no touchpoints yet. Add"
    st.info(
        f"{first} and the touchpoints of each stage with their channel and owner; then record "
        "what customers do, think and feel at each one, their pain points and your "
        "opportunities. The canvas draws itself from that. Or open a demo map from the home "
        "page to see a finished one.",
        icon="🧭",
    )
    st.page_link("app.py", label="Go to the journey maps", icon="🗺️")


def filters(journey: MapRecord, aggregate: JourneyAggregate) -> MapView:
    """The filter bar: whose emotion lines to draw; which channels and owners to bring forward."""
    personas = {p.id: p.name for p in aggregate.personas}
    channels = sorted({t.channel for t in aggregate.touchpoints}, key=str.casefold)
    owners = sorted({t.owner for t in aggregate.touchpoints}, key=str.casefold)
    who, channel, owner, hide = st.columns([3, 3, 3, 2], vertical_alignment="bottom")
    persona_ids: list[int] = []
    if personas:
        persona_ids = who.multiselect(
            "Emotion lines for",
            list(personas),
            default=list(personas),
            format_func=lambda p: personas[p],
            key=shell.list_key("map_personas", journey.id, list(personas.items())),
            help="Each persona gets its own line; the dark line is all customers.",
        )
        rule = scoring.all_customers_rule(aggregate)
        if rule is not None:
            who.caption(shell.md_words(rule))
    else:
        who.caption("No personas yet: the curve shows all customers.")
    picked_channels = channel.multiselect(
        "Channels",
        channels,
        format_func=lambda c: f"{canvas.channel_icon(c)} {c or '(no channel)'}",
        key=shell.list_key("map_channels", journey.id, channels),
        placeholder="All channels",
    )
    picked_owners = owner.multiselect(
        "Owners",
        owners,
        format_func=lambda o: o or NO_OWNER,
        key=shell.list_key("map_owners", journey.id, owners),
        placeholder="All owners",
    )
    hide_others = hide.toggle(
        "Hide the others",
        key=f"map_hide_{journey.id}",
        help="Off: touchpoints outside the channel/owner filter are dimmed, so the journey "
        "keeps its shape. On: they are left out.",
    )
    return MapView(
        tuple(sorted(persona_ids)),
        canvas.CanvasFilters(tuple(picked_channels), tuple(picked_owners), hide_others),
    )


def legend() -> None:
    """The line explaining the canvas's colours and markers."""
    st.html(canvas.legend_html())


def journey_canvas(ctx: Context, journey: MapRecord, view: MapView) -> None:
    """The swimlane canvas with the emotion curve in it, scrolling sideways as one piece."""
    filters = view.filters
    html, figure = _canvas(
        ctx,
        ctx.db.url,
        journey.id,
        journey.revision,
        filters.channels,
        filters.owners,
        filters.hide_others,
        view.persona_ids,
    )
    if filters.active and filters.hide_others and not _any_match(ctx, journey, filters):
        st.warning("No touchpoint matches the channel and owner filter.", icon="🔎")
    with st.container(key=canvas.SCROLL_KEY, gap=None):
        st.html(html.head)
        st.plotly_chart(
            figure,
            width=html.width,
            theme=None,
            config=_CHART_CONFIG,
        )
        st.html(html.tail)
    st.caption(
        "Scroll sideways for the whole journey. Hover a card, a chip or a point for the full "
        "text and the numbers behind it."
    )


def _any_match(ctx: Context, journey: MapRecord, filters: canvas.CanvasFilters) -> bool:
    aggregate = cache.content(ctx, journey)
    return any(filters.matches(t) for t in aggregate.touchpoints)


def edit_canvas(
    ctx: Context, journey: MapRecord, aggregate: JourneyAggregate, analysis: JourneyAnalysis
) -> None:
    """The editable canvas (every persona's emotion line; the one the curve edits is picked
    in its emotion lane), with the note that someone else changed the map meanwhile."""
    notices.show_toasts()
    notices.revision_watch(ctx, journey)
    if not aggregate.stages:
        empty_map(aggregate)
        return
    canvas_editor.canvas_editor(
        ctx, journey, aggregate, analysis, [p.id for p in aggregate.personas]
    )
    st.caption(
        "Changes are saved as you make them (↩️ Undo takes the last one back). Scroll sideways "
        "for the whole journey; switch editing off for the map as people read it."
    )
