"""Feedback files as users bring them: encodings, delimiters, bad rows, links, sentiment cache;
and the pure rules of the Voice of the Customer page (cxmap.analysis.evidence: tables, filters,
groups; cxmap.formats.feedback_import: mapping, rules, preview)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections import Counter

import openpyxl
import pandas as pd
import pytest

from cxmap import services
from cxmap.analysis import evidence, sentiment
from cxmap.app.pages.voice import import_tab
from cxmap.core.context import Context
from cxmap.core.errors import ConflictError, InvalidInput
from cxmap.core.examples import demo_chain
from cxmap.core.records import (
    EvidenceRecord,
    FeedbackRecord,
    JourneyAggregate,
    OpportunityRecord,
    PainPointRecord,
)
from cxmap.formats import feedback_dates, feedback_file, feedback_import, feedback_rows
from tests.factories import journey_document

MB = 1024 * 1024
CSV = (
    "Response,NPS,Comment,Date\n"
    '1,9,"Café staff were lovely",2026-03-01\n'
    '2,3,"Waited an hour",2026-03-02\n'
)


def read(data: bytes, name: str = "survey.csv") -> list[dict[str, str]]:
    return feedback_file.read_feedback_file(data, name, 100 * MB).to_dict("records")


@pytest.mark.parametrize(
    "encoded",
    [
        CSV.encode("utf-8"),
        b"\xef\xbb\xbf" + CSV.encode("utf-8"),
        CSV.encode("utf-16"),  # with BOM
        CSV.encode("utf-16-le"),  # without BOM
        CSV.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 BOM", "utf-16", "utf-16-le no BOM", "cp1252"],
)
def test_encodings(encoded: bytes) -> None:
    rows = read(encoded)
    assert [r["Comment"] for r in rows] == ["Café staff were lovely", "Waited an hour"]
    assert list(rows[0]) == ["Response", "NPS", "Comment", "Date"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_delimiters(delimiter: str) -> None:
    text = CSV.replace(",", delimiter).replace("Café staff were lovely", "Lovely; really")
    if delimiter == ";":
        text = text.replace("Lovely; really", "Lovely, really")
    rows = read(text.encode())
    assert rows[1]["NPS"] == "3" and len(rows) == 2


def test_quoted_newline_stays_in_one_row() -> None:
    rows = read(b'NPS,Comment\n4,"First line\nsecond line"\n10,ok\n')
    assert [r["Comment"] for r in rows] == ["First line\nsecond line", "ok"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "survey.csv: the file is empty"),
        (b"NPS,Comment\n", "survey.csv: the file has a header but no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "not a CSV or Excel file"),
        (b"PK\x03\x04garbage", "cannot be read as an Excel workbook"),
    ],
    ids=["empty", "header only", "binary", "broken xlsx"],
)
def test_unreadable_files_are_named(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read(data)


def test_a_200_mb_file_is_refused_before_reading() -> None:
    with pytest.raises(InvalidInput, match="the file is 200.0 MB, more than the 100 MB limit"):
        read(b"x" * (200 * MB))


def test_excel_workbook() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NPS", "Comment"])
    sheet.append([9, "Great"])
    sheet.append([None, "No score"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read(buffer.getvalue(), "export.xlsx") == [
        {"NPS": "9", "Comment": "Great"},
        {"NPS": "", "Comment": "No score"},
    ]


def test_guess_columns_from_messy_headers() -> None:
    guess = feedback_rows.guess_columns(
        [
            "ID",
            "Q1 - How likely are you to recommend us? (0-10)",
            "Overall satisfaction",
            "It was easy to get help",
            "Open comment",
            "Submitted at",
            "Channel source",
            "Journey step",
        ]
    )
    assert guess == {
        "text": "Open comment",
        "nps": "Q1 - How likely are you to recommend us? (0-10)",
        "csat": "Overall satisfaction",
        "ces": "It was easy to get help",
        "date": "Submitted at",
        "source": "Channel source",
        "touchpoint": "Journey step",
        "persona": None,
        "sentiment": None,
        "channel": None,
    }


FILE = (
    "NPS,CSAT,Comment,Date,Step\n"
    "9,5,Installer was great,2026-03-01,Installation visit\n"  # row 2
    "11,4,Too high,2026-03-02,t2\n"  # row 3: NPS out of range
    '7,,"=HYPERLINK(""http://evil"",""click"")",2026-03-03,INSTALLATION VISIT\n'  # row 4
    "abc,2,Bad number,2026-03-04,\n"  # row 5: not a number
    "8,3,Bad date,yesterday,\n"  # row 6: bad date
    ",,,,\n"  # row 7: nothing at all
    "5,2,The technician never came,,Unknown step\n"  # row 8: unmatched touchpoint
)
COLUMNS = {"nps": "NPS", "csat": "CSAT", "text": "Comment", "date": "Date", "touchpoint": "Step"}
TOUCHPOINTS = [(10, "t1", "Installation visit"), (11, "t2", "First bill")]


def test_bad_rows_are_listed_with_row_and_column_and_the_rest_is_kept() -> None:
    frame = feedback_file.read_feedback_file(FILE.encode(), "survey.csv", 100 * MB)
    parsed = feedback_rows.parse_feedback(frame, COLUMNS, touchpoints=TOUCHPOINTS)
    assert [str(p) for p in parsed.problems] == [
        "row 3, column 'NPS': nps: 11 is outside 0…10",
        "row 5, column 'NPS': nps: 'abc' is not a whole number",
        "row 6, column 'Date': date: 'yesterday' is not a date",
    ]
    assert [r["text"] for r in parsed.rows] == [
        "Installer was great",
        '=HYPERLINK("http://evil","click")',  # stored as text, exactly
        "The technician never came",
    ]
    assert [r["touchpoint_id"] for r in parsed.rows] == [10, 10, None]
    assert parsed.unmatched == parsed.still_unlinked == {"Unknown step": 1}
    assert parsed.rows[0]["nps"] == 9 and parsed.rows[0]["csat"] == 5
    assert str(parsed.rows[0]["created_at"]) == "2026-03-01"
    assert list(parsed.problems_table().columns) == ["row", "column", "value", "problem"]


def test_a_row_with_too_many_fields_names_its_line() -> None:
    with pytest.raises(InvalidInput, match="survey.csv: cannot be read as CSV: .*line 3, saw 3"):
        read(b"NPS,Comment\n9,fine\n7,a,b\n")


def test_every_row_with_one_field_too_many_is_refused_not_shifted() -> None:
    """pandas would take the first column as row labels and shift the rest under the wrong
    headers (the NPS column would hold the comments)."""
    with pytest.raises(
        InvalidInput,
        match="survey.csv: line 2 has 3 fields but the header has 2: is there a comma inside",
    ):
        read(b"NPS,Comment\n9,Great staff, quick\n3,Slow, rude\n")


def test_missing_column_is_named() -> None:
    frame = feedback_file.read_feedback_file(FILE.encode(), "survey.csv", 100 * MB)
    with pytest.raises(InvalidInput, match="text: the file has no column 'Verbatim'"):
        feedback_rows.parse_feedback(frame, {"text": "Verbatim"})


def test_keyword_rules_link_what_the_column_did_not() -> None:
    frame = feedback_file.read_feedback_file(FILE.encode(), "survey.csv", 100 * MB)
    rules = [feedback_rows.KeywordRule(r"install|technician", 10)]
    parsed = feedback_rows.parse_feedback(
        frame, {k: v for k, v in COLUMNS.items() if k != "touchpoint"}, rules=rules
    )
    assert [r["touchpoint_id"] for r in parsed.rows] == [10, None, 10]
    assert parsed.linked_by_rule == {r"install|technician": 2}
    with pytest.raises(InvalidInput, match="keyword rule: '\\(unclosed' is not a valid pattern"):
        feedback_rows.parse_feedback(
            frame, COLUMNS, rules=[feedback_rows.KeywordRule("(unclosed", 10)]
        )


def test_ces_range_follows_its_scale() -> None:
    frame = feedback_file.read_feedback_file(b"CES\n5\n6\n", "s.csv", MB)
    parsed = feedback_rows.parse_feedback(frame, {"ces": "CES"}, ces_scale=5)
    assert [str(p) for p in parsed.problems] == ["row 3, column 'CES': ces: 6 is outside 1…5"]
    assert parsed.rows[0]["ces_scale"] == 5


# ---------------------------------------------------------------- storing, with the database


def _map_with_touchpoints(ctx: Context) -> tuple[int, list[tuple[int, str, str]]]:
    journey = services.import_document(
        ctx, journey_document(stages=1, touchpoints_per_stage=2, feedback_per_touchpoint=0)
    )
    touchpoints = [(t.id, t.key, t.name) for t in services.load_map(ctx, journey.id).touchpoints]
    return journey.id, touchpoints


VERBATIMS = (
    "Comment,Step\n"
    "The installer was brilliant and quick,Touchpoint 1\n"
    "Terrible wait and nobody called back,Touchpoint 2\n"
    "نصب اینترنت خیلی طول کشید,Touchpoint 2\n"
    "الخدمة كانت سيئة جدا,Touchpoint 1\n"
    "Terrible wait and nobody called back,Touchpoint 2\n"
)


def test_import_scores_english_marks_persian_and_arabic_and_is_idempotent(ctx: Context) -> None:
    map_id, touchpoints = _map_with_touchpoints(ctx)
    frame = feedback_file.read_feedback_file(VERBATIMS.encode(), "v.csv", MB)
    parsed = feedback_rows.parse_feedback(
        frame, {"text": "Comment", "touchpoint": "Step"}, touchpoints=touchpoints
    )
    first = services.import_feedback(ctx, map_id, parsed.rows, workers=1)
    assert (first.added, first.already_imported, first.scored, first.not_scored) == (5, 0, 4, 2)
    stored = services.load_map(ctx, map_id).feedback
    by_text = {f.text: f for f in stored}
    assert by_text["The installer was brilliant and quick"].sentiment > 0.05
    assert by_text["Terrible wait and nobody called back"].sentiment < -0.05
    persian, arabic = by_text["نصب اینترنت خیلی طول کشید"], by_text["الخدمة كانت سيئة جدا"]
    assert (persian.language, persian.sentiment) == ("fa", None)
    assert (arabic.language, arabic.sentiment) == ("ar", None)
    assert sum(f.text == "Terrible wait and nobody called back" for f in stored) == 2

    again = services.import_feedback(ctx, map_id, parsed.rows, workers=1)
    assert (again.added, again.already_imported, again.scored) == (0, 5, 0)
    assert len(services.load_map(ctx, map_id).feedback) == 5


def test_sentiment_cache_is_shared_across_maps(ctx: Context) -> None:
    map_id, touchpoints = _map_with_touchpoints(ctx)
    other = services.create_map(ctx, "Other").id
    frame = feedback_file.read_feedback_file(VERBATIMS.encode(), "v.csv", MB)
    parsed = feedback_rows.parse_feedback(frame, {"text": "Comment"})
    services.import_feedback(ctx, map_id, parsed.rows, workers=1)
    second = services.import_feedback(ctx, other, parsed.rows, workers=1)
    assert (second.added, second.scored, second.from_cache) == (5, 0, 4)


def test_a_link_into_another_map_writes_nothing(ctx: Context) -> None:
    map_id, touchpoints = _map_with_touchpoints(ctx)
    other = services.create_map(ctx, "Other").id
    rows = [
        {
            "text": "x",
            "touchpoint_id": touchpoints[0][0],
            "nps": None,
            "csat": None,
            "ces": None,
            "ces_scale": 7,
            "source": "",
            "created_at": None,
            "fingerprint": "f1",
        }
    ]
    with pytest.raises(InvalidInput, match="no touchpoint"):
        services.import_feedback(ctx, other, rows, workers=1)
    assert services.load_map(ctx, other).feedback == []


def test_parallel_scoring_gives_the_same_scores() -> None:
    texts = [f"I {'love' if i % 3 else 'hate'} this, number {i}" for i in range(8001)]
    parallel = sentiment.score_texts(texts, workers=2, chunk=2000)  # 5 chunks: 2 processes
    assert len(parallel) == 8001
    assert parallel[:50] == sentiment.score_texts(texts[:50], workers=1)
    assert parallel[-50:] == sentiment.score_texts(texts[-50:], workers=1)


def _survey_rows(texts: list[str], sentiments: dict[int, float] | None = None) -> list[dict]:
    lines = ["Comment,Sentiment"] + [
        f'"{text}",{(sentiments or {}).get(i, "")}' for i, text in enumerate(texts)
    ]
    frame = feedback_file.read_feedback_file("\n".join(lines).encode(), "big.csv", 10 * MB)
    columns = {"text": "Comment", "sentiment": "Sentiment"}
    return feedback_rows.parse_feedback(frame, columns).rows


def test_a_large_import_in_two_workers_keeps_file_order_and_reports_rows_stored(
    ctx: Context,
) -> None:
    """9,000 rows: some already in the cache, some pre-scored by the file, the rest scored in
    two worker processes while earlier chunks are stored."""
    map_id = services.create_map(ctx, "Large").id
    texts = [f"The {'lovely' if i % 2 else 'awful'} service, visit {i}" for i in range(9000)]
    warm = services.create_map(ctx, "Warms the cache").id
    services.import_feedback(ctx, warm, _survey_rows(texts[4000:4500]), workers=1)
    calls: list[tuple[int, int]] = []
    outcome = services.import_feedback(
        ctx,
        map_id,
        _survey_rows(texts, {7: 0.9, 8000: -0.4}),
        workers=2,
        progress=lambda *a: calls.append(a),
    )
    assert (outcome.added, outcome.from_cache, outcome.from_file) == (9000, 500, 2)
    assert outcome.scored == 9000 - 500 - 2
    stored = services.load_map(ctx, map_id).feedback
    assert [f.text for f in sorted(stored, key=lambda f: f.id)] == texts
    by_text = {f.text: f for f in stored}
    assert by_text[texts[7]].sentiment == 0.9 and by_text[texts[7]].sentiment_source == "file"
    assert by_text[texts[4001]].sentiment > 0.05 and by_text[texts[4002]].sentiment < -0.05
    assert calls[-1] == (9000, 9000)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert len(calls) > 3  # the bar moves while the workers score


def test_a_failure_late_in_a_large_import_stores_nothing(ctx: Context) -> None:
    map_id = services.create_map(ctx, "Large").id
    rows = _survey_rows([f"Good service number {i}" for i in range(9000)])
    rows[8500] = {**rows[8500], "nps": 11}  # slipped past the parser: the database refuses it
    with pytest.raises(InvalidInput):
        services.import_feedback(ctx, map_id, rows, workers=2)
    assert services.load_map(ctx, map_id).feedback == []


def test_close_the_loop_creates_a_pain_point_with_its_evidence(ctx: Context) -> None:
    map_id, touchpoints = _map_with_touchpoints(ctx)
    frame = feedback_file.read_feedback_file(VERBATIMS.encode(), "v.csv", MB)
    parsed = feedback_rows.parse_feedback(
        frame, {"text": "Comment", "touchpoint": "Step"}, touchpoints=touchpoints
    )
    services.import_feedback(ctx, map_id, parsed.rows, workers=1)
    waits = [f.id for f in services.load_map(ctx, map_id).feedback if f.text.startswith("Terrible")]
    pain = services.create_with_evidence(
        ctx, map_id, "pain_point",
        {"touchpoint_id": touchpoints[1][0], "description": "Nobody calls back", "severity": 4,
         "frequency": 3},
        waits,
    )  # fmt: skip
    idea = services.create_with_evidence(
        ctx, map_id, "opportunity", {"title": "Call-back promise"}, waits[:1]
    )
    agg = services.load_map(ctx, map_id)
    assert sorted(e.feedback_id for e in agg.evidence if e.pain_point_id == pain.id) == sorted(
        waits
    )
    assert [e.feedback_id for e in agg.evidence if e.opportunity_id == idea.id] == waits[:1]
    # Duplicating the map keeps the evidence, pointing at the copy's own rows.
    copy = services.load_map(ctx, services.duplicate_map(ctx, map_id).id)
    assert len(copy.evidence) == 3
    assert {e.feedback_id for e in copy.evidence} <= {f.id for f in copy.feedback}
    with pytest.raises(InvalidInput, match="pick at least one verbatim"):
        services.create_with_evidence(ctx, map_id, "opportunity", {"title": "x"}, [])
    before = len(services.load_map(ctx, map_id).pain_points)
    with pytest.raises(InvalidInput, match="severity"):
        services.create_with_evidence(
            ctx,
            map_id,
            "pain_point",
            {"touchpoint_id": touchpoints[0][0], "severity": 9, "frequency": 1},
            waits,
        )
    assert len(services.load_map(ctx, map_id).pain_points) == before  # nothing half-written


def test_sentiment_set_by_hand_or_given_by_the_file(ctx: Context) -> None:
    map_id, _ = _map_with_touchpoints(ctx)
    data = b"Comment,Tone\nI adore it,negative\nUnscored words,0.3\nAlso fine,\n"
    frame = feedback_file.read_feedback_file(data, "v.csv", MB)
    parsed = feedback_rows.parse_feedback(frame, {"text": "Comment", "sentiment": "Tone"})
    outcome = services.import_feedback(ctx, map_id, parsed.rows, workers=1)
    assert (outcome.from_file, outcome.scored) == (2, 1)
    rows = {f.text: f for f in services.load_map(ctx, map_id).feedback}
    assert (rows["I adore it"].sentiment, rows["I adore it"].sentiment_source) == (-0.5, "file")
    assert rows["Unscored words"].sentiment == 0.3
    assert rows["Also fine"].sentiment_source == "vader"
    fixed = services.set_sentiment(
        ctx, map_id, rows["Also fine"].id, rows["Also fine"].version, "negative"
    )
    assert (fixed.sentiment, fixed.sentiment_source) == (-0.5, "manual")
    with pytest.raises(InvalidInput, match="'furious' is not positive, neutral or negative"):
        services.set_sentiment(ctx, map_id, fixed.id, fixed.version, "furious")
    bad = feedback_rows.parse_feedback(
        feedback_file.read_feedback_file(b"Comment,Tone\nx,very good\n", "v.csv", MB),
        {"text": "Comment", "sentiment": "Tone"},
    )
    assert [str(p) for p in bad.problems] == [
        "row 2, column 'Tone': sentiment: 'very good' is not a score from -1 to 1 or "
        "positive / neutral / negative"
    ]


def test_correcting_several_sentiments_is_one_transaction(ctx: Context) -> None:
    map_id, _ = _map_with_touchpoints(ctx)
    rows = [services.create_row(ctx, map_id, "feedback", {"text": t}) for t in ("a", "b", "c")]
    stale = services.update_row(ctx, map_id, "feedback", rows[1].id, rows[1].version, {"nps": 3})
    picked = [(r.id, r.version) for r in rows]  # the second as read before it was changed
    with pytest.raises(ConflictError, match="was changed by someone else"):
        services.set_sentiments(ctx, map_id, picked, "negative")
    assert [f.sentiment_source for f in services.load_map(ctx, map_id).feedback] == ["vader"] * 3
    picked[1] = (stale.id, stale.version)
    saved = services.set_sentiments(ctx, map_id, picked, "negative")
    assert [(r.sentiment, r.sentiment_source) for r in saved] == [(-0.5, "manual")] * 3


def test_the_same_file_and_mapping_is_recognised(ctx: Context) -> None:
    map_id, _ = _map_with_touchpoints(ctx)
    columns = {"text": "Comment"}
    identity = feedback_file.file_hash(VERBATIMS.encode(), columns)
    assert services.earlier_import(ctx, map_id, identity) is None
    parsed = feedback_rows.parse_feedback(
        feedback_file.read_feedback_file(VERBATIMS.encode(), "v.csv", MB), columns
    )
    services.import_feedback(
        ctx, map_id, parsed.rows, workers=1, file_hash=identity, file_name="v.csv"
    )
    name, when = services.earlier_import(ctx, map_id, identity)  # type: ignore[misc]
    assert name == "v.csv" and when is not None
    assert (
        feedback_file.file_hash(VERBATIMS.encode(), {"text": "Step"}) != identity
    )  # other mapping: new


# ---------------------------------------------------------------- the page's rules, without it

SURVEY = (
    "Resp. ID;Submitted;How likely are you to recommend us? (0-10);Your comment;Touch point\n"
    "1;2026-03-01;9;The technician was friendly and quick;Sees TV ad\n"
    "2;2026-03-02;11;Way too long;t2\n"
)


def feedback(id: int, tp: int | None, text: str, **values: object) -> FeedbackRecord:
    scored = {"sentiment": sentiment.sentiment_scores([text])[0] if text else None}
    fields = {"nps": None, "csat": None, "ces": None, "ces_scale": 7, "source": "survey",
              "created_at": None, "version": 1, "language": "en", **scored, **values}  # fmt: skip
    return FeedbackRecord(id=id, touchpoint_id=tp, text=text, **fields)  # type: ignore[arg-type]


def chain_with(*rows: FeedbackRecord, **more: object) -> JourneyAggregate:
    return dataclasses.replace(demo_chain(), feedback=list(rows), **more)  # type: ignore[arg-type]


def test_merge_selection_keeps_picks_that_are_not_shown() -> None:
    assert evidence.merge_selection([], [10, 11, 12], [2, 0]) == [12, 10]
    assert evidence.merge_selection([10, 99], [10, 11], []) == [99], "unticked rows leave"
    assert evidence.merge_selection([10], [10, 11], [0, 1, 7]) == [10, 11], "stale rows ignored"


def test_messy_headers_get_the_right_columns_by_default() -> None:
    frame = feedback_file.read_feedback_file(SURVEY.encode(), "survey.csv", MB)
    choices = feedback_import.default_choices(list(frame.columns))
    assert choices["nps"] == "How likely are you to recommend us? (0-10)"
    assert choices["text"] == "Your comment"
    assert choices["date"] == "Submitted"
    assert choices["touchpoint"] == "Touch point"
    assert choices["csat"] == feedback_import.NONE and choices["sentiment"] == feedback_import.NONE
    assert "stage" not in choices, "rows link to touchpoints; the stage follows"
    mapping = feedback_import.mapping_from_choices(choices)
    assert mapping["csat"] is None and feedback_import.mapping_problems(mapping) == []


def test_mapping_problems_are_named() -> None:
    twice = feedback_import.mapping_from_choices({"nps": "Score", "csat": "Score"})
    assert feedback_import.mapping_problems(twice) == [
        "column 'Score' is mapped to both NPS answer (0–10) and CSAT answer (1–5)"
    ]
    nothing = feedback_import.mapping_from_choices({"date": "When"})
    assert feedback_import.mapping_problems(nothing) == [
        "map at least one column with a verbatim or a score (NPS, CSAT, CES)"
    ]


def test_verbatims_sort_per_touchpoint_and_leave_unscored_and_unlinked_last() -> None:
    chain = chain_with(
        feedback(1, 2, "Awful, terrible wait", sentiment=-0.8),
        feedback(2, 1, "Great, lovely staff", sentiment=0.8),
        feedback(3, 1, "خیلی طول کشید", sentiment=None, language="fa"),
        feedback(4, None, "Terrible technician", sentiment=-0.5),
        feedback(5, 1, "", nps=3),
        feedback(6, 1, "Bad", sentiment=-0.3, created_at=dt.date(2026, 3, 9)),
    )
    frame = evidence.verbatim_frame(chain)
    assert frame["place"].tolist() == [1, 0, 0, 3, 0, 0]
    assert evidence.filter_verbatims(frame)["id"].tolist() == [6, 2, 3, 1, 4], "no text: left out"
    assert evidence.filter_verbatims(frame, sort="Most negative first")["id"].tolist() == [
        1, 4, 6, 2, 3
    ]  # fmt: skip
    assert evidence.filter_verbatims(frame, sort="Newest first")["id"].iloc[0] == 6
    assert evidence.filter_verbatims(frame, sources=["review"]).empty
    assert evidence.filter_verbatims(frame, labels=["not scored"])["id"].tolist() == [3]
    assert evidence.not_scored_languages(frame) == Counter({"fa": 1})
    table = evidence.verbatim_table(frame)
    assert "NPS" in table and "CSAT" not in table and "CES" not in table, "unasked scores left out"
    assert table["Language"].tolist()[2] == "Persian"
    assert table["Scored by"].tolist()[0] == "model"
    assert evidence.verbatim_table(frame.head(0)).columns.tolist()[:4] == [
        "Touchpoint", "Sentiment", "Score", "Verbatim"
    ]  # fmt: skip


def test_the_same_touchpoint_name_twice_gets_its_key() -> None:
    chain = demo_chain()
    twins = [dataclasses.replace(t, name="Call") for t in chain.touchpoints[:2]]
    chain = dataclasses.replace(chain, touchpoints=twins + chain.touchpoints[2:])
    assert list(evidence.touchpoint_labels(chain).values()) == ["Call (t1)", "Call (t2)",
                                                                  "Touchpoint 3"]  # fmt: skip


def test_groups_come_in_the_order_people_expect_and_unasked_scores_are_dropped() -> None:
    chain = chain_with(
        feedback(1, 3, "ok", nps=9, source="web", created_at=dt.date(2026, 4, 1)),
        feedback(2, 1, "ok", nps=3, source="survey", created_at=dt.date(2026, 3, 1)),
        feedback(3, 1, "ok", nps=10, source="survey"),
        feedback(4, None, "ok", csat=5, source=""),
    )
    frame = evidence.verbatim_frame(chain)
    by_stage = evidence.grouped_metrics(frame, "stage", chain)
    assert by_stage["Stage"].tolist() == ["Stage 1", "Stage 3", "(not linked)"]
    assert "CES mean (1-7)" not in by_stage and "CSAT %" in by_stage
    assert by_stage["NPS n"].tolist() == [2, 1, 0]
    by_source = evidence.grouped_metrics(frame, "source", chain)
    assert by_source["Source"].tolist() == ["survey", "web", "(none)"], "most answers first"
    by_month = evidence.grouped_metrics(frame, "month", chain)
    assert by_month["Month"].tolist() == ["2026-03", "2026-04", "(no date)"]
    assert evidence.languages_text(Counter({"fa": 1200, "ar": 3})) == "1,200 Persian, 3 Arabic"


def test_evidence_counts_most_backed_first() -> None:
    chain = chain_with(
        feedback(1, 1, "a"),
        feedback(2, 1, "b"),
        pain_points=[PainPointRecord(1, "p1", 1, "One", 3, 3, 1),
                     PainPointRecord(2, "p2", 2, "Two", 3, 3, 1)],
        opportunities=[OpportunityRecord(1, "o1", None, None, "Idea", None, None, None,
                                         "idea", 1)],
        evidence=[EvidenceRecord(1, 1, 2, None), EvidenceRecord(2, 2, 2, None),
                  EvidenceRecord(3, 2, None, 1)],
    )  # fmt: skip
    pains, opportunities = evidence.evidence_counts(chain)
    assert pains[["Key", "Verbatims", "Touchpoint"]].values.tolist() == [
        ["p2", 2, "Touchpoint 2"],
        ["p1", 0, "Touchpoint 1"],
    ]
    assert opportunities[["Key", "Verbatims", "Touchpoint"]].values.tolist() == [["o1", 1, ""]]


def test_score_detail_and_values() -> None:
    from cxmap.analysis import metrics

    assert evidence.score_detail(metrics.Score(3.25, 12, 1.04, 5.5), 1) == "n = 12, 95% 1.0…5.5"
    assert evidence.score_values(pd.Series([None, 4])) == [None, 4.0]


def test_keyword_rules_from_the_editor_name_what_is_wrong() -> None:
    rows = pd.DataFrame(
        {
            feedback_import.RULE_PATTERN: ["bill", "", "  ", "", "[x"],
            feedback_import.RULE_TOUCHPOINT: ["Bills", "Bills", None, "Unknown", "Bills"],
        }
    )
    rules, problems = feedback_import.rules_from_editor(rows, {"Bills": 4})
    assert rules == [feedback_rows.KeywordRule("bill", 4)]
    assert problems[0] == "rule 2: write the words or pattern to look for"
    assert problems[1] == "rule 4: write the words or pattern to look for"
    assert problems[2].startswith("rule 5: '[x' is not a valid pattern")


def test_an_emptied_pattern_cell_is_not_a_rule_for_nan() -> None:
    """st.data_editor hands back an emptied cell as NaN; it must not become the pattern 'nan'."""
    rows = pd.DataFrame(
        {
            feedback_import.RULE_PATTERN: [float("nan"), "bill"],
            feedback_import.RULE_TOUCHPOINT: ["Bills", "Bills"],
        }
    )
    rules, problems = feedback_import.rules_from_editor(rows, {"Bills": 4})
    assert rules == [feedback_rows.KeywordRule("bill", 4)]
    assert problems == ["rule 1: write the words or pattern to look for"]


def test_the_preview_and_what_blocks_an_import() -> None:
    frame = feedback_file.read_feedback_file(SURVEY.encode(), "survey.csv", MB)
    mapping = feedback_import.mapping_from_choices(
        feedback_import.default_choices(list(frame.columns))
    )
    parsed = feedback_rows.parse_feedback(frame, mapping, touchpoints=[(7, "t2", "Bill")])
    preview = feedback_import.preview_import(parsed)
    assert (preview.rows_to_add, preview.rows_with_problems, preview.linked) == (1, 1, 0)
    table = feedback_import.stored_rows(parsed.rows, {7: "Bill"})
    assert table.columns.tolist() == ["Touchpoint", "Verbatim", "NPS", "Date", "Language"]
    assert table["Language"].tolist() == ["English"]
    nothing = feedback_import.preview_import(feedback_rows.parse_feedback(frame.head(0), mapping))
    assert feedback_import.import_blocker(nothing, leave_out_bad_rows=True) == (
        "No row of this file can be imported: check the column mapping."
    )
    assert feedback_import.file_stem("Q1 results.xlsx") == "q1-results"


def test_the_import_message_names_the_files_sentiment_column() -> None:
    outcome = services.FeedbackImport(3, 2, 1, 0, 0, from_file=2)
    message = import_tab.import_message(outcome, "s.csv")
    assert message == (
        "Imported 3 feedback rows from s.csv. 2 rows were already in this map and were "
        "skipped. Sentiment: 1 scored now, 0 from the cache, 2 from the file's sentiment "
        "column, 0 not scored (not English, or no text)."
    )


def test_spreadsheet_csv_neutralises_and_marks_utf8() -> None:
    data = feedback_file.spreadsheet_csv(pd.DataFrame({"Verbatim": ["=1+1", "نصب"]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["Verbatim", "'=1+1", "نصب"]


# ---- dates: one order of day and month per column, offsets converted to UTC (defect 3)


def dates_of(values: list[str], **options: bool | None) -> list[str]:
    frame = pd.DataFrame({"Comment": ["ok"] * len(values), "When": values})
    parsed = feedback_rows.parse_feedback(frame, {"text": "Comment", "date": "When"}, **options)
    return [str(r["created_at"]) for r in parsed.rows]


def test_a_column_across_a_daylight_saving_change_is_read_in_utc() -> None:
    assert dates_of(["2024-03-09T10:00-05:00", "2024-03-11T10:00-04:00"]) == [
        "2024-03-09",
        "2024-03-11",
    ]
    # Each value converted with its own offset: 23:30 in New York is the next day in UTC.
    assert dates_of(["2024-03-09T23:30-05:00", "2024-03-11T10:00+01:00"]) == [
        "2024-03-10",
        "2024-03-11",
    ]


def test_one_value_that_needs_the_day_first_decides_the_whole_column() -> None:
    assert dates_of(["03/04/2024", "13/04/2024"]) == ["2024-04-03", "2024-04-13"]
    assert dates_of(["04/03/2024", "04/13/2024"]) == ["2024-04-03", "2024-04-13"]
    # Dates written year first stay year-month-day in a day-first column.
    assert dates_of(["13/04/2024", "2024-03-05"]) == ["2024-04-13", "2024-03-05"]


def test_an_ambiguous_column_needs_the_order_and_then_follows_it() -> None:
    ambiguous = "column 'When': dates such as '03/04/2024' \\(row 2\\) can be read day first"
    with pytest.raises(feedback_dates.AmbiguousDates, match=ambiguous):
        dates_of(["03/04/2024", "05/04/2024"])
    assert dates_of(["03/04/2024", "05/04/2024"], dayfirst=True) == ["2024-04-03", "2024-04-05"]
    assert dates_of(["03/04/2024", "05/04/2024"], dayfirst=False) == ["2024-03-04", "2024-05-04"]
    assert dates_of(["2024-03-04", "01/01/2024"]) == ["2024-03-04", "2024-01-01"]  # nothing to ask
    frame = pd.DataFrame({"When": ["03/04/2024"], "Other": ["13/04/2024"]})
    assert feedback_import.date_order_question(frame, {"date": "When"}) == "03/04/2024"
    assert feedback_import.date_order_question(frame, {"date": "Other"}) is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["13/04/2024", "04/13/2024"], "column 'When' has dates with the day first \\(row 2: "
         "'13/04/2024'\\) and with the month first \\(row 3: '04/13/2024'\\)"),
        (["2024-03-09T10:00-05:00", "2024-03-11 10:00"], "column 'When' mixes dates with a time "
         "zone offset \\(row 2: '2024-03-09T10:00-05:00'\\) and without one \\(row 3: "
         "'2024-03-11 10:00'\\)"),
    ],
)  # fmt: skip
def test_a_column_that_cannot_be_read_one_way_is_one_message(
    values: list[str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        dates_of(values)


# ---- touchpoint values linked by hand, remembered per map; the channel column (defect 10)

STORE_VISITS = (
    "Comment,Step,Channel\n"
    "Queue at the till was long,store visit,store\n"
    "Helpful staff,Store Visit,store\n"
    "Never answered,call,phone\n"
    "Quick setup,Touchpoint 1,app\n"
)
STORE_COLUMNS = {"text": "Comment", "touchpoint": "Step", "channel": "Channel"}


def test_a_value_no_touchpoint_has_is_linked_by_hand_and_the_channel_is_kept() -> None:
    frame = feedback_file.read_feedback_file(STORE_VISITS.encode(), "visits.csv", MB)
    touchpoints = [(10, "t9", "Installation visit"), (11, "t1", "Touchpoint 1")]
    unmatched = feedback_import.unmatched_touchpoint_values(frame, STORE_COLUMNS, touchpoints)
    assert unmatched == {"store visit": 2, "call": 1}
    table = feedback_import.value_links_table(unmatched, {}, {10: "Installation visit"})
    assert table[feedback_import.LINK_TOUCHPOINT].tolist() == ["(leave unlinked)"] * 2
    table.loc[0, feedback_import.LINK_TOUCHPOINT] = "Installation visit"
    links = feedback_import.value_links_from_editor(table, {"Installation visit": 10})
    assert links == {"store visit": 10, "call": None}
    parsed = feedback_rows.parse_feedback(
        frame, STORE_COLUMNS, touchpoints=touchpoints, value_links=links
    )
    assert [r["touchpoint_id"] for r in parsed.rows] == [10, 10, None, 11]
    assert parsed.unmatched == {"call": 1}, "what is linked by hand is no longer unmatched"
    assert [r["channel"] for r in parsed.rows] == ["store", "store", "phone", "app"]
    assert feedback_import.default_choices(["Comment", "Channel"])["channel"] == "Channel"


def test_value_links_are_remembered_per_map_and_forgotten_when_unlinked(ctx: Context) -> None:
    map_id, touchpoints = _map_with_touchpoints(ctx)
    (first_id, _, _), (second_id, _, _) = touchpoints
    frame = feedback_file.read_feedback_file(STORE_VISITS.encode(), "visits.csv", MB)
    links = {"Store visit": first_id, "call": second_id}
    parsed = feedback_rows.parse_feedback(
        frame, STORE_COLUMNS, touchpoints=touchpoints, value_links=links
    )
    services.import_feedback(ctx, map_id, parsed.rows, workers=1, value_links=links)
    assert services.remembered_value_links(ctx, map_id) == {"store visit": first_id,
                                                            "call": second_id}  # fmt: skip
    stored = {f.text: (f.touchpoint_id, f.channel) for f in services.load_map(ctx, map_id).feedback}
    assert stored["Helpful staff"] == (first_id, "store")
    assert stored["Never answered"] == (second_id, "phone")
    other_map = services.create_map(ctx, "Another journey").id
    assert services.remembered_value_links(ctx, other_map) == {}, "remembered per map"
    services.import_feedback(ctx, map_id, [], value_links={"call": None})
    assert services.remembered_value_links(ctx, map_id) == {"store visit": first_id}
    services.delete_row(ctx, map_id, "touchpoint", first_id)
    assert services.remembered_value_links(ctx, map_id) == {}, "its touchpoint is gone"


def test_the_verbatims_table_shows_the_channel_only_when_a_file_named_one() -> None:
    aggregate = evidence._example_map()
    with_channel = dataclasses.replace(
        aggregate,
        feedback=[dataclasses.replace(aggregate.feedback[0], channel="phone"),
                  *aggregate.feedback[1:]],
    )  # fmt: skip
    table = evidence.verbatim_table(evidence.verbatim_frame(with_channel))
    assert table["Channel"].tolist()[:2] == ["phone", ""]
    assert "Channel" not in evidence.verbatim_table(evidence.verbatim_frame(aggregate)).columns
