"""What an executive reads: KPIs with their change, customers at risk, CRM-or-CX self-assessment.

Pure functions over plain records and the friction analysis (no database, no UI).

Examples
--------
>>> from dataclasses import replace
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> chain = demo_chain()  # t1 → t2 → t3, 20% drop off at t1, emotion −2 at t2
>>> chain = replace(chain, touchpoints=[replace(t, volume=1000) for t in chain.touchpoints])
>>> round(journey_risk(chain, analyze(chain), RiskAssumptions()).customers)  # 800 × 1 × 1/3
267
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxmap.analysis import flow, metrics
from cxmap.analysis.scoring import JourneyAnalysis, TouchpointScore
from cxmap.core.messages import Message, render, render_all
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
    feedback: Sequence[FeedbackRecord], days: int, zone: dt.tzinfo
) -> tuple[list[FeedbackRecord], list[FeedbackRecord], str]:
    """The rows of the last ``days`` to the newest dated row, and of the ``days`` before, by
    the dates a viewer in ``zone`` sees (:meth:`FeedbackRecord.local_date`)."""
    dated = [(f, d) for f in feedback if (d := f.local_date(zone)) is not None]
    if not dated:
        return list(feedback), [], "all feedback (no dates)"
    end = max(d for _, d in dated)
    start = end - dt.timedelta(days=days)
    previous_start = start - dt.timedelta(days=days)
    now = [f for f, d in dated if d > start]
    before = [f for f, d in dated if previous_start < d <= start]
    return now, before, f"last {days} days to {end:%d %b %Y} vs the {days} days before"


def kpis(aggregate: JourneyAggregate, days: int = 90, zone: dt.tzinfo = dt.UTC) -> list[Kpi]:
    """NPS, CSAT and CES (1–7) over the last ``days`` of feedback, against the period before,
    by the dates a viewer in ``zone`` sees.

    >>> kpis(JourneyAggregate(map=None))[0].now.n  # type: ignore[arg-type]
    0
    """
    now, before, period = _period_split(aggregate.feedback, days, zone)

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


@dataclass(frozen=True)
class RiskAssumptions:
    """Editable assumptions of the at-risk estimate (defaults from published research).

    ``leave_after_bad``: share of customers who leave after one bad experience (PwC 2018:
    1 in 3 leave a brand they love after one bad experience).
    ``acquisition_multiple``: cost of winning a customer relative to keeping one (about 7×).
    ``value_per_customer``: yearly value of one customer, in the map's currency (0 = unknown).
    ``retention_cost_per_customer``: what keeping one customer costs (0 = unknown).
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

    def explained(self) -> list[Message]:
        """The assumptions in words an executive reads (with where the defaults come from).

        >>> [m.code for m in RiskAssumptions(value_per_customer=90).explained()]
        ['risk.assumption_path', 'risk.assumption_bad', 'risk.assumption_leave', \
'risk.assumption_value']
        """
        default = RiskAssumptions()
        found = [
            Message("risk.assumption_path"),
            Message("risk.assumption_bad"),
            Message(
                "risk.assumption_leave",
                {
                    "share": self.leave_after_bad,
                    "source": Message(
                        "risk.source_leave_default"
                        if math.isclose(self.leave_after_bad, default.leave_after_bad)
                        else "risk.source_leave_changed"
                    ),
                },
            ),
        ]
        if self.value_per_customer:
            found.append(Message("risk.assumption_value", {"value": self.value_per_customer}))
        if self.retention_cost_per_customer:
            found.append(
                Message(
                    "risk.assumption_win_back",
                    {
                        "multiple": self.acquisition_multiple,
                        "cost": self.retention_cost_per_customer,
                    },
                )
            )
        return found


# Touchpoint volumes are customers a month (TouchpointRecord; the builder's "Volume" column).
VOLUME_PERIOD = "month"


@dataclass(frozen=True)
class RiskEstimate:
    """Customers who leave the journey at one touchpoint after a bad experience there."""

    touchpoint: str
    key: str
    arriving: float  # customers still on the journey who get there (a month)
    negative_share: float
    customers_lost: float
    value_lost: float
    replacement_cost: float


@dataclass(frozen=True)
class JourneyRisk:
    """The customers a journey may lose after bad experiences, each counted once.

    ``customers`` is the expected number of the ``entering`` customers who leave after a bad
    experience somewhere on their way (never more than ``entering``); ``where`` is where they
    leave, most first (all touchpoints where some leave; the page shows the first few).
    """

    entering: float
    entering_basis: Message
    customers: float
    value_lost: float
    replacement_cost: float
    where: list[RiskEstimate]
    assumptions: RiskAssumptions
    period: str = VOLUME_PERIOD

    @property
    def share(self) -> float:
        """The share of entering customers who may leave (0…1)."""
        return self.customers / self.entering if self.entering else 0.0

    def headline(self) -> Message:
        """ "About N of the M customers who start the journey each month may leave …"."""
        return Message(
            "risk.headline",
            {
                "customers": self.customers,
                "entering": self.entering,
                "share": self.share,
                "period": Message(f"risk.period_{self.period}"),
            },
        )

    def explained(self) -> list[Message]:
        """Where the entering customers come from, then the assumptions, in words."""
        return [self.entering_basis, *self.assumptions.explained()]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (what ``python -m cxmap summary MAP --json`` prints under ``at_risk``)."""
        return {
            "customers": round(self.customers, 1),
            "entering": round(self.entering, 1),
            "share": round(self.share, 4),
            "period": self.period,
            "value_lost": round(self.value_lost, 2),
            "replacement_cost": round(self.replacement_cost, 2),
            "headline": render(self.headline()),
            "assumptions": render_all(self.explained()),
            "assumption_values": self.assumptions.as_dict(),
            "where": [
                {
                    "touchpoint": r.touchpoint,
                    "key": r.key,
                    "arriving": round(r.arriving, 1),
                    "negative_share": round(r.negative_share, 4),
                    "customers": round(r.customers_lost, 1),
                }
                for r in self.where
            ],
        }


def bad_experience_share(score: TouchpointScore) -> float:
    """The share of customers with a bad experience at a touchpoint: its negative-feedback
    share when it has feedback, else its negative-emotion component (−2 → 100%, −1 → 50%).

    >>> from cxmap.analysis.scoring import analyze
    >>> from cxmap.core.examples import demo_chain
    >>> [bad_experience_share(t) for t in analyze(demo_chain()).touchpoints]
    [0.0, 1.0, 0.0]
    """
    share = score.components.get("feedback")
    if share is None:
        share = score.components.get("emotion")
    return float(share or 0.0)


def entering_customers(
    aggregate: JourneyAggregate, analysis: JourneyAnalysis
) -> tuple[float, Message] | None:
    """Customers entering the journey a month, and how that number was found.

    The volumes of the entry touchpoints (the first stage) when they all have one; else the
    volume of the touchpoint most customers reach, divided by its reach (the number that must
    enter for that many to get there); None when no touchpoint that customers reach has one.

    >>> from dataclasses import replace
    >>> from cxmap.analysis.scoring import analyze
    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()  # 20% drop off at t1: 80% reach t2
    >>> second = [replace(t, volume=800 if t.key == "t2" else None) for t in chain.touchpoints]
    >>> chain = replace(chain, touchpoints=second)
    >>> entering_customers(chain, analyze(chain))[0]
    1000.0
    """
    by_key = {t.key: t for t in aggregate.touchpoints}
    entries = [by_key[k] for k in flow.entry_distribution(aggregate)]
    total = float(sum(t.volume or 0 for t in entries))
    if entries and all(t.volume is not None for t in entries) and total > 0:
        names = [t.name for t in entries]
        return total, Message("risk.entering_first", {"entering": total, "touchpoints": names})
    reach = {t.key: t.reach for t in analysis.touchpoints}
    known = [t for t in aggregate.touchpoints if t.volume and reach.get(t.key, 0) > 0]
    if not known:
        return None
    # The most reached touchpoint: its volume depends least on the paths the model assumes.
    best = max(known, key=lambda t: reach[t.key])
    total = (best.volume or 0) / reach[best.key]
    basis = Message(
        "risk.entering_implied",
        {"entering": total, "touchpoint": best.name, "volume": best.volume,
         "reach": reach[best.key]},
    )  # fmt: skip
    return total, basis


def journey_risk(
    aggregate: JourneyAggregate, analysis: JourneyAnalysis, assumptions: RiskAssumptions
) -> JourneyRisk | None:
    """Customers who may leave after a bad experience, followed through the journey.

    At each touchpoint t a customer still on the journey has a bad experience with the
    :func:`bad_experience_share` b(t) and then leaves with ``leave_after_bad`` L; the others
    go on as the map's flow says (drop-off, transitions). A customer who left is not counted
    again, so along one path of touchpoints the expected number who leave is
    ``entering × (1 − Π (1 − b(t)·L))``; over branches the paths are weighted by how many
    customers take them (the same flow as reach: :func:`cxmap.analysis.flow.reach_and_visits`).
    Never more than the customers who enter. None when no volume says how many enter.

    >>> from dataclasses import replace
    >>> from cxmap.analysis.scoring import analyze
    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()  # t1 → t2 → t3; 20% drop off at t1; emotion −2 at t2
    >>> chain = replace(chain, touchpoints=[replace(t, volume=1000) for t in chain.touchpoints])
    >>> risk = journey_risk(chain, analyze(chain), RiskAssumptions(leave_after_bad=0.5))
    >>> round(risk.customers), [r.key for r in risk.where]
    (400, ['t2'])
    """
    found = entering_customers(aggregate, analysis)
    if found is None:
        return None
    entering, basis = found
    bad = {t.key: bad_experience_share(t) * assumptions.leave_after_bad
           for t in analysis.touchpoints}  # fmt: skip
    graph = flow.journey_graph(aggregate)
    # Who leaves after a bad experience at t no longer moves on: the way on shrinks by 1 − b·L.
    for source, _, data in graph.edges(data=True):
        data["probability"] *= 1.0 - bad.get(source, 0.0)
    _, visits = flow.reach_and_visits(graph, flow.entry_distribution(aggregate))
    names = {t.key: t.name for t in analysis.touchpoints}
    where = []
    for key, leave in bad.items():
        arriving = entering * visits.get(key, 0.0)
        if leave <= 0 or arriving <= 0:
            continue  # no bad experience there (also keeps a closed loop's ∞ visits out)
        lost = arriving * leave
        where.append(
            RiskEstimate(
                touchpoint=names[key],
                key=key,
                arriving=arriving,
                negative_share=leave / assumptions.leave_after_bad,
                customers_lost=lost,
                value_lost=lost * assumptions.value_per_customer,
                replacement_cost=lost
                * assumptions.acquisition_multiple
                * assumptions.retention_cost_per_customer,
            )
        )
    where.sort(key=lambda r: -r.customers_lost)
    customers = min(entering, sum(r.customers_lost for r in where))
    return JourneyRisk(
        entering=entering,
        entering_basis=basis,
        customers=customers,
        value_lost=customers * assumptions.value_per_customer,
        replacement_cost=customers
        * assumptions.acquisition_multiple
        * assumptions.retention_cost_per_customer,
        where=where,
        assumptions=assumptions,
    )


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
