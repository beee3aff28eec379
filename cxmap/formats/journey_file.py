"""Reading a ``cxmap-journey`` JSON file (v2; v1 still reads): strict, then into records.

Reading is strict: a file is either accepted whole or refused with one message that names the
JSON path of the first problem (``$.touchpoints[3].emotion: 7 is more than the maximum of 2``),
against the contract (:mod:`cxmap.formats.journey_contract`: the schema by version and the
checks a schema cannot make). Version 2 carries everything a map holds: besides v1's fields,
each feedback row's sentiment with its source and language, its import fingerprint and the pain
points and opportunities it is evidence for, the map's settings, and the feedback files
imported. A v1 file is checked against v1's schema, then read through :func:`upgrade` (the one
place that knows older versions). A checked document becomes the rows the store inserts
(:func:`document_content`) or an in-memory map (:func:`document_aggregate`); writing a file is
:mod:`cxmap.formats.journey_writing`.

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
from collections import Counter
from collections.abc import Mapping
from typing import Any

from cxmap.analysis import sentiment
from cxmap.core.entities import ENTITIES, Entity
from cxmap.core.errors import InvalidInput
from cxmap.core.records import EvidenceRecord, JourneyAggregate, MapRecord
from cxmap.formats import text_rules
from cxmap.formats.journey_contract import (
    EVIDENCE_LISTS,
    FORMAT,
    VERSION,
    VERSIONS,
    check_keys_and_references,
    explain,
    json_path,
    validator,
)


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
    errors = sorted(validator(version).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        raise explain(errors[0])
    check_keys_and_references(upgrade(document))


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
        for list_name in EVIDENCE_LISTS
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
    if kind == "dt.datetime | None":
        return _utc_moment(value) if value else None
    return value


def _time_from_file(value: str | None) -> dt.datetime:
    """An import time as stored: time-zone aware, UTC (now, when the file gives none)."""
    return _utc_moment(value) if value else dt.datetime.now(dt.UTC)


def _utc_moment(value: str) -> dt.datetime:
    """A time in the file as stored: time-zone aware, UTC (a time without zone is UTC).

    >>> _utc_moment("2024-03-09T23:30:00-05:00"), _utc_moment("2024-03-10T04:30:00Z").hour
    (datetime.datetime(2024, 3, 10, 4, 30, tzinfo=datetime.timezone.utc), 4)
    """
    moment = dt.datetime.fromisoformat(value)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


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
