"""Sign-in throttling's store (issue 26): the only SQL about it. A row per account name or
client address with its failed sign-ins in a row; the delay each failure earns is the
caller's rule (`auth.throttle`), passed in as a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models.session import SigninThrottle

NAME, ADDRESS = "name", "address"
VALUE_LENGTH = 120  # the column's length


@dataclass(frozen=True)
class Throttle:
    """One name's or address's failures in a row, when the last was, and its delay."""

    kind: str
    value: str
    failures: int
    last_failure: datetime
    delayed_until: datetime | None


def _select(kind: str, value: str):
    return select(SigninThrottle).where(
        SigninThrottle.kind == kind, SigninThrottle.value == value[:VALUE_LENGTH]
    )


def find(*, session: Session, kind: str, value: str) -> Throttle | None:
    """The throttle of this name or address, or None (no failure counted)."""
    row = session.scalar(_select(kind, value))
    if row is None:
        return None
    return Throttle(
        kind=row.kind,
        value=row.value,
        failures=row.failures,
        last_failure=row.last_failure,
        delayed_until=row.delayed_until,
    )


def save(
    *,
    session: Session,
    kind: str,
    value: str,
    failures: int,
    now: datetime,
    delayed_until: datetime | None,
) -> None:
    """Store the count of failures in a row and the delay they earned."""
    row = session.scalar(_select(kind, value))
    if row is None:
        row = SigninThrottle(kind=kind, value=value[:VALUE_LENGTH])
        session.add(row)
    row.failures, row.last_failure, row.delayed_until = failures, now, delayed_until


def clear(*, session: Session, kind: str, value: str) -> bool:
    """Forget the failures of a name or address; False if there were none."""
    result = session.execute(
        delete(SigninThrottle).where(
            SigninThrottle.kind == kind, SigninThrottle.value == value[:VALUE_LENGTH]
        )
    )
    return bool(result.rowcount)


def prune(*, session: Session, before: datetime) -> None:
    """Forget names and addresses whose last failure was before `before`."""
    session.execute(delete(SigninThrottle).where(SigninThrottle.last_failure < before))


def delays(*, session: Session, kind: str, now: datetime) -> dict[str, datetime]:
    """Every name (or address) delayed at `now`, with the end of its delay."""
    rows = session.execute(
        select(SigninThrottle.value, SigninThrottle.delayed_until).where(
            SigninThrottle.kind == kind, SigninThrottle.delayed_until > now
        )
    )
    return dict(rows.all())
