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


def test_nps_interval_for_small_samples() -> None:
    # [10, 10, 10, 8] with one pseudo-answer per group: p(promoter) 4/7, p(detractor) 1/7, n 7;
    # variance (5/7 − (3/7)²) / 7 = .07580; half width 100 × 1.96 × √.07580 = 53.96
    # → 21.04 … 100 (clipped from 128.96) around the observed 75.
    score = metrics.nps([10, 10, 10, 8])
    assert (round(score.low, 2), score.high) == (21.04, 100.0)
    # One answer is not a certainty: the interval stays wide.
    single = metrics.nps([10])
    assert single.value == 100.0 and round(single.low, 1) == 18.7
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
