"""Browser test harness: the real app (``streamlit run app.py``) driven by headless Debian chromium.

* ``app_server`` (session): starts the app on a free port against a temp SQLite file and waits for
  ``/_stcore/health``; ``.url`` is the home page, ``.database_url`` lets tests prepare or inspect
  data through ``cxmap.services``. ``team_app_server``: the same in team mode (sign-in first),
  its own port and database; ``team_pg_app_server``: team mode on a fresh PostgreSQL database.
  Under pytest-xdist each worker has its own server, port and database.
* ``page`` (per test): a fresh browser context and page (1400x1000). Every request to a host
  other than 127.0.0.1/localhost is aborted and recorded, and so are page errors and console
  errors; the test fails at teardown if there were any (the app must work offline and cleanly).
* ``wait_for_app(page)``: wait until Streamlit has answered what the page last sent and finished
  running the script.
* ``screenshot(page, name)``: save ``artifacts/screenshots/<name>.png``.

Waits are on conditions, never on a fixed budget that a busy machine could exceed: every wait
and ``expect`` gives up only after ``TIMEOUT_MS`` (90 s), which matters only when something is
really broken.

Without ``/usr/bin/chromium`` the tests skip with the reason, except under ``CI=true``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    expect,
    sync_playwright,
)

from cxmap import services
from cxmap.core.config import PROJECT_ROOT
from cxmap.core.context import Context
from cxmap.store.db import Database
from tests.conftest import fresh_postgres_database
from tests.e2e.fake_oidc import FakeProvider

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Headless, and no host but this machine resolves: a page that reaches for a CDN fails to load
# it, and :func:`watch` names the request.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
START_TIMEOUT = 90.0
# How long any wait, action or expect may take before the test fails: long, because a loaded
# machine (two busy cores, several xdist workers) can take tens of seconds for one rerun.
TIMEOUT_MS = 90_000
expect.set_options(timeout=TIMEOUT_MS)

# Before any page script: note when the page last sent a message on Streamlit's websocket (a
# widget changed: a rerun is asked for) and when it last received one.
_WATCH_SOCKET_JS = """
(() => {
  const Native = window.WebSocket;
  window.__cxmapLastSent = -1;
  window.__cxmapLastReceived = -1;
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { window.__cxmapLastReceived = performance.now(); });
    }
    send(data) {
      window.__cxmapLastSent = performance.now();
      return super.send(data);
    }
  }
  window.WebSocket = Watched;
})();
"""

# True once Streamlit has finished running the script and stayed idle for a moment: connected,
# script state "notRunning" (Streamlit 1.67 marks the state on [data-testid="stApp"]), no visible
# status widget ("Running..."), and the server has answered the page's last message. A click
# sends its rerun request at once, but the page shows "running" only when the server answers,
# which on a busy machine can take seconds: hence waiting for an answer, not a fixed pause. A
# message that gets no answer counts as answered after ``unansweredMs``.
_IDLE_JS = """
([quietMs, unansweredMs]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const widget = document.querySelector('[data-testid="stStatusWidget"]');
  const now = performance.now();
  const sent = window.__cxmapLastSent ?? -1;
  const received = window.__cxmapLastReceived ?? -1;
  const answered = received >= sent || now - sent >= unansweredMs;
  const idle = !!app && answered
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !(widget && widget.checkVisibility());
  if (!idle) { window.__cxmapIdleSince = null; return false; }
  if (window.__cxmapIdleSince == null) { window.__cxmapIdleSince = now; }
  return now - Math.max(window.__cxmapIdleSince, received) >= quietMs;
}
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    e2e_dir = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(e2e_dir) and not item.get_closest_marker("e2e"):
            raise pytest.UsageError(f"{item.nodeid}: every browser test needs @pytest.mark.e2e")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _health(url: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip()
    except OSError:
        return None


@dataclass(frozen=True)
class AppDatabase(Context):
    """A context of the tests on the app's database, which they close when done."""

    def dispose(self) -> None:
        self.db.dispose()  # type: ignore[attr-defined]


@dataclass
class AppServer:
    url: str
    database_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    identity_provider: FakeProvider | None = None  # team_app_server's [auth] "Test Provider"

    def database(self) -> AppDatabase:
        """A request context on the app's database, for preparing and checking data through
        the services (local mode; dispose it when done)."""
        return AppDatabase(Database(self.database_url))

    def reset(self) -> None:
        """Delete every map (and so everything else): each test starts from an empty database."""
        database = self.database()
        try:
            for summary in services.list_maps(database):
                services.delete_map(database, summary.map.id)
        finally:
            database.dispose()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: the browser tests need Debian's chromium"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: browser tests must run)")
        pytest.skip(reason)
    return CHROMIUM


@contextmanager
def _running_app(
    workdir: Path,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    database_url: str | None = None,
    port: int | None = None,
) -> Iterator[AppServer]:
    """``streamlit run app.py`` on a free port against ``database_url`` (default: a new SQLite
    file in ``workdir``; migrated, so tests can prepare data before the first page load), with
    ``env`` added to the environment and ``args`` to the command; healthy when yielded,
    stopped after."""
    database_url = database_url or f"sqlite:///{workdir / 'e2e.db'}"
    log_path = workdir / "server.log"
    database = Database(database_url)
    database.migrate()
    database.dispose()
    port = port or _free_port()
    full_env = {
        **os.environ,
        "CXMAP_DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        *args,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT
        )
    server = AppServer(f"http://127.0.0.1:{port}", database_url, process, log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while _health(server.url) != "ok":
            if process.poll() is not None:
                raise RuntimeError(
                    f"the app exited with code {process.returncode} before it was healthy:\n"
                    + server.output()
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the app did not answer {server.url}/_stcore/health within "
                    f"{START_TIMEOUT:.0f} s:\n" + server.output()
                )
            time.sleep(0.2)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def app_server(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The real app on a free port, against its own temp SQLite database (local mode)."""
    with _running_app(tmp_path_factory.mktemp("e2e-app")) as server:
        yield server


@pytest.fixture(scope="session")
def team_app_server(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The real app in team mode (sign-in, roles, share links) on 127.0.0.1, against its own
    temp SQLite database; fast password hashes (the tests sign in often). Its secrets.toml
    sets up one identity provider, "Test Provider" (:class:`FakeProvider`, on 127.0.0.1), so
    the sign-in page also offers "Sign in with Test Provider"."""
    env = {"CXMAP_MODE": "team", "CXMAP_FAST_PASSWORD_HASH": "1"}
    workdir = tmp_path_factory.mktemp("e2e-team")
    port = _free_port()
    provider = FakeProvider().start()
    secrets = workdir / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a cookie secret for the browser tests only"\n'
        "[auth.test-provider]\n"
        'client_id = "cxmap"\nclient_secret = "not a secret"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    args = ("--server.address", "127.0.0.1", "--secrets.files", str(secrets))
    try:
        with _running_app(workdir, env, args, port=port) as server:
            server.identity_provider = provider
            yield server
    finally:
        provider.stop()


@pytest.fixture(scope="session")
def team_pg_app_server(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """:func:`team_app_server` on PostgreSQL: a fresh database of this worker's, migrated,
    dropped after (skipped without a server, except under CI=true)."""
    env = {"CXMAP_MODE": "team", "CXMAP_FAST_PASSWORD_HASH": "1"}
    with fresh_postgres_database("e2e") as database_url, _running_app(
        tmp_path_factory.mktemp("e2e-team-pg"), env, ("--server.address", "127.0.0.1"),
        database_url,
    ) as server:  # fmt: skip
        yield server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: Path) -> Iterator[Browser]:
    """Headless chromium: each :func:`new_context` of it is a new, empty browser profile."""
    browser = playwright.chromium.launch(
        executable_path=str(chromium_path), headless=True, args=BROWSER_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def shared_profile(
    playwright: Playwright, chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    """One browser profile for the local-mode tests' tabs, kept for the whole run so that its
    HTTP and code caches keep Streamlit's scripts: a tab of a new, empty profile fetches and
    compiles them again (measured: 3.4 s a first load of the builder, 2.2 s with the cache).
    Each tab is still its own Streamlit session; :func:`_watched_pages` closes a test's tabs
    and clears the cookies and storage after it."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("chromium-profile"),
        executable_path=str(chromium_path),
        headless=True,
        args=BROWSER_ARGS,
        viewport=VIEWPORT,
    )
    _prepare(context)
    yield context
    context.close()


# Opening a page of a multipage app directly by URL (/Journey_Map?map=3) makes Streamlit's front
# end probe /<Page>/_stcore/health and host-config once and log the 404s (streamlit#7074); the
# page then works. Direct links are a feature, so only those two probes are forgiven.
KNOWN_STREAMLIT_404 = re.compile(r"/[^/]+/_stcore/(health|host-config)$")


@dataclass
class PageProblems:
    """What a page did that it should not: requests leaving the machine, errors."""

    external_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def report(self) -> list[str]:
        return (
            [f"request to a non-local host (refused): {url}" for url in self.external_requests]
            + [f"page error: {error}" for error in self.page_errors]
            + [f"console error: {message}" for message in self.console_errors]
        )


def watch(page: Page) -> PageProblems:
    """Record non-local requests (chromium itself refuses to resolve any host but this one:
    ``BROWSER_ARGS``), page errors and console errors.

    Requests are watched, not intercepted: ``page.route`` would turn chromium's HTTP cache off,
    so every page load would fetch and compile Streamlit's scripts again (measured: 4 loads of
    the builder in one tab took 13 s routed, 8 s watched, and the app server's CPU served the
    files each time)."""
    problems = PageProblems()

    def request(request: Request) -> None:
        url = request.url
        host = urlsplit(url).hostname or ""
        if not (url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS):
            problems.external_requests.append(url)

    def console(message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not KNOWN_STREAMLIT_404.search(url):
            problems.console_errors.append(f"{message.text} ({url})")

    page.on("request", request)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    page.on("console", console)
    return problems


def _prepare(context: BrowserContext) -> None:
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(_WATCH_SOCKET_JS)


def new_context(browser: Browser) -> BrowserContext:
    """A new, empty browser profile for the app (1400x1000) with the long timeouts and the
    socket watch that :func:`wait_for_app` reads."""
    context = browser.new_context(viewport=VIEWPORT)
    _prepare(context)
    return context


def _watched_pages(open_tab: Callable[[], Page]) -> Iterator[Callable[[], Page]]:
    """A factory of watched tabs (each its own Streamlit session, as a new browser tab is).

    At teardown the test fails if any of its pages made a non-local request or logged an error.
    """
    pages: list[Page] = []
    problems: list[PageProblems] = []

    def make() -> Page:
        page = open_tab()
        pages.append(page)
        problems.append(watch(page))
        return page

    yield make
    for page in pages:
        page.close()
    found = [line for p in problems for line in p.report()]
    if found:
        pytest.fail("the app misbehaved in the browser:\n" + "\n".join(found), pytrace=False)


@pytest.fixture
def new_page(
    browser: Browser, shared_profile: BrowserContext, app_server: AppServer
) -> Iterator[Callable[[], Page]]:
    """Tabs of the local-mode app (:func:`_watched_pages`). The first is a tab of the run's
    browser profile (left as a new user's after the test: no cookies, no stored state); each
    further one is another person's browser (a new, empty profile: two tabs of one window
    would not both be drawn, as a hidden tab gets no animation frames)."""
    contexts: list[BrowserContext] = []

    def open_tab() -> Page:
        if not contexts:
            contexts.append(shared_profile)
        else:
            contexts.append(new_context(browser))
        return contexts[-1].new_page()

    yield from _watched_pages(open_tab)
    for context in contexts[1:]:
        context.close()
    shared_profile.clear_cookies()
    # The persistent profile keeps a first, blank tab: it clears the app origin's storage.
    blank = shared_profile.pages[0] if shared_profile.pages else shared_profile.new_page()
    blank.goto(app_server.url + "/_stcore/health")
    blank.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    blank.goto("about:blank")


@pytest.fixture
def new_team_page(browser: Browser, team_app_server: AppServer) -> Iterator[Callable[[], Page]]:
    """Tabs of the team-mode app (:func:`_watched_pages`), each in a new, empty profile (a
    sign-in must never carry over), without starting the local-mode app."""
    yield from _new_profile_tabs(browser)


def _new_profile_tabs(browser: Browser) -> Iterator[Callable[[], Page]]:
    contexts: list[BrowserContext] = []

    def open_tab() -> Page:
        contexts.append(new_context(browser))
        return contexts[-1].new_page()

    yield from _watched_pages(open_tab)
    for context in contexts:
        context.close()


@pytest.fixture
def new_team_pg_page(
    browser: Browser, team_pg_app_server: AppServer
) -> Iterator[Callable[[], Page]]:
    """Tabs of the team-mode app on PostgreSQL, each in a new, empty profile."""
    yield from _new_profile_tabs(browser)


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


@pytest.fixture
def app(app_server: AppServer) -> AppServer:
    """The running app, with an empty database."""
    app_server.reset()
    return app_server


def wait_for_app(
    page: Page, timeout: float = TIMEOUT_MS, quiet_ms: int = 300, unanswered_ms: int = 5_000
) -> None:
    """Wait until Streamlit has answered the page's last message, finished running the script
    and stayed idle ``quiet_ms``. (A message the page sends meanwhile, a rerun the server starts,
    ends the quiet at once; the quiet is for what the page does just after a run. 150 ms was
    tried: a click then landed on a button a late redraw replaced, and the test hung.)"""
    page.evaluate("() => { window.__cxmapIdleSince = null; }")
    page.wait_for_function(_IDLE_JS, arg=[quiet_ms, unanswered_ms], timeout=timeout, polling=50)


def click_until_url(page: Page, target: Locator, url: re.Pattern[str], tries: int = 3) -> None:
    """Click ``target`` (a link) until the page's URL matches ``url``. On a busy machine a click
    can land on a link that a late redraw is replacing, and nothing happens: click again."""
    for _ in range(tries - 1):
        wait_for_app(page)
        target.click()
        try:
            expect(page).to_have_url(url, timeout=20_000)
            return
        except AssertionError:
            continue
    target.click()
    expect(page).to_have_url(url)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    wait_for_app(page)


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot of the whole app as artifacts/screenshots/<name>.png (git-ignored).

    Streamlit scrolls inside its main container, not the document, so a "full page" screenshot
    would stop at the viewport: the viewport grows to the content's height for the shot.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...['stMain', 'stAppViewContainer'].map(id => {
             const element = document.querySelector(`[data-testid="${id}"]`);
             return element ? element.scrollHeight : 0;
           }))"""
    )
    if viewport and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": int(height)})
        try:
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(viewport)
    else:
        page.screenshot(path=str(path), full_page=True)
    return path
