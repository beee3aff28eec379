"""docs/scoring.md's worked example is what the code computes (the page cannot drift)."""

from __future__ import annotations

import re
from pathlib import Path

from cxmap.analysis import scoring
from cxmap.core.messages import render_all
from cxmap.formats import journey_file

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "docs" / "examples" / "scoring-example.json"


def documented_rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.splitlines():
        match = re.match(r"\| (t\d+) ", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in line.strip("|").split("|")][1:]
    return rows


def number(cell: str) -> float | None:
    return None if cell == "–" else float(cell)


def test_worked_example_table_matches_the_code() -> None:
    aggregate = journey_file.document_aggregate(journey_file.parse_document(EXAMPLE.read_bytes()))
    result = scoring.analyze(aggregate).by_key()
    rows = documented_rows()
    assert sorted(rows) == ["t1", "t2", "t3", "t4", "t5"]
    for key, cells in rows.items():
        reach, emotion, effort, pain, feedback, drop_off, friction, impact = map(number, cells)
        score = result[key]
        assert round(score.reach, 4) == reach, key
        components = score.components
        assert components["emotion"] == emotion and components["effort"] == effort, key
        assert components["pain"] == pain and components["drop_off"] == drop_off, key
        got_feedback = components["feedback"]
        assert (None if got_feedback is None else round(got_feedback, 4)) == feedback, key
        assert (score.friction, score.impact) == (friction, impact), key


def test_worked_example_summary_matches_the_code() -> None:
    aggregate = journey_file.document_aggregate(journey_file.parse_document(EXAMPLE.read_bytes()))
    result = scoring.analyze(aggregate)
    assert f"Completion **{round(result.completion, 2)}**" in DOC
    assert f"**{result.health}**" in DOC
    assert f"(0.675 × 0.8 = **{round(result.most_likely_path_probability, 2)}**)" in DOC
    assert f"= **{result.worst_path_friction}**" in DOC
    assert result.most_likely_path == result.worst_path == ["t1", "t2", "t4", "t5"]
    reasons = {t.key: tuple(render_all(t.reasons)) for t in result.moments_of_truth}
    assert reasons == {
        "t4": (
            "strong feeling (-2) that 90% of customers meet",
            "peak negative emotion",
            "bottleneck: 90% of customers pass here, where 2 paths meet",
        ),
    }
