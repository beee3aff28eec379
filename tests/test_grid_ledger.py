"""Every edit typed into a grid reaches the database once, in order, however the editor's
reports are batched: the grid ledger (cxmap.app.widgets.grid_ledger) against a real database.

A ``st.data_editor`` reports its state cumulatively; at workshop speed several keystrokes
arrive in one report, or a report repeats the last one. Each test plays the editor's reports
through ``GridLedger.pending`` → ``services.apply_changes`` → ``GridLedger.settle``, as the
grid's ``on_change`` does, and checks the rows and their versions.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxmap import services
from cxmap.app.widgets.cells import Column, GridColumns, integer
from cxmap.app.widgets.grid_ledger import GridLedger
from cxmap.core.context import Context
from cxmap.core.records import Change, JourneyAggregate
from tests.factories import journey_document

COLUMNS = GridColumns(
    [
        Column("Touchpoint", "name"),
        Column("Owner", "owner"),
        Column("Effort", "effort", integer),
    ]
)
EDITABLE = ["Touchpoint", "Owner", "Effort"]


def _map(ctx: Context, touchpoints: int = 8) -> int:
    name = f"Grid {uuid.uuid4().hex[:8]}"
    document = journey_document(name, stages=1, touchpoints_per_stage=touchpoints)
    return services.import_document(ctx, document).id


def _rows(aggregate: JourneyAggregate) -> list[dict[str, Any]]:
    rows = []
    for t in aggregate.touchpoints:
        row = {"Touchpoint": t.name, "Owner": t.owner, "Effort": t.effort}
        rows.append({**row, "id": t.id, "version": t.version, "_label": t.name})
    return rows


def _save(ctx: Context, map_id: int, ledger: GridLedger, state: dict[str, Any]) -> int:
    """What the grid's on_change does with one report; returns how many changes it saved."""
    steps = ledger.pending(state, entity="touchpoint", to_values=COLUMNS.to_values)
    ready = [s for s in steps if s.change is not None]
    if not ready:
        return 0
    stage_id = services.load_map(ctx, map_id).stages[0].id
    changes = []
    for step in ready:
        change = step.change
        assert change is not None
        if change.op == "create":  # the grid's stage column is left out of these tests
            change = Change("create", "touchpoint", values={**change.values, "stage_id": stage_id})
        changes.append(change)
    results = services.apply_changes(ctx, map_id, changes)
    ledger.settle(ready, results, state)
    return len(ready)


def test_thirty_cells_typed_one_report_each_are_saved_once(ctx: Context) -> None:
    map_id = _map(ctx, touchpoints=15)
    ledger = GridLedger.of(_rows(services.load_map(ctx, map_id)), EDITABLE)
    state: dict[str, Any] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    typed = [(row, column) for row in range(15) for column in ("Touchpoint", "Owner")]
    saved = 0
    for number, (row, column) in enumerate(typed):
        state["edited_rows"].setdefault(row, {})[column] = f"{column} #{number}"
        saved += _save(ctx, map_id, ledger, copy.deepcopy(state))
        saved += _save(ctx, map_id, ledger, copy.deepcopy(state))  # a repeated report: nothing
    assert saved == len(typed) == 30
    after = services.load_map(ctx, map_id).touchpoints
    for number, (row, column) in enumerate(typed):
        assert (after[row].name if column == "Touchpoint" else after[row].owner) == (
            f"{column} #{number}"
        )
    assert [t.version for t in after] == [3] * 15  # two edits a row: two new versions


def test_a_new_row_is_created_once_and_typing_on_updates_it(ctx: Context) -> None:
    map_id = _map(ctx, touchpoints=2)
    ledger = GridLedger.of(_rows(services.load_map(ctx, map_id)), EDITABLE)
    state: dict[str, Any] = {"edited_rows": {}, "added_rows": [{"Touchpoint": "Chat"}]}
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 1
    state["added_rows"][0]["Owner"] = "Care"
    state["added_rows"].append({"Touchpoint": "Call back"})
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 2
    state["added_rows"][1]["Effort"] = 4
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 1
    names = [(t.name, t.owner, t.effort) for t in services.load_map(ctx, map_id).touchpoints]
    assert names[2:] == [("Chat", "Care", None), ("Call back", "", 4)]


def test_a_new_row_deleted_in_the_editor_is_deleted_and_the_rows_after_it_stay_themselves(
    ctx: Context,
) -> None:
    map_id = _map(ctx, touchpoints=1)
    ledger = GridLedger.of(_rows(services.load_map(ctx, map_id)), EDITABLE)
    state: dict[str, Any] = {
        "edited_rows": {},
        "added_rows": [{"Touchpoint": "A"}, {"Touchpoint": "B"}, {"Touchpoint": "C"}],
    }
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 3
    del state["added_rows"][1]  # the editor takes B out; C moves up
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 1
    state["added_rows"][1]["Owner"] = "Ops"  # now C's owner
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 1
    rows = [(t.name, t.owner) for t in services.load_map(ctx, map_id).touchpoints]
    assert rows[1:] == [("A", ""), ("C", "Ops")]


def test_a_refused_cell_waits_and_the_others_are_saved(ctx: Context) -> None:
    map_id = _map(ctx, touchpoints=2)
    ledger = GridLedger.of(_rows(services.load_map(ctx, map_id)), EDITABLE)
    state = {"edited_rows": {0: {"Effort": "lots"}, 1: {"Owner": "Web"}}}
    steps = ledger.pending(state, entity="touchpoint", to_values=COLUMNS.to_values)
    refused = [s for s in steps if s.problem is not None]
    assert [(s.where, str(s.problem)) for s in refused] == [
        ("row 1 “Touchpoint 1”", "row 1 “Touchpoint 1” · Effort: 'lots' is not a whole number")
    ]
    assert _save(ctx, map_id, ledger, state) == 1
    fixed = 5 if services.load_map(ctx, map_id).touchpoints[0].effort != 5 else 4
    state["edited_rows"][0]["Effort"] = fixed
    assert _save(ctx, map_id, ledger, state) == 1
    first, second = services.load_map(ctx, map_id).touchpoints
    assert (first.effort, second.owner) == (fixed, "Web")


def test_a_cell_typed_back_to_what_it_was_is_saved_back(ctx: Context) -> None:
    map_id = _map(ctx, touchpoints=1)
    rows = _rows(services.load_map(ctx, map_id))
    ledger = GridLedger.of(rows, EDITABLE)
    _save(ctx, map_id, ledger, {"edited_rows": {0: {"Owner": "Web"}}})
    # The editor may drop a cell edited back to the table's value from its report.
    _save(ctx, map_id, ledger, {"edited_rows": {}})
    assert services.load_map(ctx, map_id).touchpoints[0].owner == rows[0]["Owner"]


def test_a_persona_emotion_cell_creates_updates_and_clears_the_emotion(ctx: Context) -> None:
    map_id = _map(ctx, touchpoints=1)
    aggregate = services.load_map(ctx, map_id)
    persona = aggregate.personas[0]
    touchpoint = aggregate.touchpoints[0]
    mine = [e for e in aggregate.emotions if e.persona_id == persona.id]
    services.apply_changes(
        ctx, map_id, [Change("delete", "emotion", e.id, e.version) for e in mine]
    )
    row = {"Touchpoint": touchpoint.name, "Emotion": None, "emotion_id": None}
    row |= {"emotion_version": None, "id": touchpoint.id, "version": touchpoint.version}
    ledger = GridLedger.of([row], ["Touchpoint", "Emotion"])

    def report(value: str | None) -> None:
        state = {"edited_rows": {0: {"Emotion": value}}}
        steps = ledger.pending(
            state,
            entity="touchpoint",
            to_values=COLUMNS.to_values,
            emotion_column="Emotion",
            persona_id=persona.id,
        )
        results = services.apply_changes(ctx, map_id, [s.change for s in steps if s.change])
        ledger.settle(steps, results, state)

    def score() -> int | None:
        found = [
            e.score
            for e in services.load_map(ctx, map_id).emotions
            if e.persona_id == persona.id and e.touchpoint_id == touchpoint.id
        ]
        return found[0] if found else None

    report("😟 -1")
    assert score() == -1
    report("😄 +2")
    assert score() == 2
    report(None)
    assert score() is None


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["Owner", "Effort"]), st.integers(1, 5)),
        min_size=1,
        max_size=30,
    ),
    batches=st.lists(st.integers(1, 4), min_size=30, max_size=30),
)
def test_however_reports_are_batched_the_database_ends_as_the_editor_shows(
    sqlite_ctx: Context, edits: list[tuple[int, str, int]], batches: list[int]
) -> None:
    map_id = _map(sqlite_ctx, touchpoints=6)
    ledger = GridLedger.of(_rows(services.load_map(sqlite_ctx, map_id)), EDITABLE)
    state: dict[str, Any] = {"edited_rows": {}}
    done = 0
    for size in batches:
        for row, column, value in edits[done : done + size]:
            state["edited_rows"].setdefault(row, {})[column] = (
                value if column == "Effort" else f"Owner {value}"
            )
        done += size
        _save(sqlite_ctx, map_id, ledger, copy.deepcopy(state))
        if done >= len(edits):
            break
    after = services.load_map(sqlite_ctx, map_id).touchpoints
    for row, cells in state["edited_rows"].items():
        if "Effort" in cells:
            assert after[row].effort == cells["Effort"]
        if "Owner" in cells:
            assert after[row].owner == cells["Owner"]


def test_new_rows_completed_out_of_order_each_keep_their_own_database_row(ctx: Context) -> None:
    """Two new rows, the second given its name first: each becomes its own touchpoint, once
    its required cells are filled, and later edits of either reach that touchpoint.

    The editor reports every new row at its place (the grids set no ``required`` column: the
    editor leaves a new row out of ``added_rows`` while a ``required`` cell is blank, which
    moved the rows after it and gave the second row's touchpoint the first row's values).
    """
    map_id = _map(ctx, touchpoints=1)
    [first] = services.load_map(ctx, map_id).touchpoints
    ledger = GridLedger.of(_rows(services.load_map(ctx, map_id)), EDITABLE, required=["Touchpoint"])
    state: dict[str, Any] = {"edited_rows": {}, "added_rows": [{"Owner": "Care"}, {}]}
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 0  # no name yet: it waits
    state["added_rows"][1] = {"Touchpoint": "Call back", "Owner": "Web"}
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 1
    [call_back] = services.load_map(ctx, map_id).touchpoints[1:]
    state["added_rows"][0]["Touchpoint"] = "Chat"
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 1
    state["added_rows"][1]["Effort"] = 4
    assert _save(ctx, map_id, ledger, copy.deepcopy(state)) == 1
    after = {t.id: (t.name, t.owner, t.effort) for t in services.load_map(ctx, map_id).touchpoints}
    assert after.pop(call_back.id) == ("Call back", "Web", 4)
    assert after.pop(first.id) == (first.name, first.owner, first.effort)
    assert list(after.values()) == [("Chat", "Care", None)]


def test_a_new_row_says_what_it_waits_for() -> None:
    ledger = GridLedger.of([], EDITABLE, required=["Touchpoint"])
    state = {"added_rows": [{"Owner": "Care"}, {}, {"Touchpoint": "Chat"}]}
    assert ledger.incomplete(state) == [(0, ["Touchpoint"])]
    steps = ledger.pending(state, entity="touchpoint", to_values=COLUMNS.to_values)
    assert [(s.kind, s.added) for s in steps] == [("create", 2)]
