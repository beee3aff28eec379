"""Journey map: the swimlane canvas people look at, project and put in decks.

Stages are columns, one per touchpoint; lanes for what customers do, the touchpoints (channel,
owner, moments of truth), what they think, how they feel (the emotion curve, per persona), the
pain points and the opportunities. Filters pick the personas' lines and bring channels or
owners forward. "Edit on the canvas" turns the map into the editing surface of a workshop.
See docs/journey-map.md.
"""

from __future__ import annotations

from cxmap.app import shell
from cxmap.app.pages import journey_map as journey_map_page

ctx, journey = shell.map_page("Journey map", "🧭 Journey map", journey_map_page.no_map, icon="🧭")

aggregate, analysis = journey_map_page.load(ctx, journey)
journey_map_page.header(journey, aggregate, analysis)

if journey_map_page.editing(ctx, journey):
    journey_map_page.edit_canvas(ctx, journey, aggregate, analysis)
elif not aggregate.touchpoints:
    journey_map_page.empty_map(aggregate)
else:
    view = journey_map_page.filters(journey, aggregate)
    journey_map_page.legend()
    journey_map_page.journey_canvas(ctx, journey, view)
