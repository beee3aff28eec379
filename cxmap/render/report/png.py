"""The PNG export: an image of the journey canvas with its emotion curve, as the Journey Map
page draws it, or an overview of stages and curve when the map is too wide for one image.

Examples
--------
>>> from cxmap.analysis.executive import executive_summary
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> page = png_page(executive_summary(demo_chain(), analyze(demo_chain())))
>>> 'data-plots="1"' in page
True
"""

from __future__ import annotations

from cxmap.analysis.executive import ExecutiveSummary
from cxmap.render import canvas, charts
from cxmap.render.report.browser import PNG_MAX_PIXELS, PNG_SCALE, in_browser
from cxmap.render.report.shared import escape as _e
from cxmap.render.report.shared import export_font, meta_line, plot, plotly_js

OVERVIEW_WIDTH = 1600  # CSS px of the overview image


def to_png(report: ExecutiveSummary) -> bytes:
    """An image of the journey map: the canvas with its emotion curve, as on the Journey Map
    page, at 2 device pixels per CSS pixel. A map too wide for that (more than
    :data:`PNG_MAX_PIXELS` pixels, about 40 touchpoints) gets an overview instead: the compact
    emotion curve and, per stage, its friction, worst touchpoints and moments of truth."""
    _, shots = in_browser("PNG", pages=[png_page(report)])
    return shots[0]


def png_page(report: ExecutiveSummary) -> str:
    """The HTML document that :func:`to_png` photographs."""
    aggregate, analysis = report.aggregate, report.analysis
    personas = [p.id for p in aggregate.personas]
    drawn = canvas.journey_canvas(aggregate, analysis, persona_ids=personas)
    wide = drawn.width * PNG_SCALE > PNG_MAX_PIXELS
    title = (
        f'<div class="cx-title"><b dir="auto">{_e(report.name)}</b> · '
        f"{_e(meta_line(report, 'Journey map'))}</div>"
    )
    if not aggregate.touchpoints:
        body = '<p class="absent">No touchpoints yet: nothing to draw.</p>'
        plots = 0
    elif not wide:
        curve = export_font(charts.emotion_curve(aggregate, analysis, personas, show_legend=False))
        height = int(curve.layout.height or canvas.EMOTION_HEIGHT)
        body = (
            # A picture has no hover: the legend's hint about it is left out.
            canvas.legend_html().replace("; hover a card for why", "")
            + drawn.head
            + plot(curve, "cx-curve", static=True, style=f"width:{drawn.width}px;height:{height}px")
            + drawn.tail
        )
        plots = 1
    else:
        curve = charts.compact_emotion_curve(
            aggregate, analysis, personas, height=360, show_legend=bool(personas), stage_chars=40
        )
        export_font(curve)
        body = (
            '<p class="note">This map has too many touchpoints for one legible image of its '
            "canvas: here is its overview. The HTML and PDF exports hold every touchpoint.</p>"
            + plot(curve, "cx-curve", static=True, style=f"width:{OVERVIEW_WIDTH - 40}px")
            + _overview_stages(report)
        )
        plots = 1
    width = OVERVIEW_WIDTH if wide or not aggregate.touchpoints else drawn.width + 32
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<style>{_PNG_CSS}body {{ width: {width}px; }}</style>"
        f"<script>{plotly_js()}</script></head>"
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
