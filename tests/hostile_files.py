"""Hostile and oversized input files, generated (never committed), and a way to run the command
line while measuring its peak memory; for tests/test_hostile_files.py and
benchmarks/bench_hostile_files.py.

An xlsx is a zip of XML files. openpyxl would take minutes to write a 3-million-row workbook,
so the bombs are written by hand: the few parts a workbook needs, and the sheet's XML streamed
into the zip at the highest compression.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

_OOXML = "http://schemas.openxmlformats.org"
_TYPE = "application/vnd.openxmlformats"
_RELATION = f"{_OOXML}/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Types xmlns="{_OOXML}/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_TYPE}-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    f'ContentType="{_TYPE}-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_TYPE}-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{_OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{_OOXML}/spreadsheetml/2006/main" xmlns:r="{_RELATION}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{_OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATION}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def write_xlsx(path: Path, rows: Iterable[str], dimension: str | None, level: int = 1) -> Path:
    """A one-sheet workbook whose sheet XML holds ``rows`` (``<row>…</row>`` strings, written as
    they come, so any number fits in little memory), stating ``dimension`` (``A1:B3000001``) or
    none; ``level`` is the deflate level (1 is fast; 9 packs repeated text up to 1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            batch: list[str] = []
            size = 0
            for row in rows:
                batch.append(row)
                size += len(row)
                if size > MB:
                    sheet.write("".join(batch).encode())
                    batch, size = [], 0
            sheet.write("".join(batch).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def row_bomb(
    path: Path, rows: int = 3_000_000, *, distinct: bool = False, stated: bool = True
) -> Path:
    """A workbook of ``rows`` rows below its header (NPS and a comment each), stating its
    dimension (``stated``) or not. Comments are all alike (fast to write, a small file) unless
    ``distinct``: then each has a token of its own, as real text would, and 3 M rows make a
    file of about 25 MB."""
    header = f"<row>{_inline('NPS')}{_inline('Comment')}</row>"
    if distinct:
        tokens = random.Random(20)
        body: Iterable[str] = (
            f"<row><c><v>{n % 11}</v></c>{_inline(f'Comment {tokens.getrandbits(32):x}')}</row>"
            for n in range(rows)
        )
    else:
        body = (f"<row><c><v>9</v></c>{_inline('Comment')}</row>" for _ in range(rows))
    dimension = f"A1:B{rows + 1}" if stated else None
    return write_xlsx(path, itertools.chain([header], body), dimension)


def dense_bomb(path: Path, unpacked_mb: int = 2048, level: int = 1) -> Path:
    """A small workbook that unpacks to ``unpacked_mb`` MB: rows as wide as a sheet allows,
    every cell the same number, no dimension stated (level 9: 2 GB in about 2 MB)."""
    cell = "<c><v>1</v></c>"
    row = "<row>" + cell * 16_384 + "</row>"
    return write_xlsx(path, (row for _ in range(unpacked_mb * MB // len(row))), None, level)


def survey_csv(path: Path, rows: int, cells: Mapping[tuple[int, str], str] = {}) -> Path:  # noqa: B006
    """A CSV of ``rows`` rows (NPS, Comment, Source), with ``cells`` ({(row index, column):
    text}) put in quotes where given."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("NPS,Comment,Source\n")
        for number in range(rows):
            values = {"NPS": str(number % 11), "Comment": f"Comment {number}", "Source": "survey"}
            for (index, column), text in cells.items():
                if index == number:
                    values[column] = '"' + text.replace('"', '""') + '"'
            out.write(",".join(values.values()) + "\n")
    return path


def survey_xlsx(path: Path, rows: int) -> Path:
    """A real workbook (openpyxl's write-only mode) of ``rows`` survey rows."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["NPS", "Comment", "Source"])
    for number in range(rows):
        sheet.append([number % 11, f"Comment {number}: the router came late", "survey"])
    book.save(path)
    return path


def journey_file(path: Path, document: Mapping[str, object]) -> Path:
    """``document`` as a journey file, written as JSON escapes (``\\ud800`` stays an escape)."""
    path.write_text(json.dumps(document), encoding="ascii")
    return path


@dataclass(frozen=True)
class Run:
    """One run of the command line: exit status, output, seconds and peak resident memory."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


# Runs ARGS as its child and writes "<exit status> <peak RSS in kB>" of that child to a file.
# The command runs as a grandchild of this small launcher, not of the test process: a forked
# child's peak memory counts what it inherited before exec, and an xdist worker that drove a
# browser holds hundreds of MB.
_LAUNCHER = """
import os, subprocess, sys, threading
report, timeout, *command = sys.argv[1:]
child = subprocess.Popen(command)
watchdog = threading.Timer(float(timeout), child.kill)
watchdog.start()
_, status, usage = os.wait4(child.pid, 0)
watchdog.cancel()
with open(report, "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_cxmap(
    *args: str, database_url: str, env: Mapping[str, str] | None = None, timeout: float = 300
) -> Run:
    """``python -m cxmap ARGS`` in a child process on ``database_url``, measured: its own peak
    resident memory (``wait4``'s resource usage of that one process, started from a small
    launcher) and wall-clock seconds. A run still going after ``timeout`` seconds is killed
    (exit status -9)."""
    environment = {**os.environ, "CXMAP_DATABASE_URL": database_url, **(env or {})}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "usage"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(report), str(timeout),
             sys.executable, "-m", "cxmap", *args],
            cwd=ROOT, env=environment, stdout=out, stderr=err, check=True,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        returncode, peak_kb = (int(part) for part in report.read_text().split())
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in kilobytes on Linux (bytes on macOS).
        scale = 1 if sys.platform == "darwin" else 1024
        return Run(
            returncode,
            out.read().decode("utf-8", "backslashreplace"),
            err.read().decode("utf-8", "backslashreplace"),
            seconds,
            peak_kb * scale / MB,
        )
