"""The Voice of the Customer page's pieces: evidence, closing the loop, importing a file.

The CEM loop of the seeds (collect → analyse → share → act → evaluate again) in three tabs:

* **Evidence**: NPS, CSAT and CES of the whole map with their n (and 95% interval when n < 30),
  the rows not scored for sentiment (not English), the metrics per stage, touchpoint, segment,
  source or month, the trend by month, and the verbatims, searchable and downloadable.
* **Close the loop**: pick verbatims, turn them into a pain point or an opportunity that keeps
  them as its evidence (:func:`cxmap.services.create_with_evidence`), or correct their
  sentiment by hand.
* **Import a file**: a survey, review or call-centre export, its columns mapped to roles,
  keyword rules linking rows to touchpoints, a preview of what would be stored (bad rows named
  by row and column), then the import with its progress.

Heavy work is cached with ``st.cache_data``: the map's rows and tables by (map id, revision),
an uploaded file by the hash of its bytes, its parse by that hash and the mapping. The pure
helpers (``verbatim_frame``, ``filter_verbatims``, ``import_blocker``…) hold the page's rules
and are unit-tested without Streamlit running. User text reaches markdown only through
:func:`cxmap.app.shell.md_escape`; tables show it as plain text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from cxmap import services
from cxmap.analysis import metrics, sentiment
from cxmap.app import cache, shell
from cxmap.core.config import load_settings
from cxmap.core.context import Context
from cxmap.core.errors import CxmapError
from cxmap.core.records import OPPORTUNITY_STATUSES, JourneyAggregate, MapRecord
from cxmap.formats import feedback_file
from cxmap.render import charts
from cxmap.services import FeedbackImport

TABS = ("📊 Evidence", "🔁 Close the loop", "📥 Import a file")
EVIDENCE_TAB, LOOP_TAB, IMPORT_TAB = TABS
TAB_KEY = "voc_tab"
GROUPINGS = {
    "stage": "Stage",
    "touchpoint": "Touchpoint",
    "segment": "Segment",
    "source": "Source",
    "month": "Month",
}
NOT_LINKED = "(not linked)"
NO_DATE = "(no date)"
NO_VALUE = "(none)"
LANGUAGES = {"en": "English", "fa": "Persian", "ar": "Arabic", "other": "other script", "": ""}
NOT_ENGLISH = ("fa", "ar", "other")
SENTIMENT_LABELS = ("negative", "neutral", "positive", "not scored")
SORTS = (
    "Per touchpoint, most negative first",
    "Per touchpoint, most positive first",
    "Most negative first",
    "Most positive first",
    "Newest first",
)
COUNT_COLUMNS = ("Responses", "NPS n", "CSAT n", "CES n (1-7)", "CES n (1-5)", "negative",
                 "neutral", "positive", "not scored")  # fmt: skip
MAX_SHOWN = 2000  # verbatims drawn in a table; the download has all that match
PREVIEW_ROWS = 8
NONE = "(none)"
# The roles a column can play, in the order of the mapping form. "stage" (a role
# feedback_file.guess_columns knows) is left out: rows link to touchpoints, and a touchpoint has
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


# ---------------------------------------------------------------- the map's feedback as a table


def touchpoint_labels(aggregate: JourneyAggregate) -> dict[int, str]:
    """Touchpoint names, made unique with the key where two touchpoints share a name.

    >>> import dataclasses
    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()
    >>> twins = [dataclasses.replace(t, name="Call") for t in chain.touchpoints[:2]]
    >>> chain = dataclasses.replace(chain, touchpoints=twins + chain.touchpoints[2:])
    >>> list(touchpoint_labels(chain).values())
    ['Call (t1)', 'Call (t2)', 'Touchpoint 3']
    """
    names = Counter(t.name for t in aggregate.touchpoints)
    return {
        t.id: t.name if names[t.name] == 1 else f"{t.name} ({t.key})" for t in aggregate.touchpoints
    }


def verbatim_frame(aggregate: JourneyAggregate) -> pd.DataFrame:
    """:func:`cxmap.analysis.metrics.feedback_frame` with what the page needs besides: each row's
    id and version (to pick and correct it), touchpoint id and place in the journey (to sort by it),
    who scored its sentiment, and touchpoint names made unique."""
    frame = metrics.feedback_frame(aggregate)
    labels = touchpoint_labels(aggregate)
    place = {t.id: n for n, t in enumerate(aggregate.touchpoints)}
    feedback = aggregate.feedback
    frame = frame[["id", *(c for c in frame.columns if c != "id")]].copy()
    frame["id"] = frame["id"].astype("int64")
    frame["version"] = frame["version"].astype("int64")
    frame["touchpoint_id"] = frame["touchpoint_id"].astype("Int64")
    frame["place"] = pd.Series(
        [
            place.get(f.touchpoint_id, len(place)) if f.touchpoint_id else len(place)
            for f in feedback
        ],
        dtype="int64",
    )
    frame["touchpoint"] = [
        labels.get(f.touchpoint_id, NOT_LINKED) if f.touchpoint_id else NOT_LINKED for f in feedback
    ]
    frame["scored_by"] = frame["sentiment_source"]
    return frame


def filter_verbatims(
    frame: pd.DataFrame,
    *,
    search: str = "",
    touchpoint_ids: Iterable[int | None] = (),
    labels: Iterable[str] = (),
    sources: Iterable[str] = (),
    sort: str = SORTS[0],
) -> pd.DataFrame:
    """The verbatims that match every filter given (an empty filter matches all), sorted.

    ``search`` is plain text (not a pattern), any case; ``touchpoint_ids`` may hold None for
    rows linked to no touchpoint. Rows with text only: score-only survey answers have nothing
    to read. Unscored rows come last in every order (they are neither good nor bad news).
    """
    keep = frame["text"].str.strip() != ""
    if search.strip():
        keep &= frame["text"].str.contains(search.strip(), case=False, regex=False)
    wanted_tps = list(touchpoint_ids)
    if wanted_tps:
        ids = {t for t in wanted_tps if t is not None}
        in_tps = frame["touchpoint_id"].isin(ids).fillna(False).astype(bool)
        if None in wanted_tps:
            in_tps |= frame["touchpoint_id"].isna()
        keep &= in_tps
    wanted_labels = list(labels)
    if wanted_labels:
        keep &= frame["label"].isin(wanted_labels)
    wanted_sources = list(sources)
    if wanted_sources:
        keep &= frame["source"].isin(wanted_sources)
    found = frame[keep]
    if sort == "Newest first":
        return found.sort_values("created_at", ascending=False, na_position="last", kind="stable")
    by_place = sort.startswith("Per touchpoint")
    ascending = "negative" in sort
    keys, order = (
        (["place", "sentiment"], [True, ascending]) if by_place else (["sentiment"], [ascending])
    )
    return found.sort_values(keys, ascending=order, na_position="last", kind="stable")


def verbatim_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The columns a person reads, in reading order (customers' words as they wrote them);
    a score nobody gave (no CSAT in these rows, say) is left out."""
    table = pd.DataFrame(
        {
            "Touchpoint": rows["touchpoint"],
            "Sentiment": rows["label"],
            "Score": rows["sentiment"].astype("Float64").round(2),
            "Verbatim": rows["text"],
            "NPS": rows["nps"].astype("Int64"),
            "CSAT": rows["csat"].astype("Int64"),
            "CES": rows["ces"].astype("Int64"),
            "Source": rows["source"],
            "Date": rows["created_at"],
            "Language": rows["language"].map(LANGUAGES).fillna(rows["language"]),
            "Scored by": rows["scored_by"]
            .map({"vader": "model", "manual": "a person"})
            .fillna(rows["scored_by"]),
            "Stage": rows["stage"],
        }
    ).reset_index(drop=True)
    if rows.empty:
        return table
    return table.drop(columns=[c for c in ("NPS", "CSAT", "CES") if table[c].isna().all()])


def verbatims_csv(rows: pd.DataFrame) -> bytes:
    """The verbatims as CSV, safe to open in a spreadsheet (formula-looking text neutralised),
    with a byte-order mark so Excel reads Persian and Arabic correctly."""
    return feedback_file.neutralised(verbatim_table(rows)).to_csv(index=False).encode("utf-8-sig")


def not_scored_languages(frame: pd.DataFrame) -> Counter[str]:
    """How many verbatims per language were left unscored because the model reads English only.

    Rows a person has scored since are not counted: they are scored now.
    """
    unscored = frame[(frame["label"] == "not scored") & frame["language"].isin(NOT_ENGLISH)]
    return Counter(unscored["language"].tolist())


def languages_text(counts: Mapping[str, int]) -> str:
    """'3 Persian, 1 Arabic' (most first).

    >>> languages_text(Counter({"ar": 1, "fa": 3, "other": 2}))
    '3 Persian, 2 in other scripts, 1 Arabic'
    """
    parts = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    names = {**LANGUAGES, "other": "in other scripts"}
    return ", ".join(f"{n:,} {names.get(code, code)}" for code, n in parts)


def group_order(
    by: str, aggregate: JourneyAggregate, names: Iterable[str], responses: Sequence[int]
) -> list[str]:
    """The groups in the order people expect: stages and touchpoints as in the journey,
    months by date, segments and sources by how many answered; the catch-all groups
    ("(not linked)", "(no date)", "(none)") last."""
    names = list(names)
    last = {NOT_LINKED, NO_DATE, NO_VALUE}
    if by == "stage":
        known = [s.name for s in aggregate.stages]
    elif by == "touchpoint":
        known = list(touchpoint_labels(aggregate).values())
    elif by == "month":
        known = sorted(n for n in names if n not in last)
    else:
        count = dict(zip(names, responses, strict=True))
        known = sorted((n for n in names if n not in last), key=lambda n: (-count[n], n))
    ordered = [n for n in dict.fromkeys(known) if n in names]
    return (
        ordered
        + [n for n in names if n not in ordered and n not in last]
        + [n for n in names if n in last]
    )


def grouped_metrics(frame: pd.DataFrame, by: str, aggregate: JourneyAggregate) -> pd.DataFrame:
    """:func:`cxmap.analysis.metrics.metrics_table` by ``by``, ordered (see :func:`group_order`),
    the NPS interval as one column of text, and CES columns dropped when nobody answered them."""
    table = metrics.metrics_table(frame, by=by)
    # Rounded here, half to even like Python's own formatting, so the table, the chart and the
    # KPIs never disagree on a half point (−12.5 is −12 everywhere).
    table = table.round({"NPS": 0, "CSAT %": 0, "CES % agree": 0, "CSAT mean": 2,
                         "CES mean (1-7)": 2, "CES mean (1-5)": 2})  # fmt: skip
    order = group_order(by, aggregate, table[by].tolist(), table["responses"].tolist())
    table = table.set_index(by).loc[order].reset_index()
    table["NPS 95%"] = [
        f"{low:.0f}…{high:.0f}" if pd.notna(low) and pd.notna(high) else ""
        for low, high in zip(table["NPS 95% low"], table["NPS 95% high"], strict=True)
    ]
    columns = [by, "responses"]
    if table["NPS n"].sum():
        columns += ["NPS", "NPS n", "NPS 95%"]
    if table["CSAT n"].sum():
        columns += ["CSAT %", "CSAT n", "CSAT mean"]
    if table["CES n (1-7)"].sum():
        columns += ["CES mean (1-7)", "CES % agree", "CES n (1-7)"]
    if table["CES n (1-5)"].sum():
        columns += ["CES mean (1-5)", "CES n (1-5)"]
    columns += [c for c in ("negative", "neutral", "positive", "not scored") if c in table]
    return table[columns].rename(columns={by: GROUPINGS[by], "responses": "Responses"})


def score_point(label: str, score: metrics.Score) -> charts.ScorePoint:
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
        series["NPS"].append(score_point(str(month), metrics.nps(_values(part["nps"]))))
        series["CSAT %"].append(score_point(str(month), metrics.csat(_values(part["csat"]))))
    return {name: points for name, points in series.items() if any(p.n for p in points)}


def _values(series: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in series.tolist()]


def score_detail(score: metrics.Score, digits: int = 0) -> str:
    """What :meth:`cxmap.analysis.metrics.Score.label` says besides the value, with thousands
    separated (files have hundreds of thousands of rows): 'n = 17, 95% 18…63', 'n = 99,992'.

    >>> score_detail(metrics.Score(42.0, 17, 18.2, 63.4)), score_detail(metrics.Score(5.0, 99992))
    ('n = 17, 95% 18…63', 'n = 99,992')
    """
    text = f"n = {score.n:,}"
    if score.low is not None and score.high is not None:
        text += f", 95% {score.low:.{digits}f}…{score.high:.{digits}f}"
    return text


# ---------------------------------------------------------------- closing the loop


def merge_selection(
    picked: Sequence[int], shown_ids: Sequence[int], selected_rows: Iterable[int]
) -> list[int]:
    """The picked verbatim ids after a selection in a table showing ``shown_ids``: picks not
    shown stay (a search does not drop them), shown ones follow the table's selection.

    >>> merge_selection([7, 3], [3, 4, 5], [1, 2])
    [7, 4, 5]
    """
    shown = set(shown_ids)
    selected = [shown_ids[r] for r in selected_rows if 0 <= r < len(shown_ids)]
    kept = [i for i in picked if i not in shown or i in selected]
    return kept + [i for i in selected if i not in kept]


def evidence_counts(aggregate: JourneyAggregate) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pain points and opportunities with how many verbatims back each (most first)."""
    labels = touchpoint_labels(aggregate)
    backing_pain = Counter(e.pain_point_id for e in aggregate.evidence if e.pain_point_id)
    backing_opportunity = Counter(e.opportunity_id for e in aggregate.evidence if e.opportunity_id)
    pains = pd.DataFrame(
        [
            {
                "id": p.id,
                "Verbatims": backing_pain[p.id],
                "Key": p.key,
                "Pain point": p.description,
                "Touchpoint": labels.get(p.touchpoint_id, ""),
                "Severity": p.severity,
                "Frequency": p.frequency,
            }
            for p in aggregate.pain_points
        ],
        columns=["id", "Verbatims", "Key", "Pain point", "Touchpoint", "Severity", "Frequency"],
    )
    opportunities = pd.DataFrame(
        [
            {
                "id": o.id,
                "Verbatims": backing_opportunity[o.id],
                "Key": o.key,
                "Opportunity": o.title,
                "Touchpoint": labels.get(o.touchpoint_id, "") if o.touchpoint_id else "",
                "Status": o.status,
            }
            for o in aggregate.opportunities
        ],
        columns=["id", "Verbatims", "Key", "Opportunity", "Touchpoint", "Status"],
    )
    return (
        pains.sort_values("Verbatims", ascending=False, kind="stable"),
        opportunities.sort_values("Verbatims", ascending=False, kind="stable"),
    )


# ---------------------------------------------------------------- importing a file


def default_choices(headers: Sequence[str]) -> dict[str, str]:
    """The column proposed for each role (NONE when no header suggests one).

    >>> default_choices(["Comment", "NPS", "Created"])["nps"]
    'NPS'
    """
    guess = feedback_file.guess_columns(headers)
    return {role: guess.get(role) or NONE for role in IMPORT_ROLES}


def mapping_from_choices(choices: Mapping[str, str]) -> dict[str, str | None]:
    """The column mapping for :func:`cxmap.formats.feedback_file.parse_feedback` (NONE → None)."""
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


def import_identity(
    data: bytes,
    mapping: Mapping[str, str | None],
    ces_scale: int,
    default_source: str,
    rules: Sequence[feedback_file.KeywordRule] = (),
) -> str:
    """The identity of an import (:func:`cxmap.formats.feedback_file.file_hash`): the same bytes
    with the same
    mapping, scale, source and rules are the same import. Without a sentiment column or rules
    it is the identity ``cxmap voc import`` gives the same file and columns."""
    columns: dict[str, str | None] = {role: mapping.get(role) for role in CLI_ROLES}
    if mapping.get("sentiment"):
        columns["sentiment"] = mapping["sentiment"]
    extra: tuple[Any, ...] = (ces_scale, default_source)
    if rules:
        extra += (tuple((r.pattern, r.touchpoint_id) for r in rules),)
    return feedback_file.file_hash(data, columns, extra)


def rules_from_editor(
    rows: pd.DataFrame, touchpoint_ids: Mapping[str, int]
) -> tuple[list[feedback_file.KeywordRule], list[str]]:
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
        pattern = str(row.get(RULE_PATTERN) or "").strip()
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
        rules.append(feedback_file.KeywordRule(pattern, touchpoint_ids[label]))
    return rules, problems


@dataclass(frozen=True)
class ImportPreview:
    """What an import would store, before anything is saved."""

    parsed: feedback_file.ParsedFeedback
    languages: Counter[str]  # rows to add per language of their text ("" = no text)

    @property
    def rows_to_add(self) -> int:
        return len(self.parsed.rows)

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.parsed.problems})

    @property
    def empty_rows(self) -> int:
        """Rows with neither text nor a score: left out, nothing is lost."""
        return self.parsed.rows_in_file - self.rows_to_add - self.rows_with_problems

    @property
    def linked(self) -> int:
        return sum(r["touchpoint_id"] is not None for r in self.parsed.rows)

    @property
    def not_english(self) -> Counter[str]:
        return Counter({k: n for k, n in self.languages.items() if k in NOT_ENGLISH})


def stored_rows(rows: Sequence[Mapping[str, Any]], labels: Mapping[int, str]) -> pd.DataFrame:
    """Parsed rows as they would be stored, for reading: columns the file left empty are left
    out (a file without CSAT shows no CSAT column).

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
            "Segment": [r["segment"] for r in rows],
            "Date": [r["created_at"] for r in rows],
            "Language": [LANGUAGES.get(sentiment.detect_language(r["text"]), "") for r in rows],
        }
    )
    empty = [
        c
        for c in ("NPS", "CSAT", "CES", "Source", "Segment", "Date")
        if table[c].isna().all() or (table[c].astype(str) == "").all()
    ]
    return table.drop(columns=empty)


def preview_import(parsed: feedback_file.ParsedFeedback) -> ImportPreview:
    return ImportPreview(parsed, Counter(sentiment.detect_language(r["text"]) for r in parsed.rows))


def import_blocker(
    preview: ImportPreview, *, leave_out_bad_rows: bool, rule_problems: Sequence[str] = ()
) -> str | None:
    """Why the Import button is disabled (None: it is not). Bad rows are never left out
    silently: the person ticks that they want the good rows without them."""
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


def progress_text(done: int, total: int) -> str:
    """The progress bar's text while the rows are scored and saved.

    >>> progress_text(12000, 100000)
    'Scoring sentiment and saving: 12,000 / 100,000 rows'
    """
    return f"Scoring sentiment and saving: {done:,} / {total:,} rows"


def import_message(outcome: FeedbackImport, file_name: str, left_out: int = 0) -> str:
    """What an import did, in one paragraph (plain text: the caller escapes it).

    >>> print(import_message(FeedbackImport(1, 1, 0, 1, 0), "a.csv", left_out=1))
    ... # doctest: +NORMALIZE_WHITESPACE
    Imported 1 feedback row from a.csv. 1 row was already in this map and was skipped. 1 row
    with problems was left out. Sentiment: 0 scored now, 1 from the cache, 0 not scored (not
    English, or no text).
    """
    parts = [f"Imported {_rows(outcome.added, 'feedback row')} from {file_name}."]
    if outcome.already_imported:
        was = "was" if outcome.already_imported == 1 else "were"
        parts.append(
            f"{_rows(outcome.already_imported)} {was} already in this map and {was} skipped."
        )
    if left_out:
        parts.append(
            f"{_rows(left_out)} with problems {'was' if left_out == 1 else 'were'} left out."
        )
    how_scored = [f"{outcome.scored:,} scored now", f"{outcome.from_cache:,} from the cache"]
    if outcome.from_file:
        how_scored.append(f"{outcome.from_file:,} from the file's sentiment column")
    how_scored.append(f"{outcome.not_scored:,} not scored (not English, or no text)")
    parts.append("Sentiment: " + ", ".join(how_scored) + ".")
    return " ".join(parts)


def _rows(n: int, noun: str = "row") -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- cached work


@st.cache_data(show_spinner=False, max_entries=16)
def _feedback_frame(_ctx: Context, database_url: str, map_id: int, revision: int) -> pd.DataFrame:
    # Keyed by (database, map id, revision): any change to the map makes a new entry.
    return verbatim_frame(cache.content_at(_ctx, map_id, revision))


@st.cache_data(show_spinner=False, max_entries=64)
def _grouped(_ctx: Context, database_url: str, map_id: int, revision: int, by: str) -> pd.DataFrame:
    frame = _feedback_frame(_ctx, database_url, map_id, revision)
    return grouped_metrics(frame, by, cache.content_at(_ctx, map_id, revision))


@st.cache_data(show_spinner=False, max_entries=4)
def _read_upload(_data: bytes, digest: str, file_name: str, max_bytes: int) -> pd.DataFrame:
    # Keyed by the hash of the bytes: reruns (every click) do not read the file again.
    return feedback_file.read_feedback_file(_data, file_name, max_bytes)


@st.cache_data(show_spinner=False, max_entries=8)
def _parse_upload(
    _frame: pd.DataFrame,
    digest: str,
    mapping: tuple[tuple[str, str | None], ...],
    touchpoints: tuple[tuple[int, str, str], ...],
    rules: tuple[tuple[str, int], ...],
    ces_scale: int,
    default_source: str,
) -> ImportPreview:
    parsed = feedback_file.parse_feedback(
        _frame,
        dict(mapping),
        touchpoints=touchpoints,
        rules=[feedback_file.KeywordRule(p, t) for p, t in rules],
        ces_scale=ces_scale,
        default_source=default_source,
    )
    return preview_import(parsed)


def _digest(file_id: str, data: bytes) -> str:
    # Hashing 100 MB takes a moment: once per uploaded file, not on every rerun.
    key = f"voc_digest_{file_id}"
    if key not in st.session_state:
        st.session_state[key] = hashlib.sha256(data).hexdigest()
    digest: str = st.session_state[key]
    return digest


# ---------------------------------------------------------------- the page


@dataclass(frozen=True)
class VocView:
    """One map at one revision: its records (``structure``: stages, touchpoints, pain points,
    opportunities, evidence links; shared with every page through :mod:`cxmap.app.cache`), and
    the feedback as a table (``frame``, see :func:`verbatim_frame`)."""

    ctx: Context
    journey: MapRecord
    structure: JourneyAggregate
    frame: pd.DataFrame

    @property
    def map_id(self) -> int:
        return self.journey.id

    @property
    def revision(self) -> int:
        return self.journey.revision


def no_map() -> None:
    st.info(
        "No map is selected. Pick or create a map on the home page, then come back here to "
        "bring in what customers say about it."
    )
    st.page_link("app.py", label="Go to the journey maps", icon="🗺️")


def load_view(ctx: Context, journey: MapRecord) -> VocView:
    """The selected map's feedback (cached by map id and revision)."""
    frame = _feedback_frame(ctx, ctx.db.url, journey.id, journey.revision)
    return VocView(ctx, journey, cache.content(ctx, journey), frame)


def header(view: VocView) -> None:
    frame = view.frame
    texts = int((frame["text"].str.strip() != "").sum())
    st.caption(
        f"Map: {shell.md_escape(view.journey.name)} · {len(frame):,} feedback rows, "
        f"{texts:,} with a verbatim · revision {view.revision}"
    )


def tabs() -> Sequence[Any]:
    """The three tabs; only the open one runs (each is cheap to switch to, costly to run)."""
    return st.tabs(TABS, key=TAB_KEY, on_change="rerun")


def _no_feedback() -> None:
    st.info(
        "This map has no customer feedback yet. Bring in a survey export (NPS, CSAT, CES), "
        f"reviews, social posts or call notes on the **{IMPORT_TAB}** tab: the scores, the "
        "verbatims and their sentiment appear here."
    )


# ---- evidence


def evidence(view: VocView) -> None:
    """The Evidence tab: KPIs, unscored rows, metrics per group, trend, verbatims."""
    if view.frame.empty:
        _no_feedback()
        return
    kpis(view.frame)
    not_scored_warning(view.frame)
    st.subheader("By stage, touchpoint, segment, source or month")
    by_group(view)
    trend(view.frame)
    st.subheader("What customers say")
    rows = verbatim_filters(view, "evidence")
    shown = rows.head(MAX_SHOWN)
    st.dataframe(
        verbatim_table(shown),
        hide_index=True,
        width="stretch",
        column_config=_verbatim_columns(),
        key="evidence_verbatims",
    )
    _download(rows, view, "evidence")


def kpis(frame: pd.DataFrame) -> None:
    """NPS, CSAT and CES of the whole map, each with its n (and interval when n < 30)."""
    nps = metrics.nps(_values(frame["nps"]))
    csat = metrics.csat(_values(frame["csat"]))
    ces7 = metrics.ces(_values(frame.loc[frame["ces_scale"] == 7, "ces"]), scale=7)
    ces5 = metrics.ces(_values(frame.loc[frame["ces_scale"] == 5, "ces"]), scale=5)
    mix = metrics.sentiment_mix(frame.loc[frame["text"].str.strip() != "", "label"].tolist())
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
    by = st.segmented_control(
        "Group by",
        list(GROUPINGS),
        default="stage",
        format_func=lambda g: GROUPINGS[g],
        required=True,
        key="voc_group_by",
    )
    by = by or "stage"
    table = _grouped(view.ctx, view.ctx.db.url, view.map_id, view.revision, by)
    points = group_points(table, by)
    if any(p.value is not None for p in points):
        st.plotly_chart(
            charts.voc_group_figure(points, "NPS"),
            config=_CHART_CONFIG,
            theme=None,
            key=f"voc_group_chart_{by}",
        )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=f"voc_group_table_{by}",
        column_config={
            **{
                column: st.column_config.NumberColumn(format="localized")
                for column in table.columns
                if column in COUNT_COLUMNS
            },
            "NPS": st.column_config.NumberColumn(format="%.0f"),
            "CSAT %": st.column_config.NumberColumn(format="%.0f"),
            "CSAT mean": st.column_config.NumberColumn(format="%.2f"),
            "CES mean (1-7)": st.column_config.NumberColumn(format="%.2f"),
            "CES % agree": st.column_config.NumberColumn(format="%.0f"),
            "CES mean (1-5)": st.column_config.NumberColumn(format="%.2f"),
        },
    )
    st.caption(
        "n: how many answered. Where n < 30 the NPS 95% interval is given (and the bar is "
        "pale with a whisker): read those groups as rough."
    )


def trend(frame: pd.DataFrame) -> None:
    series = monthly_points(frame)
    months = {p.label for points in series.values() for p in points if p.n}
    if len(months) < 2:
        return
    st.subheader("NPS and CSAT by month")
    st.plotly_chart(
        charts.voc_trend_figure(series), config=_CHART_CONFIG, theme=None, key="voc_trend"
    )
    st.caption("Hollow points: fewer than 30 answers that month (the hover gives the interval).")


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


def _verbatim_columns() -> dict[str, Any]:
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
        "Date": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
    }


def _download(rows: pd.DataFrame, view: VocView, prefix: str) -> None:
    st.download_button(
        f"⬇️ Download these {len(rows):,} verbatims (CSV)",
        lambda: verbatims_csv(rows),
        file_name=f"verbatims-map-{view.map_id}.csv",
        mime="text/csv",
        key=f"{prefix}_download",
        on_click="ignore",
        disabled=rows.empty,
    )


# ---- close the loop


def _picked_key(view: VocView) -> str:
    return f"voc_picked_{view.map_id}"


def _generation_key(view: VocView) -> str:
    return f"voc_pick_generation_{view.map_id}"


def picked_ids(view: VocView) -> list[int]:
    """The verbatims picked in this browser tab (ids still in the map)."""
    known = set(view.frame["id"].tolist())
    return [i for i in st.session_state.get(_picked_key(view), []) if i in known]


def clear_picks(view: VocView) -> None:
    st.session_state[_picked_key(view)] = []
    # A new table key: its old selection must not come back.
    st.session_state[_generation_key(view)] = st.session_state.get(_generation_key(view), 0) + 1


def close_the_loop(view: VocView) -> None:
    """The Close-the-loop tab: pick verbatims; make them a pain point's or an opportunity's
    evidence, or correct their sentiment; see how much evidence each item has."""
    if view.frame.empty:
        _no_feedback()
        evidence_tables(view)
        return
    st.markdown(
        "Pick the verbatims that show a problem or an idea (tick their rows; searches keep "
        "your picks), then turn them into a **pain point** or an **opportunity** on the map. "
        "They stay linked to it as its evidence, so anyone can read why it is there."
    )
    rows = verbatim_filters(view, "loop")
    shown = rows.head(MAX_SHOWN)
    shown_ids = shown["id"].tolist()
    picked = picked_ids(view)
    position = {feedback_id: n for n, feedback_id in enumerate(shown_ids)}
    generation = st.session_state.get(_generation_key(view), 0)
    event = st.dataframe(
        verbatim_table(shown),
        hide_index=True,
        width="stretch",
        column_config=_verbatim_columns(),
        on_select="rerun",
        selection_mode="multi-row",
        # The key follows the rows shown: a row number from another list must never pick
        # another verbatim. A new list starts from the picks kept in the session.
        key=shell.list_key("voc_pick", view.map_id, view.revision, generation, shown_ids),
        selection_default={
            "selection": {"rows": [position[i] for i in picked if i in position], "columns": []}
        },
    )
    selected = event.selection.rows if event else []
    picked = merge_selection(picked, shown_ids, selected)
    st.session_state[_picked_key(view)] = picked
    chosen = view.frame.set_index("id").loc[picked].reset_index() if picked else view.frame.head(0)
    _picked_summary(view, chosen)
    pain, opportunity = st.columns(2)
    with pain:
        pain_point_form(view, chosen)
    with opportunity:
        opportunity_form(view, chosen)
    sentiment_form(view, chosen)
    evidence_tables(view)


def _picked_summary(view: VocView, chosen: pd.DataFrame) -> None:
    if chosen.empty:
        st.caption("No verbatim picked yet: tick rows in the table.")
        return
    text, clear = st.columns([5, 1], vertical_alignment="center")
    text.markdown(
        f"**{len(chosen)} verbatim{'s' if len(chosen) > 1 else ''} picked**, first: "
        f"“{shell.md_escape(_shorten(chosen['text'].iloc[0], 160))}”"
    )
    clear.button("Clear picks", key="voc_clear_picks", on_click=clear_picks, args=(view,))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _first_touchpoint(view: VocView, chosen: pd.DataFrame) -> int | None:
    linked = chosen["touchpoint_id"].dropna()
    return int(linked.iloc[0]) if len(linked) else None


def pain_point_form(view: VocView, chosen: pd.DataFrame) -> None:
    """A pain point at a touchpoint, described by the first picked verbatim by default."""
    labels = touchpoint_labels(view.structure)
    st.markdown("##### Create a pain point")
    if not labels:
        st.info("This map has no touchpoints yet: a pain point sits at a touchpoint.")
        return
    ids = list(labels)
    first_tp = _first_touchpoint(view, chosen)
    ids_picked = chosen["id"].tolist()
    with st.form(shell.list_key("voc_pain_form", view.revision, ids_picked), border=True):
        touchpoint: int = st.selectbox(
            "Touchpoint",
            ids,
            index=ids.index(first_tp) if first_tp in ids else 0,
            format_func=lambda t: labels[t],
        )
        description = st.text_area(
            "Description",
            value=_shorten(chosen["text"].iloc[0], 5000) if len(chosen) else "",
            max_chars=5000,
            help="Prefilled with the first picked verbatim: say it in the team's words.",
        )
        severity, frequency = st.columns(2)
        severity_value = severity.slider("Severity", 1, 5, 3, help="1 minor … 5 severe")
        frequency_value = frequency.slider("Frequency", 1, 5, 3, help="1 rare … 5 constant")
        submitted = st.form_submit_button(
            "Create pain point", type="primary", disabled=chosen.empty
        )
    if submitted:
        values = {
            "touchpoint_id": touchpoint,
            "description": description,
            "severity": severity_value,
            "frequency": frequency_value,
        }
        _create(view, "pain_point", values, ids_picked, f"pain point at {labels[touchpoint]}")


def opportunity_form(view: VocView, chosen: pd.DataFrame) -> None:
    """An improvement idea, at a touchpoint and for a pain point when it has them."""
    labels = touchpoint_labels(view.structure)
    pains = {p.id: f"{p.key}: {_shorten(p.description, 60)}" for p in view.structure.pain_points}
    st.markdown("##### Create an opportunity")
    first_tp = _first_touchpoint(view, chosen)
    ids_picked = chosen["id"].tolist()
    tp_options: list[int | None] = [None, *labels]
    with st.form(shell.list_key("voc_opportunity_form", view.revision, ids_picked), border=True):
        title = st.text_input(
            "Title", max_chars=200, placeholder="e.g. Text customers the technician's arrival time"
        )
        where, pain = st.columns(2)
        touchpoint = where.selectbox(
            "Touchpoint",
            tp_options,
            index=tp_options.index(first_tp) if first_tp in tp_options else 0,
            format_func=lambda t: NO_VALUE if t is None else labels[t],
        )
        pain_point = pain.selectbox(
            "For pain point",
            [None, *pains],
            format_func=lambda p: NO_VALUE if p is None else pains[p],
        )
        customer, business = st.columns(2)
        customer_value = customer.slider("Customer value", 0, 100, 50)
        business_value = business.slider("Business value", 0, 100, 50)
        effort, status = st.columns(2)
        effort_value = effort.slider("Effort", 1, 5, 3, help="1 small … 5 large")
        status_value = status.selectbox("Status", OPPORTUNITY_STATUSES)
        submitted = st.form_submit_button(
            "Create opportunity", type="primary", disabled=chosen.empty
        )
    if submitted:
        values = {
            "title": title,
            "touchpoint_id": touchpoint,
            "pain_point_id": pain_point,
            "customer_value": customer_value,
            "business_value": business_value,
            "effort": effort_value,
            "status": status_value,
        }
        _create(view, "opportunity", values, ids_picked, f"opportunity “{title.strip()}”")


def _create(
    view: VocView, entity: str, values: Mapping[str, Any], feedback_ids: list[int], what: str
) -> None:
    created = shell.run_action(
        lambda: services.create_with_evidence(view.ctx, view.map_id, entity, values, feedback_ids)
    )
    if created is not None:
        n = len(feedback_ids)
        key = getattr(created, "key", "")
        shell.flash(f"Created {what} ({key}) with {n} verbatim{'s' if n > 1 else ''} as evidence.")
        clear_picks(view)
        st.rerun()


def sentiment_form(view: VocView, chosen: pd.DataFrame) -> None:
    """Correct the sentiment of the picked verbatims by hand (the model misreads irony,
    and does not read other languages than English)."""
    st.markdown("##### Correct the sentiment")
    with st.form(shell.list_key("voc_sentiment_form", view.revision, chosen["id"].tolist())):
        label = st.radio(
            "Sentiment of the picked verbatims",
            ["negative", "neutral", "positive"],
            horizontal=True,
            help="Stored as −0.5, 0 or +0.5, marked as set by a person; the model never "
            "overwrites it.",
        )
        submitted = st.form_submit_button("Set sentiment", disabled=chosen.empty)
    if submitted:
        done = 0
        for feedback_id, version in zip(
            chosen["id"].tolist(), chosen["version"].tolist(), strict=True
        ):
            saved = shell.run_action(
                partial(services.set_sentiment, view.ctx, view.map_id, feedback_id, version, label)
            )
            if saved is None:
                break
            done += 1
        if done:
            shell.flash(
                f"Set the sentiment of {done} verbatim{'s' if done > 1 else ''} to {label}."
            )
            st.rerun()


def evidence_tables(view: VocView) -> None:
    """Each pain point and opportunity with how many verbatims back it; read them."""
    pains, opportunities = evidence_counts(view.structure)
    st.subheader("Evidence on the map")
    if pains.empty and opportunities.empty:
        st.caption("The map has no pain points or opportunities yet.")
        return
    evidence_column = st.column_config.NumberColumn(
        "Verbatims", help="How many verbatims back it (its evidence)", width="small"
    )
    wide = st.column_config.TextColumn(width="large")
    st.dataframe(
        pains.drop(columns="id"),
        hide_index=True,
        width="stretch",
        key="voc_pains",
        column_config={"Verbatims": evidence_column, "Pain point": wide},
    )
    st.dataframe(
        opportunities.drop(columns="id"),
        hide_index=True,
        width="stretch",
        key="voc_opps",
        column_config={"Verbatims": evidence_column, "Opportunity": wide},
    )
    backed = [
        ("pain_point", r["id"], f"{r['Key']}: {r['Pain point']}")
        for r in pains.to_dict("records")
        if r["Verbatims"]
    ]
    backed += [
        ("opportunity", r["id"], f"{r['Key']}: {r['Opportunity']}")
        for r in opportunities.to_dict("records")
        if r["Verbatims"]
    ]
    if not backed:
        st.caption("None of them has verbatims as evidence yet: pick some above.")
        return
    choice = st.selectbox(
        "Read the evidence of",
        range(len(backed)),
        format_func=lambda n: _shorten(backed[n][2], 120),
        key="voc_evidence_of",
    )
    entity, item_id, _ = backed[choice or 0]
    field = "pain_point_id" if entity == "pain_point" else "opportunity_id"
    ids = [e.feedback_id for e in view.structure.evidence if getattr(e, field) == item_id]
    rows = view.frame[view.frame["id"].isin(ids)]
    st.dataframe(
        verbatim_table(rows),
        hide_index=True,
        width="stretch",
        column_config=_verbatim_columns(),
        key="voc_evidence_rows",
    )


# ---- import a file


def import_file(view: VocView) -> None:
    """The Import tab: upload, map columns, link to touchpoints, preview, import."""
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
        frame = _read_upload(data, digest, file.name, settings.max_feedback_bytes)
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
    problems = mapping_problems(mapping)
    st.subheader("2 · Link rows to touchpoints")
    rules, rule_problems = link_rules(view, mapping)
    for problem in problems:
        st.error(shell.md_escape(problem), icon="⚠️")
    for problem in rule_problems:  # often a rule still being written: a warning, not an error
        st.warning(shell.md_escape(problem), icon="✏️")
    if problems:
        return

    identity = import_identity(data, mapping, ces_scale, default_source, rules)
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
        run_import(view, preview, identity, file.name)


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


def link_rules(
    view: VocView, mapping: Mapping[str, str | None]
) -> tuple[list[feedback_file.KeywordRule], list[str]]:
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
    rows = metrics.rows_frame(parsed.rows)
    if preview.rows_to_add:
        nps = metrics.nps(_values(rows["nps"]))
        csat = metrics.csat(_values(rows["csat"]))
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
            lambda: feedback_file.neutralised(table).to_csv(index=False).encode("utf-8-sig"),
            file_name=f"{_stem(file_name)}-problems.csv",
            mime="text/csv",
            on_click="ignore",
            key="voc_problems_download",
        )
    if parsed.unmatched:
        unmatched_rows = sum(parsed.unmatched.values())
        st.warning(
            f"**{_rows(unmatched_rows)} {'names' if unmatched_rows == 1 else 'name'} a "
            "touchpoint this map does not have** (by name or key). Unless a keyword rule links "
            f"{'it' if unmatched_rows == 1 else 'them'}, "
            f"{'it is' if unmatched_rows == 1 else 'they are'} imported without a touchpoint. "
            "Rename the touchpoint in the Journey Builder, or add a rule.",
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
            stored_rows(first, labels),
            hide_index=True,
            width="stretch",
            key="voc_rows_preview",
        )


def _stem(file_name: str) -> str:
    return (
        re.sub(r"[^A-Za-z0-9]+", "-", file_name.rsplit(".", 1)[0]).strip("-").lower() or "feedback"
    )


def run_import(view: VocView, preview: ImportPreview, identity: str, file_name: str) -> None:
    """Store the rows, with the scoring's progress; then say what happened (after a rerun)."""
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
            )
        )
    if outcome is not None:
        shell.flash(import_message(outcome, file_name, preview.rows_with_problems))
        st.rerun()
