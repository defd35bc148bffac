"""The reads and writes of the Your account and Audit log pages: personal access tokens, the
signed-in account's own password, and the audit log's entries. The pages draw; the rules
(`auth`, `auth.tokens`) and the store (`db.accounts`, `db.tokens`) are reached only from here."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

import auth
from auth import tokens as token_rules
from db import accounts, tokens
from db.engine import read_scope, session_scope

TOKEN_NAME_LENGTH = token_rules.NAME_LENGTH  # the longest name a token may have


def make_token(engine: Engine, *, account: str, name: str, days: int) -> str:
    """A new token of `account` (`auth.tokens.make_token`: ValueError on a bad name or days)."""
    return token_rules.make_token(engine=engine, account=account, name=name, days=days)


def my_tokens(engine: Engine, account: str) -> pd.DataFrame:
    """`account`'s tokens (`db.tokens.listing`)."""
    with read_scope(engine) as session:
        return tokens.listing(session=session, account=account)


def revoke_token(engine: Engine, *, account: str, token_id: int) -> list[str]:
    """Revoke one of `account`'s own tokens; the names of those revoked."""
    with session_scope(engine) as session:
        return tokens.revoke(session=session, account=account, actor=account, token_id=token_id)


def has_password(engine: Engine, account: str) -> bool:
    """Whether `account` is a local account with a password (not only the identity provider's)."""
    with read_scope(engine) as session:
        found = accounts.find(session=session, name=account)
    return found is not None and found.password_hash is not None


def password_problem(password: str) -> str | None:
    """Why `password` cannot be used, or None (`auth.password_problem`)."""
    return auth.password_problem(password)


def wrong_password(engine: Engine, *, account: str, password: str) -> str | None:
    """The sign-in's refusal when `password` is not `account`'s (checked and throttled as a
    sign-in, `auth.sign_in`), or None when it is."""
    signed = auth.sign_in(engine=engine, name=account, password=password)
    return signed.message if signed.identity is None else None


def change_password(engine: Engine, *, account: str, password: str) -> None:
    """Set `account`'s own password (audited as changed by the account itself)."""
    with session_scope(engine) as session:
        accounts.change(
            session=session,
            name=account,
            actor=account,
            password_hash=auth.hash_password(password),
        )


def audit_choices(engine: Engine) -> tuple[list[str], list[str]]:
    """Everyone and every action in the audit log, for the filters."""
    with read_scope(engine) as session:
        return accounts.audit_choices(session=session)


def audit_entries(
    engine: Engine,
    *,
    actors: list[str],
    actions: list[str],
    start: date | None,
    end: date | None,
) -> pd.DataFrame:
    """Audit entries, newest first, filtered (`db.accounts.audit_entries`)."""
    with read_scope(engine) as session:
        return accounts.audit_entries(
            session=session, actors=actors, actions=actions, start=start, end=end
        )
