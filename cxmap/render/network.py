"""The journey as an interactive network: one self-contained, offline, escaped pyvis page.

Nodes are touchpoints in columns by stage (x: the stage's order, y: the touchpoint's position in
it), coloured by friction (green → amber → red, :func:`cxmap.render.charts.friction_colour`), sized
by reach (area ∝ reach); moments of truth are stars with a dark border. Edges are transitions, as
wide as their probability. Physics is off: the layout is the map's own order, stable from one
rerun to the next.

Three things pyvis does not do for us, done here:

* **Offline.** ``cdn_resources="in_line"`` inlines vis-network from the package, but the template
  still links Bootstrap from a CDN: those tags are removed, and the page is checked for any
  ``http(s)://`` resource left (:func:`external_resources`).
* **Escaping.** Every user string that vis-network or the browser would read as HTML goes through
  :func:`cxmap.render.text.escape` first: tooltips are built here as HTML from escaped text and
  handed to vis-network as DOM elements by a small script (a plain-string title would show the
  entities literally), so pyvis's "href" tooltip mode, which sets ``innerHTML`` from raw titles, is
  never triggered. Node labels are the one exception, on purpose: vis-network draws them on the
  canvas with ``fillText`` (``multi`` off, so no markup is parsed), where an escaped name would show
  as ``&lt;…`` (its html-label mode fails to decode entities). In the page source they, like all the
  data, sit in JSON that Jinja's ``tojson`` writes with ``<``, ``>``, ``&`` and ``'`` as
  ``\\u003c``-style escapes, so no user text appears raw in the HTML.
* **Size.** Nodes and edges are appended directly (``from_nx`` and ``add_edge`` check membership
  in lists: quadratic), and one Jinja environment is shared so the 700 kB of inlined library is
  parsed once per process.

Examples
--------
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> page = network_html(demo_chain(), analyze(demo_chain()))
>>> page.startswith("<html>"), external_resources(page)
(True, [])
"""

from __future__ import annotations

import math
import os
import re
from typing import Any

import pyvis
from jinja2 import Environment, FileSystemLoader
from pyvis.network import Network

from cxmap.analysis.flow import journey_graph
from cxmap.analysis.scoring import JourneyAnalysis, TouchpointScore
from cxmap.core.messages import render, render_all
from cxmap.core.records import JourneyAggregate
from cxmap.render.charts.theme import friction_colour
from cxmap.render.text import escape

MOMENT_BORDER = "#1f2933"
COLUMN_GAP = 250  # px between stage columns
ROW_GAP = 130  # px between touchpoints of a stage
LEGEND_PX = 40  # about the height of the legend above the canvas
LARGE_GRAPH = 400  # above this many nodes: straight edges and no hover (drawing stays fast)
MIN_SIZE, MAX_SIZE = 9.0, 30.0

_TEMPLATES = Environment(
    loader=FileSystemLoader(os.path.join(os.path.dirname(pyvis.__file__), "templates"))
)
_EXTERNAL_TAG = re.compile(
    r"""<link\b[^>]*\bhref\s*=\s*["']?https?://[^>]*>"""
    r"""|<script\b[^>]*\bsrc\s*=\s*["']?https?://[^>]*>\s*</script\s*>""",
    re.IGNORECASE,
)
_EXTERNAL_REFERENCE = re.compile(
    r"""\b(?:src|href)\s*=\s*["']?\s*(https?://[^"'\s>]+)"""
    r"""|url\(\s*["']?(https?://[^"')\s]+)"""
    r"""|@import\s+["'](https?://[^"']+)""",
    re.IGNORECASE,
)
_HEADING = re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.DOTALL)
_OLD_COMMENT = re.compile(r"<!--\s*<link[^>]*node_modules.*?-->", re.DOTALL)
_BOW = {"enabled": True, "type": "curvedCW", "roundness": 0.35}
_CREATE_NETWORK = "network = new vis.Network(container, data, options);"
_BODY_CARD = '<div class="card" style="width: 100%">'

# Tooltips arrive as HTML strings built from escaped text (see the module docstring); vis-network
# shows a string title as plain text, so they become elements before the network is drawn.
_DRAW_SCRIPT = """
                  // Tooltips: HTML built from escaped text (cxmap/network.py) becomes elements.
                  function cxmapTooltips(items) {
                      var changes = [];
                      items.forEach(function (item) {
                          if (typeof item.tooltip === "string") {
                              var box = document.createElement("div");
                              box.className = "cxmap-tooltip";
                              box.innerHTML = item.tooltip;
                              changes.push({id: item.id, title: box});
                          }
                      });
                      items.update(changes);
                  }
                  cxmapTooltips(nodes);
                  cxmapTooltips(edges);
                  network = new vis.Network(container, data, options);
                  // Fit the whole journey whenever the frame changes size (it has none while
                  // it sits in a hidden tab), until the viewer zooms or pans themselves.
                  var cxmapMoved = false;
                  network.on("zoom", function () { cxmapMoved = true; });
                  network.on("dragEnd", function (event) {
                      if (!event.nodes.length) { cxmapMoved = true; }
                  });
                  function cxmapFit() {
                      if (!cxmapMoved && container.clientWidth > 0 && container.clientHeight > 0) {
                          network.fit({animation: false});
                      }
                  }
                  if (window.ResizeObserver) {
                      new ResizeObserver(cxmapFit).observe(container);
                  } else {
                      window.addEventListener("resize", cxmapFit);
                  }
                  cxmapFit();
"""
# The page is a column: legend on top, the network filling the rest of the frame's height.
_STYLE = """
<style type="text/css">
  html, body { margin: 0; padding: 0; background: #ffffff; overflow: hidden;
    height: %(height)dpx;
    font-family: "Source Sans Pro", "Source Sans 3", system-ui, -apple-system, "Segoe UI",
    Roboto, sans-serif; color: #1f2933; }
  body { display: flex; flex-direction: column; }
  body > .card { flex: 1 1 auto; min-height: 0; display: flex; }
  #mynetwork { flex: 1 1 auto; float: none !important; height: auto !important;
    width: 100%% !important; border: 1px solid #dfe4ea !important; border-radius: 8px;
    box-sizing: border-box; }
  .cxmap-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; align-items: center;
    box-sizing: border-box; padding: 6px 6px 8px 6px; font-size: 14px; color: #52606d; }
  .cxmap-legend .scale { display: inline-block; width: 110px; height: 12px; border-radius: 6px;
    vertical-align: middle; margin: 0 6px;
    background: linear-gradient(90deg, %(low)s, %(mid)s, %(high)s); }
  .cxmap-legend .star { color: %(border)s; font-size: 17px; }
  div.vis-tooltip { white-space: normal; max-width: 360px; padding: 10px 12px;
    font-family: inherit; font-size: 14px; line-height: 1.4; color: #1f2933;
    background: #ffffff; border: 1px solid #cbd2d9; border-radius: 6px;
    box-shadow: 0 4px 14px rgba(31, 41, 51, 0.15); }
  .cxmap-tooltip .name { font-weight: 600; font-size: 15px; }
  .cxmap-tooltip .where { color: #52606d; }
  .cxmap-tooltip ul { margin: 4px 0 0 0; padding-left: 18px; }
</style>
"""
_LEGEND = """
<div class="cxmap-legend" aria-label="Legend">
  <span>Friction <span class="scale"></span> 0 → 100</span>
  <span>Size = share of customers who get there</span>
  <span><span class="star">★</span> moment of truth</span>
  <span>Arrow width = share who go that way</span>
</div>
"""


def node_size(reach: float) -> float:
    """Node radius for a reach 0…1: the area grows with reach.

    >>> node_size(0.0), node_size(1.0), node_size(0.25) == (9 + 30) / 2
    (9.0, 30.0, True)
    """
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(min(1.0, max(0.0, reach))), 2)


def touchpoint_tooltip(score: TouchpointScore) -> str:
    """The hover card of a touchpoint, as HTML whose every user string is escaped."""
    where = " · ".join(escape(part) for part in (score.stage, score.channel, score.owner) if part)
    lines = [
        f'<div class="name">{escape(score.name)}</div>',
        f'<div class="where">{where}</div>' if where else "",
        f"<div>Reach {score.reach:.0%} · friction {score.friction:.0f}/100 · "
        f"impact {score.impact:.1f}</div>",
        f"<div>Why: {escape(render(score.explain()))}</div>",
    ]
    if score.moment_of_truth:
        reasons = "".join(f"<li>{escape(r)}</li>" for r in render_all(score.reasons))
        lines.append(f"<div><b>★ Moment of truth</b><ul>{reasons}</ul></div>")
    return "".join(lines)


def network_html(
    aggregate: JourneyAggregate, analysis: JourneyAnalysis, *, height_px: int = 620
) -> str:
    """The journey network as one HTML page that needs nothing but itself (see the module doc).

    ``height_px`` is the whole page's height (legend and canvas), what an iframe should give it.
    """
    scores = analysis.by_key()
    node_id = {t.key: t.id for t in aggregate.touchpoints}
    large = len(aggregate.touchpoints) > LARGE_GRAPH
    net = Network(
        height=f"{max(120, height_px - LEGEND_PX)}px",
        width="100%",
        directed=True,
        cdn_resources="in_line",
        heading="",
    )
    net.templateEnv = _TEMPLATES
    net.options = _options(large)

    columns = [
        (stage, members)
        for stage in aggregate.stages
        if (members := aggregate.touchpoints_in_stage(stage.id))
    ]
    tallest = max((len(members) for _, members in columns), default=0)
    top = -(tallest - 1) / 2 * ROW_GAP - ROW_GAP * 0.8
    column_of: dict[str, int] = {}
    for column, (stage, members) in enumerate(columns):
        x = column * COLUMN_GAP
        _add_node(
            net,
            f"stage-{stage.id}",
            label=stage.name,
            shape="text",
            x=x,
            y=top,
            font={"size": 23, "color": "#1f2933", "mod": "bold"},
            chosen=False,
            fixed=True,
        )
        for row, touchpoint in enumerate(members):
            column_of[touchpoint.key] = column
            y = (row - (len(members) - 1) / 2) * ROW_GAP
            _add_node(net, touchpoint.id, **_touchpoint_node(scores[touchpoint.key], x, y))

    graph = journey_graph(aggregate)
    names = {t.key: t.name for t in aggregate.touchpoints}
    for source, target, probability in graph.edges(data="probability"):
        net.edges.append(
            {
                "from": node_id[source],
                "to": node_id[target],
                "arrows": "to",
                "width": round(1 + 7 * probability, 2),
                # Edges within a stage or back to an earlier one bow out instead of running
                # straight through the touchpoints between their ends.
                **({} if large or column_of[target] > column_of[source] else {"smooth": _BOW}),
                "tooltip": (
                    f"{escape(names[source])} → {escape(names[target])}: "
                    f"{probability:.0%} of the customers here go on this way"
                ),
            }
        )
    return _offline(net.generate_html(notebook=False), height_px)


def external_resources(page: str) -> list[str]:
    """The ``http(s)://`` addresses a page would fetch (src, href, CSS url() and @import).

    >>> external_resources('<img src="https://x.org/a.png"><a href="#top">')
    ['https://x.org/a.png']
    """
    return [
        next(group for group in m.groups() if group) for m in _EXTERNAL_REFERENCE.finditer(page)
    ]


# ---------------------------------------------------------------- helpers


def _touchpoint_node(score: TouchpointScore, x: float, y: float) -> dict[str, Any]:
    colour = friction_colour(score.friction)
    border = MOMENT_BORDER if score.moment_of_truth else colour
    return {
        "label": score.name,
        **({"font": {"mod": "bold"}} if score.moment_of_truth else {}),
        "shape": "star" if score.moment_of_truth else "dot",
        "size": node_size(score.reach),
        "x": x,
        "y": y,
        "borderWidth": 3 if score.moment_of_truth else 1,
        "color": {
            "background": colour,
            "border": border,
            "highlight": {"background": colour, "border": "#0f766e"},
            "hover": {"background": colour, "border": "#0f766e"},
        },
        "tooltip": touchpoint_tooltip(score),
        # Read by tests and by anyone looking at the data: the numbers behind colour and size.
        "friction": score.friction,
        "reach": round(score.reach, 4),
        "momentOfTruth": score.moment_of_truth,
    }


def _add_node(net: Network, identifier: int | str, **options: Any) -> None:
    # Network.add_node checks membership in a list (quadratic on big maps): append directly.
    net.nodes.append({"id": identifier, **options})
    net.node_ids.append(identifier)
    net.node_map[identifier] = net.nodes[-1]


def _options(large: bool) -> dict[str, Any]:
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 150,
            "zoomView": True,
            "dragView": True,
            "dragNodes": True,
            "hideEdgesOnDrag": large,
        },
        "nodes": {
            "font": {"size": 18, "color": "#1f2933", "face": "sans-serif", "multi": False},
            "widthConstraint": {"maximum": 170},
        },
        "edges": {
            "color": {"color": "#9aa5b1", "highlight": "#0f766e", "hover": "#52606d"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "smooth": False
            if large
            else {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal"},
            "selectionWidth": 1.5,
        },
    }


def _offline(page: str, height_px: int) -> str:
    """Remove the template's CDN tags and empty heading; add our style, legend and tooltips."""
    page = _EXTERNAL_TAG.sub("", page)
    page = _HEADING.sub("", page)
    page = _OLD_COMMENT.sub("", page)
    for marker in (_CREATE_NETWORK, _BODY_CARD, "</head>"):
        if page.count(marker) != 1:
            raise RuntimeError(f"pyvis's template changed: {marker!r} is not there exactly once")
    style = _STYLE % {
        "height": height_px,
        "low": friction_colour(0),
        "mid": friction_colour(50),
        "high": friction_colour(100),
        "border": MOMENT_BORDER,
    }
    page = page.replace("</head>", style + "</head>")
    page = page.replace(_BODY_CARD, _LEGEND + _BODY_CARD)
    page = page.replace(_CREATE_NETWORK, _DRAW_SCRIPT.strip())
    left = external_resources(page)
    if left:
        raise RuntimeError(f"the network page would fetch {', '.join(left)}")
    return page
