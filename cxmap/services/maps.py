"""Use cases of whole maps: list, find, open, create, rename, duplicate, delete, analyse.

Each function opens one transaction through the request context and returns plain records.

Examples
--------
>>> import tempfile
>>> from cxmap.services import open_context
>>> ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/journeys.db")
>>> journey = create_map(ctx, "Broadband onboarding", with_standard_stages=True)
>>> [s.name for s in load_map(ctx, journey.id).stages][:3]
['Awareness', 'Consideration', 'Purchase']
>>> duplicate_map(ctx, journey.id).name
'Broadband onboarding (copy)'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from cxmap.analysis import scoring
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.core.naming import free_copy_name
from cxmap.core.records import MAP_STATES, JourneyAggregate, MapRecord
from cxmap.formats import journey_contract, journey_file, journey_writing, text_rules
from cxmap.store import map_queries

# The journey stages most maps start from (DOMAIN.md, seed 000); users rename and reorder them.
STANDARD_STAGES = ("Awareness", "Consideration", "Purchase", "Onboarding", "Support", "Loyalty")
# The map's own fields a person may change (its settings have use cases of their own).
MAP_FIELDS = ("name", "description", "state", "language")


@dataclass(frozen=True)
class MapSummary:
    """A map with its size, for the list of maps."""

    map: MapRecord
    counts: dict[str, int]


def list_maps(ctx: Context) -> list[MapSummary]:
    """Every map with its size (rows per kind), for the list of maps."""
    with ctx.session() as s:
        return [MapSummary(m, counts) for m, counts in map_queries.list_maps(s)]


def get_map(ctx: Context, map_id: int) -> MapRecord:
    """The map ``map_id`` (NotFound when it does not exist)."""
    with ctx.session() as s:
        return map_queries.get_map(s, map_id)


def map_revision(ctx: Context, map_id: int) -> int | None:
    """The map's revision (None when it no longer exists): the key of every cache."""
    with ctx.session() as s:
        return map_queries.map_revision(s, map_id)


def resolve_map(ctx: Context, reference: str) -> int:
    """The id of the map given by its id or its exact name (as the command line takes it)."""
    with ctx.session() as s:
        by_name = map_queries.find_map_id_by_name(s, reference)
        if by_name is not None:
            map_queries.map_revision(s, by_name)  # Forbidden without a role on it
            return by_name
        if reference.isdigit() and map_queries.map_revision(s, int(reference)) is not None:
            return int(reference)
    raise InvalidInput("map", f"no map has the id or name {reference!r}")


def load_map(ctx: Context, map_id: int) -> JourneyAggregate:
    """The whole map as plain records (a bounded number of queries, whatever its size)."""
    with ctx.session() as s:
        return map_queries.load_aggregate(s, map_id)


def analyze_map(
    ctx: Context, map_id: int, persona_id: int | None = None
) -> scoring.JourneyAnalysis:
    """The friction analysis of a stored map with its own settings."""
    aggregate = load_map(ctx, map_id)
    settings = scoring.ScoringSettings.from_dict(aggregate.map.settings)
    return scoring.analyze(aggregate, settings, persona_id)


def create_map(
    ctx: Context,
    name: str,
    description: str = "",
    state: str = "current",
    language: str = "en",
    *,
    with_standard_stages: bool = False,
) -> MapRecord:
    """Create a map, empty or with the six standard stages of a customer journey."""
    values = {"name": name.strip(), "description": description, "state": state,
              "language": language}  # fmt: skip
    check_map_fields(values)
    with ctx.session() as s:
        check_name_free(s, values["name"])
        map_id = map_queries.insert_map(s, values)
        if with_standard_stages:
            stages = [
                {"key": f"s{n}", "name": stage, "position": n, "version": 1}
                for n, stage in enumerate(STANDARD_STAGES, start=1)
            ]
            map_queries.insert_content(s, map_id, {"stage": stages})
        return map_queries.get_map(s, map_id)


def update_map(ctx: Context, map_id: int, read_version: int, **changes: Any) -> MapRecord:
    """Rename or re-describe a map, if nobody changed it since ``read_version``."""
    unknown = set(changes) - set(MAP_FIELDS)
    if unknown:
        raise InvalidInput("map", f"cannot change {', '.join(sorted(unknown))}")
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    check_map_fields(changes)
    with ctx.session() as s:
        if "name" in changes:
            check_name_free(s, changes["name"], except_id=map_id)
        return map_queries.update_map(s, map_id, read_version, changes)


def duplicate_map(ctx: Context, map_id: int, new_name: str | None = None) -> MapRecord:
    """Copy a map with everything in it under a new name: a lossless copy.

    One transaction exports the map as a journey file document and imports that document,
    so a copy holds exactly what a downloaded JSON file holds (feedback with its sentiment,
    fingerprints and evidence, the settings, the feedback files imported): importing the same
    feedback file into the copy adds nothing, as in the original.
    """
    with ctx.session() as s:
        source = map_queries.load_aggregate(s, map_id)
        document = journey_writing.export_document(source, map_queries.feedback_files(s, map_id))
        map_fields, content = journey_file.document_content(document)
        map_fields["name"] = (new_name or "").strip() or free_copy_name(
            source.map.name,
            lambda candidate: map_queries.find_map_id_by_name(s, candidate) is not None,
        )
        return insert_journey(s, map_fields, content)


def insert_journey(
    s: Session, map_fields: Mapping[str, Any], content: Mapping[str, Any]
) -> MapRecord:
    """Write a new map from journey file content (``journey_file.document_content``) inside an
    open transaction: how both import and duplicate create maps."""
    check_map_fields(map_fields)
    check_name_free(s, map_fields["name"])
    map_id = map_queries.insert_map(s, map_fields)
    map_queries.insert_content(s, map_id, content)
    return map_queries.get_map(s, map_id)


def delete_map(ctx: Context, map_id: int) -> MapRecord:
    """Delete a map and everything in it; returns what it was."""
    with ctx.session() as s:
        deleted = map_queries.get_map(s, map_id)
        map_queries.delete_map(s, map_id)
        return deleted


# ---------------------------------------------------------------- checks


def check_map_fields(values: Mapping[str, Any]) -> None:
    """A map's own fields as the journey file's rules allow them; InvalidInput naming the
    field otherwise."""
    for name, value in values.items():
        text_rules.check_text(value, name)
    if "name" in values and not str(values["name"]).strip():
        raise InvalidInput("name", "a map needs a name")
    if "state" in values and values["state"] not in MAP_STATES:
        raise InvalidInput("state", f"{values['state']!r} is not one of {', '.join(MAP_STATES)}")
    journey_contract.check_fields("map", values)


def check_name_free(s: Session, name: str, except_id: int | None = None) -> None:
    """Map names are unique (the command line finds maps by name)."""
    existing = map_queries.find_map_id_by_name(s, name)
    if existing is not None and existing != except_id:
        raise InvalidInput("name", f"a map named {name!r} already exists")
