"""Moments of truth: where a journey is won or lost, each with the reasons it was picked.

Rules (DOMAIN.md, docs/scoring.md): flagged by the team; emotional intensity × reach in the top
share; the most negative and the most positive emotion (peaks); the end of the journey (peak-end
rule); a bottleneck. The model keeps only the strongest few; the team's flags always count.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from cxmap.analysis.flow import bottlenecks
from cxmap.core.messages import Message
from cxmap.core.records import JourneyAggregate

# At most this share of the touchpoints (and at least one) are moments of truth found by the
# model; the team's own flags come on top. On a small or linear map every rule fires somewhere,
# and a map where half the touchpoints are starred says nothing (docs/scoring.md).
MODEL_MOMENT_SHARE = 0.25


def model_moment_limit(touchpoints: int) -> int:
    """How many touchpoints the model may call moments of truth (flagged ones not counted).

    >>> [model_moment_limit(n) for n in (1, 3, 4, 8, 10, 26)]
    [1, 1, 1, 2, 2, 6]
    """
    return max(1, math.floor(touchpoints * MODEL_MOMENT_SHARE))


def moments_of_truth(
    aggregate: JourneyAggregate,
    graph: nx.DiGraph,
    entries: Mapping[str, float],
    scored: Mapping[str, Mapping[str, Any]],
    intensity_top_share: float,
    bottleneck_reach: float,
) -> dict[str, list[Message]]:
    """Each moment of truth's key with its reasons (the team's flag first), strongest kept.

    ``scored`` maps a touchpoint key to its ``record``, ``friction``, ``impact``, ``reach`` and
    ``emotion``; the rules are those of the module docstring.
    """
    found: dict[str, list[Message]] = defaultdict(list)
    order = {t.key: i for i, t in enumerate(aggregate.touchpoints)}
    felt = {k: s for k, s in scored.items() if s["emotion"] is not None and s["reach"] > 0}
    # Rounded so that touchpoints felt equally tie (and go by position) even when their
    # reaches came out of different sums.
    intensity = {k: round(abs(s["emotion"]) / 2 * s["reach"], 12) for k, s in felt.items()}
    if felt:
        top = math.ceil(len(scored) * intensity_top_share)
        for key in sorted(intensity, key=lambda k: (-intensity[k], order[k]))[:top]:
            if intensity[key] > 0:
                found[key].append(
                    Message(
                        "mot.strong_feeling",
                        {"emotion": felt[key]["emotion"], "reach": felt[key]["reach"]},
                    )
                )
        low = min(felt, key=lambda k: (felt[k]["emotion"], -felt[k]["reach"], order[k]))
        if felt[low]["emotion"] < 0:
            found[low].append(Message("mot.peak_negative"))
        high = min(felt, key=lambda k: (-felt[k]["emotion"], -felt[k]["reach"], order[k]))
        if felt[high]["emotion"] > 0:
            found[high].append(Message("mot.peak_positive"))
    ends = [n for n in graph if graph.out_degree(n) == 0 and scored[n]["reach"] > 0]
    if ends:
        end = max(ends, key=lambda k: (scored[k]["reach"], -order[k]))
        found[end].append(Message("mot.journey_end", {"reach": scored[end]["reach"]}))
    reach = {k: s["reach"] for k, s in scored.items()}
    for node, ways in bottlenecks(graph, entries, reach, bottleneck_reach).items():
        found[node].append(Message("mot.bottleneck", {"reach": reach[node], "paths": ways}))

    # Strongest first: the feeling customers meet there (intensity × reach), then impact,
    # then reach; the model keeps only the strongest few, the team's flags always count.
    def strength(key: str) -> tuple[float, float, float, int]:
        s = scored[key]
        return (-intensity.get(key, 0.0), -s["impact"], -s["reach"], order[key])

    flagged = [k for k, s in scored.items() if s["record"].moment_of_truth]
    model_only = sorted((k for k in found if k not in flagged), key=strength)
    kept = set(flagged) | set(model_only[: model_moment_limit(len(scored))])
    reasons: dict[str, list[Message]] = {}
    for key in kept:
        reasons[key] = ([Message("mot.flagged")] if key in flagged else []) + found.get(key, [])
    return reasons
