"""The Evidence tab: NPS, CSAT and CES of the whole map with their n (and 95% interval when
n < 30), the rows not scored for sentiment, the metrics per stage, touchpoint, segment, source or
month, the trend by month, and the verbatims, searchable and downloadable.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxmap.analysis import metrics
from cxmap.analysis.evidence import (
    GROUPINGS,
    NO_DATE,
    grouped_metrics,
    languages_text,
    not_scored_languages,
    score_detail,
    score_values,
)
from cxmap.app import cache, tables
from cxmap.app.pages.voice.view import (
    LOOP_TAB,
    MAX_SHOWN,
    VocView,
    cached_frame,
    download,
    no_feedback,
    show_verbatims,
    verbatim_filters,
)
from cxmap.core.context import Context
from cxmap.render import charts

COUNT_COLUMNS = ("Responses", "NPS n", "CSAT n", "CES n (1-7)", "CES n (1-5)", "negative",
                 "neutral", "positive", "not scored")  # fmt: skip
GROUP_FORMATS = {"NPS": "%.0f", "CSAT %": "%.0f", "CSAT mean": "%.2f", "CES mean (1-7)": "%.2f",
                 "CES % agree": "%.0f", "CES mean (1-5)": "%.2f"}  # fmt: skip
CHART_CONFIG = {"displayModeBar": False}


@st.cache_data(show_spinner=False, max_entries=64)
def _grouped(
    _ctx: Context, database_url: str, map_id: int, revision: int, zone: str, by: str
) -> pd.DataFrame:
    frame = cached_frame(_ctx, database_url, map_id, revision, zone)
    return grouped_metrics(frame, by, cache.content_at(_ctx, map_id, revision))


def evidence(view: VocView) -> None:
    """The Evidence tab: KPIs, unscored rows, metrics per group, trend, verbatims."""
    if view.frame.empty:
        no_feedback()
        return
    kpis(view.frame)
    not_scored_warning(view.frame)
    st.subheader("By stage, touchpoint, segment, source or month")
    by_group(view)
    trend(view.frame)
    st.subheader("What customers say")
    rows = verbatim_filters(view, "evidence")
    shown = rows.head(MAX_SHOWN)
    show_verbatims(shown, "evidence_verbatims")
    download(rows, view, "evidence")


def feedback_period(dates: pd.Series) -> str:
    """The period feedback rows span, as a KPI names it (every figure says its period).

    >>> feedback_period(pd.Series(pd.to_datetime(["2024-03-28", "2024-01-03", None])))
    'all feedback, 3 Jan 2024 – 28 Mar 2024'
    >>> feedback_period(pd.Series([], dtype="datetime64[ns]"))
    'all feedback (no dates)'
    """
    known = pd.to_datetime(dates, errors="coerce").dropna()
    if known.empty:
        return "all feedback (no dates)"
    first, last = known.min(), known.max()
    return f"all feedback, {first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def kpis(frame: pd.DataFrame) -> None:
    """NPS, CSAT and CES of the whole map, each with its n (and interval when n < 30), under
    the period the rows span."""
    nps = metrics.nps(score_values(frame["nps"]))
    csat = metrics.csat(score_values(frame["csat"]))
    ces7 = metrics.ces(score_values(frame.loc[frame["ces_scale"] == 7, "ces"]), scale=7)
    ces5 = metrics.ces(score_values(frame.loc[frame["ces_scale"] == 5, "ces"]), scale=5)
    mix = metrics.sentiment_mix(frame.loc[frame["text"].str.strip() != "", "label"].tolist())
    st.caption(
        f"Over {feedback_period(frame['date'])} (the Executive Summary shows the last 90 days)."
    )
    columns = st.columns(4)
    columns[0].metric(
        "NPS",
        "–" if nps.value is None else f"{nps.value:.0f}",
        score_detail(nps),
        delta_color="off",
        delta_arrow="off",
        help="Net Promoter Score: % promoters (9–10) minus % detractors (0–6) of the 0–10 "
        f"answers, −100…100. {nps.promoters} promoters, {nps.passives} passives, "
        f"{nps.detractors} detractors. Below 30 answers the 95% interval shows how rough it is.",
        border=True,
    )
    columns[1].metric(
        "CSAT",
        "–" if csat.value is None else f"{csat.value:.0f}%",
        score_detail(csat) + ("" if csat.mean is None else f" · mean {csat.mean:.1f}"),
        delta_color="off",
        delta_arrow="off",
        help="Customer satisfaction: the share of 1–5 answers that are 4 or 5 (satisfied).",
        border=True,
    )
    ces = ces7 if ces7.n or not ces5.n else ces5
    ces_detail = score_detail(ces, 1)
    if ces.scale == 7 and ces.agree is not None:
        ces_detail = f"{ces.agree:.0f}% agree · " + ces_detail
    columns[2].metric(
        f"CES (1–{ces.scale})",
        "–" if ces.value is None else f"{ces.value:.1f}",
        ces_detail,
        delta_color="off",
        delta_arrow="off",
        help="Customer effort. On the 1–7 agreement scale (“it was easy to…”): the mean, and "
        "the share agreeing (5–7), higher is better. On the 1–5 effort scale: the mean, lower "
        "is better." + (f" The 1–5 answers: {ces5.label(1)}." if ces7.n and ces5.n else ""),
        border=True,
    )
    scored = mix.scored
    columns[3].metric(
        "Negative verbatims",
        "–" if not scored else f"{100 * mix.negative / scored:.0f}%",
        f"{mix.negative:,} of {scored:,} scored",
        delta_color="off",
        delta_arrow="off",
        help="Of the verbatims scored for sentiment, the share that is negative. Rows in other "
        "languages than English are not scored and not counted here.",
        border=True,
    )


def not_scored_warning(frame: pd.DataFrame) -> None:
    """Say how many verbatims the sentiment model could not read, and what that means."""
    counts = not_scored_languages(frame)
    total = sum(counts.values())
    if not total:
        return
    st.warning(
        f"**{total:,} verbatim{'s are' if total > 1 else ' is'} not scored** for sentiment "
        f"({languages_text(counts)}). The sentiment model (VADER) reads English only, so these "
        "are shown as the customers wrote them and counted as “not scored”, never as neutral. "
        "Their NPS, CSAT and CES answers still count. Read them with the sentiment filter "
        f"“not scored”, and set their sentiment by hand on the **{LOOP_TAB}** tab.",
        icon="🌐",
    )


def by_group(view: VocView) -> None:
    """The metrics per stage, touchpoint, segment, source or month: a chart and a table."""
    by = st.segmented_control(
        "Group by",
        list(GROUPINGS),
        default="stage",
        format_func=lambda g: GROUPINGS[g],
        required=True,
        key="voc_group_by",
    )
    by = by or "stage"
    table = _grouped(view.ctx, view.ctx.db.url, view.map_id, view.revision, str(view.ctx.zone), by)
    points = group_points(table, by)
    if any(p.value is not None for p in points):
        st.plotly_chart(
            charts.voc_group_figure(points, "NPS"),
            config=CHART_CONFIG,
            theme=None,
            key=f"voc_group_chart_{by}",
        )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        placeholder="",  # a group nobody scored shows a blank, not "None"
        key=f"voc_group_table_{by}",
        column_config={
            **tables.counts(c for c in table.columns if c in COUNT_COLUMNS),
            **tables.number_columns(GROUP_FORMATS),
        },
    )
    st.caption(
        "n: how many answered. Where n < 30 the NPS 95% interval is given (and the bar is "
        "pale with a whisker): read those groups as rough."
    )


def trend(frame: pd.DataFrame) -> None:
    """NPS and CSAT by month, when at least two months have answers."""
    series = monthly_points(frame)
    months = {p.label for points in series.values() for p in points if p.n}
    if len(months) < 2:
        return
    st.subheader("NPS and CSAT by month")
    st.plotly_chart(
        charts.voc_trend_figure(series), config=CHART_CONFIG, theme=None, key="voc_trend"
    )
    st.caption("Hollow points: fewer than 30 answers that month (the hover gives the interval).")


def score_point(label: str, score: metrics.Score) -> charts.ScorePoint:
    """A score as a point of :mod:`cxmap.render.charts`."""
    return charts.ScorePoint(label, score.value, score.n, score.low, score.high)


def group_points(table: pd.DataFrame, by: str) -> list[charts.ScorePoint]:
    """NPS per group of a :func:`grouped_metrics` table, for :func:`charts.voc_group_figure`
    (none when nobody gave an NPS answer)."""
    points: list[charts.ScorePoint] = []
    if "NPS" not in table:
        return points
    for row in table.to_dict("records"):
        low, high = _interval(row["NPS 95%"])
        value = row["NPS"]
        points.append(
            charts.ScorePoint(
                str(row[GROUPINGS[by]]),
                None if pd.isna(value) else float(value),
                int(row["NPS n"]),
                low,
                high,
            )
        )
    return points


def _interval(text: str) -> tuple[float | None, float | None]:
    if not text:
        return None, None
    low, high = text.split("…")
    return float(low), float(high)


def monthly_points(frame: pd.DataFrame) -> dict[str, list[charts.ScorePoint]]:
    """NPS and CSAT % per month that has dated answers (empty when nothing is dated)."""
    dated = frame[frame["month"] != NO_DATE]
    series: dict[str, list[charts.ScorePoint]] = {"NPS": [], "CSAT %": []}
    for month, part in dated.groupby("month", sort=True):
        series["NPS"].append(score_point(str(month), metrics.nps(score_values(part["nps"]))))
        series["CSAT %"].append(score_point(str(month), metrics.csat(score_values(part["csat"]))))
    return {name: points for name, points in series.items() if any(p.n for p in points)}
