"""Server-side browser sessions (issue 26): the only SQL about them. Tokens arrive here
already hashed (`auth.sessions`); the rules of expiry are the caller's, passed as times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from db.models.session import WebSession

SESSION, TICKET = "session", "ticket"


@dataclass(frozen=True)
class SessionRow:
    """What a page needs to know of a session (no ORM object leaves this module)."""

    account: str
    kind: str
    seen_at: datetime
    expires_at: datetime


def add(
    *,
    session: Session,
    token_hash: str,
    kind: str,
    account: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """A new session or ticket for `account`."""
    session.add(
        WebSession(
            token_hash=token_hash,
            kind=kind,
            account=account,
            created_at=now,
            seen_at=now,
            expires_at=expires_at,
        )
    )


def find(*, session: Session, token_hash: str, kind: str) -> SessionRow | None:
    """The session or ticket with this token, or None."""
    row = session.scalar(
        select(WebSession).where(WebSession.token_hash == token_hash, WebSession.kind == kind)
    )
    if row is None:
        return None
    return SessionRow(
        account=row.account, kind=row.kind, seen_at=row.seen_at, expires_at=row.expires_at
    )


def touch(*, session: Session, token_hash: str, now: datetime) -> None:
    """Record that the session was used at `now`."""
    row = session.scalar(select(WebSession).where(WebSession.token_hash == token_hash))
    if row is not None:
        row.seen_at = now


def remove(*, session: Session, token_hash: str) -> bool:
    """End one session or use up one ticket; False if there was none."""
    result = session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))
    return bool(result.rowcount)


def revoke(*, session: Session, account: str) -> int:
    """End every session and ticket of `account`; how many there were."""
    result = session.execute(delete(WebSession).where(WebSession.account == account))
    return result.rowcount or 0


def prune(*, session: Session, now: datetime, idle_before: datetime) -> None:
    """Forget sessions and tickets past their absolute end or unused since `idle_before`."""
    session.execute(
        delete(WebSession).where(
            or_(WebSession.expires_at <= now, WebSession.seen_at < idle_before)
        )
    )


def count(*, session: Session, account: str) -> int:
    """How many sessions (not tickets) `account` has."""
    rows = session.scalars(
        select(WebSession.id).where(WebSession.account == account, WebSession.kind == SESSION)
    )
    return len(list(rows))
