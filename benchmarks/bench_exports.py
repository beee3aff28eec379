"""Export benchmark: how long each export format takes, on the demo map and on a 500-touchpoint map.

Run: ``.venv/bin/python benchmarks/bench_exports.py [--runs 1] [--formats .json,.pdf]``.
Each format is made with ``services.export_map`` (what the page's download buttons and
``python -m cxmap export`` call): load the map, analyse it, write the file. PDF and PNG start one
Chromium per export (about two seconds of it) and render every image of the file in it.
The large map is ``tests/factories.journey_document(stages=5, touchpoints_per_stage=100,
transitions_per_touchpoint=5, feedback_per_touchpoint=10)`` imported into a temp SQLite file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cxmap import services  # noqa: E402
from cxmap.core.config import DEMO_DIR  # noqa: E402
from cxmap.core.context import Context  # noqa: E402
from cxmap.store.db import Database  # noqa: E402
from tests.factories import journey_document  # noqa: E402

FORMATS = (".json", ".xlsx", ".mmd", ".html", ".pdf", ".png")


def time_export(ctx: Context, map_id: int, suffix: str, runs: int) -> tuple[float, int]:
    """Median seconds of ``runs`` exports, and the file's size in bytes."""
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(services.export_map(ctx, map_id, suffix))
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="exports per format (median)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated suffixes")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]

    with tempfile.TemporaryDirectory() as folder:
        ctx = Context(Database(f"sqlite:///{folder}/bench.db"))
        ctx.db.migrate()
        demo = services.import_file(
            ctx, (DEMO_DIR / "telecom-broadband-onboarding.json").read_bytes()
        )
        document = journey_document(
            "Large journey",
            stages=5,
            touchpoints_per_stage=100,
            transitions_per_touchpoint=5,
            feedback_per_touchpoint=10,
        )
        large = services.import_document(ctx, document)
        maps = [("demo telecom (26 touchpoints)", demo.id), ("500 touchpoints", large.id)]
        print(f"{'format':<8}" + "".join(f"{name:>34}" for name, _ in maps))
        for suffix in formats:
            cells = []
            for _, map_id in maps:
                seconds, size = time_export(ctx, map_id, suffix, args.runs)
                cells.append(f"{seconds:>9.2f} s {size / 1024:>10,.0f} KiB")
            print(f"{suffix:<8}" + "".join(f"{cell:>34}" for cell in cells))
        if {".pdf", ".png"} & set(formats):
            # The first browser export above started Chromium; later ones reuse it.
            first = time_export(ctx, demo.id, ".pdf", 1)[0]
            again = time_export(ctx, demo.id, ".pdf", 1)[0]
            print(f"demo PDF with the browser already running: {first:.2f} s, again {again:.2f} s")
        ctx.db.dispose()


if __name__ == "__main__":
    main()
