"""SQLAlchemy model of commentary (issue 13): what measure owners write about a measure in an
area for a month. Never updated in place: each edit is a new version, so the history of who
wrote what, and when, is kept."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class CommentaryVersion(Base):
    """One version of the commentary on a measure in an area for a month: what happened, why,
    the actions, their owner and due date; `public` marks it for the public summary's "You
    said, we did"; `is_demo` marks demonstration commentary."""

    __tablename__ = "commentary"
    __table_args__ = (UniqueConstraint("measure_code", "area", "month", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(60))
    area: Mapped[str] = mapped_column(String(60))
    month: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    actions: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date)
    public: Mapped[bool] = mapped_column(Boolean)
    written_by: Mapped[str] = mapped_column(String(120))
    written_at: Mapped[datetime] = mapped_column(DateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean)


class CommentaryDecision(Base):
    """The second person's decision on one public version of a commentary (issue 25):
    `decision` is "approved" (it may appear in the public summary) or "refused" (with
    `reason`); `checked` lists the findings of the check on its words that the approver
    confirmed, one a line. One decision per version: a new version needs a new decision."""

    __tablename__ = "commentary_decision"
    __table_args__ = (UniqueConstraint("measure_code", "area", "month", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(60))
    area: Mapped[str] = mapped_column(String(60))
    month: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text)
    checked: Mapped[str] = mapped_column(Text)
