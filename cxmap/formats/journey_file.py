"""The ``cxmap-journey`` JSON format (v2; v1 still reads): reading, checking and writing it.

Reading is strict: a file is either accepted whole or refused with one message that names the
JSON path of the first problem (``$.touchpoints[3].emotion: 7 is more than the maximum of 2``).
Writing is canonical (fixed key order, two-space indent, UTF-8), so export → import → export
gives the same bytes. The schema (:mod:`cxmap.formats.journey_schema`, built from the entity
registry and published as ``cxmap/formats/schema/cxmap-journey-v2.schema.json``, and v1's) is
the contract; :func:`check_fields` applies the same ranges to edits made in the app.

Version 2 carries everything a map holds: besides v1's fields, each feedback row's sentiment
with its source and language, its import fingerprint and the pain points and opportunities it
is evidence for, the map's settings, and the feedback files imported. A v1 file is checked
against v1's schema, then read through :func:`upgrade` (the one place that knows older
versions); export always writes v2.

Examples
--------
>>> doc = parse_document(b'{"format": "cxmap-journey", "version": 1, "map": {"name": "Demo"}}')
>>> doc["map"]["name"]
'Demo'
>>> parse_document(b'{"format": "cxmap-journey", "version": 1, "map": {"name": "x", "colour": 1}}')
Traceback (most recent call last):
...
cxmap.core.errors.InvalidInput: $.map.colour: unknown field (allowed: name, description, ...)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from cxmap.analysis import sentiment
from cxmap.core.entities import ENTITIES, Entity
from cxmap.core.errors import InvalidInput
from cxmap.core.records import EvidenceRecord, FeedbackFileRecord, JourneyAggregate, MapRecord
from cxmap.formats import text_rules
from cxmap.formats.journey_schema import build_schema

FORMAT = "cxmap-journey"
VERSION = 2  # what export writes
VERSIONS = (1, 2)  # what import reads


@cache
def schema(version: int = VERSION) -> dict[str, Any]:
    """The JSON Schema of cxmap-journey ``version``, built from the entity registry (the same
    as the published file ``cxmap/formats/schema/cxmap-journey-v{version}.schema.json``)."""
    return build_schema(version)


@cache
def _validator(version: int) -> Draft202012Validator:
    return Draft202012Validator(schema(version))


def field_order(list_name: str, version: int = VERSION) -> list[str]:
    """The canonical field order of a list's items, as the schema of ``version`` lists them."""
    return list(schema(version)["properties"][list_name]["items"]["properties"])


# ---------------------------------------------------------------- reading


def parse_document(data: bytes | str, *, max_bytes: int = 25 * 1024 * 1024) -> dict[str, Any]:
    """Parse and check a cxmap-journey document; raise InvalidInput naming the first problem.

    Checks, in order: size, text encoding, JSON syntax (duplicate object keys and NaN refused),
    the schema (types, ranges, unknown fields), then what a schema cannot say: keys unique per
    list, references that point at existing keys, unique emotion and transition pairs, real dates.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise InvalidInput(
            "",
            f"the file is {len(raw) / 1024 / 1024:.1f} MB, more than the "
            f"{max_bytes / 1024 / 1024:.0f} MB limit (CXMAP_MAX_IMPORT_MB raises it)",
        )
    if not raw.strip():
        raise InvalidInput("", "the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            "", f"not a UTF-8 text file (byte {error.start} cannot be read): is it really JSON?"
        ) from None
    try:
        document = json.loads(
            text, object_pairs_hook=_refuse_duplicate_names, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        raise InvalidInput(
            "", f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise InvalidInput("", "not a journey: the JSON is nested too deeply") from None
    except _DuplicateName as error:
        raise InvalidInput("", str(error)) from None
    unstorable = text_rules.first_unstorable(document)  # NUL, lone surrogates: see text_rules
    if unstorable:
        raise InvalidInput(json_path(unstorable[0]), unstorable[1])
    check_document(document)
    return document


def check_document(document: Any) -> None:
    """Raise InvalidInput for the first problem in an already parsed document."""
    if not isinstance(document, dict):
        raise InvalidInput("$", "expected a JSON object with format, version and map")
    if document.get("format") != FORMAT:
        raise InvalidInput("$.format", f"expected {FORMAT!r}, got {document.get('format')!r}")
    version = document.get("version")
    if version not in VERSIONS or isinstance(version, bool):
        raise InvalidInput(
            "$.version",
            f"this cxmap reads versions {' and '.join(map(str, VERSIONS))}, got {version!r}",
        )
    errors = sorted(_validator(version).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        raise _explain(errors[0])
    _check_keys_and_references(upgrade(document))


def upgrade(document: Mapping[str, Any]) -> dict[str, Any]:
    """A checked document of any version as the current version reads it: the one place that
    knows older versions.

    v1 → v2: every field v2 adds is optional, so a v1 document only changes its version
    number; what it lacks takes v2's defaults on import (feedback without ``sentiment`` is
    scored with VADER, as v1 files always were; the map keeps default settings).

    >>> upgrade({"format": "cxmap-journey", "version": 1, "map": {"name": "M"}})["version"]
    2
    """
    upgraded = dict(document)
    if upgraded["version"] == 1:
        upgraded["version"] = 2
    return upgraded


def _check_keys_and_references(document: Mapping[str, Any]) -> None:
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
        if item.get("created_at"):
            try:
                dt.date.fromisoformat(item["created_at"])
            except ValueError:
                raise InvalidInput(
                    f"$.feedback[{index}].created_at",
                    f"{item['created_at']!r} is not a real date (YYYY-MM-DD)",
                ) from None
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
        if item.get("imported_at"):
            try:
                dt.datetime.fromisoformat(item["imported_at"])
            except ValueError:
                raise InvalidInput(
                    f"$.feedback_files[{index}].imported_at",
                    f"{item['imported_at']!r} is not a real time (YYYY-MM-DDTHH:MM:SS)",
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


class _DuplicateName(ValueError):
    pass


def _refuse_duplicate_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise _DuplicateName(f"the field {name!r} appears twice in one JSON object")
        result[name] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise InvalidInput("", f"not valid JSON: {name} is not a number JSON allows")


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


def _explain(error: SchemaError) -> InvalidInput:
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
        explained = _explain(error)
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


# ---------------------------------------------------------------- to and from the database


def document_content(
    document: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The map's own fields and its rows (with key references) from a checked document.

    Rows are what :func:`cxmap.store.map_queries.insert_content` writes: record fields, and
    references by their name in the file (``"stage": "s1"``). Positions come from the order
    of the lists (touchpoints: the order within their stage); fields left out of the file take
    the contract's defaults. Feedback that carries no ``sentiment`` is scored here (VADER,
    English only); a sentiment the file gives is kept as it is, with its source. Besides one
    list per entity, ``content["evidence"]`` links feedback rows (by their place in the list)
    to pain points and opportunities (by key), and ``content["feedback_files"]`` lists the
    feedback files imported.

    >>> doc = upgrade({"format": "cxmap-journey", "version": 1, "map": {"name": " M "},
    ...     "feedback": [{"text": "Terrible wait"}, {"text": "ok", "sentiment": -0.5,
    ...                   "sentiment_source": "manual"}]})
    >>> map_fields, content = document_content(doc)
    >>> map_fields["name"], [(f["sentiment"], f["sentiment_source"]) for f in content["feedback"]]
    ('M', [(-0.4767, 'vader'), (-0.5, 'manual')])
    """
    document = upgrade(document)
    meta = document["map"]
    map_fields = {
        "name": meta["name"].strip(),
        "description": meta.get("description", ""),
        "state": meta.get("state", "current"),
        "language": meta.get("language", "en"),
        "settings": dict(meta.get("settings", {})),
    }
    content: dict[str, list[dict[str, Any]]] = {}
    for entity in ENTITIES.values():
        positions: Counter[tuple[Any, ...]] = Counter()
        rows = []
        for item in document.get(entity.list_name, []):
            row: dict[str, Any] = {}
            for file_field in entity.file_fields_in(VERSION):
                if file_field in entity.file_links or (
                    file_field in _SCORED_ON_IMPORT and "sentiment" not in item
                ):
                    continue
                name = entity.record_name(file_field)
                value = item.get(file_field, entity.default(name))
                row[file_field if name in entity.references else name] = _from_file(
                    entity, name, value
                )
            if entity.ordered_within is not None and "position" not in row:
                scope = tuple(row[entity.file_name(c)] for c in entity.ordered_within)
                positions[scope] += 1
                row["position"] = positions[scope]
            row["version"] = 1
            rows.append(row)
        content[entity.name] = rows
    feedback = document.get("feedback", [])
    for item, row in zip(feedback, content["feedback"], strict=True):
        if "sentiment" in item and "language" not in item:
            row["language"] = sentiment.detect_language(row["text"])
    sentiment.score_rows([row for row in content["feedback"] if "sentiment" not in row])
    content["evidence"] = [
        {
            "feedback_index": index,
            "pain_point": key if list_name == "pain_points" else None,
            "opportunity": key if list_name == "opportunities" else None,
        }
        for index, item in enumerate(feedback)
        for list_name in _EVIDENCE_LISTS
        for key in item.get("evidence", {}).get(list_name, [])
    ]
    content["feedback_files"] = [
        {
            "file_hash": item["file_hash"],
            "file_name": item.get("file_name", ""),
            "rows_added": item.get("rows_added", 0),
            "imported_at": _time_from_file(item.get("imported_at")),
        }
        for item in document.get("feedback_files", [])
    ]
    return map_fields, content


# Feedback fields that, when a row gives no sentiment, are VADER's to fill on import.
_SCORED_ON_IMPORT = ("sentiment", "sentiment_source", "language")
# The lists of a feedback row's ``evidence``, in the file's order.
_EVIDENCE_LISTS = ("pain_points", "opportunities")


def _from_file(entity: Entity, name: str, value: Any) -> Any:
    """A file value as its record field holds it (trimmed names, floats, booleans, dates)."""
    kind = entity.record.__dataclass_fields__[name].type
    if name in ("name", "title") and isinstance(value, str):
        return value.strip()
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "dt.date | None":
        return dt.date.fromisoformat(value) if value else None
    return value


def _time_from_file(value: str | None) -> dt.datetime:
    """An import time as stored: time-zone aware, UTC (a time without zone is UTC; now, when
    the file gives none)."""
    if not value:
        return dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(value)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _time_to_file(value: dt.datetime) -> str:
    """An import time in the file: UTC, ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``.

    >>> _time_to_file(dt.datetime(2026, 3, 1, 13, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    '2026-03-01T12:30:00Z'
    """
    moment = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return moment.replace(tzinfo=None).isoformat() + "Z"


_ALWAYS = object()  # a field without an "unset" value is always written


def export_document(
    aggregate: JourneyAggregate, feedback_files: Sequence[FeedbackFileRecord] = ()
) -> dict[str, Any]:
    """The map as a cxmap-journey v2 document, every field written, in canonical order:
    everything the map holds (with ``feedback_files``, the files imported into it).

    >>> from cxmap.core.examples import demo_chain
    >>> document = export_document(demo_chain())
    >>> document["version"], list(document["map"])
    (2, ['name', 'description', 'state', 'language', 'settings'])
    """
    keys = {
        entity.name: {row.id: row.key for row in entity.rows(aggregate)}
        for entity in ENTITIES.values()
        if entity.has_keys
    }
    evidence: dict[int, dict[str, list[str]]] = {}
    for link in aggregate.evidence:
        found = evidence.setdefault(link.feedback_id, {})
        if link.pain_point_id is not None:
            found.setdefault("pain_points", []).append(keys["pain_point"][link.pain_point_id])
        if link.opportunity_id is not None:
            found.setdefault("opportunities", []).append(keys["opportunity"][link.opportunity_id])
    m = aggregate.map
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "map": {
            "name": m.name,
            "description": m.description,
            "state": m.state,
            "language": m.language,
            "settings": m.settings,
        },
    }
    for entity in ENTITIES.values():
        items = []
        for record in entity.rows(aggregate):
            item = {}
            for file_field in entity.file_fields_in(VERSION):
                if file_field == "evidence":
                    links = evidence.get(record.id, {})
                    value: Any = {k: links[k] for k in _EVIDENCE_LISTS if k in links}
                else:
                    name = entity.record_name(file_field)
                    value = getattr(record, name)
                    if name in entity.references:
                        value = (
                            None if value is None else keys[entity.references[name].entity][value]
                        )
                    elif isinstance(value, dt.date):
                        value = value.isoformat()
                # Optional extensions are written only when set, so plain maps stay plain.
                unset = entity.written_when_not.get(file_field, _ALWAYS)
                if value != unset:
                    item[file_field] = value
            items.append(item)
        document[entity.list_name] = items
    document["feedback_files"] = [
        {
            "file_hash": f.file_hash,
            "file_name": f.file_name,
            "rows_added": f.rows_added,
            "imported_at": _time_to_file(f.imported_at),
        }
        for f in feedback_files
    ]
    return document


def dumps(document: Mapping[str, Any]) -> str:
    """Canonical text of a document: UTF-8, two-space indent, key order kept, final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def document_aggregate(document: Mapping[str, Any], map_id: int = 0) -> JourneyAggregate:
    """A checked document as an in-memory map (ids numbered from 1), no database needed.

    Feedback is scored for sentiment as on import. Used to analyse a file directly.

    >>> doc = parse_document(b'{"format": "cxmap-journey", "version": 1, "map": {"name": "M"},'
    ...     b'"stages": [{"key": "s", "name": "S", "order": 1}],'
    ...     b'"touchpoints": [{"key": "a", "stage": "s", "name": "A"}]}')
    >>> document_aggregate(doc).touchpoints[0].stage_id
    1
    """
    map_fields, content = document_content(document)
    now = dt.datetime.now(dt.UTC)
    journey = MapRecord(map_id, **map_fields, created_at=now, updated_at=now, revision=0, version=1)
    ids: dict[str, dict[str, int]] = {}
    lists: dict[str, list[Any]] = {}
    for entity in ENTITIES.values():
        rows = content[entity.name]
        made = []
        for number, row in enumerate(rows, start=1):
            values = dict(row)
            for column, reference in entity.references.items():
                key = values.pop(entity.file_name(column), None)
                values[column] = None if key is None else ids[reference.entity][key]
            made.append(entity.record.from_row({"id": number, **values}))
        if entity.has_keys:
            ids[entity.name] = {row["key"]: number for number, row in enumerate(rows, start=1)}
        lists[entity.list_name] = made
    stage_order = {s.id: (s.position, s.id) for s in lists["stages"]}
    lists["personas"].sort(key=lambda p: (p.position, p.id))
    lists["stages"].sort(key=lambda s: (s.position, s.id))
    lists["touchpoints"].sort(key=lambda t: (*stage_order[t.stage_id], t.position, t.id))
    evidence = [
        EvidenceRecord(
            id=number,
            feedback_id=link["feedback_index"] + 1,
            pain_point_id=None
            if link["pain_point"] is None
            else ids["pain_point"][link["pain_point"]],
            opportunity_id=None
            if link["opportunity"] is None
            else ids["opportunity"][link["opportunity"]],
        )
        for number, link in enumerate(content["evidence"], start=1)
    ]
    return JourneyAggregate(map=journey, evidence=evidence, **lists)
