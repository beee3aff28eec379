"""Use cases of customer feedback: import rows from a survey, review or call-centre file (once
only, scored in worker processes), justify pain points and opportunities with verbatims, and
correct a verbatim's sentiment by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxmap.analysis import sentiment
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.core.records import Change, Record
from cxmap.services.rows import apply_changes, create_in_session
from cxmap.store import feedback_queries, map_queries, row_queries

# Compound score stored for a sentiment label set by a person or given by a file.
MANUAL_SENTIMENT = {"positive": 0.5, "neutral": 0.0, "negative": -0.5}


@dataclass(frozen=True)
class FeedbackImport:
    """What an import did: rows added, rows already there, how many texts were scored now."""

    added: int
    already_imported: int
    scored: int
    from_cache: int
    not_scored: int
    from_file: int = 0


def earlier_import(ctx: Context, map_id: int, file_hash: str) -> tuple[str, dt.datetime] | None:
    """(file name, when) if this exact file was imported into the map with the same mapping."""
    with ctx.session() as s:
        found = feedback_queries.feedback_file(s, map_id, file_hash)
    return None if found is None else (found.file_name, found.imported_at)


# The map's settings section that remembers which touchpoint a feedback file's value names
# ({value in lower case: touchpoint key}), so the next import of such a file links the same.
VALUE_LINKS = "touchpoint_values"


def remembered_value_links(ctx: Context, map_id: int) -> dict[str, int]:
    """The touchpoint each remembered file value links to (value in lower case → touchpoint
    id): what earlier imports into this map were told ("store visit" → the branch visit).
    Values whose touchpoint was deleted since are left out.

    >>> import tempfile
    >>> from cxmap.services import create_map, create_row, open_context
    >>> ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/voc.db")
    >>> map_id = create_map(ctx, "Retail").id
    >>> stage = create_row(ctx, map_id, "stage", {"name": "Buy"})
    >>> branch = create_row(ctx, map_id, "touchpoint", {"stage_id": stage.id, "name": "Branch"})
    >>> _ = import_feedback(ctx, map_id, [], value_links={"Store visit": branch.id, "x": None})
    >>> remembered_value_links(ctx, map_id) == {"store visit": branch.id}
    True
    """
    with ctx.session() as s:
        stored = map_queries.get_map(s, map_id).settings.get(VALUE_LINKS) or {}
        keys = {t.key: t.id for t in map_queries.load_aggregate(s, map_id).touchpoints}
    return {value: keys[key] for value, key in stored.items() if key in keys}


def _remember_value_links(s: Any, map_id: int, value_links: Mapping[str, int | None]) -> None:
    """Store the value links with the map's settings (None forgets a value), inside the
    import's transaction; the map changes only when they do."""
    current = map_queries.get_map(s, map_id)
    stored: dict[str, str] = dict(current.settings.get(VALUE_LINKS) or {})
    keys = {t.id: t.key for t in map_queries.load_aggregate(s, map_id).touchpoints}
    for value, touchpoint_id in value_links.items():
        name = value.strip().lower()
        if touchpoint_id is None:
            stored.pop(name, None)
        elif touchpoint_id in keys:
            stored[name] = keys[touchpoint_id]
        else:
            raise InvalidInput("touchpoint", f"no touchpoint {touchpoint_id} in this map")
    if stored != (current.settings.get(VALUE_LINKS) or {}):
        settings = {**current.settings, VALUE_LINKS: stored}
        map_queries.update_map(s, map_id, current.version, {"settings": settings})


def import_feedback(
    ctx: Context,
    map_id: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    file_hash: str | None = None,
    file_name: str = "",
    value_links: Mapping[str, int | None] | None = None,
) -> FeedbackImport:
    """Store parsed feedback rows (``voc.parse_feedback``) in one transaction.

    Rows already imported into this map (same fingerprint) are skipped, so importing the same
    export twice adds nothing. Texts already in the sentiment cache are not scored again; the
    rest are scored with VADER in ``workers`` processes, and rows are written (in file order)
    while the workers score the next chunks. Non-English text is kept unscored.
    ``progress(rows stored, rows to store)`` is called as rows are stored. ``value_links``
    (file value → touchpoint id, None: leave unlinked) are remembered for the map's next
    imports (:func:`remembered_value_links`), in the same transaction.
    """
    with ctx.session() as s:  # one transaction: every row is stored, or none
        map_queries.get_map(s, map_id)
        if value_links:
            _remember_value_links(s, map_id, value_links)
        known = feedback_queries.existing_fingerprints(s, map_id)
        new_rows = [
            dict(r) for r in rows if r.get("fingerprint") not in known or not r.get("fingerprint")
        ]
        in_map = row_queries.row_ids(s, "touchpoint", map_id)
        for row in new_rows:  # links must point into this map
            if row.get("touchpoint_id") is not None:
                row["touchpoint_id"] = int(row["touchpoint_id"])
                if row["touchpoint_id"] not in in_map:
                    raise InvalidInput(
                        "touchpoint", f"no touchpoint {row['touchpoint_id']} in this map"
                    )
        given = [r.get("sentiment") is not None for r in new_rows]
        hashes = [sentiment.text_hash(r["text"]) for r in new_rows]
        cached: dict[str, sentiment.Scored] = {}
        missing: list[str] = []  # hashes sent to be scored, in order
        scored: dict[str, sentiment.Scored] = {}
        written = 0

        def texts_to_score() -> Iterator[list[str]]:
            """The texts neither in the cache nor already sent, a chunk of rows at a time
            (looked up while the workers score the chunks before)."""
            sent = set()
            for start in range(0, len(new_rows), sentiment.CHUNK):
                rows_here = range(start, min(start + sentiment.CHUNK, len(new_rows)))
                cached.update(feedback_queries.cached_sentiments(s, [hashes[i] for i in rows_here]))
                texts = []
                for i in rows_here:
                    if not given[i] and hashes[i] not in cached and hashes[i] not in sent:
                        sent.add(hashes[i])
                        missing.append(hashes[i])
                        texts.append(new_rows[i]["text"])
                if texts:
                    yield texts

        def write_ready_rows(part: Mapping[str, sentiment.Scored]) -> None:
            """Store the new scores, then every row (in file order) whose sentiment is known."""
            nonlocal written
            feedback_queries.store_sentiments(s, part)
            ready = written
            while ready < len(new_rows):
                row, digest = new_rows[ready], hashes[ready]
                if given[ready]:  # a pre-scored sentiment column: kept as the file says
                    row["language"] = sentiment.detect_language(row["text"])
                    row["sentiment_source"] = "file"
                elif (known_score := scored.get(digest) or cached.get(digest)) is not None:
                    row["sentiment"], row["language"] = known_score
                    row["sentiment_source"] = "vader"
                else:
                    break
                ready += 1
            batch = new_rows[written:ready]
            feedback_queries.insert_feedback(s, map_id, batch)
            written = ready

        for part in sentiment.scored_chunks(texts_to_score(), workers=workers):
            new_scores = dict(
                zip(missing[len(scored) : len(scored) + len(part)], part, strict=True)
            )
            scored.update(new_scores)
            write_ready_rows(new_scores)
            if progress:
                progress(written, len(new_rows))
        write_ready_rows({})  # rows whose sentiment came from the file or the cache alone
        if progress:
            progress(written, len(new_rows))
        assert written == len(new_rows), "every row has its sentiment once all chunks are in"
        if file_hash and feedback_queries.feedback_file(s, map_id, file_hash) is None:
            feedback_queries.record_feedback_file(s, map_id, file_hash, file_name, len(new_rows))
    return FeedbackImport(
        added=len(new_rows),
        already_imported=len(rows) - len(new_rows),
        scored=len(missing),
        from_cache=len(set(hashes) & set(cached)),
        not_scored=sum(r["sentiment"] is None for r in new_rows),
        from_file=sum(given),
    )


def create_with_evidence(
    ctx: Context,
    map_id: int,
    entity: str,
    values: Mapping[str, Any],
    feedback_ids: Sequence[int],
) -> Record:
    """Create a pain point or opportunity from verbatims, linked to them as its evidence.

    One transaction: the row and its evidence links are saved together or not at all.
    """
    if entity not in ("pain_point", "opportunity"):
        raise InvalidInput("", f"evidence can justify a pain point or an opportunity, not {entity}")
    if not feedback_ids:
        raise InvalidInput("feedback", "pick at least one verbatim as evidence")
    with ctx.session() as s:
        known = row_queries.row_ids(s, "feedback", map_id)
        stray = [f for f in feedback_ids if f not in known]
        if stray:
            raise InvalidInput("feedback", f"no feedback {stray[0]} in this map")
        created = create_in_session(s, map_id, entity, values)
        created_id: int = getattr(created, "id")  # noqa: B009 (Record has no id field of its own)
        if entity == "pain_point":
            feedback_queries.add_evidence(s, map_id, feedback_ids, pain_point_id=created_id)
        else:
            feedback_queries.add_evidence(s, map_id, feedback_ids, opportunity_id=created_id)
        return created


def set_sentiment(
    ctx: Context, map_id: int, feedback_id: int, read_version: int, label: str
) -> Record:
    """Correct one verbatim's sentiment by hand (:func:`set_sentiments` of one row)."""
    return set_sentiments(ctx, map_id, [(feedback_id, read_version)], label)[0]


def set_sentiments(
    ctx: Context, map_id: int, rows: Sequence[tuple[int, int]], label: str
) -> list[Record]:
    """Correct the sentiment of verbatims by hand: ``positive``, ``neutral`` or ``negative``.

    ``rows`` are (feedback id, version read). One transaction: every row is set, or (when one
    was changed by someone else since it was read, say) none, and the ConflictError names it.
    Stored as a representative compound score (+0.5, 0, −0.5) marked ``manual``, so friction
    and metrics use it and VADER never overwrites it.

    Examples
    --------
    >>> import tempfile
    >>> from cxmap.services import create_map, create_row, open_context
    >>> ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/voc.db")
    >>> map_id = create_map(ctx, "Support").id
    >>> a, b = (create_row(ctx, map_id, "feedback", {"text": t}) for t in ("Great!", "Sure..."))
    >>> [r.sentiment for r in set_sentiments(ctx, map_id, [(a.id, a.version), (b.id, b.version)],
    ...                                      "negative")]
    [-0.5, -0.5]
    >>> set_sentiments(ctx, map_id, [(a.id, a.version)], "positive")
    Traceback (most recent call last):
    ...
    cxmap.core.errors.ConflictError: feedback #1 was changed by someone else (version 1 → 2): ...
    """
    compound = MANUAL_SENTIMENT.get(label)
    if compound is None:
        raise InvalidInput("sentiment", f"{label!r} is not positive, neutral or negative")
    values = {"sentiment": compound, "sentiment_source": "manual"}
    changes = [
        Change("update", "feedback", row_id=feedback_id, read_version=version, values=values)
        for feedback_id, version in rows
    ]
    return [record for record in apply_changes(ctx, map_id, changes) if record is not None]
