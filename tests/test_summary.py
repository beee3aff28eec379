"""The executive summary's numbers: KPIs by period, customers at risk, the self-assessment."""

from __future__ import annotations

import datetime as dt

import pytest

from cxmap import services
from cxmap.analysis import scoring, summary
from cxmap.core.config import DEMO_DIR
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
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


def test_customers_at_risk_at_the_worst_touchpoints() -> None:
    aggregate = journey_file.document_aggregate(
        journey_file.parse_document((DEMO_DIR / "telecom-broadband-onboarding.json").read_bytes())
    )
    result = scoring.analyze(aggregate)
    estimates = summary.risk_at_worst_touchpoints(
        aggregate, result, summary.RiskAssumptions(), top=3
    )
    assert [e.touchpoint for e in estimates] == [t.name for t in result.ranked()[:3]]
    first = estimates[0]
    volume = next(t.volume for t in aggregate.touchpoints if t.name == first.touchpoint)
    share = result.ranked()[0].components["feedback"]
    assert first.customers_lost == pytest.approx(volume * share / 3)
    assert first.formula.startswith(
        f"{volume:,} customers × {share:.0%} with a bad experience × 33%"
    )


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
