"""Reads about the quality of police.uk data: facts per month of the loads the dashboard
counts, and the revision history of republished months."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from config.vocabulary import FileLayout, QualityFact
from db.derive import newest_street_loads
from db.models import Load, LoadFact, Revision, RevisionChange
from db.queries import as_date

OUTCOMES = FileLayout.POLICEUK_OUTCOMES


def quality_facts(*, session: Session) -> pd.DataFrame:
    """Data-quality facts per month: those of the street load each month is counted from
    (`db.derive.newest_street_loads`), and the outcome rows of the newest outcomes load of each
    month. Columns: month, fact, count, load_id (of the street load; empty for outcomes).
    Every month a street load holds is present: with no facts (only `load_id`) when that load
    was made before data-quality facts were kept."""
    newest = newest_street_loads().subquery()
    street = pd.DataFrame(
        session.execute(
            select(newest.c.month, LoadFact.fact, LoadFact.count, newest.c.load_id).outerjoin(
                LoadFact,
                and_(LoadFact.load_id == newest.c.load_id, LoadFact.month == newest.c.month),
            )
        ).all(),
        columns=["month", "fact", "count", "load_id"],
    )
    latest = (
        select(LoadFact.month, func.max(LoadFact.load_id).label("load_id"))
        .join(Load, Load.id == LoadFact.load_id)
        .where(Load.kind == OUTCOMES, LoadFact.fact == QualityFact.OUTCOME_ROWS.value)
        .group_by(LoadFact.month)
        .subquery()
    )
    outcomes = pd.DataFrame(
        session.execute(
            select(LoadFact.month, LoadFact.fact, LoadFact.count).join(
                latest,
                and_(LoadFact.load_id == latest.c.load_id, LoadFact.month == latest.c.month),
            )
        ).all(),
        columns=["month", "fact", "count"],
    ).assign(load_id=None)
    frame = pd.concat([street, outcomes], ignore_index=True)
    frame["month"] = frame["month"].map(as_date)
    return frame


def street_months(*, session: Session) -> list:
    """Every month some street load holds, in order."""
    newest = newest_street_loads().subquery()
    return sorted({as_date(m) for m in session.scalars(select(newest.c.month))})


def revision_history(*, session: Session) -> pd.DataFrame:
    """Every republished month, newest first. Columns: month, load_id, loaded_at, loaded_by,
    file_name, replaced_load_id, rows_before, rows_after, records_added, records_removed,
    figures_changed, undone_at."""
    changed = (
        select(RevisionChange.load_id, RevisionChange.month, func.count().label("n"))
        .group_by(RevisionChange.load_id, RevisionChange.month)
        .subquery()
    )
    load = aliased(Load)
    stmt = (
        select(
            Revision.month,
            Revision.load_id,
            load.loaded_at,
            load.loaded_by,
            load.file_name,
            Revision.replaced_load_id,
            Revision.rows_before,
            Revision.rows_after,
            Revision.records_added,
            Revision.records_removed,
            func.coalesce(changed.c.n, 0),
            load.undone_at,
        )
        .join(load, load.id == Revision.load_id)
        .outerjoin(
            changed,
            (changed.c.load_id == Revision.load_id) & (changed.c.month == Revision.month),
        )
        .order_by(Revision.month.desc(), Revision.load_id.desc())
    )
    columns = [
        "month",
        "load_id",
        "loaded_at",
        "loaded_by",
        "file_name",
        "replaced_load_id",
        "rows_before",
        "rows_after",
        "records_added",
        "records_removed",
        "figures_changed",
        "undone_at",
    ]
    frame = pd.DataFrame(session.execute(stmt).all(), columns=columns)
    frame["month"] = frame["month"].map(as_date)
    return frame


def revision_changes(*, session: Session, load_id: int) -> pd.DataFrame:
    """The figures one revision changed. Columns: month, measure, level, area_code, before,
    after."""
    stmt = select(
        RevisionChange.month,
        RevisionChange.measure_code,
        RevisionChange.level,
        RevisionChange.area_code,
        RevisionChange.before,
        RevisionChange.after,
    ).where(RevisionChange.load_id == load_id)
    frame = pd.DataFrame(
        session.execute(stmt.order_by(RevisionChange.measure_code, RevisionChange.area_code)).all(),
        columns=["month", "measure", "level", "area_code", "before", "after"],
    )
    frame["month"] = frame["month"].map(as_date)
    return frame
