"""Personas of the selected map: cards with goals, needs, motivations, behaviours, pain points."""

from __future__ import annotations

from cxmap.app import shell
from cxmap.app.pages import personas as personas_page
from cxmap.app.widgets import undo

ctx, selected = shell.page_setup("Personas", "🧑‍🤝‍🧑")
journey = shell.require_map(
    selected,
    "🧑‍🤝‍🧑 Personas",
    "Pick or create a journey map on the home page first; its personas are shown here.",
)
undo.title_with_undo(ctx, journey, f"🧑‍🤝‍🧑 Personas · {shell.md_escape(journey.name)}")
personas_page.personas_page(ctx, journey)
