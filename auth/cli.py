"""`manage.py user ...` (accounts, for admins) and `manage.py audit` (the audit log as CSV),
and the role check every command passes first (`authorise`)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from sqlalchemy import Engine

from auth import (
    Identity,
    clean_name,
    command_identity,
    hash_password,
    operator_identity,
    password_problem,
    refusal,
)
from auth.areas_cli import add_areas_action, run_areas
from config.access import COMMAND_NEEDS, Role
from db import accounts
from db.engine import make_engine, read_scope, session_scope
from db.migrate import current_revision, head_revision
from metrics.exports import table_csv
from scoring.cli import day_argument

ROLES = [role.value for role in Role]
NAME_ACTIONS = {
    "password": "set a new password (also unlocks)",
    "unlock": "unlock after failed sign-ins",
    "disable": "stop an account signing in (kept for the audit log)",
}


def command_key(args: argparse.Namespace) -> str:
    """The `config.access.COMMAND_NEEDS` key of a parsed command line."""
    if args.command == "sample":
        return f"sample {args.action}"
    return args.command


def authorise(args: argparse.Namespace, engine: Engine) -> Identity | str:
    """Who runs this command, or why they may not. Before the store has its current schema
    (so before any account can exist) the operator may run `init`, `demo` and `load`, which
    create it; other commands are refused by the schema check first."""
    if current_revision(engine) != head_revision():
        identity = operator_identity()
    else:
        identity = command_identity(engine=engine)
    needs = COMMAND_NEEDS[command_key(args)]
    return identity if identity.can(needs) else refusal(identity, needs)


def add_user_commands(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser(
        "user",
        help="accounts: add, list, change role or password, unlock, disable (admin)",
        description="Manage the accounts that may sign in. Passwords are asked for at the "
        "terminal, or read from the first line of standard input; never given as arguments.",
    )
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument(
        "--identity-provider",
        action="store_true",
        help="no password: NAME is the e-mail address the force's identity provider gives",
    )
    actions.add_parser("list", help="every account as CSV")
    for action, text in NAME_ACTIONS.items():
        actions.add_parser(action, help=text).add_argument("name", metavar="NAME")
    role = actions.add_parser("role", help="change an account's role")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", choices=ROLES)
    add_areas_action(actions)
    audit = commands.add_parser(
        "audit",
        help="the audit log as CSV (admin)",
        description="Audit log entries, newest first: who did what, when.",
    )
    audit.add_argument("--actor", action="append", help="only this actor (repeatable)")
    audit.add_argument("--action", dest="actions", action="append", help="only this action")
    audit.add_argument("--from", dest="start", type=day_argument, metavar="YYYY-MM-DD")
    audit.add_argument("--to", dest="end", type=day_argument, metavar="YYYY-MM-DD")


def read_password() -> str:
    """The new password: asked twice at a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != first:
            raise ValueError("The two passwords differ; nothing was changed.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _new_hash() -> str:
    password = read_password()
    problem = password_problem(password)
    if problem:
        raise ValueError(problem + " Nothing was changed.")
    return hash_password(password)


def cmd_user(args: argparse.Namespace, actor: str) -> int:
    engine = make_engine()
    try:
        return USER_ACTIONS[args.action](args, actor, engine)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1


def _add(args: argparse.Namespace, actor: str, engine: Engine) -> int:
    name = clean_name(args.name)
    if not name:
        raise ValueError("An account needs a name.")
    with read_scope(engine) as session:
        if accounts.find(session=session, name=name):
            raise ValueError(f"There is already an account called {name!r}; nothing changed.")
    password_hash = None if args.identity_provider else _new_hash()
    with session_scope(engine) as session:
        accounts.add(
            session=session, name=name, role=args.role, password_hash=password_hash, actor=actor
        )
    print(f"Account {name!r} added with the {args.role} role.")
    return 0


def _list(args: argparse.Namespace, actor: str, engine: Engine) -> int:
    with read_scope(engine) as session:
        frame = accounts.listing(session=session)
    sys.stdout.write(table_csv(frame).decode("utf-8-sig"))
    return 0


def _changer(**change) -> Callable[[argparse.Namespace, str, Engine], int]:
    def run(args: argparse.Namespace, actor: str, engine: Engine) -> int:
        values = dict(change)
        if args.action == "role":
            values["role"] = args.role
        if args.action == "password":
            values["password_hash"] = _new_hash()
        with session_scope(engine) as session:
            found = accounts.change(
                session=session, name=clean_name(args.name), actor=actor, **values
            )
        if not found:
            raise ValueError(f"There is no account called {args.name!r}; nothing changed.")
        print(f"Account {clean_name(args.name)!r}: {args.action} done.")
        return 0

    return run


USER_ACTIONS = {
    "add": _add,
    "list": _list,
    "role": _changer(),
    "password": _changer(),
    "unlock": _changer(unlock=True),
    "disable": _changer(disable=True),
    "areas": run_areas,
}


def cmd_audit(args: argparse.Namespace, actor: str) -> int:
    with read_scope(make_engine()) as session:
        frame = accounts.audit_entries(
            session=session, actors=args.actor, actions=args.actions, start=args.start, end=args.end
        )
    sys.stdout.write(table_csv(frame).decode("utf-8-sig"))
    return 0
