"""Sign-in throttling (issue 26, after OWASP ASVS 2.2.1): growing delays instead of a lock
that anyone could extend for ever.

The rules:
- failed sign-ins in a row are counted per account name, whether an account has that name
  or not (so the delays tell nothing about which names exist), and per client address;
- the first SIGNIN_ATTEMPTS failures of a name cost nothing (ADDRESS_FACTOR times as many
  for an address, which several people behind one proxy may share; a sign-in without an
  address, from the command line or the server itself, counts against its name only); each
  failure after that delays the next attempt by FIRST_DELAY, doubled for each further
  failure, at most SIGNIN_LOCK_MINUTES;
- an attempt during a delay is refused without checking its password and is not counted:
  it neither extends the delay nor learns anything (the right password is refused too);
- a successful sign-in clears its name's count, never its address's (an attacker with one
  account of their own must not reset their address); a count is forgotten FORGET_AFTER
  after its last failure; an admin's unlock (`db.accounts.change`) clears a name's count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from config import get_settings
from db import throttle as store

FIRST_DELAY = timedelta(seconds=30)
ADDRESS_FACTOR = 5  # an address may make this many times a name's free failures
FORGET_AFTER = timedelta(hours=24)
MAX_DOUBLINGS = 30  # beyond any cap: keeps 2**n small


@dataclass(frozen=True)
class Key:
    """What failures are counted against: a name or an address, with its free failures."""

    kind: str
    value: str
    free: int


@dataclass(frozen=True)
class Delay:
    """A refusal without checking: which key is delayed, and until when."""

    kind: str
    until: datetime


def keys(*, name: str, address: str | None) -> tuple[Key, ...]:
    """The name's and the address's keys under the settings. Without an address (the command
    line, or a browser on the server itself, for which Streamlit gives none) only the name
    is counted: one shared "unknown" address would let a few failures delay everyone there."""
    free = get_settings().SIGNIN_ATTEMPTS
    name_key = Key(kind=store.NAME, value=name, free=free)
    if not address:
        return (name_key,)
    return (name_key, Key(kind=store.ADDRESS, value=address, free=free * ADDRESS_FACTOR))


def delay_for(*, failures: int, free: int, cap: timedelta) -> timedelta | None:
    """The delay that `failures` in a row earn (None while they are free)."""
    if failures < free:
        return None
    return min(FIRST_DELAY * 2 ** min(failures - free, MAX_DOUBLINGS), cap)


def current_delay(*, session: Session, of: tuple[Key, ...], now: datetime) -> Delay | None:
    """The longest delay running at `now` on any of the keys, or None."""
    running = []
    for key in of:
        row = store.find(session=session, kind=key.kind, value=key.value)
        if row is not None and row.delayed_until is not None and row.delayed_until > now:
            running.append(Delay(kind=key.kind, until=row.delayed_until))
    return max(running, key=lambda d: d.until, default=None)


def record_failure(*, session: Session, of: tuple[Key, ...], now: datetime) -> Delay | None:
    """Count a checked failure against every key; the longest delay it starts, or None."""
    cap = timedelta(minutes=get_settings().SIGNIN_LOCK_MINUTES)
    store.prune(session=session, before=now - FORGET_AFTER)
    started = []
    for key in of:
        row = store.find(session=session, kind=key.kind, value=key.value)
        failures = (row.failures if row else 0) + 1
        delay = delay_for(failures=failures, free=key.free, cap=cap)
        until = now + delay if delay else None
        store.save(
            session=session, kind=key.kind, value=key.value, failures=failures, now=now,
            delayed_until=until,
        )  # fmt: skip
        if until:
            started.append(Delay(kind=key.kind, until=until))
    return max(started, key=lambda d: d.until, default=None)


def record_success(*, session: Session, name: str) -> None:
    """A right password: the name's count starts again."""
    store.clear(session=session, kind=store.NAME, value=name)
