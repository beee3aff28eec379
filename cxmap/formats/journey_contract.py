"""The ``cxmap-journey`` contract: its versions, its JSON Schema, the canonical field order, and
every check of a document or an edit beyond what a parser does.

The schema (:mod:`cxmap.formats.journey_schema`, built from the entity registry and published as
``cxmap/formats/schema/cxmap-journey-v2.schema.json``, and v1's) is the contract; a schema error
is explained in one sentence naming its JSON path (:func:`explain`); what a schema cannot say
(keys unique per list, references to existing keys, real dates) is
:func:`check_keys_and_references`; :func:`check_fields` applies the same ranges to edits made in
the app, and :func:`field_from_text` types a value given as text (the command line). Reading a
file is :mod:`cxmap.formats.journey_file`, writing one :mod:`cxmap.formats.journey_writing`.

Examples
--------
>>> check_fields("stage", {"order": 2})
>>> json_path(["feedback", 0, "created_at"])
'$.feedback[0].created_at'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from cxmap.core.entities import ENTITIES
from cxmap.core.errors import InvalidInput
from cxmap.formats.journey_schema import build_schema

FORMAT = "cxmap-journey"
VERSION = 2  # what export writes
VERSIONS = (1, 2)  # what import reads
# How a refused time says what was expected.
REAL_TIME = "time (YYYY-MM-DDTHH:MM:SS)"
# The lists of a feedback row's ``evidence``, in the file's order.
EVIDENCE_LISTS = ("pain_points", "opportunities")


@cache
def schema(version: int = VERSION) -> dict[str, Any]:
    """The JSON Schema of cxmap-journey ``version``, built from the entity registry (the same
    as the published file ``cxmap/formats/schema/cxmap-journey-v{version}.schema.json``)."""
    return build_schema(version)


@cache
def validator(version: int) -> Draft202012Validator:
    return Draft202012Validator(schema(version))


def field_order(list_name: str, version: int = VERSION) -> list[str]:
    """The canonical field order of a list's items, as the schema of ``version`` lists them."""
    return list(schema(version)["properties"][list_name]["items"]["properties"])


def check_keys_and_references(document: Mapping[str, Any]) -> None:
    keys: dict[str, dict[str, int]] = {}
    for list_name in (e.list_name for e in ENTITIES.values()):
        seen: dict[str, int] = {}
        for index, item in enumerate(document.get(list_name, [])):
            key = item.get("key")
            if key is None:
                continue
            if key in seen:
                raise InvalidInput(
                    f"$.{list_name}[{index}].key",
                    f"duplicate key {key!r} (already used at $.{list_name}[{seen[key]}])",
                )
            seen[key] = index
        keys[list_name] = seen
    for entity in ENTITIES.values():
        list_name, pair_field = entity.list_name, entity.unique_together
        references = {
            entity.file_name(column): ENTITIES[reference.entity].list_name
            for column, reference in entity.references.items()
        }
        pairs: dict[tuple[Any, ...], int] = {}
        for index, item in enumerate(document.get(list_name, [])):
            for field, target in references.items():
                value = item.get(field)
                if value is not None and value not in keys[target]:
                    raise InvalidInput(
                        f"$.{list_name}[{index}].{field}",
                        f"{value!r} matches no key in {target}",
                    )
            if pair_field:
                pair = tuple(item[f] for f in pair_field)
                if pair in pairs:
                    raise InvalidInput(
                        f"$.{list_name}[{index}]",
                        f"duplicate {' → '.join(map(repr, pair))} "
                        f"(already given at $.{list_name}[{pairs[pair]}])",
                    )
                pairs[pair] = index
    for index, item in enumerate(document.get("feedback", [])):
        where = f"$.feedback[{index}]"
        _refuse_unreal(item, where, "created_at", dt.date.fromisoformat, "date (YYYY-MM-DD)")
        _refuse_unreal(item, where, "received_at", dt.datetime.fromisoformat, REAL_TIME)
        scale = item.get("ces_scale", 7)
        if item.get("ces") is not None and item["ces"] > scale:
            raise InvalidInput(
                f"$.feedback[{index}].ces", f"{item['ces']} is above the 1–{scale} CES scale"
            )
        for list_name, key_list in item.get("evidence", {}).items():
            for position, key in enumerate(key_list):
                if key not in keys[list_name]:
                    raise InvalidInput(
                        f"$.feedback[{index}].evidence.{list_name}[{position}]",
                        f"{key!r} matches no key in {list_name}",
                    )
    _refuse_repeats(document, "feedback", "fingerprint")
    _refuse_repeats(document, "feedback_files", "file_hash")
    for index, item in enumerate(document.get("feedback_files", [])):
        where = f"$.feedback_files[{index}]"
        _refuse_unreal(item, where, "imported_at", dt.datetime.fromisoformat, REAL_TIME)


def _refuse_unreal(
    item: Mapping[str, Any], where: str, field: str, parse: Callable[[str], object], expected: str
) -> None:
    """A date or time the schema lets through but the calendar does not (``2026-02-30``):
    refused naming its JSON path (``where`` is the item's) and the ``expected`` form."""
    if item.get(field):
        try:
            parse(item[field])
        except ValueError:
            raise InvalidInput(
                f"{where}.{field}", f"{item[field]!r} is not a real {expected}"
            ) from None


def _refuse_repeats(document: Mapping[str, Any], list_name: str, field: str) -> None:
    """A value that must be unique within its list (a fingerprint, a file hash)."""
    seen: dict[Any, int] = {}
    for index, item in enumerate(document.get(list_name, [])):
        value = item.get(field)
        if value is None:
            continue
        if value in seen:
            raise InvalidInput(
                f"$.{list_name}[{index}].{field}",
                f"{_short(value)} repeats $.{list_name}[{seen[value]}].{field}",
            )
        seen[value] = index


def json_path(parts: Iterable[Any]) -> str:
    """``$.touchpoints[3].emotion`` from ``["touchpoints", 3, "emotion"]``.

    >>> json_path(["touchpoints", 3, "emotion"])
    '$.touchpoints[3].emotion'
    """
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(part)):
            path += f".{part}"
        else:
            path += f"[{json.dumps(part, ensure_ascii=False)}]"
    return path


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def explain(error: SchemaError) -> InvalidInput:
    """Turn a jsonschema error into one sentence a person can act on."""
    where = list(error.absolute_path)
    value, rule = error.instance, error.validator
    schema_part = error.schema if isinstance(error.schema, dict) else {}
    if rule == "additionalProperties":
        allowed = list(schema_part.get("properties", {}))
        extra = sorted(set(value) - set(allowed))
        return InvalidInput(
            json_path([*where, extra[0]]), f"unknown field (allowed: {', '.join(allowed)})"
        )
    if rule == "required":
        missing = [name for name in schema_part.get("required", []) if name not in value]
        return InvalidInput(json_path([*where, missing[0]]), "this required field is missing")
    if rule == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return InvalidInput(json_path(where), f"expected {expected}, got {_short(value)}")
    if rule in ("minimum", "maximum"):
        low, high = schema_part.get("minimum"), schema_part.get("maximum")
        return InvalidInput(json_path(where), f"{_short(value)} is outside the range {low}…{high}")
    if rule == "enum":
        choices = ", ".join(_short(c) for c in error.validator_value)
        return InvalidInput(json_path(where), f"{_short(value)} is not one of {choices}")
    if rule == "pattern" and error.validator_value == r"\S":
        return InvalidInput(json_path(where), "must not be blank")
    if rule == "pattern":
        return InvalidInput(json_path(where), f"{_short(value)} is not in the expected form")
    if rule == "minLength":
        return InvalidInput(json_path(where), "must not be empty")
    if rule == "maxLength":
        return InvalidInput(
            json_path(where), f"too long ({len(value)} characters, at most {error.validator_value})"
        )
    return InvalidInput(json_path(where), error.message)


def check_fields(entity: str, values: Mapping[str, Any]) -> None:
    """Check field values of one row against the contract's ranges (for edits in the app).

    ``entity`` is ``"map"`` or an entity name; only fields the contract knows are checked
    and the message names the field: ``emotion: 7 is outside the range -2…2``.

    >>> check_fields("touchpoint", {"emotion": 7})
    Traceback (most recent call last):
    ...
    cxmap.core.errors.InvalidInput: emotion: 7 is outside the range -2…2
    """
    root = schema(VERSION)
    properties = root["properties"]
    item = properties["map"] if entity == "map" else properties[ENTITIES[entity].list_name]["items"]
    known = {k: v for k, v in values.items() if k in item["properties"]}
    partial = {"type": "object", "properties": item["properties"], "$defs": root["$defs"]}
    for error in Draft202012Validator(partial).iter_errors(known):
        explained = explain(error)
        raise InvalidInput(explained.where.removeprefix("$."), explained.problem)


def field_from_text(entity: str, file_field: str, text: str) -> Any:
    """A field's value typed as text (on the command line: ``emotion=-1``), parsed by the
    field's type in the contract; InvalidInput naming the field when it cannot be. Ranges are
    checked where every edit is (:func:`check_fields`); references stay keys.

    ``""`` or ``null`` is null where the field may be null.

    >>> field_from_text("touchpoint", "emotion", "-1"), field_from_text("touchpoint", "volume", "")
    (-1, None)
    >>> field_from_text("touchpoint", "moment_of_truth", "1"), field_from_text("stage", "key", "3")
    (True, '3')
    >>> field_from_text("feedback", "ces_scale", "5"), field_from_text("feedback", "touchpoint", "")
    (5, None)
    >>> field_from_text("touchpoint", "effort", "high")
    Traceback (most recent call last):
    ...
    cxmap.core.errors.InvalidInput: effort: 'high' is not a whole number
    """
    declared = ENTITIES[entity].file_schema_in(VERSION)
    if file_field not in declared or file_field in ENTITIES[entity].file_links:
        settable = [f for f in declared if f not in ENTITIES[entity].file_links]
        raise InvalidInput(
            file_field,
            f"is not a field of {entity.replace('_', ' ')} (fields: {', '.join(settable)})",
        )
    rule = dict(declared[file_field])
    if "$ref" in rule:
        rule = {**schema()["$defs"][rule["$ref"].rsplit("/", 1)[1]], **rule}
    kinds = rule.get("type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "null" in kinds and text.strip().lower() in ("", "null"):
        return None
    if "enum" in rule:
        for choice in rule["enum"]:
            if str(choice) == text.strip():
                return choice
        choices = ", ".join(str(c) for c in rule["enum"])
        raise InvalidInput(file_field, f"{text!r} is not one of {choices}")
    if "integer" in kinds:
        try:
            return int(text.strip())
        except ValueError:
            raise InvalidInput(file_field, f"{text!r} is not a whole number") from None
    if "number" in kinds:
        try:
            number = float(text.strip())
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            raise InvalidInput(file_field, f"{text!r} is not a number")
        return number
    if "boolean" in kinds:
        answers = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if text.strip().lower() not in answers:
            raise InvalidInput(file_field, f"{text!r} is not true or false")
        return answers[text.strip().lower()]
    return text
