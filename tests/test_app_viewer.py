"""Team mode: a viewer of a map sees all of it and is offered no change to it, on every page
but the home page; an editor of the same map, signed in the same way, is offered the changes.
Driven by Streamlit's AppTest (the services' own refusals: tests/test_access.py)."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.app import shell
from cxmap.app.pages import voice as voice_page
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context

PASSWORD = "a long enough password"
DEMO = DEMO_DIR / "telecom-broadband-onboarding.json"
BUILDER = "pages/2_Journey_Builder.py"
VOICE = "pages/5_Voice_of_Customer.py"
# Buttons that change nothing: the sidebar's sign-out, "someone else changed this map".
HARMLESS = {"Sign out", "Show the latest"}

pytestmark = pytest.mark.usefixtures("database_url")


@pytest.fixture
def team(app_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """olga owns the demo map; vic views it, eddie edits it."""
    monkeypatch.setenv("CXMAP_MODE", "team")
    for name in ("olga", "vic", "eddie"):
        services.add_account(app_ctx, name, PASSWORD)
    owner = app_ctx.acting_as(services.acting_as(app_ctx, "olga"))
    journey = services.import_file(owner, DEMO.read_bytes())
    services.set_role(owner, journey.id, "vic", "viewer")
    services.set_role(owner, journey.id, "eddie", "editor")
    aggregate = services.load_map(owner, journey.id)
    return {"map": journey, "aggregate": aggregate, "owner": owner}


# (case, page script, builder section (?section=) or Voice of Customer tab)
CASES = [
    ("personas", "pages/1_Personas.py", None),
    *((f"builder-{s}", BUILDER, s) for s in ("Stages", "Touchpoints", "Pain points")),
    *((f"builder-{s}", BUILDER, s) for s in ("Opportunities", "Transitions")),
    ("journey-map", "pages/3_Journey_Map.py", None),
    ("friction", "pages/4_Friction.py", None),
    ("voc-evidence", VOICE, voice_page.EVIDENCE_TAB),
    ("voc-loop", VOICE, voice_page.LOOP_TAB),
    ("voc-import", VOICE, voice_page.IMPORT_TAB),
    ("summary", "pages/6_Executive_Summary.py", None),
]
# Pages that offer no change to anyone (only filters and views).
NOTHING_TO_EDIT = {"voc-evidence"}
# Pages where a viewer simply gets the map as people read it, with no read-only note.
NO_NOTE = {"journey-map", "voc-evidence"}


def signed_in(name: str, script: str, map_id: int, part: str | None) -> AppTest:
    """``script`` of map ``map_id`` (its builder section or VoC tab ``part``), signed in as
    ``name`` through the sign-in form."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.switch_page(script)
    at.query_params["map"] = str(map_id)
    if part is not None and script == BUILDER:
        at.query_params["section"] = part
    at.run()
    at.text_input[0].input(name)
    at.text_input[1].input(PASSWORD)
    at.button[0].click()
    at.run()
    if part is not None and script == VOICE:  # signing in empties the session: choose now
        at.session_state[voice_page.TAB_KEY] = part
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Sign in" not in [b.label for b in at.button], "still at the sign-in form"
    return at


def edit_controls(at: AppTest) -> list[str]:
    """Everything in the page that would change the map: buttons (forms' too), editable grids,
    file uploaders, popovers (reorder, delete), enabled settings inputs."""
    found = [f"button {b.label}" for b in at.main.button if b.label not in HARMLESS]
    found += [f"grid {e.key}" for e in at.main.data_editor]
    found += [f"uploader {u.label}" for u in at.main.file_uploader]
    found += [f"popover {getattr(p, 'label', '')}" for p in at.main.get("popover")]
    found += [f"number {n.label}" for n in at.main.number_input if not n.disabled]
    found += [f"slider {s.label}" for s in at.main.slider if not s.disabled]
    found += [f"toggle {t.label}" for t in at.main.toggle if t.label == "✏️ Edit on the canvas"]
    return found


def shown_text(at: AppTest) -> str:
    parts = [str(e.value) for kind in (at.markdown, at.title, at.caption) for e in kind]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize(("case", "script", "part"), CASES, ids=[c[0] for c in CASES])
def test_a_viewer_sees_the_map_and_no_edit_control(
    team: dict[str, Any], case: str, script: str, part: str | None
) -> None:
    journey = team["map"]
    at = signed_in("vic", script, journey.id, part)
    assert edit_controls(at) == []
    text = shown_text(at)
    assert journey.name in text or shell.md_escape(journey.name) in text
    if case not in NO_NOTE:
        assert shell.READ_ONLY_NOTE in [c.value for c in at.caption]


@pytest.mark.parametrize(("case", "script", "part"), CASES, ids=[c[0] for c in CASES])
def test_an_editor_is_offered_the_changes(
    team: dict[str, Any], case: str, script: str, part: str | None
) -> None:
    at = signed_in("eddie", script, team["map"].id, part)
    controls = edit_controls(at)
    assert shell.READ_ONLY_NOTE not in [c.value for c in at.caption]
    if case in NOTHING_TO_EDIT:
        assert controls == []
    else:
        assert controls, "an editor should be offered changes here"


def test_a_viewer_reads_the_builder_grids_with_their_content(team: dict[str, Any]) -> None:
    aggregate = team["aggregate"]
    at = signed_in("vic", BUILDER, team["map"].id, "Touchpoints")
    [grid] = at.main.dataframe
    assert grid.editing_mode == "read_only"
    assert set(grid.value["Touchpoint"]) == {t.name for t in aggregate.touchpoints}
    assert f"undo_button_{team['map'].id}" not in [b.key for b in at.button]


def test_the_viewer_s_settings_show_the_map_s_values(team: dict[str, Any]) -> None:
    """The scoring settings are shown to a viewer as saved, only disabled."""
    owner, journey = team["owner"], team["map"]
    settings = services.scoring_settings(owner, journey.id)
    at = signed_in("vic", "pages/4_Friction.py", journey.id, None)
    inputs = [n for n in at.main.number_input if n.disabled]
    assert inputs and {round(n.value, 2) for n in inputs} >= {
        round(float(w), 2) for w in settings.weights.values()
    }
    assert not at.main.form_submit_button


def test_a_share_link_offers_no_change_on_the_summary(team: dict[str, Any]) -> None:
    link = services.create_share_link(team["owner"], team["map"].id)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/6_Executive_Summary.py")
    at.query_params["share"] = link.token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert edit_controls(at) == []
    assert shell.READ_ONLY_NOTE in [c.value for c in at.caption]
    assert at.sidebar.download_button  # exports stay: they change nothing


def test_a_share_link_to_the_home_page_opens_the_summary(team: dict[str, Any]) -> None:
    """The link the Sharing panel hands out is /?share=TOKEN: it lands on the summary."""
    link = services.create_share_link(team["owner"], team["map"].id)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params["share"] = link.token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert [t.value for t in at.title][:1] == ["📊 Executive summary"]
    assert "share" not in at.query_params
