"""Journey map: the swimlane canvas people look at, project and put in decks.

Stages are columns, one per touchpoint; lanes for what customers do, the touchpoints (channel,
owner, moments of truth), what they think, how they feel (the emotion curve, per persona), the
pain points and the opportunities. Filters pick the personas' lines and bring channels or
owners forward. See docs/journey-map.md.
"""

from __future__ import annotations

import streamlit as st

from cxmap import ui, ui_map

db, journey = ui.page_setup("Journey map", "🧭")
st.title("🧭 Journey map")
ui.show_flash()

if journey is None:
    ui_map.no_map()
    st.stop()

aggregate, analysis = ui_map.load(db, journey)
ui_map.header(journey, aggregate, analysis)

if not aggregate.touchpoints:
    ui_map.empty_map(aggregate)
else:
    view = ui_map.filters(journey, aggregate)
    ui_map.legend()
    ui_map.journey_canvas(db, journey, view)
