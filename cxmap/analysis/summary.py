"""What an executive reads: KPIs with their change, customers at risk, CRM-or-CX self-assessment.

Pure functions over plain records and the friction analysis (no database, no UI).

Examples
--------
>>> risk = customers_at_risk(volume=10_000, negative_share=0.3, assumptions=RiskAssumptions())
>>> round(risk.customers_lost)
1000
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxmap.analysis import metrics
from cxmap.analysis.scoring import JourneyAnalysis
from cxmap.core.records import FeedbackRecord, JourneyAggregate

# ---------------------------------------------------------------- KPIs


@dataclass(frozen=True)
class Kpi:
    """A metric now, in the previous period of the same length, and the change."""

    name: str
    now: metrics.Score
    before: metrics.Score | None
    period: str

    @property
    def change(self) -> float | None:
        """Now minus before, in the metric's units (None when either period has no answers).

        >>> Kpi("NPS", metrics.Score(40.0, 12), metrics.Score(25.0, 9), "").change
        15.0
        """
        if self.before is None or self.before.value is None or self.now.value is None:
            return None
        return self.now.value - self.before.value


def _period_split(
    feedback: Sequence[FeedbackRecord], days: int
) -> tuple[list[FeedbackRecord], list[FeedbackRecord], str]:
    dated = [f for f in feedback if f.created_at is not None]
    if not dated:
        return list(feedback), [], "all feedback (no dates)"
    end = max(f.created_at for f in dated if f.created_at is not None)
    start = end - dt.timedelta(days=days)
    previous_start = start - dt.timedelta(days=days)
    now = [f for f in dated if f.created_at is not None and f.created_at > start]
    before = [
        f for f in dated if f.created_at is not None and previous_start < f.created_at <= start
    ]
    return now, before, f"last {days} days to {end:%d %b %Y} vs the {days} days before"


def kpis(aggregate: JourneyAggregate, days: int = 90) -> list[Kpi]:
    """NPS, CSAT and CES (1–7) over the last ``days`` of feedback, against the period before.

    >>> kpis(JourneyAggregate(map=None))[0].now.n  # type: ignore[arg-type]
    0
    """
    now, before, period = _period_split(aggregate.feedback, days)

    def scores(rows: Sequence[FeedbackRecord]) -> tuple[metrics.Score, ...]:
        return (
            metrics.nps(f.nps for f in rows),
            metrics.csat(f.csat for f in rows),
            metrics.ces((f.ces for f in rows if f.ces_scale == 7), scale=7),
        )

    current = scores(now)
    previous = scores(before) if before else (None, None, None)
    names = ("NPS", "CSAT %", "CES (1–7)")
    return [Kpi(n, c, p, period) for n, c, p in zip(names, current, previous, strict=True)]


# ---------------------------------------------------------------- customers at risk


RISK_SOURCES = {
    "leave_after_bad": "PwC 2018: 1 in 3 customers leave a brand they love after one bad "
    "experience, 92% after two or three (seed 003)",
    "acquisition_multiple": "acquiring a customer costs about 7× keeping one (seed 002)",
}


@dataclass(frozen=True)
class RiskAssumptions:
    """Editable assumptions of the at-risk estimate, with where the defaults come from.

    ``leave_after_bad``: share of customers who leave after one bad experience (PwC 2018,
    "1 in 3 leave a brand they love after one bad experience", seed 003).
    ``acquisition_multiple``: cost of winning a customer relative to keeping one (≈ 7×, seed 002).
    ``value_per_customer``: yearly value of one customer, in the map's currency (0 = unknown).
    """

    leave_after_bad: float = 1 / 3
    acquisition_multiple: float = 7.0
    value_per_customer: float = 0.0
    retention_cost_per_customer: float = 0.0

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> RiskAssumptions:
        """The assumptions stored with a map (``settings["risk"]``), defaults for missing ones.

        >>> RiskAssumptions.from_dict({"value_per_customer": 80}).value_per_customer
        80.0
        """
        default = cls()
        return cls(
            leave_after_bad=float(stored.get("leave_after_bad", default.leave_after_bad)),
            acquisition_multiple=float(
                stored.get("acquisition_multiple", default.acquisition_multiple)
            ),
            value_per_customer=float(stored.get("value_per_customer", 0.0)),
            retention_cost_per_customer=float(stored.get("retention_cost_per_customer", 0.0)),
        )

    def as_dict(self) -> dict[str, float]:
        """The assumptions by name, as :meth:`from_dict` reads them back."""
        return {
            "leave_after_bad": self.leave_after_bad,
            "acquisition_multiple": self.acquisition_multiple,
            "value_per_customer": self.value_per_customer,
            "retention_cost_per_customer": self.retention_cost_per_customer,
        }


@dataclass(frozen=True)
class RiskEstimate:
    """Customers at risk at one touchpoint, what they are worth, and the formula in words."""

    touchpoint: str
    volume: float
    negative_share: float
    customers_lost: float
    value_lost: float
    replacement_cost: float
    formula: str


def customers_at_risk(
    volume: float, negative_share: float, assumptions: RiskAssumptions, touchpoint: str = ""
) -> RiskEstimate:
    """Customers lost at a touchpoint = volume × share with a bad experience × share who leave.

    The value lost uses the yearly value per customer; replacing them costs the acquisition
    multiple × the cost of keeping one (when given). An estimate, never a fact about the map.

    >>> r = customers_at_risk(9000, 0.5, RiskAssumptions(value_per_customer=100,
    ...     retention_cost_per_customer=10))
    >>> round(r.customers_lost), round(r.value_lost), round(r.replacement_cost)
    (1500, 150000, 105000)
    """
    lost = volume * negative_share * assumptions.leave_after_bad
    return RiskEstimate(
        touchpoint=touchpoint,
        volume=volume,
        negative_share=negative_share,
        customers_lost=lost,
        value_lost=lost * assumptions.value_per_customer,
        replacement_cost=lost
        * assumptions.acquisition_multiple
        * assumptions.retention_cost_per_customer,
        formula=(
            f"{volume:,.0f} customers × {negative_share:.0%} with a bad experience × "
            f"{assumptions.leave_after_bad:.0%} who leave"
        ),
    )


def risk_at_worst_touchpoints(
    aggregate: JourneyAggregate,
    analysis: JourneyAnalysis,
    assumptions: RiskAssumptions,
    top: int = 5,
) -> list[RiskEstimate]:
    """The estimate at the ``top`` touchpoints by impact that have a volume.

    The share with a bad experience is the touchpoint's negative-feedback share when it has
    feedback, else its negative-emotion component (emotion −2 → 100%, −1 → 50%).
    """
    volume = {t.key: t.volume for t in aggregate.touchpoints}
    estimates = []
    for score in analysis.ranked():
        if volume.get(score.key) is None or score.impact <= 0:
            continue
        share = score.components.get("feedback")
        if share is None:
            share = score.components.get("emotion") or 0.0
        estimates.append(
            customers_at_risk(float(volume[score.key] or 0), share, assumptions, score.name)
        )
        if len(estimates) == top:
            break
    return estimates


def total_at_risk(estimates: Sequence[RiskEstimate]) -> float:
    """Customers at risk at all of ``estimates`` together: what the summary page and the
    exports say in "about N customers may leave".

    >>> total_at_risk([customers_at_risk(9000, 0.5, RiskAssumptions()),
    ...                customers_at_risk(3000, 0.1, RiskAssumptions())])
    1600.0
    """
    return sum(r.customers_lost for r in estimates)


def risk_formula(assumptions: RiskAssumptions) -> str:
    """The at-risk formula in words, with the assumptions' values.

    >>> risk_formula(RiskAssumptions(leave_after_bad=0.25))[-24:]
    'one bad experience (25%)'
    """
    text = (
        "customers at risk = customers passing the touchpoint × share with a bad experience "
        f"there × share who leave after one bad experience ({assumptions.leave_after_bad:.0%})"
    )
    if assumptions.value_per_customer:
        text += (
            f"; value at risk = customers at risk × {assumptions.value_per_customer:,.0f} a "
            "customer"
        )
    if assumptions.retention_cost_per_customer:
        text += (
            f"; cost to win them back = customers at risk × {assumptions.acquisition_multiple:g}"
            f" × {assumptions.retention_cost_per_customer:,.0f} (cost of keeping one)"
        )
    return text


# ---------------------------------------------------------------- CRM or CX?

# Seed 001 contrasts CRM (inside-out) and CX management (outside-in) on eight factors.
ASSESSMENT_FACTORS: tuple[tuple[str, str, str], ...] = (
    ("objectives", "Sell more to customers we already know", "Deliver experiences customers value"),
    ("roles", "Sales and marketing own the customer", "Every department owns its touchpoints"),
    ("function", "A database of transactions", "A continuous design and improvement discipline"),
    ("collaboration", "Teams work in silos", "Teams work across the journey together"),
    ("time to benefit", "Quarterly sales results", "Long-term loyalty and advocacy"),
    ("technology", "CRM system records", "Feedback, journey analytics and closed loops"),
    (
        "perspective",
        "Inside-out: what we know about the customer",
        "Outside-in: what the customer perceives",
    ),  # noqa: E501
    ("emotions", "Emotions are not measured", "Emotions are measured and designed for"),
)
# Seed 000: the road from data chaos to orchestrated experiences.
MATURITY_STAGES: tuple[tuple[float, str, str], ...] = (
    (1.75, "Data chaos", "customer data is scattered and nobody owns the experience"),
    (2.75, "CRM-centric", "customer records are managed, but from the inside out"),
    (3.75, "Emerging CX", "journeys and feedback are in use, in some teams"),
    (5.01, "Experience orchestration", "the whole organisation designs the journey together"),
)


@dataclass(frozen=True)
class Assessment:
    """Answers 1 (CRM-centric) … 5 (CX-centric) per factor; the mean places the organisation."""

    answers: Mapping[str, int]

    @property
    def score(self) -> float | None:
        """The mean of the answers in 1…5 (out-of-range ones left out); None when there are none.

        >>> Assessment({"objectives": 2, "roles": 5, "function": 9}).score
        3.5
        """
        given = [v for v in self.answers.values() if 1 <= v <= 5]
        return sum(given) / len(given) if given else None

    @property
    def stage(self) -> tuple[str, str] | None:
        """The maturity stage of the mean answer.

        >>> Assessment({"objectives": 2, "roles": 3}).stage[0]
        'CRM-centric'
        """
        score = self.score
        if score is None:
            return None
        for upper, name, meaning in MATURITY_STAGES:
            if score < upper:
                return name, meaning
        return MATURITY_STAGES[-1][1:]

    def problems(self) -> list[str]:
        """Why the answers cannot be stored: unknown factors, answers not in 1…5 (empty if none)."""
        known = {f for f, _, _ in ASSESSMENT_FACTORS}
        found = [f"unknown factor {k!r}" for k in self.answers if k not in known]
        found += [f"{k}: {v} is not 1…5" for k, v in self.answers.items() if not 1 <= v <= 5]
        return found
