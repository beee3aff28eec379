"""The home page in a real browser, as a new user meets it (headless Debian chromium).

Each test starts from an empty database; the harness (conftest.py) fails a test whose pages made
any non-local request, threw a page error or logged a console error.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from cxmap import services
from cxmap.app.pages.maps import BLANK_STANDARD
from tests.e2e.conftest import (
    AppServer,
    new_context,
    open_app,
    screenshot,
    wait_for_app,
    watch,
)

# The maps table is a canvas (glide-data-grid); its hidden accessibility table carries the text.
MAP_NAME_CELLS = '[data-testid="stDataFrame"] td[role="gridcell"][aria-colindex="1"]'
ROW_HEIGHT = 35  # st.dataframe's default row (and header) height in pixels


def heading(page: Page, text: str) -> Locator:
    return page.get_by_test_id("stHeading").filter(has_text=re.compile(rf"^{re.escape(text)}$"))


def success_message(page: Page) -> Locator:
    """The text of the green success box (without its icon)."""
    return page.get_by_test_id("stAlertContentSuccess").get_by_test_id("stMarkdownContainer")


def create_map(page: Page, name: str, start: str = BLANK_STANDARD) -> None:
    form = page.get_by_test_id("stForm")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=start, exact=True).click()
    form.get_by_role("button", name="Create map").click()
    wait_for_app(page)


def click_table_row(page: Page, row: int) -> None:
    """Tick the row's checkbox in the maps table (canvas: click by position)."""
    box = page.get_by_test_id("stDataFrame").bounding_box()
    assert box is not None, "the maps table is not on screen"
    page.mouse.click(box["x"] + 16, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    wait_for_app(page)


def map_names_by_recency(app: AppServer) -> list[str]:
    database = app.database()
    try:
        return [summary.map.name for summary in services.list_maps(database)]
    finally:
        database.dispose()


@pytest.mark.e2e
def test_a_new_user_creates_a_map_and_opens_it_by_its_link(
    app: AppServer, page: Page, new_page: Page
) -> None:
    open_app(page, app.url)
    expect(page.get_by_text("There are no maps yet", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Load the demo maps")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    screenshot(page, "home-empty")

    create_map(page, "Workshop journey")

    expect(heading(page, "Selected: Workshop journey")).to_be_visible()
    expect(success_message(page)).to_have_text("Created Workshop journey.")
    expect(page.locator(MAP_NAME_CELLS)).to_have_text(["Workshop journey"])
    expect(page.get_by_text("There are no maps yet", exact=False)).to_have_count(0)
    database = app.database()
    try:
        [summary] = services.list_maps(database)
    finally:
        database.dispose()
    assert summary.map.name == "Workshop journey" and summary.counts["stage"] == 6
    expect(page).to_have_url(f"{app.url}/?map={summary.map.id}")
    screenshot(page, "home-created")

    # The link opens the same map for someone else (a fresh browser context: no session).
    other = new_page()
    open_app(other, page.url)
    expect(heading(other, "Selected: Workshop journey")).to_be_visible()
    expect(other.locator(MAP_NAME_CELLS)).to_have_text(["Workshop journey"])
    expect(other).to_have_url(f"{app.url}/?map={summary.map.id}")
    screenshot(other, "home-by-url")


@pytest.mark.e2e
def test_a_new_user_loads_the_demo_maps(app: AppServer, page: Page) -> None:
    demos = services.demo_templates()
    open_app(page, app.url)
    page.get_by_role("button", name="Load the demo maps").click()
    wait_for_app(page)
    if not demos:
        pytest.skip("no demo maps in data/demo yet: nothing to load")

    expect(success_message(page)).to_have_text(f"Loaded {len(demos)} demo maps.")
    names = map_names_by_recency(app)
    assert sorted(names) == sorted(demos)
    expect(page.locator(MAP_NAME_CELLS)).to_have_text(names)
    expect(page.get_by_text("Click a row to open that map.")).to_be_visible()
    screenshot(page, "home-demos")

    # Picking a row opens that map and puts it in the URL.
    click_table_row(page, 1)
    expect(heading(page, f"Selected: {names[1]}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?map=\d+$"))


@pytest.mark.e2e
def test_deleting_the_map_picked_in_the_last_row(app: AppServer, page: Page) -> None:
    database = app.database()
    try:
        for name in ("Alpha", "Beta", "Gamma"):
            services.create_map(database, name)
    finally:
        database.dispose()
    open_app(page, app.url)
    click_table_row(page, 2)
    expect(heading(page, "Selected: Alpha")).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Yes, delete this map").click()
    wait_for_app(page)
    screenshot(page, "home-after-delete")
    expect(success_message(page)).to_have_text("Deleted Alpha.")
    expect(page.get_by_test_id("stException")).to_have_count(0, timeout=2_000)
    expect(page.locator(MAP_NAME_CELLS)).to_have_text(["Gamma", "Beta"])


@pytest.mark.e2e
def test_the_browser_watch_names_a_request_that_leaves_the_machine(browser: Browser) -> None:
    """The offline guard of every browser test: a script from a CDN is refused and named."""
    context = new_context(browser)
    try:
        page = context.new_page()
        problems = watch(page)
        page.set_content(
            '<script src="https://cdn.jsdelivr.net/npm/vazirmatn/x.js"></script>'
            '<img src="data:image/png;base64,iVBORw0KGgo=">'
        )
        page.wait_for_load_state()
        assert problems.external_requests == ["https://cdn.jsdelivr.net/npm/vazirmatn/x.js"]
        assert any("cdn.jsdelivr.net" in line for line in problems.report())
    finally:
        context.close()
