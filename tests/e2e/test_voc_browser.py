"""The Voice of the Customer page in a real browser (headless Debian chromium, offline; the
harness fails the test on any page or console error or non-local request).

A user opens the page for a map, uploads a small survey export (NPS, a comment, a date and a
touchpoint column; one row with NPS 11, one in Persian), keeps the proposed columns, reads the
preview (the bad row named by its row and column), chooses to leave it out, imports, and reads
NPS per stage on the Evidence tab. Screenshots: artifacts/screenshots/voc-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from cxmap import services
from cxmap.analysis import metrics
from cxmap.core.config import DEMO_DIR
from tests.e2e.conftest import AppServer, click_until_url, open_app, screenshot, wait_for_app
from tests.e2e.test_builder_browser import editor_opens

NASTY = "<img src=x onerror=alert(1)>"
PERSIAN = "نصب خیلی طول کشید و تکنسین دیر آمد"
SURVEY = (
    "Date,NPS,Comment,Touchpoint\n"
    "2026-01-10,9,Loved the TV ad with the dog,Sees TV ad\n"
    "2026-01-15,10,Checkout was quick and clear,Online checkout\n"
    "2026-02-03,3,The technician came two days late,installation\n"
    "2026-02-04,11,Way too slow,Support call\n"
    f"2026-02-20,6,{PERSIAN},technician installation visit\n"
    "2026-03-01,8,Support solved it on the first call,SUPPORT CALL\n"
)
ROW_HEIGHT = 35  # px, Streamlit's dataframe rows (and header)
TOUCHPOINTS = {
    "Awareness": "Sees TV ad",
    "Purchase": "Online checkout",
    "Onboarding": "Technician installation visit",
    "Support": "Support call",
}


def prepare_map(app: AppServer) -> int:
    """A map with the six standard stages and one touchpoint in four of them; no feedback."""
    database = app.database()
    try:
        journey = services.create_map(database, "Broadband", with_standard_stages=True)
        stages = {s.name: s.id for s in services.load_map(database, journey.id).stages}
        for stage, name in TOUCHPOINTS.items():
            services.create_row(
                database, journey.id, "touchpoint", {"stage_id": stages[stage], "name": name}
            )
        return journey.id
    finally:
        database.dispose()


def open_voc(page: Page, app: AppServer, map_id: int) -> None:
    """Open the map on the home page, then the page from the sidebar (as people do)."""
    open_app(page, f"{app.url}/?map={map_id}")
    nav = page.locator(".st-key-cxmap_nav")
    link = nav.get_by_role("link", name="Voice of Customer", exact=True)
    click_until_url(page, link, re.compile(r"/Voice_of_Customer(\?|$)"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="📣 Voice of the customer")).to_be_visible()


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_for_app(page)


def combobox(page: Page, label: str) -> Locator:
    return page.get_by_role("combobox", name=label, exact=True)


def metric(page: Page, label: str) -> Locator:
    found = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
    return found.get_by_test_id("stMetricValue")


def add_rule(page: Page, pattern: str, touchpoint: str) -> None:
    """Write a keyword rule in the rules editor (a canvas grid: click its cells, then type).

    On a busy machine a rerun can redraw the grid while a cell editor is open, dropping what
    was typed; each cell is typed again until the grid's own table shows it.
    """
    editor = page.locator("[class*='st-key-voc_rules_'] [data-testid='stDataFrame']")
    first_row = editor.locator("tbody tr").first

    def row_text() -> str:
        return " ".join(first_row.locator("td").all_text_contents()) if first_row.count() else ""

    for _ in range(6):
        editor.scroll_into_view_if_needed()
        box = editor.bounding_box()
        assert box is not None
        row_y = box["y"] + ROW_HEIGHT * 1.5  # the first row under the header
        if pattern not in row_text():
            # The empty row: a click adds a rule and may open its first cell by itself; a
            # double click opens it otherwise. Type only into an open editor, and check.
            page.mouse.click(box["x"] + 150, row_y)
            if not editor_opens(page, 2_000):
                wait_for_app(page)
                page.mouse.dblclick(box["x"] + 150, row_y)
            if not editor_opens(page, 5_000):
                page.keyboard.press("Escape")
                wait_for_app(page)
                continue
            page.keyboard.press("Control+A")
            page.keyboard.type(pattern)
            if page.evaluate("() => document.activeElement.value") != pattern:
                page.keyboard.press("Escape")  # keys lost while the editor opened: again
                wait_for_app(page)
                continue
            page.keyboard.press("Enter")
            wait_for_app(page)
        if pattern in row_text() and touchpoint not in row_text():
            page.mouse.click(box["x"] + box["width"] - 200, row_y)
            options = page.get_by_role("option").first
            try:  # a click on the cell already selected opens its list by itself ...
                options.wait_for(state="visible", timeout=1_000)
            except PlaywrightTimeoutError:  # ... any other cell opens on Enter (which would
                page.keyboard.press("Enter")  # close a list that is open)
            try:
                page.get_by_role("option").first.wait_for(state="visible", timeout=10_000)
            except PlaywrightTimeoutError:  # the click landed during a redraw: again
                page.keyboard.press("Escape")
                wait_for_app(page)
                continue
            page.keyboard.type(touchpoint)
            expect(page.get_by_role("option", name=touchpoint).first).to_be_visible()
            page.keyboard.press("Enter")
            wait_for_app(page)
        if pattern in row_text() and touchpoint in row_text():
            return
    shot = screenshot(page, "voc-failed-rule")
    raise AssertionError(f"the rule {pattern!r} → {touchpoint!r} did not take (see {shot})")


@pytest.mark.e2e
def test_import_a_survey_file_and_read_nps_per_stage(app: AppServer, page: Page) -> None:
    map_id = prepare_map(app)
    open_voc(page, app, map_id)
    expect(page.get_by_text("This map has no customer feedback yet")).to_be_visible()

    open_tab(page, "📥 Import a file")
    uploader = page.get_by_test_id("stFileUploader").locator("input[type=file]")
    uploader.set_input_files(
        files=[{"name": "survey.csv", "mimeType": "text/csv", "buffer": SURVEY.encode()}]
    )
    wait_for_app(page)
    expect(page.get_by_text("survey.csv: 6 rows, 4 columns.", exact=False)).to_be_visible()
    # Clear headers: the proposed columns are already right.
    expect(combobox(page, "NPS answer (0–10)")).to_have_value("NPS")
    expect(combobox(page, "Verbatim (comment text)")).to_have_value("Comment")
    expect(combobox(page, "Date")).to_have_value("Date")
    expect(combobox(page, "Touchpoint (name or key)")).to_have_value("Touchpoint")

    # "installation" names no touchpoint: a keyword rule links the row by its text.
    expect(page.get_by_text("1 row names a touchpoint this map does not have")).to_be_visible()
    expect(metric(page, "Linked to a touchpoint")).to_have_text("4")
    add_rule(page, "technician|install", "Technician installation visit")
    expect(metric(page, "Linked to a touchpoint")).to_have_text("5")

    # The preview, before anything is saved: the bad row named, the Persian row announced.
    problem = page.get_by_text("row 5, column 'NPS': nps: 11 is outside 0…10", exact=False)
    expect(problem).to_be_visible()
    expect(page.get_by_text("1 row is not in English", exact=False)).to_be_visible()
    import_button = page.get_by_role("button", name="Import 5 rows")
    expect(import_button).to_be_disabled()
    expect(page.get_by_text("Correct the file and upload it again", exact=False)).to_be_visible()
    database = app.database()
    try:
        assert services.load_map(database, map_id).feedback == [], "nothing saved yet"
    finally:
        database.dispose()
    leave_out = page.get_by_text("Import 5 good rows, leave out 1 row with problems")
    leave_out.scroll_into_view_if_needed()
    screenshot(page, "voc-import-preview")

    leave_out.click()
    wait_for_app(page)
    expect(import_button).to_be_enabled()
    import_button.click()
    wait_for_app(page)
    expect(
        page.get_by_text("Imported 5 feedback rows from survey.csv.", exact=False)
    ).to_be_visible()
    expect(page.get_by_text("1 row with problems was left out", exact=False)).to_be_visible()
    expect(page.get_by_text("was already imported into this map", exact=False)).to_be_visible()

    database = app.database()
    try:
        aggregate = services.load_map(database, map_id)
    finally:
        database.dispose()
    assert len(aggregate.feedback) == 5
    persian = next(f for f in aggregate.feedback if f.text == PERSIAN)
    assert (persian.language, persian.sentiment) == ("fa", None)
    assert all(f.touchpoint_id is not None for f in aggregate.feedback), "names, any case"

    open_tab(page, "📊 Evidence")
    expected = metrics.nps(f.nps for f in aggregate.feedback)
    expect(metric(page, "NPS")).to_have_text(f"{expected.value:.0f}")
    expect(page.get_by_text("1 verbatim is not scored", exact=False)).to_be_visible()
    # NPS per stage: the chart's bars carry value and n (Onboarding: a 3 and a 6).
    chart = page.locator(".js-plotly-plot").first
    expect(chart.locator(".ytick", has_text="Onboarding")).to_be_visible()
    expect(chart.get_by_text("-100 (n = 2)", exact=True)).to_be_visible()
    expect(chart.get_by_text("100 (n = 1)", exact=True)).to_have_count(2)  # Awareness, Purchase
    expect(chart.get_by_text("0 (n = 1)", exact=True)).to_be_visible()  # Support: an 8
    expect(page.get_by_text("NPS and CSAT by month")).to_be_visible()
    page.wait_for_timeout(300)  # the charts finish their transition
    screenshot(page, "voc-evidence")


@pytest.mark.e2e
def test_a_file_that_is_not_a_survey_is_named_in_the_error(app: AppServer, page: Page) -> None:
    map_id = prepare_map(app)
    open_voc(page, app, map_id)
    open_tab(page, "📥 Import a file")
    uploader = page.get_by_test_id("stFileUploader").locator("input[type=file]")
    uploader.set_input_files(
        files=[{"name": "photo.csv", "mimeType": "text/csv", "buffer": bytes(range(256)) * 8}]
    )
    wait_for_app(page)
    expect(
        page.get_by_text(re.compile(r"photo\.csv: this is not a CSV or Excel file"))
    ).to_be_visible()


def import_demo(app: AppServer, file_name: str) -> int:
    database = app.database()
    try:
        return services.import_file(database, (DEMO_DIR / file_name).read_bytes()).id
    finally:
        database.dispose()


def tick_rows(page: Page, table: Locator, rows: list[int]) -> None:
    """Tick rows of a selectable dataframe: its grid is a canvas, so click the row markers."""
    box = table.bounding_box()
    assert box is not None
    for row in rows:
        page.mouse.click(box["x"] + 16, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
        wait_for_app(page)


@pytest.mark.e2e
def test_close_the_loop_on_a_demo_map(app: AppServer, page: Page) -> None:
    map_id = import_demo(app, "telecom-broadband-onboarding.json")
    open_voc(page, app, map_id)
    expect(
        page.get_by_role("heading", name="By stage, touchpoint, segment, source or month")
    ).to_be_visible()
    page.wait_for_timeout(300)
    screenshot(page, "voc-evidence-demo")

    open_tab(page, "🔁 Close the loop")
    search = page.get_by_role("textbox", name="Search the verbatims")
    search.fill("technician")
    search.press("Enter")
    wait_for_app(page)
    table = page.get_by_test_id("stDataFrame").first
    tick_rows(page, table, [0, 1])
    expect(page.get_by_text("2 verbatims picked", exact=False)).to_be_visible()
    page.get_by_role("button", name="Create pain point").click()
    wait_for_app(page)
    expect(page.get_by_text("with 2 verbatims as evidence", exact=False)).to_be_visible()

    database = app.database()
    try:
        aggregate = services.load_map(database, map_id)
    finally:
        database.dispose()
    created = aggregate.pain_points[-1]
    evidence = [e.feedback_id for e in aggregate.evidence if e.pain_point_id == created.id]
    texts = [f.text for f in aggregate.feedback if f.id in evidence]
    assert len(texts) == 2 and all("technician" in t.lower() for t in texts)
    page.get_by_role("heading", name="Evidence on the map").scroll_into_view_if_needed()
    screenshot(page, "voc-close-the-loop")


@pytest.mark.e2e
def test_names_and_verbatims_that_look_like_html_stay_text(app: AppServer, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    database = app.database()
    try:
        journey = services.create_map(database, NASTY)
        stage = services.create_row(database, journey.id, "stage", {"name": NASTY})
        touchpoint = services.create_row(
            database, journey.id, "touchpoint", {"stage_id": stage.id, "name": NASTY}
        )
        for nps in (3, 10):
            services.create_row(
                database,
                journey.id,
                "feedback",
                {"touchpoint_id": touchpoint.id, "text": f"{NASTY} **{nps}**", "nps": nps},
            )
        map_id = journey.id
    finally:
        database.dispose()
    open_voc(page, app, map_id)
    chart = page.locator(".js-plotly-plot").first
    expect(chart.locator(".ytick", has_text=NASTY)).to_be_visible()
    # As text in the page's caption and under the sidebar's links.
    for area in ("stMain", "stSidebar"):
        expect(page.get_by_test_id(area).get_by_text(f"Map: {NASTY}", exact=False)).to_be_visible()
    open_tab(page, "🔁 Close the loop")
    tick_rows(page, page.get_by_test_id("stDataFrame").first, [0])
    expect(page.get_by_text(f"“{NASTY} **", exact=False)).to_be_visible()
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert page.locator("img[src='x']").count() == 0
    assert dialogs == []


@pytest.mark.e2e
def test_a_large_file_is_scored_in_worker_processes_under_streamlit(
    app: AppServer, page: Page
) -> None:
    """10,000 rows: enough chunks for two scoring processes, started from the app server
    (whose ``__main__`` is Streamlit's command line, hidden from the workers)."""
    map_id = prepare_map(app)
    lines = ["NPS,Comment"] + [
        f'{i % 11},"The {"friendly" if i % 2 else "rude"} technician, visit {i}"'
        for i in range(10_000)
    ]
    open_voc(page, app, map_id)
    open_tab(page, "📥 Import a file")
    uploader = page.get_by_test_id("stFileUploader").locator("input[type=file]")
    uploader.set_input_files(
        files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}]
    )
    wait_for_app(page)
    page.get_by_role("button", name="Import 10,000 rows").click()
    wait_for_app(page, timeout=180_000)  # 10,000 rows scored: minutes on a busy machine
    expect(
        page.get_by_text("Imported 10,000 feedback rows from big.csv.", exact=False)
    ).to_be_visible()
    expect(page.get_by_text("10,000 scored now", exact=False)).to_be_visible()
    database = app.database()
    try:
        feedback = services.load_map(database, map_id).feedback
    finally:
        database.dispose()
    assert len(feedback) == 10_000
    by_text = {f.text: f.sentiment for f in feedback}
    assert by_text["The friendly technician, visit 1"] > 0.05
    assert by_text["The rude technician, visit 9998"] < -0.05
