"""Journey builder: stages, touchpoints, pain points, opportunities and transitions of a map."""

from __future__ import annotations

import streamlit as st

from cxmap.app import shell
from cxmap.app.pages import builder as builder_page

ctx, journey = shell.page_setup("Journey builder", "🧱")
if journey is None:
    st.title("🧱 Journey builder")
    st.info("Pick or create a journey map on the home page first; then build it here.")
    st.page_link("app.py", label="Choose a map", icon="🗺️")
    st.stop()

title, undo = st.columns([6, 1], vertical_alignment="bottom")
title.title(f"🧱 {shell.md_escape(journey.name)}")
with undo:
    builder_page.undo_button(ctx, journey)
builder_page.builder(ctx, journey)
