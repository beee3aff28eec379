"""Queries of team mode: accounts, roles on maps, share links, sign-in throttling, sign-in
sessions, the audit.

:func:`require` is the one place the role rule (:func:`cxmap.core.access.refusal`) meets the
database: the map queries call it at the start of every read and write of a map, with the actor
of the request's context (``session.info["context"]``), so no front end can skip it. In local
mode (no actor) it asks nothing and costs no query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from cxmap.core import access
from cxmap.core.access import Role
from cxmap.core.context import Actor, utcnow
from cxmap.core.errors import Forbidden
from cxmap.core.messages import Message
from cxmap.store.integrity import explained_refusal
from cxmap.store.models import (
    ACCOUNT_TABLE,
    MAP_ROLE_TABLE,
    MAP_TABLE,
    MAP_WRITE_TABLE,
    SESSION_TABLE,
    SHARE_LINK_TABLE,
    THROTTLE_TABLE,
)

LOCAL_OPERATOR = "local"


def actor_of(session: Session) -> Actor | None:
    """The acting user of the request this session serves (None: local mode)."""
    context = session.info.get("context")
    return context.actor if context is not None else None


def _now(session: Session) -> dt.datetime:
    context = session.info.get("context")
    return context.now() if context is not None else utcnow()


def role_on(session: Session, map_id: int, account_id: int) -> str | None:
    """The account's role on the map, None when it has none (cached for the transaction)."""
    roles = session.info.setdefault("cxmap_roles", {})
    if (map_id, account_id) not in roles:
        roles[map_id, account_id] = (
            session.connection()
            .execute(
                select(MAP_ROLE_TABLE.c.role).where(
                    MAP_ROLE_TABLE.c.map_id == map_id, MAP_ROLE_TABLE.c.account_id == account_id
                )
            )
            .scalar_one_or_none()
        )
    return roles[map_id, account_id]


def require(session: Session, map_id: int, needed: Role) -> None:
    """Raise Forbidden unless the request's actor holds ``needed`` (or more) on the map. A map
    that does not exist is let through: the caller says NotFound (it was deleted, say)."""
    actor = actor_of(session)
    if actor is None or actor.is_admin:
        return
    role = role_on(session, map_id, actor.user_id) if actor.user_id is not None else None
    refused = access.refusal(actor, role, needed, map_id=map_id)
    if refused is None and actor.share_link_id is not None:
        refused = _share_link_refusal(session, actor.share_link_id)
    if refused is not None and _map_exists(session, map_id):
        raise Forbidden(refused)


def _share_link_refusal(session: Session, link_id: int) -> Any:
    """A share link revoked or expired after it was opened reads nothing more (asked once per
    transaction)."""
    checked = session.info.setdefault("cxmap_share_links", {})
    if link_id not in checked:
        link = share_link(session, link_id=link_id)
        checked[link_id] = (
            access.share_link_refusal(link["revoked_at"], link["expires_at"], _now(session))
            if link is not None
            else Message("share.unknown")
        )
    return checked[link_id]


def _map_exists(session: Session, map_id: int) -> bool:
    found = session.connection().execute(select(MAP_TABLE.c.id).where(MAP_TABLE.c.id == map_id))
    return found.scalar_one_or_none() is not None


def require_admin(session: Session, action: str) -> None:
    """Raise Forbidden unless the actor may manage the workspace (admins, local mode)."""
    refused = access.admin_refusal(actor_of(session), action)
    if refused is not None:
        raise Forbidden(refused)


def visible_map_ids(session: Session) -> set[int] | None:
    """The maps the actor may read; None when that is every map (local mode, admins)."""
    actor = actor_of(session)
    if actor is None or actor.is_admin:
        return None
    if actor.share_map_id is not None:
        return {actor.share_map_id}
    found = session.connection().execute(
        select(MAP_ROLE_TABLE.c.map_id).where(MAP_ROLE_TABLE.c.account_id == actor.user_id)
    )
    return set(found.scalars())


def record_write(session: Session, map_id: int, revision: int) -> None:
    """Note who wrote this revision of the map and when (a share link never writes)."""
    actor = actor_of(session)
    session.connection().execute(
        insert(MAP_WRITE_TABLE).values(
            map_id=map_id,
            revision=revision,
            at=_now(session),
            actor=actor.name if actor is not None else LOCAL_OPERATOR,
        )
    )


def map_writes(session: Session, map_id: int) -> list[dict[str, Any]]:
    """Who wrote which revision of the map, oldest first."""
    found = session.connection().execute(
        select(MAP_WRITE_TABLE)
        .where(MAP_WRITE_TABLE.c.map_id == map_id)
        .order_by(MAP_WRITE_TABLE.c.revision)
    )
    return [dict(row) for row in found.mappings()]


# ---------------------------------------------------------------- accounts


def find_account(session: Session, name: str) -> dict[str, Any] | None:
    """The account named ``name`` (names are compared as stored: lower case), or None."""
    found = session.connection().execute(select(ACCOUNT_TABLE).where(ACCOUNT_TABLE.c.name == name))
    row = found.mappings().one_or_none()
    return dict(row) if row is not None else None


def find_account_by_email(session: Session, email: str) -> dict[str, Any] | None:
    """The account with this email (stored lower case), or None."""
    found = session.connection().execute(
        select(ACCOUNT_TABLE).where(ACCOUNT_TABLE.c.email == email)
    )
    row = found.mappings().one_or_none()
    return dict(row) if row is not None else None


def accounts(session: Session) -> list[dict[str, Any]]:
    """Every account, by name, without password hashes."""
    table = ACCOUNT_TABLE
    found = session.connection().execute(
        select(table.c.id, table.c.name, table.c.email, table.c.is_admin, table.c.created_at,
               table.c.last_sign_in_at).order_by(table.c.name)
    )  # fmt: skip
    return [dict(row) for row in found.mappings()]


def insert_account(
    session: Session, name: str, password_hash: str, is_admin: bool, email: str | None = None
) -> int:
    """Add an account; returns its id."""
    with explained_refusal():
        result = session.connection().execute(
            insert(ACCOUNT_TABLE)
            .values(name=name, password_hash=password_hash, is_admin=is_admin, email=email,
                    created_at=_now(session))
            .returning(ACCOUNT_TABLE.c.id)
        )  # fmt: skip
    return int(result.scalar_one())


def update_account(session: Session, account_id: int, **values: Any) -> None:
    """Change an account's fields (password hash, email, last sign-in)."""
    session.connection().execute(
        update(ACCOUNT_TABLE).where(ACCOUNT_TABLE.c.id == account_id).values(**values)
    )


def delete_account(session: Session, account_id: int) -> None:
    """Remove an account (its roles go with it)."""
    session.connection().execute(delete(ACCOUNT_TABLE).where(ACCOUNT_TABLE.c.id == account_id))


# ---------------------------------------------------------------- roles


def set_role(session: Session, map_id: int, account_id: int, role: Role | None) -> None:
    """Give the account ``role`` on the map (None: take its role away)."""
    table = MAP_ROLE_TABLE
    connection = session.connection()
    connection.execute(
        delete(table).where(table.c.map_id == map_id, table.c.account_id == account_id)
    )
    if role is not None:
        connection.execute(insert(table).values(map_id=map_id, account_id=account_id, role=role))
    session.info.setdefault("cxmap_roles", {})[map_id, account_id] = role


def map_roles(session: Session, map_id: int) -> list[dict[str, Any]]:
    """Who holds which role on the map: ``{"name", "account_id", "role"}``, owners first."""
    found = session.connection().execute(
        select(ACCOUNT_TABLE.c.name, MAP_ROLE_TABLE.c.account_id, MAP_ROLE_TABLE.c.role)
        .join(ACCOUNT_TABLE, ACCOUNT_TABLE.c.id == MAP_ROLE_TABLE.c.account_id)
        .where(MAP_ROLE_TABLE.c.map_id == map_id)
    )
    rows = [dict(row) for row in found.mappings()]
    return sorted(rows, key=lambda r: (-access.rank(r["role"]), r["name"]))


# ---------------------------------------------------------------- share links


def insert_share_link(
    session: Session, map_id: int, token_hash: str, expires_at: dt.datetime | None
) -> int:
    """Store a share link (its token's hash); returns its id."""
    actor = actor_of(session)
    result = session.connection().execute(
        insert(SHARE_LINK_TABLE)
        .values(
            map_id=map_id,
            token_hash=token_hash,
            created_by=actor.name if actor is not None else LOCAL_OPERATOR,
            created_at=_now(session),
            expires_at=expires_at,
        )
        .returning(SHARE_LINK_TABLE.c.id)
    )
    return int(result.scalar_one())


def share_links(session: Session, map_id: int) -> list[dict[str, Any]]:
    """The map's share links, newest first, without their token hashes."""
    table = SHARE_LINK_TABLE
    found = session.connection().execute(
        select(*(c for c in table.c if c.name != "token_hash"))
        .where(table.c.map_id == map_id)
        .order_by(table.c.id.desc())
    )
    return [dict(row) for row in found.mappings()]


def share_link(session: Session, *, link_id: int | None = None,
               token_hash: str | None = None) -> dict[str, Any] | None:  # fmt: skip
    """The share link with this id or token hash, with its map's name, or None."""
    table = SHARE_LINK_TABLE
    where = table.c.id == link_id if link_id is not None else table.c.token_hash == token_hash
    found = session.connection().execute(
        select(table, MAP_TABLE.c.name.label("map_name"))
        .join(MAP_TABLE, MAP_TABLE.c.id == table.c.map_id)
        .where(where)
    )
    row = found.mappings().one_or_none()
    return dict(row) if row is not None else None


def update_share_link(session: Session, link_id: int, **values: Any) -> None:
    """Change a share link's fields (revoked_at, last_used_at)."""
    session.connection().execute(
        update(SHARE_LINK_TABLE).where(SHARE_LINK_TABLE.c.id == link_id).values(**values)
    )


# ---------------------------------------------------------------- sign-in throttling


def throttle(session: Session, key: str) -> dict[str, Any]:
    """The failures in a row and lockout of ``key`` (zero failures when it has none)."""
    found = session.connection().execute(select(THROTTLE_TABLE).where(THROTTLE_TABLE.c.key == key))
    row = found.mappings().one_or_none()
    if row is None:
        return {"key": key, "failures": 0, "last_failure_at": None, "locked_until": None}
    return dict(row)


def save_throttle(session: Session, key: str, failures: int,
                  locked_until: dt.datetime | None) -> None:  # fmt: skip
    """Store ``key``'s failures in a row (0: forget it) and lockout."""
    connection = session.connection()
    connection.execute(delete(THROTTLE_TABLE).where(THROTTLE_TABLE.c.key == key))
    if failures:
        connection.execute(
            insert(THROTTLE_TABLE).values(
                key=key, failures=failures, last_failure_at=_now(session),
                locked_until=locked_until,
            )
        )  # fmt: skip


# ---------------------------------------------------------------- sign-in sessions


def insert_session(
    session: Session, token_hash: str, account_id: int, expires_at: dt.datetime
) -> int:
    """Store a signed-in browser's session (its token's hash); returns its id."""
    now = _now(session)
    result = session.connection().execute(
        insert(SESSION_TABLE)
        .values(token_hash=token_hash, account_id=account_id, created_at=now,
                last_seen_at=now, expires_at=expires_at)
        .returning(SESSION_TABLE.c.id)
    )  # fmt: skip
    return int(result.scalar_one())


def find_session(session: Session, token_hash: str) -> dict[str, Any] | None:
    """The session with this token hash and its account (``name``, ``is_admin``), or None."""
    table = SESSION_TABLE
    found = session.connection().execute(
        select(table, ACCOUNT_TABLE.c.name, ACCOUNT_TABLE.c.is_admin)
        .join(ACCOUNT_TABLE, ACCOUNT_TABLE.c.id == table.c.account_id)
        .where(table.c.token_hash == token_hash)
    )
    row = found.mappings().one_or_none()
    return dict(row) if row is not None else None


def touch_session(session: Session, session_id: int, expires_at: dt.datetime) -> None:
    """Note that the session was used now, and its new idle expiry."""
    session.connection().execute(
        update(SESSION_TABLE)
        .where(SESSION_TABLE.c.id == session_id)
        .values(last_seen_at=_now(session), expires_at=expires_at)
    )


def delete_sessions(
    session: Session,
    *,
    token_hash: str | None = None,
    account_id: int | None = None,
    expired_by: dt.datetime | None = None,
) -> int:
    """Remove the session with this token hash, every session of an account, or every session
    expired by ``expired_by``; returns how many went."""
    table = SESSION_TABLE
    if token_hash is not None:
        where = table.c.token_hash == token_hash
    elif account_id is not None:
        where = table.c.account_id == account_id
    elif expired_by is not None:
        where = table.c.expires_at <= expired_by
    else:
        raise ValueError("say which sessions to delete")
    return int(session.connection().execute(delete(table).where(where)).rowcount)
