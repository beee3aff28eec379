"""Database rules, explained: a write the database refuses becomes a message for the user.

The database holds the last line of every rule (unique names, CHECK constraints, foreign keys);
when one is broken, :func:`explained_refusal` turns SQLAlchemy's error into
:class:`~cxmap.core.errors.InvalidInput` with a sentence a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from cxmap.core.errors import InvalidInput

# Constraint name -> (what SQLite names instead: its columns, the message).
_EXPLAINED = {
    "uq_journey_map_name": ("journey_map.name", "a map with this name already exists"),
    "uq_emotion_touchpoint_id_persona_id": (
        "emotion.touchpoint_id, emotion.persona_id",
        "this persona already has an emotion at this touchpoint",
    ),
    "uq_transition_source_id_target_id": (
        "transition.source_id, transition.target_id",
        "this transition already exists",
    ),
}


@contextmanager
def explained_refusal() -> Iterator[None]:
    """Run database writes; a broken database rule raises InvalidInput saying which.

    PostgreSQL names the constraint; SQLite names the columns ("UNIQUE constraint failed:
    journey_map.name"): both are recognised.
    """
    try:
        yield
    except IntegrityError as error:
        text = str(error.orig)
        for constraint, (sqlite_columns, message) in _EXPLAINED.items():
            if constraint in text or sqlite_columns in text:
                raise InvalidInput("", message) from None
        raise InvalidInput(
            "", f"the database refused the change ({text.splitlines()[0]})"
        ) from None
