"""The Transitions section of the journey builder: explicit paths between touchpoints and
their weights, or the default stage-by-stage flow to start from."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cxmap.analysis import flow
from cxmap.app import cache, shell
from cxmap.app.widgets import cells, saving
from cxmap.app.widgets.cells import Column, GridColumns
from cxmap.app.widgets.drawn import DrawnGrid, drawn_grid, number_column, touchpoint_choice
from cxmap.app.widgets.grid_editor import grid_editor
from cxmap.core.context import Context
from cxmap.core.records import Change, JourneyAggregate, MapRecord, TransitionRecord

# Beyond this many rows the default flow is better left implicit (the friction model uses it).
DEFAULT_FLOW_LIMIT = 5000
WEIGHT_HELP = "Relative: a touchpoint's flow splits in proportion to its weights"
DTYPES = {"From": "object", "To": "object", "Weight": "float64", "Share %": "float64"}


def transition_grid(aggregate: JourneyAggregate) -> DrawnGrid:
    """The transition grid, by source and target touchpoint, with each one's share."""
    touchpoints = touchpoint_choice(aggregate)
    position = {t.id: n for n, t in enumerate(aggregate.touchpoints)}
    columns = GridColumns(
        [
            Column("From", "source_id", touchpoints.to_id, touchpoints.to_label),
            Column("To", "target_id", touchpoints.to_id, touchpoints.to_label),
            Column("Weight", "weight", lambda v: 1.0 if cells.is_blank(v) else cells.number(v)),
        ]
    )
    # The analytics' own rule (weight 0 = no flow), so the grid shows what the model uses.
    shares = flow.transition_shares(aggregate)

    def share(transition: TransitionRecord, row: dict[str, Any]) -> None:
        row["Share %"] = round(100 * shares.get(transition.id, 0.0), 1)

    config = st.column_config
    return drawn_grid(
        "transition",
        aggregate,
        columns,
        order=lambda t: (position.get(t.source_id, 0), position.get(t.target_id, 0), t.id),
        label=lambda _, row: f"{row['From']} → {row['To']}",
        more=share,
        dtypes=DTYPES,
        column_config={
            "From": config.SelectboxColumn("From", options=touchpoints.options, width=340),
            "To": config.SelectboxColumn("To", options=touchpoints.options, width=340),
            "Weight": number_column(
                "Weight", 0, None, WEIGHT_HELP, step=0.01, format=None, default=1.0
            ),
            "Share %": config.NumberColumn(
                "Share %", format="%.1f", disabled=True, help="Share of the From flow"
            ),
        },
        disabled=("Share %",),
    )


def default_flow_changes(aggregate: JourneyAggregate) -> list[Change]:
    """The transitions the friction model assumes without explicit ones, as creates.

    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()
    >>> chain.transitions.clear()
    >>> [(c.values["source_id"], c.values["target_id"]) for c in default_flow_changes(chain)]
    [(1, 2), (2, 3)]
    """
    ids = {t.key: t.id for t in aggregate.touchpoints}
    graph = flow.journey_graph(aggregate)
    return [
        Change(
            "create",
            "transition",
            values={"source_id": ids[source], "target_id": ids[target], "weight": float(weight)},
        )
        for source, target, weight in graph.edges(data="weight")
    ]


def _start_default_flow(ctx: Context, map_id: int, revision: int) -> None:
    aggregate = cache.content_at(ctx, map_id, revision)
    changes = default_flow_changes(aggregate)
    saving.submit(
        ctx,
        map_id,
        "transitions",
        [(f"transition {n}", c) for n, c in enumerate(changes, start=1)],
        revision=revision,
        what=f"{len(changes)} transitions of the default stage-by-stage flow added",
    )


def transitions_section(
    ctx: Context, journey: MapRecord, aggregate: JourneyAggregate, editable: bool = True
) -> None:
    """The transition grid; without explicit transitions, the offer to start from the default."""
    if not aggregate.transitions:
        st.info(
            "This map has no explicit transitions, so the journey flows stage by stage: every "
            "touchpoint of a stage leads to every touchpoint of the next stage that has any, "
            "split by volume (evenly when volumes are missing). Add transitions below to draw "
            "your own paths (loops, skips, alternatives), or start from the default flow."
        )
        if not editable:
            shell.read_only_note()
            return
        count = len(default_flow_changes(aggregate))
        st.button(
            "Start from the default stage-by-stage flow",
            key=f"default_flow_{journey.id}",
            on_click=_start_default_flow,
            args=(ctx, journey.id, aggregate.revision),
            disabled=count == 0 or count > DEFAULT_FLOW_LIMIT,
            help=f"Creates {count} transitions you can then edit"
            + (f" (more than {DEFAULT_FLOW_LIMIT}: too many to edit)" if count > 5000 else ""),
        )
    else:
        st.caption(
            "Explicit transitions: only these paths are used. A touchpoint's flow splits in "
            "proportion to the weights of its transitions (Share %); weight 0 means no flow."
        )
        for warning in flow.flow_warnings(aggregate):
            st.warning(shell.md_words(warning), icon="⚠️")
    grid_editor(ctx, journey, transition_grid(aggregate), editable=editable)
