"""The entity registry: what the rest of cxmap reads about each kind of row."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from cxmap.core.english import ENGLISH
from cxmap.core.entities import ENTITIES, deletion_effects, entity
from cxmap.core.examples import demo_chain
from cxmap.core.messages import render
from cxmap.core.records import (
    FeedbackRecord,
    JourneyAggregate,
    OpportunityRecord,
    PainPointRecord,
)
from cxmap.store import models


@pytest.mark.parametrize("name", list(ENTITIES))
def test_every_entity_is_complete(name: str) -> None:
    """A new entity declared halfway fails here, naming what is missing."""
    declared = entity(name)
    aggregate_lists = {f.name for f in fields(JourneyAggregate)}
    assert declared.list_name in aggregate_lists, "JourneyAggregate needs a list for it"
    assert declared.table in models.metadata.tables, "it needs a table (store/models.py)"
    table = models.metadata.tables[declared.table]
    assert set(declared.field_names) <= set(table.columns.keys())
    for file_field in declared.file_fields:
        assert declared.record_name(file_field) in declared.field_names
    for column, reference in declared.references.items():
        assert reference.entity in ENTITIES and column in declared.field_names
    # Its nouns, for delete confirmations and conflict messages (regular English nouns are
    # derived from the name; the catalogue holds the irregular ones and those it renames).
    noun = render(declared.noun())
    assert noun and "." not in noun
    assert render(declared.count(2)).startswith("2 ")


def test_nouns_and_counts_in_english() -> None:
    assert "entity.pain_point" in ENGLISH  # the source translators translate
    assert render(entity("pain_point").noun()) == "pain point"
    assert render(entity("opportunity").count(1)) == "1 opportunity"
    assert render(entity("opportunity").count(3)) == "3 opportunities"
    assert render(entity("emotion").count(2)) == "2 persona emotions"


def test_deleting_a_touchpoint_cascades_and_unlinks_like_the_database() -> None:
    chain = demo_chain()
    first, second = chain.touchpoints[0].id, chain.touchpoints[1].id
    aggregate = replace(
        chain,
        pain_points=[PainPointRecord(1, "pp1", first, "Slow", 3, 3, 1)],
        opportunities=[
            OpportunityRecord(1, "o1", first, 1, "Faster", 50, 50, 2, "idea", 1),
            OpportunityRecord(2, "o2", second, None, "Elsewhere", 10, 10, 1, "idea", 1),
        ],
        feedback=[
            FeedbackRecord(1, first, "too slow", 3, None, None, 7, "survey", None, None, "en", 1),
            FeedbackRecord(2, None, "general", 9, None, None, 7, "survey", None, None, "en", 1),
        ],
    )
    effects = deletion_effects(aggregate, {"touchpoint": {first}})
    # What the delete takes with it: its pain point and the transition out of it …
    assert dict(effects.deleted) == {"pain_point": 1, "transition": 1}
    # … and what outlives it, unlinked: the idea (from the touchpoint and from the deleted pain
    # point) and the customer's feedback are evidence; rows elsewhere are untouched.
    assert dict(effects.unlinked) == {"opportunity": 1, "feedback": 1}
    assert effects.anything
    assert not deletion_effects(aggregate, {}).anything


def test_an_unknown_entity_is_named() -> None:
    with pytest.raises(KeyError, match="unknown kind of row 'colour'"):
        entity("colour")
