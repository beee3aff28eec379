"""Journey discovery benchmark: read + discovery + journey of generated event logs.

Run: ``.venv/bin/python benchmarks/bench_discovery.py [--cases 10000 100000 1000000]
[--format csv|parquet|xes]``. For each size a seeded generator writes a log (not timed), then a
fresh process reads it into DuckDB (``event_log.read_event_log``), discovers
(``discovery.discover``), builds the journey (``journey_from_discovery``) and scores it
(``scoring.analyze``), printing each step's time and the process's peak memory (max RSS).

The generator walks each case through a shop journey (a Markov chain, numpy-vectorised over
all cases at once) with two planted problems: "Verify identity" is repeated in about 45% of
its cases (high rework) and "Delivery options" loses about 55% of its cases (high drop-off).
The script checks that discovery finds them: the top rework share and the top drop-off.
Targets (issue 18): 1M cases (~7M events) end to end under 30 s and under 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTIVITIES = ["Ad", "Visit", "Search", "Verify identity", "Cart", "Delivery options", "Pay",
              "Confirmation"]  # fmt: skip
END = len(ACTIVITIES)
# next activity (or END) with its probability, per activity
TRANSITIONS = {
    0: {1: 0.9, END: 0.1},
    1: {2: 0.7, 4: 0.2, END: 0.1},
    2: {2: 0.15, 3: 0.65, END: 0.2},
    3: {3: 0.45, 4: 0.5, END: 0.05},  # planted: rework
    4: {5: 0.9, END: 0.1},
    5: {6: 0.45, END: 0.55},  # planted: drop-off
    6: {7: 0.97, 6: 0.03},
    7: {END: 1.0},
}
MEAN_WAIT_S = [0, 600, 120, 300, 90, 60, 240, 30]  # before each activity
CHANNELS = np.array(["web", "app", "phone"])


def generate(cases: int, path: Path, kind: str, seed: int = 18) -> int:
    """Write a log of ``cases`` cases to ``path``; return its number of events."""
    rng = np.random.default_rng(seed)
    table = np.zeros((END, END + 1))
    for source, targets in TRANSITIONS.items():
        for target, p in targets.items():
            table[source, target] = p
    cumulative = table.cumsum(axis=1)
    case_ids = np.arange(cases)
    state = np.where(rng.random(cases) < 0.3, 1, 0)  # 30% arrive without the ad
    clock = 1_700_000_000 + rng.integers(0, 90 * 86400, cases).astype(np.float64)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    active = np.ones(cases, dtype=bool)
    while active.any():
        ids, current = case_ids[active], state[active]
        clock[ids] += rng.exponential(np.take(MEAN_WAIT_S, current) + 1)
        parts.append((ids, current, clock[ids].copy()))
        draw = rng.random(len(ids))
        nxt = (draw[:, None] > cumulative[current]).sum(axis=1)
        state[ids] = nxt
        active[ids] = nxt != END
    ids = np.concatenate([p[0] for p in parts])
    frame = pd.DataFrame({
        "case_id": np.char.add("case-", ids.astype(str)),
        "activity": np.take(ACTIVITIES, np.concatenate([p[1] for p in parts])),
        "timestamp": pd.to_datetime(np.concatenate([p[2] for p in parts]), unit="s").floor("s"),
        "channel": CHANNELS[rng.integers(0, 3, len(ids))],
    })  # fmt: skip
    if kind == "xes":
        write_xes(frame, path)
        return len(frame)
    import duckdb

    connection = duckdb.connect()
    connection.register("log", frame)
    options = "FORMAT parquet" if kind == "parquet" else "FORMAT csv, HEADER true"
    connection.execute(f"COPY (SELECT * FROM log) TO '{path}' ({options})")
    return len(frame)


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux keeps
    ru_maxrss across fork and exec, so a child would report the generating parent's peak."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_xes(frame: pd.DataFrame, path: Path) -> None:
    """The log as XES.gz, one trace per case (the events of a case are grouped)."""
    import gzip
    from xml.sax.saxutils import quoteattr

    frame = frame.sort_values("case_id", kind="stable")
    stamps = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S.000+00:00")
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1849-2016">\n')
        previous = None
        for case, activity, stamp, channel in zip(
            frame["case_id"], frame["activity"], stamps, frame["channel"], strict=True
        ):
            if case != previous:
                if previous is not None:
                    out.write("</trace>\n")
                out.write(f'<trace><string key="concept:name" value="{case}"/>\n')
                previous = case
            out.write(
                f'<event><string key="concept:name" value={quoteattr(activity)}/>'
                f'<date key="time:timestamp" value="{stamp}"/>'
                f'<string key="channel" value="{channel}"/></event>\n'
            )
        out.write("</trace>\n</log>\n")


def measure(path: Path) -> dict[str, object]:
    """Read, discover, build and score, in this (fresh) process; the times and peak memory."""
    from cxmap.analysis import scoring
    from cxmap.analysis.discovery import discover
    from cxmap.formats import event_log
    from cxmap.formats.discovered_journey import journey_from_discovery
    from cxmap.formats.journey_file import document_aggregate

    times: dict[str, float] = {}
    start = time.perf_counter()
    log = event_log.read_event_log(path)
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    found = discover(log.connection, log.table)
    times["discovery"] = time.perf_counter() - start
    start = time.perf_counter()
    document = journey_from_discovery(found, goals=["Confirmation"])
    times["journey"] = time.perf_counter() - start
    start = time.perf_counter()
    analysis = scoring.analyze(document_aggregate(document))
    times["analysis"] = time.perf_counter() - start
    rework = max(found.activities, key=lambda a: found.activities[a].rework_share)
    drop = max(document["touchpoints"], key=lambda t: t["drop_off"])
    top_friction = analysis.ranked()[0].name
    return {
        "events": found.events, "cases": found.cases, "variants": len(found.variants),
        "times": times, "peak_mb": peak_mb(),
        "top_rework": [rework, round(found.activities[rework].rework_share, 3)],
        "top_drop_off": [drop["name"], drop["drop_off"]], "top_impact": top_friction,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--format", choices=("csv", "parquet", "xes"), default="csv")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # (the child process)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    with tempfile.TemporaryDirectory(prefix="cxmap-bench-") as folder:
        for cases in args.cases:
            suffix = "xes.gz" if args.format == "xes" else args.format
            path = Path(folder) / f"log-{cases}.{suffix}"
            start = time.perf_counter()
            events = generate(cases, path, args.format)
            made = time.perf_counter() - start
            child = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            found = json.loads(child.stdout)
            times = found["times"]
            total = sum(times.values())
            print(
                f"{cases:>9,} cases {events:>10,} events ({path.stat().st_size / 2**20:,.0f} MB "
                f"{args.format}, generated in {made:.1f} s): read {times['read']:.2f} s, "
                f"discovery {times['discovery']:.2f} s, journey {times['journey']:.2f} s, "
                f"analysis {times['analysis']:.2f} s = {total:.2f} s; peak "
                f"{found['peak_mb']:,.0f} MB; {found['variants']:,} variants; top rework "
                f"{found['top_rework']}, top drop-off {found['top_drop_off']}, top impact "
                f"{found['top_impact']!r}"
            )


if __name__ == "__main__":
    main()
