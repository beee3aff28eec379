"""The Voice of the Customer page (pages/5_Voice_of_Customer.py, cxmap/app/pages/voice/) and the
rules it shows (cxmap/analysis/evidence.py, cxmap/formats/feedback_import.py).

AppTest drives the page on each demo map and on small maps made through the services: the KPIs
must equal cxmap.analysis.metrics over the map's feedback, unscored (Persian) rows must be said to
be unscored, and closing the loop through the page must store a pain point with its evidence.
AppTest cannot upload files, so the import flow's helpers are tested directly here and the real
upload in tests/e2e/test_voc_browser.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.analysis import evidence, metrics
from cxmap.app.pages import voice as voice_page
from cxmap.app.pages.voice import import_tab
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context
from cxmap.core.records import MapRecord
from cxmap.formats import feedback_file, feedback_import, feedback_rows
from tests.factories import journey_document

APP = PROJECT_ROOT / "app.py"
PAGE = "pages/5_Voice_of_Customer.py"  # relative to app.py, the entry point
DEMOS = sorted(DEMO_DIR.glob("*.json"))
PERSIAN = "نصب اینترنت خیلی طول کشید و تکنسین دیر آمد"
MD_NASTY = "**Loud** <img src=x onerror=alert(1)> [link](http://x)"
MB = 1024 * 1024


pytestmark = pytest.mark.usefixtures("database_url")  # a temp database per test


def import_map(ctx: Context, document: dict[str, Any] | Path) -> MapRecord:
    data = document.read_bytes() if isinstance(document, Path) else json.dumps(document).encode()
    return services.import_file(ctx, data)


def small_map(ctx: Context, **sizes: Any) -> MapRecord:
    """Three stages of two touchpoints, no feedback unless asked for."""
    return import_map(ctx, journey_document("Small", **{"feedback_per_touchpoint": 0, **sizes}))


def run_page(map_id: int | None = None, tab: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page(PAGE)
    if map_id is not None:
        at.query_params["map"] = str(map_id)
    if tab is not None:
        at.session_state[voice_page.TAB_KEY] = tab
    at.run()
    assert_no_exception(at)
    return at


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metric(at: AppTest, label: str) -> Any:
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, f"one metric {label!r} expected, found {len(found)}"
    return found[0]


def widget(widgets: Any, label: str) -> Any:
    found = [w for w in widgets if w.label == label]
    assert len(found) == 1, f"one widget {label!r} expected, found {len(found)}"
    return found[0]


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a column {column!r}"
    return found[0]


def pick(at: AppTest, rows: list[int]) -> AppTest:
    """Tick rows of the Close-the-loop table (Streamlit's documented way to set a selection)."""
    table = next(d for d in at.dataframe if d.key and d.key.startswith("voc_pick_"))
    at.session_state[table.key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.run()
    assert_no_exception(at)
    return at


def submit(at: AppTest, label: str) -> AppTest:
    button = next(b for b in at.button if b.label == label)
    button.click().run()
    assert_no_exception(at)
    return at


# ---------------------------------------------------------------- evidence


@pytest.mark.parametrize("demo", DEMOS, ids=lambda p: p.stem)
def test_each_demo_map_shows_its_evidence(app_ctx: Context, demo: Path) -> None:
    journey = import_map(app_ctx, demo)
    aggregate = services.load_map(app_ctx, journey.id)
    at = run_page(journey.id)

    expected = metrics.nps(f.nps for f in aggregate.feedback)
    assert expected.n > 0
    nps = metric(at, "NPS")
    assert nps.value == f"{expected.value:.0f}"
    assert f"n = {expected.n}" in nps.proto.delta
    satisfied = metrics.csat(f.csat for f in aggregate.feedback)
    assert metric(at, "CSAT").value == f"{satisfied.value:.0f}%"
    dates = [f.created_at for f in aggregate.feedback if f.created_at]
    first, last = min(dates), max(dates)
    period = f"all feedback, {first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
    assert any(c.value.startswith(f"Over {period}") for c in at.caption), "names its period"

    stages = table_with(at, "Stage")
    assert "NPS n" in stages.columns and "CSAT %" in stages.columns
    names = [s.name for s in aggregate.stages]
    assert [s for s in stages["Stage"] if s != evidence.NOT_LINKED] == names, "journey order"
    assert stages["Responses"].sum() == len(aggregate.feedback)
    assert stages["NPS n"].sum() == expected.n
    verbatims = table_with(at, "Verbatim")
    assert len(verbatims) == sum(1 for f in aggregate.feedback if f.text.strip())
    assert len(at.get("plotly_chart")) == 2, "NPS by stage, and the trend by month"
    assert not at.warning, "the demo maps' feedback is all English"


def test_a_persian_verbatim_is_marked_not_scored_never_neutral(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[-1])
    touchpoint = services.load_map(app_ctx, journey.id).touchpoints[0]
    row = services.create_row(
        app_ctx, journey.id, "feedback", {"text": PERSIAN, "touchpoint_id": touchpoint.id}
    )
    assert getattr(row, "sentiment") is None and getattr(row, "language") == "fa"  # noqa: B009

    at = run_page(journey.id)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1
    assert "1 verbatim is not scored" in warnings[0] and "1 Persian" in warnings[0]
    assert "never as neutral" in warnings[0]
    feedback = services.load_map(app_ctx, journey.id).feedback
    scored = [f for f in feedback if f.text.strip() and f.sentiment is not None]
    negative = sum(f.sentiment is not None and f.sentiment <= -0.05 for f in scored)
    assert len(scored) == len(feedback) - 1, "the Persian row is left out of the scored ones"
    assert metric(at, "Negative verbatims").proto.delta == f"{negative} of {len(scored)} scored"

    widget(at.multiselect, "Sentiment").select("not scored").run()
    assert_no_exception(at)
    shown = table_with(at, "Verbatim")
    assert shown["Verbatim"].tolist() == [PERSIAN], "shown as the customer wrote it"
    assert shown["Sentiment"].tolist() == ["not scored"]
    assert shown["Language"].tolist() == ["Persian"]


def test_group_by_touchpoint_keeps_the_journey_order(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    aggregate = services.load_map(app_ctx, journey.id)
    at = run_page(journey.id)
    at.segmented_control(key="voc_group_by").set_value("touchpoint").run()
    assert_no_exception(at)
    table = table_with(at, "Touchpoint")
    with_feedback = {f.touchpoint_id for f in aggregate.feedback}
    expected = [t.name for t in aggregate.touchpoints if t.id in with_feedback]
    assert [t for t in table["Touchpoint"] if t != evidence.NOT_LINKED] == expected


def test_a_map_without_feedback_says_where_to_bring_it_in(app_ctx: Context) -> None:
    journey = small_map(app_ctx)
    at = run_page(journey.id)
    assert any("no customer feedback yet" in i.value for i in at.info)
    assert not at.metric


def test_without_a_map_the_page_points_home() -> None:
    at = run_page()
    assert any("No map is selected" in i.value for i in at.info)


def test_a_rerun_of_an_unchanged_map_reads_nothing_again(
    app_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    calls: list[int] = []
    real = services.load_map

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "load_map", counting)
    at = run_page(journey.id)
    assert len(calls) == 1
    at.run()
    assert_no_exception(at)
    assert len(calls) == 1, "the map comes from the cache while its revision is unchanged"


def test_a_score_nobody_gave_is_a_blank_cell_not_none(app_ctx: Context) -> None:
    journey = small_map(app_ctx)
    services.create_row(app_ctx, journey.id, "feedback", {"text": "Slow install", "nps": 3})
    services.create_row(
        app_ctx, journey.id, "feedback", {"text": "Lovely staff", "csat": 5, "channel": "phone"}
    )
    at = run_page(journey.id)
    table = next(d for d in at.dataframe if "Verbatim" in d.value.columns)
    by_text = table.value.set_index("Verbatim")
    assert pd.isna(by_text.loc["Lovely staff", "NPS"]) and pd.isna(
        by_text.loc["Slow install", "CSAT"]
    )
    # Streamlit draws a missing value as the word "None" unless told what to show instead.
    assert table.proto.HasField("placeholder") and table.proto.placeholder == ""
    assert by_text.loc["Lovely staff", "Channel"] == "phone"  # the file's channel column


def test_filters_search_and_sort_per_touchpoint(app_ctx: Context) -> None:
    journey = small_map(app_ctx)
    aggregate = services.load_map(app_ctx, journey.id)
    first, second = aggregate.touchpoints[0], aggregate.touchpoints[1]
    for tp, text in [
        (second, "The technician was wonderful, great job"),
        (first, "Terrible wait, awful service"),
        (first, "Great, lovely staff"),
        (None, "Awful technician, never came"),
        (first, PERSIAN),
        (first, ""),
    ]:
        values = {"text": text, "nps": 5} if text == "" else {"text": text}
        if tp is not None:
            values["touchpoint_id"] = tp.id
        services.create_row(app_ctx, journey.id, "feedback", values)
    frame = evidence.verbatim_frame(services.load_map(app_ctx, journey.id))

    ordered = evidence.filter_verbatims(frame)  # per touchpoint, most negative first
    assert ordered["text"].tolist() == [
        "Terrible wait, awful service",
        "Great, lovely staff",
        PERSIAN,  # not scored: last of its touchpoint
        "The technician was wonderful, great job",
        "Awful technician, never came",  # not linked: last
    ]
    most_positive = evidence.filter_verbatims(frame, sort="Most positive first")
    assert most_positive["sentiment"].iloc[0] == frame["sentiment"].max()
    assert most_positive["text"].iloc[-1] == PERSIAN, "whole map: unscored last"
    found = evidence.filter_verbatims(frame, search="TECHNICIAN")
    assert len(found) == 2
    unlinked = evidence.filter_verbatims(frame, search="technician", touchpoint_ids=[None])
    assert unlinked["text"].tolist() == ["Awful technician, never came"]
    assert evidence.filter_verbatims(frame, labels=["not scored"])["text"].tolist() == [PERSIAN]
    assert evidence.filter_verbatims(frame, search="(unclosed").empty, "plain text, not a pattern"


def test_the_download_neutralises_formulas_and_keeps_persian(app_ctx: Context) -> None:
    journey = small_map(app_ctx)
    tp = services.load_map(app_ctx, journey.id).touchpoints[0]
    for text in ('=HYPERLINK("http://x","click")', PERSIAN):
        services.create_row(app_ctx, journey.id, "feedback", {"text": text, "touchpoint_id": tp.id})
    frame = evidence.verbatim_frame(services.load_map(app_ctx, journey.id))
    data = feedback_file.spreadsheet_csv(evidence.verbatim_table(evidence.filter_verbatims(frame)))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and PERSIAN in text


# ---------------------------------------------------------------- closing the loop


def test_closing_the_loop_creates_a_pain_point_with_its_evidence(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[-1])
    at = run_page(journey.id, tab=voice_page.LOOP_TAB)
    widget(at.text_input, "Search the verbatims").input("technician").run()
    assert_no_exception(at)
    shown = table_with(at, "Verbatim")
    assert len(shown) >= 2 and shown["Verbatim"].str.contains("(?i)technician").all()

    pick(at, [0, 1])
    assert any("2 verbatims picked" in m.value for m in at.markdown)
    description = widget(at.text_area, "Description")
    assert description.value == shown["Verbatim"].iloc[0], "prefilled from the first verbatim"
    widget(at.slider, "Severity").set_value(4)
    widget(at.slider, "Frequency").set_value(5)
    submit(at, "Create pain point")

    aggregate = services.load_map(app_ctx, journey.id)
    created = aggregate.pain_points[-1]
    assert (created.severity, created.frequency) == (4, 5)
    assert created.description == shown["Verbatim"].iloc[0]
    backing = [e.feedback_id for e in aggregate.evidence if e.pain_point_id == created.id]
    texts = {f.id: f.text for f in aggregate.feedback}
    assert sorted(texts[i] for i in backing) == sorted(shown["Verbatim"].iloc[:2])
    first = next(f for f in aggregate.feedback if f.text == shown["Verbatim"].iloc[0])
    if first.touchpoint_id is not None:
        assert created.touchpoint_id == first.touchpoint_id, "at the first verbatim's touchpoint"
    assert any("with 2 verbatims as evidence" in s.value for s in at.success)
    # The picks are cleared, and the new pain point shows its evidence.
    assert not any("verbatims picked" in m.value for m in at.markdown)
    pains = table_with(at, "Pain point")
    assert pains.loc[pains["Key"] == created.key, "Verbatims"].tolist() == [2]


def test_picks_survive_a_search_and_make_an_opportunity(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    at = run_page(journey.id, tab=voice_page.LOOP_TAB)
    first_text = table_with(at, "Verbatim")["Verbatim"].iloc[0]
    pick(at, [0])
    search = widget(at.text_input, "Search the verbatims")
    other = next(
        f.text for f in services.load_map(app_ctx, journey.id).feedback if f.text != first_text
    )
    search.input(other[:30]).run()
    assert_no_exception(at)
    pick(at, [0])
    assert any("2 verbatims picked" in m.value for m in at.markdown)

    widget(at.text_input, "Title").input("Explain fees before sign-up")
    widget(at.selectbox, "Status").set_value("planned")
    submit(at, "Create opportunity")
    aggregate = services.load_map(app_ctx, journey.id)
    created = aggregate.opportunities[-1]
    assert (created.title, created.status) == ("Explain fees before sign-up", "planned")
    backing = {e.feedback_id for e in aggregate.evidence if e.opportunity_id == created.id}
    texts = {f.text for f in aggregate.feedback if f.id in backing}
    assert texts == {first_text, next(f.text for f in aggregate.feedback if f.text == other)}


def test_an_opportunity_without_a_title_is_refused_with_the_reason(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    before = len(services.load_map(app_ctx, journey.id).opportunities)
    at = run_page(journey.id, tab=voice_page.LOOP_TAB)
    pick(at, [0])
    submit(at, "Create opportunity")
    assert any("title" in e.value and "required" in e.value for e in at.error)
    assert len(services.load_map(app_ctx, journey.id).opportunities) == before


def test_sentiment_corrected_by_hand_scores_a_persian_verbatim(app_ctx: Context) -> None:
    journey = small_map(app_ctx)
    tp = services.load_map(app_ctx, journey.id).touchpoints[0]
    services.create_row(app_ctx, journey.id, "feedback", {"text": PERSIAN, "touchpoint_id": tp.id})
    at = run_page(journey.id)
    assert at.warning, "not scored yet"
    at.session_state[voice_page.TAB_KEY] = voice_page.LOOP_TAB
    at.run()
    pick(at, [0])
    widget(at.radio, "Sentiment of the picked verbatims").set_value("negative")
    submit(at, "Set sentiment")
    (row,) = services.load_map(app_ctx, journey.id).feedback
    assert (row.sentiment, row.sentiment_source) == (-0.5, "manual")
    assert any("to negative" in s.value for s in at.success)
    at.session_state[voice_page.TAB_KEY] = voice_page.EVIDENCE_TAB
    at.run()
    assert_no_exception(at)
    assert not at.warning, "a person scored it: it is no longer unscored"


def test_a_conflict_on_one_of_three_verbatims_saves_none_and_stays_on_screen(
    app_ctx: Context, database_url: str
) -> None:
    journey = small_map(app_ctx)
    for text in ("Fine", "Slow", "Rude"):
        services.create_row(app_ctx, journey.id, "feedback", {"text": text})
    # Someone else saves the other verbatims just as the first is saved: a real trigger in the
    # database plays the other editor, between this page's read and its write of the next one.
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        connection.execute(
            "CREATE TRIGGER other_editor AFTER UPDATE OF sentiment_source ON feedback "
            "WHEN NEW.sentiment_source = 'manual' AND OLD.sentiment_source <> 'manual' BEGIN "
            "UPDATE feedback SET version = version + 1 WHERE map_id = NEW.map_id "
            "AND id <> NEW.id AND sentiment_source <> 'manual'; END"
        )
    at = run_page(journey.id, tab=voice_page.LOOP_TAB)
    pick(at, [0, 1, 2])
    widget(at.radio, "Sentiment of the picked verbatims").set_value("negative")
    submit(at, "Set sentiment")
    assert any("changed by someone else" in e.value and "nothing was saved" in e.value
               for e in at.error), [e.value for e in at.error]  # fmt: skip
    assert not any("Set the sentiment" in s.value for s in at.success)
    sources = [f.sentiment_source for f in services.load_map(app_ctx, journey.id).feedback]
    assert "manual" not in sources, "nothing saved: the three are one change"


def test_user_text_reaches_markdown_escaped(app_ctx: Context) -> None:
    journey = small_map(app_ctx)
    tp = services.load_map(app_ctx, journey.id).touchpoints[0]
    services.create_row(app_ctx, journey.id, "feedback", {"text": MD_NASTY, "touchpoint_id": tp.id})
    at = run_page(journey.id, tab=voice_page.LOOP_TAB)
    pick(at, [0])
    summary = next(m.value for m in at.markdown if "picked" in m.value)
    assert "\\*\\*Loud\\*\\*" in summary and "\\<img" in summary and "\\[link\\]" in summary
    assert table_with(at, "Verbatim")["Verbatim"].tolist() == [MD_NASTY], "tables show it as is"


def test_evidence_counts_per_pain_point_and_opportunity(app_ctx: Context) -> None:
    journey = small_map(app_ctx, feedback_per_touchpoint=2)
    aggregate = services.load_map(app_ctx, journey.id)
    ids = [f.id for f in aggregate.feedback]
    tp = aggregate.touchpoints[0].id
    pain = services.create_with_evidence(
        app_ctx, journey.id, "pain_point", {"touchpoint_id": tp, "severity": 3, "frequency": 2},
        ids[:3],
    )  # fmt: skip
    services.create_with_evidence(app_ctx, journey.id, "opportunity", {"title": "Fix"}, ids[3:4])
    pains, opportunities = evidence.evidence_counts(services.load_map(app_ctx, journey.id))
    assert pains.iloc[0]["Key"] == getattr(pain, "key") and pains.iloc[0]["Verbatims"] == 3  # noqa: B009
    assert pains["Verbatims"].tolist()[1:] == [0] * (len(pains) - 1)
    assert opportunities.iloc[0][["Opportunity", "Verbatims"]].tolist() == ["Fix", 1]


# ---------------------------------------------------------------- importing a file

SURVEY = (
    "Resp. ID;Submitted;How likely are you to recommend us? (0-10);Your comment;Touch point\n"
    "1;2026-03-01;9;The technician was friendly and quick;Sees TV ad\n"
    "2;2026-03-02;11;Way too long;t2\n"
    "3;2026-03-03;2;Waited three weeks for the install;nowhere\n"
    f"4;2026-03-04;7;{PERSIAN};\n"
    "5;not a date;8;fine;\n"
    "6;;;;\n"
)


def survey_preview(
    ctx: Context, journey: MapRecord, rules: list[feedback_rows.KeywordRule] | None = None
) -> tuple[pd.DataFrame, dict[str, str | None], feedback_import.ImportPreview]:
    frame = feedback_file.read_feedback_file(SURVEY.encode(), "survey.csv", MB)
    mapping = feedback_import.mapping_from_choices(
        feedback_import.default_choices(list(frame.columns))
    )
    touchpoints = [(t.id, t.key, t.name) for t in services.load_map(ctx, journey.id).touchpoints]
    parsed = feedback_rows.parse_feedback(
        frame, mapping, touchpoints=touchpoints, rules=rules or []
    )
    return frame, mapping, feedback_import.preview_import(parsed)


def test_the_preview_names_bad_rows_languages_and_unmatched_touchpoints(app_ctx: Context) -> None:
    journey = import_map(app_ctx, journey_document("Shop", stages=1, touchpoints_per_stage=2))
    names = [t.name for t in services.load_map(app_ctx, journey.id).touchpoints]
    survey = SURVEY.replace("Sees TV ad", names[0].upper())
    frame = feedback_file.read_feedback_file(survey.encode(), "survey.csv", MB)
    mapping = feedback_import.mapping_from_choices(
        feedback_import.default_choices(list(frame.columns))
    )
    touchpoints = [
        (t.id, t.key, t.name) for t in services.load_map(app_ctx, journey.id).touchpoints
    ]
    preview = feedback_import.preview_import(
        feedback_rows.parse_feedback(frame, mapping, touchpoints=touchpoints)
    )

    assert preview.parsed.rows_in_file == 6
    assert preview.rows_with_problems == 2 and preview.rows_to_add == 3 and preview.empty_rows == 1
    assert [str(p) for p in preview.parsed.problems] == [
        "row 3, column 'How likely are you to recommend us? (0-10)': nps: 11 is outside 0…10",
        "row 6, column 'Submitted': date: 'not a date' is not a date",
    ]
    assert preview.linked == 1, "by name, any case (t2 was on the bad row)"
    assert preview.parsed.unmatched == {"nowhere": 1}
    assert preview.not_english == {"fa": 1}

    blocked = feedback_import.import_blocker(preview, leave_out_bad_rows=False)
    assert blocked is not None and "2 rows of the file have problems" in blocked
    assert "Import 3 good rows, leave out 2" in blocked
    assert feedback_import.import_blocker(preview, leave_out_bad_rows=True) is None
    rules_broken = feedback_import.import_blocker(
        preview, leave_out_bad_rows=True, rule_problems=["x"]
    )
    assert rules_broken == "Fix the keyword rules first: x."


def test_keyword_rules_link_what_the_column_does_not(app_ctx: Context) -> None:
    journey = import_map(app_ctx, journey_document("Shop", stages=1, touchpoints_per_stage=2))
    touchpoints = services.load_map(app_ctx, journey.id).touchpoints
    labels = evidence.touchpoint_labels(services.load_map(app_ctx, journey.id))
    editor = pd.DataFrame(
        {
            feedback_import.RULE_PATTERN: ["install|technician", "  ", "[bad"],
            feedback_import.RULE_TOUCHPOINT: [
                labels[touchpoints[1].id],
                None,
                labels[touchpoints[0].id],
            ],
        }
    )
    rules, problems = feedback_import.rules_from_editor(editor, {v: k for k, v in labels.items()})
    assert rules == [feedback_rows.KeywordRule("install|technician", touchpoints[1].id)]
    assert len(problems) == 1 and problems[0].startswith("rule 3: '[bad' is not a valid pattern")
    _, _, preview = survey_preview(app_ctx, journey, rules)
    linked = {r["text"]: r["touchpoint_id"] for r in preview.parsed.rows}
    assert linked["Waited three weeks for the install"] == touchpoints[1].id  # 'nowhere' → rule
    assert linked["The technician was friendly and quick"] == touchpoints[1].id


def test_an_import_is_recognised_by_file_and_mapping(app_ctx: Context) -> None:
    journey = small_map(app_ctx)
    _, mapping, preview = survey_preview(app_ctx, journey)
    data = SURVEY.encode()
    identity = feedback_import.import_identity(data, mapping, 7, "")
    assert services.earlier_import(app_ctx, journey.id, identity) is None
    outcome = services.import_feedback(
        app_ctx, journey.id, preview.parsed.rows, file_hash=identity, file_name="survey.csv"
    )
    assert outcome.added == 3 and outcome.not_scored == 1
    earlier = services.earlier_import(app_ctx, journey.id, identity)
    assert earlier is not None and earlier[0] == "survey.csv"
    assert feedback_import.import_identity(data, mapping, 5, "") != identity, "another CES scale"
    assert feedback_import.import_identity(data, mapping, 7, "review") != identity, "another source"
    rule = [feedback_rows.KeywordRule("install", 1)]
    assert feedback_import.import_identity(data, mapping, 7, "", rule) != identity, "rules too"
    message = import_tab.import_message(outcome, "survey.csv", left_out=2)
    assert message.startswith("Imported 3 feedback rows from survey.csv.")
    assert "2 rows with problems were left out" in message
    assert "1 not scored (not English, or no text)" in message


def test_a_file_imported_from_the_command_line_is_recognised_on_the_page(
    app_ctx: Context, database_url: str, tmp_path: Path
) -> None:
    journey = small_map(app_ctx)
    survey = tmp_path / "survey.csv"
    survey.write_text("NPS,Comment\n9,Lovely\n3,Slow\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cxmap", "voc", "import", str(survey), "--map", "Small",
         "--text-col", "Comment", "--nps-col", "NPS", "--source", "survey"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "CXMAP_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    mapping = feedback_import.mapping_from_choices({"text": "Comment", "nps": "NPS"})
    identity = feedback_import.import_identity(survey.read_bytes(), mapping, 7, "survey")
    assert services.earlier_import(app_ctx, journey.id, identity) is not None


def test_the_import_tab_without_a_file_offers_an_example(app_ctx: Context) -> None:
    journey = small_map(app_ctx)
    at = run_page(journey.id, tab=voice_page.IMPORT_TAB)
    assert len(at.get("file_uploader")) == 1
    assert [b.proto.label for b in at.get("download_button")] == ["⬇️ An example file"]
    example = feedback_file.read_feedback_file(
        feedback_import.EXAMPLE_FILE.encode(), "example.csv", MB
    )
    choices = feedback_import.default_choices(list(example.columns))
    assert feedback_import.mapping_problems(feedback_import.mapping_from_choices(choices)) == []
    assert choices["touchpoint"] == "Touchpoint" and choices["source"] == "Source"


@pytest.mark.parametrize(
    ("timezone", "shown"),
    [("America/New_York", "2024-03-09"), ("Asia/Tehran", "2024-03-10"), (None, "2024-03-10")],
)
def test_the_verbatims_show_the_local_date_of_the_browser(
    app_ctx: Context, timezone: str | None, shown: str
) -> None:
    # Given at 23:30 on 9 March in New York: 04:30 UTC on the 10th, 08:00 in Tehran. A browser
    # that sends no zone (None) sees UTC.
    journey = small_map(app_ctx)
    services.create_row(
        app_ctx,
        journey.id,
        "feedback",
        {"text": "Late call", "nps": 9, "received_at": "2024-03-09T23:30-05:00"},
    )
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page(PAGE)
    at.query_params["map"] = str(journey.id)
    at.context = {"timezone": timezone}
    at.run()
    assert_no_exception(at)
    table = next(d for d in at.dataframe if "Verbatim" in d.value.columns)
    dates = table.value.set_index("Verbatim")["Date"]
    assert str(dates.loc["Late call"]) == shown
    day = int(shown[-2:])
    assert any(f"all feedback, {day} Mar 2024 – {day} Mar 2024" in c.value for c in at.caption)
