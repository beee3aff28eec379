"""Executive summary: how the journey is doing, where it hurts most, what to fix first.

One read-only screen: KPI tiles (NPS, CSAT, CES with n and their change; journey health;
completion), the three answers in a sentence each, the top touchpoints by impact beside the
emotion curve, and the moments of truth. Below: the opportunity matrix, who owns the pain, the
customers-at-risk estimate with its editable assumptions, the CRM-or-CX self-assessment. The
sidebar exports the map (PDF, HTML, PNG, Excel, JSON, Mermaid). See docs/executive-summary.md.
"""

from __future__ import annotations

import streamlit as st

from cxmap import ui, ui_summary

db, journey = ui.page_setup("Executive summary", "📊")
ui_summary.compact_layout()
st.title("📊 Executive summary")
ui.show_flash()

if journey is None:
    ui_summary.no_map()
    st.stop()

view = ui_summary.load(db, journey)
ui_summary.header(view)
ui_summary.exports(db, journey)

if not view.summary.aggregate.touchpoints:
    ui_summary.empty_map()
else:
    ui_summary.kpi_tiles(view)
    ui_summary.answers(view)
    ui_summary.where_it_hurts(view)
    st.divider()
    ui_summary.moments_of_truth(view)
    ui_summary.opportunities(view)
    ui_summary.who_owns_the_pain(view)
    ui_summary.customers_at_risk(view)

ui_summary.risk_assumptions(db, journey)
ui_summary.self_assessment(db, journey)
