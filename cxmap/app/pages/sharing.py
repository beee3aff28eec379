"""The Sharing panel of the home page (team mode, owners): who holds which role on the map, and
read-only share links for people without an account (executives)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from cxmap import services
from cxmap.app import shell
from cxmap.core.context import Context
from cxmap.core.records import MapRecord

ROLE_CHOICES = ("viewer", "editor", "owner", "none")


def _when(moment: object) -> str:
    return shell.relative_time(moment) if moment else "never"


def sharing_panel(ctx: Context, journey: MapRecord) -> None:
    """Roles and share links of the map, for its owners."""
    st.markdown("**People**")
    roles = services.map_roles(ctx, journey.id)
    st.dataframe(
        pd.DataFrame([{"Name": r["name"], "Role": r["role"]} for r in roles]),
        hide_index=True,
        width="stretch",
        key=f"roles_{journey.id}",
    )
    with st.form(f"grant_{journey.id}", clear_on_submit=True):
        name_column, role_column = st.columns([2, 1])
        name = name_column.text_input("Account name", max_chars=64)
        role = role_column.selectbox("Role", ROLE_CHOICES, help="none takes the role away")
        if st.form_submit_button("Set role") and name.strip():
            account = shell.run_action(lambda: services.set_role(ctx, journey.id, name, role))
            if account:
                shell.flash(f"{account}: {role} on {journey.name}.")
                st.rerun()

    st.markdown("**Share links** (read only: the Executive Summary and the Journey Map)")
    created = st.session_state.pop(f"new_share_link_{journey.id}", None)
    if created:
        st.success("New link: copy it now, it is shown only this once.")
        st.code(created, language=None)
    links = services.share_links(ctx, journey.id)
    if links:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Link": f"#{link['id']}",
                        "State": "revoked" if link["revoked_at"] else "active",
                        "Created": f"{_when(link['created_at'])} by {link['created_by']}",
                        "Expires": f"{link['expires_at']:%Y-%m-%d}"
                        if link["expires_at"]
                        else "never",
                        "Last used": _when(link["last_used_at"]),
                    }
                    for link in links
                ]
            ),
            hide_index=True,
            width="stretch",
            key=f"links_{journey.id}",
        )
    days_column, create_column = st.columns([1, 1], vertical_alignment="bottom")
    days = days_column.number_input(
        "Valid for (days, 0 = no end)", min_value=0, max_value=3650, value=30, step=1
    )
    if create_column.button("🔗 Create a share link", key=f"create_link_{journey.id}"):
        link = shell.run_action(
            lambda: services.create_share_link(ctx, journey.id, int(days) or None)
        )
        if link is not None:
            st.session_state[f"new_share_link_{journey.id}"] = f"{_base_url()}/?share={link.token}"
            st.rerun()
    active = [link["id"] for link in links if not link["revoked_at"]]
    if active:
        revoke_column, button_column = st.columns([1, 1], vertical_alignment="bottom")
        chosen = revoke_column.selectbox(
            "Revoke", active, format_func=lambda i: f"link #{i}", key=f"revoke_{journey.id}"
        )
        if button_column.button("Revoke now", key=f"revoke_button_{journey.id}"):
            revoked = shell.run_action(lambda: services.revoke_share_link(ctx, int(chosen)))
            if revoked is not None:
                shell.flash(f"Revoked link #{chosen}.")
                st.rerun()


def _base_url() -> str:
    """The address this browser reached the app at, without the page and its parameters."""
    url = urlsplit(st.context.url or "http://localhost:8501")
    return f"{url.scheme}://{url.netloc}"
