"""Use cases of files: import a journey file as a new map, export a map in any format, and
load the demo maps."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cxmap.analysis import scoring
from cxmap.core.access import may_create_maps
from cxmap.core.config import DEMO_DIR
from cxmap.core.context import Context
from cxmap.core.errors import Forbidden, InvalidInput
from cxmap.core.records import MapRecord
from cxmap.formats import excel, journey_file, journey_writing, mermaid
from cxmap.services.maps import check_map_fields, delete_map, insert_journey, list_maps, load_map
from cxmap.store import map_queries

EXPORT_FORMATS = (".json", ".xlsx", ".mmd", ".html", ".pdf", ".png", ".slide.png", ".pptx")


def export_suffix(file_name: str) -> str:
    """The export format a file name asks for: its suffix, lower case; ``.slide.png`` (the
    16:9 slide image) is the one suffix of two parts.

    >>> export_suffix("q3/Broadband.Slide.PNG"), export_suffix("broadband.png"), export_suffix("x")
    ('.slide.png', '.png', '')
    """
    name = Path(file_name).name.lower()
    if name.endswith(".slide.png") and name != ".slide.png":
        return ".slide.png"
    return Path(name).suffix


def import_document(
    ctx: Context, document: Mapping[str, Any], name: str | None = None
) -> MapRecord:
    """Create a new map from a checked cxmap-journey document (``journey_file.parse_document``),
    of any version the format reads.

    Feedback text without a sentiment in the file is scored on the way in (English only;
    other languages are marked and left unscored); a sentiment the file gives (v2) is kept
    with its source. Nothing is written unless the whole map is.
    """
    map_fields, content = journey_file.document_content(document)
    if name and name.strip():
        map_fields["name"] = name.strip()
    check_map_fields(map_fields)
    with ctx.session() as s:
        return insert_journey(s, map_fields, content)


def import_file(
    ctx: Context, data: bytes, name: str | None = None, *, max_bytes: int | None = None
) -> MapRecord:
    """Parse, check and import a cxmap-journey file's bytes as a new map."""
    kwargs = {"max_bytes": max_bytes} if max_bytes else {}
    return import_document(ctx, journey_file.parse_document(data, **kwargs), name)


def export_document(ctx: Context, map_id: int) -> dict[str, Any]:
    """The map as a cxmap-journey v2 document: everything it holds (read in one transaction)."""
    with ctx.session() as s:
        aggregate = map_queries.load_aggregate(s, map_id)
        return journey_writing.export_document(aggregate, map_queries.feedback_files(s, map_id))


def export_json(ctx: Context, map_id: int) -> str:
    """The map as canonical cxmap-journey v2 text (what *Download JSON* gives)."""
    return journey_writing.dumps(export_document(ctx, map_id))


def export_map(ctx: Context, map_id: int, suffix: str) -> bytes:
    """The map in the format its file suffix names (see EXPORT_FORMATS).

    PDF, PNG (``.png``: the long strip of the canvas; ``.slide.png``: one 16:9 slide of the
    summary) and PowerPoint (``.pptx``) need Chromium to render their images; without it they raise
    ``report.ExportUnavailable`` (a CxmapError) saying how to install it.
    """
    if suffix == ".json":
        return export_json(ctx, map_id).encode("utf-8")
    if suffix not in EXPORT_FORMATS:
        raise InvalidInput("format", f"{suffix!r} is not one of {', '.join(EXPORT_FORMATS)}")
    aggregate = load_map(ctx, map_id)
    if suffix == ".mmd":
        return mermaid.to_mermaid(aggregate).encode("utf-8")
    settings = scoring.ScoringSettings.from_dict(aggregate.map.settings)
    analysis = scoring.analyze(aggregate, settings)
    if suffix == ".xlsx":
        return excel.to_xlsx(aggregate, analysis)
    from cxmap.render import report  # HTML, PDF, PNG, PPTX (here: kaleido and fpdf are heavy)

    return report.EXPORTERS[suffix](report.executive_summary(aggregate, analysis, zone=ctx.zone))


def demo_templates() -> dict[str, Path]:
    """The demo maps shipped in data/demo/, by map name."""
    templates = {}
    for path in sorted(DEMO_DIR.glob("*.json")):
        document = journey_file.parse_document(path.read_bytes())
        templates[document["map"]["name"]] = path
    return templates


def seed_demo_maps(ctx: Context, reset: bool = False) -> list[MapRecord]:
    """Load the demo maps into an empty database (``reset`` deletes every map first).

    Returns the maps created; an empty list when the database already had maps (that the
    actor can see). A share link may not: it creates nothing.
    """
    refused = may_create_maps(ctx.actor)
    if refused is not None:
        raise Forbidden(refused)
    if reset:
        for summary in list_maps(ctx):
            delete_map(ctx, summary.map.id)
    elif list_maps(ctx):
        return []
    return [import_file(ctx, path.read_bytes()) for path in demo_templates().values()]
