"""What the HTML, PNG and PDF exports share: their charts (in fonts every export machine has),
a plotly figure embedded as a div and script with plotly.js inlined, escaping of user text, and
the line of facts under the title.

Examples
--------
>>> escape('<b title="x">'), join("Sign-up", "", "Web")
('&lt;b title=&quot;x&quot;&gt;', 'Sign-up · Web')
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Callable, Iterable
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from cxmap.analysis.executive import ExecutiveSummary
from cxmap.core.records import JourneyAggregate
from cxmap.render import charts

EXPORT_FONT = "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"


def export_figures(report: ExecutiveSummary, names: Iterable[str]) -> dict[str, go.Figure]:
    """The named charts of the exports (built only when asked for: each takes a while)."""
    aggregate, analysis = report.aggregate, report.analysis
    personas = [p.id for p in aggregate.personas]
    builders: dict[str, Callable[[], go.Figure]] = {
        "curve": lambda: charts.compact_emotion_curve(
            aggregate,
            analysis,
            personas,
            height=520,
            show_legend=bool(personas),
            stage_chars=40,
            tick_angle=None,
        ),
        "components": lambda: charts.friction_components_figure(
            analysis, _scoring_weights(aggregate), top_n=10
        ),
        "matrix": lambda: charts.opportunity_matrix(aggregate, height=560),
        "owners": lambda: charts.owner_stage_heatmap(analysis),
        "channels": lambda: charts.stage_channel_heatmap(analysis),
    }
    return {name: export_font(builders[name]()) for name in names}


def export_font(figure: go.Figure) -> go.Figure:
    """Fonts every machine with the exports' Chromium has: the app's own list starts with
    Source Sans, which Streamlit serves, and then ``system-ui``, which headless Chromium may
    resolve to a serif face."""
    figure.update_layout(font_family=EXPORT_FONT)
    return figure


def _scoring_weights(aggregate: JourneyAggregate) -> dict[str, float]:
    from cxmap.analysis.scoring import ScoringSettings

    return dict(ScoringSettings.from_dict(aggregate.map.settings or {}).weights)


def _figure_json(figure: go.Figure) -> str:
    """The figure as JSON that is safe inside a <script> element."""
    text = pio.to_json(figure, validate=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def plot(figure: go.Figure, div_id: str, *, static: bool = False, style: str = "") -> str:
    """A div and the script that draws ``figure`` in it with the inlined plotly.js; counts the
    drawn plots in ``window.cxmapPlotted`` (the PNG renderer waits for them)."""
    config: dict[str, Any] = {"displaylogo": False, "responsive": not static, "staticPlot": static}
    if not static:
        config["modeBarButtonsToRemove"] = ["sendDataToCloud", "lasso2d", "select2d"]
    return (
        f'<div id="{div_id}" class="cx-plot" style="{style}"></div>'
        f"<script>Plotly.newPlot({json.dumps(div_id)}, {_figure_json(figure)}.data, "
        f"{_figure_json(figure)}.layout, {json.dumps(config)})"
        ".then(() => { window.cxmapPlotted = (window.cxmapPlotted || 0) + 1; });</script>"
    )


@functools.cache
def plotly_js() -> str:
    """The plotly.js bundle as text, for pages that inline it (read once)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def escape(text: object) -> str:
    """``text`` as HTML, quotes escaped too (safe in attribute values).

    >>> escape('<a href="x">')
    '&lt;a href=&quot;x&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


def user_text(text: str) -> str:
    """User text in its own element, running right to left when it is Persian or Arabic."""
    return f'<span dir="auto">{escape(text)}</span>'


def meta_line(report: ExecutiveSummary, kind: str = "Executive summary") -> str:
    """The line under a report's title: state, counts, revision and the export date."""
    aggregate = report.aggregate
    return (
        f"{kind} · {aggregate.map.state} state · {len(aggregate.stages)} stages · "
        f"{len(aggregate.touchpoints)} touchpoints · {len(aggregate.feedback)} feedback rows · "
        f"revision {aggregate.map.revision} · exported {report.exported:%d %b %Y}"
    )


def join(*parts: str) -> str:
    """The non-empty ``parts`` joined with " · ".

    >>> join("3 stages", "", "revision 7")
    '3 stages · revision 7'
    """
    return " · ".join(p for p in parts if p)
