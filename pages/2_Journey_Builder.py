"""Journey builder: stages, touchpoints, pain points, opportunities and transitions of a map."""

from __future__ import annotations

from cxmap.app import shell
from cxmap.app.pages import builder as builder_page
from cxmap.app.widgets import undo

ctx, selected = shell.page_setup("Journey builder", "🧱")
journey = shell.require_map(
    selected,
    "🧱 Journey builder",
    "Pick or create a journey map on the home page first; then build it here.",
)
undo.title_with_undo(ctx, journey, f"🧱 {shell.md_escape(journey.name)}")
builder_page.builder(ctx, journey)
