"""Personas of the selected map: cards with goals, needs, motivations, behaviours, pain points."""

from __future__ import annotations

from cxmap.app.pages import personas as personas_page
from cxmap.app.widgets import undo

NO_MAP = "Pick or create a journey map on the home page first; its personas are shown here."
ctx, journey, editable = undo.editing_page(
    "Personas", "🧑‍🤝‍🧑", NO_MAP, heading="🧑‍🤝‍🧑 Personas · {name}"
)
personas_page.personas_page(ctx, journey, editable)
