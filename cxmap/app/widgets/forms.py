"""Pieces of forms that several pages share: the settings forms, which a viewer sees with the
same values, disabled, and no button that saves."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import streamlit as st

from cxmap.app import shell


def settings_form(key: str, editable: bool) -> AbstractContextManager[Any]:
    """``st.form`` for someone who may save; a plain container for a viewer (a form without a
    submit button is an error), whose inputs are drawn ``disabled``."""
    return st.form(key, border=False) if editable else st.container()


def save_or_reset_buttons(editable: bool = True) -> tuple[bool, bool]:
    """The "Save for this map" / "Reset to defaults" pair at the foot of a settings form; for a
    viewer, the read-only note instead.

    Call inside :func:`settings_form`; returns which of the two was pressed.
    """
    if not editable:
        shell.read_only_note()
        return False, False
    save_column, reset_column, _ = st.columns([1, 1, 3])
    save = save_column.form_submit_button("Save for this map", type="primary")
    reset = reset_column.form_submit_button("Reset to defaults")
    return save, reset


def save_button(label: str, editable: bool) -> bool:
    """A form's one submit button; for a viewer, the read-only note instead."""
    if not editable:
        shell.read_only_note()
        return False
    return st.form_submit_button(label, type="primary")
