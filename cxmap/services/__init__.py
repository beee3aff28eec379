"""Use cases of cxmap: what the pages and the command line ask for, by area.

Every function takes the request :class:`~cxmap.core.context.Context` first, opens one
transaction (all or nothing), validates its input with messages that name the field, and
returns plain records. Errors are :class:`cxmap.core.errors.CxmapError` subclasses whose
message is meant for the user. The areas: :mod:`~cxmap.services.maps` (whole maps),
:mod:`~cxmap.services.rows` (rows of any entity), :mod:`~cxmap.services.settings` (scoring,
risk and assessment settings), :mod:`~cxmap.services.exchange` (journey files, exports, demo
maps), :mod:`~cxmap.services.feedback` (feedback imports and evidence),
:mod:`~cxmap.services.personas` (duplicating a persona). This package is their one front door:
callers write ``services.create_map(ctx, …)``.

Examples
--------
>>> import tempfile
>>> ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/journeys.db")
>>> journey = create_map(ctx, "Broadband onboarding")
>>> stage = create_row(ctx, journey.id, "stage", {"name": "Awareness"})
>>> tp = create_row(ctx, journey.id, "touchpoint", {"stage_id": stage.id, "name": "Sees TV ad"})
>>> tp.key, tp.position, load_map(ctx, journey.id).revision
('t1', 1, 2)
"""

from __future__ import annotations

from cxmap.core.context import Context
from cxmap.services.accounts import (
    NewShareLink,
    SessionEnded,
    ShareLinkRefused,
    SignInRefused,
    acting_as,
    add_account,
    check_share_link,
    create_share_link,
    end_session,
    list_accounts,
    map_roles,
    my_role,
    open_share_link,
    remove_account,
    resume_session,
    revoke_share_link,
    set_email,
    set_password,
    set_role,
    share_links,
    sign_in,
    sign_in_with_identity,
    start_session,
)
from cxmap.services.exchange import (
    EXPORT_FORMATS,
    demo_templates,
    export_document,
    export_json,
    export_map,
    export_suffix,
    import_document,
    import_file,
    seed_demo_maps,
)
from cxmap.services.feedback import (
    MANUAL_SENTIMENT,
    FeedbackImport,
    create_with_evidence,
    earlier_import,
    import_feedback,
    remembered_value_links,
    set_sentiment,
    set_sentiments,
)
from cxmap.services.maps import (
    STANDARD_STAGES,
    MapSummary,
    analyze_map,
    create_map,
    delete_map,
    duplicate_map,
    get_map,
    list_maps,
    load_map,
    map_revision,
    resolve_map,
    update_map,
)
from cxmap.services.personas import duplicate_persona
from cxmap.services.rows import (
    apply_changes,
    create_row,
    delete_row,
    move_touchpoint,
    reorder,
    update_row,
)
from cxmap.services.settings import (
    save_assessment,
    save_risk_assumptions,
    save_scoring_settings,
    scoring_settings,
    update_map_settings,
)
from cxmap.store.db import get_database


def open_context(database_url: str | None = None) -> Context:
    """A context on the database at ``database_url`` (default: ``CXMAP_DATABASE_URL``), opened
    and migrated once per process; nobody signed in (local mode)."""
    return Context(get_database(database_url))


# What each service asks of the acting user in team mode (cxmap.core.access): a role on the
# map it acts on (viewer, editor, owner), an account ("account": anyone signed in, not a share
# link), both ("viewer+account": a copy of a map), a workspace admin ("admin"), or nothing
# ("anyone": pure helpers, signing in, and the list of maps, which shows each actor its own),
# or an account acting for itself ("own account": not the local operator, not a share link).
# tests/test_access.py calls every service as every kind of actor from this table, so a new
# service must be listed here.
ACCESS: dict[str, str] = {
    **dict.fromkeys((
        "acting_as", "check_share_link", "demo_templates", "end_session", "export_suffix",
        "list_maps", "my_role", "open_context", "open_share_link", "resume_session", "sign_in",
        "sign_in_with_identity",
    ), "anyone"),
    **dict.fromkeys((
        "start_session",
    ), "own account"),
    **dict.fromkeys((
        "analyze_map", "earlier_import", "export_document", "export_json", "export_map",
        "get_map", "load_map", "map_revision", "map_roles", "remembered_value_links",
        "resolve_map", "scoring_settings",
    ), "viewer"),
    **dict.fromkeys((
        "apply_changes", "create_row", "create_with_evidence", "delete_row", "duplicate_persona",
        "import_feedback", "move_touchpoint", "reorder", "save_assessment",
        "save_risk_assumptions", "save_scoring_settings", "set_sentiment", "set_sentiments",
        "update_map", "update_map_settings", "update_row",
    ), "editor"),
    **dict.fromkeys((
        "create_share_link", "delete_map", "revoke_share_link", "set_role", "share_links",
    ), "owner"),
    **dict.fromkeys((
        "create_map", "import_document", "import_file", "seed_demo_maps",
    ), "account"),
    **dict.fromkeys((
        "duplicate_map",
    ), "viewer+account"),
    **dict.fromkeys((
        "add_account", "list_accounts", "remove_account", "set_email", "set_password",
    ), "admin"),
}  # fmt: skip

__all__ = [
    "ACCESS", "NewShareLink", "SessionEnded", "ShareLinkRefused", "SignInRefused", "acting_as",
    "add_account", "check_share_link", "end_session", "resume_session", "start_session",
    "set_email", "sign_in_with_identity",
    "create_share_link", "list_accounts", "map_roles", "my_role", "open_share_link",
    "remove_account", "revoke_share_link", "set_password", "set_role", "share_links", "sign_in",
    "move_touchpoint",
    "EXPORT_FORMATS", "FeedbackImport", "MANUAL_SENTIMENT", "MapSummary", "STANDARD_STAGES",
    "analyze_map", "apply_changes", "create_map", "create_row", "create_with_evidence",
    "delete_map", "delete_row", "demo_templates", "duplicate_map", "duplicate_persona",
    "earlier_import", "export_document", "export_json", "export_map", "export_suffix",
    "get_map", "import_document", "import_feedback", "import_file", "list_maps", "load_map",
    "map_revision", "open_context", "remembered_value_links", "reorder", "resolve_map",
    "save_assessment", "save_risk_assumptions", "save_scoring_settings", "scoring_settings",
    "seed_demo_maps", "set_sentiment", "set_sentiments", "update_map", "update_map_settings",
    "update_row",
]  # fmt: skip
