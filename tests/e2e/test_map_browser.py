"""The Journey Map page in a real browser (headless Debian chromium, every non-local request
blocked by the harness, which also fails the test on any page or console error).

The page is reached the way people reach it: open the map on the home page, then the
"Journey Map" entry of the sidebar. (Loading the page's own URL directly works too, but makes
Streamlit probe ``/Journey_Map/_stcore/health`` first, two 404s in the console: streamlit#7074.)

Screenshots of the full canvas of each demo map go to artifacts/screenshots/map-*.png.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect

from cxmap import services
from cxmap.core.config import DEMO_DIR
from cxmap.render import canvas
from tests.e2e.conftest import AppServer, open_app, screenshot, wait_for_app

NASTY = "<img src=x onerror=alert(1)>"
SCROLLER = f".st-key-{canvas.SCROLL_KEY}"
DEMO_SHOTS = {
    "map-telecom": "telecom-broadband-onboarding.json",
    "map-grocery": "grocery-online-order.json",
    "map-bank": "bank-account-opening.json",
}

# Centre x of every touchpoint card and of every point of the "All customers" line.
_COLUMNS_AND_POINTS = """
() => {
  const centre = (e) => { const r = e.getBoundingClientRect(); return r.x + r.width / 2; };
  const cards = [...document.querySelectorAll('[data-part="head"] .cxj-tp')].map(centre);
  const line = document.querySelector('.st-key-journey_canvas .scatterlayer .trace');
  const points = line ? [...line.querySelectorAll('.points path')].map(centre) : [];
  return {cards, points};
}
"""


def import_demo(
    app: AppServer,
    file_name: str,
    map_name: str | None = None,
    first_touchpoint: dict[str, Any] | None = None,
) -> int:
    """Import a demo map (optionally renamed, its first touchpoint changed); its id."""
    document = json.loads((DEMO_DIR / file_name).read_text(encoding="utf-8"))
    document["touchpoints"][0].update(first_touchpoint or {})
    database = app.database()
    try:
        return services.import_document(database, document, map_name).id
    finally:
        database.dispose()


def open_map_page(page: Page, app: AppServer, map_id: int) -> None:
    """Open the map on the home page, then go to the Journey Map page from the sidebar."""
    open_app(page, f"{app.url}/?map={map_id}")
    page.locator(".st-key-cxmap_nav").get_by_role("link", name="Journey Map", exact=True).click()
    wait_for_app(page)
    page.locator(f"{SCROLLER} .js-plotly-plot .scatterlayer .trace").first.wait_for()


def full_canvas_screenshot(page: Page, name: str) -> Path:
    """Widen the window until the whole canvas fits, then take the whole app."""
    scroller = page.locator(SCROLLER)
    overflow = scroller.evaluate("e => e.scrollWidth - e.clientWidth")
    viewport = page.viewport_size
    assert viewport is not None
    page.set_viewport_size(
        {"width": viewport["width"] + overflow + 8, "height": viewport["height"]}
    )
    wait_for_app(page)
    expect(scroller).to_have_js_property("scrollLeft", 0)
    try:
        return screenshot(page, name)
    finally:
        page.set_viewport_size(viewport)


@pytest.mark.e2e
def test_the_canvas_scrolls_and_the_curve_lines_up(app: AppServer, page: Page) -> None:
    map_id = import_demo(app, DEMO_SHOTS["map-telecom"])
    open_map_page(page, app, map_id)

    expect(page.get_by_role("heading", name="Broadband onboarding")).to_be_visible()
    scroller = page.locator(SCROLLER)
    expect(scroller).to_be_visible()
    width, visible = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width > visible, "26 touchpoints do not fit a 1400 px window: the canvas scrolls"
    expect(page.locator(f"{SCROLLER} .js-plotly-plot svg.main-svg").first).to_be_visible()

    found = page.evaluate(_COLUMNS_AND_POINTS)
    assert len(found["cards"]) == 26 and len(found["points"]) == 26
    for card, point in zip(found["cards"], found["points"], strict=True):
        assert abs(card - point) <= 1.5, (card, point)

    # Scrolled to the end, the lane labels stay in view and the curve still lines up.
    scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    page.wait_for_timeout(200)
    box = scroller.bounding_box()
    label = page.locator(".cxj-label", has_text="Touchpoints").first.bounding_box()
    assert box and label and abs(label["x"] - box["x"]) <= 1
    found = page.evaluate(_COLUMNS_AND_POINTS)
    assert abs(found["cards"][-1] - found["points"][-1]) <= 1.5
    assert found["cards"][-1] < box["x"] + box["width"]

    # Filters: a channel dims the rest; "Hide the others" leaves them out.
    page.get_by_test_id("stMultiSelect").filter(has_text="Channels").click()
    page.get_by_role("option", name="📞 phone").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    expect(page.locator('[data-part="head"] .cxj-tp:not(.cxj-dim)')).to_have_count(2)
    expect(page.locator('[data-part="head"] .cxj-tp.cxj-dim')).to_have_count(24)
    page.get_by_text("Hide the others").click()
    wait_for_app(page)
    expect(page.locator('[data-part="head"] .cxj-tp')).to_have_count(2)
    found = page.evaluate(_COLUMNS_AND_POINTS)
    assert len(found["points"]) == 2
    for card, point in zip(found["cards"], found["points"], strict=True):
        assert abs(card - point) <= 1.5, (card, point)


@pytest.mark.e2e
def test_a_malicious_touchpoint_name_is_shown_as_text(app: AppServer, page: Page) -> None:
    map_id = import_demo(
        app,
        DEMO_SHOTS["map-telecom"],
        "Hostile names",
        {"name": NASTY, "owner": NASTY, "thought": NASTY},
    )
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_map_page(page, app, map_id)

    expect(page.locator(".cxj-name", has_text=NASTY)).to_have_text(NASTY)
    expect(page.locator(".cxj-owner", has_text=NASTY)).to_have_text(NASTY)
    expect(page.locator(".cxj-bubble", has_text=NASTY)).to_have_text(f"“{NASTY}”")
    expect(page.locator('[data-testid="stMain"] img[src="x"]')).to_have_count(0)
    # Hovering the curve's first point shows the name as text too.
    # (plotly listens on its drag layer, above the points: move the mouse there).
    first_point = page.locator(f"{SCROLLER} .scatterlayer .trace .points path").first
    first_point.scroll_into_view_if_needed()  # a mouse off the screen hovers nothing
    point = first_point.bounding_box()
    assert point is not None
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    expect(page.locator(".hoverlayer")).to_contain_text(NASTY)
    page.wait_for_timeout(300)
    assert dialogs == []


@pytest.mark.e2e
@pytest.mark.parametrize("shot", list(DEMO_SHOTS))
def test_screenshot_of_each_demo_map(app: AppServer, page: Page, shot: str) -> None:
    map_id = import_demo(app, DEMO_SHOTS[shot])
    open_map_page(page, app, map_id)
    path = full_canvas_screenshot(page, shot)
    assert path.stat().st_size > 50_000
