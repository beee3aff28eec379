"""Voice of the customer: what customers say, as evidence on the map, and the loop closed.

Evidence (NPS, CSAT, CES with their n, sentiment, the verbatims) per stage, touchpoint,
segment, source and month; verbatims turned into pain points and opportunities that keep them
as their evidence; survey, review and call-centre files imported with a preview of every row
that cannot be used. See docs/voice-of-the-customer.md.
"""

from __future__ import annotations

import streamlit as st

from cxmap import ui, ui_voc

db, journey = ui.page_setup("Voice of the customer", "📣")
st.title("📣 Voice of the customer")
ui.show_flash()

if journey is None:
    ui_voc.no_map()
    st.stop()

view = ui_voc.load_view(db, journey)
ui_voc.header(view)

# Only the open tab runs: the import tab's parse and the evidence tables stay idle otherwise.
evidence, close_the_loop, import_file = ui_voc.tabs()
if evidence.open:
    with evidence:
        ui_voc.evidence(view)
if close_the_loop.open:
    with close_the_loop:
        ui_voc.close_the_loop(view)
if import_file.open:
    with import_file:
        ui_voc.import_file(view)
