"""Reads about the quality of police.uk data: facts per month of the loads the dashboard
counts, and the revision history of republished months."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.models import Load, LoadFact, Revision, RevisionChange
from db.queries import as_date

STREET, OUTCOMES = "policeuk-street", "policeuk-outcomes"


def quality_facts(*, session: Session) -> pd.DataFrame:
    """Data-quality facts per month: those of the newest street load (not undone) of each
    month, which is the one counted, plus the outcome rows of every outcomes load.
    Columns: month, fact, count, load_id (the street load counted; empty for outcomes)."""
    active = select(LoadFact.load_id, LoadFact.month, LoadFact.fact, LoadFact.count, Load.kind)
    active = active.join(Load, Load.id == LoadFact.load_id).where(Load.undone_at.is_(None))
    rows = pd.DataFrame(
        session.execute(active).all(), columns=["load_id", "month", "fact", "count", "kind"]
    )
    if rows.empty:
        return pd.DataFrame(columns=["month", "fact", "count", "load_id"])
    rows["month"] = rows["month"].map(as_date)
    street = rows[rows["kind"] == STREET]
    newest = street.groupby("month")["load_id"].transform("max")
    counted = street[street["load_id"] == newest]
    outcomes = rows[rows["kind"] == OUTCOMES].assign(load_id=None)
    outcomes = outcomes.groupby(["month", "fact"], as_index=False)["count"].sum()
    return pd.concat(
        [counted[["month", "fact", "count", "load_id"]], outcomes.assign(load_id=None)],
        ignore_index=True,
    )


def street_months(*, session: Session) -> list:
    """Every month some street load (not undone) holds, in order."""
    months = session.scalars(
        select(LoadFact.month)
        .join(Load, Load.id == LoadFact.load_id)
        .where(Load.undone_at.is_(None), Load.kind == STREET)
        .distinct()
    ).all()
    return sorted({as_date(m) for m in months})


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
