"""Use cases of cxmap: what the pages and the command line ask for.

Each function opens one transaction (all or nothing), validates its input with messages that
name the field, and returns plain records. Errors are :class:`cxmap.core.errors.CxmapError`
subclasses whose message is meant for the user.

Examples
--------
>>> import tempfile
>>> ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/journeys.db")
>>> journey = create_map(ctx, "Broadband onboarding")
>>> stage = create_row(ctx, journey.id, "stage", {"name": "Awareness"})
>>> tp = create_row(ctx, journey.id, "touchpoint", {"stage_id": stage.id, "name": "Sees TV ad"})
>>> tp.key, tp.position, load_map(ctx, journey.id).revision
('t1', 1, 2)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from cxmap.analysis import scoring, sentiment, summary
from cxmap.core.config import DEMO_DIR
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.core.messages import render_all
from cxmap.core.records import MAP_STATES, Change, JourneyAggregate, MapRecord, Record
from cxmap.formats import excel, journey_file, mermaid
from cxmap.store import repository
from cxmap.store.db import get_database

# The journey stages most maps start from (DOMAIN.md, seed 000); users rename and reorder them.
STANDARD_STAGES = ("Awareness", "Consideration", "Purchase", "Onboarding", "Support", "Loyalty")
# Compound score stored for a sentiment label set by a person or given by a file.
MANUAL_SENTIMENT = {"positive": 0.5, "neutral": 0.0, "negative": -0.5}
# Prefix of generated keys, per entity that has keys.
KEY_PREFIX = {
    "persona": "p",
    "stage": "s",
    "touchpoint": "t",
    "pain_point": "pp",
    "opportunity": "o",
}
# Entities ordered by a position (within the map, or within their stage for touchpoints).
POSITIONED = {"persona": (), "stage": (), "touchpoint": ("stage_id",)}
# Database rules, explained (constraint name -> message).
CONSTRAINT_MESSAGES = {
    "uq_journey_map_name": "a map with this name already exists",
    "uq_emotion_touchpoint_id_persona_id": "this persona already has an emotion at this touchpoint",
    "uq_transition_source_id_target_id": "this transition already exists",
}


@dataclass(frozen=True)
class MapSummary:
    """A map with its size, for the list of maps."""

    map: MapRecord
    counts: dict[str, int]


def open_context(database_url: str | None = None) -> Context:
    """A context on the database at ``database_url`` (default: ``CXMAP_DATABASE_URL``), opened
    and migrated once per process; nobody signed in (local mode)."""
    return Context(get_database(database_url))


# ---------------------------------------------------------------- maps


def list_maps(ctx: Context) -> list[MapSummary]:
    with ctx.session() as s:
        return [MapSummary(m, counts) for m, counts in repository.list_maps(s)]


def get_map(ctx: Context, map_id: int) -> MapRecord:
    with ctx.session() as s:
        return repository.get_map(s, map_id)


def map_revision(ctx: Context, map_id: int) -> int | None:
    """The map's revision (None when it no longer exists): the key of every cache."""
    with ctx.session() as s:
        return repository.map_revision(s, map_id)


def resolve_map(ctx: Context, reference: str) -> int:
    """The id of the map given by its id or its exact name (as the command line takes it)."""
    with ctx.session() as s:
        by_name = repository.find_map_id_by_name(s, reference)
        if by_name is not None:
            return by_name
        if reference.isdigit() and repository.map_revision(s, int(reference)) is not None:
            return int(reference)
    raise InvalidInput("map", f"no map has the id or name {reference!r}")


def load_map(ctx: Context, map_id: int) -> JourneyAggregate:
    """The whole map as plain records (a bounded number of queries, whatever its size)."""
    with ctx.session() as s:
        return repository.load_aggregate(s, map_id)


def create_map(
    ctx: Context,
    name: str,
    description: str = "",
    state: str = "current",
    language: str = "en",
    *,
    with_standard_stages: bool = False,
) -> MapRecord:
    """Create a map, empty or with the six standard stages of a customer journey."""
    values = {
        "name": name.strip(),
        "description": description,
        "state": state,
        "language": language,
    }
    _check_map_fields(values)
    with ctx.session() as s:
        _check_name_free(s, values["name"])
        map_id = _translate_integrity(lambda: repository.insert_map(s, values))
        if with_standard_stages:
            stages = [
                {"key": f"s{n}", "name": stage, "position": n, "version": 1}
                for n, stage in enumerate(STANDARD_STAGES, start=1)
            ]
            repository.insert_content(s, map_id, {"stage": stages})
        return repository.get_map(s, map_id)


def update_map(ctx: Context, map_id: int, read_version: int, **changes: Any) -> MapRecord:
    """Rename or re-describe a map, if nobody changed it since ``read_version``."""
    unknown = set(changes) - {"name", "description", "state", "language"}
    if unknown:
        raise InvalidInput("map", f"cannot change {', '.join(sorted(unknown))}")
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    _check_map_fields(changes)
    with ctx.session() as s:
        if "name" in changes:
            _check_name_free(s, changes["name"], except_id=map_id)
        return _translate_integrity(lambda: repository.update_map(s, map_id, read_version, changes))


def scoring_settings(ctx: Context, map_id: int) -> scoring.ScoringSettings:
    """The map's friction weights and thresholds (defaults where it has none)."""
    return scoring.ScoringSettings.from_dict(get_map(ctx, map_id).settings)


def save_scoring_settings(
    ctx: Context, map_id: int, read_version: int, settings: scoring.ScoringSettings
) -> MapRecord:
    """Store the map's scoring settings (refused with the reasons when they are unusable)."""
    problems = settings.problems()
    if problems:
        raise InvalidInput("settings", "; ".join(render_all(problems)))
    return update_map_settings(ctx, map_id, read_version, **settings.as_dict())


def update_map_settings(ctx: Context, map_id: int, read_version: int, **sections: Any) -> MapRecord:
    """Replace some top-level sections of the map's settings, keeping the others."""
    with ctx.session() as s:
        current = repository.get_map(s, map_id).settings
        merged = {**current, **sections}
        return repository.update_map(s, map_id, read_version, {"settings": merged})


def save_assessment(
    ctx: Context, map_id: int, read_version: int, answers: Mapping[str, int]
) -> MapRecord:
    """Store the CRM-or-CX self-assessment (answers 1…5 per factor) with the map."""
    problems = summary.Assessment(answers).problems()
    if problems:
        raise InvalidInput("assessment", "; ".join(problems))
    return update_map_settings(ctx, map_id, read_version, assessment=dict(answers))


def save_risk_assumptions(
    ctx: Context, map_id: int, read_version: int, assumptions: Mapping[str, float]
) -> MapRecord:
    """Store the editable assumptions of the customers-at-risk estimate with the map."""
    for name, value in assumptions.items():
        if value < 0 or (name == "leave_after_bad" and value > 1):
            raise InvalidInput(name, f"{value} is out of range")
    return update_map_settings(ctx, map_id, read_version, risk=dict(assumptions))


def analyze_map(
    ctx: Context, map_id: int, persona_id: int | None = None
) -> scoring.JourneyAnalysis:
    """The friction analysis of a stored map with its own settings."""
    aggregate = load_map(ctx, map_id)
    settings = scoring.ScoringSettings.from_dict(aggregate.map.settings)
    return scoring.analyze(aggregate, settings, persona_id)


def duplicate_map(ctx: Context, map_id: int, new_name: str | None = None) -> MapRecord:
    """Copy a map with everything in it (feedback included) under a new name."""
    with ctx.session() as s:
        source = repository.load_aggregate(s, map_id)
        name = (new_name or "").strip() or _free_copy_name(s, source.map.name)
        values = {
            "name": name,
            "description": source.map.description,
            "state": source.map.state,
            "language": source.map.language,
            "settings": source.map.settings,
        }
        _check_map_fields(values)
        _check_name_free(s, name)
        new_id = repository.insert_map(s, values)
        repository.insert_content(s, new_id, repository.aggregate_content(source))
        return repository.get_map(s, new_id)


def delete_map(ctx: Context, map_id: int) -> MapRecord:
    """Delete a map and everything in it; returns what it was."""
    with ctx.session() as s:
        deleted = repository.get_map(s, map_id)
        repository.delete_map(s, map_id)
        return deleted


# ---------------------------------------------------------------- import and export


def import_document(
    ctx: Context, document: Mapping[str, Any], name: str | None = None
) -> MapRecord:
    """Create a new map from a checked cxmap-journey document (``journey_file.parse_document``).

    Feedback text is scored for sentiment on the way in (English only; other languages are
    marked and left unscored). Nothing is written unless the whole map is.
    """
    map_fields, content = journey_file.document_content(document)
    if name and name.strip():
        map_fields["name"] = name.strip()
    _check_map_fields(map_fields)
    feedback = content["feedback"]
    scores = sentiment.sentiment_scores(f["text"] for f in feedback)
    for row, score in zip(feedback, scores, strict=True):
        row["sentiment"] = score
        row["language"] = sentiment.detect_language(row["text"])
        row["sentiment_source"] = "vader"
    with ctx.session() as s:
        _check_name_free(s, map_fields["name"])
        map_id = repository.insert_map(s, map_fields)
        _translate_integrity(lambda: repository.insert_content(s, map_id, content))
        return repository.get_map(s, map_id)


def import_file(
    ctx: Context, data: bytes, name: str | None = None, *, max_bytes: int | None = None
) -> MapRecord:
    """Parse, check and import a cxmap-journey file's bytes as a new map."""
    kwargs = {"max_bytes": max_bytes} if max_bytes else {}
    return import_document(ctx, journey_file.parse_document(data, **kwargs), name)


def export_json(ctx: Context, map_id: int) -> str:
    """The map as canonical cxmap-journey v1 text."""
    return journey_file.dumps(journey_file.export_document(load_map(ctx, map_id)))


EXPORT_FORMATS = (".json", ".xlsx", ".mmd", ".html", ".pdf", ".png")


def export_map(ctx: Context, map_id: int, suffix: str) -> bytes:
    """The map in the format its file suffix names (see EXPORT_FORMATS).

    PDF and PNG need Chromium to render their images; without it they raise
    ``report.ExportUnavailable`` (a CxmapError) saying how to install it.
    """
    if suffix == ".json":
        return export_json(ctx, map_id).encode("utf-8")
    if suffix not in EXPORT_FORMATS:
        raise InvalidInput("format", f"{suffix!r} is not one of {', '.join(EXPORT_FORMATS)}")
    aggregate = load_map(ctx, map_id)
    if suffix == ".mmd":
        return mermaid.to_mermaid(aggregate).encode("utf-8")
    settings = scoring.ScoringSettings.from_dict(aggregate.map.settings)
    analysis = scoring.analyze(aggregate, settings)
    if suffix == ".xlsx":
        return excel.to_xlsx(aggregate, analysis)
    from cxmap.render import report  # HTML, PDF and PNG (imported here: kaleido and fpdf are heavy)

    return report.EXPORTERS[suffix](report.executive_summary(aggregate, analysis))


def demo_templates() -> dict[str, Path]:
    """The demo maps shipped in data/demo/, by map name."""
    templates = {}
    for path in sorted(DEMO_DIR.glob("*.json")):
        document = journey_file.parse_document(path.read_bytes())
        templates[document["map"]["name"]] = path
    return templates


def seed_demo_maps(ctx: Context, reset: bool = False) -> list[MapRecord]:
    """Load the demo maps into an empty database (``reset`` deletes every map first).

    Returns the maps created; an empty list when the database already had maps.
    """
    if reset:
        for summary in list_maps(ctx):
            delete_map(ctx, summary.map.id)
    elif list_maps(ctx):
        return []
    return [import_file(ctx, path.read_bytes()) for path in demo_templates().values()]


# ---------------------------------------------------------------- feedback from files


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
        found = repository.feedback_file(s, map_id, file_hash)
    return None if found is None else (found.file_name, found.imported_at)


def import_feedback(
    ctx: Context,
    map_id: int,
    rows: Sequence[Mapping[str, Any]],
    *,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    file_hash: str | None = None,
    file_name: str = "",
) -> FeedbackImport:
    """Store parsed feedback rows (``voc.parse_feedback``) in one transaction.

    Rows already imported into this map (same fingerprint) are skipped, so importing the same
    export twice adds nothing. Texts already in the sentiment cache are not scored again; the
    rest are scored with VADER in ``workers`` processes, and rows are written (in file order)
    while the workers score the next chunks. Non-English text is kept unscored.
    ``progress(rows stored, rows to store)`` is called as rows are stored.
    """
    with ctx.session() as s:  # one transaction: every row is stored, or none
        repository.get_map(s, map_id)
        known = repository.existing_fingerprints(s, map_id)
        new_rows = [
            dict(r) for r in rows if r.get("fingerprint") not in known or not r.get("fingerprint")
        ]
        in_map = repository.row_ids(s, "touchpoint", map_id)
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
                cached.update(repository.cached_sentiments(s, [hashes[i] for i in rows_here]))
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
            repository.store_sentiments(s, part)
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
            _translate_integrity(lambda: repository.insert_feedback(s, map_id, batch))
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
        if file_hash and repository.feedback_file(s, map_id, file_hash) is None:
            repository.record_feedback_file(s, map_id, file_hash, file_name, len(new_rows))
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
        known = repository.row_ids(s, "feedback", map_id)
        stray = [f for f in feedback_ids if f not in known]
        if stray:
            raise InvalidInput("feedback", f"no feedback {stray[0]} in this map")
        created = _create(s, map_id, entity, values)
        created_id: int = getattr(created, "id")  # noqa: B009 (Record has no id field of its own)
        if entity == "pain_point":
            repository.add_evidence(s, map_id, feedback_ids, pain_point_id=created_id)
        else:
            repository.add_evidence(s, map_id, feedback_ids, opportunity_id=created_id)
        return created


def set_sentiment(
    ctx: Context, map_id: int, feedback_id: int, read_version: int, label: str
) -> Record:
    """Correct a verbatim's sentiment by hand: ``positive``, ``neutral`` or ``negative``.

    Stored as a representative compound score (+0.5, 0, −0.5) marked ``manual``, so friction
    and metrics use it and VADER never overwrites it.
    """
    compound = MANUAL_SENTIMENT.get(label)
    if compound is None:
        raise InvalidInput("sentiment", f"{label!r} is not positive, neutral or negative")
    return update_row(
        ctx,
        map_id,
        "feedback",
        feedback_id,
        read_version,
        {"sentiment": compound, "sentiment_source": "manual"},
    )


# ---------------------------------------------------------------- rows


def create_row(ctx: Context, map_id: int, entity: str, values: Mapping[str, Any]) -> Record:
    """Add a row of any kind (persona, stage, touchpoint, emotion, pain point, …)."""
    with ctx.session() as s:
        return _create(s, map_id, entity, values)


def update_row(
    ctx: Context,
    map_id: int,
    entity: str,
    row_id: int,
    read_version: int,
    changes: Mapping[str, Any],
    read_values: Mapping[str, Any] | None = None,
) -> Record:
    """Change a row if it is still at ``read_version``; otherwise raise ConflictError."""
    with ctx.session() as s:
        return _update(s, map_id, entity, row_id, read_version, changes, read_values)


def delete_row(
    ctx: Context, map_id: int, entity: str, row_id: int, read_version: int | None = None
) -> None:
    with ctx.session() as s:
        repository.delete_row(s, entity, map_id, row_id, read_version)


def apply_changes(ctx: Context, map_id: int, changes: Sequence[Change]) -> list[Record | None]:
    """Apply a grid's edits in one transaction: all of them, or (on any error) none.

    Returns, per change, the created or updated record (None for a delete). An error names
    the change that failed, e.g. ``row 3: emotion: 7 is outside the range -2…2``.
    """
    results: list[Record | None] = []
    with ctx.session() as s:
        for number, change in enumerate(changes, start=1):
            try:
                if change.op == "create":
                    results.append(_create(s, map_id, change.entity, change.values))
                elif change.op == "update":
                    assert change.row_id is not None and change.read_version is not None
                    results.append(
                        _update(
                            s,
                            map_id,
                            change.entity,
                            change.row_id,
                            change.read_version,
                            change.values,
                            change.read_values,
                        )
                    )
                else:
                    assert change.row_id is not None
                    repository.delete_row(
                        s, change.entity, map_id, change.row_id, change.read_version
                    )
                    results.append(None)
            except InvalidInput as error:
                where = f"change {number}" + (f" · {error.where}" if error.where else "")
                raise InvalidInput(where, error.problem) from None
    return results


def reorder(ctx: Context, map_id: int, entity: str, ordered_ids: Sequence[int]) -> None:
    """Put stages, personas, or the touchpoints of one stage in the given order."""
    if entity not in POSITIONED:
        raise InvalidInput(entity, "has no order")
    with ctx.session() as s:
        for row_id in ordered_ids:
            repository.get_row(s, entity, map_id, row_id)  # NotFound if not in this map
        repository.set_positions(s, entity, map_id, ordered_ids)


# ---------------------------------------------------------------- helpers


def _create(s: Session, map_id: int, entity: str, values: Mapping[str, Any]) -> Record:
    row = _checked_values(s, map_id, entity, values, creating=True)
    if entity in KEY_PREFIX and not row.get("key"):
        row["key"] = repository.next_key(s, entity, map_id, KEY_PREFIX[entity])
    elif "key" in row and repository.find_row_id(s, entity, map_id, key=row["key"]) is not None:
        raise InvalidInput("key", f"{row['key']!r} is already used in this map")
    if entity in POSITIONED and "position" not in row:
        scope = {k: row[k] for k in POSITIONED[entity]}
        row["position"] = repository.next_position(s, entity, map_id, **scope)
    return _translate_integrity(lambda: repository.insert_row(s, entity, map_id, row))


def _update(
    s: Session,
    map_id: int,
    entity: str,
    row_id: int,
    read_version: int,
    changes: Mapping[str, Any],
    read_values: Mapping[str, Any] | None,
) -> Record:
    row = _checked_values(s, map_id, entity, changes, creating=False)
    if "key" in row:
        other = repository.find_row_id(s, entity, map_id, key=row["key"])
        if other is not None and other != row_id:
            raise InvalidInput("key", f"{row['key']!r} is already used in this map")
    return _translate_integrity(
        lambda: repository.update_row(s, entity, map_id, row_id, read_version, row, read_values)
    )


def _checked_values(
    s: Session, map_id: int, entity: str, values: Mapping[str, Any], *, creating: bool
) -> dict[str, Any]:
    """Validate one row's values: known fields, the contract's ranges, references in this map."""
    if entity not in repository.RECORDS:
        raise InvalidInput("", f"unknown kind of row {entity!r}")
    editable = set(repository.RECORDS[entity].field_names()) - {"id", "version"}
    unknown = sorted(set(values) - editable)
    if unknown:
        raise InvalidInput(unknown[0], f"is not a field of {entity.replace('_', ' ')}")
    row = {
        k: (v.strip() if k in ("name", "title", "key") and isinstance(v, str) else v)
        for k, v in values.items()
    }
    if creating:
        required = {
            "persona": ("name",),
            "stage": ("name",),
            "touchpoint": ("stage_id", "name"),
            "emotion": ("touchpoint_id", "persona_id", "score"),
            "pain_point": ("touchpoint_id", "severity", "frequency"),
            "opportunity": ("title",),
            "transition": ("source_id", "target_id"),
            "feedback": (),
        }[entity]
        for name in required:
            if row.get(name) in (None, ""):
                raise InvalidInput(name, "is required")
    journey_file.check_fields(entity, {k: v for k, v in row.items() if k != "created_at"})
    for column, (target, _) in repository.REFERENCES[entity].items():
        value = row.get(column)
        if value is not None and repository.find_row_id(s, target, map_id, id=value) is None:
            raise InvalidInput(column, f"no {target.replace('_', ' ')} {row[column]} in this map")
    if entity == "feedback":
        when = row.get("created_at")
        if isinstance(when, str):
            try:
                row["created_at"] = dt.date.fromisoformat(when) if when.strip() else None
            except ValueError:
                raise InvalidInput("created_at", f"{when!r} is not a date (YYYY-MM-DD)") from None
        elif isinstance(when, dt.datetime):
            row["created_at"] = when.date()
        elif when is not None and not isinstance(when, dt.date):
            raise InvalidInput("created_at", f"{when!r} is not a date")
        scale = row.get("ces_scale", 7)
        if scale not in (5, 7):
            raise InvalidInput("ces_scale", f"{scale!r} is not 5 or 7")
        if row.get("ces") is not None and row["ces"] > scale:
            raise InvalidInput("ces", f"{row['ces']} is above the 1–{scale} CES scale")
        if "sentiment" in row:
            row.setdefault("sentiment_source", "manual")
            value = row["sentiment"]
            if value is not None and not (isinstance(value, int | float) and -1 <= value <= 1):
                raise InvalidInput("sentiment", f"{value!r} is not a score from -1 to 1")
        elif "text" in row:
            row["sentiment"] = sentiment.sentiment_scores([row["text"]])[0]
            row["language"] = sentiment.detect_language(row["text"])
            row["sentiment_source"] = "vader"
    return row


def _check_map_fields(values: Mapping[str, Any]) -> None:
    if "name" in values and not str(values["name"]).strip():
        raise InvalidInput("name", "a map needs a name")
    if "state" in values and values["state"] not in MAP_STATES:
        raise InvalidInput("state", f"{values['state']!r} is not one of {', '.join(MAP_STATES)}")
    journey_file.check_fields("map", values)


def _check_name_free(s: Session, name: str, except_id: int | None = None) -> None:
    existing = repository.find_map_id_by_name(s, name)
    if existing is not None and existing != except_id:
        raise InvalidInput("name", f"a map named {name!r} already exists")


def _free_copy_name(s: Session, name: str) -> str:
    base = re.sub(r" \(copy( \d+)?\)$", "", name)
    candidate, n = f"{base} (copy)", 2
    while repository.find_map_id_by_name(s, candidate) is not None:
        candidate, n = f"{base} (copy {n})", n + 1
    return candidate


def _translate_integrity(action: Any) -> Any:
    """Run a database write; turn a broken database rule into a message for the user."""
    try:
        return action()
    except IntegrityError as error:
        text = str(error.orig)
        for constraint, message in CONSTRAINT_MESSAGES.items():
            if constraint in text or _sqlite_unique_columns(constraint) in text:
                raise InvalidInput("", message) from None
        raise InvalidInput(
            "", f"the database refused the change ({text.splitlines()[0]})"
        ) from None


def _sqlite_unique_columns(constraint: str) -> str:
    # SQLite names the columns, not the constraint ("UNIQUE constraint failed: t.a, t.b").
    table_and_columns = {
        "uq_journey_map_name": "journey_map.name",
        "uq_emotion_touchpoint_id_persona_id": "emotion.touchpoint_id, emotion.persona_id",
        "uq_transition_source_id_target_id": "transition.source_id, transition.target_id",
    }
    return table_and_columns.get(constraint, constraint)
