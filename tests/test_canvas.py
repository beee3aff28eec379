"""The journey canvas (cxmap/render/canvas) and its emotion curve (cxmap/render/charts/journey.py).

Pure: maps are built in memory from cxmap-journey documents, no database, no Streamlit. The HTML
is read back with the standard library's parser, so the tests see what a browser would: text
nodes (entities decoded) and attributes, and any tag a user string might have smuggled in.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cxmap.analysis import scoring
from cxmap.core.config import DEMO_DIR
from cxmap.core.messages import render_all
from cxmap.core.records import JourneyAggregate
from cxmap.formats import journey_file
from cxmap.render import canvas
from cxmap.render.charts import emotion_curve
from tests.factories import journey_document

NASTY = "<img src=x onerror=alert(1)>"
DEMOS = sorted(DEMO_DIR.glob("*.json"))


# ---------------------------------------------------------------- helpers


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None
    text: list[str] = field(default_factory=list)  # text directly inside, entities decoded

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def column(self) -> str | None:
        """The touchpoint key of the canvas cell this element sits in."""
        node: Node | None = self
        while node is not None and "cxj-cell" not in node.classes():
            node = node.parent
        return None if node is None else node.attrs.get("data-touchpoint")


class Parsed(HTMLParser):
    """Every element with its attributes and own text; the tags that were opened."""

    VOID = {"br", "img", "hr", "input", "meta", "link"}

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[Node] = []
        self.stack: list[Node] = []
        self.texts: list[str] = []
        self.in_style = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1] if self.stack else None)
        self.nodes.append(node)
        self.in_style = tag == "style"
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        if self.stack and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_style or not data.strip():
            return
        self.texts.append(data)
        if self.stack:
            self.stack[-1].text.append(data)

    def with_class(self, name: str) -> list[Node]:
        return [n for n in self.nodes if name in n.classes()]

    def text_of(self, node: Node) -> str:
        return "".join(node.text)


def document(**changes: Any) -> dict[str, Any]:
    doc = journey_document(stages=3, touchpoints_per_stage=2, personas=2)
    doc.update(changes)
    return doc


def aggregate_of(doc: dict[str, Any]) -> JourneyAggregate:
    return journey_file.document_aggregate(journey_file.parse_document(json.dumps(doc)))


def render(
    aggregate: JourneyAggregate,
    filters: canvas.CanvasFilters = canvas.NO_FILTERS,
    persona_ids: tuple[int, ...] = (),
) -> tuple[canvas.CanvasHtml, Parsed]:
    result = canvas.journey_canvas(aggregate, scoring.analyze(aggregate), filters, persona_ids)
    return result, Parsed(result.head + result.tail)


def touchpoint_cards(parsed: Parsed) -> list[Node]:
    return parsed.with_class("cxj-tp")


def card_keys(parsed: Parsed) -> list[str]:
    return [n.attrs["data-touchpoint"] for n in touchpoint_cards(parsed)]


def nasty_document() -> dict[str, Any]:
    """A map whose every user-written string is an attempt at markup."""
    doc = document()
    doc["stages"][0]["name"] = f"Stage {NASTY}"
    doc["personas"][0]["name"] = f"Persona {NASTY}"
    touchpoint = doc["touchpoints"][0]
    touchpoint.update(
        name=NASTY,
        owner=f"{NASTY}<script>alert(2)</script>",
        thought=f'"quoted" {NASTY}',
        customer_action=f"Clicks <a href='javascript:alert(3)'>here</a> {NASTY}",
        channel=f"web{NASTY}",
    )
    doc["pain_points"][0]["description"] = f"Pain {NASTY} \" ' &amp;"
    doc["opportunities"][0]["title"] = f"Fix {NASTY}"
    doc["emotions"][0]["label"] = NASTY
    return doc


# ---------------------------------------------------------------- what the canvas shows


@pytest.mark.parametrize("path", DEMOS, ids=lambda p: p.stem)
def test_every_touchpoint_name_appears_once_as_text(path: Path) -> None:
    aggregate = aggregate_of(json.loads(path.read_text(encoding="utf-8")))
    result, parsed = render(aggregate)
    names = [parsed.text_of(n) for n in parsed.with_class("cxj-name")]
    assert sorted(names) == sorted(t.name for t in aggregate.touchpoints)
    for touchpoint in aggregate.touchpoints:
        assert parsed.texts.count(touchpoint.name) == 1, touchpoint.name
        assert html.escape(touchpoint.name) in result.head


@pytest.mark.parametrize("path", DEMOS, ids=lambda p: p.stem)
def test_one_column_per_touchpoint_in_stage_order(path: Path) -> None:
    aggregate = aggregate_of(json.loads(path.read_text(encoding="utf-8")))
    result, parsed = render(aggregate)
    n = len(aggregate.touchpoints)
    assert result.columns == n
    assert result.width == canvas.LABEL_WIDTH + n * canvas.COLUMN_WIDTH
    assert f"repeat({n}, {canvas.COLUMN_WIDTH}px)" in result.head
    stage_order = {s.id: s.position for s in aggregate.stages}
    expected = [
        t.key
        for t in sorted(aggregate.touchpoints, key=lambda t: (stage_order[t.stage_id], t.position))
    ]
    assert card_keys(parsed) == expected
    # Every lane (actions, touchpoints, thoughts, pain points, opportunities) has one cell per
    # column, in the same order.
    cells = [n.attrs.get("data-touchpoint") for n in parsed.with_class("cxj-cell")]
    assert cells == expected * 5
    # Stage headers in order, each spanning its touchpoints.
    headers = parsed.with_class("cxj-stage")
    assert [h.attrs["data-stage"] for h in headers] == [s.key for s in aggregate.stages]
    spans = [int(re.findall(r"span (\d+)", h.attrs["style"])[0]) for h in headers]
    assert spans == [len(aggregate.touchpoints_in_stage(s.id)) for s in aggregate.stages]


def test_stages_follow_their_position_not_their_list_order() -> None:
    doc = document()
    doc["stages"][0]["order"], doc["stages"][2]["order"] = 3, 1  # Stage 3 first, Stage 1 last
    aggregate = aggregate_of(doc)
    reversed_stages = replace(aggregate, stages=list(reversed(aggregate.stages)))
    _, parsed = render(reversed_stages)
    assert [h.attrs["data-stage"] for h in parsed.with_class("cxj-stage")] == ["s3", "s2", "s1"]
    assert card_keys(parsed) == ["t5", "t6", "t3", "t4", "t1", "t2"]


def test_a_stage_without_touchpoints_keeps_a_column() -> None:
    doc = document()
    doc["stages"].append({"key": "s4", "name": "Loyalty", "order": 4})
    result, parsed = render(aggregate_of(doc))
    assert result.columns == 7
    assert [parsed.text_of(n) for n in parsed.with_class("cxj-empty")] == ["No touchpoints yet"]
    assert "no touchpoints yet" in [parsed.text_of(n) for n in parsed.with_class("cxj-stage-meta")]


def test_user_text_is_escaped_everywhere() -> None:
    aggregate = aggregate_of(nasty_document())
    result, parsed = render(aggregate, persona_ids=tuple(p.id for p in aggregate.personas))
    markup = result.head + result.tail
    assert NASTY not in markup and "<script" not in markup and "<a " not in markup
    assert html.escape(NASTY) in markup
    # What a browser builds: no element a user wrote, no event handler, no link.
    assert {n.tag for n in parsed.nodes} <= {"div", "span", "style"}
    assert not [k for n in parsed.nodes for k in n.attrs if k.startswith("on") or k == "href"]
    # Shown literally, as text: name, owner, thought, action, pain point, opportunity, stage.
    texts = "\n".join(parsed.texts)
    for shown in (
        NASTY,
        f"{NASTY}<script>alert(2)</script>",
        f'“"quoted" {NASTY}”',
        f"Pain {NASTY} \" ' &amp;",
        f"Fix {NASTY}",
        f"Stage {NASTY}",
        f"Persona {NASTY}",
    ):
        assert shown in texts, shown
    # And in tooltips, as plain attribute values.
    titles = [n.attrs["title"] for n in parsed.nodes if "title" in n.attrs]
    assert any(t.startswith(f"{NASTY}\nChannel: web{NASTY}") for t in titles)
    assert any(t.startswith(f"Pain {NASTY} \" ' &amp;\nSeverity") for t in titles)


def test_nothing_is_loaded_from_elsewhere() -> None:
    result, _ = render(aggregate_of(nasty_document()))
    markup = (result.head + result.tail + canvas.legend_html()).lower()
    for reference in ("http:", "https:", "//", "url(", "@import", "src=", "<link", "<script"):
        assert reference not in markup.replace(html.escape(NASTY).lower(), ""), reference


def test_long_text_is_clamped_with_the_full_text_in_a_tooltip() -> None:
    doc = document()
    long_action = "Reads every clause of the contract " * 12
    doc["touchpoints"][0]["customer_action"] = long_action
    _, parsed = render(aggregate_of(doc))
    [cell] = [
        n
        for n in parsed.nodes
        if n.attrs.get("title") == long_action and "cxj-cell" in n.attrs.get("class", "")
    ]
    [clamped] = [n for n in parsed.with_class("cxj-clamp5") if parsed.text_of(n) == long_action]
    assert cell and clamped


def test_channel_icons_and_owner_tags() -> None:
    doc = document()
    channels = ["web", "app", "phone", "store", "email", "carrier pigeon"]
    for touchpoint, channel in zip(doc["touchpoints"], channels, strict=True):
        touchpoint["channel"] = channel
    _, parsed = render(aggregate_of(doc))
    icons = [parsed.text_of(n) for n in parsed.with_class("cxj-icon")]
    assert icons == ["🌐", "📱", "📞", "🏬", "✉️", "•"]
    owners = [parsed.text_of(n) for n in parsed.with_class("cxj-owner")]
    assert owners == [t["owner"] for t in doc["touchpoints"]]


def test_moments_of_truth_found_by_the_model_are_starred() -> None:
    aggregate = aggregate_of(document())
    analysis = scoring.analyze(aggregate)
    found = {t.key for t in analysis.moments_of_truth}
    flagged = {t.key for t in aggregate.touchpoints if t.moment_of_truth}
    assert found - flagged, "the example needs a moment of truth the team did not flag"
    _, parsed = render(aggregate)
    badges = parsed.with_class("cxj-mot")
    assert {b.column() for b in badges} == found
    assert all(parsed.text_of(b) == "★ MoT" for b in badges)
    reasons = {t.key: "; ".join(render_all(t.reasons)) for t in analysis.moments_of_truth}
    assert all(b.attrs["title"] == f"Moment of truth: {reasons[b.column() or '']}" for b in badges)
    highlighted = {c.column() for c in parsed.with_class("cxj-card-mot")}
    assert highlighted == found


# ---------------------------------------------------------------- pain and opportunity chips


@pytest.mark.parametrize(
    ("severity", "frequency", "score", "background", "text"),
    [
        (1, 1, 1, "#fef9c3", "#3f2a04"),  # minor: 1–4
        (2, 2, 4, "#fef9c3", "#3f2a04"),
        (1, 5, 5, "#fed7aa", "#431407"),  # moderate: 5–9
        (3, 3, 9, "#fed7aa", "#431407"),
        (2, 5, 10, "#fca5a5", "#450a0a"),  # serious: 10–15
        (5, 3, 15, "#fca5a5", "#450a0a"),
        (4, 4, 16, "#b91c1c", "#ffffff"),  # severe: 16–25, white text
        (5, 5, 25, "#b91c1c", "#ffffff"),
    ],
)
def test_pain_chip_colour_follows_severity_times_frequency(
    severity: int, frequency: int, score: int, background: str, text: str
) -> None:
    doc = document()
    doc["pain_points"] = [
        {
            "key": "pp1",
            "touchpoint": "t2",
            "description": "Waits on hold",
            "severity": severity,
            "frequency": frequency,
        }
    ]
    doc["opportunities"] = []
    _, parsed = render(aggregate_of(doc))
    [chip] = parsed.with_class("cxj-pain")
    assert chip.attrs["data-score"] == str(score)
    assert f"background:{background};" in chip.attrs["style"]
    assert f"color:{text}" in chip.attrs["style"]
    band = canvas.pain_colour(score).name
    assert chip.attrs["title"] == (
        f"Waits on hold\nSeverity {severity} × frequency {frequency} = {score} ({band})"
    )
    assert chip.column() == "t2"


def test_pain_chips_worst_first_and_the_rest_summed_up() -> None:
    doc = document()
    doc["pain_points"] = [
        {
            "key": f"pp{i}",
            "touchpoint": "t1",
            "description": f"Problem {i}",
            "severity": i,
            "frequency": i,
        }
        for i in range(1, 6)
    ]
    doc["opportunities"] = []
    _, parsed = render(aggregate_of(doc))
    chips = parsed.with_class("cxj-pain")
    assert [c.attrs["data-score"] for c in chips] == ["25", "16", "9", "4"]
    [more] = parsed.with_class("cxj-more")
    assert parsed.text_of(more) == "+1 more" and more.attrs["title"] == "• Problem 1"


def test_opportunity_chips_show_their_status_and_follow_their_pain_point() -> None:
    doc = document()
    doc["opportunities"] = [
        {
            "key": "o1",
            "touchpoint": "t1",
            "pain_point": None,
            "title": "Live chat",
            "status": "done",
        },
        {
            "key": "o2",
            "touchpoint": None,
            "pain_point": "pp3",
            "title": "Shorter form",
            "status": "planned",
        },
        {
            "key": "o3",
            "touchpoint": None,
            "pain_point": None,
            "title": "Loyalty scheme",
            "status": "idea",
        },
    ]
    _, parsed = render(aggregate_of(doc))
    chips = parsed.with_class("cxj-opp")
    # o2 hangs on pain point pp3, which is at touchpoint t3.
    assert [c.column() for c in chips] == ["t1", "t3"]
    statuses = [parsed.text_of(n) for n in parsed.with_class("cxj-status")]
    assert statuses == ["✓ done", "planned"]
    titles = [n.attrs["title"] for n in parsed.with_class("cxj-opp")]
    assert titles[0].startswith("Live chat\nStatus: done")
    assert titles[1].startswith("Shorter form\nStatus: planned")
    [loose] = parsed.with_class("cxj-loose")
    assert "Loyalty scheme" in parsed.text_of(loose)


# ---------------------------------------------------------------- filters


def test_filters_dim_the_touchpoints_that_do_not_match() -> None:
    aggregate = aggregate_of(document())
    channels = {t.key: t.channel for t in aggregate.touchpoints}
    owners = {t.key: t.owner for t in aggregate.touchpoints}
    filters = canvas.CanvasFilters(channels=("web", "app"))
    result, parsed = render(aggregate, filters)
    assert card_keys(parsed) == [t.key for t in aggregate.touchpoints]  # nothing left out
    dimmed = {n.attrs["data-touchpoint"] for n in parsed.with_class("cxj-dim")}
    assert dimmed == {k for k, c in channels.items() if c not in ("web", "app")}
    assert result.columns == len(aggregate.touchpoints)

    both = canvas.CanvasFilters(channels=("web", "app", "phone"), owners=("Sales",))
    _, parsed = render(aggregate, both)
    lit = {
        n.attrs["data-touchpoint"]
        for n in touchpoint_cards(parsed)
        if "cxj-dim" not in n.attrs["class"]
    }
    assert lit == {
        k for k in channels if channels[k] in ("web", "app", "phone") and owners[k] == "Sales"
    }


def test_filters_can_hide_the_others_instead() -> None:
    aggregate = aggregate_of(document())
    owners = {t.key: t.owner for t in aggregate.touchpoints}
    stage_of = {t.key: t.stage_id for t in aggregate.touchpoints}
    filters = canvas.CanvasFilters(owners=("Sales",), hide_others=True)
    result, parsed = render(aggregate, filters)
    kept = [k for k in owners if owners[k] == "Sales"]
    assert card_keys(parsed) == kept
    assert not parsed.with_class("cxj-dim")
    # Stages left without a touchpoint keep one empty column, saying why.
    empty_stages = {s.id for s in aggregate.stages} - {stage_of[k] for k in kept}
    assert result.columns == len(kept) + len(empty_stages)
    notes = [parsed.text_of(n) for n in parsed.with_class("cxj-empty")]
    assert notes == ["2 hidden by the filter"] * len(empty_stages)
    assert f"repeat({result.columns}, " in result.head


def test_no_filter_dims_nothing() -> None:
    _, parsed = render(aggregate_of(document()), canvas.CanvasFilters(hide_others=True))
    assert not parsed.with_class("cxj-dim") and len(card_keys(parsed)) == 6


# ---------------------------------------------------------------- the emotion curve


def curve_aggregate() -> JourneyAggregate:
    doc = document()
    # Persona 2 has no score at t4: its line has a gap there.
    doc["emotions"] = [
        e for e in doc["emotions"] if not (e["touchpoint"] == "t4" and e["persona"] == "p2")
    ]
    return aggregate_of(doc)


def test_curve_has_one_line_per_persona_and_one_for_all_customers() -> None:
    aggregate = curve_aggregate()
    analysis = scoring.analyze(aggregate)
    p1, p2 = aggregate.personas
    figure = emotion_curve(aggregate, analysis, [p1.id, p2.id])
    lines = [t for t in figure.data if "lines" in (t.mode or "")]
    assert [t.name for t in lines] == [canvas.ALL_CUSTOMERS, p1.name, p2.name]
    assert [t.name for t in figure.data if t.mode == "markers"] == ["moment of truth"]

    only_second = emotion_curve(aggregate, analysis, [p2.id])
    assert [t.name for t in only_second.data if "lines" in (t.mode or "")] == [
        canvas.ALL_CUSTOMERS,
        p2.name,
    ]
    nobody = emotion_curve(aggregate, analysis, [])
    assert [t.name for t in nobody.data] == [canvas.ALL_CUSTOMERS, "moment of truth"]


def test_a_persona_without_scores_says_so_in_the_legend() -> None:
    aggregate = curve_aggregate()
    p1, p2 = aggregate.personas
    aggregate = dataclasses.replace(
        aggregate, emotions=[e for e in aggregate.emotions if e.persona_id != p2.id]
    )
    figure = emotion_curve(aggregate, scoring.analyze(aggregate), [p1.id, p2.id])
    assert [t.name for t in figure.data if "lines" in (t.mode or "")][1:] == [
        p1.name,
        f"{p2.name} (no scores)",
    ]


def test_curve_y_values_are_the_scores() -> None:
    aggregate = curve_aggregate()
    analysis = scoring.analyze(aggregate)
    p1, p2 = aggregate.personas
    figure = emotion_curve(aggregate, analysis, [p1.id, p2.id])
    scores = {(e.touchpoint_id, e.persona_id): e.score for e in aggregate.emotions}
    order = [t.id for t in aggregate.touchpoints]
    by_name = {t.name: t for t in figure.data}
    assert list(by_name[p1.name].y) == [scores[(t, p1.id)] for t in order]
    assert list(by_name[p2.name].y) == [scores.get((t, p2.id)) for t in order]
    assert list(by_name[p2.name].y)[3] is None  # the gap at t4 ...
    assert by_name[p2.name].connectgaps is False  # ... drawn as a gap, not a line across it
    # All customers: the model's emotion per touchpoint (here the touchpoint's own score).
    assert list(by_name[canvas.ALL_CUSTOMERS].y) == [t.emotion for t in aggregate.touchpoints]
    assert list(by_name[canvas.ALL_CUSTOMERS].x) == list(range(6))
    assert figure.layout.yaxis.ticktext == ("😠", "😟", "😐", "🙂", "😄")
    assert figure.layout.yaxis.tickvals == (-2, -1, 0, 1, 2)


def test_curve_marks_the_moments_of_truth_at_their_columns() -> None:
    aggregate = curve_aggregate()
    analysis = scoring.analyze(aggregate)
    figure = emotion_curve(aggregate, analysis, [])
    [stars] = [t for t in figure.data if t.name == "moment of truth"]
    column = {t.key: i for i, t in enumerate(aggregate.touchpoints)}
    expected = sorted(column[t.key] for t in analysis.moments_of_truth)
    assert list(stars.x) == expected and expected
    assert stars.marker.symbol == "star"
    emotion = {t.key: t.emotion for t in analysis.touchpoints}
    keys = sorted((t.key for t in analysis.moments_of_truth), key=column.__getitem__)
    assert list(stars.y) == [emotion[k] for k in keys]


def test_curve_lines_up_with_the_canvas_columns() -> None:
    aggregate = curve_aggregate()
    analysis = scoring.analyze(aggregate)
    filters = canvas.CanvasFilters(owners=("Sales",), hide_others=True)
    result = canvas.journey_canvas(aggregate, analysis, filters)
    figure = emotion_curve(aggregate, analysis, [], filters=filters, show_legend=False)
    assert figure.layout.width == result.width
    assert figure.layout.margin.l == canvas.LABEL_WIDTH and figure.layout.margin.r == 0
    low, high = figure.layout.xaxis.range
    assert (low, high) == (-0.5, result.columns - 0.5)
    assert figure.layout.xaxis.fixedrange and figure.layout.yaxis.fixedrange
    columns = canvas.layout_columns(aggregate, filters)
    expected_x = [i for i, c in enumerate(columns) if c.touchpoint is not None]
    assert list(figure.data[0].x) == expected_x
    # Plot height and margins put each score where the label panel draws its face.
    assert figure.layout.height == canvas.EMOTION_HEIGHT
    assert figure.layout.margin.t == canvas.EMOTION_MARGIN == figure.layout.margin.b


def test_curve_dims_the_columns_outside_the_filter() -> None:
    aggregate = curve_aggregate()
    filters = canvas.CanvasFilters(channels=("web",))
    figure = emotion_curve(aggregate, scoring.analyze(aggregate), [], filters=filters)
    veils = [s for s in figure.layout.shapes if s.layer == "above"]
    outside = [i for i, t in enumerate(aggregate.touchpoints) if t.channel != "web"]
    assert sorted(round(s.x0 + 0.5) for s in veils) == outside


def test_curve_escapes_persona_and_touchpoint_names() -> None:
    aggregate = aggregate_of(nasty_document())
    analysis = scoring.analyze(aggregate)
    figure = emotion_curve(aggregate, analysis, [p.id for p in aggregate.personas])
    dumped = json.dumps(figure.to_plotly_json(), default=str)
    assert NASTY not in dumped
    assert html.escape(f"Persona {NASTY}") in [t.name for t in figure.data]
    assert html.escape(NASTY) in figure.data[0].customdata[0][0]


def test_curve_of_an_empty_map_says_so() -> None:
    doc = document(
        touchpoints=[], emotions=[], pain_points=[], opportunities=[], transitions=[], feedback=[]
    )
    aggregate = aggregate_of(doc)
    figure = emotion_curve(aggregate, scoring.analyze(aggregate), [])
    assert [a.text for a in figure.layout.annotations] == ["No touchpoints to show"]
    assert copy.deepcopy(figure).layout.width == canvas.LABEL_WIDTH + 3 * canvas.COLUMN_WIDTH
