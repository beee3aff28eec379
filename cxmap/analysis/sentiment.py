"""Language detection and VADER sentiment, kept light: worker processes import only this.

VADER reads English only: for Persian or Arabic it returns 0.0, which would look neutral. So
text whose script is not Latin is marked with its language and left unscored (``None``).

Scoring processes are started with "spawn" and import this module alone (the standard library
and vaderSentiment, ~0.05 s), not pandas: at 100,000 verbatims a worker's start-up time is
time the user waits.

Examples
--------
>>> detect_language("The technician never came")
'en'
>>> detect_language("نصب اینترنت خیلی طول کشید")
'fa'
>>> sentiment_scores(["I love it", "سلام", ""])[1:] == [None, None]
True
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
import types
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import cache
from itertools import chain, islice
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# Letters found in Persian but not in Arabic writing.
PERSIAN_LETTERS = set("پچژگکی")
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
# Texts per task sent to a worker: large enough that pickling is cheap, small enough that the
# progress bar moves and both workers finish together.
CHUNK = 2000

Scored = tuple[float | None, str]  # (VADER compound or None when not scored, language)


def detect_language(text: str) -> str:
    """``en`` for Latin script, ``fa``/``ar`` for Arabic script, ``other``, ``""`` if empty.

    >>> [detect_language(t) for t in ("ok", "خدمة ممتازة", "Привет", "  ")]
    ['en', 'ar', 'other', '']
    """
    if text.isascii():  # the common case, decided without looking at each character's name
        return "en" if any(c.isalpha() for c in text) else ""
    latin = arabic = other = 0
    persian = False
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("LATIN"):
            latin += 1
        elif name.startswith("ARABIC"):
            arabic += 1
            persian = persian or char in PERSIAN_LETTERS
        else:
            other += 1
    if latin == arabic == other == 0:
        return ""
    if latin >= arabic and latin >= other:
        return "en"
    if arabic >= other:
        return "fa" if persian else "ar"
    return "other"


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment_scores(texts: Iterable[str]) -> list[float | None]:
    """VADER compound score per text; None where the text is empty or not English."""
    return [score for score, _ in score_chunk(list(texts))]


def score_rows(rows: Sequence[MutableMapping[str, Any]]) -> None:
    """Give feedback rows (dicts with ``text``) their VADER sentiment and language, in place,
    as every journey file import does (English only: other scripts stay unscored).

    >>> rows = [{"text": "Great, quick and friendly!"}, {"text": "خیلی بد بود"}]
    >>> score_rows(rows)
    >>> [r["sentiment"] > 0.5 for r in rows[:1]], rows[1]["sentiment"], rows[1]["language"]
    ([True], None, 'fa')
    """
    scores = sentiment_scores(row["text"] for row in rows)
    for row, score in zip(rows, scores, strict=True):
        row["sentiment"] = score
        row["language"] = detect_language(row["text"])
        row["sentiment_source"] = "vader"


def sentiment_label(compound: float | None) -> str:
    """``positive`` (≥ 0.05), ``negative`` (≤ −0.05), ``neutral``, or ``not scored``.

    >>> [sentiment_label(x) for x in (0.5, 0.05, 0.0, -0.05, None)]
    ['positive', 'positive', 'neutral', 'negative', 'not scored']
    """
    if compound is None:
        return "not scored"
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def text_hash(text: str) -> str:
    """Key of the sentiment cache: SHA-256 of the text.

    >>> text_hash("great")[:12]
    '87765da6ccf0'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def score_chunk(texts: list[str]) -> list[Scored]:
    """(compound or None, language) per text, in this process."""
    analyzer = _analyzer()
    result: list[Scored] = []
    for text in texts:
        language = detect_language(text)
        score = analyzer.polarity_scores(text)["compound"] if language == "en" else None
        result.append((None if score is None else float(score), language))
    return result


def scored_chunks(chunks: Iterable[list[str]], *, workers: int = 2) -> Iterator[list[Scored]]:
    """Scores of each chunk of texts, in order, computed in ``workers`` processes.

    ``chunks`` is read lazily, a few ahead of the workers, so the caller can prepare the next
    chunks (look texts up in a cache, say) while the workers score, and use each result (store
    it) as it arrives. Fewer than 4 chunks are scored in this process: starting processes would
    cost more than they save.
    """
    pending = iter(chunks)
    first = list(islice(pending, 4))
    if workers <= 1 or len(first) < 4:
        yield from map(score_chunk, chain(first, pending))
        return
    # "spawn": the app server runs threads, and forking a threaded process is unsafe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        with _main_module_hidden():  # the first submissions start the workers
            in_flight = deque(pool.submit(score_chunk, chunk) for chunk in first)
        while in_flight:
            result = in_flight.popleft().result()
            in_flight.extend(pool.submit(score_chunk, chunk) for chunk in islice(pending, 1))
            yield result


def score_texts(
    texts: Sequence[str],
    *,
    workers: int = 2,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> list[Scored]:
    """(compound or None, language) per text; in ``workers`` processes for large batches.

    ``progress(done, total)`` is called after every chunk.

    >>> score_texts(["I love it", "It is broken and awful", "نه"], workers=1)
    [(0.6369, 'en'), (-0.7269, 'en'), (None, 'ar')]
    """
    results: list[Scored] = []
    chunks = (list(texts[i : i + chunk]) for i in range(0, len(texts), chunk))
    for part in scored_chunks(chunks, workers=workers):
        results.extend(part)
        if progress:
            progress(len(results), len(texts))
    return results


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start worker processes without the parent's ``__main__``.

    A spawned process first re-imports its parent's main module: under ``streamlit run`` that
    is Streamlit itself, in a benchmark the whole app. That costs each worker 1–2 s, as long as
    scoring 10,000 texts, and measured cut the speed-up of 2 workers from 1.86× to 1.08×. The
    workers need only this module, so while they start ``__main__`` is an empty module, which
    multiprocessing leaves alone. The swap lasts the few milliseconds of starting them.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main
