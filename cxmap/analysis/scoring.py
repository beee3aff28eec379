"""Friction, impact and moments of truth of a journey: pure functions over plain records.

The model (DOMAIN.md; worked example in docs/scoring.md):

* **reach(t)**: the probability that a customer entering the journey passes through t at least
  once (:mod:`cxmap.analysis.flow`: the journey graph and how customers move through it).
* **friction(t)** 0…100: weighted mean of the components that have data, each 0…1: negative
  emotion ``max(0, −e)/2``, effort ``(effort−1)/4``, pain ``max(severity×frequency)/25``, negative
  feedback share, drop-off. Default weights .30 .20 .25 .15 .10, re-normalised over those present.
* **impact(t)** = friction × reach: what to fix first.
* **Moments of truth**: flagged by the team; emotional intensity × reach in the top decile; the
  most negative and the most positive emotion (peaks); the end of the journey (peak-end rule); a
  bottleneck (most customers pass there and several paths meet there). Each carries its reasons.

Examples
--------
>>> from cxmap.core.examples import demo_chain
>>> result = analyze(demo_chain())
>>> [round(t.reach, 2) for t in result.touchpoints]
[1.0, 0.8, 0.8]
>>> round(result.completion, 2)
0.8
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cxmap.analysis.flow import (
    entry_distribution,
    flow_warnings,
    journey_graph,
    most_likely_path,
    reach_and_visits,
    with_start_and_end,
    worst_path,
)
from cxmap.analysis.moments import moments_of_truth
from cxmap.core.messages import Message, render, render_all
from cxmap.core.records import (
    FeedbackRecord,
    JourneyAggregate,
    PersonaRecord,
)

COMPONENTS = ("emotion", "effort", "pain", "feedback", "drop_off")
# The components' names in English (column headings of tables and exports).
COMPONENT_LABELS = {k: render(Message(f"component.{k}")) for k in COMPONENTS}


@dataclass(frozen=True)
class ScoringSettings:
    """What a team may tune. ``weights`` need not sum to 1 (they are re-normalised).

    ``likely_transition``: the smallest transition probability a "likely path" may use.
    ``bottleneck_reach``: the reach from which a meeting point of paths is a bottleneck.
    ``intensity_top_share``: the top share of emotional intensity × reach that is a moment of truth.
    """

    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "emotion": 0.30,
            "effort": 0.20,
            "pain": 0.25,
            "feedback": 0.15,
            "drop_off": 0.10,
        }
    )
    likely_transition: float = 0.2
    bottleneck_reach: float = 0.8
    intensity_top_share: float = 0.1

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> ScoringSettings:
        """Settings as stored with a map; missing entries keep their defaults.

        >>> ScoringSettings.from_dict({"weights": {"pain": 0.5}}).weights["pain"]
        0.5
        """
        default = cls()
        weights = {**default.weights, **stored.get("weights", {})}
        return cls(
            weights={k: float(weights[k]) for k in COMPONENTS},
            likely_transition=float(stored.get("likely_transition", default.likely_transition)),
            bottleneck_reach=float(stored.get("bottleneck_reach", default.bottleneck_reach)),
            intensity_top_share=float(
                stored.get("intensity_top_share", default.intensity_top_share)
            ),
        )

    def as_dict(self) -> dict[str, Any]:
        """The settings as stored with a map (what :meth:`from_dict` reads back).

        >>> ScoringSettings().as_dict()["likely_transition"]
        0.2
        """
        return {
            "weights": dict(self.weights),
            "likely_transition": self.likely_transition,
            "bottleneck_reach": self.bottleneck_reach,
            "intensity_top_share": self.intensity_top_share,
        }

    def problems(self) -> list[Message]:
        """What is wrong with these settings (empty when they are usable).

        >>> [m.code for m in ScoringSettings(weights={"pain": -1}).problems()]
        ['settings.negative_weight', 'settings.no_weight']
        """
        found = [
            Message("settings.negative_weight", {"component": Message(f"component.{k}")})
            for k, w in self.weights.items()
            if w < 0
        ]
        if sum(self.weights.values()) <= 0:
            found.append(Message("settings.no_weight"))
        for name in ("likely_transition", "bottleneck_reach", "intensity_top_share"):
            if not 0 <= getattr(self, name) <= 1:
                setting = Message(f"setting.{name}")
                found.append(Message("settings.share_range", {"setting": setting}))
        return found


@dataclass(frozen=True)
class TouchpointScore:
    """Everything the model says about one touchpoint, with the numbers behind it."""

    id: int
    key: str
    name: str
    stage: str
    channel: str
    owner: str
    emotion: float | None
    reach: float
    components: dict[str, float | None]
    friction: float
    impact: float
    moment_of_truth: bool
    reasons: tuple[Message, ...]

    def explain(self, limit: int = 3) -> Message:
        """The largest contributions to friction (at most ``limit``), largest first.

        >>> score = TouchpointScore(1, "t1", "Ad", "S", "", "", -2, 1, {"emotion": 1.0,
        ...     "effort": None, "pain": 0.2, "feedback": None, "drop_off": 0.0},
        ...     55.0, 55.0, False, ())
        >>> str(score.explain())
        'negative emotion 10/10, pain points 2/10'
        >>> [p.params["share"] for p in score.explain().params["parts"]]
        [1.0, 0.2]
        """
        present = [(k, v) for k, v in self.components.items() if v]
        present.sort(key=lambda kv: -kv[1])
        if not present:
            return Message("friction.none")
        parts = [
            # A level out of 10, not a percentage: "100%" read as "all customers".
            Message(
                "friction.part",
                {"component": Message(f"component.{k}"), "share": v, "level": round(v * 10)},
            )
            for k, v in present[:limit]
        ]
        return Message("friction.parts", {"parts": parts})


@dataclass(frozen=True)
class GroupFriction:
    """Reach-weighted friction of a stage or an owner department."""

    name: str
    friction: float
    impact: float
    touchpoints: int


@dataclass(frozen=True)
class JourneyAnalysis:
    """What :func:`analyze` finds: every touchpoint's score, the moments of truth, the most likely
    and the worst path, completion, health, and friction by stage and by owner.
    """

    touchpoints: list[TouchpointScore]
    moments_of_truth: list[TouchpointScore]
    most_likely_path: list[str]
    most_likely_path_probability: float
    worst_path: list[str]
    worst_path_friction: float
    completion: float
    health: float
    stages: list[GroupFriction]
    owners: list[GroupFriction]
    uses_default_transitions: bool
    warnings: list[Message] = field(default_factory=list)

    def by_key(self) -> dict[str, TouchpointScore]:
        """The touchpoint scores by touchpoint key.

        >>> from cxmap.core.examples import demo_chain
        >>> round(analyze(demo_chain()).by_key()["t2"].reach, 2)
        0.8
        """
        return {t.key: t for t in self.touchpoints}

    def ranked(self) -> list[TouchpointScore]:
        """Touchpoints by impact, highest first: what to fix first."""
        return sorted(self.touchpoints, key=lambda t: (-t.impact, -t.friction, t.key))

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (what ``python -m cxmap analyze --json`` prints)."""

        def rounded(value: float | None, digits: int = 4) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "touchpoints": [
                {
                    "key": t.key,
                    "name": t.name,
                    "stage": t.stage,
                    "reach": rounded(t.reach),
                    "friction": rounded(t.friction, 2),
                    "components": {k: rounded(v) for k, v in t.components.items()},
                    "impact": rounded(t.impact, 2),
                    "moment_of_truth": t.moment_of_truth,
                    "reasons": render_all(t.reasons),
                    "reason_codes": [r.as_dict() for r in t.reasons],
                }
                for t in self.touchpoints
            ],
            "moments_of_truth": [t.key for t in self.moments_of_truth],
            "most_likely_path": self.most_likely_path,
            "most_likely_path_probability": rounded(self.most_likely_path_probability),
            "worst_path": self.worst_path,
            "worst_path_friction": rounded(self.worst_path_friction, 2),
            "completion": rounded(self.completion),
            "health": rounded(self.health, 2),
            "stages": [
                {"name": g.name, "friction": rounded(g.friction, 2), "impact": rounded(g.impact, 2)}
                for g in self.stages
            ],
            "owners": [
                {"name": g.name, "friction": rounded(g.friction, 2), "impact": rounded(g.impact, 2)}
                for g in self.owners
            ],
            "uses_default_transitions": self.uses_default_transitions,
            "warnings": render_all(self.warnings),
            "warning_codes": [w.as_dict() for w in self.warnings],
        }


# ---------------------------------------------------------------- friction


def feedback_is_negative(row: FeedbackRecord) -> bool | None:
    """Whether a feedback row is negative; None when it says nothing (no score, not scored).

    A row is negative when any score it has is in its negative band (NPS 0–6, CSAT 1–2, CES
    1–3 on the 1–7 agreement scale or 4–5 on the 1–5 effort scale); a row with no score is
    judged by its sentiment label.

    >>> import datetime as dt
    >>> row = FeedbackRecord(1, 1, "meh", 6, None, None, 7, "", None, None, "en", 1)
    >>> feedback_is_negative(row), feedback_is_negative(replace(row, nps=9))
    (True, False)
    """
    scored = False
    negative = False
    if row.nps is not None:
        scored, negative = True, negative or row.nps <= 6
    if row.csat is not None:
        scored, negative = True, negative or row.csat <= 2
    if row.ces is not None:
        scored = True
        negative = negative or (row.ces <= 3 if row.ces_scale == 7 else row.ces >= 4)
    if scored:
        return negative
    if row.sentiment is None:
        return None
    return row.sentiment <= -0.05


def persona_weights(personas: Sequence[PersonaRecord]) -> dict[int, float]:
    """The weight of each persona in the "all customers" emotion: its segment share; personas
    without a share split evenly what the shares given leave of 100% (nothing when they add up
    to 100% or more). So with no shares at all every persona counts the same.

    >>> from cxmap.core.records import PersonaRecord
    >>> def persona(i, share):
    ...     return PersonaRecord(i, f"p{i}", f"P{i}", "", "", "", "", "", "", share, i, 1)
    >>> persona_weights([persona(1, 0.5), persona(2, None), persona(3, None)])
    {1: 0.5, 2: 0.25, 3: 0.25}
    >>> persona_weights([persona(1, 1.0), persona(2, None)])
    {1: 1.0, 2: 0.0}
    """
    given = sum(p.segment_share for p in personas if p.segment_share is not None)
    unshared = [p for p in personas if p.segment_share is None]
    rest = max(0.0, 1.0 - given) / len(unshared) if unshared else 0.0
    return {p.id: rest if p.segment_share is None else p.segment_share for p in personas}


def all_customers_rule(aggregate: JourneyAggregate) -> Message | None:
    """How "all customers" feel at a touchpoint, in words for a caption where that emotion is
    shown (None without personas: it is the touchpoints' own emotion then).

    >>> from cxmap.core.examples import demo_chain
    >>> all_customers_rule(demo_chain()) is None
    True
    """
    if not aggregate.personas:
        return None
    weights = persona_weights(aggregate.personas)
    unshared = [p.name for p in aggregate.personas if p.segment_share is None]
    if not unshared:
        return Message("emotion.all_customers_shares")
    if len(unshared) == len(aggregate.personas):
        return Message("emotion.all_customers_even")
    left = weights[next(p.id for p in aggregate.personas if p.segment_share is None)]
    return Message(
        "emotion.all_customers_rest",
        {"personas": unshared, "n": len(unshared), "rest": left * len(unshared), "each": left},
    )


def touchpoint_emotion(
    aggregate: JourneyAggregate, persona_id: int | None = None
) -> dict[int, float | None]:
    """Emotion per touchpoint id: the chosen persona's score where it has one, else the
    touchpoint's own, else the personas' scores weighted by :func:`persona_weights`."""
    share = persona_weights(aggregate.personas)
    by_touchpoint: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for e in aggregate.emotions:
        by_touchpoint[e.touchpoint_id].append((e.persona_id, e.score))
    result: dict[int, float | None] = {}
    for t in aggregate.touchpoints:
        scores = by_touchpoint.get(t.id, [])
        chosen = [s for p, s in scores if p == persona_id]
        if persona_id is not None and chosen:
            result[t.id] = float(chosen[0])
        elif t.emotion is not None:
            result[t.id] = float(t.emotion)
        elif scores:
            weights = [share.get(p, 0.0) for p, _ in scores]
            if sum(weights) > 0:
                result[t.id] = sum(w * s for w, (_, s) in zip(weights, scores, strict=True)) / sum(
                    weights
                )
            else:
                result[t.id] = sum(s for _, s in scores) / len(scores)
        else:
            result[t.id] = None
    return result


def friction_components(
    aggregate: JourneyAggregate,
    persona_id: int | None = None,
    emotions: Mapping[int, float | None] | None = None,
) -> dict[int, dict[str, float | None]]:
    """The five components (each 0…1, None without data) per touchpoint id.

    ``emotions`` (from :func:`touchpoint_emotion`) may be passed in when already computed.
    """
    if emotions is None:
        emotions = touchpoint_emotion(aggregate, persona_id)
    pain: dict[int, int] = {}
    for p in aggregate.pain_points:
        pain[p.touchpoint_id] = max(pain.get(p.touchpoint_id, 0), p.severity * p.frequency)
    negative: dict[int, list[bool]] = defaultdict(list)
    for row in aggregate.feedback:
        verdict = feedback_is_negative(row)
        if row.touchpoint_id is not None and verdict is not None:
            negative[row.touchpoint_id].append(verdict)
    components = {}
    for t in aggregate.touchpoints:
        e = emotions[t.id]
        verdicts = negative.get(t.id)
        components[t.id] = {
            "emotion": None if e is None else max(0.0, -e) / 2,
            "effort": None if t.effort is None else (t.effort - 1) / 4,
            # No pain point recorded counts as no pain (0), not "no data": with re-normalisation,
            # recording a mild pain point would otherwise lower friction (docs/scoring.md).
            "pain": pain.get(t.id, 0) / 25,
            "feedback": sum(verdicts) / len(verdicts) if verdicts else None,
            "drop_off": t.drop_off,
        }
    return components


def friction_score(components: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """0…100: the weighted mean of the components present (weights re-normalised).

    >>> friction_score({"emotion": 1.0, "effort": None, "pain": 0.2, "feedback": None,
    ...                 "drop_off": 0.0}, ScoringSettings().weights)
    53.85
    """
    present = [(weights[k], v) for k, v in components.items() if v is not None and weights[k] > 0]
    total = sum(w for w, _ in present)
    if total == 0:
        return 0.0
    return round(100 * sum(w * v for w, v in present) / total, 2)


# ---------------------------------------------------------------- the whole analysis


def analyze(
    aggregate: JourneyAggregate,
    settings: ScoringSettings | None = None,
    persona_id: int | None = None,
) -> JourneyAnalysis:
    """Score every touchpoint of a map and find its moments of truth and paths."""
    settings = settings or ScoringSettings()
    graph = journey_graph(aggregate)
    entries = entry_distribution(aggregate)
    reach, visits = reach_and_visits(graph, entries)
    emotions = touchpoint_emotion(aggregate, persona_id)
    components = friction_components(aggregate, persona_id, emotions)
    stage_name = {s.id: s.name for s in aggregate.stages}

    scored: dict[str, dict[str, Any]] = {}
    for t in aggregate.touchpoints:
        friction = friction_score(components[t.id], settings.weights)
        scored[t.key] = {
            "record": t,
            "friction": friction,
            "impact": round(friction * reach.get(t.key, 0.0), 2),
            "reach": reach.get(t.key, 0.0),
            "emotion": emotions[t.id],
        }
    reasons = moments_of_truth(
        aggregate, graph, entries, scored, settings.intensity_top_share, settings.bottleneck_reach
    )

    touchpoints = [
        TouchpointScore(
            id=t.id,
            key=t.key,
            name=t.name,
            stage=stage_name.get(t.stage_id, ""),
            channel=t.channel,
            owner=t.owner,
            emotion=emotions[t.id],
            reach=reach.get(t.key, 0.0),
            components=components[t.id],
            friction=scored[t.key]["friction"],
            impact=scored[t.key]["impact"],
            moment_of_truth=bool(reasons.get(t.key)),
            reasons=tuple(reasons.get(t.key, ())),
        )
        for t in aggregate.touchpoints
    ]
    with_ends = with_start_and_end(graph, entries)
    path, probability = most_likely_path(graph, entries, with_ends)
    worst, worst_friction = worst_path(
        graph,
        entries,
        {k: v["friction"] for k, v in scored.items()},
        settings.likely_transition,
        {t.key: i for i, t in enumerate(aggregate.touchpoints)},
        with_ends,
    )
    completion = sum(
        visits.get(node, 0.0) * (1 - graph.nodes[node]["drop_off"])
        for node in graph
        if graph.out_degree(node) == 0
    )
    total_reach = sum(t.reach for t in touchpoints)
    mean_friction = (
        sum(t.reach * t.friction for t in touchpoints) / total_reach if total_reach else 0.0
    )
    return JourneyAnalysis(
        touchpoints=touchpoints,
        moments_of_truth=[t for t in touchpoints if t.moment_of_truth],
        most_likely_path=path,
        most_likely_path_probability=probability,
        worst_path=worst,
        worst_path_friction=worst_friction,
        completion=min(1.0, completion),
        health=round(100 - mean_friction, 2),
        stages=_group(touchpoints, lambda t: t.stage, [s.name for s in aggregate.stages]),
        owners=_group(touchpoints, lambda t: t.owner or "(no owner)", None),
        uses_default_transitions=not aggregate.transitions,
        warnings=flow_warnings(aggregate, graph),
    )


def _group(
    touchpoints: Sequence[TouchpointScore], key: Any, order: Sequence[str] | None
) -> list[GroupFriction]:
    groups: dict[str, list[TouchpointScore]] = defaultdict(list)
    for t in touchpoints:
        groups[key(t)].append(t)
    names = [n for n in order if n in groups] if order is not None else sorted(groups)
    result = []
    for name in names:
        members = groups[name]
        weight = sum(t.reach for t in members)
        friction = (
            sum(t.reach * t.friction for t in members) / weight
            if weight
            else sum(t.friction for t in members) / len(members)
        )
        result.append(
            GroupFriction(
                name, round(friction, 2), round(sum(t.impact for t in members), 2), len(members)
            )
        )
    if order is None:
        result.sort(key=lambda g: -g.impact)
    return result


# ---------------------------------------------------------------- what-if


@dataclass(frozen=True)
class WhatIf:
    """Changes to try without saving: fix pain points, set emotions, scale drop-off."""

    fixed_pain_points: frozenset[int] = frozenset()
    emotions: Mapping[int, int] = field(default_factory=dict)
    drop_off_factor: Mapping[int, float] = field(default_factory=dict)


def apply_what_if(aggregate: JourneyAggregate, what_if: WhatIf) -> JourneyAggregate:
    """A copy of the map with the what-if changes applied (the original is untouched)."""
    touchpoints = [
        replace(
            t,
            emotion=what_if.emotions.get(t.id, t.emotion),
            drop_off=min(1.0, max(0.0, t.drop_off * what_if.drop_off_factor.get(t.id, 1.0))),
        )
        for t in aggregate.touchpoints
    ]
    emotions = [
        replace(e, score=what_if.emotions[e.touchpoint_id])
        if e.touchpoint_id in what_if.emotions
        else e
        for e in aggregate.emotions
    ]
    pain_points = [p for p in aggregate.pain_points if p.id not in what_if.fixed_pain_points]
    return replace(aggregate, touchpoints=touchpoints, emotions=emotions, pain_points=pain_points)
