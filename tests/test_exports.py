"""Exports open in the tools people use and hold the whole map."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from cxmap.analysis import scoring
from cxmap.core.config import DEMO_DIR
from cxmap.core.records import JourneyAggregate
from cxmap.formats import excel, journey_file, mermaid

DEMOS = sorted(DEMO_DIR.glob("*.json"))

# Mermaid `journey` grammar as cxmap writes it (docs/mermaid.md): a header line, a title, then
# sections and their tasks; names never hold ": ; #" or line breaks; scores are 1…5.
TITLE = re.compile(r"^    title [^#;\n]+$")
SECTION = re.compile(r"^    section [^#:;\n]+$")
TASK = re.compile(r"^      [^#:;\n]+: [1-5]: [^#;\n,]+(, [^#;\n,]+)*$")


def demo(path: Path) -> JourneyAggregate:
    return journey_file.document_aggregate(journey_file.parse_document(path.read_bytes()))


def check_mermaid(text: str) -> list[tuple[str, str]]:
    """Validate against the grammar; return (section, task name) pairs."""
    lines = text.splitlines()
    assert lines[0] == "journey" and TITLE.match(lines[1]), lines[:2]
    tasks, section = [], None
    for line in lines[2:]:
        if SECTION.match(line):
            section = line.removeprefix("    section ")
        else:
            assert TASK.match(line) and section is not None, line
            tasks.append((section, line.strip().split(": ")[0]))
    return tasks


@pytest.mark.parametrize("path", DEMOS, ids=[p.stem for p in DEMOS])
def test_mermaid_journey_of_each_demo(path: Path) -> None:
    aggregate = demo(path)
    tasks = check_mermaid(mermaid.to_mermaid(aggregate))
    stage = {s.id: s.name for s in aggregate.stages}
    assert tasks == [(stage[t.stage_id], t.name) for t in aggregate.touchpoints]


def test_mermaid_survives_hostile_names() -> None:
    aggregate = demo(DEMOS[0])
    t = aggregate.touchpoints[0]
    nasty = [
        t.__class__(**{**t.as_dict(), "name": "Step 1: pay; #2\nnext %% comment",
                       "owner": "Sales, EMEA: #1"}),
        *aggregate.touchpoints[1:],
    ]  # fmt: skip
    text = mermaid.to_mermaid(JourneyAggregate(**{**aggregate.__dict__, "touchpoints": nasty}))
    check_mermaid(text)
    assert "      Step 1﹕ pay, №2 next % comment: " in text
    assert text.count("\n") == len(text.splitlines())


@pytest.mark.parametrize("path", DEMOS, ids=[p.stem for p in DEMOS])
def test_excel_workbook_holds_the_whole_map(path: Path) -> None:
    aggregate = demo(path)
    data = excel.to_xlsx(aggregate, scoring.analyze(aggregate))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Summary", "Personas", "Stages", "Touchpoints", "Emotions", "Pain points",
        "Opportunities", "Transitions", "Feedback",
    ]  # fmt: skip
    counts = {
        "Personas": len(aggregate.personas), "Stages": len(aggregate.stages),
        "Touchpoints": len(aggregate.touchpoints), "Emotions": len(aggregate.emotions),
        "Pain points": len(aggregate.pain_points), "Opportunities": len(aggregate.opportunities),
        "Transitions": len(aggregate.transitions), "Feedback": len(aggregate.feedback),
    }  # fmt: skip
    for sheet, n in counts.items():
        assert book[sheet].max_row == n + 1, sheet
    names = [row[2] for row in book["Touchpoints"].iter_rows(min_row=2, values_only=True)]
    assert names == [t.name for t in aggregate.touchpoints]
    assert book["Summary"]["B1"].value == aggregate.map.name


def test_excel_keeps_formula_looking_text_as_text() -> None:
    aggregate = demo(DEMOS[0])
    f = aggregate.feedback[0]
    evil = f.__class__(**{**f.as_dict(), "text": '=HYPERLINK("http://evil","click")'})
    changed = JourneyAggregate(
        **{**aggregate.__dict__, "feedback": [evil, *aggregate.feedback[1:]]}
    )
    book = openpyxl.load_workbook(io.BytesIO(excel.to_xlsx(changed, scoring.analyze(changed))))
    cell = book["Feedback"]["B2"]
    assert cell.value == '=HYPERLINK("http://evil","click")' and cell.data_type == "s"
    formulas = [
        c.coordinate for row in book["Feedback"].iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []


def test_excel_writes_numbers_as_numbers_with_their_format() -> None:
    aggregate = demo(DEMOS[0])
    analysis = scoring.analyze(aggregate)
    book = openpyxl.load_workbook(io.BytesIO(excel.to_xlsx(aggregate, analysis)))
    facts = {row[0].value: row[1] for row in book["Summary"].iter_rows(max_row=8, max_col=2)}
    completes = facts["Customers who complete"]
    assert completes.value == pytest.approx(analysis.completion, abs=1e-4)  # 0.61, not '61%'
    assert (completes.data_type, completes.number_format) == ("n", "0%")
    assert facts["Feedback rows"].value == len(aggregate.feedback)
    sheet = book["Touchpoints"]
    reach = [c.value for c in sheet[1]].index("reach")
    first = sheet.cell(row=2, column=reach + 1)
    assert isinstance(first.value, float) and first.number_format == "0%"
    csat = [c.value for c in book["Feedback"][1]].index("csat")
    cells = [row[csat] for row in book["Feedback"].iter_rows(min_row=2, values_only=True)]
    assert cells == [f.csat for f in aggregate.feedback]  # a missing CSAT is an empty cell
    assert None in cells and "None" not in cells
