"""Team mode in the app, driven by Streamlit's AppTest: sign-in before anything, share links,
local mode's guard. (The services' own checks: tests/test_access.py.)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from cxmap import services
from cxmap.app import team as team_app
from cxmap.app.shell import PAGES
from cxmap.core.config import PROJECT_ROOT
from cxmap.core.context import Context
from tests.factories import journey_document

PASSWORD = "a long enough password"
SECRET = "Secret merger journey"
SCRIPTS = [script for script, _, _ in PAGES]

pytestmark = pytest.mark.usefixtures("database_url")


@pytest.fixture
def team(app_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.setenv("CXMAP_MODE", "team")
    services.add_account(app_ctx, "olga", PASSWORD)
    services.add_account(app_ctx, "vic", PASSWORD)
    owner = app_ctx.acting_as(services.acting_as(app_ctx, "olga"))
    journey = services.import_document(owner, journey_document(SECRET))
    return {"map": journey.id}


def _texts(at: AppTest) -> str:
    """Everything the page shows as text, for "is it there at all" checks."""
    parts = [str(getattr(e, "value", "")) for e in at.markdown]
    for kind in (at.title, at.caption, at.error, at.warning, at.info, at.subheader, at.header):
        parts += [str(e.value) for e in kind]
    parts += [str(d.value) for d in at.dataframe]
    return "\n".join(parts)


def _run(script: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30)
    if script != "app.py":
        at.switch_page(script)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _popovers(at: AppTest) -> set[str]:
    return {p.proto.popover.label for p in at.get("popover")}


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("script", SCRIPTS)
def test_signed_out_every_page_shows_only_the_sign_in_form(
    script: str, team: dict[str, int]
) -> None:
    at = _run(script, map=str(team["map"]))
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert SECRET not in _texts(at)
    assert not at.dataframe and not at.tabs and not at.sidebar.markdown


def test_the_same_answer_for_a_wrong_password_and_an_unknown_name(team: dict[str, int]) -> None:
    wrong = _sign_in(_run("app.py"), "olga", "not the password")
    unknown = _sign_in(_run("app.py"), "nobody", "not the password")
    assert (
        [e.value for e in wrong.error]
        == [e.value for e in unknown.error]
        == ["That name and password do not match an account."]
    )
    assert SECRET not in _texts(wrong)


def test_signed_in_an_owner_sees_the_map_and_a_stranger_does_not(team: dict[str, int]) -> None:
    owner = _sign_in(_run("app.py"), "olga", PASSWORD)
    assert SECRET in _texts(owner)
    assert any("Signed in as **olga**" in c.value for c in owner.sidebar.caption)
    stranger = _sign_in(_run("app.py", map=str(team["map"])), "vic", PASSWORD)
    assert SECRET not in _texts(stranger)
    assert any("no role on map" in w.value for w in stranger.warning)


def test_sign_out_forgets_the_user(team: dict[str, int]) -> None:
    at = _sign_in(_run("app.py"), "olga", PASSWORD)
    at.sidebar.button(key="cxmap_sign_out").click()
    at.run()
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert SECRET not in _texts(at)


def test_a_sign_in_ends_after_the_idle_time_and_at_a_new_password(
    app_ctx: Context, team: dict[str, int]
) -> None:
    at = _sign_in(_run("app.py"), "olga", PASSWORD)
    token = at.session_state[team_app.TOKEN_KEY]
    assert services.resume_session(app_ctx, token).name == "olga"  # the server's session
    with app_ctx.db.engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(text("UPDATE sign_in_session SET expires_at = '2026-01-01 00:00:00'"))
    at.run()  # the tab's next page run, an hour later
    assert [i.value for i in at.info] == ["You were signed out after 60 minutes without activity."]
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert SECRET not in _texts(at)
    # Signed in again; then a new password (set anywhere) signs the tab out at its next run.
    at = _sign_in(at, "olga", PASSWORD)
    assert SECRET in _texts(at)
    services.set_password(app_ctx, "olga", PASSWORD + "!")
    at.run()
    assert [i.value for i in at.info] == ["You were signed out. Sign in again."]
    assert SECRET not in _texts(at)


def test_sign_out_ends_the_session_in_the_database(app_ctx: Context, team: dict[str, int]) -> None:
    at = _sign_in(_run("app.py"), "olga", PASSWORD)
    token = at.session_state[team_app.TOKEN_KEY]
    at.sidebar.button(key="cxmap_sign_out").click()
    at.run()
    with pytest.raises(services.SessionEnded):
        services.resume_session(app_ctx, token)


# secrets.toml's [auth] with one named provider (what the app reads of it: which are set up).
KEYCLOAK = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "keycloak": {"client_id": "cxmap", "client_secret": "s"},
}


def _returned_from_provider(email: str, **claims: object) -> AppTest:
    """The home page run as it is when the identity provider has just sent the browser back:
    ``st.user`` holds its answer."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30)
    at.user = {"is_logged_in": True, "email": email, "iat": int(time.time()), **claims}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_identity_provider_signs_in_the_account_with_its_email(
    app_ctx: Context, team: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(team_app, "_auth_section", lambda: KEYCLOAK)
    signed_out = _run("app.py")
    assert [b.label for b in signed_out.button] == ["Sign in", "Sign in with Keycloak"]
    services.set_email(app_ctx, "olga", "olga@example.org")
    at = _returned_from_provider("Olga@Example.org", email_verified=True)
    assert SECRET in _texts(at)
    assert any("Signed in as **olga**" in c.value for c in at.sidebar.caption)
    token = at.session_state[team_app.TOKEN_KEY]  # a session (and its cookie) like a password's
    assert services.resume_session(app_ctx, token).name == "olga"


def test_an_email_with_no_account_is_refused_with_the_reason(
    app_ctx: Context, team: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(team_app, "_auth_section", lambda: KEYCLOAK)
    at = _returned_from_provider("eve_[x](http://evil)@example.org")
    assert [e.value for e in at.error] == [
        "No cxmap account has the email eve\\_\\[x\\]\\(http\\://evil\\)@example\\.org\\. "
        "Ask a workspace admin to add it to your account \\(python \\-m cxmap user email NAME "
        "eve\\_\\[x\\]\\(http\\://evil\\)@example\\.org\\), or sign in with your name and "
        "password\\."
    ]  # (escaped: the email is the provider's text, shown as text, not as a link)
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert "Use another account" in [b.label for b in at.button]
    assert SECRET not in _texts(at)
    assert [a["name"] for a in services.list_accounts(app_ctx)] == ["olga", "vic"]


def test_a_share_link_opens_the_summary_read_only(app_ctx: Context, team: dict[str, int]) -> None:
    link = services.create_share_link(app_ctx, team["map"], days=7)
    at = _run("pages/6_Executive_Summary.py", share=link.token)
    assert SECRET in _texts(at)
    assert "share" not in at.query_params  # the token leaves the address bar
    assert any("Read only" in m.value for m in at.sidebar.markdown)
    labels = [link.label for link in at.sidebar.get("page_link")]
    assert labels == ["Journey Map", "Executive Summary"]


def test_a_share_link_cannot_open_the_builder(app_ctx: Context, team: dict[str, int]) -> None:
    link = services.create_share_link(app_ctx, team["map"])
    at = _run("pages/2_Journey_Builder.py", share=link.token)
    assert any("share link opens the Executive Summary" in e.value for e in at.error)
    assert not at.tabs and not at.get("arrow_data_frame")


def test_a_revoked_link_says_so_and_shows_nothing(app_ctx: Context, team: dict[str, int]) -> None:
    link = services.create_share_link(app_ctx, team["map"])
    services.revoke_share_link(app_ctx, link.id)
    at = _run("pages/6_Executive_Summary.py", share=link.token)
    assert [e.value for e in at.error] == ["This share link was revoked. Ask for a new one."]
    assert SECRET not in _texts(at)


def test_local_mode_refuses_to_serve_beyond_this_computer(tmp_path: Path) -> None:
    streamlit_config.set_option("server.address", "0.0.0.0")
    try:
        at = _run("app.py")
    finally:
        streamlit_config.set_option("server.address", "127.0.0.1")
    assert any("listens on 0.0.0.0" in e.value for e in at.error)
    assert not at.dataframe and not at.text_input


def test_local_mode_says_so(tmp_path: Path) -> None:
    at = _run("app.py")
    assert any("Local mode" in m.value for m in at.sidebar.markdown)


def test_an_owner_shares_the_map_on_the_home_page(app_ctx: Context, team: dict[str, int]) -> None:
    at = _sign_in(_run("app.py", map=str(team["map"])), "olga", PASSWORD)
    assert {"✏️ Rename", "🗑️ Delete"} <= _popovers(at)
    name_input = next(t for t in at.text_input if t.label == "Account name")
    name_input.input("VIC")
    next(s for s in at.selectbox if s.label == "Role").select("editor")
    next(b for b in at.button if b.label == "Set role").click()
    at.run()
    assert ("vic", "editor") in [(r["name"], r["role"]) for r in services.map_roles(
        app_ctx, team["map"])]  # fmt: skip
    next(b for b in at.button if b.label == "🔗 Create a share link").click()
    at.run()
    shown = [c.value for c in at.code]
    assert len(shown) == 1 and "/?share=" in shown[0]
    token = shown[0].rsplit("=", 1)[1]
    assert services.open_share_link(app_ctx, token).share_map_id == team["map"]
    at.run()
    assert not at.code  # shown once
    next(b for b in at.button if b.label == "Revoke now").click()
    at.run()
    assert services.share_links(app_ctx, team["map"])[0]["revoked_at"] is not None


def test_a_viewer_cannot_rename_or_delete_on_the_home_page(
    app_ctx: Context, team: dict[str, int]
) -> None:
    owner = app_ctx.acting_as(services.acting_as(app_ctx, "olga"))
    services.set_role(owner, team["map"], "vic", "viewer")
    at = _sign_in(_run("app.py", map=str(team["map"])), "vic", PASSWORD)
    assert SECRET in _texts(at)
    labels = [b.label for b in at.button] + sorted(_popovers(at))
    assert "📄 Duplicate" in labels
    assert not {"✏️ Rename", "🗑️ Delete", "Yes, delete this map", "Set role"} & set(labels)
    assert any("you are a viewer" in c.value for c in at.caption)


def test_a_tab_opened_with_a_link_stops_showing_the_map_when_it_is_revoked(
    app_ctx: Context, team: dict[str, int]
) -> None:
    link = services.create_share_link(app_ctx, team["map"])
    at = _run("pages/6_Executive_Summary.py", share=link.token)
    assert SECRET in _texts(at)
    services.revoke_share_link(app_ctx, link.id)
    at.run()  # the same tab, its next page run (no token in the URL any more)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == ["This share link was revoked. Ask for a new one."]
    assert SECRET not in _texts(at)
