"""SQLAlchemy models of dip-sampling (issue 12): each sample drawn, its cases, and the
review of each case. A drawn sample is never altered (a new draw is a new sample); reviews
change, and every change is audited. Cases name incidents by their pseudonymous reference only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class DipSample(Base):
    """One draw: its seed and parameters (JSON: areas, categories, flags, allocation, size or
    margin), who drew it and when, the population it was drawn from and the checklist it is
    reviewed against (JSON {code: words}, as configured when drawn)."""

    __tablename__ = "dip_samples"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drawn_at: Mapped[datetime] = mapped_column(DateTime)
    drawn_by: Mapped[str] = mapped_column(String(120))
    seed: Mapped[int] = mapped_column(BigInteger)
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date] = mapped_column(Date)
    parameters: Mapped[str] = mapped_column(Text)
    population: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    questions: Mapped[str] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean)


class DipCase(Base):
    """One incident drawn into a sample, in the order drawn (`position`, from 1)."""

    __tablename__ = "dip_cases"
    __table_args__ = (UniqueConstraint("sample_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("dip_samples.id"))
    position: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime)
    month: Mapped[date] = mapped_column(Date)
    district_code: Mapped[str] = mapped_column(String(9))
    category: Mapped[str] = mapped_column(String(20))


class DipAnswer(Base):
    """The answer to one checklist question for one case (yes, no or n/a, with a note), or
    the panel's verdict (question `verdict`, answer the verdict's code)."""

    __tablename__ = "dip_answers"
    __table_args__ = (UniqueConstraint("case_id", "question"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dip_cases.id"))
    question: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str] = mapped_column(String(120))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime)
