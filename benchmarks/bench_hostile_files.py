"""Hostile-file benchmark (issue 20): peak memory and seconds of ``voc import`` per file.

Run: ``.venv/bin/python benchmarks/bench_hostile_files.py [--rows 100000]``. Each import runs in
a child process (``python -m cxmap voc import``) on a fresh SQLite database, and prints that
child's peak resident memory (``wait4``'s ``ru_maxrss``) and wall-clock seconds: a CSV and a
workbook of ``--rows`` survey rows (imported: read, parse, score, store), and the bombs (refused):
an xlsx of about 25 MB that unpacks to 3 million rows, and a 2 MB-class dense xlsx that unpacks
to 2 GB. Files are generated in a temporary folder and deleted after. Targets: every bomb
refused in under 10 s and 500 MB; imports within the default limits.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cxmap import services  # noqa: E402
from cxmap.core.context import Context  # noqa: E402
from cxmap.store.db import Database  # noqa: E402
from tests.factories import journey_document  # noqa: E402
from tests.hostile_files import (  # noqa: E402
    dense_bomb,
    row_bomb,
    run_cxmap,
    survey_csv,
    survey_xlsx,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the CSV and xlsx")
    args = parser.parse_args()
    files: list[tuple[str, Callable[[Path], Path]]] = [
        (f"{args.rows:,}-row CSV", lambda d: survey_csv(d / "survey.csv", args.rows)),
        (f"{args.rows:,}-row xlsx", lambda d: survey_xlsx(d / "survey.xlsx", args.rows)),
        ("xlsx unpacking to 3 M rows", lambda d: row_bomb(d / "rows.xlsx", distinct=True)),
        ("dense xlsx bomb (2 GB)", lambda d: dense_bomb(d / "dense.xlsx", 2048, level=9)),
    ]
    with tempfile.TemporaryDirectory(prefix="cxmap-hostile-") as folder:
        base = Path(folder)
        print(f"{'file':<28} {'size':>9} {'made in':>8} {'exit':>4} {'seconds':>8} {'peak RSS':>9}")
        for number, (label, make) in enumerate(files, start=1):
            started = time.perf_counter()
            path = make(base)
            made = time.perf_counter() - started
            url = f"sqlite:///{base / f'bench-{number}.db'}"
            database = Database(url)
            database.migrate()
            services.import_document(Context(database), journey_document("Target"))
            database.dispose()
            run = run_cxmap(
                "voc", "import", str(path), "--map", "Target", "--text-col", "Comment",
                "--nps-col", "NPS", database_url=url,
            )  # fmt: skip
            size = path.stat().st_size / 1024 / 1024
            print(
                f"{label:<28} {size:>6.1f} MB {made:>7.1f}s {run.returncode:>4} "
                f"{run.seconds:>7.1f}s {run.peak_mb:>6.0f} MB"
            )
            outcome = (run.stdout or run.stderr).strip().splitlines()
            print(f"    {outcome[0][:150] if outcome else ''}")
            path.unlink()


if __name__ == "__main__":
    main()
