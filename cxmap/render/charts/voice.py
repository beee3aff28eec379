"""Figures of the Voice of the Customer page: NPS and CSAT by month and by group.

Plain numbers in (:class:`ScorePoint`, built by the page from :mod:`cxmap.analysis.metrics`),
plotly out. Group names come from users (stages, touchpoints, segments, sources): escaped like
all text. Points from few answers are drawn hollow or pale, with their 95% interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go

from cxmap.render.charts.theme import FONT, NAME_LIMIT, bar_note, top_legend
from cxmap.render.text import escape

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
        """The 95% interval as hover text (" · 95% 18…62"), or "" when the point has none.

        >>> ScorePoint("Jan", 40.0, 12, 18.2, 61.5).interval()
        ' · 95% 18…62'
        >>> ScorePoint("Feb", 40.0, 90).interval()
        ''
        """
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
                name=escape(name),
                x=[escape(p.label) for p in present],
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
                    f"<b>%{{x|%B %Y}}</b><br>{escape(name)}: %{{y:.0f}} "
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
        legend=top_legend(title=None),
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
    labels = [escape(p.label, NAME_LIMIT) for p in present]
    base = VOC_COLOURS.get(metric, VOC_COLOURS["NPS"])
    colours = [VOC_COLOURS["negative"] if metric == "NPS" and v < 0 else base for v in values]
    figure = go.Figure(
        go.Bar(
            name=escape(metric),
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
                f"<b>%{{y}}</b><br>{escape(metric)}: %{{x:.0f}} "
                "(n = %{customdata[0]}%{customdata[1]})<extra></extra>"
            ),
        )
    )
    # Value and n in a column right of the plot: a label at the bar's end would run into the
    # group names (bars below zero) or off the plot (bars near 100).
    for label, point, value in zip(labels, present, values, strict=True):
        bar_note(figure, label, f"{value:.0f} (n = {point.n})", xshift=10, x=1.0, xref="paper")
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
