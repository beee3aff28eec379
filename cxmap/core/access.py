"""Who may do what on a map (team mode): roles, the rule that decides, the sign-in policy.

Roles rank ``viewer`` < ``editor`` < ``owner``. Reading a map needs viewer, changing what it
holds needs editor, deleting it, granting roles and creating share links need owner. A
workspace admin may do everything; nobody signed in (local mode, :class:`Actor` ``None``) is the
local operator and may do everything too. A share link acts as a viewer of its one map. The
store asks :func:`refusal` at the start of every read and write of a map, so the rule holds for
every front end (pages, command line) alike.

Examples
--------
>>> sara = Actor("sara", user_id=2)
>>> refusal(sara, "editor", "editor"), refusal(None, None, "owner")
(None, None)
>>> refusal(sara, "viewer", "editor").code
'access.needs_role'
>>> refusal(Actor("link", share_map_id=3), None, "viewer", map_id=3) is None
True
>>> [failure_delay(n) for n in range(7)]
[0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from cxmap.core.context import Actor
from cxmap.core.messages import Message

Role = Literal["viewer", "editor", "owner"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "owner")
# After this many failed sign-ins in a row an account (or a client) is locked for a while.
MAX_FAILURES = 5
# The most a failed sign-in waits before answering, in seconds.
MAX_DELAY = 8.0
MIN_PASSWORD = 10
# A signed-in session's last use is written at most this often (a page run reads it every time).
SESSION_TOUCH = dt.timedelta(seconds=30)
# The addresses that keep local mode (no sign-in) on this computer; unset means every interface.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def rank(role: str | None) -> int:
    """0 for no role, then viewer 1, editor 2, owner 3.

    >>> [rank(r) for r in (None, "viewer", "editor", "owner")]
    [0, 1, 2, 3]
    """
    return ROLES.index(role) + 1 if role in ROLES else 0


def refusal(
    actor: Actor | None, role: str | None, needed: Role, *, map_id: int | None = None
) -> Message | None:
    """Why ``actor``, holding ``role`` on the map ``map_id``, may not do what needs ``needed``;
    None when it may."""
    if actor is None or actor.is_admin:
        return None
    if actor.share_map_id is not None:
        allowed = needed == "viewer" and map_id == actor.share_map_id
        return None if allowed else Message("access.share_link")
    if rank(role) >= rank(needed):
        return None
    if role is None:
        return Message("access.no_role")
    return Message(
        "access.needs_role", {"needed": Message(f"role.{needed}"), "role": Message(f"role.{role}")}
    )


def may_create_maps(actor: Actor | None) -> Message | None:
    """Anyone signed in with an account may create maps (and owns them); a share link may not.

    >>> may_create_maps(Actor("link", share_map_id=1)).code
    'access.share_link'
    """
    if actor is not None and actor.share_map_id is not None:
        return Message("access.share_link")
    return None


def account_refusal(actor: Actor | None, action: str) -> Message | None:
    """Why ``actor`` is not an account that can ``action`` for itself (a signed-in session);
    None for an account. The local operator and share links are no account.

    >>> account_refusal(Actor("sara", user_id=2), "stay_signed_in") is None
    True
    >>> account_refusal(None, "stay_signed_in").code
    'access.account_only'
    """
    if actor is not None and actor.user_id is not None:
        return None
    return Message("access.account_only", {"action": Message(f"action.{action}")})


def admin_refusal(actor: Actor | None, action: str) -> Message | None:
    """Why ``actor`` may not manage the workspace (accounts); None for admins and local mode.

    >>> admin_refusal(Actor("sara", user_id=2), "manage_accounts").code
    'access.admin_only'
    """
    if actor is None or actor.is_admin:
        return None
    return Message("access.admin_only", {"action": Message(f"action.{action}")})


def failure_delay(failures: int) -> float:
    """How long a sign-in waits before answering, after ``failures`` failures in a row: half a
    second, doubling each time, at most :data:`MAX_DELAY`. Guessing gets slow; a typo does not."""
    return 0.0 if failures <= 0 else min(MAX_DELAY, 0.5 * 2 ** (failures - 1))


def share_link_refusal(
    revoked_at: dt.datetime | None, expires_at: dt.datetime | None, now: dt.datetime
) -> Message | None:
    """Why a share link no longer opens its map (revoked, or expired by ``now``); None while it
    does. Asked when the link is opened and again on every read made with it.

    >>> noon = dt.datetime(2026, 12, 8, 12, tzinfo=dt.UTC)
    >>> share_link_refusal(None, None, noon) is None, share_link_refusal(noon, None, noon).code
    (True, 'share.revoked')
    >>> share_link_refusal(None, noon, noon).params
    {'date': '2026-12-08'}
    """
    if revoked_at is not None:
        return Message("share.revoked")
    if expires_at is not None:
        expires = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=dt.UTC)
        if expires <= now:
            return Message("share.expired", {"date": f"{expires:%Y-%m-%d}"})
    return None
