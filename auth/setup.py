"""The first accounts, made in the app (issue 26): a one-time set-up code printed to the
server's log, as Jupyter prints its token, so that nobody who merely reaches the server can
claim a store that has no account yet.

The rules:
- While the store has no account, `announce` (called at server start) makes a random code
  and prints it to the server's log (standard error), once per store per server process,
  however often it is called. Only the code's SHA-256 digest is kept, in this process's
  memory; the code itself is never stored, logged elsewhere or shown on a page.
- `claim` compares a code given in the app with that digest in constant time
  (`hmac.compare_digest`). With the right code, while the store still has no account, it makes
  the first admin account and the loading analyst's own account (an admin may not load data)
  in one transaction, audited as made through set-up by the analyst; the code is then spent.
- A wrong, missing or spent code, or a store that already has accounts, is refused and the
  attempt audited; nothing is created. Names must differ and both passwords pass
  `auth.password_problem`, or nothing is created (the code stays unspent)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
import threading
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import Engine

import auth
from auth import Identity
from config.access import Role
from db import accounts
from db.engine import read_scope, session_scope
from db.loads import audit

CODE_BYTES = 24  # 192 random bits, as URL-safe text of 32 characters
SPENT = b""  # the digest kept once a store's code has been used
ANNOUNCEMENT = (
    "\n  The data store {store} has no account yet.\n"
    "  To set up its first accounts, open the dashboard, choose 'Set up accounts' and give\n"
    "  this one-time set-up code (it works once, until the server stops):\n\n"
    "      {code}\n"
)
REFUSED_CODE = (
    "That set-up code is not the one this server printed to its log at start: nothing was "
    "created. Ask whoever started the server for the code in its log."
)
REFUSED_SPENT = "This store's accounts are already set up: sign in instead. Nothing was created."
REFUSED_NO_CODE = (
    "This server has no set-up code in force: restart it, and it prints a new one to its log."
)

_lock = threading.Lock()  # one announcement and one claim at a time in this process
_digests: dict[str, bytes] = {}  # store URL -> digest of its code (SPENT once used)


@dataclass(frozen=True)
class SetupResult:
    """The analyst's identity to continue as, or None with the message to show."""

    identity: Identity | None
    message: str


def _store_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _digest(code: str) -> bytes:
    return hashlib.sha256(code.strip().encode()).digest()


def has_accounts(engine: Engine) -> bool:
    """True from the store's first account on (disabled ones count): sign-in is required."""
    with read_scope(engine) as session:
        return accounts.count(session=session) > 0


def announce(engine: Engine, *, out: TextIO | None = None) -> bool:
    """Print the store's set-up code to the server's log when the store has no account and
    none was printed for it in this process; True when this call printed one."""
    key = _store_key(engine)
    with _lock:
        if key in _digests or has_accounts(engine):
            return False
        code = secrets.token_urlsafe(CODE_BYTES)
        _digests[key] = _digest(code)
    print(ANNOUNCEMENT.format(store=key, code=code), file=out or sys.stderr, flush=True)
    return True


def awaiting(engine: Engine) -> bool:
    """True when the store has no account and this process holds an unspent code for it."""
    return _digests.get(_store_key(engine), SPENT) != SPENT and not has_accounts(engine)


def account_problem(
    *, admin: str, admin_password: str, analyst: str, analyst_password: str
) -> str | None:
    """Why these two accounts cannot be made, or None (names as `auth.clean_name` keeps them)."""
    if not admin or not analyst:
        return "Give a name for both accounts."
    if admin == analyst:
        return "The admin account and your own analyst account need different names."
    for whose, password in (("admin", admin_password), ("analyst", analyst_password)):
        problem = auth.password_problem(password)
        if problem:
            return f"The {whose} account's password: {problem}"
    return None


def claim(
    *,
    engine: Engine,
    code: str,
    admin: str,
    admin_password: str,
    analyst: str,
    analyst_password: str,
) -> SetupResult:
    """Make the first admin and the analyst's own account with the set-up code (see the
    module's rules); the analyst's identity on success."""
    admin, analyst = auth.clean_name(admin), auth.clean_name(analyst)
    key = _store_key(engine)
    with _lock:
        refused = _code_refusal(engine, key, code)
        if refused:
            _audit_refusal(engine, analyst, refused)
            return SetupResult(None, refused)
        problem = account_problem(
            admin=admin,
            admin_password=admin_password,
            analyst=analyst,
            analyst_password=analyst_password,
        )
        if problem:
            return SetupResult(None, problem)
        hashes = auth.hash_password(admin_password), auth.hash_password(analyst_password)
        _make(engine, admin, hashes[0], analyst, hashes[1])
        _digests[key] = SPENT
    return SetupResult(Identity(name=analyst, roles=frozenset({Role.ANALYST})), "")


def _code_refusal(engine: Engine, key: str, code: str) -> str | None:
    """Why `code` may not set up the store at `key`, or None."""
    kept = _digests.get(key)
    if kept == SPENT or has_accounts(engine):
        return REFUSED_SPENT
    if kept is None:
        return REFUSED_NO_CODE
    if not hmac.compare_digest(_digest(code or ""), kept):
        return REFUSED_CODE
    return None


def _audit_refusal(engine: Engine, analyst: str, why: str) -> None:
    with session_scope(engine) as session:
        audit(
            session=session,
            actor=analyst or "(no name)",
            action="set-up refused",
            entity=accounts.ENTITY,
            detail=why.split(":")[0],
        )


def _make(engine: Engine, admin: str, admin_hash: str, analyst: str, analyst_hash: str) -> None:
    """Both accounts and the set-up's audit entry, in one transaction."""
    actor = f"{analyst} (through set-up)"
    with session_scope(engine) as session:
        accounts.add(
            session=session, name=admin, role=Role.ADMIN, password_hash=admin_hash, actor=actor
        )
        accounts.add(
            session=session,
            name=analyst,
            role=Role.ANALYST,
            password_hash=analyst_hash,
            actor=actor,
        )
        audit(
            session=session,
            actor=analyst,
            action="accounts set up",
            entity=accounts.ENTITY,
            detail=f"first admin {admin} and analyst {analyst} made in the app with the "
            "server's one-time set-up code",
        )
