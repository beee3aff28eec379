"""The editable canvas ("Edit on the canvas" on the Journey Map page) in a real browser.

Each test edits the map the way a workshop does (click a card, add a touchpoint, drag a card,
click the curve, add chips; one test with the keyboard only) and then checks the database,
through the services, not only the screen. Waits are on conditions: the database holding the
change, the component saying it is saved. Screenshots at 1920×1080 go to
artifacts/screenshots/canvas-edit-*.png.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from cxmap import services
from cxmap.core.records import JourneyAggregate
from tests.e2e.conftest import SCREENSHOTS, TIMEOUT_MS, AppServer, screenshot, wait_for_app
from tests.e2e.test_map_browser import import_demo, open_map_page
from tests.factories import journey_document

pytestmark = pytest.mark.e2e

NASTY = "<img src=x onerror=alert(1)>"
EDITOR = 'iframe[src*="cxmap_canvas_editor"]'
EMOTION_HEIGHT, EMOTION_MARGIN = 250, 18


def emotion_y(score: int) -> float:
    """Where level ``score`` sits in the emotion lane (as the component draws it)."""
    return EMOTION_MARGIN + (2.5 - score) / 5 * (EMOTION_HEIGHT - 2 * EMOTION_MARGIN)


def load(app: AppServer, map_id: int) -> JourneyAggregate:
    database = app.database()
    try:
        return services.load_map(database, map_id)
    finally:
        database.dispose()


def wait_for_map(
    app: AppServer, map_id: int, holds: Callable[[JourneyAggregate], bool], what: str
) -> JourneyAggregate:
    """Wait until the stored map satisfies ``holds`` (what the test waits for: ``what``)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        aggregate = load(app, map_id)
        if holds(aggregate):
            return aggregate
        if time.monotonic() > deadline:
            raise AssertionError(f"the database never got: {what}")
        time.sleep(0.2)


def import_small(app: AppServer, **names: Any) -> int:
    document = journey_document(personas=2)
    for index, name in names.items():
        document["touchpoints"][int(index.removeprefix("t")) - 1]["name"] = name
    database = app.database()
    try:
        return services.import_document(database, document).id
    finally:
        database.dispose()


def open_editor(page: Page, app: AppServer, map_id: int) -> FrameLocator:
    """The Journey Map page with "Edit on the canvas" on, on a workshop's screen (1920×1080);
    the editor's frame."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_map_page(page, app, map_id)
    page.get_by_text("Edit on the canvas").click()
    wait_for_app(page)
    frame = page.frame_locator(EDITOR)
    frame.locator(".cxe-card").first.wait_for()
    return frame


def saved(frame: FrameLocator) -> None:
    """Wait until the component has every change confirmed by the page."""
    expect(frame.locator(".cxe-status")).to_have_class("cxe-status cxe-ok")


def card(frame: FrameLocator, touchpoint_id: int) -> Any:
    return frame.locator(f'.cxe-card[data-touchpoint="{touchpoint_id}"]')


def stage_order(aggregate: JourneyAggregate) -> list[list[int]]:
    return [[t.id for t in aggregate.touchpoints if t.stage_id == s.id] for s in aggregate.stages]


def test_click_a_card_edit_its_name_in_place_and_undo(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    first = load(app, map_id).touchpoints[0]
    frame = open_editor(page, app, map_id)

    card(frame, first.id).click()
    name = frame.locator('.cxe-panel input[name="name"]')
    expect(name).to_be_focused()
    name.fill(f"{NASTY} Pay")
    frame.locator(".cxe-panel").get_by_role("button", name="Save").click()

    wait_for_map(app, map_id, lambda a: a.touchpoints[0].name == f"{NASTY} Pay", "the new name")
    saved(frame)
    expect(card(frame, first.id).locator(".cxj-name")).to_have_text(f"{NASTY} Pay")
    assert frame.locator("img").count() == 0  # the name is text, never markup
    wait_for_app(page)

    page.get_by_role("button", name="↩️ Undo").click()  # the same undo as the grids
    wait_for_map(app, map_id, lambda a: a.touchpoints[0].name == first.name, "the old name")
    expect(card(frame, first.id).locator(".cxj-name")).to_have_text(first.name)


def test_a_reorder_inside_a_stage_is_undone(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    before = stage_order(load(app, map_id))
    first, second = before[0][:2]
    frame = open_editor(page, app, map_id)

    card(frame, first).focus()
    page.keyboard.press("Alt+ArrowRight")  # one place right, inside its stage
    wait_for_map(app, map_id, lambda a: stage_order(a)[0][:2] == [second, first], "reordered")
    saved(frame)
    wait_for_app(page)
    page.get_by_role("button", name="↩️ Undo").click()
    wait_for_map(app, map_id, lambda a: stage_order(a) == before, "the order as it was")
    expect(frame.locator(".cxe-card >> nth=0")).to_have_attribute("data-touchpoint", str(first))


def test_keyboard_only_edit_move_and_emotion(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    before = load(app, map_id)
    first = before.touchpoints[0]
    frame = open_editor(page, app, map_id)

    # Tab from the first stage's "+ Touchpoint" past the other stages' names and buttons
    # to the first card.
    frame.locator(".cxe-add-tp").first.focus()
    for _ in range(2 * (len(before.stages) - 1) + 1):
        page.keyboard.press("Tab")
    expect(card(frame, first.id)).to_be_focused()

    page.keyboard.press("Enter")
    expect(frame.locator('.cxe-panel input[name="name"]')).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Typed with the keys")
    page.keyboard.press("Enter")
    wait_for_map(app, map_id, lambda a: a.touchpoints[0].name == "Typed with the keys", "name")
    expect(card(frame, first.id)).to_be_focused()

    page.keyboard.press("Alt+ArrowRight")  # one place right, inside its stage
    page.keyboard.press("Alt+ArrowRight")  # past the stage's end: first of the next stage
    second_stage = before.stages[1].id
    moved = wait_for_map(
        app,
        map_id,
        lambda a: stage_order(a)[1][:1] == [first.id],
        "the card first in the second stage",
    )
    assert stage_order(moved)[0] == [before.touchpoints[1].id]
    assert next(t.stage_id for t in moved.touchpoints if t.id == first.id) == second_stage
    saved(frame)
    expect(card(frame, first.id)).to_be_focused()  # the user's place is kept

    page.keyboard.press("ArrowDown")  # to the card's point on the curve
    point = frame.locator(f'.cxe-point[data-point="{first.id}"]')
    expect(point).to_be_focused()
    start = first.emotion if first.emotion is not None else 0
    wanted = start + 1 if start < 2 else start - 1
    page.keyboard.press("ArrowUp" if wanted > start else "ArrowDown")
    wait_for_map(
        app,
        map_id,
        lambda a: next(t.emotion for t in a.touchpoints if t.id == first.id) == wanted,
        f"emotion {wanted}",
    )
    saved(frame)
    expect(point).to_have_attribute("aria-valuenow", str(wanted))

    page.keyboard.press("Escape")  # back to the card; O opens a new opportunity there
    expect(card(frame, first.id)).to_be_focused()
    page.keyboard.press("o")
    expect(frame.locator('.cxe-panel input[name="title"]')).to_be_focused()
    page.keyboard.type("Call back within a day")
    page.keyboard.press("Enter")
    wait_for_map(
        app,
        map_id,
        lambda a: any(
            o.title == "Call back within a day" and o.touchpoint_id == first.id
            for o in a.opportunities
        ),
        "the opportunity",
    )


def test_add_a_touchpoint_in_a_stage(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    before = load(app, map_id)
    stage = before.stages[1]
    frame = open_editor(page, app, map_id)

    frame.locator(f'[data-add-stage="{stage.id}"]').click()
    panel = frame.locator(".cxe-panel")
    panel.locator('input[name="name"]').fill("Asks in the shop")
    panel.locator('input[name="channel"]').fill("store")
    panel.get_by_role("button", name="Save").click()

    after = wait_for_map(
        app, map_id, lambda a: len(a.touchpoints) == len(before.touchpoints) + 1, "a touchpoint"
    )
    [new] = [t for t in after.touchpoints if t.name == "Asks in the shop"]
    assert (new.stage_id, new.channel) == (stage.id, "store")
    assert stage_order(after)[1][-1] == new.id  # at the end of its stage
    expect(card(frame, new.id)).to_be_visible()
    saved(frame)


def test_drag_a_card_to_another_stage(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    before = load(app, map_id)
    moving = before.touchpoints[0]
    target = before.touchpoints[4]  # first of the third stage
    frame = open_editor(page, app, map_id)

    box = card(frame, target.id).bounding_box()
    assert box is not None
    card(frame, moving.id).drag_to(
        card(frame, target.id), target_position={"x": 8, "y": box["height"] / 2}
    )  # the left half of the card: before it

    after = wait_for_map(
        app, map_id, lambda a: stage_order(a)[2][:1] == [moving.id], "the card in stage 3"
    )
    assert stage_order(after)[2] == [moving.id, target.id, before.touchpoints[5].id]
    assert stage_order(after)[0] == [before.touchpoints[1].id]
    saved(frame)


def test_click_the_curve_to_set_a_personas_emotion(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    before = load(app, map_id)
    persona = before.personas[0]
    touchpoint = before.touchpoints[1]
    frame = open_editor(page, app, map_id)

    frame.locator(f'.cxe-line[data-line="{persona.id}"]').click()
    expect(frame.locator(f'.cxe-line[data-line="{persona.id}"]')).to_have_attribute(
        "aria-checked", "true"
    )
    column = frame.locator(f'[data-emotion-column="{touchpoint.id}"]')
    box = column.bounding_box()
    assert box is not None
    column.click(position={"x": box["width"] / 2 + 30, "y": emotion_y(2)})

    after = wait_for_map(
        app,
        map_id,
        lambda a: any(
            e.touchpoint_id == touchpoint.id and e.persona_id == persona.id and e.score == 2
            for e in a.emotions
        ),
        "the persona's emotion +2",
    )
    assert next(t.emotion for t in after.touchpoints if t.id == touchpoint.id) == (
        touchpoint.emotion
    )  # all customers' value is not touched
    saved(frame)
    expect(frame.locator(f'.cxe-point[data-point="{touchpoint.id}"]')).to_have_attribute(
        "data-score", "2"
    )


def test_add_a_pain_point_chip_to_a_card(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    touchpoint = load(app, map_id).touchpoints[2]
    frame = open_editor(page, app, map_id)

    frame.locator(f'[data-add="pain:{touchpoint.id}"]').click()
    panel = frame.locator(".cxe-panel")
    panel.locator('textarea[name="description"]').fill(f"Waits on hold {NASTY}")
    panel.locator('select[name="severity"]').select_option("5")
    panel.locator('select[name="frequency"]').select_option("4")
    panel.get_by_role("button", name="Save").click()

    wait_for_map(
        app,
        map_id,
        lambda a: any(
            p.touchpoint_id == touchpoint.id and (p.severity, p.frequency) == (5, 4)
            for p in a.pain_points
        ),
        "the pain point",
    )
    chip = frame.locator('.cxj-pain[data-score="20"]')
    expect(chip).to_contain_text(f"Waits on hold {NASTY}")
    assert frame.locator("img").count() == 0


def test_screenshots_of_the_editor_at_1920_by_1080(page: Page, app: AppServer) -> None:
    map_id = import_demo(app, "telecom-broadband-onboarding.json")
    frame = open_editor(page, app, map_id)
    aggregate = load(app, map_id)
    expect(frame.locator(".cxe-card")).to_have_count(len(aggregate.touchpoints))
    screenshot(page, "canvas-edit-telecom")
    card(frame, aggregate.touchpoints[3].id).click()
    expect(frame.locator(".cxe-panel")).to_be_visible()
    screenshot(page, "canvas-edit-card-open")
    # What the room sees on a 1920×1080 screen with the canvas scrolled into view.
    page.locator(EDITOR).evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_function(
        "s => document.querySelector(s).getBoundingClientRect().top < 200", arg=EDITOR
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "canvas-edit-1080p.png"))
    page.keyboard.press("Escape")
    expect(frame.locator(".cxe-panel")).to_have_count(0)
    frame.locator(f'[data-add="pain:{aggregate.touchpoints[3].id}"]').click()
    expect(frame.locator(".cxe-panel")).to_be_visible()
    frame.locator(".cxe-panel").scroll_into_view_if_needed()
    screenshot(page, "canvas-edit-chip-open")


def test_an_edit_of_a_name_someone_else_changed_is_held_with_keep_mine(
    page: Page, app: AppServer
) -> None:
    map_id = import_small(app)
    first = load(app, map_id).touchpoints[0]
    frame = open_editor(page, app, map_id)
    database = app.database()
    try:  # someone else renames the card while this tab shows it
        services.update_row(
            database, map_id, "touchpoint", first.id, first.version, {"name": "Theirs"}
        )
    finally:
        database.dispose()

    card(frame, first.id).click()
    frame.locator('.cxe-panel input[name="name"]').fill("Mine")
    frame.locator('.cxe-panel input[name="name"]').press("Enter")

    expect(page.get_by_text("Someone else changed the same row first")).to_be_visible()
    expect(frame.locator(".cxe-status")).to_have_class("cxe-status cxe-error")
    expect(card(frame, first.id).locator(".cxj-name")).to_have_text("Theirs")  # as saved
    assert load(app, map_id).touchpoints[0].name == "Theirs"

    page.get_by_role("button", name="Keep mine").click()
    wait_for_map(app, map_id, lambda a: a.touchpoints[0].name == "Mine", "my name kept")
    expect(card(frame, first.id).locator(".cxj-name")).to_have_text("Mine")
    saved(frame)  # the status line no longer says "Not saved"


def test_a_save_keeps_the_sideways_scroll_and_the_focus(page: Page, app: AppServer) -> None:
    map_id = import_demo(app, "telecom-broadband-onboarding.json")
    last = load(app, map_id).touchpoints[-1]
    frame = open_editor(page, app, map_id)
    scroller = frame.locator(".cxe-scroll")
    scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    scrolled = scroller.evaluate("e => e.scrollLeft")
    assert scrolled > 1000  # 26 columns: far to the right

    card(frame, last.id).click()
    frame.locator('.cxe-panel input[name="owner"]').fill("Loyalty team")
    frame.locator('.cxe-panel input[name="owner"]').press("Enter")
    wait_for_map(app, map_id, lambda a: a.touchpoints[-1].owner == "Loyalty team", "the new owner")
    saved(frame)
    expect(card(frame, last.id)).to_contain_text("Loyalty team")  # drawn from the new revision
    expect(card(frame, last.id)).to_be_focused()
    assert abs(scroller.evaluate("e => e.scrollLeft") - scrolled) <= 1


def test_delete_a_card_after_confirming_what_goes_with_it(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    before = load(app, map_id)
    gone = before.touchpoints[2]
    assert any(e.touchpoint_id == gone.id for e in before.emotions)  # they go with it
    frame = open_editor(page, app, map_id)

    card(frame, gone.id).click()
    frame.locator(".cxe-panel").get_by_role("button", name="Delete").click()
    expect(frame.locator(".cxe-status")).to_contain_text("Delete or Keep them, above the map")
    expect(page.get_by_text("This also deletes 2 persona emotions")).to_be_visible()
    assert len(load(app, map_id).touchpoints) == len(before.touchpoints)  # not yet
    screenshot(page, "canvas-edit-confirm-delete")

    page.get_by_role("button", name="Delete", exact=True).click()
    wait_for_map(
        app, map_id, lambda a: gone.id not in {t.id for t in a.touchpoints}, "the card deleted"
    )
    expect(card(frame, gone.id)).to_have_count(0)
    saved(frame)


def test_rename_a_stage_with_the_keys_and_add_one_at_the_end(page: Page, app: AppServer) -> None:
    map_id = import_small(app)
    before = load(app, map_id)
    stage = before.stages[1]
    frame = open_editor(page, app, map_id)

    frame.locator(f'[data-stage-name="{stage.id}"]').focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Control+A")
    page.keyboard.type("Choose a plan")
    page.keyboard.press("Enter")
    wait_for_map(app, map_id, lambda a: a.stages[1].name == "Choose a plan", "the stage's new name")
    expect(frame.locator(f'[data-stage-name="{stage.id}"]')).to_be_focused()

    frame.get_by_role("button", name="Add a stage at the end of the journey").click()
    frame.locator('.cxe-panel input[name="name"]').fill("Advocacy")
    frame.locator(".cxe-panel").get_by_role("button", name="Save").click()
    after = wait_for_map(app, map_id, lambda a: len(a.stages) == 4, "a fourth stage")
    assert after.stages[-1].name == "Advocacy"
    expect(frame.locator(".cxe-stage").last).to_contain_text("Advocacy")
    expect(frame.locator(".cxe-stage").last).to_contain_text("0 touchpoints")
    saved(frame)
