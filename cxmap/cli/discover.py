"""``discover LOG``: a journey map and a report from an event log (CSV, Parquet, XES).

The columns are guessed from their names, as the feedback import guesses them; ``--case``,
``--activity``, ``--time`` (and the optional roles) name them instead. The report is
DOMAIN.md's (see docs/discovery.md); the journey a ``cxmap-journey`` file to ``import``.

Examples
--------
``python -m cxmap discover tickets.csv --goal Resolved -o tickets.json --report report.json``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cxmap.analysis.discovery import Discovery, discover
from cxmap.cli.usage import UsageError, write_atomically
from cxmap.core.errors import CxmapError
from cxmap.formats import event_log
from cxmap.formats.discovered_journey import default_goals, journey_from_discovery
from cxmap.formats.journey_writing import dumps

# option → role of the column it names
ROLE_OPTIONS = {
    "case": "case", "activity": "activity", "time": "timestamp", "channel": "channel",
    "resource": "resource", "outcome": "outcome", "segment": "segment",
}  # fmt: skip


def add_discover_command(commands: Any) -> None:
    """Register ``discover`` on the command line's sub-commands."""
    parser = commands.add_parser(
        "discover", help="a journey map and a report from an event log (CSV, Parquet, XES)"
    )
    parser.add_argument("log", type=Path, help="the event log: .csv, .parquet, .xes or .xes.gz")
    for option, role in ROLE_OPTIONS.items():
        parser.add_argument(f"--{option}", metavar="COLUMN", help=f"the {role} column")
    parser.add_argument(
        "--goal", nargs="+", action="extend", default=None, metavar="ACTIVITY",
        help="activities that mean the customer got there (default: where most cases end)",
    )  # fmt: skip
    parser.add_argument(
        "--rename", nargs="+", action="extend", default=[], metavar="ACTIVITY=TOUCHPOINT",
        help="name the touchpoint of an activity (several activities, one name: merged)",
    )  # fmt: skip
    parser.add_argument(
        "--ignore", nargs="+", action="extend", default=[], metavar="ACTIVITY",
        help="leave these activities out of the journey (the report keeps them)",
    )  # fmt: skip
    parser.add_argument("--name", help="the journey's name (default: the log's file name)")
    parser.add_argument("-o", "--output", type=Path, help="cxmap-journey JSON file to write")
    parser.add_argument("--report", type=Path, help="report JSON file to write")


def _mapping(args: argparse.Namespace, found: Discovery, name: str) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for assignment in args.rename:
        activity, sep, touchpoint = assignment.partition("=")
        if not sep or not activity or not touchpoint.strip():
            raise UsageError(f"--rename takes ACTIVITY=TOUCHPOINT, not {assignment!r}")
        mapping[activity] = touchpoint.strip()
    mapping.update({activity: None for activity in args.ignore})
    for activity in [*mapping, *(args.goal or [])]:
        if activity not in found.activities and activity not in mapping.values():
            known = ", ".join(repr(a) for a in list(found.activities)[:12])
            raise CxmapError(f"{name}: there is no activity {activity!r} (the activities: {known})")
    return mapping


def discover_command(args: argparse.Namespace) -> int:
    """Run ``discover``: read, check, discover, write the journey and the report."""
    name = str(args.log)
    chosen = {ROLE_OPTIONS[o]: getattr(args, o) for o in ROLE_OPTIONS if getattr(args, o)}
    raw = event_log.open_event_log(args.log, name=name)
    log = raw.load(raw.guessed_columns(**chosen), keep_raw=False)
    found = discover(log.connection, log.table)
    mapping = _mapping(args, found, name)
    columns = ", ".join(f"{role} {c!r}" for role, c in log.columns.as_dict().items() if c)
    print(f"{name}: {found.events:,} events of {found.cases:,} cases ({columns})")
    print(f"{len(found.activities)} activities, {len(found.edges)} directly-follows edges, "
          f"{len(found.variants):,} variants")  # fmt: skip
    goals = args.goal
    if goals is None and not log.columns.outcome:
        goals = default_goals(found, mapping)
        print(f"goals: {', '.join(goals) or '(none)'} (where most cases end; --goal changes it)")
    elif goals is None:
        goals = []
        print(f"goals: cases with {log.columns.outcome!r} set")
    journey_name = args.name or Path(name).name.split(".")[0] or "Discovered journey"
    document = journey_from_discovery(found, name=journey_name, mapping=mapping, goals=goals)
    if args.report:
        report = found.as_report() | {"goals": list(goals)}
        write_atomically(args.report, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        print(f"wrote the report to {args.report}")
    if args.output:
        write_atomically(args.output, dumps(document))
        print(f"wrote the journey ({len(document['touchpoints'])} touchpoints) to {args.output}")
    return 0
