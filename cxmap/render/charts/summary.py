"""Figures of the Executive Summary page and of the HTML/PDF exports (:mod:`cxmap.render.report`).

The emotion curve made compact (:func:`compact_emotion_curve`), the opportunity matrix
(customer × business value, bubbles sized by effort) and friction by owner department × stage
(:func:`owner_stage_heatmap`, the friction page's heatmap on another grid).
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence

import plotly.graph_objects as go

from cxmap.analysis.scoring import JourneyAnalysis
from cxmap.core.records import JourneyAggregate
from cxmap.render import canvas
from cxmap.render.charts.friction import FrictionGrid, fill_grid, friction_heatmap, group_cells
from cxmap.render.charts.journey import emotion_curve
from cxmap.render.charts.theme import FONT, MUTED, note_empty, top_legend
from cxmap.render.text import escape

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
    >>> from cxmap.render.examples import demo_map
    >>> figure = compact_emotion_curve(*demo_map())
    >>> figure.layout.width is None, figure.layout.xaxis.ticktext
    (True, ('Stage 1', 'Stage 2', 'Stage 3'))
    """
    figure = emotion_curve(aggregate, analysis, persona_ids, show_legend=show_legend)
    columns = canvas.layout_columns(aggregate)
    starts = [i for i, c in enumerate(columns) if c.first_of_stage]
    ends = [*starts[1:], len(columns)]
    centres = [(start + end - 1) / 2 for start, end in zip(starts, ends, strict=True)]
    names = [escape(columns[start].stage.name, stage_chars) for start in starts]
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
    touchpoint_name = {t.id: t.name for t in aggregate.touchpoints}
    touchpoint_of = canvas.opportunity_touchpoints(aggregate)
    placed = [
        o
        for o in aggregate.opportunities
        if o.customer_value is not None and o.business_value is not None
    ]
    show_labels = len(placed) <= MATRIX_MAX_LABELS if labels is None else labels
    label_texts = {o.id: escape(o.title or "(untitled)", MATRIX_LABEL_LIMIT) for o in placed}
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
        where = [
            escape(touchpoint_name.get(touchpoint_of[o.id] or -1, "the whole journey"))
            for o in members
        ]
        figure.add_trace(
            go.Scatter(
                name=escape(status),
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
                        escape(o.title or "(untitled)"),
                        place,
                        "not set" if o.effort is None else f"{o.effort}/5",
                    ]
                    for o, place in zip(members, where, strict=True)
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>at %{customdata[1]}<br>"
                    "customer value %{x} · business value %{y}<br>"
                    f"effort %{{customdata[2]}} · {escape(status)}<extra></extra>"
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
            font={"size": 13, "color": "#0f766e" if customer_high and business_high else MUTED},
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
        note_empty(figure, "No opportunity has both a customer and a business value yet")
    elif left_out:
        figure.add_annotation(
            text=f"{left_out} more without both values are not shown",
            x=0,
            y=-0.13,
            xref="paper",
            yref="paper",
            xanchor="left",
            showarrow=False,
            font={"size": 12, "color": MUTED},
        )
    figure.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 40, "b": 60},
        font=FONT,
        plot_bgcolor="#ffffff",
        legend=top_legend(title={"text": "status "}, itemsizing="constant"),
        xaxis=_value_axis("customer value (0–100)"),
        yaxis=_value_axis("business value (0–100)"),
        hoverlabel={"font": {"size": 14}, "bgcolor": "#ffffff"},
    )
    return figure


def _value_axis(title: str) -> dict[str, object]:
    """An axis of the matrix: a value 0…100 with a little air at both ends."""
    return {
        "title": title,
        "range": [-4, 104],
        "tickvals": [0, 25, 50, 75, 100],
        "gridcolor": "#eef2f1",
        "zeroline": False,
    }


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


def owner_stage_friction(analysis: JourneyAnalysis) -> FrictionGrid:
    """Who owns the pain: owner departments (rows, by total impact, highest first) × stages
    (columns, in journey order), each cell the reach-weighted friction of its touchpoints,
    computed like the Friction page's stage × channel grid (same :func:`fill_grid`).

    Examples
    --------
    >>> from cxmap.render.examples import demo_map
    >>> grid = owner_stage_friction(demo_map()[1])
    >>> grid.rows, grid.columns, grid.friction
    (['Digital'], ['Stage 1', 'Stage 2', 'Stage 3'], [[14.12, 47.06, 11.76]])
    """
    cells = group_cells(analysis, lambda t: (t.owner or NO_OWNER, t.stage))
    rows = [g.name for g in analysis.owners if any(owner == g.name for owner, _ in cells)]
    rows += sorted({owner for owner, _ in cells} - set(rows), key=str.casefold)
    columns = [g.name for g in analysis.stages if any(stage == g.name for _, stage in cells)]
    columns += sorted({stage for _, stage in cells} - set(columns), key=str.casefold)
    return fill_grid(cells, rows, columns, FrictionGrid)


def owner_stage_heatmap(analysis: JourneyAnalysis) -> go.Figure:
    """:func:`owner_stage_friction` as a heatmap on the friction colours (0 green … 100 red)."""
    return friction_heatmap(owner_stage_friction(analysis), row_height=40)
