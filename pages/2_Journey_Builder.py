"""Journey builder: stages, touchpoints, pain points, opportunities and transitions of a map."""

from __future__ import annotations

import streamlit as st

from cxmap import ui, ui_builder

db, journey = ui.page_setup("Journey builder", "🧱")
if journey is None:
    st.title("🧱 Journey builder")
    st.info("Pick or create a journey map on the home page first; then build it here.")
    st.page_link("app.py", label="Choose a map", icon="🗺️")
    st.stop()

title, undo = st.columns([6, 1], vertical_alignment="bottom")
title.title(f"🧱 {ui.md_escape(journey.name)}")
with undo:
    ui_builder.undo_button(db, journey)
ui_builder.builder(db, journey)
