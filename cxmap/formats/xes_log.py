"""XES event logs (IEEE 1849) streamed into a DuckDB table, a batch of events at a time.

A trace's ``concept:name`` is the case (column ``case:concept:name``, as other XES tools name
it); an event's ``concept:name`` is the activity, ``time:timestamp`` its time, ``org:resource``
who did it. Every other attribute is kept as a text column: an event's under its key, a
trace's as ``case:KEY``. Nested attributes (lists, containers) and the ``global`` defaults are
not read: an event without an activity is refused by the mapping, not given a default.

The file is parsed with ``iterparse`` and each trace is dropped once its events are in a
batch, so memory holds one batch (``BATCH_EVENTS`` events), never the log.

Examples
--------
>>> import io, duckdb
>>> xes = b'''<log xes.version="1.0"><trace><string key="concept:name" value="c1"/>
...   <event><string key="concept:name" value="Visit"/>
...     <date key="time:timestamp" value="2024-01-01T10:00:00+01:00"/></event></trace></log>'''
>>> connection = duckdb.connect()
>>> load_xes(io.BytesIO(xes), "log.xes", connection, "raw", row_column="_row")
1
>>> connection.execute('SELECT "case:concept:name", "concept:name", _row FROM raw').fetchall()
[('c1', 'Visit', 1)]
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, Protocol

import duckdb
import pandas as pd

from cxmap.core.errors import InvalidInput
from cxmap.core.messages import Message

BATCH_EVENTS = 50_000
ATTRIBUTE_TAGS = frozenset({"string", "date", "int", "float", "boolean", "id"})
CASE_PREFIX = "case:"


class Readable(Protocol):
    """A binary stream (a file, a gzip file, BytesIO)."""

    def read(self, size: int = ..., /) -> bytes: ...


def _local(tag: str) -> str:
    """A tag without its namespace: ``{http://www.xes-standard.org/}event`` → ``event``."""
    return tag.rsplit("}", 1)[-1]


def _attributes(element: ET.Element) -> dict[str, str]:
    """The element's own (not nested) attributes: key → value, as text."""
    found = {}
    for child in element:
        if _local(child.tag) in ATTRIBUTE_TAGS:
            key = child.get("key")
            if key is not None:
                found[key] = child.get("value", "")
    return found


def load_xes(
    stream: Readable,
    name: str,
    connection: duckdb.DuckDBPyConnection,
    table: str,
    *,
    row_column: str,
    batch_events: int = BATCH_EVENTS,
) -> int:
    """Stream the XES log in ``stream`` into ``table`` (created anew); return the number of
    events. ``row_column`` gets each event's number in the file (1, 2, …).

    Raises InvalidInput for XML that is not well formed (naming line and column) and for a
    trace without events (naming the trace).
    """
    connection.execute(f'CREATE OR REPLACE TABLE {table} ("{row_column}" BIGINT)')
    known = {row_column}
    batch: list[dict[str, Any]] = []
    events = traces = 0

    def flush() -> None:
        if not batch:
            return
        frame = pd.DataFrame(batch, dtype=object)
        for column in frame.columns:
            if column not in known:  # a new attribute: a new text column, empty before
                escaped = str(column).replace('"', '""')
                connection.execute(f'ALTER TABLE {table} ADD COLUMN "{escaped}" VARCHAR')
                known.add(column)
        connection.register("cxmap_xes_batch", frame)
        connection.execute(f"INSERT INTO {table} BY NAME SELECT * FROM cxmap_xes_batch")
        connection.unregister("cxmap_xes_batch")
        batch.clear()

    root: ET.Element | None = None
    trace_events: list[dict[str, Any]] = []
    try:
        for action, element in ET.iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if action == "start":
                if root is None:
                    root = element
                continue
            if tag == "event":
                events += 1
                trace_events.append({row_column: events, **_attributes(element)})
                element.clear()
            elif tag == "trace":
                traces += 1
                case = {CASE_PREFIX + k: v for k, v in _attributes(element).items()}
                if not trace_events:
                    label = case.get(CASE_PREFIX + "concept:name", "")
                    raise InvalidInput(
                        name, Message("eventlog.empty_trace", {"trace": label, "n": traces})
                    )
                batch.extend(case | event for event in trace_events)
                trace_events = []
                if root is not None:
                    root.clear()  # (drop the finished trace: memory holds one batch)
                if len(batch) >= batch_events:
                    flush()
    except ET.ParseError as error:
        line, column = error.position
        problem = str(error).split(":", 1)[0]
        raise InvalidInput(
            name, Message("eventlog.bad_xml", {"problem": problem, "line": line, "column": column})
        ) from None
    flush()
    if root is None or _local(root.tag) != "log":
        where = {"problem": "no <log> element", "line": 1, "column": 1}
        raise InvalidInput(name, Message("eventlog.bad_xml", where))
    return events
