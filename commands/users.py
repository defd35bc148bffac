"""`manage.py user ...` (accounts and their personal access tokens, for admins) and
`manage.py audit` (the audit log as CSV), and the check every command passes first
(`authorise`): who runs it, proven (`auth.proof`), and whether their role may; a refusal is
audited (`auth.cliaudit`)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from sqlalchemy import Engine

from auth import Identity, clean_name, hash_password, password_problem, proof, refusal
from auth.cliaudit import audit_key, current, record_refusal
from commands.areas import add_areas_action, run_areas
from commands.arguments import day_argument
from config.access import COMMAND_NEEDS, Role
from db import accounts, tokens
from db.engine import make_engine, read_scope, session_scope
from db.migrate import current_revision, head_revision
from present.exports import table_csv

ROLES = [role.value for role in Role]
NAME_ACTIONS = {
    "password": "set a new password (also unlocks)",
    "unlock": "unlock after failed sign-ins",
    "disable": "stop an account signing in (kept for the audit log)",
    "tokens": "an account's personal access tokens as CSV",
    "enable": "let a disabled account sign in again",
}


def command_key(args: argparse.Namespace) -> str:
    """The `config.access.COMMAND_NEEDS` key of a parsed command line."""
    if args.command == "sample":
        return f"sample {args.action}"
    return args.command


def authorise(args: argparse.Namespace, engine: Engine) -> Identity | str:
    """Who runs this command, proven, or why they may not (audited). Before the store has its
    current schema (so before any account can exist) the operator may run `init`, `demo` and
    `load`, which create it; other commands are refused by the schema check first."""
    schema_current = current_revision(engine) == head_revision()
    proven = proof.prove(
        engine=engine, account=getattr(args, "account", None), schema_current=schema_current
    )
    needs = COMMAND_NEEDS[command_key(args)]
    who = proven.identity
    why = proven.problem or (None if who.can(needs) else refusal(who, needs))
    if why:
        record_refusal(
            engine, claimed=proven.claimed, how=proven.how, key=command_key(args), why=why
        )
        return why
    run = current()
    if run is not None:
        run.key, run.identity, run.how = audit_key(args), who, proven.how
    return who


def add_identity_option(parser: argparse.ArgumentParser) -> None:
    """`--account NAME`: the account this command line acts as (its password is asked)."""
    parser.add_argument(
        "--account",
        metavar="NAME",
        help="the account you act as (default: the DASHBOARD_ACCOUNT setting); its password is "
        "asked at the terminal, or read from the first line of standard input. Or set "
        "DASHBOARD_TOKEN to a personal access token made on the dashboard's Your account page",
    )


def add_user_commands(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser(
        "user",
        help="accounts: add, list, change role or password, unlock, disable, enable, tokens "
        "(admin)",
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
    revoke = actions.add_parser("revoke", help="revoke an account's personal access tokens")
    revoke.add_argument("name", metavar="NAME")
    revoke.add_argument("--token", type=int, metavar="ID", help="only this one (default: all)")
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
    """The new password: asked twice at a terminal, else the next line of standard input (the
    first, unless the first was your own password proving who you are)."""
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


def _list(_args: argparse.Namespace, _actor: str, engine: Engine) -> int:
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
        guarded = {k: v for k, v in values.items() if k in ("role", "disable")}
        with session_scope(engine) as session:
            if accounts.leaves_no_admin(session=session, name=clean_name(args.name), **guarded):
                raise ValueError(
                    f"{args.name!r} is the only admin that may sign in: nobody could manage "
                    "accounts. Make another admin first; nothing changed."
                )
            found = accounts.change(
                session=session, name=clean_name(args.name), actor=actor, **values
            )
        if not found:
            raise ValueError(f"There is no account called {args.name!r}; nothing changed.")
        print(f"Account {clean_name(args.name)!r}: {args.action} done.")
        return 0

    return run


def _tokens(args: argparse.Namespace, _actor: str, engine: Engine) -> int:
    with read_scope(engine) as session:
        if accounts.find(session=session, name=clean_name(args.name)) is None:
            raise ValueError(f"There is no account called {args.name!r}.")
        frame = tokens.listing(session=session, account=clean_name(args.name))
    sys.stdout.write(table_csv(frame).decode("utf-8-sig"))
    return 0


def _revoke(args: argparse.Namespace, actor: str, engine: Engine) -> int:
    name = clean_name(args.name)
    with session_scope(engine) as session:
        if accounts.find(session=session, name=name) is None:
            raise ValueError(f"There is no account called {args.name!r}; nothing changed.")
        revoked = tokens.revoke(session=session, account=name, actor=actor, token_id=args.token)
    if not revoked:
        raise ValueError(f"{name!r} has no such token that is not already revoked.")
    print(f"Revoked {len(revoked)} token(s) of {name!r}: " + ", ".join(map(repr, revoked)))
    return 0


USER_ACTIONS = {
    "add": _add,
    "list": _list,
    "role": _changer(),
    "password": _changer(),
    "unlock": _changer(unlock=True),
    "disable": _changer(disable=True),
    "tokens": _tokens,
    "revoke": _revoke,
    "enable": _changer(enable=True),
    "areas": run_areas,
}


def cmd_audit(args: argparse.Namespace, _actor: str) -> int:
    with read_scope(make_engine()) as session:
        frame = accounts.audit_entries(
            session=session, actors=args.actor, actions=args.actions, start=args.start, end=args.end
        )
    sys.stdout.write(table_csv(frame).decode("utf-8-sig"))
    return 0
