"""The canvas's geometry, palette and columns: what the HTML lanes and the emotion curve share.

A label column of ``LABEL_WIDTH`` pixels, then one ``COLUMN_WIDTH`` column per touchpoint (or
one per stage that has none to show), so the curve's point for column ``i`` sits at
``LABEL_WIDTH + (i + 0.5) * COLUMN_WIDTH``, under its card. :func:`layout_columns` lays the
columns out (with the channel/owner :class:`CanvasFilters`); the colours of stages, personas,
pain points and opportunity statuses are here too, for the charts and exports that repeat them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cxmap.core.records import JourneyAggregate, PainPointRecord, StageRecord, TouchpointRecord

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
    "ChipColour",
    "Column",
    "channel_icon",
    "emotion_y_pixel",
    "layout_columns",
    "opportunity_colour",
    "opportunity_touchpoints",
    "pain_colour",
    "pain_score",
    "persona_colour",
    "persona_dash",
]

# ---------------------------------------------------------------- geometry and palette

LABEL_WIDTH = 176  # px: the sticky lane-label column
COLUMN_WIDTH = 190  # px per touchpoint column
EMOTION_HEIGHT = 250  # px: height of the emotion lane (the plotly figure)
EMOTION_MARGIN = 18  # px above and below the plot area inside the emotion lane
EMOTION_RANGE = (-2.5, 2.5)  # y axis of the curve: scores -2…+2 with some air
# Streamlit container key of the scrolling area (Streamlit turns it into a CSS class).
SCROLL_KEY = "journey_canvas"

EMOTION_FACES = {-2: "😠", -1: "😟", 0: "😐", 1: "🙂", 2: "😄"}
ALL_CUSTOMERS = "All customers"
ALL_CUSTOMERS_COLOUR = "#1f2933"
PERSONA_COLOURS = ("#7c3aed", "#c2410c", "#0369a1", "#be185d", "#4d7c0f", "#a16207")
PERSONA_DASHES = ("dash", "dot", "dashdot", "longdash", "longdashdot", "solid")
MOT_COLOUR = "#f59e0b"
MOT_OUTLINE = "#92400e"
# Background of the stage bands (alternating), shared with the curve's shading.
BAND_COLOURS = ("#ffffff", "#f1f6f5")
STAGE_HEADER_COLOURS = ("#0f766e", "#115e59")
STAGE_RULE = "#b7c9c4"
DIM_OPACITY = 0.28

CHANNEL_ICONS = {
    "web": "🌐",
    "website": "🌐",
    "online": "🌐",
    "app": "📱",
    "mobile app": "📱",
    "mobile": "📱",
    "phone": "📞",
    "call centre": "📞",
    "call center": "📞",
    "store": "🏬",
    "branch": "🏬",
    "shop": "🏬",
    "email": "✉️",
    "e-mail": "✉️",
    "chat": "💬",
    "tv": "📺",
    "partner": "🤝",
    "mail": "📬",
    "post": "📬",
    "letter": "📬",
    "social": "📣",
    "social media": "📣",
    "sms": "💌",
    "text": "💌",
    "video": "🎥",
}
FALLBACK_ICON = "•"


@dataclass(frozen=True)
class ChipColour:
    """Colours of a chip: what a reader sees and the legend names."""

    name: str
    background: str
    border: str
    text: str


# Pain points by severity × frequency (1…25), in bands a room can tell apart on a projector.
# Upper bound of each band (inclusive) → colour; white text only on the darkest.
PAIN_BANDS: tuple[tuple[int, ChipColour], ...] = (
    (4, ChipColour("1–4 minor", "#fef9c3", "#eab308", "#3f2a04")),
    (9, ChipColour("5–9 moderate", "#fed7aa", "#f97316", "#431407")),
    (15, ChipColour("10–15 serious", "#fca5a5", "#dc2626", "#450a0a")),
    (25, ChipColour("16–25 severe", "#b91c1c", "#7f1d1d", "#ffffff")),
)
OPPORTUNITY_COLOURS = {
    "idea": ChipColour("idea", "#e2e8f0", "#94a3b8", "#1e293b"),
    "planned": ChipColour("planned", "#dbeafe", "#3b82f6", "#1e3a8a"),
    "in progress": ChipColour("in progress", "#ccfbf1", "#14b8a6", "#134e4a"),
    "done": ChipColour("done", "#dcfce7", "#22c55e", "#14532d"),
}
MAX_CHIPS = 4  # per cell and lane; the rest is summed up as "+N more" (with a tooltip)


def channel_icon(channel: str) -> str:
    """The emoji of a channel (• when unknown).

    >>> channel_icon("Web"), channel_icon("call centre"), channel_icon("pigeon")
    ('🌐', '📞', '•')
    """
    return CHANNEL_ICONS.get(channel.strip().lower(), FALLBACK_ICON)


def pain_score(pain: PainPointRecord) -> int:
    """Severity × frequency of a pain point (1…25): what its chip's colour and the order go by.

    >>> pain_score(PainPointRecord(1, "p1", 1, "Slow login", 4, 3, 1))
    12
    """
    return pain.severity * pain.frequency


def pain_colour(score: int) -> ChipColour:
    """The colour of a pain point chip for severity × frequency ``score`` (1…25).

    >>> pain_colour(4).name, pain_colour(5).name, pain_colour(25).background
    ('1–4 minor', '5–9 moderate', '#b91c1c')
    """
    for upper, colour in PAIN_BANDS:
        if score <= upper:
            return colour
    return PAIN_BANDS[-1][1]


def opportunity_colour(status: str) -> ChipColour:
    """The colour of an opportunity chip for its status (an unknown status looks like "idea").

    >>> opportunity_colour("done").name, opportunity_colour("someday").name
    ('done', 'idea')
    """
    return OPPORTUNITY_COLOURS.get(status, OPPORTUNITY_COLOURS["idea"])


def persona_colour(index: int) -> str:
    """Colour of the persona at ``index`` in the map's persona list (stable under filters)."""
    return PERSONA_COLOURS[index % len(PERSONA_COLOURS)]


def persona_dash(index: int) -> str:
    """Plotly line dash of the persona at ``index`` (cycling, like :func:`persona_colour`).

    >>> persona_dash(0), persona_dash(len(PERSONA_DASHES))
    ('dash', 'dash')
    """
    return PERSONA_DASHES[index % len(PERSONA_DASHES)]


def emotion_y_pixel(score: float) -> float:
    """Pixels from the top of the emotion lane to the level of ``score`` on the curve.

    >>> emotion_y_pixel(EMOTION_RANGE[1]) == EMOTION_MARGIN
    True
    """
    low, high = EMOTION_RANGE
    plot_height = EMOTION_HEIGHT - 2 * EMOTION_MARGIN
    return EMOTION_MARGIN + (high - score) / (high - low) * plot_height


# ---------------------------------------------------------------- filters and columns


@dataclass(frozen=True)
class CanvasFilters:
    """Which touchpoints to bring forward: by channel and by owner (empty = all).

    Non-matching touchpoints are dimmed (the default: the journey keeps its shape and the
    curve stays continuous) or, with ``hide_others``, left out.

    >>> CanvasFilters(channels=("app",)).active, CanvasFilters().active
    (True, False)
    """

    channels: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    hide_others: bool = False

    @property
    def active(self) -> bool:
        """Whether any channel or owner is picked (no filter is on otherwise)."""
        return bool(self.channels or self.owners)

    def matches(self, touchpoint: TouchpointRecord) -> bool:
        """Whether ``touchpoint`` is among the picked channels and owners (always, when none are).

        >>> from cxmap.core.examples import demo_chain
        >>> touchpoint = demo_chain().touchpoints[0]
        >>> CanvasFilters(channels=("web",)).matches(touchpoint)
        True
        >>> CanvasFilters(owners=("Sales",)).matches(touchpoint)
        False
        """
        return (not self.channels or touchpoint.channel in self.channels) and (
            not self.owners or touchpoint.owner in self.owners
        )


NO_FILTERS = CanvasFilters()


@dataclass(frozen=True)
class Column:
    """One column of the canvas: a touchpoint of a stage, or the empty slot of a stage that has
    no touchpoint to show (``hidden`` of them left out by the filter). ``stage_index`` counts
    stages from 0 (for the alternating bands)."""

    stage: StageRecord
    stage_index: int
    touchpoint: TouchpointRecord | None
    first_of_stage: bool
    dimmed: bool = False
    hidden: int = 0


def layout_columns(
    aggregate: JourneyAggregate, filters: CanvasFilters = NO_FILTERS
) -> list[Column]:
    """The canvas columns, stage by stage in order, touchpoints in their order within a stage.

    >>> from cxmap.core.examples import demo_chain
    >>> [c.touchpoint.name for c in layout_columns(demo_chain()) if c.touchpoint]
    ['Touchpoint 1', 'Touchpoint 2', 'Touchpoint 3']
    """
    by_stage: dict[int, list[TouchpointRecord]] = defaultdict(list)
    for touchpoint in aggregate.touchpoints:
        by_stage[touchpoint.stage_id].append(touchpoint)
    columns: list[Column] = []
    stages = sorted(aggregate.stages, key=lambda s: s.position)
    for stage_index, stage in enumerate(stages):
        in_stage = sorted(by_stage.get(stage.id, []), key=lambda t: t.position)
        shown = [t for t in in_stage if not (filters.hide_others and not filters.matches(t))]
        if not shown:
            columns.append(Column(stage, stage_index, None, True, hidden=len(in_stage)))
        for n, touchpoint in enumerate(shown):
            dimmed = filters.active and not filters.matches(touchpoint)
            columns.append(Column(stage, stage_index, touchpoint, n == 0, dimmed))
    return columns


def opportunity_touchpoints(aggregate: JourneyAggregate) -> dict[int, int | None]:
    """The touchpoint of each opportunity (by id): its own, else its pain point's, else None
    (an opportunity for the whole journey).

    >>> from cxmap.core.examples import demo_chain
    >>> opportunity_touchpoints(demo_chain())
    {}
    """
    pain_touchpoint = {p.id: p.touchpoint_id for p in aggregate.pain_points}
    found: dict[int, int | None] = {}
    for opportunity in aggregate.opportunities:
        touchpoint_id = opportunity.touchpoint_id
        if touchpoint_id is None and opportunity.pain_point_id is not None:
            touchpoint_id = pain_touchpoint.get(opportunity.pain_point_id)
        found[opportunity.id] = touchpoint_id
    return found
