"""The ``cxmap-journey`` v1 JSON format: reading, checking and writing it.

Reading is strict: a file is either accepted whole or refused with one message that names the
JSON path of the first problem (``$.touchpoints[3].emotion: 7 is more than the maximum of 2``).
Writing is canonical (fixed key order, two-space indent, UTF-8), so export → import → export
gives the same bytes. The schema file ``cxmap/formats/schema/cxmap-journey-v1.schema.json`` is the
contract; :func:`check_fields` applies the same ranges to edits made in the app.

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
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from cxmap.analysis import sentiment
from cxmap.core.errors import InvalidInput
from cxmap.core.records import ENTITY_REFERENCES, RECORD_TYPES, JourneyAggregate, MapRecord

FORMAT = "cxmap-journey"
VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "cxmap-journey-v1.schema.json"

# Entity name -> name of its list in the document.
LISTS = {
    "persona": "personas",
    "stage": "stages",
    "touchpoint": "touchpoints",
    "emotion": "emotions",
    "pain_point": "pain_points",
    "opportunity": "opportunities",
    "transition": "transitions",
    "feedback": "feedback",
}
# List -> its references: field -> list it points into.
REFERENCES = {
    "touchpoints": {"stage": "stages"},
    "emotions": {"touchpoint": "touchpoints", "persona": "personas"},
    "pain_points": {"touchpoint": "touchpoints"},
    "opportunities": {"touchpoint": "touchpoints", "pain_point": "pain_points"},
    "transitions": {"source": "touchpoints", "target": "touchpoints"},
    "feedback": {"touchpoint": "touchpoints"},
}
# Lists whose rows are identified by a combination of references (unique per map).
UNIQUE_PAIRS = {"emotions": ("touchpoint", "persona"), "transitions": ("source", "target")}


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of cxmap-journey v1 (as shipped in cxmap/formats/schema/)."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def field_order(list_name: str) -> list[str]:
    """The canonical field order of a list's items, as the schema lists them."""
    return list(schema()["properties"][list_name]["items"]["properties"])


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
    check_document(document)
    return document


def check_document(document: Any) -> None:
    """Raise InvalidInput for the first problem in an already parsed document."""
    if not isinstance(document, dict):
        raise InvalidInput("$", "expected a JSON object with format, version and map")
    if document.get("format") != FORMAT:
        raise InvalidInput("$.format", f"expected {FORMAT!r}, got {document.get('format')!r}")
    if document.get("version") != VERSION:
        raise InvalidInput(
            "$.version", f"this cxmap reads version {VERSION}, got {document.get('version')!r}"
        )
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        raise _explain(errors[0])
    _check_keys_and_references(document)


def _check_keys_and_references(document: Mapping[str, Any]) -> None:
    keys: dict[str, dict[str, int]] = {}
    for list_name in LISTS.values():
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
    for list_name, references in REFERENCES.items():
        pair_field = UNIQUE_PAIRS.get(list_name)
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
    root = schema()
    item = (
        root["properties"]["map"] if entity == "map" else root["properties"][LISTS[entity]]["items"]
    )
    known = {k: v for k, v in values.items() if k in item["properties"]}
    partial = {"type": "object", "properties": item["properties"], "$defs": root["$defs"]}
    for error in Draft202012Validator(partial).iter_errors(known):
        explained = _explain(error)
        raise InvalidInput(explained.where.removeprefix("$."), explained.problem)


# ---------------------------------------------------------------- to and from the database


def document_content(
    document: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The map's own fields and its rows (with key references) from a checked document.

    Positions come from the order of the lists (touchpoints: the order within their stage);
    fields left out of the file take the contract's defaults.
    """
    meta = document["map"]
    map_fields = {
        "name": meta["name"].strip(),
        "description": meta.get("description", ""),
        "state": meta.get("state", "current"),
        "language": meta.get("language", "en"),
    }
    text = ("description", "goals", "needs", "motivations", "behaviors", "pain_points")
    personas = [
        {
            "key": p["key"],
            "name": p["name"].strip(),
            **{f: p.get(f, "") for f in text},
            "segment_share": p.get("segment_share"),
            "position": index,
            "version": 1,
        }
        for index, p in enumerate(document.get("personas", []), start=1)
    ]
    stages = [
        {"key": s["key"], "name": s["name"].strip(), "position": s["order"], "version": 1}
        for s in document.get("stages", [])
    ]
    touchpoints = []
    per_stage: dict[str, int] = {}
    for t in document.get("touchpoints", []):
        per_stage[t["stage"]] = per_stage.get(t["stage"], 0) + 1
        touchpoints.append(
            {
                "key": t["key"],
                "stage": t["stage"],
                "name": t["name"].strip(),
                "position": per_stage[t["stage"]],
                "channel": t.get("channel", ""),
                "owner": t.get("owner", ""),
                "customer_action": t.get("customer_action", ""),
                "thought": t.get("thought", ""),
                "emotion": t.get("emotion"),
                "effort": t.get("effort"),
                "volume": t.get("volume"),
                "drop_off": float(t.get("drop_off", 0.0)),
                "moment_of_truth": bool(t.get("moment_of_truth", False)),
                "version": 1,
            }
        )
    emotions = [
        {
            "touchpoint": e["touchpoint"],
            "persona": e["persona"],
            "score": e["score"],
            "label": e.get("label", ""),
            "note": e.get("note", ""),
            "version": 1,
        }
        for e in document.get("emotions", [])
    ]
    pain_points = [
        {
            "key": p["key"],
            "touchpoint": p["touchpoint"],
            "description": p.get("description", ""),
            "severity": p["severity"],
            "frequency": p["frequency"],
            "version": 1,
        }
        for p in document.get("pain_points", [])
    ]
    opportunities = [
        {
            "key": o["key"],
            "touchpoint": o.get("touchpoint"),
            "pain_point": o.get("pain_point"),
            "title": o["title"].strip(),
            "customer_value": o.get("customer_value"),
            "business_value": o.get("business_value"),
            "effort": o.get("effort"),
            "status": o.get("status", "idea"),
            "version": 1,
        }
        for o in document.get("opportunities", [])
    ]
    transitions = [
        {
            "source": t["source"],
            "target": t["target"],
            "weight": float(t.get("weight", 1.0)),
            "version": 1,
        }
        for t in document.get("transitions", [])
    ]
    feedback = [
        {
            "touchpoint": f.get("touchpoint"),
            "text": f.get("text", ""),
            "nps": f.get("nps"),
            "csat": f.get("csat"),
            "ces": f.get("ces"),
            "ces_scale": f.get("ces_scale", 7),
            "source": f.get("source", ""),
            "segment": f.get("segment", ""),
            "created_at": dt.date.fromisoformat(f["created_at"]) if f.get("created_at") else None,
            "version": 1,
        }
        for f in document.get("feedback", [])
    ]
    content = {
        "persona": personas,
        "stage": stages,
        "touchpoint": touchpoints,
        "emotion": emotions,
        "pain_point": pain_points,
        "opportunity": opportunities,
        "transition": transitions,
        "feedback": feedback,
    }
    return map_fields, content


def export_document(aggregate: JourneyAggregate) -> dict[str, Any]:
    """The map as a cxmap-journey v1 document, every field written, in canonical order."""
    stage_key = {s.id: s.key for s in aggregate.stages}
    touch_key = {t.id: t.key for t in aggregate.touchpoints}
    persona_key = {p.id: p.key for p in aggregate.personas}
    pain_key = {p.id: p.key for p in aggregate.pain_points}
    m = aggregate.map

    def key_or_none(keys: Mapping[int, str], row_id: int | None) -> str | None:
        return None if row_id is None else keys[row_id]

    def feedback_item(f: Any) -> dict[str, Any]:
        item = {
            "touchpoint": key_or_none(touch_key, f.touchpoint_id),
            "text": f.text,
            "nps": f.nps,
            "csat": f.csat,
            "ces": f.ces,
            "source": f.source,
            "created_at": f.created_at.isoformat() if f.created_at else None,
        }
        # Optional extensions are written only when not at their default, so plain v1 stays plain.
        if f.ces_scale != 7 or f.segment:
            extra = {"ces_scale": f.ces_scale} if f.ces_scale != 7 else {}
            extra |= {"segment": f.segment} if f.segment else {}
            item = {**item, **extra}
            item = {k: item[k] for k in field_order("feedback") if k in item}
        return item

    return {
        "format": FORMAT,
        "version": VERSION,
        "map": {
            "name": m.name,
            "description": m.description,
            "state": m.state,
            "language": m.language,
        },
        "personas": [
            {
                "key": p.key,
                "name": p.name,
                "description": p.description,
                "goals": p.goals,
                "needs": p.needs,
                "motivations": p.motivations,
                "behaviors": p.behaviors,
                "pain_points": p.pain_points,
                "segment_share": p.segment_share,
            }
            for p in aggregate.personas
        ],
        "stages": [{"key": s.key, "name": s.name, "order": s.position} for s in aggregate.stages],
        "touchpoints": [
            {
                "key": t.key,
                "stage": stage_key[t.stage_id],
                "name": t.name,
                "channel": t.channel,
                "owner": t.owner,
                "customer_action": t.customer_action,
                "thought": t.thought,
                "emotion": t.emotion,
                "effort": t.effort,
                "volume": t.volume,
                "drop_off": t.drop_off,
                "moment_of_truth": t.moment_of_truth,
            }
            for t in aggregate.touchpoints
        ],
        "emotions": [
            {
                "touchpoint": touch_key[e.touchpoint_id],
                "persona": persona_key[e.persona_id],
                "score": e.score,
                "label": e.label,
                "note": e.note,
            }
            for e in aggregate.emotions
        ],
        "pain_points": [
            {
                "key": p.key,
                "touchpoint": touch_key[p.touchpoint_id],
                "description": p.description,
                "severity": p.severity,
                "frequency": p.frequency,
            }
            for p in aggregate.pain_points
        ],
        "opportunities": [
            {
                "key": o.key,
                "touchpoint": key_or_none(touch_key, o.touchpoint_id),
                "pain_point": key_or_none(pain_key, o.pain_point_id),
                "title": o.title,
                "customer_value": o.customer_value,
                "business_value": o.business_value,
                "effort": o.effort,
                "status": o.status,
            }
            for o in aggregate.opportunities
        ],
        "transitions": [
            {"source": touch_key[t.source_id], "target": touch_key[t.target_id], "weight": t.weight}
            for t in aggregate.transitions
        ],
        "feedback": [feedback_item(f) for f in aggregate.feedback],
    }


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
    feedback = content["feedback"]
    scores = sentiment.sentiment_scores(f["text"] for f in feedback)
    for row, score in zip(feedback, scores, strict=True):
        row["sentiment"] = score
        row["language"] = sentiment.detect_language(row["text"])
        row["sentiment_source"] = "vader"
    ids: dict[str, dict[str, int]] = {}
    lists: dict[str, list[Any]] = {}
    for entity, rows in content.items():
        record_type = RECORD_TYPES[entity]
        made = []
        for number, row in enumerate(rows, start=1):
            values = dict(row)
            for column, (target, ref) in ENTITY_REFERENCES[entity].items():
                key = values.pop(ref, None)
                values[column] = None if key is None else ids[target][key]
            made.append(record_type.from_row({"id": number, **values}))
        if rows and "key" in rows[0]:
            ids[entity] = {row["key"]: number for number, row in enumerate(rows, start=1)}
        lists[entity] = made
    stage_order = {s.id: (s.position, s.id) for s in lists["stage"]}
    return JourneyAggregate(
        map=journey,
        personas=sorted(lists["persona"], key=lambda p: (p.position, p.id)),
        stages=sorted(lists["stage"], key=lambda s: (s.position, s.id)),
        touchpoints=sorted(
            lists["touchpoint"], key=lambda t: (*stage_order[t.stage_id], t.position, t.id)
        ),
        emotions=lists["emotion"],
        pain_points=lists["pain_point"],
        opportunities=lists["opportunity"],
        transitions=lists["transition"],
        feedback=lists["feedback"],
    )
