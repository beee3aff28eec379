"""The Friction page in a real browser (headless Debian chromium), offline.

Every request to a host other than localhost is blocked and recorded, and the test fails on any
page error or console error, as the harness (conftest.py) does. One exception, made here: a page
opened by its own URL (``/Friction?map=1``) makes Streamlit's frontend probe whether the app is
served under ``/Friction/``; those two probes answer 404 and the browser logs them as console
errors. They are Streamlit's, not the page's, so only they are let through.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Frame, Locator, Page, expect

from cxmap import services
from cxmap.analysis import scoring
from cxmap.core.config import DEMO_DIR
from tests.e2e.conftest import (
    AppServer,
    PageProblems,
    new_context,
    screenshot,
    wait_for_app,
    watch,
)
from tests.factories import journey_document

TELECOM = DEMO_DIR / "telecom-broadband-onboarding.json"
NASTY_NAME = "<img src=x onerror=alert(1)>"
NASTY_OWNER = "<a href=javascript:alert(1)>x</a>"
NETWORK_FRAME = 'iframe[title="Journey network: touchpoints by stage"]'
_BASE_PATH_PROBE = re.compile(
    r"status of 404 \(Not Found\) \(http://127\.0\.0\.1:\d+/Friction/_stcore/"
    r"(?:health|host-config)\)$"
)


@pytest.fixture
def friction_page(browser: Browser, app_server: AppServer) -> Iterator[Page]:
    """A fresh page; at teardown, fail on anything the harness would (but the probes)."""
    context = new_context(browser)
    page = context.new_page()
    problems: PageProblems = watch(page)
    yield page
    context.close()
    found = [line for line in problems.report() if not _BASE_PATH_PROBE.search(line)]
    if found:
        pytest.fail("the app misbehaved in the browser:\n" + "\n".join(found), pytrace=False)


def import_map(app: AppServer, data: bytes) -> int:
    database = app.database()
    try:
        return services.import_file(database, data).id
    finally:
        database.dispose()


def open_friction(page: Page, app: AppServer, map_id: int) -> None:
    # Streamlit 1.67 serves pages/4_Friction.py at /Friction (number prefix dropped).
    page.goto(f"{app.url}/Friction?map={map_id}")
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    wait_for_app(page)


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_for_app(page)


def metric_value(page: Page, label: str) -> Locator:
    """The value of a metric (``expect(...).to_have_text``: it waits for the rerun's value)."""
    metric = page.get_by_test_id("stMetric").filter(has_text=label)
    return metric.get_by_test_id("stMetricValue")


def network_frame(page: Page) -> Frame:
    handle = page.locator(NETWORK_FRAME).element_handle()
    assert handle is not None, "the network's iframe is on the page"
    frame = handle.content_frame()
    assert frame is not None
    return frame


def wait_for_drawn_network(frame: Frame) -> dict[str, int]:
    """Wait until vis-network has drawn on a visible canvas; return its size and ink."""
    frame.wait_for_function(
        """() => {
             const canvas = document.querySelector('#mynetwork canvas');
             return !!canvas && canvas.width > 0 && canvas.height > 0
               && typeof network !== 'undefined' && network.body
               && Object.keys(network.body.nodes).length > 0;
           }"""
    )
    frame.wait_for_timeout(300)  # let the fit after the tab became visible draw
    size: dict[str, int] = frame.evaluate(
        """() => {
             const canvas = document.querySelector('#mynetwork canvas');
             const pixels = canvas.getContext('2d')
               .getImageData(0, 0, canvas.width, canvas.height).data;
             let ink = 0;
             for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) ink++; }
             return {width: canvas.clientWidth, height: canvas.clientHeight, ink: ink};
           }"""
    )
    return size


def hover_node(page: Page, frame: Frame, node_id: int) -> str:
    """Move the mouse onto a touchpoint of the network; return its tooltip's text."""
    box = page.locator(NETWORK_FRAME).bounding_box()
    assert box is not None
    spot = frame.evaluate("(id) => network.canvasToDOM(network.getPositions([id])[id])", node_id)
    canvas = frame.evaluate(
        "() => { const r = document.querySelector('#mynetwork').getBoundingClientRect();"
        " return {x: r.left, y: r.top}; }"
    )
    page.mouse.move(box["x"] + canvas["x"] + spot["x"], box["y"] + canvas["y"] + spot["y"])
    tooltip = frame.locator("div.vis-tooltip")
    expect(tooltip).to_be_visible()
    return tooltip.inner_text()


@pytest.mark.e2e
def test_the_telecom_map_offline(app: AppServer, friction_page: Page) -> None:
    page = friction_page
    map_id = import_map(app, TELECOM.read_bytes())
    database = app.database()
    try:
        analysis = services.analyze_map(database, map_id)
        aggregate = services.load_map(database, map_id)
    finally:
        database.dispose()
    top = analysis.ranked()[0]

    open_friction(page, app, map_id)
    expect(page.get_by_role("heading", name="Friction and moments of truth")).to_be_visible()
    expect(metric_value(page, "Journey health")).to_have_text(f"{analysis.health:.0f}/100")
    expect(metric_value(page, "Customers who complete")).to_have_text(f"{analysis.completion:.0%}")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    cells = page.locator('[data-testid="stDataFrame"] td[role="gridcell"][aria-colindex="2"]')
    expect(cells.first).to_have_text(top.name)
    screenshot(page, "friction-telecom")

    open_tab(page, "Moments of truth")
    for moment in analysis.moments_of_truth:
        expect(page.get_by_text(f"★ {moment.name}", exact=True)).to_be_visible()
    screenshot(page, "friction-telecom-moments")

    open_tab(page, "Journey network")
    frame = network_frame(page)
    drawn = wait_for_drawn_network(frame)
    assert drawn["width"] > 600 and drawn["height"] > 400, drawn
    assert drawn["ink"] > 10_000, "the network drew nodes and edges on its canvas"
    text = hover_node(page, frame, top.id)
    assert top.name in text and "Moment of truth" in text
    assert f"friction {top.friction:.0f}/100" in text
    screenshot(page, "friction-telecom-network")

    open_tab(page, "Where friction sits")
    expect(page.get_by_text("Most likely path", exact=True)).to_be_visible()
    names = {t.key: t.name for t in analysis.touchpoints}
    for path in (analysis.most_likely_path, analysis.worst_path):
        expect(page.get_by_text(" → ".join(names[k] for k in path), exact=True)).to_be_visible()
    screenshot(page, "friction-telecom-heatmap")

    open_tab(page, "What if…")
    worst = max(aggregate.pain_points, key=lambda p: (p.severity * p.frequency, -p.id))
    fixed = scoring.analyze(
        scoring.apply_what_if(aggregate, scoring.WhatIf(fixed_pain_points=frozenset({worst.id}))),
        scoring.ScoringSettings.from_dict(aggregate.map.settings),
    )
    picker = page.get_by_test_id("stMultiSelect").filter(has_text="Fix these pain points")
    picker.click()
    # The first option is Streamlit's "Select all": pick the worst pain point by its text.
    touchpoint = next(t for t in aggregate.touchpoints if t.id == worst.touchpoint_id)
    page.get_by_role("option", name=re.compile(f"^{re.escape(touchpoint.name)}: ")).click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    expect(metric_value(page, "Health with these changes")).to_have_text(f"{fixed.health:.1f}/100")
    assert fixed.health > analysis.health
    expect(metric_value(page, "Journey health")).to_have_text(f"{analysis.health:.0f}/100")
    screenshot(page, "friction-telecom-whatif")

    page.get_by_test_id("stExpander").filter(has_text="Scoring settings").click()
    expect(page.get_by_role("spinbutton", name="Pain points")).to_have_value("0.25")
    expect(page.get_by_role("button", name="Save for this map")).to_be_visible()
    page.wait_for_timeout(400)  # the expander's opening animation
    screenshot(page, "friction-telecom-settings")


@pytest.mark.e2e
def test_user_text_never_runs_as_code(app: AppServer, friction_page: Page) -> None:
    page = friction_page
    document = journey_document(stages=3, touchpoints_per_stage=2)
    document["touchpoints"][0].update(name=NASTY_NAME, owner=NASTY_OWNER, moment_of_truth=True)
    map_id = import_map(app, json.dumps(document).encode())
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_friction(page, app, map_id)

    open_tab(page, "Moments of truth")
    expect(page.get_by_text(f"★ {NASTY_NAME}", exact=True)).to_be_visible()
    expect(page.get_by_text(f"Stage 1 · app · {NASTY_OWNER}", exact=True)).to_be_visible()

    open_tab(page, "Journey network")
    frame = network_frame(page)
    wait_for_drawn_network(frame)
    database = app.database()
    try:
        nasty_id = services.load_map(database, map_id).touchpoints[0].id
    finally:
        database.dispose()
    text = hover_node(page, frame, nasty_id)
    assert NASTY_NAME in text and NASTY_OWNER in text
    assert frame.locator("img, a[href^='javascript']").count() == 0
    screenshot(page, "friction-nasty-network")

    open_tab(page, "What to fix first")
    assert page.locator("img[src='x'], a[href^='javascript']").count() == 0
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    screenshot(page, "friction-nasty")
    assert dialogs == []


@pytest.mark.e2e
def test_without_a_map_the_page_points_home(app: AppServer, friction_page: Page) -> None:
    page = friction_page
    page.goto(f"{app.url}/Friction")
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    wait_for_app(page)
    expect(page.get_by_text("No map is selected", exact=False)).to_be_visible()
    page.get_by_role("link", name="Go to the journey maps").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(rf"^{re.escape(app.url)}/?$"))
