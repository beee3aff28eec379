"""Personas of the selected map: cards with goals, needs, motivations, behaviours, pain points."""

from __future__ import annotations

import streamlit as st

from cxmap import ui, ui_builder, ui_personas

db, journey = ui.page_setup("Personas", "🧑‍🤝‍🧑")
if journey is None:
    st.title("🧑‍🤝‍🧑 Personas")
    st.info("Pick or create a journey map on the home page first; its personas are shown here.")
    st.page_link("app.py", label="Choose a map", icon="🗺️")
    st.stop()

title, undo = st.columns([6, 1], vertical_alignment="bottom")
title.title(f"🧑‍🤝‍🧑 Personas · {ui.md_escape(journey.name)}")
with undo:
    ui_builder.undo_button(db, journey)
ui_personas.personas_page(db, journey)
