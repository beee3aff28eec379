"""The Pain points section of the journey builder: problems customers meet at a touchpoint,
with severity × frequency as their score."""

from __future__ import annotations

import streamlit as st

from cxmap.app.widgets import cells
from cxmap.app.widgets.cells import Column, GridColumns
from cxmap.app.widgets.drawn import DrawnGrid, drawn_grid, number_column, short, touchpoint_choice
from cxmap.app.widgets.grid_editor import grid_editor
from cxmap.core.context import Context
from cxmap.core.records import JourneyAggregate, MapRecord

DTYPES = {
    "Touchpoint": "object",
    "Pain point": "object",
    "Severity": "Int64",
    "Frequency": "Int64",
    "Score": "Int64",
}


def pain_point_grid(aggregate: JourneyAggregate) -> DrawnGrid:
    """The pain point grid, in the order of their touchpoints."""
    touchpoints = touchpoint_choice(aggregate)
    position = {t.id: n for n, t in enumerate(aggregate.touchpoints)}
    columns = GridColumns(
        [
            Column("Touchpoint", "touchpoint_id", touchpoints.to_id, touchpoints.to_label),
            Column("Pain point", "description"),
            Column("Severity", "severity", cells.integer),
            Column("Frequency", "frequency", cells.integer),
        ]
    )
    config = st.column_config
    return drawn_grid(
        "pain_point",
        aggregate,
        columns,
        order=lambda pain: (position.get(pain.touchpoint_id, 0), pain.id),
        label=lambda pain, _: short(pain.description) or pain.key,
        more=lambda pain, row: row.update(Score=pain.severity * pain.frequency),
        dtypes=DTYPES,
        column_config={
            "Touchpoint": config.SelectboxColumn(
                "Touchpoint", options=touchpoints.options, width=260
            ),
            "Pain point": config.TextColumn("Pain point", max_chars=5000, width=420),
            "Severity": number_column("Severity", 1, 5, "1 minor … 5 severe", default=3),
            "Frequency": number_column("Frequency", 1, 5, "1 rare … 5 every time", default=3),
            "Score": config.NumberColumn(
                "Score",
                help="Severity × frequency (1…25); for rows edited here, shown when the "
                "grid is drawn again (another tab and back)",
                format="%d",
                disabled=True,
            ),
        },
        disabled=("Score",),
    )


def pain_points_section(
    ctx: Context, journey: MapRecord, aggregate: JourneyAggregate, editable: bool = True
) -> None:
    """The pain point grid (once there are touchpoints to attach them to)."""
    st.caption(
        "A problem customers meet at a touchpoint: severity 1–5 × frequency 1–5 "
        "(the score feeds the friction of the touchpoint)."
    )
    grid_editor(ctx, journey, pain_point_grid(aggregate), editable=editable)
