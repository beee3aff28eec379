"""The Opportunities section of the journey builder: improvement ideas, linked to the
touchpoint or pain point they address, with their value, effort and status."""

from __future__ import annotations

import streamlit as st

from cxmap.app.widgets import cells
from cxmap.app.widgets.cells import Column, GridColumns
from cxmap.app.widgets.drawn import DrawnGrid, drawn_grid, number_column, short, touchpoint_choice
from cxmap.app.widgets.grid_editor import grid_editor
from cxmap.core.context import Context
from cxmap.core.records import OPPORTUNITY_STATUSES, JourneyAggregate, MapRecord

DTYPES = {
    "Opportunity": "object",
    "Touchpoint": "object",
    "Pain point": "object",
    "Customer value": "Int64",
    "Business value": "Int64",
    "Effort": "Int64",
    "Status": "object",
}
VALUE_HELP = "0 none … 100 very high"


def opportunity_grid(aggregate: JourneyAggregate) -> DrawnGrid:
    """The opportunity grid."""
    touchpoints = touchpoint_choice(aggregate)
    pains = cells.Choice(
        cells.unique_labels((p.id, short(p.description, 40), p.key) for p in aggregate.pain_points),
        "pain point",
    )
    columns = GridColumns(
        [
            Column("Opportunity", "title"),
            Column("Touchpoint", "touchpoint_id", touchpoints.to_id, touchpoints.to_label),
            Column("Pain point", "pain_point_id", pains.to_id, pains.to_label),
            Column("Customer value", "customer_value", cells.integer),
            Column("Business value", "business_value", cells.integer),
            Column("Effort", "effort", cells.integer),
            Column("Status", "status", lambda v: cells.text(v) or "idea"),
        ]
    )
    config = st.column_config
    return drawn_grid(
        "opportunity",
        aggregate,
        columns,
        dtypes=DTYPES,
        column_config={
            "Opportunity": config.TextColumn("Opportunity", max_chars=200, width=300, pinned=True),
            "Touchpoint": config.SelectboxColumn(
                "Touchpoint", options=touchpoints.options, width=200
            ),
            "Pain point": config.SelectboxColumn("Pain point", options=pains.options, width=200),
            "Customer value": number_column("Customer value", 0, 100, VALUE_HELP),
            "Business value": number_column("Business value", 0, 100, VALUE_HELP),
            "Effort": number_column("Effort", 1, 5, "1 small … 5 large"),
            "Status": config.SelectboxColumn(
                "Status", options=list(OPPORTUNITY_STATUSES), default="idea"
            ),
        },
    )


def opportunities_section(
    ctx: Context, journey: MapRecord, aggregate: JourneyAggregate, editable: bool = True
) -> None:
    """The opportunity grid."""
    st.caption(
        "Improvement ideas, linked to the touchpoint or pain point they address (both "
        "optional): customer and business value 0–100, effort 1–5, status."
    )
    grid_editor(ctx, journey, opportunity_grid(aggregate), editable=editable)
