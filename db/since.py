"""What happened in the store after a moment (the last meeting): loads, republished months,
dip samples drawn and reviews recorded, and commentary written. Frames out."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Load, Revision
from db.models.comment import CommentaryVersion
from db.models.dip import DipAnswer, DipCase, DipSample


def loads(*, session: Session, after: datetime) -> pd.DataFrame:
    """Loads made after `after` and still in the store: file_name, source, rows, months,
    loaded_by, loaded_at, is_demo."""
    query = (
        select(
            Load.file_name,
            Load.source,
            Load.rows,
            Load.first_month,
            Load.last_month,
            Load.loaded_by,
            Load.loaded_at,
            Load.is_demo,
        )
        .where(Load.loaded_at > after, Load.undone_at.is_(None))
        .order_by(Load.loaded_at)
    )
    columns = [
        "file_name", "source", "rows", "first_month", "last_month", "loaded_by", "loaded_at",
        "is_demo",
    ]  # fmt: skip
    return pd.DataFrame(session.execute(query).all(), columns=columns)


def revisions(*, session: Session, after: datetime) -> pd.DataFrame:
    """Months republished by loads made after `after`: month, records_added, records_removed."""
    query = (
        select(Revision.month, Revision.records_added, Revision.records_removed)
        .join(Load, Load.id == Revision.load_id)
        .where(Load.loaded_at > after, Load.undone_at.is_(None))
        .order_by(Revision.month)
    )
    return pd.DataFrame(
        session.execute(query).all(), columns=["month", "records_added", "records_removed"]
    )


def dip_activity(*, session: Session, after: datetime) -> pd.DataFrame:
    """Each dip sample drawn or reviewed after `after`: sample_id, drawn_at, is_demo and the
    answers recorded since."""
    answered = (
        select(DipCase.sample_id, func.count(DipAnswer.id).label("answers"))
        .join(DipAnswer, DipAnswer.case_id == DipCase.id)
        .where(DipAnswer.reviewed_at > after)
        .group_by(DipCase.sample_id)
        .subquery()
    )
    query = (
        select(
            DipSample.id,
            DipSample.drawn_at,
            DipSample.is_demo,
            func.coalesce(answered.c.answers, 0),
        )
        .outerjoin(answered, answered.c.sample_id == DipSample.id)
        .where((DipSample.drawn_at > after) | (answered.c.answers > 0))
        .order_by(DipSample.id)
    )
    return pd.DataFrame(
        session.execute(query).all(), columns=["sample_id", "drawn_at", "is_demo", "answers"]
    )


def commentary_written(*, session: Session, after: datetime) -> int:
    """Commentary versions written after `after`."""
    return session.scalar(
        select(func.count(CommentaryVersion.id)).where(CommentaryVersion.written_at > after)
    )


def commentary_versions(*, session: Session, after: datetime) -> pd.DataFrame:
    """Commentary versions written after `after`, oldest first: measure_code, area, month,
    version, what, written_by, written_at."""
    columns = ["measure_code", "area", "month", "version", "what", "written_by", "written_at"]
    query = (
        select(*(getattr(CommentaryVersion, c) for c in columns))
        .where(CommentaryVersion.written_at > after)
        .order_by(CommentaryVersion.written_at, CommentaryVersion.id)
    )
    return pd.DataFrame(session.execute(query).all(), columns=columns)


def sources(*, session: Session) -> list[str]:
    """The kinds of file the store's data came from (loads not undone), sorted."""
    query = select(Load.source).where(Load.undone_at.is_(None)).distinct()
    return sorted(session.scalars(query))
