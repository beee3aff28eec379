"""Use cases of personas beyond a single row: duplicating one with how it feels at each
touchpoint."""

from __future__ import annotations

from cxmap.core.context import Context
from cxmap.core.errors import NotFound
from cxmap.core.naming import free_copy_name
from cxmap.core.records import PersonaRecord
from cxmap.services.rows import create_in_session
from cxmap.store import map_queries

# What a copy does not take from its original: the row's identity, its place in the list.
_NOT_COPIED = ("id", "key", "version", "position")


def duplicate_persona(ctx: Context, map_id: int, persona_id: int) -> PersonaRecord:
    """Copy a persona, named "NAME (copy)" (or the next free copy name), with its emotion at
    every touchpoint.

    One transaction: the copy and all its emotions are saved together, or (when one is
    refused) nothing is, so a half copy never exists, not even for a moment.

    Examples
    --------
    >>> import tempfile
    >>> from cxmap.services import create_map, create_row, load_map, open_context
    >>> ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/personas.db")
    >>> map_id = create_map(ctx, "Broadband").id
    >>> stage = create_row(ctx, map_id, "stage", {"name": "Use"})
    >>> tp = create_row(ctx, map_id, "touchpoint", {"stage_id": stage.id, "name": "Router"})
    >>> parent = create_row(ctx, map_id, "persona", {"name": "Busy parent"})
    >>> _ = create_row(ctx, map_id, "emotion", {"touchpoint_id": tp.id, "persona_id": parent.id,
    ...                                         "score": -2, "label": "angry"})
    >>> copy = duplicate_persona(ctx, map_id, parent.id)
    >>> copy.name, [(e.score, e.label) for e in load_map(ctx, map_id).emotions
    ...                                if e.persona_id == copy.id]
    ('Busy parent (copy)', [(-2, 'angry')])
    """
    with ctx.session() as s:
        aggregate = map_queries.load_aggregate(s, map_id)
        original = next((p for p in aggregate.personas if p.id == persona_id), None)
        if original is None:
            map_queries.get_map(s, map_id)  # NotFound for a map that is gone
            raise NotFound(f"persona {persona_id} is not in this map (any more)")
        values = {k: v for k, v in original.as_dict().items() if k not in _NOT_COPIED}
        names = {p.name for p in aggregate.personas}
        values["name"] = free_copy_name(original.name, names.__contains__)[:200]
        copy = create_in_session(s, map_id, "persona", values)
        assert isinstance(copy, PersonaRecord)
        for emotion in aggregate.emotions:
            if emotion.persona_id == persona_id:
                values = {k: v for k, v in emotion.as_dict().items() if k not in _NOT_COPIED}
                create_in_session(s, map_id, "emotion", values | {"persona_id": copy.id})
        return copy
