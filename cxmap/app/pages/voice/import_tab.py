"""The Import tab: a survey, review or call-centre export, its columns mapped to roles, keyword
rules linking rows to touchpoints, a preview of what would be stored (bad rows named by row and
column), then the import with its progress.

The rules of the form are :mod:`cxmap.formats.feedback_import`; this module draws it. An
uploaded file is read once per hash of its bytes and parsed once per hash and mapping
(``st.cache_data``): a click elsewhere on the page does not read 100 MB again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from cxmap import services
from cxmap.analysis import metrics
from cxmap.analysis.evidence import languages_text, score_values, touchpoint_labels
from cxmap.app import shell
from cxmap.app.pages.voice.view import VocView
from cxmap.core.config import FileLimits, load_settings
from cxmap.core.errors import CxmapError
from cxmap.formats import feedback_file, feedback_rows
from cxmap.formats.feedback_import import (
    CES_SCALES,
    DATE_ORDERS,
    EXAMPLE_FILE,
    IMPORT_ROLES,
    LEAVE_UNLINKED,
    LINK_ROWS,
    LINK_TOUCHPOINT,
    LINK_VALUE,
    NONE,
    RULE_PATTERN,
    RULE_TOUCHPOINT,
    ImportPreview,
    date_order_question,
    default_choices,
    file_stem,
    import_blocker,
    import_identity,
    mapping_from_choices,
    mapping_problems,
    preview_import,
    progress_text,
    replaced_note,
    rows_text,
    rules_from_editor,
    stored_rows,
    unmatched_touchpoint_values,
    value_links_from_editor,
    value_links_table,
)
from cxmap.services import FeedbackImport

PREVIEW_ROWS = 8
MAX_VALUE_LINKS = 200


@st.cache_data(show_spinner=False, max_entries=4)
def _read_upload(_data: bytes, digest: str, file_name: str, limits: FileLimits) -> pd.DataFrame:
    # Keyed by the hash of the bytes: reruns (every click) do not read the file again.
    return feedback_file.read_feedback_file(_data, file_name, limits)


@st.cache_data(show_spinner=False, max_entries=8)
def _parse_upload(
    _frame: pd.DataFrame,
    digest: str,
    mapping: tuple[tuple[str, str | None], ...],
    touchpoints: tuple[tuple[int, str, str], ...],
    rules: tuple[tuple[str, int], ...],
    ces_scale: int,
    default_source: str,
    dayfirst: bool | None,
    links: tuple[tuple[str, int | None], ...],
) -> ImportPreview:
    parsed = feedback_rows.parse_feedback(
        _frame,
        dict(mapping),
        touchpoints=touchpoints,
        rules=[feedback_rows.KeywordRule(p, t) for p, t in rules],
        ces_scale=ces_scale,
        default_source=default_source,
        dayfirst=dayfirst,
        value_links=dict(links),
    )
    return preview_import(parsed)


@st.cache_data(show_spinner=False, max_entries=8)
def _date_question(_frame: pd.DataFrame, digest: str, header: str | None) -> str | None:
    return date_order_question(_frame, {"date": header})


def _digest(file_id: str, data: bytes) -> str:
    # Hashing 100 MB takes a moment: once per uploaded file, not on every rerun.
    key = f"voc_digest_{file_id}"
    if key not in st.session_state:
        st.session_state[key] = hashlib.sha256(data).hexdigest()
    digest: str = st.session_state[key]
    return digest


def import_file(view: VocView) -> None:
    """The Import tab: upload, map columns, link to touchpoints, preview, import (not for a
    viewer)."""
    if not view.editable:
        st.info("Importing feedback into this map needs an editor's role.", icon="🔒")
        shell.read_only_note()
        return
    st.markdown(
        "Bring in a survey export (NPS, CSAT, CES with comments), reviews, social posts or "
        "call notes: **CSV** (comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252) or "
        "**Excel** (.xlsx). Nothing is saved until you press **Import**, and importing the "
        "same rows twice adds nothing."
    )
    settings = load_settings()
    file = st.file_uploader(
        "Feedback file",
        type=["csv", "tsv", "txt", "xlsx"],
        key="voc_upload",
        help=f"Up to {settings.max_feedback_mb:.0f} MB (CXMAP_MAX_FEEDBACK_MB).",
    )
    if file is None:
        st.download_button(
            "⬇️ An example file",
            EXAMPLE_FILE.encode("utf-8"),
            file_name="feedback-example.csv",
            mime="text/csv",
            on_click="ignore",
            key="voc_example",
        )
        return
    data = file.getvalue()
    digest = _digest(file.file_id, data)
    try:
        frame = _read_upload(data, digest, file.name, settings.feedback_limits)
    except CxmapError as error:
        st.error(shell.md_escape(error.message), icon="⚠️")
        return
    st.markdown(
        f"**{shell.md_escape(file.name)}**: {len(frame):,} rows, {len(frame.columns)} columns. "
        f"The first {min(PREVIEW_ROWS, len(frame))}:"
    )
    st.dataframe(frame.head(PREVIEW_ROWS), hide_index=True, width="stretch", key="voc_file_head")

    st.subheader("1 · Which column is what")
    mapping, ces_scale, default_source = column_mapping(frame, digest)
    dayfirst = date_order_choice(frame, digest, mapping)
    problems = mapping_problems(mapping)
    st.subheader("2 · Link rows to touchpoints")
    links = value_links(view, frame, digest, mapping)
    rules, rule_problems = link_rules(view, mapping)
    for problem in problems:
        st.error(shell.md_escape(problem), icon="⚠️")
    for problem in rule_problems:  # often a rule still being written: a warning, not an error
        st.warning(shell.md_escape(problem), icon="✏️")
    if problems:
        return

    identity = import_identity(
        data, mapping, ces_scale, default_source, rules, dayfirst, value_links=links
    )
    earlier = services.earlier_import(view.ctx, view.map_id, identity)
    if earlier is not None:
        name, when = earlier
        st.info(
            f"**{shell.md_escape(name or file.name)}** was already imported into this map on "
            f"{when:%Y-%m-%d at %H:%M} (UTC) with the same columns: there is nothing to add.",
            icon="✅",
        )
        return
    touchpoints = tuple((t.id, t.key, t.name) for t in view.structure.touchpoints)
    try:
        preview = _parse_upload(
            frame,
            digest,
            tuple(mapping.items()),
            touchpoints,
            tuple((r.pattern, r.touchpoint_id) for r in rules),
            ces_scale,
            default_source,
            dayfirst,
            tuple(links.items()),
        )
    except CxmapError as error:
        st.error(shell.md_escape(f"{file.name}: {error.message}"), icon="⚠️")
        return
    st.subheader("3 · What would be imported")
    show_preview(view, preview, file.name)
    leave_out = False
    if preview.rows_with_problems:
        leave_out = st.checkbox(
            f"Import {preview.rows_to_add:,} good rows, leave out {preview.rows_with_problems:,} "
            f"row{'s' if preview.rows_with_problems > 1 else ''} with problems",
            key=f"voc_leave_out_{digest[:16]}",
        )
    blocker = import_blocker(preview, leave_out_bad_rows=leave_out, rule_problems=rule_problems)
    clicked = st.button(
        f"Import {preview.rows_to_add:,} rows",
        type="primary",
        disabled=blocker is not None,
        key="voc_import_button",
        help=blocker,
    )
    if blocker:
        st.caption(shell.md_escape(blocker))
    if clicked and blocker is None:
        run_import(view, preview, identity, file.name, links)


def column_mapping(frame: pd.DataFrame, digest: str) -> tuple[dict[str, str | None], int, str]:
    """One select box per role (proposed from the headers), the CES scale and a default source."""
    headers = [str(c) for c in frame.columns]
    defaults = default_choices(headers)
    options = [NONE, *headers]
    choices: dict[str, str] = {}
    grid = st.columns(3)
    for n, (role, label) in enumerate(IMPORT_ROLES.items()):
        choices[role] = grid[n % 3].selectbox(
            label,
            options,
            index=options.index(defaults[role]),
            key=f"voc_column_{role}_{digest[:16]}",
        )
    mapping = mapping_from_choices(choices)
    ces_scale = 7
    settings = st.columns(2) if mapping["ces"] and not mapping["source"] else [st.container()] * 2
    scale, source = settings
    if mapping["ces"]:
        ces_scale = scale.radio(
            "CES scale",
            list(CES_SCALES),
            format_func=CES_SCALES.get,
            key=f"voc_ces_scale_{digest[:16]}",
        )
    default_source = ""
    if not mapping["source"]:
        default_source = source.text_input(
            "Source of every row",
            key=f"voc_default_source_{digest[:16]}",
            max_chars=200,
            placeholder="survey, review, social, call…",
            help="The file has no source column: this names where all its rows come from.",
        ).strip()
    return mapping, ces_scale, default_source


def date_order_choice(
    frame: pd.DataFrame, digest: str, mapping: Mapping[str, str | None]
) -> bool | None:
    """Day first or month first, asked only when no date of the column tells (03/04/2024)."""
    example = _date_question(frame, digest, mapping["date"])
    if example is None:
        return None
    choice: bool = st.radio(
        f"In **{shell.md_escape(mapping['date'] or '')}**, is {shell.md_escape(example)} "
        "day first or month first?",
        list(DATE_ORDERS),
        format_func=DATE_ORDERS.get,
        horizontal=True,
        key=f"voc_dayfirst_{digest[:16]}",
    )
    return choice


@st.cache_data(show_spinner=False, max_entries=8)
def _unmatched_values(
    _frame: pd.DataFrame,
    digest: str,
    header: str | None,
    touchpoints: tuple[tuple[int, str, str], ...],
) -> Counter[str]:
    return unmatched_touchpoint_values(_frame, {"touchpoint": header}, touchpoints)


def value_links(
    view: VocView, frame: pd.DataFrame, digest: str, mapping: Mapping[str, str | None]
) -> dict[str, int | None]:
    """Which touchpoint each value of the touchpoint column means when it names none of the
    map's ("store visit"): picked in a table, remembered for the map's next imports."""
    labels = touchpoint_labels(view.structure)
    if not labels or not mapping["touchpoint"]:
        return {}
    touchpoints = tuple((t.id, t.key, t.name) for t in view.structure.touchpoints)
    unmatched = _unmatched_values(frame, digest, mapping["touchpoint"], touchpoints)
    if not unmatched:
        return {}
    remembered = services.remembered_value_links(view.ctx, view.map_id)
    table = value_links_table(unmatched, remembered, labels).head(MAX_VALUE_LINKS)
    st.markdown(
        f"**{len(unmatched):,} value{'s' if len(unmatched) > 1 else ''} of "
        f"{shell.md_escape(mapping['touchpoint'] or '')} name no touchpoint of this map.** "
        "Pick the touchpoint each one means, or leave it unlinked: the choice is remembered "
        "for this map's next imports (from the command line too)."
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        disabled=[LINK_VALUE, LINK_ROWS],
        key=shell.list_key("voc_links", view.map_id, digest, mapping["touchpoint"], labels),
        column_config={
            LINK_VALUE: st.column_config.TextColumn(width="medium"),
            LINK_ROWS: st.column_config.NumberColumn(width="small"),
            LINK_TOUCHPOINT: st.column_config.SelectboxColumn(
                options=[LEAVE_UNLINKED, *labels.values()], required=True, width="large"
            ),
        },
    )
    if len(unmatched) > MAX_VALUE_LINKS:
        st.caption(f"The {MAX_VALUE_LINKS} values with the most rows are shown.")
    return value_links_from_editor(edited, {label: tp for tp, label in labels.items()})


def link_rules(
    view: VocView, mapping: Mapping[str, str | None]
) -> tuple[list[feedback_rows.KeywordRule], list[str]]:
    """How rows find their touchpoint: the touchpoint column, then keyword rules in order."""
    labels = touchpoint_labels(view.structure)
    if not labels:
        st.info(
            "This map has no touchpoints yet: the rows are imported without one. Add "
            "touchpoints in the Journey Builder to link feedback to them."
        )
        return [], []
    how = (
        f"Rows are linked by the **{shell.md_escape(mapping['touchpoint'] or '')}** column "
        "(a touchpoint's name or key, any case); rows it leaves unlinked"
        if mapping["touchpoint"]
        else "There is no touchpoint column: rows"
    )
    st.markdown(
        f"{how} are linked by the first **keyword rule** their text matches. A pattern is a "
        "regular expression, any case: `install|technician` matches either word."
    )
    empty = pd.DataFrame(
        {RULE_PATTERN: pd.Series(dtype="str"), RULE_TOUCHPOINT: pd.Series(dtype="str")}
    )
    edited = st.data_editor(
        empty,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=shell.list_key("voc_rules", view.map_id, list(labels.values())),
        column_config={
            RULE_PATTERN: st.column_config.TextColumn(
                "Pattern", help="Words to look for, e.g. install|technician", width="medium"
            ),
            RULE_TOUCHPOINT: st.column_config.SelectboxColumn(
                "Touchpoint", options=list(labels.values()), width="large"
            ),
        },
    )
    st.caption(
        "Click the table's empty row to add a rule; rules are tried from top to bottom. A row "
        "linked by its touchpoint column keeps that link."
    )
    return rules_from_editor(edited, {label: tp for tp, label in labels.items()})


def show_preview(view: VocView, preview: ImportPreview, file_name: str) -> None:
    """Counts, the file's own scores, bad rows by row and column, unmatched touchpoints, the
    rows not in English, and the first rows as they would be stored."""
    parsed = preview.parsed
    counts = st.columns(4)
    counts[0].metric("Rows in the file", f"{parsed.rows_in_file:,}")
    counts[1].metric("Rows to add", f"{preview.rows_to_add:,}")
    counts[2].metric("Rows with problems", f"{preview.rows_with_problems:,}")
    counts[3].metric("Linked to a touchpoint", f"{preview.linked:,}")
    if preview.empty_rows:
        st.caption(f"{preview.empty_rows:,} rows have neither text nor a score: they are left out.")
    replaced = replaced_note(parsed.replaced_characters)
    if replaced:
        st.caption(replaced)
    rows = metrics.rows_frame(parsed.rows)
    if preview.rows_to_add:
        nps = metrics.nps(score_values(rows["nps"]))
        csat = metrics.csat(score_values(rows["csat"]))
        said = [f"NPS {nps.label()}" if nps.n else "", f"CSAT {csat.label()}%" if csat.n else ""]
        said = [s for s in said if s]
        if said:
            st.caption("In these rows: " + " · ".join(said) + ".")
    if parsed.problems:
        st.warning(
            f"**{preview.rows_with_problems:,} row{'s' if preview.rows_with_problems > 1 else ''} "
            "with problems** (row numbers as in a spreadsheet, the header is row 1). The first: "
            f"{shell.md_escape(str(parsed.problems[0]))}.",
            icon="⚠️",
        )
        table = parsed.problems_table()
        st.dataframe(table.head(1000), hide_index=True, width="stretch", key="voc_problems")
        st.download_button(
            "⬇️ Download the list of problems (CSV)",
            lambda: feedback_file.spreadsheet_csv(table),
            file_name=f"{file_stem(file_name)}-problems.csv",
            mime="text/csv",
            on_click="ignore",
            key="voc_problems_download",
        )
    if parsed.unmatched:
        unmatched_rows = sum(parsed.unmatched.values())
        st.warning(
            f"**{rows_text(unmatched_rows)} {'names' if unmatched_rows == 1 else 'name'} a "
            "touchpoint this map does not have** (by name or key). Unless a keyword rule links "
            f"{'it' if unmatched_rows == 1 else 'them'}, "
            f"{'it is' if unmatched_rows == 1 else 'they are'} imported without a touchpoint. "
            "Link the values in the table of step 2, or add a rule.",
            icon="🔗",
        )
        unmatched = pd.DataFrame(
            parsed.unmatched.most_common(200), columns=["Value in the file", "Rows"]
        )
        st.dataframe(unmatched, hide_index=True, key="voc_unmatched")
    not_english = preview.not_english
    if not_english:
        total = sum(not_english.values())
        st.info(
            f"**{total:,} row{'s are' if total > 1 else ' is'} not in English** "
            f"({languages_text(not_english)}): imported as written, marked with the "
            "language and “not scored” for sentiment (the model reads English only), never "
            "counted as neutral.",
            icon="🌐",
        )
    if preview.rows_to_add:
        labels = touchpoint_labels(view.structure)
        first = parsed.rows[:PREVIEW_ROWS]
        st.markdown(f"The first {len(first)} rows as they would be stored:")
        st.dataframe(
            stored_rows(first, labels, view.ctx.zone),
            hide_index=True,
            placeholder="",
            width="stretch",
            key="voc_rows_preview",
        )


def run_import(
    view: VocView,
    preview: ImportPreview,
    identity: str,
    file_name: str,
    links: Mapping[str, int | None],
) -> None:
    """Store the rows (and remember the value links), with the scoring's progress; then say
    what happened (after a rerun)."""
    rows = preview.parsed.rows
    bar = st.progress(0.0, text=progress_text(0, preview.rows_to_add))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=progress_text(done, total))

    with st.spinner("Saving the rows…"):
        outcome = shell.run_action(
            lambda: services.import_feedback(
                view.ctx,
                view.map_id,
                rows,
                progress=progress,
                file_hash=identity,
                file_name=file_name,
                value_links=links,
            )
        )
    if outcome is not None:
        shell.flash(import_message(outcome, file_name, preview.rows_with_problems))
        st.rerun()


def import_message(outcome: FeedbackImport, file_name: str, left_out: int = 0) -> str:
    """What an import did, in one paragraph (plain text: the caller escapes it).

    >>> print(import_message(FeedbackImport(1, 1, 0, 1, 0), "a.csv", left_out=1))
    ... # doctest: +NORMALIZE_WHITESPACE
    Imported 1 feedback row from a.csv. 1 row was already in this map and was skipped. 1 row
    with problems was left out. Sentiment: 0 scored now, 1 from the cache, 0 not scored (not
    English, or no text).
    """
    parts = [f"Imported {rows_text(outcome.added, 'feedback row')} from {file_name}."]
    if outcome.already_imported:
        was = "was" if outcome.already_imported == 1 else "were"
        parts.append(
            f"{rows_text(outcome.already_imported)} {was} already in this map and {was} skipped."
        )
    if left_out:
        parts.append(
            f"{rows_text(left_out)} with problems {'was' if left_out == 1 else 'were'} left out."
        )
    how_scored = [f"{outcome.scored:,} scored now", f"{outcome.from_cache:,} from the cache"]
    if outcome.from_file:
        how_scored.append(f"{outcome.from_file:,} from the file's sentiment column")
    how_scored.append(f"{outcome.not_scored:,} not scored (not English, or no text)")
    parts.append("Sentiment: " + ", ".join(how_scored) + ".")
    return " ".join(parts)
