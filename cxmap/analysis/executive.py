"""The executive summary of a map: what the Executive Summary page and the exports show.

:func:`executive_summary` gathers, from a map and its analysis, the KPIs with their change
(as display :class:`Tile`), the three :class:`Answers` an executive asks for, the top touchpoints
by impact, customers at risk, the self-assessment and the :class:`NextStep`. Pure data and
plain text (no database, no UI): the page (:mod:`cxmap.app.pages.summary`) and the exports
(:mod:`cxmap.render.report`) lay the same content out.

Examples
--------
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> chain = demo_chain()
>>> report = executive_summary(chain, analyze(chain))
>>> [t.name for t in report.top]
['Touchpoint 2', 'Touchpoint 1', 'Touchpoint 3']
>>> [question for question, _ in report.answers().questions()][0]
'How are we doing?'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cxmap.analysis import metrics, summary
from cxmap.analysis.scoring import JourneyAnalysis, TouchpointScore
from cxmap.core.messages import Message, render, render_all
from cxmap.core.records import JourneyAggregate, OpportunityRecord

TOP = 5  # touchpoints in "where it hurts most" and in the at-risk table
KPI_DAYS = 90  # the period of the KPIs, compared with the same length before it
COMPARED = f"vs the {KPI_DAYS} days before"


@dataclass(frozen=True)
class Tile:
    """One KPI as the page and the exports show it.

    ``value`` and ``change`` are display text; ``change`` is None where there is no trend
    (``note`` says why). ``detail`` gives n and, below 30 answers, the 95% interval.
    """

    label: str
    value: str
    detail: str
    help: str
    n: int | None = None
    change: str | None = None
    change_value: float | None = None
    note: str = ""

    @property
    def change_text(self) -> str:
        """The change with what it compares to, e.g. ``+7 points vs the 90 days before``."""
        return f"{self.change} {COMPARED}" if self.change else ""


@dataclass(frozen=True)
class Answers:
    """The three questions an executive asks, answered in a sentence each (messages: the page
    and the exports render them in the reader's language)."""

    how: Message
    where: Message
    what: Message

    def questions(self, locale: str = "en") -> tuple[tuple[str, str], ...]:
        """(question, answer) in the order the page and the exports show them, in words.

        >>> nothing = Message("summary.nothing_to_fix")
        >>> Answers(nothing, Message("summary.no_touchpoints"), nothing).questions()[1]
        ('Where does it hurt most?', 'The map has no touchpoints yet.')
        """
        return tuple(
            (render(Message(f"summary.question_{part}"), locale), render(answer, locale))
            for part, answer in (("how", self.how), ("where", self.where), ("what", self.what))
        )


@dataclass(frozen=True)
class NextStep:
    """An open opportunity at one of the touchpoints that hurt most."""

    opportunity: OpportunityRecord
    touchpoint: TouchpointScore
    rank: int


@dataclass(frozen=True)
class ExecutiveSummary:
    """Everything the summary page and the exports show about one map, computed once."""

    aggregate: JourneyAggregate
    analysis: JourneyAnalysis
    kpis: list[summary.Kpi]
    top: list[TouchpointScore]
    risk: summary.JourneyRisk | None
    assumptions: summary.RiskAssumptions
    assessment: summary.Assessment | None
    next_step: NextStep | None
    exported: dt.date = field(default_factory=dt.date.today)

    @property
    def name(self) -> str:
        """The map's name."""
        return self.aggregate.map.name

    @property
    def has_dated_feedback(self) -> bool:
        """Whether any feedback has a date (else the KPIs cover all of it, with no change)."""
        return any(f.created_at is not None for f in self.aggregate.feedback)

    @property
    def customers_at_risk(self) -> float | None:
        """The customers who may leave after a bad experience (each counted once), a month;
        None without volumes."""
        return None if self.risk is None else self.risk.customers

    @property
    def period(self) -> str:
        """What the KPIs cover, in words ("" when there are none)."""
        return self.kpis[0].period if self.kpis else ""

    def tiles(self) -> list[Tile]:
        """Journey health, completion, then NPS, CSAT and CES with n and their change."""
        analysis = self.analysis
        tiles = [
            Tile(
                "Journey health",
                f"{analysis.health:.0f}/100" if analysis.touchpoints else "–",
                "100 − reach-weighted friction",
                "100 minus the reach-weighted mean friction of the touchpoints: 100 is a "
                "journey without friction.",
            ),
            Tile(
                "Completion",
                f"{analysis.completion:.0%}" if analysis.touchpoints else "–",
                "reach the end of the journey",
                "The share of customers entering the journey who reach its end (drop-off "
                "taken out), from the map's transitions.",
            ),
        ]
        return tiles + [_kpi_tile(kpi, self.has_dated_feedback) for kpi in self.kpis]

    def as_dict(self, locale: str = "en") -> dict[str, Any]:
        """JSON-ready: what the Executive Summary page shows (``python -m cxmap summary MAP
        --json`` prints it): KPIs with n and period, health, completion, the three answers, top
        to fix, moments of truth and customers at risk with its assumptions (None: no volumes).

        >>> from cxmap.analysis.scoring import analyze
        >>> from cxmap.core.examples import demo_chain
        >>> data = executive_summary(demo_chain(), analyze(demo_chain())).as_dict()
        >>> data["completion"], data["at_risk"], [t["key"] for t in data["top"]]
        (0.8, None, ['t2', 't1', 't3'])
        """
        analysis = self.analysis

        def kpi(k: summary.Kpi) -> dict[str, Any]:
            return {
                "name": k.name,
                "value": k.now.value,
                "n": k.now.n,
                "low": k.now.low,
                "high": k.now.high,
                "period": k.period,
                "before": None if k.before is None else k.before.value,
                "change": k.change,
            }

        return {
            "map": self.name,
            "health": round(analysis.health, 2),
            "completion": round(analysis.completion, 4),
            "kpis": [kpi(k) for k in self.kpis],
            "answers": dict(self.answers().questions(locale)),
            "top": [
                {"rank": rank, "key": t.key, "name": t.name, "owner": t.owner,
                 "friction": t.friction, "reach": round(t.reach, 4), "impact": t.impact,
                 "causes": render(t.explain(), locale)}
                for rank, t in enumerate(self.top, start=1)
            ],
            "moments_of_truth": [
                {"key": t.key, "name": t.name, "reasons": render_all(t.reasons, locale)}
                for t in analysis.moments_of_truth
            ],
            "at_risk": None if self.risk is None else self.risk.as_dict(),
            "warnings": render_all(analysis.warnings, locale),
        }  # fmt: skip

    def answers(self) -> Answers:
        """How are we doing, where does it hurt most, what to fix first."""
        analysis = self.analysis
        if not analysis.touchpoints:
            nothing = Message("summary.no_touchpoints")
            return Answers(nothing, nothing, Message("summary.add_touchpoints"))
        nps = self.kpis[0] if self.kpis else None
        nps_part: Message | str = ""
        if nps is not None and nps.now.value is not None:
            movement: Message | str = ""
            if nps.change is not None:
                movement = Message("summary.nps_movement", {"movement": _movement(nps.change),
                                                            "days": KPI_DAYS})  # fmt: skip
            nps_part = Message(
                "summary.how_nps", {"nps": nps.now.value, "n": nps.now.n, "movement": movement}
            )
        how = Message(
            "summary.how",
            {"health": analysis.health, "completion": analysis.completion, "nps": nps_part},
        )
        if not self.top:
            return Answers(how, Message("summary.nothing_hurts"), Message("summary.nothing_to_fix"))
        worst = self.top[0]
        where = Message(
            "summary.where",
            {
                "touchpoint": worst.name,
                "owner": worst.owner or worst.stage or Message("summary.no_owner"),
                "friction": worst.friction,
                "reach": worst.reach,
                "causes": worst.explain(limit=2),
            },
        )
        step = self.next_step
        if step is None:
            return Answers(how, where, Message("summary.what_no_idea", {"touchpoint": worst.name}))
        o = step.opportunity
        effort = Message("summary.effort", {"effort": o.effort}) if o.effort else ""
        what = Message(
            "summary.what",
            {
                "touchpoint": step.touchpoint.name,
                "rank": step.rank,
                "title": o.title or Message("summary.untitled"),
                "status": o.status,
                "effort": effort,
            },
        )
        return Answers(how, where, what)


def executive_summary(
    aggregate: JourneyAggregate,
    analysis: JourneyAnalysis,
    *,
    exported: dt.date | None = None,
    zone: dt.tzinfo = dt.UTC,
) -> ExecutiveSummary:
    """The summary of a map with its analysis; the map's settings hold the at-risk
    assumptions (``risk``) and the self-assessment (``assessment``). The KPIs' periods go by
    the feedback dates a viewer in ``zone`` sees."""
    settings = aggregate.map.settings or {}
    assumptions = summary.RiskAssumptions.from_dict(settings.get("risk") or {})
    answers = settings.get("assessment") or {}
    top = [t for t in analysis.ranked() if t.impact > 0][:TOP]
    return ExecutiveSummary(
        aggregate=aggregate,
        analysis=analysis,
        kpis=summary.kpis(aggregate, KPI_DAYS, zone),
        top=top,
        risk=summary.journey_risk(aggregate, analysis, assumptions),
        assumptions=assumptions,
        assessment=summary.Assessment(answers) if answers else None,
        next_step=next_step(aggregate, top),
        exported=exported or dt.date.today(),
    )


def next_step(aggregate: JourneyAggregate, top: Sequence[TouchpointScore]) -> NextStep | None:
    """The open opportunity (not done) at the highest-ranked of the ``top`` touchpoints; among
    several there, the one with the most value per effort."""
    rank = {t.id: n for n, t in enumerate(top, start=1)}
    by_id = {t.id: t for t in top}
    pain_touchpoint = {p.id: p.touchpoint_id for p in aggregate.pain_points}
    candidates = []
    for o in aggregate.opportunities:
        touchpoint_id = o.touchpoint_id
        if touchpoint_id is None and o.pain_point_id is not None:
            touchpoint_id = pain_touchpoint.get(o.pain_point_id)
        if o.status == "done" or touchpoint_id not in rank:
            continue
        value = (o.customer_value or 0) + (o.business_value or 0)
        candidates.append((rank[touchpoint_id], -value / (o.effort or 3), o.id, o))
    if not candidates:
        return None
    best_rank, _, _, best = min(candidates, key=lambda c: c[:3])
    return NextStep(best, by_id[top[best_rank - 1].id], best_rank)


def _kpi_tile(kpi: summary.Kpi, dated: bool) -> Tile:
    score, name = kpi.now, kpi.name
    if score.value is None:
        return Tile(name, "–", "no answers yet", _KPI_HELP[name], note=f"No {name} answers yet")
    if isinstance(score, metrics.CesScore):
        value, change_format = f"{score.value:.1f}/7", "{:+.1f}"
    elif isinstance(score, metrics.CsatScore):
        value, change_format = f"{score.value:.0f}%", "{:+.0f} points"
    else:
        value, change_format = f"{score.value:+.0f}", "{:+.0f} points"
    detail = f"n = {score.n}"
    if isinstance(score, metrics.CesScore) and score.agree is not None:
        detail += f" · {score.agree:.0f}% agree"
    if score.low is not None and score.high is not None:
        # For CES the interval is of the share agreeing (5–7), not of the mean.
        detail += f"{',' if isinstance(score, metrics.CesScore) else ' ·'} 95% "
        detail += f"{score.low:.0f}…{score.high:.0f}"
        detail += "%" if isinstance(score, metrics.CesScore) else ""
    if not dated:
        return Tile(name, value, detail, _KPI_HELP[name], score.n, note="no dates: no trend")
    if kpi.change is None:
        note = f"no answers in the {KPI_DAYS} days before: no trend"
        return Tile(name, value, detail, _KPI_HELP[name], score.n, note=note)
    change = change_format.format(kpi.change)
    return Tile(name, value, detail, _KPI_HELP[name], score.n, change, kpi.change)


_KPI_HELP = {
    "NPS": "Net Promoter Score: 100 × (promoters 9–10 − detractors 0–6) / n, −100…100.",
    "CSAT %": "Customer satisfaction: the share of 1–5 answers that are 4 or 5.",
    "CES (1–7)": "Customer effort, 1–7 agreement that it was easy: the mean (higher is easier) "
    "and the share agreeing (5–7).",
}


def _movement(change: float) -> Message:
    if round(change) == 0:
        return Message("summary.about_the_same")
    return Message("summary.up" if change > 0 else "summary.down", {"points": abs(change)})
