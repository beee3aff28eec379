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
from typing import TYPE_CHECKING

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
        template="plotly_white",
        barmode="stack",
        height=110 + 44 * max(1, len(top)),
        # Plotly measures tick labels before the web font has loaded and then clips the longest
        # name: reserve about 7 px a character as the left margin's floor.
        margin={"l": 24 + 7 * max(map(len, labels), default=0), "r": 30, "t": 40, "b": 40},
        font=FONT,
        plot_bgcolor="#ffffff",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "itemwidth": 30,
            "font": {"size": 13},
            "title": None,
            "traceorder": "normal",
        },
        xaxis={
            "title": "friction (0–100), by component",
            "range": [0, 115],
            "tickvals": [0, 20, 40, 60, 80, 100],
            "gridcolor": "#e4e7eb",
            "zeroline": False,
        },
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "ticksuffix": "  ",
            "tickfont": {"size": 15, "color": "#1f2933"},
        },
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
        template="plotly_white",
        height=120 + 56 * max(1, len(grid.stages)),
        margin={"l": 10, "r": 10, "t": 20, "b": 40},
        font=FONT,
        plot_bgcolor="#ffffff",
        xaxis={"side": "top", "showgrid": False, "type": "category"},
        yaxis={"autorange": "reversed", "showgrid": False, "automargin": True, "type": "category"},
        hoverlabel={"font": {"size": 14}, "bgcolor": "#ffffff"},
    )
    return figure


# ---- journey
# The emotion curve of the Journey Map page (cxmap/canvas.py draws the lanes around it).
# Imports stay inside the functions so this section is self-contained within the module.

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from cxmap.canvas import CanvasFilters, Column
    from cxmap.domain import JourneyAggregate, TouchpointRecord


def emotion_curve(
    aggregate: JourneyAggregate,
    analysis: JourneyAnalysis | None,
    persona_ids: Collection[int] = (),
    *,
    filters: CanvasFilters | None = None,
    show_legend: bool = True,
) -> go.Figure:
    """The emotion curve of a journey, laid out on the columns of the journey canvas.

    One line for all customers (the model's emotion per touchpoint: the touchpoint's own
    score, else the segment-weighted mean of the personas'), one per persona in
    ``persona_ids`` (its scores; gaps where it has none), and a ★ on every moment of truth the
    analysis finds (the team's flags included). y runs −2…+2 with faces on the ticks.

    x is the canvas column: a ``LABEL_WIDTH`` px left margin, then ``COLUMN_WIDTH`` px per
    column (``canvas.layout_columns`` with the same ``filters``), so point *i* sits under the
    card of column *i*. The axes are fixed (no zoom or pan) to keep that alignment.

    Examples
    --------
    >>> from cxmap.analytics import analyze, demo_chain
    >>> chain = demo_chain()
    >>> figure = emotion_curve(chain, analyze(chain))
    >>> [trace.name for trace in figure.data]
    ['All customers', 'moment of truth']
    >>> figure.data[0].x, figure.data[0].y
    ((0, 1, 2), (0.0, -2.0, 1.0))
    """
    from cxmap import canvas
    from cxmap.analytics import touchpoint_emotion

    filters = filters or canvas.NO_FILTERS
    columns = canvas.layout_columns(aggregate, filters)
    slots = [(i, c.touchpoint) for i, c in enumerate(columns) if c.touchpoint is not None]
    scores = analysis.by_key() if analysis is not None else {}
    own = touchpoint_emotion(aggregate) if analysis is None else {}

    def overall(touchpoint: TouchpointRecord) -> float | None:
        score = scores.get(touchpoint.key)
        return score.emotion if score is not None else own.get(touchpoint.id)

    figure = go.Figure()
    x = [i for i, _ in slots]
    names = [_text(t.name) for _, t in slots]
    stages = {s.id: _text(s.name) for s in aggregate.stages}
    figure.add_trace(
        go.Scatter(
            name=canvas.ALL_CUSTOMERS,
            x=x,
            y=[overall(t) for _, t in slots],
            mode="lines+markers",
            connectgaps=True,
            # Straight segments: a spline would overshoot between points and show feelings
            # nobody recorded.
            line={"color": canvas.ALL_CUSTOMERS_COLOUR, "width": 4},
            marker={"size": 9, "color": canvas.ALL_CUSTOMERS_COLOUR},
            customdata=[
                [n, stages.get(t.stage_id, "")] for n, (_, t) in zip(names, slots, strict=True)
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                "All customers: %{y:+.1f}<extra></extra>"
            ),
        )
    )
    by_pair = {(e.touchpoint_id, e.persona_id): e for e in aggregate.emotions}
    for index, persona in enumerate(aggregate.personas):
        if persona.id not in persona_ids:
            continue
        found = [by_pair.get((t.id, persona.id)) for _, t in slots]
        figure.add_trace(
            go.Scatter(
                name=_text(persona.name),
                x=x,
                y=[None if e is None else e.score for e in found],
                mode="lines+markers",
                connectgaps=True,
                line={
                    "color": canvas.persona_colour(index),
                    "width": 2.5,
                    "dash": canvas.persona_dash(index),
                },
                marker={"size": 7, "color": canvas.persona_colour(index)},
                customdata=[
                    [n, "" if e is None or not e.label else f" ({_text(e.label)})"]
                    for n, e in zip(names, found, strict=True)
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{fullData.name}: %{y:+d}%{customdata[1]}"
                    "<extra></extra>"
                ),
            )
        )
    moments: list[tuple[int, TouchpointRecord, tuple[str, ...]]]
    if analysis is None:  # without the model, the team's flags are all there is
        moments = [(i, t, ("flagged by the team",)) for i, t in slots if t.moment_of_truth]
    else:
        moments = [
            (i, t, scores[t.key].reasons)
            for i, t in slots
            if t.key in scores and scores[t.key].moment_of_truth
        ]
    figure.add_trace(
        go.Scatter(
            name="moment of truth",
            x=[i for i, _, _ in moments],
            y=[overall(t) or 0.0 for _, t, _ in moments],
            mode="markers",
            marker={
                "symbol": "star",
                "size": 22,
                "color": canvas.MOT_COLOUR,
                "line": {"color": canvas.MOT_OUTLINE, "width": 1.5},
            },
            customdata=[
                [_text(t.name), "<br>".join(_text(r) for r in reasons)] for _, t, reasons in moments
            ],
            hovertemplate=(
                "<b>★ Moment of truth: %{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"
            ),
        )
    )
    top = canvas.EMOTION_MARGIN + (34 if show_legend else 0)
    plot_height = canvas.EMOTION_HEIGHT - 2 * canvas.EMOTION_MARGIN
    _journey_shapes(figure, columns, -canvas.EMOTION_MARGIN / plot_height, 1 + top / plot_height)
    low, high = canvas.EMOTION_RANGE
    figure.update_layout(
        width=canvas.LABEL_WIDTH + canvas.COLUMN_WIDTH * max(1, len(columns)),
        height=canvas.EMOTION_HEIGHT + top - canvas.EMOTION_MARGIN,
        autosize=False,
        margin={"l": canvas.LABEL_WIDTH, "r": 0, "t": top, "b": canvas.EMOTION_MARGIN, "pad": 0},
        font=FONT,
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        showlegend=show_legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        dragmode=False,
        hovermode="closest",
        hoverlabel={"font": {"size": 14}, "bgcolor": "#ffffff"},
        xaxis={
            "range": [-0.5, max(1, len(columns)) - 0.5],
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
            "ticks": "",
        },
        yaxis={
            "range": [low, high],
            "fixedrange": True,
            "tickvals": sorted(canvas.EMOTION_FACES),
            "ticktext": [canvas.EMOTION_FACES[v] for v in sorted(canvas.EMOTION_FACES)],
            "tickfont": {"size": 18},
            "gridcolor": "#e2e8f0",
            "zeroline": True,
            "zerolinecolor": "#94a3b8",
            "zerolinewidth": 1.5,
        },
    )
    if not slots:
        figure.add_annotation(
            text="No touchpoints to show",
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 15, "color": "#64748b"},
        )
    return figure


def _journey_shapes(
    figure: go.Figure, columns: Sequence[Column], bottom: float, top: float
) -> None:
    """The canvas's stage bands and rules behind the curve, and a veil over dimmed columns,
    from ``bottom`` to ``top`` (paper units: beyond 0…1 they fill the margins too, so the bands
    run on from the lanes above to the lanes below without a break)."""
    from cxmap import canvas

    starts = [i for i, c in enumerate(columns) if c.first_of_stage]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(columns)
        figure.add_shape(
            type="rect",
            layer="below",
            xref="x",
            yref="paper",
            x0=start - 0.5,
            x1=end - 0.5,
            y0=bottom,
            y1=top,
            line={"width": 0},
            fillcolor=canvas.BAND_COLOURS[columns[start].stage_index % 2],
        )
        figure.add_shape(
            type="line",
            layer="below",
            xref="x",
            yref="paper",
            x0=start - 0.5,
            x1=start - 0.5,
            y0=bottom,
            y1=top,
            line={"color": canvas.STAGE_RULE, "width": 2},
        )
    for i, column in enumerate(columns):
        if column.dimmed:
            figure.add_shape(
                type="rect",
                layer="above",
                xref="x",
                yref="paper",
                x0=i - 0.5,
                x1=i + 0.5,
                y0=bottom,
                y1=top,
                line={"width": 0},
                fillcolor=f"rgba(255,255,255,{1 - canvas.DIM_OPACITY:.2f})",
            )
