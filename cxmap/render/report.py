"""The executive summary of a map, and its exports for people outside the app: HTML, PDF, PNG.

:func:`executive_summary` gathers what the Executive Summary page shows (KPIs with their change,
the three answers, the top touchpoints by impact, customers at risk, the self-assessment) from a
map and its analysis; the exports lay the same content out for a file:

* :func:`to_html`: one self-contained page that opens offline: the journey canvas
  (:mod:`cxmap.render.canvas`) with its emotion curve, the charts (plotly.js inlined once, no CDN),
  the friction table and the moments of truth. Every user string is escaped.
* :func:`to_pdf`: an A4 landscape report (cover with KPIs, the journey map as a grid of stages ×
  touchpoints, the emotion curve, the friction table, moments of truth and customers at risk,
  the opportunity matrix, who owns the pain). Charts are PNGs rendered by kaleido; Noto Sans and
  Noto Naskh Arabic are embedded, and Arabic-script text is shaped by HarfBuzz.
* :func:`to_png`: an image of the journey canvas with its emotion curve, as the Journey Map
  page draws it (an overview of stages and curve when the map is too wide for one image).

PDF and PNG need a Chromium browser (Debian's ``/usr/bin/chromium``, or ``BROWSER_PATH``): one
browser is started per export and renders every image of it; without one they raise
:class:`ExportUnavailable` with what to do. HTML needs no browser.

Examples
--------
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> chain = demo_chain()
>>> report = executive_summary(chain, analyze(chain))
>>> [t.name for t in report.top]
['Touchpoint 2', 'Touchpoint 1', 'Touchpoint 3']
>>> page = to_html(report)
>>> page.startswith("<!DOCTYPE html>") and "src=" not in page.replace(_plotly_js(), "")
True
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import datetime as dt
import functools
import html
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
import plotly.io as pio

from cxmap.analysis import metrics, summary
from cxmap.analysis.scoring import JourneyAnalysis, TouchpointScore
from cxmap.core.errors import CxmapError
from cxmap.core.messages import render, render_all
from cxmap.core.records import JourneyAggregate, OpportunityRecord
from cxmap.render import canvas, charts

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
TOP = 5  # touchpoints in "where it hurts most" and in the at-risk estimate
KPI_DAYS = 90  # the period of the KPIs, compared with the same length before it
COMPARED = f"vs the {KPI_DAYS} days before"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SETUP_HINT = (
    "run `make browser` (scripts/install-browser.sh installs Debian's chromium), "
    "or set BROWSER_PATH to a Chrome or Chromium executable"
)
PNG_SCALE = 2  # device pixels per CSS pixel of the PNG (and of the PDF's charts)
CHART_WIDTH_PX = 1500  # CSS px of the PDF's charts (rendered at PNG_SCALE)
MATRIX_WIDTH_PX = 850  # the opportunity matrix: narrower, so its labels print larger
PNG_MAX_PIXELS = 16_000  # widest PNG: wider canvases get the overview image instead
OVERVIEW_WIDTH = 1600  # CSS px of the overview image
RENDER_TIMEOUT = 120  # seconds for the browser to render one image
EXPORT_FONT = "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"


class ExportUnavailable(CxmapError):
    """An export that cannot be made on this machine (no browser to render its images)."""


# ---------------------------------------------------------------- what the summary says


@dataclass(frozen=True)
class Tile:
    """One KPI as the page and the exports show it.

    ``value`` and ``change`` are display text; ``change`` is None where there is no trend
    (``note`` says why). ``detail`` gives n and, below 30 answers, the 95% interval.
    """

    label: str
    value: str
    detail: str
    help: str
    n: int | None = None
    change: str | None = None
    change_value: float | None = None
    note: str = ""

    @property
    def change_text(self) -> str:
        """The change with what it compares to, e.g. ``+7 points vs the 90 days before``."""
        return f"{self.change} {COMPARED}" if self.change else ""


@dataclass(frozen=True)
class Answers:
    """The three questions an executive asks, answered in a sentence each (plain text)."""

    how: str
    where: str
    what: str


@dataclass(frozen=True)
class NextStep:
    """An open opportunity at one of the touchpoints that hurt most."""

    opportunity: OpportunityRecord
    touchpoint: TouchpointScore
    rank: int


@dataclass(frozen=True)
class ExecutiveSummary:
    """Everything the summary page and the exports show about one map, computed once."""

    aggregate: JourneyAggregate
    analysis: JourneyAnalysis
    kpis: list[summary.Kpi]
    top: list[TouchpointScore]
    risk: list[summary.RiskEstimate]
    assumptions: summary.RiskAssumptions
    assessment: summary.Assessment | None
    next_step: NextStep | None
    exported: dt.date = field(default_factory=dt.date.today)

    @property
    def name(self) -> str:
        return self.aggregate.map.name

    @property
    def has_dated_feedback(self) -> bool:
        return any(f.created_at is not None for f in self.aggregate.feedback)

    @property
    def period(self) -> str:
        return self.kpis[0].period if self.kpis else ""

    def tiles(self) -> list[Tile]:
        """Journey health, completion, then NPS, CSAT and CES with n and their change."""
        analysis = self.analysis
        tiles = [
            Tile(
                "Journey health",
                f"{analysis.health:.0f}/100" if analysis.touchpoints else "–",
                "100 − reach-weighted friction",
                "100 minus the reach-weighted mean friction of the touchpoints: 100 is a "
                "journey without friction.",
            ),
            Tile(
                "Completion",
                f"{analysis.completion:.0%}" if analysis.touchpoints else "–",
                "reach the end of the journey",
                "The share of customers entering the journey who reach its end (drop-off "
                "taken out), from the map's transitions.",
            ),
        ]
        return tiles + [_kpi_tile(kpi, self.has_dated_feedback) for kpi in self.kpis]

    def answers(self) -> Answers:
        """How are we doing, where does it hurt most, what to fix first."""
        analysis = self.analysis
        if not analysis.touchpoints:
            nothing = "The map has no touchpoints yet."
            return Answers(nothing, nothing, "Add stages and touchpoints first.")
        how = (
            f"Health {analysis.health:.0f}/100; {analysis.completion:.0%} of customers complete "
            "the journey"
        )
        nps = self.kpis[0] if self.kpis else None
        if nps is not None and nps.now.value is not None:
            how += f"; NPS {nps.now.value:+.0f} (n = {nps.now.n})"
            if nps.change is not None:
                how += f", {_movement(nps.change)} on the {KPI_DAYS} days before"
        how += "."
        if not self.top:
            return Answers(
                how,
                "Nothing hurts yet: no touchpoint has friction. Record emotions, effort, pain "
                "points or feedback to find out.",
                "Nothing to fix yet.",
            )
        worst = self.top[0]
        causes = render(worst.explain(limit=2))
        where = (
            f"{worst.name} ({worst.owner or worst.stage or 'no owner'}): friction "
            f"{worst.friction:.0f}/100, met by {worst.reach:.0%} of customers; {causes}."
        )
        step = self.next_step
        if step is None:
            what = (
                f"{worst.name}: the highest impact (friction × reach) and no open opportunity "
                "yet. Add one on the Journey Builder page."
            )
        else:
            o = step.opportunity
            what = (
                f"{step.touchpoint.name} (#{step.rank} by impact): “{o.title or 'untitled'}”, "
                f"{o.status}{f' (effort {o.effort} of 5)' if o.effort else ''}."
            )
        return Answers(how, where, what)


def executive_summary(
    aggregate: JourneyAggregate,
    analysis: JourneyAnalysis,
    *,
    exported: dt.date | None = None,
) -> ExecutiveSummary:
    """The summary of a map with its analysis; the map's settings hold the at-risk
    assumptions (``risk``) and the self-assessment (``assessment``)."""
    settings = aggregate.map.settings or {}
    assumptions = summary.RiskAssumptions.from_dict(settings.get("risk") or {})
    answers = settings.get("assessment") or {}
    top = [t for t in analysis.ranked() if t.impact > 0][:TOP]
    return ExecutiveSummary(
        aggregate=aggregate,
        analysis=analysis,
        kpis=summary.kpis(aggregate, KPI_DAYS),
        top=top,
        risk=summary.risk_at_worst_touchpoints(aggregate, analysis, assumptions, TOP),
        assumptions=assumptions,
        assessment=summary.Assessment(answers) if answers else None,
        next_step=next_step(aggregate, top),
        exported=exported or dt.date.today(),
    )


def next_step(aggregate: JourneyAggregate, top: Sequence[TouchpointScore]) -> NextStep | None:
    """The open opportunity (not done) at the highest-ranked of the ``top`` touchpoints; among
    several there, the one with the most value per effort."""
    rank = {t.id: n for n, t in enumerate(top, start=1)}
    by_id = {t.id: t for t in top}
    pain_touchpoint = {p.id: p.touchpoint_id for p in aggregate.pain_points}
    candidates = []
    for o in aggregate.opportunities:
        touchpoint_id = o.touchpoint_id
        if touchpoint_id is None and o.pain_point_id is not None:
            touchpoint_id = pain_touchpoint.get(o.pain_point_id)
        if o.status == "done" or touchpoint_id not in rank:
            continue
        value = (o.customer_value or 0) + (o.business_value or 0)
        candidates.append((rank[touchpoint_id], -value / (o.effort or 3), o.id, o))
    if not candidates:
        return None
    best_rank, _, _, best = min(candidates, key=lambda c: c[:3])
    return NextStep(best, by_id[top[best_rank - 1].id], best_rank)


def _kpi_tile(kpi: summary.Kpi, dated: bool) -> Tile:
    score, name = kpi.now, kpi.name
    if score.value is None:
        return Tile(name, "–", "no answers yet", _KPI_HELP[name], note=f"No {name} answers yet")
    if isinstance(score, metrics.CesScore):
        value, change_format = f"{score.value:.1f}/7", "{:+.1f}"
    elif isinstance(score, metrics.CsatScore):
        value, change_format = f"{score.value:.0f}%", "{:+.0f} points"
    else:
        value, change_format = f"{score.value:+.0f}", "{:+.0f} points"
    detail = f"n = {score.n}"
    if isinstance(score, metrics.CesScore) and score.agree is not None:
        detail += f" · {score.agree:.0f}% agree"
    if score.low is not None and score.high is not None:
        # For CES the interval is of the share agreeing (5–7), not of the mean.
        detail += f"{',' if isinstance(score, metrics.CesScore) else ' ·'} 95% "
        detail += f"{score.low:.0f}…{score.high:.0f}"
        detail += "%" if isinstance(score, metrics.CesScore) else ""
    if not dated:
        return Tile(name, value, detail, _KPI_HELP[name], score.n, note="no dates: no trend")
    if kpi.change is None:
        note = f"no answers in the {KPI_DAYS} days before: no trend"
        return Tile(name, value, detail, _KPI_HELP[name], score.n, note=note)
    change = change_format.format(kpi.change)
    return Tile(name, value, detail, _KPI_HELP[name], score.n, change, kpi.change)


_KPI_HELP = {
    "NPS": "Net Promoter Score: 100 × (promoters 9–10 − detractors 0–6) / n, −100…100.",
    "CSAT %": "Customer satisfaction: the share of 1–5 answers that are 4 or 5.",
    "CES (1–7)": "Customer effort, 1–7 agreement that it was easy: the mean (higher is easier) "
    "and the share agreeing (5–7).",
}


def _movement(change: float) -> str:
    if round(change) == 0:
        return "about the same as"
    return f"{'up' if change > 0 else 'down'} {abs(change):.0f} points"


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class PlacedOpportunity:
    """An opportunity with the touchpoint it improves and its corner of the matrix."""

    opportunity: OpportunityRecord
    touchpoint: str | None
    quadrant: str | None


def ranked_opportunities(aggregate: JourneyAggregate) -> list[PlacedOpportunity]:
    """Every opportunity: the do-first corner first, open before done, then by value per
    effort (customer + business value, divided by effort; unknown effort counts as 3)."""
    names = {t.id: t.name for t in aggregate.touchpoints}
    pain_touchpoint = {p.id: p.touchpoint_id for p in aggregate.pain_points}
    corners = list(charts.MATRIX_QUADRANTS.values())
    placed = []
    for o in aggregate.opportunities:
        touchpoint_id = o.touchpoint_id
        if touchpoint_id is None and o.pain_point_id is not None:
            touchpoint_id = pain_touchpoint.get(o.pain_point_id)
        quadrant = (
            charts.quadrant(o.customer_value, o.business_value)
            if o.customer_value is not None and o.business_value is not None
            else None
        )
        placed.append(PlacedOpportunity(o, names.get(touchpoint_id or -1), quadrant))

    def order(p: PlacedOpportunity) -> tuple[int, bool, float, int]:
        o = p.opportunity
        value = ((o.customer_value or 0) + (o.business_value or 0)) / (o.effort or 3)
        corner = corners.index(p.quadrant) if p.quadrant else len(corners)
        return corner, o.status == "done", -value, o.id

    return sorted(placed, key=order)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def risk_formula(assumptions: summary.RiskAssumptions) -> str:
    """The at-risk formula in words, with the assumptions' values."""
    text = (
        "customers at risk = customers passing the touchpoint × share with a bad experience "
        f"there × share who leave after one bad experience ({assumptions.leave_after_bad:.0%})"
    )
    if assumptions.value_per_customer:
        text += (
            f"; value at risk = customers at risk × {assumptions.value_per_customer:,.0f} a "
            "customer"
        )
    if assumptions.retention_cost_per_customer:
        text += (
            f"; cost to win them back = customers at risk × {assumptions.acquisition_multiple:g}"
            f" × {assumptions.retention_cost_per_customer:,.0f} (cost of keeping one)"
        )
    return text


# ---------------------------------------------------------------- figures shared by the exports


def _figures(report: ExecutiveSummary, names: Iterable[str]) -> dict[str, go.Figure]:
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
    return {name: _export_font(builders[name]()) for name in names}


def _export_font(figure: go.Figure) -> go.Figure:
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


def _plot(figure: go.Figure, div_id: str, *, static: bool = False, style: str = "") -> str:
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
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


# ---------------------------------------------------------------- HTML

_HTML_CSS = """
:root { color-scheme: light; }
body { margin: 0; font: 15px/1.45 "Noto Sans", "Source Sans 3", system-ui, sans-serif;
  color: #1f2933; background: #ffffff; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 30px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 34px 0 8px; border-bottom: 2px solid #e2e8f0; padding-bottom: 4px; }
.meta, .note { color: #52606d; font-size: 14px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px;
  margin: 16px 0; }
.tile { border: 1px solid #d9e2ec; border-radius: 8px; padding: 10px 14px; }
.tile .label { font-size: 14px; color: #334155; }
.tile .value { font-size: 30px; line-height: 1.2; }
.tile .change { font-size: 14px; font-weight: 600; }
.tile .up { color: #15803d; } .tile .down { color: #b91c1c; } .tile .flat { color: #52606d; }
.tile .detail { font-size: 13px; color: #52606d; }
.answers { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
.answer { background: #f1f6f5; border-left: 5px solid #0f766e; padding: 10px 14px;
  border-radius: 4px; }
.answer b { display: block; color: #0f766e; margin-bottom: 2px; }
.canvas-scroll { overflow-x: auto; border: 1px solid #e2e8f0; border-radius: 6px; }
table.data { border-collapse: collapse; width: 100%; font-size: 14px; }
table.data th { background: #0f766e; color: #ffffff; text-align: left; padding: 6px 8px;
  position: sticky; top: 0; }
table.data td { border-bottom: 1px solid #e2e8f0; padding: 5px 8px; vertical-align: top; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { display: inline-block; height: 9px; border-radius: 2px; vertical-align: middle;
  margin-right: 6px; }
.mots { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
.mot { border: 2px solid #f59e0b; border-radius: 8px; padding: 8px 12px; }
.mot .star { color: #f59e0b; }
.mot ul { margin: 4px 0 0; padding-left: 20px; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
.absent { color: #52606d; font-style: italic; }
footer { margin-top: 40px; color: #52606d; font-size: 13px; }
@media (max-width: 900px) { .answers, .two { grid-template-columns: 1fr; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _u(text: str) -> str:
    """User text in its own element, running right to left when it is Persian or Arabic."""
    return f'<span dir="auto">{_e(text)}</span>'


def to_html(report: ExecutiveSummary) -> str:
    """One self-contained HTML page: open it anywhere, offline (plotly.js is inlined)."""
    aggregate, analysis = report.aggregate, report.analysis
    figures = _figures(report, ["components", "owners", "channels", "matrix"])
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.name)} · cxmap</title>",
        '<meta name="generator" content="cxmap">',
        f"<style>{_HTML_CSS}</style>",
        f"<script>{_plotly_js()}</script>",
        "</head><body><main>",
        f'<h1 dir="auto">{_e(report.name)}</h1>',
        f'<p class="meta">{_e(_meta_line(report))}</p>',
    ]
    if aggregate.map.description:
        parts.append(f'<p dir="auto">{_e(aggregate.map.description)}</p>')
    parts.append(_html_tiles(report))
    answers = report.answers()
    parts.append(
        '<div class="answers">'
        + "".join(
            f'<div class="answer"><b>{_e(q)}</b><span dir="ltr">{_e(a)}</span></div>'
            for q, a in (
                ("How are we doing?", answers.how),
                ("Where does it hurt most?", answers.where),
                ("What to fix first?", answers.what),
            )
        )
        + "</div>"
    )
    parts.append("<h2>Journey map</h2>")
    if aggregate.touchpoints:
        parts.append(_html_canvas(report))
        parts.append(
            '<p class="note">Scroll sideways for the whole journey; hover a card or a point '
            "for the numbers behind it.</p>"
        )
    else:
        parts.append('<p class="absent">No touchpoints yet: nothing to draw.</p>')
    parts.append("<h2>Where it hurts: what to fix first</h2>")
    if analysis.touchpoints:
        parts.append(
            '<p class="note">Impact = friction × reach. Each bar is a touchpoint\'s friction '
            "(0–100), split into what causes it.</p>"
        )
        parts.append(_plot(figures["components"], "cx-components"))
        parts.append(_html_friction_table(analysis))
    else:
        parts.append('<p class="absent">No touchpoints yet: no friction to show.</p>')
    parts.append("<h2>Moments of truth</h2>")
    parts.append(_html_moments(analysis))
    parts.append("<h2>Who owns the pain</h2>")
    if analysis.touchpoints:
        parts.append(
            '<p class="note">Friction by owner department × stage, weighted by reach '
            "(departments with the most impact on top; empty: no touchpoint).</p>"
            '<div class="two"><div>'
            + _plot(figures["owners"], "cx-owners")
            + '</div><div><p class="note">… and by stage × channel</p>'
            + _plot(figures["channels"], "cx-channels")
            + "</div></div>"
        )
    else:
        parts.append('<p class="absent">No touchpoints yet.</p>')
    parts.append("<h2>Opportunities</h2>")
    if aggregate.opportunities:
        parts.append(
            '<p class="note">Customer value × business value; bigger bubbles take less effort; '
            "colour is the status.</p>"
        )
        parts.append(_plot(figures["matrix"], "cx-matrix", style="max-width:900px"))
    else:
        parts.append('<p class="absent">No opportunities recorded yet.</p>')
    parts.append("<h2>Customers at risk (an estimate)</h2>")
    parts.append(_html_risk(report))
    if report.assessment is not None and report.assessment.stage is not None:
        stage, meaning = report.assessment.stage
        parts.append("<h2>CRM or CX? (self-assessment)</h2>")
        parts.append(
            f"<p><b>{_e(stage)}</b> ({report.assessment.score:.1f} of 5): {_e(meaning)}.</p>"
        )
    parts.append(
        f"<footer>Made with cxmap on {report.exported:%d %B %Y}. Friction, reach and moments "
        "of truth follow the model in cxmap's docs/scoring.md.</footer>"
    )
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _meta_line(report: ExecutiveSummary, kind: str = "Executive summary") -> str:
    aggregate = report.aggregate
    return (
        f"{kind} · {aggregate.map.state} state · {len(aggregate.stages)} stages · "
        f"{len(aggregate.touchpoints)} touchpoints · {len(aggregate.feedback)} feedback rows · "
        f"revision {aggregate.map.revision} · exported {report.exported:%d %b %Y}"
    )


def _html_tiles(report: ExecutiveSummary) -> str:
    cells = []
    for tile in report.tiles():
        if tile.change is not None:
            value = tile.change_value or 0.0
            direction = "up" if value > 0.05 else "down" if value < -0.05 else "flat"
            change = f'<div class="change {direction}">{_e(tile.change_text)}</div>'
        else:
            change = f'<div class="detail">{_e(tile.note)}</div>' if tile.note else ""
        cells.append(
            f'<div class="tile" title="{_e(tile.help)}"><div class="label">{_e(tile.label)}</div>'
            f'<div class="value">{_e(tile.value)}</div>{change}'
            f'<div class="detail">{_e(tile.detail)}</div></div>'
        )
    period = f'<p class="note">Feedback: {_e(report.period)}.</p>' if report.period else ""
    return f'<div class="tiles">{"".join(cells)}</div>{period}'


def _html_canvas(report: ExecutiveSummary) -> str:
    aggregate, analysis = report.aggregate, report.analysis
    personas = [p.id for p in aggregate.personas]
    drawn = canvas.journey_canvas(aggregate, analysis, persona_ids=personas)
    curve = _export_font(charts.emotion_curve(aggregate, analysis, personas, show_legend=False))
    height = int(curve.layout.height or canvas.EMOTION_HEIGHT)
    return (
        '<div class="canvas-scroll">'
        + drawn.head
        + _plot(curve, "cx-curve", style=f"width:{drawn.width}px;height:{height}px")
        + drawn.tail
        + "</div>"
    )


def _html_friction_table(analysis: JourneyAnalysis) -> str:
    rows = []
    for rank, t in enumerate(analysis.ranked(), start=1):
        colour = charts.friction_colour(t.friction)
        rows.append(
            f'<tr><td class="num">{rank}</td><td>{_u(t.name)}</td><td>{_u(t.stage)}</td>'
            f"<td>{_u(t.owner)}</td>"
            f'<td class="num"><span class="bar" style="width:{t.friction * 0.6:.0f}px;'
            f'background:{colour}"></span>{t.friction:.0f}</td>'
            f'<td class="num">{t.reach:.0%}</td><td class="num">{t.impact:.1f}</td>'
            f"<td>{'★' if t.moment_of_truth else ''}</td><td>{_e(render(t.explain()))}</td></tr>"
        )
    return (
        '<table class="data"><thead><tr><th>#</th><th>Touchpoint</th><th>Stage</th>'
        "<th>Owner</th><th>Friction</th><th>Reach</th><th>Impact</th><th>MoT</th>"
        f"<th>Why</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _html_moments(analysis: JourneyAnalysis) -> str:
    if not analysis.moments_of_truth:
        return (
            '<p class="absent">No moment of truth yet: flag the touchpoints that decide how '
            "customers judge you, or record emotions so the model finds the peaks.</p>"
        )
    cards = [
        f'<div class="mot"><b><span class="star">★</span> {_u(t.name)}</b>'
        f'<div class="note">{_u(_join(t.stage, t.channel, t.owner))}</div>'
        f"<div>reach {t.reach:.0%} · friction {t.friction:.0f} · impact {t.impact:.1f}</div>"
        f"<ul>{''.join(f'<li>{_e(r)}</li>' for r in render_all(t.reasons))}</ul></div>"
        for t in analysis.moments_of_truth
    ]
    return f'<div class="mots">{"".join(cards)}</div>'


def _html_risk(report: ExecutiveSummary) -> str:
    if not report.risk:
        return (
            '<p class="absent">No estimate: none of the touchpoints with friction has a '
            "volume (customers passing there) on the map.</p>"
        )
    money = bool(report.assumptions.value_per_customer)
    rows = "".join(
        f"<tr><td>{_u(r.touchpoint)}</td><td class='num'>{r.volume:,.0f}</td>"
        f"<td class='num'>{r.negative_share:.0%}</td><td class='num'>{r.customers_lost:,.0f}</td>"
        + (f"<td class='num'>{r.value_lost:,.0f}</td>" if money else "")
        + "</tr>"
        for r in report.risk
    )
    total = sum(r.customers_lost for r in report.risk)
    sources = "".join(f"<li>{_e(text)}</li>" for text in summary.RISK_SOURCES.values())
    return (
        f"<p>About <b>{total:,.0f}</b> customers may leave after a bad experience at these "
        f"{len(report.risk)} touchpoints. An estimate from assumptions, not a measurement.</p>"
        '<table class="data"><thead><tr><th>Touchpoint</th><th>Customers passing</th>'
        "<th>Bad experience</th><th>At risk</th>"
        + ("<th>Value at risk</th>" if money else "")
        + f"</tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="note">Formula: {_e(risk_formula(report.assumptions))}.</p>'
        '<p class="note">Default assumptions (editable per map):</p>'
        f'<ul class="note">{sources}</ul>'
    )


# ---------------------------------------------------------------- the browser


def find_chromium() -> Path | None:
    """The Chromium-family browser that renders images: ``BROWSER_PATH`` when set (also what
    kaleido reads), else Debian's ``/usr/bin/chromium`` or one on the PATH."""
    configured = os.environ.get("BROWSER_PATH", "").strip()
    if configured:
        path = Path(configured)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    debian = Path("/usr/bin/chromium")
    if debian.is_file():
        return debian
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def require_chromium(what: str) -> Path:
    """The browser, or :class:`ExportUnavailable` saying how to get one."""
    found = find_chromium()
    if found is None:
        where = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
        raise ExportUnavailable(f"{what} export needs Chromium, not found at {where}: {SETUP_HINT}")
    return found


@dataclass(frozen=True)
class _FigureJob:
    figure: go.Figure
    width: int
    height: int


async def _render(
    chromium: Path, figures: Sequence[_FigureJob], pages: Sequence[str]
) -> tuple[list[bytes], list[bytes]]:
    """PNGs of plotly figures (kaleido) and of whole HTML pages, in one browser."""
    import kaleido  # type: ignore[import-untyped]  # imported here: only PDF and PNG need it

    images: list[bytes] = []
    shots: list[bytes] = []
    async with kaleido.Kaleido(
        path=str(chromium), n=1, timeout=RENDER_TIMEOUT, mathjax=False
    ) as browser:
        for job in figures:
            opts = {"format": "png", "width": job.width, "height": job.height, "scale": PNG_SCALE}
            images.append(bytes(await browser.calc_fig(job.figure, opts)))
        for page in pages:
            shots.append(await _screenshot(browser, page))
    return images, shots


_WAIT_FOR_PLOTS = """
new Promise((resolve) => {
  const started = performance.now();
  const check = () => {
    const done = (window.cxmapPlotted || 0) >= Number(document.body.dataset.plots || 0);
    if (done || performance.now() - started > %d) {
      document.fonts.ready.then(() => requestAnimationFrame(() => resolve(
        [document.documentElement.scrollWidth, document.documentElement.scrollHeight, done])));
    } else { setTimeout(check, 25); }
  };
  check();
})
"""


async def _screenshot(browser: Any, page: str) -> bytes:
    """Load ``page`` (a whole HTML document) in a new window; PNG of all of it."""
    with tempfile.TemporaryDirectory(prefix="cxmap-png-") as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        tab = await browser.create_tab("", window=True)
        try:
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.enable")
            await tab.send_command("Page.navigate", {"url": path.as_uri()})
            await asyncio.wait_for(loaded, RENDER_TIMEOUT)
            answer = await tab.send_command(
                "Runtime.evaluate",
                {
                    "expression": _WAIT_FOR_PLOTS % (RENDER_TIMEOUT * 500),
                    "awaitPromise": True,
                    "returnByValue": True,
                },
            )
            width, height, plotted = answer["result"]["result"]["value"]
            if not plotted:
                raise RuntimeError("the charts were not drawn in time")
            scale = min(PNG_SCALE, PNG_MAX_PIXELS / max(1, width))
            await tab.send_command(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
            )
            shot = await tab.send_command(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                },
            )
            if "error" in shot:
                raise RuntimeError(shot["error"].get("message", "screenshot failed"))
            return base64.b64decode(shot["result"]["data"])
        finally:
            await browser.close_tab(tab.target_id)


def _in_browser(
    what: str, figures: Sequence[_FigureJob] = (), pages: Sequence[str] = ()
) -> tuple[list[bytes], list[bytes]]:
    """Run :func:`_render` on its own event loop in a worker thread (the caller may be a
    Streamlit script thread or already inside an event loop)."""
    chromium = require_chromium(what)
    try:
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="cxmap-render") as pool:
            return pool.submit(asyncio.run, _render(chromium, figures, pages)).result()
    except Exception as error:  # a browser that fails to start or render: say so in one line
        raise ExportUnavailable(
            f"{what} export failed: Chromium ({chromium}) could not render the images "
            f"({_reason(error)}); {SETUP_HINT}"
        ) from error


def _reason(error: BaseException) -> str:
    """The error's own first message, on one line.

    >>> _reason(RuntimeError(("The browser closed.", "More advice.")))
    'RuntimeError: The browser closed.'
    """
    first = error.args[0] if error.args else ""
    if isinstance(first, tuple | list) and first:
        first = first[0]
    text = " ".join(str(first).split())
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__


# ---------------------------------------------------------------- PNG


def to_png(report: ExecutiveSummary) -> bytes:
    """An image of the journey map: the canvas with its emotion curve, as on the Journey Map
    page, at 2 device pixels per CSS pixel. A map too wide for that (more than
    :data:`PNG_MAX_PIXELS` pixels, about 40 touchpoints) gets an overview instead: the compact
    emotion curve and, per stage, its friction, worst touchpoints and moments of truth."""
    _, shots = _in_browser("PNG", pages=[png_page(report)])
    return shots[0]


def png_page(report: ExecutiveSummary) -> str:
    """The HTML document that :func:`to_png` photographs."""
    aggregate, analysis = report.aggregate, report.analysis
    personas = [p.id for p in aggregate.personas]
    drawn = canvas.journey_canvas(aggregate, analysis, persona_ids=personas)
    wide = drawn.width * PNG_SCALE > PNG_MAX_PIXELS
    title = (
        f'<div class="cx-title"><b dir="auto">{_e(report.name)}</b> · '
        f"{_e(_meta_line(report, 'Journey map'))}</div>"
    )
    if not aggregate.touchpoints:
        body = '<p class="absent">No touchpoints yet: nothing to draw.</p>'
        plots = 0
    elif not wide:
        curve = _export_font(charts.emotion_curve(aggregate, analysis, personas, show_legend=False))
        height = int(curve.layout.height or canvas.EMOTION_HEIGHT)
        body = (
            # A picture has no hover: the legend's hint about it is left out.
            canvas.legend_html().replace("; hover a card for why", "")
            + drawn.head
            + _plot(
                curve, "cx-curve", static=True, style=f"width:{drawn.width}px;height:{height}px"
            )
            + drawn.tail
        )
        plots = 1
    else:
        curve = charts.compact_emotion_curve(
            aggregate, analysis, personas, height=360, show_legend=bool(personas), stage_chars=40
        )
        _export_font(curve)
        body = (
            '<p class="note">This map has too many touchpoints for one legible image of its '
            "canvas: here is its overview. The HTML and PDF exports hold every touchpoint.</p>"
            + _plot(curve, "cx-curve", static=True, style=f"width:{OVERVIEW_WIDTH - 40}px")
            + _overview_stages(report)
        )
        plots = 1
    width = OVERVIEW_WIDTH if wide or not aggregate.touchpoints else drawn.width + 32
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<style>{_PNG_CSS}body {{ width: {width}px; }}</style>"
        f"<script>{_plotly_js()}</script></head>"
        f'<body data-plots="{plots}">{title}{body}</body></html>'
    )


_PNG_CSS = """
html, body { margin: 0; background: #ffffff; }
body { padding: 16px; box-sizing: border-box; color: #1f2933;
  font: 14px/1.4 "Noto Sans", "Source Sans 3", system-ui, sans-serif; }
.cx-title { font-size: 18px; margin-bottom: 10px; color: #334155; }
.cx-title b { font-size: 22px; color: #0f172a; }
.cxj-legend { margin-bottom: 10px; }
.note, .absent { color: #52606d; }
.stages { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 10px;
  margin-top: 12px; }
.stage { border: 1px solid #cbd5d1; border-radius: 8px; overflow: hidden; }
.stage h3 { margin: 0; padding: 8px 10px; background: #0f766e; color: #ffffff; font-size: 16px; }
.stage ol { margin: 6px 0 10px; padding-left: 28px; }
.stage .meta { padding: 6px 10px 0; color: #475569; font-size: 13px; }
"""


def _overview_stages(report: ExecutiveSummary) -> str:
    analysis = report.analysis
    friction = {g.name: g for g in analysis.stages}
    cards = []
    for stage in report.aggregate.stages:
        members = sorted(
            (t for t in analysis.touchpoints if t.stage == stage.name),
            key=lambda t: (-t.impact, t.key),
        )
        group = friction.get(stage.name)
        moments = sum(t.moment_of_truth for t in members)
        meta = f"{len(members)} touchpoints" + (
            f" · friction {group.friction:.0f} · {moments} moments of truth" if group else ""
        )
        worst = "".join(
            f'<li><span dir="auto">{_e(t.name)}</span> ({t.friction:.0f}'
            f"{' ★' if t.moment_of_truth else ''})</li>"
            for t in members[:5]
        )
        cards.append(
            f'<div class="stage"><h3 dir="auto">{_e(stage.name)}</h3>'
            f'<div class="meta">{_e(meta)}; worst by impact:</div><ol>{worst}</ol></div>'
        )
    return f'<div class="stages">{"".join(cards)}</div>'


# ---------------------------------------------------------------- PDF

PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0  # A4 landscape, mm
MARGIN = 12.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
STAGES_PER_PAGE = 6
PDF_OPPORTUNITIES = 30  # rows of the PDF's opportunity table
TEAL = (15, 118, 110)
INK = (31, 41, 51)
MUTED = (82, 96, 109)
LINE = (203, 213, 209)
AMBER = (245, 158, 11)
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# A run of Arabic-script words: letters, joiners, spaces and digits between letters (no
# punctuation: a bracket or colon belongs to the sentence around the run).
_ARABIC_RUN = re.compile(f"[{_ARABIC}](?:[{_ARABIC}\\s\u200c\u200d0-9]*[{_ARABIC}])?")
_ARABIC_LETTER = re.compile(f"[{_ARABIC}]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
# Characters the embedded fonts lack, drawn with ones they have.
_PDF_SUBSTITUTES = str.maketrans(
    {"★": "*", "→": "->", "−": "-", "✓": "v", "\u2009": " ", "\u202f": " ", "\u00a0": " "}
)


@functools.cache
def _font_coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    covered: set[int] = set()
    for name in ("NotoSans-Regular.ttf", "NotoNaskhArabic-Regular.ttf"):
        covered.update(TTFont(FONTS_DIR / name, lazy=True).getBestCmap())
    return frozenset(covered)


def pdf_text(text: object) -> str:
    """Text ready for the PDF's fonts: characters no embedded font has are dropped (emoji…)
    or replaced; Persian or Arabic runs inside Latin text are wrapped in right-to-left isolates,
    so the bidi algorithm keeps each run (with its zero-width non-joiners) in one piece.

    >>> pdf_text("★ Sign-up 📱") == "* Sign-up "
    True
    >>> pdf_text("Step ثبت‌نام") == "Step \\u2067ثبت\\u200cنام\\u2069"
    True
    """
    value = str(text).translate(_PDF_SUBSTITUTES)
    covered = _font_coverage()
    value = "".join(c for c in value if ord(c) in covered or c in "\n\u2067\u2069")
    if _ARABIC_LETTER.search(value) and _LATIN_LETTER.search(value):
        value = _ARABIC_RUN.sub(lambda m: f"\u2067{m.group(0)}\u2069", value)
    return value


def _right_to_left(text: str) -> bool:
    """Whether the first strong character is Arabic-script (the text reads right to left)."""
    for char in text:
        if _ARABIC_LETTER.match(char):
            return True
        if _LATIN_LETTER.match(char):
            return False
    return False


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def emotion_colour(emotion: float | None) -> str:
    """Emotion −2…+2 on the friction colours: −2 red, 0 amber, +2 green (grey: none).

    >>> emotion_colour(-2), emotion_colour(2), emotion_colour(None)
    ('#ce2222', '#249e57', '#94a3b8')
    """
    if emotion is None:
        return "#94a3b8"
    return charts.friction_colour(50 - 25 * emotion)


def to_pdf(report: ExecutiveSummary) -> bytes:
    """The A4 landscape report (see the module docstring); charts rendered in one browser."""
    wanted = ["curve", "components", "owners"] if report.aggregate.touchpoints else []
    if report.aggregate.opportunities:
        wanted.append("matrix")
    if wanted:
        require_chromium("PDF")  # before the charts are built: say so at once
    figures = _figures(report, wanted)
    jobs = {
        name: _FigureJob(
            figures[name],
            MATRIX_WIDTH_PX if name == "matrix" else CHART_WIDTH_PX,
            int(figures[name].layout.height or 400),
        )
        for name in wanted
    }
    images, _ = _in_browser("PDF", figures=list(jobs.values())) if jobs else ([], [])
    rendered = {name: (png, jobs[name]) for name, png in zip(jobs, images, strict=True)}
    return _ReportPdf(report).build(rendered)


class _ReportPdf:
    """Lays the report out with fpdf2 primitives."""

    def __init__(self, report: ExecutiveSummary) -> None:
        self.report = report
        pdf = _pdf_class()(orientation="L", unit="mm", format="A4")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN + 4)
        for family, file_stem in (("noto", "NotoSans"), ("naskh", "NotoNaskhArabic")):
            pdf.add_font(family, "", FONTS_DIR / f"{file_stem}-Regular.ttf")
            pdf.add_font(family, "B", FONTS_DIR / f"{file_stem}-Bold.ttf")
        pdf.set_fallback_fonts(["naskh", "noto"], exact_match=False)
        pdf.set_title(pdf_text(report.name))
        pdf.set_creator("cxmap")
        pdf.set_subject("Customer journey map: executive summary")
        pdf.alias_nb_pages()
        self.pdf: FPDF = pdf
        self.section = ""
        footer = f"cxmap · {report.name} · exported {report.exported:%d %b %Y}"
        pdf.footer = functools.partial(self._footer, pdf_text(footer))  # type: ignore[method-assign]

    # -- page furniture

    def _footer(self, text: str) -> None:
        pdf = self.pdf
        pdf.set_y(-MARGIN)
        self._font(7.5, colour=MUTED)
        pdf.cell(CONTENT_WIDTH / 2, 5, text, align="L")
        pdf.cell(CONTENT_WIDTH / 2, 5, f"page {pdf.page_no()} of {{nb}}", align="R")

    def _font(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font("noto", "B" if bold else "", size)
        self.pdf.set_text_color(*colour)

    def _page(self, title: str, subtitle: str = "") -> None:
        pdf = self.pdf
        pdf.add_page()
        self.section = title
        self._font(16, bold=True, colour=TEAL)
        pdf.cell(0, 8, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
        if subtitle:
            self._font(9, colour=MUTED)
            pdf.multi_cell(0, 4.5, pdf_text(subtitle), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def _heading(self, text: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > PAGE_HEIGHT - 40:
            pdf.add_page()
        pdf.ln(2)
        self._font(12, bold=True, colour=TEAL)
        pdf.cell(0, 7, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    def _paragraph(self, text: str, size: float = 9.5, colour: tuple[int, int, int] = INK) -> None:
        self._font(size, colour=colour)
        clean = pdf_text(text)
        self.pdf.multi_cell(
            0,
            size * 0.5,
            clean,
            align="R" if _right_to_left(clean) else "L",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def _image(self, image: tuple[bytes, _FigureJob], width: float) -> None:
        pdf = self.pdf
        png, job = image
        height = width * job.height / job.width
        if pdf.get_y() + height > PAGE_HEIGHT - MARGIN - 4:
            pdf.add_page()
        pdf.image(io.BytesIO(png), x=pdf.l_margin, y=pdf.get_y(), w=width, h=height)
        pdf.set_y(pdf.get_y() + height + 2)

    # -- the document

    def build(self, images: dict[str, tuple[bytes, _FigureJob]]) -> bytes:
        report = self.report
        self._cover()
        if report.aggregate.touchpoints:
            self._journey_map()
            self._page(
                "Emotion across the journey",
                "How customers feel at each touchpoint, stage by stage (−2 very negative … +2 "
                "delighted): all customers and each persona. ★ marks the moments of truth.",
            )
            self._image(images["curve"], CONTENT_WIDTH)
            self._stage_table()
            self._friction(images["components"])
            self._moments()
            self._risk()
            self._page(
                "Who owns the pain",
                "Reach-weighted friction by owner department × stage (0 green … 100 red); "
                "departments with the most impact on top. Empty cells: no touchpoint.",
            )
            self._image(images["owners"], CONTENT_WIDTH)
        else:
            self._page("Journey map")
            self._paragraph("This map has no touchpoints yet: there is no journey to show.")
        if "matrix" in images:
            self._page(
                "Opportunities",
                "Customer value × business value (0–100); bigger bubbles take less effort; "
                "colour is the status. Top right: do first (win–win).",
            )
            self._image(images["matrix"], CONTENT_WIDTH * 0.8)
            self._opportunity_table()
        return bytes(self.pdf.output())

    def _opportunity_table(self) -> None:
        ranked = ranked_opportunities(self.report.aggregate)
        shown = ranked[:PDF_OPPORTUNITIES]
        if self.pdf.get_y() > PAGE_HEIGHT - MARGIN - 20 - 8 * min(len(shown), 6):
            self.pdf.add_page()  # rather than a heading and two rows at the foot of the page
        self._heading(
            "Opportunities, the corner to do first on top"
            + (
                f" ({len(shown)} of {len(ranked)}; the Excel export has all)"
                if len(ranked) > len(shown)
                else ""
            )
        )
        self._table(
            ["Opportunity", "Touchpoint", "Corner", "Status", "Customer", "Business", "Effort"],
            [
                [
                    o.opportunity.title or "(untitled)",
                    o.touchpoint or "the whole journey",
                    o.quadrant or "values missing",
                    o.opportunity.status,
                    _number(o.opportunity.customer_value),
                    _number(o.opportunity.business_value),
                    _number(o.opportunity.effort),
                ]
                for o in shown
            ],
            (80, 55, 50, 20, 18, 18, 14),
            numeric={4, 5, 6},
        )

    def _cover(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.add_page()
        self._font(9, colour=MUTED)
        pdf.cell(0, 5, "EXECUTIVE SUMMARY", new_x="LMARGIN", new_y="NEXT")
        self._font(24, bold=True)
        name = pdf_text(report.name)
        pdf.multi_cell(
            0,
            11,
            name,
            align="R" if _right_to_left(name) else "L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self._font(9.5, colour=MUTED)
        pdf.multi_cell(0, 5, pdf_text(_meta_line(report)), new_x="LMARGIN", new_y="NEXT")
        if report.aggregate.map.description:
            self._paragraph(report.aggregate.map.description, 9.5, MUTED)
        pdf.ln(3)
        self._tiles(report.tiles())
        if report.period:
            self._font(8, colour=MUTED)
            pdf.cell(0, 4, pdf_text(f"Feedback: {report.period}."), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        answers = report.answers()
        width = (CONTENT_WIDTH - 2 * 4) / 3
        top = pdf.get_y()
        bottoms = []
        for index, (question, answer) in enumerate(
            (
                ("How are we doing?", answers.how),
                ("Where does it hurt most?", answers.where),
                ("What to fix first?", answers.what),
            )
        ):
            x = MARGIN + index * (width + 4)
            pdf.set_xy(x + 3, top + 2)
            self._font(10.5, bold=True, colour=TEAL)
            pdf.cell(width - 4, 6, question, new_x="LEFT", new_y="NEXT")
            self._font(9.5)
            text = pdf_text(answer)
            pdf.multi_cell(width - 5, 4.6, text, align="L", new_x="LEFT", new_y="NEXT")
            bottoms.append(pdf.get_y() + 2)
        bottom = max(bottoms)
        for index in range(3):
            x = MARGIN + index * (width + 4)
            pdf.set_fill_color(*TEAL)
            pdf.rect(x, top, 1.4, bottom - top, style="F")
        pdf.set_y(bottom + 4)
        if report.top:
            self._heading(f"Top {len(report.top)} touchpoints by impact: what to fix first")
            self._table(
                ["#", "Touchpoint", "Stage", "Owner", "Friction", "Reach", "Impact", "Why"],
                [
                    [
                        str(n),
                        t.name,
                        t.stage,
                        t.owner,
                        f"{t.friction:.0f}",
                        f"{t.reach:.0%}",
                        f"{t.impact:.1f}",
                        render(t.explain()),
                    ]
                    for n, t in enumerate(report.top, start=1)
                ],
                (6, 52, 34, 26, 13, 12, 13, 60),
                numeric={0, 4, 5, 6},
            )
        if report.assessment is not None and report.assessment.stage is not None:
            stage, meaning = report.assessment.stage
            self._heading("CRM or CX? (self-assessment)")
            self._paragraph(f"{stage} ({report.assessment.score:.1f} of 5): {meaning}.")

    def _tiles(self, tiles: Sequence[Tile]) -> None:
        pdf = self.pdf
        gap = 3.0
        width = (CONTENT_WIDTH - gap * (len(tiles) - 1)) / len(tiles)
        top = pdf.get_y()
        height = 27.0
        for index, tile in enumerate(tiles):
            x = MARGIN + index * (width + gap)
            pdf.set_draw_color(*LINE)
            pdf.set_line_width(0.3)
            pdf.rect(x, top, width, height, round_corners=True, corner_radius=2)
            pdf.set_xy(x + 3, top + 2)
            self._font(8.5, colour=MUTED)
            pdf.cell(width - 6, 4.5, pdf_text(tile.label), new_x="LEFT", new_y="NEXT")
            self._font(17, bold=True)
            pdf.cell(width - 6, 8.5, pdf_text(tile.value), new_x="LEFT", new_y="NEXT")
            if tile.change is not None:
                value = tile.change_value or 0
                colour = (21, 128, 61) if value > 0 else (185, 28, 28) if value < 0 else MUTED
                self._font(7.5, bold=True, colour=colour)
                pdf.cell(width - 6, 4, pdf_text(tile.change_text), new_x="LEFT", new_y="NEXT")
            elif tile.note:
                self._font(7.5, colour=MUTED)
                pdf.cell(width - 6, 4, pdf_text(tile.note), new_x="LEFT", new_y="NEXT")
            self._font(7.5, colour=MUTED)
            pdf.multi_cell(width - 6, 3.4, pdf_text(tile.detail), new_x="LEFT", new_y="NEXT")
        pdf.set_y(top + height + 2)

    def _table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[float],
        *,
        numeric: set[int] | frozenset[int] = frozenset(),
        size: float = 8.0,
    ) -> None:
        from fpdf.fonts import FontFace

        pdf = self.pdf
        self._font(size)
        pdf.set_draw_color(*LINE)
        heading = FontFace(family="noto", emphasis="BOLD", color=(255, 255, 255), fill_color=TEAL)
        pdf.set_fill_color(255, 255, 255)
        with pdf.table(
            col_widths=tuple(widths),
            cell_fill_color=(244, 247, 246),
            cell_fill_mode="ROWS",
            width=CONTENT_WIDTH,
            align="LEFT",
            text_align="LEFT",
            headings_style=heading,
            line_height=size * 0.5,
            padding=(0.8, 1.2),
            borders_layout="HORIZONTAL_LINES",
            repeat_headings=1,
        ) as table:
            head = table.row()
            for title in header:
                head.cell(title)
            for values in rows:
                row = table.row()
                for index, value in enumerate(values):
                    text = pdf_text(value)
                    align = "R" if index in numeric or _right_to_left(text) else "L"
                    row.cell(text, align=align)
        pdf.ln(2)

    # -- the journey map as a grid: stages are columns, touchpoints cards under them

    def _journey_map(self) -> None:
        aggregate, analysis = self.report.aggregate, self.report.analysis
        scores = analysis.by_key()
        rank = {t.key: n for n, t in enumerate(self.report.top, start=1)}
        stages = sorted(aggregate.stages, key=lambda s: s.position)
        groups = [
            stages[i : i + STAGES_PER_PAGE] for i in range(0, len(stages), STAGES_PER_PAGE)
        ] or [[]]
        friction = {g.name: g.friction for g in analysis.stages}
        for group in groups:
            width = (CONTENT_WIDTH - 3 * (len(group) - 1)) / max(1, len(group))
            cards = {
                stage.id: [
                    self._card(t, scores.get(t.key), rank.get(t.key), width)
                    for t in sorted(aggregate.touchpoints_in_stage(stage.id), key=_position)
                ]
                for stage in group
            }
            cursor = dict.fromkeys(cards, 0)
            first = True
            while first or any(cursor[s] < len(cards[s]) for s in cards):
                self._page(
                    "Journey map" + ("" if first else " (continued)"),
                    "Stages left to right, touchpoints top to bottom in their order. Friction "
                    "0 (green) … 100 (red); emotion −2 … +2; amber star: moment of truth; #n: "
                    "rank by impact (friction × reach)."
                    if first
                    else "",
                )
                first = False
                top = self.pdf.get_y()
                for index, stage in enumerate(group):
                    x = MARGIN + index * (width + 3)
                    meta = f"{len(cards[stage.id])} touchpoints" + (
                        f" · friction {friction[stage.name]:.0f}" if stage.name in friction else ""
                    )
                    self._stage_header(x, top, width, stage.name, meta)
                    y = top + 13
                    while cursor[stage.id] < len(cards[stage.id]):
                        card = cards[stage.id][cursor[stage.id]]
                        if y + card.height > PAGE_HEIGHT - MARGIN - 6:
                            break
                        card.draw(self, x, y)
                        y += card.height + 2
                        cursor[stage.id] += 1
                    if not cards[stage.id]:
                        self._font(8, colour=MUTED)
                        self.pdf.set_xy(x + 1, y)
                        self.pdf.cell(width - 2, 5, "no touchpoints yet")

    def _stage_header(self, x: float, y: float, width: float, name: str, meta: str) -> None:
        pdf = self.pdf
        pdf.set_fill_color(*TEAL)
        pdf.rect(x, y, width, 11, style="F")
        pdf.set_xy(x + 1.5, y + 0.8)
        self._font(9, bold=True, colour=(255, 255, 255))
        text = pdf_text(name)
        pdf.cell(
            width - 3, 5, _fit(pdf, text, width - 3), align="R" if _right_to_left(text) else "L"
        )
        pdf.set_xy(x + 1.5, y + 5.8)
        self._font(7, colour=(220, 240, 236))
        pdf.cell(width - 3, 4, pdf_text(meta))

    def _card(
        self, touchpoint: Any, score: TouchpointScore | None, rank: int | None, width: float
    ) -> _Card:
        pdf = self.pdf
        self._font(8.5, bold=True)
        name = pdf_text(touchpoint.name)
        mot = score.moment_of_truth if score is not None else bool(touchpoint.moment_of_truth)
        lines = _line_count(pdf, _name_width(width, mot), 3.8, name)
        where = pdf_text(_join(touchpoint.channel, touchpoint.owner) or "no channel or owner")
        self._font(7)
        where_lines = _line_count(pdf, width - 4, 3.2, where)
        height = 3 + 3.8 * lines + 3.2 * where_lines + 7.5
        return _Card(touchpoint, score, rank, width, height, name, where, mot)

    def _stage_table(self) -> None:
        analysis = self.report.analysis
        self._heading("Friction by stage")
        self._table(
            ["Stage", "Touchpoints", "Friction (reach-weighted)", "Impact (sum)"],
            [
                [g.name, str(g.touchpoints), f"{g.friction:.0f}", f"{g.impact:.1f}"]
                for g in analysis.stages
            ],
            (90, 30, 50, 40),
            numeric={1, 2, 3},
        )

    def _friction(self, components: tuple[bytes, _FigureJob]) -> None:
        analysis = self.report.analysis
        self._page(
            "Where it hurts: every touchpoint by impact",
            "Impact = friction (0–100) × reach (share of customers who pass there): what to "
            "fix first. The bars split the friction of the top 10 into what causes it.",
        )
        self._image(components, CONTENT_WIDTH * 0.8)
        self._table(
            ["#", "Touchpoint", "Stage", "Owner", "Friction", "Reach", "Impact", "MoT", "Why"],
            [
                [
                    str(n),
                    t.name,
                    t.stage,
                    t.owner,
                    f"{t.friction:.0f}",
                    f"{t.reach:.0%}",
                    f"{t.impact:.1f}",
                    "MoT" if t.moment_of_truth else "",
                    render(t.explain()),
                ]
                for n, t in enumerate(analysis.ranked(), start=1)
            ],
            (7, 60, 36, 28, 13, 12, 13, 9, 60),
            numeric={0, 4, 5, 6},
        )

    def _moments(self) -> None:
        pdf, analysis = self.pdf, self.report.analysis
        self._page(
            "Moments of truth",
            "Interactions that decide how customers judge you: flagged by the team, strong "
            "feelings many customers meet, the emotional peaks, the end of the journey, "
            "bottlenecks.",
        )
        if not analysis.moments_of_truth:
            self._paragraph(
                "No moment of truth yet: flag the touchpoints that decide how customers judge "
                "you, or record emotions so the model finds the peaks."
            )
            return
        for t in analysis.moments_of_truth:
            if pdf.get_y() > PAGE_HEIGHT - 40:
                pdf.add_page()
            y = pdf.get_y()
            pdf.set_fill_color(*AMBER)
            pdf.set_draw_color(146, 64, 14)
            pdf.star(MARGIN + 2.2, y + 2.6, 1.0, 2.4, corners=5, style="DF")
            pdf.set_xy(MARGIN + 6, y)
            self._font(10, bold=True)
            name = pdf_text(t.name)
            pdf.multi_cell(CONTENT_WIDTH - 6, 5.2, name, new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(MARGIN + 6)
            self._font(8, colour=MUTED)
            facts = (
                f"{_join(t.stage, t.channel, t.owner)} · reach {t.reach:.0%} · friction "
                f"{t.friction:.0f} · impact {t.impact:.1f}"
            )
            pdf.multi_cell(CONTENT_WIDTH - 6, 4, pdf_text(facts), new_x="LMARGIN", new_y="NEXT")
            self._font(8.5)
            for reason in render_all(t.reasons):
                pdf.set_x(MARGIN + 6)
                pdf.multi_cell(
                    CONTENT_WIDTH - 6, 4.2, pdf_text(f"- {reason}"), new_x="LMARGIN", new_y="NEXT"
                )
            pdf.ln(2)

    def _risk(self) -> None:
        report = self.report
        self._heading("Customers at risk (an estimate)")
        if not report.risk:
            self._paragraph(
                "No estimate: none of the touchpoints with friction has a volume (customers "
                "passing there) on the map.",
                colour=MUTED,
            )
            return
        total = sum(r.customers_lost for r in report.risk)
        self._paragraph(
            f"About {total:,.0f} customers may leave after a bad experience at these "
            f"{len(report.risk)} touchpoints. An estimate from assumptions, not a measurement."
        )
        money = bool(report.assumptions.value_per_customer)
        self._table(
            ["Touchpoint", "Customers passing", "Bad experience", "At risk"]
            + (["Value at risk"] if money else []),
            [
                [
                    r.touchpoint,
                    f"{r.volume:,.0f}",
                    f"{r.negative_share:.0%}",
                    f"{r.customers_lost:,.0f}",
                ]
                + ([f"{r.value_lost:,.0f}"] if money else [])
                for r in report.risk
            ],
            (90, 35, 30, 30) + ((35,) if money else ()),
            numeric={1, 2, 3, 4},
        )
        self._paragraph(f"Formula: {risk_formula(report.assumptions)}.", 8, MUTED)
        for source in summary.RISK_SOURCES.values():
            self._paragraph(f"Default assumption: {source}.", 8, MUTED)


@functools.cache
def _pdf_class() -> type[FPDF]:
    """FPDF that shapes text with HarfBuzz (and so runs the bidi algorithm) only where the text
    has Arabic script: shaping every string would take several times as long on a large map."""
    from fpdf import FPDF

    class ShapingPdf(FPDF):
        def cell(
            self, w: Any = None, h: Any = None, text: str = "", *args: Any, **kwargs: Any
        ) -> Any:
            self._shape_for(text)
            return super().cell(w, h, text, *args, **kwargs)

        def multi_cell(
            self, w: Any, h: Any = None, text: str = "", *args: Any, **kwargs: Any
        ) -> Any:
            self._shape_for(text)
            return super().multi_cell(w, h, text, *args, **kwargs)

        def _shape_for(self, text: object) -> None:
            wanted = bool(_ARABIC_LETTER.search(str(text)))
            if wanted != bool(self.text_shaping):
                self.set_text_shaping(wanted)

    return ShapingPdf


def _line_count(pdf: FPDF, width: float, height: float, text: str) -> int:
    """How many lines ``text`` takes in a ``width`` mm multi_cell in the current font."""
    lines = pdf.multi_cell(width, height, text, dry_run=True, output="LINES")
    return len(lines) if isinstance(lines, list) else 1


def _name_width(card_width: float, moment_of_truth: bool) -> float:
    """Width of a card's name: the ★ of a moment of truth takes the top right corner."""
    return card_width - 4 - (4 if moment_of_truth else 0)


def _feeling(emotion: float | None) -> str:
    """
    >>> _feeling(-1.0), _feeling(0.0), _feeling(1.25), _feeling(None)
    ('emotion -1', 'emotion 0', 'emotion +1.2', 'no emotion')
    """
    if emotion is None:
        return "no emotion"
    if float(emotion).is_integer():
        return f"emotion {emotion:+.0f}" if emotion else "emotion 0"
    return f"emotion {emotion:+.1f}"


def _position(touchpoint: Any) -> int:
    return int(touchpoint.position)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass
class _Card:
    """A touchpoint card of the PDF's journey map."""

    touchpoint: Any
    score: TouchpointScore | None
    rank: int | None
    width: float
    height: float
    name: str
    where: str
    mot: bool

    def draw(self, layout: _ReportPdf, x: float, y: float) -> None:
        pdf = layout.pdf
        mot = self.mot
        pdf.set_line_width(0.6 if mot else 0.25)
        pdf.set_draw_color(*(AMBER if mot else LINE))
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x, y, self.width, self.height, style="DF", round_corners=True, corner_radius=1.5)
        inner = _name_width(self.width, mot)
        if mot:
            pdf.set_fill_color(*AMBER)
            pdf.set_draw_color(146, 64, 14)
            pdf.set_line_width(0.2)
            pdf.star(x + self.width - 3.2, y + 3.2, 0.8, 1.9, corners=5, style="DF")
        pdf.set_xy(x + 2, y + 1.5)
        layout._font(8.5, bold=True)
        align = "R" if _right_to_left(self.name) else "L"
        pdf.multi_cell(inner, 3.8, self.name, align=align, new_x="LEFT", new_y="NEXT")
        pdf.set_x(x + 2)
        layout._font(7, colour=MUTED)
        pdf.multi_cell(self.width - 4, 3.2, self.where, new_x="LEFT", new_y="NEXT")
        bottom = y + self.height - 5.5
        emotion = self.score.emotion if self.score else self.touchpoint.emotion
        pdf.set_fill_color(*_hex(emotion_colour(emotion)))
        pdf.ellipse(x + 2, bottom + 0.6, 3, 3, style="F")
        pdf.set_xy(x + 5.6, bottom)
        layout._font(7)
        pdf.cell(self.width * 0.45, 4.2, _feeling(emotion))
        if self.score is not None:
            friction = self.score.friction
            bar_x = x + self.width * 0.55
            bar_width = self.width * 0.45 - 2
            pdf.set_fill_color(230, 234, 238)
            pdf.rect(bar_x, bottom + 2.6, bar_width, 1.4, style="F")
            pdf.set_fill_color(*_hex(charts.friction_colour(friction)))
            pdf.rect(bar_x, bottom + 2.6, bar_width * friction / 100, 1.4, style="F")
            pdf.set_xy(bar_x, bottom - 0.9)
            label = f"friction {friction:.0f}" + (f" · #{self.rank}" if self.rank else "")
            layout._font(6.5, bold=bool(self.rank), colour=(185, 28, 28) if self.rank else MUTED)
            pdf.cell(bar_width, 3.4, label, align="R")


def _html_bytes(report: ExecutiveSummary) -> bytes:
    return to_html(report).encode("utf-8")


# File suffix → exporter (what services.export_map calls).
EXPORTERS: dict[str, Callable[[ExecutiveSummary], bytes]] = {
    ".html": _html_bytes,
    ".pdf": to_pdf,
    ".png": to_png,
}
