"""Column settings for ``st.dataframe`` shared by the pages.

Pages describe a table's number columns as {column: printf format} and get Streamlit's column
configs back, so the formats read as data and not as a column of near-identical calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st


def number_columns(formats: Mapping[str, str], **options: Any) -> dict[str, Any]:
    """One ``NumberColumn`` per column, with its format ("%.1f", "%,d", "localized"…) and the
    same ``options`` (width, help…) for all.

    >>> sorted(number_columns({"NPS": "%.0f", "n": "localized"}))
    ['NPS', 'n']
    """
    return {
        column: st.column_config.NumberColumn(format=text, **options)
        for column, text in formats.items()
    }


def counts(columns: Iterable[str], **options: Any) -> dict[str, Any]:
    """Count columns, shown with the reader's thousands separator.

    >>> list(counts(["Responses", "NPS n"]))
    ['Responses', 'NPS n']
    """
    return number_columns(dict.fromkeys(columns, "localized"), **options)
