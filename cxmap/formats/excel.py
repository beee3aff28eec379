"""The map as an Excel workbook: a summary sheet, then one sheet per entity.

Pure: plain records and the friction analysis in, bytes out. Text that looks like a formula
stays text (a verbatim "=HYPERLINK(…)" must never become a live formula).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cxmap.analysis import scoring, sentiment
from cxmap.core.messages import render, render_all
from cxmap.core.records import JourneyAggregate

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0F766E")


def _sheet(
    book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    sheet = book.create_sheet(title)
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
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(8, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        # Excel also refuses control characters; drop them rather than fail the whole export.
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    return value


def to_xlsx(aggregate: JourneyAggregate, analysis: scoring.JourneyAnalysis) -> bytes:
    """A workbook: a summary sheet, then one sheet per entity; formula-like text stays text."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    m = aggregate.map
    facts = [
        ("Map", m.name),
        ("Description", m.description),
        ("State", m.state),
        ("Journey health (0-100)", round(analysis.health, 1)),
        ("Customers who complete", f"{analysis.completion:.0%}"),
        ("Touchpoints", len(aggregate.touchpoints)),
        ("Feedback rows", len(aggregate.feedback)),
        ("Moments of truth", ", ".join(t.name for t in analysis.moments_of_truth)),
    ]
    for label, value in facts:
        summary.append([label, _safe(value)])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        if isinstance(value, str):
            summary.cell(row=summary.max_row, column=2).data_type = "s"
    summary.append([])
    summary.append(["What to fix first", "Impact", "Friction", "Reach", "Why"])
    for cell in summary[summary.max_row]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for t in analysis.ranked()[:10]:
        summary.append(
            [_safe(t.name), t.impact, t.friction, round(t.reach, 3), render(t.explain())]
        )
        summary.cell(row=summary.max_row, column=1).data_type = "s"
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 40
    for column in "CDE":
        summary.column_dimensions[column].width = 14
    summary["B2"].alignment = Alignment(wrap_text=True)

    stage_name = {s.id: s.name for s in aggregate.stages}
    touch_name = {t.id: t.name for t in aggregate.touchpoints}
    persona_name = {p.id: p.name for p in aggregate.personas}
    pain_key = {p.id: p.key for p in aggregate.pain_points}
    scores = analysis.by_key()
    _sheet(
        book,
        "Personas",
        ["key", "name", "description", "goals", "needs", "motivations", "behaviors",
         "pain points", "segment share"],
        ([p.key, p.name, p.description, p.goals, p.needs, p.motivations, p.behaviors,
          p.pain_points, p.segment_share] for p in aggregate.personas),
    )  # fmt: skip
    _sheet(book, "Stages", ["key", "name", "order"],
           ([s.key, s.name, s.position] for s in aggregate.stages))  # fmt: skip
    _sheet(
        book,
        "Touchpoints",
        ["key", "stage", "name", "channel", "owner", "customer action", "thought", "emotion",
         "effort", "volume", "drop-off", "moment of truth", "reach", "friction", "impact",
         "reasons"],
        ([t.key, stage_name.get(t.stage_id, ""), t.name, t.channel, t.owner, t.customer_action,
          t.thought, t.emotion, t.effort, t.volume, t.drop_off, t.moment_of_truth,
          round(scores[t.key].reach, 4), scores[t.key].friction, scores[t.key].impact,
          "; ".join(render_all(scores[t.key].reasons))] for t in aggregate.touchpoints),
    )  # fmt: skip
    _sheet(book, "Emotions", ["touchpoint", "persona", "score", "label", "note"],
           ([touch_name[e.touchpoint_id], persona_name[e.persona_id], e.score, e.label, e.note]
            for e in aggregate.emotions))  # fmt: skip
    _sheet(book, "Pain points", ["key", "touchpoint", "description", "severity", "frequency"],
           ([p.key, touch_name[p.touchpoint_id], p.description, p.severity, p.frequency]
            for p in aggregate.pain_points))  # fmt: skip
    _sheet(
        book,
        "Opportunities",
        ["key", "touchpoint", "pain point", "title", "customer value", "business value",
         "effort", "status"],
        ([o.key, touch_name.get(o.touchpoint_id or -1, ""), pain_key.get(o.pain_point_id or -1, ""),
          o.title, o.customer_value, o.business_value, o.effort, o.status]
         for o in aggregate.opportunities),
    )  # fmt: skip
    _sheet(book, "Transitions", ["from", "to", "weight"],
           ([touch_name[t.source_id], touch_name[t.target_id], t.weight]
            for t in aggregate.transitions))  # fmt: skip
    _sheet(
        book,
        "Feedback",
        ["touchpoint", "text", "nps", "csat", "ces", "ces scale", "source", "segment", "date",
         "sentiment", "sentiment label", "language"],
        ([touch_name.get(f.touchpoint_id or -1, ""), f.text, f.nps, f.csat, f.ces, f.ces_scale,
          f.source, f.segment, f.created_at, f.sentiment, sentiment.sentiment_label(f.sentiment),
          f.language] for f in aggregate.feedback),
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
