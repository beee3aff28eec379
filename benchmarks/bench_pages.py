"""Page benchmark: how long a rerun of each page takes, on the demo map and on a 500-touchpoint map.

Run: ``.venv/bin/python benchmarks/bench_pages.py [--runs 15]``.
A rerun is what a user waits for after every click or cell edit: Streamlit's AppTest runs the
page script once (caches warm), then the median of ``--runs`` further ``at.run()`` is printed,
with the ratio large / demo (how the page scales), and the first run (empty caches, as after
an edit changes the map's revision). Targets (issue 4): builder and journey map < 300 ms on
the demo map, < 1 s on the 500-touchpoint map.

To add a page, add a row to ``PAGES``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cxmap import services  # noqa: E402
from cxmap.core.config import DEMO_DIR  # noqa: E402
from cxmap.core.context import Context  # noqa: E402
from cxmap.formats import journey_writing  # noqa: E402
from cxmap.store.db import Database  # noqa: E402
from tests.factories import journey_document  # noqa: E402


@dataclass(frozen=True)
class PageCase:
    """One page to time: its script (relative to app.py) and the query parameters it opens with."""

    name: str
    script: str
    params: dict[str, str] = field(default_factory=dict)
    target_demo_ms: float | None = None
    target_large_ms: float | None = None


PAGES = [
    PageCase("builder · touchpoints", "pages/2_Journey_Builder.py", {}, 300, 1000),
    PageCase("builder · transitions", "pages/2_Journey_Builder.py", {"section": "Transitions"}),
    PageCase("personas", "pages/1_Personas.py", {}),
    PageCase("journey map", "pages/3_Journey_Map.py", {}, 300, 1000),
    PageCase("friction", "pages/4_Friction.py", {}),
    PageCase("voice of the customer", "pages/5_Voice_of_Customer.py", {}),
    PageCase("executive summary", "pages/6_Executive_Summary.py", {}),
]


def rerun_ms(script: str, map_id: int, params: dict[str, str], runs: int) -> tuple[float, float]:
    """Milliseconds of the first run (cold caches, as after an edit of the map) and the median
    of ``at.run()`` after it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(script)
    at.query_params["map"] = str(map_id)
    for key, value in params.items():
        at.query_params[key] = value
    start = time.perf_counter()
    at.run()
    first = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(f"{script}: {at.exception[0].value}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    if at.exception:
        raise RuntimeError(f"{script}: {at.exception[0].value}")
    return first, statistics.median(times)


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"  ({'ok' if value < target else 'SLOW'}: target < {target:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    large = journey_document(
        "Bench 500", stages=5, touchpoints_per_stage=100, transitions_per_touchpoint=5
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        os.environ["CXMAP_DATABASE_URL"] = url  # the app under AppTest opens this database
        ctx = Context(Database(url))
        ctx.db.migrate()
        demo = services.import_file(
            ctx, (DEMO_DIR / "telecom-broadband-onboarding.json").read_bytes()
        )
        big = services.import_file(ctx, journey_writing.dumps(large).encode())
        print(
            f"demo: {demo.name} (26 touchpoints); large: 500 touchpoints, "
            f"{len(large['transitions'])} transitions; median of {args.runs} reruns, SQLite"
        )
        print(
            f"{'page':<24}{'demo ms':>10}{'500 ms':>10}{'500/demo':>10}"
            f"{'1st demo':>10}{'1st 500':>10}"
        )
        for case in PAGES:
            small_first, small_ms = rerun_ms(case.script, demo.id, case.params, args.runs)
            large_first, large_ms = rerun_ms(case.script, big.id, case.params, args.runs)
            print(
                f"{case.name:<24}{small_ms:>10.1f}{large_ms:>10.1f}{large_ms / small_ms:>10.2f}"
                f"{small_first:>10.1f}{large_first:>10.1f}"
                + verdict(small_ms, case.target_demo_ms)
                + verdict(large_ms, case.target_large_ms)
            )
        ctx.db.dispose()


if __name__ == "__main__":
    main()
