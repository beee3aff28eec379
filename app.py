"""Home: pick, create, import, rename, duplicate, download or delete a journey map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxmap import services, ui, ui_maps

db, current = ui.page_setup("Journey maps")
st.title("🗺️ cxmap")
st.caption(
    "Customer journey maps: personas, stages, touchpoints, emotions, pain points, "
    "opportunities and customer feedback, in one place your whole team can edit."
)
ui.show_flash()

summaries = services.list_maps(db)
if not summaries:
    st.info(
        "There are no maps yet. Create one below, import a cxmap-journey file, "
        "or load the three demo maps to look around."
    )
    if st.button("Load the demo maps", type="primary", key="load_demos"):
        created = ui.run_action(lambda: services.seed_demo_maps(db))
        if created:
            ui.flash(f"Loaded {len(created)} demo maps.")
            st.rerun()
        elif created is not None:
            st.warning("No demo maps were found in data/demo/.")

if summaries:
    st.subheader("Your maps")
    table = pd.DataFrame(
        [
            {
                "Map": s.map.name,
                "State": s.map.state,
                "Personas": s.counts["persona"],
                "Stages": s.counts["stage"],
                "Touchpoints": s.counts["touchpoint"],
                "Feedback": s.counts["feedback"],
                "Last change": ui.relative_time(s.map.updated_at),
            }
            for s in summaries
        ]
    )
    ids = [s.map.id for s in summaries]
    selected_row = ids.index(current.id) if current and current.id in ids else None
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        # The key follows the list and the selected map: a stale row number from an older
        # list (after a delete, rename or create) must never select another map.
        key=ui.list_key("map_table", ids, selected_row),
        selection_default={"selection": {"rows": [] if selected_row is None else [selected_row]}},
    )
    rows = picked.selection.rows if picked else []
    if rows and rows[0] < len(ids) and rows[0] != selected_row:
        ui.select_map(ids[rows[0]])
        st.rerun()
    if current is None:
        st.caption("Click a row to open that map.")

if current is not None:
    ui_maps.map_actions(db, current)

st.divider()
ui_maps.new_map_forms(db)
