"""The friction figures (cxmap/render/charts/friction.py): their data is the analysis'."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cxmap.analysis import scoring
from cxmap.analysis.scoring import COMPONENT_LABELS, COMPONENTS, JourneyAnalysis, TouchpointScore
from cxmap.formats import journey_file
from cxmap.render import charts
from tests.factories import journey_document

WEIGHTS = scoring.ScoringSettings().weights


def score(
    key: str,
    name: str,
    stage: str,
    channel: str,
    reach: float,
    friction: float,
    **components: float | None,
) -> TouchpointScore:
    values: dict[str, float | None] = {k: None for k in COMPONENTS}
    values.update(components)
    return TouchpointScore(
        id=int(key[1:]),
        key=key,
        name=name,
        stage=stage,
        channel=channel,
        owner="Ops",
        emotion=None,
        reach=reach,
        components=values,
        friction=friction,
        impact=round(friction * reach, 2),
        moment_of_truth=False,
        reasons=(),
    )


def analysis_of(touchpoints: list[TouchpointScore], stages: list[str]) -> JourneyAnalysis:
    return JourneyAnalysis(
        touchpoints=touchpoints,
        moments_of_truth=[],
        most_likely_path=[],
        most_likely_path_probability=0.0,
        worst_path=[],
        worst_path_friction=0.0,
        completion=1.0,
        health=50.0,
        stages=[scoring.GroupFriction(s, 0.0, 0.0, 1) for s in stages],
        owners=[],
        uses_default_transitions=True,
    )


@pytest.fixture(scope="module")
def sample() -> JourneyAnalysis:
    document = journey_document(stages=4, touchpoints_per_stage=4, feedback_per_touchpoint=3)
    aggregate = journey_file.document_aggregate(journey_file.parse_document(json.dumps(document)))
    return scoring.analyze(aggregate)


# ---------------------------------------------------------------- components


@pytest.mark.parametrize(
    ("components", "weights", "expected"),
    [
        # Every component present, default weights (sum 1): weight × value × 100.
        (
            {"emotion": 1.0, "effort": 0.5, "pain": 0.4, "feedback": 0.0, "drop_off": 0.2},
            WEIGHTS,
            {"emotion": 30.0, "effort": 10.0, "pain": 10.0, "feedback": 0.0, "drop_off": 2.0},
        ),
        # Effort and feedback missing: .30/.25/.10 re-normalised over .65.
        (
            {"emotion": 1.0, "effort": None, "pain": 0.2, "feedback": None, "drop_off": 0.0},
            WEIGHTS,
            {"emotion": 46.15, "effort": 0.0, "pain": 7.69, "feedback": 0.0, "drop_off": 0.0},
        ),
        # A weight of 0 takes the component out.
        (
            {"emotion": 0.5, "effort": 1.0, "pain": None, "feedback": None, "drop_off": None},
            {**WEIGHTS, "effort": 0.0},
            {"emotion": 50.0, "effort": 0.0, "pain": 0.0, "feedback": 0.0, "drop_off": 0.0},
        ),
    ],
)
def test_weighted_contributions(
    components: dict[str, float | None], weights: dict[str, float], expected: dict[str, float]
) -> None:
    assert charts.weighted_contributions(components, weights) == expected


def test_component_bars_add_up_to_each_touchpoints_impact(sample: JourneyAnalysis) -> None:
    figure = charts.friction_components_figure(sample, WEIGHTS, top_n=5)
    assert [trace.name for trace in figure.data] == [COMPONENT_LABELS[k] for k in COMPONENTS]
    top = sample.ranked()[:5]
    assert list(figure.data[0].y) == [f"{i}. {t.name}" for i, t in enumerate(top, start=1)]
    for row, t in enumerate(top):
        segments = [trace.x[row] for trace in figure.data]
        assert all(width >= 0 for width in segments)
        assert sum(segments) == pytest.approx(t.impact, abs=0.02)  # what it is ranked by
    for trace in figure.data:
        assert trace.orientation == "h"
    assert figure.layout.barmode == "stack"
    assert figure.layout.yaxis.autorange == "reversed", "rank 1 on top"
    lengths = [sum(trace.x[row] for trace in figure.data) for row in range(len(top))]
    assert lengths == sorted(lengths, reverse=True), "longest bar first: bars show the ranking"
    # The note at the end of each bar says how its impact is made.
    assert [a.text for a in figure.layout.annotations][0] == (
        f"impact {top[0].impact:.0f} = friction {top[0].friction:.0f} × reach {top[0].reach:.0%}"
    )


def test_component_bars_escape_names_and_show_at_most_top_n() -> None:
    nasty = "<b>Q&A</b> desk"
    analysis = analysis_of(
        [
            score("t1", nasty, "Buy", "web", 1.0, 40.0, emotion=0.5, pain=0.4),
            score("t2", "Calm", "Buy", "web", 0.2, 10.0, pain=0.1),
        ],
        ["Buy"],
    )
    figure = charts.friction_components_figure(analysis, WEIGHTS, top_n=1)
    assert list(figure.data[0].y) == ["1. &lt;b&gt;Q&amp;A&lt;/b&gt; desk"]
    assert figure.data[0].customdata[0][0] == "&lt;b&gt;Q&amp;A&lt;/b&gt; desk"
    emotion, pain = figure.data[0].x[0], figure.data[2].x[0]
    # Emotion .30 × .5 and pain .25 × .4, over the present weights .30 + .25 + .10 (drop-off
    # is None here, so only .55 counts).
    assert emotion == pytest.approx(100 * 0.30 * 0.5 / 0.55, abs=0.01)
    assert pain == pytest.approx(100 * 0.25 * 0.4 / 0.55, abs=0.01)


# ---------------------------------------------------------------- heatmap


@pytest.fixture
def small() -> JourneyAnalysis:
    return analysis_of(
        [
            score("t1", "Sees ad", "Buy", "web", 1.0, 40.0),
            score("t2", "Compares <plans>", "Buy", "web", 0.5, 70.0),
            score("t3", "Calls", "Buy", "phone", 0.8, 20.0),
            score("t4", "Installs", "Use", "app", 0.0, 30.0),
            score("t5", "Setup", "Use", "app", 0.0, 50.0),
            score("t6", "Letter", "Use", "", 0.4, 80.0),
        ],
        ["Buy", "Use"],
    )


def test_stage_channel_cells_are_reach_weighted(small: JourneyAnalysis) -> None:
    grid = charts.stage_channel_friction(small)
    assert grid.stages == ["Buy", "Use"]
    assert grid.channels == ["app", "phone", "web", charts.NO_CHANNEL]
    cell = {
        (stage, channel): value
        for stage, row in zip(grid.stages, grid.friction, strict=True)
        for channel, value in zip(grid.channels, row, strict=True)
    }
    # (1.0 × 40 + 0.5 × 70) / 1.5 = 50
    assert cell["Buy", "web"] == 50.0
    assert cell["Buy", "phone"] == 20.0
    # Nobody reaches either touchpoint: the plain mean of 30 and 50.
    assert cell["Use", "app"] == 40.0
    assert cell["Use", charts.NO_CHANNEL] == 80.0
    assert cell["Buy", "app"] is None and cell["Use", "web"] is None
    assert grid.touchpoints[0][2] == ["Sees ad", "Compares <plans>"]


def test_heatmap_figure_shows_the_cells_blank_where_empty(small: JourneyAnalysis) -> None:
    figure = charts.stage_channel_heatmap(small)
    [heatmap] = figure.data
    assert [list(row) for row in heatmap.z] == [[None, 20.0, 50.0, None], [40.0, None, None, 80.0]]
    assert (heatmap.zmin, heatmap.zmax) == (0, 100)
    assert [list(row) for row in heatmap.text] == [["", "20", "50", ""], ["40", "", "", "80"]]
    assert heatmap.hoverongaps is False
    hover = heatmap.hovertext[0][2]
    assert "• Sees ad" in hover and "• Compares &lt;plans&gt;" in hover
    assert "<plans>" not in hover
    assert heatmap.hovertext[0][0] == ""
    assert list(heatmap.x)[-1] == "(no channel)"
    assert figure.layout.yaxis.autorange == "reversed", "first stage on top"


def test_heatmap_of_a_real_analysis_agrees_with_its_stages(sample: JourneyAnalysis) -> None:
    grid = charts.stage_channel_friction(sample)
    assert grid.stages == [g.name for g in sample.stages]
    placed: list[Any] = [name for row in grid.touchpoints for cell in row for name in cell]
    assert sorted(placed) == sorted(t.name for t in sample.touchpoints)
