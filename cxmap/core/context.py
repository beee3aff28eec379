"""The request context: what every service call is made with.

A :class:`Context` says which database to use, who is acting (``None`` in local mode: nobody
signs in), in which language messages are wanted, what time it is, and the viewer's time zone
(the browser's in the app, the machine's or ``--tz`` on the command line): a feedback row given
at a moment shows its date in that zone. Services take it as
their first argument, so the acting user reaches every place where roles will be checked and
changes recorded, and a test can freeze the clock.

Examples
--------
>>> import datetime as dt
>>> noon = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
>>> ctx = Context(db=None, clock=lambda: noon)
>>> ctx.now().hour, ctx.actor is None, ctx.locale
(12, True, 'en')
>>> ctx.acting_as(Actor(name="sara")).actor.name
'sara'
>>> ctx.zone, ctx.in_zone(zone_named("Asia/Tehran")).zone
(datetime.timezone.utc, zoneinfo.ZoneInfo(key='Asia/Tehran'))
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow() -> dt.datetime:
    """The current time, time-zone aware, in UTC (how every timestamp is stored)."""
    return dt.datetime.now(dt.UTC)


def time_zone(name: str) -> dt.tzinfo:
    """The IANA time zone ``name`` (``Europe/Berlin``); ValueError when this machine knows no
    zone of that name (the command line's ``--tz`` type).

    >>> time_zone("Asia/Tehran")
    zoneinfo.ZoneInfo(key='Asia/Tehran')
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # (ValueError: not a name, such as "../x")
        raise ValueError(f"{name!r} is not a time zone") from None


def zone_named(name: str | None) -> dt.tzinfo:
    """The IANA time zone ``name``; UTC when there is none or it is not a zone this machine
    knows (a browser that sends nothing, or a name from a newer database).

    >>> zone_named("America/New_York"), zone_named(None), zone_named("Mars/Olympus")
    (zoneinfo.ZoneInfo(key='America/New_York'), datetime.timezone.utc, datetime.timezone.utc)
    """
    try:
        return time_zone(name) if name else dt.UTC
    except ValueError:
        return dt.UTC


class Transactions(Protocol):
    """What a context needs of a database: a URL and one transaction per ``session()`` block
    (``cxmap.store.db.Database``)."""

    url: str

    def session(self) -> AbstractContextManager[Any]:
        """One transaction: a context manager yielding its session."""
        ...


def machine_zone() -> dt.tzinfo:
    """This machine's time zone (the command line's default): ``TZ``, else the zone
    ``/etc/localtime`` links to, else the current offset (a fixed one: right for today's
    dates, not across a daylight-saving change)."""
    named = os.environ.get("TZ", "").removeprefix(":")
    if not named:
        target = os.path.realpath("/etc/localtime")
        named = target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else ""
    if named:
        try:
            return time_zone(named)
        except ValueError:
            pass
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


@dataclass(frozen=True)
class Actor:
    """Someone acting on maps. ``None`` in a context means local mode: no sign-in.

    A signed-in account has its ``user_id``; a share link acts as a viewer of the one map
    ``share_map_id`` (its ``name`` says which link, for the audit).
    """

    name: str
    is_admin: bool = False
    user_id: int | None = None
    share_map_id: int | None = None
    share_link_id: int | None = None


@dataclass(frozen=True)
class Context:
    """Database, acting user, locale, clock and the viewer's time zone of one request (a page
    run, a command)."""

    db: Transactions
    actor: Actor | None = None
    locale: str = "en"
    clock: Callable[[], dt.datetime] = utcnow
    zone: dt.tzinfo = dt.UTC

    def now(self) -> dt.datetime:
        """The current time by the context's clock (a test can freeze it)."""
        return self.clock()

    @contextmanager
    def session(self) -> Iterator[Any]:
        """One transaction on the context's database; the store reads the context (clock,
        actor) from ``session.info["context"]``."""
        with self.db.session() as session:
            session.info["context"] = self
            yield session

    def acting_as(self, actor: Actor | None) -> Context:
        """A copy of the context with ``actor`` acting (None: local mode)."""
        return replace(self, actor=actor)

    def in_locale(self, locale: str) -> Context:
        """A copy of the context with messages wanted in ``locale``."""
        return replace(self, locale=locale)

    def in_zone(self, zone: dt.tzinfo) -> Context:
        """A copy of the context for a viewer in time zone ``zone``."""
        return replace(self, zone=zone)
