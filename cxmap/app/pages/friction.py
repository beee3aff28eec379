"""The Friction page's pieces: health, what to fix first, moments of truth, the journey network,
where friction sits, a what-if panel and the map's scoring settings.

Everything heavy is cached with ``st.cache_data`` keyed by (map id, revision, persona, settings):
a rerun of an unchanged map recomputes nothing. Nothing here writes to the database except the
settings form, through :func:`cxmap.services.save_scoring_settings`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from cxmap import services
from cxmap.analysis import scoring
from cxmap.analysis.scoring import COMPONENT_LABELS, COMPONENTS, JourneyAnalysis, ScoringSettings
from cxmap.app import cache, shell, tables
from cxmap.app.widgets import forms
from cxmap.app.widgets.drawn import short
from cxmap.core.context import Context
from cxmap.core.records import JourneyAggregate, MapRecord
from cxmap.render import charts, network

NETWORK_HEIGHT = 660
TOP_N = 10
WHAT_IF_TOP = 5
TABS = (
    "What to fix first",
    "Moments of truth",
    "Journey network",
    "Where friction sits",
    "What if…",
)
THRESHOLDS = {
    "likely_transition": (
        "Likely transition",
        "The smallest transition probability the worst likely path may use.",
    ),
    "bottleneck_reach": (
        "Bottleneck reach",
        "A touchpoint where several paths meet is a bottleneck (a moment of truth) from this "
        "share of customers on.",
    ),
    "intensity_top_share": (
        "Strong-feeling top share",
        "The top share of touchpoints by emotional intensity × reach that are moments of truth.",
    ),
}
_CHART_CONFIG = {"displayModeBar": False}


# ---------------------------------------------------------------- cached work


@st.cache_data(show_spinner=False, max_entries=16)
def _network_html(
    _ctx: Context, database_url: str, map_id: int, revision: int, persona_id: int | None
) -> str:
    aggregate = cache.content_at(_ctx, map_id, revision)
    analysis = cache.analysis_at(_ctx, map_id, revision, persona_id)
    return network.network_html(aggregate, analysis, height_px=NETWORK_HEIGHT)


@st.cache_data(show_spinner=False, max_entries=64)
def _what_if_analysis(
    _ctx: Context,
    database_url: str,
    map_id: int,
    revision: int,
    persona_id: int | None,
    settings_key: str,
    fixed_pain_points: tuple[int, ...],
    neutral_emotions: tuple[int, ...],
    halved_drop_off: tuple[int, ...],
) -> JourneyAnalysis:
    what_if = scoring.WhatIf(
        fixed_pain_points=frozenset(fixed_pain_points),
        emotions={t: 0 for t in neutral_emotions},
        drop_off_factor={t: 0.5 for t in halved_drop_off},
    )
    changed = scoring.apply_what_if(cache.content_at(_ctx, map_id, revision), what_if)
    settings = ScoringSettings.from_dict(json.loads(settings_key))
    return scoring.analyze(changed, settings, persona_id)


@dataclass(frozen=True)
class FrictionView:
    """What the page shows: one map at one revision, seen through one persona (or all)."""

    ctx: Context
    journey: MapRecord
    aggregate: JourneyAggregate
    analysis: JourneyAnalysis
    settings: ScoringSettings
    persona_id: int | None

    @property
    def settings_key(self) -> str:
        """The scoring settings as sorted JSON: the what-if analysis's cache key (and its input)."""
        return json.dumps(self.settings.as_dict(), sort_keys=True)


# ---------------------------------------------------------------- header


def no_map() -> None:
    """What the page says when no map is selected, with a link to the home page."""
    st.info("No map is selected. Pick or create a map on the home page, then come back here.")
    st.page_link("app.py", label="Go to the journey maps", icon="🗺️")


def load_view(ctx: Context, journey: MapRecord) -> FrictionView:
    """The selected map's analysis, for the persona picked in the header (cached)."""
    aggregate = cache.content(ctx, journey)
    settings = ScoringSettings.from_dict(journey.settings)
    persona_id = _persona_picker(journey, aggregate)
    analysis = cache.analysis(ctx, journey, persona_id)
    return FrictionView(ctx, journey, aggregate, analysis, settings, persona_id)


def _persona_picker(journey: MapRecord, aggregate: JourneyAggregate) -> int | None:
    names = {p.id: p.name for p in aggregate.personas}
    if not names:
        return None
    picker, _ = st.columns([1, 2])
    choice: int | None = picker.selectbox(
        "Whose feelings",
        [None, *names],
        format_func=lambda p: "All personas (by segment share)" if p is None else names[p],
        key=shell.list_key("friction_persona", journey.id, list(names)),
        help="Emotions differ per persona: pick one to see the journey through their eyes.",
    )
    return choice


def header(view: FrictionView) -> None:
    """Health, completion and moments of truth in large numbers, then any model warnings."""
    analysis = view.analysis
    health, completion, moments = st.columns(3)
    health.metric(
        "Journey health",
        f"{analysis.health:.0f}/100",
        help="100 minus the reach-weighted mean friction of the touchpoints.",
        border=True,
    )
    completion.metric(
        "Customers who complete",
        f"{analysis.completion:.0%}",
        help="The share of customers entering the journey who reach its end (drop-off taken out).",
        border=True,
    )
    moments.metric(
        "Moments of truth",
        len(analysis.moments_of_truth),
        help="Touchpoints that decide how customers judge you: flagged by the team, strong "
        "feelings many meet, the emotional peaks, the end, bottlenecks.",
        border=True,
    )
    for warning in analysis.warnings:
        st.warning(shell.md_words(warning), icon="⚠️")


def empty_map() -> None:
    """What the page says for a map with no touchpoints yet, and what to add to it."""
    st.info(
        "This map has no touchpoints yet, so there is no friction to show. Add stages and "
        "touchpoints, then give them what customers feel (emotion), how hard each step is "
        "(effort), pain points, drop-off or customer feedback: each touchpoint's friction and "
        "the moments of truth appear here."
    )


# ---------------------------------------------------------------- what to fix first


def ranking(view: FrictionView) -> None:
    """The top touchpoints by impact as explained bars, then every touchpoint in a table."""
    analysis = view.analysis
    st.markdown(
        f"**Top {min(TOP_N, len(analysis.touchpoints))} by impact** (friction × reach): "
        "each bar is a touchpoint's friction, split into what causes it."
    )
    st.plotly_chart(
        charts.friction_components_figure(analysis, view.settings.weights, top_n=TOP_N),
        config=_CHART_CONFIG,
        theme=None,
        key="friction_components_chart",
    )
    rows = [
        {
            "Rank": rank,
            "Touchpoint": t.name,
            "Friction": t.friction,
            "Reach": round(100 * t.reach, 1),
            "Impact": t.impact,
            "Moment of truth": "★" if t.moment_of_truth else "",
            "Why": shell.words(t.explain()),
            "Stage": t.stage,
            "Owner": t.owner,
            "Channel": t.channel,
        }
        for rank, t in enumerate(analysis.ranked(), start=1)
    ]
    st.markdown("**Every touchpoint, by impact**")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        height=min(36 + 35 * len(rows), 36 + 35 * 12),
        key="friction_ranking_table",
        column_config={
            "Rank": st.column_config.NumberColumn("#", width=40),
            "Touchpoint": st.column_config.TextColumn(width=250),
            "Friction": _percent_bar("Friction", "0–100", "%.0f"),
            "Reach": _percent_bar("Reach", "Share of customers who pass here", "%.0f%%"),
            "Impact": st.column_config.NumberColumn(
                "Impact", help="Friction × reach: what to fix first", format="%.1f", width=60
            ),
            "Moment of truth": st.column_config.TextColumn(
                "MoT", help="★ a moment of truth", width=45
            ),
            "Why": st.column_config.TextColumn(
                "Why", help="The largest parts of the friction", width=390
            ),
            "Stage": st.column_config.TextColumn(width=150),
            "Owner": st.column_config.TextColumn(width=120),
            "Channel": st.column_config.TextColumn(width=80),
        },
    )


# ---------------------------------------------------------------- moments of truth


def moments_of_truth(view: FrictionView) -> None:
    """One card per moment of truth, in journey order, with the reasons it is one."""
    moments = view.analysis.moments_of_truth
    if not moments:
        st.info(
            "No moment of truth yet: flag touchpoints that decide how customers judge you, or "
            "record emotions so the model can find the peaks and the strong feelings."
        )
        return
    columns = st.columns(3)
    for index, t in enumerate(moments):
        with columns[index % 3], st.container(border=True):
            st.markdown(f"**★ {shell.md_escape(t.name)}**")
            where = " · ".join(part for part in (t.stage, t.channel, t.owner) if part)
            st.caption(shell.md_escape(where))
            st.markdown(
                f"Reach **{t.reach:.0%}** · friction **{t.friction:.0f}** · "
                f"impact **{t.impact:.1f}**"
            )
            st.markdown("\n".join(f"- {shell.md_words(reason)}" for reason in t.reasons))


# ---------------------------------------------------------------- network, heatmap, paths


def journey_network(view: FrictionView) -> None:
    """The interactive network of touchpoints by stage (a pyvis page, cached by revision)."""
    st.caption(
        "Columns are stages. Hover a touchpoint for its numbers and why it is a moment of "
        "truth; scroll to zoom, drag to move."
    )
    page = _network_html(
        view.ctx, view.ctx.db.url, view.journey.id, view.journey.revision, view.persona_id
    )
    st.iframe(page, height=NETWORK_HEIGHT, alt="Journey network: touchpoints by stage")


def where_friction_sits(view: FrictionView) -> None:
    """The stage × channel heatmap and the two paths in words."""
    st.markdown("**Friction by stage and channel** (weighted by reach; empty: no touchpoint)")
    st.plotly_chart(
        charts.stage_channel_heatmap(view.analysis),
        config=_CHART_CONFIG,
        theme=None,
        key="friction_heatmap",
    )
    analysis = view.analysis
    names = {t.key: t.name for t in analysis.touchpoints}
    likely, worst = st.columns(2)
    with likely, st.container(border=True):
        st.markdown("**Most likely path**")
        if analysis.most_likely_path:
            st.caption(
                f"{analysis.most_likely_path_probability:.1%} of customers take exactly this way"
            )
            st.markdown(shell.md_escape(" → ".join(names[k] for k in analysis.most_likely_path)))
        else:
            st.caption("No complete path: nobody reaches an end of this journey.")
    with worst, st.container(border=True):
        st.markdown("**Worst likely path**")
        if analysis.worst_path:
            st.caption(
                f"Total friction {analysis.worst_path_friction:.0f}, over transitions taken by "
                f"at least {view.settings.likely_transition:.0%} of the customers at each step"
            )
            st.markdown(shell.md_escape(" → ".join(names[k] for k in analysis.worst_path)))
        else:
            st.caption("No complete path uses only likely transitions.")


# ---------------------------------------------------------------- what-if


def what_if(view: FrictionView) -> None:
    """Try fixes without saving: recomputed health, completion and top-5 impact vs now."""
    aggregate, analysis = view.aggregate, view.analysis
    names = {t.id: t.name for t in aggregate.touchpoints}
    st.caption("Try changes and see what they would do. Nothing here is saved.")
    pains = sorted(aggregate.pain_points, key=lambda p: (-p.severity * p.frequency, p.id))
    pain_label = {
        p.id: f"{names.get(p.touchpoint_id, '?')}: {short(p.description, 70) or 'pain point'} "
        f"({p.severity}×{p.frequency})"
        for p in pains
    }
    negative = [t.id for t in analysis.ranked() if t.emotion is not None and t.emotion < 0]
    dropping = [t.id for t in aggregate.touchpoints if t.drop_off > 0]
    pickers = (
        ("Fix these pain points", list(pain_label), pain_label, "whatif_fix", "Pick pain points"),
        ("Raise the emotion to neutral (0) at", negative, names, "whatif_emotion", None),
        ("Halve the drop-off at", dropping, names, "whatif_drop", None),
    )
    fixed, neutral, halved = (
        column.multiselect(
            label,
            options,
            format_func=shown.__getitem__,
            key=shell.list_key(key, view.journey.id, options),
            placeholder=placeholder or "Pick touchpoints",
        )
        for column, (label, options, shown, key, placeholder) in zip(
            st.columns(3), pickers, strict=True
        )
    )
    if not (fixed or neutral or halved):
        st.info("Pick at least one change above to see its effect.")
        return
    after = _what_if_analysis(
        view.ctx,
        view.ctx.db.url,
        view.journey.id,
        view.journey.revision,
        view.persona_id,
        view.settings_key,
        tuple(sorted(fixed)),
        tuple(sorted(neutral)),
        tuple(sorted(halved)),
    )
    health, completion, moments = st.columns(3)
    health_change = round(after.health - analysis.health, 1)
    completion_change = round(100 * (after.completion - analysis.completion), 1)
    moments_change = len(after.moments_of_truth) - len(analysis.moments_of_truth)
    # fmt: off
    _compared_metric(health, "Health with these changes", f"{after.health:.1f}/100",
                     health_change, f"{health_change:+.1f} vs now")
    _compared_metric(completion, "Customers who complete", f"{after.completion:.1%}",
                     completion_change, f"{completion_change:+.1f} points vs now")
    _compared_metric(moments, "Moments of truth", len(after.moments_of_truth),
                     moments_change, f"{moments_change:+d} vs now", colour=False)
    # fmt: on
    before = analysis.by_key()
    rank_now = {t.key: rank for rank, t in enumerate(analysis.ranked(), start=1)}
    rows = [
        {
            "#": rank,
            "Touchpoint": t.name,
            "Impact after": t.impact,
            "Impact now": before[t.key].impact,
            "Change": round(t.impact - before[t.key].impact, 2),
            "Rank now": rank_now[t.key],
            "Friction after": t.friction,
        }
        for rank, t in enumerate(after.ranked()[:WHAT_IF_TOP], start=1)
    ]
    st.markdown(f"**Top {len(rows)} by impact with these changes**")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key="whatif_table",
        column_config={
            "#": st.column_config.NumberColumn(width="small"),
            "Touchpoint": st.column_config.TextColumn(width="large"),
            **tables.number_columns(
                {"Impact after": "%.1f", "Impact now": "%.1f", "Change": "%+.1f"}
            ),
            "Rank now": st.column_config.NumberColumn(width="small"),
            "Friction after": st.column_config.ProgressColumn(
                min_value=0.0, max_value=100.0, format="%.0f"
            ),
        },
    )


# ---------------------------------------------------------------- settings


def settings_panel(ctx: Context, journey: MapRecord, editable: bool = True) -> None:
    """The map's weights and thresholds, saved with the map's version (a conflict is refused);
    shown, not offered for saving, to a viewer."""
    current = ScoringSettings.from_dict(journey.settings)
    # What the form was filled from: (map version, settings). Kept across reruns while the
    # stored settings stay the same, so a save after someone else changed them is refused
    # (ConflictError) instead of silently overwriting their change.
    read_key = f"friction_settings_read_{journey.id}"
    snapshot = st.session_state.get(read_key)
    if snapshot is None or snapshot[1] == current.as_dict():
        snapshot = (journey.version, current.as_dict())
        st.session_state[read_key] = snapshot
    read_version, shown = snapshot[0], ScoringSettings.from_dict(snapshot[1])
    defaults = ScoringSettings()
    form_key = shell.list_key("friction_settings", journey.id, snapshot[1])
    with st.expander("⚙️ Scoring settings of this map"):
        st.caption(
            "Friction is the weighted mean of the components a touchpoint has data for; weights "
            "are re-normalised over those, so they need not add up to 1."
        )
        with forms.settings_form(form_key, editable):
            st.markdown("**Weights**")
            weights = {}
            for column, component in zip(st.columns(len(COMPONENTS)), COMPONENTS, strict=True):
                weights[component] = column.number_input(
                    COMPONENT_LABELS[component].capitalize(),
                    min_value=0.0,
                    max_value=1.0,
                    step=0.05,
                    value=float(shown.weights[component]),
                    help=f"Weight of {COMPONENT_LABELS[component]} in friction. "
                    f"Default {defaults.weights[component]:.2f}.",
                    key=f"{form_key}_{component}",
                    disabled=not editable,
                )
            st.markdown("**Thresholds** (0–1)")
            thresholds = {}
            for column, (name, (label, help_text)) in zip(
                st.columns(len(THRESHOLDS)), THRESHOLDS.items(), strict=True
            ):
                thresholds[name] = column.number_input(
                    label,
                    min_value=0.0,
                    max_value=1.0,
                    step=0.05,
                    value=float(getattr(shown, name)),
                    help=f"{help_text} Default {getattr(defaults, name):.2f}.",
                    key=f"{form_key}_{name}",
                    disabled=not editable,
                )
            save, reset = forms.save_or_reset_buttons(editable)
    if not (save or reset):
        return
    chosen = defaults if reset else ScoringSettings(weights=weights, **thresholds)
    saved = shell.run_action(
        lambda: services.save_scoring_settings(ctx, journey.id, read_version, chosen)
    )
    if saved is None:
        # Refused: the next rerun shows what the database holds now.
        st.session_state.pop(read_key, None)
        return
    st.session_state[read_key] = (saved.version, chosen.as_dict())
    shell.flash(
        "Restored the default scoring settings." if reset else "Saved the scoring settings."
    )
    st.rerun()


def _compared_metric(
    column: Any, label: str, value: Any, change: float, change_text: str, *, colour: bool = True
) -> None:
    """A what-if metric with its change against today, or "no change" without an arrow.
    ``colour`` False for counts where more is neither better nor worse (moments of truth)."""
    column.metric(
        label,
        value,
        delta=change_text if change else "no change",
        delta_color="normal" if change and colour else "off",
        delta_arrow="auto" if change else "off",
        border=True,
    )


def _percent_bar(label: str, help_text: str, number_format: str) -> Any:
    """A 0–100 bar column of the ranking table."""
    return st.column_config.ProgressColumn(
        label, help=help_text, min_value=0.0, max_value=100.0, format=number_format, width=95
    )
