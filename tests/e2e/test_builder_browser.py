"""Personas and the journey builder in a real browser, as a workshop builds a map.

The grids are glide-data-grid canvases: a cell is clicked by its position (the columns' widths
are fixed by the page), typed into, and Enter commits it, which saves it (the page's
``on_change``). Their hidden accessibility table carries the text to assert on.

Pages are opened from the home page and the sidebar, as a user does: opening a page's own URL
directly makes Streamlit probe ``/<Page>/_stcore/health`` first (404, streamlit#7074), which
the harness would count as a console error.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from cxmap import services
from cxmap.app.pages.maps import BLANK_EMPTY
from cxmap.core.records import JourneyAggregate
from tests.e2e.conftest import (
    TIMEOUT_MS,
    AppServer,
    click_until_url,
    open_app,
    screenshot,
    wait_for_app,
)
from tests.e2e.test_home_browser import create_map

PAGE_TITLES = {"Personas": "Personas", "Journey Builder": "🧱"}
ROW = 35  # row (and header) height of the grids, in pixels
# The line under the (one) grid on screen that says what it saved last, with the time.
SAVED_LINE = """() => {
  const e = document.querySelector('[class*="st-key-grid_status_"]');
  return e ? e.innerText : null;
}"""
# A message beside the grid says why an edit was not saved (error, conflict, confirmation).
HELD_MESSAGE = """() => !!document.querySelector(
  '[data-testid="stAlertContentWarning"], [data-testid="stAlertContentError"]')"""
# A cell editor (text box or option list, drawn in the grid's portal) has the focus.
EDITOR_FOCUSED = """() => {
  const e = document.activeElement;
  return !!e && ['INPUT', 'TEXTAREA'].includes(e.tagName) && !!e.closest('#portal');
}"""
# An editor that is closing keeps the focus for a moment: wait until it has let go.
NO_EDITOR_FOCUSED = """() => {
  const e = document.activeElement;
  return !(e && e.closest('#portal'));
}"""
MARKER = 33  # the row-marker column at the left of an editable grid
# x of a point inside each column we click, from the widths the page gives its columns.
TOUCHPOINT_COLUMNS = {"Stage": MARKER + 60, "Touchpoint": MARKER + 170 + 60, "Emotion": 530}
PAIN_POINT_COLUMNS = {"Touchpoint": MARKER + 60, "Pain point": MARKER + 260 + 60}
OPPORTUNITY_COLUMNS = {"Opportunity": MARKER + 60, "Touchpoint": MARKER + 300 + 60}
# From and To stretch to fill the grid (Weight is at 751-854 px).
TRANSITION_COLUMNS = {"From": MARKER + 60, "To": 560}


# ---------------------------------------------------------------- helpers


def go_to(page: Page, label: str) -> None:
    """Open a page from the sidebar (the map stays selected) and wait until it has run."""
    link = page.locator(".st-key-cxmap_nav").get_by_role("link", name=label)
    click_until_url(page, link, re.compile(rf"/{label.replace(' ', '_')}(\?|$)"))
    wait_for_app(page)
    expect(page.get_by_test_id("stHeading").first).to_contain_text(PAGE_TITLES[label])


def open_tab(page: Page, label: str) -> None:
    page.get_by_role("tab", name=label).click()
    wait_for_app(page)


def open_map_page(page: Page, app: AppServer, map_id: int, label: str) -> None:
    """Open the app on a map's link, then the page through the sidebar."""
    open_app(page, f"{app.url}/?map={map_id}")
    go_to(page, label)


def grid(page: Page) -> Locator:
    return page.get_by_test_id("stDataFrame").first


def click_cell(page: Page, row: int, x: int) -> None:
    """Click the cell of ``row`` (0 = first data row; the row count = the empty new row)."""
    box = settled_box(page)
    page.wait_for_function(NO_EDITOR_FOCUSED, polling=50)
    page.mouse.click(box["x"] + x, box["y"] + ROW * (row + 1) + ROW / 2)


def settled_box(page: Page) -> FloatRect:
    """Where the grid is, once it is on screen and has stopped moving (it is redrawn, and
    messages above it come and go, after every save)."""
    previous = None
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        grid(page).wait_for(state="visible")
        box = grid(page).bounding_box()
        if box is not None and box == previous:
            return box
        previous = box
        page.wait_for_timeout(100)
    raise AssertionError("the grid does not stay in one place")


def open_cell_editor(page: Page, row: int, x: int) -> None:
    """Open the editor of a cell (on the empty last row: add a row and edit that cell)."""
    adding = row == len(grid_rows(page))
    for _ in range(3):
        click_cell(page, row, x)
        # A click on the empty last row, or on the cell already selected, opens the editor by
        # itself (and Enter would close it again); any other cell opens on Enter.
        if not adding and not editor_opens(page, 500):
            page.keyboard.press("Enter")
        if editor_opens(page, 10_000):
            return
        page.keyboard.press("Escape")
        adding = row == len(grid_rows(page))  # the row may have been added meanwhile
    shot = screenshot(page, "builder-failed-cell-editor")
    raise AssertionError(f"the editor of row {row} at x={x} did not open (see {shot})")


def editor_opens(page: Page, timeout: float) -> bool:
    try:
        page.wait_for_function(EDITOR_FOCUSED, polling=50, timeout=timeout)
    except PlaywrightTimeoutError:
        return False
    return True


def type_into_editor(page: Page, text: str) -> None:
    """Type into the open cell editor. An editor that has just opened may still set its first
    value after the focus arrives, wiping keys typed meanwhile: check, and type again."""
    page.keyboard.press("Control+A")  # replace what the cell had
    for _ in range(5):
        page.keyboard.type(text)
        if page.evaluate("() => document.activeElement.value") == text:
            return
        page.keyboard.press("Control+A")
    raise AssertionError(f"could not type {text!r} into the cell")


def edit_cell(page: Page, row: int, x: int, text: str, *, held: bool = False) -> None:
    """Open a cell's editor, type ``text`` (a select cell: the start of an option) and press
    Enter, which saves the grid; wait until the line under the grid says it saved or, with
    ``held``, until the page says why the edit was not saved.

    A grid that has just been drawn afresh (another tab, a button) can still re-mount once,
    closing an open editor and dropping what was typed; then nothing happens and the edit is
    made again.
    """
    for _ in range(3):
        open_cell_editor(page, row, x)
        type_into_editor(page, text)
        before = json.dumps(page.evaluate(SAVED_LINE))
        page.keyboard.press("Enter")
        done = HELD_MESSAGE if held else f"() => ({SAVED_LINE})() !== {before}"
        try:
            page.wait_for_function(done, polling=50, timeout=5_000)
            break
        except PlaywrightTimeoutError:
            # A busy server may still be saving: once it is idle, look again before retrying.
            wait_for_app(page)
            if page.evaluate(done):
                break
    else:
        shot = screenshot(page, "builder-failed-cell-edit")
        raise AssertionError(f"typing {text!r} into row {row} at x={x} did nothing (see {shot})")
    wait_for_app(page)
    settled_box(page)


def type_cell(page: Page, row: int, x: int, text: str, *, held: bool = False) -> None:
    """Type ``text`` into a text cell and commit it (Enter), which saves it."""
    edit_cell(page, row, x, text, held=held)


def pick_cell(page: Page, row: int, x: int, text: str, *, held: bool = False) -> None:
    """Choose the option starting with ``text`` in a select cell and commit it."""
    edit_cell(page, row, x, text, held=held)


def grid_rows(page: Page) -> list[list[str]]:
    """The text of the grid's data rows (from its accessibility table)."""
    rows = []
    for row in grid(page).locator("tbody tr").all():
        rows.append([cell.text_content() or "" for cell in row.locator("td").all()])
    return rows


def column(page: Page, index: int) -> list[str]:
    return [row[index] for row in grid_rows(page) if len(row) > index]


def expect_cells(page: Page, pick: Callable[[list[list[str]]], Any], expected: Any) -> None:
    """Wait (up to ``TIMEOUT_MS``) until ``pick(grid rows)`` is ``expected``: the grid fills its
    table a moment after the page has run."""
    seen: Any = None
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        try:
            seen = pick(grid_rows(page))
        except IndexError:
            seen = None
        if seen == expected:
            return
        page.wait_for_timeout(100)
    assert seen == expected


def expect_column(page: Page, index: int, expected: list[str]) -> None:
    expect_cells(page, lambda rows: [row[index] for row in rows if len(row) > index], expected)


def toast(page: Page) -> Locator:
    return page.get_by_test_id("stToast")


def saved_line(page: Page) -> Locator:
    """The line under the grid that says what it saved last."""
    return page.locator('[class*="st-key-grid_status_"]')


def snapshot(app: AppServer, map_id: int) -> JourneyAggregate:
    database = app.database()
    try:
        return services.load_map(database, map_id)
    finally:
        database.dispose()


def map_id_of(page: Page) -> int:
    expect(page).to_have_url(re.compile(r"[?&]map=\d+"))
    found = re.search(r"[?&]map=(\d+)", page.url)
    assert found, page.url
    return int(found.group(1))


# ---------------------------------------------------------------- a new user builds a map


@pytest.mark.e2e
def test_a_workshop_builds_a_map_from_scratch_and_it_survives_a_reload(
    app: AppServer, new_page: Callable[[], Page]
) -> None:
    page = new_page()
    open_app(page, app.url)
    create_map(page, "Workshop journey", BLANK_EMPTY)
    map_id = map_id_of(page)

    # A persona.
    go_to(page, "Personas")
    expect(page.get_by_text("No personas yet", exact=False)).to_be_visible()
    form = page.get_by_test_id("stForm")
    form.get_by_label("Name", exact=True).fill("Busy parent")
    form.get_by_label("🎯 Goals").fill("Fast broadband without a day off work")
    form.get_by_label("Segment share (% of customers)", exact=True).fill("40")
    form.get_by_role("button", name="Add persona").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile("Busy parent"))).to_be_visible()
    expect(toast(page).filter(has_text="persona “Busy parent” added")).to_be_visible()
    screenshot(page, "personas")

    # Two stages.
    go_to(page, "Journey Builder")
    expect(page.get_by_text("This map has no stages yet", exact=False)).to_be_visible()
    for name in ("Awareness", "Purchase"):
        page.get_by_label("New stage").fill(name)
        page.get_by_role("button", name="Add stage").click()
        wait_for_app(page)
    expect(page.get_by_role("textbox", name="Stage 1")).to_have_value("Awareness")
    expect(page.get_by_role("textbox", name="Stage 2")).to_have_value("Purchase")
    expect(page.get_by_role("textbox", name="New stage")).to_have_value("")
    screenshot(page, "builder-stages")

    # Three touchpoints with emotions, typed into the grid (the stage picked in the third).
    open_tab(page, "Touchpoints")
    x = TOUCHPOINT_COLUMNS
    for row, (name, emotion) in enumerate(
        [("Sees TV ad", "+1"), ("Reads reviews", "0"), ("Pays online", "-2")]
    ):
        type_cell(page, row, x["Touchpoint"], name)
        pick_cell(page, row, x["Emotion"], emotion)
    pick_cell(page, 2, x["Stage"], "Purchase")
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    expect_column(page, 0, ["Awareness", "Awareness", "Purchase"])
    expect_column(page, 1, ["Sees TV ad", "Reads reviews", "Pays online"])
    expect_column(page, 2, ["🙂 +1", "😐 0", "😠 -2"])
    screenshot(page, "builder-touchpoints")

    # A pain point and an opportunity at the payment.
    open_tab(page, "Pain points")
    pick_cell(page, 0, PAIN_POINT_COLUMNS["Touchpoint"], "Pays")
    type_cell(page, 0, PAIN_POINT_COLUMNS["Pain point"], "Card form times out")
    # The computed score shows once the grid is drawn again (the editor is kept while typing).
    expect_cells(page, lambda rows: rows[0][:4], ["Pays online", "Card form times out", "3", "3"])
    open_tab(page, "Touchpoints")
    open_tab(page, "Pain points")
    expect_cells(page, lambda rows: rows[0], ["Pays online", "Card form times out", "3", "3", "9"])
    screenshot(page, "builder-pain-points")

    open_tab(page, "Opportunities")
    type_cell(page, 0, OPPORTUNITY_COLUMNS["Opportunity"], "Save the card form as a draft")
    pick_cell(page, 0, OPPORTUNITY_COLUMNS["Touchpoint"], "Pays")
    expect_cells(
        page, lambda rows: rows[0][:3], ["Save the card form as a draft", "Pays online", ""]
    )
    screenshot(page, "builder-opportunities")

    open_tab(page, "Transitions")
    expect(page.get_by_text("flows stage by stage", exact=False)).to_be_visible()
    screenshot(page, "builder-transitions")

    # Everything is in the database ...
    saved = snapshot(app, map_id)
    assert [p.name for p in saved.personas] == ["Busy parent"]
    assert saved.personas[0].segment_share == 0.4
    assert [s.name for s in saved.stages] == ["Awareness", "Purchase"]
    assert [(t.name, t.emotion) for t in saved.touchpoints] == [
        ("Sees TV ad", 1),
        ("Reads reviews", 0),
        ("Pays online", -2),
    ]
    pays = saved.touchpoints[2]
    assert pays.stage_id == saved.stages[1].id
    [pain] = saved.pain_points
    assert (pain.touchpoint_id, pain.description) == (pays.id, "Card form times out")
    [idea] = saved.opportunities
    assert (idea.title, idea.touchpoint_id, idea.status) == (
        "Save the card form as a draft",
        pays.id,
        "idea",
    )

    # ... and on screen after a reload (a new tab on the map's link).
    again = new_page()
    open_map_page(again, app, map_id, "Journey Builder")
    expect_column(again, 1, ["Sees TV ad", "Reads reviews", "Pays online"])
    expect_column(again, 2, ["🙂 +1", "😐 0", "😠 -2"])
    open_tab(again, "Pain points")
    expect_column(again, 1, ["Card form times out"])
    go_to(again, "Personas")
    expect(again.get_by_role("heading", name=re.compile("Busy parent"))).to_be_visible()
    expect(again.get_by_text("40 % of customers", exact=False)).to_be_visible()


@pytest.mark.e2e
def test_the_first_value_typed_into_each_empty_grid_is_saved(app: AppServer, page: Page) -> None:
    """Into the new first row of the empty touchpoint, pain point and opportunity grids, a
    value typed at once and committed at once (Enter right after the last key), typed once:
    each is saved, and the line under the grid says so. (Glide commits a text editor in a
    timer that the timer of the last key typed could beat on a busy page, and the cell kept
    nothing: the key script hands the editor its Enter after those timers.)"""
    database = app.database()
    try:
        journey = services.create_map(database, "Empty grids")
        services.create_row(database, journey.id, "stage", {"name": "Purchase"})
    finally:
        database.dispose()
    open_map_page(page, app, journey.id, "Journey Builder")

    def type_once(x: int, text: str) -> None:
        before = page.evaluate(SAVED_LINE)
        click_cell(page, 0, x)  # the empty "add row" line: adds a row, opens the cell
        assert editor_opens(page, TIMEOUT_MS), "the cell's editor did not open"
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        wait_for_app(page)
        page.wait_for_function(f"(before) => ({SAVED_LINE})() !== before", arg=before, polling=50)
        wait_for_app(page)

    type_once(TOUCHPOINT_COLUMNS["Touchpoint"], "Sees TV ad")
    expect(saved_line(page)).to_contain_text("new row 1 added")
    database = app.database()
    try:
        stage = services.load_map(database, journey.id).stages[0]
        services.create_row(
            database, journey.id, "touchpoint", {"stage_id": stage.id, "name": "Pays online"}
        )
    finally:
        database.dispose()
    open_tab(page, "Pain points")
    type_once(PAIN_POINT_COLUMNS["Touchpoint"], "Sees")
    open_tab(page, "Opportunities")
    type_once(OPPORTUNITY_COLUMNS["Opportunity"], "Show the price")

    # A new transition with its From only waits for its To, and says so; then it is saved.
    open_tab(page, "Transitions")
    click_cell(page, 0, TRANSITION_COLUMNS["From"])
    assert editor_opens(page, TIMEOUT_MS), "the cell's editor did not open"
    page.keyboard.type("Sees")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("New row 1 is saved once it has a To.")).to_be_visible()
    assert snapshot(app, journey.id).transitions == []
    pick_cell(page, 0, TRANSITION_COLUMNS["To"], "Pays")
    expect(page.get_by_text("New row 1 is saved once", exact=False)).to_have_count(0)

    saved = snapshot(app, journey.id)
    sees, pays = saved.touchpoints
    assert sees.name == "Sees TV ad"
    assert [p.touchpoint_id for p in saved.pain_points] == [sees.id]
    assert [o.title for o in saved.opportunities] == ["Show the price"]
    assert [(t.source_id, t.target_id) for t in saved.transitions] == [(sees.id, pays.id)]


# ---------------------------------------------------------------- two people, one touchpoint


@pytest.fixture
def checkout_map(app: AppServer) -> int:
    database = app.database()
    try:
        journey = services.create_map(database, "Shared map")
        stage = services.create_row(database, journey.id, "stage", {"name": "Purchase"})
        for name in ("Checkout", "Receipt"):
            services.create_row(
                database,
                journey.id,
                "touchpoint",
                {"stage_id": stage.as_dict()["id"], "name": name, "emotion": 0, "owner": "Web"},
            )
        return journey.id
    finally:
        database.dispose()


def conflict(page: Page) -> Locator:
    return page.get_by_test_id("stAlertContentWarning").filter(has_text="Someone else changed")


@pytest.mark.e2e
def test_two_browsers_edit_the_same_touchpoint_and_nothing_is_lost(
    app: AppServer, new_page: Callable[[], Page], checkout_map: int
) -> None:
    alice, bob = new_page(), new_page()
    for person in (alice, bob):
        open_map_page(person, app, checkout_map, "Journey Builder")
        expect_column(person, 1, ["Checkout", "Receipt"])

    # Alice renames Checkout first; Bob, still looking at the old row, changes its emotion:
    # different fields of one row, so both edits stand without asking anyone.
    type_cell(alice, 0, TOUCHPOINT_COLUMNS["Touchpoint"], "Checkout page")
    expect(saved_line(alice)).to_contain_text("Touchpoint → “Checkout page”")
    # Bob's sidebar says the map changed (it never redraws the grid under him by itself).
    expect(bob.get_by_text("Someone else changed this map", exact=False)).to_be_visible()
    pick_cell(bob, 0, TOUCHPOINT_COLUMNS["Emotion"], "-1")
    expect(saved_line(bob)).to_contain_text("Emotion → 😟 -1")
    expect(conflict(bob)).to_have_count(0)
    first = snapshot(app, checkout_map).touchpoints[0]
    assert (first.name, first.emotion) == ("Checkout page", -1)  # both edits kept
    # Bob's grid says it is behind, and shows Alice's rename when he asks.
    bob.get_by_role("button", name="Show their changes").click()
    wait_for_app(bob)
    expect_cells(bob, lambda rows: rows[0][1:3], ["Checkout page", "😟 -1"])

    # The same cell, changed by both: Bob takes Alice's value.
    type_cell(alice, 1, TOUCHPOINT_COLUMNS["Touchpoint"], "Email receipt")
    type_cell(bob, 1, TOUCHPOINT_COLUMNS["Touchpoint"], "Paper receipt", held=True)
    expect(conflict(bob)).to_contain_text("name “Receipt” → “Email receipt”")
    expect(bob.get_by_role("button", name="Keep mine")).to_be_visible()
    expect_cells(bob, lambda rows: rows[1][1], "Paper receipt")  # Bob's edit stays on screen
    screenshot(bob, "builder-conflict")
    assert snapshot(app, checkout_map).touchpoints[1].name == "Email receipt"  # not saved
    bob.get_by_role("button", name="Take theirs").click()
    wait_for_app(bob)
    expect(conflict(bob)).to_have_count(0)
    expect_column(bob, 1, ["Checkout page", "Email receipt"])
    names = [t.name for t in snapshot(app, checkout_map).touchpoints]
    assert names == ["Checkout page", "Email receipt"]
