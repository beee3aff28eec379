"""XES event logs (IEEE 1849) streamed into a DuckDB table, a batch of events at a time.

A trace's ``concept:name`` is the case (column ``case:concept:name``, as other XES tools name
it); an event's ``concept:name`` is the activity, ``time:timestamp`` its time, ``org:resource``
who did it. Every other attribute is kept as a text column: an event's under its key, a
trace's as ``case:KEY``. Nested attributes (lists, containers) and the ``global`` defaults are
not read: an event without an activity is refused by the mapping, not given a default.

The file is fed in chunks to an XML parser whose target takes each element as it starts and
ends (no element tree is built), so memory holds one batch (``BATCH_EVENTS`` events), never
the log; a batch is appended to DuckDB with ``INSERT … BY NAME``.

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


CHUNK_BYTES = 1 << 20
NESTING_TAGS = ATTRIBUTE_TAGS | {"list", "container", "values"}


class _Collector:
    """The parser's target: events with their trace's attributes, in batches to ``flush``."""

    def __init__(self, name: str, row_column: str, batch_events: int, flush: Any) -> None:
        self.name, self.row_column = name, row_column
        self.batch_events, self.flush = batch_events, flush
        self.batch: list[dict[str, str | int]] = []
        self.trace: dict[str, str | int] | None = None
        self.trace_events: list[dict[str, str | int]] = []
        self.event: dict[str, str | int] | None = None
        self.nested = 0  # depth inside an attribute: its children are meta-attributes
        self.events = self.traces = 0
        self.saw_log = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        local = tag[tag.rfind("}") + 1 :]
        if local in NESTING_TAGS:
            if not self.nested and local in ATTRIBUTE_TAGS and "key" in attrib:
                value = attrib.get("value", "")
                if self.event is not None:
                    self.event[attrib["key"]] = value
                elif self.trace is not None:
                    self.trace[CASE_PREFIX + attrib["key"]] = value
            self.nested += 1
        elif local == "event" and self.trace is not None:
            self.events += 1
            self.event = {self.row_column: self.events}
        elif local == "trace":
            self.trace, self.trace_events = {}, []
        elif local == "log":
            self.saw_log = True

    def end(self, tag: str) -> None:
        local = tag[tag.rfind("}") + 1 :]
        if local in NESTING_TAGS:
            self.nested -= 1
        elif local == "event" and self.event is not None:
            self.trace_events.append(self.event)
            self.event = None
        elif local == "trace" and self.trace is not None:
            self.traces += 1
            if not self.trace_events:
                label = self.trace.get(CASE_PREFIX + "concept:name", "")
                raise InvalidInput(
                    self.name, Message("eventlog.empty_trace", {"trace": label, "n": self.traces})
                )
            self.batch.extend(self.trace | event for event in self.trace_events)
            self.trace, self.trace_events = None, []
            if len(self.batch) >= self.batch_events:
                self.flush(self.batch)
                self.batch = []

    def close(self) -> None:
        """(The parser's end of input: nothing to return.)"""


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

    def flush(batch: list[dict[str, Any]]) -> None:
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

    collector = _Collector(name, row_column, batch_events, flush)
    parser = ET.XMLParser(target=collector)
    try:
        while chunk := stream.read(CHUNK_BYTES):
            parser.feed(chunk)
        parser.close()
    except ET.ParseError as error:
        line, column = error.position
        problem = str(error).split(":", 1)[0]
        raise InvalidInput(
            name, Message("eventlog.bad_xml", {"problem": problem, "line": line, "column": column})
        ) from None
    flush(collector.batch)
    if not collector.saw_log:
        where = {"problem": "no <log> element", "line": 1, "column": 1}
        raise InvalidInput(name, Message("eventlog.bad_xml", where))
    return collector.events
