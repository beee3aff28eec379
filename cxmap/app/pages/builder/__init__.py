"""The Journey Builder page below its title: one tab per section (stages, touchpoints, pain
points, opportunities, transitions), each in its own module here.

The sections draw grids that save as they are edited (:mod:`cxmap.app.widgets.grid_editor`);
how an edit travels, is held when refused and is undone is told in :mod:`cxmap.app.widgets`.
A new kind of row needs a section module and a line in :data:`SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from cxmap.app import cache
from cxmap.app.pages.builder.opportunities import opportunities_section
from cxmap.app.pages.builder.pain_points import pain_points_section
from cxmap.app.pages.builder.stages import stages_section
from cxmap.app.pages.builder.touchpoints import touchpoints_section
from cxmap.app.pages.builder.transitions import transitions_section
from cxmap.app.widgets import notices
from cxmap.core.context import Context
from cxmap.core.records import JourneyAggregate, MapRecord

# A section draws its tab: (context, map, its content, whether this run offers edits).
Draw = Callable[[Context, MapRecord, JourneyAggregate, bool], None]


@dataclass(frozen=True)
class Section:
    """A tab of the builder: what draws it, and what the map must hold first (the list of
    ``JourneyAggregate`` it needs rows in), with the hint shown until it does."""

    draw: Draw
    needs: str | None = None
    hint: str = ""


_NEEDS_TOUCHPOINTS = "Add touchpoints first (tab **Touchpoints**): {}."
# Tab label -> what draws it, in the order of the tabs.
SECTIONS: dict[str, Section] = {
    "Stages": Section(stages_section),
    "Touchpoints": Section(
        touchpoints_section,
        "stages",
        "Add a stage first (tab **Stages**): every touchpoint belongs to a stage.",
    ),
    "Pain points": Section(
        pain_points_section,
        "touchpoints",
        _NEEDS_TOUCHPOINTS.format("every pain point is a problem at a touchpoint"),
    ),
    "Opportunities": Section(opportunities_section),
    "Transitions": Section(
        transitions_section,
        "touchpoints",
        _NEEDS_TOUCHPOINTS.format("transitions connect touchpoints"),
    ),
}


def builder(ctx: Context, journey: MapRecord, editable: bool = True) -> None:
    """The whole builder page below its title (read only unless ``editable``)."""
    aggregate = cache.content(ctx, journey)
    notices.show_toasts()
    notices.revision_watch(ctx, journey)
    # Chosen once per tab and map: adding the first stage must not switch the open tab.
    default = st.session_state.setdefault(
        f"default_section_{journey.id}", "Touchpoints" if aggregate.stages else "Stages"
    )
    tabs = st.tabs(
        list(SECTIONS),
        key="section",
        default=default,
        on_change="rerun",
        bind="query-params",
    )
    for section, tab in zip(SECTIONS.values(), tabs, strict=True):
        if tab.open is False:
            continue  # only the open tab runs: a rerun stays fast on large maps
        with tab:
            if section.needs and not getattr(aggregate, section.needs):
                st.info(section.hint)
                continue
            section.draw(ctx, journey, aggregate, editable)
