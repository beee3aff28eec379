"""The home page (app.py): the list of maps, actions on the selected one, the new-map forms."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from cxmap import services
from cxmap.app import cache, shell
from cxmap.app.pages import sharing
from cxmap.core.config import load_settings
from cxmap.core.context import Context
from cxmap.core.records import MapRecord

BLANK_STANDARD = "Blank map with the six standard stages"
BLANK_EMPTY = "Empty map (no stages)"


@st.cache_data(show_spinner=False, max_entries=64)
def _export_json(_ctx: Context, database_url: str, map_id: int, revision: int) -> str:
    # Keyed by (map id, revision): any change to the map makes a new entry.
    return services.export_json(_ctx, map_id)


def map_list(ctx: Context, current: MapRecord | None) -> None:
    """The maps with their size; clicking a row selects that map (and puts it in the URL)."""
    summaries = services.list_maps(ctx)
    if not summaries:
        st.info(
            "There are no maps yet. Create one below, import a cxmap-journey file, "
            "or load the three demo maps to look around."
        )
        if st.button("Load the demo maps", type="primary", key="load_demos"):
            created = shell.run_action(lambda: services.seed_demo_maps(ctx))
            if created:
                shell.flash(f"Loaded {len(created)} demo maps.")
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
                    "Last change": shell.relative_time(s.map.updated_at),
                }
                for s in summaries
            ]
        )
        ids = [s.map.id for s in summaries]
        selected_row = ids.index(current.id) if current and current.id in ids else None
        selected_rows = [] if selected_row is None else [selected_row]
        picked = st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            # The key follows the list and the selected map: a stale row number from an older
            # list (after a delete, rename or create) must never select another map.
            key=shell.list_key("map_table", ids, selected_row),
            selection_default={"selection": {"rows": selected_rows}},
        )
        rows = picked.selection.rows if picked else []
        if rows and rows[0] < len(ids) and rows[0] != selected_row:
            shell.select_map(ids[rows[0]])
            st.rerun()
        if current is None:
            st.caption("Click a row to open that map.")


def _file_name(name: str) -> str:
    return (re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "journey-map") + ".json"


def map_actions(ctx: Context, journey: MapRecord) -> None:
    """Header and actions of the selected map: download, rename, duplicate, delete."""
    st.subheader(f"Selected: {shell.md_escape(journey.name)}")
    if journey.description:
        st.text(journey.description)
    st.caption(
        f"{journey.state.capitalize()} state · language {shell.md_escape(journey.language)} · "
        f"revision {journey.revision} · changed {shell.relative_time(journey.updated_at)} · "
        f"link: ?map={journey.id}"
    )
    role = services.my_role(ctx, journey.id)
    team_mode = ctx.actor is not None
    download, rename, duplicate, delete = st.columns(4)
    download.download_button(
        "⬇️ Download JSON",
        _export_json(ctx, ctx.db.url, journey.id, journey.revision),
        file_name=_file_name(journey.name),
        mime="application/json",
        key=f"download_{journey.id}",
        width="stretch",
    )
    if role == "viewer":
        rename.caption("Read only: you are a viewer of this map.")
    if duplicate.button("📄 Duplicate", key=f"duplicate_{journey.id}", width="stretch"):
        copy = shell.run_action(lambda: services.duplicate_map(ctx, journey.id))
        if copy:
            shell.select_map(copy.id)
            shell.flash(f"Created {copy.name}.")
            st.rerun()
    if role in ("editor", "owner"):
        _rename_form(ctx, journey, rename)
    if role == "owner":
        _delete_popover(ctx, journey, delete)
        if team_mode:
            with st.expander("👥 Sharing: people and share links"):
                sharing.sharing_panel(ctx, journey)


def _rename_form(ctx: Context, journey: MapRecord, column: Any) -> None:
    with (
        column.popover("✏️ Rename", width="stretch"),
        st.form(f"rename_{journey.id}_{journey.version}"),
    ):
        name = st.text_input("Name", journey.name, max_chars=200)
        description = st.text_area("Description", journey.description, max_chars=5000)
        state = st.selectbox(
            "State", ["current", "future"], index=["current", "future"].index(journey.state)
        )
        if st.form_submit_button("Save", type="primary"):
            saved = shell.run_action(
                lambda: services.update_map(
                    ctx,
                    journey.id,
                    journey.version,
                    name=name,
                    description=description,
                    state=state,
                )
            )
            if saved:
                shell.flash(f"Saved {saved.name}.")
                st.rerun()


def _delete_popover(ctx: Context, journey: MapRecord, column: Any) -> None:
    with column.popover("🗑️ Delete", width="stretch"):
        aggregate = cache.content(ctx, journey)  # drawn on every run, popover open or not
        st.warning(
            f"Delete **{shell.md_escape(journey.name)}** with its {len(aggregate.stages)} stages, "
            f"{len(aggregate.touchpoints)} touchpoints, {len(aggregate.pain_points)} pain points, "
            f"{len(aggregate.opportunities)} opportunities and {len(aggregate.feedback)} "
            "feedback rows? This cannot be undone; download the JSON first to keep a copy."
        )
        confirmed = st.button(
            "Yes, delete this map", type="primary", key=f"confirm_delete_{journey.id}"
        )
        if confirmed and shell.run_action(lambda: services.delete_map(ctx, journey.id)) is not None:
            shell.forget_map()
            shell.flash(f"Deleted {journey.name}.")
            st.rerun()


def new_map_forms(ctx: Context) -> None:
    """Create a map (blank or from a demo template) or import a cxmap-journey file."""
    create, upload = st.tabs(["➕ New map", "📥 Import a file"])
    with create, st.form("new_map", clear_on_submit=True):
        templates = services.demo_templates()
        name = st.text_input("Name", placeholder="e.g. Broadband onboarding", max_chars=200)
        description = st.text_area("Description (optional)", max_chars=5000)
        start = st.selectbox(
            "Start from",
            [BLANK_STANDARD, BLANK_EMPTY, *(f"Demo: {t}" for t in templates)],
        )
        if st.form_submit_button("Create map", type="primary"):
            if start.startswith("Demo: "):
                path = templates[start.removeprefix("Demo: ")]
                created = shell.run_action(
                    lambda: services.import_file(ctx, path.read_bytes(), name or None)
                )
            else:
                created = shell.run_action(
                    lambda: services.create_map(
                        ctx, name, description, with_standard_stages=start == BLANK_STANDARD
                    )
                )
            if created:
                shell.select_map(created.id)
                shell.flash(f"Created {created.name}.")
                st.rerun()
    with upload:
        settings = load_settings()
        st.caption(
            "A cxmap-journey v1 JSON file (see docs/journey-format.md). It becomes a new map; "
            "nothing is written if anything in it is wrong."
        )
        file = st.file_uploader("Journey file", type=["json"], key="import_file")
        new_name = st.text_input("Name of the new map (optional)", key="import_name")
        if st.button("Import", type="primary", disabled=file is None, key="import_button"):
            assert file is not None
            data = file.getvalue()
            imported = shell.run_action(
                lambda: services.import_file(
                    ctx, data, new_name or None, max_bytes=settings.max_import_bytes
                )
            )
            if imported:
                shell.select_map(imported.id)
                shell.flash(f"Imported {imported.name}.")
                st.rerun()
