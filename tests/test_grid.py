"""cxmap.app.widgets.grid_changes and .cells: a data editor's edit state → changes, and the
changes that undo them.

Pure functions, so every test is a hand-written table: the rows a grid was drawn from, what the
editor reported, and the changes expected (no database, no Streamlit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from cxmap.app.widgets import cells, grid_changes
from cxmap.app.widgets.cells import Column, GridColumns
from cxmap.core.errors import InvalidInput
from cxmap.core.records import (
    Change,
    EmotionRecord,
    FeedbackRecord,
    JourneyAggregate,
    MapRecord,
    OpportunityRecord,
    PainPointRecord,
    PersonaRecord,
    StageRecord,
    TouchpointRecord,
    TransitionRecord,
)

STAGES = cells.Choice({10: "Awareness", 11: "Purchase"}, what="stage")
COLUMNS = GridColumns(
    [
        Column("Stage", "stage_id", STAGES.to_id, STAGES.to_label),
        Column("Touchpoint", "name"),
        Column("Emotion", "emotion", cells.parse_emotion, cells.emotion_label),
        Column("Effort", "effort", cells.integer),
        Column("Drop-off %", "drop_off", cells.percent_to_share, cells.share_to_percent),
        Column("MoT", "moment_of_truth", cells.boolean),
    ]
)
# What the grid was drawn from: display values, plus each record's id and version.
ROWS: list[dict[str, Any]] = [
    {
        "id": 1,
        "version": 4,
        "_label": "Sees TV ad",
        "Stage": "Awareness",
        "Touchpoint": "Sees TV ad",
        "Emotion": "🙂 +1",
        "Effort": 1,
        "Drop-off %": 0.0,
        "MoT": False,
        "Score": 3,  # a computed, read-only column: not in COLUMNS
    },
    {
        "id": 2,
        "version": 1,
        "_label": "Checks out",
        "Stage": "Purchase",
        "Touchpoint": "Checks out",
        "Emotion": "😟 -1",
        "Effort": 3,
        "Drop-off %": 15.0,
        "MoT": True,
        "Score": 9,
    },
]


def state(
    edited: dict[int, dict[str, Any]] | None = None,
    added: list[dict[str, Any]] | None = None,
    deleted: list[int] | None = None,
) -> dict[str, Any]:
    return {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}


def edits(editor_state: dict[str, Any]) -> list[Change]:
    return grid_changes.apply_edits(
        ROWS, editor_state, entity="touchpoint", to_values=COLUMNS.to_values
    )


# ---------------------------------------------------------------- display values ↔ model


@pytest.mark.parametrize(
    ("cell", "score"),
    [
        ("😠 -2", -2),
        ("😟 -1", -1),
        ("😐 0", 0),
        ("🙂 +1", 1),
        ("😄 +2", 2),
        ("+1", 1),
        ("−2", -2),  # a typographic minus sign
        ("😄", 2),
        (2, 2),
        (1.0, 1),
        (None, None),
        ("", None),
        (float("nan"), None),
        (pd.NA, None),
        ("7", 7),  # out of range is the service's to refuse, naming the range
    ],
)
def test_emotion_cells_become_scores(cell: Any, score: int | None) -> None:
    assert cells.parse_emotion(cell) == score


@pytest.mark.parametrize("cell", ["happy", 1.5, True])
def test_an_emotion_cell_that_is_no_score_is_refused(cell: Any) -> None:
    with pytest.raises(InvalidInput, match="emotion from -2 to \\+2"):
        cells.parse_emotion(cell)


@pytest.mark.parametrize("score", [-2, -1, 0, 1, 2])
def test_every_emotion_label_reads_back_as_its_score(score: int) -> None:
    label = cells.emotion_label(score)
    assert label in cells.EMOTION_OPTIONS
    assert cells.parse_emotion(label) == score


@pytest.mark.parametrize(
    ("percent", "share"),
    [(15, 0.15), (0, 0.0), (100, 1.0), (2.5, 0.025), (33.3, 0.333), (None, 0.0)],
)
def test_drop_off_percent_is_stored_as_a_share(percent: Any, share: float) -> None:
    assert cells.percent_to_share(percent) == share
    if percent is not None:
        assert cells.share_to_percent(share) == pytest.approx(percent)


def test_labels_stay_unique_when_names_repeat() -> None:
    labels = cells.unique_labels(
        [(1, "Phone call", "t1"), (2, "Chat", "t2"), (3, "Phone call", "t9")]
    )
    assert labels == {1: "Phone call (t1)", 2: "Chat", 3: "Phone call (t9)"}
    assert cells.Choice(labels, "touchpoint").to_id("Phone call (t9)") == 3


# ---------------------------------------------------------------- apply_edits


def test_an_edited_cell_is_an_update_with_what_the_editor_saw() -> None:
    [change] = edits(state({1: {"Emotion": "😠 -2"}}))
    assert change == Change(
        "update",
        "touchpoint",
        row_id=2,
        read_version=1,
        values={"emotion": -2},
        read_values={"emotion": -1},
    )


def test_display_columns_are_converted_back_to_model_fields() -> None:
    [change] = edits(
        state({0: {"Stage": "Purchase", "Drop-off %": 15, "Effort": 4.0, "MoT": True}})
    )
    assert change.values == {
        "stage_id": 11,
        "drop_off": 0.15,
        "effort": 4,
        "moment_of_truth": True,
    }
    assert change.read_values == {
        "stage_id": 10,
        "drop_off": 0.0,
        "effort": 1,
        "moment_of_truth": False,
    }
    assert (change.row_id, change.read_version) == (1, 4)


def test_a_cell_edited_back_to_its_value_makes_no_change() -> None:
    assert edits(state({0: {"Emotion": "+1", "Touchpoint": "Sees TV ad"}})) == []
    [change] = edits(state({0: {"Emotion": "🙂 +1", "Effort": 2}}))
    assert change.values == {"effort": 2}


def test_a_cleared_cell_is_empty_not_missing() -> None:
    [change] = edits(state({1: {"Emotion": None, "Touchpoint": None}}))
    assert change.values == {"emotion": None, "name": ""}


def test_new_rows_are_creates_and_untouched_new_rows_are_skipped() -> None:
    changes = edits(
        state(
            added=[
                {"Stage": "Purchase", "Touchpoint": "Pays", "Emotion": "😐 0"},
                {"Stage": None, "Touchpoint": ""},  # opened, not filled in yet
            ]
        )
    )
    assert changes == [
        Change("create", "touchpoint", values={"stage_id": 11, "name": "Pays", "emotion": 0})
    ]


def test_deleted_rows_are_deletes_at_the_version_seen_and_win_over_edits() -> None:
    changes = edits(state({0: {"Emotion": "😄 +2"}}, deleted=[0, 1]))
    assert changes == [
        Change("delete", "touchpoint", row_id=1, read_version=4),
        Change("delete", "touchpoint", row_id=2, read_version=1),
    ]


def test_order_is_updates_then_creates_then_deletes() -> None:
    changes = edits(
        state({1: {"Effort": 5}}, added=[{"Stage": "Awareness", "Touchpoint": "New"}], deleted=[0])
    )
    assert [c.op for c in changes] == ["update", "create", "delete"]


def test_edits_of_unconfigured_columns_are_ignored() -> None:
    assert edits(state({0: {"Score": 25}})) == []


def test_row_keys_may_arrive_as_text() -> None:
    [change] = edits({"edited_rows": {"1": {"Effort": 2}}, "added_rows": [], "deleted_rows": []})
    assert change.row_id == 2


@pytest.mark.parametrize(
    ("editor_state", "message"),
    [
        (state({1: {"Stage": "Nowhere"}}), "row 2 “Checks out” · Stage: 'Nowhere' is not a stage"),
        (state({0: {"Effort": "lots"}}), "row 1 “Sees TV ad” · Effort: 'lots' is not a whole"),
        (state(added=[{"Emotion": "meh"}]), "new row 1 · Emotion: 'meh' is not an emotion"),
    ],
)
def test_a_cell_that_cannot_be_converted_is_named_by_row_and_column(
    editor_state: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        edits(editor_state)
    assert error.value.message.startswith(message)


def test_located_edits_name_the_row_of_each_change() -> None:
    located = grid_changes.located_edits(
        ROWS,
        state({1: {"Effort": 2}}, added=[{"Stage": "Awareness", "Touchpoint": "X"}], deleted=[0]),
        entity="touchpoint",
        to_values=COLUMNS.to_values,
    )
    assert [where for where, _ in located] == [
        "row 2 “Checks out”",
        "new row 1",
        "row 1 “Sees TV ad”",
    ]


def test_failing_change_points_back_into_the_list() -> None:
    assert grid_changes.failing_change("change 2 · emotion") == (2, "emotion")
    assert grid_changes.failing_change("emotion") is None


# ---------------------------------------------------------------- persona emotions


PERSONA_ROWS: list[dict[str, Any]] = [
    {"id": 1, "version": 4, "Emotion": "😐 0", "emotion_id": 30, "emotion_version": 2},
    {"id": 2, "version": 1, "Emotion": None, "emotion_id": None, "emotion_version": None},
    {"id": 3, "version": 1, "Emotion": "🙂 +1", "emotion_id": 31, "emotion_version": 5},
]


def test_a_persona_column_edits_the_emotion_rows() -> None:
    located = grid_changes.persona_emotion_edits(
        PERSONA_ROWS,
        state({0: {"Emotion": "😠 -2"}, 1: {"Emotion": "😄 +2"}, 2: {"Emotion": None}}),
        column="Emotion",
        persona_id=7,
    )
    assert [change for _, change in located] == [
        Change("update", "emotion", 30, 2, {"score": -2}, {"score": 0}),
        Change("create", "emotion", values={"touchpoint_id": 2, "persona_id": 7, "score": 2}),
        Change("delete", "emotion", 31, 5),
    ]


def test_a_persona_column_skips_unchanged_and_deleted_rows_and_other_columns() -> None:
    located = grid_changes.persona_emotion_edits(
        PERSONA_ROWS,
        state({0: {"Emotion": "0"}, 1: {"Effort": 3}, 2: {"Emotion": "😠 -2"}}, deleted=[2]),
        column="Emotion",
        persona_id=7,
    )
    assert located == []


# ---------------------------------------------------------------- undo


BEFORE = {
    ("touchpoint", 1): {
        "id": 1,
        "key": "t1",
        "stage_id": 10,
        "name": "Sees TV ad",
        "position": 1,
        "emotion": 1,
        "effort": 1,
        "version": 4,
    },
    ("transition", 8): {"id": 8, "source_id": 1, "target_id": 2, "weight": 0.5, "version": 3},
}


def test_undo_of_an_update_writes_the_old_values_back_at_the_next_version() -> None:
    change = Change("update", "touchpoint", 1, 4, {"emotion": -2, "effort": 3}, {"emotion": 1})
    assert grid_changes.inverse([change], BEFORE) == [
        Change(
            "update",
            "touchpoint",
            1,
            5,
            values={"emotion": 1, "effort": 1},
            read_values={"emotion": -2, "effort": 3},
        )
    ]


def test_undo_of_a_create_deletes_the_new_row_at_its_first_version() -> None:
    change = Change("create", "touchpoint", values={"stage_id": 10, "name": "New"})
    created = {"id": 42, "version": 1, "name": "New"}
    assert grid_changes.inverse([change], {}, results=[created]) == [
        Change("delete", "touchpoint", 42, 1)
    ]
    with pytest.raises(ValueError, match="result is needed"):
        grid_changes.inverse([change], {})


def test_undo_of_a_delete_recreates_the_row_with_its_values_and_key() -> None:
    undo = grid_changes.inverse(
        [Change("delete", "touchpoint", 1, 4), Change("delete", "transition", 8, 3)], BEFORE
    )
    assert undo == [
        Change("create", "transition", values={"source_id": 1, "target_id": 2, "weight": 0.5}),
        Change(
            "create",
            "touchpoint",
            values={
                "key": "t1",
                "stage_id": 10,
                "name": "Sees TV ad",
                "position": 1,
                "emotion": 1,
                "effort": 1,
            },
        ),
    ]


def test_undo_runs_in_reverse_order() -> None:
    changes = [
        Change("update", "touchpoint", 1, 4, {"name": "Ad"}, {"name": "Sees TV ad"}),
        Change("create", "transition", values={"source_id": 1, "target_id": 3}),
        Change("delete", "transition", 8, 3),
    ]
    undo = grid_changes.inverse(changes, BEFORE, results=[None, {"id": 9, "version": 1}, None])
    assert [(c.op, c.entity) for c in undo] == [
        ("create", "transition"),
        ("delete", "transition"),
        ("update", "touchpoint"),
    ]


def test_undo_needs_the_values_before_an_update_or_delete() -> None:
    with pytest.raises(ValueError, match="cannot undo"):
        grid_changes.inverse([Change("delete", "stage", 5, 1)], BEFORE)


# ---------------------------------------------------------------- what a delete takes along


NOW = dt.datetime(2026, 1, 1)


def small_map() -> JourneyAggregate:
    """Two stages; t1 in s1, t2 and t3 in s2; a persona feeling t1 and t2."""

    def tp(id_: int, stage: int, name: str) -> TouchpointRecord:
        return TouchpointRecord(
            id_, f"t{id_}", stage, name, id_, "web", "", "", "", 0, None, None, 0.0, False, 1
        )

    return JourneyAggregate(
        map=MapRecord(1, "Small", "", "current", "en", NOW, NOW, 9, 1),
        personas=[PersonaRecord(5, "p1", "Parent", "", "", "", "", "", "", None, 1, 1)],
        stages=[StageRecord(1, "s1", "Awareness", 1, 1), StageRecord(2, "s2", "Purchase", 2, 1)],
        touchpoints=[tp(1, 1, "Sees ad"), tp(2, 2, "Pays"), tp(3, 2, "Gets receipt")],
        emotions=[
            EmotionRecord(1, 1, 5, -1, "", "", 1),
            EmotionRecord(2, 2, 5, 1, "", "", 1),
        ],
        pain_points=[PainPointRecord(7, "pp1", 2, "Card refused", 4, 2, 1)],
        opportunities=[
            OpportunityRecord(3, "o1", None, 7, "Retry payment", 50, 50, 2, "idea", 1),
            OpportunityRecord(4, "o2", 1, None, "Better ad", 20, 20, 1, "idea", 1),
        ],
        transitions=[TransitionRecord(1, 1, 2, 1.0, 1), TransitionRecord(2, 1, 3, 1.0, 1)],
        feedback=[
            FeedbackRecord(1, 2, "slow", None, 2, None, 7, "survey", None, None, "en", 1),
            FeedbackRecord(2, None, "ok", None, 4, None, 7, "survey", None, None, "en", 1),
        ],
    )


@pytest.mark.parametrize(
    ("deletes", "deleted", "unlinked", "text"),
    [
        (
            [Change("delete", "stage", 2, 1)],
            {"touchpoint": 2, "pain_point": 1, "emotion": 1, "transition": 2},
            {"opportunity": 1, "feedback": 1},
            # What cascades is listed in the registry's order (cxmap.core.entities).
            "Delete stage “Purchase”? This also deletes 2 touchpoints, 1 persona emotion, "
            "1 pain point and 2 transitions. 1 opportunity and 1 feedback row stay, "
            "unlinked. This cannot be undone.",
        ),
        (
            [Change("delete", "touchpoint", 3, 1)],
            {"transition": 1},
            {},
            "Delete touchpoint “Gets receipt”? This also deletes 1 transition. "
            "This cannot be undone.",
        ),
        (
            [Change("delete", "pain_point", 7, 1)],
            {},
            {"opportunity": 1},
            "Delete pain point “Card refused”? 1 opportunity stays, unlinked. "
            "This cannot be undone.",
        ),
        (
            [Change("delete", "persona", 5, 1)],
            {"emotion": 2},
            {},
            "Delete persona “Parent”? This also deletes 2 persona emotions. This cannot be undone.",
        ),
        (
            [Change("delete", "transition", 1, 1)],
            {},
            {},
            "Delete a transition? Nothing else goes with it.",
        ),
    ],
)
def test_a_delete_says_what_goes_with_it_and_what_stays(
    deletes: list[Change], deleted: dict[str, int], unlinked: dict[str, int], text: str
) -> None:
    aggregate = small_map()
    effects = grid_changes.deletion_effects(aggregate, deletes)
    assert dict(effects.deleted) == deleted
    assert dict(effects.unlinked) == unlinked
    assert effects.anything == bool(deleted or unlinked)
    question = grid_changes.describe_effects(aggregate, deletes, effects)
    assert question.params["items"][0].code == "delete.question"
    assert str(question) == text
