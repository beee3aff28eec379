"""Streamlit helpers shared by every page: the one module besides pages/ that imports streamlit.

Every page starts with :func:`page_setup`, which configures the page, opens the (migrated)
database and returns the map selected in the URL (``?map=<id>``), so a link opens the same map
and a page opened directly by URL works. The pages about one map start with :func:`map_page`
(title first) or :func:`require_map` (title after the map is known), which stop the page with
a pointer to the home page when no map is selected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from cxmap import services
from cxmap.app import team
from cxmap.core.config import load_settings
from cxmap.core.context import Context, zone_named
from cxmap.core.errors import ConflictError, CxmapError, Forbidden
from cxmap.core.messages import Message, render
from cxmap.core.records import MapRecord

T = TypeVar("T")
MAP_PARAM = "map"
MAP_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and small enough for any database
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


# The sidebar's pages: (script, label, icon). Streamlit's own navigation would call the home
# page "app" (its file name) and drop ``?map=`` from its links; this one keeps the map.
PAGES = (
    ("app.py", "All maps", "🗺️"),
    ("pages/1_Personas.py", "Personas", "🧑‍🤝‍🧑"),
    ("pages/2_Journey_Builder.py", "Journey Builder", "🧱"),
    ("pages/3_Journey_Map.py", "Journey Map", "🧭"),
    ("pages/4_Friction.py", "Friction", "🔥"),
    ("pages/5_Voice_of_Customer.py", "Voice of Customer", "📣"),
    ("pages/6_Executive_Summary.py", "Executive Summary", "📊"),
)


def page_setup(title: str, icon: str = "🗺️") -> tuple[Context, MapRecord | None]:
    """Configure the page and its sidebar navigation; return the request context and the map
    selected in the URL (or None)."""
    st.set_page_config(page_title=f"{title} · cxmap", page_icon=icon, layout="wide")
    # The browser's time zone (UTC when it sends none, or one this machine does not know).
    base = services.open_context(load_settings().database_url).in_zone(
        zone_named(st.context.timezone)
    )
    ctx = base.acting_as(team.acting_user(base, title))  # stops at the sign-in form in team mode
    journey = selected_map(ctx)
    navigation(journey, ctx)
    return ctx, journey


def map_page(
    title: str,
    heading: str,
    no_map: Callable[[], None],
    *,
    icon: str = "🗺️",
    layout: Callable[[], None] | None = None,
) -> tuple[Context, MapRecord]:
    """:func:`page_setup`, then ``layout()`` (page-wide styles), the page's ``heading`` and
    the flash message; without a selected map, ``no_map()`` says what to do and the page stops."""
    ctx, journey = page_setup(title, icon)
    if layout is not None:
        layout()
    st.title(heading)
    show_flash()
    if journey is None:
        no_map()
        st.stop()
    return ctx, journey


def require_map(journey: MapRecord | None, heading: str, hint: str) -> MapRecord:
    """The selected map; without one, the page's ``heading``, the ``hint`` and a link to the
    home page, and the page stops."""
    if journey is None:
        st.title(heading)
        st.info(hint)
        st.page_link("app.py", label="Choose a map", icon="🗺️")
        st.stop()
    return journey


def navigation(journey: MapRecord | None, ctx: Context) -> None:
    """Links to every page in the sidebar (a share link's two pages only), carrying the
    selected map (``?map=<id>``), so a link copied from them opens the same map; then who is
    acting."""
    actor = ctx.actor
    params = {MAP_PARAM: str(journey.id)} if journey is not None else None
    shared = actor is not None and actor.share_map_id is not None
    with st.sidebar.container(key="cxmap_nav"):
        for script, label, icon in PAGES:
            if shared and label not in ("Journey Map", "Executive Summary"):
                continue
            st.page_link(script, label=label, icon=icon, query_params=params)
        if journey is not None:
            st.caption(f"Map: **{md_escape(journey.name)}**")
        st.divider()
    team.account_box(ctx)


def selected_map(ctx: Context) -> MapRecord | None:
    """The map named by ``?map=<id>``; falls back to this tab's last choice when the URL has none
    (Streamlit's page links drop query parameters) and writes it back into the URL."""
    raw = st.query_params.get(MAP_PARAM) or st.session_state.get("selected_map")
    if raw is None:
        return None
    if not MAP_ID.fullmatch(str(raw)):
        st.warning(f"The link names map “{md_escape(str(raw)[:40])}”, which is not a map id.")
        forget_map()
        return None
    try:
        journey = services.get_map(ctx, int(raw))
    except Forbidden:
        st.warning(f"You have no role on map {int(raw)}; ask its owner to share it with you.")
        forget_map()
        return None
    except CxmapError:
        st.warning(f"Map {int(raw)} no longer exists; pick another one on the home page.")
        forget_map()
        return None
    select_map(journey.id)
    return journey


def select_map(map_id: int) -> None:
    """Make ``map_id`` this tab's map, in the session and in the URL (``?map=<id>``)."""
    st.session_state["selected_map"] = map_id
    if st.query_params.get(MAP_PARAM) != str(map_id):
        st.query_params[MAP_PARAM] = str(map_id)


def forget_map() -> None:
    """No map is selected any more: neither in this tab's session nor in the URL."""
    st.session_state.pop("selected_map", None)
    if MAP_PARAM in st.query_params:
        del st.query_params[MAP_PARAM]


EDITING_ROLES = ("editor", "owner")
READ_ONLY_NOTE = "🔒 Read only: you are a viewer of this map."


def can_edit(ctx: Context, journey: MapRecord) -> bool:
    """Whether this page run offers changes to ``journey``: yes for its editors and owners
    (and in local mode), no for its viewers and a share link. Decide once per page run and
    pass it down; the services refuse a viewer's write anyway, this only hides the offer."""
    return services.my_role(ctx, journey.id) in EDITING_ROLES


def read_only_note() -> None:
    """The one line where a viewer finds a section's edit controls left out."""
    st.caption(READ_ONLY_NOTE)


def md_escape(text: str) -> str:
    """Escape user text for st.markdown: no markup, links or images from user input.

    >>> md_escape("**Big** [deal](http://x)")
    '\\\\*\\\\*Big\\\\*\\\\* \\\\[deal\\\\]\\\\(http\\\\://x\\\\)'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def words(message: Message | str) -> str:
    """A message in words, in the session's language (English for now), as plain text."""
    return render(message)


def md_words(message: Message | str) -> str:
    """:func:`words`, escaped for ``st.markdown``."""
    return md_escape(words(message))


def run_action(action: Callable[[], T], success: str | None = None) -> T | None:
    """Run a service call; show a domain error (or conflict) instead of a traceback.

    Returns the call's result, or None when it failed (the error is already on screen).
    """
    try:
        result = action()
    except ConflictError as error:
        st.error(f"Not saved: {md_words(error.reason)}", icon="⚠️")
        return None
    except CxmapError as error:
        st.error(md_words(error.reason), icon="⚠️")
        return None
    if success:
        st.toast(md_escape(success), icon="✅")
    return result


def list_key(prefix: str, *parts: object) -> str:
    """A widget key that changes whenever ``parts`` change (so the widget starts afresh).

    >>> list_key("t", [1, 2], 0) == list_key("t", [1, 2], 0) != list_key("t", [2, 1], 0)
    True
    """
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:12]
    return f"{prefix}_{digest}"


def flash(message: str) -> None:
    """Show ``message`` (plain text, escaped here) once after the next rerun."""
    st.session_state["_flash"] = md_escape(message)


def show_flash() -> None:
    """Show the message :func:`flash` left for this run, once."""
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message, icon="✅")


def relative_time(moment: Any) -> str:
    """'3 min ago' style for a UTC timestamp."""
    seconds = (dt.datetime.now(dt.UTC) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if unit == 'day' and n > 1 else ''} ago"
    return moment.strftime("%Y-%m-%d")
