"""Pieces of forms that several pages share."""

from __future__ import annotations

import streamlit as st


def save_or_reset_buttons() -> tuple[bool, bool]:
    """The "Save for this map" / "Reset to defaults" pair at the foot of a settings form.

    Call inside ``st.form``; returns which of the two was pressed.
    """
    save_column, reset_column, _ = st.columns([1, 1, 3])
    save = save_column.form_submit_button("Save for this map", type="primary")
    reset = reset_column.form_submit_button("Reset to defaults")
    return save, reset
