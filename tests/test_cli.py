"""``python -m cxmap``: exit codes 0/1/2, one-line errors, no traceback, nothing half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxmap.config import DEMO_DIR
from tests.factories import journey_document

ROOT = Path(__file__).resolve().parent.parent


def cxmap(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
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
    missing = cxmap("import", str(tmp_path / "nope.json"), database=database)
    assert missing.returncode == 1 and "nope.json: no such file" in missing.stderr
    assert cxmap("frobnicate", database=database).returncode == 2
    assert cxmap("export", database=database).returncode == 2
    pdf = cxmap("export", "1", "-o", str(tmp_path / "x.docx"), database=database)
    assert pdf.returncode == 2 and "cannot export to '.docx'" in pdf.stderr


def test_seed_import_export_round_trip(tmp_path: Path, database: Path) -> None:
    seeded = cxmap("seed", database=database)
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
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(source.read_text())

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
