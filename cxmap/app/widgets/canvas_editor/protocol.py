"""The canvas editor's protocol, pure (no Streamlit): what the component is sent, and what its
events turn into.

The component (:mod:`cxmap.app.widgets.canvas_editor`, the TypeScript in ``frontend/``) is given
the map's *view* (:func:`.view.canvas_view`: stages, touchpoints with their fields and versions, the
emotion lines, pain points and opportunities, and the ids of the events already applied) and
answers with the *events* the user made that are not acknowledged yet::

    {"events": [{"id": "k3f9-1", "kind": "update", "touchpoint": 12, "version": 3,
                 "values": {"name": "Pay"}, "read": {"name": "Checkout"}}, ...]}

Streamlit keeps a component's last value and hands it to every later run of the page, and a
click during a run can replace the value before that run read it. So the component sends every
event it has not seen acknowledged, each with an id unique to the browser tab, and the page
applies an event only when :class:`AppliedEvents` has not seen its id: every event is applied
once, none is lost, and a rerun re-delivering the last value applies nothing.

:func:`plan_event` checks one event against the map as it is now and says what to do: an
:class:`Edit` (changes for the one save path, ``saving.submit``: versions, conflicts, held
edits, undo, as in the grids), a :class:`Move` (``services.move_touchpoint``) or a
:class:`Refusal` whose message names what is wrong.

Event kinds (every event also has ``"id"``, a non-empty string, and ``"kind"``):

=================  =====================================================================
``update``         ``touchpoint`` (id), ``version`` (as read), ``values`` {field: value},
                   ``read`` {field: value as read} (optional; lets edits of other fields
                   by someone else merge). Fields: :data:`CARD_FIELDS`.
``create``         ``stage`` (id), ``values`` (``name`` required; channel, owner, …)
``move``           ``touchpoint``, ``version``, ``stage`` (target), ``index`` (0-based
                   place in the target stage)
``set_emotion``    ``touchpoint``, ``persona`` (id, or null for all customers: the
                   touchpoint's own emotion), ``score`` (−2…2), ``version`` and ``seen``
                   (the row's version and score as read; optional)
``add_pain_point`` ``touchpoint``, ``values``: ``description``, ``severity`` and
                   ``frequency`` (1…5)
``add_opportunity`` ``touchpoint``, ``values``: ``title``, ``status`` (optional)
``delete``         ``touchpoint``, ``version``: delete the touchpoint (what goes with it,
                   such as its emotions and pain points, is confirmed first, above the map)
``rename_stage``   ``stage``, ``version``, ``values`` {``name``}, ``read`` {``name``}
``add_stage``      ``values`` {``name``}: a new stage at the end of the journey
=================  =====================================================================

Examples
--------
>>> from cxmap.core.examples import demo_chain
>>> aggregate = demo_chain()
>>> first = aggregate.touchpoints[0]
>>> plan = plan_event({"id": "a-1", "kind": "update", "touchpoint": first.id,
...     "version": first.version, "values": {"name": "Banner ad"}}, aggregate)
>>> [(c.op, c.entity, dict(c.values)) for _, c in plan.located]
[('update', 'touchpoint', {'name': 'Banner ad'})]
>>> refusal = plan_event({"id": "a-2", "kind": "paint"}, aggregate)
>>> refusal.event_id, refusal.message.code, refusal.message.params["kind"]
('a-2', 'canvas.unknown_kind', 'paint')
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cxmap.core.entities import entity
from cxmap.core.messages import Message
from cxmap.core.records import (
    OPPORTUNITY_STATUSES,
    Change,
    JourneyAggregate,
    StageRecord,
    TouchpointRecord,
)

EVENT_KINDS = (
    "update",
    "create",
    "move",
    "set_emotion",
    "add_pain_point",
    "add_opportunity",
    "delete",
    "rename_stage",
    "add_stage",
)
# The touchpoint fields a card edits in place (text, and the team's moment-of-truth flag).
CARD_FIELDS = ("name", "channel", "owner", "customer_action", "thought", "moment_of_truth")
TEXT_FIELDS = ("name", "channel", "owner", "customer_action", "thought")
PAIN_FIELDS = ("description", "severity", "frequency")
OPPORTUNITY_FIELDS = ("title", "status")
TOUCHPOINT = entity("touchpoint")
REMEMBERED_EVENTS = 5000  # ids kept per map; far more than all its tabs have pending at once


# ---------------------------------------------------------------- what an event becomes


@dataclass(frozen=True)
class Edit:
    """Changes to save through the one save path (``saving.submit``), and the save in words."""

    event_id: str
    located: list[tuple[str, Change]]
    summary: Message


@dataclass(frozen=True)
class Move:
    """Put a touchpoint at ``ordered_ids.index(touchpoint_id)`` of stage ``stage_id``."""

    event_id: str
    touchpoint_id: int
    read_version: int
    from_stage_id: int
    from_position: int
    stage_id: int
    ordered_ids: tuple[int, ...]
    summary: Message
    from_order: tuple[int, ...] = ()  # the stage's touchpoints in order before the move

    @property
    def changes_stage(self) -> bool:
        """Whether the touchpoint goes to another stage (not only to another place in its own)."""
        return self.stage_id != self.from_stage_id

    def undo_order(self) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """What takes a reorder within a stage back: (the order the move left, the order to
        put back); None for a move to another stage (see :meth:`undo`) or a move that left
        the order as it was.

        >>> move = Move("e", 7, 2, 1, 1, 1, (5, 7), Message("canvas.saved_move"), (7, 5))
        >>> move.undo_order()
        ((5, 7), (7, 5))
        """
        if self.changes_stage or not self.from_order or self.from_order == self.ordered_ids:
            return None
        return self.ordered_ids, self.from_order

    def undo(self) -> list[Change] | None:
        """What takes a move to another stage back (its stage and place there, expecting the
        version the move left); None for a reorder within a stage, which changes the places
        of its neighbours too, not their rows (:meth:`undo_order` puts the order back).

        >>> move = Move("e", 7, 2, 1, 3, 2, (5, 7), Message("canvas.saved_move"))
        >>> [(c.row_id, c.read_version, dict(c.values)) for c in move.undo()]
        [(7, 3, {'stage_id': 1, 'position': 3})]
        """
        if not self.changes_stage:
            return None
        place = self.ordered_ids.index(self.touchpoint_id) + 1
        return [
            Change(
                "update",
                "touchpoint",
                self.touchpoint_id,
                self.read_version + 1,
                {"stage_id": self.from_stage_id, "position": self.from_position},
                read_values={"stage_id": self.stage_id, "position": place},
            )
        ]


@dataclass(frozen=True)
class Refusal:
    """An event that is not applied, and why (``message`` names what is wrong)."""

    event_id: str | None
    message: Message


Plan = Edit | Move | Refusal


class _Refused(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.message = Message(code, params)


def plan_event(raw: Any, aggregate: JourneyAggregate) -> Plan:
    """What to do with one event of the component, checked against ``aggregate`` (the map as
    it is now): an :class:`Edit`, a :class:`Move` or a :class:`Refusal`.

    >>> from cxmap.core.examples import demo_chain
    >>> aggregate = demo_chain()
    >>> str(plan_event({"id": "x", "kind": "move", "touchpoint": 999, "version": 1,
    ...     "stage": aggregate.stages[0].id, "index": 0}, aggregate).message)
    'Not saved: touchpoint 999 is not in this map (deleted by someone else meanwhile?).'
    >>> str(plan_event(["not", "an", "event"], aggregate).message)
    'Not saved: the canvas sent something that is not an event: a list.'
    """
    if not isinstance(raw, Mapping):
        return Refusal(None, Message("canvas.not_an_event", {"type": _type_name(raw)}))
    event_id = raw.get("id")
    if not isinstance(event_id, str) or not event_id.strip():
        return Refusal(None, Message("canvas.no_id"))
    kind = raw.get("kind")
    if kind not in EVENT_KINDS:
        return Refusal(
            event_id, Message("canvas.unknown_kind", {"kind": kind, "kinds": EVENT_KINDS})
        )
    try:
        return _PLANNERS[kind](event_id, raw, aggregate)
    except _Refused as refused:
        return Refusal(event_id, refused.message)


def _update(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    touchpoint = _touchpoint(raw, aggregate)
    version = _integer(raw, "version", "update")
    values = _fields(raw, "values", "update", CARD_FIELDS, required=True)
    if not values:
        raise _Refused("canvas.no_change")
    read = _fields(raw, "read", "update", CARD_FIELDS, required=False)
    read_values = {name: read[name] for name in values if name in read} or None
    change = Change("update", "touchpoint", touchpoint.id, version, values, read_values)
    fields = [TOUCHPOINT.heading(name) for name in values]
    summary = Message("canvas.saved_update", {"name": touchpoint.name, "fields": fields})
    return Edit(event_id, [(_where(touchpoint), change)], summary)


def _create(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    stage = _stage(raw, aggregate, "create")
    values = _fields(raw, "values", "create", CARD_FIELDS, required=True)
    if not str(values.get("name") or "").strip():
        raise _Refused("canvas.missing", kind="create", field="values.name")
    change = Change("create", "touchpoint", values={**values, "stage_id": stage.id})
    summary = Message("canvas.saved_create", {"name": values["name"], "stage": stage.name})
    return Edit(event_id, [(f"new touchpoint in “{stage.name}”", change)], summary)


def _move(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    touchpoint = _touchpoint(raw, aggregate)
    version = _integer(raw, "version", "move")
    stage = _stage(raw, aggregate, "move")
    index = _integer(raw, "index", "move")
    others = [
        t.id for t in aggregate.touchpoints if t.stage_id == stage.id and t.id != touchpoint.id
    ]
    index = max(0, min(index, len(others)))
    ordered = (*others[:index], touchpoint.id, *others[index:])
    before = tuple(t.id for t in aggregate.touchpoints if t.stage_id == touchpoint.stage_id)
    summary = Message(
        "canvas.saved_move", {"name": touchpoint.name, "stage": stage.name, "place": index + 1}
    )
    return Move(
        event_id,
        touchpoint.id,
        version,
        touchpoint.stage_id,
        touchpoint.position,
        stage.id,
        ordered,
        summary,
        before,
    )


def _set_field(
    entity: str, record: Any, seen_version: int | None, field: str, value: Any, seen: Any
) -> Change:
    """An update of one field of ``record``, at the version the canvas saw (else the one
    loaded), with the value it saw there (for the conflict message)."""
    version = record.version if seen_version is None else seen_version
    return Change("update", entity, record.id, version, {field: value}, read_values={field: seen})


def _set_emotion(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    touchpoint = _touchpoint(raw, aggregate)
    score = _integer(raw, "score", "set_emotion")
    if not -2 <= score <= 2:
        raise _Refused("canvas.out_of_range", field="score", value=score, low=-2, high=2)
    persona_id = raw.get("persona")
    seen_version = _optional_integer(raw, "version", "set_emotion")
    where = _where(touchpoint)
    if persona_id is None:
        seen = raw.get("seen", touchpoint.emotion)
        change = _set_field("touchpoint", touchpoint, seen_version, "emotion", score, seen)
        line = Message("canvas.all_customers")
    else:
        if isinstance(persona_id, bool) or not isinstance(persona_id, int):
            raise _Refused(
                "canvas.wrong_type", field="persona", kind="set_emotion", expected="an id or null"
            )
        persona = next((p for p in aggregate.personas if p.id == persona_id), None)
        if persona is None:
            raise _Refused("canvas.no_persona", id=persona_id)
        line = Message("canvas.persona", {"name": persona.name})
        row = next(
            (
                e
                for e in aggregate.emotions
                if e.touchpoint_id == touchpoint.id and e.persona_id == persona.id
            ),
            None,
        )
        if row is None:
            values = {"touchpoint_id": touchpoint.id, "persona_id": persona.id, "score": score}
            change = Change("create", "emotion", values=values)
        else:
            seen = raw.get("seen", row.score)
            change = _set_field("emotion", row, seen_version, "score", score, seen)
    summary = Message(
        "canvas.saved_emotion", {"name": touchpoint.name, "line": line, "score": score}
    )
    return Edit(event_id, [(where, change)], summary)


def _add_pain_point(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    touchpoint = _touchpoint(raw, aggregate)
    values = _fields(raw, "values", "add_pain_point", PAIN_FIELDS, required=True)
    for name in ("severity", "frequency"):
        value = values.get(name)
        if value is None:
            raise _Refused("canvas.missing", kind="add_pain_point", field=f"values.{name}")
        if not 1 <= value <= 5:
            raise _Refused("canvas.out_of_range", field=name, value=value, low=1, high=5)
    change = Change("create", "pain_point", values={**values, "touchpoint_id": touchpoint.id})
    summary = Message("canvas.saved_pain_point", {"name": touchpoint.name})
    return Edit(event_id, [(f"new pain point at {_where(touchpoint)}", change)], summary)


def _add_opportunity(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    touchpoint = _touchpoint(raw, aggregate)
    values = _fields(raw, "values", "add_opportunity", OPPORTUNITY_FIELDS, required=True)
    if not str(values.get("title") or "").strip():
        raise _Refused("canvas.missing", kind="add_opportunity", field="values.title")
    status = values.get("status", "idea")
    if status not in OPPORTUNITY_STATUSES:
        raise _Refused("canvas.unknown_status", status=status, statuses=list(OPPORTUNITY_STATUSES))
    change = Change("create", "opportunity", values={**values, "touchpoint_id": touchpoint.id})
    summary = Message("canvas.saved_opportunity", {"name": touchpoint.name})
    return Edit(event_id, [(f"new opportunity at {_where(touchpoint)}", change)], summary)


def _delete(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    touchpoint = _touchpoint(raw, aggregate)
    version = _integer(raw, "version", "delete")
    change = Change("delete", "touchpoint", touchpoint.id, version)
    summary = Message("canvas.saved_delete", {"name": touchpoint.name})
    return Edit(event_id, [(_where(touchpoint), change)], summary)


def _rename_stage(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    stage = _stage(raw, aggregate, "rename_stage")
    version = _integer(raw, "version", "rename_stage")
    values = _fields(raw, "values", "rename_stage", ("name",), required=True)
    name = str(values.get("name") or "")
    if not name.strip():
        raise _Refused("canvas.missing", kind="rename_stage", field="values.name")
    read = _fields(raw, "read", "rename_stage", ("name",), required=False)
    change = Change("update", "stage", stage.id, version, {"name": name}, read or None)
    summary = Message("canvas.saved_stage_name", {"name": stage.name, "new": name})
    return Edit(event_id, [(f"stage “{stage.name}”", change)], summary)


def _add_stage(event_id: str, raw: Mapping[str, Any], aggregate: JourneyAggregate) -> Plan:
    values = _fields(raw, "values", "add_stage", ("name",), required=True)
    name = str(values.get("name") or "")
    if not name.strip():
        raise _Refused("canvas.missing", kind="add_stage", field="values.name")
    change = Change("create", "stage", values={"name": name})
    summary = Message("canvas.saved_stage", {"name": name})
    return Edit(event_id, [("new stage", change)], summary)


_PLANNERS = {
    "update": _update,
    "create": _create,
    "move": _move,
    "set_emotion": _set_emotion,
    "add_pain_point": _add_pain_point,
    "add_opportunity": _add_opportunity,
    "delete": _delete,
    "rename_stage": _rename_stage,
    "add_stage": _add_stage,
}

# The type each field of an event's "values" must have (text, a whole number, a yes/no).
_FIELD_TYPES: dict[str, tuple[type, str]] = {
    **{name: (str, "text") for name in (*TEXT_FIELDS, "description", "title", "status")},
    "moment_of_truth": (bool, "true or false"),
    "severity": (int, "a whole number"),
    "frequency": (int, "a whole number"),
}


def _where(touchpoint: TouchpointRecord) -> str:
    return f"touchpoint “{touchpoint.name}”"


def _type_name(value: Any) -> str:
    names = {list: "a list", str: "a text", int: "a number", float: "a number", bool: "true/false"}
    return "nothing" if value is None else names.get(type(value), type(value).__name__)


def _touchpoint(raw: Mapping[str, Any], aggregate: JourneyAggregate) -> TouchpointRecord:
    touchpoint_id = _integer(raw, "touchpoint", str(raw["kind"]))
    found = next((t for t in aggregate.touchpoints if t.id == touchpoint_id), None)
    if found is None:
        raise _Refused("canvas.no_touchpoint", id=touchpoint_id)
    return found


def _stage(raw: Mapping[str, Any], aggregate: JourneyAggregate, kind: str) -> StageRecord:
    stage_id = _integer(raw, "stage", kind)
    found = next((s for s in aggregate.stages if s.id == stage_id), None)
    if found is None:
        raise _Refused("canvas.no_stage", id=stage_id)
    return found


def _integer(raw: Mapping[str, Any], name: str, kind: str) -> int:
    if name not in raw or raw[name] is None:
        raise _Refused("canvas.missing", kind=kind, field=name)
    return _checked_integer(raw[name], name, kind)


def _optional_integer(raw: Mapping[str, Any], name: str, kind: str) -> int | None:
    value = raw.get(name)
    return None if value is None else _checked_integer(value, name, kind)


def _checked_integer(value: Any, name: str, kind: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Refused(
            "canvas.wrong_type", field=name, kind=kind, expected="a whole number", value=value
        )
    return value


def _fields(
    raw: Mapping[str, Any], name: str, kind: str, allowed: tuple[str, ...], *, required: bool
) -> dict[str, Any]:
    """The ``name`` object of an event ({field: value}), each field allowed and of its type."""
    values = raw.get(name)
    if values is None and not required:
        return {}
    if not isinstance(values, Mapping):
        raise _Refused("canvas.missing", kind=kind, field=name)
    checked: dict[str, Any] = {}
    for field_name, value in values.items():
        if field_name not in allowed:
            raise _Refused("canvas.unknown_field", field=field_name, fields=list(allowed))
        wanted, described = _FIELD_TYPES[field_name]
        wrong_int = wanted is int and isinstance(value, bool)
        if not isinstance(value, wanted) or wrong_int:
            raise _Refused(
                "canvas.wrong_type",
                field=f"{name}.{field_name}",
                kind=kind,
                expected=described,
                value=value,
            )
        checked[field_name] = value
    return checked


# ---------------------------------------------------------------- the component's value


def pending_events(value: Any) -> list[Any]:
    """The events in the component's value (``{"events": [...]}``); [] for anything else
    (no value yet: the component has not sent anything).

    >>> pending_events({"events": [{"id": "a"}]}), pending_events(None)
    ([{'id': 'a'}], [])
    """
    if isinstance(value, Mapping) and isinstance(value.get("events"), list):
        return list(value["events"])
    return []


@dataclass
class AppliedEvents:
    """The ids of events already applied (the newest :data:`REMEMBERED_EVENTS`), so that an
    event re-delivered by a rerun is not applied twice.

    >>> applied = AppliedEvents()
    >>> applied.new([{"id": "a"}, {"id": "b"}])
    [{'id': 'a'}, {'id': 'b'}]
    >>> applied.add("a")
    >>> applied.new([{"id": "a"}, {"id": "b"}]), applied.done([{"id": "a"}, {"id": "b"}])
    ([{'id': 'b'}], ['a'])
    """

    ids: deque[str] = field(default_factory=lambda: deque(maxlen=REMEMBERED_EVENTS))

    def __contains__(self, event_id: object) -> bool:
        return event_id in self.ids

    def add(self, event_id: str) -> None:
        """Remember ``event_id`` as applied (refused events too: they are answered)."""
        if event_id not in self.ids:
            self.ids.append(event_id)

    def new(self, events: Iterable[Any]) -> list[Any]:
        """The events not applied yet, in order (one without a usable id is new: it gets a
        refusal)."""
        return [e for e in events if not (isinstance(e, Mapping) and e.get("id") in self)]

    def done(self, events: Iterable[Any]) -> list[str]:
        """The ids of ``events`` already applied: what the component is told is done (so it
        stops sending them)."""
        return [e["id"] for e in events if isinstance(e, Mapping) and e.get("id") in self]
