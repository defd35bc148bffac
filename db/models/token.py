"""SQLAlchemy model of personal access tokens (issue 26): how an account proves who it is to
the command line without typing its password. Only the SHA-256 digest of a token is kept (the
token is 256 random bits, shown once when made); each has an expiry, records when it was last
used, and is revoked (never deleted: the audit log names it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base

DIGEST_LENGTH = 64  # hex SHA-256


class AccessToken(Base):
    """One personal access token of one account."""

    __tablename__ = "access_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(DIGEST_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(120))
