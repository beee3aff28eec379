"""Build journey documents of any size, for tests and benchmarks.

``journey_document(stages=3, touchpoints_per_stage=2)`` gives a valid cxmap-journey v1 document:
touchpoints flow stage k → stage k+1 (every touchpoint to every touchpoint of the next stage),
one persona emotion per touchpoint and persona, a pain point and opportunity per touchpoint, and
``feedback_per_touchpoint`` feedback rows. Deterministic: the same arguments give the same document.
"""

from __future__ import annotations

import copy
from typing import Any

from cxmap.core.entities import ENTITIES


def journey_document(
    name: str = "Test journey",
    *,
    stages: int = 3,
    touchpoints_per_stage: int = 2,
    personas: int = 2,
    feedback_per_touchpoint: int = 1,
    transitions_per_touchpoint: int | None = None,
) -> dict[str, Any]:
    """A valid document with the given sizes (see the module docstring)."""
    stage_list = [{"key": f"s{i}", "name": f"Stage {i}", "order": i} for i in range(1, stages + 1)]
    persona_list = [
        {
            "key": f"p{i}",
            "name": f"Persona {i}",
            "description": "",
            "goals": "",
            "needs": "",
            "motivations": "",
            "behaviors": "",
            "pain_points": "",
            "segment_share": round(1 / personas, 4),
        }
        for i in range(1, personas + 1)
    ]
    touchpoints: list[dict[str, Any]] = []
    by_stage: list[list[str]] = []
    n = 0
    for stage in stage_list:
        keys = []
        for _ in range(touchpoints_per_stage):
            n += 1
            keys.append(f"t{n}")
            touchpoints.append(
                {
                    "key": f"t{n}",
                    "stage": stage["key"],
                    "name": f"Touchpoint {n}",
                    "channel": ("web", "app", "phone", "store", "email")[n % 5],
                    "owner": ("Marketing", "Sales", "Operations", "Customer Care")[n % 4],
                    "customer_action": f"Does step {n}",
                    "thought": "Will this work?",
                    "emotion": (n % 5) - 2,
                    "effort": (n % 5) + 1,
                    "volume": 10000 - n,
                    "drop_off": 0.05 if n % 7 == 0 else 0.0,
                    "moment_of_truth": n % 11 == 0,
                }
            )
        by_stage.append(keys)
    transitions = []
    for here, after in zip(by_stage, by_stage[1:], strict=False):
        for source in here:
            targets = (
                after if transitions_per_touchpoint is None else after[:transitions_per_touchpoint]
            )
            for target in targets:
                transitions.append({"source": source, "target": target, "weight": 1.0})
    emotions = [
        {
            "touchpoint": t["key"],
            "persona": p["key"],
            "score": max(-2, min(2, t["emotion"] + (1 if i % 2 else 0))),
            "label": "",
            "note": "",
        }
        for t in touchpoints
        for i, p in enumerate(persona_list)
    ]
    pain_points = [
        {
            "key": f"pp{i}",
            "touchpoint": t["key"],
            "description": f"Problem at {t['name']}",
            "severity": (i % 5) + 1,
            "frequency": ((i + 2) % 5) + 1,
        }
        for i, t in enumerate(touchpoints, start=1)
    ]
    opportunities = [
        {
            "key": f"o{i}",
            "touchpoint": t["key"],
            "pain_point": f"pp{i}",
            "title": f"Fix {t['name']}",
            "customer_value": (i * 7) % 101,
            "business_value": (i * 13) % 101,
            "effort": (i % 5) + 1,
            "status": ("idea", "planned", "in progress", "done")[i % 4],
        }
        for i, t in enumerate(touchpoints, start=1)
    ]
    feedback = [
        {
            "touchpoint": t["key"],
            "text": ("Great service, very happy", "Terrible wait, I am angry", "It was ok")[j % 3],
            "nps": (j * 3) % 11,
            "csat": (j % 5) + 1,
            "ces": (j % 7) + 1,
            "source": "survey",
            "created_at": f"2026-{(j % 9) + 1:02d}-{(j % 27) + 1:02d}",
        }
        for t in touchpoints
        for j in range(feedback_per_touchpoint)
    ]
    return {
        "format": "cxmap-journey",
        "version": 1,
        "map": {"name": name, "description": "", "state": "current", "language": "en"},
        "personas": persona_list,
        "stages": stage_list,
        "touchpoints": touchpoints,
        "emotions": emotions,
        "pain_points": pain_points,
        "opportunities": opportunities,
        "transitions": transitions,
        "feedback": feedback,
    }


def as_v1(document: dict[str, Any]) -> dict[str, Any]:
    """A v2 export without what v2 adds to a map a v1 file came from (its feedback's
    sentiment, source and language; empty settings and feedback files), for comparing with
    that v1 file. Every other v2 field is written only when set."""
    v1 = copy.deepcopy(document)
    v1["version"] = 1
    assert v1["map"].pop("settings") == {}
    assert v1.pop("feedback_files") == []
    for entity in ENTITIES.values():  # lists a later version added, empty in a v1 map's export
        if entity.file_since > 1:
            assert v1.pop(entity.list_name) == []
    for item in v1["feedback"]:
        for field in ("sentiment", "sentiment_source", "language"):
            item.pop(field)
    return v1
