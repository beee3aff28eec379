"""The executive summary (cxmap/analysis/executive.py) and its exports (cxmap/render/report/),
opened with real readers.

* What the summary says: tiles, answers, the next step, opportunities by corner.
* HTML: one self-contained file (parsed here; tests/e2e/test_summary_browser.py opens it in
  chromium with the network blocked).
* PDF: pypdf reads every touchpoint name, ≥ 4 pages, embedded fonts; a map with Persian names
  is rendered to PNG with poppler's ``pdftoppm`` (artifacts/screenshots/pdf-persian-*.png, to
  look at) and its words are extracted as text (so they are real glyphs, not boxes).
* PNG: the canvas at 2× (or the overview for a wide map), with sensible dimensions; the 16:9
  slide exactly 1920 × 1080 with ink on it (artifacts/screenshots/export-slide-*.png).
* PowerPoint: read back with python-pptx: the slides, the answers' words, the KPIs with n, the
  top to fix, the charts as pictures, Persian names intact.

PDF and PNG need Debian's chromium: without it those tests skip with the reason (fail under
``CI=true``); the error users get then is tested with a browser path that does not exist.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from cxmap import services
from cxmap.analysis import scoring
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context
from cxmap.core.messages import render
from cxmap.core.records import JourneyAggregate
from cxmap.formats import journey_file
from cxmap.render import canvas, charts, report
from cxmap.store.db import Database
from tests.factories import journey_document

DEMOS = sorted(DEMO_DIR.glob("*.json"))
IN_CI = os.environ.get("CI", "").lower() == "true"
SHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
NASTY = "<img src=x onerror=alert(1)></script>"
PERSIAN = {
    "t14": "بازدید تکنسین برای نصب",
    "t12": "رزرو نوبت نصب",
    "t17": "دریافت اولین قبض",
    "t1": "دیدن آگهی تلویزیونی",
    "t10": "بررسی اعتبار مشتری",
    "t19": "تماس با مرکز پشتیبانی",
}
PERSIAN_STAGE = "نصب و راه‌اندازی"  # with a zero-width non-joiner, as Persian is written
PERSIAN_MAP = "ثبت‌نام اینترنت خانگی"


def demo(path: Path) -> JourneyAggregate:
    return journey_file.document_aggregate(journey_file.parse_document(path.read_bytes()))


def summary_of(aggregate: JourneyAggregate) -> report.ExecutiveSummary:
    return report.executive_summary(
        aggregate, scoring.analyze(aggregate), exported=dt.date(2026, 11, 2)
    )


@pytest.fixture(scope="module")
def chromium() -> Path:
    found = report.find_chromium()
    if found is None:
        reason = "no Chromium (/usr/bin/chromium or BROWSER_PATH): PDF and PNG cannot render"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the exports must be tested)")
        pytest.skip(reason)
    return found


def persian_document() -> dict[str, Any]:
    """The telecom demo with Persian touchpoint, stage, owner and map names (document edit)."""
    document = json.loads((DEMO_DIR / "telecom-broadband-onboarding.json").read_text("utf-8"))
    for touchpoint in document["touchpoints"]:
        touchpoint["name"] = PERSIAN.get(touchpoint["key"], touchpoint["name"])
        if touchpoint["key"] == "t14":
            touchpoint["owner"] = "خدمات میدانی"
    document["stages"][3]["name"] = PERSIAN_STAGE
    document["map"]["name"] = PERSIAN_MAP
    return document


def words(text: str) -> str:
    """All whitespace as single spaces (PDF text wraps names over lines)."""
    return " ".join(text.split())


# ---------------------------------------------------------------- what the summary says


def test_tiles_show_n_and_the_change_on_the_period_before() -> None:
    result = summary_of(demo(DEMO_DIR / "telecom-broadband-onboarding.json"))
    tiles = {t.label: t for t in result.tiles()}
    assert list(tiles) == ["Journey health", "Completion", "NPS", "CSAT %", "CES (1–7)"]
    assert (tiles["Journey health"].value, tiles["Completion"].value) == ("77/100", "61%")
    # NPS now (15 promoters − 10 detractors) / 30 = +16.7; before (4 − 18) / 30 = −46.7.
    nps = tiles["NPS"]
    assert (nps.value, nps.n, nps.change) == ("+17", 30, "+63 points")
    assert nps.change_text == "+63 points vs the 90 days before"
    assert tiles["CES (1–7)"].detail.startswith("n = 9 · 67% agree, 95% 35…88%")


def test_without_dates_there_is_no_trend_and_it_says_so() -> None:
    aggregate = demo(DEMO_DIR / "telecom-broadband-onboarding.json")
    undated = replace(aggregate, feedback=[replace(f, created_at=None) for f in aggregate.feedback])
    tiles = summary_of(undated).tiles()
    assert [t.change for t in tiles] == [None] * 5
    # Without dates every answer counts: 93 NPS answers, (29 promoters − 38 detractors) / 93.
    assert (tiles[2].value, tiles[2].n, tiles[2].note) == ("-10", 93, "no dates: no trend")
    empty = summary_of(replace(aggregate, feedback=[])).tiles()
    assert [(t.value, t.note) for t in empty[2:]] == [
        ("–", "No NPS answers yet"),
        ("–", "No CSAT % answers yet"),
        ("–", "No CES (1–7) answers yet"),
    ]


def test_answers_name_where_it_hurts_and_what_to_fix_first() -> None:
    result = summary_of(demo(DEMO_DIR / "telecom-broadband-onboarding.json"))
    assert [t.name for t in result.top] == [t.name for t in result.analysis.ranked()[:5]]
    answers = result.answers()
    # Data: what the sentence says, as a code and its numbers …
    assert answers.how.code == "summary.how"
    nps = answers.how.params["nps"]
    assert (nps.code, nps.params["n"], round(nps.params["nps"])) == ("summary.how_nps", 30, 17)
    assert nps.params["movement"].params["movement"].code == "summary.up"
    assert (answers.where.code, answers.where.params["touchpoint"]) == (
        "summary.where",
        "Technician installation visit",
    )
    assert (answers.what.code, answers.what.params["rank"]) == ("summary.what", 1)
    # … and the English an executive reads.
    assert render(answers.how) == (
        "Health 77/100; 61% of customers complete the journey; NPS +17 (n = 30), up 63 points "
        "on the 90 days before."
    )
    assert render(answers.where).startswith(
        "Technician installation visit (Field Service): friction 72"
    )
    assert render(answers.what) == (
        "Technician installation visit (#1 by impact): “Live technician tracking with an 'on my "
        "way' text and arrival time”, in progress (effort 3 of 5)."
    )
    assert [q for q, _ in answers.questions()] == [
        "How are we doing?",
        "Where does it hurt most?",
        "What to fix first?",
    ]


def test_the_next_step_skips_done_work_and_falls_back_to_the_next_touchpoint() -> None:
    aggregate = demo(DEMO_DIR / "telecom-broadband-onboarding.json")
    top = summary_of(aggregate).top
    first = top[0]
    done = [
        replace(o, status="done") if o.touchpoint_id == first.id else o
        for o in aggregate.opportunities
    ]
    step = report.next_step(replace(aggregate, opportunities=done), top)
    assert step is not None and step.rank == 2 and step.touchpoint.name == top[1].name
    assert report.next_step(replace(aggregate, opportunities=[]), top) is None
    no_idea = summary_of(replace(aggregate, opportunities=[])).answers().what
    assert no_idea.code == "summary.what_no_idea" and "no open opportunity yet" in render(no_idea)


def test_opportunities_are_ranked_by_corner_then_value_per_effort() -> None:
    aggregate = demo(DEMO_DIR / "telecom-broadband-onboarding.json")
    ranked = report.ranked_opportunities(aggregate)
    corners = [p.quadrant for p in ranked]
    order = list(charts.MATRIX_QUADRANTS.values())
    assert corners == sorted(corners, key=lambda c: order.index(c) if c else len(order))
    first = ranked[0].opportunity
    # Win–win, open: (80 + 55) / effort 2 = 67.5 beats tracking (85 + 60) / 3 = 48.3.
    assert first.title.startswith("Explain the first bill")
    assert ranked[0].touchpoint == "Receives the first bill"


@pytest.mark.parametrize(
    ("customer", "business", "corner"),
    [
        (50, 50, "Do first: win–win"),
        (49, 100, "Check the CX cost: for the business"),
        (100, 0, "Goodwill: for customers"),
        (0, 49.9, "Park: little value"),
    ],
)
def test_matrix_corners(customer: float, business: float, corner: str) -> None:
    assert charts.quadrant(customer, business) == corner


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain text", "Plain text"),
        ("★ moment 📱 → next", "* moment  -> next"),
        ("رزرو نوبت نصب", "رزرو نوبت نصب"),  # all Persian: left alone (the paragraph is RTL)
        ("Step: ثبت‌نام (2)", "Step: \u2067ثبت\u200cنام\u2069 (2)"),
        ("A دو سه B چهار", "A \u2067دو سه\u2069 B \u2067چهار\u2069"),
    ],
)
def test_pdf_text_drops_what_no_font_has_and_isolates_persian_runs(
    text: str, expected: str
) -> None:
    assert report.pdf_text(text) == expected


# ---------------------------------------------------------------- HTML


class Collector(HTMLParser):
    """Text, tags and attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.script_depth += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.script_depth -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.script_depth:
            self.text.append(data)


@pytest.mark.parametrize("path", DEMOS, ids=lambda p: p.stem)
def test_html_is_one_self_contained_page(path: Path) -> None:
    aggregate = demo(path)
    page = report.to_html(summary_of(aggregate))
    parsed = Collector()
    parsed.feed(page)
    text = words(" ".join(parsed.text))
    for touchpoint in aggregate.touchpoints:
        assert words(touchpoint.name) in text, touchpoint.name
    for moment in summary_of(aggregate).analysis.moments_of_truth:
        assert f"★ {moment.name}" in text
    # Nothing is loaded from elsewhere: no src or href to another file or host.
    linked = [
        a.get("src") or a.get("href") for _, a in parsed.tags if a.get("src") or a.get("href")
    ]
    assert linked == []
    assert page.count("Plotly.newPlot(") == 5 and page.count("<script>") == 6
    assert len(page) > 4_000_000, "plotly.js is inlined"
    assert '<div class="cxj" data-part="head">' in page and 'data-part="tail"' in page


def test_html_escapes_every_user_string() -> None:
    document = journey_document(stages=2)
    document["map"]["name"] = NASTY
    document["touchpoints"][0].update(name=NASTY, owner=NASTY, thought=NASTY)
    document["opportunities"][0]["title"] = NASTY
    document["touchpoints"][0]["moment_of_truth"] = True
    aggregate = journey_file.document_aggregate(document)
    page = report.to_html(summary_of(aggregate))
    assert NASTY not in page and "<img src=x" not in page
    assert html.escape(NASTY) in page
    # Inside the charts' JSON, "</script>" cannot end the script element early.
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    assert len(scripts) == 6


def test_html_of_an_empty_map_says_what_is_missing() -> None:
    full = demo(DEMOS[0])
    aggregate = JourneyAggregate(map=full.map, stages=full.stages)
    page = report.to_html(summary_of(aggregate))
    assert "No touchpoints yet: nothing to draw." in page
    assert "No opportunities recorded yet." in page
    assert page.count("Plotly.newPlot(") == 0


# ---------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def demo_pdfs(chromium: Path) -> dict[str, tuple[JourneyAggregate, bytes]]:
    return {path.stem: (demo(path), report.to_pdf(summary_of(demo(path)))) for path in DEMOS}


@pytest.mark.parametrize("stem", [p.stem for p in DEMOS])
def test_pdf_of_each_demo_holds_every_touchpoint(
    demo_pdfs: dict[str, tuple[JourneyAggregate, bytes]], stem: str
) -> None:
    aggregate, data = demo_pdfs[stem]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 4
    text = words(" ".join(page.extract_text() for page in reader.pages))
    for touchpoint in aggregate.touchpoints:
        assert words(touchpoint.name) in text, touchpoint.name
    assert aggregate.map.name in text
    assert "Moments of truth" in text and "Customers at risk (an estimate)" in text
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595), "A4 landscape"
    fonts = embedded_fonts(reader)
    assert {"NotoSans", "NotoSansBold"} <= {re.sub(r"^[A-Z]{6}\+", "", f) for f in fonts}


def embedded_fonts(reader: PdfReader) -> set[str]:
    """Names of the fonts whose program is embedded in the file."""
    found = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    found.add(str(descriptor["/FontName"]).lstrip("/"))
    return found


@pytest.fixture(scope="module")
def persian_pdf(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("persian")
    ctx = Context(Database(f"sqlite:///{folder / 'fa.db'}"))
    ctx.db.migrate()
    try:
        journey = services.import_document(ctx, persian_document())
        return services.export_map(ctx, journey.id, ".pdf")
    finally:
        ctx.db.dispose()


def test_persian_names_are_real_connected_text(persian_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(persian_pdf))
    fonts = {re.sub(r"^[A-Z]{6}\+", "", f) for f in embedded_fonts(reader)}
    assert {"NotoNaskhArabic", "NotoNaskhArabicBold"} & fonts
    text = " ".join(page.extract_text() for page in reader.pages)
    # Shaped glyphs map back to their letters: every word is there (glyph boxes would not be).
    for name in [*PERSIAN.values(), PERSIAN_MAP, PERSIAN_STAGE]:
        for word in name.replace("\u200c", " ").split():
            assert word in text.replace("\u200c", " "), (name, word)


def test_persian_journey_map_page_renders(persian_pdf: bytes, tmp_path: Path) -> None:
    """Render the cover and the journey map to PNG for people to look at (poppler)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: cannot render the PDF to look")
    source = tmp_path / "fa.pdf"
    source.write_bytes(persian_pdf)
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "2",
            str(source),
            str(SHOTS / "pdf-persian"),
        ],
        check=True,
        timeout=60,
    )
    pages = sorted(SHOTS.glob("pdf-persian-*.png"))
    assert len(pages) >= 2
    for page in pages[:2]:
        with Image.open(page) as image:
            width, height = image.size  # A4 landscape at 110 dpi
            assert abs(width - 1286) <= 2 and abs(height - 909) <= 2
            # Not blank: the page has ink.
            assert image.convert("L").getextrema()[0] < 80


# ---------------------------------------------------------------- PNG


def test_png_is_the_canvas_at_twice_the_css_size(chromium: Path) -> None:
    aggregate = demo(DEMO_DIR / "telecom-broadband-onboarding.json")
    data = report.to_png(summary_of(aggregate))
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        columns = len(canvas.layout_columns(aggregate))
        assert width == report.PNG_SCALE * (canvas.LABEL_WIDTH + canvas.COLUMN_WIDTH * columns + 32)
        assert 1500 <= height <= 4000
        # The top-left corner is the page (white), the stage header row is teal.
        assert image.convert("RGB").getpixel((5, 5)) == (255, 255, 255)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "export-png-telecom.png").write_bytes(data)


def test_a_wide_map_gets_the_overview_image(chromium: Path) -> None:
    aggregate = journey_file.document_aggregate(
        journey_document(stages=4, touchpoints_per_stage=15)
    )
    assert canvas.COLUMN_WIDTH * 60 * report.PNG_SCALE > report.PNG_MAX_PIXELS
    page = report.png_page(summary_of(aggregate))
    assert "too many touchpoints for one legible image" in page
    data = report.to_png(summary_of(aggregate))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size[0] == report.PNG_SCALE * report.OVERVIEW_WIDTH
        assert 800 <= image.size[1] <= 3000


def test_exports_share_one_browser_and_a_dead_one_is_replaced(chromium: Path) -> None:
    """The second export does not start Chromium again; if the kept browser died meanwhile
    (killed, out of memory), the next export starts a new one and still succeeds."""
    import os
    import signal

    from cxmap.render.report import browser

    aggregate = demo(DEMO_DIR / "telecom-broadband-onboarding.json")
    first = report.to_png(summary_of(aggregate))
    kept = browser.kept_browser_pid()
    assert kept is not None
    second = report.to_png(summary_of(aggregate))
    assert browser.kept_browser_pid() == kept
    assert second[:8] == first[:8] == b"\x89PNG\r\n\x1a\n"

    os.kill(kept, signal.SIGKILL)
    third = report.to_png(summary_of(aggregate))
    assert third.startswith(b"\x89PNG")
    assert browser.kept_browser_pid() not in (None, kept)


# ---------------------------------------------------------------- the 16:9 slide PNG


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (the IHDR chunk comes first)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize(
    ("name", "aggregate"),
    [
        ("telecom", lambda: demo(DEMO_DIR / "telecom-broadband-onboarding.json")),
        ("persian", lambda: journey_file.document_aggregate(persian_document())),
    ],
)
def test_the_slide_png_is_1920_by_1080_with_the_summary_on_it(
    chromium: Path, name: str, aggregate: Any
) -> None:
    journey = aggregate()
    summary = summary_of(journey)
    data = services_free_export(summary, ".slide.png")
    assert png_size(data) == (1920, 1080)
    with Image.open(io.BytesIO(data)) as image:
        grey = image.convert("L")
        darkest, lightest = grey.getextrema()
        assert lightest == 255 and darkest < 60, "not one flat colour: dark text on white"
        # Ink in each third (the three answers side by side) and in the lower half (top to fix).
        for third in range(3):
            box = (third * 640 + 40, 300, third * 640 + 600, 560)
            assert grey.crop(box).getextrema()[0] < 80, f"no text in column {third + 1}"
        assert grey.crop((40, 560, 1880, 1000)).getextrema()[0] < 80
    page = report.slide_page(summary).html
    for question, answer in summary.answers().questions():
        assert html.escape(question, quote=True) in page and html.escape(answer) in page
    assert html.escape(journey.map.name) in page
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"export-slide-{name}.png").write_bytes(data)


def test_a_slide_with_very_long_text_shrinks_it_rather_than_cutting_it(chromium: Path) -> None:
    journey = demo(DEMO_DIR / "telecom-broadband-onboarding.json")
    long_name = "A very long journey name that goes on " * 8
    journey = replace(journey, map=replace(journey.map, name=long_name))
    page = report.slide_page(summary_of(journey))
    assert page.width * report.PNG_SCALE == 1920
    data = report.to_slide_png(summary_of(journey))
    assert png_size(data) == (1920, 1080)
    with Image.open(io.BytesIO(data)) as image:
        # The footer line is still drawn at the bottom: nothing pushed off the slide.
        assert image.convert("L").crop((40, 1000, 1880, 1075)).getextrema()[0] < 200


def services_free_export(summary: report.ExecutiveSummary, suffix: str) -> bytes:
    """What services.export_map writes for ``suffix``, from a summary made here."""
    return report.EXPORTERS[suffix](summary)


# ---------------------------------------------------------------- PowerPoint


def deck_texts(data: bytes) -> list[str]:
    """The text of each slide (text boxes and table cells), one string a slide."""
    from pptx import Presentation

    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append("\n".join(parts))
    return texts


def test_the_pptx_holds_the_summary_slide_by_slide(chromium: Path) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    journey = demo(DEMO_DIR / "telecom-broadband-onboarding.json")
    summary = summary_of(journey)
    data = report.to_pptx(summary)
    deck = Presentation(io.BytesIO(data))
    assert (deck.slide_width, deck.slide_height) == (12_192_000, 6_858_000)  # 16:9
    titles = [report.slide_title(slide) for slide in deck.slides]
    assert titles == [
        "Broadband onboarding",
        "How are we doing, where does it hurt, what first",
        "The numbers",
        "Top 5 to fix: where it hurts most",
        "★ Moments of truth (6)",
        "Emotion across the journey",
        "What to do: the opportunity matrix",
    ]
    texts = deck_texts(data)
    assert "02 November 2026" in texts[0]
    for question, answer in summary.answers().questions():
        assert question in texts[1] and answer in texts[1]
    for label in ("Journey health", "Completion", "NPS", "CSAT %", "CES (1–7)", "+63 points"):
        assert label in texts[2], label
    assert "30" in texts[2].split("\n") and summary.period in texts[2]
    for rank, touchpoint in enumerate(summary.top, start=1):
        assert touchpoint.name in texts[3] and str(rank) in texts[3]
    for moment in summary.analysis.moments_of_truth:
        assert moment.name in texts[4]
    pictures = [
        [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE] for slide in deck.slides
    ]
    assert [len(p) for p in pictures] == [0, 0, 0, 0, 0, 1, 1]
    assert all(p[0].image.content_type == "image/png" for p in pictures[5:])


def test_the_pptx_keeps_persian_names_and_hostile_text_as_text(chromium: Path) -> None:
    from pptx import Presentation

    document = persian_document()
    document["map"]["description"] = NASTY
    journey = journey_file.document_aggregate(document)
    summary = summary_of(journey)
    data = report.to_pptx(summary)
    texts = deck_texts(data)
    assert texts[0].split("\n")[0] == PERSIAN_MAP  # with its zero-width non-joiner
    assert summary.top[0].name == PERSIAN["t14"]
    for touchpoint in summary.top:
        assert touchpoint.name in texts[3]
    assert "خدمات میدانی" in texts[3]  # the Persian owner
    assert NASTY in texts[0]  # markup in user text is text, character for character
    deck = Presentation(io.BytesIO(data))
    title = deck.slides[0].shapes[0].text_frame.paragraphs[0]
    assert title._p.pPr.get("rtl") == "1" and title.alignment == 3  # right to left, right
    # The answers are English sentences naming a Persian touchpoint: they stay left to right.
    answer = next(
        p
        for shape in deck.slides[1].shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        if PERSIAN["t14"] in "".join(r.text for r in p.runs)
    )
    assert answer._p.pPr is None or answer._p.pPr.get("rtl") != "1"


def test_the_pptx_of_an_empty_map_needs_no_browser(no_browser: None) -> None:
    full = demo(DEMOS[0])
    data = report.to_pptx(summary_of(JourneyAggregate(map=full.map, stages=full.stages)))
    texts = deck_texts(data)
    assert len(texts) == 5
    assert "The map has no touchpoints yet." in texts[1]
    assert "No touchpoint has friction yet" in texts[3]


# ---------------------------------------------------------------- without a browser


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    yield


@pytest.mark.parametrize(
    ("suffix", "what"),
    [(".pdf", "PDF"), (".png", "PNG"), (".slide.png", "PNG"), (".pptx", "PowerPoint")],
)
def test_without_chromium_pdf_and_png_say_what_to_do(
    ctx: Context, no_browser: None, suffix: str, what: str
) -> None:
    journey = services.import_file(ctx, DEMOS[0].read_bytes())
    with pytest.raises(report.ExportUnavailable) as raised:
        services.export_map(ctx, journey.id, suffix)
    assert raised.value.message == (
        f"{what} export needs Chromium, not found at /nonexistent/chromium: run `make browser` "
        "(scripts/install-browser.sh installs Debian's chromium), or set BROWSER_PATH to a "
        "Chrome or Chromium executable"
    )
    assert services.export_map(ctx, journey.id, ".html").startswith(b"<!DOCTYPE html>")


def test_a_browser_that_fails_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    aggregate = demo(DEMOS[0])
    with pytest.raises(report.ExportUnavailable) as raised:
        report.to_png(summary_of(aggregate))
    assert raised.value.message.startswith(
        "PNG export failed: Chromium (/bin/false) could not render the images ("
    )
    assert "\n" not in raised.value.message


def test_pdf_of_an_empty_map_says_so_and_needs_no_browser(no_browser: None) -> None:
    full = demo(DEMOS[0])
    data = report.to_pdf(summary_of(JourneyAggregate(map=full.map, stages=full.stages)))
    reader = PdfReader(io.BytesIO(data))
    text = words(" ".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) == 2
    assert "This map has no touchpoints yet: there is no journey to show." in text
    assert "No NPS answers yet" in text
