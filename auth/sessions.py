"""Server-side sessions of local accounts (issue 26), as `st.login` has for the identity
provider: a session survives a reload and a second tab, and ends for certain.

The rules:
- a session is a random token (TOKEN_BYTES); the store keeps only its SHA-256, so a copy of
  the store, a backup or the audit log signs nobody in;
- it ends after SESSION_MINUTES without use (idle), SESSION_HOURS after sign-in whatever the
  use (absolute), at sign-out, and when its account's role, password or disabled state
  changes (`db.accounts.change` revokes every session of the account);
- the browser holds the token in a cookie that page scripts cannot read (HttpOnly), that
  other sites' pages do not send (SameSite=Strict), and, with SESSION_COOKIE_SECURE, that
  travels over HTTPS only (Secure, and the `__Host-` prefix: no Domain, path /);
- a page run only reads the session: its use (at most every SEEN_STEP) and forgetting an
  ended one are written in the background, so no page waits for a long load's write lock;
- the cookie is set by a route of the server (`serve.py`), not by the page: after the page
  checks the password it makes a single-use TICKET_LIFETIME ticket and sends the browser to
  BEGIN_PATH, which exchanges the ticket for a session and its cookie.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from config import Settings, get_settings
from db import websessions
from db.engine import read_scope, session_scope

LOG = logging.getLogger("dashboard.sessions")
TOKEN_BYTES = 32
TICKET_LIFETIME = timedelta(seconds=60)
SEEN_STEP = timedelta(seconds=30)  # `seen_at` is written at most this often
COOKIE, SECURE_COOKIE = "asb_session", "__Host-asb_session"
BEGIN_PATH, END_PATH = "/session/begin", "/session/end"
IDLE, ABSOLUTE, UNKNOWN = "idle", "absolute", "unknown"
_ROUTES = {"served": False}  # set by serve.py: the cookie routes answer in this process


@dataclass(frozen=True)
class Lookup:
    """A session's account now, or None with why: IDLE, ABSOLUTE or UNKNOWN (never made,
    signed out or revoked)."""

    account: str | None
    ended: str = ""


def serve_cookie_routes() -> None:
    """Called by serve.py: pages may hand sign-ins to the cookie routes."""
    _ROUTES["served"] = True


def cookie_routes_served() -> bool:
    return _ROUTES["served"]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new(engine: Engine, *, account: str, kind: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = _now()
    idle = timedelta(minutes=get_settings().SESSION_MINUTES)
    with session_scope(engine) as session:
        websessions.prune(session=session, now=now, idle_before=now - idle)
        websessions.add(
            session=session, token_hash=token_hash(token), kind=kind, account=account,
            now=now, expires_at=now + lifetime,
        )  # fmt: skip
    return token


def start(engine: Engine, *, account: str) -> str:
    """A new session for `account` (whose password was just checked): its token."""
    hours = timedelta(hours=get_settings().SESSION_HOURS)
    return _new(engine, account=account, kind=websessions.SESSION, lifetime=hours)


def ticket(engine: Engine, *, account: str) -> str:
    """A single-use ticket the browser exchanges for a session (`exchange`)."""
    return _new(engine, account=account, kind=websessions.TICKET, lifetime=TICKET_LIFETIME)


def exchange(engine: Engine, ticket_token: str) -> str | None:
    """Use up a ticket: the new session's token, or None for a used, late or made-up one."""
    with session_scope(engine) as session:
        row = websessions.find(
            session=session, token_hash=token_hash(ticket_token), kind=websessions.TICKET
        )
        used = websessions.remove(session=session, token_hash=token_hash(ticket_token))
    if row is None or not used or row.expires_at <= _now():
        return None
    return start(engine, account=row.account)


def lookup(engine: Engine, token: str) -> Lookup:
    """The account of the session `token` if it has not ended, else why it ended. A read:
    recording the use (at most every SEEN_STEP) and forgetting an ended session are written
    in the background, so a page never waits for a long load's write lock."""
    now, digest = _now(), token_hash(token)
    idle = timedelta(minutes=get_settings().SESSION_MINUTES)
    with read_scope(engine) as session:
        row = websessions.find(session=session, token_hash=digest, kind=websessions.SESSION)
    if row is None:
        return Lookup(account=None, ended=UNKNOWN)
    ended = ABSOLUTE if row.expires_at <= now else IDLE if now - row.seen_at > idle else ""
    if ended:
        _write_soon(engine, websessions.remove, token_hash=digest)
        return Lookup(account=None, ended=ended)
    if now - row.seen_at >= SEEN_STEP:
        _write_soon(engine, websessions.touch, token_hash=digest, now=now)
    return Lookup(account=row.account)


def _write(engine: Engine, change: Callable, **values) -> None:
    try:
        with session_scope(engine) as session:
            change(session=session, **values)
    except SQLAlchemyError:  # the next page run tries again; an ended session stays ended
        LOG.warning("Could not record a session's use", exc_info=True)


def _write_soon(engine: Engine, change: Callable, **values) -> None:
    """Write in a background thread (tests replace this to write at once)."""
    threading.Thread(target=_write, args=(engine, change), kwargs=values, daemon=True).start()


def end(engine: Engine, token: str) -> None:
    """Sign-out: the session `token` ends."""
    with session_scope(engine) as session:
        websessions.remove(session=session, token_hash=token_hash(token))


def cookie_name(settings: Settings | None = None) -> str:
    return SECURE_COOKIE if (settings or get_settings()).SESSION_COOKIE_SECURE else COOKIE


def cookie_options(settings: Settings | None = None) -> dict:
    """The cookie's attributes (Starlette's `set_cookie` keywords, without value)."""
    settings = settings or get_settings()
    return {
        "key": cookie_name(settings),
        "max_age": settings.SESSION_HOURS * 3600,
        "path": "/",
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": True,
        "samesite": "strict",
    }


def safe_next(target: str | None) -> str:
    """Where to send the browser after a cookie route: a path of this site, or "/"."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\\"):
        return "/"
    return target
