"""Who runs the command line, proven (issue 26). A command line cannot be impersonated: no
name given to it is taken on trust.

The rules:
- While the store has no admin account (or not yet its current schema), whoever can reach the
  store is its operator and may run every command (someone must create the first admin):
  recorded as the operating-system user.
- Once it has one, every command needs a proven identity: an account (`--account NAME` or
  DASHBOARD_ACCOUNT) and its password (asked at the terminal, else the first line of standard
  input; checked by `auth.sign_in`, so throttled and audited as a sign-in on the pages), or a
  personal access token (DASHBOARD_TOKEN, or the first line of DASHBOARD_TOKEN_FILE; never an
  argument). An account named with a token must be the token's.
- LOADED_BY, which used to name the account, is no longer read: set, it refuses the command.
- A refused command is audited (who was claimed and how, the command, why), and so is every
  command that runs (`commands.users.CommandRun`); each entry names the operating-system user and
  host as well as the account (`db.origin`)."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

import auth
from auth import Identity, clean_name, cliaudit, tokens
from config import get_settings
from config.access import OPEN_DEMO_ROLES, Role
from db import accounts
from db.engine import read_scope
from db.origin import this_process

RETIRED = "LOADED_BY"  # the setting that used to name the command line's account
HOW_TO_PROVE = (
    "Either name your account with `python manage.py --account NAME COMMAND` (or the "
    "DASHBOARD_ACCOUNT setting) and give its password when asked (or as the first line of "
    "standard input), or set DASHBOARD_TOKEN (or DASHBOARD_TOKEN_FILE, a file holding it) to a "
    "personal access token made on the dashboard's Your account page."
)
NO_PROOF = "This store has an admin account, so every command needs a proven identity. "
RETIRED_NAME = (
    "LOADED_BY is no longer read: the command line takes no name on trust, and this command "
    "was refused. Unset LOADED_BY. "
)


@dataclass(frozen=True)
class Proof:
    """Who a command line claimed to be (`claimed`) and how (`how`), and the identity proven,
    or the refusal (`problem`) saying what to do."""

    claimed: str
    how: str
    identity: Identity | None
    problem: str | None


def operator(how: str = "operator of a store without an admin account") -> Proof:
    """Whoever can reach a store without an admin account: may do everything."""
    user = this_process().os_user
    return Proof(
        claimed=user, how=how, identity=Identity(name=user, roles=OPEN_DEMO_ROLES), problem=None
    )


def prove(*, engine: Engine, account: str | None, schema_current: bool) -> Proof:
    """Who runs this command line, proven; `account` is `--account` (else DASHBOARD_ACCOUNT)."""
    settings = get_settings()
    if os.environ.get(RETIRED):
        claimed = clean_name(os.environ[RETIRED]) or this_process().os_user
        return Proof(claimed, f"claimed by {RETIRED}", None, RETIRED_NAME + HOW_TO_PROVE)
    if not schema_current:
        return operator("operator of a store without its current schema")
    name = clean_name(account or settings.DASHBOARD_ACCOUNT)
    token = _token(settings)
    if isinstance(token, Proof):
        return token
    if token:
        return _by_token(engine, token, name)
    if name:
        return _by_password(engine, name)
    with read_scope(engine) as session:
        admins = accounts.count(session=session, role=Role.ADMIN)
    if admins == 0:
        return operator()
    user = this_process().os_user
    return Proof(user, "nothing proven", None, NO_PROOF + HOW_TO_PROVE)


def _token(settings) -> str | Proof:
    """The token of DASHBOARD_TOKEN or DASHBOARD_TOKEN_FILE ("" for none), or the refusal."""
    if settings.DASHBOARD_TOKEN.strip():
        return settings.DASHBOARD_TOKEN.strip()
    if not settings.DASHBOARD_TOKEN_FILE:
        return ""
    path = Path(settings.DASHBOARD_TOKEN_FILE).expanduser()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problem = f"DASHBOARD_TOKEN_FILE {path} cannot be read ({exc}). "
        return Proof(this_process().os_user, "token file", None, problem + HOW_TO_PROVE)
    return lines[0].strip() if lines else ""


def _by_token(engine: Engine, token: str, name: str) -> Proof:
    proof = tokens.prove(engine=engine, token=token)
    how = f"token {proof.token_name!r}" if proof.token_name else "token"
    claimed = name or proof.name or this_process().os_user
    if proof.problem or proof.role is None:
        why = proof.problem or "belongs to no account that may sign in"
        problem = (
            f"The personal access token given {why}: make a new one on the dashboard's Your "
            "account page and set DASHBOARD_TOKEN to it (or sign in with --account NAME and "
            "your password)."
        )
        return Proof(claimed, how, None, problem)
    if name and name != proof.name:
        problem = (
            f"The token given is not {name!r}'s: unset DASHBOARD_ACCOUNT (and --account) or "
            f"give {name!r}'s own token."
        )
        return Proof(claimed, how, None, problem)
    # The account as it is now, with its role and its areas (issue 26: access by area)
    who = auth.account_identity(engine=engine, name=proof.name)
    if who is None:
        problem = (
            f"The personal access token given belongs to {proof.name!r}, which may not sign in: "
            "ask an admin."
        )
        return Proof(claimed, how, None, problem)
    return Proof(proof.name, how, who, None)


def read_own_password(name: str) -> str:
    """The password proving `name`: asked at a terminal, else the first line of standard
    input (a new password, for `user add` and `user password`, is then the next line)."""
    if sys.stdin.isatty():
        return getpass.getpass(f"Password of {name}: ")
    return sys.stdin.readline().rstrip("\r\n")


def _by_password(engine: Engine, name: str) -> Proof:
    result = auth.sign_in(engine=engine, name=name, password=read_own_password(name))
    if result.identity is None:
        problem = (
            f"{result.message} The command was refused. Give {name!r}'s password when asked "
            "(or as the first line of standard input), or set DASHBOARD_TOKEN to a personal "
            "access token made on the dashboard's Your account page."
        )
        return Proof(name, "password", None, problem)
    return Proof(name, "password", result.identity, None)


def command_identity(*, engine: Engine) -> Identity:
    """Who runs the command line: the identity `commands.users.authorise` proved for the command
    running now, else proven now (`prove`); nobody (no role) when it cannot be proven."""
    run = cliaudit.current()
    if run is not None and run.identity is not None:
        return run.identity
    proven = prove(engine=engine, account=None, schema_current=True)
    return proven.identity or Identity(name=proven.claimed, roles=frozenset())
