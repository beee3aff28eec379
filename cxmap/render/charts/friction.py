"""Figures of the Friction page: what makes each touchpoint's friction, and where it sits.

:func:`friction_components_figure` ranks the touchpoints by impact as stacked bars, one segment
per friction component. :func:`friction_heatmap` draws any grid of reach-weighted friction
(:class:`FrictionGrid`); :func:`stage_channel_heatmap` is its stage × channel view (the owner ×
stage view of the Executive Summary, :mod:`cxmap.render.charts.summary`, shares it).

Examples
--------
>>> from cxmap.analysis.scoring import ScoringSettings
>>> from cxmap.render.examples import demo_map
>>> figure = friction_components_figure(demo_map()[1], ScoringSettings().weights)
>>> [trace.name for trace in figure.data][:2]
['negative emotion', 'effort']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import plotly.graph_objects as go

from cxmap.analysis.scoring import COMPONENT_LABELS, COMPONENTS, JourneyAnalysis, TouchpointScore
from cxmap.render.charts.theme import FONT, NAME_LIMIT, bar_note, friction_colourscale, top_legend
from cxmap.render.text import escape

# One colour per friction component (Okabe–Ito: tellable apart with colour-vision deficiency).
COMPONENT_COLOURS = {
    "emotion": "#d55e00",
    "effort": "#e69f00",
    "pain": "#cc79a7",
    "feedback": "#0072b2",
    "drop_off": "#56b4e9",
}
NO_CHANNEL = "(no channel)"
HOVER_NAMES = 12  # touchpoint names listed in a heatmap cell's hover, at most


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

    Ranked by impact (friction × reach), #1 on top, and a bar's length is that impact, so the
    bars show what they are sorted by; each segment is what one component adds to it (its
    points of friction × reach), so every bar explains itself.
    """
    top = analysis.ranked()[:top_n]
    labels = [f"{rank}. {escape(t.name, NAME_LIMIT)}" for rank, t in enumerate(top, start=1)]
    shares = [weighted_contributions(t.components, weights) for t in top]
    total_weight = {
        t.key: sum(weights[k] for k in COMPONENTS if t.components.get(k) is not None) for t in top
    }
    figure = go.Figure()
    for component in COMPONENTS:
        customdata = [
            [
                escape(t.name),
                _component_value(t, component),
                f"{weights[component] / total_weight[t.key]:.0%}" if total_weight[t.key] else "–",
            ]
            for t in top
        ]
        figure.add_trace(
            go.Bar(
                name=COMPONENT_LABELS[component],
                orientation="h",
                x=[s[component] * t.reach for s, t in zip(shares, top, strict=True)],
                y=labels,
                marker={"color": COMPONENT_COLOURS[component], "line": {"width": 0}},
                customdata=[
                    [*row, f"{s[component]:.1f}"] for row, s in zip(customdata, shares, strict=True)
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>"
                    f"{COMPONENT_LABELS[component]}: %{{x:.1f}} points of impact "
                    "(%{customdata[3]} of friction × reach)<br>"
                    "measured %{customdata[1]} · weight %{customdata[2]}<extra></extra>"
                ),
            )
        )
    for label, t in zip(labels, top, strict=True):
        note = f"impact {t.impact:.0f} = friction {t.friction:.0f} × reach {t.reach:.0%}"
        bar_note(figure, label, note, xshift=6, x=t.impact)
    widest = max((t.impact for t in top), default=0.0)
    figure.update_layout(
        template="plotly_white",
        barmode="stack",
        height=110 + 44 * max(1, len(top)),
        # Plotly measures tick labels before the web font has loaded and then clips the longest
        # name: reserve about 7 px a character as the left margin's floor.
        margin={"l": 24 + 7 * max(map(len, labels), default=0), "r": 30, "t": 40, "b": 40},
        font=FONT,
        plot_bgcolor="#ffffff",
        legend=top_legend(itemwidth=30, font={"size": 13}, title=None, traceorder="normal"),
        xaxis={
            "title": "impact (friction × reach), by component",
            # Room at the right of the longest bar for its note.
            "range": [0, max(widest, 1.0) * 1.6],
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
class FrictionGrid:
    """Reach-weighted friction per (row, column) cell; None where no touchpoint is."""

    rows: list[str]
    columns: list[str]
    friction: list[list[float | None]]
    touchpoints: list[list[list[str]]]


class StageChannelFriction(FrictionGrid):
    """A :class:`FrictionGrid` of stages (rows) × channels (columns)."""

    @property
    def stages(self) -> list[str]:
        """The stage names (the rows)."""
        return self.rows

    @property
    def channels(self) -> list[str]:
        """The channels (the columns)."""
        return self.columns


Cells = dict[tuple[str, str], list[TouchpointScore]]
G = TypeVar("G", bound=FrictionGrid)


def group_cells(
    analysis: JourneyAnalysis, cell: Callable[[TouchpointScore], tuple[str, str]]
) -> Cells:
    """The touchpoints of ``analysis`` by their (row, column) ``cell``."""
    cells: Cells = defaultdict(list)
    for t in analysis.touchpoints:
        cells[cell(t)].append(t)
    return cells


def fill_grid(cells: Cells, rows: list[str], columns: list[str], kind: type[G]) -> G:
    """A grid of ``kind`` over ``rows`` × ``columns``: each cell the reach-weighted mean friction
    of its touchpoints (the plain mean when none of them is reached) and their names."""
    friction = [[_reach_weighted(cells.get((r, c), [])) for c in columns] for r in rows]
    names = [[[t.name for t in cells.get((r, c), [])] for c in columns] for r in rows]
    return kind(rows, columns, friction, names)


def stage_channel_friction(analysis: JourneyAnalysis) -> StageChannelFriction:
    """Group the touchpoints by stage (journey order) and channel (A–Z, no channel last).

    A cell's value is the reach-weighted mean friction of its touchpoints (the plain mean when
    none of them is reached), as for stages and owners in the analysis.

    >>> from cxmap.render.examples import demo_map
    >>> grid = stage_channel_friction(demo_map()[1])
    >>> grid.stages, grid.channels, grid.friction
    (['Stage 1', 'Stage 2', 'Stage 3'], ['web'], [[14.12], [47.06], [11.76]])
    """
    cells = group_cells(analysis, lambda t: (t.stage, t.channel or NO_CHANNEL))
    stages = [g.name for g in analysis.stages]
    stages += sorted({stage for stage, _ in cells} - set(stages))
    channels = sorted({c for _, c in cells} - {NO_CHANNEL}, key=str.casefold)
    if any(c == NO_CHANNEL for _, c in cells):
        channels.append(NO_CHANNEL)
    return fill_grid(cells, stages, channels, StageChannelFriction)


def _reach_weighted(members: list[TouchpointScore]) -> float | None:
    if not members:
        return None
    reach = sum(t.reach for t in members)
    if reach:
        return round(sum(t.reach * t.friction for t in members) / reach, 2)
    return round(sum(t.friction for t in members) / len(members), 2)


def stage_channel_heatmap(analysis: JourneyAnalysis) -> go.Figure:
    """Where friction sits: stages (rows) × channels (columns), reach-weighted friction."""
    return friction_heatmap(stage_channel_friction(analysis), row_height=56, roomy=True)


def friction_heatmap(grid: FrictionGrid, *, row_height: int, roomy: bool = False) -> go.Figure:
    """``grid`` on the friction colours (0 green … 100 red): each cell shows its value, its
    hover lists its touchpoints (:data:`HOVER_NAMES` at most); empty cells stay blank.
    ``roomy`` leaves more space around it (a page's main chart rather than a summary tile).

    >>> grid = FrictionGrid(["Buy"], ["web", "app"], [[40.0, None]], [[["Pays"], []]])
    >>> [list(row) for row in friction_heatmap(grid, row_height=40).data[0].text]
    [['40', '']]
    """
    rows, columns, friction = grid.rows, grid.columns, grid.friction
    hover = [
        [
            "<br>".join(
                [
                    f"<b>{escape(row_name)} · {escape(column)}</b>",
                    f"friction {value:.0f}/100 (weighted by reach)",
                    *(f"• {escape(name, 60)}" for name in names[:HOVER_NAMES]),
                    *(
                        [f"… and {len(names) - HOVER_NAMES} more"]
                        if len(names) > HOVER_NAMES
                        else []
                    ),
                ]
            )
            if value is not None
            else ""
            for column, value, names in zip(columns, row, cell_names, strict=True)
        ]
        for row_name, row, cell_names in zip(rows, friction, grid.touchpoints, strict=True)
    ]
    figure = go.Figure(
        go.Heatmap(
            z=friction,
            x=[escape(c, 24) for c in columns],
            y=[escape(r, 30) for r in rows],
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
