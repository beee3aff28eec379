"""Opportunities in the order to act on them: the do-first corner of the matrix first.

Shared by the Executive Summary page ("do first" list) and the PDF's opportunity table.

Examples
--------
>>> from dataclasses import replace
>>> from cxmap.core.examples import demo_chain
>>> chain = demo_chain()
>>> park = OpportunityRecord(1, "o1", None, None, "Park it", 10, 10, 1, "idea", 1)
>>> win = OpportunityRecord(2, "o2", None, None, "Win-win", 80, 90, 5, "idea", 1)
>>> [p.opportunity.title for p in ranked_opportunities(replace(chain, opportunities=[park, win]))]
['Win-win', 'Park it']
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmap.core.records import JourneyAggregate, OpportunityRecord
from cxmap.render import charts


@dataclass(frozen=True)
class PlacedOpportunity:
    """An opportunity with the touchpoint it improves and its corner of the matrix."""

    opportunity: OpportunityRecord
    touchpoint: str | None
    quadrant: str | None


def ranked_opportunities(aggregate: JourneyAggregate) -> list[PlacedOpportunity]:
    """Every opportunity: the do-first corner first, open before done, then by value per
    effort (customer + business value, divided by effort; unknown effort counts as 3)."""
    names = {t.id: t.name for t in aggregate.touchpoints}
    pain_touchpoint = {p.id: p.touchpoint_id for p in aggregate.pain_points}
    corners = list(charts.MATRIX_QUADRANTS.values())
    placed = []
    for o in aggregate.opportunities:
        touchpoint_id = o.touchpoint_id
        if touchpoint_id is None and o.pain_point_id is not None:
            touchpoint_id = pain_touchpoint.get(o.pain_point_id)
        quadrant = (
            charts.quadrant(o.customer_value, o.business_value)
            if o.customer_value is not None and o.business_value is not None
            else None
        )
        placed.append(PlacedOpportunity(o, names.get(touchpoint_id or -1), quadrant))

    def order(p: PlacedOpportunity) -> tuple[int, bool, float, int]:
        o = p.opportunity
        value = ((o.customer_value or 0) + (o.business_value or 0)) / (o.effort or 3)
        corner = corners.index(p.quadrant) if p.quadrant else len(corners)
        return corner, o.status == "done", -value, o.id

    return sorted(placed, key=order)
