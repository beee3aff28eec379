"""Small maps as plain records, for examples in docstrings and for tests."""

from __future__ import annotations

import datetime as dt

from cxmap.core.records import (
    JourneyAggregate,
    MapRecord,
    StageRecord,
    TouchpointRecord,
    TransitionRecord,
)


def demo_chain() -> JourneyAggregate:
    """A three-touchpoint chain for examples: t1 → t2 → t3, 20% drop off at t1.

    >>> [t.key for t in demo_chain().touchpoints]
    ['t1', 't2', 't3']
    """
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    stages = [StageRecord(i, f"s{i}", f"Stage {i}", i, 1) for i in (1, 2, 3)]
    touchpoints = [
        TouchpointRecord(
            i,
            f"t{i}",
            i,
            f"Touchpoint {i}",
            1,
            "web",
            "Digital",
            "",
            "",
            (0, -2, 1)[i - 1],
            3,
            None,
            (0.2, 0.0, 0.0)[i - 1],
            False,
            1,
        )
        for i in (1, 2, 3)
    ]
    transitions = [TransitionRecord(1, 1, 2, 1.0, 1), TransitionRecord(2, 2, 3, 1.0, 1)]
    return JourneyAggregate(
        map=MapRecord(1, "Chain", "", "current", "en", now, now, 0, 1),
        stages=stages,
        touchpoints=touchpoints,
        transitions=transitions,
    )
