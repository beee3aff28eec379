"""Feedback given at a moment: stored in UTC, shown (and grouped) by the viewer's local date.

A value with a time and an offset keeps its moment (``received_at``, UTC) and its UTC date
(``created_at``); a date-only value keeps its date, shown as it is in every zone. Every
expected value below is worked out by hand from the offsets (New York is UTC−5 in winter,
UTC−4 from 10 March 2024; Tehran is UTC+3:30 all year since 2022).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from cxmap import services
from cxmap.analysis import evidence, metrics, summary
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.formats import feedback_file, feedback_rows, journey_file, journey_writing

MB = 1024 * 1024
NEW_YORK, TEHRAN = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tehran")
UTC = dt.UTC


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def document(feedback: list[dict[str, Any]], version: int = 2) -> dict[str, Any]:
    return {
        "format": "cxmap-journey",
        "version": version,
        "map": {"name": "Dates"},
        "stages": [{"key": "s1", "name": "Support", "order": 1}],
        "touchpoints": [{"key": "t1", "stage": "s1", "name": "Call"}],
        "feedback": feedback,
    }


def import_csv(ctx: Context, csv: str, map_id: int | None = None) -> int:
    """A map (new, or ``map_id``) with the feedback of ``csv`` (columns Comment, NPS, Date)
    imported as the page and ``voc import`` do; its id."""
    if map_id is None:
        map_id = services.import_document(ctx, document([])).id
    frame = feedback_file.read_feedback_file(csv.encode(), "survey.csv", MB)
    columns = {"text": "Comment", "nps": "NPS", "date": "Date"}
    parsed = feedback_rows.parse_feedback(frame, columns, default_source="survey")
    services.import_feedback(ctx, map_id, parsed.rows, workers=1)
    return map_id


def shown_dates(ctx: Context, map_id: int, zone: dt.tzinfo) -> dict[str, dt.date | None]:
    """The "Date" column of the VoC verbatims table for a viewer in ``zone``, by verbatim."""
    table = evidence.verbatim_table(evidence.verbatim_frame(services.load_map(ctx, map_id), zone))
    return dict(zip(table["Verbatim"], table["Date"], strict=True))


# ---------------------------------------------------------------- stored in UTC, shown locally


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        (NEW_YORK, dt.date(2024, 3, 9)),  # 04:30Z − 5 h = 23:30 on the 9th, as it was written
        (TEHRAN, dt.date(2024, 3, 10)),  # 04:30Z + 3:30 = 08:00 on the 10th
        (UTC, dt.date(2024, 3, 10)),
    ],
)
def test_a_moment_is_stored_in_utc_and_shown_on_its_local_date(
    ctx: Context, zone: dt.tzinfo, shown: dt.date
) -> None:
    map_id = import_csv(ctx, "Comment,NPS,Date\nlate call,9,2024-03-09T23:30-05:00\n")
    (row,) = services.load_map(ctx, map_id).feedback
    assert row.received_at == utc(2024, 3, 10, 4, 30)
    assert row.received_at.utcoffset() == dt.timedelta(0)
    assert row.created_at == dt.date(2024, 3, 10)  # the UTC date, as before moments were kept
    assert shown_dates(ctx, map_id, zone) == {"late call": shown}


def test_a_date_only_row_shows_its_date_in_every_zone(ctx: Context) -> None:
    map_id = import_csv(
        ctx, "Comment,NPS,Date\nplain,9,2024-03-09\nwall clock,8,2024-03-09 23:30\n"
    )
    rows = services.load_map(ctx, map_id).feedback
    # A time without an offset is a wall clock in an unknown zone: only its date is kept.
    assert [(r.created_at, r.received_at) for r in rows] == [(dt.date(2024, 3, 9), None)] * 2
    for zone in (NEW_YORK, TEHRAN, UTC):
        assert shown_dates(ctx, map_id, zone) == {
            "plain": dt.date(2024, 3, 9),
            "wall clock": dt.date(2024, 3, 9),
        }


def test_a_column_across_a_daylight_saving_change(ctx: Context) -> None:
    # The column: New York moved from −05:00 to −04:00 on 10 March 2024.
    map_id = import_csv(
        ctx, "Comment,NPS,Date\nbefore,9,2024-03-09T10:00-05:00\nafter,3,2024-03-11T10:00-04:00\n"
    )
    rows = services.load_map(ctx, map_id).feedback
    assert [r.received_at for r in rows] == [utc(2024, 3, 9, 15), utc(2024, 3, 11, 14)]
    assert [r.received_at.astimezone(NEW_YORK).hour for r in rows if r.received_at] == [10, 10]
    assert shown_dates(ctx, map_id, NEW_YORK) == {
        "before": dt.date(2024, 3, 9),
        "after": dt.date(2024, 3, 11),
    }
    assert shown_dates(ctx, map_id, TEHRAN) == {  # 18:30 and 17:30 the same days
        "before": dt.date(2024, 3, 9),
        "after": dt.date(2024, 3, 11),
    }


def test_importing_the_same_file_again_adds_nothing(sqlite_ctx: Context) -> None:
    csv = "Comment,NPS,Date\nlate call,9,2024-03-09T23:30-05:00\n"
    map_id = import_csv(sqlite_ctx, csv)
    frame = feedback_file.read_feedback_file(csv.encode(), "survey.csv", MB)
    columns = {"text": "Comment", "nps": "NPS", "date": "Date"}
    parsed = feedback_rows.parse_feedback(frame, columns, default_source="survey")
    again = services.import_feedback(sqlite_ctx, map_id, parsed.rows, workers=1)
    assert (again.added, again.already_imported) == (0, 1)
    assert len(services.load_map(sqlite_ctx, map_id).feedback) == 1


# ---------------------------------------------------------------- grouped by the local month

# 2024-03-31T23:30-04:00 is 2024-04-01T03:30Z: March in New York, 07:00 on 1 April in Tehran.
# 2024-04-01T02:00Z is 22:00 on 31 March in New York (UTC−4), 05:30 on 1 April in Tehran.
# 2024-03-31 has no time: March everywhere (a second file: one column is all moments or none).
MONTH_BOUNDARY = (
    "Comment,NPS,Date\n"
    "last night of March,10,2024-03-31T23:30-04:00\n"
    "early April UTC,0,2024-04-01T02:00Z\n"
)
DATED_ONLY = "Comment,NPS,Date\ndated only,9,2024-03-31\n"


def month_boundary_map(ctx: Context) -> int:
    return import_csv(ctx, DATED_ONLY, import_csv(ctx, MONTH_BOUNDARY))


@pytest.mark.parametrize(
    ("zone", "months"),
    [
        (NEW_YORK, {"2024-03": 3}),
        (TEHRAN, {"2024-03": 1, "2024-04": 2}),
        (UTC, {"2024-03": 1, "2024-04": 2}),
    ],
)
def test_month_grouping_at_a_month_boundary(
    ctx: Context, zone: dt.tzinfo, months: dict[str, int]
) -> None:
    map_id = month_boundary_map(ctx)
    aggregate = services.load_map(ctx, map_id)
    frame = evidence.verbatim_frame(aggregate, zone)
    by_month = evidence.grouped_metrics(frame, "month", aggregate)
    assert dict(zip(by_month["Month"], by_month["Responses"], strict=True)) == months
    assert metrics.feedback_frame(aggregate, zone)["month"].value_counts().to_dict() == months


def test_month_nps_follows_the_local_month(sqlite_ctx: Context) -> None:
    map_id = month_boundary_map(sqlite_ctx)
    aggregate = services.load_map(sqlite_ctx, map_id)
    frame = evidence.verbatim_frame(aggregate, TEHRAN)
    by_month = evidence.grouped_metrics(frame, "month", aggregate).set_index("Month")
    # Tehran: March = the dated-only 9 (a promoter): 100, n 1; April = 10 and 0: (1 − 1)/2 = 0.
    assert by_month[["NPS", "NPS n"]].values.tolist() == [[100, 1], [0, 2]]
    frame = evidence.verbatim_frame(aggregate, NEW_YORK)
    by_month = evidence.grouped_metrics(frame, "month", aggregate).set_index("Month")
    # New York: all three in March: 100 × (2 promoters − 1 detractor) / 3 = 33.3, shown 33.
    assert by_month[["NPS", "NPS n"]].values.tolist() == [[33, 3]]


@pytest.mark.parametrize(
    ("zone", "period"),
    [
        (NEW_YORK, "last 90 days to 09 Mar 2024 vs the 90 days before"),
        (TEHRAN, "last 90 days to 10 Mar 2024 vs the 90 days before"),
    ],
)
def test_the_summary_period_ends_on_the_local_date(
    sqlite_ctx: Context, zone: dt.tzinfo, period: str
) -> None:
    map_id = import_csv(sqlite_ctx, "Comment,NPS,Date\nlate call,9,2024-03-09T23:30-05:00\n")
    kpis = summary.kpis(services.load_map(sqlite_ctx, map_id), 90, zone)
    assert {k.period for k in kpis} == {period}


def test_the_evidence_download_carries_the_local_date(sqlite_ctx: Context) -> None:
    map_id = import_csv(sqlite_ctx, "Comment,NPS,Date\nlate call,9,2024-03-09T23:30-05:00\n")
    frame = evidence.verbatim_frame(services.load_map(sqlite_ctx, map_id), NEW_YORK)
    data = feedback_file.spreadsheet_csv(evidence.verbatim_table(evidence.filter_verbatims(frame)))
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert table["Date"].tolist() == ["2024-03-09"]


def test_newest_first_orders_by_the_moment_within_a_day(sqlite_ctx: Context) -> None:
    map_id = import_csv(
        sqlite_ctx,
        "Comment,NPS,Date\nmorning,9,2024-03-09T08:00Z\nevening,9,2024-03-09T20:00Z\n"
        "next day,9,2024-03-10T01:00Z\n",
    )
    frame = evidence.verbatim_frame(services.load_map(sqlite_ctx, map_id), UTC)
    newest = evidence.filter_verbatims(frame, sort="Newest first")
    assert newest["text"].tolist() == ["next day", "evening", "morning"]


# ---------------------------------------------------------------- journey file, duplicate, rows


def test_the_journey_file_keeps_the_moment(ctx: Context) -> None:
    given = document(
        [
            {"touchpoint": "t1", "text": "late", "created_at": "2024-03-10",
             "received_at": "2024-03-09T23:30:00-05:00"},
            {"touchpoint": "t1", "text": "dated", "created_at": "2024-03-09"},
        ]
    )  # fmt: skip
    journey = services.import_document(ctx, journey_file.parse_document(json.dumps(given)))
    late, dated = services.load_map(ctx, journey.id).feedback
    assert late.received_at == utc(2024, 3, 10, 4, 30) and dated.received_at is None
    exported = services.export_document(ctx, journey.id)
    assert exported["feedback"][0]["received_at"] == "2024-03-10T04:30:00Z"  # written in UTC
    assert "received_at" not in exported["feedback"][1]  # written only when set
    text = journey_writing.dumps(exported)
    again = services.import_file(ctx, text.encode(), name="Again")
    assert journey_writing.dumps(services.export_document(ctx, again.id)) == text.replace(
        '"name": "Dates"', '"name": "Again"'
    )
    copy = services.duplicate_map(ctx, journey.id, "Copy")
    assert [f.received_at for f in services.load_map(ctx, copy.id).feedback] == [
        utc(2024, 3, 10, 4, 30),
        None,
    ]


@pytest.mark.parametrize(
    ("feedback", "version", "expected"),
    [
        ({"received_at": "2024-03-09T23:30:00Z"}, 1, r"\$\.feedback\[0\]\.received_at: unknown"),
        ({"received_at": "2024-02-30T10:00:00Z"}, 2, r"\$\.feedback\[0\]\.received_at: .* real"),
        ({"received_at": "2024-03-09T10:00:00"}, 2, r"\$\.feedback\[0\]\.received_at: .*form"),
    ],
)
def test_a_bad_moment_in_a_journey_file_is_refused(
    feedback: dict[str, Any], version: int, expected: str
) -> None:
    with pytest.raises(InvalidInput, match=expected):
        journey_file.parse_document(json.dumps(document([{"text": "x", **feedback}], version)))


def test_v1_and_v2_files_without_moments_still_import(sqlite_ctx: Context) -> None:
    for version in (1, 2):
        given = document([{"text": "x", "created_at": "2024-03-09"}], version)
        given["map"]["name"] = f"v{version}"
        journey = services.import_document(
            sqlite_ctx, journey_file.parse_document(json.dumps(given))
        )
        (row,) = services.load_map(sqlite_ctx, journey.id).feedback
        assert (row.created_at, row.received_at) == (dt.date(2024, 3, 9), None)


def test_a_row_edit_takes_a_moment_with_its_zone(sqlite_ctx: Context) -> None:
    journey = services.import_document(sqlite_ctx, document([]))
    services.create_row(
        sqlite_ctx, journey.id, "feedback", {"text": "x", "received_at": "2024-03-09T23:30-05:00"}
    )
    (row,) = services.load_map(sqlite_ctx, journey.id).feedback
    assert (row.received_at, row.created_at) == (utc(2024, 3, 10, 4, 30), dt.date(2024, 3, 10))
    with pytest.raises(InvalidInput, match="received_at: .* has no time zone"):
        services.create_row(
            sqlite_ctx, journey.id, "feedback", {"text": "y", "received_at": "2024-03-09T23:30"}
        )


def test_the_import_preview_shows_the_local_date_the_table_will_show() -> None:
    from cxmap.formats.feedback_import import stored_rows

    frame = feedback_file.read_feedback_file(
        b"Comment,NPS,Date\nlate call,9,2024-03-09T23:30-05:00\nearly,7,2024-03-09T06:00-05:00\n",
        "survey.csv",
        MB,
    )
    parsed = feedback_rows.parse_feedback(frame, {"text": "Comment", "nps": "NPS", "date": "Date"})
    by_zone = {
        zone: stored_rows(parsed.rows, {}, zone)["Date"].tolist() for zone in (NEW_YORK, TEHRAN)
    }
    assert by_zone[NEW_YORK] == [dt.date(2024, 3, 9), dt.date(2024, 3, 9)]
    # 04:30Z + 3:30 = 08:00 on the 10th; 11:00Z + 3:30 = 14:30 on the 9th
    assert by_zone[TEHRAN] == [dt.date(2024, 3, 10), dt.date(2024, 3, 9)]
