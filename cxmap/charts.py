"""Plotly figures from plain data (analysis results, records): no Streamlit, no database.

Plotly renders a subset of HTML in labels, tick labels and hover text, so every user string is
passed through :func:`html.escape` first (plotly turns the entities back into the characters).

Examples
--------
>>> from cxmap.analytics import ScoringSettings, analyze, demo_chain
>>> figure = friction_components_figure(analyze(demo_chain()), ScoringSettings().weights)
>>> [trace.name for trace in figure.data][:2]
['negative emotion', 'effort']
"""

from __future__ import annotations

import colorsys
import html
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go

from cxmap.analytics import COMPONENT_LABELS, COMPONENTS, JourneyAnalysis, TouchpointScore

FONT = {"family": "Source Sans Pro, Source Sans 3, system-ui, sans-serif", "size": 15}


def _text(value: str, limit: int | None = None) -> str:
    """User text for plotly: shortened (before escaping, so no entity is cut) and escaped."""
    if limit is not None and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return html.escape(value)


# ---- friction

# Friction 0 → 100: green, amber, red, as (hue°, saturation, lightness), interpolated in hue so
# the way from green to amber stays clear (an RGB blend goes through olive). The network and
# the heatmap share it: one colour means one friction level everywhere.
FRICTION_COLOURS: tuple[tuple[float, tuple[float, float, float]], ...] = (
    (0.0, (145.0, 0.63, 0.38)),
    (25.0, (88.0, 0.60, 0.40)),
    (50.0, (38.0, 0.92, 0.48)),
    (75.0, (18.0, 0.85, 0.50)),
    (100.0, (0.0, 0.72, 0.47)),
)
# One colour per friction component (Okabe–Ito: tellable apart with colour-vision deficiency).
COMPONENT_COLOURS = {
    "emotion": "#d55e00",
    "effort": "#e69f00",
    "pain": "#cc79a7",
    "feedback": "#0072b2",
    "drop_off": "#56b4e9",
}
NO_CHANNEL = "(no channel)"
NAME_LIMIT = 42  # characters of a touchpoint name on an axis


def friction_colour(friction: float) -> str:
    """The colour of a friction score 0…100: green, through amber, to red.

    >>> friction_colour(0), friction_colour(50), friction_colour(100)
    ('#249e57', '#eb980a', '#ce2222')
    """
    value = min(100.0, max(0.0, friction))
    for (low, low_hsl), (high, high_hsl) in zip(
        FRICTION_COLOURS, FRICTION_COLOURS[1:], strict=False
    ):
        if value <= high:
            share = (value - low) / (high - low)
            hue, saturation, lightness = (
                a + (b - a) * share for a, b in zip(low_hsl, high_hsl, strict=True)
            )
            rgb = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
            return "#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in rgb))
    raise AssertionError("unreachable: the scale ends at 100")


def friction_colourscale(steps: int = 10) -> list[list[float | str]]:
    """:func:`friction_colour` as a plotly colour scale over 0…100."""
    return [[i / steps, friction_colour(100 * i / steps)] for i in range(steps + 1)]


def weighted_contributions(
    components: Mapping[str, float | None], weights: Mapping[str, float]
) -> dict[str, float]:
    """Each component's points of friction (0…100); together they make the friction score.

    Same rule as :func:`cxmap.analytics.friction_score`: components without data (None) or
    with weight 0 take no part, and the weights of the others are re-normalised.

    >>> weighted_contributions({"emotion": 1.0, "effort": None, "pain": 0.2,
    ...     "feedback": None, "drop_off": 0.0}, {"emotion": 0.3, "effort": 0.2, "pain": 0.25,
    ...     "feedback": 0.15, "drop_off": 0.1})
    {'emotion': 46.15, 'effort': 0.0, 'pain': 7.69, 'feedback': 0.0, 'drop_off': 0.0}
    """
    present = {
        k: weights[k] for k in COMPONENTS if components.get(k) is not None and weights[k] > 0
    }
    total = sum(present.values())
    return {
        k: round(100 * present[k] * (components[k] or 0.0) / total, 2) if k in present else 0.0
        for k in COMPONENTS
    }


def friction_components_figure(
    analysis: JourneyAnalysis, weights: Mapping[str, float], *, top_n: int = 10
) -> go.Figure:
    """The top touchpoints by impact as stacked bars: one segment per friction component.

    A bar's length is the touchpoint's friction (0…100) and each segment what one component
    adds to it, so every bar explains itself. Ranked by impact (friction × reach), #1 on top.
    """
    top = analysis.ranked()[:top_n]
    labels = [f"{rank}. {_text(t.name, NAME_LIMIT)}" for rank, t in enumerate(top, start=1)]
    shares = [weighted_contributions(t.components, weights) for t in top]
    total_weight = {
        t.key: sum(weights[k] for k in COMPONENTS if t.components.get(k) is not None) for t in top
    }
    figure = go.Figure()
    for component in COMPONENTS:
        customdata = [
            [
                _text(t.name),
                _component_value(t, component),
                f"{weights[component] / total_weight[t.key]:.0%}" if total_weight[t.key] else "–",
            ]
            for t in top
        ]
        figure.add_trace(
            go.Bar(
                name=COMPONENT_LABELS[component],
                orientation="h",
                x=[s[component] for s in shares],
                y=labels,
                marker={"color": COMPONENT_COLOURS[component], "line": {"width": 0}},
                customdata=customdata,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>"
                    f"{COMPONENT_LABELS[component]}: %{{x:.1f}} points of friction<br>"
                    "measured %{customdata[1]} · weight %{customdata[2]}<extra></extra>"
                ),
            )
        )
    for label, t in zip(labels, top, strict=True):
        figure.add_annotation(
            x=t.friction,
            y=label,
            text=f"{t.friction:.0f} · reach {t.reach:.0%}",
            showarrow=False,
            xanchor="left",
            xshift=6,
            font={"size": 13, "color": "#52606d"},
        )
    figure.update_layout(
        barmode="stack",
        height=110 + 44 * max(1, len(top)),
        margin={"l": 10, "r": 30, "t": 40, "b": 40},
        font=FONT,
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
        xaxis={
            "title": "friction (0–100), by component",
            "range": [0, 115],
            "tickvals": [0, 20, 40, 60, 80, 100],
            "gridcolor": "#e4e7eb",
            "zeroline": False,
        },
        yaxis={"autorange": "reversed", "automargin": True, "ticksuffix": "  "},
        hoverlabel={"font": {"size": 14}},
    )
    return figure


def _component_value(t: TouchpointScore, component: str) -> str:
    value = t.components.get(component)
    return "no data" if value is None else f"{value:.0%}"


@dataclass(frozen=True)
class StageChannelFriction:
    """Reach-weighted friction per (stage, channel) cell; None where no touchpoint is."""

    stages: list[str]
    channels: list[str]
    friction: list[list[float | None]]
    touchpoints: list[list[list[str]]]


def stage_channel_friction(analysis: JourneyAnalysis) -> StageChannelFriction:
    """Group the touchpoints by stage (journey order) and channel (A–Z, no channel last).

    A cell's value is the reach-weighted mean friction of its touchpoints (the plain mean when
    none of them is reached), as for stages and owners in the analysis.
    """
    cells: dict[tuple[str, str], list[TouchpointScore]] = defaultdict(list)
    for t in analysis.touchpoints:
        cells[t.stage, t.channel or NO_CHANNEL].append(t)
    stages = [g.name for g in analysis.stages]
    stages += sorted({stage for stage, _ in cells} - set(stages))
    channels = sorted({c for _, c in cells} - {NO_CHANNEL}, key=str.casefold)
    if any(c == NO_CHANNEL for _, c in cells):
        channels.append(NO_CHANNEL)
    friction: list[list[float | None]] = []
    names: list[list[list[str]]] = []
    for stage in stages:
        friction.append([])
        names.append([])
        for channel in channels:
            members = cells.get((stage, channel), [])
            friction[-1].append(_reach_weighted(members))
            names[-1].append([t.name for t in members])
    return StageChannelFriction(stages, channels, friction, names)


def _reach_weighted(members: list[TouchpointScore]) -> float | None:
    if not members:
        return None
    reach = sum(t.reach for t in members)
    if reach:
        return round(sum(t.reach * t.friction for t in members) / reach, 2)
    return round(sum(t.friction for t in members) / len(members), 2)


def stage_channel_heatmap(analysis: JourneyAnalysis) -> go.Figure:
    """Where friction sits: stages (rows) × channels (columns), reach-weighted friction."""
    grid = stage_channel_friction(analysis)
    hover = [
        [
            "<br>".join(
                [
                    f"<b>{_text(stage)} · {_text(channel)}</b>",
                    f"friction {value:.0f}/100 (weighted by reach)",
                    *(f"• {_text(name, 60)}" for name in names),
                ]
            )
            if value is not None
            else ""
            for channel, value, names in zip(grid.channels, row, cell_names, strict=True)
        ]
        for stage, row, cell_names in zip(grid.stages, grid.friction, grid.touchpoints, strict=True)
    ]
    figure = go.Figure(
        go.Heatmap(
            z=grid.friction,
            x=[_text(c, 24) for c in grid.channels],
            y=[_text(s, 30) for s in grid.stages],
            zmin=0,
            zmax=100,
            colorscale=friction_colourscale(),
            xgap=3,
            ygap=3,
            hoverongaps=False,
            text=[["" if v is None else f"{v:.0f}" for v in row] for row in grid.friction],
            texttemplate="%{text}",
            textfont={"size": 15},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorbar={"title": {"text": "friction"}, "thickness": 14, "tickvals": [0, 50, 100]},
        )
    )
    figure.update_layout(
        height=120 + 56 * max(1, len(grid.stages)),
        margin={"l": 10, "r": 10, "t": 20, "b": 40},
        font=FONT,
        plot_bgcolor="#ffffff",
        xaxis={"side": "top", "showgrid": False, "type": "category"},
        yaxis={"autorange": "reversed", "showgrid": False, "automargin": True, "type": "category"},
        hoverlabel={"font": {"size": 14}, "bgcolor": "#ffffff"},
    )
    return figure
