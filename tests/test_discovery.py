"""Journey discovery from event logs: reading (CSV, Parquet, XES), the SQL, the journey, the CLI.

The small log below (5 cases, 16 events) is worked out by hand in the tables of the tests;
a generated log is checked against a plain pandas computation; the same log as CSV, XES,
XES.gz and Parquet gives the same result; bad input is refused naming column and row.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cxmap import cli
from cxmap.analysis.discovery import Discovery, discover
from cxmap.core.errors import InvalidInput
from cxmap.formats import event_log
from cxmap.formats.discovered_journey import default_goals, journey_from_discovery
from cxmap.formats.journey_file import parse_document

# (case, activity, time on 2024-03-01, channel), in file order: c1's Pay comes before its
# Cart in the file (time decides), and c5's two events share a time (file order decides).
SMALL_LOG = [
    ("c1", "Visit", "10:00", "web"), ("c1", "Search", "10:02", "web"),
    ("c1", "Pay", "10:10", "web"), ("c1", "Cart", "10:05", "web"),
    ("c2", "Visit", "09:00", "app"), ("c2", "Search", "09:01", "app"),
    ("c2", "Search", "09:03", "app"), ("c2", "Cart", "09:06", "app"),
    ("c2", "Pay", "09:16", "phone"),
    ("c3", "Visit", "12:00", "web"), ("c3", "Cart", "12:04", "web"),
    ("c4", "Visit", "08:00", "phone"), ("c4", "Search", "08:10", "web"),
    ("c4", "Visit", "08:20", "web"),
    ("c5", "Visit", "14:00", "web"), ("c5", "Cart", "14:00", "web"),
]  # fmt: skip

# By hand. Sequences: c1 V S C P · c2 V S S C P · c3 V C · c4 V S V · c5 V C.
# (source, target): (count, median s, p90 s); p90 = percentile_cont(0.9), interpolated.
SMALL_EDGES = {
    ("Visit", "Search"): (3, 120.0, 504.0),  # c1 120, c2 60, c4 600
    ("Search", "Cart"): (2, 180.0, 180.0),  # c1 180, c2 180
    ("Cart", "Pay"): (2, 450.0, 570.0),  # c1 300, c2 600
    ("Visit", "Cart"): (2, 120.0, 216.0),  # c3 240, c5 0 (the tie)
    ("Search", "Search"): (1, 120.0, 120.0),  # c2: a self-loop is an edge
    ("Search", "Visit"): (1, 600.0, 600.0),  # c4
}
# activity: occurrences, cases, starts, ends, rework cases, median wait s, median position
SMALL_ACTIVITIES = {
    "Visit": (6, 5, 5, 1, 1, 600.0, 1.0),  # c4 visits twice; its second visit waited 600 s
    "Search": (4, 3, 0, 0, 1, 120.0, 2.0),  # waits 120, 60, 120, 600; c2 repeats it
    "Cart": (4, 4, 0, 2, 0, 180.0, 2.5),  # waits 180, 180, 240, 0; first at 3, 4, 2, 2
    "Pay": (2, 2, 0, 2, 0, 450.0, 4.5),  # waits 300, 600; at 4 and 5
}
SMALL_VARIANTS = [
    (("Visit", "Cart"), 2),
    (("Visit", "Search", "Cart", "Pay"), 1),
    (("Visit", "Search", "Search", "Cart", "Pay"), 1),
    (("Visit", "Search", "Visit"), 1),
]


def write_csv(path: Path, rows: list[tuple[str, str, str, str]], delimiter: str = ",") -> Path:
    lines = [delimiter.join(("Case ID", "Activity", "Timestamp", "Channel"))]
    lines += [delimiter.join((c, a, f"2024-03-01 {t}:00", ch)) for c, a, t, ch in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def xes_text(rows: list[tuple[str, str, str, str]]) -> str:
    """The log as XES: one trace per case (in order of first appearance), times at +01:00."""
    cases: dict[str, list[str]] = {}
    for case, activity, time, channel in rows:
        hour, minute = (int(x) for x in time.split(":"))
        stamp = f"2024-03-01T{hour + 1:02d}:{minute:02d}:00.000+01:00"
        cases.setdefault(case, []).append(
            f'<event><string key="concept:name" value="{activity}"/>'
            f'<date key="time:timestamp" value="{stamp}"/>'
            f'<string key="channel" value="{channel}"/>'
            '<string key="lifecycle:transition" value="complete"/></event>'
        )
    traces = "".join(
        f'<trace><string key="concept:name" value="{case}"/>{"".join(events)}</trace>'
        for case, events in cases.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1849-2016" '
        f'xmlns="http://www.xes-standard.org/">{traces}</log>\n'
    )


def assert_close(found: dict[Any, Any], expected: dict[Any, Any]) -> None:
    """Equal keys, and each value's numbers equal up to float rounding."""
    assert sorted(found, key=str) == sorted(expected, key=str)
    for key, value in expected.items():
        assert found[key] == pytest.approx(value, nan_ok=True), key


def discovered(path: Path, **chosen: str) -> Discovery:
    log = event_log.read_event_log(path, chosen)
    return discover(log.connection, log.table)


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "small.csv", SMALL_LOG)


def test_small_log_counts_equal_the_hand_computed_tables(small_csv: Path) -> None:
    found = discovered(small_csv)
    assert (found.cases, found.events) == (5, 16)
    edges = {(e.source, e.target): (e.count, e.median_s, e.p90_s) for e in found.edges}
    assert_close(edges, SMALL_EDGES)
    assert [(e.source, e.target) for e in found.edges][:1] == [("Visit", "Search")]
    activities = {
        name: (a.occurrences, a.cases, a.starts, a.ends, a.rework_cases, a.median_wait_s,
               a.median_position)
        for name, a in found.activities.items()
    }  # fmt: skip
    assert activities == SMALL_ACTIVITIES
    assert [(v.activities, v.cases) for v in found.variants] == SMALL_VARIANTS
    channels = {name: a.majority_channel for name, a in found.activities.items()}
    # Search: web 2, app 2; Pay: web 1, phone 1 — a tie goes to the first name.
    assert channels == {"Visit": "web", "Search": "app", "Cart": "web", "Pay": "phone"}


def test_small_log_as_a_journey_with_pay_as_the_goal(small_csv: Path) -> None:
    document = journey_from_discovery(discovered(small_csv), name="Shop", goals=["Pay"])
    touchpoints = {
        t["name"]: (t["key"], t["stage"], t["volume"], t["drop_off"], t["channel"])
        for t in document["touchpoints"]
    }
    # Not reaching Pay: c3 and c5 end at Cart (2 of its 4 cases), c4 at Visit (1 of 5).
    # Median first positions 1, 2, 2.5, 4.5 round to 1, 2, 2, 4: three stages.
    assert touchpoints == {
        "Visit": ("t1", "s1", 5, 0.2, "web"),
        "Search": ("t2", "s2", 3, 0.0, "app"),
        "Cart": ("t3", "s2", 4, 0.5, "web"),
        "Pay": ("t4", "s3", 2, 0.0, "phone"),
    }
    assert [s["name"] for s in document["stages"]] == ["Step 1", "Step 2", "Step 4"]
    transitions = {(t["source"], t["target"]): t["weight"] for t in document["transitions"]}
    # Directly-follows counts without the self-loop Search → Search.
    assert transitions == {
        ("t1", "t2"): 3, ("t1", "t3"): 2, ("t2", "t1"): 1, ("t2", "t3"): 2, ("t3", "t4"): 2,
    }  # fmt: skip
    parse_document(json.dumps(document))  # a valid cxmap-journey file


def test_default_goals_merging_and_ignoring(small_csv: Path) -> None:
    found = discovered(small_csv)
    assert default_goals(found) == ["Cart", "Pay"]  # 2 cases end at each
    # Search and Cart merged into "Shopping"; Pay ignored: the journeys now end at
    # Shopping (c1, c2, c3, c5) or Visit (c4), so Shopping is the one default goal.
    mapping = {"Search": "Shopping", "Cart": "Shopping", "Pay": None}
    assert default_goals(found, mapping) == ["Shopping"]
    document = journey_from_discovery(found, mapping=mapping)
    touchpoints = {t["name"]: (t["volume"], t["drop_off"]) for t in document["touchpoints"]}
    # c4 (Visit, Shopping, Visit) ends at Visit but reached the goal on the way: no drop.
    assert touchpoints == {"Visit": (5, 0.0), "Shopping": (5, 0.0)}
    transitions = {(t["source"], t["target"]): t["weight"] for t in document["transitions"]}
    assert transitions == {("t1", "t2"): 5, ("t2", "t1"): 1}  # V→S×3 + V→C×2; S→V (c4)


def test_an_outcome_column_decides_who_reached_the_goal(tmp_path: Path) -> None:
    path = tmp_path / "flag.csv"
    path.write_text(
        "case,step,at,converted\n"
        "a,Visit,2024-01-01T10:00:00,no\na,Form,2024-01-01T10:01:00,yes\n"
        "b,Visit,2024-01-01T11:00:00,no\nb,Form,2024-01-01T11:05:00,no\n"
        "c,Visit,2024-01-01T12:00:00,\n",
        encoding="utf-8",
    )
    log = event_log.read_event_log(path, {"activity": "step", "timestamp": "at"})
    assert log.columns.outcome == "converted"  # guessed from the name
    found = discover(log.connection, log.table)
    document = journey_from_discovery(found)
    touchpoints = {t["name"]: (t["volume"], t["drop_off"]) for t in document["touchpoints"]}
    # b ends at Form unconverted (1 of 2); c ends at Visit (1 of 3); a converted.
    assert touchpoints == {"Visit": (3, 0.3333), "Form": (2, 0.5)}


def generated_log(cases: int = 300, seed: int = 7) -> pd.DataFrame:
    """Random journeys over six activities, with repeats, ties and rows out of time order."""
    rng = random.Random(seed)
    activities = ["Ad", "Visit", "Search", "Cart", "Pay", "Help"]
    rows = []
    for case in range(cases):
        time = 1_700_000_000 + rng.randrange(10**6)
        for _ in range(rng.randint(1, 8)):
            time += rng.choice([0, 0, 30, 60, 600, 3600])  # zeros: ties kept in file order
            rows.append((f"case-{case}", rng.choice(activities), time, rng.choice(["web", "app"])))
    frame = pd.DataFrame(rows, columns=["case", "activity", "epoch", "channel"])
    frame["time"] = pd.to_datetime(frame["epoch"], unit="s").dt.strftime("%Y-%m-%dT%H:%M:%S")
    # Shuffle whole cases and swap neighbours with different times: file order ≠ time order.
    order = list(range(len(frame)))
    for i in range(0, len(order) - 1, 7):
        if frame.epoch[order[i]] != frame.epoch[order[i + 1]]:
            order[i], order[i + 1] = order[i + 1], order[i]
    return frame.iloc[order].reset_index(drop=True)


def pandas_discovery(frame: pd.DataFrame) -> dict[str, Any]:
    """The same figures computed plainly with pandas (stable sort: ties in file order)."""
    events = frame.assign(seq=range(len(frame))).sort_values(
        ["case", "epoch", "seq"], kind="stable"
    )
    events["previous"] = events.groupby("case")["activity"].shift()
    events["wait"] = events["epoch"] - events.groupby("case")["epoch"].shift()
    events["pos"] = events.groupby("case").cumcount() + 1
    pairs = events.dropna(subset=["previous"])
    edges = {
        (source, target): (len(group), group["wait"].median(), group["wait"].quantile(0.9))
        for (source, target), group in pairs.groupby(["previous", "activity"])
    }
    firsts = events.groupby("case").head(1)["activity"].value_counts().to_dict()
    lasts = events.groupby("case").tail(1)["activity"].value_counts().to_dict()
    repeats = events.groupby(["case", "activity"]).size()
    activities = {
        name: (
            len(group), group["case"].nunique(), firsts.get(name, 0), lasts.get(name, 0),
            int((repeats.xs(name, level="activity") > 1).sum()),
            group["wait"].median() if group["wait"].notna().any() else None,
            events[events.activity == name].groupby("case")["pos"].min().median(),
        )
        for name, group in events.groupby("activity")
    }  # fmt: skip
    variants = events.groupby("case")["activity"].agg(tuple).value_counts().to_dict()
    return {"edges": edges, "activities": activities, "variants": variants}


def test_a_generated_log_agrees_with_pandas(tmp_path: Path) -> None:
    frame = generated_log()
    path = tmp_path / "generated.csv"
    frame[["case", "activity", "time", "channel"]].to_csv(path, index=False, sep=";")
    found = discovered(path)
    expected = pandas_discovery(frame)
    assert found.cases == frame["case"].nunique() and found.events == len(frame)
    edges = {(e.source, e.target): (e.count, e.median_s, e.p90_s) for e in found.edges}
    assert_close(edges, expected["edges"])
    activities = {
        name: (a.occurrences, a.cases, a.starts, a.ends, a.rework_cases, a.median_wait_s,
               a.median_position)
        for name, a in found.activities.items()
    }  # fmt: skip
    assert_close(activities, expected["activities"])
    assert {v.activities: v.cases for v in found.variants} == expected["variants"]


def test_csv_xes_xes_gz_and_parquet_of_one_log_give_one_result(
    tmp_path: Path, small_csv: Path
) -> None:
    expected = discovered(small_csv).as_report()
    (tmp_path / "small.xes").write_text(xes_text(SMALL_LOG), encoding="utf-8")
    with gzip.open(tmp_path / "small.xes.gz", "wt", encoding="utf-8") as out:
        out.write(xes_text(SMALL_LOG))
    raw = event_log.open_event_log(small_csv)
    raw.connection.execute(
        "COPY (SELECT * EXCLUDE (_cxmap_row) FROM raw_events ORDER BY _cxmap_row) TO ? "
        "(FORMAT parquet)",
        [str(tmp_path / "small.parquet")],
    )
    assert discovered(tmp_path / "small.parquet").as_report() == expected
    for name in ("small.xes", "small.xes.gz"):
        assert discovered(tmp_path / name, channel="channel").as_report() == expected, name
    raw = event_log.open_event_log(tmp_path / "small.xes")
    guessed = raw.guessed_columns()
    assert (guessed.case, guessed.activity, guessed.timestamp) == (
        "case:concept:name", "concept:name", "time:timestamp",
    )  # fmt: skip
    assert "lifecycle:transition" in raw.headers  # other attributes are kept as columns


def test_semicolons_and_cp1252_are_read_as_the_feedback_import_reads_them(
    tmp_path: Path,
) -> None:
    rows = [("1", "Café visit", "10:00", "web"), ("1", "Paid", "10:01", "web")]
    path = write_csv(tmp_path / "latin.csv", rows, delimiter=";")
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    assert list(discovered(path).activities) == ["Café visit", "Paid"]


def _refusal(path: Path, **chosen: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        event_log.read_event_log(path, chosen)
    return caught.value


BASE = "case,activity,time\n1,A,2024-01-01T10:00:00\n"
BAD_INPUT = [
    ("missing column", BASE, {"case": "Ticket"}, "eventlog.no_column",
     "there is no column 'Ticket' for the case id (the columns are 'case', 'activity', 'time')"),
    ("no case column", "id,activity,time\n1,A,2024-01-01\n", {}, "eventlog.no_role",
     "no column is the case id: name one (the columns are 'id', 'activity', 'time')"),
    ("empty case", BASE + ",B,2024-01-01T10:05:00\n", {}, "eventlog.empty_value",
     "row 3, column 'case': the case id is empty"),
    ("empty activity", BASE + "1,  ,2024-01-01T10:05:00\n", {}, "eventlog.empty_value",
     "row 3, column 'activity': the activity is empty"),
    ("unparseable time", BASE + "1,B,2024-01-01T10:05:00\n1,C,next tuesday\n", {},
     "eventlog.bad_time", "row 4, column 'time': 'next tuesday' is not a time (expected ISO "
     "8601, such as 2024-03-01T14:05:00+01:00)"),
    ("mixed zones", BASE + "1,B,2024-01-01T10:05:00+02:00\n", {}, "eventlog.mixed_zones",
     "column 'time' mixes times with a time zone offset (row 3: '2024-01-01T10:05:00+02:00') "
     "and without one (row 2: '2024-01-01T10:00:00'): give every time an offset, or none"),
    ("bad flag", "case,activity,time,outcome\n1,A,2024-01-01,maybe\n", {}, "eventlog.bad_flag",
     "row 2, column 'outcome': 'maybe' is not a yes/no value (true, false, 1, 0, yes, no)"),
    ("header only", "case,activity,time\n", {}, "eventlog.no_events", "the log has no events"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "chosen", "code", "words"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_refused_naming_column_and_row(
    tmp_path: Path, content: str, chosen: dict[str, str], code: str, words: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    error = _refusal(path, **chosen)
    assert error.where == str(path)
    assert error.problem.code == code  # type: ignore[union-attr]
    assert error.message == f"{path}: {words}"


def test_junk_bytes_and_broken_xes_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(random.Random(1).randbytes(50_000))
    assert _refusal(junk).problem.code == "eventlog.binary"  # type: ignore[union-attr]
    broken = tmp_path / "broken.xes"
    broken.write_text(xes_text(SMALL_LOG)[:-20], encoding="utf-8")
    error = _refusal(broken)
    assert error.problem.code == "eventlog.bad_xml"  # type: ignore[union-attr]
    assert "at line 2, column" in error.message
    empty_trace = tmp_path / "empty.xes"
    text = xes_text(SMALL_LOG[:2]).replace(
        "</log>", '<trace><string key="concept:name" value="ghost"/></trace></log>'
    )
    empty_trace.write_text(text, encoding="utf-8")
    assert _refusal(empty_trace).message == (
        f"{empty_trace}: trace 'ghost' (number 2 in the file) has no events"
    )
    no_activity = tmp_path / "no-activity.xes"
    no_activity.write_text(
        xes_text(SMALL_LOG).replace('key="concept:name" value="Cart"', 'key="x" value="Cart"', 1),
        encoding="utf-8",
    )
    # c1's events are events 1-4; its Cart (4th in the file) has no concept:name.
    assert _refusal(no_activity).message == (
        f"{no_activity}: event 4, column 'concept:name': the activity is empty"
    )


def test_discover_command_writes_the_journey_and_the_report(
    tmp_path: Path, small_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey, report = tmp_path / "out" / "journey.json", tmp_path / "report.json"
    code = cli.main(
        ["discover", str(small_csv), "--goal", "Pay", "-o", str(journey), "--report", str(report)]
    )
    assert code == 0, capsys.readouterr().err
    found = json.loads(report.read_text(encoding="utf-8"))
    assert (found["cases"], found["events"], found["variants"]) == (5, 16, 4)
    assert found["activities"]["Search"]["rework_cases"] == 1
    assert {"source": "Visit", "target": "Search", "count": 3, "median_s": 120.0,
            "p90_s": 504.0} in found["edges"]  # fmt: skip
    assert found["top_variants"][0] == {"activities": ["Visit", "Cart"], "cases": 2}
    document = parse_document(journey.read_bytes())
    assert document["map"]["name"] == "small"
    assert [t["drop_off"] for t in document["touchpoints"]] == [0.2, 0.0, 0.5, 0.0]
    assert "5 cases" in capsys.readouterr().out


def test_discover_command_bad_input_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BASE + "1,B,soon\n", encoding="utf-8")
    assert cli.main(["discover", str(path), "-o", str(tmp_path / "j.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "row 3, column 'time': 'soon' is not a time" in err
    assert not (tmp_path / "j.json").exists()
    assert cli.main(["discover", str(path), "--time", "when"]) == 1
    assert "there is no column 'when' for the timestamp" in capsys.readouterr().err


def test_xes_batches_take_attributes_that_appear_late(tmp_path: Path) -> None:
    import duckdb

    from cxmap.formats.xes_log import load_xes

    text = xes_text(SMALL_LOG).replace(
        '<string key="concept:name" value="Pay"/>',
        '<string key="concept:name" value="Pay"/><float key="amount" value="9.5">'
        '<string key="currency" value="EUR"/></float>',  # (a meta-attribute: not a column)
    )
    connection = duckdb.connect()
    with gzip.open(tmp_path / "log.xes.gz", "wb") as out:
        out.write(text.encode("utf-8"))
    with gzip.open(tmp_path / "log.xes.gz", "rb") as stream:
        events = load_xes(stream, "log.xes.gz", connection, "raw", row_column="n", batch_events=3)
    assert events == 16
    rows = connection.execute('SELECT n, "concept:name", amount FROM raw ORDER BY n').fetchall()
    assert [r[0] for r in rows] == list(range(1, 17))  # every event once, in file order
    assert [(r[1], r[2]) for r in rows if r[2]] == [("Pay", "9.5"), ("Pay", "9.5")]
    columns = [r[0] for r in connection.execute("DESCRIBE raw").fetchall()]
    assert "currency" not in columns and "case:currency" not in columns


def test_utf16_tab_separated_log(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "utf16.csv", SMALL_LOG, delimiter="\t")
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert (
        discovered(path).as_report()
        == discovered(write_csv(tmp_path / "a.csv", SMALL_LOG)).as_report()
    )


def test_discover_command_renames_ignores_and_defaults_its_goals(
    tmp_path: Path, small_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = tmp_path / "journey.json"
    argv = ["discover", str(small_csv), "--rename", "Search=Shopping", "Cart=Shopping",
            "--ignore", "Pay", "-o", str(journey)]  # fmt: skip
    assert cli.main(argv) == 0
    assert "goals: Shopping (where most cases end; --goal changes it)" in capsys.readouterr().out
    names = [t["name"] for t in json.loads(journey.read_text(encoding="utf-8"))["touchpoints"]]
    assert names == ["Visit", "Shopping"]
    assert cli.main(["discover", str(small_csv), "--goal", "Checkout"]) == 1
    assert "there is no activity 'Checkout'" in capsys.readouterr().err
