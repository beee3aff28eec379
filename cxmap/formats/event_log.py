"""Event logs (CSV, Parquet, XES) read into DuckDB, their columns mapped to roles, checked.

Reading happens in two steps, as the feedback import does: :func:`open_event_log` loads the
file as it is into the table ``raw_events`` of an embedded DuckDB database (every column
kept, plus ``_cxmap_row``, the row or event number a message names), and
:meth:`RawEventLog.load` turns the mapped columns into the table ``events`` that discovery
reads (:mod:`cxmap.analysis.discovery`)::

    case_id VARCHAR, activity VARCHAR, ts TIMESTAMP (UTC), seq BIGINT (file order),
    channel VARCHAR, resource VARCHAR, outcome BOOLEAN, segment VARCHAR

Nothing of the log passes through Python objects except XES, which is streamed in batches
(:mod:`cxmap.formats.xes_log`). Bad input raises InvalidInput naming the file, the column and
the row (``log.csv: row 7, column 'time': 'yesterday' is not a time …``).

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "log.csv").write_text("Case ID;Activity;Timestamp\\n1;Visit;2024-01-01 10:00\\n")
52
>>> raw = open_event_log(folder / "log.csv")
>>> raw.kind, raw.headers, raw.guessed_columns().case
('csv', ['Case ID', 'Activity', 'Timestamp'], 'Case ID')
>>> log = raw.load(raw.guessed_columns())
>>> log.connection.execute("SELECT case_id, activity, ts, seq FROM events").fetchall()
[('1', 'Visit', datetime.datetime(2024, 1, 1, 10, 0), 2)]
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import duckdb

from cxmap.core.errors import InvalidInput
from cxmap.core.messages import Message
from cxmap.formats import xes_log
from cxmap.formats.feedback_file import decode_text, detect_encoding, sniff_delimiter
from cxmap.formats.feedback_rows import guess_columns

RAW_TABLE = "raw_events"
EVENTS_TABLE = "events"
ROW = "_cxmap_row"  # the number a message names: a CSV's row (header = 1), an XES event
MEMORY_LIMIT = "1GB"  # DuckDB's working memory for one log (see new_connection)
SAMPLE_BYTES = 1024 * 1024  # what is read to tell the format, the encoding and the delimiter

# Words in a header that suggest its role, strongest first (XES's standard keys first).
EVENT_COLUMN_HINTS: dict[str, tuple[str, ...]] = {
    "case": ("case:concept:name", "case id", "case_id", "caseid", "case", "session", "trace",
             "journey", "customer", "user id", "ticket", "order id"),
    "activity": ("concept:name", "activity", "event name", "event", "action", "step", "page",
                 "task", "name"),
    "timestamp": ("time:timestamp", "timestamp", "time", "date", "start", "created", "when"),
    "channel": ("channel", "medium", "device", "source", "platform"),
    "resource": ("org:resource", "resource", "agent", "employee", "user"),
    "outcome": ("outcome", "goal", "converted", "conversion", "success", "result"),
    "segment": ("segment", "persona", "cohort", "customer type", "plan", "tier"),
}  # fmt: skip
REQUIRED_ROLES = ("case", "activity", "timestamp")
TRUE_WORDS = ("true", "t", "1", "yes", "y")
FALSE_WORDS = ("false", "f", "0", "no", "n", "")
# ISO 8601's offsets: Z, +01, +0100, +01:00.
OFFSET_PATTERN = r"([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$"


@dataclass(frozen=True)
class EventColumns:
    """Which column of the file plays which role; the first three are required.

    >>> EventColumns("case", "step", "at", channel="via").as_dict()["channel"]
    'via'
    """

    case: str
    activity: str
    timestamp: str
    channel: str | None = None
    resource: str | None = None
    outcome: str | None = None
    segment: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Role → column (None where no column has the role)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class EventLog:
    """A mapped, checked log: the table ``events`` of ``connection`` (see the module)."""

    connection: duckdb.DuckDBPyConnection
    name: str
    columns: EventColumns
    cases: int
    events: int
    table: str = EVENTS_TABLE


@dataclass(frozen=True)
class RawEventLog:
    """A log file as it is, in the table ``raw_events``; ``kind`` is csv, parquet or xes."""

    connection: duckdb.DuckDBPyConnection
    name: str
    kind: str
    headers: list[str]
    types: dict[str, str]
    rows: int

    @property
    def place_code(self) -> str:
        """The message that names one of its rows: "row 7" (a table) or "event 7" (XES)."""
        return "eventlog.event" if self.kind == "xes" else "eventlog.row"

    def guesses(self) -> dict[str, str | None]:
        """The most likely column for each role, from the header names (None: no guess)."""
        return guess_columns(self.headers, EVENT_COLUMN_HINTS)

    def guessed_columns(self, **chosen: str | None) -> EventColumns:
        """The guesses with the ``chosen`` roles (case=…, channel=…) put over them; a required
        role that neither names is refused.

        Raises InvalidInput naming the role and the columns there are.
        """
        unknown = set(chosen) - set(EVENT_COLUMN_HINTS)
        if unknown:
            raise ValueError(f"no such roles: {sorted(unknown)}")
        roles = self.guesses() | {role: c for role, c in chosen.items() if c is not None}
        for role in REQUIRED_ROLES:
            if not roles[role]:
                raise InvalidInput(self.name, self._problem("eventlog.no_role", role=role))
        return EventColumns(**roles)  # type: ignore[arg-type]

    def load(self, columns: EventColumns, *, keep_raw: bool = True) -> EventLog:
        """Check the mapped columns and build the ``events`` table (replacing an earlier one);
        ``keep_raw=False`` drops ``raw_events`` after (memory, once no other mapping is tried).

        Refuses, naming the column and the first row: a column that is not there, an empty
        case id or activity, a time that cannot be read, times with and without an offset in
        one column, an outcome that is not yes/no.
        """
        for role, column in columns.as_dict().items():
            if column is not None and column not in self.types:
                raise InvalidInput(
                    self.name, self._problem("eventlog.no_column", role=role, column=column)
                )
        if self.rows == 0:
            raise InvalidInput(self.name, Message("eventlog.no_events"))
        for role in ("case", "activity"):
            self._refuse_empty(role, getattr(columns, role))
        time = self._time_expression(columns.timestamp)
        outcome = "CAST(NULL AS BOOLEAN)"
        if columns.outcome:
            outcome = self._flag_expression(columns.outcome)

        def text(column: str | None) -> str:
            return f"NULLIF(trim(CAST({quoted(column)} AS VARCHAR)), '')" if column else "NULL"

        self.connection.execute(
            f"CREATE OR REPLACE TABLE {EVENTS_TABLE} AS SELECT "
            f"trim(CAST({quoted(columns.case)} AS VARCHAR)) AS case_id, "
            f"trim(CAST({quoted(columns.activity)} AS VARCHAR)) AS activity, "
            f"{time} AS ts, CAST({ROW} AS BIGINT) AS seq, "
            f"CAST({text(columns.channel)} AS VARCHAR) AS channel, "
            f"CAST({text(columns.resource)} AS VARCHAR) AS resource, "
            f"{outcome} AS outcome, CAST({text(columns.segment)} AS VARCHAR) AS segment "
            f"FROM {RAW_TABLE} ORDER BY {ROW}"
        )
        if not keep_raw:
            self.connection.execute(f"DROP TABLE {RAW_TABLE}")
        (cases,) = self._one(f"SELECT COUNT(DISTINCT case_id) FROM {EVENTS_TABLE}")
        return EventLog(self.connection, self.name, columns, int(cases), self.rows)

    def _problem(self, code: str, role: str, **params: Any) -> Message:
        role_name = Message(f"eventlog.role.{role}")
        columns = [repr(h) for h in self.headers[:12]]
        return Message(code, {"columns": columns, "role": role_name, **params})

    def _place(self, row: int) -> Message:
        return Message(self.place_code, {"row": int(row)})

    def _one(self, sql: str) -> Any:
        return self.connection.execute(sql).fetchone()

    def _refuse_empty(self, role: str, column: str) -> None:
        found = self._one(
            f"SELECT {ROW} FROM {RAW_TABLE} WHERE {quoted(column)} IS NULL "
            f"OR trim(CAST({quoted(column)} AS VARCHAR)) = '' ORDER BY {ROW} LIMIT 1"
        )
        if found:
            message = Message(
                "eventlog.empty_value", {"place": self._place(found[0]), "column": column,
                                         "role": Message(f"eventlog.role.{role}")}
            )  # fmt: skip
            raise InvalidInput(self.name, message)

    def _time_expression(self, column: str) -> str:
        """SQL for the column's times in UTC (``TIMESTAMP``) after checking every value."""
        kind = self.types[column].upper()
        name = quoted(column)
        if kind.startswith("TIMESTAMP WITH TIME ZONE"):
            return f"CAST({name} AS TIMESTAMP)"  # (the session's zone is UTC)
        if kind.startswith(("TIMESTAMP", "DATE")):
            return f"CAST({name} AS TIMESTAMP)"  # a time without a zone is taken as UTC
        if kind != "VARCHAR":
            raise InvalidInput(
                self.name, Message("eventlog.time_type", {"column": column, "type": kind})
            )
        value = f"trim({name})"
        has_offset = f"regexp_matches({value}, '{OFFSET_PATTERN}')"
        parsed = (
            f"CASE WHEN {has_offset} THEN CAST(TRY_CAST({value} AS TIMESTAMPTZ) AS TIMESTAMP) "
            f"ELSE TRY_CAST({value} AS TIMESTAMP) END"
        )
        bad = self._one(
            f"SELECT {ROW}, {name} FROM {RAW_TABLE} WHERE {parsed} IS NULL ORDER BY {ROW} LIMIT 1"
        )
        if bad:
            place = self._place(bad[0])
            raise InvalidInput(
                self.name,
                Message("eventlog.bad_time", {"place": place, "column": column, "value": bad[1]}),
            )
        first = {
            offset: (row, raw)
            for offset, row, raw in self.connection.execute(
                f"SELECT {has_offset}, min({ROW}), arg_min({name}, {ROW}) FROM {RAW_TABLE} "
                "GROUP BY 1"
            ).fetchall()
        }
        if len(first) == 2:
            (offset_row, offset_value), (naive_row, naive_value) = first[True], first[False]
            raise InvalidInput(
                self.name,
                Message(
                    "eventlog.mixed_zones",
                    {
                        "column": column,
                        "offset_place": self._place(offset_row),
                        "offset_value": offset_value,
                        "naive_place": self._place(naive_row),
                        "naive_value": naive_value,
                    },
                ),  # fmt: skip
            )
        return parsed

    def _flag_expression(self, column: str) -> str:
        value = f"lower(trim(COALESCE(CAST({quoted(column)} AS VARCHAR), '')))"
        words = ", ".join(f"'{w}'" for w in (*TRUE_WORDS, *FALSE_WORDS))
        bad = self._one(
            f"SELECT {ROW}, {quoted(column)} FROM {RAW_TABLE} WHERE {value} NOT IN ({words}) "
            f"ORDER BY {ROW} LIMIT 1"
        )
        if bad:
            place = self._place(bad[0])
            raise InvalidInput(
                self.name,
                Message("eventlog.bad_flag", {"place": place, "column": column, "value": bad[1]}),
            )
        return f"({value} IN ({', '.join(repr(w) for w in TRUE_WORDS)}))"


def quoted(identifier: str) -> str:
    """``identifier`` as an SQL name, whatever it holds.

    >>> quoted('a"b')
    '"a""b"'
    """
    return '"' + identifier.replace('"', '""') + '"'


def new_connection(memory_limit: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB database whose session time zone is UTC (every time is stored in
    UTC; a time without an offset is taken as UTC), within ``memory_limit``.

    Past the limit DuckDB spills to a temporary folder: on the 2-core reference machine a
    1M-case log peaked at 1.4 GB without a limit and at 1.2 GB with 1 GB, and was read and
    discovered faster (10.7 s instead of 17.4 s): less memory to allocate and give back.
    """
    connection = duckdb.connect(":memory:")
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute("SET preserve_insertion_order = true")  # (file order is the tiebreak)
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    spill = Path(tempfile.gettempdir()) / "cxmap-duckdb"
    connection.execute("SET temp_directory = ?", [str(spill)])
    return connection


def open_event_log(
    path: Path | str,
    *,
    name: str | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> RawEventLog:
    """Load the log at ``path`` as it is into ``raw_events`` (a new in-memory database unless
    ``connection`` is given); the format comes from the content (XES, gzip, Parquet), else
    CSV. ``name`` (default: the path) is what messages call the file.
    """
    path = Path(path)
    name = name or str(path)
    connection = connection or new_connection()
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as error:
        raise InvalidInput(name, error.strerror or str(error)) from None
    if not sample.strip():
        raise InvalidInput(name, Message("eventlog.empty"))
    kind = log_kind(sample)
    if kind == "parquet":
        _load_parquet(connection, path, name)
    elif kind in ("xes", "xes.gz"):
        opener = gzip.open if kind == "xes.gz" else open
        with opener(path, "rb") as stream:
            xes_log.load_xes(stream, name, connection, RAW_TABLE, row_column=ROW)
        kind = "xes"
    else:
        _load_csv(connection, path, name, sample)
    described = connection.execute(f"DESCRIBE {RAW_TABLE}").fetchall()
    types = {str(row[0]): str(row[1]) for row in described if row[0] != ROW}
    (rows,) = connection.execute(f"SELECT COUNT(*) FROM {RAW_TABLE}").fetchone() or (0,)
    return RawEventLog(connection, name, kind, list(types), types, int(rows))


def log_kind(sample: bytes) -> str:
    """``parquet``, ``xes``, ``xes.gz`` or ``csv``, from the first bytes of the file.

    >>> log_kind(b"PAR1..."), log_kind(b'<?xml version="1.0"?><log>'), log_kind(b"a,b\\n")
    ('parquet', 'xes', 'csv')
    """
    if sample.startswith(b"PAR1"):
        return "parquet"
    if sample.startswith(b"\x1f\x8b"):
        return "xes.gz"
    head = sample[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<log")):
        return "xes"
    return "csv"


def _load_parquet(connection: duckdb.DuckDBPyConnection, path: Path, name: str) -> None:
    try:
        connection.execute(
            f"CREATE OR REPLACE TABLE {RAW_TABLE} AS SELECT * EXCLUDE (file_row_number), "
            f"file_row_number + 1 AS {ROW} FROM read_parquet(?, file_row_number = true)",
            [str(path)],
        )
    except duckdb.Error as error:
        raise _unreadable(name, "Parquet", error) from None


def _load_csv(connection: duckdb.DuckDBPyConnection, path: Path, name: str, sample: bytes) -> None:
    """A CSV in any of the encodings the feedback import reads, delimiter sniffed as there."""
    cut = sample
    if len(sample) == SAMPLE_BYTES:  # (the sample ends mid-file: end it at a line)
        cut = sample[: sample.rfind(b"\n") + 1] or sample
    try:
        encoding = detect_encoding(cut)
        if encoding.startswith("utf-16") and len(cut) % 2:
            cut = sample[: len(cut) + 1]
        text = decode_text(cut)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(name, Message("eventlog.binary")) from None
    source, temporary = path, None
    if encoding not in ("utf-8", "utf-8-sig"):
        # DuckDB reads UTF-8: other encodings are re-encoded into a temporary file, streamed.
        handle, temporary = tempfile.mkstemp(suffix=".csv", prefix="cxmap-log-")
        with (
            os.fdopen(handle, "w", encoding="utf-8", newline="") as out,
            path.open(encoding=encoding, errors="strict", newline="") as inp,
        ):
            try:
                while chunk := inp.read(1 << 20):
                    out.write(chunk)
            except UnicodeDecodeError:
                Path(temporary).unlink(missing_ok=True)
                raise InvalidInput(name, Message("eventlog.binary")) from None
        source = Path(temporary)
    try:
        connection.execute(
            f"CREATE OR REPLACE TABLE {RAW_TABLE} AS SELECT * FROM read_csv(?, delim = ?, "
            "header = true, all_varchar = true, quote = '\"', escape = '\"')",
            [str(source), sniff_delimiter(text)],
        )
        # A table's rowid is its insertion order, here the file's: the header is row 1.
        connection.execute(f"ALTER TABLE {RAW_TABLE} ADD COLUMN {ROW} BIGINT")
        connection.execute(f"UPDATE {RAW_TABLE} SET {ROW} = rowid + 2")
    except duckdb.Error as error:
        raise _unreadable(name, "CSV", error) from None
    finally:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def _unreadable(name: str, kind: str, error: duckdb.Error) -> InvalidInput:
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return InvalidInput(name, Message("eventlog.unreadable", {"kind": kind, "problem": first_line}))


def read_event_log(
    path: Path | str,
    chosen: Mapping[str, str | None] | None = None,
    *,
    name: str | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> EventLog:
    """:func:`open_event_log` and :meth:`RawEventLog.load` with the guessed columns, the
    ``chosen`` roles (``{"case": "Ticket", …}``) put over them; ``raw_events`` is dropped."""
    raw = open_event_log(path, name=name, connection=connection)
    return raw.load(raw.guessed_columns(**dict(chosen or {})), keep_raw=False)
