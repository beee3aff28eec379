"""Team mode on the command line: ``user``, ``role`` and ``share`` (DOMAIN.md "Team mode").

Passwords are read from standard input (two lines: the password and again) or, at a terminal,
asked for twice without echo; never taken from an argument, where ``ps`` and the shell history
would show them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tomllib
from collections.abc import Mapping
from typing import Any

from cxmap import services
from cxmap.core.access import LOOPBACK
from cxmap.core.config import PROJECT_ROOT, load_settings
from cxmap.core.context import Context
from cxmap.core.errors import InvalidInput
from cxmap.core.messages import Message


def add_team_commands(commands: Any) -> None:
    """``serve``, ``user add|list|email|remove|passwd``, ``role set``, ``share
    create|list|revoke``."""
    serve = commands.add_parser(
        "serve", help="run the app (streamlit run app.py); refuses a public address in local mode"
    )
    serve.add_argument(
        "streamlit_args", nargs=argparse.REMAINDER, metavar="STREAMLIT_OPTION",
        help="options for streamlit run, e.g. --server.port 8502",
    )  # fmt: skip
    user = commands.add_parser("user", help="accounts (team mode)")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="COMMAND")
    add = user_commands.add_parser("add", help="add an account; password from stdin or a prompt")
    add.add_argument("name")
    add.add_argument("--admin", action="store_true", help="a workspace admin (every map)")
    add.add_argument(
        "--email", metavar="E", help="the email an identity provider signs it in with (OIDC)"
    )
    user_commands.add_parser("list", help="list the accounts")
    email = user_commands.add_parser(
        "email", help="set (or with none, take away) the email of an account, for OIDC sign-in"
    )
    email.add_argument("name")
    email.add_argument("email", metavar="EMAIL|none")
    remove = user_commands.add_parser("remove", help="remove an account and its roles")
    remove.add_argument("name")
    passwd = user_commands.add_parser("passwd", help="set an account's password")
    passwd.add_argument("name")

    role = commands.add_parser("role", help="roles on maps (team mode)")
    role_commands = role.add_subparsers(dest="role_command", required=True, metavar="COMMAND")
    grant = role_commands.add_parser("set", help="give an account a role on a map")
    grant.add_argument("map", help="map id or exact name")
    grant.add_argument("name", help="account name")
    grant.add_argument("role", choices=("owner", "editor", "viewer", "none"))
    shown = role_commands.add_parser("list", help="who holds which role on a map")
    shown.add_argument("map", help="map id or exact name")

    share = commands.add_parser("share", help="read-only links to a map for executives")
    share_commands = share.add_subparsers(dest="share_command", required=True, metavar="COMMAND")
    create = share_commands.add_parser("create", help="make a link; prints its URL once")
    create.add_argument("map", help="map id or exact name")
    create.add_argument("--expires", type=int, metavar="DAYS", help="valid for DAYS days")
    create.add_argument(
        "--base-url", default="http://localhost:8501", help="the app's address, for the URL"
    )
    listed = share_commands.add_parser("list", help="a map's links: created, expiry, last use")
    listed.add_argument("map", help="map id or exact name")
    revoke = share_commands.add_parser("revoke", help="revoke a link at once")
    revoke.add_argument("id", type=int)


def read_password(stream: Any = None) -> str:
    """The new password, given twice: two lines of standard input, or two prompts at a
    terminal. InvalidInput when the two differ."""
    stream = stream or sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password again: ")
    else:
        lines = stream.read().splitlines()
        first, second = (lines + ["", ""])[:2]
    if first != second:
        raise InvalidInput("password", Message("account.passwords_differ"))
    return first


def listen_address(streamlit_args: list[str], environ: Mapping[str, str]) -> str:
    """The address Streamlit will listen on: ``--server.address`` (either spelling), else
    ``STREAMLIT_SERVER_ADDRESS``, else the project's .streamlit/config.toml (127.0.0.1).

    >>> listen_address(["--server.port", "8502"], {})
    '127.0.0.1'
    >>> listen_address(["--server.address=0.0.0.0"], {})
    '0.0.0.0'
    >>> listen_address([], {"STREAMLIT_SERVER_ADDRESS": "::"})
    '::'
    """
    for n, arg in enumerate(streamlit_args):
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
        if arg == "--server.address" and n + 1 < len(streamlit_args):
            return streamlit_args[n + 1]
    if environ.get("STREAMLIT_SERVER_ADDRESS"):
        return environ["STREAMLIT_SERVER_ADDRESS"]
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    return str(config.get("server", {}).get("address", ""))


def serve(streamlit_args: list[str]) -> int:
    """Start the app with Streamlit, unless local mode would listen beyond this computer."""
    address = listen_address(streamlit_args, os.environ)
    if load_settings().mode == "local" and address not in LOOPBACK:
        where = address or "every address"
        print(
            f"cxmap: error: local mode has no sign-in and would listen on {where}: "
            "use 127.0.0.1, or CXMAP_MODE=team (docs/deploy.md)",
            file=sys.stderr,
        )
        return 2
    app = str(PROJECT_ROOT / "app.py")
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", app, *streamlit_args])


def team_command(ctx: Context, args: argparse.Namespace) -> int:
    """Carry out a ``user``, ``role`` or ``share`` command."""
    if args.command == "user":
        return _user(ctx, args)
    map_id = services.resolve_map(ctx, args.map) if hasattr(args, "map") else None
    if args.command == "role" and map_id is not None:
        if args.role_command == "set":
            services.set_role(ctx, map_id, args.name, args.role)
            print(f"{args.name.strip().lower()} is now {args.role} on map {map_id}")
        else:
            for held in services.map_roles(ctx, map_id):
                print(f"{held['role']:<7} {held['name']}")
        return 0
    if args.share_command == "create" and map_id is not None:
        link = services.create_share_link(ctx, map_id, args.expires)
        until = f" until {link.expires_at:%Y-%m-%d %H:%M} UTC" if link.expires_at else ""
        print(f"share link {link.id}{until} (shown once, keep it):")
        print(f"{args.base_url.rstrip('/')}/?share={link.token}")
        return 0
    if args.share_command == "list" and map_id is not None:
        for row in services.share_links(ctx, map_id):
            state = "revoked" if row["revoked_at"] else "active"
            expires = f"{row['expires_at']:%Y-%m-%d}" if row["expires_at"] else "never"
            used = f"{row['last_used_at']:%Y-%m-%d %H:%M}" if row["last_used_at"] else "never"
            print(
                f"{row['id']:>4}  {state:<7}  created {row['created_at']:%Y-%m-%d} by "
                f"{row['created_by']}  expires {expires}  last used {used}"
            )
        return 0
    revoked = services.revoke_share_link(ctx, args.id)
    print(f"revoked share link {args.id} of map {revoked['map_name']}")
    return 0


def _user(ctx: Context, args: argparse.Namespace) -> int:
    if args.user_command == "add":
        account = services.add_account(
            ctx, args.name, read_password(), is_admin=args.admin, email=args.email
        )
        email = f" <{account['email']}>" if account["email"] else ""
        print(f"added {'admin ' if account['is_admin'] else ''}account {account['name']}{email}")
    elif args.user_command == "list":
        for account in services.list_accounts(ctx):
            kind = "admin" if account["is_admin"] else "user "
            email = f"  <{account['email']}>" if account["email"] else ""
            print(f"{kind}  {account['name']}{email}")
    elif args.user_command == "email":
        chosen = None if args.email.strip().lower() == "none" else args.email
        stored = services.set_email(ctx, args.name, chosen)
        name = args.name.strip().lower()
        print(f"{name} signs in with {stored}" if stored else f"{name} has no email now")
    elif args.user_command == "remove":
        services.remove_account(ctx, args.name)
        print(f"removed account {args.name.strip().lower()}")
    else:
        services.set_password(ctx, args.name, read_password())
        print(f"changed the password of {args.name.strip().lower()}")
    return 0


TEAM_COMMANDS = ("user", "role", "share")  # (serve needs no database: cxmap.cli.run)
