"""SQLAlchemy model of the board's actions log (issue 25): actions and matters arising raised
at a meeting, with an owner, a due date and a status, carried from meeting to meeting until
closed. A row changes in place (closed, reopened, reassigned); every change is audited with the
earlier values (`db.actions`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class BoardAction(Base):
    """One action or matter arising: what, for which area (and measure, when it is about one),
    who owns it (a role, not a name), when it is due, the meeting it was raised at, whether it
    is open or done and the date it was closed; who recorded it and when."""

    __tablename__ = "board_actions"
    __table_args__ = (Index("ix_board_actions_area", "area"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area: Mapped[str] = mapped_column(String(60))
    measure_code: Mapped[str | None] = mapped_column(String(60))
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date)
    raised_at: Mapped[date] = mapped_column(Date)  # the meeting it was raised at
    status: Mapped[str] = mapped_column(String(10))  # open or done
    closed_at: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean)
