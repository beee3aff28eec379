"""Journey discovery as SQL: what customers did, from an event table, in one engine's terms.

The input is a table of events (``case_id, activity, ts, seq, channel, outcome``: see
:mod:`cxmap.formats.event_log`); each case's events are ordered by time, ties kept in file
order (``seq``). The queries use only what DuckDB and PostgreSQL both speak (window
functions, ``percentile_cont … WITHIN GROUP``, ``array_agg … ORDER BY``), so a log already in
PostgreSQL is discovered where it is: :func:`discover` takes any connection whose
``execute(sql)`` returns something with ``fetchall()`` (a DuckDB connection, a psycopg one).

What comes out (:class:`Discovery`): directly-follows counts with median and p90 durations
(self-loops are edges too), per activity occurrences, cases, starts, ends, rework (cases that
repeat it), the median wait before it (from the case's previous event), the median position
of its first occurrence and its channel mix; the variants (whole activity sequences) with
their counts. Sorting happens in Python: the engines' string collations differ.

Examples
--------
>>> import duckdb
>>> connection = duckdb.connect()
>>> _ = connection.execute(
...     "CREATE TABLE events AS SELECT * FROM (VALUES "
...     "('c1', 'Visit', TIMESTAMP '2024-01-01 10:00', 1, 'web', NULL), "
...     "('c1', 'Buy', TIMESTAMP '2024-01-01 10:05', 2, 'web', NULL), "
...     "('c2', 'Visit', TIMESTAMP '2024-01-01 11:00', 3, 'app', NULL)) "
...     "t(case_id, activity, ts, seq, channel, outcome)")
>>> found = discover(connection)
>>> found.cases, found.events, [(e.source, e.target, e.count, e.median_s) for e in found.edges]
(2, 3, [('Visit', 'Buy', 1, 300.0)])
>>> found.activities["Visit"].starts, found.activities["Visit"].ends, found.variants[0]
(2, 1, Variant(activities=('Visit',), cases=1, flagged=0))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class _Result(Protocol):
    def fetchall(self) -> list[Any]: ...


class SqlConnection(Protocol):
    """What discovery needs of a database connection (DuckDB's and psycopg's have it)."""

    def execute(self, query: str) -> Any: ...


@dataclass(frozen=True)
class ActivityStats:
    """What one activity's events say (counts exact; times in seconds)."""

    occurrences: int
    cases: int
    starts: int
    ends: int
    rework_cases: int
    median_wait_s: float | None
    median_position: float
    channels: dict[str, int] = field(default_factory=dict)

    @property
    def rework_share(self) -> float:
        """Share of the cases with this activity that do it more than once."""
        return self.rework_cases / self.cases if self.cases else 0.0

    @property
    def majority_channel(self) -> str | None:
        """The channel most of its events were on (ties: alphabetical first), or None."""
        if not self.channels:
            return None
        return min(self.channels, key=lambda c: (-self.channels[c], c))


@dataclass(frozen=True)
class Edge:
    """``target`` directly followed ``source`` within a case ``count`` times."""

    source: str
    target: str
    count: int
    median_s: float | None
    p90_s: float | None


@dataclass(frozen=True)
class Variant:
    """One whole sequence of activities, the cases that followed it, and how many of those
    had the outcome flag set (0 without an outcome column)."""

    activities: tuple[str, ...]
    cases: int
    flagged: int


@dataclass(frozen=True)
class Discovery:
    """Everything :func:`discover` finds; ``edges`` by count (then names), ``variants`` by
    cases (then sequence)."""

    cases: int
    events: int
    activities: dict[str, ActivityStats]
    edges: list[Edge]
    variants: list[Variant]

    def as_report(self, top_variants: int = 10) -> dict[str, Any]:
        """The report JSON of ``discover --report`` (DOMAIN.md's shape, plus ``p90_s`` per
        edge, ``channels`` and ``median_position`` per activity); see docs/discovery.md."""
        return {
            "cases": self.cases,
            "events": self.events,
            "variants": len(self.variants),
            "activities": {
                name: {
                    "occurrences": a.occurrences,
                    "cases": a.cases,
                    "starts": a.starts,
                    "ends": a.ends,
                    "rework_cases": a.rework_cases,
                    "median_wait_s": a.median_wait_s,
                    "median_position": a.median_position,
                    "channels": a.channels,
                }
                for name, a in self.activities.items()
            },  # fmt: skip
            "edges": [
                {
                    "source": e.source,
                    "target": e.target,
                    "count": e.count,
                    "median_s": e.median_s,
                    "p90_s": e.p90_s,
                }
                for e in self.edges
            ],  # fmt: skip
            "top_variants": [
                {"activities": list(v.activities), "cases": v.cases}
                for v in self.variants[:top_variants]
            ],
        }


def _name(table: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?", table):
        raise ValueError(f"not a table name: {table!r}")
    return table


STEPS = "cxmap_steps"


def steps_sql(table: str) -> str:
    """The one window pass: each event with its position in the case, the case's length,
    the previous activity and the seconds since the previous event."""
    return f"""
CREATE TEMPORARY TABLE {STEPS} AS
SELECT case_id, activity, channel, outcome,
       ROW_NUMBER() OVER w AS pos,
       COUNT(*) OVER (PARTITION BY case_id) AS case_events,
       LAG(activity) OVER w AS previous_activity,
       CAST(EXTRACT(EPOCH FROM ts) AS DOUBLE PRECISION)
         - CAST(EXTRACT(EPOCH FROM LAG(ts) OVER w) AS DOUBLE PRECISION) AS wait_s
FROM {_name(table)}
WINDOW w AS (PARTITION BY case_id ORDER BY ts, seq)
"""


QUERIES = {
    "totals": f"SELECT COUNT(DISTINCT case_id), COUNT(*) FROM {STEPS}",
    "edges": f"""
SELECT previous_activity, activity, COUNT(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_s),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_s)
FROM {STEPS} WHERE previous_activity IS NOT NULL
GROUP BY previous_activity, activity""",
    "activities": f"""
SELECT activity, COUNT(*), COUNT(DISTINCT case_id),
       SUM(CASE WHEN pos = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN pos = case_events THEN 1 ELSE 0 END),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_s)
FROM {STEPS} GROUP BY activity""",
    "per_case": f"""
SELECT activity, SUM(CASE WHEN times > 1 THEN 1 ELSE 0 END),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_pos)
FROM (SELECT case_id, activity, COUNT(*) AS times, MIN(pos) AS first_pos
      FROM {STEPS} GROUP BY case_id, activity) AS per_case
GROUP BY activity""",
    "channels": f"""
SELECT activity, channel, COUNT(*) FROM {STEPS}
WHERE channel IS NOT NULL GROUP BY activity, channel""",
    "variants": f"""
SELECT sequence, COUNT(*), SUM(flag)
FROM (SELECT case_id, array_agg(activity ORDER BY pos) AS sequence,
             MAX(CASE WHEN outcome THEN 1 ELSE 0 END) AS flag
      FROM {STEPS} GROUP BY case_id) AS cases
GROUP BY sequence""",
}


def _seconds(value: Any) -> float | None:
    return None if value is None else float(value)


def discover(connection: SqlConnection, table: str = "events") -> Discovery:
    """Directly-follows graph, activity statistics and variants of the events in ``table``.

    Runs :func:`steps_sql` once (a temporary table, dropped at the end) and the queries of
    ``QUERIES`` over it; the same text on DuckDB and PostgreSQL.
    """
    connection.execute(f"DROP TABLE IF EXISTS {STEPS}")
    connection.execute(steps_sql(table))
    try:
        rows = {name: connection.execute(sql).fetchall() for name, sql in QUERIES.items()}
    finally:
        connection.execute(f"DROP TABLE IF EXISTS {STEPS}")
    return discovery_from_rows(rows)


def discovery_from_rows(rows: Mapping[str, list[Any]]) -> Discovery:
    """The :class:`Discovery` of the rows the queries of ``QUERIES`` returned."""
    ((cases, events),) = rows["totals"]
    per_case = {a: (int(rework), float(position)) for a, rework, position in rows["per_case"]}
    channels: dict[str, dict[str, int]] = {}
    for activity, channel, count in sorted(rows["channels"], key=lambda r: (r[0], r[1])):
        channels.setdefault(activity, {})[channel] = int(count)
    activities = {
        activity: ActivityStats(
            occurrences=int(occurrences), cases=int(n_cases), starts=int(starts),
            ends=int(ends), rework_cases=per_case[activity][0],
            median_wait_s=_seconds(wait), median_position=per_case[activity][1],
            channels=channels.get(activity, {}),
        )
        for activity, occurrences, n_cases, starts, ends, wait in sorted(rows["activities"])
    }  # fmt: skip
    edges = [
        Edge(source, target, int(count), _seconds(median), _seconds(p90))
        for source, target, count, median, p90 in rows["edges"]
    ]
    edges.sort(key=lambda e: (-e.count, e.source, e.target))
    variants = [
        Variant(tuple(sequence), int(count), int(flagged or 0))
        for sequence, count, flagged in rows["variants"]
    ]
    variants.sort(key=lambda v: (-v.cases, v.activities))
    return Discovery(int(cases or 0), int(events or 0), activities, edges, variants)
