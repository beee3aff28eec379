"""Friction: where the journey hurts, what to fix first, and the moments of truth.

Health and completion up top; then the ranking by impact (friction × reach) with what makes
up each touchpoint's friction, the moments of truth with their reasons, the journey network,
friction by stage and channel with the most likely and worst paths, and a what-if panel that
recomputes without saving. The map's scoring weights and thresholds are at the bottom.
"""

from __future__ import annotations

import streamlit as st

from cxmap.app import shell
from cxmap.app.pages import friction as friction_page

ctx, journey = shell.map_page("Friction", "🔥 Friction and moments of truth", friction_page.no_map)

st.caption(f"Map: {shell.md_escape(journey.name)} · revision {journey.revision}")
view = friction_page.load_view(ctx, journey)
friction_page.header(view)

if not view.aggregate.touchpoints:
    friction_page.empty_map()
else:
    ranking, moments, graph, heatmap, what_if = st.tabs(friction_page.TABS)
    with ranking:
        friction_page.ranking(view)
    with moments:
        friction_page.moments_of_truth(view)
    with graph:
        friction_page.journey_network(view)
    with heatmap:
        friction_page.where_friction_sits(view)
    with what_if:
        friction_page.what_if(view)

friction_page.settings_panel(ctx, journey, shell.can_edit(ctx, journey))
