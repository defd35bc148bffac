"""Personal access tokens (issue 26): made on the dashboard's Your account page, they prove to
the command line which account runs it, without a password.

The rules: a token is `PREFIX` and 256 random bits (`secrets.token_urlsafe`), shown once when
made and never stored: the store keeps its SHA-256 digest (a token is random and long, so a
fast digest is enough: nobody can guess one to match it). It lasts at most TOKEN_MAX_DAYS,
can be revoked by its owner on Your account and by an admin with `manage.py user revoke`, and
proves nothing once expired or revoked, or while its account is disabled."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from config import get_settings
from config.access import Role
from config.text import clean_text
from db import accounts, tokens
from db.engine import session_scope

PREFIX = "asbd_"  # says what a token is when one turns up in a file or a log
RANDOM_BYTES = 32  # 256 bits
NAME_LENGTH = 80  # access_tokens.name


@dataclass(frozen=True)
class TokenProof:
    """Whose a token is (`name`, with `role`) and its own name, or why it proves nothing."""

    name: str | None
    role: Role | None
    token_name: str
    problem: str | None


def digest(token: str) -> str:
    """The SHA-256 digest stored for `token` (hex)."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def days_problem(days: int) -> str | None:
    """Why a token cannot last `days`, or None."""
    most = get_settings().TOKEN_MAX_DAYS
    if not 1 <= days <= most:
        return f"A token lasts from 1 to {most} days (the TOKEN_MAX_DAYS setting)."
    return None


def make_token(*, engine: Engine, account: str, name: str, days: int) -> str:
    """A new token of `account` lasting `days`, named `name`: returned once, stored as its
    digest, audited. ValueError if the name is empty, the days out of range or the account
    unknown."""
    name = clean_text(name)[:NAME_LENGTH]
    if not name:
        raise ValueError("A token needs a name (what it is for, say 'loading laptop').")
    if problem := days_problem(days):
        raise ValueError(problem)
    token = PREFIX + secrets.token_urlsafe(RANDOM_BYTES)
    expires = datetime.now().replace(microsecond=0) + timedelta(days=days)
    with session_scope(engine) as session:
        made = tokens.make(
            session=session,
            account=account,
            name=name,
            digest=digest(token),
            expires=expires,
            actor=account,
        )
    if not made:
        raise ValueError(f"There is no account called {account!r}.")
    return token


def prove(*, engine: Engine, token: str) -> TokenProof:
    """The account `token` proves (its use stamped), or why it proves nothing."""
    with session_scope(engine) as session:
        owner = tokens.use(session=session, digest=digest(token))
        account = accounts.find(session=session, name=owner.account) if owner.account else None
    if owner.problem or account is None:
        return TokenProof(
            name=owner.account, role=None, token_name=owner.token_name, problem=owner.problem
        )
    return TokenProof(
        name=account.name, role=Role(account.role), token_name=owner.token_name, problem=None
    )
