"""The PNG exports: an image of the journey canvas with its emotion curve, as the Journey Map
page draws it, or an overview of stages and curve when the map is too wide for one image
(:func:`to_png`, ``.png``); and one 16:9 slide of the summary, 1920 × 1080 pixels
(:func:`to_slide_png`, ``.slide.png``). Both are HTML photographed in the kept Chromium.

Examples
--------
>>> from cxmap.analysis.executive import executive_summary
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> page = png_page(executive_summary(demo_chain(), analyze(demo_chain())))
>>> 'data-plots="1"' in page
True
>>> slide = slide_page(executive_summary(demo_chain(), analyze(demo_chain())))
>>> slide.width * PNG_SCALE, slide.height * PNG_SCALE, "What to fix first?" in slide.html
(1920, 1080, True)
"""

from __future__ import annotations

from cxmap.analysis.executive import ExecutiveSummary, Tile
from cxmap.analysis.scoring import TouchpointScore
from cxmap.core.messages import render
from cxmap.render import canvas, charts
from cxmap.render.report.browser import PNG_MAX_PIXELS, PNG_SCALE, PageShot, in_browser
from cxmap.render.report.shared import escape as _e
from cxmap.render.report.shared import export_font, join, meta_line, plot, plotly_js

OVERVIEW_WIDTH = 1600  # CSS px of the overview image
SLIDE_SIZE = (1920, 1080)  # pixels of the slide image (16:9, full HD)
SLIDE_TOP = 3  # touchpoints to fix on the slide


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


# ---------------------------------------------------------------- one 16:9 slide


def to_slide_png(report: ExecutiveSummary) -> bytes:
    """One slide of the summary, exactly :data:`SLIDE_SIZE` (1920 × 1080) pixels: the map's
    name, the KPIs, the three answers and the top three to fix. Text that would not fit is
    made smaller, never cut off."""
    _, shots = in_browser("PNG", pages=[slide_page(report)])
    return shots[0]


def slide_page(report: ExecutiveSummary) -> PageShot:
    """The HTML slide that :func:`to_slide_png` photographs, with its size in CSS pixels
    (half of :data:`SLIDE_SIZE`: it is photographed at 2 device pixels per CSS pixel)."""
    width, height = (side // PNG_SCALE for side in SLIDE_SIZE)
    tiles = (
        "".join(_slide_tile(tile) for tile in report.tiles())
        if report.aggregate.touchpoints
        else ""
    )
    answers = "".join(
        f'<div class="answer"><h2>{_e(question)}</h2><p dir="ltr">{_e(answer)}</p></div>'
        for question, answer in report.answers().questions()
    )
    top = "".join(_slide_fix(t) for t in report.top[:SLIDE_TOP])
    fix = (
        f'<div class="top"><h2>Top {len(report.top[:SLIDE_TOP])} to fix (by impact)</h2>'
        f"<ol>{top}</ol></div>"
        if top
        else ""
    )
    period = f" · feedback {report.period}" if report.period else ""
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<style>{_SLIDE_CSS}.slide {{ width: {width}px; height: {height}px; }}</style>"
        f'</head><body data-plots="0"><div class="slide">'
        f'<div class="kicker">EXECUTIVE SUMMARY · {report.exported:%d %b %Y}{_e(period)}</div>'
        f'<h1 dir="auto">{_e(report.name)}</h1>'
        # The answers are the app's sentences (left to right) naming users' touchpoints.
        f'<div class="tiles">{tiles}</div><div class="answers">{answers}</div>{fix}'
        f'<div class="foot">{_e(meta_line(report))}</div>'
        f"</div><script>{_FIT_JS % height}</script></body></html>"
    )
    return PageShot(html, width, height)


def _slide_fix(t: TouchpointScore) -> str:
    numbers = f"impact {t.impact:.0f} = friction {t.friction:.0f} × reach {t.reach:.0%}"
    return (
        f'<li><b dir="auto">{_e(t.name)}</b>{" ★" if t.moment_of_truth else ""} '
        f'<span class="muted">· {_e(join(t.owner, numbers))}</span><br>'
        f'<span class="why">{_e(render(t.explain(limit=2)))}</span></li>'
    )


def _slide_tile(tile: Tile) -> str:
    label = tile.label if tile.n is None else f"{tile.label} · n = {tile.n}"
    if tile.change is not None:
        tone = (
            "up" if (tile.change_value or 0) > 0 else "down" if (tile.change_value or 0) < 0 else ""
        )
        under = f'<div class="change {tone}">{_e(tile.change_text)}</div>'
    else:
        under = f'<div class="change">{_e(tile.note or tile.detail)}</div>'
    return (
        f'<div class="tile"><div class="label">{_e(label)}</div>'
        f'<div class="value">{_e(tile.value)}</div>{under}</div>'
    )


# Fit the text to the slide: larger while there is room (up to 20 px a rem), smaller while it
# would overflow (long names, long answers), so nothing is ever cut off.
_FIT_JS = """
(() => {
  const slide = document.querySelector('.slide');
  const fits = () => slide.scrollHeight <= %d;
  const set = (px) => { document.documentElement.style.fontSize = px + 'px'; };
  let size = 16;
  while (fits() && size < 20) { size += 0.5; set(size); }
  while (!fits() && size > 8) { size -= 0.5; set(size); }
})();
"""

_SLIDE_CSS = """
html { font-size: 16px; }
html, body { margin: 0; background: #ffffff; }
body { color: #1f2933; font-family: "Noto Sans", "Source Sans 3", system-ui, sans-serif; }
.slide { box-sizing: border-box; padding: 1.4rem 1.75rem 0.9rem; overflow: hidden;
  display: flex; flex-direction: column; gap: 0.7rem; border-top: 0.4rem solid #0f766e; }
.kicker { font-size: 0.62rem; letter-spacing: 0.08em; color: #52606d; }
h1 { margin: -0.4rem 0 0; font-size: 1.6rem; line-height: 1.2; color: #0f172a;
  overflow-wrap: anywhere; }
h2 { margin: 0 0 0.25rem; font-size: 0.85rem; color: #0f766e; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(0, 1fr)); gap: 0.5rem; }
.tile { border: 1px solid #cbd5d1; border-radius: 0.4rem; padding: 0.35rem 0.55rem; }
.tile .label { font-size: 0.58rem; color: #52606d; }
.tile .value { font-size: 1.3rem; font-weight: 700; color: #0f172a; line-height: 1.25; }
.tile .change { font-size: 0.55rem; color: #52606d; }
.tile .change.up { color: #15803d; font-weight: 600; }
.tile .change.down { color: #b91c1c; font-weight: 600; }
.answers { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0.9rem; }
.answer { border-left: 0.22rem solid #0f766e; padding-left: 0.6rem; }
.answer p { margin: 0; font-size: 0.78rem; line-height: 1.4; overflow-wrap: anywhere; }
.top ol { margin: 0; padding-left: 1.2rem; font-size: 0.72rem; line-height: 1.35; }
.top li { margin-bottom: 0.2rem; }
.muted, .why { color: #52606d; }
.why { font-size: 0.64rem; }
.foot { margin-top: auto; font-size: 0.52rem; color: #7b8794; }
"""
