"""The journey builder page (pages/2_Journey_Builder.py), driven by Streamlit's AppTest.

Each test gets its own SQLite file and empty caches (the home page tests' fixtures). AppTest
cannot type into data_editor cells, so :func:`edit_grid` sends the grid's edit state to the app
the way the browser does (a widget state for the editor's id): the page's own ``on_change``
callback then runs, exactly as after an edit in the browser.
"""

# The database fixtures come from the home page tests (pytest resolves them by name).
# ruff: noqa: F811

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.analysis import scoring
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context
from cxmap.core.records import JourneyAggregate, MapRecord, TouchpointRecord
from tests.test_app_home import (
    NASTY_NAME,
    texts_rendered_as_markdown,
    unescape,
)

pytestmark = pytest.mark.usefixtures("database_url")  # a temp database per test

APP = PROJECT_ROOT / "app.py"
BUILDER = "pages/2_Journey_Builder.py"  # relative to app.py, as the app's page links are
DEMO = DEMO_DIR / "telecom-broadband-onboarding.json"


@pytest.fixture
def demo(app_ctx: Context) -> MapRecord:
    return services.import_file(app_ctx, DEMO.read_bytes())


def run_builder(map_id: int | None = None, section: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.switch_page(BUILDER)
    if map_id is not None:
        at.query_params["map"] = str(map_id)
    if section is not None:
        at.query_params["section"] = section
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def grid(at: AppTest, name: str) -> Any:
    [editor] = [e for e in at.data_editor if (e.key or "").startswith(f"grid_{name}_")]
    return editor


def edit_grid(
    at: AppTest,
    name: str,
    *,
    edited: dict[int, dict[str, Any]] | None = None,
    added: list[dict[str, Any]] | None = None,
    deleted: list[int] | None = None,
) -> AppTest:
    """Edit grid ``name`` as the browser reports it (``on_change`` runs), and rerun.

    The editor's state is cumulative, as in the browser: ``edited`` cells join those edited
    before, ``added`` rows come after those added before, ``deleted`` rows join the deleted.
    """
    editor = grid(at, name)
    editor_id = editor.proto.id
    widgets = at._tree.get_widget_states()
    state = dict(at.session_state[editor.key]) if editor.key in at.session_state else {}
    rows = {int(i): dict(cells) for i, cells in (state.get("edited_rows") or {}).items()}
    for index, cells in (edited or {}).items():
        rows.setdefault(index, {}).update(cells)
    state = {
        "edited_rows": rows,
        "added_rows": [*(state.get("added_rows") or []), *(added or [])],
        "deleted_rows": sorted({*(state.get("deleted_rows") or []), *(deleted or [])}),
    }
    kept = [w for w in widgets.widgets if w.id != editor_id]
    del widgets.widgets[:]
    widgets.widgets.extend(kept)
    widgets.widgets.append(WidgetState(id=editor_id, string_value=json.dumps(state)))
    at._run(widget_state=widgets)
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def load(ctx: Context, journey: MapRecord) -> JourneyAggregate:
    return services.load_map(ctx, journey.id)


def touchpoint(ctx: Context, journey: MapRecord, name: str) -> TouchpointRecord:
    return next(t for t in load(ctx, journey).touchpoints if t.name == name)


def row_of(at: AppTest, name: str, column: str, value: str) -> int:
    return list(grid(at, name).value[column]).index(value)


def toasts(at: AppTest) -> list[str]:
    return [unescape(t.value) for t in at.toast]


def saved_line(at: AppTest) -> str:
    """The line under a grid that says what its last save was (without the time)."""
    [line] = [unescape(c.value) for c in at.caption if c.value.startswith("✓ Saved:")]
    return line.rsplit(" · ", 1)[0]


# ---------------------------------------------------------------- what a user sees first


def test_without_a_map_the_page_points_to_the_home_page() -> None:
    at = run_builder()
    assert any("Pick or create a journey map" in i.value for i in at.info)
    assert len(at.data_editor) == 0


def test_an_empty_map_starts_with_stages_and_asks_for_a_stage_first(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Blank")
    at = run_builder(journey.id)
    assert any("no stages yet" in i.value for i in at.info)
    assert [t.label for t in at.text_input] == ["New stage"]
    at = run_builder(journey.id, "Touchpoints")
    assert any("Add a stage first" in i.value for i in at.info)
    assert len(at.data_editor) == 0


def test_the_demo_map_shows_its_touchpoints_with_faces(app_ctx: Context, demo: MapRecord) -> None:
    at = run_builder(demo.id)
    table = grid(at, "touchpoints").value
    aggregate = load(app_ctx, demo)
    assert list(table["Touchpoint"]) == [t.name for t in aggregate.touchpoints]
    technician = list(table["Touchpoint"]).index("Technician installation visit")
    assert table["Emotion"][technician] == "😠 -2"
    assert table["Stage"][technician] == "Installation and first use"
    assert grid(at, "touchpoints").editing_mode == "dynamic"
    assert [s.label for s in at.selectbox] == ["Emotion column shows", "Stage"]  # reorder


def test_a_map_name_with_markup_is_shown_as_text(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, NASTY_NAME, with_standard_stages=True)
    at = run_builder(journey.id)
    assert unescape(at.title[0].value) == f"🧱 {NASTY_NAME}"
    assert not [t for t in texts_rendered_as_markdown(at) if "<img" in t.replace("\\<", "")]


# ---------------------------------------------------------------- saving as you edit


def test_an_edited_cell_is_saved_and_the_grid_stays_as_it_is(
    app_ctx: Context, demo: MapRecord
) -> None:
    at = run_builder(demo.id)
    key_before = grid(at, "touchpoints").key
    row = row_of(at, "touchpoints", "Touchpoint", "Technician installation visit")
    edit_grid(at, "touchpoints", edited={row: {"Emotion": "😐 0", "Drop-off %": 12.5}})

    saved = touchpoint(app_ctx, demo, "Technician installation visit")
    assert (saved.emotion, saved.drop_off) == (0, 0.125)
    assert saved_line(at) == (
        f"✓ Saved: row {row + 1} “Technician installation visit” · Emotion → 😐 0, "
        "Drop-off % → 12.5 %"
    )
    # The same editor (not re-created under the user, who may be typing the next cell) ...
    assert grid(at, "touchpoints").key == key_before
    assert not at.error and not at.warning and not toasts(at)
    # ... and the next edit of the row is saved once, on top of the first.
    edit_grid(at, "touchpoints", edited={row: {"Effort": 5}})
    again = touchpoint(app_ctx, demo, "Technician installation visit")
    assert (again.emotion, again.drop_off, again.effort, again.version) == (
        0,
        0.125,
        5,
        saved.version + 1,
    )
    assert saved_line(at).endswith("· Effort → 5")
    # A reload draws the map as saved.
    fresh = grid(run_builder(demo.id), "touchpoints").value
    assert (fresh["Emotion"][row], fresh["Effort"][row]) == ("😐 0", 5)


def test_a_new_row_is_a_new_touchpoint(app_ctx: Context, demo: MapRecord) -> None:
    at = run_builder(demo.id)
    edit_grid(
        at,
        "touchpoints",
        added=[
            {
                "Stage": "Support",
                "Touchpoint": "Gets a follow-up text",
                "Emotion": "🙂 +1",
                "Channel": "sms",
                "Effort": 1,
                "Moment of truth": True,
            }
        ],
    )
    new = touchpoint(app_ctx, demo, "Gets a follow-up text")
    support = next(s for s in load(app_ctx, demo).stages if s.name == "Support")
    assert (new.stage_id, new.emotion, new.channel, new.effort, new.moment_of_truth) == (
        support.id,
        1,
        "sms",
        1,
        True,
    )
    assert saved_line(at) == "✓ Saved: new row 1 added"
    # Typing on in the new row updates the touchpoint it became (no second touchpoint).
    edit_grid(at, "touchpoints", added=[])  # nothing new: nothing is saved twice
    [row] = [t for t in load(app_ctx, demo).touchpoints if t.name == "Gets a follow-up text"]
    assert row.version == new.version
    editor = grid(at, "touchpoints")
    state = json.loads(json.dumps(at.session_state[editor.key]))
    state["added_rows"][0]["Owner"] = "Care team"
    widgets = at._tree.get_widget_states()
    kept = [w for w in widgets.widgets if w.id != editor.proto.id]
    del widgets.widgets[:]
    widgets.widgets.extend([*kept, WidgetState(id=editor.proto.id, string_value=json.dumps(state))])
    at._run(widget_state=widgets)
    named = [t for t in load(app_ctx, demo).touchpoints if t.name == "Gets a follow-up text"]
    assert [(t.owner, t.id) for t in named] == [("Care team", new.id)]
    fresh = grid(run_builder(demo.id), "touchpoints").value
    assert "Gets a follow-up text" in list(fresh["Touchpoint"])


def test_an_invalid_value_names_row_and_field_and_keeps_every_edit(
    app_ctx: Context,
    demo: MapRecord,
) -> None:
    at = run_builder(demo.id)
    before = load(app_ctx, demo)
    key = grid(at, "touchpoints").key
    # A good edit and a bad one in the same grid: the good one is saved (a typo in one cell
    # must not hold up the room's other edits); the bad one stays on screen, refused.
    edit_grid(at, "touchpoints", edited={0: {"Owner": "Brand team"}, 2: {"Emotion": "7"}})

    [error] = at.error
    assert unescape(error.value) == (
        "Not saved. row 3 “Sees a sponsored social media post” · Emotion: "
        "7 is outside the range -2…2"
    )
    after = load(app_ctx, demo).touchpoints
    assert after[0].owner == "Brand team"
    assert after[2] == before.touchpoints[2]  # the refused row is untouched
    assert grid(at, "touchpoints").key == key  # same grid: the browser keeps the edits
    assert at.session_state[key]["edited_rows"] == {
        0: {"Owner": "Brand team"},
        2: {"Emotion": "7"},
    }
    assert saved_line(at).endswith("· Owner → “Brand team”")

    # Fixing the cell saves it; the first edit is not saved again.
    edit_grid(at, "touchpoints", edited={2: {"Emotion": "😟 -1"}})
    after = load(app_ctx, demo).touchpoints
    assert (after[0].owner, after[0].version, after[2].emotion) == (
        "Brand team",
        before.touchpoints[0].version + 1,
        -1,
    )
    assert not at.error


def test_an_empty_name_and_an_unknown_stage_are_refused_with_a_message(
    app_ctx: Context,
    demo: MapRecord,
) -> None:
    at = run_builder(demo.id)
    edit_grid(at, "touchpoints", edited={1: {"Touchpoint": ""}})
    assert "row 2 “Compares deals on a comparison site” · Touchpoint:" in unescape(
        at.error[0].value
    )
    click(at, "Discard my unsaved edits")
    assert not at.error
    edit_grid(
        at,
        "touchpoints",
        added=[{"Stage": "Nowhere", "Touchpoint": "Lost", "Moment of truth": False}],
    )
    assert unescape(at.error[0].value) == (
        "Not saved. new row 1 · Stage: 'Nowhere' is not a stage of this map"
    )
    assert all(t.name != "Lost" for t in load(app_ctx, demo).touchpoints)


# ---------------------------------------------------------------- two people, one row


def someone_else_edits(ctx: Context, journey: MapRecord, name: str, **values: Any) -> None:
    record = touchpoint(ctx, journey, name)
    services.update_row(ctx, journey.id, "touchpoint", record.id, record.version, values)


def test_a_conflict_says_what_changed_and_keep_mine_saves_on_top(
    app_ctx: Context,
    demo: MapRecord,
) -> None:
    at = run_builder(demo.id)
    row = row_of(at, "touchpoints", "Touchpoint", "Receives the first bill")
    someone_else_edits(app_ctx, demo, "Receives the first bill", emotion=-2, owner="Billing ops")

    edit_grid(at, "touchpoints", edited={row: {"Emotion": "😐 0"}})
    [warning] = at.warning
    text = unescape(warning.value)
    assert "Someone else changed the same row first" in text
    assert f"row {row + 1} “Receives the first bill”: someone else changed" in text
    assert "emotion 😟 -1 → 😠 -2" in text and "owner “Billing” → “Billing ops”" in text
    assert "Yours: emotion → 😐 0" in text
    assert touchpoint(app_ctx, demo, "Receives the first bill").emotion == -2  # not overwritten
    assert {"Keep mine", "Take theirs"} <= {b.label for b in at.button}

    click(at, "Keep mine")
    saved = touchpoint(app_ctx, demo, "Receives the first bill")
    assert (saved.emotion, saved.owner) == (0, "Billing ops")  # mine on top of theirs
    assert not at.warning
    assert grid(at, "touchpoints").value["Emotion"][row] == "😐 0"


def test_take_theirs_discards_mine_and_shows_theirs(app_ctx: Context, demo: MapRecord) -> None:
    at = run_builder(demo.id)
    row = row_of(at, "touchpoints", "Touchpoint", "Receives the first bill")
    someone_else_edits(app_ctx, demo, "Receives the first bill", emotion=-2)
    edit_grid(at, "touchpoints", edited={row: {"Emotion": "😄 +2"}})
    assert at.warning

    click(at, "Take theirs")
    assert touchpoint(app_ctx, demo, "Receives the first bill").emotion == -2
    assert not at.warning
    assert grid(at, "touchpoints").value["Emotion"][row] == "😠 -2"


def test_editing_a_row_someone_deleted_is_a_conflict_too(app_ctx: Context, demo: MapRecord) -> None:
    at = run_builder(demo.id)
    gone = load(app_ctx, demo).touchpoints[-1]
    row = row_of(at, "touchpoints", "Touchpoint", gone.name)
    services.delete_row(app_ctx, demo.id, "touchpoint", gone.id)
    edit_grid(at, "touchpoints", edited={row: {"Effort": 2}})
    where = f"row {row + 1} “{gone.name}”"
    assert f"{where}: deleted by someone else." in unescape(at.warning[0].value)
    click(at, "Keep mine")  # nothing of it can be kept: it is named, not silently dropped
    assert f"Not saved: {where} (deleted by someone else meanwhile)" in toasts(at)


# ---------------------------------------------------------------- deletes and undo


def test_deleting_a_touchpoint_with_pain_points_asks_first(
    app_ctx: Context, demo: MapRecord
) -> None:
    at = run_builder(demo.id)
    row = row_of(at, "touchpoints", "Touchpoint", "Technician installation visit")
    edit_grid(at, "touchpoints", deleted=[row])
    [warning] = at.warning
    assert unescape(warning.value).startswith(
        "Delete touchpoint “Technician installation visit”? This also deletes 3 persona "
        "emotions, 1 pain point and 3 transitions."
    )
    assert "stay, unlinked. This cannot be undone." in unescape(warning.value)
    assert touchpoint(app_ctx, demo, "Technician installation visit")  # still there

    click(at, "Keep them")
    assert not at.warning
    assert "Technician installation visit" in list(grid(at, "touchpoints").value["Touchpoint"])

    edit_grid(at, "touchpoints", deleted=[row])
    click(at, "Delete")
    aggregate = load(app_ctx, demo)
    assert "Technician installation visit" not in [t.name for t in aggregate.touchpoints]
    assert len(aggregate.pain_points) == 9  # its pain point went with it


def test_undo_takes_back_the_last_change(app_ctx: Context, demo: MapRecord) -> None:
    at = run_builder(demo.id)
    undo = at.button(key=f"undo_button_{demo.id}")
    assert undo.disabled
    edit_grid(at, "touchpoints", edited={0: {"Touchpoint": "Sees the TV advert", "Effort": 3}})
    assert touchpoint(app_ctx, demo, "Sees the TV advert").effort == 3

    at.button(key=f"undo_button_{demo.id}").click().run()
    first = load(app_ctx, demo).touchpoints[0]
    assert (first.name, first.effort) == ("Sees the TV ad for the fibre offer", 1)
    assert any(t.startswith("Undone: row 1") for t in toasts(at))
    assert at.button(key=f"undo_button_{demo.id}").disabled


def test_undo_of_a_new_row_deletes_it(app_ctx: Context, demo: MapRecord) -> None:
    at = run_builder(demo.id)
    edit_grid(at, "touchpoints", added=[{"Stage": "Support", "Touchpoint": "Temporary"}])
    assert any(t.name == "Temporary" for t in load(app_ctx, demo).touchpoints)
    at.button(key=f"undo_button_{demo.id}").click().run()
    assert all(t.name != "Temporary" for t in load(app_ctx, demo).touchpoints)


def test_undo_after_someone_else_changed_the_row_is_a_conflict(
    app_ctx: Context,
    demo: MapRecord,
) -> None:
    at = run_builder(demo.id)
    edit_grid(at, "touchpoints", edited={0: {"Effort": 3}})
    someone_else_edits(app_ctx, demo, "Sees the TV ad for the fibre offer", effort=5)
    at.button(key=f"undo_button_{demo.id}").click().run()
    said = unescape(at.warning[0].value)
    assert said.startswith("Could not undo “row 1 “Sees the TV ad for the fibre offer” · Effort")
    assert (
        "someone else changed 'Sees the TV ad for the fibre offer' (t1) since (effort → 5)" in said
    )
    assert "version" not in said  # in words, not revision numbers
    assert touchpoint(app_ctx, demo, "Sees the TV ad for the fibre offer").effort == 5


# ---------------------------------------------------------------- personas' emotions


def test_the_persona_picker_switches_the_emotion_column(app_ctx: Context, demo: MapRecord) -> None:
    aggregate = load(app_ctx, demo)
    parent = next(p for p in aggregate.personas if p.name == "Busy parent")
    at = run_builder(demo.id)
    at.selectbox(key=f"persona_view_{demo.id}").select(parent.id).run()
    assert not at.exception
    assert grid(at, "touchpoints").editing_mode == "delete"
    technician = touchpoint(app_ctx, demo, "Technician installation visit")
    row = row_of(at, "touchpoints", "Touchpoint", technician.name)
    mine = next(
        e
        for e in aggregate.emotions
        if e.touchpoint_id == technician.id and e.persona_id == parent.id
    )
    assert (
        grid(at, "touchpoints").value["Emotion"][row]
        == f"{'😠' if mine.score == -2 else '😟'} {mine.score:+d}"
    )

    edit_grid(at, "touchpoints", edited={row: {"Emotion": "😄 +2"}})
    after = load(app_ctx, demo)
    assert next(e for e in after.emotions if e.id == mine.id).score == 2
    assert touchpoint(app_ctx, demo, technician.name).emotion == technician.emotion  # own kept

    edit_grid(at, "touchpoints", edited={row: {"Emotion": None}})
    assert all(e.id != mine.id for e in load(app_ctx, demo).emotions)


# ---------------------------------------------------------------- the other grids


def test_pain_points_and_opportunities_are_edited_in_their_grids(
    app_ctx: Context,
    demo: MapRecord,
) -> None:
    at = run_builder(demo.id, "Pain points")
    edit_grid(
        at,
        "pain_points",
        added=[
            {
                "Touchpoint": "Checks out online",
                "Pain point": "Card form times out",
                "Severity": 4,
                "Frequency": 2,
            }
        ],
    )
    pain = next(
        p for p in load(app_ctx, demo).pain_points if p.description == "Card form times out"
    )
    assert (pain.touchpoint_id, pain.severity, pain.frequency) == (
        touchpoint(app_ctx, demo, "Checks out online").id,
        4,
        2,
    )
    shown = grid(run_builder(demo.id, "Pain points"), "pain_points").value
    row = list(shown["Pain point"]).index("Card form times out")
    assert shown["Score"][row] == 8

    at = run_builder(demo.id, "Opportunities")
    label = "Card form times out"  # pain points are picked by what they say, not their key
    edit_grid(
        at,
        "opportunities",
        added=[
            {
                "Opportunity": "Save the card form as a draft",
                "Touchpoint": "Checks out online",
                "Pain point": label,
                "Customer value": 70,
                "Business value": 40,
                "Effort": 2,
                "Status": "planned",
            }
        ],
    )
    idea = next(o for o in load(app_ctx, demo).opportunities if o.title.startswith("Save the card"))
    assert (idea.pain_point_id, idea.customer_value, idea.status) == (pain.id, 70, "planned")


def test_a_duplicate_transition_is_refused_naming_the_row(
    app_ctx: Context, demo: MapRecord
) -> None:
    at = run_builder(demo.id, "Transitions")
    first = grid(at, "transitions").value.iloc[0]
    count = len(load(app_ctx, demo).transitions)
    edit_grid(at, "transitions", added=[{"From": first["From"], "To": first["To"], "Weight": 1}])
    assert unescape(at.error[0].value) == "Not saved. new row 1: this transition already exists"
    assert len(load(app_ctx, demo).transitions) == count


def test_the_default_flow_becomes_explicit_transitions(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Flow", with_standard_stages=True)
    stages = load(app_ctx, journey).stages
    for stage, names in ((stages[0], ["Ad", "Search"]), (stages[1], ["Compare", "Call", "Visit"])):
        for name in names:
            services.create_row(
                app_ctx, journey.id, "touchpoint", {"stage_id": stage.id, "name": name}
            )
    at = run_builder(journey.id, "Transitions")
    assert any("flows stage by stage" in i.value for i in at.info)
    click(at, "Start from the default stage-by-stage flow")

    aggregate = load(app_ctx, journey)
    names = {t.id: t.name for t in aggregate.touchpoints}
    pairs = sorted((names[t.source_id], names[t.target_id]) for t in aggregate.transitions)
    assert pairs == sorted((a, b) for a in ("Ad", "Search") for b in ("Compare", "Call", "Visit"))
    assert all(t.weight == 1.0 for t in aggregate.transitions)
    assert not scoring.analyze(aggregate).uses_default_transitions
    assert len(grid(at, "transitions").value) == 6


def test_zero_weights_show_no_flow_and_a_warning(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Zero", with_standard_stages=True)
    stages = load(app_ctx, journey).stages
    ids = {}
    for stage, name in ((stages[0], "Ad"), (stages[1], "Compare"), (stages[1], "Call")):
        ids[name] = services.create_row(
            app_ctx, journey.id, "touchpoint", {"stage_id": stage.id, "name": name}
        ).id
    for target in ("Compare", "Call"):
        services.create_row(
            app_ctx, journey.id, "transition",
            {"source_id": ids["Ad"], "target_id": ids[target], "weight": 0.0},
        )  # fmt: skip
    at = run_builder(journey.id, "Transitions")
    # Weight 0 is no flow: each share is 0 % (was blank, while the analytics split 50/50).
    assert list(grid(at, "transitions").value["Share %"]) == [0.0, 0.0]
    assert [unescape(w.value) for w in at.warning] == [
        "Ad: every transition out of it has weight 0, so no customer moves on from there "
        "(weight 0 means no flow): the model treats it as an end of the journey. Give one of "
        "its transitions a weight above 0, or delete them if it is an end."
    ]
    result = scoring.analyze(load(app_ctx, journey))
    assert [round(t.reach, 2) for t in result.touchpoints] == [1.0, 0.0, 0.0]


# ---------------------------------------------------------------- stages


def stage_names(ctx: Context, journey: MapRecord) -> list[str]:
    return [s.name for s in load(ctx, journey).stages]


def test_stages_are_added_renamed_moved_and_deleted(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Stages")
    at = run_builder(journey.id)
    for name in ("Awareness", "Purchase", "Use"):
        at.text_input(key=f"new_stage_{journey.id}").input(name)
        at.button(key=f"add_stage_{journey.id}").click().run()
        assert not at.exception
    assert stage_names(app_ctx, journey) == ["Awareness", "Purchase", "Use"]
    assert at.text_input(key=f"new_stage_{journey.id}").value == ""

    purchase = load(app_ctx, journey).stages[1]
    [field] = [t for t in at.text_input if t.value == "Purchase"]
    field.input("Buy").run()
    assert stage_names(app_ctx, journey) == ["Awareness", "Buy", "Use"]

    at.button(key=f"stage_up_{purchase.id}").click().run()
    assert stage_names(app_ctx, journey) == ["Buy", "Awareness", "Use"]

    services.create_row(app_ctx, journey.id, "touchpoint", {"stage_id": purchase.id, "name": "Pay"})
    at = run_builder(journey.id, "Stages")
    assert any(
        "Delete stage “Buy”? This also deletes 1 touchpoint. This cannot be undone."
        in unescape(w.value)
        for w in at.warning
    )
    at.button(key=f"stage_delete_{purchase.id}").click().run()
    assert stage_names(app_ctx, journey) == ["Awareness", "Use"]
    assert load(app_ctx, journey).touchpoints == []


def test_a_stage_needs_a_name(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Stages", with_standard_stages=True)
    at = run_builder(journey.id, "Stages")
    [field] = [t for t in at.text_input if t.value == "Purchase"]
    field.input("  ").run()
    assert "stage “Purchase” · name" in unescape(at.error[0].value)
    assert "Purchase" in stage_names(app_ctx, journey)


def test_undo_of_a_rename_of_a_stage(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Stages", with_standard_stages=True)
    at = run_builder(journey.id, "Stages")
    [field] = [t for t in at.text_input if t.value == "Support"]
    field.input("Help").run()
    assert "Help" in stage_names(app_ctx, journey)
    at.button(key=f"undo_button_{journey.id}").click().run()
    assert stage_names(app_ctx, journey) == list(services.STANDARD_STAGES)


def test_undo_of_a_deleted_transition_brings_it_back(app_ctx: Context, demo: MapRecord) -> None:
    at = run_builder(demo.id, "Transitions")
    before = load(app_ctx, demo).transitions
    first = grid(at, "transitions").value.iloc[0]
    edit_grid(at, "transitions", deleted=[0])
    assert not at.warning  # nothing goes with a transition: no question asked
    assert len(load(app_ctx, demo).transitions) == len(before) - 1
    assert saved_line(at) == f"✓ Saved: row 1 “{first['From']} → {first['To']}” deleted"

    at.button(key=f"undo_button_{demo.id}").click().run()
    after = load(app_ctx, demo).transitions
    key = {(t.source_id, t.target_id, t.weight) for t in before}
    assert {(t.source_id, t.target_id, t.weight) for t in after} == key


def test_a_delete_that_takes_rows_with_it_cannot_be_undone(
    app_ctx: Context, demo: MapRecord
) -> None:
    at = run_builder(demo.id)
    edit_grid(at, "touchpoints", edited={0: {"Effort": 2}})
    assert not at.button(key=f"undo_button_{demo.id}").disabled
    row = row_of(at, "touchpoints", "Touchpoint", "Technician installation visit")
    edit_grid(at, "touchpoints", deleted=[row])
    click(at, "Delete")
    assert at.button(key=f"undo_button_{demo.id}").disabled


def test_a_channel_is_typed_into_its_cell_new_or_known(app_ctx: Context, demo: MapRecord) -> None:
    at = run_builder(demo.id)

    # No separate "add a channel" box: the cell takes any channel.
    assert not [t for t in at.text_input if "channel" in (t.label or "").lower()]
    edit_grid(at, "touchpoints", edited={0: {"Channel": "kiosk"}, 1: {"Channel": " Email "}})
    first, second = load(app_ctx, demo).touchpoints[:2]
    assert (first.channel, second.channel) == ("kiosk", "email")  # a known one as known
    edit_grid(at, "touchpoints", edited={2: {"Channel": "mail"}})
    assert load(app_ctx, demo).touchpoints[2].channel == "mail"  # not completed to "email"


def test_touchpoints_are_moved_up_and_down_within_their_stage(
    app_ctx: Context, demo: MapRecord
) -> None:
    at = run_builder(demo.id)
    aggregate = load(app_ctx, demo)
    first_stage = aggregate.stages[0]
    names = [t.name for t in aggregate.touchpoints if t.stage_id == first_stage.id]
    second = next(t for t in aggregate.touchpoints if t.name == names[1])
    at.button(key=f"tp_up_{second.id}").click().run()
    after = [t.name for t in load(app_ctx, demo).touchpoints if t.stage_id == first_stage.id]
    assert after == [names[1], names[0], *names[2:]]
    # The grid is drawn in the new order (the user acted outside it).
    shown = list(grid(at, "touchpoints").value["Touchpoint"])
    assert shown[:2] == [names[1], names[0]]
