"""Maintained aggregates of ASB incidents (`incident_hours`, `incident_months`): written in the
same transaction as a load's incidents, removed with them, and read instead of the incident
rows by the Time patterns page and the store summary. `manage.py check` recounts them from the
incidents (`recount`) and reports any difference."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, insert, select
from sqlalchemy.orm import Session

from config.vocabulary import Level
from db.loads import bulk_insert
from db.models import AsbIncident, District, IncidentHours, IncidentMonth, Load

HOURS, WEEKDAYS = 24, 7
COUNT = np.dtype("<u4")  # how each of the 168 counts is stored
CELL_COLUMNS = ["month", "district_code", "hour", "weekday", "count"]
MONTH_COLUMNS = ["load_id", "month", "rows"]


@dataclass(frozen=True)
class IncidentCounts:
    """A load's incidents counted as they were checked: `cells` (month, district_code, hour,
    weekday, count), `months` (month, rows) and `flags` (month, district_code, category, the
    three flags, n), zeros left out."""

    cells: pd.DataFrame
    months: pd.DataFrame
    flags: pd.DataFrame

    @property
    def rows(self) -> int:
        return int(self.months["rows"].sum())


def encode(grid: np.ndarray) -> bytes:
    """24 x 7 counts (hour, weekday: 0 = Monday) as stored in `incident_hours.counts`."""
    return np.ascontiguousarray(grid, dtype=COUNT).tobytes()


def decode(counts: bytes) -> np.ndarray:
    return np.frombuffer(counts, dtype=COUNT).reshape(HOURS, WEEKDAYS).astype(np.int64)


def hour_rows(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells (CELL_COLUMNS, any extra key columns first) as one row of encoded counts per
    month and district (and the extra keys)."""
    keys = [c for c in cells.columns if c not in ("hour", "weekday", "count")]
    rows = []
    for key, group in cells.groupby(keys, dropna=False, sort=True):
        grid = np.zeros((HOURS, WEEKDAYS), np.int64)
        np.add.at(
            grid,
            (group["hour"].to_numpy(int), group["weekday"].to_numpy(int)),
            group["count"].to_numpy(int),
        )
        rows.append((*key, encode(grid)))
    return pd.DataFrame(rows, columns=[*keys, "counts"])


def grid_cells(grid: np.ndarray) -> pd.DataFrame:
    """24 x 7 counts as cells: hour, weekday, count (zeros left out)."""
    hour, weekday = np.nonzero(grid)
    return pd.DataFrame({"hour": hour, "weekday": weekday, "count": grid[hour, weekday]})


def cells_of(rows: pd.DataFrame) -> pd.DataFrame:
    """Encoded rows back to cells (zeros left out), keeping the other columns."""
    keys = [c for c in rows.columns if c != "counts"]
    parts = [
        grid_cells(decode(counts)).assign(**dict(zip(keys, values, strict=True)))
        for values, counts in zip(rows[keys].itertuples(index=False), rows["counts"], strict=True)
    ]
    columns = [*keys, "hour", "weekday", "count"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def _cells(load_id: int | None = None):
    """SQL: incidents with a time of day, counted by load, month, district, hour, weekday."""
    keys = (AsbIncident.load_id, AsbIncident.month, AsbIncident.district_code,
            AsbIncident.hour, AsbIncident.weekday)  # fmt: skip
    stmt = select(*keys, func.count()).where(AsbIncident.hour.is_not(None))
    if load_id is not None:
        stmt = stmt.where(AsbIncident.load_id == load_id)
    return stmt.group_by(*keys)


def _months(load_id: int | None = None):
    stmt = select(AsbIncident.load_id, AsbIncident.month, func.count())
    if load_id is not None:
        stmt = stmt.where(AsbIncident.load_id == load_id)
    return stmt.group_by(AsbIncident.load_id, AsbIncident.month)


def _counted(session: Session, load_id: int | None = None) -> pd.DataFrame:
    return pd.DataFrame(session.execute(_cells(load_id)).all(), columns=["load_id", *CELL_COLUMNS])


def add_load(*, session: Session, load_id: int) -> None:
    """Count a load's incidents, just written, into the aggregates (in the database)."""
    cells = _counted(session, load_id).drop(columns="load_id")
    _write_hours(session, load_id, cells)
    session.execute(insert(IncidentMonth).from_select(MONTH_COLUMNS, _months(load_id)))


def add_counts(*, session: Session, load_id: int, counts: IncidentCounts) -> None:
    """Write a load's aggregates from the counts made while its rows were checked."""
    _write_hours(session, load_id, counts.cells)
    months = counts.months.assign(load_id=load_id)[MONTH_COLUMNS]
    bulk_insert(session=session, table=IncidentMonth.__table__, frame=months)


def _write_hours(session: Session, load_id: int, cells: pd.DataFrame) -> None:
    rows = hour_rows(cells[CELL_COLUMNS]).assign(load_id=load_id)
    bulk_insert(session=session, table=IncidentHours.__table__, frame=rows)


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
    stored_hours = pd.DataFrame(
        session.execute(
            select(
                IncidentHours.load_id,
                IncidentHours.month,
                IncidentHours.district_code,
                IncidentHours.counts,
            )
        ).all(),
        columns=["load_id", "month", "district_code", "counts"],
    )
    problems = []
    for name, fresh, kept, columns in (
        ("incident_hours", _counted(session), cells_of(stored_hours), ["load_id", *CELL_COLUMNS]),
        (
            "incident_months",
            pd.DataFrame(session.execute(_months()).all(), columns=MONTH_COLUMNS),
            pd.DataFrame(
                session.execute(select(*(getattr(IncidentMonth, c) for c in MONTH_COLUMNS))).all(),
                columns=MONTH_COLUMNS,
            ),
            MONTH_COLUMNS,
        ),
    ):
        problems += _differences(name, fresh, kept, columns)
    return problems + unlinked(session=session)


def unlinked(*, session: Session) -> list[str]:
    """Incident rows of a load or district the store does not hold, in words (the table has
    no foreign keys: see `db.models.AsbIncident`)."""
    problems = []
    for column, known, what in (
        (AsbIncident.load_id, select(Load.id), "load"),
        (AsbIncident.district_code, select(District.ons_code), Level.DISTRICT),
    ):
        found = session.execute(
            select(column, func.count())
            .where(column.is_not(None), column.not_in(known))
            .group_by(column)
            .order_by(column)
        ).all()
        if found:
            named = ", ".join(f"{value} ({count:,} rows)" for value, count in found)
            problems.append(f"asb_incidents: rows of an unknown {what}: {named}")
    return problems


def _differences(name: str, fresh: pd.DataFrame, kept: pd.DataFrame, columns: list[str]) -> list:
    keys, value = columns[:-1], columns[-1]
    fresh = fresh.astype({value: "int64"})
    kept = kept.astype({value: "int64"})
    for frame in (fresh, kept):
        frame["month"] = pd.to_datetime(frame["month"]).dt.date
        if "district_code" in frame:
            frame["district_code"] = frame["district_code"].astype(object).fillna("")
    both = fresh.merge(kept, on=keys, how="outer", suffixes=("_fresh", "_kept"))
    differ = both[both[f"{value}_fresh"].fillna(0) != both[f"{value}_kept"].fillna(0)]
    if differ.empty:
        return []
    first = differ.iloc[0]
    return [
        f"{name}: {len(differ):,} count(s) differ from the incidents, for example load "
        f"{first['load_id']} month {first['month']}: {first[f'{value}_kept']} stored, "
        f"{first[f'{value}_fresh']} counted"
    ]
