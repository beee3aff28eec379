"""The Chromium browser that renders the PDF's charts and the PNG: found, started on the first
export (kaleido) and kept for the next ones, and asked for PNGs of plotly figures and
screenshots of whole HTML pages.

Starting Chromium takes a second or two, as long as rendering a PDF's charts; a team exporting
after a workshop, or a test suite, should pay it once. The browser runs on its own event loop in
a daemon thread (callers are Streamlit script threads, or already inside an event loop), one
export at a time, and is closed after ``IDLE_SECONDS`` without work and at exit. A kept browser
that has died is replaced before it is used (or, found dead mid-export, once then); one that
fails or hangs (``EXPORT_TIMEOUT``) is closed, and the export says so in one line.

Debian's ``/usr/bin/chromium``, or ``BROWSER_PATH``; without one the exports raise
:class:`ExportUnavailable` with what to do.

Examples
--------
>>> issubclass(ExportUnavailable, CxmapError), PNG_SCALE
(True, 2)
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from cxmap.core.errors import CxmapError

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SETUP_HINT = (
    "run `make browser` (scripts/install-browser.sh installs Debian's chromium), "
    "or set BROWSER_PATH to a Chrome or Chromium executable"
)
PNG_SCALE = 2  # device pixels per CSS pixel of the PNG (and of the PDF's charts)
PNG_MAX_PIXELS = 16_000  # widest PNG: wider canvases get the overview image instead
RENDER_TIMEOUT = 120  # seconds for the browser to render one image
IDLE_SECONDS = 300  # a browser not asked for anything for this long is closed
EXPORT_TIMEOUT = 300  # seconds for all the images of one export (a 58-page PDF takes 6)


class ExportUnavailable(CxmapError):
    """An export that cannot be made on this machine (no browser to render its images)."""


def find_chromium() -> Path | None:
    """The Chromium-family browser that renders images: ``BROWSER_PATH`` when set (also what
    kaleido reads), else Debian's ``/usr/bin/chromium`` or one on the PATH."""
    configured = os.environ.get("BROWSER_PATH", "").strip()
    if configured:
        path = Path(configured)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    debian = Path("/usr/bin/chromium")
    if debian.is_file():
        return debian
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def require_chromium(what: str) -> Path:
    """The browser, or :class:`ExportUnavailable` saying how to get one."""
    found = find_chromium()
    if found is None:
        where = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
        raise ExportUnavailable(f"{what} export needs Chromium, not found at {where}: {SETUP_HINT}")
    return found


@dataclass(frozen=True)
class FigureJob:
    """A plotly figure to render as a PNG of ``width`` × ``height`` pixels (times PNG_SCALE)."""

    figure: go.Figure
    width: int
    height: int


@dataclass(frozen=True)
class PageShot:
    """An HTML document to photograph at a fixed size of ``width`` × ``height`` CSS pixels
    (times PNG_SCALE), whatever its content's size: a slide. A plain string page is
    photographed whole."""

    html: str
    width: int
    height: int


Page = str | PageShot


async def _render(
    browser: Any, figures: Sequence[FigureJob], pages: Sequence[Page]
) -> tuple[list[bytes], list[bytes]]:
    """PNGs of plotly figures (kaleido) and of HTML pages, in one open browser."""
    images: list[bytes] = []
    shots: list[bytes] = []
    for job in figures:
        opts = {"format": "png", "width": job.width, "height": job.height, "scale": PNG_SCALE}
        images.append(bytes(await browser.calc_fig(job.figure, opts)))
    for page in pages:
        shots.append(await _screenshot(browser, page))
    return images, shots


class _KeptBrowser:
    """One Chromium for every export of this process (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._browser: Any = None
        self._path: Path | None = None
        self._idle: asyncio.TimerHandle | None = None
        self._closing: set[asyncio.Task[None]] = set()  # held, or asyncio may drop them

    def run(
        self, chromium: Path, figures: Sequence[FigureJob], pages: Sequence[Page]
    ) -> tuple[list[bytes], list[bytes]]:
        with self._lock:  # one export at a time: a second waits for the browser
            job = self._job(chromium, figures, pages)
            return asyncio.run_coroutine_threadsafe(job, self._event_loop()).result()

    def pid(self) -> int | None:
        """The kept Chromium's process id, if one is running."""
        return self._browser.subprocess.pid if self._browser is not None else None

    def close(self) -> None:
        """Close the browser, unless an export is using it (at exit: never wait for one)."""
        if not self._lock.acquire(timeout=5):
            return
        try:
            if self._loop is not None and self._browser is not None:
                asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=30)
        finally:
            self._lock.release()

    def _event_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            threading.Thread(
                target=self._loop.run_forever, name="cxmap-render", daemon=True
            ).start()
        return self._loop

    async def _job(
        self, chromium: Path, figures: Sequence[FigureJob], pages: Sequence[Page]
    ) -> tuple[list[bytes], list[bytes]]:
        if self._idle is not None:
            self._idle.cancel()
        try:
            kept = self._browser is not None and self._path == chromium
            try:
                return await self._render_once(chromium, figures, pages)
            except (Exception, asyncio.CancelledError) as error:
                # A kept browser can die between a check and its use (killed, out of memory):
                # then, and only then, a new one gets the export once more. Its death can also
                # cancel the commands this job was awaiting (CancelledError, which is not an
                # Exception): that is the browser gone, unless this job itself is cancelled.
                task = asyncio.current_task()
                cancelled = task is not None and task.cancelling() > 0
                gone = _browser_gone(error) or isinstance(error, asyncio.CancelledError)
                if cancelled or not (kept and gone):
                    raise
                return await self._render_once(chromium, figures, pages)
        finally:
            self._idle = asyncio.get_running_loop().call_later(IDLE_SECONDS, self._close_soon)

    async def _render_once(
        self, chromium: Path, figures: Sequence[FigureJob], pages: Sequence[Page]
    ) -> tuple[list[bytes], list[bytes]]:
        browser = await self._open(chromium)
        try:
            return await asyncio.wait_for(_render(browser, figures, pages), EXPORT_TIMEOUT)
        except TimeoutError as error:
            await self._close()
            raise RuntimeError(f"no images after {EXPORT_TIMEOUT} s") from error
        except (Exception, asyncio.CancelledError):
            await self._close()  # a browser that failed, hung or died is never kept
            raise

    def _close_soon(self) -> None:
        task = asyncio.get_running_loop().create_task(self._close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _open(self, chromium: Path) -> Any:
        import kaleido  # type: ignore[import-untyped]  # imported here: only PDF and PNG need it

        if self._browser is not None and (
            self._path != chromium or self._browser.subprocess.poll() is not None
        ):
            await self._close()  # another browser asked for, or the kept one has died
        if self._browser is None:
            browser = kaleido.Kaleido(
                path=str(chromium), n=1, timeout=RENDER_TIMEOUT, mathjax=False
            )
            await browser.open()
            self._browser, self._path = browser, chromium
        return self._browser

    async def _close(self) -> None:
        browser, self._browser, self._path = self._browser, None, None
        if browser is not None:
            with contextlib.suppress(Exception):  # already gone: nothing left to close
                await browser.close()


def _browser_gone(error: BaseException) -> bool:
    """Whether ``error`` says the browser itself went away (not that a page failed to draw).

    >>> class BrowserClosedError(RuntimeError): ...
    >>> _browser_gone(BrowserClosedError("create_tab() called on a closed browser."))
    True
    >>> _browser_gone(RuntimeError("the charts were not drawn in time"))
    False
    """
    text = f"{type(error).__name__} {error}".lower()
    return "closed" in text or "broken pipe" in text or "connection" in text


_KEPT = _KeptBrowser()
atexit.register(_KEPT.close)


_WAIT_FOR_PLOTS = """
new Promise((resolve) => {
  const started = performance.now();
  const check = () => {
    const done = (window.cxmapPlotted || 0) >= Number(document.body.dataset.plots || 0);
    if (done || performance.now() - started > %d) {
      document.fonts.ready.then(() => requestAnimationFrame(() => resolve(
        [document.documentElement.scrollWidth, document.documentElement.scrollHeight, done])));
    } else { setTimeout(check, 25); }
  };
  check();
})
"""


async def _screenshot(browser: Any, page: Page) -> bytes:
    """Load ``page`` (a whole HTML document) in a new window; PNG of all of it, or of its
    fixed size (a :class:`PageShot`)."""
    fixed = page if isinstance(page, PageShot) else None
    with tempfile.TemporaryDirectory(prefix="cxmap-png-") as folder:
        path = Path(folder) / "page.html"
        path.write_text(page.html if isinstance(page, PageShot) else page, encoding="utf-8")
        tab = await browser.create_tab("", window=True)
        try:
            if fixed is not None:  # lay the page out at its own size from the start
                await tab.send_command(
                    "Emulation.setDeviceMetricsOverride",
                    {"width": fixed.width, "height": fixed.height,
                     "deviceScaleFactor": PNG_SCALE, "mobile": False},
                )  # fmt: skip
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.enable")
            await tab.send_command("Page.navigate", {"url": path.as_uri()})
            await asyncio.wait_for(loaded, RENDER_TIMEOUT)
            answer = await tab.send_command(
                "Runtime.evaluate",
                {
                    "expression": _WAIT_FOR_PLOTS % (RENDER_TIMEOUT * 500),
                    "awaitPromise": True,
                    "returnByValue": True,
                },
            )
            width, height, plotted = answer["result"]["result"]["value"]
            if not plotted:
                raise RuntimeError("the charts were not drawn in time")
            if fixed is not None:
                width, height = fixed.width, fixed.height
            scale = min(PNG_SCALE, PNG_MAX_PIXELS / max(1, width))
            await tab.send_command(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
            )
            shot = await tab.send_command(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                },
            )
            if "error" in shot:
                raise RuntimeError(shot["error"].get("message", "screenshot failed"))
            return base64.b64decode(shot["result"]["data"])
        finally:
            await browser.close_tab(tab.target_id)


def in_browser(
    what: str, figures: Sequence[FigureJob] = (), pages: Sequence[Page] = ()
) -> tuple[list[bytes], list[bytes]]:
    """Render ``figures`` and ``pages`` in the kept browser (started if need be); a browser
    that cannot start or render is :class:`ExportUnavailable`, said in one line."""
    chromium = require_chromium(what)
    try:
        return _KEPT.run(chromium, figures, pages)
    except Exception as error:
        raise ExportUnavailable(
            f"{what} export failed: Chromium ({chromium}) could not render the images "
            f"({_reason(error)}); {SETUP_HINT}"
        ) from error


def kept_browser_pid() -> int | None:
    """The process id of the Chromium kept between exports, if one is running (for tests and
    diagnostics)."""
    return _KEPT.pid()


def _reason(error: BaseException) -> str:
    """The error's own first message, on one line.

    >>> _reason(RuntimeError(("The browser closed.", "More advice.")))
    'RuntimeError: The browser closed.'
    """
    first = error.args[0] if error.args else ""
    if isinstance(first, tuple | list) and first:
        first = first[0]
    text = " ".join(str(first).split())
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__
