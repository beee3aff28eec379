"""The Chromium browser that renders the PDF's charts and the PNG: found, started once per
export (kaleido), and asked for PNGs of plotly figures and screenshots of whole HTML pages.

Debian's ``/usr/bin/chromium``, or ``BROWSER_PATH``; without one the exports raise
:class:`ExportUnavailable` with what to do.

Examples
--------
>>> issubclass(ExportUnavailable, CxmapError), PNG_SCALE
(True, 2)
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import os
import shutil
import tempfile
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
    figure: go.Figure
    width: int
    height: int


async def _render(
    chromium: Path, figures: Sequence[FigureJob], pages: Sequence[str]
) -> tuple[list[bytes], list[bytes]]:
    """PNGs of plotly figures (kaleido) and of whole HTML pages, in one browser."""
    import kaleido  # type: ignore[import-untyped]  # imported here: only PDF and PNG need it

    images: list[bytes] = []
    shots: list[bytes] = []
    async with kaleido.Kaleido(
        path=str(chromium), n=1, timeout=RENDER_TIMEOUT, mathjax=False
    ) as browser:
        for job in figures:
            opts = {"format": "png", "width": job.width, "height": job.height, "scale": PNG_SCALE}
            images.append(bytes(await browser.calc_fig(job.figure, opts)))
        for page in pages:
            shots.append(await _screenshot(browser, page))
    return images, shots


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


async def _screenshot(browser: Any, page: str) -> bytes:
    """Load ``page`` (a whole HTML document) in a new window; PNG of all of it."""
    with tempfile.TemporaryDirectory(prefix="cxmap-png-") as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        tab = await browser.create_tab("", window=True)
        try:
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
    what: str, figures: Sequence[FigureJob] = (), pages: Sequence[str] = ()
) -> tuple[list[bytes], list[bytes]]:
    """Run :func:`_render` on its own event loop in a worker thread (the caller may be a
    Streamlit script thread or already inside an event loop)."""
    chromium = require_chromium(what)
    try:
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="cxmap-render") as pool:
            return pool.submit(asyncio.run, _render(chromium, figures, pages)).result()
    except Exception as error:  # a browser that fails to start or render: say so in one line
        raise ExportUnavailable(
            f"{what} export failed: Chromium ({chromium}) could not render the images "
            f"({_reason(error)}); {SETUP_HINT}"
        ) from error


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
