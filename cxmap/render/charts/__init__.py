"""Plotly figures from plain data (analysis results, records): no Streamlit, no database.

One module per page section, each re-exported here (``charts.emotion_curve`` and so on):

- :mod:`~cxmap.render.charts.theme`: font, friction colours, the note on an empty chart;
- :mod:`~cxmap.render.charts.friction`: the Friction page's component bars and heatmaps;
- :mod:`~cxmap.render.charts.journey`: the Journey Map page's emotion curve;
- :mod:`~cxmap.render.charts.voice`: the Voice of the Customer page's NPS and CSAT charts;
- :mod:`~cxmap.render.charts.summary`: the Executive Summary's figures (also in the exports).

Plotly renders a subset of HTML in labels, tick labels and hover text, so every user string is
passed through :func:`cxmap.render.text.escape` first (plotly turns the entities back into the
characters).

Examples
--------
>>> figure = voc_group_figure([ScorePoint("Onboarding", 30.0, 40)])
>>> figure.data[0].y, figure.data[0].x
(('Onboarding',), (30.0,))
"""

from cxmap.render.charts.friction import (
    COMPONENT_COLOURS,
    NO_CHANNEL,
    FrictionGrid,
    StageChannelFriction,
    friction_components_figure,
    friction_heatmap,
    stage_channel_friction,
    stage_channel_heatmap,
    weighted_contributions,
)
from cxmap.render.charts.journey import emotion_curve
from cxmap.render.charts.summary import (
    LABEL_PLACES,
    MATRIX_LABEL_LIMIT,
    MATRIX_MAX_LABELS,
    MATRIX_MIDPOINT,
    MATRIX_QUADRANTS,
    NO_OWNER,
    STAGE_TICK_LIMIT,
    SUMMARY_CURVE_HEIGHT,
    compact_emotion_curve,
    label_positions,
    opportunity_matrix,
    owner_stage_friction,
    owner_stage_heatmap,
    quadrant,
)
from cxmap.render.charts.theme import (
    FONT,
    FRICTION_COLOURS,
    NAME_LIMIT,
    friction_colour,
    friction_colourscale,
)
from cxmap.render.charts.voice import (
    VOC_COLOURS,
    VOC_SMALL_SAMPLE,
    ScorePoint,
    voc_group_figure,
    voc_trend_figure,
)

__all__ = [
    "COMPONENT_COLOURS",
    "FONT",
    "FRICTION_COLOURS",
    "LABEL_PLACES",
    "MATRIX_LABEL_LIMIT",
    "MATRIX_MAX_LABELS",
    "MATRIX_MIDPOINT",
    "MATRIX_QUADRANTS",
    "NAME_LIMIT",
    "NO_CHANNEL",
    "NO_OWNER",
    "STAGE_TICK_LIMIT",
    "SUMMARY_CURVE_HEIGHT",
    "VOC_COLOURS",
    "VOC_SMALL_SAMPLE",
    "FrictionGrid",
    "ScorePoint",
    "StageChannelFriction",
    "compact_emotion_curve",
    "emotion_curve",
    "friction_colour",
    "friction_colourscale",
    "friction_components_figure",
    "friction_heatmap",
    "label_positions",
    "opportunity_matrix",
    "owner_stage_friction",
    "owner_stage_heatmap",
    "quadrant",
    "stage_channel_friction",
    "stage_channel_heatmap",
    "voc_group_figure",
    "voc_trend_figure",
    "weighted_contributions",
]
