"""SQLAlchemy models of signed-in browser sessions and of sign-in throttling (issue 26).

A `WebSession` row is a local account's server-side session (`kind` "session") or the
single-use ticket that a browser exchanges for one (`kind` "ticket"); only the SHA-256 of
its random token is stored, so a copy of the store signs nobody in. A `SigninThrottle` row
counts failed sign-ins in a row for one account name or one client address (`kind` "name"
or "address", existing account or not) and the time before which the next attempt is
refused unchecked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class WebSession(Base):
    """A session or ticket: ends at `expires_at` (absolute), or when unused for the idle
    time since `seen_at`, or when deleted (sign-out, or the account changed)."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    account: Mapped[str] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    seen_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class SigninThrottle(Base):
    """Failed sign-ins in a row for one name or address, and the delay they earned."""

    __tablename__ = "signin_throttle"
    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(120))
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[datetime] = mapped_column(DateTime)
    delayed_until: Mapped[datetime | None] = mapped_column(DateTime)
