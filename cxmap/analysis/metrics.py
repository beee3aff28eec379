"""Customer metrics with their sample sizes: NPS, CSAT, CES and the sentiment mix.

Definitions (DOMAIN.md): NPS = 100 × (#9–10 − #0–6) / n; CSAT = 100 × #(4–5) / n on 1–5;
CES on the 1–7 agreement scale: mean and % agree (5–7); on the 1–5 effort scale: mean (lower is
better). Missing answers are left out of n. Below 30 answers a 95% interval is given: Wilson for
proportions (CSAT %, CES % agree); for NPS, a difference of two proportions, the normal interval
of that difference with one pseudo-answer per group (so it never has zero width), clipped to
−100…100.

Examples
--------
>>> nps([10, 9, 8, 7, 6, 0, None]).value
0.0
>>> csat([5, 4, 3, 2]).value
50.0
>>> ces([7, 6, 5, 1], scale=7).agree
75.0
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from cxmap.analysis.sentiment import sentiment_label
from cxmap.core.records import JourneyAggregate

SMALL_SAMPLE = 30
Z95 = 1.959963984540054


def _present(values: Iterable[float | int | None]) -> list[float]:
    result = []
    for value in values:
        if value is None:
            continue
        number = float(value)
        if not math.isnan(number):
            result.append(number)
    return result


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of a proportion, in percent.

    >>> [round(x, 1) for x in wilson_interval(8, 10)]
    [49.0, 94.3]
    """
    if n == 0:
        return (0.0, 100.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (100 * max(0.0, centre - half), 100 * min(1.0, centre + half))


@dataclass(frozen=True)
class Score:
    """A metric with its n, and its 95% interval when n < 30 (None otherwise or when n = 0)."""

    value: float | None
    n: int
    low: float | None = None
    high: float | None = None

    def label(self, digits: int = 0) -> str:
        """'42 (n = 17, 95% 18…63)' style text.

        >>> Score(42.0, 17, 18.2, 63.4).label()
        '42 (n = 17, 95% 18…63)'
        >>> Score(None, 0).label()
        '– (n = 0)'
        """
        if self.value is None:
            return "– (n = 0)"
        text = f"{self.value:.{digits}f} (n = {self.n:,}"
        if self.low is not None and self.high is not None:
            text += f", 95% {self.low:.{digits}f}…{self.high:.{digits}f}"
        return text + ")"


@dataclass(frozen=True)
class NpsScore(Score):
    """An NPS (−100…100) with its promoters (9–10), passives (7–8) and detractors (0–6)."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0


def nps(answers: Iterable[float | int | None]) -> NpsScore:
    """Net Promoter Score of 0–10 answers: 100 × (promoters − detractors) / n.

    >>> nps([10, 10, 9]).value, nps([0, 3, 6]).value, nps([]).value
    (100.0, -100.0, None)

    Below 30 answers the 95% interval (centred on the adjusted estimate, see the code):

    >>> single = nps([10])
    >>> round(single.low, 2), single.high
    (-56.26, 100.0)
    """
    values = _present(answers)
    n = len(values)
    if n == 0:
        return NpsScore(None, 0)
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    value = 100 * (promoters - detractors) / n
    low = high = None
    if n < SMALL_SAMPLE:
        # Promoter and detractor shares are two proportions of one multinomial sample. With one
        # pseudo-answer added to each group (promoter, passive, detractor; Agresti–Caffo style)
        # the interval is centred on the adjusted NPS, not on the raw one: a single 10 is
        # +25 ± 81, not "surely positive" (centred on +100 it went 18.7…100).
        p_pro, p_det, size = (promoters + 1) / (n + 3), (detractors + 1) / (n + 3), n + 3
        adjusted = 100 * (p_pro - p_det)
        variance = (p_pro + p_det - (p_pro - p_det) ** 2) / size
        half = 100 * Z95 * math.sqrt(variance)
        low, high = max(-100.0, adjusted - half), min(100.0, adjusted + half)
    return NpsScore(value, n, low, high, promoters, n - promoters - detractors, detractors)


@dataclass(frozen=True)
class CsatScore(Score):
    """``value`` is the percent satisfied (4–5); ``mean`` the mean answer on 1–5."""

    mean: float | None = None


def csat(answers: Iterable[float | int | None]) -> CsatScore:
    """Customer satisfaction on 1–5: percent satisfied (4–5), and the mean."""
    values = _present(answers)
    n = len(values)
    if n == 0:
        return CsatScore(None, 0)
    satisfied = sum(v >= 4 for v in values)
    low, high = wilson_interval(satisfied, n) if n < SMALL_SAMPLE else (None, None)
    return CsatScore(100 * satisfied / n, n, low, high, sum(values) / n)


@dataclass(frozen=True)
class CesScore(Score):
    """``value`` is the mean; ``agree`` the percent agreeing it was easy (1–7 scale only)."""

    scale: int = 7
    agree: float | None = None


def ces(answers: Iterable[float | int | None], scale: int = 7) -> CesScore:
    """Customer effort: mean, plus % agree (5–7) on the 1–7 agreement scale.

    On the 1–5 effort scale lower is better and there is no "agree" share.

    >>> ces([1, 2, 3], scale=5).value
    2.0
    """
    if scale not in (5, 7):
        raise ValueError(f"CES scale must be 5 or 7, not {scale}")
    values = _present(answers)
    n = len(values)
    if n == 0:
        return CesScore(None, 0, scale=scale)
    mean = sum(values) / n
    if scale == 5:
        return CesScore(mean, n, scale=5)
    agreeing = sum(v >= 5 for v in values)
    low, high = wilson_interval(agreeing, n) if n < SMALL_SAMPLE else (None, None)
    return CesScore(mean, n, low, high, scale=7, agree=100 * agreeing / n)


@dataclass(frozen=True)
class SentimentMix:
    """How many feedback items are positive, neutral, negative or not scored."""

    positive: int
    neutral: int
    negative: int
    not_scored: int

    @property
    def scored(self) -> int:
        """Items with a sentiment (all but the not scored ones).

        >>> sentiment_mix(["positive", "negative", "not scored"]).scored
        2
        """
        return self.positive + self.neutral + self.negative


def sentiment_mix(labels: Sequence[str]) -> SentimentMix:
    """Counts of positive / neutral / negative / not scored labels (sentiment.sentiment_label)."""
    return SentimentMix(
        labels.count("positive"),
        labels.count("neutral"),
        labels.count("negative"),
        labels.count("not scored"),
    )


# ---------------------------------------------------------------- tables


def feedback_frame(aggregate: JourneyAggregate, zone: dt.tzinfo = dt.UTC) -> pd.DataFrame:
    """One row per feedback item with what it can be grouped by (touchpoint, stage, month…).

    ``date`` is the date a viewer in ``zone`` sees (:meth:`FeedbackRecord.local_date`): a row
    given at a moment (``received_at``, UTC) on its date in that zone, a date-only row on its
    date; ``month`` is that date's month. So a row given at 23:30 on 9 March in New York is in
    March for a viewer there, and on 10 March for one in Tehran.

    >>> import dataclasses
    >>> from zoneinfo import ZoneInfo
    >>> from cxmap.core.examples import demo_chain
    >>> from cxmap.core.records import FeedbackRecord
    >>> moment = dt.datetime(2024, 4, 1, 3, 30, tzinfo=dt.UTC)  # 2024-03-31T23:30-04:00
    >>> row = FeedbackRecord(1, None, "", 9, None, None, 7, "", moment.date(), None, "", 1,
    ...                      received_at=moment)
    >>> chain = dataclasses.replace(demo_chain(), feedback=[row])
    >>> feedback_frame(chain, ZoneInfo("America/New_York"))[["date", "month"]].values.tolist()
    [[datetime.date(2024, 3, 31), '2024-03']]
    >>> feedback_frame(chain)[["date", "month"]].values.tolist()
    [[datetime.date(2024, 4, 1), '2024-04']]
    """
    touchpoints = {t.id: t for t in aggregate.touchpoints}
    stages = {s.id: s.name for s in aggregate.stages}
    rows = []
    for f in aggregate.feedback:
        tp = touchpoints.get(f.touchpoint_id) if f.touchpoint_id is not None else None
        rows.append(
            {
                "touchpoint": tp.name if tp else "(not linked)",
                "stage": stages.get(tp.stage_id, "") if tp else "(not linked)",
                "segment": f.segment or "(none)",
                "source": f.source or "(none)",
                "channel": f.channel,
                "created_at": f.created_at,
                "received_at": f.received_at,
                "id": f.id,
                "version": f.version,
                "touchpoint_id": f.touchpoint_id,
                "sentiment_source": f.sentiment_source,
                "nps": f.nps,
                "csat": f.csat,
                "ces": f.ces,
                "ces_scale": f.ces_scale,
                "sentiment": f.sentiment,
                "label": sentiment_label(f.sentiment),
                "language": f.language,
                "text": f.text,
            }
        )
    columns = ["touchpoint", "stage", "segment", "source", "channel", "created_at",
               "received_at", "id", "version", "touchpoint_id", "sentiment_source", "nps", "csat",
               "ces", "ces_scale", "sentiment", "label", "language", "text"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    moments = pd.to_datetime(frame["received_at"], utc=True)
    local = moments.dt.tz_convert(zone).dt.date.astype(object)
    dates = local.where(moments.notna(), frame["created_at"]).astype(object)
    frame.insert(5, "date", dates.where(dates.notna(), None))
    frame.insert(5, "month", [d.strftime("%Y-%m") if d else "(no date)" for d in frame["date"]])
    frame["received_at"] = moments
    return frame.drop(columns="created_at")


def rows_frame(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """Parsed feedback rows (``voc.parse_feedback``) as a frame for :func:`metrics_table`."""
    return pd.DataFrame(list(rows), columns=["nps", "csat", "ces", "ces_scale", "segment"])


def metrics_table(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """NPS, CSAT, CES and the sentiment mix per group (or overall), each with its n.

    ``frame`` has columns nps, csat, ces, ces_scale and, for the sentiment mix, label (see
    :func:`feedback_frame`). Intervals are given where n < 30.

    >>> frame = pd.DataFrame({"nps": [10, 2], "csat": [5, None], "ces": [None, None],
    ...     "ces_scale": [7, 7], "label": ["positive", "negative"], "team": ["a", "a"]})
    >>> metrics_table(frame, by="team")[["team", "responses", "NPS", "NPS n"]].to_dict("records")
    [{'team': 'a', 'responses': 2, 'NPS': 0.0, 'NPS n': 2}]
    """
    groups = [("all", frame)] if by is None else list(frame.groupby(by, sort=True, dropna=False))
    rows = []
    for name, part in groups:
        n_score = nps(_values(part["nps"]))
        c_score = csat(_values(part["csat"]))
        agree = ces(_values(part.loc[part["ces_scale"] == 7, "ces"]), scale=7)
        effort = ces(_values(part.loc[part["ces_scale"] == 5, "ces"]), scale=5)
        mix = sentiment_mix(list(part["label"])) if "label" in part else None
        rows.append(
            {
                (by or "group"): name,
                "responses": len(part),
                "NPS": n_score.value,
                "NPS n": n_score.n,
                "NPS 95% low": n_score.low,
                "NPS 95% high": n_score.high,
                "CSAT %": c_score.value,
                "CSAT n": c_score.n,
                "CSAT mean": c_score.mean,
                "CES mean (1-7)": agree.value,
                "CES % agree": agree.agree,
                "CES n (1-7)": agree.n,
                "CES mean (1-5)": effort.value,
                "CES n (1-5)": effort.n,
                **(
                    {
                        "positive": mix.positive,
                        "neutral": mix.neutral,
                        "negative": mix.negative,
                        "not scored": mix.not_scored,
                    }
                    if mix
                    else {}
                ),
            }
        )
    return pd.DataFrame(rows)


def _values(series: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in series.tolist()]
