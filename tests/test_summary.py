"""The executive summary's numbers: KPIs by period, customers at risk, the self-assessment."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from cxmap import services
from cxmap.analysis import scoring, summary
from cxmap.core.config import DEMO_DIR
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.core.messages import render, render_all
from cxmap.core.records import FeedbackRecord, JourneyAggregate, MapRecord
from cxmap.formats import journey_file


def feedback(day: str, nps: int | None = None, csat: int | None = None) -> FeedbackRecord:
    return FeedbackRecord(
        0, None, "", nps, csat, None, 7, "", dt.date.fromisoformat(day), None, "en", 1
    )


def test_kpis_compare_the_last_period_with_the_one_before() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [
        # before: 2026-01-02 … 2026-03-02 (60 days ending at the split): NPS (1 − 1) / 2 = 0
        feedback("2026-02-01", nps=10), feedback("2026-02-15", nps=3),
        # now: after 2026-03-02 up to the last date 2026-05-01: NPS (2 − 0) / 2 = 100; CSAT 1 of 2
        feedback("2026-04-01", nps=9, csat=5), feedback("2026-05-01", nps=10, csat=2),
        # older than both periods: ignored
        feedback("2025-06-01", nps=0),
    ]  # fmt: skip
    aggregate = JourneyAggregate(
        map=MapRecord(1, "M", "", "current", "en", now, now, 0, 1), feedback=rows
    )
    nps, csat, ces = summary.kpis(aggregate, days=60)
    assert (nps.now.value, nps.now.n, nps.before.value, nps.change) == (100.0, 2, 0.0, 100.0)  # type: ignore[union-attr]
    assert (csat.now.value, csat.before.n) == (50.0, 0)  # type: ignore[union-attr]
    assert csat.change is None and ces.now.n == 0
    assert nps.period == "last 60 days to 01 May 2026 vs the 60 days before"


def risk_map(touchpoints: list[dict[str, Any]], edges: list[tuple[str, str]]) -> JourneyAggregate:
    """A map with one stage per entry of ``stages`` order; ``touchpoints`` name their stage."""
    stages = sorted({t["stage"] for t in touchpoints})
    document = {
        "format": "cxmap-journey",
        "version": 1,
        "map": {"name": "Risk", "description": "", "state": "current", "language": "en"},
        "stages": [{"key": s, "name": s, "order": i} for i, s in enumerate(stages, start=1)],
        "touchpoints": [
            {"name": t["key"], "channel": "web", "owner": "", "emotion": None, "effort": None,
             "volume": None, "drop_off": 0.0, "moment_of_truth": False, **t}
            for t in touchpoints
        ],
        "transitions": [{"source": a, "target": b, "weight": 1.0} for a, b in edges],
    }  # fmt: skip
    return journey_file.document_aggregate(journey_file.parse_document(json.dumps(document)))


def chain(n: int, emotion: int, volume: int = 10_000) -> JourneyAggregate:
    keys = [f"t{i}" for i in range(1, n + 1)]
    return risk_map(
        [{"key": k, "stage": f"s{i}", "emotion": emotion, "volume": volume}
         for i, k in enumerate(keys, start=1)],
        list(zip(keys, keys[1:], strict=False)),
    )  # fmt: skip


BRANCH = risk_map(
    [
        {"key": "t1", "stage": "s1", "emotion": 0, "volume": 10_000},
        {"key": "t2", "stage": "s2", "emotion": -2},
        {"key": "t3", "stage": "s2", "emotion": 0},
        {"key": "t4", "stage": "s3", "emotion": -1},
    ],
    [("t1", "t2"), ("t1", "t3"), ("t2", "t4"), ("t3", "t4")],
)
DROP_OFF = risk_map(
    [
        {"key": "t1", "stage": "s1", "emotion": -2, "volume": 10_000, "drop_off": 0.5},
        {"key": "t2", "stage": "s2", "emotion": -2, "volume": 10_000},
    ],
    [("t1", "t2")],
)
IMPLIED = risk_map(  # no volume where customers enter: 8,000 reach t2, which 80% get to
    [
        {"key": "t1", "stage": "s1", "emotion": 0, "drop_off": 0.2},
        {"key": "t2", "stage": "s2", "emotion": -2, "volume": 8_000},
    ],
    [("t1", "t2")],
)


@pytest.mark.parametrize(
    ("aggregate", "entering", "lost", "where"),
    [
        # Five in a row at −2, leave 1/3: 10,000 × (1 − (2/3)^5) = 10,000 × 211/243 (was 16,667).
        (
            chain(5, -2),
            10_000,
            10_000 * 211 / 243,
            {"t1": 3333.33, "t2": 2222.22, "t3": 1481.48, "t4": 987.65, "t5": 658.44},
        ),
        # 5,000 each way; t2 (−2) loses 5,000/3; t4 (−1: half) gets 3,333.33 + 5,000 and loses
        # 8,333.33 × 0.5 / 3 = 1,388.89.
        (BRANCH, 10_000, 5000 / 3 + 8333.33 * 0.5 / 3, {"t2": 1666.67, "t4": 1388.89}),
        # t1 loses 3,333.33; of the 6,666.67 left half drop off (not "at risk"): t2 loses 1,111.11.
        (DROP_OFF, 10_000, 4444.44, {"t1": 3333.33, "t2": 1111.11}),
        # 8,000 / 0.8 = 10,000 enter; 8,000 get to t2 and 8,000 / 3 leave there.
        (IMPLIED, 10_000, 2666.67, {"t2": 2666.67}),
        # Twenty at −2: nearly everyone, never more than the 10,000 who enter.
        (chain(20, -2), 10_000, 10_000 * (1 - (2 / 3) ** 20), None),
    ],
    ids=["chain", "branch", "drop-off", "implied", "long chain"],
)
def test_customers_at_risk_follow_customers_through_the_journey(
    aggregate: JourneyAggregate, entering: float, lost: float, where: dict[str, float] | None
) -> None:
    risk = summary.journey_risk(aggregate, scoring.analyze(aggregate), summary.RiskAssumptions())
    assert risk is not None
    assert risk.entering == pytest.approx(entering)
    assert risk.customers == pytest.approx(lost, abs=0.02)
    assert risk.customers <= risk.entering
    if where is not None:
        assert {r.key: round(r.customers_lost, 2) for r in risk.where} == pytest.approx(where)
    assert risk.period == "month"


def test_the_at_risk_sentence_names_its_period_and_plain_assumptions() -> None:
    aggregate = chain(5, -2)
    risk = summary.journey_risk(aggregate, scoring.analyze(aggregate), summary.RiskAssumptions())
    assert risk is not None
    assert render(risk.headline()) == (
        "About 8,683 of the 10,000 customers who start the journey each month (87%) may leave "
        "after a bad experience on the way."
    )
    words = render_all(risk.explained())
    assert words[0] == "10,000 customers a month start the journey (the volumes of t1)."
    assert "counted at most once" in words[1]
    assert words[3].startswith("33% of customers who have a bad experience leave (research "
                               "default: PwC found in 2018")  # fmt: skip
    assert not any("seed" in w for w in words)
    changed = summary.RiskAssumptions(leave_after_bad=0.5, value_per_customer=100)
    risk = summary.journey_risk(aggregate, scoring.analyze(aggregate), changed)
    assert risk is not None  # 10,000 × (1 − 0.5^5) = 9,687.5, each worth 100 a year
    assert (round(risk.customers, 1), round(risk.value_lost)) == (9687.5, 968750)
    assert render_all(risk.explained())[3] == (
        "50% of customers who have a bad experience leave (set for this map)."
    )


def test_without_any_volume_there_is_no_estimate() -> None:
    aggregate = risk_map([{"key": "t1", "stage": "s1", "emotion": -2}], [])
    assert (
        summary.journey_risk(aggregate, scoring.analyze(aggregate), summary.RiskAssumptions())
        is None
    )


def test_the_demo_map_estimate_is_at_most_the_customers_who_enter() -> None:
    aggregate = journey_file.document_aggregate(
        journey_file.parse_document((DEMO_DIR / "telecom-broadband-onboarding.json").read_bytes())
    )
    risk = summary.journey_risk(aggregate, scoring.analyze(aggregate), summary.RiskAssumptions())
    assert risk is not None
    assert 0 < risk.customers <= risk.entering
    assert risk.customers == pytest.approx(sum(r.customers_lost for r in risk.where))


def test_assessment_places_the_organisation_on_the_maturity_road() -> None:
    factors = [f for f, _, _ in summary.ASSESSMENT_FACTORS]
    assert len(factors) == 8
    assert summary.Assessment(dict.fromkeys(factors, 1)).stage[0] == "Data chaos"  # type: ignore[index]
    assert summary.Assessment(dict.fromkeys(factors, 5)).stage[0] == "Experience orchestration"  # type: ignore[index]
    mixed = summary.Assessment({"objectives": 4, "roles": 3, "emotions": 4})
    assert (round(mixed.score, 2), mixed.stage[0]) == (3.67, "Emerging CX")  # type: ignore[arg-type, index]
    assert summary.Assessment({}).stage is None
    assert summary.Assessment({"mood": 9}).problems() == [
        "unknown factor 'mood'",
        "mood: 9 is not 1…5",
    ]


def test_assessment_and_assumptions_are_stored_with_the_map(ctx: Context) -> None:
    journey = services.create_map(ctx, "Journey")
    saved = services.save_assessment(
        ctx, journey.id, journey.version, {"objectives": 4, "roles": 2}
    )
    saved = services.save_risk_assumptions(
        ctx, journey.id, saved.version, {"value_per_customer": 480.0}
    )
    tuned = scoring.ScoringSettings(likely_transition=0.3)
    saved = services.save_scoring_settings(ctx, journey.id, saved.version, tuned)
    settings = services.get_map(ctx, journey.id).settings
    assert settings["assessment"] == {"objectives": 4, "roles": 2}
    assert summary.RiskAssumptions.from_dict(settings["risk"]).value_per_customer == 480.0
    assert services.scoring_settings(ctx, journey.id).likely_transition == 0.3
    with pytest.raises(InvalidInput, match="roles: 7 is not 1…5"):
        services.save_assessment(ctx, journey.id, saved.version, {"roles": 7})
    with pytest.raises(InvalidInput, match="leave_after_bad: 1.5 is out of range"):
        services.save_risk_assumptions(ctx, journey.id, saved.version, {"leave_after_bad": 1.5})


def test_the_page_and_the_html_export_say_the_same_journey_estimate() -> None:
    from cxmap.analysis.executive import executive_summary
    from cxmap.render.report import to_html

    aggregate = chain(5, -2)
    report = executive_summary(aggregate, scoring.analyze(aggregate))
    assert report.customers_at_risk == pytest.approx(10_000 * 211 / 243)
    html = to_html(report)
    assert "About 8,683 of the 10,000 customers who start the journey each month" in html
    assert "16,667" not in html and "seed 00" not in html
