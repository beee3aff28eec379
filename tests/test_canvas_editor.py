"""The canvas editor's protocol (cxmap/app/widgets/canvas_editor/protocol.py and view.py), the
move service behind its drag, and the Journey Map page in canvas mode (AppTest).

The protocol is pure: events in, the changes the services get out, or a refusal naming what is
wrong. Events the component re-delivers (every rerun hands the page its last value) are applied
once. The browser side is tests/e2e/test_canvas_editor_browser.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.app.widgets import undo
from cxmap.app.widgets.canvas_editor import BUILD_DIR
from cxmap.app.widgets.canvas_editor.protocol import (
    REMEMBERED_EVENTS,
    AppliedEvents,
    Edit,
    Move,
    Refusal,
    pending_events,
    plan_event,
)
from cxmap.app.widgets.canvas_editor.view import canvas_view
from cxmap.core.context import Context
from cxmap.core.errors import ConflictError, CxmapError, InvalidInput
from cxmap.core.messages import render
from cxmap.core.records import JourneyAggregate
from cxmap.services.rows import move_touchpoint
from tests.factories import journey_document
from tests.test_page_map import APP, PAGE

NASTY = "<img src=x onerror=alert(1)>"


@pytest.fixture
def journey(sqlite_ctx: Context) -> JourneyAggregate:
    """A map of 3 stages × 2 touchpoints and 2 personas, as stored."""
    imported = services.import_document(sqlite_ctx, journey_document(personas=2))
    return services.load_map(sqlite_ctx, imported.id)


def _event(kind: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"tab-{kind}", "kind": kind, **fields}


# ---------------------------------------------------------------- refusals


def _refusals(a: JourneyAggregate) -> list[tuple[Any, str, dict[str, Any]]]:
    t = a.touchpoints[0]
    ok = {"touchpoint": t.id, "version": t.version}
    return [
        (["a", "list"], "canvas.not_an_event", {"type": "a list"}),
        ({"kind": "update"}, "canvas.no_id", {}),
        ({"id": "  ", "kind": "update"}, "canvas.no_id", {}),
        (_event("paint"), "canvas.unknown_kind", {"kind": "paint"}),
        (_event("update", **ok), "canvas.missing", {"kind": "update", "field": "values"}),
        (_event("update", **ok, values={}), "canvas.no_change", {}),
        (
            _event("update", **ok, values={"emotion": 2}),
            "canvas.unknown_field",
            {"field": "emotion"},
        ),
        (
            _event("update", **ok, values={"name": 5}),
            "canvas.wrong_type",
            {"field": "values.name", "expected": "text"},
        ),
        (
            _event("update", touchpoint=t.id, version=True, values={"name": "x"}),
            "canvas.wrong_type",
            {"field": "version"},
        ),
        (
            _event("update", touchpoint=9999, version=1, values={"name": "x"}),
            "canvas.no_touchpoint",
            {"id": 9999},
        ),
        (
            _event("update", touchpoint="t1", version=1, values={"name": "x"}),
            "canvas.wrong_type",
            {"field": "touchpoint", "expected": "a whole number"},
        ),
        (_event("create", stage=9999, values={"name": "x"}), "canvas.no_stage", {"id": 9999}),
        (
            _event("create", stage=a.stages[0].id, values={"name": "  "}),
            "canvas.missing",
            {"field": "values.name"},
        ),
        (
            _event("move", touchpoint=t.id, version=1, stage=a.stages[1].id),
            "canvas.missing",
            {"field": "index"},
        ),
        (
            _event("set_emotion", touchpoint=t.id, persona=None, score=3),
            "canvas.out_of_range",
            {"field": "score", "value": 3},
        ),
        (
            _event("set_emotion", touchpoint=t.id, persona=9999, score=1),
            "canvas.no_persona",
            {"id": 9999},
        ),
        (
            _event("set_emotion", touchpoint=t.id, persona="p1", score=1),
            "canvas.wrong_type",
            {"field": "persona"},
        ),
        (
            _event("add_pain_point", touchpoint=t.id, values={"severity": 0, "frequency": 2}),
            "canvas.out_of_range",
            {"field": "severity", "value": 0},
        ),
        (
            _event("add_pain_point", touchpoint=t.id, values={"severity": 2}),
            "canvas.missing",
            {"field": "values.frequency"},
        ),
        (
            _event("add_opportunity", touchpoint=t.id, values={"title": "x", "status": "maybe"}),
            "canvas.unknown_status",
            {"status": "maybe"},
        ),
        (
            _event("add_opportunity", touchpoint=t.id, values={"title": ""}),
            "canvas.missing",
            {"field": "values.title"},
        ),
        (_event("delete", touchpoint=t.id), "canvas.missing", {"field": "version"}),
        (
            _event("rename_stage", stage=a.stages[0].id, version=1, values={"name": ""}),
            "canvas.missing",
            {"field": "values.name"},
        ),
        (
            _event("rename_stage", stage=a.stages[0].id, version=1, values={"key": "s9"}),
            "canvas.unknown_field",
            {"field": "key"},
        ),
        (_event("add_stage", values={"name": 7}), "canvas.wrong_type", {"field": "values.name"}),
    ]


def test_malformed_and_unknown_events_are_refused_naming_what_is_wrong(
    journey: JourneyAggregate,
) -> None:
    for raw, code, params in _refusals(journey):
        plan = plan_event(raw, journey)
        assert isinstance(plan, Refusal), raw
        assert plan.message.code == code, raw
        assert params.items() <= dict(plan.message.params).items(), (raw, plan.message.params)
        words = render(plan.message)
        assert words.startswith("Not saved: ") and "{" not in words, words


def test_refusals_in_words(journey: JourneyAggregate) -> None:
    t = journey.touchpoints[0]
    unknown = plan_event(_event("paint"), journey)
    assert render(unknown.message) == (  # type: ignore[union-attr]
        "Not saved: 'paint' is not a kind of canvas event (update, create, move, set_emotion, "
        "add_pain_point, add_opportunity, delete, rename_stage, add_stage)."
    )
    field = plan_event(_event("update", touchpoint=t.id, version=1, values={"key": "t9"}), journey)
    assert render(field.message) == (  # type: ignore[union-attr]
        "Not saved: 'key' cannot be edited on the canvas (only name, channel, owner, "
        "customer_action, thought, moment_of_truth)."
    )
    assert isinstance(field, Refusal) and field.event_id == "tab-update"


# ---------------------------------------------------------------- events → changes


def test_an_update_carries_the_version_and_the_values_it_read(journey: JourneyAggregate) -> None:
    t = journey.touchpoints[1]
    plan = plan_event(
        _event(
            "update",
            touchpoint=t.id,
            version=t.version,
            values={"name": "Pay", "moment_of_truth": True},
            read={"name": t.name, "moment_of_truth": False, "owner": "ignored"},
        ),
        journey,
    )
    assert isinstance(plan, Edit)
    [(where, change)] = plan.located
    assert (change.op, change.entity, change.row_id, change.read_version) == (
        "update",
        "touchpoint",
        t.id,
        t.version,
    )
    assert dict(change.values) == {"name": "Pay", "moment_of_truth": True}
    assert dict(change.read_values or {}) == {"name": t.name, "moment_of_truth": False}
    assert where == f"touchpoint “{t.name}”"
    assert render(plan.summary) == f"“{t.name}”: name and moment of truth changed"


def test_create_and_chips_become_creates_in_their_stage_or_touchpoint(
    journey: JourneyAggregate,
) -> None:
    stage, t = journey.stages[2], journey.touchpoints[0]
    create = plan_event(_event("create", stage=stage.id, values={"name": "Chat"}), journey)
    pain = plan_event(
        _event(
            "add_pain_point",
            touchpoint=t.id,
            values={"description": "Slow", "severity": 4, "frequency": 5},
        ),
        journey,
    )
    idea = plan_event(_event("add_opportunity", touchpoint=t.id, values={"title": "FAQ"}), journey)
    got = [
        (c.op, c.entity, dict(c.values))
        for plan in (create, pain, idea)
        for _, c in plan.located  # type: ignore[union-attr]
    ]
    assert got == [
        ("create", "touchpoint", {"name": "Chat", "stage_id": stage.id}),
        (
            "create",
            "pain_point",
            {"description": "Slow", "severity": 4, "frequency": 5, "touchpoint_id": t.id},
        ),
        ("create", "opportunity", {"title": "FAQ", "touchpoint_id": t.id}),
    ]


def test_a_delete_carries_the_version_it_read(journey: JourneyAggregate) -> None:
    t = journey.touchpoints[3]
    plan = plan_event(_event("delete", touchpoint=t.id, version=t.version), journey)
    assert isinstance(plan, Edit)
    [(_, change)] = plan.located
    assert (change.op, change.entity, change.row_id, change.read_version) == (
        "delete",
        "touchpoint",
        t.id,
        t.version,
    )
    assert render(plan.summary) == f"touchpoint “{t.name}” deleted"


def test_stages_are_renamed_and_added_at_the_end(
    sqlite_ctx: Context, journey: JourneyAggregate
) -> None:
    stage = journey.stages[0]
    rename = plan_event(
        _event(
            "rename_stage",
            stage=stage.id,
            version=stage.version,
            values={"name": "Discover"},
            read={"name": stage.name},
        ),
        journey,
    )
    add = plan_event(_event("add_stage", values={"name": "Advocacy"}), journey)
    changes = [c for plan in (rename, add) for _, c in plan.located]  # type: ignore[union-attr]
    services.apply_changes(sqlite_ctx, journey.map.id, changes)
    after = services.load_map(sqlite_ctx, journey.map.id)
    assert [s.name for s in after.stages] == [
        "Discover",
        *(s.name for s in journey.stages[1:]),
        "Advocacy",
    ]


def test_set_emotion_updates_the_touchpoint_or_the_personas_row(
    journey: JourneyAggregate,
) -> None:
    t = journey.touchpoints[0]
    persona = journey.personas[0]
    row = next(
        e for e in journey.emotions if e.touchpoint_id == t.id and e.persona_id == persona.id
    )
    everyone = plan_event(_event("set_emotion", touchpoint=t.id, persona=None, score=-2), journey)
    [(_, change)] = everyone.located  # type: ignore[union-attr]
    assert (change.op, change.entity, change.row_id, dict(change.values)) == (
        "update",
        "touchpoint",
        t.id,
        {"emotion": -2},
    )
    assert change.read_values == {"emotion": t.emotion}

    seen = plan_event(
        _event(
            "set_emotion",
            touchpoint=t.id,
            persona=persona.id,
            score=2,
            version=row.version,
            seen=row.score,
        ),
        journey,
    )
    [(_, change)] = seen.located  # type: ignore[union-attr]
    assert (change.op, change.entity, change.row_id, change.read_version) == (
        "update",
        "emotion",
        row.id,
        row.version,
    )
    assert (dict(change.values), change.read_values) == ({"score": 2}, {"score": row.score})


def test_set_emotion_creates_the_personas_row_where_it_has_none(
    sqlite_ctx: Context, journey: JourneyAggregate
) -> None:
    t, persona = journey.touchpoints[0], journey.personas[0]
    row = next(
        e for e in journey.emotions if e.touchpoint_id == t.id and e.persona_id == persona.id
    )
    services.delete_row(sqlite_ctx, journey.map.id, "emotion", row.id)
    now = services.load_map(sqlite_ctx, journey.map.id)

    plan = plan_event(_event("set_emotion", touchpoint=t.id, persona=persona.id, score=1), now)
    [(_, change)] = plan.located  # type: ignore[union-attr]
    assert (change.op, dict(change.values)) == (
        "create",
        {"touchpoint_id": t.id, "persona_id": persona.id, "score": 1},
    )
    services.apply_changes(sqlite_ctx, journey.map.id, [change])
    after = services.load_map(sqlite_ctx, journey.map.id)
    assert [
        e.score for e in after.emotions if e.touchpoint_id == t.id and e.persona_id == persona.id
    ] == [1]


def test_a_move_orders_the_target_stage_and_knows_its_undo(journey: JourneyAggregate) -> None:
    first, second, third = journey.stages
    moving = journey.touchpoints[0]  # first of stage 1
    target = [t.id for t in journey.touchpoints if t.stage_id == second.id]

    plan = plan_event(
        _event("move", touchpoint=moving.id, version=moving.version, stage=second.id, index=1),
        journey,
    )
    assert isinstance(plan, Move) and plan.changes_stage
    assert plan.ordered_ids == (target[0], moving.id, target[1])
    [undo] = plan.undo() or []
    assert (undo.row_id, undo.read_version, dict(undo.values)) == (
        moving.id,
        moving.version + 1,
        {"stage_id": first.id, "position": moving.position},
    )
    far = plan_event(
        _event("move", touchpoint=moving.id, version=1, stage=third.id, index=99), journey
    )
    assert isinstance(far, Move) and far.ordered_ids[-1] == moving.id  # clamped to the end

    inside = plan_event(
        _event("move", touchpoint=moving.id, version=1, stage=first.id, index=1), journey
    )
    assert isinstance(inside, Move) and not inside.changes_stage
    assert inside.ordered_ids == (journey.touchpoints[1].id, moving.id)
    assert inside.undo() is None  # a reorder changes places, not rows: undone by its order
    assert inside.undo_order() == (inside.ordered_ids, (moving.id, journey.touchpoints[1].id))
    assert plan.undo_order() is None  # a move to another stage is undone by its change


# ---------------------------------------------------------------- once per event id


def test_an_event_redelivered_by_a_rerun_is_not_applied_twice() -> None:
    applied = AppliedEvents()
    value = {"events": [{"id": "t-1", "kind": "update"}, {"id": "t-2", "kind": "move"}]}
    first = applied.new(pending_events(value))
    assert [e["id"] for e in first] == ["t-1", "t-2"]
    for event in first:
        applied.add(event["id"])
    assert applied.new(pending_events(value)) == []  # the same value, handed over again
    value["events"].append({"id": "t-3", "kind": "create"})
    assert [e["id"] for e in applied.new(pending_events(value))] == ["t-3"]
    assert applied.done(pending_events(value)) == ["t-1", "t-2"]  # what the component drops
    assert pending_events(None) == [] and pending_events({"events": "no"}) == []


def test_applied_ids_are_bounded_and_keep_the_newest() -> None:
    applied = AppliedEvents()
    for n in range(REMEMBERED_EVENTS + 10):
        applied.add(f"e{n}")
        applied.add(f"e{n}")  # adding twice does not take two places
    assert "e0" not in applied and f"e{REMEMBERED_EVENTS + 9}" in applied
    assert len(applied.ids) == REMEMBERED_EVENTS


# ---------------------------------------------------------------- the move service


def test_move_to_another_stage_in_one_transaction_and_its_undo(
    sqlite_ctx: Context, journey: JourneyAggregate
) -> None:
    map_id = journey.map.id
    moving = journey.touchpoints[0]
    second = journey.stages[1]
    plan = plan_event(
        _event("move", touchpoint=moving.id, version=moving.version, stage=second.id, index=0),
        journey,
    )
    assert isinstance(plan, Move)
    before = services.map_revision(sqlite_ctx, map_id)
    move_touchpoint(
        sqlite_ctx,
        map_id,
        moving.id,
        plan.read_version,
        plan.stage_id,
        plan.ordered_ids,
        read_stage_id=plan.from_stage_id,
    )
    after = services.load_map(sqlite_ctx, map_id)
    assert after.map.revision == (before or 0) + 1  # one save, one revision
    in_second = [t.id for t in after.touchpoints if t.stage_id == second.id]
    assert in_second == list(plan.ordered_ids)
    services.apply_changes(sqlite_ctx, map_id, plan.undo() or [])
    undone = services.load_map(sqlite_ctx, map_id)
    assert [(t.id, t.stage_id) for t in undone.touchpoints] == [
        (t.id, t.stage_id) for t in journey.touchpoints
    ]


def test_a_reorder_within_a_stage_is_undone_unless_the_stage_was_reordered_since(
    sqlite_ctx: Context, journey: JourneyAggregate
) -> None:
    map_id = journey.map.id
    moving = journey.touchpoints[0]
    stage = moving.stage_id

    def order() -> list[int]:
        return [
            t.id for t in services.load_map(sqlite_ctx, map_id).touchpoints if t.stage_id == stage
        ]

    before = order()
    plan = plan_event(
        _event("move", touchpoint=moving.id, version=moving.version, stage=stage, index=1),
        journey,
    )
    assert isinstance(plan, Move)
    move_touchpoint(sqlite_ctx, map_id, moving.id, plan.read_version, stage, plan.ordered_ids)
    assert order() == list(plan.ordered_ids) != before
    found = plan.undo_order()
    assert found is not None
    undo._put_back(sqlite_ctx, map_id, undo.Reorder("touchpoint", *found))
    assert order() == before

    # Moved again, then someone else reorders the stage: the undo is refused, nothing moves.
    move_touchpoint(sqlite_ctx, map_id, moving.id, plan.read_version, stage, plan.ordered_ids)
    services.reorder(sqlite_ctx, map_id, "touchpoint", before)
    with pytest.raises(CxmapError, match="changed the order since"):
        undo._put_back(sqlite_ctx, map_id, undo.Reorder("touchpoint", *found))
    assert order() == before


def test_a_move_of_a_card_someone_else_moved_meanwhile_is_a_conflict(
    sqlite_ctx: Context, journey: JourneyAggregate
) -> None:
    map_id = journey.map.id
    moving = journey.touchpoints[0]
    second, third = journey.stages[1], journey.stages[2]
    services.update_row(
        sqlite_ctx, map_id, "touchpoint", moving.id, moving.version, {"stage_id": third.id}
    )
    plan = plan_event(
        _event("move", touchpoint=moving.id, version=moving.version, stage=second.id, index=0),
        journey,  # as the mover saw it: still in stage 1
    )
    assert isinstance(plan, Move)
    with pytest.raises(ConflictError):
        move_touchpoint(
            sqlite_ctx,
            map_id,
            moving.id,
            plan.read_version,
            plan.stage_id,
            plan.ordered_ids,
            read_stage_id=plan.from_stage_id,
        )
    still = services.load_map(sqlite_ctx, map_id)
    assert next(t.stage_id for t in still.touchpoints if t.id == moving.id) == third.id


def test_a_move_needs_the_card_in_the_order_it_gives(
    sqlite_ctx: Context, journey: JourneyAggregate
) -> None:
    t = journey.touchpoints[0]
    with pytest.raises(InvalidInput):
        move_touchpoint(sqlite_ctx, journey.map.id, t.id, t.version, t.stage_id, [])


# ---------------------------------------------------------------- the view


def test_the_view_carries_fields_versions_and_raw_text(
    sqlite_ctx: Context, journey: JourneyAggregate
) -> None:
    t = journey.touchpoints[0]
    services.update_row(sqlite_ctx, journey.map.id, "touchpoint", t.id, t.version, {"name": NASTY})
    now = services.load_map(sqlite_ctx, journey.map.id)
    view = canvas_view(
        now, services.analyze_map(sqlite_ctx, journey.map.id), [p.id for p in now.personas]
    )
    json.dumps(view)  # what the component gets is plain JSON
    card = view["touchpoints"][0]
    assert card["name"] == NASTY  # sent as it is: the component sets it as text, never HTML
    assert card["version"] == t.version + 1
    assert [s["touchpoints"] for s in view["stages"]] == [
        [x.id for x in now.touchpoints if x.stage_id == s.id] for s in now.stages
    ]
    assert [line["name"] for line in view["lines"]] == ["All customers", "Persona 1", "Persona 2"]
    assert ".cxj-card" in view["css"]  # the read-only canvas's look


def test_the_built_bundle_is_committed_and_loads_nothing_from_elsewhere() -> None:
    index = (BUILD_DIR / "index.html").read_text(encoding="utf-8")
    assert "./assets/canvas.js" in index
    bundle = (BUILD_DIR / "assets" / "canvas.js").read_text(encoding="utf-8")
    for text in (index, bundle):
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in text
    assert ".innerHTML" not in bundle  # user text goes in as text only


# ---------------------------------------------------------------- the page (AppTest)


@pytest.mark.usefixtures("database_url")
def test_the_page_in_canvas_mode_sends_the_map_to_the_editor(app_ctx: Context) -> None:
    journey = services.import_document(app_ctx, journey_document(personas=2))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.switch_page(PAGE)
    at.query_params["map"] = str(journey.id)
    at.run()
    assert not at.exception
    assert not at.get("component_instance")  # read-only by default
    [switch] = [t for t in at.toggle if t.label == "✏️ Edit on the canvas"]
    switch.set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    [editor] = at.get("component_instance")
    view = json.loads(editor.proto.json_args)["view"]
    aggregate = services.load_map(app_ctx, journey.id)
    assert [t["name"] for t in view["touchpoints"]] == [t.name for t in aggregate.touchpoints]
    assert view["revision"] == aggregate.map.revision and view["applied"] == []
    assert [b.label for b in at.button if b.label == "↩️ Undo"] == ["↩️ Undo"]
    assert not at.get("plotly_chart")  # the editor draws its own curve


@pytest.mark.usefixtures("database_url")
def test_canvas_mode_on_a_map_with_stages_but_no_touchpoints(app_ctx: Context) -> None:
    blank = services.create_map(app_ctx, "Blank", with_standard_stages=True)
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.switch_page(PAGE)
    at.query_params["map"] = str(blank.id)
    at.run()
    [switch] = [t for t in at.toggle if t.label == "✏️ Edit on the canvas"]
    switch.set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    [editor] = at.get("component_instance")  # where the first touchpoints are added
    view = json.loads(editor.proto.json_args)["view"]
    assert view["touchpoints"] == [] and len(view["stages"]) >= 5
    assert all(stage["touchpoints"] == [] for stage in view["stages"])


def _canvas_page(map_id: int) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.switch_page(PAGE)
    at.query_params["map"] = str(map_id)
    at.run()
    [switch] = [t for t in at.toggle if t.label == "✏️ Edit on the canvas"]
    switch.set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _sent(at: AppTest) -> dict[str, Any]:
    [editor] = at.get("component_instance")
    view: dict[str, Any] = json.loads(editor.proto.json_args)["view"]
    return view


@pytest.mark.usefixtures("database_url")
def test_the_page_applies_a_component_event_once_however_often_it_reruns(
    app_ctx: Context,
) -> None:
    journey = services.import_document(app_ctx, journey_document(personas=2))
    stage = services.load_map(app_ctx, journey.id).stages[0]
    at = _canvas_page(journey.id)
    create = {"id": "tab-1", "kind": "create", "stage": stage.id, "values": {"name": NASTY}}
    at.session_state[f"canvas_editor_{journey.id}"] = {"events": [create]}  # the component's value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.run()
    at.run()  # every rerun hands the page the same value again

    names = [t.name for t in services.load_map(app_ctx, journey.id).touchpoints]
    assert names.count(NASTY) == 1
    view = _sent(at)
    assert view["applied"] == ["tab-1"]  # the component may drop it
    assert NASTY in [t["name"] for t in view["touchpoints"]]
    assert view["notice"]["kind"] == "ok" and "added to “Stage 1”" in view["notice"]["text"]


@pytest.mark.usefixtures("database_url")
def test_the_page_says_why_an_event_was_refused_and_holds_a_conflict(app_ctx: Context) -> None:
    journey = services.import_document(app_ctx, journey_document(personas=2))
    first = services.load_map(app_ctx, journey.id).touchpoints[0]
    at = _canvas_page(journey.id)
    key = f"canvas_editor_{journey.id}"
    at.session_state[key] = {"events": [{"id": "tab-1", "kind": "paint"}]}
    at.run()
    assert _sent(at)["notice"]["text"].startswith("Not saved: 'paint' is not a kind")

    services.update_row(app_ctx, journey.id, "touchpoint", first.id, first.version, {"name": "B"})
    stale = {
        "id": "tab-2",
        "kind": "update",
        "touchpoint": first.id,
        "version": first.version,  # what this tab read, before the other edit
        "values": {"name": "Mine"},
        "read": {"name": first.name},
    }
    at.session_state[key] = {"events": [stale]}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert services.load_map(app_ctx, journey.id).touchpoints[0].name == "B"
    assert any("Someone else changed the same row first" in w.value for w in at.warning)
    assert [b.label for b in at.button if b.label in ("Keep mine", "Take theirs")] == [
        "Keep mine",
        "Take theirs",
    ]
    assert _sent(at)["notice"]["kind"] == "error"
