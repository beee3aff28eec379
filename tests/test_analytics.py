"""The friction and moment-of-truth model, against hand-computed numbers (docs/scoring.md)."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmap.analysis import flow, moments, scoring
from cxmap.analysis.scoring import ScoringSettings, WhatIf
from cxmap.core.config import DEMO_DIR
from cxmap.core.context import Context
from cxmap.core.messages import Message, render_all
from cxmap.formats import journey_file


def journey(
    stages: list[list[dict[str, Any]]],
    transitions: list[tuple[str, str, float]] = (),  # type: ignore[assignment]
    pain: list[tuple[str, int, int]] = (),  # type: ignore[assignment]
    feedback: list[dict[str, Any]] = (),  # type: ignore[assignment]
    personas: list[tuple[str, float | None]] = (),  # type: ignore[assignment]
    emotions: list[tuple[str, str, int]] = (),  # type: ignore[assignment]
) -> Any:
    """A map from stages of touchpoint dicts (``key`` required, other fields optional)."""
    doc = {
        "format": "cxmap-journey",
        "version": 1,
        "map": {"name": "Case"},
        "stages": [
            {"key": f"s{i}", "name": f"S{i}", "order": i} for i in range(1, len(stages) + 1)
        ],
        "touchpoints": [
            {"stage": f"s{i}", "name": t["key"].upper(), **t}
            for i, stage in enumerate(stages, start=1)
            for t in stage
        ],
        "transitions": [{"source": s, "target": t, "weight": w} for s, t, w in transitions],
        "pain_points": [
            {"key": f"pp{i}", "touchpoint": t, "severity": s, "frequency": f}
            for i, (t, s, f) in enumerate(pain)
        ],
        "feedback": list(feedback),
        "personas": [{"key": k, "name": k.upper(), "segment_share": share}
                     for k, share in personas],
        "emotions": [{"touchpoint": t, "persona": p, "score": score}
                     for t, p, score in emotions],
    }  # fmt: skip
    journey_file.check_document(doc)
    return journey_file.document_aggregate(doc)


def reaches(aggregate: Any) -> dict[str, float]:
    return {t.key: round(t.reach, 4) for t in scoring.analyze(aggregate).touchpoints}


# ---------------------------------------------------------------- reach and completion

REACH_CASES = {
    # t1 → t2 → t3: everyone passes everywhere.
    "linear chain": (
        journey(
            [[{"key": "t1"}], [{"key": "t2"}], [{"key": "t3"}]], [("t1", "t2", 1), ("t2", "t3", 1)]
        ),
        {"t1": 1.0, "t2": 1.0, "t3": 1.0},
        1.0,
    ),
    # t1 splits 70/30 to t2/t3, both lead to t4.
    "branch 70/30": (
        journey(
            [[{"key": "t1"}], [{"key": "t2"}, {"key": "t3"}], [{"key": "t4"}]],
            [("t1", "t2", 7), ("t1", "t3", 3), ("t2", "t4", 1), ("t3", "t4", 1)],
        ),
        {"t1": 1.0, "t2": 0.7, "t3": 0.3, "t4": 1.0},
        1.0,
    ),
    # t1 (20% leave) → t2; t2 goes on to t3 or back to t1, half and half.
    # visits: v1 = 1 + .5 v2, v2 = .8 v1 → v1 = 5/3, v2 = 4/3, v3 = 2/3.
    # reach(t2) = v2 / N22 with N22 = 1/(1 − .8·.5) = 5/3 → 0.8; reach(t3) = 2/3.
    "loop": (
        journey(
            [[{"key": "t1", "drop_off": 0.2}], [{"key": "t2"}], [{"key": "t3"}]],
            [("t1", "t2", 1), ("t2", "t3", 1), ("t2", "t1", 1)],
        ),
        {"t1": 1.0, "t2": 0.8, "t3": 0.6667},
        0.6667,
    ),
    # 20% leave at t1, half of the rest at t2: 1, .8, .4.
    "drop-off": (
        journey(
            [[{"key": "t1", "drop_off": 0.2}], [{"key": "t2", "drop_off": 0.5}], [{"key": "t3"}]],
            [("t1", "t2", 1), ("t2", "t3", 1)],
        ),
        {"t1": 1.0, "t2": 0.8, "t3": 0.4},
        0.4,
    ),
    # One touchpoint: an entry and an end; 10% leave there instead of completing.
    "single touchpoint": (journey([[{"key": "t1", "drop_off": 0.1}]]), {"t1": 1.0}, 0.9),
    # t4 has no transitions at all: nobody gets there (and it is no "end").
    "disconnected touchpoint": (
        journey([[{"key": "t1"}], [{"key": "t2"}, {"key": "t4"}]], [("t1", "t2", 1)]),
        {"t1": 1.0, "t2": 1.0, "t4": 0.0},
        1.0,
    ),
    # No transitions: stage by stage, split by the targets' volumes (300:100).
    "0 transitions (default by volume)": (
        journey(
            [
                [{"key": "t1", "volume": 1000}],
                [{"key": "t2", "volume": 300}, {"key": "t3", "volume": 100}],
                [{"key": "t4", "volume": 350}],
            ]
        ),
        {"t1": 1.0, "t2": 0.75, "t3": 0.25, "t4": 1.0},
        1.0,
    ),
    # No transitions and a volume missing: split evenly; two entries share the start.
    "0 transitions (even split)": (
        journey([[{"key": "t1"}, {"key": "t2"}], [{"key": "t3", "volume": 5}, {"key": "t4"}]]),
        {"t1": 0.5, "t2": 0.5, "t3": 0.5, "t4": 0.5},
        1.0,
    ),
}


@pytest.mark.parametrize("case", list(REACH_CASES), ids=list(REACH_CASES))
def test_reach_and_completion(case: str) -> None:
    aggregate, expected_reach, expected_completion = REACH_CASES[case]
    result = scoring.analyze(aggregate)
    assert reaches(aggregate) == expected_reach
    assert round(result.completion, 4) == expected_completion


# ---------------------------------------------------------------- friction

FEEDBACK = [
    {"touchpoint": "t1", "text": "", "nps": 9},  # promoter: not negative
    {"touchpoint": "t1", "text": "", "nps": 3},  # detractor: negative
    {"touchpoint": "t1", "text": "", "csat": 2},  # dissatisfied: negative
    {"touchpoint": "t1", "text": "", "ces": 6},  # agrees it was easy: not negative
    {"touchpoint": "t1", "text": "This was terrible and slow"},  # no score, negative sentiment
    {"touchpoint": "t1", "text": "خیلی بد بود"},  # Persian: not scored, left out
]

FRICTION_CASES = {
    # emotion −2 → 1.0; effort 5 → 1.0; pain 4×5/25 = .8; feedback 3 of 5 = .6; drop-off .5.
    # (.3·1 + .2·1 + .25·.8 + .15·.6 + .1·.5) / 1 = .84
    "every component": (
        {"emotion": -2, "effort": 5, "drop_off": 0.5},
        [("t1", 4, 5), ("t1", 2, 2)],
        FEEDBACK,
        {"emotion": 1.0, "effort": 1.0, "pain": 0.8, "feedback": 0.6, "drop_off": 0.5},
        84.0,
    ),
    # Only effort 5, no pain (0) and drop-off 0: (.2·1 + .25·0 + .1·0) / (.2 + .25 + .1) = 36.36.
    "missing components": (
        {"effort": 5},
        [],
        [],
        {"emotion": None, "effort": 1.0, "pain": 0.0, "feedback": None, "drop_off": 0.0},
        36.36,
    ),
    # Emotion −1 → .5, effort 3 → .5, pain 1×1/25 = .04: (.15 + .1 + .01) / (.3 + .2 + .25 + .1).
    "moderate": (
        {"emotion": -1, "effort": 3},
        [("t1", 1, 1)],
        [],
        {"emotion": 0.5, "effort": 0.5, "pain": 0.04, "feedback": None, "drop_off": 0.0},
        30.59,
    ),
    # Delighted, effortless, no pain, no drop-off: no friction at all.
    "all-zero": (
        {"emotion": 2, "effort": 1},
        [],
        [],
        {"emotion": 0.0, "effort": 0.0, "pain": 0.0, "feedback": None, "drop_off": 0.0},
        0.0,
    ),
}


@pytest.mark.parametrize("case", list(FRICTION_CASES), ids=list(FRICTION_CASES))
def test_friction_components_and_score(case: str) -> None:
    fields, pain, feedback, components, friction = FRICTION_CASES[case]
    aggregate = journey([[{"key": "t1", **fields}]], pain=pain, feedback=feedback)
    (score,) = scoring.analyze(aggregate).touchpoints
    assert {
        k: (None if v is None else round(v, 4)) for k, v in score.components.items()
    } == components
    assert score.friction == friction
    assert score.impact == round(friction * 1.0, 2)  # reach 1


def test_impact_is_friction_times_reach() -> None:
    aggregate = journey(
        [
            [{"key": "t1", "emotion": 0}],
            [{"key": "t2", "emotion": -2}, {"key": "t3", "emotion": -2}],
        ],
        [("t1", "t2", 3), ("t1", "t3", 1)],
    )
    by_key = scoring.analyze(aggregate).by_key()
    # friction(t2) = (.3·1 + .25·0 + .1·0) / .65 = 46.15; reach .75 → impact 34.61; t3: .25 → 11.54.
    assert (by_key["t2"].friction, by_key["t2"].impact) == (46.15, 34.61)
    assert (by_key["t3"].friction, by_key["t3"].impact) == (46.15, 11.54)
    assert [t.key for t in scoring.analyze(aggregate).ranked()][:2] == ["t2", "t3"]


def test_weights_are_settings() -> None:
    aggregate = journey([[{"key": "t1", "emotion": -2, "effort": 1}]])
    only_effort = ScoringSettings(
        weights={"emotion": 0, "effort": 1, "pain": 0, "feedback": 0, "drop_off": 0}
    )
    # emotion 1.0, effort 0, pain 0, drop-off 0: (.3·1) / (.3 + .2 + .25 + .1) = 35.29.
    assert scoring.analyze(aggregate).touchpoints[0].friction == 35.29
    assert scoring.analyze(aggregate, only_effort).touchpoints[0].friction == 0.0


def test_persona_emotion_overrides_the_touchpoint_emotion() -> None:
    doc = journey_file.parse_document((DEMO_DIR / "telecom-broadband-onboarding.json").read_bytes())
    aggregate = journey_file.document_aggregate(doc)
    senior = next(p for p in aggregate.personas if p.key == "p3")
    override = next(e for e in aggregate.emotions if e.persona_id == senior.id)
    tp = next(t for t in aggregate.touchpoints if t.id == override.touchpoint_id)
    for_senior = scoring.analyze(aggregate, persona_id=senior.id).by_key()[tp.key]
    assert for_senior.emotion == override.score


# ---------------------------------------------------------------- moments of truth and paths


def test_moments_of_truth_carry_their_reasons() -> None:
    aggregate = journey(
        [
            [{"key": "t1", "emotion": 0}],
            [{"key": "t2", "emotion": -2, "moment_of_truth": True}, {"key": "t3", "emotion": 1}],
            [{"key": "t4", "emotion": 2}],
            [{"key": "t5", "emotion": 0}],
        ],
        [("t1", "t2", 9), ("t1", "t3", 1), ("t2", "t4", 1), ("t3", "t4", 1), ("t4", "t5", 1)],
    )
    result = scoring.analyze(aggregate)
    reasons = {t.key: t.reasons for t in result.moments_of_truth}
    assert reasons["t2"] == (Message("mot.flagged"), Message("mot.peak_negative"))
    # Top decile of 5 touchpoints = the single strongest: t4 (|+2|/2 × 100%) beats t2 (× 90%).
    assert reasons["t4"] == (
        Message("mot.strong_feeling", {"emotion": 2, "reach": 1.0}),
        Message("mot.peak_positive"),
        Message("mot.bottleneck", {"reach": 1.0, "paths": 2}),
    )
    # The model may find max(1, 25% of 5) = 1 moment: t4, the strongest feeling. The end t5
    # (emotion 0, no friction) is left out; the team's flag on t2 always counts.
    assert "t1" not in reasons and "t3" not in reasons and "t5" not in reasons
    # The same reasons in words, as the app, the exports and the command line show them.
    assert render_all(reasons["t2"]) == ["flagged by the team", "peak negative emotion"]
    assert render_all(reasons["t4"]) == [
        "strong feeling (+2) that 100% of customers meet",
        "peak positive emotion",
        "bottleneck: 100% of customers pass here, where 2 paths meet",
    ]


def test_most_likely_and_worst_paths() -> None:
    aggregate = journey(
        [
            [{"key": "t1"}],
            [{"key": "t2", "emotion": 1}, {"key": "t3", "emotion": -2, "effort": 5}],
            [{"key": "t4"}],
        ],
        [("t1", "t2", 6), ("t1", "t3", 4), ("t2", "t4", 1), ("t3", "t4", 1), ("t3", "t1", 0.1)],
    )
    result = scoring.analyze(aggregate)
    assert result.most_likely_path == ["t1", "t2", "t4"]
    assert result.worst_path == ["t1", "t3", "t4"]  # 40% is still a likely path
    strict = scoring.analyze(aggregate, ScoringSettings(likely_transition=0.5))
    assert strict.worst_path == ["t1", "t2", "t4"]


def test_health_and_groups() -> None:
    aggregate = journey(
        [
            [{"key": "t1", "emotion": 0, "owner": "Sales"}],
            [{"key": "t2", "emotion": -2, "owner": "Ops"}],
        ],
        [("t1", "t2", 1)],
    )
    result = scoring.analyze(aggregate)
    # frictions 0 and 46.15 (see test_impact_is_friction_times_reach), both reach 1 → mean 23.075.
    assert result.health == 76.92
    assert [(g.name, g.friction) for g in result.stages] == [("S1", 0.0), ("S2", 46.15)]
    assert [(g.name, g.impact) for g in result.owners] == [("Ops", 46.15), ("Sales", 0.0)]


def test_a_loop_with_no_way_out_is_reported_not_a_crash() -> None:
    aggregate = journey([[{"key": "t1"}], [{"key": "t2"}]], [("t1", "t2", 1), ("t2", "t1", 1)])
    result = scoring.analyze(aggregate)
    assert reaches(aggregate) == {"t1": 1.0, "t2": 1.0}
    assert result.completion == 0.0
    assert result.warnings == [Message("journey.closed_loop", {"loop": ["T1", "T2"]})]
    assert render_all(result.warnings) == [
        "T1, T2 form a loop with no way out: customers who get there never finish"
    ]


def test_what_if_changes_nothing_saved() -> None:
    aggregate = journey(
        [[{"key": "t1", "emotion": -2, "drop_off": 0.4}], [{"key": "t2"}]],
        [("t1", "t2", 1)],
        pain=[("t1", 5, 5)],
    )
    before = scoring.analyze(aggregate)
    pain_id = aggregate.pain_points[0].id
    tp_id = aggregate.touchpoints[0].id
    changed = scoring.apply_what_if(
        aggregate, WhatIf(frozenset({pain_id}), {tp_id: 0}, {tp_id: 0.5})
    )
    after = scoring.analyze(changed)
    assert round(before.completion, 2) == 0.6 and round(after.completion, 2) == 0.8
    assert after.touchpoints[0].friction < before.touchpoints[0].friction
    assert after.health > before.health
    assert aggregate.touchpoints[0].emotion == -2 and len(aggregate.pain_points) == 1


# ---------------------------------------------------------------- properties and simulation


@st.composite
def random_journeys(draw: st.DrawFn) -> Any:
    n_stages = draw(st.integers(1, 4))
    stages, keys = [], []
    for _ in range(n_stages):
        stage = []
        for _ in range(draw(st.integers(1, 3))):
            key = f"t{len(keys) + 1}"
            keys.append(key)
            stage.append(
                {
                    "key": key,
                    "emotion": draw(st.one_of(st.none(), st.integers(-2, 2))),
                    "effort": draw(st.one_of(st.none(), st.integers(1, 5))),
                    "drop_off": draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])),
                }
            )
        stages.append(stage)
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=12, unique=True)
    )
    transitions = [(s, t, draw(st.sampled_from([0.5, 1.0, 3.0]))) for s, t in pairs]
    pain = draw(
        st.lists(st.tuples(st.sampled_from(keys), st.integers(1, 5), st.integers(1, 5)), max_size=4)
    )
    return stages, transitions, pain


@settings(max_examples=150, deadline=None)
@given(random_journeys())
def test_reach_is_a_probability_and_friction_a_percentage(case: Any) -> None:
    stages, transitions, pain = case
    result = scoring.analyze(journey(stages, transitions, pain))
    for t in result.touchpoints:
        assert 0.0 <= t.reach <= 1.0 + 1e-9
        assert 0.0 <= t.friction <= 100.0
        assert 0.0 <= t.impact <= 100.0
    assert 0.0 <= result.completion <= 1.0 + 1e-9
    assert 0.0 <= result.health <= 100.0


@settings(max_examples=100, deadline=None)
@given(random_journeys(), st.integers(1, 5), st.integers(1, 5))
def test_adding_pain_never_lowers_friction(case: Any, severity: int, frequency: int) -> None:
    stages, transitions, pain = case
    before = scoring.analyze(journey(stages, transitions, pain)).by_key()
    target = stages[0][0]["key"]
    after = scoring.analyze(
        journey(stages, transitions, [*pain, (target, severity, frequency)])
    ).by_key()
    for key, score in before.items():
        assert after[key].friction >= score.friction - 1e-9, key


def simulate(aggregate: Any, walks: int, seed: int) -> dict[str, float]:
    """Random walks of customers through the journey graph: the share that visits each node."""
    graph = flow.journey_graph(aggregate)
    entries = flow.entry_distribution(aggregate)
    rng = random.Random(seed)
    visited: Counter[str] = Counter()
    entry_nodes, entry_weights = list(entries), list(entries.values())
    for _ in range(walks):
        node = rng.choices(entry_nodes, entry_weights)[0]
        seen = {node}
        for _ in range(1000):
            moves = [(t, p) for _, t, p in graph.out_edges(node, data="probability")]
            stay = sum(p for _, p in moves)
            if not moves or rng.random() >= stay:
                break
            node = rng.choices([t for t, _ in moves], [p for _, p in moves])[0]
            seen.add(node)
        visited.update(seen)
    return {node: visited[node] / walks for node in graph}


@pytest.mark.parametrize("path", sorted(DEMO_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_reach_matches_20000_simulated_customers(path: Any) -> None:
    aggregate = journey_file.document_aggregate(journey_file.parse_document(path.read_bytes()))
    simulated = simulate(aggregate, walks=20_000, seed=11)
    for t in scoring.analyze(aggregate).touchpoints:
        assert abs(t.reach - simulated[t.key]) <= 0.02, (t.key, t.reach, simulated[t.key])


def test_analysis_of_a_file_equals_analysis_of_the_stored_map(tmp_path: Any) -> None:
    from cxmap import services
    from cxmap.store.db import Database

    ctx = Context(Database(f"sqlite:///{tmp_path}/a.db"))
    ctx.db.migrate()
    data = (DEMO_DIR / "grocery-online-order.json").read_bytes()
    stored = services.load_map(ctx, services.import_file(ctx, data).id)
    in_memory = journey_file.document_aggregate(journey_file.parse_document(data))
    assert scoring.analyze(stored).as_dict() == scoring.analyze(in_memory).as_dict()


_MOMENTS_IN_A_NEW_PROCESS = """
import json, sys
from cxmap.analysis import scoring
from cxmap.formats import journey_file
document = json.loads(open(sys.argv[1], encoding="utf-8").read())
analysis = scoring.analyze(journey_file.document_aggregate(document))
print(json.dumps([[m.key, [r.code for r in m.reasons]] for m in analysis.moments_of_truth]))
"""


def test_the_moments_of_truth_are_the_same_in_every_server_process() -> None:
    """String hashing differs between processes; the moments of truth must not.

    On the bank demo two touchpoints are felt exactly as strongly; which one made the list used
    to depend on set order (PYTHONHASHSEED 0 and 1 disagreed). Ties now go by journey order.
    """
    import os
    import subprocess
    import sys

    demo = DEMO_DIR / "bank-account-opening.json"
    answers = set()
    for seed in ("0", "1"):
        run = subprocess.run(
            [sys.executable, "-c", _MOMENTS_IN_A_NEW_PROCESS, str(demo)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        answers.add(run.stdout)
    assert len(answers) == 1, answers


# ---------------------------------------------------------------- weight 0 is no flow

ZERO_WEIGHT_CASES = {
    # t1 ⇄ t2 and t2 → t3 at weight 0: nobody reaches t3; the loop has no way out, and says so
    # (before: completion 0 and no warning, the weight-0 exit counted as a way out).
    "zero exit from a loop": (
        [("t1", "t2", 1), ("t2", "t1", 1), ("t2", "t3", 0)],
        {"t1": 1.0, "t2": 1.0, "t3": 0.0},
        0.0,
        ["T1, T2 form a loop with no way out: customers who get there never finish"],
    ),
    # t1 → t2 at 0, t1 → t3 at 1: all go to t3.
    "one zero branch": (
        [("t1", "t2", 0), ("t1", "t3", 1), ("t2", "t4", 1), ("t3", "t4", 1)],
        {"t1": 1.0, "t2": 0.0, "t3": 1.0, "t4": 1.0},
        1.0,
        [],
    ),
    # Every way out of t1 weighs 0: nobody moves on, t1 is an end (before: split evenly, 50/50).
    "all zero": (
        [("t1", "t2", 0), ("t1", "t3", 0), ("t2", "t4", 1), ("t3", "t4", 1)],
        {"t1": 1.0, "t2": 0.0, "t3": 0.0, "t4": 0.0},
        1.0,
        [
            "T1: every transition out of it has weight 0, so no customer moves on from there "
            "(weight 0 means no flow): the model treats it as an end of the journey. Give one "
            "of its transitions a weight above 0, or delete them if it is an end."
        ],
    ),
}


@pytest.mark.parametrize("case", list(ZERO_WEIGHT_CASES), ids=list(ZERO_WEIGHT_CASES))
def test_weight_zero_is_no_flow_everywhere(case: str) -> None:
    transitions, reach, completion, warnings = ZERO_WEIGHT_CASES[case]
    keys = sorted({k for s, t, _ in transitions for k in (s, t)})
    stages = {"t1": 0, "t2": 1, "t3": 1 if "t4" in keys else 2, "t4": 2}
    layout: list[list[dict[str, Any]]] = [[], [], []]
    for key in keys:
        layout[stages[key]].append({"key": key})
    aggregate = journey([stage for stage in layout if stage], transitions)
    result = scoring.analyze(aggregate)
    assert reaches(aggregate) == reach
    assert round(result.completion, 4) == completion
    assert render_all(result.warnings) == warnings
    assert render_all(flow.flow_warnings(aggregate)) == warnings  # what the builder shows
    # The builder's Share % follows the same rule: 0 for weight 0, never blank.
    shares = flow.transition_shares(aggregate)
    key = {t.id: t.key for t in aggregate.touchpoints}
    by_edge = {(key[t.source_id], key[t.target_id]): shares[t.id] for t in aggregate.transitions}
    for source, target, weight in transitions:
        total = sum(w for s, _, w in transitions if s == source)
        assert by_edge[source, target] == (weight / total if total else 0.0)


# Emotion −2 for P1 (share 50%), +2 for P2 and 0 for P3 (no share) at a touchpoint with no own
# emotion: P2 and P3 split the 50% P1 leaves: −2 × .5 + 2 × .25 + 0 × .25 = −0.5 (before: −2,
# the personas without a share weighed nothing).
PERSONA_CASES = {
    "no share splits the rest": ([("p1", 0.5), ("p2", None), ("p3", None)], -0.5),
    "no shares at all: the mean": ([("p1", None), ("p2", None), ("p3", None)], 0.0),
    "all shares given": ([("p1", 0.2), ("p2", 0.6), ("p3", 0.2)], 0.8),  # −.4 + 1.2 + 0
    "shares already 100%: the rest is nothing": ([("p1", 1.0), ("p2", None), ("p3", None)], -2.0),
}


@pytest.mark.parametrize("case", list(PERSONA_CASES), ids=list(PERSONA_CASES))
def test_all_customers_emotion_weights_personas_without_a_share(case: str) -> None:
    personas, expected = PERSONA_CASES[case]
    aggregate = journey(
        [[{"key": "t1"}]],
        personas=personas,
        emotions=[("t1", "p1", -2), ("t1", "p2", 2), ("t1", "p3", 0)],
    )
    [emotion] = scoring.touchpoint_emotion(aggregate).values()
    assert emotion == pytest.approx(expected)


def test_the_all_customers_rule_is_said_in_words() -> None:
    aggregate = journey([[{"key": "t1"}]], personas=[("p1", 0.4), ("p2", None), ("p3", None)])
    assert str(scoring.all_customers_rule(aggregate)) == (
        "All customers: a touchpoint's own emotion, else the personas' emotions weighted by "
        "their segment shares; P2 and P3, with no share, split the 60% the others leave "
        "(30% each)."
    )


# ---------------------------------------------------------------- moments of truth: how many


def test_a_linear_map_stars_only_its_strongest_moments() -> None:
    # t1 … t8 in a row, everyone reaches everything. Rules that fire: strong feeling and peak
    # negative at t6 (|−2|/2 × 1 = 1), peak positive at t1 (0.5), the end at t8 (emotion 0, no
    # friction). No bottleneck: one path, no alternative. The model may name max(1, ⌊8/4⌋) = 2:
    # t6 and t1; t8 (0) is left out (before: t1, t6 and t8). t4 is flagged: kept on top.
    emotions = [1, 0, -1, 0, 0, -2, 0, 0]
    keys = [f"t{i}" for i in range(1, 9)]
    aggregate = journey(
        [[{"key": k, "emotion": e, "moment_of_truth": k == "t4"}]
         for k, e in zip(keys, emotions, strict=True)],
        [(a, b, 1) for a, b in zip(keys, keys[1:], strict=False)],
    )  # fmt: skip
    result = scoring.analyze(aggregate)
    reasons = {t.key: [m.code for m in t.reasons] for t in result.moments_of_truth}
    assert reasons == {
        "t1": ["mot.peak_positive"],
        "t4": ["mot.flagged"],
        "t6": ["mot.strong_feeling", "mot.peak_negative"],
    }


BOTTLENECK_CASES = {
    # t1 → t2 | t3 → t4 → t5: the two ways rejoin at t4 and every journey passes it.
    "paths rejoin": (
        [("t1", "t2", 1), ("t1", "t3", 1), ("t2", "t4", 1), ("t3", "t4", 1), ("t4", "t5", 1)],
        {"t4": 2},
    ),
    # t1 → t2 → t3 → t4: one path, no alternative: nothing is a bottleneck (every touchpoint
    # was "all paths pass" before).
    "one path": ([("t1", "t2", 1), ("t2", "t3", 1), ("t3", "t4", 1)], {}),
    # Paths meet at t4, but t3 → t5 ends the journey without it: not every path passes t4.
    "a way round": (
        [("t1", "t2", 1), ("t1", "t3", 1), ("t2", "t4", 1), ("t3", "t4", 1), ("t3", "t5", 1)],
        {},
    ),
    # t2's way in at weight 0 carries nobody: t4 has one way in that customers use.
    "a way in at weight 0": (
        [("t1", "t2", 0), ("t1", "t3", 1), ("t2", "t4", 1), ("t3", "t4", 1), ("t4", "t5", 1)],
        {},
    ),
}


@pytest.mark.parametrize("case", list(BOTTLENECK_CASES), ids=list(BOTTLENECK_CASES))
def test_a_bottleneck_closes_a_real_alternative_route(case: str) -> None:
    transitions, expected = BOTTLENECK_CASES[case]
    keys = sorted({k for s, t, _ in transitions for k in (s, t)})
    aggregate = journey([[{"key": k}] for k in keys], transitions)
    graph = flow.journey_graph(aggregate)
    entries = flow.entry_distribution(aggregate)
    reach, _ = flow.reach_and_visits(graph, entries)
    assert flow.bottlenecks(graph, entries, reach, 0.8) == expected
    found = {
        t.key
        for t in scoring.analyze(aggregate).moments_of_truth
        if any(r.code == "mot.bottleneck" for r in t.reasons)
    }
    assert found <= set(expected)


@pytest.mark.parametrize(("touchpoints", "limit"), [(1, 1), (4, 1), (5, 1), (8, 2), (26, 6)])
def test_the_model_names_at_most_a_quarter_of_the_touchpoints(touchpoints: int, limit: int) -> None:
    # Alternating −2 / +2: every touchpoint fires "strong feeling" when the top share is 100%.
    keys = [f"t{i}" for i in range(1, touchpoints + 1)]
    aggregate = journey(
        [[{"key": k, "emotion": -2 if i % 2 else 2}] for i, k in enumerate(keys)],
        [(a, b, 1) for a, b in zip(keys, keys[1:], strict=False)],
    )
    result = scoring.analyze(aggregate, ScoringSettings(intensity_top_share=1.0))
    assert len(result.moments_of_truth) == limit == moments.model_moment_limit(touchpoints)
