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
    "friction.part": "{component} {level}/10",
    "friction.parts": "{parts:comma}",
    "friction.none": "no friction",
    # why a touchpoint is a moment of truth
    "mot.flagged": "flagged by the team",
    "mot.strong_feeling": "strong feeling ({emotion:+.0f}) that {reach:.0%} of customers meet",
    "mot.peak_negative": "peak negative emotion",
    "mot.peak_positive": "peak positive emotion",
    "mot.journey_end": "end of the journey: {reach:.0%} of customers get here",
    "mot.bottleneck": "bottleneck: {reach:.0%} of customers pass here, where {paths} paths meet",
    # how "all customers" feel where a touchpoint has no emotion of its own
    "emotion.all_customers_shares": "All customers: a touchpoint's own emotion, else the "
    "personas' emotions weighted by their segment shares.",
    "emotion.all_customers_even": "All customers: a touchpoint's own emotion, else the mean of "
    "the personas' emotions (no persona has a segment share, so each counts the same).",
    "emotion.all_customers_rest": (
        "All customers: a touchpoint's own emotion, else the personas' emotions weighted by "
        "their segment shares; {personas:and}, with no share, gets the {rest:.0%} the others "
        "leave.",
        "All customers: a touchpoint's own emotion, else the personas' emotions weighted by "
        "their segment shares; {personas:and}, with no share, split the {rest:.0%} the others "
        "leave ({each:.0%} each).",
    ),
    # warnings about the journey's shape
    "journey.closed_loop": (
        "{loop:comma} form a loop with no way out: customers who get there never finish"
    ),
    "journey.no_way_on": (
        "{touchpoint}: every transition out of it has weight 0, so no customer moves on from "
        "there (weight 0 means no flow): the model treats it as an end of the journey. Give one "
        "of its transitions a weight above 0, or delete them if it is an end."
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
    # customers at risk (cxmap.analysis.summary.journey_risk)
    "risk.headline": "About {customers:,.0f} of the {entering:,.0f} customers who start the "
    "journey {period} ({share:.0%}) may leave after a bad experience on the way.",
    "risk.period_month": "each month",
    "risk.period_period": "in each period of the volumes",
    "risk.unit_month": "per month",
    "risk.unit_period": "per period of the volumes",
    "risk.none": "No estimate: no touchpoint that customers reach has a volume (customers a "
    "month) on the map. Add volumes on the Journey Builder page, at least at the first stage.",
    "risk.entering_first": "{entering:,.0f} customers a month start the journey (the volumes "
    "of {touchpoints:and}).",
    "risk.entering_implied": "About {entering:,.0f} customers a month start the journey: "
    "{volume:,} a month reach {touchpoint}, which the map says {reach:.0%} of them get to.",
    "risk.assumption_path": "Each customer is followed along the journey's paths and counted "
    "at most once: someone who already left is not lost again further on.",
    "risk.assumption_bad": "A bad experience at a touchpoint: the share of its feedback that is "
    "negative or, where it has no feedback, its emotion (very negative: everyone; negative: "
    "half).",
    "risk.assumption_leave": "{share:.0%} of customers who have a bad experience leave {source}.",
    "risk.source_leave_default": "(research default: PwC found in 2018 that one in three "
    "customers leave a brand they love after a single bad experience)",
    "risk.source_leave_changed": "(set for this map)",
    "risk.source_leave_help": "Default 33%: PwC found in 2018 that one in three customers leave "
    "a brand they love after a single bad experience, and 92% after two or three.",
    "risk.source_multiple_help": "Default 7×: winning a new customer costs about seven times as "
    "much as keeping one.",
    "risk.assumption_value": "Each customer is worth {value:,.0f} a year.",
    "risk.assumption_win_back": "Winning a customer back costs {multiple:g} times the "
    "{cost:,.0f} it costs to keep one.",
    "risk.not_measured": "An estimate from the assumptions below, not a measurement.",
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
    # the canvas editor's events (cxmap.app.widgets.canvas_editor.protocol)
    "canvas.not_an_event": "Not saved: the canvas sent something that is not an event: {type}.",
    "canvas.no_id": "Not saved: the canvas sent an event without an id (a non-empty text).",
    "canvas.unknown_kind": "Not saved: {kind!r} is not a kind of canvas event ({kinds:comma}).",
    "canvas.missing": "Not saved: the {kind} event has no {field}.",
    "canvas.wrong_type": "Not saved: {field} of the {kind} event must be {expected}.",
    "canvas.unknown_field": (
        "Not saved: {field!r} cannot be edited on the canvas (only {fields:comma})."
    ),
    "canvas.no_change": "Not saved: the update changes nothing.",
    "canvas.no_touchpoint": (
        "Not saved: touchpoint {id} is not in this map (deleted by someone else meanwhile?)."
    ),
    "canvas.no_stage": "Not saved: stage {id} is not in this map (deleted by someone else?).",
    "canvas.no_persona": "Not saved: persona {id} is not in this map (deleted by someone else?).",
    "canvas.out_of_range": "Not saved: {field} must be from {low} to {high}, not {value}.",
    "canvas.unknown_status": "Not saved: {status!r} is not a status ({statuses:comma}).",
    "canvas.all_customers": "all customers",
    "canvas.persona": "{name}",
    "canvas.saved_update": "“{name}”: {fields:and} changed",
    "canvas.saved_create": "touchpoint “{name}” added to “{stage}”",
    "canvas.saved_move": "“{name}” moved to “{stage}”, place {place}",
    "canvas.saved_emotion": "“{name}”: emotion of {line} set to {score:+d}",
    "canvas.saved_pain_point": "pain point added at “{name}”",
    "canvas.saved_opportunity": "opportunity added at “{name}”",
    "canvas.saved_delete": "touchpoint “{name}” deleted",
    "canvas.saved_stage_name": "stage “{name}” renamed “{new}”",
    "canvas.saved_stage": "stage “{name}” added at the end",
    "canvas.confirm_above": (
        "Deleting “{name}” takes other rows with it: Delete or Keep them, above the map."
    ),
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
    # importing a feedback file (cxmap.formats.feedback_file, feedback_rows, feedback_dates)
    "feedback.dates_both_orders": (
        "column {column!r} has dates with the day first (row {day_row}: {day_value!r}) and "
        "with the month first (row {month_row}: {month_value!r}): use one order in the whole "
        "column"
    ),
    "feedback.dates_ambiguous": (
        "column {column!r}: dates such as {value!r} (row {row}) can be read day first or month "
        "first; say which comes first"
    ),
    "feedback.dates_offset_and_none": (
        "column {column!r} mixes dates with a time zone offset (row {offset_row}: "
        "{offset_value!r}) and without one (row {naive_row}: {naive_value!r}): give every "
        "date an offset, or none"
    ),
    # reading an event log (cxmap.formats.event_log, xes_log)
    "eventlog.row": "row {row}",
    "eventlog.role.case": "case id",
    "eventlog.role.activity": "activity",
    "eventlog.role.timestamp": "timestamp",
    "eventlog.role.channel": "channel",
    "eventlog.role.resource": "resource",
    "eventlog.role.outcome": "outcome",
    "eventlog.role.segment": "segment",
    "eventlog.event": "event {row}",
    "eventlog.empty": "the file is empty",
    "eventlog.binary": "this is not a CSV, Parquet or XES event log (it looks binary)",
    "eventlog.unreadable": "cannot be read as {kind}: {problem}",
    "eventlog.bad_xml": "not valid XES: {problem} at line {line}, column {column}",
    "eventlog.no_events": "the log has no events",
    "eventlog.empty_trace": "trace {trace!r} (number {n} in the file) has no events",
    "eventlog.no_role": ("no column is the {role}: name one (the columns are {columns:comma})"),
    "eventlog.no_column": (
        "there is no column {column!r} for the {role} (the columns are {columns:comma})"
    ),
    "eventlog.empty_value": "{place}, column {column!r}: the {role} is empty",
    "eventlog.bad_time": (
        "{place}, column {column!r}: {value!r} is not a time (expected ISO 8601, such as "
        "2024-03-01T14:05:00+01:00)"
    ),
    "eventlog.time_type": "column {column!r} holds {type} values, not times",
    "eventlog.mixed_zones": (
        "column {column!r} mixes times with a time zone offset ({offset_place}: "
        "{offset_value!r}) and without one ({naive_place}: {naive_value!r}): give every "
        "time an offset, or none"
    ),
    "eventlog.bad_flag": (
        "{place}, column {column!r}: {value!r} is not a yes/no value (true, false, 1, 0, yes, no)"
    ),
    # team mode: who may do what (cxmap.core.access)
    "role.owner": "owner",
    "role.editor": "editor",
    "role.viewer": "viewer",
    "access.needs_role": "not allowed: this needs the {needed} role on the map (yours: {role})",
    "access.no_role": "not allowed: you have no role on this map",
    "access.share_link": "not allowed: a share link shows one map, read only",
    "access.admin_only": "not allowed: only a workspace admin can {action}",
    "access.signed_out": "not allowed: sign in first",
    "access.last_owner": (
        "not allowed: {user} is the map's last owner; make someone else owner first"
    ),
    "access.account_only": "not allowed: only a signed-in account can {action}",
    "action.manage_accounts": "manage accounts",
    "action.stay_signed_in": "stay signed in",
    "action.create_map": "create maps",
    # signing in (the same words whether the name or the password was wrong)
    "signin.failed": "That name and password do not match an account.",
    "signin.locked": (
        "Too many failed sign-ins: try again in {n} minute.",
        "Too many failed sign-ins: try again in {n} minutes.",
    ),
    "signin.expired": "You were signed out after {minutes} minutes without activity.",
    "signin.session_ended": "You were signed out. Sign in again.",
    "account.name_taken": "an account named {name!r} exists already",
    "account.unknown": "no account is named {name!r}",
    "account.bad_name": "a name has 1 to 64 letters, digits, dots, dashes or underscores",
    "account.short_password": "a password has at least {n} characters",
    "account.passwords_differ": "the two passwords differ",
    "account.bad_email": "{email!r} is not an email address",
    "account.email_taken": "the account {name!r} has the email {email} already",
    # signing in through an identity provider (OpenID Connect)
    "oidc.no_email": (
        "The identity provider did not tell cxmap your email address, so no account can be "
        "matched. Sign in with your cxmap name and password."
    ),
    "oidc.unverified": (
        "The identity provider has not verified the email {email}, so it cannot sign you in."
    ),
    "oidc.no_account": (
        "No cxmap account has the email {email}. Ask a workspace admin to add it to your "
        "account (python -m cxmap user email NAME {email}), or sign in with your name and "
        "password."
    ),
    "oidc.stale": "Sign in with the identity provider again.",
    "role.unknown": "{role!r} is not a role (owner, editor, viewer or none)",
    # share links for executives
    "share.unknown": "This share link does not exist. Ask for a new one.",
    "share.revoked": "This share link was revoked. Ask for a new one.",
    "share.expired": "This share link expired on {date}. Ask for a new one.",
    "share.bad_days": "a link lasts 1 to 3650 days",
}
