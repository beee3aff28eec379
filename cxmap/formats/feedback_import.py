"""Importing a feedback file, before anything is stored: columns mapped to roles, keyword rules,
the preview of what would be stored and why the import cannot run yet (pure, no Streamlit).

Reading the file is :mod:`cxmap.formats.feedback_file`, parsing it
:mod:`cxmap.formats.feedback_rows` and :mod:`cxmap.formats.feedback_dates`; this module holds the
rules of the import form on top of it:

* :func:`default_choices`, :func:`mapping_from_choices`, :func:`mapping_problems`: which column
  plays which role (:data:`IMPORT_ROLES`), proposed from the headers, and what is wrong with it;
* :func:`rules_from_editor`: keyword rules linking rows to touchpoints, from an editor's rows;
* :func:`import_identity`: the same bytes, mapping and options are the same import (also from
  ``python -m cxmap voc import``);
* :class:`ImportPreview`, :func:`preview_import`, :func:`stored_rows`, :func:`import_blocker`:
  what would be stored, and why the Import button is disabled;
* :func:`progress_text`: what the import says while it runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cxmap.analysis import sentiment
from cxmap.analysis.evidence import LANGUAGES, NOT_ENGLISH
from cxmap.core.errors import CxmapError
from cxmap.formats import feedback_dates, feedback_file, feedback_rows, text_rules

NONE = "(none)"
# a stage.
IMPORT_ROLES = {
    "text": "Verbatim (comment text)",
    "nps": "NPS answer (0–10)",
    "csat": "CSAT answer (1–5)",
    "ces": "CES answer",
    "date": "Date",
    "source": "Source (survey, review…)",
    "touchpoint": "Touchpoint (name or key)",
    "persona": "Segment or persona",
    "sentiment": "Sentiment already scored",
    "channel": "Channel (web, app, phone…)",
}
# The columns `python -m cxmap voc import` identifies an import by: the page uses the same, so
# a file imported from the command line is recognised here too (and the other way round).
CLI_ROLES = ("text", "nps", "csat", "ces", "date", "source", "persona", "touchpoint")
CES_SCALES = {
    7: "1–7 agreement (“it was easy…”, higher is easier)",
    5: "1–5 effort (lower is easier)",
}
RULE_PATTERN, RULE_TOUCHPOINT = "Pattern", "Touchpoint"
EXAMPLE_FILE = (
    "Response date,How likely are you to recommend us?,Comment,Touchpoint,Source\n"
    "2026-03-02,9,The technician was on time and friendly,Technician installation visit,survey\n"
    "2026-03-03,3,Waited three weeks for the router,Router delivery,survey\n"
)
_CHART_CONFIG = {"displayModeBar": False}


def default_choices(headers: Sequence[str]) -> dict[str, str]:
    """The column proposed for each role (NONE when no header suggests one).

    >>> default_choices(["Comment", "NPS", "Created"])["nps"]
    'NPS'
    """
    guess = feedback_rows.guess_columns(headers)
    return {role: guess.get(role) or NONE for role in IMPORT_ROLES}


def mapping_from_choices(choices: Mapping[str, str]) -> dict[str, str | None]:
    """The column mapping for :func:`cxmap.formats.feedback_rows.parse_feedback` (NONE → None).

    >>> mapping = mapping_from_choices({"text": "Comment", "nps": NONE})
    >>> mapping["text"], mapping["nps"], mapping["date"]
    ('Comment', None, None)
    """
    return {
        role: (None if choices.get(role, NONE) == NONE else choices[role]) for role in IMPORT_ROLES
    }


def mapping_problems(mapping: Mapping[str, str | None]) -> list[str]:
    """What makes a mapping unusable: one column in two roles, or nothing worth storing.

    >>> mapping_problems({"nps": "Score", "csat": "Score", "text": None})
    ["column 'Score' is mapped to both NPS answer (0–10) and CSAT answer (1–5)"]
    """
    problems = []
    roles_of: dict[str, list[str]] = {}
    for role, header in mapping.items():
        if header is not None:
            roles_of.setdefault(header, []).append(role)
    for header, roles in roles_of.items():
        if len(roles) > 1:
            names = " and ".join(IMPORT_ROLES[r] for r in roles)
            problems.append(f"column {header!r} is mapped to both {names}")
    if not any(mapping.get(role) for role in ("text", "nps", "csat", "ces")):
        problems.append("map at least one column with a verbatim or a score (NPS, CSAT, CES)")
    return problems


DATE_ORDERS = {True: "Day first (03/04/2024 is 3 April)", False: "Month first (4 March)"}


def date_order_question(frame: pd.DataFrame, mapping: Mapping[str, str | None]) -> str | None:
    """An example date when the date column fits both orders of day and month, so the form
    must ask which it is (None: the column decides, or there is no date column).

    >>> frame = pd.DataFrame({"When": ["03/04/2024", "05/04/2024"], "ISO": ["2024-03-04", ""]})
    >>> date_order_question(frame, {"date": "When"}), date_order_question(frame, {"date": "ISO"})
    ('03/04/2024', None)
    """
    header = mapping.get("date")
    if header is None or header not in frame.columns:
        return None
    values = frame[header].astype(str).str.strip()
    try:
        order = feedback_dates.date_order(values, header)
    except CxmapError:  # both orders in one column: the preview names the rows
        return None
    example = feedback_dates.ambiguous_example(values) if order == "either" else None
    return None if example is None else example[0]


def import_identity(
    data: bytes,
    mapping: Mapping[str, str | None],
    ces_scale: int,
    default_source: str,
    rules: Sequence[feedback_rows.KeywordRule] = (),
    dayfirst: bool | None = None,
    value_links: Mapping[str, int | None] | None = None,
) -> str:
    """The identity of an import (:func:`cxmap.formats.feedback_file.file_hash`): the same bytes
    with the same mapping, scale, source, rules, order of day and month and touchpoint
    value links are the same import. Without a sentiment column or rules it is the identity
    ``cxmap voc import`` gives the same file and columns (and ``--dayfirst``/``--monthfirst``,
    and the links remembered for the map).

    >>> mapping = {"text": "Comment"}
    >>> import_identity(b"Comment\\nok\\n", mapping, 7, "") == feedback_file.file_hash(
    ...     b"Comment\\nok\\n", {role: mapping.get(role) for role in CLI_ROLES}, (7, ""))
    True
    >>> import_identity(b"Comment\\nok\\n", mapping, 5, "") == import_identity(
    ...     b"Comment\\nok\\n", mapping, 7, "")
    False
    """
    columns: dict[str, str | None] = {role: mapping.get(role) for role in CLI_ROLES}
    for optional in ("sentiment", "channel"):  # (only when mapped: identities stay as they were)
        if mapping.get(optional):
            columns[optional] = mapping[optional]
    extra: tuple[Any, ...] = (ces_scale, default_source)
    if dayfirst is not None:
        extra += (("dayfirst", dayfirst),)
    if rules:
        extra += (tuple((r.pattern, r.touchpoint_id) for r in rules),)
    links = links_in_use(value_links or {})
    if links:
        extra += (("links", tuple(sorted(links.items()))),)
    return feedback_file.file_hash(data, columns, extra)


def links_in_use(value_links: Mapping[str, int | None]) -> dict[str, int]:
    """The value links that link (file value, lower case → touchpoint id); "leave unlinked"
    ones (None) are left out.

    >>> links_in_use({"Store visit": 7, "misc": None})
    {'store visit': 7}
    """
    return {v.strip().lower(): t for v, t in value_links.items() if t is not None}


LEAVE_UNLINKED = "(leave unlinked)"
LINK_VALUE, LINK_ROWS, LINK_TOUCHPOINT = "Value in the file", "Rows", "Link to touchpoint"


def unmatched_touchpoint_values(
    frame: pd.DataFrame,
    mapping: Mapping[str, str | None],
    touchpoints: Sequence[tuple[int, str, str]],
) -> Counter[str]:
    """Rows per value of the touchpoint column that names no touchpoint (by name or key, any
    case): the values the import form offers to link by hand. Spellings that differ only in
    case count as one value (as first written).

    >>> frame = pd.DataFrame({"Step": ["Store visit", "store visit", "t1", "", "Call"]})
    >>> unmatched_touchpoint_values(frame, {"touchpoint": "Step"}, [(1, "t1", "Website")])
    Counter({'Store visit': 2, 'Call': 1})
    """
    header = mapping.get("touchpoint")
    if header is None or header not in frame.columns:
        return Counter()
    known = {name.strip().lower() for _, _, name in touchpoints}
    known |= {key.strip().lower() for _, key, _ in touchpoints}
    values = frame[header].astype(str).str.strip()
    lowered = values.str.lower()
    # (values that cannot be stored are bad rows, never offered for a link to be remembered)
    storable = ~values.str.contains(text_rules.UNSTORABLE, regex=True)
    open_values = values[(values != "") & ~lowered.isin(known) & storable]
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for value in open_values.tolist():
        first = spelling.setdefault(value.lower(), value)
        counts[first] += 1
    return counts


def value_links_table(
    unmatched: Counter[str], remembered: Mapping[str, int], labels: Mapping[int, str]
) -> pd.DataFrame:
    """The value-link editor's rows: each unmatched value, its rows, and the touchpoint it is
    linked to (remembered from an earlier import into this map) or LEAVE_UNLINKED.

    >>> value_links_table(Counter({"Store visit": 2, "Call": 1}), {"store visit": 7},
    ...                   {7: "Branch visit"}).values.tolist()
    [['Store visit', 2, 'Branch visit'], ['Call', 1, '(leave unlinked)']]
    """
    rows = [
        (value, n, labels.get(remembered.get(value.strip().lower(), -1), LEAVE_UNLINKED))
        for value, n in unmatched.most_common()
    ]
    return pd.DataFrame(rows, columns=[LINK_VALUE, LINK_ROWS, LINK_TOUCHPOINT])


def value_links_from_editor(
    rows: pd.DataFrame, touchpoint_ids: Mapping[str, int]
) -> dict[str, int | None]:
    """Each value of the editor → the touchpoint id picked for it (None: leave unlinked).

    >>> table = pd.DataFrame({LINK_VALUE: ["Store visit", "Call"], LINK_ROWS: [2, 1],
    ...                       LINK_TOUCHPOINT: ["Branch visit", LEAVE_UNLINKED]})
    >>> value_links_from_editor(table, {"Branch visit": 7})
    {'Store visit': 7, 'Call': None}
    """
    links: dict[str, int | None] = {}
    for row in rows.to_dict("records"):
        label = row.get(LINK_TOUCHPOINT)
        label = None if label is None or pd.isna(label) else str(label)
        links[str(row[LINK_VALUE])] = touchpoint_ids.get(label) if label else None
    return links


def rules_from_editor(
    rows: pd.DataFrame, touchpoint_ids: Mapping[str, int]
) -> tuple[list[feedback_rows.KeywordRule], list[str]]:
    """Keyword rules from the rules editor's rows, and what is wrong with the others.

    Empty rows are ignored; a pattern without a touchpoint (or the other way round) and a
    pattern that is not a valid regular expression are reported by their row number.

    >>> rows = pd.DataFrame({"Pattern": ["install|technician", "(oops", "", "router"],
    ...                      "Touchpoint": ["Visit", "Visit", None, None]})
    >>> rules, problems = rules_from_editor(rows, {"Visit": 12})
    >>> rules
    [KeywordRule(pattern='install|technician', touchpoint_id=12)]
    >>> problems[0].split(" (")[0], problems[1]
    ("rule 2: '(oops' is not a valid pattern", 'rule 4: pick the touchpoint for router')
    """
    rules, problems = [], []
    for number, row in enumerate(rows.to_dict("records"), start=1):
        pattern = row.get(RULE_PATTERN)
        # An emptied cell comes back as NaN, which str() would turn into a rule for "nan".
        pattern = "" if pattern is None or pd.isna(pattern) else str(pattern).strip()
        label = row.get(RULE_TOUCHPOINT)
        label = None if label is None or pd.isna(label) or not str(label) else str(label)
        if not pattern and label is None:
            continue
        if not pattern:
            problems.append(f"rule {number}: write the words or pattern to look for")
            continue
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            problems.append(f"rule {number}: {pattern!r} is not a valid pattern ({error})")
            continue
        if label is None or label not in touchpoint_ids:
            problems.append(f"rule {number}: pick the touchpoint for {pattern}")
            continue
        rules.append(feedback_rows.KeywordRule(pattern, touchpoint_ids[label]))
    return rules, problems


@dataclass(frozen=True)
class ImportPreview:
    """What an import would store, before anything is saved."""

    parsed: feedback_rows.ParsedFeedback
    languages: Counter[str]  # rows to add per language of their text ("" = no text)

    @property
    def rows_to_add(self) -> int:
        """Rows the import would store."""
        return len(self.parsed.rows)

    @property
    def rows_with_problems(self) -> int:
        """Rows left out for a value that cannot be used (counted once, however many problems)."""
        return len({p.row for p in self.parsed.problems})

    @property
    def empty_rows(self) -> int:
        """Rows with neither text nor a score: left out, nothing is lost."""
        return self.parsed.rows_in_file - self.rows_to_add - self.rows_with_problems

    @property
    def linked(self) -> int:
        """Rows to add that are linked to a touchpoint."""
        return sum(r["touchpoint_id"] is not None for r in self.parsed.rows)

    @property
    def not_english(self) -> Counter[str]:
        """Rows to add per language VADER cannot score (Persian, Arabic, other scripts).

        >>> parsed = feedback_rows.ParsedFeedback([{"touchpoint_id": 1}, {"touchpoint_id": None}],
        ...     [], Counter(), rows_in_file=2)
        >>> ImportPreview(parsed, Counter({"en": 1, "fa": 1})).not_english
        Counter({'fa': 1})
        """
        return Counter({k: n for k, n in self.languages.items() if k in NOT_ENGLISH})


def stored_rows(
    rows: Sequence[Mapping[str, Any]], labels: Mapping[int, str], zone: dt.tzinfo = dt.UTC
) -> pd.DataFrame:
    """Parsed rows as they would be stored, for reading: columns the file left empty are left
    out (a file without CSAT shows no CSAT column). A row given at a moment shows its date in
    the viewer's ``zone``, as the evidence table will once it is imported.

    >>> stored_rows([{"touchpoint_id": None, "text": "ok", "nps": 9, "csat": None, "ces": None,
    ...     "source": "", "segment": "", "created_at": None}], {}).columns.tolist()
    ['Touchpoint', 'Verbatim', 'NPS', 'Language']
    """
    table = pd.DataFrame(
        {
            "Touchpoint": [labels.get(r["touchpoint_id"], "") for r in rows],
            "Verbatim": [r["text"] for r in rows],
            "NPS": pd.array([r["nps"] for r in rows], dtype="Int64"),
            "CSAT": pd.array([r["csat"] for r in rows], dtype="Int64"),
            "CES": pd.array([r["ces"] for r in rows], dtype="Int64"),
            "Source": [r["source"] for r in rows],
            "Channel": [r.get("channel", "") for r in rows],
            "Segment": [r["segment"] for r in rows],
            "Date": [
                r["received_at"].astimezone(zone).date()
                if r.get("received_at")
                else r["created_at"]
                for r in rows
            ],
            "Language": [LANGUAGES.get(sentiment.detect_language(r["text"]), "") for r in rows],
        }
    )
    empty = [
        c
        for c in ("NPS", "CSAT", "CES", "Source", "Channel", "Segment", "Date")
        if table[c].isna().all() or (table[c].astype(str) == "").all()
    ]
    return table.drop(columns=empty)


def _local_date(row: Mapping[str, Any], zone: dt.tzinfo) -> dt.date | None:
    moment = row.get("received_at")
    return moment.astimezone(zone).date() if moment else row["created_at"]


def preview_import(parsed: feedback_rows.ParsedFeedback) -> ImportPreview:
    """What importing ``parsed`` would store, with the language of each row's text.

    >>> frame = pd.DataFrame({"Comment": ["Great", "عالی بود", ""], "NPS": ["9", "10", ""]})
    >>> preview = preview_import(feedback_rows.parse_feedback(frame, {"text": "Comment",
    ...                                                               "nps": "NPS"}))
    >>> preview.rows_to_add, preview.empty_rows, preview.not_english
    (2, 1, Counter({'fa': 1}))
    """
    return ImportPreview(parsed, Counter(sentiment.detect_language(r["text"]) for r in parsed.rows))


def import_blocker(
    preview: ImportPreview, *, leave_out_bad_rows: bool, rule_problems: Sequence[str] = ()
) -> str | None:
    """Why the Import button is disabled (None: it is not). Bad rows are never left out
    silently: the person ticks that they want the good rows without them.

    >>> frame = pd.DataFrame({"NPS": ["9", "11", "3"]})
    >>> preview = preview_import(feedback_rows.parse_feedback(frame, {"nps": "NPS"}))
    >>> (preview.rows_to_add, preview.rows_with_problems)
    (2, 1)
    >>> print(import_blocker(preview, leave_out_bad_rows=False))  # doctest: +NORMALIZE_WHITESPACE
    1 row of the file has problems (listed above). Correct the file and upload it again, or
    tick “Import 2 good rows, leave out 1…” to import the rest.
    >>> import_blocker(preview, leave_out_bad_rows=True) is None
    True
    """
    if rule_problems:
        return "Fix the keyword rules first: " + "; ".join(rule_problems) + "."
    if preview.rows_to_add == 0:
        return "No row of this file can be imported: check the column mapping."
    if preview.rows_with_problems and not leave_out_bad_rows:
        bad = preview.rows_with_problems
        return (
            f"{bad:,} row{'s' if bad > 1 else ''} of the file {'have' if bad > 1 else 'has'} "
            "problems (listed above). Correct the file and upload it again, or tick "
            f"“Import {preview.rows_to_add:,} good rows, leave out {bad:,}…” to import the rest."
        )
    return None


def replaced_note(replaced_characters: int) -> str | None:
    """What the import summary says of characters replaced in verbatims (None: there were none).

    >>> replaced_note(0) is None, replaced_note(2)
    (True, '2 characters that cannot be stored (NUL, lone surrogates) were replaced with � in the verbatims')
    """  # noqa: E501
    if not replaced_characters:
        return None
    return (
        f"{rows_text(replaced_characters, 'character')} that cannot be stored (NUL, lone "
        "surrogates) were replaced with � in the verbatims"
    )


def progress_text(done: int, total: int) -> str:
    """The progress bar's text while the rows are scored and saved.

    >>> progress_text(12000, 100000)
    'Scoring sentiment and saving: 12,000 / 100,000 rows'
    """
    return f"Scoring sentiment and saving: {done:,} / {total:,} rows"


def rows_text(n: int, noun: str = "row") -> str:
    """'1 row', '12,000 rows'.

    >>> rows_text(1), rows_text(12000, "feedback row")
    ('1 row', '12,000 feedback rows')
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def file_stem(file_name: str) -> str:
    """A file's name without its ending, fit to name another file after it.

    >>> file_stem("Survey export (March).CSV"), file_stem("...")
    ('survey-export-march', 'feedback')
    """
    return (
        re.sub(r"[^A-Za-z0-9]+", "-", file_name.rsplit(".", 1)[0]).strip("-").lower() or "feedback"
    )
