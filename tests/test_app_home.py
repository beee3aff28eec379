"""The home page (app.py) as a user sees it, driven by Streamlit's AppTest.

Each test gets its own SQLite file (``CXMAP_DATABASE_URL``) and empty Streamlit caches, runs the
page, acts like a user (type, pick, click, open a ``?map=<id>`` link) and checks what is on screen
and in the database. No test may end with an exception on the page.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.app import shell
from cxmap.app.pages.maps import BLANK_EMPTY, BLANK_STANDARD
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context

APP = PROJECT_ROOT / "app.py"
NEW_MAP_FORM = "new_map"
CREATE_BUTTON = f"FormSubmitter:{NEW_MAP_FORM}-Create map"
NO_MAPS_TEXT = "There are no maps yet"
NASTY_NAME = "<img src=x onerror=alert(1)> **bold**"
# Markdown's backslash escapes (what shell.md_escape adds), undone to compare with plain names.
_MD_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()<>#+\-.!|~$:])")


def unescape(markdown: str) -> str:
    return _MD_UNESCAPE.sub(r"\1", markdown)


pytestmark = pytest.mark.usefixtures("database_url")  # a temp database per test


def run_home(map_param: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    if map_param is not None:
        at.query_params["map"] = map_param
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def listed_names(at: AppTest) -> list[str]:
    assert len(at.dataframe) == 1, "the home page shows one table of maps"
    return list(at.dataframe[0].value["Map"])


def selected_header(at: AppTest) -> str | None:
    for header in at.subheader:
        if header.value.startswith("Selected: "):
            return unescape(header.value.removeprefix("Selected: "))
    return None


def create_through_form(at: AppTest, name: str, start: str = BLANK_STANDARD) -> AppTest:
    in_form = [w for w in (*at.text_input, *at.selectbox) if w.form_id == NEW_MAP_FORM]
    next(w for w in in_form if w.label == "Name").input(name)
    next(w for w in in_form if w.label == "Start from").select(start)
    at.button(key=CREATE_BUTTON).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def select_row(at: AppTest, row: int) -> AppTest:
    """Click row ``row`` of the maps table (Streamlit's documented way to set a selection)."""
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts_rendered_as_markdown(at: AppTest) -> list[str]:
    """Every element body that Streamlit renders as markdown (alerts and headers included)."""
    kinds = (
        "markdown",
        "title",
        "header",
        "subheader",
        "caption",
        "success",
        "info",
        "warning",
        "error",
    )
    return [element.value for kind in kinds for element in getattr(at, kind)]


# ---------------------------------------------------------------- empty database


def test_empty_database_offers_the_demo_maps(app_ctx: Context) -> None:
    at = run_home()
    assert any(NO_MAPS_TEXT in info.value for info in at.info)
    assert [b.label for b in at.button if b.key == "load_demos"] == ["Load the demo maps"]
    assert len(at.dataframe) == 0
    assert selected_header(at) is None

    at.button(key="load_demos").click().run()
    assert not at.exception

    templates = services.demo_templates()
    if not templates:
        # Nothing to load: the page stays as it was (and must not break).
        assert services.list_maps(app_ctx) == []
        assert any(NO_MAPS_TEXT in info.value for info in at.info)
        pytest.skip(f"no demo maps in {DEMO_DIR} yet: only checked that the button is harmless")
    assert sorted(listed_names(at)) == sorted(templates)
    assert not any(NO_MAPS_TEXT in info.value for info in at.info)
    assert any(f"Loaded {len(templates)} demo maps" in s.value for s in at.success)
    assert sorted(s.map.name for s in services.list_maps(app_ctx)) == sorted(templates)


def test_three_demo_maps_ship_and_load() -> None:
    templates = services.demo_templates()
    if not templates:
        pytest.skip(f"no demo maps in {DEMO_DIR} yet")
    assert len(templates) == 3, sorted(templates)
    at = run_home()
    at.button(key="load_demos").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 3


# ---------------------------------------------------------------- listing and selecting


def test_lists_every_map_and_opens_the_one_in_the_url(app_ctx: Context) -> None:
    first = services.create_map(app_ctx, "Broadband onboarding", with_standard_stages=True)
    second = services.create_map(app_ctx, "Hotel stay", "Guests from booking to checkout")

    at = run_home()
    assert sorted(listed_names(at)) == ["Broadband onboarding", "Hotel stay"]
    assert selected_header(at) is None
    assert any("Click a row to open that map" in c.value for c in at.caption)

    at = run_home(str(first.id))
    assert selected_header(at) == "Broadband onboarding"
    assert at.query_params["map"] == str(first.id)
    labels = {b.label for b in at.button}
    assert {"📄 Duplicate", "Yes, delete this map"} <= labels
    assert [d.label for d in at.get("download_button")] == ["⬇️ Download JSON"]

    at = run_home(str(second.id))
    assert selected_header(at) == "Hotel stay"
    assert "Guests from booking to checkout" in [t.value for t in at.text]


@pytest.mark.parametrize(
    ("param", "warning"),
    [
        ("abc", "The link names map “abc”, which is not a map id."),
        ("99999", "Map 99999 no longer exists; pick another one on the home page."),
        ("1.0", "The link names map “1\\.0”, which is not a map id."),
        ("²", "The link names map “²”, which is not a map id."),
        ("9" * 25, f"The link names map “{'9' * 25}”, which is not a map id."),
    ],
)
def test_a_bad_map_link_warns_and_shows_the_page(
    app_ctx: Context, param: str, warning: str | None
) -> None:
    """A link to no map: one warning (exact text where it is settled), the list, no selection."""
    services.create_map(app_ctx, "Broadband onboarding")
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params["map"] = param
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.warning) == 1
    assert warning is None or at.warning[0].value == warning
    assert selected_header(at) is None
    assert listed_names(at) == ["Broadband onboarding"]
    assert "map" not in at.query_params  # the bad link is dropped from the URL


# ---------------------------------------------------------------- new map form


def test_new_map_form_offers_blank_starts_and_each_demo() -> None:
    at = run_home()
    start = next(w for w in at.selectbox if w.label == "Start from")
    demos = [f"Demo: {name}" for name in services.demo_templates()]
    assert start.options == [BLANK_STANDARD, BLANK_EMPTY, *demos]
    assert [t.label for t in at.tabs] == ["➕ New map", "📥 Import a file"]


def test_create_a_blank_map_with_the_standard_stages(app_ctx: Context) -> None:
    at = create_through_form(run_home(), "Workshop journey", BLANK_STANDARD)

    [summary] = services.list_maps(app_ctx)
    assert summary.map.name == "Workshop journey"
    stages = services.load_map(app_ctx, summary.map.id).stages
    assert [s.name for s in stages] == list(services.STANDARD_STAGES)
    assert at.query_params["map"] == str(summary.map.id)
    assert selected_header(at) == "Workshop journey"
    assert listed_names(at) == ["Workshop journey"]
    assert any("Created Workshop journey" in s.value for s in at.success)
    assert not at.error


def test_create_an_empty_map(app_ctx: Context) -> None:
    create_through_form(run_home(), "Bare", BLANK_EMPTY)
    [summary] = services.list_maps(app_ctx)
    assert summary.map.name == "Bare" and summary.counts["stage"] == 0


def test_create_a_map_from_a_demo_template(app_ctx: Context) -> None:
    templates = services.demo_templates()
    if not templates:
        pytest.skip(f"no demo maps in {DEMO_DIR} yet")
    demo = next(iter(templates))
    at = create_through_form(run_home(), "My copy of the demo", f"Demo: {demo}")
    [summary] = services.list_maps(app_ctx)
    assert summary.map.name == "My copy of the demo"
    assert summary.counts["stage"] > 0
    assert selected_header(at) == "My copy of the demo"


def test_a_map_needs_a_name(app_ctx: Context) -> None:
    at = create_through_form(run_home(), "   ")
    assert [unescape(e.value) for e in at.error] == ["name: a map needs a name"]
    assert services.list_maps(app_ctx) == []
    assert "map" not in at.query_params
    assert selected_header(at) is None


def test_a_second_map_with_the_same_name_is_refused(app_ctx: Context) -> None:
    existing = services.create_map(app_ctx, "Hotel stay")
    at = create_through_form(run_home(), "Hotel stay")
    assert len(at.error) == 1
    assert "Hotel stay" in at.error[0].value and "already exists" in at.error[0].value
    assert [s.map.id for s in services.list_maps(app_ctx)] == [existing.id]
    assert "map" not in at.query_params


# ---------------------------------------------------------------- user text is text


def _markup_leaks(at: AppTest) -> list[str]:
    """Markdown bodies where the nasty name's HTML tag or bold markers reach the renderer raw."""
    return [
        text
        for text in texts_rendered_as_markdown(at)
        if re.search(r"(?<!\\)<img", text) or re.search(r"(?<!\\)\*(?<!\\)\*bold", text)
    ]


def test_a_map_name_with_markup_is_shown_as_text_when_opened(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, NASTY_NAME)
    at = run_home(str(journey.id))
    assert selected_header(at) == NASTY_NAME
    assert listed_names(at) == [NASTY_NAME]  # the table shows text, never markdown
    assert _markup_leaks(at) == []


def test_a_map_name_with_markup_is_shown_as_text_in_messages(app_ctx: Context) -> None:
    at = create_through_form(run_home(), NASTY_NAME)
    assert selected_header(at) == NASTY_NAME
    assert _markup_leaks(at) == []
    at = create_through_form(at, NASTY_NAME)  # duplicate name: the error names the map
    assert len(at.error) == 1
    assert _markup_leaks(at) == []


# ---------------------------------------------------------------- the maps table


def test_clicking_a_row_opens_that_map(app_ctx: Context) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        services.create_map(app_ctx, name)
    at = run_home()
    names = listed_names(at)
    assert names == ["Gamma", "Beta", "Alpha"]  # most recently changed first
    select_row(at, 1)
    assert selected_header(at) == "Beta"
    beta = next(s.map for s in services.list_maps(app_ctx) if s.map.name == "Beta")
    assert at.query_params["map"] == str(beta.id)


def test_deleting_the_map_picked_in_the_last_row_of_the_table(app_ctx: Context) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        services.create_map(app_ctx, name)
    at = select_row(run_home(), 2)
    assert selected_header(at) == "Alpha"
    alpha = next(s.map for s in services.list_maps(app_ctx) if s.map.name == "Alpha")
    at.button(key=f"confirm_delete_{alpha.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert listed_names(at) == ["Gamma", "Beta"]
    assert selected_header(at) is None


def test_a_new_map_stays_selected_after_picking_another_in_the_table(app_ctx: Context) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        services.create_map(app_ctx, name)
    at = select_row(run_home(), 1)
    assert selected_header(at) == "Beta"
    at = create_through_form(at, "Delta")
    assert selected_header(at) == "Delta"


def test_renaming_the_map_picked_in_the_table_keeps_it_selected(app_ctx: Context) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        services.create_map(app_ctx, name)
    at = select_row(run_home(), 1)
    beta = next(s.map for s in services.list_maps(app_ctx) if s.map.name == "Beta")
    rename_form = f"rename_{beta.id}_{beta.version}"
    next(w for w in at.text_input if w.form_id == rename_form and w.label == "Name").input(
        "Beta renamed"
    )
    at.button(key=f"FormSubmitter:{rename_form}-Save").click().run()
    assert not at.exception
    assert services.get_map(app_ctx, beta.id).name == "Beta renamed"
    assert selected_header(at) == "Beta renamed"


# ---------------------------------------------------------------- download


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, bytes]]:
    """(file name, bytes) of every file the page offers for download, in order."""
    offered: list[tuple[str | None, bytes]] = []
    original = MediaFileManager.add

    def add(self: MediaFileManager, data: Any, *args: Any, **kwargs: Any) -> str:
        if kwargs.get("is_for_static_download"):
            offered.append((kwargs.get("file_name"), bytes(data)))
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", add)
    return offered


def test_download_json_is_the_selected_map(
    app_ctx: Context, downloads: list[tuple[str | None, bytes]]
) -> None:
    journey = services.create_map(app_ctx, "Hotel stay: 2024!", with_standard_stages=True)
    run_home(str(journey.id))
    [(file_name, data)] = downloads
    assert file_name == "hotel-stay-2024.json"
    document = json.loads(data)
    assert document["map"]["name"] == "Hotel stay: 2024!"
    assert len(document["stages"]) == 6


def test_download_json_of_a_new_map_after_a_delete_is_the_new_map(
    app_ctx: Context, downloads: list[tuple[str | None, bytes]]
) -> None:
    old = services.create_map(app_ctx, "Old secret plan", with_standard_stages=True)
    at = run_home(str(old.id))
    at.button(key=f"confirm_delete_{old.id}").click().run()
    assert not at.exception and services.list_maps(app_ctx) == []
    at = create_through_form(at, "Fresh start", BLANK_EMPTY)
    assert selected_header(at) == "Fresh start"
    file_name, data = downloads[-1]
    assert file_name == "fresh-start.json"
    assert json.loads(data)["map"]["name"] == "Fresh start"


def test_the_sidebar_links_every_page_and_keeps_the_selected_map(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Workshop <b>map</b>")
    at = run_home()
    links = at.sidebar.get("page_link")
    assert [link.proto.label for link in links] == [
        "All maps", "Personas", "Journey Builder", "Journey Map", "Friction",
        "Voice of Customer", "Executive Summary",
    ]  # fmt: skip
    assert all(link.proto.page_script_hash for link in links), "each names a page of this app"
    assert all(link.proto.query_string == "" for link in links), "no map selected yet"

    at = run_home(str(journey.id))
    assert {link.proto.query_string for link in at.sidebar.get("page_link")} == {
        f"map={journey.id}"
    }
    assert f"Map: **{shell.md_escape(journey.name)}**" in [c.value for c in at.sidebar.caption]
