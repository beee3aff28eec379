"""Team mode's rules, enforced in the services: the role matrix, sign-in, share links, audit.

The matrix is generated from ``services.ACCESS`` (what each service asks of the acting user):
every service is called as every kind of actor on a fresh database, and must either work or
raise Forbidden, as the table says. A service missing from the table, or from the calls below,
fails the first test, so a new service cannot be forgotten.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cxmap import cli, services
from cxmap.cli.team import read_password
from cxmap.core import access
from cxmap.core.context import Actor, Context
from cxmap.core.errors import Forbidden, InvalidInput
from cxmap.core.messages import Message
from cxmap.core.records import Change
from cxmap.store import access_queries
from cxmap.store.db import Database
from tests.factories import journey_document

PASSWORD = "a long enough password"
ACTORS = ("local", "admin", "owner", "editor", "viewer", "stranger", "share link")
# Who passes each requirement of services.ACCESS.
ALLOWED: dict[str, set[str]] = {
    "anyone": set(ACTORS),
    "viewer": {"local", "admin", "owner", "editor", "viewer", "share link"},
    "editor": {"local", "admin", "owner", "editor"},
    "owner": {"local", "admin", "owner"},
    "account": {"local", "admin", "owner", "editor", "viewer", "stranger"},
    "viewer+account": {"local", "admin", "owner", "editor", "viewer"},
    "admin": {"local", "admin"},
    "own account": {"admin", "owner", "editor", "viewer", "stranger"},
}


@dataclass
class World:
    """A database with one map, its rows, and an actor of each kind."""

    ctx: Context
    map_id: int
    stage_id: int
    touchpoint_id: int
    persona_id: int
    feedback_id: int
    share_token: str
    share_id: int
    session_token: str
    actors: dict[str, Actor | None]


def build_world(ctx: Context) -> World:
    for name, admin in (("ada", True), ("olga", False), ("ed", False), ("vic", False),
                        ("sam", False)):  # fmt: skip
        email = "vic@example.org" if name == "vic" else None
        services.add_account(ctx, name, PASSWORD, is_admin=admin, email=email)
    owner = services.acting_as(ctx, "olga")
    as_owner = ctx.acting_as(owner)
    journey = services.import_document(as_owner, journey_document("Team map"))
    services.set_role(as_owner, journey.id, "ed", "editor")
    services.set_role(as_owner, journey.id, "vic", "viewer")
    aggregate = services.load_map(as_owner, journey.id)
    link = services.create_share_link(as_owner, journey.id, days=30)
    return World(
        ctx=ctx,
        map_id=journey.id,
        stage_id=aggregate.stages[0].id,
        touchpoint_id=aggregate.touchpoints[0].id,
        persona_id=aggregate.personas[0].id,
        feedback_id=aggregate.feedback[0].id,
        share_token=link.token,
        share_id=link.id,
        session_token=services.start_session(ctx.acting_as(services.acting_as(ctx, "vic"))),
        actors={
            "local": None,
            "admin": services.acting_as(ctx, "ada"),
            "owner": owner,
            "editor": services.acting_as(ctx, "ed"),
            "viewer": services.acting_as(ctx, "vic"),
            "stranger": services.acting_as(ctx, "sam"),
            "share link": services.open_share_link(ctx, link.token),
        },
    )


def _version(w: World) -> int:
    return services.load_map(w.ctx, w.map_id).map.version


def _touchpoint(w: World) -> Any:
    return next(t for t in services.load_map(w.ctx, w.map_id).touchpoints
                if t.id == w.touchpoint_id)  # fmt: skip


# How to call each service as the actor of ``c`` in world ``w`` (arguments read as local).
Call = Callable[[Context, World], Any]
CALLS: dict[str, Call] = {
    "acting_as": lambda c, w: services.acting_as(c, "vic"),
    "check_share_link": lambda c, w: services.check_share_link(c),
    "add_account": lambda c, w: services.add_account(c, "newcomer", PASSWORD),
    "analyze_map": lambda c, w: services.analyze_map(c, w.map_id),
    "apply_changes": lambda c, w: services.apply_changes(
        c, w.map_id, [Change("create", "stage", values={"name": "Loyalty"})]
    ),
    "create_map": lambda c, w: services.create_map(c, "Another map"),
    "create_row": lambda c, w: services.create_row(c, w.map_id, "stage", {"name": "Loyalty"}),
    "create_share_link": lambda c, w: services.create_share_link(c, w.map_id),
    "create_with_evidence": lambda c, w: services.create_with_evidence(
        c,
        w.map_id,
        "pain_point",
        {"touchpoint_id": w.touchpoint_id, "severity": 3, "frequency": 3},
        [w.feedback_id],
    ),  # fmt: skip
    "delete_map": lambda c, w: services.delete_map(c, w.map_id),
    "delete_row": lambda c, w: services.delete_row(c, w.map_id, "stage", w.stage_id),
    "demo_templates": lambda c, w: services.demo_templates(),
    "end_session": lambda c, w: services.end_session(c, w.session_token),
    "duplicate_map": lambda c, w: services.duplicate_map(c, w.map_id),
    "duplicate_persona": lambda c, w: services.duplicate_persona(c, w.map_id, w.persona_id),
    "earlier_import": lambda c, w: services.earlier_import(c, w.map_id, "0" * 64),
    "export_document": lambda c, w: services.export_document(c, w.map_id),
    "export_json": lambda c, w: services.export_json(c, w.map_id),
    "export_map": lambda c, w: services.export_map(c, w.map_id, ".mmd"),
    "export_suffix": lambda c, w: services.export_suffix("map.json"),
    "get_map": lambda c, w: services.get_map(c, w.map_id),
    "import_document": lambda c, w: services.import_document(c, journey_document("Imported")),
    "import_feedback": lambda c, w: services.import_feedback(
        c,
        w.map_id,
        [
            {
                "text": "Great",
                "touchpoint_id": w.touchpoint_id,
                "nps": 9,
                "csat": None,
                "ces": None,
                "ces_scale": 7,
                "source": "",
                "segment": "",
                "created_at": None,
                "channel": "",
            }
        ],
        workers=1,
    ),  # fmt: skip
    "import_file": lambda c, w: services.import_file(
        c, services.export_json(w.ctx, w.map_id).encode(), name="From a file"
    ),
    "list_accounts": lambda c, w: services.list_accounts(c),
    "list_maps": lambda c, w: services.list_maps(c),
    "load_map": lambda c, w: services.load_map(c, w.map_id),
    "map_revision": lambda c, w: services.map_revision(c, w.map_id),
    "map_roles": lambda c, w: services.map_roles(c, w.map_id),
    "move_touchpoint": lambda c, w: services.move_touchpoint(
        c,
        w.map_id,
        w.touchpoint_id,
        _touchpoint(w).version,
        w.stage_id,
        [t.id for t in services.load_map(w.ctx, w.map_id).touchpoints if t.stage_id == w.stage_id],
    ),  # fmt: skip
    "my_role": lambda c, w: services.my_role(c, w.map_id),
    "open_context": lambda c, w: services.open_context(c.db.url),
    "open_share_link": lambda c, w: services.open_share_link(c, w.share_token),
    "remembered_value_links": lambda c, w: services.remembered_value_links(c, w.map_id),
    "remove_account": lambda c, w: services.remove_account(c, "sam"),
    "reorder": lambda c, w: services.reorder(
        c, w.map_id, "stage", [s.id for s in services.load_map(w.ctx, w.map_id).stages][::-1]
    ),
    "resolve_map": lambda c, w: services.resolve_map(c, "Team map"),
    "resume_session": lambda c, w: services.resume_session(c, w.session_token),
    "revoke_share_link": lambda c, w: services.revoke_share_link(c, w.share_id),
    "save_assessment": lambda c, w: services.save_assessment(
        c, w.map_id, _version(w), {"objectives": 3}
    ),
    "save_risk_assumptions": lambda c, w: services.save_risk_assumptions(
        c, w.map_id, _version(w), {"leave_after_bad": 0.2}
    ),
    "save_scoring_settings": lambda c, w: services.save_scoring_settings(
        c, w.map_id, _version(w), services.scoring_settings(w.ctx, w.map_id)
    ),
    "scoring_settings": lambda c, w: services.scoring_settings(c, w.map_id),
    "seed_demo_maps": lambda c, w: services.seed_demo_maps(c),
    "set_password": lambda c, w: services.set_password(c, "ada", PASSWORD + "!"),
    "set_role": lambda c, w: services.set_role(c, w.map_id, "sam", "viewer"),
    "set_sentiment": lambda c, w: services.set_sentiment(c, w.map_id, w.feedback_id, 1, "negative"),
    "set_sentiments": lambda c, w: services.set_sentiments(
        c, w.map_id, [(w.feedback_id, 1)], "positive"
    ),
    "share_links": lambda c, w: services.share_links(c, w.map_id),
    "set_email": lambda c, w: services.set_email(c, "sam", "sam@example.org"),
    "sign_in": lambda c, w: services.sign_in(c, "vic", PASSWORD, wait=lambda _: None),
    "sign_in_with_identity": lambda c, w: services.sign_in_with_identity(
        c, "vic@example.org", issued_at=c.now()
    ),
    "start_session": lambda c, w: services.start_session(c),
    "update_map": lambda c, w: services.update_map(c, w.map_id, _version(w), description="New"),
    "update_map_settings": lambda c, w: services.update_map_settings(
        c, w.map_id, _version(w), assessment={"roles": 2}
    ),
    "update_row": lambda c, w: services.update_row(
        c, w.map_id, "touchpoint", w.touchpoint_id, _touchpoint(w).version, {"effort": 4}
    ),
}


def test_every_service_is_in_the_access_table_and_the_matrix() -> None:
    functions = {
        name for name in services.__all__
        if callable(getattr(services, name)) and not isinstance(getattr(services, name), type)
    }  # fmt: skip
    assert functions == set(services.ACCESS), "list each new service in services.ACCESS"
    assert set(CALLS) == set(services.ACCESS), "and give it a call in CALLS here"
    assert set(services.ACCESS.values()) <= set(ALLOWED)


@pytest.fixture
def world(sqlite_ctx: Context) -> World:
    return build_world(sqlite_ctx)


@dataclass(frozen=True)
class WorldFile:
    """A SQLite file holding a built world, and the world's ids and actors."""

    path: Path
    world: World


@pytest.fixture(scope="session")
def world_file(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> WorldFile:
    """The world built once (for each test process) and copied for each call of the matrix:
    350 calls would otherwise build it 350 times."""
    path = tmp_path_factory.mktemp("world") / "world.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    try:
        world = build_world(Context(database))
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.dispose()
    return WorldFile(path, world)


@pytest.mark.parametrize("service", sorted(services.ACCESS))
def test_role_matrix(service: str, tmp_path: Path, world_file: WorldFile) -> None:
    """Each kind of actor either may call the service or gets Forbidden, nothing in between."""
    requirement = services.ACCESS[service]
    outcome: dict[str, str] = {}
    for kind in ACTORS:
        path = tmp_path / f"{kind}.db"
        shutil.copy(world_file.path, path)  # the same world, fresh for each actor
        database = Database(f"sqlite:///{path}")
        try:
            w = dataclasses.replace(world_file.world, ctx=Context(database))
            try:
                CALLS[service](w.ctx.acting_as(w.actors[kind]), w)
                outcome[kind] = "allowed"
            except Forbidden as refused:
                assert refused.message.startswith("not allowed: "), refused.message
                outcome[kind] = "forbidden"
        finally:
            database.dispose()
    expected = {k: "allowed" if k in ALLOWED[requirement] else "forbidden" for k in ACTORS}
    assert outcome == expected


# ---------------------------------------------------------------- the same on PostgreSQL


@pytest.mark.postgres
def test_roles_hold_on_postgresql(pg_ctx: Context) -> None:
    w = build_world(pg_ctx)
    as_viewer = pg_ctx.acting_as(w.actors["viewer"])
    assert services.load_map(as_viewer, w.map_id).map.name == "Team map"
    with pytest.raises(Forbidden, match="needs the editor role"):
        services.create_row(as_viewer, w.map_id, "stage", {"name": "Loyalty"})
    with pytest.raises(Forbidden, match="no role"):
        services.load_map(pg_ctx.acting_as(w.actors["stranger"]), w.map_id)
    assert [m.map.name for m in services.list_maps(pg_ctx.acting_as(w.actors["stranger"]))] == []
    token = services.start_session(as_viewer)
    assert services.resume_session(pg_ctx, token).name == "vic"
    services.end_session(pg_ctx, token)
    with pytest.raises(services.SessionEnded, match="signed out"):
        services.resume_session(pg_ctx, token)


# ---------------------------------------------------------------- what each actor sees


def test_each_account_lists_only_the_maps_it_holds_a_role_on(world: World) -> None:
    other = services.create_map(world.ctx.acting_as(world.actors["stranger"]), "Sam's map")
    names = {
        kind: sorted(m.map.name for m in services.list_maps(world.ctx.acting_as(actor)))
        for kind, actor in world.actors.items()
    }
    assert names["stranger"] == ["Sam's map"]  # its creator owns it
    assert names["viewer"] == names["editor"] == names["share link"] == ["Team map"]
    assert names["admin"] == names["local"] == ["Sam's map", "Team map"]
    roles = services.map_roles(world.ctx, other.id)
    assert [(r["name"], r["role"]) for r in roles] == [("sam", "owner")]


def test_a_map_keeps_an_owner(world: World) -> None:
    as_owner = world.ctx.acting_as(world.actors["owner"])
    with pytest.raises(Forbidden, match="last owner"):
        services.set_role(as_owner, world.map_id, "olga", "editor")
    services.set_role(as_owner, world.map_id, "ed", "owner")
    services.set_role(as_owner, world.map_id, "olga", "none")
    assert [(r["name"], r["role"]) for r in services.map_roles(world.ctx, world.map_id)] == [
        ("ed", "owner"),
        ("vic", "viewer"),
    ]


def test_every_write_records_who_wrote_it(world: World) -> None:
    services.create_row(world.ctx.acting_as(world.actors["editor"]), world.map_id, "stage",
                        {"name": "Loyalty"})  # fmt: skip
    services.create_row(world.ctx, world.map_id, "stage", {"name": "Advocacy"})
    with world.ctx.session() as s:
        writes = access_queries.map_writes(s, world.map_id)
    assert [w["actor"] for w in writes[-2:]] == ["ed", "local"]
    assert [w["revision"] for w in writes] == sorted({w["revision"] for w in writes})


# ---------------------------------------------------------------- signing in


class Waits(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(world: World) -> None:
    waits = Waits()
    with pytest.raises(services.SignInRefused) as wrong:
        services.sign_in(world.ctx, "vic", "not the password", wait=waits)
    with pytest.raises(services.SignInRefused) as unknown:
        services.sign_in(world.ctx, "nobody", "not the password", wait=waits)
    assert wrong.value.message == unknown.value.message
    assert wrong.value.message == "That name and password do not match an account."
    assert services.sign_in(world.ctx, " VIC ", PASSWORD).name == "vic"


def test_failures_slow_down_then_lock_the_name_out(world: World) -> None:
    waits = Waits()
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    clock = [start]
    ctx = Context(world.ctx.db, clock=lambda: clock[0])
    for _ in range(access.MAX_FAILURES):
        with pytest.raises(services.SignInRefused, match="do not match"):
            services.sign_in(ctx, "vic", "guess", client="10.0.0.9", wait=waits)
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0]
    # Locked for 15 minutes: even the right password is refused, with the time left.
    clock[0] = start + dt.timedelta(minutes=1)
    with pytest.raises(services.SignInRefused, match="try again in 14 minutes"):
        services.sign_in(ctx, "vic", PASSWORD, wait=waits)
    # The client is locked too, for every name it tries.
    with pytest.raises(services.SignInRefused, match="try again in 14 minutes"):
        services.sign_in(ctx, "ed", PASSWORD, client="10.0.0.9", wait=waits)
    assert services.sign_in(ctx, "ed", PASSWORD, client="10.0.0.7").name == "ed"
    clock[0] = start + dt.timedelta(minutes=16)
    assert services.sign_in(ctx, "vic", PASSWORD, client="10.0.0.9").name == "vic"
    # A success forgets the failures: the next typo waits half a second again.
    with pytest.raises(services.SignInRefused):
        services.sign_in(ctx, "vic", "typo", wait=waits)
    assert waits[-1] == 0.5


def test_an_unknown_name_is_locked_out_like_a_real_one(world: World) -> None:
    waits = Waits()
    for _ in range(access.MAX_FAILURES):
        with pytest.raises(services.SignInRefused):
            services.sign_in(world.ctx, "nobody", "guess", wait=waits)
    with pytest.raises(services.SignInRefused, match="try again in 15 minutes"):
        services.sign_in(world.ctx, "nobody", "guess", wait=waits)


def test_passwords_and_names_are_checked(world: World) -> None:
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        services.add_account(world.ctx, "shorty", "short")
    with pytest.raises(InvalidInput, match="exists already"):
        services.add_account(world.ctx, "VIC", PASSWORD)
    with pytest.raises(InvalidInput, match="1 to 64 letters"):
        services.add_account(world.ctx, "two words", PASSWORD)


# ---------------------------------------------------------------- share links


def test_a_share_link_reads_one_map_until_revoked(world: World) -> None:
    link = world.actors["share link"]
    assert link is not None and link.share_map_id == world.map_id
    as_link = world.ctx.acting_as(link)
    assert services.load_map(as_link, world.map_id).map.name == "Team map"
    other = services.create_map(world.ctx, "Other map")
    with pytest.raises(Forbidden, match="share link shows one map"):
        services.load_map(as_link, other.id)
    listed = services.share_links(world.ctx.acting_as(world.actors["owner"]), world.map_id)
    assert listed[0]["created_by"] == "olga" and listed[0]["last_used_at"] is not None
    services.revoke_share_link(world.ctx.acting_as(world.actors["owner"]), world.share_id)
    # A tab that opened the link before the revoke reads nothing more.
    with pytest.raises(Forbidden, match="was revoked"):
        services.load_map(as_link, world.map_id)
    with pytest.raises(services.ShareLinkRefused, match="was revoked"):
        services.check_share_link(as_link)
    with pytest.raises(services.ShareLinkRefused, match="was revoked"):
        services.open_share_link(world.ctx, world.share_token)
    with pytest.raises(services.ShareLinkRefused, match="does not exist"):
        services.open_share_link(world.ctx, "not-a-token")


def test_a_share_link_expires(world: World) -> None:
    later = services.create_share_link(world.ctx, world.map_id, days=2)
    in_three_days = Context(world.ctx.db, clock=lambda: later.expires_at + dt.timedelta(days=1))
    with pytest.raises(services.ShareLinkRefused, match="expired on"):
        services.open_share_link(in_three_days, later.token)
    opened = services.open_share_link(world.ctx, later.token)
    with pytest.raises(Forbidden, match="expired on"):
        services.load_map(in_three_days.acting_as(opened), world.map_id)


# ---------------------------------------------------------------- sign-in sessions


def _clocked(world: World, start: dt.datetime) -> tuple[Context, list[dt.datetime]]:
    clock = [start]
    return Context(world.ctx.db, clock=lambda: clock[0]), clock


def test_a_session_lasts_while_it_is_used_then_ends_after_the_idle_time(world: World) -> None:
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    ctx, clock = _clocked(world, start)
    token = services.start_session(ctx.acting_as(world.actors["viewer"]))
    # Used every 50 minutes (the idle time is 60), it goes on past the first hour.
    for minutes in (50, 100, 150):
        clock[0] = start + dt.timedelta(minutes=minutes)
        assert services.resume_session(ctx, token) == world.actors["viewer"]
    clock[0] = start + dt.timedelta(minutes=150 + 61)
    with pytest.raises(services.SessionEnded, match="after 60 minutes without activity") as idle:
        services.resume_session(ctx, token)
    assert idle.value.idle
    # The expired session is gone: the same cookie now says only "signed out".
    with pytest.raises(services.SessionEnded, match="You were signed out. Sign in again.") as gone:
        services.resume_session(ctx, token)
    assert not gone.value.idle


def test_a_session_follows_its_account(world: World) -> None:
    token = services.start_session(world.ctx.acting_as(world.actors["viewer"]))
    services.set_password(world.ctx, "ada", PASSWORD)  # (ada's, not vic's: vic stays)
    assert services.resume_session(world.ctx, token).name == "vic"
    viewer = world.actors["viewer"]
    assert viewer is not None
    with world.ctx.session() as s:  # made an admin since: the session says so at once
        access_queries.update_account(s, viewer.user_id, is_admin=True)
    assert services.resume_session(world.ctx, token).is_admin


def test_sign_out_a_new_password_and_a_removed_account_end_sessions(world: World) -> None:
    as_vic = world.ctx.acting_as(world.actors["viewer"])
    first, second, third = (services.start_session(as_vic) for _ in range(3))
    services.end_session(world.ctx, first)
    with pytest.raises(services.SessionEnded, match="signed out"):
        services.resume_session(world.ctx, first)
    assert services.resume_session(world.ctx, second).name == "vic"  # another browser's
    services.set_password(as_vic, "vic", PASSWORD + "?")
    for token in (second, third):
        with pytest.raises(services.SessionEnded, match="signed out"):
            services.resume_session(world.ctx, token)
    fourth = services.start_session(as_vic)
    services.remove_account(world.ctx, "vic")
    with pytest.raises(services.SessionEnded, match="signed out"):
        services.resume_session(world.ctx, fourth)
    with pytest.raises(services.SessionEnded, match="signed out"):
        services.resume_session(world.ctx, "not-a-token")


def test_only_an_account_gets_a_session(world: World) -> None:
    for kind in ("local", "share link"):
        with pytest.raises(Forbidden, match="only a signed-in account can stay signed in"):
            services.start_session(world.ctx.acting_as(world.actors[kind]))


# ---------------------------------------------------------------- identity providers (OIDC)


def test_an_identity_provider_signs_in_the_account_with_that_email(world: World) -> None:
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    ctx, clock = _clocked(world, now)
    actor = services.sign_in_with_identity(
        ctx, " Vic@Example.ORG ", issued_at=now - dt.timedelta(seconds=3), verified=True
    )
    assert actor == world.actors["viewer"]
    # The same answer again (the provider's cookie, after a sign-out): it signed in once.
    clock[0] = now + dt.timedelta(minutes=2)
    with pytest.raises(services.SignInRefused) as again:
        services.sign_in_with_identity(ctx, "vic@example.org", issued_at=now)
    assert again.value.reason == Message("oidc.stale")
    # A new answer from the provider signs in again; one older than ten minutes does not.
    assert services.sign_in_with_identity(ctx, "vic@example.org", issued_at=clock[0]).name == "vic"
    clock[0] = now + dt.timedelta(hours=1)
    with pytest.raises(services.SignInRefused, match="Sign in with the identity provider again"):
        services.sign_in_with_identity(
            ctx, "vic@example.org", issued_at=clock[0] - dt.timedelta(minutes=11)
        )


def test_an_email_without_an_account_is_refused_not_provisioned(world: World) -> None:
    before = services.list_accounts(world.ctx)
    with pytest.raises(services.SignInRefused) as refused:
        services.sign_in_with_identity(world.ctx, "Eve@Example.org", issued_at=world.ctx.now())
    assert refused.value.message == (
        "No cxmap account has the email eve@example.org. Ask a workspace admin to add it to "
        "your account (python -m cxmap user email NAME eve@example.org), or sign in with your "
        "name and password."
    )
    assert services.list_accounts(world.ctx) == before  # nobody was made on the fly
    with pytest.raises(services.SignInRefused, match="has not verified the email vic@"):
        services.sign_in_with_identity(
            world.ctx, "vic@example.org", issued_at=world.ctx.now(), verified=False
        )
    with pytest.raises(services.SignInRefused, match="did not tell cxmap your email"):
        services.sign_in_with_identity(world.ctx, None, issued_at=world.ctx.now())
    with pytest.raises(services.SignInRefused, match="identity provider again"):
        services.sign_in_with_identity(world.ctx, "vic@example.org", issued_at=None)


def test_emails_are_checked_unique_and_changeable(world: World) -> None:
    with pytest.raises(InvalidInput, match="'vic at example' is not an email address"):
        services.add_account(world.ctx, "newcomer", PASSWORD, email="vic at example")
    with pytest.raises(InvalidInput, match="the account 'vic' has the email vic@example.org"):
        services.set_email(world.ctx, "sam", "VIC@example.org")
    assert services.set_email(world.ctx, "sam", " Sam@Example.org") == "sam@example.org"
    at = world.ctx.now()
    assert services.sign_in_with_identity(world.ctx, "sam@example.org", issued_at=at).name == "sam"
    assert services.set_email(world.ctx, "sam", None) is None
    with pytest.raises(services.SignInRefused, match="No cxmap account has the email"):
        services.sign_in_with_identity(world.ctx, "sam@example.org", issued_at=world.ctx.now())
    emails = {a["name"]: a["email"] for a in services.list_accounts(world.ctx)}
    assert emails["vic"] == "vic@example.org" and emails["sam"] is None


# ---------------------------------------------------------------- nothing secret in the file


def test_no_password_or_token_is_stored_in_plain_text(world: World) -> None:
    link = services.create_share_link(world.ctx, world.map_id)
    session = services.start_session(world.ctx.acting_as(world.actors["editor"]))
    world.ctx.db.dispose()  # type: ignore[attr-defined]
    path = Path(world.ctx.db.url.removeprefix("sqlite:///"))
    stored = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert PASSWORD.encode() not in stored
    assert world.share_token.encode() not in stored and link.token.encode() not in stored
    assert world.session_token.encode() not in stored and session.encode() not in stored
    assert b"$argon2id$" in stored
    assert hashlib.sha256(session.encode()).hexdigest().encode() in stored  # what is kept


# ---------------------------------------------------------------- the command line


@pytest.fixture
def cli_db(tmp_path: Path, sqlite_template: Path) -> Iterator[dict[str, str]]:
    path = tmp_path / "cli.db"
    shutil.copy(sqlite_template, path)
    yield {"CXMAP_DATABASE_URL": f"sqlite:///{path}"}


def _cxmap(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m cxmap ARGS`` with ``env`` and ``stdin``, run in this process (``cli.main``:
    the same exit code and output without an interpreter's start-up)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exit_:
                code = int(exit_.code or 0)
    return subprocess.CompletedProcess(["cxmap", *args], code, out.getvalue(), err.getvalue())


def _cxmap_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``python -m cxmap`` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "cxmap", *args], capture_output=True, text=True,
        env={**os.environ, **env}, timeout=120,
    )  # fmt: skip


def test_a_password_is_read_twice_from_standard_input() -> None:
    assert read_password(io.StringIO(f"{PASSWORD}\n{PASSWORD}\n")) == PASSWORD
    with pytest.raises(InvalidInput, match="the two passwords differ"):
        read_password(io.StringIO(f"{PASSWORD}\nsomething else\n"))


def test_the_command_line_manages_accounts_roles_and_links(
    cli_db: dict[str, str], tmp_path: Path
) -> None:
    twice = f"{PASSWORD}\n{PASSWORD}\n"
    assert _cxmap(cli_db, "user", "add", "Olga", stdin=twice).stdout == "added account olga\n"
    added = _cxmap(cli_db, "user", "add", "vic", "--email", "Vic@Example.org", stdin=twice)
    assert added.stdout == "added account vic <vic@example.org>\n", added.stderr
    assert _cxmap(cli_db, "user", "list").stdout == "user   olga\nuser   vic  <vic@example.org>\n"
    assert _cxmap(cli_db, "user", "email", "olga", "olga@example.org").stdout == (
        "olga signs in with olga@example.org\n"
    )
    taken = _cxmap(cli_db, "user", "email", "vic", "olga@example.org")
    assert taken.returncode == 1 and "has the email olga@example.org already" in taken.stderr
    assert _cxmap(cli_db, "user", "email", "olga", "none").stdout == "olga has no email now\n"
    source = tmp_path / "journey.json"
    source.write_text(json.dumps(journey_document("CLI map")), encoding="utf-8")
    assert _cxmap(cli_db, "--as", "olga", "import", str(source)).returncode == 0
    refused = _cxmap(cli_db, "--as", "vic", "row", "add", "1", "stage", "--set", "name=Later")
    assert refused.returncode == 1 and "not allowed: " in refused.stderr
    granted = _cxmap(cli_db, "--as", "olga", "role", "set", "CLI map", "vic", "editor")
    assert granted.stdout == "vic is now editor on map 1\n", granted.stderr
    link = _cxmap(cli_db, "--as", "olga", "share", "create", "1", "--expires", "7")
    assert link.returncode == 0 and "/?share=" in link.stdout
    shown = _cxmap(cli_db, "share", "list", "1")
    assert "active" in shown.stdout and "by olga" in shown.stdout
    assert link.stdout.rsplit("=", 1)[1].strip() not in shown.stdout
    assert "revoked share link 1" in _cxmap(cli_db, "share", "revoke", "1").stdout
    assert _cxmap(cli_db, "user", "remove", "vic").returncode == 0
    gone = _cxmap(cli_db, "--as", "vic", "maps")
    assert gone.returncode == 1 and "no account is named 'vic'" in gone.stderr


def test_serve_refuses_a_public_address_in_local_mode(cli_db: dict[str, str]) -> None:
    refused = _cxmap_process(
        {**cli_db, "CXMAP_MODE": "local"}, "serve", "--server.address", "0.0.0.0"
    )
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "cxmap: error: local mode has no sign-in and would listen on 0.0.0.0: use 127.0.0.1, "
        "or CXMAP_MODE=team (docs/deploy.md)"
    ]
