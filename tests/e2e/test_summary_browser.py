"""The Executive Summary page and the HTML export in a real browser (headless Debian chromium;
the harness blocks every non-local request and fails the test on any page or console error).

* The page at 1400 × 900 (a laptop): the top answers how the journey is doing, where it hurts
  most and what to fix first without scrolling. Screenshots: artifacts/screenshots/
  ``summary-telecom.png`` (that first screen) and ``summary-telecom-full.png`` (all of it).
* The page at 390 × 844 (a phone): the title wraps instead of being clipped, and the three
  answers are on the first screen, above the KPI tiles. Screenshots: ``summary-phone.png`` (the
  first screen) and ``summary-phone-full.png`` (all of it).
* The sidebar's downloads produce real files (PDF, HTML, PowerPoint, the 16:9 slide PNG).
* The HTML export, opened from disk with the network blocked, draws its charts and the canvas.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from cxmap import services
from cxmap.core.config import DEMO_DIR
from tests.e2e.conftest import (
    SCREENSHOTS,
    TIMEOUT_MS,
    AppServer,
    open_app,
    screenshot,
    wait_for_app,
)

TELECOM = "telecom-broadband-onboarding.json"
LAPTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
QUESTIONS = ("How are we doing?", "Where does it hurt most?", "What to fix first?")


def import_demo(app: AppServer, file_name: str = TELECOM) -> int:
    database = app.database()
    try:
        return services.import_file(database, (DEMO_DIR / file_name).read_bytes()).id
    finally:
        database.dispose()


def open_summary(page: Page, app: AppServer, map_id: int) -> None:
    """Open the map on the home page, then the Executive Summary from the sidebar."""
    open_app(page, f"{app.url}/?map={map_id}")
    nav = page.locator(".st-key-cxmap_nav")
    nav.get_by_role("link", name="Executive Summary", exact=True).click()
    wait_for_app(page)
    page.locator(".stPlotlyChart .scatterlayer .trace").first.wait_for()


def in_first_screen(page: Page, text: str) -> bool:
    """Whether ``text`` is visible without scrolling (inside the 900 px viewport)."""
    box = page.get_by_text(text, exact=False).first.bounding_box()
    viewport = page.viewport_size
    assert viewport is not None
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


@pytest.mark.e2e
def test_the_first_screen_answers_the_three_questions(app: AppServer, page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    map_id = import_demo(app)
    open_summary(page, app, map_id)

    page.screenshot(path=str(SCREENSHOTS / "summary-telecom.png"))
    expect(page.get_by_role("heading", name="Executive summary")).to_be_visible()
    metrics = page.get_by_test_id("stMetric")
    expect(metrics).to_have_count(5)
    for label in ("Journey health", "NPS · n = 30", "CSAT % · n = 31", "CES (1–7) · n = 9"):
        expect(metrics.filter(has_text=label)).to_be_visible()
    # How are we doing, where does it hurt, what first: all on the first screen.
    for text in (
        "How are we doing?",
        "Where does it hurt most?",
        "What to fix first?",
        "Compares plans and contract terms",
        "Moments of truth",
    ):
        assert in_first_screen(page, text), f"{text!r} is below the first screen"
    curve = page.locator(".stPlotlyChart").first
    box = curve.bounding_box()
    assert box is not None and box["y"] + box["height"] <= LAPTOP["height"]
    page.screenshot(path=str(SCREENSHOTS / "summary-telecom.png"))
    path = screenshot(page, "summary-telecom-full")
    assert path.stat().st_size > 50_000


@pytest.mark.e2e
def test_on_a_phone_the_first_screen_answers_the_three_questions(
    app: AppServer, page: Page
) -> None:
    """A link opened on a phone (the sidebar folded away): the title is whole and the three
    answers are on the first screen; the KPI tiles and charts follow."""
    page.set_viewport_size(PHONE)
    map_id = import_demo(app)
    open_app(page, f"{app.url}/Executive_Summary?map={map_id}")
    page.locator(".stPlotlyChart .scatterlayer .trace").first.wait_for()
    page.screenshot(path=str(SCREENSHOTS / "summary-phone.png"))

    title = page.get_by_role("heading", name="Executive summary")
    expect(title).to_be_visible()
    width, visible = title.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= visible, f"the title is clipped ({width} px in {visible} px)"
    box = title.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Not hidden under Streamlit's header (which holds the sidebar's button on a phone).
    header = page.get_by_test_id("stHeader").bounding_box()
    assert header is not None and box["y"] >= header["y"] + header["height"] - 1
    for question in QUESTIONS:
        heading = page.get_by_text(question, exact=True).first
        found = heading.bounding_box()
        assert found is not None, question
        assert found["y"] >= 0 and found["y"] + found["height"] <= PHONE["height"], (
            f"{question!r} is below the first screen (y = {found['y']:.0f})"
        )
        assert found["x"] >= 0 and found["x"] + found["width"] <= PHONE["width"]
    # Nothing on the page is wider than the phone (no sideways scrolling).
    overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert overflow <= PHONE["width"]
    screenshot(page, "summary-phone-full")


@pytest.mark.e2e
def test_the_sidebar_downloads_real_files(app: AppServer, page: Page, tmp_path: Path) -> None:
    map_id = import_demo(app)
    open_summary(page, app, map_id)
    sidebar = page.get_by_test_id("stSidebar")
    for label, suffix, starts in (
        ("PDF report", ".pdf", b"%PDF-"),
        ("HTML page (offline)", ".html", b"<!DOCTYPE html>"),
        ("PowerPoint slides", ".pptx", b"PK\x03\x04"),  # a zip, as Office files are
        ("PNG slide of the summary (16:9)", ".slide.png", b"\x89PNG"),
    ):
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            sidebar.get_by_role("button", name=label).click()
        target = tmp_path / f"file{suffix}"
        download.value.save_as(target)
        assert download.value.suggested_filename == f"broadband-onboarding{suffix}"
        assert target.read_bytes().startswith(starts)


@pytest.mark.e2e
def test_the_html_export_works_offline(app: AppServer, browser: Browser, tmp_path: Path) -> None:
    """Opened from disk with every request that is not the file itself aborted."""
    map_id = import_demo(app)
    database = app.database()
    try:
        data = services.export_map(database, map_id, ".html")
        aggregate = services.load_map(database, map_id)
    finally:
        database.dispose()
    path = tmp_path / "broadband.html"
    path.write_bytes(data)

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    blocked: list[str] = []
    errors: list[str] = []

    def route(route: Route) -> None:
        if route.request.url == path.as_uri() or route.request.url.startswith("data:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        page = context.new_page()
        page.route("**/*", route)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        page.wait_for_function("() => (window.cxmapPlotted || 0) >= 5", timeout=TIMEOUT_MS)

        plots = page.locator(".js-plotly-plot")
        expect(plots).to_have_count(5)
        for index in range(5):
            expect(plots.nth(index).locator("svg.main-svg").first).to_be_visible()
        expect(page.locator("#cx-curve .scatterlayer .trace").first).to_be_attached()
        cards = page.locator('.cxj[data-part="head"] .cxj-tp')
        expect(cards).to_have_count(len(aggregate.touchpoints))
        expect(page.locator(".cxj-stage")).to_have_count(len(aggregate.stages))
        table = page.locator("table.data").first
        for touchpoint in aggregate.touchpoints:
            expect(table).to_contain_text(touchpoint.name)
        expect(page.locator(".mot")).to_have_count(6)
        page.screenshot(path=str(SCREENSHOTS / "export-html-telecom.png"), full_page=True)
    finally:
        context.close()
    assert blocked == [], "the page asked for files or hosts besides itself"
    assert errors == []
