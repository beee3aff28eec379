"""Personas of the selected map: cards with goals, needs, motivations, behaviours, pain points."""

from __future__ import annotations

import streamlit as st

from cxmap.app import shell
from cxmap.app.pages import builder as builder_page
from cxmap.app.pages import personas as personas_page

ctx, journey = shell.page_setup("Personas", "🧑‍🤝‍🧑")
if journey is None:
    st.title("🧑‍🤝‍🧑 Personas")
    st.info("Pick or create a journey map on the home page first; its personas are shown here.")
    st.page_link("app.py", label="Choose a map", icon="🗺️")
    st.stop()

title, undo = st.columns([6, 1], vertical_alignment="bottom")
title.title(f"🧑‍🤝‍🧑 Personas · {shell.md_escape(journey.name)}")
with undo:
    builder_page.undo_button(ctx, journey)
personas_page.personas_page(ctx, journey)
