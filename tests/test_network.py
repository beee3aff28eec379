"""The journey network page (cxmap/network.py): offline, escaped, and true to the analysis."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cxmap.analysis import scoring
from cxmap.core import examples
from cxmap.core.records import JourneyAggregate
from cxmap.formats import journey_file
from cxmap.render import network
from cxmap.render.charts import friction_colour
from tests.factories import journey_document

NASTY_NAME = "<img src=x onerror=alert(1)>"
NASTY_OWNER = "<a href=javascript:alert(1)>x</a>"
NASTY_STAGE = "<script>alert('stage')</script>"


def aggregate_of(document: dict[str, Any]) -> JourneyAggregate:
    return journey_file.document_aggregate(journey_file.parse_document(json.dumps(document)))


def page_of(aggregate: JourneyAggregate) -> tuple[str, scoring.JourneyAnalysis]:
    analysis = scoring.analyze(aggregate)
    return network.network_html(aggregate, analysis), analysis


def data_set(page: str, name: str) -> list[dict[str, Any]]:
    """The nodes or edges the page hands to vis-network, as data."""
    found = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", page)
    assert found, f"no {name} data set in the page"
    items: list[dict[str, Any]] = json.loads(found.group(1))
    return items


@pytest.fixture(scope="module")
def nasty() -> tuple[str, scoring.JourneyAnalysis]:
    document = journey_document(stages=3, touchpoints_per_stage=2)
    document["touchpoints"][0]["name"] = NASTY_NAME
    document["touchpoints"][0]["owner"] = NASTY_OWNER
    document["touchpoints"][0]["moment_of_truth"] = True
    document["stages"][0]["name"] = NASTY_STAGE
    return page_of(aggregate_of(document))


def test_the_page_fetches_nothing_from_the_network(nasty: tuple[str, Any]) -> None:
    page, _ = nasty
    assert network.external_resources(page) == []
    # The same check written out, independently of the helper.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*https?://""", page, re.IGNORECASE)
    assert "bootstrap" not in page.lower()
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    # vis-network itself is inlined: the page draws with nothing else.
    assert "vis.Network" in page and len(page) > 400_000


def test_user_text_reaches_the_page_only_escaped(nasty: tuple[str, Any]) -> None:
    page, _ = nasty
    for raw in (NASTY_NAME, NASTY_OWNER, NASTY_STAGE, "onerror=alert(1)>", "<a href"):
        assert raw not in page
    nodes = {str(n["id"]): n for n in data_set(page, "nodes")}
    first = nodes["1"]
    # The canvas label is drawn as text (fillText, no markup parsed): the name as typed. In the
    # page source it is a JSON string with "<" written as \u003c.
    assert first["label"] == NASTY_NAME
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert (
        '"multi": false' in page and "multi: 'html'" not in page and '"multi": "html"' not in page
    )
    # The hover card: HTML built here, every user string escaped.
    assert "&lt;img src=x onerror=alert(1)&gt;" in first["tooltip"]
    assert "&lt;a href=javascript:alert(1)&gt;x&lt;/a&gt;" in first["tooltip"]
    assert "&lt;script&gt;alert(&#x27;stage&#x27;)&lt;/script&gt;" in first["tooltip"]
    assert "<img" not in first["tooltip"] and "<a " not in first["tooltip"]
    assert nodes["stage-1"]["label"] == NASTY_STAGE and "multi" not in nodes["stage-1"]["font"]
    for edge in data_set(page, "edges"):
        assert "<img" not in edge["tooltip"]
    # pyvis's "href" tooltip mode sets innerHTML from raw titles: it must never be switched on.
    assert not any("title" in n for n in nodes.values())
    assert "popup.innerHTML" not in page


def test_nodes_follow_friction_reach_and_moments_of_truth() -> None:
    aggregate = aggregate_of(journey_document(stages=4, touchpoints_per_stage=3))
    page, analysis = page_of(aggregate)
    nodes = {n["id"]: n for n in data_set(page, "nodes") if isinstance(n["id"], int)}
    assert len(nodes) == len(aggregate.touchpoints)
    scores = {t.id: t for t in analysis.touchpoints}
    for node_id, node in nodes.items():
        score = scores[node_id]
        assert node["color"]["background"] == friction_colour(score.friction)
        assert node["friction"] == score.friction
        assert node["size"] == network.node_size(score.reach)
        assert node["shape"] == ("star" if score.moment_of_truth else "dot")
        assert node["borderWidth"] == (3 if score.moment_of_truth else 1)
    assert any(n["shape"] == "star" for n in nodes.values()), "the sample has moments of truth"
    by_reach = sorted(nodes.values(), key=lambda n: n["reach"])
    assert [n["size"] for n in by_reach] == sorted(n["size"] for n in by_reach)
    assert by_reach[0]["size"] < by_reach[-1]["size"]
    # Columns by stage: every touchpoint of a stage shares its x, stages left to right.
    xs = {t.stage_id: nodes[t.id]["x"] for t in aggregate.touchpoints}
    assert [xs[s.id] for s in aggregate.stages] == sorted(xs.values())
    assert all(nodes[t.id]["x"] == xs[t.stage_id] for t in aggregate.touchpoints)


def test_edges_are_as_wide_as_their_probability() -> None:
    aggregate = examples.demo_chain()
    page, _ = page_of(aggregate)
    edges = {(e["from"], e["to"]): e for e in data_set(page, "edges")}
    assert set(edges) == {(1, 2), (2, 3)}
    # 20% drop off at t1: 80% go on to t2, everyone at t2 goes on to t3.
    assert edges[1, 2]["width"] == pytest.approx(1 + 7 * 0.8)
    assert edges[2, 3]["width"] == pytest.approx(8.0)
    assert all(e["arrows"] == "to" for e in edges.values())
    assert "80% of the customers here go on this way" in edges[1, 2]["tooltip"]


@pytest.mark.parametrize(
    ("friction", "colour"),
    [(0, "#249e57"), (50, "#eb980a"), (100, "#ce2222"), (-5, "#249e57"), (140, "#ce2222")],
)
def test_friction_colour_scale(friction: float, colour: str) -> None:
    assert friction_colour(friction) == colour


def test_a_map_without_touchpoints_still_makes_a_page() -> None:
    aggregate = aggregate_of(journey_document(stages=2, touchpoints_per_stage=0))
    page, _ = page_of(aggregate)
    assert data_set(page, "nodes") == [] and network.external_resources(page) == []


def test_two_thousand_touchpoints() -> None:
    document = journey_document(
        stages=20,
        touchpoints_per_stage=100,
        personas=1,
        feedback_per_touchpoint=0,
        transitions_per_touchpoint=5,
    )
    aggregate = aggregate_of(document)
    page, _ = page_of(aggregate)
    nodes = data_set(page, "nodes")
    assert sum(isinstance(n["id"], int) for n in nodes) == 2000
    assert len(data_set(page, "edges")) == len(aggregate.transitions)
    assert '"physics": {"enabled": false' in page
