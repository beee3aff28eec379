"""The app's one map cache (cxmap.app.cache): every page sees the revision it asks for, or
the current one."""

from __future__ import annotations

from cxmap import services
from cxmap.app import cache
from cxmap.core.context import Context
from tests.factories import journey_document


def test_one_load_per_revision_shared_by_every_caller(sqlite_ctx: Context) -> None:
    journey = services.import_document(sqlite_ctx, journey_document("Cached"))
    first = cache.content(sqlite_ctx, journey)
    assert cache.content_at(sqlite_ctx, journey.id, journey.revision) is first
    assert cache.analysis(sqlite_ctx, journey) is cache.analysis(sqlite_ctx, journey)


def test_a_remembered_revision_that_is_gone_gives_the_current_map(sqlite_ctx: Context) -> None:
    journey = services.import_document(sqlite_ctx, journey_document("Moving"))
    old = journey.revision
    assert cache.content_at(sqlite_ctx, journey.id, old).map.name == "Moving"
    cache._content.clear()  # the old revision has aged out of the cache …
    renamed = services.update_map(sqlite_ctx, journey.id, journey.version, name="Moved on")
    assert renamed.revision > old  # … and the map has changed since

    again = cache.content_at(sqlite_ctx, journey.id, old)
    # The current map, saying so: a page compares against what is there now, never against
    # a state older than the one it drew.
    assert (again.map.name, again.revision) == ("Moved on", renamed.revision)
    assert cache.analysis_at(sqlite_ctx, journey.id, old).health >= 0
    assert cache.content(sqlite_ctx, renamed) is cache.content(sqlite_ctx, renamed)
