"""The app's edits on the command line: ``row add|set|delete``, ``rows`` and ``duplicate``.

Fields and values are the journey file's (``stage=s2``, ``order``), checked by the same
services as the grids, so a script can do whatever a person does on the Journey Builder.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from typing import Any

from cxmap import services
from cxmap.cli.usage import UsageError
from cxmap.core.context import Context
from cxmap.core.entities import ENTITIES, Entity
from cxmap.core.errors import InvalidInput
from cxmap.core.records import JourneyAggregate
from cxmap.formats import journey_contract
from cxmap.formats.journey_writing import export_document

# What `row` and `rows` take as ENTITY: every kind of row of a map.
ENTITY_NAMES = tuple(ENTITIES)


def add_row_commands(commands: Any) -> None:
    """``row add|set|delete``, ``rows`` and ``duplicate``: the app's edits, for scripts."""
    row = commands.add_parser("row", help="add, change or delete one row of a map")
    row_commands = row.add_subparsers(dest="row_command", required=True, metavar="COMMAND")
    add = row_commands.add_parser("add", help="add a row; prints its key (its id if keyless)")
    add.add_argument("map", help="map id or exact name")
    add.add_argument("entity", choices=ENTITY_NAMES)
    add.add_argument(
        "--set", dest="assignments", nargs="+", action="extend", default=[],
        metavar="FIELD=VALUE", help="a field of the journey file (references by key: stage=s2)",
    )  # fmt: skip
    change = row_commands.add_parser("set", help="change fields of a row")
    change.add_argument("map", help="map id or exact name")
    change.add_argument("entity", choices=ENTITY_NAMES)
    change.add_argument("key", help="the row's key (its id for emotion, transition, feedback)")
    change.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    change.add_argument(
        "--version", type=int, help="the version read (`rows`): refused if it changed since"
    )
    remove = row_commands.add_parser("delete", help="delete a row (and what goes with it)")
    remove.add_argument("map", help="map id or exact name")
    remove.add_argument("entity", choices=ENTITY_NAMES)
    remove.add_argument("key", help="the row's key (its id for emotion, transition, feedback)")

    rows = commands.add_parser("rows", help="list the rows of one kind in a map")
    rows.add_argument("map", help="map id or exact name")
    rows.add_argument("entity", choices=ENTITY_NAMES)
    rows.add_argument("--json", action="store_true", help="print them as JSON")

    duplicate = commands.add_parser("duplicate", help="copy a map with everything in it")
    duplicate.add_argument("map", help="map id or exact name")
    duplicate.add_argument("--name", help="name of the copy (default: NAME (copy))")


def _assignments(texts: Sequence[str]) -> dict[str, str]:
    """``["emotion=-1", "name=Sees ad"]`` as ``{field: text}``; a malformed one is wrong usage."""
    found: dict[str, str] = {}
    for text in texts:
        field, equals, value = text.partition("=")
        if not equals or not field.strip():
            raise UsageError(f"{text!r} is not FIELD=VALUE")
        if field.strip() in found:
            raise UsageError(f"{field.strip()} is given twice")
        found[field.strip()] = value
    return found


def _keys(aggregate: JourneyAggregate) -> dict[str, dict[str, int]]:
    """Per entity with keys, the id of each key in the map."""
    return {
        e.name: {r.key: r.id for r in e.rows(aggregate)} for e in ENTITIES.values() if e.has_keys
    }


def _row_values(
    entity: Entity, texts: Mapping[str, str], keys: Mapping[str, Mapping[str, int]]
) -> dict[str, Any]:
    """Typed record values from ``field=text`` pairs in the journey file's terms: field names
    as in the file (``stage``, ``order``), values parsed by the field's type, references from
    keys to ids."""
    values: dict[str, Any] = {}
    for field, text in texts.items():
        value = journey_contract.field_from_text(entity.name, field, text)
        name = entity.record_name(field)
        if name in entity.references and value is not None:
            target = entity.references[name].entity
            if value not in keys[target]:
                noun = target.replace("_", " ")
                raise InvalidInput(field, f"no {noun} {value!r} in this map")
            value = keys[target][value]
        values[name] = value
    return values


def _find_row(entity: Entity, aggregate: JourneyAggregate, key: str) -> Any:
    """The row a command names: by key, or by id for rows without keys."""
    for record in entity.rows(aggregate):
        if (record.key if entity.has_keys else str(record.id)) == key.removeprefix("#"):
            return record
    noun = entity.name.replace("_", " ")
    raise InvalidInput(entity.name, f"no {noun} {key!r} in this map")


def _in_file_terms(entity: Entity, error: InvalidInput) -> InvalidInput:
    """A service's error about a record field (``stage_id``) named as in the file (``stage``)."""
    if error.where in entity.field_names:
        return InvalidInput(entity.file_name(error.where), error.problem)
    return error


def _name_of(entity: Entity, record: Any) -> str:
    return str(record.key) if entity.has_keys else str(record.id)


def _row_command(ctx: Context, args: argparse.Namespace) -> int:
    """``row add``, ``row set``, ``row delete``: one edit, one transaction, as in the app."""
    entity = ENTITIES[args.entity]
    map_id = services.resolve_map(ctx, args.map)
    aggregate = services.load_map(ctx, map_id)
    noun = entity.name.replace("_", " ")
    try:
        if args.row_command == "add":
            values = _row_values(entity, _assignments(args.assignments), _keys(aggregate))
            created = services.create_row(ctx, map_id, entity.name, values)
            print(_name_of(entity, created))
        elif args.row_command == "set":
            record = _find_row(entity, aggregate, args.key)
            values = _row_values(entity, _assignments(args.assignments), _keys(aggregate))
            version = record.version if args.version is None else args.version
            updated = services.update_row(ctx, map_id, entity.name, record.id, version, values)
            now_at = updated.as_dict()["version"]
            print(f"{noun} {_name_of(entity, updated)} is now at version {now_at}")
        else:
            record = _find_row(entity, aggregate, args.key)
            services.delete_row(ctx, map_id, entity.name, record.id)
            print(f"deleted {noun} {_name_of(entity, record)}")
    except InvalidInput as error:
        raise _in_file_terms(entity, error) from None
    return 0


def _rows_command(ctx: Context, args: argparse.Namespace) -> int:
    """``rows MAP ENTITY [--json]``: the rows as the journey file writes them, with the id and
    version a later ``row set --version`` needs."""
    entity = ENTITIES[args.entity]
    aggregate = services.load_map(ctx, services.resolve_map(ctx, args.map))
    items = export_document(aggregate)[entity.list_name]
    rows = [
        {"id": record.id, "version": record.version, **item}
        for record, item in zip(entity.rows(aggregate), items, strict=True)
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    fields = ["id", "version", *entity.file_fields_in(journey_contract.VERSION)]
    print("\t".join(fields))
    for row in rows:
        print("\t".join(_cell(row.get(field)) for field in fields))
    return 0


def _cell(value: Any) -> str:
    """A value in a tab-separated line (null empty, tabs and line breaks escaped)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\t", "\\t").replace("\n", "\\n")


def _duplicate_command(ctx: Context, args: argparse.Namespace) -> int:
    """``duplicate MAP --name NEW``: a lossless copy, as the Maps page's Duplicate makes."""
    map_id = services.resolve_map(ctx, args.map)
    copy = services.duplicate_map(ctx, map_id, args.name)
    print(f"duplicated map {map_id} as map {copy.id}: {copy.name}")
    return 0


ROW_COMMANDS = {"row": _row_command, "rows": _rows_command, "duplicate": _duplicate_command}
