"""Use cases of a map's settings: scoring weights and thresholds, the customers-at-risk
assumptions and the CRM-or-CX self-assessment, stored section by section with the map."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxmap.analysis import scoring, summary
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.core.messages import render_all
from cxmap.core.records import MapRecord
from cxmap.services.maps import get_map
from cxmap.store import map_queries


def scoring_settings(ctx: Context, map_id: int) -> scoring.ScoringSettings:
    """The map's friction weights and thresholds (defaults where it has none)."""
    return scoring.ScoringSettings.from_dict(get_map(ctx, map_id).settings)


def save_scoring_settings(
    ctx: Context, map_id: int, read_version: int, settings: scoring.ScoringSettings
) -> MapRecord:
    """Store the map's scoring settings (refused with the reasons when they are unusable)."""
    problems = settings.problems()
    if problems:
        raise InvalidInput("settings", "; ".join(render_all(problems)))
    return update_map_settings(ctx, map_id, read_version, **settings.as_dict())


def update_map_settings(ctx: Context, map_id: int, read_version: int, **sections: Any) -> MapRecord:
    """Replace some top-level sections of the map's settings, keeping the others."""
    with ctx.session() as s:
        current = map_queries.get_map(s, map_id).settings
        merged = {**current, **sections}
        return map_queries.update_map(s, map_id, read_version, {"settings": merged})


def save_assessment(
    ctx: Context, map_id: int, read_version: int, answers: Mapping[str, int]
) -> MapRecord:
    """Store the CRM-or-CX self-assessment (answers 1…5 per factor) with the map."""
    problems = summary.Assessment(answers).problems()
    if problems:
        raise InvalidInput("assessment", "; ".join(render_all(problems)))
    return update_map_settings(ctx, map_id, read_version, assessment=dict(answers))


def save_risk_assumptions(
    ctx: Context, map_id: int, read_version: int, assumptions: Mapping[str, float]
) -> MapRecord:
    """Store the editable assumptions of the customers-at-risk estimate with the map."""
    for name, value in assumptions.items():
        if value < 0 or (name == "leave_after_bad" and value > 1):
            raise InvalidInput(name, f"{value} is out of range")
    return update_map_settings(ctx, map_id, read_version, risk=dict(assumptions))
