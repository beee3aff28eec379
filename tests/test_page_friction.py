"""The Friction page (pages/4_Friction.py) driven by Streamlit's AppTest.

Each test gets its own SQLite file (``CXMAP_DATABASE_URL``) and empty Streamlit caches, imports
maps through the services, opens the page with ``?map=<id>`` and checks what a user sees and
what ends up in the database. No test may end with an exception on the page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.analysis import scoring
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context
from cxmap.core.messages import render
from cxmap.core.records import MapRecord
from tests.factories import journey_document

APP = PROJECT_ROOT / "app.py"
PAGE = "pages/4_Friction.py"  # relative to app.py, the entry point (page links need it)
DEMOS = sorted(DEMO_DIR.glob("*.json"))
HEALTH = "Journey health"
WHAT_IF_HEALTH = "Health with these changes"
MD_NASTY = "**Loud** <img src=x onerror=alert(1)>"


pytestmark = pytest.mark.usefixtures("database_url")  # a temp database per test


def import_map(ctx: Context, document: dict[str, Any] | Path) -> MapRecord:
    data = document.read_bytes() if isinstance(document, Path) else json.dumps(document).encode()
    return services.import_file(ctx, data)


def run_page(map_id: int | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page(PAGE)
    if map_id is not None:
        at.query_params["map"] = str(map_id)
    at.run()
    assert_no_exception(at)
    return at


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, f"one metric {label!r} expected, found {len(values)}"
    return values[0]


def widget(widgets: Any, label: str) -> Any:
    found = [w for w in widgets if w.label == label]
    assert len(found) == 1, f"one widget {label!r} expected, found {len(found)}"
    return found[0]


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("demo", DEMOS, ids=lambda p: p.stem)
def test_each_demo_map_shows_its_health_and_what_to_fix_first(app_ctx: Context, demo: Path) -> None:
    journey = import_map(app_ctx, demo)
    expected = services.analyze_map(app_ctx, journey.id)
    at = run_page(journey.id)

    assert metric(at, HEALTH) == f"{expected.health:.0f}/100"
    assert metric(at, "Customers who complete") == f"{expected.completion:.0%}"
    assert metric(at, "Moments of truth") == str(len(expected.moments_of_truth))
    first = expected.ranked()[0]
    table = at.dataframe[0].value
    assert table["Touchpoint"].iloc[0] == first.name
    assert table["Why"].iloc[0] == render(first.explain())
    assert list(table["Touchpoint"]) == [t.name for t in expected.ranked()]
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert chart["data"][0]["y"][0] == f"1. {first.name}"
    # Moments of truth as cards with their reasons; both paths written out.
    text = markdown_text(at)
    for moment in expected.moments_of_truth:
        assert moment.name.replace(" ", "") in text.replace("\\", "").replace(" ", "")
    names = {t.key: t.name for t in expected.touchpoints}
    likely = " → ".join(names[k] for k in expected.most_likely_path)
    assert likely.replace(" ", "") in text.replace("\\", "").replace(" ", "")
    assert len(at.get("iframe")) == 1, "the journey network"
    assert not at.warning


def test_a_rerun_of_an_unchanged_map_recomputes_nothing(
    app_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    calls: list[int] = []
    real = scoring.analyze

    def counting(*args: Any, **kwargs: Any) -> scoring.JourneyAnalysis:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(scoring, "analyze", counting)
    at = run_page(journey.id)
    assert len(calls) == 1
    at.run()
    assert_no_exception(at)
    assert len(calls) == 1, "the analysis comes from the cache"


def test_the_what_if_panel_recomputes_without_saving(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[-1])
    aggregate = services.load_map(app_ctx, journey.id)
    worst = max(aggregate.pain_points, key=lambda p: (p.severity * p.frequency, -p.id))
    at = run_page(journey.id)
    now = metric(at, HEALTH)
    assert not [m for m in at.metric if m.label == WHAT_IF_HEALTH]

    widget(at.multiselect, "Fix these pain points").select(worst.id).run()
    assert_no_exception(at)

    settings = scoring.ScoringSettings.from_dict(journey.settings)
    before = scoring.analyze(aggregate, settings)
    after = scoring.analyze(
        scoring.apply_what_if(aggregate, scoring.WhatIf(fixed_pain_points=frozenset({worst.id}))),
        settings,
    )
    assert after.health > before.health
    assert metric(at, WHAT_IF_HEALTH) == f"{after.health:.1f}/100"
    assert metric(at, WHAT_IF_HEALTH) != now
    assert metric(at, HEALTH) == now, "the current health stays as it is"
    top = at.dataframe[1].value
    assert list(top["Touchpoint"]) == [t.name for t in after.ranked()[:5]]
    # Nothing was saved.
    assert services.load_map(app_ctx, journey.id).pain_points == aggregate.pain_points


def test_saving_weights_persists_and_rescores(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    at = run_page(journey.id)
    widget(at.number_input, "Pain points").set_value(0.9)
    widget(at.button, "Save for this map").click().run()
    assert_no_exception(at)

    stored = services.scoring_settings(app_ctx, journey.id)
    assert stored.weights["pain"] == 0.9
    assert stored.weights["emotion"] == 0.30
    assert [s.value for s in at.success] == ["Saved the scoring settings\\."]  # md-escaped
    rescored = services.analyze_map(app_ctx, journey.id)
    assert metric(at, HEALTH) == f"{rescored.health:.0f}/100"
    assert widget(at.number_input, "Pain points").value == 0.9

    widget(at.button, "Reset to defaults").click().run()
    assert_no_exception(at)
    assert services.scoring_settings(app_ctx, journey.id) == scoring.ScoringSettings()


def test_unusable_settings_are_refused_with_the_reason(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    at = run_page(journey.id)
    for component in scoring.COMPONENT_LABELS.values():
        widget(at.number_input, component.capitalize()).set_value(0.0)
    widget(at.button, "Save for this map").click().run()
    assert_no_exception(at)
    assert any("at least one weight must be above 0" in e.value for e in at.error)
    assert services.scoring_settings(app_ctx, journey.id) == scoring.ScoringSettings()


def test_saving_over_someone_elses_change_is_refused(app_ctx: Context) -> None:
    journey = import_map(app_ctx, DEMOS[0])
    at = run_page(journey.id)
    theirs = scoring.ScoringSettings.from_dict({"weights": {"effort": 0.7}})
    services.save_scoring_settings(app_ctx, journey.id, journey.version, theirs)

    widget(at.number_input, "Pain points").set_value(0.9)
    widget(at.button, "Save for this map").click().run()
    assert_no_exception(at)
    assert any("changed by someone else" in e.value for e in at.error)
    assert services.scoring_settings(app_ctx, journey.id) == theirs
    # The next run shows what the database holds.
    at.run()
    assert widget(at.number_input, "Effort").value == 0.7
    assert widget(at.number_input, "Pain points").value == 0.25


def test_a_persona_sees_the_journey_through_their_feelings(app_ctx: Context) -> None:
    journey = import_map(app_ctx, journey_document(stages=3, touchpoints_per_stage=2, personas=2))
    aggregate = services.load_map(app_ctx, journey.id)
    persona = aggregate.personas[1]
    mixed = services.analyze_map(app_ctx, journey.id)
    theirs = services.analyze_map(app_ctx, journey.id, persona.id)
    assert mixed.health != theirs.health, "the sample's personas feel differently"
    at = run_page(journey.id)
    assert metric(at, HEALTH) == f"{mixed.health:.0f}/100"
    widget(at.selectbox, "Whose feelings").select(persona.id).run()
    assert_no_exception(at)
    assert metric(at, HEALTH) == f"{theirs.health:.0f}/100"


def test_user_text_is_shown_as_text(app_ctx: Context) -> None:
    document = journey_document(stages=2, touchpoints_per_stage=2)
    document["touchpoints"][0].update(name=MD_NASTY, moment_of_truth=True)
    journey = import_map(app_ctx, document)
    at = run_page(journey.id)
    text = markdown_text(at)
    assert "\\*\\*Loud\\*\\* \\<img src=x onerror=alert\\(1\\)\\>" in text
    assert MD_NASTY not in text
    assert MD_NASTY in list(at.dataframe[0].value["Touchpoint"])


def test_model_warnings_are_shown(app_ctx: Context) -> None:
    document = journey_document(stages=2, touchpoints_per_stage=2, transitions_per_touchpoint=1)
    for t in document["touchpoints"]:
        t["drop_off"] = 0.0
    # t3 and t4 send everyone to each other: a loop with no way out.
    document["transitions"] += [
        {"source": "t3", "target": "t4", "weight": 1.0},
        {"source": "t4", "target": "t3", "weight": 1.0},
    ]
    journey = import_map(app_ctx, document)
    at = run_page(journey.id)
    assert any("loop with no way out" in w.value for w in at.warning)


def test_a_map_without_touchpoints_explains_what_to_add(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Blank", with_standard_stages=True)
    at = run_page(journey.id)
    assert any("no touchpoints yet" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.dataframe and not at.get("iframe")
    assert not at.tabs


def test_without_a_map_the_page_points_home() -> None:
    at = run_page()
    assert any("No map is selected" in i.value for i in at.info)
    [link] = at.main.get("page_link")
    assert link.proto.label == "Go to the journey maps"
    assert link.proto.page_script_hash, "the link names a page of this app (app.py)"
    assert not at.metric
