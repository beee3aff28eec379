"""Friction: where the journey hurts, what to fix first, and the moments of truth.

Health and completion up top; then the ranking by impact (friction × reach) with what makes
up each touchpoint's friction, the moments of truth with their reasons, the journey network,
friction by stage and channel with the most likely and worst paths, and a what-if panel that
recomputes without saving. The map's scoring weights and thresholds are at the bottom.
"""

from __future__ import annotations

import streamlit as st

from cxmap import ui, ui_friction

db, journey = ui.page_setup("Friction")
st.title("🔥 Friction and moments of truth")
ui.show_flash()

if journey is None:
    ui_friction.no_map()
    st.stop()

st.caption(f"Map: {ui.md_escape(journey.name)} · revision {journey.revision}")
view = ui_friction.load_view(db, journey)
ui_friction.header(view)

if not view.aggregate.touchpoints:
    ui_friction.empty_map()
else:
    ranking, moments, graph, heatmap, what_if = st.tabs(ui_friction.TABS)
    with ranking:
        ui_friction.ranking(view)
    with moments:
        ui_friction.moments_of_truth(view)
    with graph:
        ui_friction.journey_network(view)
    with heatmap:
        ui_friction.where_friction_sits(view)
    with what_if:
        ui_friction.what_if(view)

ui_friction.settings_panel(db, journey)
