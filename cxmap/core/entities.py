"""The entity registry: every kind of row a map holds, declared once.

Each :class:`Entity` names its record type, its database table, its list in the journey file
(and on :class:`~cxmap.core.records.JourneyAggregate`), the prefix of its generated keys, its
references to other rows and what happens to it when they are deleted, the fields the journey
file carries and in which order, the fields a new row needs, how its rows are ordered and how
a row is named. The store, the journey file, the services, the grids, the delete
confirmations and the spreadsheet export all read this registry, so adding an entity means
declaring it here (with its record), a table, a migration and the UI that shows it.

Each entity's file fields carry their JSON Schema (types, ranges), the one source of the
contract: the schema files ``cxmap/formats/schema/cxmap-journey-v1.schema.json`` and ``-v2``
are generated from this registry (the fields a later version adds: ``file_schema_added``;
:mod:`cxmap.formats.journey_schema`; a test fails when they are out of date),
and the app checks edits against the same ranges
(:func:`cxmap.formats.journey_contract.check_fields`). The database's CHECK constraints are the
last line.

Examples
--------
>>> touchpoint = ENTITIES["touchpoint"]
>>> touchpoint.key_prefix, touchpoint.list_name, touchpoint.references["stage_id"].entity
('t', 'touchpoints', 'stage')
>>> touchpoint.file_name("stage_id"), ENTITIES["stage"].file_name("position")
('stage', 'order')
>>> ENTITIES["opportunity"].references["touchpoint_id"].on_delete
'unlink'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from cxmap.core.messages import Message
from cxmap.core.records import (
    EmotionRecord,
    FeedbackRecord,
    OpportunityRecord,
    PainPointRecord,
    PersonaRecord,
    Record,
    StageRecord,
    TouchpointRecord,
    TransitionRecord,
)

# Fields every editable row has that are bookkeeping, not content.
BOOKKEEPING = ("id", "version")
# Text fields trimmed of surrounding spaces on the way in (a name of "  Checkout " is "Checkout").
TRIMMED = ("key", "name", "title")


@dataclass(frozen=True)
class Reference:
    """A column pointing at a row of another entity, and what a delete of that row does here:
    ``cascade`` deletes this row too, ``unlink`` keeps it with the column set to null (evidence
    such as feedback and ideas outlives what it was about)."""

    entity: str
    on_delete: Literal["cascade", "unlink"] = "cascade"


@dataclass(frozen=True)
class Entity:
    """One kind of row of a map (see the module docstring)."""

    name: str
    record: type[Record]
    list_name: str
    table: str
    key_prefix: str | None = None
    references: Mapping[str, Reference] = field(default_factory=dict)
    # The fields of the journey file, by their name there, in the file's (canonical) order, each
    # with its JSON Schema: the one source of the contract's types and ranges (the schema file
    # is generated from these, cxmap.formats.journey_schema) and of the app's range checks.
    file_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Fields every item of the file's list must have.
    file_required: tuple[str, ...] = ()
    # The journey file version that first has this entity's list (an entity added later is
    # left out of the schemas of the versions before; files of those versions import without it).
    file_since: int = 1
    # Fields later versions of the journey file add, by the version that added them, each with
    # its JSON Schema; written after the fields of the versions before (the v1 fields are
    # ``file_schema``: what every version has).
    file_schema_added: Mapping[int, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    # File fields that are links kept in a table of their own, not fields of the record
    # (feedback's ``evidence``): the journey file reads and writes them itself.
    file_links: tuple[str, ...] = ()
    # Record field -> its name in the file, where the two differ (references drop "_id").
    renamed_in_file: Mapping[str, str] = field(default_factory=dict)
    # Optional fields written to the file only when they differ from this default.
    written_when_not: Mapping[str, Any] = field(default_factory=dict)
    # Values of fields a file may leave out (text fields default to "", others to None).
    defaults: Mapping[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    # Rows are numbered by ``position`` within the map (``()``) or within the rows sharing
    # these columns (touchpoints: their stage); ``None``: the order is not kept.
    ordered_within: tuple[str, ...] | None = None
    # File fields that together identify a row (emotions: one per touchpoint and persona).
    unique_together: tuple[str, ...] = ()
    # The field that names a row in messages and lists ("name", "title", "description").
    label_field: str | None = None
    # Spreadsheet headings that are not simply the field name with spaces.
    headings: Mapping[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ derived

    @property
    def file_fields(self) -> tuple[str, ...]:
        """The fields every version of the journey file has (v1's), in canonical order: a
        spreadsheet's columns. :meth:`file_fields_in` gives a later version's."""
        return tuple(self.file_schema)

    def file_schema_in(self, version: int) -> dict[str, Mapping[str, Any]]:
        """The file fields of journey file ``version`` with their JSON Schema, in order.

        >>> list(ENTITIES["feedback"].file_schema_in(2))[-5:]
        ['sentiment', 'sentiment_source', 'language', 'fingerprint', 'evidence']
        >>> "sentiment" in ENTITIES["feedback"].file_schema_in(1)
        False
        """
        found = dict(self.file_schema)
        for added_in, added in sorted(self.file_schema_added.items()):
            if added_in <= version:
                found.update(added)
        return found

    def file_fields_in(self, version: int) -> tuple[str, ...]:
        """The file fields of journey file ``version``, in its canonical order."""
        return tuple(self.file_schema_in(version))

    @property
    def field_names(self) -> tuple[str, ...]:
        """The record's fields, in declaration order."""
        return tuple(f.name for f in fields(self.record))

    @property
    def editable(self) -> tuple[str, ...]:
        """Fields a service call may set (everything but id and version)."""
        return tuple(n for n in self.field_names if n not in BOOKKEEPING)

    @property
    def has_keys(self) -> bool:
        """Whether rows of this kind have a key (such as "t1") that names them in files."""
        return self.key_prefix is not None

    def file_name(self, field_name: str) -> str:
        """The name of a record field in the journey file (``stage_id`` → ``stage``)."""
        if field_name in self.renamed_in_file:
            return self.renamed_in_file[field_name]
        if field_name in self.references:
            return field_name.removesuffix("_id")
        return field_name

    def record_name(self, file_field: str) -> str:
        """The record field behind a field of the journey file (``order`` → ``position``)."""
        for name in self.field_names:
            if self.file_name(name) == file_field:
                return name
        raise KeyError(f"{self.name} has no field {file_field!r}")

    def default(self, field_name: str) -> Any:
        """What a field is when a file leaves it out."""
        if field_name in self.defaults:
            return self.defaults[field_name]
        return "" if self.record.__dataclass_fields__[field_name].type == "str" else None

    def heading(self, field_name: str) -> str:
        """The field's column heading in a spreadsheet."""
        return self.headings.get(field_name, self.file_name(field_name).replace("_", " "))

    def noun(self) -> Message:
        """``pain point``: how one row of this kind is called."""
        return Message(f"entity.{self.name}")

    def count(self, n: int) -> Message:
        """``3 pain points``."""
        return Message(f"count.{self.name}", {"n": n})

    def label(self, record: Any) -> str | None:
        """How a row is named in messages (its name, title or description), if it has one."""
        return getattr(record, self.label_field, None) or None if self.label_field else None

    def rows(self, aggregate: Any) -> list[Any]:
        """This entity's rows in a :class:`~cxmap.core.records.JourneyAggregate`."""
        rows: list[Any] = getattr(aggregate, self.list_name)
        return rows


def _type(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


# Field types several entities share (the schema's "$defs"), then each entity's own fields.
FIELD_TYPES: dict[str, dict[str, Any]] = {
    "key": {"type": "string", "minLength": 1, "maxLength": 64},
    "optionalKey": {"type": ["string", "null"], "minLength": 1, "maxLength": 64},
    "name": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"},
    "shortText": {"type": "string", "maxLength": 200},
    "longText": {"type": "string", "maxLength": 5000},
    "emotionScore": {"type": ["integer", "null"], "minimum": -2, "maximum": 2},
    "effort": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
}
KEY, OPTIONAL_KEY, NAME = _type("key"), _type("optionalKey"), _type("name")
SHORT_TEXT, LONG_TEXT = _type("shortText"), _type("longText")
EMOTION_SCORE, EFFORT = _type("emotionScore"), _type("effort")


def _numbers(kind: str, low: float, high: float, *, optional: bool = False) -> dict[str, Any]:
    return {"type": [kind, "null"] if optional else kind, "minimum": low, "maximum": high}


_TOUCHPOINT = Reference("touchpoint")

# In the order of the journey file and of every export; parents come before their children.
ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "persona",
            PersonaRecord,
            list_name="personas",
            table="persona",
            key_prefix="p",
            file_schema={
                "key": KEY, "name": NAME, "description": LONG_TEXT, "goals": LONG_TEXT,
                "needs": LONG_TEXT, "motivations": LONG_TEXT, "behaviors": LONG_TEXT,
                "pain_points": LONG_TEXT,
                "segment_share": _numbers("number", 0, 1, optional=True),
            },
            file_required=("key", "name"),
            required=("name",),
            ordered_within=(),
            label_field="name",
        ),
        Entity(
            "stage",
            StageRecord,
            list_name="stages",
            table="stage",
            key_prefix="s",
            file_schema={"key": KEY, "name": NAME, "order": _numbers("integer", 0, 100000)},
            file_required=("key", "name", "order"),
            renamed_in_file={"position": "order"},
            required=("name",),
            ordered_within=(),
            label_field="name",
        ),
        Entity(
            "touchpoint",
            TouchpointRecord,
            list_name="touchpoints",
            table="touchpoint",
            key_prefix="t",
            references={"stage_id": Reference("stage")},
            file_schema={
                "key": KEY, "stage": KEY, "name": NAME, "channel": SHORT_TEXT,
                "owner": SHORT_TEXT, "customer_action": LONG_TEXT, "thought": LONG_TEXT,
                "emotion": EMOTION_SCORE, "effort": EFFORT,
                # At most what PostgreSQL's integer column holds (2^31 − 1, customers a month).
                "volume": _numbers("integer", 0, 2_147_483_647, optional=True),
                "drop_off": _numbers("number", 0, 1), "moment_of_truth": {"type": "boolean"},
            },
            file_required=("key", "stage", "name"),
            defaults={"drop_off": 0.0, "moment_of_truth": False},
            required=("stage_id", "name"),
            ordered_within=("stage_id",),
            label_field="name",
            headings={"drop_off": "drop-off"},
        ),
        Entity(
            "emotion",
            EmotionRecord,
            list_name="emotions",
            table="emotion",
            references={"touchpoint_id": _TOUCHPOINT, "persona_id": Reference("persona")},
            file_schema={
                "touchpoint": KEY, "persona": KEY, "score": _numbers("integer", -2, 2),
                "label": SHORT_TEXT, "note": LONG_TEXT,
            },
            file_required=("touchpoint", "persona", "score"),
            required=("touchpoint_id", "persona_id", "score"),
            unique_together=("touchpoint", "persona"),
        ),
        Entity(
            "pain_point",
            PainPointRecord,
            list_name="pain_points",
            table="pain_point",
            key_prefix="pp",
            references={"touchpoint_id": _TOUCHPOINT},
            file_schema={
                "key": KEY, "touchpoint": KEY, "description": LONG_TEXT,
                "severity": _numbers("integer", 1, 5), "frequency": _numbers("integer", 1, 5),
            },
            file_required=("key", "touchpoint", "severity", "frequency"),
            required=("touchpoint_id", "severity", "frequency"),
            label_field="description",
        ),
        Entity(
            "opportunity",
            OpportunityRecord,
            list_name="opportunities",
            table="opportunity",
            key_prefix="o",
            references={
                "touchpoint_id": Reference("touchpoint", on_delete="unlink"),
                "pain_point_id": Reference("pain_point", on_delete="unlink"),
            },
            file_schema={
                "key": KEY, "touchpoint": OPTIONAL_KEY, "pain_point": OPTIONAL_KEY,
                "title": NAME,
                "customer_value": _numbers("integer", 0, 100, optional=True),
                "business_value": _numbers("integer", 0, 100, optional=True),
                "effort": EFFORT, "status": {"enum": ["idea", "planned", "in progress", "done"]},
            },
            file_required=("key", "title"),
            defaults={"status": "idea"},
            required=("title",),
            label_field="title",
        ),
        Entity(
            "transition",
            TransitionRecord,
            list_name="transitions",
            table="transition",
            references={"source_id": _TOUCHPOINT, "target_id": _TOUCHPOINT},
            file_schema={
                "source": KEY, "target": KEY, "weight": _numbers("number", 0, 1_000_000_000),
            },
            file_required=("source", "target"),
            defaults={"weight": 1.0},
            required=("source_id", "target_id"),
            unique_together=("source", "target"),
            headings={"source_id": "from", "target_id": "to"},
        ),
        Entity(
            "feedback",
            FeedbackRecord,
            list_name="feedback",
            table="feedback",
            references={"touchpoint_id": Reference("touchpoint", on_delete="unlink")},
            file_schema={
                "touchpoint": OPTIONAL_KEY,
                "text": {"type": "string", "maxLength": 20000},
                "nps": _numbers("integer", 0, 10, optional=True),
                "csat": _numbers("integer", 1, 5, optional=True),
                "ces": _numbers("integer", 1, 7, optional=True),
                "ces_scale": {
                    "enum": [5, 7],
                    "description": "Scale of ces: 7 = 1-7 agreement (default), 5 = 1-5 effort. "
                    "Written only when 5.",
                },
                "source": SHORT_TEXT,
                "segment": {
                    **SHORT_TEXT,
                    "description": "Persona or segment named by the source file. "
                    "Written only when not empty.",
                },
                "created_at": {
                    "type": ["string", "null"],
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                },
                "channel": {
                    **SHORT_TEXT,
                    "description": "Channel named by the source file (web, app, phone…). "
                    "Written only when not empty.",
                },
            },
            file_schema_added={2: {
                "received_at": {
                    "type": ["string", "null"],
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})$",
                    "description": "The moment the feedback was given, when its source says it "
                    "with a time zone: written in UTC (YYYY-MM-DDTHH:MM:SS[.ffffff]Z); "
                    "created_at is then its UTC date. Written only when set.",
                },
                "sentiment": {
                    **_numbers("number", -1, 1, optional=True),
                    "description": "Compound sentiment -1…1; null: not scored (not English, "
                    "or empty). Left out: scored with VADER on import.",
                },
                "sentiment_source": {
                    "enum": ["vader", "file", "manual"],
                    "description": "Who gave the sentiment: VADER, the imported file, or a "
                    "person (never re-scored). Default when sentiment is given: file.",
                },
                "language": {
                    "type": "string", "maxLength": 16,
                    "description": "Language of the text by its script (en, fa, ar, other).",
                },
                "fingerprint": {
                    "type": ["string", "null"], "minLength": 1, "maxLength": 64,
                    "description": "Fingerprint of a row imported from a feedback file: a "
                    "later import of the same row adds nothing. Written only when set.",
                },
                "evidence": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "pain_points": {"type": "array", "items": KEY, "uniqueItems": True},
                        "opportunities": {"type": "array", "items": KEY, "uniqueItems": True},
                    },
                    "description": "Keys of the pain points and opportunities this verbatim "
                    "is evidence for. Written only when it is evidence for any.",
                },
            }},
            file_links=("evidence",),
            written_when_not={
                "ces_scale": 7, "segment": "", "channel": "", "fingerprint": None, "evidence": {},
                "received_at": None,
            },
            defaults={"ces_scale": 7, "sentiment_source": "file"},
            headings={"created_at": "date"},
        ),
    )
}  # fmt: skip


def entity(name: str) -> Entity:
    """The entity called ``name``; a clear error for a name that is none.

    >>> entity("stage").key_prefix
    's'
    >>> entity("colour")
    Traceback (most recent call last):
    ...
    KeyError: "unknown kind of row 'colour'"
    """
    try:
        return ENTITIES[name]
    except KeyError:
        raise KeyError(f"unknown kind of row {name!r}") from None


@dataclass(frozen=True)
class DeletionEffects:
    """Rows that go with a delete (cascades) and rows that stay, unlinked, by entity."""

    deleted: Mapping[str, int]
    unlinked: Mapping[str, int]

    @property
    def anything(self) -> bool:
        """Whether the delete takes or unlinks any other row.

        >>> DeletionEffects({"pain_point": 0}, {"feedback": 2}).anything
        True
        """
        return any(self.deleted.values()) or any(self.unlinked.values())


def deletion_effects(aggregate: Any, asked: Mapping[str, set[int]]) -> DeletionEffects:
    """What deleting the rows ``asked`` ({entity: ids}) does to the rest of the map, following
    the references' ``on_delete`` as the database does: rows that cascade are counted as
    deleted (besides those asked for), rows that only point at a deleted row as unlinked.

    >>> from cxmap.core.examples import demo_chain
    >>> effects = deletion_effects(demo_chain(), {"stage": {1}})
    >>> dict(effects.deleted)
    {'touchpoint': 1, 'transition': 1}
    """
    gone = {name: set(ids) for name, ids in asked.items()}
    changed = True
    while changed:  # a cascade can cascade further (stage → touchpoint → pain point …)
        changed = False
        for child in ENTITIES.values():
            doomed = {
                row.id for row in child.rows(aggregate) if _points_into(child, row, gone, "cascade")
            }
            if doomed - gone.get(child.name, set()):
                gone[child.name] = gone.get(child.name, set()) | doomed
                changed = True
    deleted = {
        name: len(gone.get(name, set()) - asked.get(name, set()))
        for name in ENTITIES
        if gone.get(name, set()) - asked.get(name, set())
    }
    unlinked: dict[str, int] = {}
    for child in ENTITIES.values():
        count = sum(
            1
            for row in child.rows(aggregate)
            if row.id not in gone.get(child.name, set())
            and _points_into(child, row, gone, "unlink")
        )
        if count:
            unlinked[child.name] = count
    return DeletionEffects(deleted, unlinked)


def _points_into(child: Entity, row: Any, gone: Mapping[str, set[int]], on_delete: str) -> bool:
    """Whether ``row`` refers, through a reference with this ``on_delete``, to a gone row."""
    return any(
        getattr(row, column) in gone.get(reference.entity, ())
        for column, reference in child.references.items()
        if reference.on_delete == on_delete
    )
