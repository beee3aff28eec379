"""The English catalogue: every message code with its words (see :mod:`cxmap.core.messages`).

A template is a :meth:`str.format` string over the message's parameters, or a pair
(one, many) chosen by the parameter ``n``. These texts are what translators translate: keep
each a whole sentence or phrase, with its numbers as parameters, never glued from pieces.
"""

from __future__ import annotations

ENGLISH: dict[str, str | tuple[str, str]] = {
    # lists
    "list.and": "{items:and}",
    "list.comma": "{items:comma}",
    "list.semicolon": "{items:semicolon}",
    "list.sentences": "{items:sentences}",
    # what makes up friction (cxmap.analysis.scoring)
    "component.emotion": "negative emotion",
    "component.effort": "effort",
    "component.pain": "pain points",
    "component.feedback": "negative feedback",
    "component.drop_off": "drop-off",
    "friction.part": "{component} {share:.0%}",
    "friction.parts": "{parts:comma}",
    "friction.none": "no friction",
    # why a touchpoint is a moment of truth
    "mot.flagged": "flagged by the team",
    "mot.strong_feeling": "strong feeling ({emotion:+.0f}) that {reach:.0%} of customers meet",
    "mot.peak_negative": "peak negative emotion",
    "mot.peak_positive": "peak positive emotion",
    "mot.journey_end": "end of the journey: {reach:.0%} of customers get here",
    "mot.bottleneck": "bottleneck: {reach:.0%} of customers pass here, where {paths} paths meet",
    # warnings about the journey's shape
    "journey.closed_loop": (
        "{loop:comma} form a loop with no way out: customers who get there never finish"
    ),
    # scoring settings a team typed
    "settings.negative_weight": "weight of {component} must be 0 or more",
    "settings.no_weight": "at least one weight must be above 0",
    "settings.share_range": "{setting} must be between 0 and 1",
    "setting.likely_transition": "likely transition",
    "setting.bottleneck_reach": "bottleneck reach",
    "setting.intensity_top_share": "intensity top share",
    # the executive summary's three answers
    "summary.question_how": "How are we doing?",
    "summary.question_where": "Where does it hurt most?",
    "summary.question_what": "What to fix first?",
    "summary.no_touchpoints": "The map has no touchpoints yet.",
    "summary.add_touchpoints": "Add stages and touchpoints first.",
    "summary.how": "Health {health:.0f}/100; {completion:.0%} of customers complete the "
    "journey{nps}.",
    "summary.how_nps": "; NPS {nps:+.0f} (n = {n}){movement}",
    "summary.nps_movement": ", {movement} on the {days} days before",
    "summary.about_the_same": "about the same as",
    "summary.up": "up {points:.0f} points",
    "summary.down": "down {points:.0f} points",
    "summary.nothing_hurts": "Nothing hurts yet: no touchpoint has friction. Record emotions, "
    "effort, pain points or feedback to find out.",
    "summary.nothing_to_fix": "Nothing to fix yet.",
    "summary.where": "{touchpoint} ({owner}): friction {friction:.0f}/100, met by {reach:.0%} of "
    "customers; {causes}.",
    "summary.no_owner": "no owner",
    "summary.what_no_idea": "{touchpoint}: the highest impact (friction × reach) and no open "
    "opportunity yet. Add one on the Journey Builder page.",
    "summary.what": "{touchpoint} (#{rank} by impact): “{title}”, {status}{effort}.",
    "summary.untitled": "untitled",
    "summary.effort": " (effort {effort} of 5)",
    # rows of a map, counted
    "count.persona": ("{n} persona", "{n} personas"),
    "count.stage": ("{n} stage", "{n} stages"),
    "count.touchpoint": ("{n} touchpoint", "{n} touchpoints"),
    "count.emotion": ("{n} persona emotion", "{n} persona emotions"),
    "count.pain_point": ("{n} pain point", "{n} pain points"),
    "count.opportunity": ("{n} opportunity", "{n} opportunities"),
    "count.transition": ("{n} transition", "{n} transitions"),
    "count.feedback": ("{n} feedback row", "{n} feedback rows"),
    "count.more": "{n} more",
    # one row of a map, named
    "entity.persona": "persona",
    "entity.stage": "stage",
    "entity.touchpoint": "touchpoint",
    "entity.emotion": "persona emotion",
    "entity.pain_point": "pain point",
    "entity.opportunity": "opportunity",
    "entity.transition": "transition",
    "entity.feedback": "feedback row",
    "row.named": "{noun} “{label}”",
    "row.unnamed": "a {noun}",
    # deleting rows: the confirmation question
    "delete.question": "Delete {rows:and}?",
    "delete.also": "This also deletes {items:and}.",
    "delete.unlinked": ("{items:and} stays, unlinked.", "{items:and} stay, unlinked."),
    "delete.final": "This cannot be undone.",
    "delete.alone": "Nothing else goes with it.",
    # someone else saved first
    "conflict.deleted": "{entity} {label} was deleted by someone else; nothing was saved.",
    "conflict.changed": (
        "{entity} {label} was changed by someone else (version {read_version} → "
        "{current_version}); nothing was saved."
    ),
    "conflict.changed_fields": (
        "{entity} {label} was changed by someone else (version {read_version} → "
        "{current_version}): {fields:comma}; nothing was saved."
    ),
    "conflict.field_now": "{field} is now {value!r}",
    # input that cannot be accepted
    "input.at": "{where}: {problem}",
    "input.out_of_range": "{value} is outside the range {low}…{high}",
}
