"""What a grid's editor shows that is saved already, so every edit is saved once, in order.

A ``st.data_editor`` reports its edits *cumulatively*, against the table it was first given:
``{"edited_rows": {2: {"Effort": 4}}, "added_rows": [{…}], "deleted_rows": [5]}``. A grid
keeps that table and its widget key while the user works in it, so the editor is never
re-created under their hands (re-creating it dropped edits still in flight and scrolled the
grid back to its first column). A :class:`GridLedger` keeps, per editor row, the row as saved
so far (display cells, id, version); :meth:`GridLedger.pending` gives what the editor shows
that is not saved yet, as :class:`Step` s, and :meth:`GridLedger.settle` records the steps a
save wrote. A step that fails stays pending: it is offered again with the next edit.

Pure: no Streamlit, no database.

Examples
--------
>>> from cxmap.app.widgets.cells import Column, GridColumns, integer
>>> columns = GridColumns([Column("Name", "name"), Column("Effort", "effort", integer)])
>>> table = [{"id": 4, "version": 1, "Name": "Call", "Effort": 3, "_label": "Call"}]
>>> ledger = GridLedger.of(table, ["Name", "Effort"])
>>> state = {"edited_rows": {0: {"Effort": 4}}, "added_rows": [], "deleted_rows": []}
>>> [step] = ledger.pending(state, entity="touchpoint", to_values=columns.to_values)
>>> step.where, dict(step.change.values), step.change.read_version
('row 1 “Call”', {'effort': 4}, 1)

Once saved (the row is at version 2 now), the same state asks for nothing; the next edit of
the row is read at version 2, and a new row typed meanwhile becomes a create:

>>> from cxmap.core.records import StageRecord
>>> saved = StageRecord(id=4, key="t1", name="Call", position=1, version=2)
>>> ledger.settle([step], [saved], state)
>>> ledger.pending(state, entity="touchpoint", to_values=columns.to_values)
[]
>>> state = {"edited_rows": {0: {"Effort": 5}}, "added_rows": [{"Name": "Chat"}]}
>>> [(s.kind, s.change.read_version or s.change.values) for s in ledger.pending(
...     state, entity="touchpoint", to_values=columns.to_values)]
[('update', 2), ('create', {'name': 'Chat'})]
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from cxmap.app.widgets.cells import is_blank
from cxmap.app.widgets.grid_changes import (
    EditorState,
    ToValues,
    emotion_change,
    row_location,
    update_change,
)
from cxmap.core.entities import entity
from cxmap.core.errors import InvalidInput
from cxmap.core.records import Change, Record

StepKind = Literal["update", "emotion", "create", "delete"]


@dataclass(frozen=True)
class Step:
    """One change the editor asks for, with where it comes from.

    ``row`` is the ledger row it changes (None for a create: ``added`` is its index among
    the editor's added rows); ``cells`` the display cells it saves; ``removed``: a delete of
    a row created here whose added row the user deleted. ``problem`` is set (and ``change``
    is None) when a cell cannot be converted: the step is refused.
    """

    kind: StepKind
    where: str
    change: Change | None
    row: int | None = None
    added: int | None = None
    cells: Mapping[str, Any] = field(default_factory=dict)
    problem: InvalidInput | None = None
    removed: bool = False


@dataclass
class GridLedger:
    """The rows of one grid's editor as saved so far (see the module docstring).

    ``table`` holds the rows the editor was given (they never change); ``saved`` the same
    rows as saved since, then the rows created from the editor's added rows; ``created``
    maps an added row's index to its ``saved`` row; ``deleted`` the table rows deleted;
    ``columns`` the display columns the user can edit; ``added_seen`` the added rows at the
    last save; ``orphans`` created rows removed in the editor whose delete is still to save;
    ``lost_track``: the editor's added rows could not be matched (the grid must be redrawn).
    """

    table: list[dict[str, Any]]
    saved: list[dict[str, Any]]
    columns: tuple[str, ...]
    created: dict[int, int] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    added_seen: list[dict[str, Any]] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)
    lost_track: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        rows: Sequence[Mapping[str, Any]],
        columns: Sequence[str],
        defaults: Mapping[str, Any] | None = None,
        required: Sequence[str] = (),
    ) -> GridLedger:
        """The ledger of a grid just drawn from ``rows`` (nothing edited yet); ``defaults``:
        what the editor fills into a new row by itself (such a row is not yet started);
        ``required``: the columns a new row needs before it is created (it waits till then).
        """
        table = [dict(row) for row in rows]
        return cls(
            table=table,
            saved=copy.deepcopy(table),
            columns=tuple(columns),
            defaults=dict(defaults or {}),
            required=tuple(required),
        )

    def incomplete(self, state: EditorState) -> list[tuple[int, list[str]]]:
        """The editor's new rows that wait for required cells: (index among the added rows,
        the blank required columns), for rows not created yet that the user has started.

        >>> ledger = GridLedger.of([], ["Name", "Owner"], required=["Name"])
        >>> ledger.incomplete({"added_rows": [{"Owner": "Care"}, {}, {"Name": "Chat"}]})
        [(0, ['Name'])]
        """
        waiting = []
        for number, row in enumerate(state.get("added_rows") or []):
            if number in self.created or self._not_started(row):
                continue
            missing = self._missing(row)
            if missing:
                waiting.append((number, missing))
        return waiting

    def pending(
        self,
        state: EditorState,
        *,
        entity: str,
        to_values: ToValues,
        emotion_column: str | None = None,
        persona_id: int | None = None,
    ) -> list[Step]:
        """The steps that bring the saved rows to what the editor shows (``state``).

        Order: updates (by row), creates (by added row), deletes. With ``emotion_column``
        and ``persona_id``, that column edits the persona's emotion rows instead.
        """
        edited = {int(i): cells for i, cells in (state.get("edited_rows") or {}).items()}
        deleted = {int(i) for i in (state.get("deleted_rows") or [])}
        added = [dict(row) for row in (state.get("added_rows") or [])]
        created = self._matched(added)
        if created is None:
            self.lost_track = True  # cannot tell which new row was removed: redraw instead
            created = dict(self.created)
        steps: list[Step] = []
        for index, table_row in enumerate(self.table):
            if index in deleted:
                continue
            shown = {c: edited.get(index, {}).get(c, table_row.get(c)) for c in self.columns}
            steps += self._row_steps(index, shown, entity, to_values, emotion_column, persona_id)
        for number, row in enumerate(added):
            if number in created:
                shown = {c: row.get(c) for c in self.columns}
                steps += self._row_steps(
                    created[number], shown, entity, to_values, emotion_column, persona_id
                )
            elif not self._not_started(row) and not self._missing(row):
                # A new row is created once its required cells are filled: the editor keeps
                # reporting it at its place meanwhile (no column is ``required`` there).
                steps.append(self._create(number, row, entity, to_values))
        for index in sorted(deleted - self.deleted):
            if 0 <= index < len(self.table):
                steps.append(self._delete(index, entity))
        for index in sorted(self._gone(created)):
            steps.append(self._delete(index, entity, removed=True))
        return steps

    def settle(
        self, steps: Sequence[Step], results: Sequence[Record | None], state: EditorState
    ) -> None:
        """Record that ``steps`` were saved (``results``: what ``services.apply_changes``
        returned for their changes, in order) while the editor showed ``state``."""
        added = [dict(row) for row in (state.get("added_rows") or [])]
        created = self._matched(added)
        if created is not None:
            removed = {s.row for s in steps if s.kind == "delete" and s.removed}
            self.orphans = sorted(self._gone(created) - removed)
            self.created = created
            self.added_seen = added
        for step, result in zip(steps, results, strict=True):
            made = result.as_dict() if result is not None else {}
            if step.kind == "update" and step.row is not None:
                self.saved[step.row].update(step.cells)
                self.saved[step.row]["version"] = made["version"]
            elif step.kind == "emotion" and step.row is not None:
                row = self.saved[step.row]
                row.update(step.cells)
                row["emotion_id"] = made.get("id")
                row["emotion_version"] = made.get("version")
            elif step.kind == "create" and step.added is not None:
                row = {c: step.cells.get(c) for c in self.columns}
                label = entity(step.change.entity).label(result) if step.change and result else None
                row.update(id=made["id"], version=made["version"], _label=label)
                self.saved.append(row)
                self.created[step.added] = len(self.saved) - 1
            elif step.kind == "delete" and not step.removed and step.row is not None:
                self.deleted.add(step.row)
        if created is not None:
            self.added_seen = added

    def _not_started(self, row: Mapping[str, Any]) -> bool:
        """A new row with nothing typed in it yet: blanks and the editor's own defaults."""
        return all(
            is_blank(value) or (c in self.defaults and same_cell(value, self.defaults[c]))
            for c, value in row.items()
        )

    def _missing(self, row: Mapping[str, Any]) -> list[str]:
        """The required columns a new row leaves blank."""
        return [c for c in self.required if is_blank(row.get(c))]

    def _gone(self, created: Mapping[int, int]) -> set[int]:
        """Saved rows created from added rows that the editor no longer shows."""
        return (set(self.created.values()) - set(created.values())) | set(self.orphans)

    def _matched(self, added: Sequence[Mapping[str, Any]]) -> dict[int, int] | None:
        """Which saved row each of the editor's added rows is, now that it shows ``added``
        (None: cannot tell).

        Deleting an added row in the editor takes it out of the list (the rows after it move
        up): the rows still shown are matched, in order, to those seen at the last save.
        """
        if len(added) >= len(self.added_seen):
            return dict(self.created)
        matched: dict[int, int] = {}
        seen = 0
        for number, row in enumerate(added):
            while seen < len(self.added_seen) and self.added_seen[seen] != row:
                seen += 1
            if seen == len(self.added_seen):
                return None  # a row changed while another was removed
            if seen in self.created:
                matched[number] = self.created[seen]
            seen += 1
        return matched

    # ---------------------------------------------------------------- the steps of a row

    def _row_steps(
        self,
        index: int,
        shown: Mapping[str, Any],
        entity: str,
        to_values: ToValues,
        emotion_column: str | None,
        persona_id: int | None,
    ) -> list[Step]:
        saved = self.saved[index]
        where = row_location(self.saved, index)
        cells = {
            c: value
            for c, value in shown.items()
            if c != emotion_column and not same_cell(value, saved.get(c))
        }
        steps: list[Step] = []
        if cells:
            try:
                found = update_change(self.saved, index, cells, entity=entity, to_values=to_values)
            except InvalidInput as error:
                steps.append(Step("update", where, None, row=index, cells=cells, problem=error))
            else:
                if found is not None:
                    steps.append(Step("update", found[0], found[1], row=index, cells=cells))
        if emotion_column is not None and persona_id is not None and emotion_column in shown:
            value = shown[emotion_column]
            if not same_cell(value, saved.get(emotion_column)):
                cell = {emotion_column: value}
                try:
                    found = emotion_change(
                        self.saved, index, value, column=emotion_column, persona_id=persona_id
                    )
                except InvalidInput as error:
                    steps.append(Step("emotion", where, None, row=index, cells=cell, problem=error))
                else:
                    if found is not None:
                        steps.append(Step("emotion", found[0], found[1], row=index, cells=cell))
        return steps

    def _create(
        self, number: int, row: Mapping[str, Any], entity: str, to_values: ToValues
    ) -> Step:
        where = f"new row {number + 1}"
        cells = {c: row.get(c) for c in self.columns if c in row}
        try:
            values = to_values(cells)
        except InvalidInput as error:
            problem = InvalidInput(
                f"{where} · {error.where}" if error.where else where, error.problem
            )
            return Step("create", where, None, added=number, cells=cells, problem=problem)
        return Step(
            "create", where, Change("create", entity, values=values), added=number, cells=cells
        )

    def _delete(self, index: int, entity: str, *, removed: bool = False) -> Step:
        row = self.saved[index]
        change = Change("delete", entity, row_id=row["id"], read_version=row["version"])
        return Step("delete", row_location(self.saved, index), change, row=index, removed=removed)


def same_cell(a: Any, b: Any) -> bool:
    """Whether two cells show the same value (blanks are equal; 3 == 3.0).

    >>> same_cell(None, ""), same_cell(3, 3.0), same_cell("a", "b"), same_cell(float("nan"), None)
    (True, True, False, True)
    """
    if is_blank(a) or is_blank(b):
        return is_blank(a) and is_blank(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)
    return bool(a == b)
