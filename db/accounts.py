"""Accounts and the audit log's reading (issue 14): the only SQL about who may sign in.
Every change to an account is audited in the same transaction; so are sign-ins and failed
sign-ins (`record_signin`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.access import Role
from db import throttle, websessions
from db.loads import audit
from db.models import AuditEntry
from db.models.account import Account
from db.models.session import SigninThrottle

ENTITY = "accounts"
ADMIN = Role.ADMIN.value


@dataclass(frozen=True)
class AccountRow:
    """What the sign-in needs to know of an account (no ORM object leaves this module)."""

    name: str
    role: str
    password_hash: str | None
    failed_attempts: int
    locked_until: datetime | None
    disabled: bool


def _row(account: Account) -> AccountRow:
    return AccountRow(
        name=account.name,
        role=account.role,
        password_hash=account.password_hash,
        failed_attempts=account.failed_attempts,
        locked_until=account.locked_until,
        disabled=account.disabled_at is not None,
    )


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def find(*, session: Session, name: str) -> AccountRow | None:
    """The account called `name` (exactly), or None."""
    account = session.scalar(select(Account).where(Account.name == name))
    return _row(account) if account else None


def count(*, session: Session, role: str | None = None) -> int:
    """How many accounts the store has (disabled ones included), or of `role` that may sign in."""
    query = select(func.count()).select_from(Account)
    if role is not None:
        query = query.where(Account.role == role, Account.disabled_at.is_(None))
    return session.scalar(query) or 0


def add(*, session: Session, name: str, role: str, password_hash: str | None, actor: str) -> None:
    """A new account (the caller checked that the name is free and the role exists)."""
    session.add(
        Account(
            name=name,
            role=role,
            password_hash=password_hash,
            failed_attempts=0,
            created_at=_now(),
            created_by=actor,
        )
    )
    kind = "local password" if password_hash else "identity provider"
    audit(
        session=session,
        actor=actor,
        action="account added",
        entity=ENTITY,
        detail=f"{name}: role {role}, signs in with {kind}",
    )


def change(
    *,
    session: Session,
    name: str,
    actor: str,
    role: str | None = None,
    password_hash: str | None = None,
    disable: bool = False,
    unlock: bool = False,
    enable: bool = False,
) -> bool:
    """Change an account's role or password, disable, enable or unlock it; False if it does not
    exist. A new password also unlocks the account; enabling clears the disable (the account
    signs in again with the password and role it had). A new role or password, or disabling,
    ends every browser session of the account (issue 26); unlocking clears the sign-in delay of
    its name (`auth.throttle`)."""
    account = session.scalar(select(Account).where(Account.name == name))
    if account is None:
        return False
    done = []
    if role is not None and role != account.role:
        done.append(f"role {account.role} -> {role}")
        account.role = role
    if password_hash is not None:
        account.password_hash = password_hash
        done.append("password set")
        unlock = True
    delayed = unlock and throttle.clear(session=session, kind=throttle.NAME, value=name)
    if delayed or (unlock and (account.locked_until or account.failed_attempts)):
        account.locked_until, account.failed_attempts = None, 0
        done.append("unlocked")
    if disable and account.disabled_at is None:
        account.disabled_at = _now()
        done.append("disabled")
    if enable and account.disabled_at is not None:
        account.disabled_at = None
        done.append("enabled")
    ends = any(d in ("disabled", "password set") or d.startswith("role ") for d in done)
    if ends and websessions.revoke(session=session, account=name):
        done.append("signed out of every browser")
    if done:
        audit(
            session=session,
            actor=actor,
            action="account changed",
            entity=ENTITY,
            detail=f"{name}: " + ", ".join(done),
        )
    return True


def has_failures(*, session: Session, name: str) -> bool:
    """True when the name has failed sign-ins that unlocking would clear (`auth.throttle`)."""
    counted = session.scalar(
        select(func.count())
        .select_from(SigninThrottle)
        .where(SigninThrottle.kind == throttle.NAME, SigninThrottle.value == name)
    )
    return bool(counted)


def leaves_no_admin(
    *, session: Session, name: str, role: str | None = None, disable: bool = False
) -> bool:
    """True when giving the account `name` the `role`, or disabling it, would leave the store
    with no admin that may sign in (while it has one now): nobody could manage accounts."""
    account = session.scalar(select(Account).where(Account.name == name))
    if account is None or account.role != ADMIN or account.disabled_at is not None:
        return False
    if not disable and (role is None or role == ADMIN):
        return False
    others = session.scalar(
        select(func.count())
        .select_from(Account)
        .where(Account.role == ADMIN, Account.disabled_at.is_(None), Account.name != name)
    )
    return not others


def record_signin(*, session: Session, name: str, ok: bool, how: str) -> None:
    """Audit a sign-in (`ok`) or a failed one (the throttle is `auth.throttle`'s)."""
    audit(
        session=session,
        actor=name,
        action="signed in" if ok else "sign-in failed",
        entity=ENTITY,
        detail=f"{name} ({how})",
    )


def listing(*, session: Session) -> pd.DataFrame:
    """Every account: name, role, how it signs in, whether locked or disabled, created by/at."""
    rows = session.execute(select(Account).order_by(Account.name)).scalars().all()
    delayed = throttle.delays(session=session, kind=throttle.NAME, now=datetime.now())
    return pd.DataFrame(
        [
            {
                "name": a.name,
                "role": a.role,
                "signs in with": "local password" if a.password_hash else "identity provider",
                "locked until": delayed.get(a.name),
                "disabled": a.disabled_at,
                "created": a.created_at,
                "created by": a.created_by,
            }
            for a in rows
        ],
        columns=["name", "role", "signs in with", "locked until", "disabled", "created",
                 "created by"],
    )  # fmt: skip


# The command line's entries also name the operating-system user and host (`db.origin`)
AUDIT_COLUMNS = ["at", "actor", "action", "entity", "detail", "os user", "host"]


def audit_entries(
    *,
    session: Session,
    actors: list[str] | None = None,
    actions: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Audit log entries, newest first, filtered by actor, action and days (inclusive)."""
    query = select(*(getattr(AuditEntry, c.replace(" ", "_")) for c in AUDIT_COLUMNS)).order_by(
        AuditEntry.at.desc(), AuditEntry.id.desc()
    )
    if actors:
        query = query.where(AuditEntry.actor.in_(actors))
    if actions:
        query = query.where(AuditEntry.action.in_(actions))
    if start:
        query = query.where(AuditEntry.at >= datetime.combine(start, datetime.min.time()))
    if end:
        query = query.where(
            AuditEntry.at < datetime.combine(end + timedelta(1), datetime.min.time())
        )
    return pd.DataFrame(session.execute(query).all(), columns=AUDIT_COLUMNS)


def audit_choices(*, session: Session) -> tuple[list[str], list[str]]:
    """The actors and the actions the audit log holds (for the Audit page's filters)."""
    actors = session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor))
    actions = session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return list(actors), list(actions)
