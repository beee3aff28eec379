"""The journey map canvas: stages as columns, lanes as rows, as one escaped HTML string.

Pure: no Streamlit, no database. :func:`journey_canvas` turns a map (and its analysis) into
two HTML fragments, the lanes above the emotion curve (stages, customer actions, touchpoints,
thoughts) and the lanes below it (pain points, opportunities). The page renders them with
``st.html`` (sanitised, no iframe, no scripts) around the plotly emotion curve
(:func:`cxmap.render.charts.emotion_curve`), inside one horizontally scrolling container.

Geometry is shared with the curve: a label column of ``LABEL_WIDTH`` pixels, then one
``COLUMN_WIDTH`` column per touchpoint (or one per stage that has none to show), so the curve's
point for column ``i`` sits at ``LABEL_WIDTH + (i + 0.5) * COLUMN_WIDTH``, under its card.

Every user string goes through :func:`html.escape` (text and attributes alike); the CSS is in a
``<style>`` block of the same string, and nothing is loaded from elsewhere (works offline).

Examples
--------
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> chain = demo_chain()
>>> canvas = journey_canvas(chain, analyze(chain))
>>> canvas.columns, canvas.width == LABEL_WIDTH + 3 * COLUMN_WIDTH
(3, True)
>>> "Touchpoint 2" in canvas.head
True
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cxmap.core.messages import Message, render_all
from cxmap.core.records import (
    JourneyAggregate,
    OpportunityRecord,
    PainPointRecord,
    StageRecord,
    TouchpointRecord,
)

if TYPE_CHECKING:
    from cxmap.analysis.scoring import JourneyAnalysis, TouchpointScore

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
    return OPPORTUNITY_COLOURS.get(status, OPPORTUNITY_COLOURS["idea"])


def persona_colour(index: int) -> str:
    """Colour of the persona at ``index`` in the map's persona list (stable under filters)."""
    return PERSONA_COLOURS[index % len(PERSONA_COLOURS)]


def persona_dash(index: int) -> str:
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
        return bool(self.channels or self.owners)

    def matches(self, touchpoint: TouchpointRecord) -> bool:
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


# ---------------------------------------------------------------- the canvas


@dataclass(frozen=True)
class CanvasHtml:
    """The canvas in two parts around the emotion curve, and its size."""

    head: str  # CSS, stage headers, customer actions, touchpoints, thoughts, emotion label
    tail: str  # pain points, opportunities
    columns: int
    width: int  # px, label column included: the width the emotion figure must have too


def journey_canvas(
    aggregate: JourneyAggregate,
    analysis: JourneyAnalysis | None = None,
    filters: CanvasFilters = NO_FILTERS,
    persona_ids: Collection[int] = (),
) -> CanvasHtml:
    """Render the swimlane canvas of ``aggregate`` as escaped HTML.

    ``analysis`` marks the moments of truth the model finds (and the team's flags) and gives
    each touchpoint's friction; ``persona_ids`` are the personas whose emotion lines the curve
    draws (for the key in the emotion lane's label).
    """
    columns = layout_columns(aggregate, filters)
    scores = analysis.by_key() if analysis is not None else {}
    stage_friction = {g.name: g.friction for g in analysis.stages} if analysis else {}
    pains: dict[int, list[PainPointRecord]] = defaultdict(list)
    for pain in aggregate.pain_points:
        pains[pain.touchpoint_id].append(pain)
    opportunities = _opportunities_by_touchpoint(aggregate)
    total_in_stage: dict[int, int] = defaultdict(int)
    for touchpoint in aggregate.touchpoints:
        total_in_stage[touchpoint.stage_id] += 1

    head = [
        _style(len(columns)),
        '<div class="cxj" data-part="head">',
        _label("Stage"),
        *_stage_headers(columns, total_in_stage, stage_friction, filters),
        _label("Customer actions"),
        *(_action_cell(c) for c in columns),
        _label("Touchpoints"),
        *(_touchpoint_cell(c, scores) for c in columns),
        _label("Thoughts"),
        *(_thought_cell(c) for c in columns),
        _emotion_label(aggregate, persona_ids),
        "</div>",
    ]
    tail = [
        '<div class="cxj" data-part="tail">',
        _label("Pain points"),
        *(_pain_cell(c, pains) for c in columns),
        _label("Opportunities"),
        *(_opportunity_cell(c, opportunities) for c in columns),
        "</div>",
        _unlinked_opportunities(aggregate),
    ]
    return CanvasHtml(
        head="".join(head),
        tail="".join(tail),
        columns=len(columns),
        width=LABEL_WIDTH + COLUMN_WIDTH * len(columns),
    )


def legend_html() -> str:
    """One line explaining the colours and markers of the canvas and the curve."""
    pain = "".join(_chip_span(colour, colour.name, "cxj-key-chip") for _, colour in PAIN_BANDS)
    status = "".join(
        _chip_span(colour, colour.name, "cxj-key-chip") for colour in OPPORTUNITY_COLOURS.values()
    )
    faces = " ".join(
        f"{face}&nbsp;{_signed(score)}" for score, face in sorted(EMOTION_FACES.items())
    )
    parts = [
        '<span><span class="cxj-key-star">★</span> moment of truth (flagged by the team '
        "or found by the model; hover a card for why)</span>",
        f"<span>Emotion {faces}</span>",
        f"<span>Pain: severity × frequency {pain}</span>",
        f"<span>Opportunity status {status}</span>",
        '<span><span class="cxj-key-dim">dimmed</span> = not in the channel/owner filter</span>',
    ]
    return (
        '<div class="cxj-legend" style="display:flex;flex-wrap:wrap;gap:6px 22px;'
        'font-size:14px;color:#334155;line-height:1.9">'
        + "".join(parts)
        + "</div>"
        + "<style>.cxj-key-chip{display:inline-block;margin-left:6px;padding:0 8px;"
        "border-radius:10px;font-size:13px;line-height:1.6;border:1px solid}"
        f".cxj-key-star{{color:{MOT_COLOUR};font-size:18px;"
        f"text-shadow:0 0 1px {MOT_OUTLINE}}}"
        f".cxj-key-dim{{opacity:{DIM_OPACITY + 0.2};border:1px dashed #64748b;"
        "padding:0 6px;border-radius:4px}</style>"
    )


# ---------------------------------------------------------------- cells


def _signed(score: int) -> str:
    """+1, 0, −1 (a real minus sign: it reads better than a hyphen)."""
    return f"{score:+d}".replace("-", "−") if score else "0"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _label(text: str) -> str:
    return f'<div class="cxj-label">{_esc(text)}</div>'


def _cell_classes(column: Column, *extra: str) -> str:
    classes = ["cxj-cell", f"cxj-band{column.stage_index % 2}", *extra]
    if column.first_of_stage:
        classes.append("cxj-first")
    if column.dimmed:
        classes.append("cxj-dim")
    return " ".join(classes)


def _cell(column: Column, body: str, *extra: str, title: str = "") -> str:
    key = f' data-touchpoint="{_esc(column.touchpoint.key)}"' if column.touchpoint else ""
    tip = f' title="{_esc(title)}"' if title else ""
    return f'<div class="{_cell_classes(column, *extra)}"{key}{tip}>{body}</div>'


def _stage_headers(
    columns: Sequence[Column],
    total_in_stage: dict[int, int],
    stage_friction: dict[str, float],
    filters: CanvasFilters,
) -> Iterable[str]:
    spans: list[tuple[Column, int]] = []
    for column in columns:
        if column.first_of_stage:
            spans.append((column, 0))
        spans[-1] = (spans[-1][0], spans[-1][1] + 1)
    for first, span in spans:
        stage = first.stage
        total = total_in_stage.get(stage.id, 0)
        shown = sum(
            1
            for c in columns
            if c.stage.id == stage.id and c.touchpoint is not None and not c.dimmed
        )
        if total == 0:
            count = "no touchpoints yet"
        elif filters.active:
            count = f"{shown} of {total} touchpoints match"
        else:
            count = f"{total} touchpoint{'s' if total != 1 else ''}"
        friction = stage_friction.get(stage.name)
        if friction is not None and total:
            count += f" · friction {friction:.0f}"
        colour = STAGE_HEADER_COLOURS[first.stage_index % 2]
        yield (
            f'<div class="cxj-stage" data-stage="{_esc(stage.key)}" '
            f'style="grid-column:span {span};background:{colour}" title="{_esc(stage.name)}">'
            f"{_clamped(stage.name, 2, 'cxj-stage-name')}"
            f'<div class="cxj-stage-meta">{_esc(count)}</div></div>'
        )


def _clamped(text: str, lines: int, css: str = "") -> str:
    """User text cut at ``lines`` lines with an ellipsis (its cell's tooltip has all of it).
    ``dir="auto"``: Persian or Arabic text runs right to left inside its cell."""
    classes = f"{css} cxj-clamp{lines}" if css else f"cxj-clamp{lines}"
    return f'<div class="{classes}" dir="auto">{_esc(text)}</div>'


def _action_cell(column: Column) -> str:
    text = column.touchpoint.customer_action if column.touchpoint else ""
    return _cell(column, _clamped(text, 5) if text else "", title=text)


def _thought_cell(column: Column) -> str:
    text = column.touchpoint.thought if column.touchpoint else ""
    if not text:
        return _cell(column, "")
    bubble = f'<div class="cxj-bubble">{_clamped(f"“{text}”", 5)}</div>'
    return _cell(column, bubble, title=text)


def _touchpoint_cell(column: Column, scores: dict[str, TouchpointScore]) -> str:
    touchpoint = column.touchpoint
    if touchpoint is None:
        note = f"{column.hidden} hidden by the filter" if column.hidden else "No touchpoints yet"
        return _cell(column, f'<div class="cxj-empty">{note}</div>')
    score = scores.get(touchpoint.key)
    is_mot = score.moment_of_truth if score is not None else touchpoint.moment_of_truth
    reasons = render_all(
        list(score.reasons)
        if score is not None
        else ([Message("mot.flagged")] if touchpoint.moment_of_truth else [])
    )
    channel = touchpoint.channel.strip()
    tip = [touchpoint.name, f"Channel: {channel or '—'}", f"Owner: {touchpoint.owner or '—'}"]
    if score is not None:
        tip.append(f"Friction {score.friction:.0f}/100 · reach {score.reach:.0%}")
    if is_mot:
        tip.append("Moment of truth: " + "; ".join(reasons))
    star = (
        f'<span class="cxj-mot" title="{_esc("Moment of truth: " + "; ".join(reasons))}">'
        "★ MoT</span>"
        if is_mot
        else ""
    )
    owner = (
        f'<span class="cxj-owner">{_esc(touchpoint.owner)}</span>'
        if touchpoint.owner
        else '<span class="cxj-owner cxj-muted">no owner</span>'
    )
    friction = f'<span class="cxj-friction">friction {score.friction:.0f}</span>' if score else ""
    card = (
        f'<div class="cxj-card{" cxj-card-mot" if is_mot else ""}">'
        f'<div class="cxj-card-top"><span class="cxj-icon">{channel_icon(channel)}</span>'
        f'<span class="cxj-channel">{_esc(channel or "no channel")}</span>{star}</div>'
        f"{_clamped(touchpoint.name, 3, 'cxj-name')}"
        f'<div class="cxj-tags">{owner}{friction}</div></div>'
    )
    return _cell(column, card, "cxj-tp", title="\n".join(tip))


def _chip_span(colour: ChipColour, text: str, css: str) -> str:
    return (
        f'<span class="{css}" style="background:{colour.background};'
        f'border-color:{colour.border};color:{colour.text}">{_esc(text)}</span>'
    )


def _pain_cell(column: Column, pains: dict[int, list[PainPointRecord]]) -> str:
    if column.touchpoint is None:
        return _cell(column, "")
    found = sorted(pains.get(column.touchpoint.id, []), key=lambda p: -pain_score(p))
    chips = []
    for pain in found[:MAX_CHIPS]:
        score = pain_score(pain)
        colour = pain_colour(score)
        tip = (
            f"{pain.description}\n"
            f"Severity {pain.severity} × frequency {pain.frequency} = {score} ({colour.name})"
        )
        chips.append(
            f'<div class="cxj-chip cxj-pain" data-score="{score}" title="{_esc(tip)}" '
            f'style="background:{colour.background};border-color:{colour.border};'
            f'color:{colour.text}"><span class="cxj-score">{score}</span>'
            f"{_clamped(pain.description or '(no description)', 3)}</div>"
        )
    chips.append(_more([p.description for p in found[MAX_CHIPS:]]))
    return _cell(column, "".join(chips))


def _opportunity_cell(column: Column, opportunities: dict[int, list[OpportunityRecord]]) -> str:
    if column.touchpoint is None:
        return _cell(column, "")
    found = opportunities.get(column.touchpoint.id, [])
    chips = []
    for opportunity in found[:MAX_CHIPS]:
        colour = opportunity_colour(opportunity.status)
        values = [
            f"{label} {value}"
            for label, value in (
                ("customer value", opportunity.customer_value),
                ("business value", opportunity.business_value),
                ("effort", opportunity.effort),
            )
            if value is not None
        ]
        tip = f"{opportunity.title}\nStatus: {opportunity.status}" + (
            f" · {' · '.join(values)}" if values else ""
        )
        status = ("✓ " if opportunity.status == "done" else "") + opportunity.status
        chips.append(
            f'<div class="cxj-chip cxj-opp" title="{_esc(tip)}" '
            f'style="border-left-color:{colour.border}">'
            f"{_clamped(opportunity.title or '(untitled)', 3)}"
            f"{_chip_span(colour, status, 'cxj-status')}</div>"
        )
    chips.append(_more([o.title for o in found[MAX_CHIPS:]]))
    return _cell(column, "".join(chips))


def _more(rest: Sequence[str]) -> str:
    """A "+N more" line for the chips that do not fit, listing them in its tooltip."""
    if not rest:
        return ""
    tip = "\n".join(f"• {text}" for text in rest)
    return f'<div class="cxj-more" title="{_esc(tip)}">+{len(rest)} more</div>'


def _opportunities_by_touchpoint(aggregate: JourneyAggregate) -> dict[int, list[OpportunityRecord]]:
    """Opportunities per touchpoint: their own, or their pain point's touchpoint."""
    pain_touchpoint = {p.id: p.touchpoint_id for p in aggregate.pain_points}
    found: dict[int, list[OpportunityRecord]] = defaultdict(list)
    for opportunity in aggregate.opportunities:
        touchpoint_id = opportunity.touchpoint_id
        if touchpoint_id is None and opportunity.pain_point_id is not None:
            touchpoint_id = pain_touchpoint.get(opportunity.pain_point_id)
        if touchpoint_id is not None:
            found[touchpoint_id].append(opportunity)
    return found


def _unlinked_opportunities(aggregate: JourneyAggregate) -> str:
    linked = {o.id for items in _opportunities_by_touchpoint(aggregate).values() for o in items}
    loose = [o for o in aggregate.opportunities if o.id not in linked]
    if not loose:
        return ""
    titles = " · ".join(_esc(o.title or "(untitled)") for o in loose)
    return (
        f'<div class="cxj-loose">Opportunities for the whole journey '
        f"(not linked to a touchpoint): {titles}</div>"
    )


def _emotion_label(aggregate: JourneyAggregate, persona_ids: Collection[int]) -> str:
    """The emotion lane's label: a sticky panel laid over the curve's left margin, with the
    faces at the levels of the curve's axis and the key of its lines (stays in view while the
    canvas scrolls sideways, unlike the figure's own axis)."""
    lines = [
        f'<div class="cxj-line"><span class="cxj-swatch" '
        f'style="border-top:4px solid {ALL_CUSTOMERS_COLOUR}"></span>'
        f'<span class="cxj-line-name">{ALL_CUSTOMERS}</span></div>'
    ]
    for index, persona in enumerate(aggregate.personas):
        if persona.id in persona_ids:
            lines.append(
                f'<div class="cxj-line" title="{_esc(persona.name)}"><span class="cxj-swatch" '
                f'style="border-top:3px {_css_dash(persona_dash(index))} '
                f'{persona_colour(index)}"></span>'
                f'<span class="cxj-line-name">{_esc(persona.name)}</span></div>'
            )
    lines.append(
        '<div class="cxj-line"><span class="cxj-star">★</span>'
        '<span class="cxj-line-name">moment of truth</span></div>'
    )
    faces = "".join(
        f'<span class="cxj-face" style="top:{emotion_y_pixel(score):.1f}px" '
        f'title="{_signed(score)}">{face}</span>'
        for score, face in EMOTION_FACES.items()
    )
    return (
        '<div class="cxj-emotion-anchor"><div class="cxj-emotion-label">'
        f'<div class="cxj-emotion-title">Emotion</div>{"".join(lines)}{faces}</div></div>'
    )


def _css_dash(dash: str) -> str:
    return {"dot": "dotted", "solid": "solid"}.get(dash, "dashed")


def _style(columns: int) -> str:
    band0, band1 = BAND_COLOURS
    return f"""<style>
.st-key-{SCROLL_KEY} {{ overflow-x: auto; overflow-y: hidden; padding-bottom: 4px; }}
.st-key-{SCROLL_KEY} [data-testid="stElementContainer"] {{ max-width: none; }}
.cxj {{ display: grid; grid-template-columns: {LABEL_WIDTH}px repeat({columns}, {COLUMN_WIDTH}px);
  width: {LABEL_WIDTH + COLUMN_WIDTH * columns}px; font-size: 14px; line-height: 1.35;
  color: #1f2933; }}
.cxj * {{ box-sizing: border-box; }}
.cxj-label {{ position: sticky; left: 0; z-index: 4; background: #ffffff; color: #334155;
  font-size: 13px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase;
  padding: 10px 12px 10px 4px; border-right: 2px solid {STAGE_RULE};
  border-top: 1px solid #e2e8f0; }}
.cxj-stage {{ color: #ffffff; padding: 8px 12px; border-left: 2px solid #ffffff; min-width: 0; }}
.cxj-stage-name {{ font-size: 16px; font-weight: 700; }}
.cxj-stage-meta {{ font-size: 13px; opacity: .9; }}
.cxj-cell {{ padding: 8px 9px; border-top: 1px solid #e2e8f0; min-width: 0;
  overflow-wrap: anywhere; }}
.cxj-band0 {{ background: {band0}; }}
.cxj-band1 {{ background: {band1}; }}
.cxj-first {{ border-left: 2px solid {STAGE_RULE}; }}
.cxj-dim {{ opacity: {DIM_OPACITY}; }}
.cxj-clamp2, .cxj-clamp3, .cxj-clamp5 {{ display: -webkit-box; -webkit-box-orient: vertical;
  overflow: hidden; }}
.cxj-clamp2 {{ -webkit-line-clamp: 2; }}
.cxj-clamp3 {{ -webkit-line-clamp: 3; }}
.cxj-clamp5 {{ -webkit-line-clamp: 5; }}
.cxj-card {{ background: #ffffff; border: 1px solid #cbd5d1; border-radius: 8px;
  padding: 7px 8px; box-shadow: 0 1px 2px rgba(15, 23, 42, .06); height: 100%; }}
.cxj-card-mot {{ border: 2px solid {MOT_COLOUR}; }}
.cxj-card-top {{ display: flex; align-items: center; gap: 5px; font-size: 13px;
  color: #475569; }}
.cxj-icon {{ font-size: 17px; line-height: 1; }}
.cxj-channel {{ flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }}
.cxj-mot {{ background: #fef3c7; color: #78350f; border: 1px solid {MOT_COLOUR};
  border-radius: 10px; padding: 0 6px; font-size: 13px; font-weight: 700;
  white-space: nowrap; }}
.cxj-name {{ font-size: 15px; font-weight: 600; margin: 4px 0 6px; color: #0f172a; }}
.cxj-tags {{ display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; }}
.cxj-owner {{ font-size: 13px; background: #e6f0ee; color: #134e4a; border-radius: 4px;
  padding: 0 6px; max-width: 100%; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }}
.cxj-friction {{ font-size: 13px; color: #475569; white-space: nowrap; }}
.cxj-muted {{ color: #64748b; background: transparent; border: 1px dashed #94a3b8; }}
.cxj-bubble {{ position: relative; background: #ffffff; border: 1px solid #cbd5e1;
  border-radius: 14px; padding: 7px 10px; font-style: italic; color: #334155;
  margin-top: 8px; }}
.cxj-bubble::before {{ content: ""; position: absolute; top: -7px; left: 18px; width: 12px;
  height: 12px; background: #ffffff; border-left: 1px solid #cbd5e1;
  border-top: 1px solid #cbd5e1; transform: rotate(45deg); }}
.cxj-chip {{ border: 1px solid; border-radius: 6px; padding: 4px 7px; margin-bottom: 6px;
  font-size: 13px; line-height: 1.3; }}
.cxj-pain {{ display: flex; gap: 6px; align-items: flex-start; }}
.cxj-score {{ font-weight: 800; min-width: 18px; text-align: center; }}
.cxj-opp {{ background: #ffffff; border-color: #cbd5d1; border-left-width: 5px;
  color: #1f2933; }}
.cxj-status {{ display: inline-block; margin-top: 4px; border: 1px solid; border-radius: 10px;
  padding: 0 7px; font-size: 13px; white-space: nowrap; }}
.cxj-more {{ font-size: 13px; color: #475569; text-decoration: underline dotted; }}
.cxj-empty {{ color: #64748b; font-style: italic; font-size: 13px; padding: 6px 0; }}
.cxj-emotion-anchor {{ position: sticky; left: 0; z-index: 5; height: 0;
  grid-column: 1 / 2; }}
.cxj-emotion-label {{ position: absolute; top: 0; left: 0; width: {LABEL_WIDTH}px;
  height: {EMOTION_HEIGHT}px; background: #ffffff; border-right: 2px solid {STAGE_RULE};
  border-top: 1px solid #e2e8f0; padding: 10px 36px 8px 4px; font-size: 13px;
  color: #334155; }}
.cxj-emotion-title {{ font-weight: 700; letter-spacing: .04em; text-transform: uppercase;
  margin-bottom: 6px; }}
.cxj-line {{ display: flex; align-items: flex-start; gap: 6px; line-height: 1.25;
  margin-bottom: 5px; }}
.cxj-line-name {{ display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2;
  overflow: hidden; overflow-wrap: anywhere; }}
.cxj-swatch {{ flex: none; width: 20px; margin-top: 8px; }}
.cxj-star {{ flex: none; width: 20px; text-align: center; color: {MOT_COLOUR};
  font-size: 16px; line-height: 1; text-shadow: 0 0 1px {MOT_OUTLINE}; }}
.cxj-face {{ position: absolute; right: 6px; transform: translateY(-50%); font-size: 18px;
  line-height: 1; }}
.cxj-loose {{ font-size: 14px; color: #334155; padding: 8px 4px; }}
</style>"""
