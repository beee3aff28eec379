"""The map as the canvas editor's component draws it (pure, JSON-ready): see :func:`canvas_view`.

The component puts every text in the page as text (``textContent``), never as HTML; the CSS is
the read-only canvas's own (:func:`cxmap.render.canvas.canvas_css`), so both look the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

from cxmap.analysis.scoring import JourneyAnalysis
from cxmap.core.messages import Message, render
from cxmap.core.records import (
    OPPORTUNITY_STATUSES,
    JourneyAggregate,
    OpportunityRecord,
    PainPointRecord,
)
from cxmap.render import canvas
from cxmap.render.canvas import layout


def canvas_view(
    aggregate: JourneyAggregate,
    analysis: JourneyAnalysis | None,
    persona_ids: Collection[int],
    applied: Collection[str] = (),
    notice: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The map as the component draws it (JSON-ready): stages in order with their
    touchpoints' ids, each touchpoint's fields and version, the emotion lines (all customers,
    then the personas of ``persona_ids``) with each point's score and row version, pain
    points and opportunities per touchpoint with their colours, the ids of the events
    ``applied`` and a ``notice`` ({"kind": "ok"|"error", "text": …}) to show.

    Texts are sent as they are; the component puts them in the page as text, never as HTML.

    >>> from cxmap.core.examples import demo_chain
    >>> view = canvas_view(demo_chain(), None, ())
    >>> [s["name"] for s in view["stages"]][:2], view["lines"][0]["name"]
    (['Stage 1', 'Stage 2'], 'All customers')
    """
    scores = analysis.by_key() if analysis is not None else {}
    stage_friction = {g.name: g.friction for g in analysis.stages} if analysis else {}
    in_stage: dict[int, list[int]] = defaultdict(list)
    for touchpoint in aggregate.touchpoints:
        in_stage[touchpoint.stage_id].append(touchpoint.id)
    stages = [
        {
            "id": s.id,
            "name": s.name,
            "version": s.version,
            "touchpoints": in_stage.get(s.id, []),
            "friction": _rounded(stage_friction.get(s.name)),
        }
        for s in aggregate.stages
    ]
    touchpoints = []
    for t in aggregate.touchpoints:
        score = scores.get(t.key)
        touchpoints.append(
            {
                "id": t.id,
                "key": t.key,
                "stage": t.stage_id,
                "version": t.version,
                "name": t.name,
                "channel": t.channel,
                "icon": layout.channel_icon(t.channel.strip()),
                "owner": t.owner,
                "customer_action": t.customer_action,
                "thought": t.thought,
                "emotion": t.emotion,
                "moment_of_truth": t.moment_of_truth,
                "is_mot": score.moment_of_truth if score is not None else t.moment_of_truth,
                "mot_reasons": render(Message("list.semicolon", {"items": list(score.reasons)}))
                if score is not None
                else "",
                "friction": _rounded(score.friction) if score is not None else None,
                "modelled_emotion": score.emotion if score is not None else None,
            }
        )
    columns = sum(max(1, len(in_stage.get(s.id, []))) for s in aggregate.stages)
    return {
        "map": aggregate.map.id,
        "revision": aggregate.map.revision,
        "css": canvas.canvas_css(columns),
        "stages": stages,
        "touchpoints": touchpoints,
        "lines": _lines(aggregate, persona_ids),
        "pain_points": _pain_points(aggregate),
        "opportunities": _opportunities(aggregate),
        "statuses": list(OPPORTUNITY_STATUSES),
        "faces": {str(k): v for k, v in layout.EMOTION_FACES.items()},
        "applied": list(applied),
        "notice": dict(notice) if notice else None,
    }


def _rounded(value: float | None) -> int | None:
    return None if value is None else round(value)


def _lines(aggregate: JourneyAggregate, persona_ids: Collection[int]) -> list[dict[str, Any]]:
    """The all-customers line (the touchpoints' own emotions), then one line per persona."""
    lines: list[dict[str, Any]] = [
        {
            "persona": None,
            "name": layout.ALL_CUSTOMERS,
            "colour": layout.ALL_CUSTOMERS_COLOUR,
            "dash": "",
            "points": {
                str(t.id): {"score": t.emotion, "version": t.version}
                for t in aggregate.touchpoints
                if t.emotion is not None
            },
        }
    ]
    for index, persona in enumerate(p for p in aggregate.personas if p.id in persona_ids):
        lines.append(
            {
                "persona": persona.id,
                "name": persona.name,
                "colour": layout.persona_colour(index),
                "dash": _svg_dash(layout.persona_dash(index)),
                "points": {
                    str(e.touchpoint_id): {"score": e.score, "version": e.version}
                    for e in aggregate.emotions
                    if e.persona_id == persona.id
                },
            }
        )
    return lines


_SVG_DASHES = {"dash": "9 5", "dot": "2 5", "dashdot": "9 4 2 4", "longdash": "16 6",
               "longdashdot": "16 5 2 5", "solid": ""}  # fmt: skip


def _svg_dash(plotly_dash: str) -> str:
    return _SVG_DASHES.get(plotly_dash, "")


def _pain_points(aggregate: JourneyAggregate) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pain in sorted(aggregate.pain_points, key=lambda p: -layout.pain_score(p)):
        found[str(pain.touchpoint_id)].append(_pain_chip(pain))
    return dict(found)


def _pain_chip(pain: PainPointRecord) -> dict[str, Any]:
    score = layout.pain_score(pain)
    colour = layout.pain_colour(score)
    return {
        "id": pain.id,
        "text": pain.description,
        "severity": pain.severity,
        "frequency": pain.frequency,
        "score": score,
        "band": colour.name,
        "background": colour.background,
        "border": colour.border,
        "colour": colour.text,
    }


def _opportunities(aggregate: JourneyAggregate) -> dict[str, list[dict[str, Any]]]:
    touchpoint_of = layout.opportunity_touchpoints(aggregate)
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for opportunity in aggregate.opportunities:
        if (touchpoint_id := touchpoint_of[opportunity.id]) is not None:
            found[str(touchpoint_id)].append(_opportunity_chip(opportunity))
    return dict(found)


def _opportunity_chip(opportunity: OpportunityRecord) -> dict[str, Any]:
    colour = layout.opportunity_colour(opportunity.status)
    return {
        "id": opportunity.id,
        "title": opportunity.title,
        "status": opportunity.status,
        "background": colour.background,
        "border": colour.border,
        "colour": colour.text,
    }
