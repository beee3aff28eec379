"""Use cases against real databases (every test runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cxmap import services
from cxmap.core.context import Context
from cxmap.core.errors import Busy, ConflictError, InvalidInput, NotFound
from cxmap.core.records import Change
from cxmap.store import db as db_module
from cxmap.store.db import Database
from tests.conftest import counting_queries
from tests.factories import journey_document


def _imported(ctx: Context, **sizes: int) -> int:
    return services.import_document(ctx, journey_document(**sizes)).id


# ---------------------------------------------------------------- maps


def test_create_rename_duplicate_delete_a_map(ctx: Context) -> None:
    created = services.create_map(
        ctx, "  Broadband onboarding ", "Telecom", with_standard_stages=True
    )
    assert created.name == "Broadband onboarding"
    stages = services.load_map(ctx, created.id).stages
    assert [s.name for s in stages] == list(services.STANDARD_STAGES)

    renamed = services.update_map(ctx, created.id, created.version, name="Fibre onboarding")
    assert renamed.name == "Fibre onboarding" and renamed.version == created.version + 1

    copy = services.duplicate_map(ctx, created.id)
    assert copy.name == "Fibre onboarding (copy)"
    assert services.duplicate_map(ctx, created.id).name == "Fibre onboarding (copy 2)"
    assert len(services.load_map(ctx, copy.id).stages) == 6

    services.delete_map(ctx, created.id)
    names = [s.map.name for s in services.list_maps(ctx)]
    assert names == ["Fibre onboarding (copy 2)", "Fibre onboarding (copy)"]
    with pytest.raises(NotFound):
        services.load_map(ctx, created.id)


def test_duplicate_copies_everything_and_keeps_the_original_intact(ctx: Context) -> None:
    original_id = _imported(ctx, stages=3, touchpoints_per_stage=3, feedback_per_touchpoint=2)
    copy = services.duplicate_map(ctx, original_id, "Copy")
    original, duplicate = services.load_map(ctx, original_id), services.load_map(ctx, copy.id)
    for name in (
        "personas",
        "stages",
        "touchpoints",
        "emotions",
        "pain_points",
        "opportunities",
        "transitions",
        "feedback",
    ):
        assert len(getattr(duplicate, name)) == len(getattr(original, name)), name
    # Same document apart from the name: nothing lost, references re-pointed at the copy's rows.
    assert services.export_json(ctx, copy.id).replace('"Copy"', '"Test journey"') == (
        services.export_json(ctx, original_id)
    )


def test_map_names_are_unique_and_required(ctx: Context) -> None:
    services.create_map(ctx, "Journey")
    with pytest.raises(InvalidInput, match="a map named 'Journey' already exists"):
        services.create_map(ctx, "Journey")
    with pytest.raises(InvalidInput, match="name: a map needs a name"):
        services.create_map(ctx, "   ")
    with pytest.raises(InvalidInput, match="state"):
        services.create_map(ctx, "Other", state="past")
    assert [s.map.name for s in services.list_maps(ctx)] == ["Journey"]


def test_list_maps_counts_rows(ctx: Context) -> None:
    map_id = _imported(ctx, stages=2, touchpoints_per_stage=3, feedback_per_touchpoint=2)
    (summary,) = services.list_maps(ctx)
    assert summary.map.id == map_id
    assert summary.counts == {"persona": 2, "stage": 2, "touchpoint": 6, "feedback": 12}


def test_resolve_map_by_id_or_exact_name(ctx: Context) -> None:
    journey = services.create_map(ctx, "2024")
    other = services.create_map(ctx, "Grocery")
    assert services.resolve_map(ctx, "Grocery") == other.id
    assert services.resolve_map(ctx, str(journey.id)) == journey.id
    assert services.resolve_map(ctx, "2024") == journey.id  # a name wins over an id
    with pytest.raises(InvalidInput, match="no map has the id or name 'grocery'"):
        services.resolve_map(ctx, "grocery")


# ---------------------------------------------------------------- rows and revision


def test_every_change_raises_the_map_revision(ctx: Context) -> None:
    journey = services.create_map(ctx, "Journey")
    revisions = [services.map_revision(ctx, journey.id)]

    def changed() -> None:
        revisions.append(services.map_revision(ctx, journey.id))

    stage = services.create_row(ctx, journey.id, "stage", {"name": "Awareness"})
    changed()
    tp = services.create_row(ctx, journey.id, "touchpoint", {"stage_id": stage.id, "name": "Ad"})
    changed()
    services.update_row(ctx, journey.id, "touchpoint", tp.id, tp.version, {"emotion": -1})
    changed()
    persona = services.create_row(ctx, journey.id, "persona", {"name": "Parent"})
    changed()
    services.create_row(
        ctx, journey.id, "emotion", {"touchpoint_id": tp.id, "persona_id": persona.id, "score": 2}
    )
    changed()
    services.reorder(ctx, journey.id, "stage", [stage.id])
    changed()
    services.delete_row(ctx, journey.id, "touchpoint", tp.id)
    changed()
    assert revisions == sorted(set(revisions)), revisions  # strictly increasing
    assert len(revisions) == 8


def test_crud_for_every_entity(ctx: Context) -> None:
    m = services.create_map(ctx, "Journey").id
    stage = services.create_row(ctx, m, "stage", {"name": "Purchase"})
    persona = services.create_row(ctx, m, "persona", {"name": "Busy parent", "segment_share": 0.4})
    t1 = services.create_row(ctx, m, "touchpoint", {"stage_id": stage.id, "name": "Checkout"})
    t2 = services.create_row(ctx, m, "touchpoint", {"stage_id": stage.id, "name": "Receipt"})
    emotion = services.create_row(
        ctx, m, "emotion", {"touchpoint_id": t1.id, "persona_id": persona.id, "score": -2}
    )
    pain = services.create_row(
        ctx, m, "pain_point", {"touchpoint_id": t1.id, "severity": 4, "frequency": 5}
    )
    opportunity = services.create_row(
        ctx, m, "opportunity", {"title": "One-click pay", "pain_point_id": pain.id}
    )
    transition = services.create_row(
        ctx, m, "transition", {"source_id": t1.id, "target_id": t2.id, "weight": 2.5}
    )
    feedback = services.create_row(
        ctx, m, "feedback", {"touchpoint_id": t1.id, "text": "Checkout was awful", "nps": 2}
    )
    assert (t1.key, t2.key, pain.key, opportunity.key) == ("t1", "t2", "pp1", "o1")
    assert (t1.position, t2.position) == (1, 2)
    assert feedback.sentiment is not None and feedback.sentiment < 0 and feedback.language == "en"

    agg = services.load_map(ctx, m)
    assert [t.name for t in agg.touchpoints] == ["Checkout", "Receipt"]
    assert agg.emotions[0].score == -2 and agg.transitions[0].weight == 2.5

    updated = services.update_row(
        ctx, m, "emotion", emotion.id, emotion.version, {"label": "angry"}
    )
    assert updated.label == "angry" and updated.version == emotion.version + 1
    services.update_row(ctx, m, "opportunity", opportunity.id, 1, {"status": "planned"})
    services.delete_row(ctx, m, "transition", transition.id, transition.version)
    services.delete_row(ctx, m, "persona", persona.id)
    agg = services.load_map(ctx, m)
    assert agg.transitions == [] and agg.emotions == []  # the emotion went with its persona
    assert agg.opportunities[0].status == "planned"


def test_deleting_a_touchpoint_keeps_feedback_and_opportunities_unlinked(ctx: Context) -> None:
    m = _imported(ctx, stages=1, touchpoints_per_stage=1, feedback_per_touchpoint=3)
    (tp,) = services.load_map(ctx, m).touchpoints
    services.delete_row(ctx, m, "touchpoint", tp.id, tp.version)
    agg = services.load_map(ctx, m)
    assert len(agg.feedback) == 3 and all(f.touchpoint_id is None for f in agg.feedback)
    assert agg.pain_points == []  # a pain point belongs to its touchpoint
    assert len(agg.opportunities) == 1 and agg.opportunities[0].touchpoint_id is None
    assert agg.opportunities[0].pain_point_id is None


def test_deleting_a_stage_takes_its_touchpoints(ctx: Context) -> None:
    m = _imported(ctx, stages=2, touchpoints_per_stage=2)
    first = services.load_map(ctx, m).stages[0]
    services.delete_row(ctx, m, "stage", first.id, first.version)
    agg = services.load_map(ctx, m)
    assert [t.name for t in agg.touchpoints] == ["Touchpoint 3", "Touchpoint 4"]


@pytest.mark.parametrize(
    ("entity", "values", "message"),
    [
        ("touchpoint", {"name": "X", "emotion": 7}, "emotion: 7 is outside the range -2…2"),
        ("touchpoint", {"name": "X", "effort": 0}, "effort: 0 is outside the range 1…5"),
        ("touchpoint", {"name": "X", "drop_off": 1.5}, "drop_off: 1.5 is outside the range 0…1"),
        ("touchpoint", {"name": "  "}, "name: is required"),
        ("touchpoint", {"name": "X", "colour": "red"}, "colour: is not a field of touchpoint"),
        ("touchpoint", {"name": "X", "stage_id": 999999}, "stage_id: no stage 999999 in this map"),
        ("pain_point", {"severity": 6, "frequency": 1}, "severity: 6 is outside the range 1…5"),
        ("opportunity", {"title": "X", "status": "maybe"}, 'status: "maybe" is not one of'),
        ("opportunity", {"title": "X", "customer_value": 101}, "customer_value: 101 is outside"),
        ("feedback", {"nps": 11}, "nps: 11 is outside the range 0…10"),
        ("feedback", {"ces": 6, "ces_scale": 5}, "ces: 6 is above the 1–5 CES scale"),
        ("persona", {"name": "X", "segment_share": 2}, "segment_share: 2 is outside the range 0…1"),
    ],
)
def test_invalid_values_are_refused_with_the_field_named(
    ctx: Context, entity: str, values: dict[str, object], message: str
) -> None:
    m = services.create_map(ctx, "Journey").id
    stage = services.create_row(ctx, m, "stage", {"name": "Awareness"})
    tp = services.create_row(ctx, m, "touchpoint", {"stage_id": stage.id, "name": "Ad"})
    full = dict(values)
    if entity == "touchpoint":
        full.setdefault("stage_id", stage.id)
    if entity == "pain_point":
        full["touchpoint_id"] = tp.id
    before = services.map_revision(ctx, m)
    with pytest.raises(InvalidInput) as raised:
        services.create_row(ctx, m, entity, full)
    assert message in raised.value.message
    assert services.map_revision(ctx, m) == before  # nothing written


def test_references_must_stay_inside_the_map(ctx: Context) -> None:
    a = _imported(ctx, stages=1, touchpoints_per_stage=1)
    b = services.create_map(ctx, "Other").id
    stage_of_a = services.load_map(ctx, a).stages[0]
    with pytest.raises(InvalidInput, match="stage_id: no stage"):
        services.create_row(ctx, b, "touchpoint", {"stage_id": stage_of_a.id, "name": "Sneaky"})


def test_duplicate_emotion_for_the_same_persona_is_explained(ctx: Context) -> None:
    m = _imported(ctx, stages=1, touchpoints_per_stage=1, personas=1)
    agg = services.load_map(ctx, m)
    values = {"touchpoint_id": agg.touchpoints[0].id, "persona_id": agg.personas[0].id, "score": 1}
    with pytest.raises(
        InvalidInput, match="this persona already has an emotion at this touchpoint"
    ):
        services.create_row(ctx, m, "emotion", values)


def test_reorder_stages_and_touchpoints(ctx: Context) -> None:
    m = _imported(ctx, stages=3, touchpoints_per_stage=3)
    agg = services.load_map(ctx, m)
    services.reorder(ctx, m, "stage", [s.id for s in reversed(agg.stages)])
    first_stage = agg.stages[0]
    in_first = agg.touchpoints_in_stage(first_stage.id)
    services.reorder(ctx, m, "touchpoint", [in_first[2].id, in_first[0].id, in_first[1].id])
    after = services.load_map(ctx, m)
    assert [s.name for s in after.stages] == ["Stage 3", "Stage 2", "Stage 1"]
    assert [t.name for t in after.touchpoints_in_stage(first_stage.id)] == [
        "Touchpoint 3",
        "Touchpoint 1",
        "Touchpoint 2",
    ]
    assert [t.name for t in after.touchpoints][-3:] == [
        "Touchpoint 3",
        "Touchpoint 1",
        "Touchpoint 2",
    ]


def test_moving_a_touchpoint_to_another_stage(ctx: Context) -> None:
    m = _imported(ctx, stages=2, touchpoints_per_stage=1)
    agg = services.load_map(ctx, m)
    tp, second = agg.touchpoints[0], agg.stages[1]
    services.update_row(
        ctx, m, "touchpoint", tp.id, tp.version, {"stage_id": second.id, "position": 0}
    )
    moved = services.load_map(ctx, m)
    assert [t.name for t in moved.touchpoints_in_stage(second.id)] == [
        "Touchpoint 1",
        "Touchpoint 2",
    ]


# ---------------------------------------------------------------- whole map


def test_loading_a_map_takes_the_same_number_of_queries_whatever_its_size(ctx: Context) -> None:
    small = _imported(ctx, stages=1, touchpoints_per_stage=1, feedback_per_touchpoint=1)
    large = services.import_document(
        ctx,
        journey_document("Large", stages=6, touchpoints_per_stage=20, feedback_per_touchpoint=10),
    ).id
    with counting_queries(ctx) as small_queries:
        services.load_map(ctx, small)
    with counting_queries(ctx) as large_queries:
        agg = services.load_map(ctx, large)
    assert len(agg.touchpoints) == 120 and len(agg.feedback) == 1200
    assert len(large_queries) == len(small_queries) <= 10


# ---------------------------------------------------------------- optimistic concurrency


def test_second_editor_gets_a_conflict_and_the_first_change_survives(ctx: Context) -> None:
    m = _imported(ctx, stages=1, touchpoints_per_stage=1)
    read_by_alice = services.load_map(ctx, m).touchpoints[0]
    read_by_bob = services.load_map(ctx, m).touchpoints[0]

    services.update_row(
        ctx,
        m,
        "touchpoint",
        read_by_alice.id,
        read_by_alice.version,
        {"emotion": 2},
        read_values={"emotion": read_by_alice.emotion},
    )
    with pytest.raises(ConflictError) as raised:
        services.update_row(
            ctx,
            m,
            "touchpoint",
            read_by_bob.id,
            read_by_bob.version,
            {"emotion": -2},
            read_values={"emotion": read_by_bob.emotion},
        )
    conflict = raised.value
    assert "'Touchpoint 1' (t1)" in conflict.message
    assert conflict.changes == {"emotion": (read_by_bob.emotion, 2)}  # what Alice changed
    assert conflict.current_version == read_by_bob.version + 1
    assert services.load_map(ctx, m).touchpoints[0].emotion == 2


def test_edits_of_different_fields_of_one_row_both_stand(ctx: Context) -> None:
    m = _imported(ctx, stages=1, touchpoints_per_stage=1)
    read = services.load_map(ctx, m).touchpoints[0]
    services.update_row(
        ctx, m, "touchpoint", read.id, read.version, {"name": "Checkout page"},
        read_values={"name": read.name},
    )  # fmt: skip
    # Bob read the row before Alice's rename and changes its emotion: no conflict.
    merged = services.update_row(
        ctx, m, "touchpoint", read.id, read.version, {"emotion": -1},
        read_values={"emotion": read.emotion},
    )  # fmt: skip
    now = services.load_map(ctx, m).touchpoints[0]
    assert (now.name, now.emotion, now.version) == ("Checkout page", -1, read.version + 2)
    assert merged.as_dict()["version"] == now.version
    # Without the values it read, a stale version is still refused.
    with pytest.raises(ConflictError):
        services.update_row(ctx, m, "touchpoint", read.id, read.version, {"effort": 4})


def test_updating_or_deleting_a_row_someone_deleted_is_a_conflict(ctx: Context) -> None:
    m = _imported(ctx, stages=1, touchpoints_per_stage=2)
    tp = services.load_map(ctx, m).touchpoints[0]
    services.delete_row(ctx, m, "touchpoint", tp.id, tp.version)
    with pytest.raises(ConflictError, match="was deleted by someone else"):
        services.update_row(ctx, m, "touchpoint", tp.id, tp.version, {"name": "Back"})
    stale = services.load_map(ctx, m).touchpoints[0]
    services.update_row(ctx, m, "touchpoint", stale.id, stale.version, {"name": "Renamed"})
    with pytest.raises(ConflictError, match="changed by someone else"):
        services.delete_row(ctx, m, "touchpoint", stale.id, stale.version)
    assert [t.name for t in services.load_map(ctx, m).touchpoints] == ["Renamed"]


def test_stale_map_rename_is_a_conflict(ctx: Context) -> None:
    journey = services.create_map(ctx, "Journey")
    services.update_map(ctx, journey.id, journey.version, description="by Alice")
    with pytest.raises(ConflictError, match="map 'Journey' was changed by someone else"):
        services.update_map(ctx, journey.id, journey.version, name="by Bob")
    assert services.get_map(ctx, journey.id).name == "Journey"


def test_grid_edits_apply_all_or_nothing(ctx: Context) -> None:
    m = _imported(ctx, stages=1, touchpoints_per_stage=3)
    tps = services.load_map(ctx, m).touchpoints
    stage_id = tps[0].stage_id
    revision = services.map_revision(ctx, m)
    edits = [
        Change("update", "touchpoint", tps[0].id, tps[0].version, {"name": "Renamed"}),
        Change("create", "touchpoint", values={"stage_id": stage_id, "name": "New one"}),
        Change("delete", "touchpoint", tps[1].id, tps[1].version),
        Change("update", "touchpoint", tps[2].id, tps[2].version, {"emotion": 9}),
    ]
    with pytest.raises(InvalidInput, match="change 4 · emotion: 9 is outside the range -2…2"):
        services.apply_changes(ctx, m, edits)
    after = services.load_map(ctx, m)
    assert [t.name for t in after.touchpoints] == ["Touchpoint 1", "Touchpoint 2", "Touchpoint 3"]
    assert services.map_revision(ctx, m) == revision

    results = services.apply_changes(ctx, m, edits[:3])
    assert [t.name for t in services.load_map(ctx, m).touchpoints] == [
        "Renamed",
        "Touchpoint 3",
        "New one",
    ]
    assert results[2] is None and results[1] is not None


def test_grid_edit_conflict_rolls_back_the_whole_batch(ctx: Context) -> None:
    m = _imported(ctx, stages=1, touchpoints_per_stage=2)
    a, b = services.load_map(ctx, m).touchpoints
    services.update_row(ctx, m, "touchpoint", b.id, b.version, {"name": "Changed elsewhere"})
    with pytest.raises(ConflictError):
        services.apply_changes(
            ctx,
            m,
            [
                Change("update", "touchpoint", a.id, a.version, {"name": "Mine"}),
                Change("update", "touchpoint", b.id, b.version, {"name": "Mine too"}),
            ],
        )
    assert [t.name for t in services.load_map(ctx, m).touchpoints] == [
        "Touchpoint 1",
        "Changed elsewhere",
    ]


def test_seed_loads_the_demo_maps_once(ctx: Context) -> None:
    created = services.seed_demo_maps(ctx)
    assert len(created) == len(services.demo_templates()) == 3
    assert services.seed_demo_maps(ctx) == []
    services.create_map(ctx, "Mine")
    again = services.seed_demo_maps(ctx, reset=True)
    assert sorted(m.name for m in again) == sorted(s.map.name for s in services.list_maps(ctx))


def test_scoring_settings_are_stored_with_the_map_and_change_the_analysis(ctx: Context) -> None:
    from cxmap.analysis.scoring import ScoringSettings

    map_id = _imported(ctx, stages=2, touchpoints_per_stage=2)
    journey = services.get_map(ctx, map_id)
    assert services.scoring_settings(ctx, map_id) == ScoringSettings()
    before = services.analyze_map(ctx, map_id)
    only_drop_off = ScoringSettings(
        weights={"emotion": 0, "effort": 0, "pain": 0, "feedback": 0, "drop_off": 1}
    )
    saved = services.save_scoring_settings(ctx, map_id, journey.version, only_drop_off)
    assert services.scoring_settings(ctx, map_id) == only_drop_off
    after = services.analyze_map(ctx, map_id)
    assert [t.friction for t in after.touchpoints] != [t.friction for t in before.touchpoints]
    assert all(t.friction == round(100 * t.components["drop_off"], 2) for t in after.touchpoints)
    copy = services.duplicate_map(ctx, map_id)
    assert services.scoring_settings(ctx, copy.id) == only_drop_off
    with pytest.raises(InvalidInput, match="at least one weight must be above 0"):
        services.save_scoring_settings(
            ctx,
            map_id,
            saved.version,
            ScoringSettings(weights=dict.fromkeys(only_drop_off.weights, 0)),
        )
    with pytest.raises(ConflictError):
        services.save_scoring_settings(ctx, map_id, journey.version, ScoringSettings())


def test_a_write_while_another_writer_holds_sqlite_says_busy_and_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import holds SQLite's write lock while it stores; an editor's save meanwhile
    waits, then gets a message to try again (not a traceback), and nothing half-saved."""
    monkeypatch.setattr(db_module, "SQLITE_BUSY_SECONDS", 0.2)
    database = Database(f"sqlite:///{tmp_path}/busy.db")
    database.migrate()
    journey = services.create_map(database, "Workshop")
    holder = sqlite3.connect(tmp_path / "busy.db")
    holder.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        with pytest.raises(Busy, match="busy saving another change .* Try again in a moment"):
            services.update_map(database, journey.id, journey.version, name="Renamed")
    finally:
        holder.rollback()
        holder.close()
    assert services.get_map(database, journey.id).name == "Workshop"
    services.update_map(database, journey.id, journey.version, name="Renamed")
    assert services.get_map(database, journey.id).name == "Renamed"
    database.dispose()


# ---------------------------------------------------------------- personas


def _other_editor_deletes_a_touchpoint_on_persona_insert(ctx: Context, touchpoint_id: int) -> str:
    """A real trigger playing another editor: as soon as a persona is added, a touchpoint is
    deleted (as if someone saved that between the copy's rows). Returns the SQL that drops it."""
    delete = f"DELETE FROM touchpoint WHERE id = {touchpoint_id}"
    with ctx.db.engine.begin() as connection:  # type: ignore[attr-defined]
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(
                f"CREATE TRIGGER other_editor AFTER INSERT ON persona BEGIN {delete}; END"
            )
            return "DROP TRIGGER other_editor"
        connection.exec_driver_sql(
            "CREATE FUNCTION other_editor() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {delete}; RETURN NEW; END $$"
        )
        connection.exec_driver_sql(
            "CREATE TRIGGER other_editor AFTER INSERT ON persona FOR EACH ROW "
            "EXECUTE FUNCTION other_editor()"
        )
        return "DROP TRIGGER other_editor ON persona; DROP FUNCTION other_editor()"


def test_duplicate_persona_is_one_change_with_every_emotion(ctx: Context) -> None:
    map_id = _imported(ctx, personas=2)
    parent = services.load_map(ctx, map_id).personas[0]
    copy = services.duplicate_persona(ctx, map_id, parent.id)
    after = services.load_map(ctx, map_id)
    assert (copy.name, copy.goals) == (f"{parent.name} (copy)", parent.goals)

    def feelings(persona_id: int) -> set[tuple[int, int, str, str]]:
        return {(e.touchpoint_id, e.score, e.label, e.note) for e in after.emotions
                if e.persona_id == persona_id}  # fmt: skip

    assert feelings(parent.id) and feelings(copy.id) == feelings(parent.id)
    assert services.duplicate_persona(ctx, map_id, parent.id).name == f"{parent.name} (copy 2)"


def test_a_refused_persona_copy_leaves_no_trace(ctx: Context) -> None:
    map_id = _imported(ctx, personas=2)
    before = services.load_map(ctx, map_id)
    drop = _other_editor_deletes_a_touchpoint_on_persona_insert(ctx, before.touchpoints[0].id)
    try:
        with pytest.raises(InvalidInput, match="touchpoint"):
            services.duplicate_persona(ctx, map_id, before.personas[0].id)
    finally:
        with ctx.db.engine.begin() as connection:  # type: ignore[attr-defined]
            for statement in drop.split("; "):
                connection.exec_driver_sql(statement)
    after = services.load_map(ctx, map_id)
    assert after.revision == before.revision
    assert [p.name for p in after.personas] == [p.name for p in before.personas]
    assert len(after.emotions) == len(before.emotions)
    assert len(after.touchpoints) == len(before.touchpoints), "the whole transaction went back"


def test_one_change_is_one_revision(ctx: Context) -> None:
    """A change raises the revision by one, however many writes it takes inside."""
    journey = services.create_map(ctx, "Journey")
    services.create_row(ctx, journey.id, "stage", {"name": "Awareness"})
    assert services.map_revision(ctx, journey.id) == 1
