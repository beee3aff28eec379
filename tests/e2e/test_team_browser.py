"""Team mode in a real browser (headless Debian chromium): nothing of a map before sign-in, a
viewer's read-only pages, share links opened and revoked.

The app runs in team mode (``team_app_server``: its own server and SQLite database). One map,
owned by olga and viewed by vic, is made once for the module through the services. The last
test runs the same rules once more, compactly, on PostgreSQL (``team_pg_app_server``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocket, expect

from cxmap import services
from cxmap.core.config import PROJECT_ROOT
from cxmap.core.context import Context
from tests.e2e.conftest import AppServer, click_until_url, open_app, wait_for_app
from tests.factories import journey_document

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
SECRET = "Secret merger journey"
ARTIFACTS = PROJECT_ROOT / "artifacts"
FULL_HD = {"width": 1920, "height": 1080}
# Every page's URL path (the home page is "/").
PATHS = (
    "/",
    "/Personas",
    "/Journey_Builder",
    "/Journey_Map",
    "/Friction",
    "/Voice_of_Customer",
    "/Executive_Summary",
)
# A cell editor (text box or option list, drawn in the grid's portal) has the focus.
EDITOR_FOCUSED = """() => {
  const e = document.activeElement;
  return !!e && ['INPUT', 'TEXTAREA'].includes(e.tagName) && !!e.closest('#portal');
}"""
ROW = 35  # grid row (and header) height in pixels


def owned_and_viewed(ctx: Context) -> tuple[Context, Any]:
    """olga's map SECRET (touchpoints and feedback), with vic as its viewer: olga's context
    and the map."""
    services.add_account(ctx, "olga", PASSWORD)
    services.add_account(ctx, "vic", PASSWORD)
    owner = ctx.acting_as(services.acting_as(ctx, "olga"))
    journey = services.import_document(owner, journey_document(SECRET))
    services.set_role(owner, journey.id, "vic", "viewer")
    return owner, journey


@pytest.fixture(scope="module")
def team(team_app_server: AppServer) -> Iterator[dict[str, Any]]:
    """olga owns SECRET (a map with touchpoints and feedback), vic is its viewer."""
    database = team_app_server.database()
    ctx: Context = database
    try:
        owner, journey = owned_and_viewed(ctx)
        yield {"map": journey, "ctx": ctx, "owner": owner, "url": team_app_server.url}
    finally:
        database.dispose()


def full_hd_shot(page: Page, name: str) -> Path:
    """A 1920 × 1080 screenshot in artifacts/ (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.set_viewport_size(FULL_HD)
    wait_for_app(page)
    page.screenshot(path=str(path))
    return path


def sign_in(page: Page, name: str) -> None:
    form = page.get_by_test_id("stForm")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    wait_for_app(page)


def received_frames(page: Page) -> list[bytes]:
    """Every websocket message the page receives from now on (Streamlit's protobuf deltas)."""
    frames: list[bytes] = []

    def on_socket(socket: WebSocket) -> None:
        def keep(payload: str | bytes) -> None:
            frames.append(payload.encode() if isinstance(payload, str) else payload)

        socket.on("framereceived", keep)

    page.on("websocket", on_socket)
    return frames


def test_signed_out_every_page_shows_only_the_sign_in_form(
    team: dict[str, Any], new_team_page: Callable[[], Page]
) -> None:
    page = new_team_page()
    frames = received_frames(page)
    map_id = team["map"].id
    for path in PATHS:
        open_app(page, f"{team['url']}{path}?map={map_id}")
        expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
        expect(page.get_by_test_id("stTextInput")).to_have_count(2)
        assert SECRET not in page.content(), path
        assert not page.get_by_test_id("stDataFrame").count(), path
    # The server's own HTTP answers: the page HTML as served and Streamlit's endpoints.
    for path in (*PATHS, "/_stcore/health", "/_stcore/host-config"):
        answer = page.request.get(f"{team['url']}{path}?map={map_id}")
        assert answer.ok, path
        assert SECRET.encode() not in answer.body(), path
    assert frames, "the page received nothing over the websocket"
    assert not [f for f in frames if SECRET.encode() in f]
    # Nothing of any map in the sidebar either: no page links before sign-in.
    assert not page.locator(".st-key-cxmap_nav").count()
    shot = full_hd_shot(page, "team-sign-in")
    assert shot.exists()


def test_a_viewer_reads_the_builder_and_cannot_change_or_import(
    team: dict[str, Any], new_team_page: Callable[[], Page]
) -> None:
    ctx, journey = team["ctx"], team["map"]
    before = services.load_map(team["owner"], journey.id)
    page = new_team_page()
    page.set_viewport_size(FULL_HD)
    open_app(page, f"{team['url']}/Journey_Builder?map={journey.id}&section=Touchpoints")
    sign_in(page, "vic")
    expect(page.get_by_test_id("stHeading").first).to_contain_text(SECRET)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    expect(page.get_by_text("Read only: you are a viewer of this map.").first).to_be_visible()
    expect(grid.locator("td").filter(has_text="Touchpoint 1").first).to_be_attached()
    # No editor: no "add row" toolbar, no undo; a double click and typing change nothing.
    expect(page.get_by_role("button", name=re.compile("add row", re.I))).to_have_count(0)
    expect(page.get_by_role("button", name="↩️ Undo")).to_have_count(0)
    box = grid.bounding_box()
    assert box is not None
    page.mouse.dblclick(box["x"] + 240, box["y"] + ROW * 1.5)  # first row, Touchpoint column
    page.keyboard.type("Hijacked")
    page.keyboard.press("Enter")
    wait_for_app(page)
    assert not page.evaluate(EDITOR_FOCUSED)
    full_hd_shot(page, "team-viewer-builder")
    after = services.load_map(team["owner"], journey.id)
    assert after.revision == before.revision
    assert [t.name for t in after.touchpoints] == [t.name for t in before.touchpoints]
    # Voice of Customer, through the sidebar (a new URL would be a new, signed-out session).
    link = page.locator(".st-key-cxmap_nav").get_by_role("link", name="Voice of Customer")
    click_until_url(page, link, re.compile(r"/Voice_of_Customer(\?|$)"))
    wait_for_app(page)
    page.get_by_role("tab", name=re.compile("Import a file")).click()
    wait_for_app(page)
    expect(page.get_by_text("Importing feedback into this map needs an editor")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert services.map_revision(ctx, journey.id) == before.revision


def test_a_share_link_opens_the_summary_and_stops_working_when_revoked(
    team: dict[str, Any], new_team_page: Callable[[], Page]
) -> None:
    ctx, journey = team["ctx"], team["map"]
    revision = services.map_revision(ctx, journey.id)
    link = services.create_share_link(team["owner"], journey.id, days=7)
    page = new_team_page()
    page.set_viewport_size(FULL_HD)
    open_app(page, f"{team['url']}/?share={link.token}")
    expect(page.get_by_test_id("stHeading").first).to_contain_text("Executive summary")
    expect(page.get_by_text(SECRET).first).to_be_visible()
    expect(page).not_to_have_url(re.compile("share="))  # the token leaves the address bar
    expect(page.get_by_text("Read only", exact=False).first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Save"))).to_have_count(0)
    assert not [c for c in page.context.cookies() if c["name"] == "cxmap_session"]
    full_hd_shot(page, "team-share-summary")
    # The builder by its URL, with the link: refused, nothing of the map's grids.
    builder = new_team_page()
    open_app(builder, f"{team['url']}/Journey_Builder?share={link.token}")
    expect(builder.get_by_text("A share link opens the Executive Summary")).to_be_visible()
    expect(builder.get_by_test_id("stDataFrame")).to_have_count(0)
    services.revoke_share_link(team["owner"], link.id)
    revoked = new_team_page()
    open_app(revoked, f"{team['url']}/?share={link.token}")
    expect(revoked.get_by_text("This share link was revoked")).to_be_visible()
    assert SECRET not in revoked.content()
    assert services.map_revision(ctx, journey.id) == revision


def test_a_reload_keeps_the_sign_in_until_sign_out(
    team: dict[str, Any], new_team_page: Callable[[], Page]
) -> None:
    page = new_team_page()
    open_app(page, f"{team['url']}/?map={team['map'].id}")
    sign_in(page, "olga")
    expect(page.get_by_text("Signed in as olga")).to_be_visible()
    page.wait_for_function("() => document.cookie.includes('cxmap_session=')")
    cookies = [c for c in page.context.cookies() if c["name"] == "cxmap_session"]
    assert len(cookies) == 1, page.context.cookies()
    assert cookies[0]["path"] == "/" and cookies[0]["sameSite"] == "Strict"
    assert not cookies[0]["secure"]  # (http here; the script adds Secure on https)
    page.reload()
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    wait_for_app(page)
    expect(page.get_by_text("Signed in as olga")).to_be_visible()
    expect(page.get_by_text(SECRET).first).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    page.locator(".st-key-cxmap_sign_out").get_by_role("button").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    wait_for_app(page)
    page.wait_for_function("() => !document.cookie.includes('cxmap_session=')")
    page.reload()
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    assert SECRET not in page.content()


def test_an_identity_provider_signs_in_the_account_with_its_email(
    team: dict[str, Any], team_app_server: AppServer, new_team_page: Callable[[], Page]
) -> None:
    """The real st.login round trip (Streamlit, Authlib, the callback) with the test provider;
    then sign-out holds: a reload does not sign in again with the provider's lasting cookie."""
    provider = team_app_server.identity_provider
    assert provider is not None
    services.set_email(team["ctx"], "olga", "Olga@Example.org")
    provider.email = "olga@example.org"
    page = new_team_page()
    open_app(page, team["url"])
    page.get_by_role("button", name="Sign in with Test Provider").click()
    expect(page.get_by_text("Signed in as olga")).to_be_visible()
    wait_for_app(page)
    expect(page.locator("td").filter(has_text=SECRET).first).to_be_attached()  # her maps
    page.locator(".st-key-cxmap_sign_out").get_by_role("button").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    wait_for_app(page)
    page.reload()
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in with Test Provider")).to_be_visible()
    expect(page.get_by_text("Signed in as olga")).to_have_count(0)


# ---------------------------------------------------------------- the same on PostgreSQL


@pytest.mark.postgres
def test_team_mode_on_postgresql(
    team_pg_app_server: AppServer, new_team_pg_page: Callable[[], Page]
) -> None:
    """The rules above in one pass on PostgreSQL (its own server and database): signed out,
    only the sign-in form; one answer for a wrong password and an unknown name; a viewer's
    read-only builder; a share link's summary, its refused builder, and its revoke."""
    database = team_pg_app_server.database()
    try:
        owner, journey = owned_and_viewed(database)
        revision = services.map_revision(database, journey.id)
        url = team_pg_app_server.url
        page = new_team_pg_page()
        frames = received_frames(page)
        open_app(page, f"{url}/Journey_Builder?map={journey.id}&section=Touchpoints")
        expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
        expect(page.get_by_test_id("stTextInput")).to_have_count(2)
        assert SECRET not in page.content()
        answers = []
        for name, password in (("vic", "not the password"), ("nobody", "not the password")):
            form = page.get_by_test_id("stForm")
            form.get_by_label("Name", exact=True).fill(name)
            form.get_by_label("Password", exact=True).fill(password)
            form.get_by_role("button", name="Sign in").click()
            wait_for_app(page)
            answers.append(page.get_by_test_id("stAlert").inner_text().strip())
        assert answers == ["That name and password do not match an account."] * 2
        assert not [f for f in frames if SECRET.encode() in f]
        sign_in(page, "vic")
        expect(page.get_by_test_id("stHeading").first).to_contain_text(SECRET)
        expect(page.get_by_text("Read only: you are a viewer of this map.").first).to_be_visible()
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("add row", re.I))).to_have_count(0)
        expect(page.get_by_role("button", name="↩️ Undo")).to_have_count(0)
        # A share link: the builder is refused, the summary opens, a revoke ends it in the tab.
        link = services.create_share_link(owner, journey.id, days=7)
        shared = new_team_pg_page()
        open_app(shared, f"{url}/Journey_Builder?share={link.token}")
        expect(shared.get_by_text("A share link opens the Executive Summary")).to_be_visible()
        expect(shared.get_by_test_id("stDataFrame")).to_have_count(0)
        open_app(shared, f"{url}/?share={link.token}")
        expect(shared.get_by_test_id("stHeading").first).to_contain_text("Executive summary")
        expect(shared.get_by_text(SECRET).first).to_be_visible()
        services.revoke_share_link(owner, link.id)
        nav = shared.locator(".st-key-cxmap_nav").get_by_role("link", name="Journey Map")
        click_until_url(shared, nav, re.compile(r"/Journey_Map(\?|$)"))
        expect(shared.get_by_text("This share link was revoked")).to_be_visible()
        assert SECRET not in shared.content()
        assert services.map_revision(database, journey.id) == revision
    finally:
        database.dispose()
