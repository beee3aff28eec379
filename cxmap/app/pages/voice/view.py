"""What every tab of the Voice of the Customer page shares: the map's feedback at one revision
(:class:`VocView`, cached by map id and revision), the header, the tabs, and the verbatim search,
table and download that the Evidence and Close-the-loop tabs both show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from cxmap.analysis.evidence import (
    NOT_LINKED,
    SENTIMENT_LABELS,
    SORTS,
    filter_verbatims,
    touchpoint_labels,
    verbatim_frame,
    verbatim_table,
)
from cxmap.app import cache, shell
from cxmap.core.context import Context
from cxmap.core.records import JourneyAggregate, MapRecord
from cxmap.formats import feedback_file

TABS = ("📊 Evidence", "🔁 Close the loop", "📥 Import a file")
EVIDENCE_TAB, LOOP_TAB, IMPORT_TAB = TABS
TAB_KEY = "voc_tab"
MAX_SHOWN = 2000  # verbatims drawn in a table; the download has all that match


@st.cache_data(show_spinner=False, max_entries=16)
def cached_frame(
    _ctx: Context, database_url: str, map_id: int, revision: int, zone: str
) -> pd.DataFrame:
    """The map's feedback as :func:`cxmap.analysis.evidence.verbatim_frame` (cached), dated
    for a viewer in the context's time zone."""
    # Keyed by (database, map id, revision): any change to the map makes a new entry; and by
    # the viewer's time zone (``str(_ctx.zone)``), which dates the rows given at a moment.
    return verbatim_frame(cache.content_at(_ctx, map_id, revision), _ctx.zone)


@dataclass(frozen=True)
class VocView:
    """One map at one revision: its records (``structure``: stages, touchpoints, pain points,
    opportunities, evidence links; shared with every page through :mod:`cxmap.app.cache`), and
    the feedback as a table (``frame``, see :func:`verbatim_frame`); ``editable``: whether this
    run offers changes (no import, corrections or new items for a viewer)."""

    ctx: Context
    journey: MapRecord
    structure: JourneyAggregate
    frame: pd.DataFrame
    editable: bool = True

    @property
    def map_id(self) -> int:
        """The id of the map shown."""
        return self.journey.id

    @property
    def revision(self) -> int:
        """The revision of the map shown (what the cached feedback table is keyed by)."""
        return self.journey.revision


def no_map() -> None:
    """What the page says when no map is selected, with a link to the home page."""
    st.info(
        "No map is selected. Pick or create a map on the home page, then come back here to "
        "bring in what customers say about it."
    )
    st.page_link("app.py", label="Go to the journey maps", icon="🗺️")


def load_view(ctx: Context, journey: MapRecord) -> VocView:
    """The selected map's feedback (cached by map id, revision and the viewer's time zone), and
    whether this run offers changes (decided once: :func:`cxmap.app.shell.can_edit`)."""
    frame = cached_frame(ctx, ctx.db.url, journey.id, journey.revision, str(ctx.zone))
    content = cache.content(ctx, journey)
    return VocView(ctx, journey, content, frame, shell.can_edit(ctx, journey))


def header(view: VocView) -> None:
    """A caption: the map's name, its feedback rows, how many have a verbatim, the revision."""
    frame = view.frame
    texts = int((frame["text"].str.strip() != "").sum())
    st.caption(
        f"Map: {shell.md_escape(view.journey.name)} · {len(frame):,} feedback rows, "
        f"{texts:,} with a verbatim · revision {view.revision}"
    )


def tabs() -> Sequence[Any]:
    """The three tabs; only the open one runs (each is cheap to switch to, costly to run)."""
    return st.tabs(TABS, key=TAB_KEY, on_change="rerun")


def no_feedback() -> None:
    """What an empty map's tabs say instead: where the feedback comes from."""
    st.info(
        "This map has no customer feedback yet. Bring in a survey export (NPS, CSAT, CES), "
        f"reviews, social posts or call notes on the **{IMPORT_TAB}** tab: the scores, the "
        "verbatims and their sentiment appear here."
    )


def verbatim_filters(view: VocView, prefix: str) -> pd.DataFrame:
    """Search and filters over the map's verbatims; returns the matching rows, sorted."""
    frame = view.frame
    labels = touchpoint_labels(view.structure)
    touchpoint_options: list[int | None] = [*labels, None]
    search, sort = st.columns([3, 2])
    text = search.text_input(
        "Search the verbatims", key=f"{prefix}_search", placeholder="e.g. technician"
    )
    order = sort.selectbox("Order", SORTS, key=f"{prefix}_sort")
    where, feeling, origin = st.columns([3, 2, 2])
    touchpoints = where.multiselect(
        "Touchpoints",
        touchpoint_options,
        format_func=lambda t: NOT_LINKED if t is None else labels[t],
        key=f"{prefix}_touchpoints",
        placeholder="All touchpoints",
    )
    sentiments = feeling.multiselect(
        "Sentiment", SENTIMENT_LABELS, key=f"{prefix}_labels", placeholder="Any sentiment"
    )
    sources = origin.multiselect(
        "Source",
        sorted(frame["source"].unique().tolist()),
        key=f"{prefix}_sources",
        placeholder="All sources",
    )
    rows = filter_verbatims(
        frame,
        search=text,
        touchpoint_ids=touchpoints,
        labels=sentiments,
        sources=sources,
        sort=order,
    )
    total = int((frame["text"].str.strip() != "").sum())
    shown = min(len(rows), MAX_SHOWN)
    note = f" (the first {shown:,} are shown; the download has all)" if len(rows) > shown else ""
    st.caption(f"{len(rows):,} of {total:,} verbatims match{note}.")
    return rows


def verbatim_columns() -> dict[str, Any]:
    """Column widths and formats of a :func:`cxmap.analysis.evidence.verbatim_table`."""
    return {
        "Touchpoint": st.column_config.TextColumn(width="medium"),
        "Sentiment": st.column_config.TextColumn(width="small"),
        "Verbatim": st.column_config.TextColumn(width="large"),
        "Score": st.column_config.NumberColumn(
            format="%.2f",
            width="small",
            help="VADER compound score, −1…1 (±0.5 when set by a person)",
        ),
        "NPS": st.column_config.NumberColumn(width="small"),
        "CSAT": st.column_config.NumberColumn(width="small"),
        "CES": st.column_config.NumberColumn(width="small"),
        "Source": st.column_config.TextColumn(width="small"),
        "Channel": st.column_config.TextColumn(width="small"),
        "Date": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
    }


def show_verbatims(rows: pd.DataFrame, key: str, **selection: Any) -> Any:
    """``rows`` as a person reads them (:func:`cxmap.analysis.evidence.verbatim_table`);
    ``selection`` (``on_select``, ``selection_mode``…) makes them pickable."""
    return st.dataframe(
        verbatim_table(rows),
        hide_index=True,
        width="stretch",
        column_config=verbatim_columns(),
        placeholder="",  # a score nobody gave is a blank cell, not "None"
        key=key,
        **selection,
    )


def download(rows: pd.DataFrame, view: VocView, prefix: str) -> None:
    """A button that downloads ``rows`` as CSV (built only when clicked)."""
    st.download_button(
        f"⬇️ Download these {len(rows):,} verbatims (CSV)",
        lambda: feedback_file.spreadsheet_csv(verbatim_table(rows)),
        file_name=f"verbatims-map-{view.map_id}.csv",
        mime="text/csv",
        key=f"{prefix}download",
        on_click="ignore",
        disabled=rows.empty,
    )
