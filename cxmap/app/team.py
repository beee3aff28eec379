"""Who is using this browser tab: local mode's guard and banner, team mode's sign-in, share links.

:func:`acting_user` runs first on every page (from :func:`cxmap.app.shell.page_setup`). In
local mode it refuses to serve when Streamlit listens beyond this computer, and returns None
(the local operator). In team mode it returns the signed-in account or the share link of the
URL's ``?share=TOKEN``; otherwise it draws the sign-in form and stops the page, so nothing of any
map, not even a name, reaches a browser before sign-in.

A sign-in is a server-side session (:func:`cxmap.services.start_session`): the browser gets its
random token as the ``cxmap_session`` cookie (set by a tiny script on the page, Path=/,
SameSite=Strict, Secure on https), which Streamlit hands back on the next connection
(``st.context.cookies``), so a reload or a new tab stays signed in. Every page run asks the
database about the session again, so it ends everywhere after ``CXMAP_SESSION_IDLE_MINUTES``
without a page run, at sign-out, at a new password and with its account. A share link never
gets a cookie.

With an ``[auth]`` section in ``.streamlit/secrets.toml``, the sign-in page also offers "Sign in
with …" for each identity provider (``st.login``); the email the provider vouches for
(``st.user``) is matched to an account (:func:`cxmap.services.sign_in_with_identity`), which then
gets a session like a password sign-in. An email no account has is refused, with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import streamlit as st

from cxmap import services
from cxmap.core.access import LOOPBACK
from cxmap.core.config import load_settings
from cxmap.core.context import Actor, Context
from cxmap.core.errors import CxmapError

ACTOR_KEY = "cxmap_actor"
TOKEN_KEY = "cxmap_session_token"  # this tab's sign-in session (its cookie's value)
COOKIE_KEY = "cxmap_cookie_pending"  # the cookie to write on the next page run ("": remove)
STALE_KEY = "cxmap_stale_cookie"  # a session cookie of this connection that no longer works
COOKIE = "cxmap_session"
REFUSAL_KEY = "cxmap_oidc_refusal"  # why the identity provider's sign-in was refused
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
    actor = _share_link_actor(ctx) or _signed_in_actor(ctx) or _provider_actor(ctx)
    if actor is None:
        sign_in_form(ctx)
        _write_cookie()
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


def _signed_in_actor(ctx: Context) -> Actor | None:
    """The account this tab's session is signed in as, checked with the database on every
    run; a tab without one (a reload, a new tab) takes the browser's session cookie."""
    token = st.session_state.get(TOKEN_KEY)
    if isinstance(token, str):
        try:
            actor = services.resume_session(ctx, token)
        except services.SessionEnded as ended:  # idle, or signed out in another tab
            sign_out(forget_cookie=True)
            st.info(ended.message)
            return None
        st.session_state[ACTOR_KEY] = actor
        return actor
    # The cookie the browser sent when this tab connected: it stays the same for the tab's
    # whole connection, so one that did not work is not asked about again.
    cookie = st.context.cookies.get(COOKIE)
    if not isinstance(cookie, str) or not cookie or cookie == st.session_state.get(STALE_KEY):
        return None
    try:
        actor = services.resume_session(ctx, cookie)
    except services.SessionEnded as ended:
        # Signed out, or expired: forget the cookie; the form keeps what is typed in it.
        st.session_state[STALE_KEY] = cookie
        st.session_state[COOKIE_KEY] = ""
        if ended.idle:
            st.info(ended.message)
        return None
    _clear_tab()  # nothing of a previous user stays in the tab
    st.session_state[ACTOR_KEY] = actor
    st.session_state[TOKEN_KEY] = cookie
    return actor


def _auth_section() -> Mapping[str, Any]:
    """The ``[auth]`` section of ``.streamlit/secrets.toml`` ({} without one)."""
    if not st.secrets.load_if_toml_exists():
        return {}
    section = st.secrets.get("auth")
    return section if isinstance(section, Mapping) else {}


def identity_providers(auth: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    """The identity providers (OpenID Connect) set up in ``[auth]``: ``(name, label)``, where
    ``name`` is what ``st.login`` takes (None: the unnamed one, set in ``[auth]`` itself).

    >>> identity_providers({"redirect_uri": "…", "keycloak": {"client_id": "cxmap"},
    ...                     "microsoft": {"client_id": "…"}})
    [('keycloak', 'Keycloak'), ('microsoft', 'Microsoft')]
    >>> identity_providers({"client_id": "…"}), identity_providers({})
    ([(None, 'your identity provider')], [])
    """
    found: list[tuple[str | None, str]] = []
    if "client_id" in auth:
        found.append((None, "your identity provider"))
    for name, value in sorted(auth.items()):
        if isinstance(value, Mapping) and "client_id" in value:
            found.append((str(name), str(name).replace("-", " ").title()))
    return found


def _provider_actor(ctx: Context) -> Actor | None:
    """The account an identity provider has just signed in (``st.user``, when ``[auth]`` is
    set up), matched by email; it gets a session and a cookie like a password sign-in. A
    refusal is shown above the sign-in form; an answer already used (``oidc.stale``: after a
    sign-out, say) shows the form alone."""
    if not identity_providers(_auth_section()):
        return None
    user = st.user.to_dict()
    if user.get("is_logged_in") is not True:
        return None
    issued = user.get("iat")
    verified = user.get("email_verified")
    email = user.get("email")
    try:
        actor = services.sign_in_with_identity(
            ctx,
            email if isinstance(email, str) else None,
            issued_at=(
                dt.datetime.fromtimestamp(issued, dt.UTC)
                if isinstance(issued, int | float) and not isinstance(issued, bool)
                else None
            ),
            verified=verified if isinstance(verified, bool) else None,
        )
    except services.SignInRefused as refused:
        if getattr(refused.reason, "code", None) != "oidc.stale":
            st.session_state[REFUSAL_KEY] = refused.message  # shown by the sign-in form
        return None
    token = services.start_session(ctx.acting_as(actor))
    _clear_tab()  # nothing of a previous user stays in the tab
    st.session_state[ACTOR_KEY] = actor
    st.session_state[TOKEN_KEY] = st.session_state[COOKIE_KEY] = token
    return actor


def sign_in_form(ctx: Context) -> None:
    """The sign-in form: the same answer for an unknown name and a wrong password."""
    st.title("🗺️ cxmap")
    st.caption("Sign in to see and edit your team's journey maps.")
    refusal = st.session_state.pop(REFUSAL_KEY, None)
    if isinstance(refusal, str):  # the identity provider's sign-in was refused
        from cxmap.app.shell import md_escape  # (shell imports this module)

        st.error(md_escape(refusal))  # (the email is the provider's text)
        if st.button("Use another account", key="cxmap_oidc_logout"):
            st.logout()
    with st.form("sign_in", enter_to_submit=True, width=480):  # not 1,900 px of field
        name = st.text_input("Name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    for provider, label in identity_providers(_auth_section()):
        if st.button(f"Sign in with {label}", key=f"cxmap_oidc_{provider or 'default'}"):
            st.login(provider)
    if not submitted:
        return
    try:
        actor = services.sign_in(ctx, name, password, client=st.context.ip_address or "")
    except CxmapError as refused:
        st.error(refused.message)
        return
    token = services.start_session(ctx.acting_as(actor))
    _clear_tab()  # nothing of a previous user stays in the tab
    st.session_state[ACTOR_KEY] = actor
    st.session_state[TOKEN_KEY] = st.session_state[COOKIE_KEY] = token
    st.rerun()


def _clear_tab() -> None:
    for key in list(st.session_state):
        del st.session_state[key]


def sign_out(ctx: Context | None = None, *, forget_cookie: bool = False) -> None:
    """Forget who is signed in in this tab (and everything the tab held); with ``ctx``, end
    the session in the database too (every tab of the browser is signed out), and with
    either, remove the browser's cookie on the next page run."""
    token = st.session_state.get(TOKEN_KEY)
    if ctx is not None and isinstance(token, str):
        services.end_session(ctx, token)
    _clear_tab()
    if isinstance(token, str):
        st.session_state[STALE_KEY] = token  # (the tab's connection may still send it)
    if ctx is not None or forget_cookie:
        st.session_state[COOKIE_KEY] = ""


def _write_cookie() -> None:
    """Hand the browser its session cookie, or remove it, when a sign-in or sign-out asked
    for it: a tiny script in the page (Streamlit sets no cookie of its own). Secure on https;
    SameSite=Strict, so no other site's page sends it; a session cookie, which the browser
    drops when it closes (the server ends it after the idle time anyway)."""
    pending = st.session_state.pop(COOKIE_KEY, None)
    if pending is None:
        return
    value = f"{COOKIE}={pending}; Path=/; SameSite=Strict" + ("" if pending else "; Max-Age=0")
    st.html(
        "<script>document.cookie = "
        f"{json.dumps(value)} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def account_box(ctx: Context) -> None:
    """The sidebar's line about who is acting: local mode's warning, the signed-in name with a
    Sign out button, or the share link's read-only note."""
    actor = ctx.actor
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
    with st.sidebar:
        _write_cookie()
    if st.sidebar.button("Sign out", key="cxmap_sign_out"):
        sign_out(ctx)
        st.rerun()
