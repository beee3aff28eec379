"""The JSON Schema of the ``cxmap-journey`` file, built from the entity registry.

Each entity declares its file fields with their types and ranges once
(:attr:`cxmap.core.entities.Entity.file_schema`); this module puts them together with the
document's own fields into the schema that checks every imported file, and writes it to
``cxmap/formats/schema/cxmap-journey-v1.schema.json``, the published contract for outside
tools. ``tests/test_interchange.py`` fails when the committed file is not what the registry
builds, so a change of the contract is always a visible change of that file. After changing
an entity's file fields::

    .venv/bin/python -m cxmap.formats.journey_schema     # rewrites the schema file

Examples
--------
>>> built = build_schema()
>>> built["properties"]["stages"]["items"]["required"]
['key', 'name', 'order']
>>> built["properties"]["touchpoints"]["items"]["properties"]["emotion"]
{'$ref': '#/$defs/emotionScore'}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cxmap.core.entities import ENTITIES, FIELD_TYPES, LONG_TEXT, NAME

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "cxmap-journey-v1.schema.json"

_DESCRIPTION = (
    "A customer journey map: personas, stages, touchpoints, emotions, pain points, "
    "opportunities, transitions and customer feedback. Keys are strings unique within their "
    "list; references use keys. Checks a schema cannot express (unique keys, dangling "
    "references, real calendar dates) are made by cxmap.formats.journey_file."
)
_MAP = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": NAME,
        "description": LONG_TEXT,
        "state": {"enum": ["current", "future"]},
        "language": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"},
    },
}


def build_schema() -> dict[str, Any]:
    """The whole schema: the document's fields, one list per entity, the shared field types."""
    lists: dict[str, Any] = {}
    for entity in ENTITIES.values():
        item: dict[str, Any] = {"type": "object", "additionalProperties": False}
        if entity.file_required:
            item["required"] = list(entity.file_required)
        item["properties"] = {name: dict(rule) for name, rule in entity.file_schema.items()}
        lists[entity.list_name] = {"type": "array", "items": item}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "cxmap-journey-v1.schema.json",
        "title": "cxmap-journey v1",
        "description": _DESCRIPTION,
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "map"],
        "properties": {
            "format": {"const": "cxmap-journey"},
            "version": {"const": 1},
            "map": _MAP,
            **lists,
        },
        "$defs": FIELD_TYPES,
    }


def schema_text() -> str:
    """The schema file's text: two-space indent, UTF-8, a final newline."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Rewrite the committed schema file from the registry."""
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")


if __name__ == "__main__":
    main()
