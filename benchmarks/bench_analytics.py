"""Friction analysis and network benchmark: maps of 100, 1,000 and 10,000 touchpoints.

Run: ``.venv/bin/python benchmarks/bench_analytics.py [--runs 3] [--profile]``.
Targets: ``scoring.analyze`` on 10,000 touchpoints < 2 s; the pyvis page of 2,000 touchpoints
(``network.network_html``) < 1 s. ``--profile`` prints where the 10,000-touchpoint analysis spends
its time (cProfile, top functions by cumulative time). The analysis no longer computes
betweenness (no rule uses it), so there is nothing to sample any more.

Maps come from :func:`generate_map` (seeded): stages of about 100 touchpoints (at least 5
stages), each touchpoint with ~5 transitions into the next stage, a short loop back to the
previous stage on every 40th touchpoint, 2 personas with an emotion each, a pain point on a third
of the touchpoints, one feedback row per touchpoint and some drop-off.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import io
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cxmap.analysis import scoring  # noqa: E402
from cxmap.core.records import (  # noqa: E402
    EmotionRecord,
    FeedbackRecord,
    JourneyAggregate,
    MapRecord,
    PainPointRecord,
    PersonaRecord,
    StageRecord,
    TouchpointRecord,
    TransitionRecord,
)
from cxmap.render import network  # noqa: E402

SIZES = (100, 1_000, 10_000)
NETWORK_SIZE = 2_000
CHANNELS = ("web", "app", "phone", "store", "email", "chat")
OWNERS = ("Marketing", "Sales", "Operations", "Customer Care", "Billing")


def generate_map(touchpoints: int, seed: int = 7, map_id: int = 1) -> JourneyAggregate:
    """A journey map of ``touchpoints`` touchpoints (see the module docstring)."""
    rng = random.Random(seed)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    journey = MapRecord(map_id, f"Bench {touchpoints}", "", "current", "en", now, now, 0, 1)
    stage_count = max(5, touchpoints // 100)
    stages = [StageRecord(i, f"s{i}", f"Stage {i}", i, 1) for i in range(1, stage_count + 1)]
    personas = [
        PersonaRecord(i, f"p{i}", f"Persona {i}", "", "", "", "", "", "", 0.5, i, 1) for i in (1, 2)
    ]
    records: list[TouchpointRecord] = []
    by_stage: list[list[int]] = [[] for _ in stages]
    for n in range(1, touchpoints + 1):
        stage_index = min(stage_count - 1, (n - 1) * stage_count // touchpoints)
        by_stage[stage_index].append(n)
        records.append(
            TouchpointRecord(
                id=n,
                key=f"t{n}",
                stage_id=stage_index + 1,
                name=f"Touchpoint {n}",
                position=len(by_stage[stage_index]),
                channel=rng.choice(CHANNELS),
                owner=rng.choice(OWNERS),
                customer_action="",
                thought="",
                emotion=rng.randint(-2, 2),
                effort=rng.randint(1, 5),
                volume=rng.randint(100, 10_000),
                drop_off=round(rng.uniform(0.0, 0.1), 3),
                moment_of_truth=n % 97 == 0,
                version=1,
            )
        )
    transitions: list[TransitionRecord] = []
    pairs: set[tuple[int, int]] = set()

    def connect(source: int, target: int) -> None:
        if (source, target) not in pairs and source != target:
            pairs.add((source, target))
            weight = round(rng.uniform(0.5, 2.0), 2)
            transitions.append(TransitionRecord(len(pairs), source, target, weight, 1))

    for index, members in enumerate(by_stage[:-1]):
        after = by_stage[index + 1]
        for source in members:
            for target in rng.sample(after, min(5, len(after))):
                connect(source, target)
    for index, members in enumerate(by_stage[1:], start=1):
        for source in members[::40]:  # short loops: back one stage
            connect(source, rng.choice(by_stage[index - 1]))
    emotions = [
        EmotionRecord(
            2 * (t.id - 1) + p.id,
            t.id,
            p.id,
            max(-2, min(2, (t.emotion or 0) + p.id - 1)),
            "",
            "",
            1,
        )
        for t in records
        for p in personas
    ]
    pain_points = [
        PainPointRecord(i, f"pp{i}", t.id, "", rng.randint(1, 5), rng.randint(1, 5), 1)
        for i, t in enumerate(records[::3], start=1)
    ]
    feedback = [
        FeedbackRecord(
            t.id, t.id, "", rng.randint(0, 10), None, None, 7, "survey", None, None, "en", 1
        )
        for t in records
    ]
    return JourneyAggregate(
        map=journey,
        personas=personas,
        stages=stages,
        touchpoints=records,
        emotions=emotions,
        pain_points=pain_points,
        transitions=transitions,
        feedback=feedback,
    )


def median_seconds(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def profile(aggregate: JourneyAggregate, top: int = 18) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    scoring.analyze(aggregate)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    print(f"{'touchpoints':>11} {'transitions':>11} {'analyze (median)':>17} {'× per 10×':>10}")
    previous: float | None = None
    maps: dict[int, JourneyAggregate] = {}
    for size in SIZES:
        aggregate = maps[size] = generate_map(size)
        seconds = median_seconds(lambda a=aggregate: scoring.analyze(a), args.runs)
        growth = f"{seconds / previous:.1f}" if previous else "–"
        print(f"{size:>11,} {len(aggregate.transitions):>11,} {seconds:>15.3f} s {growth:>10}")
        previous = seconds
    verdict = "met" if seconds < 2 else "MISSED"
    print(f"target: 10,000 touchpoints analysed in < 2 s: {verdict} ({seconds:.2f} s)")

    aggregate = generate_map(NETWORK_SIZE, map_id=2)
    analysis = scoring.analyze(aggregate)

    @functools.cache
    def cached_network_html(map_id: int, revision: int) -> str:
        # What the page does with st.cache_data: keyed by (map id, revision).
        return network.network_html(aggregate, analysis)

    start = time.perf_counter()
    page = cached_network_html(aggregate.map.id, aggregate.revision)
    first = time.perf_counter() - start
    start = time.perf_counter()
    cached_network_html(aggregate.map.id, aggregate.revision)
    second = time.perf_counter() - start
    warm = median_seconds(lambda: network.network_html(aggregate, analysis), args.runs)
    print()
    print(f"network_html, {NETWORK_SIZE:,} touchpoints ({len(page) / 1e6:.1f} MB of HTML):")
    print(f"  first build (cold, template compiled) {first:8.3f} s")
    print(f"  rebuild, uncached (median)            {warm:8.3f} s")
    print(f"  second call, cached by (id, revision) {second * 1e6:8.1f} µs")
    verdict = "met" if first < 1 else "MISSED"
    print(f"target: pyvis page of 2,000 touchpoints in < 1 s: {verdict} ({first:.2f} s)")

    if args.profile:
        print()
        print(profile(maps[SIZES[-1]]))


if __name__ == "__main__":
    main()
