"""VoC benchmark: import 100,000 English verbatims (parse, score, store) on SQLite.

Run: ``.venv/bin/python benchmarks/bench_voc.py [--rows 100000]``. Prints, in one run: the
bare single-core rate of ``SentimentIntensityAnalyzer.polarity_scores`` over the same texts,
the rate of scoring alone in 2 worker processes, the end-to-end import rate (read, parse, score,
store) with 2 workers, the re-import time (sentiment cache and fingerprints), and peak memory.
Targets (issue 6): end-to-end ≥ 0.9× the bare loop's rate, scoring in 2 workers ≥ 1.6× one,
re-import ≥ 20× faster than the first import, memory < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from cxmap import services  # noqa: E402
from cxmap.analysis import sentiment  # noqa: E402
from cxmap.core.config import DEMO_DIR  # noqa: E402
from cxmap.core.context import Context  # noqa: E402
from cxmap.formats import feedback_file, feedback_rows  # noqa: E402
from cxmap.store.db import Database  # noqa: E402


def survey_csv(rows: int, seed: int = 5) -> tuple[bytes, list[str]]:
    """A survey export built from the demo maps' verbatims, varied so texts rarely repeat."""
    rng = random.Random(seed)
    vocabulary = []
    for path in sorted(DEMO_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        vocabulary += [(f["text"], f["touchpoint"]) for f in document["feedback"] if f["text"]]
    names = {
        t["key"]: t["name"]
        for t in json.loads(
            (DEMO_DIR / "telecom-broadband-onboarding.json").read_text(encoding="utf-8")
        )["touchpoints"]
    }
    lines = ["id,nps,csat,comment,date,touchpoint"]
    texts = []
    for i in range(rows):
        text, key = rng.choice(vocabulary)
        text = f"{text} (order {rng.randint(1000, 999999)})"
        texts.append(text)
        quoted = '"' + text.replace('"', '""') + '"'
        touchpoint = names.get(key or "", "")
        lines.append(
            f"{i},{rng.randint(0, 10)},{rng.randint(1, 5)},{quoted},"
            f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d},{touchpoint}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8"), texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    data, texts = survey_csv(args.rows)
    print(f"{args.rows:,} verbatims, {len(data) / 1024 / 1024:.1f} MB of CSV")

    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    bare = time.perf_counter() - start
    print(f"bare VADER loop, 1 core:        {bare:7.2f} s  {args.rows / bare:9,.0f} rows/s")
    start = time.perf_counter()
    sentiment.score_texts(texts, workers=2)
    parallel = time.perf_counter() - start
    print(f"scoring alone, 2 workers:       {parallel:7.2f} s  {args.rows / parallel:9,.0f} rows/s")

    with tempfile.TemporaryDirectory() as folder:
        ctx = Context(Database(f"sqlite:///{folder}/feedback_file.db"))
        ctx.db.migrate()
        demo = services.import_file(
            ctx, (DEMO_DIR / "telecom-broadband-onboarding.json").read_bytes()
        )
        other = services.duplicate_map(ctx, demo.id, "Another map").id
        columns = {
            "nps": "nps",
            "csat": "csat",
            "text": "comment",
            "date": "date",
            "touchpoint": "touchpoint",
        }

        def run_import(map_id: int) -> tuple[float, float, services.FeedbackImport | None]:
            touchpoints = [
                (t.id, t.key, t.name) for t in services.load_map(ctx, map_id).touchpoints
            ]
            """The import as the app and `voc import` run it: recognise the same file first."""
            start = time.perf_counter()
            identity = feedback_file.file_hash(data, columns)
            if services.earlier_import(ctx, map_id, identity):
                return 0.0, time.perf_counter() - start, None
            frame = feedback_file.read_feedback_file(data, "bench.csv", 500 * 1024 * 1024)
            parsed = feedback_rows.parse_feedback(frame, columns, touchpoints=touchpoints)
            parse_s = time.perf_counter() - start
            outcome = services.import_feedback(
                ctx, map_id, parsed.rows, workers=2, file_hash=identity, file_name="bench.csv"
            )
            return parse_s, time.perf_counter() - start, outcome

        parse_s, first, outcome = run_import(demo.id)
        assert outcome is not None
        print(
            f"first import, 2 workers:        {first:7.2f} s  {args.rows / first:9,.0f} rows/s"
            f"  (parse {parse_s:.2f} s; added {outcome.added:,}, scored {outcome.scored:,})"
        )
        _, again, repeat = run_import(demo.id)
        print(
            f"re-import of the same file:     {again:7.2f} s  (recognised: "
            f"{'nothing to add' if repeat is None else repeat})"
        )
        parse_other, cached, into_other = run_import(other)
        assert into_other is not None
        print(
            f"same verbatims, another map:    {cached:7.2f} s  (parse {parse_other:.2f} s; "
            f"scored {into_other.scored:,}, from the sentiment cache {into_other.from_cache:,})"
        )
        ctx.db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"scoring speed-up, 2 workers:    {bare / parallel:7.2f}×  (target ≥ 1.6×)")
    print(f"end-to-end / bare rate:         {bare / first:7.2f}×  (target ≥ 0.9×)")
    print(f"first / re-import:              {first / again:7.1f}×  (target ≥ 20×)")
    print(f"first / same texts, other map:  {first / cached:7.1f}×  (the sentiment cache alone)")
    print(
        f"peak memory: {peak_mb:,.0f} MB main process, {children_mb:,.0f} MB largest child"
        " (its count starts from the parent's pages at fork)  (target < 1 GB)"
    )


if __name__ == "__main__":
    main()
