"""Home: pick, create, import, rename, duplicate, download or delete a journey map."""

from __future__ import annotations

import streamlit as st

from cxmap.app import shell
from cxmap.app.pages import maps

ctx, current = shell.page_setup("All maps")
st.title("🗺️ cxmap")
st.caption(
    "Customer journey maps: personas, stages, touchpoints, emotions, pain points, "
    "opportunities and customer feedback, in one place your whole team can edit."
)
shell.show_flash()
maps.map_list(ctx, current)
if current is not None:
    maps.map_actions(ctx, current)
st.divider()
maps.new_map_forms(ctx)
