"""NPS, CSAT and CES exactly as DOMAIN.md defines them, against hand-computed tables."""

from __future__ import annotations

import math

import pytest

from cxmap.analysis import metrics

NPS_CASES = {
    "all promoters": ([9, 10, 10], 100.0, 3),
    "all detractors": ([0, 5, 6], -100.0, 3),
    "mixed": ([10, 9, 8, 7, 6, 0], 0.0, 6),  # (2 − 2) / 6
    "n = 1 passive": ([7], 0.0, 1),
    "missing values left out": ([10, None, 3, math.nan], 0.0, 2),
    "three of four promoters": ([10, 10, 10, 8], 75.0, 4),
    "one detractor in five": ([9, 9, 8, 8, 2], 20.0, 5),  # (2 − 1) / 5
}


@pytest.mark.parametrize("case", list(NPS_CASES), ids=list(NPS_CASES))
def test_nps(case: str) -> None:
    answers, value, n = NPS_CASES[case]
    score = metrics.nps(answers)
    assert (score.value, score.n) == (value, n)
    assert score.promoters + score.passives + score.detractors == n


def test_nps_of_nothing_is_no_number() -> None:
    assert metrics.nps([None, None]) == metrics.NpsScore(None, 0)
    assert metrics.nps([]).label() == "– (n = 0)"


# One pseudo-answer per group: p⁺ = (promoters + 1) / (n + 3), p⁻ = (detractors + 1) / (n + 3);
# centre 100 (p⁺ − p⁻); half width 100 × 1.96 × √((p⁺ + p⁻ − (p⁺ − p⁻)²) / (n + 3)); clipped.
NPS_INTERVALS = {
    # p⁺ 2/4, p⁻ 1/4: centre 25; variance (3/4 − 1/16) / 4 = .171875; half 81.26 (was 18.7…100)
    "one promoter": ([10], -56.26, 100.0),
    # p⁺ 4/7, p⁻ 1/7: centre 42.86; variance (5/7 − 9/49) / 7 = .07580; half 53.96
    "three of four promoters": ([10, 10, 10, 8], -11.1, 96.82),
    # p⁺ 1/6, p⁻ 4/6: centre −50; variance (5/6 − 1/4) / 6 = .09722; half 61.11
    "three detractors": ([0, 5, 6], -100.0, 11.11),
    # p⁺ = p⁻ = 1/4: centre 0; variance (1/2) / 4 = .125; half 69.30
    "one passive": ([7], -69.3, 69.3),
    # 2 promoters, 1 detractor, 2 passives: p⁺ 3/8, p⁻ 2/8: centre 12.5; variance
    # (5/8 − 1/64) / 8 = .07617; half 54.09
    "mixed five": ([9, 10, 0, 7, 8], -41.59, 66.59),
}


@pytest.mark.parametrize("case", list(NPS_INTERVALS), ids=list(NPS_INTERVALS))
def test_nps_interval_for_small_samples(case: str) -> None:
    answers, low, high = NPS_INTERVALS[case]
    score = metrics.nps(answers)
    assert (round(score.low, 2), round(score.high, 2)) == (low, high)  # type: ignore[arg-type]


def test_one_answer_is_not_a_certainty() -> None:
    single = metrics.nps([10])
    assert single.value == 100.0 and single.low is not None and single.low < 0
    big = metrics.nps([10] * 20 + [0] * 10)
    assert big.n == 30 and big.low is None and big.high is None


CSAT_CASES = {
    "spread": ([5, 4, 3, 2, 1], 40.0, 3.0, 5),
    "all satisfied": ([5, 5], 100.0, 5.0, 2),
    "one unhappy": ([1], 0.0, 1.0, 1),
    "missing left out": ([4, None, 2], 50.0, 3.0, 2),
}


@pytest.mark.parametrize("case", list(CSAT_CASES), ids=list(CSAT_CASES))
def test_csat(case: str) -> None:
    answers, percent, mean, n = CSAT_CASES[case]
    score = metrics.csat(answers)
    assert (score.value, score.mean, score.n) == (percent, mean, n)


def test_csat_wilson_interval() -> None:
    # 2 of 5 satisfied: Wilson 95% = 11.76 … 76.93 (hand-computed with z = 1.96).
    score = metrics.csat([5, 4, 3, 2, 1])
    assert (round(score.low, 2), round(score.high, 2)) == (11.76, 76.93)


CES_CASES = {
    "agreement scale": ([7, 6, 5, 4, 1], 7, 4.6, 60.0),
    "all agree": ([7, 7], 7, 7.0, 100.0),
    "effort scale (lower is better)": ([1, 2, 5], 5, 8 / 3, None),
}


@pytest.mark.parametrize("case", list(CES_CASES), ids=list(CES_CASES))
def test_ces(case: str) -> None:
    answers, scale, mean, agree = CES_CASES[case]
    score = metrics.ces(answers, scale=scale)
    assert score.value == pytest.approx(mean) and score.agree == agree and score.scale == scale


def test_ces_scale_must_be_5_or_7() -> None:
    with pytest.raises(ValueError, match="CES scale must be 5 or 7"):
        metrics.ces([1], scale=10)


def test_wilson_interval_known_value() -> None:
    low, high = metrics.wilson_interval(8, 10)
    assert (round(low, 1), round(high, 1)) == (49.0, 94.3)
    assert metrics.wilson_interval(0, 0) == (0.0, 100.0)


def test_sentiment_mix_counts_not_scored_separately() -> None:
    mix = metrics.sentiment_mix(["positive", "negative", "not scored", "neutral", "negative"])
    assert (mix.positive, mix.neutral, mix.negative, mix.not_scored, mix.scored) == (1, 1, 2, 1, 4)
