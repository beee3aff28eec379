"""Export → import → export loses nothing, for every field of every entity (SQLite and
PostgreSQL).

The map is generated from the registry and the schema: every file field of every entity gets a
value that is not its default, chosen from the field's JSON Schema (type, range, enum,
pattern), so a field added to the registry is covered without touching this test; and a
column added to a table or record but not to the journey file fails here, because it would be
lost by every export and every duplicate.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from cxmap import services
from cxmap.core.context import Context
from cxmap.core.entities import ENTITIES, FIELD_TYPES, Entity
from cxmap.core.records import JourneyAggregate, Record
from cxmap.formats import journey_contract, journey_file, journey_writing
from cxmap.formats.journey_schema import FEEDBACK_FILES, SETTINGS
from cxmap.store.models import table_of

ROWS = 2  # rows per entity: enough for references to point at a row other than the first
PATTERN_VALUES = {  # values for the patterns of the schema, in the form export writes
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "2025-06-15",
    "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$": "fa",
}


def _resolved(rule: Any) -> dict[str, Any]:
    if "$ref" in rule:
        return dict(FIELD_TYPES[rule["$ref"].rsplit("/", 1)[1]])
    return dict(rule)


def value_for(rule: Any, label: str, default: Any = None) -> Any:
    """A valid value of a JSON Schema that is not ``default`` (not null where null is allowed;
    not the minimum; the last choice of an enum that is not the default)."""
    rule = _resolved(rule)
    if "enum" in rule:
        return [choice for choice in rule["enum"] if choice != default][-1]
    kinds = rule.get("type", "object")
    kind = next(k for k in kinds if k != "null") if isinstance(kinds, list) else kinds
    if kind == "boolean":
        return not default
    if kind in ("integer", "number"):
        low, high = rule.get("minimum", 0), rule.get("maximum")
        span = 6 if high is None else high - low
        value = low + span / 4  # sentiment −1…1 gives −0.5, a share 0.25, emotion −1, effort 2
        return int(value) if kind == "integer" else float(value)
    if kind == "string":
        pattern = rule.get("pattern")
        if pattern and pattern != r"\S":
            if "T" in pattern:  # an import time
                return "2026-01-31T10:15:00.250000Z"
            return PATTERN_VALUES[pattern]
        return f"{label} ✓ «ü»"[: rule.get("maxLength", 200)]
    if kind == "array":
        return [value_for(rule["items"], f"{label}[0]")]
    properties = rule.get("properties")
    if properties:
        return {name: value_for(sub, f"{label}.{name}") for name, sub in properties.items()}
    return {"x1": value_for(rule["additionalProperties"], f"{label}.x1")}


def _key(entity: Entity, row: int) -> str:
    return f"{entity.key_prefix}-x{row}"


def every_field_document() -> dict[str, Any]:
    """A v2 document in canonical form with every field of every entity set and not at its
    default, ROWS rows of each entity."""
    meta_rules = journey_contract.schema()["properties"]["map"]["properties"]
    document: dict[str, Any] = {
        "format": "cxmap-journey",
        "version": journey_contract.VERSION,
        "map": {
            name: value_for(rule, f"map {name}", "current")
            for name, rule in meta_rules.items()
            if name != "settings"
        },
    }
    document["map"]["settings"] = value_for(SETTINGS, "settings")
    for entity in ENTITIES.values():
        items = []
        for row in range(ROWS):
            item: dict[str, Any] = {}
            seen: dict[str, int] = {}  # the n-th reference to an entity points one row further
            for field, rule in entity.file_schema_in(journey_contract.VERSION).items():
                if field == "key":
                    item[field] = _key(entity, row)
                elif field == "evidence":
                    item[field] = {
                        "pain_points": [_key(ENTITIES["pain_point"], row)],
                        "opportunities": [_key(ENTITIES["opportunity"], (row + 1) % ROWS)],
                    }
                elif entity.record_name(field) in entity.references:
                    target = entity.references[entity.record_name(field)].entity
                    shift = seen[target] = seen.get(target, -1) + 1
                    item[field] = _key(ENTITIES[target], (row + shift) % ROWS)
                elif field == "order":
                    item[field] = 10 + row
                elif field == "fingerprint":
                    item[field] = f"{row:064x}"
                else:
                    name = entity.record_name(field)
                    unset = entity.written_when_not.get(field, entity.default(name))
                    item[field] = value_for(rule, f"{entity.name} {field} {row}", unset)
            items.append(item)
        document[entity.list_name] = items
    document["feedback_files"] = [
        {
            **value_for(FEEDBACK_FILES["items"], f"file {row}"),
            "file_hash": f"{row + 10:064x}",
        }
        for row in range(ROWS)
    ]
    return document


def rows_by_key(aggregate: JourneyAggregate) -> dict[str, list[dict[str, Any]]]:
    """Every stored row field by field, ids replaced by the keys they point at (two maps with
    the same content compare equal)."""
    keys = {
        e.name: {r.id: r.key for r in e.rows(aggregate)} for e in ENTITIES.values() if e.has_keys
    }
    rows: dict[str, list[dict[str, Any]]] = {}
    for entity in ENTITIES.values():
        found = []
        record: Record
        for record in entity.rows(aggregate):
            values = record.as_dict()
            values.pop("id")
            for column, reference in entity.references.items():
                if values[column] is not None:
                    values[column] = keys[reference.entity][values[column]]
            found.append(values)
        rows[entity.name] = found
    feedback_number = {f.id: n for n, f in enumerate(aggregate.feedback)}
    rows["evidence"] = sorted(
        (
            feedback_number[e.feedback_id],
            "" if e.pain_point_id is None else keys["pain_point"][e.pain_point_id],
            "" if e.opportunity_id is None else keys["opportunity"][e.opportunity_id],
        )
        for e in aggregate.evidence
    )
    return rows


@pytest.mark.parametrize("name", list(ENTITIES))
def test_every_stored_field_is_in_the_journey_file(name: str) -> None:
    """A column the file does not carry would be lost by every export and duplicate."""
    entity = ENTITIES[name]
    in_file = {
        entity.record_name(f)
        for f in entity.file_fields_in(journey_contract.VERSION)
        if f not in entity.file_links
    }
    # Rows in order are numbered by their place in the file's list (stages: by "order").
    derived = {"position"} - in_file if entity.ordered_within is not None else set()
    assert set(entity.editable) - derived == in_file
    assert set(table_of(name).columns.keys()) - {"map_id"} == set(entity.field_names)


def test_the_generated_document_sets_every_field_to_something_else_than_its_default() -> None:
    document = every_field_document()
    journey_file.check_document(document)
    for entity in ENTITIES.values():
        for item in document[entity.list_name]:
            assert list(item) == list(entity.file_fields_in(journey_contract.VERSION))
            for field, value in item.items():
                if field in entity.file_links:
                    assert value, field
                    continue
                unset = entity.written_when_not.get(
                    field, entity.default(entity.record_name(field))
                )
                assert value not in (None, "", unset), (entity.name, field)
    feedback = document["feedback"][0]
    assert (feedback["sentiment"], feedback["sentiment_source"]) == (-0.5, "manual")


def test_every_field_of_every_entity_survives_export_import_export(ctx: Context) -> None:
    document = every_field_document()
    first = services.import_document(ctx, journey_file.parse_document(json.dumps(document)))
    exported = services.export_document(ctx, first.id)
    assert exported == document

    second = services.import_file(ctx, journey_writing.dumps(exported).encode(), name="Second")
    again = services.export_document(ctx, second.id)
    assert again["map"].pop("name") == "Second"
    assert again == {**exported, "map": {k: v for k, v in exported["map"].items() if k != "name"}}

    stored_first, stored_second = (
        services.load_map(ctx, first.id),
        services.load_map(ctx, second.id),
    )
    assert rows_by_key(stored_first) == rows_by_key(stored_second)
    assert stored_first.map.settings == stored_second.map.settings == document["map"]["settings"]
    manual = stored_second.feedback[0]
    assert (manual.sentiment, manual.sentiment_source, manual.fingerprint) == (
        -0.5,
        "manual",
        f"{0:064x}",
    )
    assert len(stored_second.evidence) == 2 * ROWS

    copy = services.duplicate_map(ctx, second.id, "Third")
    assert rows_by_key(services.load_map(ctx, copy.id)) == rows_by_key(stored_second)
