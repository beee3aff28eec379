"""The request context: what every service call is made with.

A :class:`Context` says which database to use, who is acting (``None`` in local mode: nobody
signs in), in which language messages are wanted, and what time it is. Services take it as
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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol


def utcnow() -> dt.datetime:
    """The current time, time-zone aware, in UTC (how every timestamp is stored)."""
    return dt.datetime.now(dt.UTC)


class Transactions(Protocol):
    """What a context needs of a database: a URL and one transaction per ``session()`` block
    (``cxmap.store.db.Database``)."""

    url: str

    def session(self) -> AbstractContextManager[Any]:
        """One transaction: a context manager yielding its session."""
        ...


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


@dataclass(frozen=True)
class Context:
    """Database, acting user, locale and clock of one request (a page run, a command)."""

    db: Transactions
    actor: Actor | None = None
    locale: str = "en"
    clock: Callable[[], dt.datetime] = utcnow

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
