"""SQLAlchemy model of the dip-sampling follow-up log (issue 25): every case that needs
follow-up (an answer no, or a verdict configured `follow_up`) has an entry with an owner, the
action agreed, a due date, when and by whom it was closed, and a note. An entry is never
overwritten: each change is a new version (the newest is the entry as it stands), and each is
audited with what it changed. Cases are named by their pseudonymous reference only."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class DipFollowUp(Base):
    """One version of a case's follow-up entry (`version` from 1; the highest is current)."""

    __tablename__ = "dip_follow_ups"
    __table_args__ = (UniqueConstraint("case_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dip_cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str | None] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(120))
    written_at: Mapped[datetime] = mapped_column(DateTime)
