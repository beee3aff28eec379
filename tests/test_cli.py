"""``python -m cxmap``: exit codes 0/1/2, one-line errors, no traceback, nothing half-written."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxmap import cli
from cxmap.core.config import DEMO_DIR
from cxmap.store.db import get_database
from tests.factories import as_v1, journey_document

ROOT = Path(__file__).resolve().parent.parent


def cxmap(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    """``python -m cxmap ARGS`` on ``database``, run in this process (``cli.main``, what
    ``__main__`` calls): the same exit code, stdout and stderr, without a new interpreter's
    start-up (2 s each here). :func:`cxmap_process` is the real command, for what only a
    process shows."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("CXMAP_DATABASE_URL")
    os.environ["CXMAP_DATABASE_URL"] = f"sqlite:///{database}"
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exit_:  # argparse: wrong usage, --help
                code = int(exit_.code or 0)
    finally:
        if saved is None:
            del os.environ["CXMAP_DATABASE_URL"]
        else:
            os.environ["CXMAP_DATABASE_URL"] = saved
        get_database(f"sqlite:///{database}").dispose()
    return subprocess.CompletedProcess(["cxmap", *args], code, out.getvalue(), err.getvalue())


def cxmap_process(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    """The real ``python -m cxmap`` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "cxmap", *args],
        cwd=ROOT,
        env={**os.environ, "CXMAP_DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def test_validate_the_demo_maps(database: Path) -> None:
    demos = sorted(str(p) for p in DEMO_DIR.glob("*.json"))
    assert len(demos) == 3
    result = cxmap("validate", *demos, database=database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("valid cxmap-journey v1") == 3


def test_validate_a_bad_file_names_the_file_and_json_path(tmp_path: Path, database: Path) -> None:
    document = journey_document()
    document["touchpoints"][4]["emotion"] = 7
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = cxmap("validate", str(bad), database=database)
    assert result.returncode == 1
    assert (
        result.stderr
        == f"cxmap: error: {bad}: $.touchpoints[4].emotion: 7 is outside the range -2…2\n"
    )
    assert "Traceback" not in result.stderr


def test_missing_file_and_wrong_usage(tmp_path: Path, database: Path) -> None:
    missing = cxmap_process("import", str(tmp_path / "nope.json"), database=database)
    assert missing.returncode == 1 and "nope.json: no such file" in missing.stderr
    assert cxmap_process("frobnicate", database=database).returncode == 2
    assert cxmap("export", database=database).returncode == 2
    pdf = cxmap("export", "1", "-o", str(tmp_path / "x.docx"), database=database)
    assert pdf.returncode == 2 and "cannot export to '.docx'" in pdf.stderr


def test_seed_import_export_round_trip(tmp_path: Path, database: Path) -> None:
    seeded = cxmap_process("seed", database=database)
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout.count("loaded demo map") == 3
    again = cxmap("seed", database=database)
    assert again.returncode == 0 and "already has maps" in again.stdout

    source = tmp_path / "journey.json"
    source.write_text(json.dumps(journey_document("CLI journey")), encoding="utf-8")
    imported = cxmap("import", str(source), database=database)
    assert imported.returncode == 0 and "CLI journey" in imported.stdout

    out = tmp_path / "out" / "journey.json"
    exported = cxmap("export", "CLI journey", "-o", str(out), database=database)
    assert exported.returncode == 0, exported.stderr
    assert as_v1(json.loads(out.read_text(encoding="utf-8"))) == json.loads(source.read_text())

    listing = cxmap("maps", database=database)
    assert "CLI journey" in listing.stdout and listing.stdout.count("\n") == 4

    reset = cxmap("seed", "--reset", database=database)
    assert reset.returncode == 0 and "CLI journey" not in cxmap("maps", database=database).stdout


def test_bad_import_writes_nothing(tmp_path: Path, database: Path) -> None:
    document = journey_document()
    document["transitions"][0]["target"] = "t404"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = cxmap("import", str(bad), database=database)
    assert result.returncode == 1
    assert "$.transitions[0].target: 't404' matches no key in touchpoints" in result.stderr
    assert cxmap("maps", database=database).stdout == ""


def test_export_of_an_unknown_map_leaves_no_file(tmp_path: Path, database: Path) -> None:
    out = tmp_path / "never.json"
    result = cxmap("export", "No such map", "-o", str(out), database=database)
    assert result.returncode == 1
    assert "no map has the id or name 'No such map'" in result.stderr
    assert not out.exists() and list(tmp_path.glob(".never*")) == []


@pytest.mark.parametrize("path", sorted(DEMO_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_analyze_a_demo_file_as_json(path: Path, database: Path) -> None:
    result = cxmap("analyze", str(path), "--json", database=database)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    first = report["touchpoints"][0]
    assert set(first) >= {
        "key",
        "name",
        "stage",
        "reach",
        "friction",
        "components",
        "impact",
        "moment_of_truth",
        "reasons",
    }
    assert set(report) >= {
        "moments_of_truth",
        "most_likely_path",
        "worst_path",
        "completion",
        "health",
    }
    assert 3 <= len(report["moments_of_truth"]) <= 10
    assert all(t["reasons"] for t in report["touchpoints"] if t["moment_of_truth"])
    assert 0 < report["completion"] < 1 and 0 < report["health"] < 100


def test_analyze_a_stored_map_by_name_in_words(database: Path) -> None:
    assert cxmap("seed", database=database).returncode == 0
    result = cxmap("analyze", "Broadband onboarding", database=database)
    assert result.returncode == 0, result.stderr
    assert "What to fix first" in result.stdout
    assert "1. Technician installation visit" in result.stdout
    missing = cxmap("analyze", "Nope", database=database)
    assert missing.returncode == 1 and "no map has the id or name 'Nope'" in missing.stderr


SURVEY = (
    "Response,How likely to recommend (0-10),Satisfaction,Comment,Segment,Step\n"
    '1,9,5,"Installer was great",Families,Technician installation visit\n'
    '2,3,2,"Terrible, the technician never showed up",Families,t14\n'
    '3,10,5,"Fast and friendly",Students,Sets up the router and Wi-Fi\n'
    '4,6,3,"=HYPERLINK(""http://x"",""x"")",Students,nowhere\n'
)
NPS_COL = "How likely to recommend (0-10)"


def test_metrics_per_group_as_json(tmp_path: Path, database: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    result = cxmap(
        "metrics", str(survey), "--nps-col", NPS_COL, "--csat-col", "Satisfaction",
        "--group-col", "Segment", "--json", database=database,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = {r["segment"]: r for r in json.loads(result.stdout)}
    # Families: 9 and 3 → (1 − 1) / 2 = 0; Students: 10 and 6 → 0. CSAT 5,2 → 50 %; 5,3 → 50 %.
    assert (rows["Families"]["NPS"], rows["Families"]["NPS n"]) == (0.0, 2)
    assert (rows["Students"]["CSAT %"], rows["Students"]["CSAT mean"]) == (50.0, 4.0)


def test_metrics_stops_at_a_bad_value_naming_row_and_column(tmp_path: Path, database: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY.replace("2,3,2,", "2,11,2,"), encoding="utf-8")
    result = cxmap("metrics", str(survey), "--nps-col", NPS_COL, database=database)
    assert result.returncode == 1
    assert result.stderr == (
        f"cxmap: error: {survey}: row 3, column '{NPS_COL}': nps: 11 is outside 0…10\n"
    )
    skipped = cxmap(
        "metrics", str(survey), "--nps-col", NPS_COL, "--skip-bad-rows", database=database
    )
    assert skipped.returncode == 0 and "left out 1 rows" in skipped.stderr
    assert cxmap("metrics", str(survey), database=database).returncode == 2


def test_sentiment_adds_columns_and_neutralises_formulas(tmp_path: Path, database: Path) -> None:
    survey, out = tmp_path / "survey.csv", tmp_path / "scored.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    result = cxmap(
        "sentiment", str(survey), "--text-col", "Comment", "-o", str(out), database=database
    )
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",compound,label,language")
    assert ",positive,en" in lines[1] and ",negative,en" in lines[2]
    assert "\"'=HYPERLINK(" in lines[4]  # opens as text in a spreadsheet


def test_voc_import_links_rows_and_is_idempotent(tmp_path: Path, database: Path) -> None:
    assert cxmap("seed", database=database).returncode == 0
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    args = ["voc", "import", str(survey), "--map", "Broadband onboarding", "--text-col", "Comment",
            "--nps-col", NPS_COL, "--touchpoint-col", "Step", "--source", "survey"]  # fmt: skip
    first = cxmap(*args, database=database)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("added 4 feedback rows (0 were already there")
    assert "'nowhere' ×1" in first.stdout
    second = cxmap(*args, database=database)
    assert "was already imported into this map on" in second.stdout
    # A newer export that repeats the old rows: only its new row is added.
    survey.write_text(SURVEY + '5,10,"Brilliant support",Students,t19\n', encoding="utf-8")
    third = cxmap(*args, database=database)
    assert third.stdout.startswith("added 1 feedback rows (4 were already there")


def test_voc_import_keeps_the_moment_and_summary_dates_it_in_tz(
    tmp_path: Path, database: Path
) -> None:
    assert cxmap("seed", database=database).returncode == 0
    survey = tmp_path / "late.csv"
    survey.write_text("Comment,NPS,Date\nLate call,9,2024-03-09T23:30-05:00\n", encoding="utf-8")
    imported = cxmap("voc", "import", str(survey), "--map", "Broadband onboarding",
                     "--text-col", "Comment", "--nps-col", "NPS", "--date-col", "Date",
                     "--source", "survey", database=database)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    rows = json.loads(cxmap("rows", "Broadband onboarding", "feedback", "--json",
                            database=database).stdout)  # fmt: skip
    late = next(r for r in rows if r["text"] == "Late call")
    assert (late["created_at"], late["received_at"]) == ("2024-03-10", "2024-03-10T04:30:00Z")
    # A map of its own, so the late call is the newest dated row and ends the KPIs' period.
    document = journey_document("Late only", feedback_per_touchpoint=0)
    path = tmp_path / "late-only.json"
    path.write_text(json.dumps(document))
    assert cxmap("import", str(path), database=database).returncode == 0
    assert cxmap("voc", "import", str(survey), "--map", "Late only", "--text-col", "Comment",
                 "--nps-col", "NPS", "--date-col", "Date", "--source", "survey",
                 database=database).returncode == 0  # fmt: skip
    for zone, day in (("America/New_York", "09 Mar 2024"), ("Asia/Tehran", "10 Mar 2024")):
        result = cxmap("summary", "Late only", "--json", "--tz", zone, database=database)
        assert result.returncode == 0, result.stderr
        periods = {k["period"] for k in json.loads(result.stdout)["kpis"]}
        assert periods == {f"last 90 days to {day} vs the 90 days before"}, zone
    unknown = cxmap("summary", "Late only", "--tz", "Mars/Olympus", database=database)
    assert (
        unknown.returncode == 2
        and "--tz: invalid time_zone value: 'Mars/Olympus'" in unknown.stderr
    )


# ---- exports for people outside the app: HTML, PDF, PNG (cxmap/render/report/)

needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() and os.environ.get("CI", "").lower() != "true",
    reason="/usr/bin/chromium is missing: PDF and PNG exports cannot render (make browser)",
)


@needs_chromium
def test_export_html_pdf_and_png_after_seed(tmp_path: Path, database: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    assert cxmap("seed", database=database).returncode == 0
    for suffix in (".html", ".pdf", ".png"):
        out = tmp_path / f"x{suffix}"
        result = cxmap("export", "Broadband onboarding", "-o", str(out), database=database)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("exported map ") and result.stdout.endswith(f" to {out}\n")
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Technician installation visit" in page
    reader = PdfReader(tmp_path / "x.pdf")
    assert len(reader.pages) >= 4 and "Broadband onboarding" in reader.pages[0].extract_text()
    with Image.open(tmp_path / "x.png") as image:
        assert image.format == "PNG" and image.size[0] > 5000 and image.size[1] > 1000


@needs_chromium
def test_export_pptx_and_the_slide_png_on_a_real_sqlite_file(
    tmp_path: Path, database: Path
) -> None:
    from pptx import Presentation

    assert cxmap("seed", database=database).returncode == 0
    deck = tmp_path / "x.pptx"
    result = cxmap("export", "Broadband onboarding", "-o", str(deck), database=database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(f" to {deck}\n")
    slides = Presentation(str(deck)).slides
    assert len(slides) == 7
    assert "Broadband onboarding" in slides[0].shapes[0].text_frame.text
    # The suffix .slide.png asks for the 16:9 slide; .png stays the long strip.
    slide = tmp_path / "Q3 board.Slide.PNG"
    result = cxmap("export", "Broadband onboarding", "-o", str(slide), database=database)
    assert result.returncode == 0, result.stderr
    header = slide.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (
        1920,
        1080,
    )


def test_export_pdf_without_chromium_is_one_line_and_writes_nothing(
    tmp_path: Path, database: Path
) -> None:
    assert cxmap("seed", database=database).returncode == 0
    out = tmp_path / "x.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "cxmap", "export", "Broadband onboarding", "-o", str(out)],
        cwd=ROOT,
        env={**os.environ, "CXMAP_DATABASE_URL": f"sqlite:///{database}",
             "BROWSER_PATH": "/nonexistent/chromium"},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith(
        "cxmap: error: PDF export needs Chromium, not found at /nonexistent/chromium: "
        "run `make browser`"
    )
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists() and list(tmp_path.glob(".x.pdf.*")) == []


def test_summary_json_prints_what_the_executive_summary_shows(
    tmp_path: Path, database: Path
) -> None:
    keys = [f"t{i}" for i in range(1, 6)]
    document = {
        "format": "cxmap-journey",
        "version": 1,
        "map": {"name": "Five in a row", "description": "", "state": "current", "language": "en"},
        "stages": [{"key": f"s{i}", "name": f"S{i}", "order": i} for i in range(1, 6)],
        "touchpoints": [
            {"key": k, "stage": f"s{i}", "name": f"Step {i}", "channel": "web", "owner": "Ops",
             "emotion": -2, "effort": None, "volume": 10_000, "drop_off": 0.0,
             "moment_of_truth": False}
            for i, k in enumerate(keys, start=1)
        ],
        "transitions": [{"source": a, "target": b, "weight": 1.0}
                        for a, b in zip(keys, keys[1:], strict=False)],
        "feedback": [
            {"touchpoint": None, "text": "", "nps": nps, "csat": None, "ces": None,
             "source": "survey", "created_at": day}
            for nps, day in ((10, "2026-03-01"), (9, "2026-03-10"), (3, "2026-03-20"))
        ],
    }  # fmt: skip
    path = tmp_path / "five.json"
    path.write_text(json.dumps(document))
    assert cxmap("import", str(path), database=database).returncode == 0

    result = cxmap("summary", "Five in a row", "--json", database=database)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    # A customer leaves once: 10,000 × (1 − (2/3)⁵) = 8,683.1 a month, not 5 × 3,333 = 16,667.
    risk = found["at_risk"]
    assert (risk["customers"], risk["entering"], risk["period"]) == (8683.1, 10_000, "month")
    assert risk["headline"].startswith(
        "About 8,683 of the 10,000 customers who start the journey each month"
    )
    assert (
        risk["assumptions"][0]
        == "10,000 customers a month start the journey (the volumes of Step 1)."
    )
    assert not any("seed" in text for text in risk["assumptions"])
    # NPS (2 − 1) / 3 = 33.3 over the last 90 days, n = 3, with its small-sample interval
    # (p⁺ 3/6, p⁻ 2/6: 16.67 ± 71.82).
    nps = found["kpis"][0]
    assert (nps["name"], round(nps["value"], 1), nps["n"]) == ("NPS", 33.3, 3)
    assert (round(nps["low"], 2), round(nps["high"], 2)) == (-55.15, 88.48)
    assert nps["period"] == "last 90 days to 20 Mar 2026 vs the 90 days before"
    # Friction of each step: emotion 1.0 over weights .30 + .25 (pain 0) + .10 (drop-off 0) = 46.15.
    assert (found["health"], found["completion"]) == (53.85, 1.0)
    assert [(t["key"], t["impact"]) for t in found["top"]] == [(k, 46.15) for k in keys]
    # Five touchpoints: one model-found moment of truth, the strongest (first of equals).
    assert found["moments_of_truth"] == [
        {"key": "t1", "name": "Step 1",
         "reasons": ["strong feeling (-2) that 100% of customers meet", "peak negative emotion"]}
    ]  # fmt: skip

    text = cxmap("summary", "Five in a row", database=database)
    assert text.returncode == 0 and "About 8,683 of the 10,000 customers" in text.stdout
    missing = cxmap("summary", "No such map", "--json", database=database)
    assert missing.returncode == 1 and "no map has the id or name 'No such map'" in missing.stderr


def test_voc_import_dates_across_dst_and_ambiguous_orders(tmp_path: Path, database: Path) -> None:
    assert cxmap("seed", database=database).returncode == 0
    dst = tmp_path / "dst.csv"
    dst.write_text("Comment,When\nFine,2024-03-09T10:00-05:00\nSlow,2024-03-11T10:00-04:00\n")
    args = ["voc", "import", "--map", "Broadband onboarding", "--text-col", "Comment",
            "--date-col", "When"]  # fmt: skip
    done = cxmap(*args, str(dst), database=database)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("added 2 feedback rows")

    ambiguous = tmp_path / "ambiguous.csv"
    ambiguous.write_text("Comment,When\nFine,03/04/2024\nSlow,05/04/2024\n")
    refused = cxmap(*args, str(ambiguous), database=database)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [
        f"cxmap: error: {ambiguous}: column 'When': dates such as '03/04/2024' (row 2) can be "
        "read day first or month first; say which comes first (--dayfirst or --monthfirst)"
    ]
    assert cxmap(*args, str(ambiguous), "--dayfirst", database=database).returncode == 0

    mixed = tmp_path / "mixed.csv"
    mixed.write_text("Comment,When\nFine,2024-03-09T10:00-05:00\nSlow,2024-03-11 10:00\n")
    refused = cxmap(*args, str(mixed), database=database)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "column 'When' mixes dates with a time zone offset (row 2" in refused.stderr

    from cxmap import services

    ctx = services.open_context(f"sqlite:///{database}")
    map_id = services.resolve_map(ctx, "Broadband onboarding")
    dates = {(f.text, str(f.created_at)) for f in services.load_map(ctx, map_id).feedback}
    assert {("Fine", "2024-03-09"), ("Slow", "2024-03-11"), ("Fine", "2024-04-03"),
            ("Slow", "2024-04-05")} <= dates  # fmt: skip


def test_voc_import_uses_the_value_links_remembered_for_the_map(
    tmp_path: Path, database: Path
) -> None:
    from cxmap import services

    assert cxmap("seed", database=database).returncode == 0
    ctx = services.open_context(f"sqlite:///{database}")
    map_id = services.resolve_map(ctx, "Broadband onboarding")
    tp = services.load_map(ctx, map_id).touchpoints[0]
    services.import_feedback(ctx, map_id, [], value_links={"store visit": tp.id})  # on the page
    visits = tmp_path / "visits.csv"
    visits.write_text("Comment,Step,Via\nQueue was long,Store Visit,store\nOdd,nowhere,web\n")
    done = cxmap("voc", "import", str(visits), "--map", str(map_id), "--text-col", "Comment",
                 "--touchpoint-col", "Step", "--channel-col", "Via", database=database)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "'nowhere' ×1" in done.stdout and "Store Visit" not in done.stdout
    rows = {f.text: f for f in services.load_map(ctx, map_id).feedback}
    assert (rows["Queue was long"].touchpoint_id, rows["Queue was long"].channel) == (
        tp.id,
        "store",
    )
    assert (rows["Odd"].touchpoint_id, rows["Odd"].channel) == (None, "web")


# ---------------------------------------------------------------- every edit of the app


def test_row_add_set_delete_and_rows_edit_a_map_as_the_app_does(
    tmp_path: Path, database: Path
) -> None:
    source = tmp_path / "journey.json"
    source.write_text(json.dumps(journey_document("Edited", stages=2)), encoding="utf-8")
    assert cxmap("import", str(source), database=database).returncode == 0

    added = cxmap(
        "row", "add", "Edited", "touchpoint", "--set", "stage=s2", "name=Calls support",
        "emotion=-2", "moment_of_truth=yes", database=database,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout == "t5\n"
    listed = cxmap("rows", "Edited", "touchpoint", "--json", database=database)
    new = json.loads(listed.stdout)[-1]
    assert (new["key"], new["stage"], new["emotion"], new["moment_of_truth"]) == (
        "t5", "s2", -2, True
    )  # fmt: skip
    assert new["version"] == 1

    changed = cxmap("row", "set", "Edited", "touchpoint", "t5", "emotion=1", "--version", "1",
                    database=database)  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    stale = cxmap("row", "set", "Edited", "touchpoint", "t5", "name=Rings", "--version", "1",
                  database=database)  # fmt: skip
    assert stale.returncode == 1
    assert stale.stderr.startswith("cxmap: error: touchpoint 'Calls support' (t5) was changed")
    assert "version 1 → 2" in stale.stderr and stale.stderr.count("\n") == 1

    feedback = cxmap("row", "add", "Edited", "feedback", "--set", "text=Great, quick service",
                     "touchpoint=t5", "sentiment=-0.5", database=database)  # fmt: skip
    assert feedback.returncode == 0, feedback.stderr
    row = json.loads(cxmap("rows", "Edited", "feedback", "--json", database=database).stdout)[-1]
    assert (row["id"], row["sentiment"], row["sentiment_source"]) == (
        int(feedback.stdout), -0.5, "manual"
    )  # fmt: skip

    deleted = cxmap("row", "delete", "Edited", "touchpoint", "t5", database=database)
    assert deleted.returncode == 0, deleted.stderr
    table = cxmap("rows", "Edited", "touchpoint", database=database).stdout.splitlines()
    assert table[0].split("\t")[:4] == ["id", "version", "key", "stage"]
    assert [line.split("\t")[2] for line in table[1:]] == ["t1", "t2", "t3", "t4"]
    after = json.loads(cxmap("rows", "Edited", "feedback", "--json", database=database).stdout)
    assert after[-1]["touchpoint"] is None  # feedback outlives its touchpoint, unlinked


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["touchpoint", "--set", "stage=s1", "name=x", "emotion=abc"], 1,
         "emotion: 'abc' is not a whole number"),
        (["touchpoint", "--set", "stage=s1", "name=x", "emotion=7"], 1,
         "emotion: 7 is outside the range -2…2"),
        (["touchpoint", "--set", "stage=s9", "name=x"], 1, "stage: no stage 's9' in this map"),
        (["touchpoint", "--set", "name=x"], 1, "stage: is required"),
        (["touchpoint", "--set", "colour=red"], 1, "colour: is not a field of touchpoint"),
        (["opportunity", "--set", "title=x", "status=someday"], 1,
         "status: 'someday' is not one of idea, planned, in progress, done"),
        (["touchpoint", "--set", "name"], 2, "'name' is not FIELD=VALUE"),
        (["colour", "--set", "name=x"], 2, "invalid choice: 'colour'"),
    ],
    ids=["type", "range", "reference", "required", "field", "enum", "syntax", "entity"],
)  # fmt: skip
def test_row_add_refuses_bad_input_in_one_line(
    tmp_path: Path, database: Path, arguments: list[str], code: int, message: str
) -> None:
    source = tmp_path / "journey.json"
    source.write_text(json.dumps(journey_document("Edited", stages=1)), encoding="utf-8")
    assert cxmap("import", str(source), database=database).returncode == 0
    result = cxmap("row", "add", "Edited", *arguments, database=database)
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr
    if code == 1:
        assert result.stderr.count("\n") == 1
    rows = json.loads(cxmap("rows", "Edited", "touchpoint", "--json", database=database).stdout)
    assert len(rows) == 2  # nothing written


def test_duplicate_command_makes_a_lossless_copy(tmp_path: Path, database: Path) -> None:
    source = tmp_path / "journey.json"
    source.write_text(json.dumps(journey_document("Original")), encoding="utf-8")
    assert cxmap("import", str(source), database=database).returncode == 0
    result = cxmap("duplicate", "Original", "--name", "Workshop copy", database=database)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "duplicated map 1 as map 2: Workshop copy\n"
    exported = {}
    for name in ("Original", "Workshop copy"):
        out = tmp_path / f"{name}.json"
        assert cxmap("export", name, "-o", str(out), database=database).returncode == 0
        exported[name] = json.loads(out.read_text(encoding="utf-8"))
        exported[name]["map"].pop("name")
    assert exported["Original"] == exported["Workshop copy"]
    again = cxmap("duplicate", "Original", "--name", "Workshop copy", database=database)
    assert again.returncode == 1
    assert again.stderr == "cxmap: error: name: a map named 'Workshop copy' already exists\n"


def test_validate_accepts_v1_and_v2_files(tmp_path: Path, database: Path) -> None:
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps(journey_document("Both")), encoding="utf-8")
    assert cxmap("import", str(v1), database=database).returncode == 0
    v2 = tmp_path / "v2.json"
    assert cxmap("export", "Both", "-o", str(v2), database=database).returncode == 0
    result = cxmap("validate", str(v1), str(v2), database=database)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{v1}: valid cxmap-journey v1\n{v2}: valid cxmap-journey v2\n"
