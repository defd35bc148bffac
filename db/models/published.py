"""SQLAlchemy models of issued public summaries (issue 25): what was published, as published.

A publication keeps who issued it, when, the period, the data version read, whether the data
were demonstration data, the small-number threshold, the exact bytes of the HTML page and of
the CSV issued (so a past summary can be downloaded again exactly) and every figure shown, one
row per measure, area and half year (NULL where withheld). Rows are never updated or deleted:
a later summary compares its figures with them and says which were revised.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class Publication(Base):
    """One issued public summary."""

    __tablename__ = "publication"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(20))  # "page" or "command"
    period_first: Mapped[date] = mapped_column(Date)
    period_last: Mapped[date] = mapped_column(Date)
    data_version: Mapped[str] = mapped_column(String(200))
    threshold: Mapped[int] = mapped_column(Integer)
    is_demo: Mapped[bool] = mapped_column(Boolean)
    html: Mapped[bytes] = mapped_column(LargeBinary)
    csv: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))  # of the HTML, then the CSV


class PublishedFigure(Base):
    """A figure as a publication showed it: `count` NULL when withheld (`withheld`)."""

    __tablename__ = "published_figure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    measure: Mapped[str] = mapped_column(String(60))
    area: Mapped[str] = mapped_column(String(60))
    period_first: Mapped[date] = mapped_column(Date, index=True)
    period_last: Mapped[date] = mapped_column(Date)
    count: Mapped[float | None] = mapped_column(Float, nullable=True)
    withheld: Mapped[bool] = mapped_column(Boolean)
