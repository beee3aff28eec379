"""Storage benchmark: import, load and export a 500-touchpoint map with 5,000 feedback rows.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_storage.py [--runs 7]``.
Prints one row per database (SQLite file; PostgreSQL at CXMAP_TEST_PG_URL when it answers).
Target (issue 3): loading the aggregate takes < 150 ms on SQLite on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from cxmap import services  # noqa: E402
from cxmap.core.context import Context  # noqa: E402
from cxmap.formats import journey_writing  # noqa: E402
from cxmap.store.db import Database  # noqa: E402
from tests.conftest import PG_ADMIN_URL  # noqa: E402
from tests.factories import journey_document  # noqa: E402


def timed(action, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def bench(ctx: Context, data: bytes, runs: int) -> dict[str, float]:
    counter = iter(range(10**6))
    import_ms, journey = timed(
        lambda: services.import_file(ctx, data, name=f"Bench {next(counter)}"), max(3, runs // 2)
    )
    map_id = journey.id  # type: ignore[attr-defined]
    load_ms, aggregate = timed(lambda: services.load_map(ctx, map_id), runs)
    export_ms, exported = timed(lambda: services.export_json(ctx, map_id), runs)
    assert len(aggregate.touchpoints) == 500 and len(aggregate.feedback) == 5000  # type: ignore[attr-defined]
    same = {**json.loads(exported), "map": None} == {**json.loads(data), "map": None}  # type: ignore[arg-type]
    assert same, "export differs from the imported document"
    return {"import": import_ms, "load": load_ms, "export": export_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    document = journey_document(
        "Bench",
        stages=5,
        touchpoints_per_stage=100,
        feedback_per_touchpoint=10,
        transitions_per_touchpoint=5,
    )
    data = journey_writing.dumps(document).encode()
    print(
        f"map: 500 touchpoints, {len(document['transitions'])} transitions, "
        f"{len(document['feedback'])} feedback rows, {len(data) / 1024:.0f} KiB of JSON; "
        f"median of {args.runs} runs"
    )
    print(f"{'database':<12}{'import ms':>12}{'load ms':>12}{'export ms':>12}")
    with tempfile.TemporaryDirectory() as folder:
        ctx = Context(Database(f"sqlite:///{folder}/bench.db"))
        ctx.db.migrate()
        row = bench(ctx, data, args.runs)
        ctx.db.dispose()
        print(f"{'SQLite':<12}{row['import']:>12.1f}{row['load']:>12.1f}{row['export']:>12.1f}")
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"cxmap_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        print(f"PostgreSQL   skipped: {str(error).splitlines()[0]}")
        return
    try:
        ctx = Context(Database(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"))
        ctx.db.migrate()
        row = bench(ctx, data, args.runs)
        ctx.db.dispose()
        print(f"{'PostgreSQL':<12}{row['import']:>12.1f}{row['load']:>12.1f}{row['export']:>12.1f}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print("target: load < 150 ms on SQLite")


if __name__ == "__main__":
    main()
