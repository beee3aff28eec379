"""From a discovered event log to a ``cxmap-journey`` document: the map of what customers did.

Pure: a :class:`~cxmap.analysis.discovery.Discovery` (and the team's choices) in, a checked
document out. Everything is counted on the variants, so renaming, merging and ignoring
activities (``mapping``: activity → touchpoint name, or None to leave it out) keep every
count exact:

- touchpoints = the (mapped) activities; ``volume`` = the cases that reach it;
- transitions = directly-follows pairs after mapping, ``weight`` = how often (the count; the
  friction model divides by the source's total); a touchpoint followed by itself (rework, or
  two merged activities in a row) is no transition: the graph's flow would loop;
- ``drop_off`` = of the cases reaching it, the share whose journey ends there without reaching
  a goal: a goal touchpoint, or the outcome flag of the log set on one of the case's events.
  Default goals: the touchpoints where most cases end (with an outcome column: none, the
  flag decides);
- stages from the median position of a touchpoint's first occurrence in its cases: one stage
  per rounded position, or, past ``max_stages``, equal ranges of positions;
- ``channel`` = the channel most of its events were on.

Examples
--------
>>> from cxmap.analysis.discovery import Discovery, Variant
>>> found = Discovery(4, 9, {}, [], [Variant(("Visit", "Cart", "Pay"), 2, 0),
...                                Variant(("Visit", "Cart"), 1, 0), Variant(("Visit",), 1, 0)])
>>> document = journey_from_discovery(found, name="Shop")
>>> [(t["name"], t["volume"], t["drop_off"]) for t in document["touchpoints"]]
[('Visit', 4, 0.25), ('Cart', 3, 0.3333), ('Pay', 2, 0.0)]
>>> [(t["source"], t["target"], t["weight"]) for t in document["transitions"]]
[('t1', 't2', 3.0), ('t2', 't3', 2.0)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cxmap.analysis.discovery import Discovery
from cxmap.formats.journey_contract import FORMAT, VERSION
from cxmap.formats.journey_file import check_document

MAX_STAGES = 6
DROP_OFF_DIGITS = 4


def mapped_sequence(activities: Iterable[str], mapping: Mapping[str, str | None]) -> list[str]:
    """The touchpoints a case passes, in order: activities renamed or merged by ``mapping``
    (an activity not in it keeps its name), ``None`` ones left out.

    >>> mapped_sequence(["Home", "Search", "Ping", "Item"], {"Home": "Browse",
    ...                 "Search": "Browse", "Ping": None})
    ['Browse', 'Browse', 'Item']
    """
    result = []
    for activity in activities:
        touchpoint = mapping.get(activity, activity)
        if touchpoint is not None:
            result.append(touchpoint)
    return result


def default_goals(
    discovery: Discovery, mapping: Mapping[str, str | None] | None = None
) -> list[str]:
    """The touchpoints where most cases end (all of them if tied): the default goals, which
    the team confirms or changes.

    >>> from cxmap.analysis.discovery import Discovery, Variant
    >>> default_goals(Discovery(3, 5, {}, [], [Variant(("A", "B"), 2, 0), Variant(("A",), 1, 0)]))
    ['B']
    """
    ends: Counter[str] = Counter()
    for variant in discovery.variants:
        sequence = mapped_sequence(variant.activities, mapping or {})
        if sequence:
            ends[sequence[-1]] += variant.cases
    if not ends:
        return []
    most = max(ends.values())
    return sorted(t for t, n in ends.items() if n == most)


def _weighted_median(values: Sequence[tuple[int, int]]) -> float:
    """The median of (value, weight) pairs, the mean of the two middle ones when even."""
    ordered = sorted(values)
    total = sum(w for _, w in ordered)
    low_rank, high_rank = (total - 1) // 2, total // 2
    seen, low, high = 0, None, None
    for value, weight in ordered:
        if low is None and seen + weight > low_rank:
            low = value
        if seen + weight > high_rank:
            high = value
            break
        seen += weight
    return ((low or 0) + (high or 0)) / 2


def stage_of_positions(
    positions: Mapping[str, float], max_stages: int = MAX_STAGES
) -> dict[str, int]:
    """Stage number (1, 2, …) of each touchpoint from its median position: one per rounded
    position if there are at most ``max_stages`` of them, else equal ranges of positions.

    >>> stage_of_positions({"A": 1, "B": 2.4, "C": 2.0, "D": 5})
    {'A': 1, 'B': 2, 'C': 2, 'D': 3}
    """
    rounded = {t: int(round(p)) for t, p in positions.items()}
    distinct = sorted(set(rounded.values()))
    if len(distinct) <= max_stages:
        return {t: distinct.index(r) + 1 for t, r in rounded.items()}
    low, high = min(positions.values()), max(positions.values())
    width = (high - low) / max_stages
    bins = {t: min(max_stages - 1, int((p - low) / width)) for t, p in positions.items()}
    used = sorted(set(bins.values()))  # (an empty range is no stage)
    return {t: used.index(b) + 1 for t, b in bins.items()}


def _ranks(edge: tuple[str, str], rank: Mapping[str, int]) -> tuple[int, int]:
    return rank[edge[0]], rank[edge[1]]


def journey_from_discovery(
    discovery: Discovery,
    *,
    name: str = "Discovered journey",
    mapping: Mapping[str, str | None] | None = None,
    goals: Sequence[str] | None = None,
    max_stages: int = MAX_STAGES,
) -> dict[str, Any]:
    """A checked ``cxmap-journey`` document (current version) of the discovered log; see the
    module for each rule. ``goals`` are touchpoint (or activity) names."""
    mapping = dict(mapping or {})
    flagged_log = any(v.flagged for v in discovery.variants)
    if goals is None:
        goals = [] if flagged_log else default_goals(discovery, mapping)
    goal_set = {mapping.get(g, g) for g in goals}
    volume: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    transitions: Counter[tuple[str, str]] = Counter()
    first_positions: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for variant in discovery.variants:
        sequence = mapped_sequence(variant.activities, mapping)
        if not sequence:
            continue
        seen: set[str] = set()
        for position, touchpoint in enumerate(sequence, start=1):
            if touchpoint not in seen:
                seen.add(touchpoint)
                volume[touchpoint] += variant.cases
                first_positions[touchpoint].append((position, variant.cases))
        for source, target in zip(sequence, sequence[1:], strict=False):
            if source != target:
                transitions[source, target] += variant.cases
        if not (seen & goal_set):
            dropped[sequence[-1]] += variant.cases - variant.flagged
    positions = {t: _weighted_median(p) for t, p in first_positions.items()}
    order = sorted(positions, key=lambda t: (positions[t], t))
    stage_numbers = stage_of_positions(positions, max_stages)
    rank = {t: i for i, t in enumerate(order, start=1)}
    keys = {t: f"t{i}" for t, i in rank.items()}
    channels: dict[str, Counter[str]] = defaultdict(Counter)
    for activity, stats in discovery.activities.items():
        merged_into = mapping.get(activity, activity)
        if merged_into is not None:
            channels[merged_into].update(stats.channels)
    stages = []
    for number in sorted(set(stage_numbers.values())):
        members = [positions[t] for t in order if stage_numbers[t] == number]
        low, high = int(round(min(members))), int(round(max(members)))
        label = f"Step {low}" if low == high else f"Steps {low}–{high}"
        stages.append({"key": f"s{number}", "name": label, "order": number})
    touchpoints = []
    for touchpoint in order:
        row: dict[str, Any] = {
            "key": keys[touchpoint], "stage": f"s{stage_numbers[touchpoint]}",
            "name": touchpoint, "volume": volume[touchpoint],
            "drop_off": round(dropped[touchpoint] / volume[touchpoint], DROP_OFF_DIGITS),
        }  # fmt: skip
        mix = channels.get(touchpoint)
        if mix:
            row["channel"] = min(mix, key=lambda c: (-mix[c], c))
        touchpoints.append(row)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "map": {"name": name, "description": "", "state": "current", "language": "en"},
        "stages": stages,
        "touchpoints": touchpoints,
        "transitions": [
            {"source": keys[s], "target": keys[t], "weight": float(n)}
            for (s, t), n in sorted(transitions.items(), key=lambda pair: _ranks(pair[0], rank))
        ],
    }
    check_document(document)
    return document
