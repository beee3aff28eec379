"""Executive summary: how the journey is doing, where it hurts most, what to fix first.

One read-only screen: the three answers in a sentence each (first, so a phone shows them on
its first screen), KPI tiles (NPS, CSAT, CES with n and their change; journey health;
completion), the top touchpoints by impact beside the emotion curve, and the moments of truth.
Below: the opportunity matrix, who owns the pain, the customers-at-risk estimate with its
editable assumptions, the CRM-or-CX self-assessment. The sidebar exports the map (PDF,
PowerPoint, HTML, PNG, a 16:9 slide PNG, Excel, JSON, Mermaid). See docs/executive-summary.md.
"""

from __future__ import annotations

import streamlit as st

from cxmap.app import shell
from cxmap.app.pages import summary as summary_page

ctx, journey = shell.map_page(
    "Executive summary",
    "📊 Executive summary",
    summary_page.no_map,
    icon="📊",
    layout=summary_page.compact_layout,
)

view = summary_page.load(ctx, journey)
summary_page.header(view)
summary_page.exports(ctx, journey)

if not view.summary.aggregate.touchpoints:
    summary_page.empty_map()
else:
    summary_page.answers(view)
    summary_page.kpi_tiles(view)
    summary_page.where_it_hurts(view)
    st.divider()
    summary_page.moments_of_truth(view)
    summary_page.opportunities(view)
    summary_page.who_owns_the_pain(view)
    summary_page.customers_at_risk(view)

editable = shell.can_edit(ctx, journey)  # viewers and share links: the forms read only
summary_page.risk_assumptions(ctx, journey, editable)
summary_page.self_assessment(ctx, journey, editable)
