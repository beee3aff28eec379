"""The Voice of the Customer page's pieces: evidence, closing the loop, importing a file.

The CEM loop of the seeds (collect → analyse → share → act → evaluate again) in three tabs, one
module each, on what :mod:`.view` shares (the map's feedback at one revision, the verbatim
search and table):

* **Evidence** (:mod:`.evidence_tab`): NPS, CSAT and CES of the whole map with their n (and 95%
  interval when n < 30), the rows not scored for sentiment (not English), the metrics per stage,
  touchpoint, segment, source or month, the trend by month, and the verbatims, searchable and
  downloadable.
* **Close the loop** (:mod:`.close_loop`): pick verbatims, turn them into a pain point or an
  opportunity that keeps them as its evidence (:func:`cxmap.services.create_with_evidence`), or
  correct their sentiment by hand.
* **Import a file** (:mod:`.import_tab`): a survey, review or call-centre export, its columns
  mapped to roles, keyword rules linking rows to touchpoints, a preview of what would be stored
  (bad rows named by row and column), then the import with its progress.

The map comes from the app's one map cache (:mod:`cxmap.app.cache`); the tables built from it
are cached with ``st.cache_data`` by (map id, revision), an uploaded file by the hash of its
bytes, its parse by that hash and the mapping. The page's rules are pure and unit-tested without
Streamlit: :mod:`cxmap.analysis.evidence` (tables, filters, groups) and
:mod:`cxmap.formats.feedback_import` (mapping, rules, preview). User text reaches markdown only
through :func:`cxmap.app.shell.md_escape`; tables show it as plain text.

``pages/5_Voice_of_Customer.py`` calls :func:`no_map`, :func:`load_view`, :func:`header`,
:func:`tabs`, then :func:`evidence`, :func:`close_the_loop` or :func:`import_file` for the open tab.
"""

from __future__ import annotations

from cxmap.app.pages.voice.close_loop import close_the_loop
from cxmap.app.pages.voice.evidence_tab import evidence
from cxmap.app.pages.voice.import_tab import import_file
from cxmap.app.pages.voice.view import (
    EVIDENCE_TAB,
    IMPORT_TAB,
    LOOP_TAB,
    TAB_KEY,
    header,
    load_view,
    no_map,
    tabs,
)

__all__ = [
    "EVIDENCE_TAB",
    "IMPORT_TAB",
    "LOOP_TAB",
    "TAB_KEY",
    "close_the_loop",
    "evidence",
    "header",
    "import_file",
    "load_view",
    "no_map",
    "tabs",
]
