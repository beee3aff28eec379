"""Errors with a message meant for the user: the UI shows it, the command line prints one line."""

from __future__ import annotations

from typing import Any


class CxmapError(Exception):
    """An error with a message meant for the user (shown by the UI, printed by the CLI)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(CxmapError):
    """Input that cannot be accepted; ``where`` names the file, JSON path, row or field."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}" if where else problem)
        self.where = where
        self.problem = problem


class NotFound(CxmapError):
    """The map or row does not exist (any more)."""


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
        if current_version is None:
            message = f"{entity} {label} was deleted by someone else; nothing was saved."
        else:
            detail = ", ".join(f"{k} is now {v[1]!r}" for k, v in self.changes.items())
            message = (
                f"{entity} {label} was changed by someone else "
                f"(version {read_version} → {current_version})"
                + (f": {detail}" if detail else "")
                + "; nothing was saved."
            )
        super().__init__(message)
