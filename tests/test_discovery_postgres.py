"""The discovery SQL runs unchanged on PostgreSQL and finds what DuckDB finds.

A log already in a database needs no export: the same queries (``discovery.discover``) run on
a psycopg connection. Here the generated log of test_discovery is loaded into a PostgreSQL
table and the two engines' results are compared (durations up to float rounding).
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from cxmap.analysis.discovery import discover
from cxmap.formats import event_log
from tests.test_discovery import SMALL_LOG, assert_close, generated_log, write_csv

TABLE = "cxmap_test_events"


def _results(found: object) -> dict[str, object]:
    report = found.as_report()  # type: ignore[attr-defined]
    edges = {(e["source"], e["target"]): (e["count"], e["median_s"], e["p90_s"])
             for e in report["edges"]}  # fmt: skip
    activities = {
        name: (a["occurrences"], a["cases"], a["starts"], a["ends"], a["rework_cases"],
               a["median_wait_s"] if a["median_wait_s"] is not None else float("nan"),
               a["median_position"])
        for name, a in report["activities"].items()
    }  # fmt: skip
    channels = {name: a["channels"] for name, a in report["activities"].items()}
    variants = {tuple(v.activities): v.cases for v in found.variants}  # type: ignore[attr-defined]
    return {"edges": edges, "activities": activities, "channels": channels,
            "variants": variants, "totals": (report["cases"], report["events"])}  # fmt: skip


@pytest.mark.postgres
@pytest.mark.parametrize("which", ["small", "generated"])
def test_postgres_finds_what_duckdb_finds(postgres_url: str, tmp_path: Path, which: str) -> None:
    if which == "small":
        path = write_csv(tmp_path / "log.csv", SMALL_LOG)
    else:
        path = tmp_path / "log.csv"
        frame = generated_log(cases=200, seed=11)
        frame[["case", "activity", "time", "channel"]].to_csv(path, index=False)
    log = event_log.read_event_log(path)
    in_duckdb = _results(discover(log.connection, log.table))
    rows = log.connection.execute(
        "SELECT case_id, activity, ts, seq, channel, outcome FROM events"
    ).fetchall()
    with psycopg.connect(postgres_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f"DROP TABLE IF EXISTS {TABLE}")
        connection.execute(
            f"CREATE TABLE {TABLE} (case_id VARCHAR, activity VARCHAR, ts TIMESTAMP, "
            "seq BIGINT, channel VARCHAR, outcome BOOLEAN)"
        )
        try:
            with (
                connection.cursor() as cursor,
                cursor.copy(
                    f"COPY {TABLE} (case_id, activity, ts, seq, channel, outcome) FROM STDIN"
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            in_postgres = _results(discover(connection, TABLE))
        finally:
            connection.execute(f"DROP TABLE IF EXISTS {TABLE}")
    assert in_postgres["totals"] == in_duckdb["totals"]
    assert in_postgres["variants"] == in_duckdb["variants"]
    assert in_postgres["channels"] == in_duckdb["channels"]
    assert_close(in_postgres["edges"], in_duckdb["edges"])  # type: ignore[arg-type]
    assert_close(in_postgres["activities"], in_duckdb["activities"])  # type: ignore[arg-type]
