"""Plotly figures from plain data (analysis results, records): no Streamlit, no database.

Plotly renders a subset of HTML in labels, tick labels and hover text, so every user string is
passed through :func:`html.escape` first (plotly turns the entities back into the characters).

Examples
--------
>>> from cxmap.analysis.scoring import ScoringSettings, analyze
>>> from cxmap.core.examples import demo_chain
>>> figure = friction_components_figure(analyze(demo_chain()), ScoringSettings().weights)
>>> [trace.name for trace in figure.data][:2]
['negative emotion', 'effort']
"""

from __future__ import annotations

import colorsys
import html
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from cxmap.analysis.scoring import COMPONENT_LABELS, COMPONENTS, JourneyAnalysis, TouchpointScore
from cxmap.core.messages import Message, render

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

    Same rule as :func:`cxmap.analysis.scoring.friction_score`: components without data (None) or
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
    return friction_heatmap(
        grid.stages, grid.channels, grid.friction, grid.touchpoints, row_height=56, roomy=True
    )


def friction_heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    friction: Sequence[Sequence[float | None]],
    touchpoints: Sequence[Sequence[Sequence[str]]],
    *,
    row_height: int,
    roomy: bool = False,
) -> go.Figure:
    """A grid of reach-weighted friction on the friction colours (0 green … 100 red): each cell
    shows its value, its hover lists its touchpoints (12 at most); empty cells stay blank.
    ``roomy`` leaves more space around it (a page's main chart rather than a summary tile)."""
    hover = [
        [
            "<br>".join(
                [
                    f"<b>{_text(row_name)} · {_text(column)}</b>",
                    f"friction {value:.0f}/100 (weighted by reach)",
                    *(f"• {_text(name, 60)}" for name in names[:12]),
                    *([f"… and {len(names) - 12} more"] if len(names) > 12 else []),
                ]
            )
            if value is not None
            else ""
            for column, value, names in zip(columns, row, cell_names, strict=True)
        ]
        for row_name, row, cell_names in zip(rows, friction, touchpoints, strict=True)
    ]
    figure = go.Figure(
        go.Heatmap(
            z=friction,
            x=[_text(c, 24) for c in columns],
            y=[_text(r, 30) for r in rows],
            zmin=0,
            zmax=100,
            colorscale=friction_colourscale(),
            xgap=3,
            ygap=3,
            hoverongaps=False,
            text=[["" if v is None else f"{v:.0f}" for v in row] for row in friction],
            texttemplate="%{text}",
            textfont={"size": 15 if roomy else 14},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorbar={"title": {"text": "friction"}, "thickness": 14, "tickvals": [0, 50, 100]},
        )
    )
    figure.update_layout(
        template="plotly_white",
        height=(120 if roomy else 110) + row_height * max(1, len(rows)),
        margin={"l": 10, "r": 10, "t": 20, "b": 40}
        if roomy
        else {"l": 10, "r": 10, "t": 10, "b": 10},
        font=FONT,
        plot_bgcolor="#ffffff",
        xaxis={"side": "top", "showgrid": False, "type": "category", "automargin": True},
        yaxis={"autorange": "reversed", "showgrid": False, "automargin": True, "type": "category"},
        hoverlabel={"font": {"size": 14}, "bgcolor": "#ffffff"},
    )
    return figure


# ---- journey
# The emotion curve of the Journey Map page (cxmap/canvas.py draws the lanes around it).
# Imports stay inside the functions so this section is self-contained within the module.

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from cxmap.core.records import JourneyAggregate, TouchpointRecord
    from cxmap.render.canvas import CanvasFilters, Column


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
    >>> from cxmap.analysis.scoring import analyze
    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()
    >>> figure = emotion_curve(chain, analyze(chain))
    >>> [trace.name for trace in figure.data]
    ['All customers', 'moment of truth']
    >>> figure.data[0].x, figure.data[0].y
    ((0, 1, 2), (0.0, -2.0, 1.0))
    """
    from cxmap.analysis.scoring import touchpoint_emotion
    from cxmap.render import canvas

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
    moments: list[tuple[int, TouchpointRecord, tuple[Message, ...]]]
    if analysis is None:  # without the model, the team's flags are all there is
        moments = [(i, t, (Message("mot.flagged"),)) for i, t in slots if t.moment_of_truth]
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
                [_text(t.name), "<br>".join(_text(render(r)) for r in reasons)]
                for _, t, reasons in moments
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
    from cxmap.render import canvas

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


# ---- voice of the customer
# Figures of the Voice of the Customer page (cxmap/ui_voc.py): plain numbers in, plotly out.
# Group names come from users (stages, touchpoints, segments, sources): escaped like all text.

VOC_COLOURS = {"NPS": "#0f766e", "CSAT %": "#d55e00", "negative": "#c2410c", "hollow": "#ffffff"}
VOC_SMALL_SAMPLE = (
    30  # below this many answers a point is drawn hollow (see cxmap.analysis.metrics)
)


@dataclass(frozen=True)
class ScorePoint:
    """A metric for one month or group: its value, n and (when n < 30) 95% interval."""

    label: str
    value: float | None
    n: int
    low: float | None = None
    high: float | None = None

    def interval(self) -> str:
        if self.low is None or self.high is None:
            return ""
        return f" · 95% {self.low:.0f}…{self.high:.0f}"


def voc_trend_figure(series: Mapping[str, list[ScorePoint]]) -> go.Figure:
    """NPS and CSAT % by month (``label`` = ``YYYY-MM``): one line each on one −100…100 axis.

    Months without answers are left out of a line (it does not dip to zero). Points from fewer
    than 30 answers are hollow and their hover gives the 95% interval: read them as rough.

    Examples
    --------
    >>> figure = voc_trend_figure({"NPS": [ScorePoint("2026-01", 10.0, 40),
    ...     ScorePoint("2026-02", None, 0), ScorePoint("2026-03", -5.0, 12, -40.0, 30.0)]})
    >>> figure.data[0].x, figure.data[0].y
    (('2026-01', '2026-03'), (10.0, -5.0))
    >>> figure.data[0].marker.color
    ('#0f766e', '#ffffff')
    """
    figure = go.Figure()
    for name, points in series.items():
        present = [p for p in points if p.value is not None]
        colour = VOC_COLOURS.get(name, "#52606d")
        figure.add_trace(
            go.Scatter(
                name=_text(name),
                x=[_text(p.label) for p in present],
                y=[p.value for p in present],
                mode="lines+markers",
                line={"color": colour, "width": 3},
                marker={
                    "size": 10,
                    "color": [
                        colour if p.n >= VOC_SMALL_SAMPLE else VOC_COLOURS["hollow"]
                        for p in present
                    ],
                    "line": {"color": colour, "width": 2},
                },
                customdata=[[p.n, p.interval()] for p in present],
                hovertemplate=(
                    f"<b>%{{x|%B %Y}}</b><br>{_text(name)}: %{{y:.0f}} "
                    "(n = %{customdata[0]}%{customdata[1]})<extra></extra>"
                ),
            )
        )
    figure.add_hline(y=0, line={"color": "#9aa5b1", "width": 1})
    figure.update_layout(
        template="plotly_white",
        height=340,
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        font=FONT,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
        xaxis={"type": "date", "dtick": "M1", "tickformat": "%b %Y", "gridcolor": "#e4e7eb"},
        yaxis={
            "range": [-105, 105],
            "tickvals": [-100, -50, 0, 50, 100],
            "title": "score",
            "gridcolor": "#e4e7eb",
            "zeroline": False,
        },
        hoverlabel={"font": {"size": 14}},
    )
    return figure


def voc_group_figure(points: list[ScorePoint], metric: str = "NPS") -> go.Figure:
    """A metric per group (stage, touchpoint, segment…) as horizontal bars, first on top.

    Where n < 30 the 95% interval is drawn as a whisker and the bar is pale: a short bar from
    few answers may say little. Groups without answers are left out. ``metric`` is ``NPS``
    (−100…100: below zero in orange) or ``CSAT %`` (0…100).

    Examples
    --------
    >>> figure = voc_group_figure([ScorePoint("<b>Support</b>", -20.0, 50),
    ...     ScorePoint("Onboarding", 30.0, 10, -10.0, 60.0), ScorePoint("Loyalty", None, 0)])
    >>> figure.data[0].y
    ('&lt;b&gt;Support&lt;/b&gt;', 'Onboarding')
    >>> figure.data[0].error_x.arrayminus
    (0.0, 40.0)
    """
    present = [p for p in points if p.value is not None]
    values = [float(p.value or 0.0) for p in present]
    labels = [_text(p.label, NAME_LIMIT) for p in present]
    base = VOC_COLOURS.get(metric, VOC_COLOURS["NPS"])
    colours = [VOC_COLOURS["negative"] if metric == "NPS" and v < 0 else base for v in values]
    figure = go.Figure(
        go.Bar(
            name=_text(metric),
            orientation="h",
            x=values,
            y=labels,
            marker={
                "color": colours,
                "opacity": [1.0 if p.n >= VOC_SMALL_SAMPLE else 0.55 for p in present],
                "line": {"width": 0},
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [
                    0.0 if p.high is None else p.high - v
                    for p, v in zip(present, values, strict=True)
                ],
                "arrayminus": [
                    0.0 if p.low is None else v - p.low
                    for p, v in zip(present, values, strict=True)
                ],
                "color": "#52606d",
                "thickness": 1.5,
                "width": 0,  # no caps: a zero-length whisker (no interval) leaves no mark
            },
            customdata=[[p.n, p.interval()] for p in present],
            hovertemplate=(
                f"<b>%{{y}}</b><br>{_text(metric)}: %{{x:.0f}} "
                "(n = %{customdata[0]}%{customdata[1]})<extra></extra>"
            ),
        )
    )
    # Value and n in a column right of the plot: a label at the bar's end would run into the
    # group names (bars below zero) or off the plot (bars near 100).
    for label, point, value in zip(labels, present, values, strict=True):
        figure.add_annotation(
            x=1.0,
            xref="paper",
            y=label,
            text=f"{value:.0f} (n = {point.n})",
            showarrow=False,
            xanchor="left",
            xshift=10,
            font={"size": 13, "color": "#52606d"},
        )
    low_end = -100 if metric == "NPS" else 0
    figure.update_layout(
        template="plotly_white",
        height=90 + 36 * max(1, len(present)),
        margin={"l": 24 + 7 * max(map(len, labels), default=0), "r": 120, "t": 20, "b": 40},
        font=FONT,
        showlegend=False,
        xaxis={
            "title": metric,
            "range": [low_end - 5, 105],
            "gridcolor": "#e4e7eb",
            "zeroline": True,
            "zerolinecolor": "#9aa5b1",
        },
        yaxis={"autorange": "reversed", "automargin": True, "ticksuffix": "  "},
        hoverlabel={"font": {"size": 14}},
    )
    return figure


# ---- executive summary
# Figures of the Executive Summary page (cxmap/ui_summary.py) and the HTML/PDF exports
# (cxmap/report.py): the emotion curve made compact, the opportunity matrix, and friction by
# owner department × stage. Imports of other cxmap modules stay inside the functions, as in the
# journey section, so this section stands on its own.

SUMMARY_CURVE_HEIGHT = 270  # px: the compact emotion curve
STAGE_TICK_LIMIT = 22  # characters of a stage name under the compact curve
MATRIX_MIDPOINT = 50  # customer and business value 0…100: the quadrant lines
MATRIX_LABEL_LIMIT = 28  # characters of an opportunity title printed beside its bubble
MATRIX_MAX_LABELS = 15  # more opportunities than this: titles only in the hover
# Quadrants of the opportunity matrix, as (customer value high?, business value high?) → name.
# Effort is the bubble size, so the corners name value, not speed (docs/executive-summary.md).
MATRIX_QUADRANTS = {
    (True, True): "Do first: win–win",
    (True, False): "Goodwill: for customers",
    (False, True): "Check the CX cost: for the business",
    (False, False): "Park: little value",
}
NO_OWNER = "(no owner)"


def compact_emotion_curve(
    aggregate: JourneyAggregate,
    analysis: JourneyAnalysis | None,
    persona_ids: Collection[int] = (),
    *,
    height: int = SUMMARY_CURVE_HEIGHT,
    show_legend: bool = False,
    stage_chars: int = STAGE_TICK_LIMIT,
    tick_angle: int | None = -30,
) -> go.Figure:
    """:func:`emotion_curve` sized for a page rather than for the canvas: it takes the width it
    is given, and the stages are named under their bands (the canvas's headers are not there),
    cut at ``stage_chars`` characters. ``tick_angle`` slants them (ending at their stage, so the
    last one stays inside a narrow figure); None lets plotly choose (flat when they fit).

    Examples
    --------
    >>> from cxmap.analysis.scoring import analyze
    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()
    >>> figure = compact_emotion_curve(chain, analyze(chain))
    >>> figure.layout.width is None, figure.layout.xaxis.ticktext
    (True, ('Stage 1', 'Stage 2', 'Stage 3'))
    """
    from cxmap.render import canvas

    figure = emotion_curve(aggregate, analysis, persona_ids, show_legend=show_legend)
    columns = canvas.layout_columns(aggregate)
    starts = [i for i, c in enumerate(columns) if c.first_of_stage]
    ends = [*starts[1:], len(columns)]
    centres = [(start + end - 1) / 2 for start, end in zip(starts, ends, strict=True)]
    names = [_text(columns[start].stage.name, stage_chars) for start in starts]
    # The bands of the canvas ran on into its margins; here they stop at the plot's edges.
    figure.update_shapes(y0=0, y1=1, selector={"yref": "paper"})
    figure.update_traces(cliponaxis=False)  # a ★ at either end is drawn whole
    if tick_angle is not None:
        figure.update_xaxes(tickangle=tick_angle)
    figure.update_layout(
        width=None,
        autosize=True,
        height=height,
        margin={"l": 48, "r": 12, "t": 34 if show_legend else 8, "b": 8, "pad": 0},
        xaxis={
            "showticklabels": True,
            "tickvals": centres,
            "ticktext": names,
            "tickfont": {"size": 13, "color": "#334155"},
            "automargin": True,
        },
        yaxis={"tickfont": {"size": 16}},
    )
    return figure


def opportunity_matrix(
    aggregate: JourneyAggregate, *, labels: bool | None = None, height: int = 460
) -> go.Figure:
    """The opportunities on customer value (x) × business value (y), both 0…100.

    Bubble area grows with 1/effort (effort 1 is five times the area of effort 5: the big
    bubbles are the cheap ones), colour is the status, and lines at 50 split the plane into
    the four :data:`MATRIX_QUADRANTS`. Opportunities without both values are left out (the
    figure says how many). ``labels`` prints short titles beside the bubbles (default: when
    there are at most :data:`MATRIX_MAX_LABELS`), for the PDF, where there is no hover.

    Examples
    --------
    >>> from cxmap.core.examples import demo_chain
    >>> figure = opportunity_matrix(demo_chain())
    >>> figure.layout.annotations[-1].text
    'No opportunity has both a customer and a business value yet'
    """
    from cxmap.render import canvas

    touchpoint_name = {t.id: t.name for t in aggregate.touchpoints}
    pain_touchpoint = {p.id: p.touchpoint_id for p in aggregate.pain_points}
    placed = [
        o
        for o in aggregate.opportunities
        if o.customer_value is not None and o.business_value is not None
    ]
    show_labels = len(placed) <= MATRIX_MAX_LABELS if labels is None else labels
    label_texts = {o.id: _text(o.title or "(untitled)", MATRIX_LABEL_LIMIT) for o in placed}
    where_label = dict(
        zip(
            [o.id for o in placed],
            label_positions(
                [
                    (
                        float(o.customer_value or 0),
                        float(o.business_value or 0),
                        _bubble_size(o.effort),
                        len(html.unescape(label_texts[o.id])),
                    )
                    for o in placed
                ]
            ),
            strict=True,
        )
    )
    figure = go.Figure()
    for status, colour in canvas.OPPORTUNITY_COLOURS.items():
        members = [o for o in placed if canvas.opportunity_colour(o.status) == colour]
        if not members:
            continue
        where = []
        for o in members:
            touchpoint_id = o.touchpoint_id
            if touchpoint_id is None and o.pain_point_id is not None:
                touchpoint_id = pain_touchpoint.get(o.pain_point_id)
            where.append(_text(touchpoint_name.get(touchpoint_id or -1, "the whole journey")))
        figure.add_trace(
            go.Scatter(
                name=_text(status),
                x=[o.customer_value for o in members],
                y=[o.business_value for o in members],
                mode="markers+text" if show_labels else "markers",
                text=[label_texts[o.id] for o in members],
                textposition=[where_label[o.id] for o in members],
                textfont={"size": 12, "color": "#334155"},
                marker={
                    # Diameter ∝ 1/√effort, so the area is ∝ 1/effort.
                    "size": [_bubble_size(o.effort) for o in members],
                    "color": colour.border,
                    "opacity": 0.8,
                    "line": {"color": "#ffffff", "width": 1.5},
                },
                customdata=[
                    [
                        _text(o.title or "(untitled)"),
                        place,
                        "not set" if o.effort is None else f"{o.effort}/5",
                    ]
                    for o, place in zip(members, where, strict=True)
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>at %{customdata[1]}<br>"
                    "customer value %{x} · business value %{y}<br>"
                    f"effort %{{customdata[2]}} · {_text(status)}<extra></extra>"
                ),
                cliponaxis=False,
            )
        )
    for (customer_high, business_high), name in MATRIX_QUADRANTS.items():
        figure.add_annotation(
            x=0.99 if customer_high else 0.01,
            y=0.99 if business_high else 0.01,
            xref="paper",
            yref="paper",
            xanchor="right" if customer_high else "left",
            yanchor="top" if business_high else "bottom",
            text=f"<b>{name}</b>" if customer_high and business_high else name,
            showarrow=False,
            font={"size": 13, "color": "#0f766e" if customer_high and business_high else "#64748b"},
        )
    for line in ("x", "y"):
        figure.add_shape(
            type="line",
            layer="below",
            xref="x" if line == "x" else "paper",
            yref="paper" if line == "x" else "y",
            x0=MATRIX_MIDPOINT if line == "x" else 0,
            x1=MATRIX_MIDPOINT if line == "x" else 1,
            y0=0 if line == "x" else MATRIX_MIDPOINT,
            y1=1 if line == "x" else MATRIX_MIDPOINT,
            line={"color": "#94a3b8", "width": 1.5, "dash": "dash"},
        )
    left_out = len(aggregate.opportunities) - len(placed)
    if not placed:
        figure.add_annotation(
            text="No opportunity has both a customer and a business value yet",
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 15, "color": "#64748b"},
        )
    elif left_out:
        figure.add_annotation(
            text=f"{left_out} more without both values are not shown",
            x=0,
            y=-0.13,
            xref="paper",
            yref="paper",
            xanchor="left",
            showarrow=False,
            font={"size": 12, "color": "#64748b"},
        )
    figure.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 40, "b": 60},
        font=FONT,
        plot_bgcolor="#ffffff",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "title": {"text": "status "},
            "itemsizing": "constant",
        },
        xaxis={
            "title": "customer value (0–100)",
            "range": [-4, 104],
            "tickvals": [0, 25, 50, 75, 100],
            "gridcolor": "#eef2f1",
            "zeroline": False,
        },
        yaxis={
            "title": "business value (0–100)",
            "range": [-4, 104],
            "tickvals": [0, 25, 50, 75, 100],
            "gridcolor": "#eef2f1",
            "zeroline": False,
        },
        hoverlabel={"font": {"size": 14}, "bgcolor": "#ffffff"},
    )
    return figure


LABEL_PLACES = ("top center", "bottom center", "middle right", "middle left")


def label_positions(points: Sequence[tuple[float, float, float, int]]) -> list[str]:
    """Where to print each bubble's label so labels keep off each other and off the bubbles.

    ``points`` are (customer value, business value, bubble diameter px, label characters).
    Greedy, top of the chart first: each label takes the first of :data:`LABEL_PLACES` that
    overlaps nothing placed so far, else the one that overlaps least. Distances are estimated
    on a 1000 × 520 px plot (labels of 12 px type).

    >>> label_positions([(50, 50, 30, 10), (50, 58, 30, 10), (90, 10, 20, 8)])
    ['bottom center', 'top center', 'top center']
    """
    scale_x, scale_y, char_px, line_px = 1000 / 108, 520 / 108, 6.6, 15.0
    boxes: list[tuple[float, float, float, float]] = []
    for x, y, size, _ in points:
        cx, cy, r = x * scale_x, y * scale_y, size / 2
        boxes.append((cx - r, cy - r, cx + r, cy + r))
    placed: list[tuple[float, float, float, float]] = []
    result: dict[int, str] = {}
    order = sorted(range(len(points)), key=lambda i: (-points[i][1], points[i][0]))
    for i in order:
        x, y, size, chars = points[i]
        cx, cy, r, w, h = x * scale_x, y * scale_y, size / 2 + 2, chars * char_px, line_px
        candidates = {
            "top center": (cx - w / 2, cy + r, cx + w / 2, cy + r + h),
            "bottom center": (cx - w / 2, cy - r - h, cx + w / 2, cy - r),
            "middle right": (cx + r, cy - h / 2, cx + r + w, cy + h / 2),
            "middle left": (cx - r - w, cy - h / 2, cx - r, cy + h / 2),
        }
        others = [b for j, b in enumerate(boxes) if j != i] + placed
        overlaps = {place: _overlap(box, others) for place, box in candidates.items()}
        best = min(LABEL_PLACES, key=overlaps.__getitem__)  # the first of the least overlapping
        result[i] = best
        placed.append(candidates[best])
    return [result[i] for i in range(len(points))]


def _overlap(
    box: tuple[float, float, float, float], others: Sequence[tuple[float, float, float, float]]
) -> float:
    """The area of ``box`` (x0, y0, x1, y1) covered by ``others`` (counted per other box)."""
    total = 0.0
    for x0, y0, x1, y1 in others:
        dx = min(box[2], x1) - max(box[0], x0)
        dy = min(box[3], y1) - max(box[1], y0)
        if dx > 0 and dy > 0:
            total += dx * dy
    return total


def _bubble_size(effort: int | None) -> float:
    """Marker diameter (px) for an effort 1…5 (unknown: as effort 3).

    >>> [round(_bubble_size(e)) for e in (1, 2, 5, None)]
    [48, 34, 21, 28]
    """
    return 48 / (effort if effort and effort > 0 else 3) ** 0.5


def quadrant(customer_value: float, business_value: float) -> str:
    """The name of the opportunity matrix quadrant a point falls in (50 counts as high).

    >>> quadrant(80, 70), quadrant(20, 90)
    ('Do first: win–win', 'Check the CX cost: for the business')
    """
    return MATRIX_QUADRANTS[customer_value >= MATRIX_MIDPOINT, business_value >= MATRIX_MIDPOINT]


@dataclass(frozen=True)
class FrictionGrid:
    """Reach-weighted friction per (row, column) cell; None where no touchpoint is."""

    rows: list[str]
    columns: list[str]
    friction: list[list[float | None]]
    touchpoints: list[list[list[str]]]


def owner_stage_friction(analysis: JourneyAnalysis) -> FrictionGrid:
    """Who owns the pain: owner departments (rows, by total impact, highest first) × stages
    (columns, in journey order), each cell the reach-weighted friction of its touchpoints,
    computed like the stage × channel grid (:func:`stage_channel_friction`).

    Examples
    --------
    >>> from cxmap.analysis.scoring import analyze
    >>> from cxmap.core.examples import demo_chain
    >>> grid = owner_stage_friction(analyze(demo_chain()))
    >>> grid.rows, grid.columns, grid.friction
    (['Digital'], ['Stage 1', 'Stage 2', 'Stage 3'], [[14.12, 47.06, 11.76]])
    """
    cells: dict[tuple[str, str], list[TouchpointScore]] = defaultdict(list)
    for t in analysis.touchpoints:
        cells[t.owner or NO_OWNER, t.stage].append(t)
    rows = [g.name for g in analysis.owners if any(owner == g.name for owner, _ in cells)]
    rows += sorted({owner for owner, _ in cells} - set(rows), key=str.casefold)
    columns = [g.name for g in analysis.stages if any(stage == g.name for _, stage in cells)]
    columns += sorted({stage for _, stage in cells} - set(columns), key=str.casefold)
    friction = [[_reach_weighted(cells.get((r, c), [])) for c in columns] for r in rows]
    names = [[[t.name for t in cells.get((r, c), [])] for c in columns] for r in rows]
    return FrictionGrid(rows, columns, friction, names)


def owner_stage_heatmap(analysis: JourneyAnalysis) -> go.Figure:
    """:func:`owner_stage_friction` as a heatmap on the friction colours (0 green … 100 red)."""
    grid = owner_stage_friction(analysis)
    return friction_heatmap(grid.rows, grid.columns, grid.friction, grid.touchpoints, row_height=40)
