"""SQLModel tables: the database schema of cxmap.

Integrity lives in the database, not only in Python: foreign keys cascade (deleting a map
deletes everything in it; deleting a touchpoint keeps its feedback and opportunities, unlinked),
CHECK constraints hold every range of DOMAIN.md, and keys are unique per map. Every editable row
has a ``version`` for optimistic concurrency; the map's ``revision`` grows with every change to
anything in it (see ``cxmap.store.map_queries.begin_map_write``).

Schema changes go through Alembic (``cxmap/migrations``); a test fails when the two drift.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, MetaData, Table, UniqueConstraint
from sqlmodel import Field, SQLModel

from cxmap.core.context import utcnow
from cxmap.core.entities import entity

# Stable constraint names, so migrations can address them on SQLite and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def _map_fk() -> Any:
    return Field(foreign_key="journey_map.id", ondelete="CASCADE", index=True)


class JourneyMap(SQLModel, table=True):
    """A journey map: the row everything else in the map belongs to (and cascades from)."""

    __tablename__ = "journey_map"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("state IN ('current', 'future')", name="state"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("revision >= 0", name="revision"),
        # Map ids travel in links (?map=3): SQLite must never hand a deleted map's id to a new one.
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=5000)
    state: str = Field(default="current", max_length=16)
    language: str = Field(default="en", max_length=35)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    revision: int = 0
    version: int = 1
    # Scoring weights and thresholds of this map (cxmap.analysis.scoring.ScoringSettings);
    # {} = the defaults.
    settings: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )


class Persona(SQLModel, table=True):
    """A persona of a map: a kind of customer, with goals, needs and share of the segment."""

    __tablename__ = "persona"
    __table_args__ = (
        UniqueConstraint("map_id", "key"),
        CheckConstraint(
            "segment_share IS NULL OR (segment_share >= 0 AND segment_share <= 1)",
            name="segment_share",
        ),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=5000)
    goals: str = Field(default="", max_length=5000)
    needs: str = Field(default="", max_length=5000)
    motivations: str = Field(default="", max_length=5000)
    behaviors: str = Field(default="", max_length=5000)
    pain_points: str = Field(default="", max_length=5000)
    segment_share: float | None = None
    position: int = 0
    version: int = 1


class Stage(SQLModel, table=True):
    """A stage of a map's journey (a column of the map), ordered by ``position``."""

    __tablename__ = "stage"
    __table_args__ = (
        UniqueConstraint("map_id", "key"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    position: int = 0
    version: int = 1


class Touchpoint(SQLModel, table=True):
    """A touchpoint in a stage: where the customer meets the business, with its scores."""

    __tablename__ = "touchpoint"
    __table_args__ = (
        UniqueConstraint("map_id", "key"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("emotion IS NULL OR (emotion BETWEEN -2 AND 2)", name="emotion"),
        CheckConstraint("effort IS NULL OR (effort BETWEEN 1 AND 5)", name="effort"),
        CheckConstraint("volume IS NULL OR volume >= 0", name="volume"),
        CheckConstraint("drop_off >= 0 AND drop_off <= 1", name="drop_off"),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    key: str = Field(max_length=64)
    stage_id: int = Field(foreign_key="stage.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=200)
    position: int = 0
    channel: str = Field(default="", max_length=200)
    owner: str = Field(default="", max_length=200)
    customer_action: str = Field(default="", max_length=5000)
    thought: str = Field(default="", max_length=5000)
    emotion: int | None = None
    effort: int | None = None
    volume: int | None = None
    drop_off: float = 0.0
    moment_of_truth: bool = False
    version: int = 1


class Emotion(SQLModel, table=True):
    """How one persona feels at one touchpoint (overrides the touchpoint's emotion for it)."""

    __tablename__ = "emotion"
    __table_args__ = (
        UniqueConstraint("touchpoint_id", "persona_id"),
        CheckConstraint("score BETWEEN -2 AND 2", name="score"),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    touchpoint_id: int = Field(foreign_key="touchpoint.id", ondelete="CASCADE", index=True)
    persona_id: int = Field(foreign_key="persona.id", ondelete="CASCADE", index=True)
    score: int
    label: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=5000)
    version: int = 1


class PainPoint(SQLModel, table=True):
    """A pain point at a touchpoint, rated by severity and frequency (1…5 each)."""

    __tablename__ = "pain_point"
    __table_args__ = (
        UniqueConstraint("map_id", "key"),
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("frequency BETWEEN 1 AND 5", name="frequency"),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    key: str = Field(max_length=64)
    touchpoint_id: int = Field(foreign_key="touchpoint.id", ondelete="CASCADE", index=True)
    description: str = Field(default="", max_length=5000)
    severity: int
    frequency: int
    version: int = 1


class Opportunity(SQLModel, table=True):
    """An improvement idea, optionally linked to a touchpoint and a pain point."""

    __tablename__ = "opportunity"
    __table_args__ = (
        UniqueConstraint("map_id", "key"),
        CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),
        CheckConstraint(
            "customer_value IS NULL OR (customer_value BETWEEN 0 AND 100)", name="customer_value"
        ),
        CheckConstraint(
            "business_value IS NULL OR (business_value BETWEEN 0 AND 100)", name="business_value"
        ),
        CheckConstraint("effort IS NULL OR (effort BETWEEN 1 AND 5)", name="effort"),
        CheckConstraint("status IN ('idea', 'planned', 'in progress', 'done')", name="status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    key: str = Field(max_length=64)
    # An idea outlives the touchpoint or pain point it was written for: unlink, don't delete.
    touchpoint_id: int | None = Field(
        default=None, foreign_key="touchpoint.id", ondelete="SET NULL", index=True
    )
    pain_point_id: int | None = Field(
        default=None, foreign_key="pain_point.id", ondelete="SET NULL", index=True
    )
    title: str = Field(max_length=200)
    customer_value: int | None = None
    business_value: int | None = None
    effort: int | None = None
    status: str = Field(default="idea", max_length=16)
    version: int = 1


class Transition(SQLModel, table=True):
    """A weighted path from one touchpoint to another (a touchpoint's flow splits by weight)."""

    __tablename__ = "transition"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id"),
        CheckConstraint("weight >= 0", name="weight"),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    source_id: int = Field(foreign_key="touchpoint.id", ondelete="CASCADE", index=True)
    target_id: int = Field(foreign_key="touchpoint.id", ondelete="CASCADE", index=True)
    weight: float = 1.0
    version: int = 1


class Feedback(SQLModel, table=True):
    """One piece of customer feedback: a verbatim with optional NPS, CSAT, CES and sentiment."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("nps IS NULL OR (nps BETWEEN 0 AND 10)", name="nps"),
        CheckConstraint("csat IS NULL OR (csat BETWEEN 1 AND 5)", name="csat"),
        CheckConstraint("ces_scale IN (5, 7)", name="ces_scale"),
        CheckConstraint("ces IS NULL OR (ces BETWEEN 1 AND ces_scale)", name="ces"),
        CheckConstraint(
            "sentiment IS NULL OR (sentiment >= -1 AND sentiment <= 1)", name="sentiment"
        ),
        CheckConstraint("sentiment_source IN ('vader', 'manual', 'file')", name="sentiment_source"),
        Index("ix_feedback_map_id_touchpoint_id", "map_id", "touchpoint_id"),
        # A row imported from a file carries a fingerprint of its content and occurrence, so
        # importing the same (or a newer, overlapping) export again adds only the new rows.
        # (A unique index, not a constraint: SQLite adds it without rebuilding the table.)
        Index("ix_feedback_map_id_fingerprint", "map_id", "fingerprint", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    # Customer feedback is evidence: it survives the deletion of its touchpoint, unlinked.
    touchpoint_id: int | None = Field(
        default=None, foreign_key="touchpoint.id", ondelete="SET NULL", index=True
    )
    text: str = Field(default="", max_length=20000)
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    ces_scale: int = 7
    source: str = Field(default="", max_length=200)
    created_at: dt.date | None = None
    sentiment: float | None = None
    # Where the sentiment comes from: "vader", "manual" (set by a person) or "file" (imported).
    sentiment_source: str = Field(
        default="vader", max_length=16, sa_column_kwargs={"server_default": "vader"}
    )
    language: str = Field(default="", max_length=16)
    # The persona or segment a file names for the row (free text, for metrics per segment).
    segment: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    # The channel a file names for the row (web, app, phone…: free text, as the file says).
    channel: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    fingerprint: str | None = Field(default=None, max_length=64)
    # The moment the feedback was given, in UTC, when the source says it with an offset
    # (``created_at`` is then its UTC date); None for a date-only row.
    received_at: dt.datetime | None = None
    version: int = 1


class Evidence(SQLModel, table=True):
    """A verbatim that justifies a pain point or an opportunity (closing the VoC loop)."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("(pain_point_id IS NULL) <> (opportunity_id IS NULL)", name="one_target"),
        UniqueConstraint("feedback_id", "pain_point_id", "opportunity_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    feedback_id: int = Field(foreign_key="feedback.id", ondelete="CASCADE", index=True)
    pain_point_id: int | None = Field(
        default=None, foreign_key="pain_point.id", ondelete="CASCADE", index=True
    )
    opportunity_id: int | None = Field(
        default=None, foreign_key="opportunity.id", ondelete="CASCADE", index=True
    )


class FeedbackFile(SQLModel, table=True):
    """A feedback file imported into a map with a given column mapping (by content hash), so
    importing the very same export again is recognised at once."""

    __tablename__ = "feedback_file"
    __table_args__ = (UniqueConstraint("map_id", "file_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    file_hash: str = Field(max_length=64)
    file_name: str = Field(default="", max_length=300)
    rows_added: int = 0
    imported_at: dt.datetime = Field(default_factory=utcnow)


class SentimentCache(SQLModel, table=True):
    """VADER scores by text hash: re-importing the same verbatims does not score them again."""

    __tablename__ = "sentiment_cache"
    text_hash: str = Field(primary_key=True, max_length=64)
    sentiment: float | None = None
    language: str = Field(default="", max_length=16)


# ---------------------------------------------------------------- team mode


class Account(SQLModel, table=True):
    """Someone who signs in (team mode). Only an argon2id hash of the password is kept."""

    __tablename__ = "account"
    __table_args__ = (
        UniqueConstraint("name"),
        # (a unique index, not a constraint: SQLite adds it without rebuilding the table)
        Index("ix_account_email", "email", unique=True),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    # The address an identity provider (OpenID Connect) vouches for, lower case; optional.
    email: str | None = Field(default=None, max_length=254)
    password_hash: str = Field(max_length=300)
    is_admin: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_sign_in_at: dt.datetime | None = None


class SignInSession(SQLModel, table=True):
    """A browser signed in to an account (team mode), for as long as it keeps being used: the
    ``cxmap_session`` cookie's token is kept only as its SHA-256 (256 random bits). Removed on
    sign-out, on a new password and with its account; past ``expires_at`` it is idle-expired."""

    __tablename__ = "sign_in_session"
    __table_args__ = (UniqueConstraint("token_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime


class MapRole(SQLModel, table=True):
    """An account's role on a map: owner, editor or viewer (no row: no access)."""

    __tablename__ = "map_role"
    __table_args__ = (CheckConstraint("role IN ('owner', 'editor', 'viewer')", name="role"),)
    map_id: int = Field(foreign_key="journey_map.id", ondelete="CASCADE", primary_key=True)
    account_id: int = Field(
        foreign_key="account.id", ondelete="CASCADE", primary_key=True, index=True
    )
    role: str = Field(max_length=16)


class ShareLink(SQLModel, table=True):
    """A read-only link to one map for people without an account; only the token's SHA-256 is
    kept (the token is random, 256 bits: a slow hash adds nothing)."""

    __tablename__ = "share_link"
    __table_args__ = (UniqueConstraint("token_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    map_id: int = _map_fk()
    token_hash: str = Field(max_length=64)
    created_by: str = Field(default="", max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins in a row, per account name (``name:…``) and per client (``client:…``),
    and until when that key is locked out."""

    __tablename__ = "sign_in_throttle"
    key: str = Field(primary_key=True, max_length=200)
    failures: int = 0
    last_failure_at: dt.datetime | None = None
    locked_until: dt.datetime | None = None


class MapWrite(SQLModel, table=True):
    """Who wrote each revision of a map, and when (the audit the history is built on)."""

    __tablename__ = "map_write"
    map_id: int = Field(foreign_key="journey_map.id", ondelete="CASCADE", primary_key=True)
    revision: int = Field(primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=64)


def table_of(entity_name: str) -> Table:
    """The table behind an entity of the registry (:mod:`cxmap.core.entities`).

    >>> table_of("pain_point").name
    'pain_point'
    """
    return metadata.tables[entity(entity_name).table]


MAP_TABLE: Table = metadata.tables["journey_map"]
EVIDENCE_TABLE: Table = metadata.tables["evidence"]
FEEDBACK_FILE_TABLE: Table = metadata.tables["feedback_file"]
SENTIMENT_CACHE_TABLE: Table = metadata.tables["sentiment_cache"]
ACCOUNT_TABLE: Table = metadata.tables["account"]
MAP_ROLE_TABLE: Table = metadata.tables["map_role"]
SHARE_LINK_TABLE: Table = metadata.tables["share_link"]
THROTTLE_TABLE: Table = metadata.tables["sign_in_throttle"]
MAP_WRITE_TABLE: Table = metadata.tables["map_write"]
SESSION_TABLE: Table = metadata.tables["sign_in_session"]
