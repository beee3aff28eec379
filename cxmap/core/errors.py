"""Errors with a message meant for the user: the UI shows it, the command line prints one line.

Each error carries what it says as data (``reason``: a :class:`~cxmap.core.messages.Message`,
or plain text where no code exists yet) and as English words (``message``).

Examples
--------
>>> range_error = Message("input.out_of_range", {"value": 7, "low": -2, "high": 2})
>>> error = InvalidInput("emotion", range_error)
>>> error.message
'emotion: 7 is outside the range -2…2'
>>> error.reason.code, error.problem.params["value"]
('input.at', 7)
"""

from __future__ import annotations

from typing import Any

from cxmap.core.messages import Message, render


class CxmapError(Exception):
    """An error with a message meant for the user (shown by the UI, printed by the CLI)."""

    def __init__(self, message: str | Message) -> None:
        self.reason = message
        self.message = render(message)
        super().__init__(self.message)


class InvalidInput(CxmapError):
    """Input that cannot be accepted; ``where`` names the file, JSON path, row or field."""

    def __init__(self, where: str, problem: str | Message) -> None:
        self.where = where
        self.problem = problem
        super().__init__(
            Message("input.at", {"where": where, "problem": problem}) if where else problem
        )


class NotFound(CxmapError):
    """The map or row does not exist (any more)."""


class Forbidden(CxmapError):
    """The acting user's role does not allow this (team mode); nothing was read or written.
    The message starts "not allowed: ", as the command line prints it."""


class Busy(CxmapError):
    """Another writer held the database for longer than we wait (a large import, say); nothing
    was saved, and trying again in a moment works."""


class ConflictError(CxmapError):
    """Someone else changed (or deleted) the row after it was read; nothing was written.

    ``changes`` maps each field that differs from what the editor read, or wanted, to
    ``(value the editor had, value now in the database)``.
    """

    def __init__(
        self,
        entity: str,
        label: str,
        read_version: int,
        current_version: int | None,
        changes: dict[str, tuple[Any, Any]] | None = None,
    ) -> None:
        self.entity = entity
        self.label = label
        self.read_version = read_version
        self.current_version = current_version
        self.changes = changes or {}
        params: dict[str, Any] = {"entity": entity, "label": label}
        if current_version is None:
            super().__init__(Message("conflict.deleted", params))
            return
        params |= {"read_version": read_version, "current_version": current_version}
        if self.changes:
            params["fields"] = [
                Message("conflict.field_now", {"field": k, "value": v[1]})
                for k, v in self.changes.items()
            ]
            super().__init__(Message("conflict.changed_fields", params))
        else:
            super().__init__(Message("conflict.changed", params))
