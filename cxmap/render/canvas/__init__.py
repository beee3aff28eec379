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

# Each module names its public API in ``__all__``; the package re-exports all three.
from cxmap.render.canvas import lanes, layout, style
from cxmap.render.canvas.lanes import *  # noqa: F403
from cxmap.render.canvas.layout import *  # noqa: F403
from cxmap.render.canvas.style import *  # noqa: F403

__all__ = [*layout.__all__, *lanes.__all__, *style.__all__]
