"""Voice of the customer: what customers say, as evidence on the map, and the loop closed.

Evidence (NPS, CSAT, CES with their n, sentiment, the verbatims) per stage, touchpoint,
segment, source and month; verbatims turned into pain points and opportunities that keep them
as their evidence; survey, review and call-centre files imported with a preview of every row
that cannot be used. See docs/voice-of-the-customer.md.
"""

from __future__ import annotations

from cxmap.app import shell
from cxmap.app.pages import voice as voice_page

ctx, journey = shell.map_page(
    "Voice of the customer", "📣 Voice of the customer", voice_page.no_map, icon="📣"
)

view = voice_page.load_view(ctx, journey)
voice_page.header(view)

# Only the open tab runs: the import tab's parse and the evidence tables stay idle otherwise.
evidence, close_the_loop, import_file = voice_page.tabs()
if evidence.open:
    with evidence:
        voice_page.evidence(view)
if close_the_loop.open:
    with close_the_loop:
        voice_page.close_the_loop(view)
if import_file.open:
    with import_file:
        voice_page.import_file(view)
