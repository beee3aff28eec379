"""The canvas as HTML: the lanes above the emotion curve and the lanes below it.

:func:`journey_canvas` turns a map (and its analysis) into two fragments: the head (stages,
customer actions, touchpoints, thoughts, and the emotion lane's sticky label) and the tail (pain
points, opportunities). Every user string goes through :func:`cxmap.render.text.escape`, text
and attributes alike; long text is clamped to a few lines, with all of it in the tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from cxmap.core.messages import Message, render_all
from cxmap.core.records import JourneyAggregate, OpportunityRecord, PainPointRecord
from cxmap.render.canvas.layout import (
    ALL_CUSTOMERS,
    ALL_CUSTOMERS_COLOUR,
    COLUMN_WIDTH,
    EMOTION_FACES,
    LABEL_WIDTH,
    MAX_CHIPS,
    NO_FILTERS,
    STAGE_HEADER_COLOURS,
    CanvasFilters,
    Column,
    channel_icon,
    emotion_y_pixel,
    layout_columns,
    opportunity_colour,
    opportunity_touchpoints,
    pain_colour,
    pain_score,
    persona_colour,
    persona_dash,
)
from cxmap.render.canvas.style import canvas_css, chip_span, signed
from cxmap.render.text import escape

if TYPE_CHECKING:
    from cxmap.analysis.scoring import JourneyAnalysis, TouchpointScore

__all__ = ["CanvasHtml", "journey_canvas"]

T = TypeVar("T")

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
    for pain in sorted(aggregate.pain_points, key=lambda p: -pain_score(p)):  # worst first
        pains[pain.touchpoint_id].append(pain)
    opportunities: dict[int, list[OpportunityRecord]] = defaultdict(list)
    touchpoint_of = opportunity_touchpoints(aggregate)
    for opportunity in aggregate.opportunities:
        if (touchpoint_id := touchpoint_of[opportunity.id]) is not None:
            opportunities[touchpoint_id].append(opportunity)
    total_in_stage: dict[int, int] = defaultdict(int)
    for touchpoint in aggregate.touchpoints:
        total_in_stage[touchpoint.stage_id] += 1

    head = [
        canvas_css(len(columns)),
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
        *(_chips_cell(c, pains, _pain_chip, lambda p: p.description) for c in columns),
        _label("Opportunities"),
        *(_chips_cell(c, opportunities, _opportunity_chip, lambda o: o.title) for c in columns),
        "</div>",
        _unlinked_opportunities(aggregate),
    ]
    return CanvasHtml(
        head="".join(head),
        tail="".join(tail),
        columns=len(columns),
        width=LABEL_WIDTH + COLUMN_WIDTH * len(columns),
    )


# ---------------------------------------------------------------- cells


def _label(text: str) -> str:
    return f'<div class="cxj-label">{escape(text)}</div>'


def _cell_classes(column: Column, *extra: str) -> str:
    classes = ["cxj-cell", f"cxj-band{column.stage_index % 2}", *extra]
    if column.first_of_stage:
        classes.append("cxj-first")
    if column.dimmed:
        classes.append("cxj-dim")
    return " ".join(classes)


def _cell(column: Column, body: str, *extra: str, title: str = "") -> str:
    key = f' data-touchpoint="{escape(column.touchpoint.key)}"' if column.touchpoint else ""
    tip = f' title="{escape(title)}"' if title else ""
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
            f'<div class="cxj-stage" data-stage="{escape(stage.key)}" '
            f'style="grid-column:span {span};background:{colour}" title="{escape(stage.name)}">'
            f"{_clamped(stage.name, 2, 'cxj-stage-name')}"
            f'<div class="cxj-stage-meta">{escape(count)}</div></div>'
        )


def _clamped(text: str, lines: int, css: str = "") -> str:
    """User text cut at ``lines`` lines with an ellipsis (its cell's tooltip has all of it).
    ``dir="auto"``: Persian or Arabic text runs right to left inside its cell."""
    classes = f"{css} cxj-clamp{lines}" if css else f"cxj-clamp{lines}"
    return f'<div class="{classes}" dir="auto">{escape(text)}</div>'


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
        f'<span class="cxj-mot" title="{escape("Moment of truth: " + "; ".join(reasons))}">'
        "★ MoT</span>"
        if is_mot
        else ""
    )
    owner = (
        f'<span class="cxj-owner">{escape(touchpoint.owner)}</span>'
        if touchpoint.owner
        else '<span class="cxj-owner cxj-muted">no owner</span>'
    )
    friction = f'<span class="cxj-friction">friction {score.friction:.0f}</span>' if score else ""
    card = (
        f'<div class="cxj-card{" cxj-card-mot" if is_mot else ""}">'
        f'<div class="cxj-card-top"><span class="cxj-icon">{channel_icon(channel)}</span>'
        f'<span class="cxj-channel">{escape(channel or "no channel")}</span>{star}</div>'
        f"{_clamped(touchpoint.name, 3, 'cxj-name')}"
        f'<div class="cxj-tags">{owner}{friction}</div></div>'
    )
    return _cell(column, card, "cxj-tp", title="\n".join(tip))


def _chips_cell(
    column: Column,
    by_touchpoint: Mapping[int, Sequence[T]],
    chip: Callable[[T], str],
    name: Callable[[T], str],
) -> str:
    """A cell of the pain or opportunity lane: the first :data:`MAX_CHIPS` of its touchpoint's
    items as chips, then a "+N more" line listing the others by ``name`` in its tooltip."""
    found = by_touchpoint.get(column.touchpoint.id, []) if column.touchpoint else []
    chips = "".join(chip(item) for item in found[:MAX_CHIPS])
    return _cell(column, chips + _more([name(item) for item in found[MAX_CHIPS:]]))


def _pain_chip(pain: PainPointRecord) -> str:
    score = pain_score(pain)
    colour = pain_colour(score)
    tip = (
        f"{pain.description}\n"
        f"Severity {pain.severity} × frequency {pain.frequency} = {score} ({colour.name})"
    )
    return (
        f'<div class="cxj-chip cxj-pain" data-score="{score}" title="{escape(tip)}" '
        f'style="background:{colour.background};border-color:{colour.border};'
        f'color:{colour.text}"><span class="cxj-score">{score}</span>'
        f"{_clamped(pain.description or '(no description)', 3)}</div>"
    )


def _opportunity_chip(opportunity: OpportunityRecord) -> str:
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
    return (
        f'<div class="cxj-chip cxj-opp" title="{escape(tip)}" '
        f'style="border-left-color:{colour.border}">'
        f"{_clamped(opportunity.title or '(untitled)', 3)}"
        f"{chip_span(colour, status, 'cxj-status')}</div>"
    )


def _more(rest: Sequence[str]) -> str:
    """A "+N more" line for the chips that do not fit, listing them in its tooltip."""
    if not rest:
        return ""
    tip = "\n".join(f"• {text}" for text in rest)
    return f'<div class="cxj-more" title="{escape(tip)}">+{len(rest)} more</div>'


def _unlinked_opportunities(aggregate: JourneyAggregate) -> str:
    touchpoint_of = opportunity_touchpoints(aggregate)
    loose = [o for o in aggregate.opportunities if touchpoint_of[o.id] is None]
    if not loose:
        return ""
    titles = " · ".join(escape(o.title or "(untitled)") for o in loose)
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
                f'<div class="cxj-line" title="{escape(persona.name)}"><span class="cxj-swatch" '
                f'style="border-top:3px {_css_dash(persona_dash(index))} '
                f'{persona_colour(index)}"></span>'
                f'<span class="cxj-line-name">{escape(persona.name)}</span></div>'
            )
    lines.append(
        '<div class="cxj-line"><span class="cxj-star">★</span>'
        '<span class="cxj-line-name">moment of truth</span></div>'
    )
    faces = "".join(
        f'<span class="cxj-face" style="top:{emotion_y_pixel(score):.1f}px" '
        f'title="{signed(score)}">{face}</span>'
        for score, face in EMOTION_FACES.items()
    )
    return (
        '<div class="cxj-emotion-anchor"><div class="cxj-emotion-label">'
        f'<div class="cxj-emotion-title">Emotion</div>{"".join(lines)}{faces}</div></div>'
    )


def _css_dash(dash: str) -> str:
    return {"dot": "dotted", "solid": "solid"}.get(dash, "dashed")
