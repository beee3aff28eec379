"""cxmap-journey v1: lossless round trips, and one clear message per bad file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from cxmap import services
from cxmap.core.config import DEMO_DIR
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.formats import journey_file
from tests.factories import journey_document

DEMO_FILES = sorted(DEMO_DIR.glob("*.json"))


@pytest.mark.parametrize("path", DEMO_FILES, ids=[p.stem for p in DEMO_FILES])
def test_demo_file_round_trips_byte_for_byte(ctx: Context, path: Path) -> None:
    """import → export gives the file back; export → import → export gives the same bytes."""
    original = path.read_text(encoding="utf-8")
    first = services.import_file(ctx, path.read_bytes())
    exported = services.export_json(ctx, first.id)
    assert exported == original
    second = services.import_file(ctx, exported.encode(), name="Round trip")
    again = services.export_json(ctx, second.id).replace('"Round trip"', json.dumps(first.name))
    assert again == exported


def test_generated_map_round_trips_with_every_field(ctx: Context) -> None:
    document = journey_document(stages=4, touchpoints_per_stage=3, feedback_per_touchpoint=2)
    document["feedback"][0]["ces_scale"] = 5  # the optional extension survives too
    document["feedback"][0]["ces"] = 4
    document["feedback"][1]["touchpoint"] = None
    document["feedback"][1]["segment"] = "Busy parents"
    document["opportunities"][0]["pain_point"] = None
    journey = services.import_document(ctx, document)
    exported = json.loads(services.export_json(ctx, journey.id))
    assert exported == document


def test_minimal_file_gets_the_contract_defaults(ctx: Context) -> None:
    doc = {
        "format": "cxmap-journey",
        "version": 1,
        "map": {"name": "Minimal"},
        "stages": [{"key": "a", "name": "Only stage", "order": 1}],
        "touchpoints": [{"key": "x", "stage": "a", "name": "Only touchpoint"}],
    }
    journey = services.import_file(ctx, json.dumps(doc).encode())
    exported = json.loads(services.export_json(ctx, journey.id))
    assert exported["map"] == {
        "name": "Minimal",
        "description": "",
        "state": "current",
        "language": "en",
    }
    assert exported["touchpoints"][0] == {
        "key": "x",
        "stage": "a",
        "name": "Only touchpoint",
        "channel": "",
        "owner": "",
        "customer_action": "",
        "thought": "",
        "emotion": None,
        "effort": None,
        "volume": None,
        "drop_off": 0.0,
        "moment_of_truth": False,
    }
    assert exported["personas"] == exported["feedback"] == []


def test_persian_text_is_kept_and_not_scored(ctx: Context) -> None:
    doc = journey_document(stages=1, touchpoints_per_stage=1, feedback_per_touchpoint=2)
    doc["map"]["name"] = "سفر مشتری"
    doc["feedback"][0]["text"] = "نصب اینترنت خیلی طول کشید و کسی جواب نداد"
    doc["feedback"][1]["text"] = "الخدمة كانت ممتازة"
    journey = services.import_document(ctx, doc)
    first, second = services.load_map(ctx, journey.id).feedback
    assert (first.language, first.sentiment) == ("fa", None)
    assert (second.language, second.sentiment) == ("ar", None)
    assert json.loads(services.export_json(ctx, journey.id))["map"]["name"] == "سفر مشتری"


def test_utf8_byte_order_mark_is_accepted() -> None:
    text = json.dumps({"format": "cxmap-journey", "version": 1, "map": {"name": "BOM"}})
    assert journey_file.parse_document(b"\xef\xbb\xbf" + text.encode())["map"]["name"] == "BOM"


def _broken(change: Any) -> bytes:
    document = journey_document(stages=2, touchpoints_per_stage=2)
    change(document)
    return json.dumps(document).encode()


def _set(path: list[Any], value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        target = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


BAD_FILES = {
    "broken JSON": (
        b'{"format": "cxmap-journey", "version": 1,\n "map": {"name": }}',
        "not valid JSON: Expecting value at line 2, column 18",
    ),
    "empty file": (b"   ", "the file is empty"),
    "binary junk": (bytes(range(256)) * 4, "not a UTF-8 text file"),
    "not an object": (b"[1, 2, 3]", "$: expected a JSON object"),
    "other format": (
        b'{"format": "trello", "version": 1, "map": {}}',
        "$.format: expected 'cxmap-journey'",
    ),
    "future version": (
        b'{"format": "cxmap-journey", "version": 2, "map": {}}',
        "$.version: this cxmap reads version 1, got 2",
    ),
    "NaN": (
        b'{"format": "cxmap-journey", "version": 1, "map": {"name": "x"}, '
        b'"touchpoints": [{"key": "t", "stage": "s", "name": "n", "drop_off": NaN}]}',
        "NaN is not a number JSON allows",
    ),
    "repeated field": (
        b'{"format": "cxmap-journey", "version": 1, "map": {"name": "a", "name": "b"}}',
        "the field 'name' appears twice",
    ),
    "unknown top-level field": (_broken(_set(["colour"], "red")), "$.colour: unknown field"),
    "unknown nested field": (
        _broken(_set(["touchpoints", 2, "mood"], 1)),
        "$.touchpoints[2].mood: unknown field (allowed: key, stage, name,",
    ),
    "missing map name": (
        _broken(lambda d: d["map"].pop("name")),
        "$.map.name: this required field is missing",
    ),
    "blank name": (
        _broken(_set(["touchpoints", 1, "name"], "   ")),
        "$.touchpoints[1].name: must not be blank",
    ),
    "emotion out of range": (
        _broken(_set(["touchpoints", 3, "emotion"], 7)),
        "$.touchpoints[3].emotion: 7 is outside the range -2…2",
    ),
    "wrong type": (
        _broken(_set(["touchpoints", 0, "effort"], "high")),
        '$.touchpoints[0].effort: expected integer or null, got "high"',
    ),
    "bad status": (
        _broken(_set(["opportunities", 0, "status"], "someday")),
        '$.opportunities[0].status: "someday" is not one of',
    ),
    "nps out of range": (
        _broken(_set(["feedback", 1, "nps"], 11)),
        "$.feedback[1].nps: 11 is outside the range 0…10",
    ),
    "duplicate key": (
        _broken(_set(["touchpoints", 3, "key"], "t1")),
        "$.touchpoints[3].key: duplicate key 't1' (already used at $.touchpoints[0])",
    ),
    "dangling stage": (
        _broken(_set(["touchpoints", 2, "stage"], "s9")),
        "$.touchpoints[2].stage: 's9' matches no key in stages",
    ),
    "dangling transition": (
        _broken(_set(["transitions", 0, "target"], "t99")),
        "$.transitions[0].target: 't99' matches no key in touchpoints",
    ),
    "dangling persona": (
        _broken(_set(["emotions", 1, "persona"], "nobody")),
        "$.emotions[1].persona: 'nobody' matches no key in personas",
    ),
    "duplicate transition": (
        _broken(lambda d: d["transitions"].append(dict(d["transitions"][0]))),
        "$.transitions[4]: duplicate 't1' → 't3'",
    ),
    "impossible date": (
        _broken(_set(["feedback", 0, "created_at"], "2026-02-30")),
        "$.feedback[0].created_at: '2026-02-30' is not a real date",
    ),
    "date in another form": (
        _broken(_set(["feedback", 0, "created_at"], "31/01/2026")),
        '$.feedback[0].created_at: "31/01/2026" is not in the expected form',
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_gets_one_clear_message_and_writes_nothing(ctx: Context, case: str) -> None:
    data, expected = BAD_FILES[case]
    with pytest.raises(InvalidInput) as raised:
        services.import_file(ctx, data)
    assert expected in raised.value.message
    assert "\n" not in raised.value.message and "Traceback" not in raised.value.message
    assert services.list_maps(ctx) == []


def test_fifty_megabytes_of_junk_is_refused_before_parsing(ctx: Context) -> None:
    junk = b"x" * (50 * 1024 * 1024)
    with pytest.raises(InvalidInput, match="the file is 50.0 MB, more than the 25 MB limit"):
        services.import_file(ctx, junk)
    assert services.list_maps(ctx) == []


def test_deeply_nested_json_is_refused() -> None:
    with pytest.raises(InvalidInput, match="nested too deeply"):
        journey_file.parse_document(b"[" * 100000 + b"]" * 100000, max_bytes=10**7)


def test_importing_a_map_whose_name_exists_is_refused(ctx: Context) -> None:
    data = json.dumps(journey_document("Same")).encode()
    services.import_file(ctx, data)
    with pytest.raises(InvalidInput, match="a map named 'Same' already exists"):
        services.import_file(ctx, data)
    assert services.import_file(ctx, data, name="Same, again").name == "Same, again"


def test_schema_file_is_the_contract_of_domain_md() -> None:
    """The schema lists exactly the DOMAIN.md example's fields (plus ces_scale and segment)."""
    example = {
        "map": ["name", "description", "state", "language"],
        "personas": [
            "key",
            "name",
            "description",
            "goals",
            "needs",
            "motivations",
            "behaviors",
            "pain_points",
            "segment_share",
        ],
        "stages": ["key", "name", "order"],
        "touchpoints": [
            "key",
            "stage",
            "name",
            "channel",
            "owner",
            "customer_action",
            "thought",
            "emotion",
            "effort",
            "volume",
            "drop_off",
            "moment_of_truth",
        ],
        "emotions": ["touchpoint", "persona", "score", "label", "note"],
        "pain_points": ["key", "touchpoint", "description", "severity", "frequency"],
        "opportunities": [
            "key",
            "touchpoint",
            "pain_point",
            "title",
            "customer_value",
            "business_value",
            "effort",
            "status",
        ],
        "transitions": ["source", "target", "weight"],
        "feedback": [
            "touchpoint",
            "text",
            "nps",
            "csat",
            "ces",
            "ces_scale",
            "source",
            "segment",
            "created_at",
            "channel",
        ],
    }
    properties = journey_file.schema()["properties"]
    assert list(properties["map"]["properties"]) == example.pop("map")
    for list_name, fields in example.items():
        assert journey_file.field_order(list_name) == fields, list_name


def test_the_published_schema_file_is_what_the_registry_builds() -> None:
    """The schema file is the contract outside tools read; the registry is its source. After
    changing an entity's file fields: .venv/bin/python -m cxmap.formats.journey_schema"""
    from cxmap.formats import journey_schema

    committed = journey_schema.SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == journey_schema.schema_text(), "regenerate the schema file (see above)"
    assert journey_file.schema() == json.loads(committed)


def test_check_fields_is_used_for_app_edits() -> None:
    journey_file.check_fields("touchpoint", {"emotion": -2, "name": "ok", "stage_id": 3})
    with pytest.raises(InvalidInput, match="^moment_of_truth: expected boolean"):
        journey_file.check_fields("touchpoint", {"moment_of_truth": "yes"})


def test_export_is_deterministic_for_a_copy_of_the_document() -> None:
    document = journey_document()
    assert journey_file.dumps(copy.deepcopy(document)) == journey_file.dumps(document)
