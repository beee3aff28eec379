"""The HTML export: one self-contained page that opens offline.

The journey canvas (:mod:`cxmap.render.canvas`) with its emotion curve, the charts (plotly.js
inlined once, no CDN), the friction table, the moments of truth and customers at risk. Every
user string is escaped.

Examples
--------
>>> from cxmap.analysis.executive import executive_summary
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> page = to_html(executive_summary(demo_chain(), analyze(demo_chain())))
>>> page.startswith("<!DOCTYPE html>") and "src=" not in page.replace(plotly_js(), "")
True
"""

from __future__ import annotations

from collections.abc import Callable

from cxmap.analysis.executive import TOP, ExecutiveSummary
from cxmap.analysis.scoring import JourneyAnalysis
from cxmap.core.messages import Message, render, render_all
from cxmap.render import canvas, charts
from cxmap.render.report.shared import escape as _e
from cxmap.render.report.shared import (
    export_figures,
    export_font,
    join,
    meta_line,
    plot,
    plotly_js,
)
from cxmap.render.report.shared import user_text as _u

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


def to_html(report: ExecutiveSummary) -> str:
    """One self-contained HTML page: open it anywhere, offline (plotly.js is inlined)."""
    aggregate, analysis = report.aggregate, report.analysis
    figures = export_figures(report, ["components", "owners", "channels", "matrix"])
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.name)} · cxmap</title>",
        '<meta name="generator" content="cxmap">',
        f"<style>{_HTML_CSS}</style>",
        f"<script>{plotly_js()}</script>",
        "</head><body><main>",
        f'<h1 dir="auto">{_e(report.name)}</h1>',
        f'<p class="meta">{_e(meta_line(report))}</p>',
    ]
    if aggregate.map.description:
        parts.append(f'<p dir="auto">{_e(aggregate.map.description)}</p>')
    parts.append(_html_tiles(report))
    answers = report.answers()
    parts.append(
        '<div class="answers">'
        + "".join(
            f'<div class="answer"><b>{_e(q)}</b><span dir="ltr">{_e(a)}</span></div>'
            for q, a in answers.questions()
        )
        + "</div>"
    )
    parts += _section(
        "Journey map",
        bool(aggregate.touchpoints),
        lambda: [
            _html_canvas(report),
            '<p class="note">Scroll sideways for the whole journey; hover a card or a point '
            "for the numbers behind it.</p>",
        ],
        "No touchpoints yet: nothing to draw.",
    )
    parts += _section(
        "Where it hurts: what to fix first",
        bool(analysis.touchpoints),
        lambda: [
            '<p class="note">Impact = friction × reach. Each bar is a touchpoint\'s friction '
            "(0–100), split into what causes it.</p>",
            plot(figures["components"], "cx-components"),
            _html_friction_table(analysis),
        ],
        "No touchpoints yet: no friction to show.",
    )
    parts.append("<h2>Moments of truth</h2>")
    parts.append(_html_moments(analysis))
    parts += _section(
        "Who owns the pain",
        bool(analysis.touchpoints),
        lambda: [
            '<p class="note">Friction by owner department × stage, weighted by reach '
            "(departments with the most impact on top; empty: no touchpoint).</p>"
            '<div class="two"><div>'
            + plot(figures["owners"], "cx-owners")
            + '</div><div><p class="note">… and by stage × channel</p>'
            + plot(figures["channels"], "cx-channels")
            + "</div></div>"
        ],
        "No touchpoints yet.",
    )
    parts += _section(
        "Opportunities",
        bool(aggregate.opportunities),
        lambda: [
            '<p class="note">Customer value × business value; bigger bubbles take less effort; '
            "colour is the status.</p>",
            plot(figures["matrix"], "cx-matrix", style="max-width:900px"),
        ],
        "No opportunities recorded yet.",
    )
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


def _section(title: str, shown: bool, body: Callable[[], list[str]], absent: str) -> list[str]:
    """A section's heading and its parts when ``shown`` (made only then), else what is absent.

    >>> _section("Map", False, list, "Nothing yet.")
    ['<h2>Map</h2>', '<p class="absent">Nothing yet.</p>']
    """
    return [f"<h2>{title}</h2>", *(body() if shown else [f'<p class="absent">{absent}</p>'])]


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
    curve = export_font(charts.emotion_curve(aggregate, analysis, personas, show_legend=False))
    height = int(curve.layout.height or canvas.EMOTION_HEIGHT)
    return (
        '<div class="canvas-scroll">'
        + drawn.head
        + plot(curve, "cx-curve", style=f"width:{drawn.width}px;height:{height}px")
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
        f'<div class="note">{_u(join(t.stage, t.channel, t.owner))}</div>'
        f"<div>reach {t.reach:.0%} · friction {t.friction:.0f} · impact {t.impact:.1f}</div>"
        f"<ul>{''.join(f'<li>{_e(r)}</li>' for r in render_all(t.reasons))}</ul></div>"
        for t in analysis.moments_of_truth
    ]
    return f'<div class="mots">{"".join(cards)}</div>'


def _html_risk(report: ExecutiveSummary) -> str:
    risk = report.risk
    if risk is None:
        return f'<p class="absent">{_e(render(Message("risk.none")))}</p>'
    money = bool(report.assumptions.value_per_customer)
    rows = "".join(
        f"<tr><td>{_u(r.touchpoint)}</td><td class='num'>{r.arriving:,.0f}</td>"
        f"<td class='num'>{r.negative_share:.0%}</td><td class='num'>{r.customers_lost:,.0f}</td>"
        + (f"<td class='num'>{r.value_lost:,.0f}</td>" if money else "")
        + "</tr>"
        for r in risk.where[:TOP]
    )
    table = (
        '<table class="data"><thead><tr><th>Touchpoint</th><th>Customers getting there</th>'
        "<th>Bad experience</th><th>Leave there</th>"
        + ("<th>Value at risk</th>" if money else "")
        + f"</tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else ""
    )
    assumptions = "".join(f"<li>{_e(text)}</li>" for text in render_all(risk.explained()))
    return (
        f"<p><b>{_e(render(risk.headline()))}</b> {_e(render(Message('risk.not_measured')))}</p>"
        + table
        + '<p class="note">Assumptions (editable per map):</p>'
        f'<ul class="note">{assumptions}</ul>'
    )


def html_bytes(report: ExecutiveSummary) -> bytes:
    """:func:`to_html` as UTF-8 bytes, ready to download or write to a file."""
    return to_html(report).encode("utf-8")
