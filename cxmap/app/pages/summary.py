"""The Executive Summary page's pieces: one read-only screen answering how the journey is doing,
where it hurts most and what to fix first; then the details, the editable assumptions of the
at-risk estimate, the CRM-or-CX self-assessment, and the exports in the sidebar.

The top of the page fits a laptop screen (1400 × 900): the three answers, KPI tiles, the top
touchpoints by impact beside the emotion curve, and the moments of truth. On a phone (390 px)
the columns stack, the title wraps below Streamlit's header, and the answers come first, so the
first screen still says how the journey is doing, where it hurts most and what to fix first;
the KPI tiles follow two to a row. Everything shown comes
from :func:`cxmap.analysis.executive.executive_summary`, cached by (map id, revision) like the
figures and the export files; the two forms write through :mod:`cxmap.services` with the map's
version (someone else's change in between is refused, not overwritten).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cxmap import services
from cxmap.analysis import executive, scoring, summary
from cxmap.app import cache, shell, tables
from cxmap.app.widgets import forms
from cxmap.core.context import Context
from cxmap.core.messages import Message, render
from cxmap.core.records import MapRecord
from cxmap.render import charts, report

_CHART_CONFIG = {"displayModeBar": False, "scrollZoom": False}
# What the sidebar offers: label, file suffix, MIME type.
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = (
    ("PDF report", ".pdf", "application/pdf"),
    ("PowerPoint slides", ".pptx", _PPTX),
    ("HTML page (offline)", ".html", "text/html"),
    ("PNG image of the map", ".png", "image/png"),
    ("PNG slide of the summary (16:9)", ".slide.png", "image/png"),
    ("Excel workbook", ".xlsx", _XLSX),
    ("JSON (cxmap-journey)", ".json", "application/json"),
    ("Mermaid diagram", ".mmd", "text/plain"),
)
NEEDS_BROWSER = {".pdf", ".pptx", ".png", ".slide.png"}
# The inputs of the at-risk assumptions: field, label, largest value, step, help, key suffix.
_RISK_INPUTS: tuple[tuple[str, str, float | None, float, str, str], ...] = (
    (
        "leave_after_bad",
        "Leave after one bad experience (%)",
        100.0,
        1.0,
        render(Message("risk.source_leave_help")),
        "leave",
    ),
    (
        "acquisition_multiple",
        "Winning a customer costs × keeping one",
        100.0,
        0.5,
        render(Message("risk.source_multiple_help")),
        "multiple",
    ),
    (
        "value_per_customer",
        "Yearly value of a customer",
        None,
        10.0,
        "In your currency; 0 = unknown (no value at risk is shown).",
        "value",
    ),
    (
        "retention_cost_per_customer",
        "Cost of keeping a customer",
        None,
        10.0,
        "Yearly cost of keeping one customer; 0 = unknown (no cost to win back).",
        "keep",
    ),
)
# Less air above the title than Streamlit's default, so the answers fit a laptop screen. On a
# phone (Streamlit stacks columns below 640 px) the header holds the sidebar's button on the
# left: the title starts below it, smaller, and wraps; the KPI tiles go two to a row.
_COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
[data-testid="stMainBlockContainer"] h1 { padding-top: 0; padding-bottom: 0.4rem;
  overflow-wrap: anywhere; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 4rem 1rem 2rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.75rem; line-height: 1.25; }
  .st-key-summary_answers [data-testid="stVerticalBlock"] { gap: 0.5rem; }
  .st-key-summary_answers p { font-size: 0.95rem; line-height: 1.45; }
  .st-key-summary_kpis [data-testid="stHorizontalBlock"] { flex-wrap: wrap; gap: 0.5rem; }
  .st-key-summary_kpis [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.25rem) !important; min-width: calc(50% - 0.25rem) !important;
    width: calc(50% - 0.25rem) !important; }
  .st-key-summary_kpis [data-testid="stMetricValue"] { font-size: 1.6rem; }
}
</style>"""


# ---------------------------------------------------------------- cached work


@st.cache_resource(show_spinner=False, max_entries=32)
def _summary(
    _ctx: Context, database_url: str, map_id: int, revision: int, zone: str
) -> executive.ExecutiveSummary:
    # Keyed by (database, map id, revision): every change to the map, its settings included, is
    # new; and by the viewer's time zone (``str(_ctx.zone)``), which dates the KPIs' periods.
    aggregate = cache.content_at(_ctx, map_id, revision)
    analysis = cache.analysis_at(_ctx, map_id, revision)
    return executive.executive_summary(aggregate, analysis, zone=_ctx.zone)


@st.cache_data(show_spinner=False, max_entries=32)
def _figures(_ctx: Context, database_url: str, map_id: int, revision: int) -> dict[str, go.Figure]:
    view = _summary(_ctx, database_url, map_id, revision, str(_ctx.zone))
    return {
        "curve": charts.compact_emotion_curve(view.aggregate, view.analysis, height=250),
        # Titles beside the bubbles (up to 15 opportunities): readable on a projector or a
        # phone, where nobody hovers.
        "matrix": charts.opportunity_matrix(view.aggregate, height=470),
        "owners": charts.owner_stage_heatmap(view.analysis),
    }


@st.cache_data(show_spinner=False, max_entries=24)
def _export(_ctx: Context, database_url: str, map_id: int, revision: int, suffix: str) -> bytes:
    return services.export_map(_ctx, map_id, suffix)


@dataclass(frozen=True)
class SummaryView:
    """What the page shows: one map at one revision."""

    ctx: Context
    journey: MapRecord
    summary: executive.ExecutiveSummary

    @property
    def figures(self) -> dict[str, go.Figure]:
        """The emotion curve, opportunity matrix and owner × stage heatmap (cached by revision)."""
        return _figures(self.ctx, self.ctx.db.url, self.journey.id, self.journey.revision)


def load(ctx: Context, journey: MapRecord) -> SummaryView:
    """The page's view of ``journey`` at its revision (the summary cached by map and revision)."""
    summary = _summary(ctx, ctx.db.url, journey.id, journey.revision, str(ctx.zone))
    return SummaryView(ctx, journey, summary)


# ---------------------------------------------------------------- the top of the page


def compact_layout() -> None:
    """Less air above the title than Streamlit's default, so the top of the page fits a laptop."""
    st.html(_COMPACT_CSS)


def no_map() -> None:
    """What the page says when no map is selected, with a link to the home page."""
    st.info("No map is selected. Pick or create a map on the home page, then come back here.")
    st.page_link("app.py", label="Go to the journey maps", icon="🗺️")


def header(view: SummaryView) -> None:
    """The map's name and what the numbers cover, on one line under the title."""
    aggregate = view.summary.aggregate
    facts = [
        f"**{shell.md_escape(view.journey.name)}**",
        f"{view.journey.state} state",
        f"{len(aggregate.touchpoints)} touchpoints",
        f"{len(aggregate.feedback)} feedback rows",
    ]
    if view.summary.period:
        facts.append(f"feedback {shell.md_escape(view.summary.period)}")
    st.caption(" · ".join(facts))


def empty_map() -> None:
    """What the page says for a map with no touchpoints yet, and where to add them."""
    st.info(
        "This map has no touchpoints yet, so there is nothing to sum up. Add stages and "
        "touchpoints on the Journey Builder page, with what customers feel, effort, pain points "
        "or feedback: the KPIs, the friction and the moments of truth appear here.",
        icon="🧭",
    )


def kpi_tiles(view: SummaryView) -> None:
    """Health, completion, NPS, CSAT and CES, with n and the change on the period before."""
    tiles = view.summary.tiles()
    kpis = st.container(key="summary_kpis")  # the key styles it on phones (_COMPACT_CSS)
    for column, tile in zip(kpis.columns(len(tiles)), tiles, strict=True):
        column.metric(
            tile.label if tile.n is None else f"{tile.label} · n = {tile.n}",
            tile.value,
            delta=tile.change,
            delta_color="normal",
            help=f"{tile.help} ({tile.detail}"
            + (f"; the change is {executive.COMPARED})" if tile.change else ")"),
            border=True,
            height="stretch",
        )
    if not view.summary.has_dated_feedback:
        st.caption("No feedback with dates: no trend.")
    else:
        notes = [f"{t.label}: {t.note}" for t in tiles if t.note and t.value != "–"]
        missing = [t.label for t in tiles if t.value == "–"]
        if missing:
            notes.append(f"no answers yet for {', '.join(missing)}")
        if notes:
            text = "; ".join(notes)
            st.caption(shell.md_escape(text[:1].upper() + text[1:]) + ".")


def answers(view: SummaryView) -> None:
    """How are we doing, where does it hurt most, what to fix first: a sentence each, side by
    side on a laptop, one under the other on a phone (first on the page, so on its first screen)."""
    found = view.summary.answers()
    columns = st.container(key="summary_answers").columns(3)
    for column, (question, answer) in zip(columns, found.questions(), strict=True):
        with column.container(border=True, height="stretch"):  # the three boxes level
            st.markdown(f"**{question}**  \n{shell.md_escape(answer)}")


def where_it_hurts(view: SummaryView) -> None:
    """The top touchpoints by impact with why (left); the emotion curve with the moments of
    truth named under it (right)."""
    left, right = st.columns([6, 5], gap="medium")
    with left:
        st.markdown("**🔥 Where it hurts most: fix first** :small[(impact = friction × reach)]")
        top = view.summary.top
        if not top:
            st.caption(
                "No touchpoint has friction yet: record emotions, effort, pain points or "
                "feedback to see where it hurts."
            )
        else:
            st.markdown("\n".join(_top_line(rank, t) for rank, t in enumerate(top, start=1)))
    with right:
        st.markdown("**Emotion across the journey** :small[(−2 … +2; ★ moment of truth)]")
        if all(t.emotion is None for t in view.summary.analysis.touchpoints):
            st.caption("No emotions recorded: no curve.")
        else:
            st.plotly_chart(
                view.figures["curve"],
                config=_CHART_CONFIG,
                theme=None,
                key="summary_curve",
                width="stretch",
            )
            rule = scoring.all_customers_rule(view.summary.aggregate)
            if rule is not None:
                st.caption(shell.md_words(rule))
        moments = view.summary.analysis.moments_of_truth
        if moments:
            names = " · ".join(shell.md_escape(t.name) for t in moments)
            st.markdown(f"**★ {len(moments)} moments of truth:** :small[{names}]")


def _top_line(rank: int, t: scoring.TouchpointScore) -> str:
    star = " ★" if t.moment_of_truth else ""
    owner = f"{shell.md_escape(t.owner)} · " if t.owner else ""
    return (
        f"{rank}. **{shell.md_escape(t.name)}**{star} :small[· impact {t.impact:.0f} = friction "
        f"{t.friction:.0f} × reach {t.reach:.0%}]  \n"
        f"   :small[{owner}{shell.md_words(t.explain())}]"
    )


def moments_of_truth(view: SummaryView) -> None:
    """Each moment of truth with the reasons it is one."""
    st.subheader("★ Moments of truth")
    moments = view.summary.analysis.moments_of_truth
    if not moments:
        st.caption(
            "No moment of truth yet: flag the touchpoints that decide how customers judge you, "
            "or record emotions so the model finds the peaks."
        )
        return
    columns = st.columns(2, gap="medium")
    for index, t in enumerate(moments):
        columns[index % 2].markdown(
            f"**{shell.md_escape(t.name)}** :small[{shell.md_escape(_join(t.stage, t.owner))} · "
            f"reach {t.reach:.0%} · friction {t.friction:.0f}]\n"
            + "\n".join(f"- {shell.md_words(reason)}" for reason in t.reasons)
        )


# ---------------------------------------------------------------- details


def opportunities(view: SummaryView) -> None:
    """The opportunity matrix and, beside it, the ones to do first."""
    st.subheader("What to do: opportunities")
    aggregate = view.summary.aggregate
    if not aggregate.opportunities:
        st.caption(
            "No opportunities yet: add them on the Journey Builder page with a customer value, "
            "a business value and an effort to see them here."
        )
        return
    chart, listing = st.columns([3, 2], gap="medium")
    with chart:
        st.plotly_chart(
            view.figures["matrix"], config=_CHART_CONFIG, theme=None, key="summary_matrix"
        )
    with listing:
        st.markdown(
            "Customer value × business value, both 0–100. **Bigger bubbles take less effort** "
            "(area ∝ 1/effort); colour is the status."
        )
        win_win = charts.MATRIX_QUADRANTS[True, True]
        first = [
            p
            for p in report.ranked_opportunities(aggregate)
            if p.quadrant == win_win and p.opportunity.status != "done"
        ]
        if first:
            st.markdown(
                "**Do first (win–win, not done yet)**, most value per effort first:\n"
                + "\n".join(
                    f"- {shell.md_escape(p.opportunity.title or '(untitled)')} · "
                    f"{p.opportunity.status}, effort {_effort(p.opportunity.effort)}"
                    + (f" · at {shell.md_escape(p.touchpoint)}" if p.touchpoint else "")
                    for p in first[:6]
                )
            )
        else:
            st.caption("No open opportunity is in the win–win corner yet.")


def who_owns_the_pain(view: SummaryView) -> None:
    """The friction heatmap by owner department × stage, weighted by reach."""
    st.subheader("Who owns the pain")
    st.caption(
        "Friction by owner department × stage, weighted by reach (0 green … 100 red; "
        "departments with the most impact on top; empty: no touchpoint there)."
    )
    st.plotly_chart(view.figures["owners"], config=_CHART_CONFIG, theme=None, key="summary_owners")


def customers_at_risk(view: SummaryView) -> None:
    """The at-risk estimate for the whole journey, where customers leave, and its assumptions."""
    data = view.summary
    st.subheader("Customers at risk (an estimate)")
    risk = data.risk
    if risk is None:
        st.caption(render(Message("risk.none")))
        return
    st.markdown(
        f"**{shell.md_escape(render(risk.headline()))}** "
        f"*{shell.md_escape(render(Message('risk.not_measured')))}*"
    )
    if not risk.where:
        return
    money = data.assumptions.value_per_customer > 0
    rows = [
        {
            "Touchpoint": r.touchpoint,
            "Customers getting there": round(r.arriving),
            "Bad experience": 100 * r.negative_share,
            "Leave there": round(r.customers_lost),
            **({"Value at risk": round(r.value_lost)} if money else {}),
            **(
                {"Cost to win back": round(r.replacement_cost)}
                if data.assumptions.retention_cost_per_customer
                else {}
            ),
        }
        for r in risk.where[: executive.TOP]
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key="summary_risk",
        column_config=tables.number_columns(
            {
                "Customers getting there": "%,d",
                "Bad experience": "%.0f%%",
                "Leave there": "%,d",
                "Value at risk": "%,d",
                "Cost to win back": "%,d",
            }
        ),
    )
    more = len(risk.where) - executive.TOP
    st.caption(
        (f"Where most leave, a month ({more} more touchpoints lose fewer). " if more > 0 else
         "Where they leave, a month. ")
        + " ".join(shell.md_escape(render(m)) for m in risk.explained())
    )  # fmt: skip


def risk_assumptions(ctx: Context, journey: MapRecord, editable: bool = True) -> None:
    """The editable assumptions of the estimate, saved with the map (shown to a viewer)."""
    stored = summary.RiskAssumptions.from_dict(journey.settings.get("risk") or {})
    read_version, shown = _snapshot(f"summary_risk_read_{journey.id}", journey, stored.as_dict())
    values = summary.RiskAssumptions.from_dict(shown)
    form_key = shell.list_key("summary_risk", journey.id, shown)
    with st.expander("⚙️ Assumptions of the at-risk estimate"):
        st.caption(
            "Defaults from published research: "
            + " ".join(
                shell.md_escape(render(Message(code)))
                for code in ("risk.source_leave_help", "risk.source_multiple_help")
            )
            + " Change them to what you know of your own customers."
        )
        with forms.settings_form(form_key, editable):
            entered: dict[str, float] = {}
            for column, (field, label, largest, step, help_text, suffix) in zip(
                st.columns(4), _RISK_INPUTS, strict=True
            ):
                current = getattr(values, field)
                entered[field] = column.number_input(
                    label,
                    min_value=0.0,
                    max_value=largest,
                    step=step,
                    # the share who leave is entered as a percentage
                    value=round(100 * current, 1) if field == "leave_after_bad" else float(current),
                    help=help_text,
                    key=f"{form_key}_{suffix}",
                    disabled=not editable,
                )
            save, reset = forms.save_or_reset_buttons(editable)
    if not (save or reset):
        return
    chosen = (
        summary.RiskAssumptions()
        if reset
        else summary.RiskAssumptions(
            **{**entered, "leave_after_bad": entered["leave_after_bad"] / 100}
        )
    )
    _save(
        f"summary_risk_read_{journey.id}",
        lambda: services.save_risk_assumptions(ctx, journey.id, read_version, chosen.as_dict()),
        chosen.as_dict(),
        "Restored the default assumptions." if reset else "Saved the assumptions.",
    )


def self_assessment(ctx: Context, journey: MapRecord, editable: bool = True) -> None:
    """CRM or CX? Eight factors from 1 (CRM-centric) to 5 (CX-centric), saved with the map."""
    stored = {k: int(v) for k, v in (journey.settings.get("assessment") or {}).items()}
    read_version, shown = _snapshot(f"summary_assessment_read_{journey.id}", journey, stored)
    result = summary.Assessment(stored)
    stage = result.stage
    title = "🧭 CRM or CX? Self-assessment"
    if stage is not None and result.score is not None:
        title += f": {stage[0]} ({result.score:.1f} of 5)"
    form_key = shell.list_key("summary_assessment", journey.id, shown)
    with st.expander(title, expanded=False):
        st.caption(
            "Where does your organisation stand between managing customer records (CRM, "
            "inside-out) and managing the experience (CX, outside-in)? Place each factor "
            "between the two descriptions; the mean places you on the maturity road."
        )
        if stage is not None and result.score is not None:
            road = " → ".join(
                f"**{name}**" if name == stage[0] else name
                for _, name, _ in summary.MATURITY_STAGES
            )
            st.markdown(
                f"{road}  \nYou are at **{stage[0]}** ({result.score:.1f} of 5): "
                f"{shell.md_escape(stage[1])}."
            )
        else:
            st.caption("Not assessed yet for this map.")
        with forms.settings_form(form_key, editable):
            answers: dict[str, int] = {}
            for factor, crm, cx in summary.ASSESSMENT_FACTORS:
                left, middle, right = st.columns([3, 3, 3], vertical_alignment="center")
                left.caption(f"CRM-centric: {crm}")
                answers[factor] = middle.slider(
                    factor.capitalize(),
                    min_value=1,
                    max_value=5,
                    value=int(shown.get(factor, 3)),
                    key=f"{form_key}_{factor.replace(' ', '_')}",
                    disabled=not editable,
                )
                right.caption(f"CX-centric: {cx}")
            save = forms.save_button("Save the assessment", editable)
    if not save:
        return
    _save(
        f"summary_assessment_read_{journey.id}",
        lambda: services.save_assessment(ctx, journey.id, read_version, answers),
        answers,
        "Saved the self-assessment.",
    )


def _snapshot(key: str, journey: MapRecord, stored: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """(map version, values) the form was filled from. Kept across reruns while the stored
    values stay the same, so a save after someone else changed them is refused (a conflict)
    instead of silently overwriting their change."""
    snapshot = st.session_state.get(key)
    if snapshot is None or snapshot[1] == stored:
        snapshot = (journey.version, stored)
        st.session_state[key] = snapshot
    return snapshot[0], dict(snapshot[1])


def _save(key: str, action: Callable[[], MapRecord], values: dict[str, Any], done: str) -> None:
    saved = shell.run_action(action)
    if saved is None:
        st.session_state.pop(key, None)  # refused: the next run shows what is stored now
        return
    st.session_state[key] = (saved.version, values)
    shell.flash(done)
    st.rerun()


# ---------------------------------------------------------------- exports


def exports(ctx: Context, journey: MapRecord) -> None:
    """Download buttons in the sidebar; each file is made when clicked (and cached)."""
    sidebar = st.sidebar
    sidebar.markdown("**⬇️ Export this map**")
    browser = report.find_chromium()
    for label, suffix, mime in EXPORTS:
        unavailable = suffix in NEEDS_BROWSER and browser is None
        sidebar.download_button(
            label,
            data=_deferred(ctx, journey.id, journey.revision, suffix),
            file_name=file_name(journey.name, suffix),
            mime=mime,
            key=f"summary_export_{suffix[1:].replace('.', '_')}",
            on_click="ignore",
            disabled=unavailable,
            width="stretch",
        )
    if browser is None:
        sidebar.caption(f"PDF, PowerPoint and PNG need Chromium: {report.SETUP_HINT}, then reload.")
    else:
        sidebar.caption("PDF, PowerPoint and PNG take a few seconds: a browser draws their charts.")


def _deferred(ctx: Context, map_id: int, revision: int, suffix: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return _export(ctx, ctx.db.url, map_id, revision, suffix)

    return make


def file_name(map_name: str, suffix: str) -> str:
    """A file name from the map's name (letters of any script kept).

    >>> file_name("Broadband onboarding: Q3", ".pdf"), file_name("ثبت‌نام", ".png")
    ('broadband-onboarding-q3.pdf', 'ثبت-نام.png')
    >>> file_name("Broadband onboarding", ".slide.png")
    'broadband-onboarding.slide.png'
    """
    stem = re.sub(r"[^\w]+", "-", map_name).strip("-_").lower()
    return (stem or "journey-map") + suffix


def _effort(effort: int | None) -> str:
    return "not set" if effort is None else f"{effort} of 5"


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)
