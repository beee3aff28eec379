"""Voice of the customer: reading feedback files (CSV, Excel), mapping and checking columns.

Language detection and VADER scoring live in ``cxmap.analysis.sentiment`` (light enough for worker
processes to import).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxmap.core.config import FileLimits
from cxmap.core.errors import InvalidInput
from cxmap.core.messages import Message
from cxmap.formats import text_rules

# ---------------------------------------------------------------- reading feedback files

COLUMN_ROLES = (
    "text", "nps", "csat", "ces", "date", "source", "touchpoint", "persona", "sentiment",
    "channel",
)  # fmt: skip
# Words in a header that suggest its role, strongest first.
HEADER_HINTS: dict[str, tuple[str, ...]] = {
    "text": ("verbatim", "comment", "feedback", "review", "text", "message", "response", "why"),
    "nps": ("nps", "recommend", "ltr", "likelihood"),
    "csat": ("csat", "satisf", "rating", "stars"),
    "ces": ("ces", "effort", "easy", "ease"),
    "date": ("date", "created", "submitted", "timestamp", "time", "when"),
    "source": ("source", "origin", "platform"),
    "touchpoint": ("touchpoint", "touch point", "interaction", "step"),
    "persona": ("persona", "segment"),
    "sentiment": ("sentiment", "polarity", "tone"),
    "channel": ("channel", "medium", "via"),
}
# A pre-scored sentiment column may hold labels; they are stored as these compound scores.
SENTIMENT_LABELS = {"positive": 0.5, "neutral": 0.0, "negative": -0.5}
MB = 1024 * 1024


def decode_text(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 (BOM or not), else cp1252.

    >>> decode_text("naïve".encode("cp1252")), decode_text("\\ufeffnaïve".encode("utf-8"))
    ('naïve', 'naïve')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _text_or_binary(data.decode("utf-16"))
    if data.startswith(b"\xef\xbb\xbf"):
        return _text_or_binary(data[3:].decode("utf-8", errors="strict"))
    sample = data[:4096]
    odd_zeros, even_zeros = sample[1::2].count(0), sample[0::2].count(0)
    half = max(1, len(sample) // 2)
    # UTF-16 without a BOM: ASCII-range text has a zero in every other byte, and only there.
    if odd_zeros > half * 0.6 and even_zeros < half * 0.1:
        return _text_or_binary(data.decode("utf-16-le"))
    if even_zeros > half * 0.6 and odd_zeros < half * 0.1:
        return _text_or_binary(data.decode("utf-16-be"))
    if sample.count(0) > len(sample) * 0.01:  # (a stray NUL in a text is text_rules' business)
        raise ValueError("binary")
    try:
        return _text_or_binary(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _text_or_binary(data.decode("cp1252"))  # fails on the 5 bytes cp1252 leaves out


def _text_or_binary(text: str) -> str:
    sample = text[:4096]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r")
    if controls > len(sample) * 0.01:
        raise ValueError("binary")
    return text


def read_feedback_file(data: bytes, filename: str, limits: FileLimits | int) -> pd.DataFrame:
    """A survey, review or social export (CSV with , ; or tab, or .xlsx) as text columns.

    Every cell is a string (empty for blanks), so nothing is guessed before the user maps
    columns. Raises InvalidInput naming the file and what is wrong. ``limits`` (or just the
    largest size in bytes, the other limits at their defaults) bound what is read: a file
    beyond one is refused naming the limit and its setting, an xlsx before it is unpacked.

    >>> read_feedback_file(b"Comment\\nok\\nfine\\n", "f.csv", FileLimits(rows=1))
    Traceback (most recent call last):
    ...
    cxmap.core.errors.InvalidInput: f.csv: the file has more than 1 row; the limit is 1 (CXMAP_MAX_FEEDBACK_ROWS)
    """  # noqa: E501
    limits = limits if isinstance(limits, FileLimits) else FileLimits(bytes=limits)
    max_bytes = limits.bytes
    if len(data) > max_bytes:
        raise InvalidInput(
            filename,
            f"the file is {len(data) / 1024 / 1024:.1f} MB, more than the "
            f"{max_bytes / 1024 / 1024:.0f} MB limit (CXMAP_MAX_FEEDBACK_MB raises it)",
        )
    if not data.strip():
        raise InvalidInput(filename, "the file is empty")
    if data.startswith(b"PK\x03\x04"):
        frame = _read_excel(data, filename, limits)
    else:
        try:
            text = decode_text(data)
        except (ValueError, UnicodeDecodeError):
            raise InvalidInput(
                filename, "this is not a CSV or Excel file (it looks binary)"
            ) from None
        frame = _read_csv(text, filename, limits)
    frame.columns = [str(c).strip() or f"column {i + 1}" for i, c in enumerate(frame.columns)]
    for number, header in enumerate(frame.columns, start=1):
        text_rules.check_text(header, f"{filename}: column {number} (header)")
    if frame.empty:
        raise InvalidInput(filename, "the file has a header but no rows")
    _check_cell_lengths(frame, filename, limits.cell_chars)
    return frame


def _check_cell_lengths(frame: pd.DataFrame, filename: str, most: int) -> None:
    """Refuse the first cell longer than ``most`` characters, naming its row and column."""
    for position, header in enumerate(frame.columns):
        lengths = frame.iloc[:, position].str.len().to_numpy()  # (headers may repeat)
        too_long = np.flatnonzero(lengths > most)
        if too_long.size:
            index = int(too_long[0])
            raise InvalidInput(
                filename,
                f"row {index + 2}, column {header!r}: {int(lengths[index]):,} characters; the "
                f"limit is {most:,} per cell (CXMAP_MAX_CELL_CHARS)",
            )


def _too_many(what: str, found: str, limit: int, variable: str) -> str:
    """``the file has 12 columns; the limit is 10 (CXMAP_…)``."""
    return f"{what} {found}; the limit is {limit:,} ({variable})"


def _read_csv(text: str, filename: str, limits: FileLimits) -> pd.DataFrame:
    first_lines = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(first_lines, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=False,
            nrows=limits.rows + 1,  # one more than allowed: enough to tell there are too many
        )
    except pd.errors.ParserError as error:
        raise InvalidInput(filename, f"cannot be read as CSV: {error}".splitlines()[0]) from None
    except pd.errors.EmptyDataError:
        raise InvalidInput(filename, "the file has no columns") from None
    if not isinstance(frame.index, pd.RangeIndex):
        # Every row has more fields than the header: pandas would quietly take the first
        # column as row labels and shift every other column under the wrong header.
        fields = len(next(csv.reader(io.StringIO(text.split("\n", 2)[1]), delimiter=delimiter)))
        raise InvalidInput(
            filename,
            f"line 2 has {fields} fields but the header has {len(frame.columns)}: is there a "
            f"{_delimiter_name(delimiter)} inside a text that is not in quotes?",
        )
    if len(frame.columns) > limits.columns:
        raise InvalidInput(
            filename,
            _too_many("the file has", f"{len(frame.columns):,} columns", limits.columns,
                      "CXMAP_MAX_FEEDBACK_COLUMNS"),
        )  # fmt: skip
    if len(frame) > limits.rows:
        raise InvalidInput(
            filename,
            _too_many("the file has", f"more than {_rows(limits.rows)}", limits.rows,
                      "CXMAP_MAX_FEEDBACK_ROWS"),
        )  # fmt: skip
    return frame


def _rows(n: int) -> str:
    return f"{n:,} row{'' if n == 1 else 's'}"


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))


def _read_excel(data: bytes, filename: str, limits: FileLimits) -> pd.DataFrame:
    """The first sheet of a workbook, read within ``limits`` whatever the workbook claims.

    An xlsx is a zip of XML files: a small one can unpack to gigabytes ("zip bomb"). So the
    sizes its members unpack to are added up before anything is unpacked (zipfile never
    unpacks more than a member's stated size), the sheet's stated dimension is checked before
    its rows are read, and the rows are streamed (openpyxl's read-only mode), stopping at the
    row limit, since the dimension may be missing or wrong.
    """
    import openpyxl  # (here: only xlsx files need it)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise InvalidInput(filename, f"cannot be read as an Excel workbook ({error})") from None
    if unpacked > limits.unpacked_bytes:
        raise InvalidInput(
            filename,
            f"this workbook unpacks to {unpacked / MB:,.0f} MB; the limit is "
            f"{limits.unpacked_bytes / MB:,.0f} MB (CXMAP_MAX_XLSX_UNPACKED_MB)",
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return _first_sheet(book.worksheets[0], filename, limits)
        finally:
            book.close()
    except InvalidInput:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise InvalidInput(filename, f"cannot be read as an Excel workbook ({error})") from None


def _first_sheet(sheet: Any, filename: str, limits: FileLimits) -> pd.DataFrame:
    if sheet.max_row is not None and sheet.max_row - 1 > limits.rows:
        raise InvalidInput(
            filename,
            _too_many("this workbook unpacks to", _rows(sheet.max_row - 1), limits.rows,
                      "CXMAP_MAX_FEEDBACK_ROWS"),
        )  # fmt: skip
    if sheet.max_column is not None and sheet.max_column > limits.columns:
        raise InvalidInput(
            filename,
            _too_many("this workbook has", f"{sheet.max_column:,} columns", limits.columns,
                      "CXMAP_MAX_FEEDBACK_COLUMNS"),
        )  # fmt: skip
    sheet.reset_dimensions()  # read the rows that are there, not the ones the sheet states
    rows: list[list[str]] = []
    last_filled = 0
    for values in sheet.iter_rows(values_only=True):
        if len(rows) > limits.rows:  # (the header and the rows allowed are read)
            raise InvalidInput(
                filename,
                _too_many("this workbook has", f"more than {_rows(limits.rows)}", limits.rows,
                          "CXMAP_MAX_FEEDBACK_ROWS"),
            )  # fmt: skip
        if len(values) > limits.columns:
            raise InvalidInput(
                filename,
                _too_many(f"row {len(rows) + 1} of this workbook has", f"{len(values):,} columns",
                          limits.columns, "CXMAP_MAX_FEEDBACK_COLUMNS"),
            )  # fmt: skip
        row = [_cell_text(value) for value in values]
        while row and not row[-1]:
            row.pop()
        rows.append(row)
        if row:
            last_filled = len(rows)
    rows = rows[:last_filled]  # trailing empty rows are formatting, not data
    if not rows:
        raise InvalidInput(filename, "the file has no columns")
    width = max(len(row) for row in rows)
    header = _unique_headers([*rows[0], *[""] * (width - len(rows[0]))])
    body = [row + [""] * (width - len(row)) for row in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=object)


def _unique_headers(headers: list[str]) -> list[str]:
    """Headers as pandas reads them: blank ones named by position, repeated ones numbered.

    >>> _unique_headers(["NPS", "", "NPS", "NPS"])
    ['NPS', 'Unnamed: 1', 'NPS.1', 'NPS.2']
    """
    seen: Counter[str] = Counter()
    result = []
    for index, header in enumerate(headers):
        name = header.strip() or f"Unnamed: {index}"
        if seen[name]:
            name = f"{name}.{seen[name]}"
        seen[header.strip() or f"Unnamed: {index}"] += 1
        result.append(name)
    return result


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def guess_columns(headers: Sequence[str]) -> dict[str, str | None]:
    """The most likely column for each role, from the header names (None when nothing fits).

    >>> guess = guess_columns(["Response ID", "How likely to recommend?", "Comment", "Date"])
    >>> guess["nps"], guess["text"], guess["date"], guess["csat"]
    ('How likely to recommend?', 'Comment', 'Date', None)
    """
    taken: set[str] = set()
    result: dict[str, str | None] = {}
    for role in COLUMN_ROLES:
        result[role] = None
        for hint in HEADER_HINTS[role]:
            match = next(
                (h for h in headers if h not in taken and re.search(rf"\b{hint}", h.lower())),
                None,
            )
            if match is not None:
                result[role] = match
                taken.add(match)
                break
    return result


@dataclass(frozen=True)
class RowProblem:
    """A value that cannot be imported: file row number (header = row 1), column, value, why."""

    row: int
    column: str
    value: str
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.problem}"


@dataclass(frozen=True)
class KeywordRule:
    """Link rows whose text matches ``pattern`` (a regular expression) to a touchpoint."""

    pattern: str
    touchpoint_id: int


@dataclass
class ParsedFeedback:
    """Rows ready to store (values per Feedback column) and what could not be used."""

    rows: list[dict[str, Any]]
    problems: list[RowProblem]
    unmatched: Counter[str]
    rows_in_file: int
    # Touchpoint-column values still unlinked after the keyword rules, and rows each rule linked.
    still_unlinked: Counter[str] = field(default_factory=Counter)
    linked_by_rule: Counter[str] = field(default_factory=Counter)
    # Characters that cannot be stored (NUL, lone surrogates) replaced with U+FFFD in verbatims.
    replaced_characters: int = 0

    def problems_table(self) -> pd.DataFrame:
        """The problems as a table: row, column, value and what is wrong with it."""
        return pd.DataFrame(
            [(p.row, p.column, p.value, p.problem) for p in self.problems],
            columns=["row", "column", "value", "problem"],
        )


SCORE_RANGES = {"nps": (0, 10), "csat": (1, 5)}

# A date written with numbers only, day and month in either order: 03/04/2024, 3.4.24 10:30.
_NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}(?:\D|$)"
# A date that starts with its year (2024-03-04, 2024/03/04 10:00) is year-month-day whatever
# order the rest of the column uses (dateutil's day-first would read it year-day-month).
_YEAR_FIRST = r"^\s*\d{4}\D"


class AmbiguousDates(InvalidInput):
    """Every numeric date of a column fits both orders (03/04/2024): a person must say which.

    ``column`` is the header, ``example`` a value and ``row`` its file row (header = row 1).
    """

    def __init__(self, column: str, example: str, row: int) -> None:
        self.column, self.example, self.row = column, example, row
        super().__init__(
            "",
            Message("feedback.dates_ambiguous", {"column": column, "value": example, "row": row}),
        )


def date_order(values: pd.Series, column: str) -> str | None:
    """How a date column writes day and month: ``"dayfirst"`` when a value needs it (13/04),
    ``"monthfirst"`` when a value needs that (04/13), ``"either"`` when every value fits both
    (03/04), None when nothing depends on it (ISO dates, 03/03). The order is one per column:
    a column needing both is an InvalidInput naming it and a row of each.

    >>> date_order(pd.Series(["03/04/2024", "13/04/2024"]), "Date")
    'dayfirst'
    >>> date_order(pd.Series(["03/04/2024", ""]), "Date"), date_order(pd.Series(["2024-03-04"]), "D")
    ('either', None)
    >>> date_order(pd.Series(["13/04/2024", "04/13/2024"]), "Date")
    Traceback (most recent call last):
    ...
    cxmap.core.errors.InvalidInput: column 'Date' has dates with the day first (row 2: '13/04/2024') and with the month first (row 3: '04/13/2024'): use one order in the whole column
    """  # noqa: E501
    parts = values.reset_index(drop=True).astype(str).str.extract(_NUMERIC_DATE)
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    day_first = (first > 12) & (second <= 12)
    month_first = (second > 12) & (first <= 12)
    texts = values.astype(str).tolist()
    if day_first.any() and month_first.any():
        day_row = int(day_first.to_numpy().argmax())
        month_row = int(month_first.to_numpy().argmax())
        raise InvalidInput(
            "",
            Message(
                "feedback.dates_both_orders",
                {
                    "column": column,
                    "day_row": day_row + 2,
                    "day_value": texts[day_row],
                    "month_row": month_row + 2,
                    "month_value": texts[month_row],
                },
            ),  # fmt: skip
        )
    if day_first.any():
        return "dayfirst"
    if month_first.any():
        return "monthfirst"
    if ((first <= 12) & (second <= 12) & (first != second)).any():
        return "either"
    return None


def ambiguous_example(values: pd.Series) -> tuple[str, int] | None:
    """A value of an ``"either"`` column that fits both orders, and its file row.

    >>> ambiguous_example(pd.Series(["2024-01-01", "03/04/2024"]))
    ('03/04/2024', 3)
    """
    parts = values.reset_index(drop=True).astype(str).str.extract(_NUMERIC_DATE)
    first, second = pd.to_numeric(parts[0]), pd.to_numeric(parts[1])
    fits_both = ((first <= 12) & (second <= 12) & (first != second)).to_numpy()
    if not fits_both.any():
        return None
    index = int(fits_both.argmax())
    return str(values.iloc[index]), index + 2


def parse_dates(values: pd.Series, column: str, *, dayfirst: bool | None = None) -> pd.Series:
    """A column of dates as UTC timestamps (NaT for blanks and values that are not dates).

    The order of day and month is decided for the whole column (:func:`date_order`);
    ``dayfirst`` settles a column whose values fit either order, else :class:`AmbiguousDates`
    is raised. Values with an offset are converted to UTC, each with its own offset (a column
    spanning a daylight-saving change has two); values without one are taken as UTC. A column
    mixing both is an InvalidInput naming it and a row of each.

    >>> parse_dates(pd.Series(["2024-03-09T10:00-05:00", "2024-03-11T10:00-04:00"]), "Date")
    0   2024-03-09 15:00:00+00:00
    1   2024-03-11 14:00:00+00:00
    dtype: datetime64[us, UTC]
    >>> parse_dates(pd.Series(["03/04/2024", "13/04/2024"]), "Date").dt.date.tolist()
    [datetime.date(2024, 4, 3), datetime.date(2024, 4, 13)]
    >>> parse_dates(pd.Series(["03/04/2024"]), "Date", dayfirst=False).dt.date.tolist()
    [datetime.date(2024, 3, 4)]
    """
    values = values.reset_index(drop=True).astype(str).str.strip()
    order = date_order(values, column)
    if order == "either":
        if dayfirst is None:
            example = ambiguous_example(values)
            assert example is not None  # "either" means some value fits both orders
            raise AmbiguousDates(column, *example)
        day_first = dayfirst
    else:
        day_first = order == "dayfirst"
    year_first = values.str.contains(_YEAR_FIRST, regex=True).to_numpy()
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    has_offset = pd.Series(None, index=values.index, dtype="boolean")
    for part, part_day_first in ((year_first, False), (~year_first, day_first)):
        if part.any():
            parsed, offset = _utc_and_offset(values[part], part_day_first)
            result[part] = parsed.astype("datetime64[us, UTC]")
            has_offset[part] = offset
    with_offset = has_offset.fillna(False).to_numpy(dtype=bool)
    without_offset = (~has_offset).fillna(False).to_numpy(dtype=bool)
    if with_offset.any() and without_offset.any():
        offset_row, naive_row = int(with_offset.argmax()), int(without_offset.argmax())
        raise InvalidInput(
            "",
            Message(
                "feedback.dates_offset_and_none",
                {
                    "column": column,
                    "offset_row": offset_row + 2,
                    "offset_value": values[offset_row],
                    "naive_row": naive_row + 2,
                    "naive_value": values[naive_row],
                },
            ),  # fmt: skip
        )
    return result


def _utc_and_offset(values: pd.Series, dayfirst: bool) -> tuple[pd.Series, pd.Series]:
    """Values parsed and converted to UTC, and whether each had an offset (NA: not a date)."""
    options: dict[str, Any] = {"errors": "coerce", "format": "mixed", "dayfirst": dayfirst}
    try:
        parsed = pd.to_datetime(values, **options)
        offset = pd.Series(parsed.dt.tz is not None, index=values.index, dtype="boolean")
        parsed = parsed.dt.tz_convert("UTC") if parsed.dt.tz else parsed.dt.tz_localize("UTC")
    except ValueError:  # "Mixed timezones detected": several offsets, or offsets and none
        parsed = pd.to_datetime(values, utc=True, **options)
        offsets = {value: _has_offset(value, dayfirst) for value in values.unique()}
        offset = values.map(offsets).astype("boolean")
    return parsed, offset.where(parsed.notna(), pd.NA)


def _has_offset(value: str, dayfirst: bool) -> bool | None:
    moment = pd.to_datetime(value, errors="coerce", dayfirst=dayfirst)
    return None if pd.isna(moment) else moment.tzinfo is not None


def parse_feedback(
    frame: pd.DataFrame,
    columns: Mapping[str, str | None],
    *,
    touchpoints: Sequence[tuple[int, str, str]] = (),
    rules: Sequence[KeywordRule] = (),
    ces_scale: int = 7,
    default_source: str = "",
    dayfirst: bool | None = None,
    value_links: Mapping[str, int | None] | None = None,
) -> ParsedFeedback:
    """Turn a file's rows into feedback rows, checking every value (vectorised: fast at 100k).

    ``columns`` maps roles (COLUMN_ROLES) to header names. ``touchpoints`` are (id, key, name):
    the touchpoint column matches keys or names, case-insensitively, then ``value_links``
    (a file value, any case → touchpoint id, None: left unlinked); rows still unlinked are
    tried against the keyword ``rules`` in order. A row with a bad value is left out and
    reported; a row with neither text nor a score is left out silently. Dates are read as
    :func:`parse_dates` says (``dayfirst`` settles a column whose values fit either order).
    Text that cannot be stored (:mod:`cxmap.formats.text_rules`) is a bad value, except in
    the verbatims: there it is replaced with U+FFFD and counted (``replaced_characters``).

    >>> frame = pd.DataFrame({"Comment": ["ok\\x00", "fine"], "Source": ["web", "\\x00"]})
    >>> parsed = parse_feedback(frame, {"text": "Comment", "source": "Source"})
    >>> [r["text"] for r in parsed.rows], parsed.replaced_characters, str(parsed.problems[0])
    (['ok�'], 1, "row 3, column 'Source': source: holds a NUL character (U+0000) at character 1, which cannot be stored")
    """  # noqa: E501
    for role, header in columns.items():
        if header is not None and header not in frame.columns:
            raise InvalidInput(role, f"the file has no column {header!r}")
    text_rules.check_text(default_source, "source")
    frame = frame.reset_index(drop=True)  # every column below is aligned by position
    n = len(frame)
    problems: list[RowProblem] = []
    bad = np.zeros(n, dtype=bool)

    def column(role: str) -> pd.Series | None:
        header = columns.get(role)
        return None if header is None else frame[header].astype(str).str.strip()

    scores: dict[str, pd.Series] = {}
    for role in ("nps", "csat", "ces"):
        raw = column(role)
        if raw is None:
            scores[role] = pd.Series([None] * n, dtype=object)
            continue
        low, high = SCORE_RANGES.get(role, (1, ces_scale))
        numbers = pd.to_numeric(raw.str.replace(",", ".", regex=False), errors="coerce")
        given = raw != ""
        wrong = given & (numbers.isna() | (numbers % 1 != 0) | (numbers < low) | (numbers > high))
        raw_list, number_list = raw.tolist(), numbers.tolist()
        for index in np.flatnonzero(wrong.to_numpy()).tolist():
            value, number = raw_list[index], number_list[index]
            problem = (
                f"{value!r} is not a whole number"
                if math.isnan(number) or number % 1
                else f"{value} is outside {low}…{high}"
            )
            problems.append(RowProblem(index + 2, str(columns[role]), value, f"{role}: {problem}"))
        bad |= wrong.to_numpy()
        scores[role] = numbers.where(given & ~wrong).astype(object).where(given & ~wrong, None)

    dates = pd.Series([None] * n, dtype=object)
    raw_dates = column("date")
    if raw_dates is not None:
        header = str(columns["date"])
        parsed = parse_dates(raw_dates, header, dayfirst=dayfirst)
        wrong = (raw_dates != "") & parsed.isna()
        date_list = raw_dates.tolist()
        for index in np.flatnonzero(wrong.to_numpy()).tolist():
            value = date_list[index]
            problems.append(RowProblem(index + 2, header, value, f"date: {value!r} is not a date"))
        bad |= wrong.to_numpy()
        dates = parsed.dt.date.astype(object).where(parsed.notna(), None)

    sentiments = pd.Series([None] * n, dtype=object)
    raw_sentiment = column("sentiment")
    if raw_sentiment is not None:
        lowered = raw_sentiment.str.lower()
        numbers = pd.to_numeric(raw_sentiment.str.replace(",", ".", regex=False), errors="coerce")
        numbers = numbers.where(numbers.notna(), lowered.map(SENTIMENT_LABELS))
        wrong = (raw_sentiment != "") & (numbers.isna() | (numbers < -1) | (numbers > 1))
        sentiment_list = raw_sentiment.tolist()
        for index in np.flatnonzero(wrong.to_numpy()).tolist():
            value = sentiment_list[index]
            problems.append(
                RowProblem(
                    index + 2,
                    str(columns["sentiment"]),
                    value,
                    f"sentiment: {value!r} is not a score from -1 to 1 or "
                    "positive / neutral / negative",
                )
            )
        bad |= wrong.to_numpy()
        sentiments = numbers.astype(object).where(numbers.notna() & ~wrong, None)

    for role in ("source", "persona", "channel", "touchpoint"):
        raw = column(role)
        if raw is None:
            continue
        wrong = raw.str.contains(text_rules.UNSTORABLE, regex=True)
        raw_list = raw.tolist()
        for index in np.flatnonzero(wrong.to_numpy()).tolist():
            value = raw_list[index]
            problem = f"{role}: {text_rules.text_problem(value)}"
            problems.append(RowProblem(index + 2, str(columns[role]), value, problem))
        bad |= wrong.to_numpy()

    texts = column("text")
    texts = texts if texts is not None else pd.Series([""] * n)
    replaced = 0
    unstorable = texts.str.contains(text_rules.UNSTORABLE, regex=True)
    if unstorable.any():
        fixed = texts[unstorable].map(text_rules.replace_unstorable)
        replaced = sum(count for _, count in fixed)
        texts = texts.where(~unstorable, fixed.str[0])
    sources = column("source")
    sources = sources if sources is not None else pd.Series([default_source] * n)
    segments = column("persona")
    segments = segments if segments is not None else pd.Series([""] * n)
    channels = column("channel")
    channels = channels if channels is not None else pd.Series([""] * n)

    linked = pd.Series([None] * n, dtype=object)
    unmatched: Counter[str] = Counter()
    linked_by_rule: Counter[str] = Counter()
    raw_touchpoints = column("touchpoint")
    if raw_touchpoints is not None and touchpoints:
        lookup = {}
        for tp_id, key, name in touchpoints:
            lookup[name.strip().lower()] = tp_id
            lookup[key.strip().lower()] = tp_id
        known_ids = {tp_id for tp_id, _, _ in touchpoints}
        for value, linked_id in (value_links or {}).items():
            if linked_id in known_ids:  # (None, or a touchpoint deleted since: no link)
                lookup.setdefault(value.strip().lower(), linked_id)
        lowered = raw_touchpoints.str.lower()
        linked = lowered.map(lookup).astype(object).where(lowered.isin(lookup.keys()), None)
        unmatched.update(raw_touchpoints[(raw_touchpoints != "") & linked.isna()].tolist())
    for rule in rules:
        try:
            compiled = re.compile(rule.pattern, re.IGNORECASE)
        except re.error as error:
            raise InvalidInput(
                "keyword rule", f"{rule.pattern!r} is not a valid pattern ({error})"
            ) from None
        open_rows = linked.isna()
        hits = open_rows & texts.str.contains(compiled, regex=True)
        linked_by_rule[rule.pattern] += int(hits.sum())
        linked = linked.where(~hits, rule.touchpoint_id)

    empty = (texts == "") & scores["nps"].isna() & scores["csat"].isna() & scores["ces"].isna()
    keep = ~bad & ~empty.to_numpy()
    rows = []
    seen: Counter[str] = Counter()
    kept_columns = zip(
        linked[keep].tolist(),
        texts[keep].tolist(),
        map(_int_or_none, scores["nps"][keep].tolist()),
        map(_int_or_none, scores["csat"][keep].tolist()),
        map(_int_or_none, scores["ces"][keep].tolist()),
        (str(v)[:200] for v in sources[keep].tolist()),
        (str(v)[:200] for v in segments[keep].tolist()),
        dates[keep].tolist(),
        sentiments[keep].tolist(),
        (str(v)[:200] for v in channels[keep].tolist()),
        strict=True,
    )
    for (
        touchpoint_id, text, nps, csat, ces, source, segment, created_at, score, channel,
    ) in kept_columns:  # fmt: skip
        content = "\x1f".join(
            (text, str(nps), str(csat), str(ces), source, segment, str(created_at))
        )
        if channel:  # (only then: rows of files imported before channels keep their identity)
            content += f"\x1f{channel}"
        seen[content] += 1
        # Identical rows in one file stay distinct (occurrence number), yet a second import of
        # the same file gives the same fingerprints and adds nothing.
        fingerprint = hashlib.sha256(f"{content}\x1e{seen[content]}".encode()).hexdigest()
        rows.append(
            {
                "touchpoint_id": touchpoint_id,
                "text": text,
                "nps": nps,
                "csat": csat,
                "ces": ces,
                "ces_scale": ces_scale,
                "source": source,
                "segment": segment,
                "created_at": created_at,
                "sentiment": score,
                "channel": channel,
                "fingerprint": fingerprint,
            }
        )
    problems.sort(key=lambda p: (p.row, p.column))
    still_unlinked: Counter[str] = Counter()
    if raw_touchpoints is not None and touchpoints:
        still_unlinked.update(raw_touchpoints[(raw_touchpoints != "") & linked.isna()].tolist())
    return ParsedFeedback(
        rows, problems, unmatched, n, still_unlinked, linked_by_rule, replaced_characters=replaced
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy safe to open in a spreadsheet: text that starts like a formula gets a leading
    apostrophe, so ``=HYPERLINK(…)`` shows as text instead of running (CSV/formula injection).

    >>> neutralised(pd.DataFrame({"c": ["=1+1", "fine", "-2 stars", 3]}))["c"].tolist()
    ["'=1+1", 'fine', "'-2 stars", 3]
    """

    def safe(value: object) -> object:
        if isinstance(value, str) and value.startswith(FORMULA_START):
            return "'" + value
        return value

    return frame.map(safe)


def spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV for a spreadsheet: :func:`neutralised`, with a byte-order mark so Excel
    reads Persian and Arabic correctly.

    >>> spreadsheet_csv(pd.DataFrame({"c": ["=1+1"]}))
    b"\\xef\\xbb\\xbfc\\n'=1+1\\n"
    """
    return neutralised(frame).to_csv(index=False).encode("utf-8-sig")


def file_hash(data: bytes, columns: Mapping[str, str | None], extra: object = None) -> str:
    """Identity of one import: the file's bytes with the column mapping (and rules) used."""
    digest = hashlib.sha256(data)
    digest.update(repr((sorted(columns.items(), key=str), extra)).encode())
    return digest.hexdigest()
