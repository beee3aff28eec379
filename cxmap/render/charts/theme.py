"""What every figure shares: the font, the friction colours and the note on an empty chart.

The friction colours run green → amber → red over 0…100; the friction heatmaps, the journey
network (:mod:`cxmap.render.network`) and the exports all use :func:`friction_colour`, so one
colour means one friction level everywhere.
"""

from __future__ import annotations

import colorsys
from typing import Any

import plotly.graph_objects as go

FONT = {"family": "Source Sans Pro, Source Sans 3, system-ui, sans-serif", "size": 15}
NAME_LIMIT = 42  # characters of a touchpoint (or group) name on an axis
MUTED = "#64748b"  # notes and quadrant names
NOTE = "#52606d"  # the numbers written beside bars

# Friction 0 → 100: green, amber, red, as (hue°, saturation, lightness), interpolated in hue so
# the way from green to amber stays clear (an RGB blend goes through olive).
FRICTION_COLOURS: tuple[tuple[float, tuple[float, float, float]], ...] = (
    (0.0, (145.0, 0.63, 0.38)),
    (25.0, (88.0, 0.60, 0.40)),
    (50.0, (38.0, 0.92, 0.48)),
    (75.0, (18.0, 0.85, 0.50)),
    (100.0, (0.0, 0.72, 0.47)),
)


def friction_colour(friction: float) -> str:
    """The colour of a friction score 0…100: green, through amber, to red.

    >>> friction_colour(0), friction_colour(50), friction_colour(100)
    ('#249e57', '#eb980a', '#ce2222')
    """
    value = min(100.0, max(0.0, friction))
    for (low, low_hsl), (high, high_hsl) in zip(
        FRICTION_COLOURS, FRICTION_COLOURS[1:], strict=False
    ):
        if value <= high:
            share = (value - low) / (high - low)
            hue, saturation, lightness = (
                a + (b - a) * share for a, b in zip(low_hsl, high_hsl, strict=True)
            )
            rgb = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
            return "#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in rgb))
    raise AssertionError("unreachable: the scale ends at 100")


def friction_colourscale(steps: int = 10) -> list[list[float | str]]:
    """:func:`friction_colour` as a plotly colour scale over 0…100.

    >>> friction_colourscale(2)
    [[0.0, '#249e57'], [0.5, '#eb980a'], [1.0, '#ce2222']]
    """
    return [[i / steps, friction_colour(100 * i / steps)] for i in range(steps + 1)]


def top_legend(**options: Any) -> dict[str, Any]:
    """A horizontal legend just above the plot, from its left edge; ``options`` add or change
    plotly legend settings.

    >>> top_legend(title=None)
    {'orientation': 'h', 'yanchor': 'bottom', 'y': 1.0, 'x': 0, 'title': None}
    """
    return {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, **options}


def bar_note(figure: go.Figure, y: str, text: str, *, xshift: int, **where: Any) -> None:
    """Write ``text`` (not escaped) in small grey type right of ``where`` (``x``, maybe ``xref``)
    on the bar ``y`` of a horizontal bar chart.

    >>> figure = go.Figure()
    >>> bar_note(figure, "Pays", "40 · reach 80%", xshift=6, x=40)
    >>> figure.layout.annotations[0].x, figure.layout.annotations[0].xanchor
    (40, 'left')
    """
    figure.add_annotation(
        **where,
        y=y,
        text=text,
        showarrow=False,
        xanchor="left",
        xshift=xshift,
        font={"size": 13, "color": NOTE},
    )


def note_empty(figure: go.Figure, text: str) -> None:
    """Say in the middle of ``figure`` why it shows nothing (``text`` is not escaped).

    >>> figure = go.Figure()
    >>> note_empty(figure, "Nothing yet")
    >>> figure.layout.annotations[0].text
    'Nothing yet'
    """
    figure.add_annotation(
        text=text,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": MUTED},
    )
