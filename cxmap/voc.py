"""Voice of the customer: language detection and VADER sentiment of feedback text.

VADER reads English only: for Persian or Arabic it returns 0.0, which would look neutral. So
text whose script is not Latin is marked with its language and left unscored (``None``).

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

import unicodedata
from collections.abc import Iterable
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# Letters found in Persian but not in Arabic writing.
PERSIAN_LETTERS = set("پچژگکی")
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05


def detect_language(text: str) -> str:
    """``en`` for Latin script, ``fa``/``ar`` for Arabic script, ``other``, ``""`` if empty."""
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
    analyzer = _analyzer()
    return [
        float(analyzer.polarity_scores(text)["compound"]) if detect_language(text) == "en" else None
        for text in texts
    ]


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
