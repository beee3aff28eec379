"""The Executive Summary page (pages/6_Executive_Summary.py) driven by Streamlit's AppTest.

Each test gets its own SQLite file and empty Streamlit caches, imports what it needs through
the services, opens the page with ``?map=<id>`` and reads what it shows; the two forms (at-risk
assumptions, CRM-or-CX self-assessment) are filled in and saved like a user would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.analysis import scoring, summary
from cxmap.app.pages.summary import EXPORTS
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context
from cxmap.core.records import MapRecord
from cxmap.render import report
from tests.factories import journey_document

APP = PROJECT_ROOT / "app.py"
PAGE = "pages/6_Executive_Summary.py"
DEMOS = sorted(DEMO_DIR.glob("*.json"))
NASTY = "<img src=x onerror=alert(1)> **bold**"
_MD_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()<>#+\-.!|~$:])")


pytestmark = pytest.mark.usefixtures("database_url")  # a temp database per test


def import_map(ctx: Context, document: dict[str, Any] | Path) -> MapRecord:
    data = document.read_bytes() if isinstance(document, Path) else json.dumps(document).encode()
    return services.import_file(ctx, data)


def run_page(map_id: int | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page(PAGE)
    if map_id is not None:
        at.query_params["map"] = str(map_id)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unescape(markdown: str) -> str:
    return _MD_UNESCAPE.sub(r"\1", markdown)


def shown_text(at: AppTest) -> str:
    """Markdown and captions of the page, markdown escapes undone."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return unescape("\n".join(parts))


def widget(widgets: Any, label: str) -> Any:
    found = [w for w in widgets if w.label == label]
    assert len(found) == 1, f"one widget {label!r} expected, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("path", DEMOS, ids=lambda p: p.stem)
def test_each_demo_map_answers_the_three_questions(app_ctx: Context, path: Path) -> None:
    journey = import_map(app_ctx, path)
    at = run_page(journey.id)

    aggregate = services.load_map(app_ctx, journey.id)
    result = report.executive_summary(aggregate, services.analyze_map(app_ctx, journey.id))
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["Journey health", "Completion"]
    assert [re.sub(r" · n = \d+$", "", label) for label in labels[2:]] == [
        "NPS",
        "CSAT %",
        "CES (1–7)",
    ]
    nps = result.kpis[0]
    assert labels[2] == f"NPS · n = {nps.now.n}"
    assert at.metric[0].value == f"{result.analysis.health:.0f}/100"
    text = shown_text(at)
    for question in ("How are we doing?", "Where does it hurt most?", "What to fix first?"):
        assert question in text
    top = [t.name for t in result.analysis.ranked()[:5]]
    for rank, name in enumerate(top, start=1):
        assert f"{rank}. **{name}**" in text, name
    moments = result.analysis.moments_of_truth
    assert f"★ {len(moments)} moments of truth:" in text
    for moment in moments:
        assert f"**{moment.name}** :small[" in text, moment.name  # with its reasons below
    assert len(at.get("plotly_chart")) == 3  # emotion curve, opportunity matrix, owners heatmap
    matrix = json.loads(at.get("plotly_chart")[1].proto.spec)
    titles = {text for trace in matrix["data"] for text in trace.get("text") or []}
    placed = [o for o in result.aggregate.opportunities if o.customer_value is not None]
    assert 0 < len(placed) <= 15  # the demo maps: the bubbles are labelled on the page
    assert all("text" in trace["mode"] for trace in matrix["data"] if trace.get("x"))
    assert len(titles) == len(placed)  # one title (shortened) beside each bubble
    downloads = [b.proto.label for b in at.sidebar.get("download_button")]
    assert downloads == [label for label, _, _ in EXPORTS]
    assert downloads == [
        "PDF report",
        "PowerPoint slides",
        "HTML page (offline)",
        "PNG image of the map",
        "PNG slide of the summary (16:9)",
        "Excel workbook",
        "JSON (cxmap-journey)",
        "Mermaid diagram",
    ]
    assert "Customers at risk (an estimate)" in [s.value for s in at.subheader]
    assert not at.error and not at.warning


def test_the_kpis_show_their_change_on_the_period_before(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMO_DIR / "telecom-broadband-onboarding.json")
    at = run_page(journey.id)
    by_label = {m.label: m for m in at.metric}
    nps = by_label["NPS · n = 30"]
    assert (nps.value, nps.proto.delta) == ("+17", "+63 points")
    assert by_label["Completion"].proto.delta == ""


def test_without_dates_the_page_says_there_is_no_trend(app_ctx: Context) -> None:
    document = journey_document(stages=3)
    for row in document["feedback"]:
        row["created_at"] = None
    journey = import_map(app_ctx, document)
    at = run_page(journey.id)
    assert "No feedback with dates: no trend." in [c.value for c in at.caption]
    assert all(m.proto.delta == "" for m in at.metric)


def test_missing_sections_say_why(app_ctx: Context) -> None:
    document = journey_document(stages=2)
    document["opportunities"] = []
    for touchpoint in document["touchpoints"]:
        touchpoint["volume"] = None
    journey = import_map(app_ctx, document)
    at = run_page(journey.id)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("No opportunities yet") for c in captions)
    assert any(c.startswith("No estimate: no touchpoint that customers reach") for c in captions)


def test_no_map_and_an_empty_map(app_ctx: Context) -> None:
    at = run_page()
    assert [i.value for i in at.info] == [
        "No map is selected. Pick or create a map on the home page, then come back here."
    ]
    blank = services.create_map(app_ctx, "Blank", with_standard_stages=True)
    at = run_page(blank.id)
    [info] = at.info
    assert "no touchpoints yet" in info.value
    assert not at.metric and not at.get("plotly_chart")
    # The exports and the self-assessment are there all the same.
    assert len(at.sidebar.get("download_button")) == 8
    assert any(e.label.startswith("🧭 CRM or CX?") for e in at.expander)


def test_user_text_is_escaped(app_ctx: Context) -> None:
    document = journey_document(stages=2)
    document["map"]["name"] = NASTY
    for touchpoint in document["touchpoints"]:
        touchpoint["name"] = f"{NASTY} {touchpoint['key']}"
    journey = import_map(app_ctx, document)
    at = run_page(journey.id)
    raw = "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)
    assert NASTY not in raw and "**bold**" not in raw
    assert NASTY in shown_text(at)


def test_the_assessment_is_saved_with_the_map(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    at = run_page(journey.id)
    answers = {"objectives": 4, "roles": 5, "collaboration": 4, "emotions": 5}
    for factor, value in answers.items():
        widget(at.slider, factor.capitalize()).set_value(value)
    widget(at.button, "Save the assessment").click().run()
    assert not at.exception

    stored = services.get_map(app_ctx, journey.id).settings["assessment"]
    expected = {factor: answers.get(factor, 3) for factor, _, _ in summary.ASSESSMENT_FACTORS}
    assert stored == expected
    score = sum(expected.values()) / 8  # 33 / 8 = 4.125: experience orchestration
    assert "Saved the self-assessment." in unescape(" ".join(s.value for s in at.success))
    [expander] = [e for e in at.expander if e.label.startswith("🧭")]
    assert (
        expander.label
        == f"🧭 CRM or CX? Self-assessment: Experience orchestration ({score:.1f} of 5)"
    )

    # A new session of the page shows the saved answers.
    st.cache_data.clear()
    again = run_page(journey.id)
    assert widget(again.slider, "Roles").value == 5
    assert widget(again.slider, "Function").value == 3


def test_an_assessment_saved_by_someone_else_meanwhile_is_not_overwritten(
    app_ctx: Context,
) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    at = run_page(journey.id)
    theirs = dict.fromkeys((f for f, _, _ in summary.ASSESSMENT_FACTORS), 2)
    services.save_assessment(app_ctx, journey.id, journey.version, theirs)

    widget(at.slider, "Objectives").set_value(5)
    widget(at.button, "Save the assessment").click().run()
    assert any("changed by someone else" in e.value for e in at.error)
    assert services.get_map(app_ctx, journey.id).settings["assessment"] == theirs


def test_the_risk_assumptions_are_saved_and_change_the_estimate(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMO_DIR / "telecom-broadband-onboarding.json")
    at = run_page(journey.id)
    before = next(m.value for m in at.markdown if m.value.startswith("**About "))
    widget(at.number_input, "Leave after one bad experience (%)").set_value(50.0)
    widget(at.number_input, "Yearly value of a customer").set_value(400.0)
    widget(at.button, "Save for this map").click().run()
    assert not at.exception

    stored = summary.RiskAssumptions.from_dict(
        services.get_map(app_ctx, journey.id).settings["risk"]
    )
    assert (stored.leave_after_bad, stored.value_per_customer) == (0.5, 400.0)
    after = next(m.value for m in at.markdown if m.value.startswith("**About "))
    assert after != before
    # 50% instead of 33% of those with a bad experience leave: more, though fewer than 1.5
    # times as many (a customer who left at one touchpoint cannot leave again at the next).
    aggregate = services.load_map(app_ctx, journey.id)
    risk = summary.journey_risk(aggregate, services.analyze_map(app_ctx, journey.id), stored)
    assert risk is not None
    assert _number(after) == round(risk.customers)
    assert _number(before) < _number(after) < 1.5 * _number(before)
    assert _number(after) <= risk.entering
    assert "each month" in after
    [table] = at.dataframe
    assert "Value at risk" in table.value.columns
    assert "50% of customers who have a bad experience leave (set for this map)." in unescape(
        " ".join(c.value for c in at.caption)
    )

    widget(at.button, "Reset to defaults").click().run()
    assert (
        summary.RiskAssumptions.from_dict(services.get_map(app_ctx, journey.id).settings["risk"])
        == summary.RiskAssumptions()
    )


def _number(markdown: str) -> float:
    found = re.search(r"\*\*About ([\d,]+) of the", markdown)
    assert found, markdown
    return float(found.group(1).replace(",", ""))


def test_without_chromium_pdf_and_png_are_disabled_with_the_reason(
    app_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    journey = import_map(app_ctx, DEMOS[0])
    at = run_page(journey.id)
    buttons = {b.proto.label: b.proto.disabled for b in at.sidebar.get("download_button")}
    assert buttons == {
        "PDF report": True,
        "PowerPoint slides": True,
        "HTML page (offline)": False,
        "PNG image of the map": True,
        "PNG slide of the summary (16:9)": True,
        "Excel workbook": False,
        "JSON (cxmap-journey)": False,
        "Mermaid diagram": False,
    }
    assert any(
        c.value.startswith("PDF, PowerPoint and PNG need Chromium: run `make browser`")
        for c in at.sidebar.get("caption")
    )


def test_the_page_is_read_only_until_a_form_is_saved(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    revision = services.get_map(app_ctx, journey.id).revision
    at = run_page(journey.id)
    at.run()
    assert services.get_map(app_ctx, journey.id).revision == revision
    assert scoring.ScoringSettings.from_dict(services.get_map(app_ctx, journey.id).settings) == (
        scoring.ScoringSettings()
    )
