"""Voice of the customer: reading feedback files (CSV, Excel) into text columns, within limits.

Every cell comes out as text; what each column means is decided later
(:mod:`cxmap.formats.feedback_rows` turns the mapped columns into feedback rows,
:mod:`cxmap.formats.feedback_dates` reads their dates). Also here: the identity of an import
(:func:`file_hash`) and tables written for a spreadsheet (:func:`spreadsheet_csv`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cxmap.core.config import FileLimits
from cxmap.core.errors import InvalidInput
from cxmap.formats import text_rules

MB = 1024 * 1024


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV file's bytes (or their start): UTF-8 (with or without BOM),
    UTF-16 (BOM or not), else cp1252; ValueError("binary") for bytes that are no text.

    >>> detect_encoding("naïve".encode("cp1252")), detect_encoding("naïve".encode("utf-16-le"))
    ('cp1252', 'utf-16-le')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    sample = data[:4096]
    odd_zeros, even_zeros = sample[1::2].count(0), sample[0::2].count(0)
    half = max(1, len(sample) // 2)
    # UTF-16 without a BOM: ASCII-range text has a zero in every other byte, and only there.
    if odd_zeros > half * 0.6 and even_zeros < half * 0.1:
        return "utf-16-le"
    if even_zeros > half * 0.6 and odd_zeros < half * 0.1:
        return "utf-16-be"
    if sample.count(0) > len(sample) * 0.01:  # (a stray NUL in a text is text_rules' business)
        raise ValueError("binary")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def decode_text(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 (BOM or not), else cp1252.

    >>> decode_text("naïve".encode("cp1252")), decode_text("\\ufeffnaïve".encode("utf-8"))
    ('naïve', 'naïve')
    """
    # (cp1252 fails on the 5 bytes it leaves out: UnicodeDecodeError, as for broken UTF-16)
    return _text_or_binary(data.decode(detect_encoding(data)))


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


def _too_many_rows(filename: str, what: str, found: str, limits: FileLimits) -> InvalidInput:
    """``f.csv: the file has more than 10 rows; the limit is 10 (CXMAP_MAX_FEEDBACK_ROWS)``."""
    return InvalidInput(
        filename, f"{what} {found}; the limit is {limits.rows:,} (CXMAP_MAX_FEEDBACK_ROWS)"
    )


def _too_many_columns(filename: str, what: str, columns: int, limits: FileLimits) -> InvalidInput:
    """``f.csv: the file has 12 columns; the limit is 10 (CXMAP_MAX_FEEDBACK_COLUMNS)``."""
    return InvalidInput(
        filename,
        f"{what} {columns:,} columns; the limit is {limits.columns:,} (CXMAP_MAX_FEEDBACK_COLUMNS)",
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text (comma, semicolon or tab) from its first 50 lines; comma
    when nothing tells.

    >>> sniff_delimiter("a;b\\n1;2\\n"), sniff_delimiter("one column\\n")
    (';', ',')
    """
    first_lines = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(first_lines, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _read_csv(text: str, filename: str, limits: FileLimits) -> pd.DataFrame:
    delimiter = sniff_delimiter(text)
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
        raise _too_many_columns(filename, "the file has", len(frame.columns), limits)
    if len(frame) > limits.rows:
        raise _too_many_rows(filename, "the file has", f"more than {_rows(limits.rows)}", limits)
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
        raise _too_many_rows(filename, "this workbook unpacks to", _rows(sheet.max_row - 1), limits)
    if sheet.max_column is not None and sheet.max_column > limits.columns:
        raise _too_many_columns(filename, "this workbook has", sheet.max_column, limits)
    sheet.reset_dimensions()  # read the rows that are there, not the ones the sheet states
    rows: list[list[str]] = []
    last_filled = 0
    for values in sheet.iter_rows(values_only=True):
        if len(rows) > limits.rows:  # (the header and the rows allowed are read)
            more = f"more than {_rows(limits.rows)}"
            raise _too_many_rows(filename, "this workbook has", more, limits)
        if len(values) > limits.columns:
            what = f"row {len(rows) + 1} of this workbook has"
            raise _too_many_columns(filename, what, len(values), limits)
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
