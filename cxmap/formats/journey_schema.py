"""The JSON Schemas of the ``cxmap-journey`` file, built from the entity registry.

Each entity declares its file fields with their types and ranges once
(:attr:`cxmap.core.entities.Entity.file_schema`, and ``file_schema_added`` for the fields a
later version adds); this module puts them together with the document's own fields into the
schema of each version, and writes them to ``cxmap/formats/schema/cxmap-journey-v1.schema.json``
and ``…-v2.schema.json``, the published contract for outside tools (v1's is kept: it checks
v1 files, which still import). ``tests/test_interchange.py`` fails when a committed file is
not what the registry builds, so a change of the contract is always a visible change of a
file. After changing an entity's file fields::

    .venv/bin/python -m cxmap.formats.journey_schema     # rewrites the schema files

Examples
--------
>>> built = build_schema()
>>> built["properties"]["stages"]["items"]["required"]
['key', 'name', 'order']
>>> built["properties"]["touchpoints"]["items"]["properties"]["emotion"]
{'$ref': '#/$defs/emotionScore'}
>>> "settings" in build_schema(1)["properties"]["map"]["properties"], build_schema()["title"]
(False, 'cxmap-journey v2')
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cxmap.core.entities import ENTITIES, FIELD_TYPES, LONG_TEXT, NAME

VERSIONS = (1, 2)
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_PATHS = {v: SCHEMA_DIR / f"cxmap-journey-v{v}.schema.json" for v in VERSIONS}
SCHEMA_PATH = SCHEMA_PATHS[1]  # v1's file, kept as it was

_DESCRIPTION = (
    "A customer journey map: personas, stages, touchpoints, emotions, pain points, "
    "opportunities, transitions and customer feedback. Keys are strings unique within their "
    "list; references use keys. Checks a schema cannot express (unique keys, dangling "
    "references, real calendar dates) are made by cxmap.formats.journey_file."
)
_MAP_PROPERTIES: dict[str, Any] = {
    "name": NAME,
    "description": LONG_TEXT,
    "state": {"enum": ["current", "future"]},
    "language": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"},
}
_SHARE = {"type": "number", "minimum": 0, "maximum": 1}
# The map's settings (v2): the sections the services store (cxmap.services.settings). A new
# section is declared here, or its maps would export files that do not import.
SETTINGS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "The map's scoring weights and thresholds, the assumptions of the "
    "customers-at-risk estimate and the CRM-or-CX self-assessment; left out: the defaults.",
    "properties": {
        "weights": {
            "type": "object",
            "additionalProperties": {"type": "number", "minimum": 0},
        },
        "likely_transition": _SHARE,
        "bottleneck_reach": _SHARE,
        "intensity_top_share": _SHARE,
        "risk": {
            "type": "object",
            "additionalProperties": {"type": ["number", "string", "boolean"]},
        },
        "assessment": {
            "type": "object",
            "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5},
        },
        "touchpoint_values": {
            "type": "object",
            "description": "Values of a feedback file's touchpoint column linked by hand to a "
            "touchpoint (value in lower case: touchpoint key), remembered for the next import.",
            "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 64},
        },
    },
}
# The feedback files imported into the map (v2), so the same file is recognised again.
FEEDBACK_FILES: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["file_hash"],
        "properties": {
            "file_hash": {"type": "string", "minLength": 1, "maxLength": 64},
            "file_name": {"type": "string", "maxLength": 300},
            "rows_added": {"type": "integer", "minimum": 0},
            "imported_at": {
                "type": ["string", "null"],
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})?$",
                "description": "When (written in UTC: YYYY-MM-DDTHH:MM:SS[.ffffff]Z).",
            },
        },
    },
}


def build_schema(version: int = VERSIONS[-1]) -> dict[str, Any]:
    """The schema of journey file ``version``: the document's fields, one list per entity, the
    shared field types."""
    lists: dict[str, Any] = {}
    for entity in ENTITIES.values():
        if entity.file_since > version:
            continue
        item: dict[str, Any] = {"type": "object", "additionalProperties": False}
        if entity.file_required:
            item["required"] = list(entity.file_required)
        item["properties"] = {
            name: dict(rule) for name, rule in entity.file_schema_in(version).items()
        }
        lists[entity.list_name] = {"type": "array", "items": item}
    map_properties = dict(_MAP_PROPERTIES)
    if version >= 2:
        map_properties["settings"] = SETTINGS
        lists["feedback_files"] = FEEDBACK_FILES
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"cxmap-journey-v{version}.schema.json",
        "title": f"cxmap-journey v{version}",
        "description": _DESCRIPTION,
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "map"],
        "properties": {
            "format": {"const": "cxmap-journey"},
            "version": {"const": version},
            "map": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": map_properties,
            },
            **lists,
        },
        "$defs": FIELD_TYPES,
    }


def schema_text(version: int = VERSIONS[-1]) -> str:
    """A schema file's text: two-space indent, UTF-8, a final newline."""
    return json.dumps(build_schema(version), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Rewrite the committed schema files from the registry."""
    for version, path in SCHEMA_PATHS.items():
        path.write_text(schema_text(version), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
