"""The emotion curve of the Journey Map page, drawn on the columns of the journey canvas.

:mod:`cxmap.render.canvas` draws the lanes above and below it; the curve shares their geometry
(label column, column width, stage bands, dimmed columns), so point *i* sits under the card of
column *i*. The Executive Summary's compact curve (:mod:`cxmap.render.charts.summary`) is this
figure resized.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import plotly.graph_objects as go

from cxmap.analysis.scoring import JourneyAnalysis, touchpoint_emotion
from cxmap.core.messages import Message, render
from cxmap.core.records import JourneyAggregate, TouchpointRecord
from cxmap.render import canvas
from cxmap.render.canvas import CanvasFilters, Column
from cxmap.render.charts.theme import FONT, note_empty, top_legend
from cxmap.render.text import escape


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
    >>> from cxmap.render.examples import demo_map
    >>> figure = emotion_curve(*demo_map())
    >>> [trace.name for trace in figure.data]
    ['All customers', 'moment of truth']
    >>> figure.data[0].x, figure.data[0].y
    ((0, 1, 2), (0.0, -2.0, 1.0))
    """
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
    names = [escape(t.name) for _, t in slots]
    stages = {s.id: escape(s.name) for s in aggregate.stages}
    figure.add_trace(
        go.Scatter(
            name=canvas.ALL_CUSTOMERS,
            x=x,
            y=[overall(t) for _, t in slots],
            mode="lines+markers",
            connectgaps=False,  # no line across a touchpoint nobody scored
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
        scored = any(e is not None for e in found)
        figure.add_trace(
            go.Scatter(
                name=escape(persona.name) + ("" if scored else " (no scores)"),
                x=x,
                y=[None if e is None else e.score for e in found],
                mode="lines+markers",
                connectgaps=False,  # a gap where the persona has no score: not a guess
                line={
                    "color": canvas.persona_colour(index),
                    "width": 2.5,
                    "dash": canvas.persona_dash(index),
                },
                marker={"size": 7, "color": canvas.persona_colour(index)},
                customdata=[
                    [n, "" if e is None or not e.label else f" ({escape(e.label)})"]
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
                [escape(t.name), "<br>".join(escape(render(r)) for r in reasons)]
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
        legend=top_legend(y=1.02, title=None),
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
        note_empty(figure, "No touchpoints to show")
    return figure


def _journey_shapes(
    figure: go.Figure, columns: Sequence[Column], bottom: float, top: float
) -> None:
    """The canvas's stage bands and rules behind the curve, and a veil over dimmed columns,
    from ``bottom`` to ``top`` (paper units: beyond 0…1 they fill the margins too, so the bands
    run on from the lanes above to the lanes below without a break)."""

    def span(x0: float, x1: float, layer: str, **look: object) -> None:
        figure.add_shape(
            layer=layer, xref="x", yref="paper", x0=x0, x1=x1, y0=bottom, y1=top, **look
        )

    starts = [i for i, c in enumerate(columns) if c.first_of_stage]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(columns)
        band = canvas.BAND_COLOURS[columns[start].stage_index % 2]
        span(start - 0.5, end - 0.5, "below", type="rect", line={"width": 0}, fillcolor=band)
        rule = {"color": canvas.STAGE_RULE, "width": 2}
        span(start - 0.5, start - 0.5, "below", type="line", line=rule)
    veil = f"rgba(255,255,255,{1 - canvas.DIM_OPACITY:.2f})"
    for i, column in enumerate(columns):
        if column.dimmed:
            span(i - 0.5, i + 0.5, "above", type="rect", line={"width": 0}, fillcolor=veil)
