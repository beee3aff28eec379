"""Voice of the customer: a feedback file's columns mapped to roles, its rows turned into
feedback rows ready to store, and every value that cannot be used named by row and column.

The file itself is read by :mod:`cxmap.formats.feedback_file`; its dates by
:mod:`cxmap.formats.feedback_dates`. Language detection and VADER scoring live in
``cxmap.analysis.sentiment`` (light enough for worker processes to import).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxmap.core.errors import InvalidInput
from cxmap.formats import text_rules
from cxmap.formats.feedback_dates import parse_moments

COLUMN_ROLES = (
    "text", "nps", "csat", "ces", "date", "source", "touchpoint", "persona", "sentiment",
    "channel",
)  # fmt: skip
# Words in a header that suggest its role, strongest first.
HEADER_HINTS: dict[str, tuple[str, ...]] = {
    "text": ("verbatim", "comment", "feedback", "review", "text", "message", "response", "why"),
    "nps": ("nps", "recommend", "ltr", "likelihood"),
    "csat": ("csat", "satisf", "rating", "stars"),
    "ces": ("ces", "effort", "easy", "ease"),
    "date": ("date", "created", "submitted", "timestamp", "time", "when"),
    "source": ("source", "origin", "platform"),
    "touchpoint": ("touchpoint", "touch point", "interaction", "step"),
    "persona": ("persona", "segment"),
    "sentiment": ("sentiment", "polarity", "tone"),
    "channel": ("channel", "medium", "via"),
}
# A pre-scored sentiment column may hold labels; they are stored as these compound scores.
SENTIMENT_LABELS = {"positive": 0.5, "neutral": 0.0, "negative": -0.5}


def guess_columns(
    headers: Sequence[str], hints: Mapping[str, Sequence[str]] = HEADER_HINTS
) -> dict[str, str | None]:
    """The most likely column for each role of ``hints`` (default: a feedback file's), from
    the header names (None when nothing fits); roles are filled in the order of ``hints``.

    >>> guess = guess_columns(["Response ID", "How likely to recommend?", "Comment", "Date"])
    >>> guess["nps"], guess["text"], guess["date"], guess["csat"]
    ('How likely to recommend?', 'Comment', 'Date', None)
    """
    taken: set[str] = set()
    result: dict[str, str | None] = {}
    for role, role_hints in hints.items():
        result[role] = None
        for hint in role_hints:
            match = next(
                (
                    h
                    for h in headers
                    if h not in taken and re.search(rf"\b{re.escape(hint)}", h.lower())
                ),
                None,
            )
            if match is not None:
                result[role] = match
                taken.add(match)
                break
    return result


@dataclass(frozen=True)
class RowProblem:
    """A value that cannot be imported: file row number (header = row 1), column, value, why."""

    row: int
    column: str
    value: str
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.problem}"


@dataclass(frozen=True)
class KeywordRule:
    """Link rows whose text matches ``pattern`` (a regular expression) to a touchpoint."""

    pattern: str
    touchpoint_id: int


@dataclass
class ParsedFeedback:
    """Rows ready to store (values per Feedback column) and what could not be used."""

    rows: list[dict[str, Any]]
    problems: list[RowProblem]
    unmatched: Counter[str]
    rows_in_file: int
    # Touchpoint-column values still unlinked after the keyword rules, and rows each rule linked.
    still_unlinked: Counter[str] = field(default_factory=Counter)
    linked_by_rule: Counter[str] = field(default_factory=Counter)
    # Characters that cannot be stored (NUL, lone surrogates) replaced with U+FFFD in verbatims.
    replaced_characters: int = 0

    def problems_table(self) -> pd.DataFrame:
        """The problems as a table: row, column, value and what is wrong with it."""
        return pd.DataFrame(
            [(p.row, p.column, p.value, p.problem) for p in self.problems],
            columns=["row", "column", "value", "problem"],
        )


SCORE_RANGES = {"nps": (0, 10), "csat": (1, 5)}


def parse_feedback(
    frame: pd.DataFrame,
    columns: Mapping[str, str | None],
    *,
    touchpoints: Sequence[tuple[int, str, str]] = (),
    rules: Sequence[KeywordRule] = (),
    ces_scale: int = 7,
    default_source: str = "",
    dayfirst: bool | None = None,
    value_links: Mapping[str, int | None] | None = None,
) -> ParsedFeedback:
    """Turn a file's rows into feedback rows, checking every value (vectorised: fast at 100k).

    ``columns`` maps roles (COLUMN_ROLES) to header names. ``touchpoints`` are (id, key, name):
    the touchpoint column matches keys or names, case-insensitively, then ``value_links``
    (a file value, any case → touchpoint id, None: left unlinked); rows still unlinked are
    tried against the keyword ``rules`` in order. A row with a bad value is left out and
    reported; a row with neither text nor a score is left out silently. Dates are read as
    :func:`parse_dates` says (``dayfirst`` settles a column whose values fit either order).
    Text that cannot be stored (:mod:`cxmap.formats.text_rules`) is a bad value, except in
    the verbatims: there it is replaced with U+FFFD and counted (``replaced_characters``).

    >>> frame = pd.DataFrame({"Comment": ["ok\\x00", "fine"], "Source": ["web", "\\x00"]})
    >>> parsed = parse_feedback(frame, {"text": "Comment", "source": "Source"})
    >>> [r["text"] for r in parsed.rows], parsed.replaced_characters, str(parsed.problems[0])
    (['ok�'], 1, "row 3, column 'Source': source: holds a NUL character (U+0000) at character 1, which cannot be stored")
    """  # noqa: E501
    for role, header in columns.items():
        if header is not None and header not in frame.columns:
            raise InvalidInput(role, f"the file has no column {header!r}")
    text_rules.check_text(default_source, "source")
    frame = frame.reset_index(drop=True)  # every column below is aligned by position
    n = len(frame)
    problems: list[RowProblem] = []
    bad = np.zeros(n, dtype=bool)

    def column(role: str) -> pd.Series | None:
        header = columns.get(role)
        return None if header is None else frame[header].astype(str).str.strip()

    scores: dict[str, pd.Series] = {}
    for role in ("nps", "csat", "ces"):
        raw = column(role)
        if raw is None:
            scores[role] = pd.Series([None] * n, dtype=object)
            continue
        low, high = SCORE_RANGES.get(role, (1, ces_scale))
        numbers = pd.to_numeric(raw.str.replace(",", ".", regex=False), errors="coerce")
        given = raw != ""
        wrong = given & (numbers.isna() | (numbers % 1 != 0) | (numbers < low) | (numbers > high))
        raw_list, number_list = raw.tolist(), numbers.tolist()
        for index in np.flatnonzero(wrong.to_numpy()).tolist():
            value, number = raw_list[index], number_list[index]
            problem = (
                f"{value!r} is not a whole number"
                if math.isnan(number) or number % 1
                else f"{value} is outside {low}…{high}"
            )
            problems.append(RowProblem(index + 2, str(columns[role]), value, f"{role}: {problem}"))
        bad |= wrong.to_numpy()
        scores[role] = numbers.where(given & ~wrong).astype(object).where(given & ~wrong, None)

    dates = pd.Series([None] * n, dtype=object)
    moments = pd.Series([None] * n, dtype=object)
    raw_dates = column("date")
    if raw_dates is not None:
        header = str(columns["date"])
        parsed, with_offset = parse_moments(raw_dates, header, dayfirst=dayfirst)
        wrong = (raw_dates != "") & parsed.isna()
        date_list = raw_dates.tolist()
        for index in np.flatnonzero(wrong.to_numpy()).tolist():
            value = date_list[index]
            problems.append(RowProblem(index + 2, header, value, f"date: {value!r} is not a date"))
        bad |= wrong.to_numpy()
        # The UTC date, also of a moment: the fingerprints of rows imported before moments
        # were kept stay the same, so importing such a file again still adds nothing.
        dates = parsed.dt.date.astype(object).where(parsed.notna(), None)
        if with_offset:
            moments = pd.Series(parsed.dt.to_pydatetime(), dtype=object).where(parsed.notna(), None)

    sentiments = pd.Series([None] * n, dtype=object)
    raw_sentiment = column("sentiment")
    if raw_sentiment is not None:
        lowered = raw_sentiment.str.lower()
        numbers = pd.to_numeric(raw_sentiment.str.replace(",", ".", regex=False), errors="coerce")
        numbers = numbers.where(numbers.notna(), lowered.map(SENTIMENT_LABELS))
        wrong = (raw_sentiment != "") & (numbers.isna() | (numbers < -1) | (numbers > 1))
        sentiment_list = raw_sentiment.tolist()
        for index in np.flatnonzero(wrong.to_numpy()).tolist():
            value = sentiment_list[index]
            problems.append(
                RowProblem(
                    index + 2,
                    str(columns["sentiment"]),
                    value,
                    f"sentiment: {value!r} is not a score from -1 to 1 or "
                    "positive / neutral / negative",
                )
            )
        bad |= wrong.to_numpy()
        sentiments = numbers.astype(object).where(numbers.notna() & ~wrong, None)

    for role in ("source", "persona", "channel", "touchpoint"):
        raw = column(role)
        if raw is None:
            continue
        wrong = raw.str.contains(text_rules.UNSTORABLE, regex=True)
        raw_list = raw.tolist()
        for index in np.flatnonzero(wrong.to_numpy()).tolist():
            value = raw_list[index]
            problem = f"{role}: {text_rules.text_problem(value)}"
            problems.append(RowProblem(index + 2, str(columns[role]), value, problem))
        bad |= wrong.to_numpy()

    texts = column("text")
    texts = texts if texts is not None else pd.Series([""] * n)
    replaced = 0
    unstorable = texts.str.contains(text_rules.UNSTORABLE, regex=True)
    if unstorable.any():
        fixed = texts[unstorable].map(text_rules.replace_unstorable)
        replaced = sum(count for _, count in fixed)
        texts = texts.where(~unstorable, fixed.str[0])
    sources = column("source")
    sources = sources if sources is not None else pd.Series([default_source] * n)
    segments = column("persona")
    segments = segments if segments is not None else pd.Series([""] * n)
    channels = column("channel")
    channels = channels if channels is not None else pd.Series([""] * n)

    linked = pd.Series([None] * n, dtype=object)
    unmatched: Counter[str] = Counter()
    linked_by_rule: Counter[str] = Counter()
    raw_touchpoints = column("touchpoint")
    if raw_touchpoints is not None and touchpoints:
        lookup = {}
        for tp_id, key, name in touchpoints:
            lookup[name.strip().lower()] = tp_id
            lookup[key.strip().lower()] = tp_id
        known_ids = {tp_id for tp_id, _, _ in touchpoints}
        for value, linked_id in (value_links or {}).items():
            if linked_id in known_ids:  # (None, or a touchpoint deleted since: no link)
                lookup.setdefault(value.strip().lower(), linked_id)
        lowered = raw_touchpoints.str.lower()
        linked = lowered.map(lookup).astype(object).where(lowered.isin(lookup.keys()), None)
        unmatched.update(raw_touchpoints[(raw_touchpoints != "") & linked.isna()].tolist())
    for rule in rules:
        try:
            compiled = re.compile(rule.pattern, re.IGNORECASE)
        except re.error as error:
            raise InvalidInput(
                "keyword rule", f"{rule.pattern!r} is not a valid pattern ({error})"
            ) from None
        open_rows = linked.isna()
        hits = open_rows & texts.str.contains(compiled, regex=True)
        linked_by_rule[rule.pattern] += int(hits.sum())
        linked = linked.where(~hits, rule.touchpoint_id)

    empty = (texts == "") & scores["nps"].isna() & scores["csat"].isna() & scores["ces"].isna()
    keep = ~bad & ~empty.to_numpy()
    rows = []
    seen: Counter[str] = Counter()
    kept_columns = zip(
        linked[keep].tolist(),
        texts[keep].tolist(),
        map(_int_or_none, scores["nps"][keep].tolist()),
        map(_int_or_none, scores["csat"][keep].tolist()),
        map(_int_or_none, scores["ces"][keep].tolist()),
        (str(v)[:200] for v in sources[keep].tolist()),
        (str(v)[:200] for v in segments[keep].tolist()),
        dates[keep].tolist(),
        moments[keep].tolist(),
        sentiments[keep].tolist(),
        (str(v)[:200] for v in channels[keep].tolist()),
        strict=True,
    )
    for (
        touchpoint_id, text, nps, csat, ces, source, segment, created_at, received_at, score,
        channel,
    ) in kept_columns:  # fmt: skip
        content = "\x1f".join(
            (text, str(nps), str(csat), str(ces), source, segment, str(created_at))
        )
        if channel:  # (only then: rows of files imported before channels keep their identity)
            content += f"\x1f{channel}"
        seen[content] += 1
        # Identical rows in one file stay distinct (occurrence number), yet a second import of
        # the same file gives the same fingerprints and adds nothing.
        fingerprint = hashlib.sha256(f"{content}\x1e{seen[content]}".encode()).hexdigest()
        rows.append(
            {
                "touchpoint_id": touchpoint_id,
                "text": text,
                "nps": nps,
                "csat": csat,
                "ces": ces,
                "ces_scale": ces_scale,
                "source": source,
                "segment": segment,
                "created_at": created_at,
                "received_at": received_at,
                "sentiment": score,
                "channel": channel,
                "fingerprint": fingerprint,
            }
        )
    problems.sort(key=lambda p: (p.row, p.column))
    still_unlinked: Counter[str] = Counter()
    if raw_touchpoints is not None and touchpoints:
        still_unlinked.update(raw_touchpoints[(raw_touchpoints != "") & linked.isna()].tolist())
    return ParsedFeedback(
        rows, problems, unmatched, n, still_unlinked, linked_by_rule, replaced_characters=replaced
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)
