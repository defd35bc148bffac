"""SQLAlchemy model of sign-in accounts (issue 14). A local account has an argon2 password
hash; an account without one belongs to someone who signs in with the force's identity
provider (its name is their e-mail address) and only gives them a role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class Account(Base):
    """One person's account: `role` is a `config.access.Role` value; `failed_attempts` and
    `locked_until` carry the lockout after repeated failed sign-ins; a disabled account keeps
    its row (the audit log names it) but cannot sign in."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(120))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime)
