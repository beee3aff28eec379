"""Writing a ``cxmap-journey`` JSON file: always the current version (v2), canonical.

Canonical: every field of every item in the contract's order
(:func:`cxmap.formats.journey_contract.field_order`), two-space indent, UTF-8, final newline,
so export → import → export gives the same bytes. Optional extensions (``ces_scale``,
``segment``, ``channel``, ``fingerprint``, ``evidence``) are written only when set.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from cxmap.core.entities import ENTITIES
from cxmap.core.records import FeedbackFileRecord, JourneyAggregate
from cxmap.formats.journey_contract import EVIDENCE_LISTS, FORMAT, VERSION


def _time_to_file(value: dt.datetime) -> str:
    """A time in the file: UTC, ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``.

    >>> _time_to_file(dt.datetime(2026, 3, 1, 13, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    '2026-03-01T12:30:00Z'
    """
    moment = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return moment.replace(tzinfo=None).isoformat() + "Z"


_ALWAYS = object()  # a field without an "unset" value is always written


def export_document(
    aggregate: JourneyAggregate, feedback_files: Sequence[FeedbackFileRecord] = ()
) -> dict[str, Any]:
    """The map as a cxmap-journey v2 document, every field written, in canonical order:
    everything the map holds (with ``feedback_files``, the files imported into it).

    >>> from cxmap.core.examples import demo_chain
    >>> document = export_document(demo_chain())
    >>> document["version"], list(document["map"])
    (2, ['name', 'description', 'state', 'language', 'settings'])
    """
    keys = {
        entity.name: {row.id: row.key for row in entity.rows(aggregate)}
        for entity in ENTITIES.values()
        if entity.has_keys
    }
    evidence: dict[int, dict[str, list[str]]] = {}
    for link in aggregate.evidence:
        found = evidence.setdefault(link.feedback_id, {})
        if link.pain_point_id is not None:
            found.setdefault("pain_points", []).append(keys["pain_point"][link.pain_point_id])
        if link.opportunity_id is not None:
            found.setdefault("opportunities", []).append(keys["opportunity"][link.opportunity_id])
    m = aggregate.map
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "map": {
            "name": m.name,
            "description": m.description,
            "state": m.state,
            "language": m.language,
            "settings": m.settings,
        },
    }
    for entity in ENTITIES.values():
        items = []
        for record in entity.rows(aggregate):
            item = {}
            for file_field in entity.file_fields_in(VERSION):
                if file_field == "evidence":
                    links = evidence.get(record.id, {})
                    value: Any = {k: links[k] for k in EVIDENCE_LISTS if k in links}
                else:
                    name = entity.record_name(file_field)
                    value = getattr(record, name)
                    if name in entity.references:
                        value = (
                            None if value is None else keys[entity.references[name].entity][value]
                        )
                    elif isinstance(value, dt.datetime):  # (before date: a datetime is one)
                        value = _time_to_file(value)
                    elif isinstance(value, dt.date):
                        value = value.isoformat()
                # Optional extensions are written only when set, so plain maps stay plain.
                unset = entity.written_when_not.get(file_field, _ALWAYS)
                if value != unset:
                    item[file_field] = value
            items.append(item)
        document[entity.list_name] = items
    document["feedback_files"] = [
        {
            "file_hash": f.file_hash,
            "file_name": f.file_name,
            "rows_added": f.rows_added,
            "imported_at": _time_to_file(f.imported_at),
        }
        for f in feedback_files
    ]
    return document


def dumps(document: Mapping[str, Any]) -> str:
    """Canonical text of a document: UTF-8, two-space indent, key order kept, final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
