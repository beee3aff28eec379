"""cxmap-journey v2 (and v1): lossless round trips, and one clear message per bad file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from cxmap import services
from cxmap.analysis.scoring import ScoringSettings
from cxmap.core.config import DEMO_DIR
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.formats import (
    feedback_file,
    feedback_rows,
    journey_contract,
    journey_file,
    journey_writing,
)
from tests.factories import as_v1, journey_document

DEMO_FILES = sorted(DEMO_DIR.glob("*.json"))


@pytest.mark.parametrize("path", DEMO_FILES, ids=[p.stem for p in DEMO_FILES])
def test_demo_file_round_trips_byte_for_byte(ctx: Context, path: Path) -> None:
    """import (v1) → export (v2) keeps every byte of the v1 file; export → import → export
    gives the same bytes."""
    original = path.read_text(encoding="utf-8")
    first = services.import_file(ctx, path.read_bytes())
    exported = services.export_json(ctx, first.id)
    assert json.loads(exported)["version"] == 2
    assert journey_writing.dumps(as_v1(json.loads(exported))) == original
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
    assert as_v1(exported) == document


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
        "settings": {},
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
        b'{"format": "cxmap-journey", "version": 3, "map": {}}',
        "$.version: this cxmap reads versions 1 and 2, got 3",
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
    """The v1 schema lists exactly the DOMAIN.md example's fields (plus ces_scale and segment);
    v2 adds the feedback's sentiment, language, fingerprint and evidence, the map's settings
    and the feedback files imported."""
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
    v1, v2 = journey_contract.schema(1)["properties"], journey_contract.schema(2)["properties"]
    assert list(v1["map"]["properties"]) == example["map"]
    assert list(v2["map"]["properties"]) == [*example.pop("map"), "settings"]
    for list_name, fields in example.items():
        assert journey_contract.field_order(list_name, 1) == fields, list_name
        added = (
            ["received_at", "sentiment", "sentiment_source", "language", "fingerprint", "evidence"]
            if list_name == "feedback"
            else []
        )
        assert journey_contract.field_order(list_name, 2) == fields + added, list_name
    assert set(v2) - set(v1) == {"feedback_files"}


@pytest.mark.parametrize("version", [1, 2])
def test_the_published_schema_file_is_what_the_registry_builds(version: int) -> None:
    """The schema files are the contract outside tools read; the registry is their source.
    After changing an entity's file fields: .venv/bin/python -m cxmap.formats.journey_schema"""
    from cxmap.formats import journey_schema

    committed = journey_schema.SCHEMA_PATHS[version].read_text(encoding="utf-8")
    assert committed == journey_schema.schema_text(version), "regenerate (see above)"
    assert journey_contract.schema(version) == json.loads(committed)


def test_check_fields_is_used_for_app_edits() -> None:
    journey_contract.check_fields("touchpoint", {"emotion": -2, "name": "ok", "stage_id": 3})
    with pytest.raises(InvalidInput, match="^moment_of_truth: expected boolean"):
        journey_contract.check_fields("touchpoint", {"moment_of_truth": "yes"})


def test_export_is_deterministic_for_a_copy_of_the_document() -> None:
    document = journey_document()
    assert journey_writing.dumps(copy.deepcopy(document)) == journey_writing.dumps(document)


# ---------------------------------------------------------------- v2: everything a map holds

SURVEY = (
    "Comment,Step,NPS\n"
    "The installer was brilliant and quick,Touchpoint 1,10\n"
    "Terrible wait and nobody called back,Touchpoint 2,2\n"
    "نصب اینترنت خیلی طول کشید,Touchpoint 2,5\n"
).encode()
SURVEY_COLUMNS = {"text": "Comment", "touchpoint": "Step", "nps": "NPS"}


def import_survey(ctx: Context, map_id: int) -> services.FeedbackImport:
    """Import SURVEY into the map as `voc import` does: row fingerprints and the file's hash."""
    touchpoints = [(t.id, t.key, t.name) for t in services.load_map(ctx, map_id).touchpoints]
    frame = feedback_file.read_feedback_file(SURVEY, "survey.csv", 10**6)
    parsed = feedback_rows.parse_feedback(frame, SURVEY_COLUMNS, touchpoints=touchpoints)
    return services.import_feedback(
        ctx,
        map_id,
        parsed.rows,
        workers=1,
        file_hash=feedback_file.file_hash(SURVEY, SURVEY_COLUMNS),
        file_name="survey.csv",
    )


def lived_in_map(ctx: Context) -> int:
    """A map as weeks of use leave it: a survey imported, a sentiment corrected by hand
    (−0.5 on a text VADER scores +0.62), verbatims as evidence, settings of every section."""
    map_id = services.import_document(ctx, journey_document("Lived in", stages=2)).id
    assert import_survey(ctx, map_id).added == 3
    journey = services.load_map(ctx, map_id)
    happy = next(f for f in journey.feedback if f.text.startswith("Great service"))
    assert happy.sentiment is not None and happy.sentiment > 0.5
    services.set_sentiment(ctx, map_id, happy.id, happy.version, "negative")
    angry = [f.id for f in journey.feedback if f.text.startswith("Terrible")]
    services.create_with_evidence(
        ctx, map_id, "pain_point", {"touchpoint_id": journey.touchpoints[1].id,
                                    "severity": 4, "frequency": 5}, angry
    )  # fmt: skip
    services.create_with_evidence(ctx, map_id, "opportunity", {"title": "Call back"}, angry[:1])
    version = services.get_map(ctx, map_id).version
    version = services.save_scoring_settings(
        ctx, map_id, version, ScoringSettings(weights={"emotion": 0.5, "effort": 0.1, "pain": 0.2,
                                                       "feedback": 0.1, "drop_off": 0.1})
    ).version  # fmt: skip
    version = services.save_risk_assumptions(
        ctx, map_id, version, {"leave_after_bad": 0.25}
    ).version
    services.save_assessment(ctx, map_id, version, {"objectives": 4})
    return map_id


def test_v2_round_trip_keeps_manual_sentiment_evidence_fingerprints_and_settings(
    ctx: Context,
) -> None:
    """export → import → export is the same document, and the imported map is the same map:
    the hand-set −0.5 stays −0.5 (not VADER's 0.62), the evidence links stay, the settings
    stay, and importing the same survey again adds nothing."""
    original = lived_in_map(ctx)
    exported = services.export_json(ctx, original)
    copy_id = services.import_file(ctx, exported.encode(), name="Imported").id
    assert services.export_json(ctx, copy_id) == exported.replace(
        '"Lived in"', '"Imported"', 1
    ).replace('"name": "Lived in"', '"name": "Imported"')

    imported = services.load_map(ctx, copy_id)
    manual = next(f for f in imported.feedback if f.text.startswith("Great service"))
    assert (manual.sentiment, manual.sentiment_source) == (-0.5, "manual")
    persian = next(f for f in imported.feedback if f.language == "fa")
    assert persian.sentiment is None
    keys = {f.id: f.text for f in imported.feedback}
    assert sorted(keys[e.feedback_id][:8] for e in imported.evidence) == ["Terrible"] * 2
    assert services.scoring_settings(ctx, copy_id).weights["emotion"] == 0.5
    assert imported.map.settings["risk"] == {"leave_after_bad": 0.25}
    assert imported.map.settings["assessment"] == {"objectives": 4}
    again = import_survey(ctx, copy_id)
    assert (again.added, again.already_imported) == (0, 3)
    assert services.earlier_import(
        ctx, copy_id, feedback_file.file_hash(SURVEY, SURVEY_COLUMNS)
    ) == services.earlier_import(ctx, original, feedback_file.file_hash(SURVEY, SURVEY_COLUMNS))


def test_duplicate_is_a_lossless_copy_and_reimporting_into_it_adds_nothing(ctx: Context) -> None:
    """Duplicate holds what the downloaded JSON holds (the delete dialog's promise): the same
    document, and the survey already imported is recognised in the copy."""
    original = lived_in_map(ctx)
    copy = services.duplicate_map(ctx, original, "Copy")
    assert services.export_json(ctx, copy.id) == services.export_json(ctx, original).replace(
        '"name": "Lived in"', '"name": "Copy"', 1
    )
    assert services.earlier_import(ctx, copy.id, feedback_file.file_hash(SURVEY, SURVEY_COLUMNS))
    again = import_survey(ctx, copy.id)
    assert (again.added, again.already_imported) == (0, 3)
    feedback = services.load_map(ctx, copy.id).feedback
    assert len(feedback) == len(services.load_map(ctx, original).feedback)
    assert sorted(f.sentiment_source for f in feedback).count("manual") == 1


def test_v1_files_still_import_and_v2_fields_are_v2_only(ctx: Context) -> None:
    v1 = journey_document(stages=1, touchpoints_per_stage=1)
    journey = services.import_document(ctx, v1)
    feedback = services.load_map(ctx, journey.id).feedback[0]
    assert (feedback.sentiment_source, feedback.language) == ("vader", "en")
    v1["feedback"][0]["sentiment"] = -0.5
    with pytest.raises(InvalidInput, match=r"^\$\.feedback\[0\]\.sentiment: unknown field"):
        journey_file.check_document(v1)
    v1["version"] = 2
    journey_file.check_document(v1)


def test_v2_sentiment_given_without_source_is_the_files(ctx: Context) -> None:
    document = journey_document(stages=1, touchpoints_per_stage=1, feedback_per_touchpoint=3)
    document["version"] = 2
    document["feedback"][0]["sentiment"] = -0.25
    document["feedback"][1].update(sentiment=None, sentiment_source="vader", language="other")
    journey = services.import_document(ctx, journey_file.parse_document(json.dumps(document)))
    given, unscored, scored = services.load_map(ctx, journey.id).feedback
    assert (given.sentiment, given.sentiment_source, given.language) == (-0.25, "file", "en")
    assert (unscored.sentiment, unscored.language) == (None, "other")
    assert scored.sentiment_source == "vader" and scored.sentiment is not None


def _v2(**extra: Any) -> dict[str, Any]:
    document = journey_document(stages=1, touchpoints_per_stage=2)
    document["version"] = 2
    for path, value in extra.items():
        where: Any = document
        *parents, last = path.split("__")
        for part in parents:
            where = where[int(part)] if part.isdigit() else where[part]
        where[last] = value
    return document


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            _v2(feedback__0__evidence={"pain_points": ["pp1", "pp9"]}),
            "$.feedback[0].evidence.pain_points[1]: 'pp9' matches no key in pain_points",
        ),
        (
            _v2(feedback__0__evidence={"ideas": ["o1"]}),
            "$.feedback[0].evidence.ideas: unknown field (allowed: pain_points, opportunities)",
        ),
        (
            _v2(feedback__0__sentiment_source="guess"),
            '$.feedback[0].sentiment_source: "guess" is not one of "vader"',
        ),
        (
            _v2(feedback__0__fingerprint="abc", feedback__1__fingerprint="abc"),
            '$.feedback[1].fingerprint: "abc" repeats $.feedback[0].fingerprint',
        ),
        (
            _v2(map__settings={"colour": "red"}),
            "$.map.settings.colour: unknown field (allowed: weights,",
        ),
        (
            _v2(map__settings={"weights": {"pain": -1}}),
            "$.map.settings.weights.pain: -1 is outside the range 0…None",
        ),
        (
            _v2(feedback_files=[{"file_hash": "h", "imported_at": "2026-02-30T10:00:00"}]),
            "$.feedback_files[0].imported_at: '2026-02-30T10:00:00' is not a real time",
        ),
    ],
    ids=["evidence key", "evidence list", "source", "fingerprint", "settings", "weight", "time"],
)
def test_bad_v2_file_names_the_json_path(document: dict[str, Any], expected: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        journey_file.parse_document(json.dumps(document))
    assert raised.value.message.startswith(expected), raised.value.message
