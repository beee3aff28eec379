"""The home page's pieces: actions on the selected map, and the new-map and import forms."""

from __future__ import annotations

import re

import streamlit as st

from cxmap import services, ui
from cxmap.config import load_settings
from cxmap.db import Database
from cxmap.domain import MapRecord

BLANK_STANDARD = "Blank map with the six standard stages"
BLANK_EMPTY = "Empty map (no stages)"


@st.cache_data(show_spinner=False, max_entries=64)
def _export_json(_db: Database, map_id: int, revision: int) -> str:
    # Keyed by (map id, revision): any change to the map makes a new entry.
    return services.export_json(_db, map_id)


def _file_name(name: str) -> str:
    return (re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "journey-map") + ".json"


def map_actions(db: Database, journey: MapRecord) -> None:
    """Header and actions of the selected map: download, rename, duplicate, delete."""
    st.subheader(f"Selected: {ui.md_escape(journey.name)}")
    if journey.description:
        st.text(journey.description)
    st.caption(
        f"{journey.state.capitalize()} state · language {ui.md_escape(journey.language)} · "
        f"revision {journey.revision} · changed {ui.relative_time(journey.updated_at)} · "
        f"link: ?map={journey.id}"
    )
    download, rename, duplicate, delete = st.columns(4)
    download.download_button(
        "⬇️ Download JSON",
        _export_json(db, journey.id, journey.revision),
        file_name=_file_name(journey.name),
        mime="application/json",
        key=f"download_{journey.id}",
        width="stretch",
    )
    with (
        rename.popover("✏️ Rename", width="stretch"),
        st.form(f"rename_{journey.id}_{journey.version}"),
    ):
        name = st.text_input("Name", journey.name, max_chars=200)
        description = st.text_area("Description", journey.description, max_chars=5000)
        state = st.selectbox(
            "State", ["current", "future"], index=["current", "future"].index(journey.state)
        )
        if st.form_submit_button("Save", type="primary"):
            saved = ui.run_action(
                lambda: services.update_map(
                    db,
                    journey.id,
                    journey.version,
                    name=name,
                    description=description,
                    state=state,
                )
            )
            if saved:
                ui.flash(f"Saved {saved.name}.")
                st.rerun()
    if duplicate.button("📄 Duplicate", key=f"duplicate_{journey.id}", width="stretch"):
        copy = ui.run_action(lambda: services.duplicate_map(db, journey.id))
        if copy:
            ui.select_map(copy.id)
            ui.flash(f"Created {copy.name}.")
            st.rerun()
    with delete.popover("🗑️ Delete", width="stretch"):
        aggregate = services.load_map(db, journey.id)
        st.warning(
            f"Delete **{ui.md_escape(journey.name)}** with its {len(aggregate.stages)} stages, "
            f"{len(aggregate.touchpoints)} touchpoints, {len(aggregate.pain_points)} pain points, "
            f"{len(aggregate.opportunities)} opportunities and {len(aggregate.feedback)} "
            "feedback rows? This cannot be undone; download the JSON first to keep a copy."
        )
        confirmed = st.button(
            "Yes, delete this map", type="primary", key=f"confirm_delete_{journey.id}"
        )
        if confirmed and ui.run_action(lambda: services.delete_map(db, journey.id)) is not None:
            ui.forget_map()
            ui.flash(f"Deleted {journey.name}.")
            st.rerun()


def new_map_forms(db: Database) -> None:
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
                created = ui.run_action(
                    lambda: services.import_file(db, path.read_bytes(), name or None)
                )
            else:
                created = ui.run_action(
                    lambda: services.create_map(
                        db, name, description, with_standard_stages=start == BLANK_STANDARD
                    )
                )
            if created:
                ui.select_map(created.id)
                ui.flash(f"Created {created.name}.")
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
            imported = ui.run_action(
                lambda: services.import_file(
                    db, data, new_name or None, max_bytes=settings.max_import_bytes
                )
            )
            if imported:
                ui.select_map(imported.id)
                ui.flash(f"Imported {imported.name}.")
                st.rerun()
