"""The Journey Map page (pages/3_Journey_Map.py) driven by Streamlit's AppTest.

Each test gets its own SQLite file (``CXMAP_DATABASE_URL``) and empty Streamlit caches, imports
what it needs through the services, opens the page with ``?map=<id>`` and reads what it shows:
the canvas is two ``st.html`` elements around the plotly emotion curve.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context
from tests.factories import journey_document

APP = PROJECT_ROOT / "app.py"
PAGE = "pages/3_Journey_Map.py"  # relative to app.py, the entry point (page links need it)
DEMOS = sorted(DEMO_DIR.glob("*.json"))
NASTY = "<img src=x onerror=alert(1)>"
CARD = re.compile(r'<div class="([^"]*)" data-touchpoint="([^"]+)"')


pytestmark = pytest.mark.usefixtures("database_url")  # a temp database per test


def run_page(map_id: int | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.switch_page(PAGE)
    if map_id is not None:
        at.query_params["map"] = str(map_id)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def canvas_markup(at: AppTest) -> str:
    """The HTML of the canvas (its two parts), without the legend."""
    parts = [h.proto.body for h in at.html if 'class="cxj"' in h.proto.body]
    assert len(parts) == 2, "the canvas is two st.html parts around the curve"
    return "".join(parts)


def touchpoint_cards(markup: str) -> dict[str, bool]:
    """Touchpoint key → whether its card is dimmed."""
    return {
        key: "cxj-dim" in classes.split()
        for classes, key in CARD.findall(markup)
        if "cxj-tp" in classes.split()
    }


def curve(at: AppTest) -> dict[str, Any]:
    """The emotion curve's plotly figure, as the page sent it."""
    charts = at.get("plotly_chart")
    assert len(charts) == 1, "one emotion curve"
    figure: dict[str, Any] = json.loads(charts[0].proto.spec)
    return figure


@pytest.mark.parametrize("path", DEMOS, ids=lambda p: p.stem)
def test_each_demo_map_draws_its_canvas(app_ctx: Context, path: Path) -> None:
    journey = services.import_file(app_ctx, path.read_bytes())
    aggregate = services.load_map(app_ctx, journey.id)

    at = run_page(journey.id)

    markup = canvas_markup(at)
    for touchpoint in aggregate.touchpoints:
        assert html.escape(touchpoint.name) in markup, touchpoint.name
    for stage in aggregate.stages:
        assert html.escape(stage.name) in markup
    assert markup.count('class="cxj-cell cxj-band') >= 5 * len(aggregate.touchpoints)
    spec = curve(at)
    names = [trace["name"] for trace in spec["data"]]
    assert names == [
        "All customers",
        *(html.escape(p.name) for p in aggregate.personas),
        "moment of truth",
    ]
    assert any(aggregate.map.name in s.value for s in at.subheader)
    assert not at.warning and not at.error


def test_no_map_selected_points_to_the_home_page() -> None:
    at = run_page()
    assert [i.value for i in at.info] == [
        "No map is selected. Pick or create a map on the home page, then come back here."
    ]
    links = at.main.get("page_link")
    assert [link.proto.label for link in links] == ["Go to the journey maps"]
    assert not at.html and not at.get("plotly_chart")


def test_an_empty_map_shows_guidance_instead_of_a_canvas(app_ctx: Context) -> None:
    blank = services.create_map(app_ctx, "Blank", with_standard_stages=True)
    at = run_page(blank.id)
    [info] = at.info
    assert "no touchpoints yet" in info.value and "Awareness" in info.value
    assert not at.html and not at.get("plotly_chart")

    empty = services.create_map(app_ctx, "Nothing at all")
    at = run_page(empty.id)
    [info] = at.info
    assert "no stages yet" in info.value


def test_persona_filter_picks_the_emotion_lines(app_ctx: Context) -> None:
    journey = services.import_document(app_ctx, journey_document(personas=3))
    at = run_page(journey.id)
    [personas] = [m for m in at.multiselect if m.label == "Emotion lines for"]
    assert [t["name"] for t in curve(at)["data"]][1:-1] == ["Persona 1", "Persona 2", "Persona 3"]

    personas.unselect(personas.value[0]).run()
    assert not at.exception
    assert [t["name"] for t in curve(at)["data"]][1:-1] == ["Persona 2", "Persona 3"]


def test_channel_and_owner_filters_dim_or_hide(app_ctx: Context) -> None:
    journey = services.import_document(app_ctx, journey_document(stages=2))
    aggregate = services.load_map(app_ctx, journey.id)
    app = [t for t in aggregate.touchpoints if t.channel == "app"]
    assert app and len(app) < len(aggregate.touchpoints)
    at = run_page(journey.id)
    [channels] = [m for m in at.multiselect if m.label == "Channels"]
    channels.select("app").run()
    assert not at.exception
    cards = touchpoint_cards(canvas_markup(at))
    assert set(cards) == {t.key for t in aggregate.touchpoints}  # dimmed, still there
    assert {k for k, dimmed in cards.items() if dimmed} == {
        t.key for t in aggregate.touchpoints if t.channel != "app"
    }

    [hide] = [t for t in at.toggle if t.label == "Hide the others"]
    hide.set_value(True).run()
    assert not at.exception
    cards = touchpoint_cards(canvas_markup(at))
    assert cards == {t.key: False for t in app}


def test_malicious_text_is_shown_escaped(app_ctx: Context) -> None:
    document = journey_document(stages=2)
    document["touchpoints"][0]["name"] = NASTY
    document["touchpoints"][0]["owner"] = NASTY
    document["pain_points"][0]["description"] = NASTY
    journey = services.import_document(app_ctx, document)
    at = run_page(journey.id)
    markup = canvas_markup(at)
    assert NASTY not in markup and markup.count(html.escape(NASTY)) >= 3
    assert NASTY not in json.dumps(curve(at))


def test_the_all_customers_line_says_how_personas_without_a_share_count(
    app_ctx: Context,
) -> None:
    document = journey_document(personas=3)
    document["personas"][0]["segment_share"] = 0.5
    for persona in document["personas"][1:]:
        persona["segment_share"] = None
    journey = services.import_file(app_ctx, json.dumps(document).encode())
    at = run_page(journey.id)
    assert (
        "All customers: a touchpoint's own emotion, else the personas' emotions weighted by "
        "their segment shares; Persona 2 and Persona 3, with no share, split the 50% the "
        "others leave (25% each)."
    ) in [c.value.replace("\\", "") for c in at.caption]
