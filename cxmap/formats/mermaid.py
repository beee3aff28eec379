"""The map as a Mermaid ``journey`` diagram (for wikis, docs and slides that render Mermaid).

Pure: plain records in, text out.

Examples
--------
>>> from cxmap.core.examples import demo_chain
>>> print(to_mermaid(demo_chain()).splitlines()[0:4])
['journey', '    title Chain', '    section Stage 1', '      Touchpoint 1: 3: Digital']
"""

from __future__ import annotations

import re

from cxmap.analysis import scoring
from cxmap.core.records import JourneyAggregate

# Mermaid's journey grammar ends a title at # ; or a line break, a section or task name also at
# ":", and reads the actors after the score as a comma-separated list. User text is made to fit.
_MERMAID_TEXT = str.maketrans({":": "﹕", ";": ",", "#": "№", "\n": " ", "\r": " ", "\t": " "})


def mermaid_text(text: str, *, actor: bool = False) -> str:
    """User text made safe for a Mermaid journey line (no ``: ; #``, no line breaks).

    >>> mermaid_text("Step 1: pay; #2")
    'Step 1﹕ pay, №2'
    >>> mermaid_text("Sales, EMEA", actor=True)
    'Sales / EMEA'
    """
    cleaned = text.translate(_MERMAID_TEXT).replace("%%", "%")
    if actor:
        cleaned = cleaned.replace(",", " /")
    return re.sub(r"\s+", " ", cleaned).strip() or "(unnamed)"


def mermaid_score(emotion: float | None) -> int:
    """Emotion −2…+2 as Mermaid's 1…5 (no emotion: 3, neutral).

    >>> [mermaid_score(e) for e in (-2, -1, 0, 1, 2, None)]
    [1, 2, 3, 4, 5, 3]
    """
    return 3 if emotion is None else int(round(emotion)) + 3


def to_mermaid(aggregate: JourneyAggregate) -> str:
    """A Mermaid ``journey`` diagram: sections are stages, tasks are touchpoints, the score is
    the emotion on 1…5 and the actor is the owning department."""
    emotions = scoring.touchpoint_emotion(aggregate)
    lines = ["journey", f"    title {mermaid_text(aggregate.map.name)}"]
    for stage in aggregate.stages:
        touchpoints = aggregate.touchpoints_in_stage(stage.id)
        if not touchpoints:
            continue
        lines.append(f"    section {mermaid_text(stage.name)}")
        for t in touchpoints:
            actor = mermaid_text(t.owner or "Customer", actor=True)
            lines.append(f"      {mermaid_text(t.name)}: {mermaid_score(emotions[t.id])}: {actor}")
    return "\n".join(lines) + "\n"
