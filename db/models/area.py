"""SQLAlchemy model of access by area (issue 26): the areas an account is limited to. An
account with no row sees every area; one row of level "division" limits it to that division
(by name); rows of level "district" limit it to those districts (by ONS code). The rules are
in `config.areascope`."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class AccountArea(Base):
    """One area an account may see."""

    __tablename__ = "account_areas"
    __table_args__ = (UniqueConstraint("account_id", "level", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(60))
