"""The map's customer feedback as evidence: tables, filters, groups and counts (pure pandas).

What the Voice of the Customer page (:mod:`cxmap.app.pages.voice`) shows, computed without
Streamlit or a database, from a :class:`~cxmap.core.records.JourneyAggregate`:

* :func:`verbatim_frame`: :func:`cxmap.analysis.metrics.feedback_frame` plus what the page needs
  (ids and versions to pick and correct rows, the touchpoint's place to sort by, unique names);
* :func:`filter_verbatims`, :func:`verbatim_table`: search, and the table a person reads (and
  downloads, through :func:`cxmap.formats.feedback_file.spreadsheet_csv`);
* :func:`grouped_metrics`: NPS, CSAT, CES and sentiment per stage, touchpoint, segment, source or
  month, in the order people expect (:func:`group_order`);
* :func:`not_scored_languages`, :func:`languages_text`: the verbatims the English-only sentiment
  model left unscored;
* :func:`merge_selection`, :func:`evidence_counts`: closing the loop (which verbatims are picked,
  how many back each pain point and opportunity).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from cxmap.analysis import metrics
from cxmap.core.records import JourneyAggregate

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


# ---------------------------------------------------------------- the map's feedback as a table


def _example_map() -> JourneyAggregate:
    """The examples' map: :func:`cxmap.core.examples.demo_chain` with four feedback rows (two
    at t1, one Persian and unscored at t2, one linked to no touchpoint) and a pain point at t1
    backed by the first."""
    import dataclasses
    import datetime as dt

    from cxmap.core.examples import demo_chain
    from cxmap.core.records import EvidenceRecord, FeedbackRecord, PainPointRecord

    def row(id: int, tp: int | None, text: str, nps: int | None, score: float | None) -> Any:
        language = "fa" if score is None else "en"
        return FeedbackRecord(id, tp, text, nps, None, None, 7, "survey",
                              dt.date(2026, 3, id), score, language, 1)  # fmt: skip

    feedback = [row(1, 1, "Waited for weeks", 2, -0.6), row(2, 1, "Lovely staff", 10, 0.7),
                row(3, 2, "خیلی طول کشید", 9, None), row(4, None, "Fine", None, 0.2)]  # fmt: skip
    pain = PainPointRecord(1, "p1", 1, "Slow delivery", 4, 3, 1)
    return dataclasses.replace(demo_chain(), feedback=feedback, pain_points=[pain],
                               evidence=[EvidenceRecord(1, 1, 1, None)])  # fmt: skip


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


def verbatim_frame(aggregate: JourneyAggregate, zone: dt.tzinfo = dt.UTC) -> pd.DataFrame:
    """:func:`cxmap.analysis.metrics.feedback_frame` with what the page needs besides: each row's
    id and version (to pick and correct it), touchpoint id and place in the journey (to sort by it),
    who scored its sentiment, and touchpoint names made unique. Dates and months are those a
    viewer in ``zone`` sees.

    >>> frame = verbatim_frame(_example_map())
    >>> frame[["id", "touchpoint", "place", "label"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [[1, 'Touchpoint 1', 0, 'negative'], [2, 'Touchpoint 1', 0, 'positive'],
     [3, 'Touchpoint 2', 1, 'not scored'], [4, '(not linked)', 3, 'positive']]
    """
    frame = metrics.feedback_frame(aggregate, zone)
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

    >>> frame = verbatim_frame(_example_map())
    >>> filter_verbatims(frame)["id"].tolist()  # per touchpoint, most negative first
    [1, 2, 3, 4]
    >>> filter_verbatims(frame, sort="Most positive first")["id"].tolist()
    [2, 4, 1, 3]
    >>> filter_verbatims(frame, search="STAFF")["id"].tolist()
    [2]
    >>> filter_verbatims(frame, touchpoint_ids=[2, None])["id"].tolist()
    [3, 4]
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
        return found.sort_values(
            ["date", "received_at"], ascending=False, na_position="last", kind="stable"
        )
    by_place = sort.startswith("Per touchpoint")
    ascending = "negative" in sort
    keys, order = (
        (["place", "sentiment"], [True, ascending]) if by_place else (["sentiment"], [ascending])
    )
    return found.sort_values(keys, ascending=order, na_position="last", kind="stable")


def verbatim_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The columns a person reads, in reading order (customers' words as they wrote them);
    a score nobody gave (no CSAT in these rows, say) and a channel no file named are left out.

    >>> verbatim_table(verbatim_frame(_example_map())).columns.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    ['Touchpoint', 'Sentiment', 'Score', 'Verbatim', 'NPS', 'Source', 'Date', 'Language',
     'Scored by', 'Stage']
    """
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
            "Channel": rows["channel"],
            "Date": rows["date"],
            "Language": rows["language"].map(LANGUAGES).fillna(rows["language"]),
            "Scored by": rows["scored_by"]
            .map({"vader": "model", "manual": "a person"})
            .fillna(rows["scored_by"]),
            "Stage": rows["stage"],
        }
    ).reset_index(drop=True)
    if rows.empty:
        return table
    unused = [c for c in ("NPS", "CSAT", "CES") if table[c].isna().all()]
    if (table["Channel"].fillna("") == "").all():
        unused.append("Channel")
    return table.drop(columns=unused)


def not_scored_languages(frame: pd.DataFrame) -> Counter[str]:
    """How many verbatims per language were left unscored because the model reads English only.

    Rows a person has scored since are not counted: they are scored now.

    >>> not_scored_languages(verbatim_frame(_example_map()))
    Counter({'fa': 1})
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
    ("(not linked)", "(no date)", "(none)") last.

    >>> group_order("stage", _example_map(), ["Stage 2", NOT_LINKED, "Stage 1"], [1, 1, 2])
    ['Stage 1', 'Stage 2', '(not linked)']
    >>> group_order("source", _example_map(), ["web", "survey", NO_VALUE], [1, 5, 9])
    ['survey', 'web', '(none)']
    """
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
    the NPS interval as one column of text, and CES columns dropped when nobody answered them.

    >>> example = _example_map()
    >>> table = grouped_metrics(verbatim_frame(example), "stage", example)
    >>> table[["Stage", "Responses", "NPS", "NPS n", "NPS 95%"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['Stage 1', 2, 0.0, 2, '-78…78'], ['Stage 2', 1, 100.0, 1, '-56…100'],
     ['(not linked)', 1, nan, 0, '']]
    """
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


def score_values(series: pd.Series) -> list[float | None]:
    """A column of answers as the floats :mod:`cxmap.analysis.metrics` takes (missing: None).

    >>> score_values(pd.Series([9, None, 3], dtype="Int64"))
    [9.0, None, 3.0]
    """
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
    """Pain points and opportunities with how many verbatims back each (most first).

    >>> pains, opportunities = evidence_counts(_example_map())
    >>> pains[["Key", "Verbatims", "Touchpoint"]].values.tolist(), len(opportunities)
    ([['p1', 1, 'Touchpoint 1']], 0)
    """
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
