"""Who is using this browser tab: local mode's guard and banner, team mode's sign-in, share links.

:func:`acting_user` runs first on every page (from :func:`cxmap.app.shell.page_setup`). In
local mode it refuses to serve when Streamlit listens beyond this computer, and returns None
(the local operator). In team mode it returns the signed-in account or the share link of the
URL's ``?share=TOKEN``; otherwise it draws the sign-in form and stops the page, so nothing of any
map, not even a name, reaches a browser before sign-in. Sign-in lasts for the tab's session and
ends after ``CXMAP_SESSION_IDLE_MINUTES`` without a page run.
"""

from __future__ import annotations

import time

import streamlit as st

from cxmap import services
from cxmap.core.access import LOOPBACK
from cxmap.core.config import load_settings
from cxmap.core.context import Actor, Context
from cxmap.core.errors import CxmapError
from cxmap.core.messages import Message, render

ACTOR_KEY = "cxmap_actor"
SEEN_KEY = "cxmap_last_seen"
SHARE_PARAM = "share"
# What a share link may open: the one-page summary and the map itself, read only.
SHARE_PAGES = ("Journey map", "Executive summary")
HOME_PAGE = "All maps"  # app.py's title: a share link opened there goes on to the summary


def acting_user(ctx: Context, page_title: str) -> Actor | None:
    """The actor of this page run (None: local mode); stops the page when there is none yet."""
    settings = load_settings()
    if settings.mode == "local":
        _refuse_a_public_address()
        return None
    actor = _share_link_actor(ctx) or _signed_in_actor(settings.session_idle_minutes)
    if actor is None:
        sign_in_form(ctx)
        st.stop()
    if actor.share_map_id is not None and page_title == HOME_PAGE:
        # The link an owner copies is the home page's (/?share=TOKEN): it opens the summary.
        st.switch_page(
            "pages/6_Executive_Summary.py", query_params={"map": str(actor.share_map_id)}
        )
    if actor.share_map_id is not None and page_title not in SHARE_PAGES:
        st.error("A share link opens the Executive Summary and the Journey Map of its map only.")
        for script, label in (("pages/6_Executive_Summary.py", "Executive Summary"),
                              ("pages/3_Journey_Map.py", "Journey Map")):  # fmt: skip
            st.page_link(script, label=label, query_params={"map": str(actor.share_map_id)})
        st.stop()
    return actor


def _refuse_a_public_address() -> None:
    address = str(st.get_option("server.address") or "")
    if address not in LOOPBACK:
        st.error(
            f"cxmap is in local mode (no sign-in) but listens on {address or 'every address'}: "
            "anyone who can "
            "reach it could edit every map. Listen on 127.0.0.1, or set CXMAP_MODE=team."
        )
        st.stop()


def _share_link_actor(ctx: Context) -> Actor | None:
    token = st.query_params.get(SHARE_PARAM)
    try:
        if not token:
            held = st.session_state.get(ACTOR_KEY)
            if not isinstance(held, Actor) or held.share_map_id is None:
                return None
            services.check_share_link(ctx.acting_as(held))  # revoked since it was opened?
            return held
        actor = services.open_share_link(ctx, str(token))
    except CxmapError as refused:
        sign_out()
        st.error(refused.message)
        st.stop()
    for key in list(st.session_state):  # nothing of a previous user stays in the tab
        del st.session_state[key]
    st.session_state[ACTOR_KEY] = actor
    st.session_state["selected_map"] = actor.share_map_id
    # The token leaves the address bar (and screenshots of it); the tab keeps the link's view.
    del st.query_params[SHARE_PARAM]
    st.query_params["map"] = str(actor.share_map_id)
    return actor


def _signed_in_actor(idle_minutes: float) -> Actor | None:
    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        return None
    now = time.monotonic()
    if now - st.session_state.get(SEEN_KEY, now) > idle_minutes * 60:
        sign_out()
        st.info(render(Message("signin.expired", {"minutes": round(idle_minutes)})))
        return None
    st.session_state[SEEN_KEY] = now
    return actor


def sign_in_form(ctx: Context) -> None:
    """The sign-in form: the same answer for an unknown name and a wrong password."""
    st.title("🗺️ cxmap")
    st.caption("Sign in to see and edit your team's journey maps.")
    with st.form("sign_in", enter_to_submit=True, width=480):  # not 1,900 px of field
        name = st.text_input("Name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    try:
        actor = services.sign_in(ctx, name, password, client=st.context.ip_address or "")
    except CxmapError as refused:
        st.error(refused.message)
        return
    for key in list(st.session_state):  # nothing of a previous user stays in the tab
        del st.session_state[key]
    st.session_state[ACTOR_KEY] = actor
    st.session_state[SEEN_KEY] = time.monotonic()
    st.rerun()


def sign_out() -> None:
    """Forget who is signed in in this tab (and everything the tab held)."""
    for key in list(st.session_state):
        del st.session_state[key]


def account_box(actor: Actor | None) -> None:
    """The sidebar's line about who is acting: local mode's warning, the signed-in name with a
    Sign out button, or the share link's read-only note."""
    if actor is None:
        st.sidebar.markdown(
            ":orange-badge[🔓 Local mode] anyone on this computer can edit every map"
        )
        return
    if actor.share_map_id is not None:
        st.sidebar.markdown(":blue-badge[🔗 Read only] opened with a share link")
        return
    role = "admin · " if actor.is_admin else ""
    st.sidebar.caption(f"Signed in as **{actor.name}** ({role}team mode)")
    if st.sidebar.button("Sign out", key="cxmap_sign_out"):
        sign_out()
        st.rerun()
