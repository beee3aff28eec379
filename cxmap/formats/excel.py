"""The map as an Excel workbook: a summary sheet, then one sheet per entity.

Pure: plain records and the friction analysis in, bytes out. Text that looks like a formula
stays text (a verbatim "=HYPERLINK(…)" must never become a live formula).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cxmap.analysis import scoring, sentiment
from cxmap.core.entities import ENTITIES, Entity
from cxmap.core.messages import render, render_all
from cxmap.core.records import JourneyAggregate

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0F766E")
PERCENT = "0%"  # a share 0…1 written as a number, shown as 61%


def _sheet(
    book: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Mapping[str, str] | None = None,
) -> None:
    """One sheet: a header row, then the rows; ``formats`` gives columns (by header) a
    number format."""
    sheet = book.create_sheet(title)
    number_formats = {header.index(h) + 1: f for h, f in (formats or {}).items() if h in header}
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    widths = [len(h) for h in header]
    for row, values in enumerate(rows, start=2):  # (not sheet.max_row: it counts every row)
        sheet.append([_safe(v) for v in values])
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):
                # Text stays text: a verbatim "=HYPERLINK(…)" must never become a live formula.
                sheet.cell(row=row, column=column).data_type = "s"
                widths[column - 1] = max(widths[column - 1], min(len(value), 60))
            elif column in number_formats and isinstance(value, int | float):
                sheet.cell(row=row, column=column).number_format = number_formats[column]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(8, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        # Excel also refuses control characters; drop them rather than fail the whole export.
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    return value


def _cells(entity: Entity, record: Any, shown: Mapping[str, Mapping[int, Any]]) -> list[Any]:
    """A row's file fields as spreadsheet cells; references as ``shown`` names the rows they
    point at, empty when unset."""
    cells = []
    for file_field in entity.file_fields:
        name = entity.record_name(file_field)
        value = getattr(record, name)
        if name in entity.references:
            value = shown[entity.references[name].entity].get(value, "")
        cells.append(value)
    return cells


def _names_by_id(aggregate: JourneyAggregate) -> dict[str, dict[int, Any]]:
    """Per entity, how a reference to its rows is shown: by the row's name (by its key when
    rows of its kind have no name)."""
    shown = {}
    for entity in ENTITIES.values():
        field = "name" if "name" in entity.field_names else "key"
        if field in entity.field_names:
            shown[entity.name] = {r.id: getattr(r, field) for r in entity.rows(aggregate)}
    return shown


def to_xlsx(aggregate: JourneyAggregate, analysis: scoring.JourneyAnalysis) -> bytes:
    """A workbook: a summary sheet, then one sheet per entity; formula-like text stays text."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    m = aggregate.map
    # Numbers stay numbers (a reader can sum, sort and chart them); the format shows them.
    facts: list[tuple[str, Any, str | None]] = [
        ("Map", m.name, None),
        ("Description", m.description, None),
        ("State", m.state, None),
        ("Journey health (0-100)", round(analysis.health, 1), "0.0"),
        ("Customers who complete", round(analysis.completion, 4), PERCENT),
        ("Touchpoints", len(aggregate.touchpoints), "0"),
        ("Feedback rows", len(aggregate.feedback), "0"),
        ("Moments of truth", ", ".join(t.name for t in analysis.moments_of_truth), None),
    ]
    for label, value, number_format in facts:
        summary.append([label, _safe(value)])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        cell = summary.cell(row=summary.max_row, column=2)
        if isinstance(value, str):
            cell.data_type = "s"
        elif number_format:
            cell.number_format = number_format
    summary.append([])
    summary.append(["What to fix first", "Impact", "Friction", "Reach", "Why"])
    for cell in summary[summary.max_row]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for t in analysis.ranked()[:10]:
        summary.append(
            [_safe(t.name), t.impact, t.friction, round(t.reach, 3), render(t.explain())]
        )
        summary.cell(row=summary.max_row, column=1).data_type = "s"
        summary.cell(row=summary.max_row, column=4).number_format = PERCENT
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 40
    for column in "CDE":
        summary.column_dimensions[column].width = 14
    summary["B2"].alignment = Alignment(wrap_text=True)

    scores = analysis.by_key()
    shown = _names_by_id(aggregate)
    # Columns computed for the reader, after the entity's own fields.
    computed: dict[str, tuple[list[str], Callable[[Any], list[Any]]]] = {
        "touchpoint": (
            ["reach", "friction", "impact", "reasons"],
            lambda t: [round(scores[t.key].reach, 4), scores[t.key].friction,
                       scores[t.key].impact, "; ".join(render_all(scores[t.key].reasons))],
        ),
        "feedback": (
            ["sentiment", "sentiment label", "language"],
            lambda f: [f.sentiment, sentiment.sentiment_label(f.sentiment), f.language],
        ),
    }  # fmt: skip
    for entity in ENTITIES.values():
        extra_header, extra_values = computed.get(entity.name, ([], lambda _: []))
        _sheet(
            book,
            entity.list_name.replace("_", " ").capitalize(),
            [entity.heading(entity.record_name(f)) for f in entity.file_fields] + extra_header,
            (_cells(entity, record, shown) + extra_values(record)
             for record in entity.rows(aggregate)),
            {"reach": PERCENT},
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
