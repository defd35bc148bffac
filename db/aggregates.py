"""Maintained aggregates of ASB incidents (`incident_cells`, `incident_months`): written in the
same transaction as a load's incidents, removed with them, and read instead of the incident
rows by the Time patterns page and the store summary. `manage.py check` recounts them from the
incidents (`recount`) and reports any difference."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, insert, select
from sqlalchemy.orm import Session

from db.models import AsbIncident, IncidentCell, IncidentMonth

CELL_COLUMNS = ["load_id", "month", "district_code", "hour", "weekday", "count"]
MONTH_COLUMNS = ["load_id", "month", "rows"]


def _cells(load_id: int | None = None):
    stmt = select(
        AsbIncident.load_id,
        AsbIncident.month,
        AsbIncident.district_code,
        AsbIncident.hour,
        AsbIncident.weekday,
        func.count(),
    ).where(AsbIncident.hour.is_not(None))
    if load_id is not None:
        stmt = stmt.where(AsbIncident.load_id == load_id)
    return stmt.group_by(
        AsbIncident.load_id,
        AsbIncident.month,
        AsbIncident.district_code,
        AsbIncident.hour,
        AsbIncident.weekday,
    )


def _months(load_id: int | None = None):
    stmt = select(AsbIncident.load_id, AsbIncident.month, func.count())
    if load_id is not None:
        stmt = stmt.where(AsbIncident.load_id == load_id)
    return stmt.group_by(AsbIncident.load_id, AsbIncident.month)


def add_load(*, session: Session, load_id: int) -> None:
    """Count a load's incidents, just written, into the aggregates (one pass over its rows,
    in the database)."""
    session.execute(insert(IncidentCell).from_select(CELL_COLUMNS, _cells(load_id)))
    session.execute(insert(IncidentMonth).from_select(MONTH_COLUMNS, _months(load_id)))


def newest_loads():
    """SQL: each month with incidents and the newest load holding any (the load shown)."""
    return (
        select(IncidentMonth.month, func.max(IncidentMonth.load_id).label("load_id"))
        .group_by(IncidentMonth.month)
        .subquery()
    )


def shown_incidents(*, session: Session) -> int:
    """ASB incident rows shown (of each month's newest load), from the aggregate."""
    newest = newest_loads()
    total = session.scalar(
        select(func.sum(IncidentMonth.rows)).join(
            newest,
            and_(newest.c.month == IncidentMonth.month, newest.c.load_id == IncidentMonth.load_id),
        )
    )
    return int(total or 0)


def recount(*, session: Session) -> list[str]:
    """Every difference between the stored aggregates and a fresh count from the incidents,
    in words (none when they agree)."""
    problems = []
    for name, stmt, model, columns in (
        ("incident_cells", _cells(), IncidentCell, CELL_COLUMNS),
        ("incident_months", _months(), IncidentMonth, MONTH_COLUMNS),
    ):
        fresh = pd.DataFrame(session.execute(stmt).all(), columns=columns)
        kept = pd.DataFrame(
            session.execute(select(*(getattr(model, c) for c in columns))).all(),
            columns=columns,
        )
        keys = columns[:-1]
        both = fresh.merge(kept, on=keys, how="outer", suffixes=("_fresh", "_kept"))
        value = columns[-1]
        differ = both[both[f"{value}_fresh"].fillna(0) != both[f"{value}_kept"].fillna(0)]
        if len(differ):
            first = differ.iloc[0]
            problems.append(
                f"{name}: {len(differ):,} row(s) differ from the incidents, for example load "
                f"{first['load_id']} month {first['month']}: {first[f'{value}_kept']} stored, "
                f"{first[f'{value}_fresh']} counted"
            )
    return problems
