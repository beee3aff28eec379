"""Journey builder: stages, touchpoints, pain points, opportunities and transitions of a map."""

from __future__ import annotations

from cxmap.app.pages import builder as builder_page
from cxmap.app.widgets import undo

NO_MAP = "Pick or create a journey map on the home page first; then build it here."
ctx, journey, editable = undo.editing_page("Journey builder", "🧱", NO_MAP, heading="🧱 {name}")
builder_page.builder(ctx, journey, editable)
