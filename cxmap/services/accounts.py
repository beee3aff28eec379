"""Team mode's use cases: accounts, signing in, sign-in sessions, roles on maps, share links.

Passwords are kept only as argon2id hashes (argon2-cffi); share-link and session tokens only as
SHA-256 digests (a token is 256 random bits, shown once or handed to the browser as a cookie).
Signing in answers an unknown name and a wrong password with the same words after the same work
(an unknown name is checked against a hash too), waits longer after each failure in a row, and
locks the name and the client out for ``lockout_minutes`` after
:data:`~cxmap.core.access.MAX_FAILURES` failures.

Examples
--------
>>> import tempfile
>>> from cxmap import services
>>> ctx = services.open_context(f"sqlite:///{tempfile.mkdtemp()}/team.db")
>>> add_account(ctx, "Sara", "correct horse battery", is_admin=True)["name"]
'sara'
>>> sign_in(ctx, "sara", "correct horse battery").name
'sara'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cxmap.core import access
from cxmap.core.access import Role
from cxmap.core.config import load_settings
from cxmap.core.context import Actor, Context
from cxmap.core.errors import Busy, CxmapError, Forbidden, InvalidInput, NotFound
from cxmap.core.messages import Message
from cxmap.store import access_queries
from cxmap.store.access_queries import require, require_admin

_NAME = re.compile(r"^[\w.-]{1,64}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A provider's answer signs in only while fresh: a sign-in with it is a few seconds old.
IDENTITY_MAX_AGE = dt.timedelta(minutes=10)


class SignInRefused(CxmapError):
    """Signing in failed: wrong name or password (one message for both), or locked out."""


class ShareLinkRefused(CxmapError):
    """A share link that does not exist, was revoked or expired."""


class SessionEnded(CxmapError):
    """A sign-in session that is over: idle for too long (``idle`` True), signed out, its
    password changed or its account removed."""

    def __init__(self, message: Message, *, idle: bool = False) -> None:
        self.idle = idle
        super().__init__(message)


@dataclass(frozen=True)
class NewShareLink:
    """A share link just made: its id and the token, which is shown this once."""

    id: int
    token: str
    expires_at: dt.datetime | None


@cache
def _hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106, low memory), or a cheap profile for the
    test suite only (``CXMAP_FAST_PASSWORD_HASH=1``: thousands of sign-ins in tests)."""
    if load_settings().fast_password_hash:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


@cache
def _unknown_name_hash() -> str:
    """A hash to check a password against when the name is nobody's: same work, same answer."""
    return _hasher().hash(secrets.token_hex(16))


def normal_name(name: str) -> str:
    """An account name as stored: trimmed, lower case; InvalidInput when it is not a name.

    >>> normal_name("  Sara.K ")
    'sara.k'
    """
    cleaned = name.strip().lower()
    if not _NAME.match(cleaned):
        raise InvalidInput("name", Message("account.bad_name"))
    return cleaned


def normal_email(email: str) -> str:
    """An email as stored and matched: trimmed, lower case; InvalidInput when it is not one.

    >>> normal_email(" Sara.K@Example.ORG ")
    'sara.k@example.org'
    """
    cleaned = email.strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidInput("email", Message("account.bad_email", {"email": email.strip()[:80]}))
    return cleaned


def _check_password(password: str) -> None:
    if len(password) < access.MIN_PASSWORD:
        raise InvalidInput(
            "password", Message("account.short_password", {"n": access.MIN_PASSWORD})
        )


# ---------------------------------------------------------------- accounts


def add_account(
    ctx: Context, name: str, password: str, is_admin: bool = False, email: str | None = None
) -> dict[str, Any]:
    """Add an account (workspace admins and the local operator only); ``email``: the address
    an identity provider signs it in with (optional, unique)."""
    name = normal_name(name)
    _check_password(password)
    address = normal_email(email) if email else None
    with ctx.session() as s:
        require_admin(s, "manage_accounts")
        if access_queries.find_account(s, name) is not None:
            raise InvalidInput("name", Message("account.name_taken", {"name": name}))
        _check_email_free(s, address, None)
        account_id = access_queries.insert_account(
            s, name, _hasher().hash(password), is_admin, address
        )
        return {"id": account_id, "name": name, "is_admin": is_admin, "email": address}


def set_email(ctx: Context, name: str, email: str | None) -> str | None:
    """Give an account the email an identity provider signs it in with (None or "": none);
    returns it as stored."""
    address = normal_email(email) if email else None
    with ctx.session() as s:
        require_admin(s, "manage_accounts")
        account = _account(s, name)
        _check_email_free(s, address, account["id"])
        access_queries.update_account(s, account["id"], email=address)
    return address


def _check_email_free(s: Any, address: str | None, account_id: int | None) -> None:
    if address is None:
        return
    holder = access_queries.find_account_by_email(s, address)
    if holder is not None and holder["id"] != account_id:
        raise InvalidInput(
            "email", Message("account.email_taken", {"email": address, "name": holder["name"]})
        )


def list_accounts(ctx: Context) -> list[dict[str, Any]]:
    """Every account (no password hashes), by name."""
    with ctx.session() as s:
        require_admin(s, "manage_accounts")
        return access_queries.accounts(s)


def remove_account(ctx: Context, name: str) -> None:
    """Remove an account and its roles."""
    with ctx.session() as s:
        require_admin(s, "manage_accounts")
        account = _account(s, name)
        access_queries.delete_sessions(s, account_id=account["id"])  # (the cascade does too)
        access_queries.delete_account(s, account["id"])


def set_password(ctx: Context, name: str, password: str) -> None:
    """Give an account a new password (admins, the local operator, or the account itself)."""
    _check_password(password)
    with ctx.session() as s:
        account = _account(s, name)
        if ctx.actor is None or ctx.actor.user_id != account["id"]:
            require_admin(s, "manage_accounts")
        access_queries.update_account(s, account["id"], password_hash=_hasher().hash(password))
        # Every browser signed in with the old password is signed out.
        access_queries.delete_sessions(s, account_id=account["id"])


def acting_as(ctx: Context, name: str) -> Actor:
    """The account ``name`` as an actor, without a password: for the command line's ``--as``
    (whoever runs it on the server is its operator already; the roles still apply)."""
    with ctx.session() as s:
        account = _account(s, name)
    return Actor(account["name"], is_admin=bool(account["is_admin"]), user_id=account["id"])


def _account(s: Any, name: str) -> dict[str, Any]:
    account = access_queries.find_account(s, name.strip().lower())
    if account is None:
        raise NotFound(Message("account.unknown", {"name": name.strip()}))
    return account


# ---------------------------------------------------------------- signing in


def sign_in(
    ctx: Context,
    name: str,
    password: str,
    client: str = "",
    *,
    wait: Callable[[float], None] = time.sleep,
) -> Actor:
    """The account's actor when ``password`` is its password; SignInRefused otherwise.

    The refusal waits :func:`~cxmap.core.access.failure_delay` first (``wait``: a test passes
    its own). Keys throttled: the name (whether or not an account has it, so a lockout does not
    tell which names exist) and, when given, the client (its address).
    """
    cleaned = name.strip().lower()
    keys = [f"name:{cleaned}"] + ([f"client:{client}"] if client else [])
    lockout = dt.timedelta(minutes=load_settings().lockout_minutes)
    with ctx.session() as s:
        now = ctx.now()
        throttles = [access_queries.throttle(s, key) for key in keys]
        locked = [
            t["locked_until"]
            for t in throttles
            if t["locked_until"] and _utc(t["locked_until"]) > now
        ]
        if locked:
            minutes = math.ceil((max(_utc(u) for u in locked) - now).total_seconds() / 60)
            raise SignInRefused(Message("signin.locked", {"n": minutes}))
        account = access_queries.find_account(s, cleaned)
        if account is not None and _verifies(account["password_hash"], password):
            for key in keys:
                access_queries.save_throttle(s, key, 0, None)
            access_queries.update_account(s, account["id"], last_sign_in_at=now)
            return Actor(account["name"], is_admin=bool(account["is_admin"]), user_id=account["id"])
        if account is None:
            _verifies(_unknown_name_hash(), password)
        failures = max(t["failures"] for t in throttles) + 1
        for throttled in throttles:
            count = throttled["failures"] + 1
            until = now + lockout if count >= access.MAX_FAILURES else None
            access_queries.save_throttle(s, throttled["key"], count, until)
    # The failures are saved (the block above committed) before the wait and the refusal.
    wait(access.failure_delay(failures))
    raise SignInRefused(Message("signin.failed"))


def sign_in_with_identity(
    ctx: Context,
    email: str | None,
    *,
    issued_at: dt.datetime | None,
    verified: bool | None = None,
) -> Actor:
    """The account whose email an identity provider (OpenID Connect) has just vouched for;
    SignInRefused otherwise, with the reason: no email, an email the provider says it has not
    verified, an email no account has (accounts are never made on the fly), or an answer that
    is not fresh (``oidc.stale``: issued more than :data:`IDENTITY_MAX_AGE` ago, or before the
    account's last sign-in: one answer signs in once, so that the provider's lasting cookie
    does not sign the browser in again after a sign-out or the idle time)."""
    if not email or not email.strip():
        raise SignInRefused(Message("oidc.no_email"))
    address = email.strip().lower()
    if verified is False:
        raise SignInRefused(Message("oidc.unverified", {"email": address}))
    now = ctx.now()
    with ctx.session() as s:
        account = access_queries.find_account_by_email(s, address)
        if account is None:
            raise SignInRefused(Message("oidc.no_account", {"email": address}))
        last = account["last_sign_in_at"]
        if (
            issued_at is None
            or now - issued_at > IDENTITY_MAX_AGE
            or (last is not None and issued_at <= _utc(last))
        ):
            raise SignInRefused(Message("oidc.stale"))
        access_queries.update_account(s, account["id"], last_sign_in_at=now)
    return Actor(account["name"], is_admin=bool(account["is_admin"]), user_id=account["id"])


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------- sign-in sessions


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=load_settings().session_idle_minutes)


def start_session(ctx: Context) -> str:
    """A new sign-in session of the acting account (just signed in): the token for the
    browser's cookie, returned this once; only its SHA-256 is stored. It lasts while it is
    used: it ends after ``CXMAP_SESSION_IDLE_MINUTES`` without use, or at :func:`end_session`.
    Sessions already idle-expired are removed on the way."""
    actor = ctx.actor
    refused = access.account_refusal(actor, "stay_signed_in")
    if refused is not None or actor is None or actor.user_id is None:
        raise Forbidden(refused or Message("access.signed_out"))
    token = secrets.token_urlsafe(32)
    now = ctx.now()
    with ctx.session() as s:
        if access_queries.find_account(s, actor.name) is None:
            raise NotFound(Message("account.unknown", {"name": actor.name}))
        access_queries.delete_sessions(s, expired_by=now)
        access_queries.insert_session(s, _digest(token), actor.user_id, now + _idle())
    return token


def resume_session(ctx: Context, token: str) -> Actor:
    """The account a session token (a browser's cookie) is signed in as, as it is now (its
    admin flag, say), and the session's use noted; SessionEnded when the token is nobody's
    (signed out, a new password, the account removed) or the session was idle too long
    (``idle``: the message says for how long; the session is removed)."""
    digest = _digest(token.strip())
    now = ctx.now()
    with ctx.session() as s:
        found = access_queries.find_session(s, digest)
        if found is not None and _utc(found["expires_at"]) <= now:
            access_queries.delete_sessions(s, token_hash=digest)
    if found is None:
        raise SessionEnded(Message("signin.session_ended"))
    if _utc(found["expires_at"]) <= now:
        minutes = round(load_settings().session_idle_minutes)
        raise SessionEnded(Message("signin.expired", {"minutes": minutes}), idle=True)
    if now - _utc(found["last_seen_at"]) >= access.SESSION_TOUCH:
        try:  # (a page run does not wait for a large import's write lock to note its use)
            with ctx.session() as s:
                access_queries.touch_session(s, found["id"], now + _idle())
        except Busy:
            pass
    return Actor(found["name"], is_admin=bool(found["is_admin"]), user_id=found["account_id"])


def end_session(ctx: Context, token: str) -> None:
    """Sign out: the session of this token ends at once, in every tab that holds it."""
    with ctx.session() as s:
        access_queries.delete_sessions(s, token_hash=_digest(token.strip()))


# ---------------------------------------------------------------- roles


def set_role(ctx: Context, map_id: int, name: str, role: str) -> str:
    """Give ``name`` the ``role`` (owner, editor, viewer; ``none`` takes it away) on the map
    (the map's owners, workspace admins and the local operator); returns the account's name.
    A map keeps at least one owner."""
    if role not in (*access.ROLES, "none"):
        raise InvalidInput("role", Message("role.unknown", {"role": role}))
    chosen: Role | None = None if role == "none" else role  # type: ignore[assignment]
    with ctx.session() as s:
        require(s, map_id, "owner")
        account = _account(s, name)
        owners = [r for r in access_queries.map_roles(s, map_id) if r["role"] == "owner"]
        if chosen != "owner" and [o["account_id"] for o in owners] == [account["id"]]:
            raise Forbidden(Message("access.last_owner", {"user": account["name"]}))
        access_queries.set_role(s, map_id, account["id"], chosen)
        return str(account["name"])


def my_role(ctx: Context, map_id: int) -> Role | None:
    """The acting user's role on the map, for what a page offers: ``owner`` for the local
    operator and workspace admins, ``viewer`` for a share link of this map, None without one.
    (The services check again on every call; this only decides which controls to show.)"""
    actor = ctx.actor
    if actor is None or actor.is_admin:
        return "owner"
    if actor.share_map_id is not None:
        return "viewer" if actor.share_map_id == map_id else None
    with ctx.session() as s:
        role = access_queries.role_on(s, map_id, actor.user_id) if actor.user_id else None
    return role if role in access.ROLES else None


def map_roles(ctx: Context, map_id: int) -> list[dict[str, Any]]:
    """Who holds which role on the map (owners first)."""
    with ctx.session() as s:
        require(s, map_id, "viewer")
        return access_queries.map_roles(s, map_id)


# ---------------------------------------------------------------- share links


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_share_link(ctx: Context, map_id: int, days: int | None = None) -> NewShareLink:
    """A new read-only link to the map (its owners): the token is in the result only."""
    if days is not None and not 1 <= days <= 3650:
        raise InvalidInput("expires", Message("share.bad_days"))
    token = secrets.token_urlsafe(32)
    expires = ctx.now() + dt.timedelta(days=days) if days is not None else None
    with ctx.session() as s:
        require(s, map_id, "owner")
        link_id = access_queries.insert_share_link(s, map_id, _digest(token), expires)
    return NewShareLink(link_id, token, expires)


def share_links(ctx: Context, map_id: int) -> list[dict[str, Any]]:
    """The map's share links (created, by whom, expiry, revoked, last use), newest first."""
    with ctx.session() as s:
        require(s, map_id, "owner")
        return access_queries.share_links(s, map_id)


def revoke_share_link(ctx: Context, link_id: int) -> dict[str, Any]:
    """Revoke a share link at once (its map's owners); returns it."""
    with ctx.session() as s:
        link = access_queries.share_link(s, link_id=link_id)
        if link is None:
            raise NotFound(Message("share.unknown"))
        require(s, link["map_id"], "owner")
        access_queries.update_share_link(s, link_id, revoked_at=ctx.now())
        return link


def open_share_link(ctx: Context, token: str) -> Actor:
    """The actor a share link's token acts as (a viewer of its one map); ShareLinkRefused for
    a token that is unknown, revoked or expired."""
    with ctx.session() as s:
        link = access_queries.share_link(s, token_hash=_digest(token.strip()))
        if link is None:
            raise ShareLinkRefused(Message("share.unknown"))
        refused = access.share_link_refusal(link["revoked_at"], link["expires_at"], ctx.now())
        if refused is not None:
            raise ShareLinkRefused(refused)
        access_queries.update_share_link(s, link["id"], last_used_at=ctx.now())
    return Actor(
        f"share link {link['id']}", share_map_id=int(link["map_id"]), share_link_id=link["id"]
    )


def check_share_link(ctx: Context) -> None:
    """ShareLinkRefused when the acting share link was revoked or has expired since it was
    opened (a tab opened with it asks on every page run; the store refuses its reads too)."""
    actor = ctx.actor
    if actor is None or actor.share_link_id is None:
        return
    with ctx.session() as s:
        link = access_queries.share_link(s, link_id=actor.share_link_id)
    if link is None:
        raise ShareLinkRefused(Message("share.unknown"))
    refused = access.share_link_refusal(link["revoked_at"], link["expires_at"], ctx.now())
    if refused is not None:
        raise ShareLinkRefused(refused)
