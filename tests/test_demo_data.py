"""The demo maps are what a CX practitioner would recognise, and regenerate identically."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from cxmap.core.config import DEMO_DIR
from cxmap.formats import journey_file

DEMOS = sorted(DEMO_DIR.glob("*.json"))


def test_there_are_three_demo_maps() -> None:
    names = {journey_file.parse_document(p.read_bytes())["map"]["name"] for p in DEMOS}
    assert names == {"Broadband onboarding", "Online grocery order", "Opening a bank account"}


@pytest.mark.parametrize("path", DEMOS, ids=[p.stem for p in DEMOS])
def test_demo_map_is_rich_enough_to_learn_from(path: Path) -> None:
    doc = journey_file.parse_document(path.read_bytes())
    touchpoints = doc["touchpoints"]
    assert 2 <= len(doc["personas"]) <= 3
    assert [s["order"] for s in doc["stages"]] == [1, 2, 3, 4, 5, 6]
    assert 15 <= len(touchpoints) <= 30
    assert len({t["channel"] for t in touchpoints}) >= 5
    assert len({t["owner"] for t in touchpoints}) >= 4
    emotions = {t["emotion"] for t in touchpoints}
    assert {-2, 2} <= emotions, "a clear low and high point"
    assert doc["pain_points"] and doc["opportunities"]
    assert any(t["drop_off"] > 0 for t in touchpoints)
    assert len({o["status"] for o in doc["opportunities"]}) >= 3
    graph = nx.DiGraph((t["source"], t["target"]) for t in doc["transitions"])
    assert any(graph.out_degree(n) > 1 for n in graph), "some branching"
    assert not nx.is_directed_acyclic_graph(graph), "at least one loop"
    feedback = doc["feedback"]
    assert len(feedback) >= 150
    assert sum(f["nps"] is not None for f in feedback) >= 50
    assert sum(f["csat"] is not None for f in feedback) >= 20
    assert sum(f["ces"] is not None for f in feedback) >= 20
    assert max(Counter(f["text"] for f in feedback).values()) <= 3, "verbatims barely repeat"


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in DEMOS}
    result = subprocess.run(
        [sys.executable, str(DEMO_DIR / "generate.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    after = {p.name: p.read_bytes() for p in tmp_path.glob("*.json")}
    assert after == before
