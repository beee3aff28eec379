"""The journey map canvas: stages as columns, lanes as rows, as one escaped HTML string.

Pure: no Streamlit, no database. :func:`journey_canvas` turns a map (and its analysis) into
two HTML fragments, the lanes above the emotion curve (stages, customer actions, touchpoints,
thoughts) and the lanes below it (pain points, opportunities). The page renders them with
``st.html`` (sanitised, no iframe, no scripts) around the plotly emotion curve
(:func:`cxmap.render.charts.emotion_curve`), inside one horizontally scrolling container.

- :mod:`~cxmap.render.canvas.layout`: geometry, palette, filters and columns (shared with the
  curve: point *i* of the curve sits under the card of column *i*);
- :mod:`~cxmap.render.canvas.lanes`: the HTML of the lanes and their cells;
- :mod:`~cxmap.render.canvas.style`: the CSS and the legend.

Every user string goes through :func:`cxmap.render.text.escape` (text and attributes alike); the
CSS is in a ``<style>`` block of the same string, and nothing is loaded from elsewhere (works
offline).

Examples
--------
>>> from cxmap.render.examples import demo_map
>>> canvas = journey_canvas(*demo_map())
>>> canvas.columns, canvas.width == LABEL_WIDTH + 3 * COLUMN_WIDTH
(3, True)
>>> "Touchpoint 2" in canvas.head
True
"""

from cxmap.render.canvas.lanes import CanvasHtml, journey_canvas
from cxmap.render.canvas.layout import (
    ALL_CUSTOMERS,
    ALL_CUSTOMERS_COLOUR,
    BAND_COLOURS,
    CHANNEL_ICONS,
    COLUMN_WIDTH,
    DIM_OPACITY,
    EMOTION_FACES,
    EMOTION_HEIGHT,
    EMOTION_MARGIN,
    EMOTION_RANGE,
    FALLBACK_ICON,
    LABEL_WIDTH,
    MAX_CHIPS,
    MOT_COLOUR,
    MOT_OUTLINE,
    NO_FILTERS,
    OPPORTUNITY_COLOURS,
    PAIN_BANDS,
    PERSONA_COLOURS,
    PERSONA_DASHES,
    SCROLL_KEY,
    STAGE_HEADER_COLOURS,
    STAGE_RULE,
    CanvasFilters,
    ChipColour,
    Column,
    channel_icon,
    emotion_y_pixel,
    layout_columns,
    opportunity_colour,
    opportunity_touchpoints,
    pain_colour,
    pain_score,
    persona_colour,
    persona_dash,
)
from cxmap.render.canvas.style import legend_html

__all__ = [
    "ALL_CUSTOMERS",
    "ALL_CUSTOMERS_COLOUR",
    "BAND_COLOURS",
    "CHANNEL_ICONS",
    "COLUMN_WIDTH",
    "DIM_OPACITY",
    "EMOTION_FACES",
    "EMOTION_HEIGHT",
    "EMOTION_MARGIN",
    "EMOTION_RANGE",
    "FALLBACK_ICON",
    "LABEL_WIDTH",
    "MAX_CHIPS",
    "MOT_COLOUR",
    "MOT_OUTLINE",
    "NO_FILTERS",
    "OPPORTUNITY_COLOURS",
    "PAIN_BANDS",
    "PERSONA_COLOURS",
    "PERSONA_DASHES",
    "SCROLL_KEY",
    "STAGE_HEADER_COLOURS",
    "STAGE_RULE",
    "CanvasFilters",
    "CanvasHtml",
    "ChipColour",
    "Column",
    "channel_icon",
    "emotion_y_pixel",
    "journey_canvas",
    "layout_columns",
    "legend_html",
    "opportunity_colour",
    "opportunity_touchpoints",
    "pain_colour",
    "pain_score",
    "persona_colour",
    "persona_dash",
]
