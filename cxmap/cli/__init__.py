"""The command line: ``python -m cxmap <command>``, the same services as the app.

Exit codes: 0 success, 1 bad input (one line naming the file and the JSON path, row or field;
no traceback), 2 wrong usage.

Examples
--------
``python -m cxmap seed`` loads the demo maps into an empty database;
``python -m cxmap validate data/demo/*.json``;
``python -m cxmap export "Broadband onboarding" -o broadband.json``.
"""

from __future__ import annotations

import argparse
import contextvars
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cxmap import services
from cxmap.analysis import metrics, scoring, sentiment
from cxmap.cli.discover import add_discover_command, discover_command
from cxmap.cli.rows import ROW_COMMANDS, add_row_commands
from cxmap.cli.team import TEAM_COMMANDS, add_team_commands, serve, team_command
from cxmap.cli.usage import UsageError, write_atomically
from cxmap.core.config import Settings, load_settings
from cxmap.core.context import Context, machine_zone, time_zone
from cxmap.core.errors import CxmapError
from cxmap.core.messages import render_all
from cxmap.formats import feedback_file, feedback_rows, journey_file
from cxmap.formats.feedback_dates import AmbiguousDates
from cxmap.formats.feedback_import import (
    import_identity,
    replaced_note,
    unmatched_touchpoint_values,
)


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m cxmap`` parser: every command with its arguments and help."""
    parser = argparse.ArgumentParser(
        prog="python -m cxmap",
        description="Customer journey maps: import, export, validate, seed. "
        "Database: CXMAP_DATABASE_URL (default: SQLite file data/cxmap.db).",
    )
    parser.add_argument(
        "--as", dest="as_user", metavar="NAME",
        help="act as this account, with its roles (team mode; default: the local operator)",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    seed = commands.add_parser("seed", help="load the demo maps into an empty database")
    seed.add_argument("--reset", action="store_true", help="delete every map first")

    commands.add_parser("maps", help="list the maps in the database")

    do_import = commands.add_parser("import", help="import a cxmap-journey JSON file as a new map")
    do_import.add_argument("file", type=Path)
    do_import.add_argument("--name", help="name of the new map (default: the file's map name)")

    zone = argparse.ArgumentParser(add_help=False)  # (feedback dates in summaries: local dates)
    zone_help = "time zone of feedback dates, e.g. Europe/Berlin (default: the machine's)"
    zone.add_argument("--tz", type=time_zone, metavar="ZONE", help=zone_help)
    export = commands.add_parser(
        "export",
        parents=[zone],
        help=f"export a map (format from the suffix: {', '.join(services.EXPORT_FORMATS)})",
    )
    export.add_argument("map", help="map id or exact name")
    export.add_argument("-o", "--output", type=Path, required=True, help="file to write")

    validate = commands.add_parser("validate", help="check cxmap-journey JSON files")
    validate.add_argument("files", type=Path, nargs="+")

    analyze = commands.add_parser(
        "analyze", help="friction, reach, impact and moments of truth of a file or a stored map"
    )
    analyze.add_argument("source", help="a cxmap-journey .json file, or a map id or exact name")
    analyze.add_argument("--json", action="store_true", help="print the full result as JSON")

    summary_cmd = commands.add_parser(
        "summary", parents=[zone], help="what the Executive Summary shows for a stored map"
    )
    summary_cmd.add_argument("map", help="map id or exact name")
    summary_cmd.add_argument("--json", action="store_true", help="print it as JSON")

    sentiment_cmd = commands.add_parser(
        "sentiment", help="add VADER sentiment, label and language columns to a CSV or xlsx file"
    )
    sentiment_cmd.add_argument("file", type=Path)
    sentiment_cmd.add_argument("--text-col", required=True, help="column with the verbatims")
    sentiment_cmd.add_argument("-o", "--output", type=Path, help="CSV to write (default: stdout)")

    metrics_cmd = commands.add_parser("metrics", help="NPS, CSAT and CES of a survey file")
    metrics_cmd.add_argument("file", type=Path)
    _score_columns(metrics_cmd)
    metrics_cmd.add_argument("--group-col", help="report one row per value of this column")
    metrics_cmd.add_argument("--json", action="store_true")

    voc_cmd = commands.add_parser("voc", help="voice-of-the-customer files")
    voc_commands = voc_cmd.add_subparsers(dest="voc_command", required=True, metavar="COMMAND")
    voc_import = voc_commands.add_parser("import", help="import feedback rows into a map")
    voc_import.add_argument("file", type=Path)
    voc_import.add_argument("--map", required=True, help="map id or exact name")
    voc_import.add_argument("--text-col", help="column with the verbatims")
    _score_columns(voc_import)
    voc_import.add_argument("--date-col")
    order = voc_import.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_const",
        const=True,
        help="dates such as 03/04/2024 are 3 April (needed only when no date of the column "
        "tells; a column with 13/04/2024 is day first anyway)",
    )
    order.add_argument(
        "--monthfirst",
        dest="dayfirst",
        action="store_const",
        const=False,
        help="dates such as 03/04/2024 are 4 March",
    )
    voc_import.add_argument("--source-col")
    voc_import.add_argument("--segment-col", help="persona or segment column")
    voc_import.add_argument(
        "--touchpoint-col",
        help="touchpoint name or key per row (values this map's imports linked by hand on the "
        "page are linked the same way)",
    )
    voc_import.add_argument("--channel-col", help="channel per row (web, app, phone…)")
    voc_import.add_argument("--source", default="", help="source for every row (survey, review…)")
    add_row_commands(commands)
    add_team_commands(commands)
    add_discover_command(commands)
    return parser


def _score_columns(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--nps-col")
    parser.add_argument("--csat-col")
    parser.add_argument("--ces-col")
    parser.add_argument("--ces-scale", type=int, choices=(5, 7), default=7)
    parser.add_argument(
        "--skip-bad-rows", action="store_true", help="leave out rows with bad values (else: stop)"
    )


def _parsed_feedback(
    args: argparse.Namespace,
    settings: Settings,
    columns: dict[str, str | None],
    frame: Any = None,
    **kwargs: Any,
) -> tuple[Any, feedback_rows.ParsedFeedback]:
    name = str(args.file)
    if frame is None:
        frame = feedback_file.read_feedback_file(_read(args.file), name, settings.feedback_limits)
    try:
        parsed = feedback_rows.parse_feedback(frame, columns, ces_scale=args.ces_scale, **kwargs)
    except AmbiguousDates as error:
        raise CxmapError(f"{name}: {error.message} (--dayfirst or --monthfirst)") from None
    except CxmapError as error:
        raise CxmapError(f"{name}: {error.message}") from None
    if parsed.problems and not getattr(args, "skip_bad_rows", False):
        more = len(parsed.problems) - 1
        suffix = f" (and {more} more; --skip-bad-rows leaves them out)" if more else ""
        raise CxmapError(f"{name}: {parsed.problems[0]}{suffix}")
    if parsed.problems:
        print(f"left out {len(parsed.problems)} rows with bad values", file=sys.stderr)
    return frame, parsed


def _analyze(source: str, settings: Settings) -> scoring.JourneyAnalysis:
    path = Path(source)
    if path.suffix.lower() == ".json" or path.is_file():
        try:
            document = journey_file.parse_document(_read(path), max_bytes=settings.max_import_bytes)
        except CxmapError as error:
            raise CxmapError(f"{path}: {error.message}") from None
        return scoring.analyze(journey_file.document_aggregate(document))
    ctx = _open_context(settings)
    return services.analyze_map(ctx, services.resolve_map(ctx, source))


def _print_report(result: scoring.JourneyAnalysis) -> None:
    names = {t.key: t.name for t in result.touchpoints}
    print(f"Journey health {result.health:.0f}/100 · {result.completion:.0%} of customers complete")
    for warning in result.warnings:
        print(f"warning: {warning}")
    print("\nWhat to fix first (impact = friction × reach):")
    for rank, t in enumerate(result.ranked()[:10], start=1):
        print(
            f"{rank:>3}. {t.name} [{t.key}, {t.stage}]  impact {t.impact:.1f} = "
            f"friction {t.friction:.1f} × reach {t.reach:.0%}  ({t.explain()})"
        )
    print("\nMoments of truth:")
    for t in result.moments_of_truth:
        print(f"  - {t.name} [{t.key}]: {'; '.join(render_all(t.reasons))}")
    likely = " → ".join(names[k] for k in result.most_likely_path) or "(none completes)"
    worst = " → ".join(names[k] for k in result.worst_path) or "(none)"
    print(f"\nMost likely path ({result.most_likely_path_probability:.1%}): {likely}")
    print(f"Worst likely path (total friction {result.worst_path_friction:.0f}): {worst}")


def _summary(reference: str, settings: Settings, as_json: bool, zone: dt.tzinfo) -> None:
    """The Executive Summary of a stored map: the same services and analysis as the page."""
    from cxmap.analysis.executive import executive_summary

    ctx = _open_context(settings)
    map_id = services.resolve_map(ctx, reference)
    aggregate, analysis = services.load_map(ctx, map_id), services.analyze_map(ctx, map_id)
    data = executive_summary(aggregate, analysis, zone=zone)
    found = data.as_dict()
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return
    print(found["map"])
    for question, answer in found["answers"].items():
        print(f"{question} {answer}")
    at_risk = found["at_risk"]
    print(at_risk["headline"] if at_risk else "Customers at risk: no estimate (no volumes).")
    for t in found["top"]:
        print(f"{t['rank']:>3}. {t['name']}: impact {t['impact']:.1f} ({t['causes']})")
    for t in found["moments_of_truth"]:
        print(f"  ★ {t['name']}: {'; '.join(t['reasons'])}")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CxmapError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CxmapError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise CxmapError(f"{path}: cannot be read ({error.strerror})") from None


# The account a command acts as (``--as``), for every context the command opens.
_ACTING_AS: contextvars.ContextVar[str | None] = contextvars.ContextVar("acting_as", default=None)


def _open_context(settings: Settings) -> Context:
    """The command's context: the configured database, acting as ``--as NAME`` if given."""
    ctx = services.open_context(settings.database_url)
    name = _ACTING_AS.get()
    return ctx.acting_as(services.acting_as(ctx, name)) if name else ctx


def run(args: argparse.Namespace) -> int:
    """Carry out the parsed command and return its exit status (errors raised, for :func:`main`)."""
    settings = load_settings()
    _ACTING_AS.set(args.as_user)
    if args.command in ROW_COMMANDS:
        return ROW_COMMANDS[args.command](_open_context(settings), args)
    if args.command in TEAM_COMMANDS:
        return team_command(_open_context(settings), args)
    if args.command == "discover":
        return discover_command(args)
    if args.command == "analyze":
        result = _analyze(args.source, settings)
        if args.json:
            print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            _print_report(result)
        return 0
    if args.command == "summary":
        _summary(args.map, settings, args.json, args.tz or machine_zone())
        return 0
    if args.command == "sentiment":
        name = str(args.file)
        frame = feedback_file.read_feedback_file(_read(args.file), name, settings.feedback_limits)
        if args.text_col not in frame.columns:
            raise CxmapError(f"{name}: no column {args.text_col!r}")
        scored = sentiment.score_texts(frame[args.text_col].tolist())
        frame["compound"] = [score for score, _ in scored]
        frame["label"] = [sentiment.sentiment_label(score) for score, _ in scored]
        frame["language"] = [language for _, language in scored]
        text = feedback_file.neutralised(frame).to_csv(index=False)
        if args.output:
            write_atomically(args.output, text)
            print(f"wrote {len(frame)} rows to {args.output}")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "metrics":
        columns: dict[str, str | None] = {
            "nps": args.nps_col, "csat": args.csat_col, "ces": args.ces_col,
            "persona": args.group_col,
        }  # fmt: skip
        if not any(columns[c] for c in ("nps", "csat", "ces")):
            raise UsageError("name at least one of --nps-col, --csat-col, --ces-col")
        _, parsed = _parsed_feedback(args, settings, columns)
        table = metrics.metrics_table(
            metrics.rows_frame(parsed.rows), by="segment" if args.group_col else None
        )
        if args.json:
            print(table.to_json(orient="records", force_ascii=False, indent=2))
        else:
            print(table.dropna(axis=1, how="all").to_string(index=False, float_format="%.1f"))
        return 0
    if args.command == "voc":
        ctx = _open_context(settings)
        map_id = services.resolve_map(ctx, args.map)
        touchpoints = [(t.id, t.key, t.name) for t in services.load_map(ctx, map_id).touchpoints]
        columns = {
            "text": args.text_col, "nps": args.nps_col, "csat": args.csat_col,
            "ces": args.ces_col, "date": args.date_col, "source": args.source_col,
            "persona": args.segment_col, "touchpoint": args.touchpoint_col,
        }  # fmt: skip
        if args.channel_col:
            columns["channel"] = args.channel_col
        data = _read(args.file)
        frame = feedback_file.read_feedback_file(data, str(args.file), settings.feedback_limits)
        # The links remembered for this map, of the values this file has (as the page shows).
        in_file = {v.lower() for v in unmatched_touchpoint_values(frame, columns, touchpoints)}
        links: dict[str, int | None] = {
            value: tp for value, tp in services.remembered_value_links(ctx, map_id).items()
            if value in in_file
        }  # fmt: skip
        identity = import_identity(
            data, columns, args.ces_scale, args.source, dayfirst=args.dayfirst, value_links=links
        )
        earlier = services.earlier_import(ctx, map_id, identity)
        if earlier:
            print(
                f"{args.file} was already imported into this map on "
                f"{earlier[1]:%Y-%m-%d %H:%M} (same columns): nothing to add"
            )
            return 0
        _, parsed = _parsed_feedback(
            args,
            settings,
            columns,
            touchpoints=touchpoints,
            default_source=args.source,
            dayfirst=args.dayfirst,
            value_links=links,
            frame=frame,
        )
        outcome = services.import_feedback(
            ctx, map_id, parsed.rows, file_hash=identity, file_name=args.file.name
        )
        print(
            f"added {outcome.added} feedback rows ({outcome.already_imported} were already there; "
            f"{outcome.scored} scored now, {outcome.from_cache} from the cache, "
            f"{outcome.not_scored} not scored: not English or empty)"
        )
        replaced = replaced_note(parsed.replaced_characters)
        if replaced:
            print(replaced)
        if parsed.unmatched:
            top = ", ".join(f"{value!r} ×{n}" for value, n in parsed.unmatched.most_common(5))
            print(
                f"touchpoint values that matched no touchpoint: {top} (link them to a "
                "touchpoint on the Voice of the Customer page's Import tab: later imports "
                "into this map link them the same way)"
            )
        return 0
    if args.command == "validate":
        for path in args.files:
            try:
                document = journey_file.parse_document(
                    _read(path), max_bytes=settings.max_import_bytes
                )
            except CxmapError as error:
                raise CxmapError(f"{path}: {error.message}") from None
            print(f"{path}: valid cxmap-journey v{document['version']}")
        return 0

    ctx = _open_context(settings)
    if args.command == "seed":
        created = services.seed_demo_maps(ctx, reset=args.reset)
        if not created:
            print("The database already has maps; nothing loaded (use --reset to start over).")
        for journey in created:
            print(f"loaded demo map {journey.id}: {journey.name}")
    elif args.command == "maps":
        for summary in services.list_maps(ctx):
            m, counts = summary.map, summary.counts
            print(
                f"{m.id}\t{m.name}\t{counts['touchpoint']} touchpoints\t"
                f"{counts['feedback']} feedback\trevision {m.revision}"
            )
    elif args.command == "import":
        data = _read(args.file)
        try:
            journey = services.import_file(
                ctx, data, args.name, max_bytes=settings.max_import_bytes
            )
        except CxmapError as error:
            raise CxmapError(f"{args.file}: {error.message}") from None
        print(f"imported map {journey.id}: {journey.name}")
    elif args.command == "export":
        suffix = services.export_suffix(str(args.output))
        if suffix not in services.EXPORT_FORMATS:
            raise UsageError(
                f"cannot export to {suffix or 'a file without suffix'!r}: "
                f"formats are {', '.join(services.EXPORT_FORMATS)}"
            )
        map_id = services.resolve_map(ctx, args.map)
        ctx = ctx.in_zone(args.tz or machine_zone())
        write_atomically(args.output, services.export_map(ctx, map_id, suffix))
        print(f"exported map {map_id} to {args.output}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: parse ``argv`` (default: sys.argv), run, and turn errors into a message on
    stderr and exit status 2 (usage) or 1 (a cxmap error).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"] and "-h" not in argv[1:2] and "--help" not in argv[1:2]:
        return serve(argv[1:])  # streamlit's own options, passed on as they are
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run(args)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"cxmap: error: {error}", file=sys.stderr)
        return 2
    except CxmapError as error:
        print(f"cxmap: error: {error.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into head & co.: not an error
        sys.stderr.close()
        return 0
