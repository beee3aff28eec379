"""The exports of a map for people outside the app: HTML, PDF, PNG.

Each lays out the map's executive summary (:mod:`cxmap.analysis.executive`, re-exported here:
:func:`executive_summary`, :class:`ExecutiveSummary`) for a file:

* :func:`to_html` (:mod:`.html`): one self-contained page that opens offline: the journey canvas
  with its emotion curve, the charts (plotly.js inlined once, no CDN), the friction table and the
  moments of truth. Every user string is escaped.
* :func:`to_pdf` (:mod:`.pdf`, on the primitives of :mod:`.pdf_layout`): an A4 landscape report
  (cover with KPIs, the journey map as a grid of stages × touchpoints, the emotion curve, the
  friction table, moments of truth and customers at risk, the opportunity matrix, who owns the
  pain). Charts are PNGs rendered by kaleido; Noto Sans and Noto Naskh Arabic are embedded, and
  Arabic-script text is shaped by HarfBuzz.
* :func:`to_png` (:mod:`.png`): an image of the journey canvas with its emotion curve, as the
  Journey Map page draws it (an overview of stages and curve when the map is too wide);
  :func:`to_slide_png`: one 16:9 slide (1920 × 1080) of the summary: title, the three answers,
  the KPIs and the top three to fix.
* :func:`to_pptx` (:mod:`.powerpoint`): the summary as 16:9 PowerPoint slides (python-pptx),
  with the PDF's emotion curve and opportunity matrix as pictures.

PDF, PNG and PowerPoint need a Chromium browser (:mod:`.browser`: Debian's ``/usr/bin/chromium``, or
``BROWSER_PATH``), started on the first export and kept for the next ones; without one they
raise :class:`ExportUnavailable` with what to do. HTML needs no browser. What the exports
share (figures, plotly embedding, escaping) is in :mod:`.shared`; the opportunities in the order
to act on them in :mod:`.opportunities`.

Examples
--------
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> report = executive_summary(demo_chain(), analyze(demo_chain()))
>>> sorted(EXPORTERS), EXPORTERS[".html"](report).startswith(b"<!DOCTYPE html>")
(['.html', '.pdf', '.png', '.pptx', '.slide.png'], True)
"""

from __future__ import annotations

from collections.abc import Callable

from cxmap.analysis.executive import (
    COMPARED,
    KPI_DAYS,
    TOP,
    Answers,
    ExecutiveSummary,
    NextStep,
    Tile,
    executive_summary,
    next_step,
)
from cxmap.render.report.browser import (
    PNG_MAX_PIXELS,
    PNG_SCALE,
    SETUP_HINT,
    ExportUnavailable,
    find_chromium,
    require_chromium,
)
from cxmap.render.report.html import html_bytes, to_html
from cxmap.render.report.opportunities import PlacedOpportunity, ranked_opportunities
from cxmap.render.report.pdf import to_pdf
from cxmap.render.report.pdf_layout import emotion_colour, pdf_text
from cxmap.render.report.png import (
    OVERVIEW_WIDTH,
    SLIDE_SIZE,
    png_page,
    slide_page,
    to_png,
    to_slide_png,
)
from cxmap.render.report.powerpoint import slide_title, to_pptx

__all__ = [
    "COMPARED",
    "EXPORTERS",
    "KPI_DAYS",
    "OVERVIEW_WIDTH",
    "PNG_MAX_PIXELS",
    "PNG_SCALE",
    "SETUP_HINT",
    "SLIDE_SIZE",
    "TOP",
    "Answers",
    "ExecutiveSummary",
    "ExportUnavailable",
    "NextStep",
    "PlacedOpportunity",
    "Tile",
    "emotion_colour",
    "executive_summary",
    "find_chromium",
    "next_step",
    "pdf_text",
    "png_page",
    "ranked_opportunities",
    "require_chromium",
    "slide_page",
    "slide_title",
    "to_html",
    "to_pdf",
    "to_png",
    "to_pptx",
    "to_slide_png",
]

# File suffix → exporter (what services.export_map calls).
EXPORTERS: dict[str, Callable[[ExecutiveSummary], bytes]] = {
    ".html": html_bytes,
    ".pdf": to_pdf,
    ".png": to_png,
    ".slide.png": to_slide_png,
    ".pptx": to_pptx,
}
