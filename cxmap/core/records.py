"""Plain records of a journey map, and the edits made to them (``Change``).

Nothing here touches a database or a UI: analysis, rendering and the file formats work on these
records, and the store (cxmap.store) is the one place that builds them from database rows.

Examples
--------
>>> stage = StageRecord(id=1, key="s1", name="Awareness", position=1, version=1)
>>> stage.name
'Awareness'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, TypeVar

MAP_STATES = ("current", "future")
OPPORTUNITY_STATUSES = ("idea", "planned", "in progress", "done")
CES_SCALES = (5, 7)  # 1-5 effort scale (lower is better) or 1-7 agreement scale

R = TypeVar("R", bound="Record")


@dataclass(frozen=True)
class Record:
    """Base of all records: built from a database row by :meth:`from_row`."""

    entity: ClassVar[str] = "record"

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The record's field names in declaration order (the class variable ``entity`` is not one).

        >>> StageRecord.field_names()
        ('id', 'key', 'name', 'position', 'version')
        """
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_row(cls: type[R], row: Any) -> R:
        """Build the record from a row mapping (extra columns such as map_id are ignored)."""
        return cls(**{name: row[name] for name in cls.field_names()})

    def as_dict(self) -> dict[str, Any]:
        """The record's fields as a new dict, in the order of :meth:`field_names`.

        >>> StageRecord(id=1, key="s1", name="Awareness", position=1, version=1).as_dict()
        {'id': 1, 'key': 's1', 'name': 'Awareness', 'position': 1, 'version': 1}
        """
        return {name: getattr(self, name) for name in self.field_names()}


@dataclass(frozen=True)
class MapRecord(Record):
    """A journey map: its name, state (current or future), language and scoring ``settings``;
    ``revision`` grows with every change to anything in the map."""

    entity: ClassVar[str] = "map"
    id: int
    name: str
    description: str
    state: str
    language: str
    created_at: dt.datetime
    updated_at: dt.datetime
    revision: int
    version: int
    settings: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class PersonaRecord(Record):
    """A persona of the map: who the customer is, and ``segment_share`` (0…1) of customers."""

    entity: ClassVar[str] = "persona"
    id: int
    key: str
    name: str
    description: str
    goals: str
    needs: str
    motivations: str
    behaviors: str
    pain_points: str
    segment_share: float | None
    position: int
    version: int


@dataclass(frozen=True)
class StageRecord(Record):
    """A stage of the journey (a column of the map), ordered by ``position``."""

    entity: ClassVar[str] = "stage"
    id: int
    key: str
    name: str
    position: int
    version: int


@dataclass(frozen=True)
class TouchpointRecord(Record):
    """A touchpoint in a stage: channel, owner, emotion (−2…+2), effort (1…5), volume (customers
    a month), ``drop_off`` (share 0…1 who leave there) and whether it is a moment of truth."""

    entity: ClassVar[str] = "touchpoint"
    id: int
    key: str
    stage_id: int
    name: str
    position: int
    channel: str
    owner: str
    customer_action: str
    thought: str
    emotion: int | None
    effort: int | None
    volume: int | None
    drop_off: float
    moment_of_truth: bool
    version: int


@dataclass(frozen=True)
class EmotionRecord(Record):
    """How one persona feels at one touchpoint (``score`` −2…+2; overrides the touchpoint's
    emotion for that persona)."""

    entity: ClassVar[str] = "emotion"
    id: int
    touchpoint_id: int
    persona_id: int
    score: int
    label: str
    note: str
    version: int


@dataclass(frozen=True)
class PainPointRecord(Record):
    """A pain point at a touchpoint, with severity and frequency (1…5 each)."""

    entity: ClassVar[str] = "pain_point"
    id: int
    key: str
    touchpoint_id: int
    description: str
    severity: int
    frequency: int
    version: int


@dataclass(frozen=True)
class OpportunityRecord(Record):
    """An improvement idea, optionally linked to a touchpoint and a pain point: customer and
    business value (0…100), effort (1…5) and status."""

    entity: ClassVar[str] = "opportunity"
    id: int
    key: str
    touchpoint_id: int | None
    pain_point_id: int | None
    title: str
    customer_value: int | None
    business_value: int | None
    effort: int | None
    status: str
    version: int


@dataclass(frozen=True)
class TransitionRecord(Record):
    """A path from touchpoint ``source_id`` to ``target_id``: a touchpoint's flow splits in
    proportion to the weights of its transitions."""

    entity: ClassVar[str] = "transition"
    id: int
    source_id: int
    target_id: int
    weight: float
    version: int


@dataclass(frozen=True)
class FeedbackRecord(Record):
    """One piece of customer feedback. ``sentiment`` is None when the text was not scored
    (empty, or not English: VADER only reads English)."""

    entity: ClassVar[str] = "feedback"
    id: int
    touchpoint_id: int | None
    text: str
    nps: int | None
    csat: int | None
    ces: int | None
    ces_scale: int
    source: str
    created_at: dt.date | None
    sentiment: float | None
    language: str
    version: int
    segment: str = ""
    sentiment_source: str = "vader"
    channel: str = ""
    # Set on rows imported from a feedback file: importing the same row again adds nothing.
    fingerprint: str | None = None
    # When the source gives a moment (a time with its offset): that moment, in UTC, and
    # ``created_at`` is its UTC date. A date-only row has None: a calendar date has no zone.
    received_at: dt.datetime | None = None

    def local_date(self, zone: dt.tzinfo) -> dt.date | None:
        """The date the row shows to someone in ``zone``: its moment's date there when it has
        one, else its calendar date as written.

        >>> from zoneinfo import ZoneInfo
        >>> moment = dt.datetime(2024, 3, 10, 4, 30, tzinfo=dt.UTC)  # 2024-03-09T23:30-05:00
        >>> row = FeedbackRecord(1, None, "", None, None, None, 7, "", dt.date(2024, 3, 10),
        ...                      None, "", 1, received_at=moment)
        >>> row.local_date(ZoneInfo("America/New_York")), row.local_date(ZoneInfo("Asia/Tehran"))
        (datetime.date(2024, 3, 9), datetime.date(2024, 3, 10))
        """
        if self.received_at is None:
            return self.created_at
        return self.received_at.astimezone(zone).date()


@dataclass(frozen=True)
class EvidenceRecord(Record):
    """Feedback row ``feedback_id`` justifies a pain point or an opportunity."""

    entity: ClassVar[str] = "evidence"
    id: int
    feedback_id: int
    pain_point_id: int | None
    opportunity_id: int | None


@dataclass(frozen=True)
class FeedbackFileRecord(Record):
    """A feedback file imported into a map (by the hash of its content and column mapping):
    importing the very same file again is recognised at once."""

    entity: ClassVar[str] = "feedback_file"
    id: int
    file_hash: str
    file_name: str
    rows_added: int
    imported_at: dt.datetime


@dataclass(frozen=True)
class JourneyAggregate:
    """A whole map as plain data, lists in display order.

    Examples
    --------
    >>> import datetime as dt
    >>> now = dt.datetime(2026, 1, 1)
    >>> m = MapRecord(1, "Demo", "", "current", "en", now, now, 0, 1)
    >>> agg = JourneyAggregate(map=m)
    >>> agg.touchpoints_in_stage(1)
    []
    """

    map: MapRecord
    personas: list[PersonaRecord] = field(default_factory=list)
    stages: list[StageRecord] = field(default_factory=list)
    touchpoints: list[TouchpointRecord] = field(default_factory=list)
    emotions: list[EmotionRecord] = field(default_factory=list)
    pain_points: list[PainPointRecord] = field(default_factory=list)
    opportunities: list[OpportunityRecord] = field(default_factory=list)
    transitions: list[TransitionRecord] = field(default_factory=list)
    feedback: list[FeedbackRecord] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)

    @property
    def revision(self) -> int:
        """The map's revision: a cache key for everything derived from this aggregate."""
        return self.map.revision

    def touchpoints_in_stage(self, stage_id: int) -> list[TouchpointRecord]:
        """The touchpoints of stage ``stage_id``, in display order."""
        return [t for t in self.touchpoints if t.stage_id == stage_id]


@dataclass(frozen=True)
class Change:
    """One edit of a grid: create, update or delete one row (``services.apply_changes``).

    ``read_version`` is the version the editor saw (updates and deletes are refused with a
    ConflictError when the row has moved on); ``read_values`` the values it saw, so the error
    can say what the other editor changed.
    """

    op: Literal["create", "update", "delete"]
    entity: str
    row_id: int | None = None
    read_version: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    read_values: Mapping[str, Any] | None = None
