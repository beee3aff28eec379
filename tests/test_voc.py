"""Feedback files as users bring them: encodings, delimiters, bad rows, links, sentiment cache."""

from __future__ import annotations

import io

import openpyxl
import pytest

from cxmap import services
from cxmap.analysis import sentiment
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.formats import feedback_file
from tests.factories import journey_document

MB = 1024 * 1024
CSV = (
    "Response,NPS,Comment,Date\n"
    '1,9,"Café staff were lovely",2026-03-01\n'
    '2,3,"Waited an hour",2026-03-02\n'
)


def read(data: bytes, name: str = "survey.csv") -> list[dict[str, str]]:
    return feedback_file.read_feedback_file(data, name, max_bytes=100 * MB).to_dict("records")


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
    guess = feedback_file.guess_columns(
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
    parsed = feedback_file.parse_feedback(frame, COLUMNS, touchpoints=TOUCHPOINTS)
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
        feedback_file.parse_feedback(frame, {"text": "Verbatim"})


def test_keyword_rules_link_what_the_column_did_not() -> None:
    frame = feedback_file.read_feedback_file(FILE.encode(), "survey.csv", 100 * MB)
    rules = [feedback_file.KeywordRule(r"install|technician", 10)]
    parsed = feedback_file.parse_feedback(
        frame, {k: v for k, v in COLUMNS.items() if k != "touchpoint"}, rules=rules
    )
    assert [r["touchpoint_id"] for r in parsed.rows] == [10, None, 10]
    assert parsed.linked_by_rule == {r"install|technician": 2}
    with pytest.raises(InvalidInput, match="keyword rule: '\\(unclosed' is not a valid pattern"):
        feedback_file.parse_feedback(
            frame, COLUMNS, rules=[feedback_file.KeywordRule("(unclosed", 10)]
        )


def test_ces_range_follows_its_scale() -> None:
    frame = feedback_file.read_feedback_file(b"CES\n5\n6\n", "s.csv", MB)
    parsed = feedback_file.parse_feedback(frame, {"ces": "CES"}, ces_scale=5)
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
    parsed = feedback_file.parse_feedback(
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
    parsed = feedback_file.parse_feedback(frame, {"text": "Comment"})
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
    return feedback_file.parse_feedback(frame, columns).rows


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
    parsed = feedback_file.parse_feedback(
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
    parsed = feedback_file.parse_feedback(frame, {"text": "Comment", "sentiment": "Tone"})
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
    bad = feedback_file.parse_feedback(
        feedback_file.read_feedback_file(b"Comment,Tone\nx,very good\n", "v.csv", MB),
        {"text": "Comment", "sentiment": "Tone"},
    )
    assert [str(p) for p in bad.problems] == [
        "row 2, column 'Tone': sentiment: 'very good' is not a score from -1 to 1 or "
        "positive / neutral / negative"
    ]


def test_the_same_file_and_mapping_is_recognised(ctx: Context) -> None:
    map_id, _ = _map_with_touchpoints(ctx)
    columns = {"text": "Comment"}
    identity = feedback_file.file_hash(VERBATIMS.encode(), columns)
    assert services.earlier_import(ctx, map_id, identity) is None
    parsed = feedback_file.parse_feedback(
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
