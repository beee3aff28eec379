"""The one map cache of the app: a map's content and its analysis by (database, map id, revision).

Streamlit reruns a page on every click; loading and scoring a map is the heavy part of most
runs. Every page gets the map from here, so one revision is loaded once per server process,
whichever page asks first, and every part of a page shows the same revision.

The entries are shared, not copied (``st.cache_resource``): records are frozen and nothing
mutates the lists, and copying a map with 100,000 feedback rows on every click would cost more
than the page itself. Any write bumps the map's revision, so a changed map is a new entry and
an old one simply ages out.
"""

from __future__ import annotations

import json

import streamlit as st

from cxmap import services
from cxmap.analysis import scoring
from cxmap.analysis.scoring import JourneyAnalysis, ScoringSettings
from cxmap.core.context import Context
from cxmap.core.records import JourneyAggregate, MapRecord


@st.cache_resource(show_spinner=False, max_entries=32)
def _content(_ctx: Context, database_url: str, map_id: int, revision: int) -> JourneyAggregate:
    return services.load_map(_ctx, map_id)


@st.cache_resource(show_spinner=False, max_entries=64)
def _analysis(
    _ctx: Context,
    database_url: str,
    map_id: int,
    revision: int,
    persona_id: int | None,
    settings_key: str | None,
) -> JourneyAnalysis:
    aggregate = _content(_ctx, database_url, map_id, revision)
    stored = aggregate.map.settings if settings_key is None else json.loads(settings_key)
    return scoring.analyze(aggregate, ScoringSettings.from_dict(stored), persona_id)


def content(ctx: Context, journey: MapRecord) -> JourneyAggregate:
    """The whole map at ``journey``'s revision (loaded once per revision)."""
    return _content(ctx, ctx.db.url, journey.id, journey.revision)


def content_at(ctx: Context, map_id: int, revision: int) -> JourneyAggregate:
    """The map at a revision a page remembered (e.g. the revision a grid was drawn from).

    Only the current revision can be loaded: when the one asked for has aged out of the cache
    and the map has moved on since, this is the current map (its ``revision`` says so), which
    is then what later callers asking for that revision get too: never an older state."""
    return _content(ctx, ctx.db.url, map_id, revision)


def analysis(
    ctx: Context,
    journey: MapRecord,
    persona_id: int | None = None,
    settings: ScoringSettings | None = None,
) -> JourneyAnalysis:
    """The friction analysis of the map at ``journey``'s revision, through one persona's eyes or
    all of them, with the map's own scoring settings unless others are given."""
    return analysis_at(ctx, journey.id, journey.revision, persona_id, settings)


def analysis_at(
    ctx: Context,
    map_id: int,
    revision: int,
    persona_id: int | None = None,
    settings: ScoringSettings | None = None,
) -> JourneyAnalysis:
    """:func:`analysis` of the map at a revision a page remembered."""
    key = None if settings is None else json.dumps(settings.as_dict(), sort_keys=True)
    return _analysis(ctx, ctx.db.url, map_id, revision, persona_id, key)
