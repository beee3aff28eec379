"""The personas page (pages/1_Personas.py), driven by Streamlit's AppTest.

Each test gets its own SQLite file and empty caches (the home page tests' fixtures) and acts
as a user: read the cards, fill in the forms, click Edit / Duplicate / Delete / Undo.
"""

# The database fixtures come from the home page tests (pytest resolves them by name).
# ruff: noqa: F811

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.app.pages.personas import avatar
from cxmap.core.config import DEMO_DIR, PROJECT_ROOT
from cxmap.core.context import Context
from cxmap.core.records import MapRecord, PersonaRecord
from tests.test_app_home import (
    NASTY_NAME,
    texts_rendered_as_markdown,
    unescape,
)

pytestmark = pytest.mark.usefixtures("database_url")  # a temp database per test

APP = PROJECT_ROOT / "app.py"
PERSONAS = "pages/1_Personas.py"
DEMO = DEMO_DIR / "telecom-broadband-onboarding.json"


@pytest.fixture
def demo(app_ctx: Context) -> MapRecord:
    return services.import_file(app_ctx, DEMO.read_bytes())


def run_personas(map_id: int | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.switch_page(PERSONAS)
    if map_id is not None:
        at.query_params["map"] = str(map_id)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def personas(ctx: Context, journey: MapRecord) -> list[PersonaRecord]:
    return services.load_map(ctx, journey.id).personas


def card_titles(at: AppTest) -> list[str]:
    """The persona names on the cards (headings ``### :colour-background[**AB**] Name``)."""
    return [
        unescape(m.value.split("] ", 1)[1])
        for m in at.markdown
        if m.value.startswith("### :") and "-background[" in m.value
    ]


def fill_new_persona(at: AppTest, journey: MapRecord, **values: object) -> AppTest:
    prefix = f"new_persona_{journey.id}"
    for name, value in values.items():
        widget = at.number_input if name == "share" else at.text_area
        if name == "name":
            widget = at.text_input
        widget(key=f"{prefix}_{name}").set_value(value)
    at.button(key=f"FormSubmitter:new_persona_form_{journey.id}-Add persona").click().run()
    return ok(at)


def test_without_a_map_the_page_points_to_the_home_page() -> None:
    at = run_personas()
    assert any("Pick or create a journey map" in i.value for i in at.info)


def test_the_demo_personas_are_cards_with_their_profile(app_ctx: Context, demo: MapRecord) -> None:
    at = run_personas(demo.id)
    names = [p.name for p in personas(app_ctx, demo)]
    assert names == ["Busy parent", "Remote-working tech enthusiast", "Retired homeowner"]
    # Two columns of cards, read left to right: 1 and 3 on the left, 2 on the right.
    assert card_titles(at) == [names[0], names[2], names[1]]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("45 % of customers · emotions recorded at 26 of 26") for c in captions)
    bodies = [m.value for m in at.markdown]
    assert any(b.startswith("**🎯 Goals**") and "Get fast, reliable broadband" in b for b in bodies)
    assert any(b.startswith("### :") and "[**BP**]" in b for b in bodies)  # initials avatar


def test_an_empty_map_explains_personas_and_opens_the_form(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Blank")
    at = run_personas(journey.id)
    assert any("No personas yet" in i.value for i in at.info)
    assert at.expander[0].label == "➕ Add a persona"
    assert at.text_input(key=f"new_persona_{journey.id}_name").value == ""


def test_add_a_persona_with_its_share(app_ctx: Context, demo: MapRecord) -> None:
    at = run_personas(demo.id)
    fill_new_persona(
        at, demo, name="First-time renter", goals="Move in with internet working", share=12.5
    )
    new = personas(app_ctx, demo)[-1]
    assert (new.name, new.goals, new.segment_share) == (
        "First-time renter",
        "Move in with internet working",
        0.125,
    )
    assert card_titles(at)[-1] == "First-time renter"
    assert at.text_input(key=f"new_persona_{demo.id}_name").value == ""  # form cleared
    assert any("persona “First-time renter” added" in unescape(t.value) for t in at.toast)
    assert at.expander[0].proto.expanded  # open for the next persona of the workshop


def test_a_persona_needs_a_name_and_keeps_what_was_typed(app_ctx: Context, demo: MapRecord) -> None:
    at = run_personas(demo.id)
    fill_new_persona(at, demo, name="  ", goals="Something")
    assert "new persona · name" in unescape(at.error[0].value)
    assert len(personas(app_ctx, demo)) == 3
    assert at.text_area(key=f"new_persona_{demo.id}_goals").value == "Something"


def test_the_shares_adding_up_to_more_than_everyone_are_flagged(
    app_ctx: Context, demo: MapRecord
) -> None:
    at = run_personas(demo.id)
    fill_new_persona(at, demo, name="Student", share=30.0)
    assert any("add up to 130 %" in w.value for w in at.warning)


def conflicts(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "Someone else changed" in w.value]


def open_editor(at: AppTest, persona: PersonaRecord) -> AppTest:
    at.button(key=f"persona_edit_{persona.id}").click().run()
    return ok(at)


def form_key(persona: PersonaRecord, name: str, gen: int = 0) -> str:
    return f"persona_{persona.id}_{persona.version}_{gen}_{name}"


def save(at: AppTest, persona: PersonaRecord, gen: int = 0) -> AppTest:
    form = f"persona_form_{persona.id}_{persona.version}_{gen}"
    at.button(key=f"FormSubmitter:{form}-Save").click().run()
    return ok(at)


def test_edit_a_persona_in_place(app_ctx: Context, demo: MapRecord) -> None:
    parent = personas(app_ctx, demo)[0]
    at = open_editor(run_personas(demo.id), parent)
    assert "Busy parent" not in card_titles(at)  # the card became a form
    at.text_area(key=form_key(parent, "goals")).set_value("Broadband that just works")
    at.number_input(key=form_key(parent, "share")).set_value(50.0)
    save(at, parent)

    saved = personas(app_ctx, demo)[0]
    assert (saved.goals, saved.segment_share, saved.needs) == (
        "Broadband that just works",
        0.5,
        parent.needs,
    )
    assert "Busy parent" in card_titles(at)  # back to the card

    at.button(key=f"undo_button_{demo.id}").click().run()
    assert personas(app_ctx, demo)[0].goals == parent.goals


def test_a_concurrent_edit_of_a_persona_offers_keep_mine_and_take_theirs(
    app_ctx: Context, demo: MapRecord
) -> None:
    parent = personas(app_ctx, demo)[0]
    at = open_editor(run_personas(demo.id), parent)
    at.text_area(key=form_key(parent, "goals")).set_value("Mine")
    services.update_row(
        app_ctx, demo.id, "persona", parent.id, parent.version, {"goals": "Theirs", "needs": "N"}
    )
    save(at, parent)
    [text] = [unescape(w) for w in conflicts(at)]
    assert "persona “Busy parent”: someone else changed" in text
    assert "goals “Get fast" in text and "→ “Theirs”" in text and "Yours: goals → “Mine”" in text
    assert personas(app_ctx, demo)[0].goals == "Theirs"
    assert at.text_area(key=form_key(parent, "goals")).value == "Mine"  # still in the form

    at.button(key=[b.key for b in at.button if b.label == "Keep mine"][0]).click().run()
    saved = personas(app_ctx, demo)[0]
    assert (saved.goals, saved.needs) == ("Mine", "N")
    assert not conflicts(at) and "Busy parent" in card_titles(ok(at))


def test_take_theirs_drops_the_persona_edit(app_ctx: Context, demo: MapRecord) -> None:
    parent = personas(app_ctx, demo)[0]
    at = open_editor(run_personas(demo.id), parent)
    at.text_area(key=form_key(parent, "goals")).set_value("Mine")
    services.update_row(app_ctx, demo.id, "persona", parent.id, parent.version, {"goals": "Theirs"})
    save(at, parent)
    at.button(key=[b.key for b in at.button if b.label == "Take theirs"][0]).click().run()
    assert personas(app_ctx, demo)[0].goals == "Theirs"
    assert not conflicts(at) and "Busy parent" in card_titles(ok(at))


def test_duplicate_copies_the_profile_and_its_emotions(app_ctx: Context, demo: MapRecord) -> None:
    parent = personas(app_ctx, demo)[0]
    at = run_personas(demo.id)
    at.button(key=f"persona_duplicate_{parent.id}").click().run()
    ok(at)
    aggregate = services.load_map(app_ctx, demo.id)
    copy = aggregate.personas[-1]
    assert (copy.name, copy.goals, copy.segment_share) == (
        "Busy parent (copy)",
        parent.goals,
        parent.segment_share,
    )
    scores = {e.touchpoint_id: e.score for e in aggregate.emotions if e.persona_id == parent.id}
    copied = {e.touchpoint_id: e.score for e in aggregate.emotions if e.persona_id == copy.id}
    assert copied == scores and len(copied) == 26
    assert card_titles(at)[-1] == "Busy parent (copy)"


def test_a_refused_duplicate_says_why_and_leaves_no_half_copy(
    app_ctx: Context, demo: MapRecord, database_url: str
) -> None:
    before = services.load_map(app_ctx, demo.id)
    parent = before.personas[0]
    at = run_personas(demo.id)
    # Another editor deletes a touchpoint just as the copy is added (a real trigger plays them).
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        connection.execute(
            "CREATE TRIGGER other_editor AFTER INSERT ON persona BEGIN DELETE FROM touchpoint "
            f"WHERE id = {before.touchpoints[0].id}; END"
        )
    at.button(key=f"persona_duplicate_{parent.id}").click().run()
    ok(at)
    assert any(f"Could not duplicate {parent.name}" in e.value for e in at.error)
    after = services.load_map(app_ctx, demo.id)
    assert [p.name for p in after.personas] == [p.name for p in before.personas]
    assert (after.revision, len(after.touchpoints)) == (before.revision, len(before.touchpoints))


def test_delete_names_how_many_emotions_go_with_it(app_ctx: Context, demo: MapRecord) -> None:
    retired = personas(app_ctx, demo)[2]
    at = run_personas(demo.id)
    assert any(
        unescape(w.value)
        == "Delete persona “Retired homeowner”? This also deletes 23 persona emotions. "
        "This cannot be undone."
        for w in at.warning
    )
    at.button(key=f"persona_delete_{retired.id}").click().run()
    ok(at)
    aggregate = services.load_map(app_ctx, demo.id)
    assert [p.name for p in aggregate.personas] == ["Busy parent", "Remote-working tech enthusiast"]
    assert all(e.persona_id != retired.id for e in aggregate.emotions)
    assert "Retired homeowner" not in card_titles(at)


def test_a_persona_name_with_markup_is_text(app_ctx: Context) -> None:
    journey = services.create_map(app_ctx, "Escapes")
    services.create_row(
        app_ctx, journey.id, "persona", {"name": NASTY_NAME, "goals": "[click](http://x) **now**"}
    )
    at = run_personas(journey.id)
    assert card_titles(at) == [NASTY_NAME]
    raw = [t for t in texts_rendered_as_markdown(at) if "<img" in t.replace("\\<", "")]
    assert raw == []
    assert not any("](http" in t.replace("\\]\\(", "") for t in texts_rendered_as_markdown(at))


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Busy parent", "BP"), ("Ana", "A"), ("retired home-owner 65+", "RH"), ("مشتری وفادار", "مو")],
)
def test_the_avatar_is_derived_from_the_name(name: str, initials: str) -> None:
    assert avatar(name)[0] == initials
    assert avatar(name) == avatar(name)  # the same name, the same colour
