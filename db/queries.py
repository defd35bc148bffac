"""Read queries. Every figure is aggregated in the database; pandas only receives the result.

Count measures are recorded at district level and roll up by summing; ratio and survey measures
roll up by summing numerators and denominators (never by averaging percentages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import overload

import numpy as np
import pandas as pd
from sqlalchemy import Select, and_, case, false, func, literal, select
from sqlalchemy.orm import Session

from config import FORCE_AREA, Catalogue
from config.areascope import EVERY_AREA, AreaScope
from config.vocabulary import Aggregation, Level, QualityFact, publication_month
from db import aggregates
from db.models import TOTAL, District, IncidentHours, Load, LoadFact, Measure, Observation

LEVELS = (Level.FORCE, Level.DIVISION, Level.DISTRICT)
MONTHLY_COLUMNS = [
    "measure", "level", "area", "month", "value", "numerator", "denominator", "published",
]  # fmt: skip
EXPORT_COLUMNS = MONTHLY_COLUMNS[:-1]


def _area_column(level: str):
    if level == Level.DISTRICT:
        return District.name
    if level == Level.DIVISION:
        return District.division
    if level == Level.FORCE:
        return None
    raise ValueError(f"unknown level {level!r}: choose one of {', '.join(LEVELS)}")


def in_scope(area, scope: AreaScope):
    """SQL: the condition that keeps only the areas `scope` may see (`config.areascope`): for
    a limited scope, area names in it, and never the force total (`area` None)."""
    if scope.is_wide:
        return literal(True)
    return false() if area is None else area.in_(sorted(scope.names))


def monthly_values(
    *,
    session: Session,
    level: str,
    measures: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    breakdown: str = TOTAL,
    areas: list[str] | None = None,
    scope: AreaScope = EVERY_AREA,
) -> pd.DataFrame:
    """Monthly values per measure and area at `level`, from `start` to `end` months inclusive,
    for every area of the level or only `areas` (names at that level), of the areas `scope`
    may see (`config.areascope`: a limited scope never gets the force total).

    Columns: measure, level, area, month (first day), value, numerator, denominator, and
    `published`: the police.uk publication (first day of its month) of the load the shown
    figures of a month came from (a street file, or an outcomes file that brought later
    outcomes), the earliest if the areas' came from several; NaT for other sources and loads
    made before publications were recorded (`ingest.load`).
    """
    area = _area_column(level)
    numerator = func.sum(Observation.numerator)
    denominator = func.sum(Observation.denominator)
    value = case(
        (Measure.aggregation == Aggregation.SUM, func.sum(Observation.value)),
        else_=100.0 * numerator / func.nullif(denominator, 0),
    )
    area_label = (area if area is not None else literal(FORCE_AREA)).label("area")
    conditions = [
        Observation.shown.is_(True),
        Observation.breakdown == breakdown,
        # force totals include the unallocated rows kept at force level
        Observation.level.in_([Level.DISTRICT, Level.FORCE] if area is None else [Level.DISTRICT]),
        in_scope(area, scope),
    ]
    if measures:
        conditions.append(Observation.measure_code.in_(measures))
    if start:
        conditions.append(Observation.month >= start)
    if end:
        conditions.append(Observation.month <= end)
    if area is not None:
        conditions.append(District.ons_code.is_not(None))
        if areas:
            conditions.append(area.in_(areas))
    groups = [Observation.measure_code, Measure.aggregation, Observation.month]
    if area is not None:
        groups.append(area)
    published = (  # one row per load: a load's months share its publication
        select(LoadFact.load_id, func.max(LoadFact.count).label("code"))
        .where(LoadFact.fact == QualityFact.PUBLISHED.value)
        .group_by(LoadFact.load_id)
        .subquery()
    )
    stmt: Select = (
        select(
            Observation.measure_code.label("measure"),
            area_label,
            Observation.month,
            value.label("value"),
            numerator.label("numerator"),
            denominator.label("denominator"),
            func.min(published.c.code).label("published"),
        )
        .join(Measure, Measure.code == Observation.measure_code)
        .outerjoin(District, District.ons_code == Observation.area_code)
        .outerjoin(published, published.c.load_id == Observation.load_id)
        .where(and_(*conditions))
        .group_by(*groups)
        .order_by(Observation.measure_code, area_label, Observation.month)
    )
    frame = pd.DataFrame(
        session.execute(stmt).all(),
        columns=["measure", "area", "month", "value", "numerator", "denominator", "published"],
    )
    frame.insert(1, "level", level)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["published"] = pd.to_datetime(frame["published"].map(publication_month))
    return frame[MONTHLY_COLUMNS]


def breakdown_totals(
    *,
    session: Session,
    measure: str,
    level: str,
    area: str,
    start: date,
    end: date,
    scope: AreaScope = EVERY_AREA,
) -> pd.DataFrame:
    """A measure's breakdown categories summed over months `start`-`end` for one area (none
    when `scope` may not see it). Columns: breakdown, value (count measures only)."""
    area_column = _area_column(level)
    stmt = (
        select(Observation.breakdown, func.sum(Observation.value))
        .outerjoin(District, District.ons_code == Observation.area_code)
        .where(
            Observation.measure_code == measure,
            Observation.breakdown != TOTAL,
            Observation.shown.is_(True),
            Observation.level.in_(
                [Level.DISTRICT, Level.FORCE] if area_column is None else [Level.DISTRICT]
            ),
            Observation.month >= start,
            Observation.month <= end,
            in_scope(area_column, scope),
        )
        .group_by(Observation.breakdown)
    )
    if area_column is not None:
        stmt = stmt.where(area_column == area)
    return pd.DataFrame(session.execute(stmt).all(), columns=["breakdown", "value"])


def data_version(*, session: Session) -> str:
    """Changes whenever a load is added or removed: the key that invalidates page caches."""
    count, newest, last, undone = session.execute(
        select(
            func.count(Load.id),
            func.max(Load.id),
            func.max(Load.loaded_at),
            func.max(Load.undone_at),
        )
    ).one()
    return f"{count}:{newest}:{last}:{undone}"


def hour_weekday_counts(
    *, session: Session, level: str, start: date, end: date, scope: AreaScope = EVERY_AREA
) -> pd.DataFrame:
    """ASB incidents by area, hour (0-23) and weekday (0 = Monday) for months `start`-`end`,
    from the maintained aggregate (`db.aggregates`) of each month's shown load: a few hundred
    rows of 168 counts each, added up here. Incidents without a time of day are left out.
    Only the areas `scope` may see. Columns: area, hour, weekday, count (none left out)."""
    area = _area_column(level)
    area_label = (area if area is not None else literal(FORCE_AREA)).label("area")
    hours = IncidentHours
    newest = aggregates.newest_loads()
    stmt = (
        select(area_label, hours.counts)
        .join(newest, and_(newest.c.month == hours.month, newest.c.load_id == hours.load_id))
        .outerjoin(District, District.ons_code == hours.district_code)
        .where(hours.month >= start, hours.month <= end, in_scope(area, scope))
    )
    if area is not None:
        stmt = stmt.where(District.ons_code.is_not(None))
    totals: dict[str, np.ndarray] = {}
    for name, counts in session.execute(stmt):
        grid = aggregates.decode(counts)
        totals[name] = totals[name] + grid if name in totals else grid
    parts = [aggregates.grid_cells(grid).assign(area=name) for name, grid in totals.items()]
    columns = ["area", "hour", "weekday", "count"]
    if not parts:
        return pd.DataFrame(columns=columns).astype({"count": int})
    frame = pd.concat(parts, ignore_index=True)[columns]
    frame["count"] = frame["count"].astype(int)
    return frame


@dataclass(frozen=True)
class StoreSummary:
    """What every page says about the data: how recent, when loaded, and whether it is demo."""

    loads: int
    observations: int
    incidents: int
    first_month: date | None
    latest_month: date | None
    last_loaded_at: datetime | None
    has_demo: bool
    has_real: bool

    @property
    def is_empty(self) -> bool:
        return self.loads == 0


def store_summary(*, session: Session) -> StoreSummary:
    """Counts and dates of what is in the store (a handful of aggregate queries)."""
    loads, last_loaded, demo_loads = session.execute(
        select(
            func.count(Load.id),
            func.max(Load.loaded_at),
            func.sum(case((Load.is_demo.is_(True), 1), else_=0)),
        ).where(Load.undone_at.is_(None))
    ).one()
    observations, first_month, latest_month = session.execute(
        select(
            func.count(Observation.id), func.min(Observation.month), func.max(Observation.month)
        ).where(Observation.shown.is_(True))
    ).one()
    incidents = aggregates.shown_incidents(session=session)
    return StoreSummary(
        loads=loads,
        observations=observations,
        incidents=incidents or 0,
        first_month=as_date(first_month),
        latest_month=as_date(latest_month),
        last_loaded_at=last_loaded,
        has_demo=bool(demo_loads),
        has_real=loads > (demo_loads or 0),
    )


def months_with_data(*, session: Session) -> list[date]:
    """Every month with a figure shown in the store, oldest first (a month with no file, a
    gap, is not among them)."""
    found = session.execute(
        select(Observation.month)
        .where(Observation.shown.is_(True))
        .distinct()
        .order_by(Observation.month)
    ).scalars()
    return [as_date(m) for m in found]


@overload
def as_date(value: date | str) -> date: ...
@overload
def as_date(value: None) -> None: ...
def as_date(value: date | str | None) -> date | None:
    """A month from the database as a date (SQLite may hand back text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def export_values(
    *,
    session: Session,
    catalogue: Catalogue,
    measures: list[str] | None = None,
    levels: list[str] | None = None,
    areas: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    scope: AreaScope = EVERY_AREA,
) -> pd.DataFrame:
    """Monthly values of `measures` (default every measure) at `levels` (default every level),
    in catalogue, level and geography order: the rows of `manage.py export` and of the board
    pack's workbook. `areas` keeps only those areas; `scope` only those it may see."""
    frames = [
        monthly_values(
            session=session, level=level, measures=measures, start=start, end=end, scope=scope
        )
        for level in (levels or list(LEVELS))
    ]
    frame = pd.concat(frames, ignore_index=True)
    if areas is not None:
        frame = frame[frame["area"].isin(areas)]
    order = {code: i for i, code in enumerate(catalogue.measure_by_code)}
    places = {name: i for i, name in enumerate(catalogue.area_names())}
    frame = frame.assign(
        _m=frame["measure"].map(order),
        _l=frame["level"].map(LEVELS.index),
        _a=frame["area"].map(places),
    )
    ordered = frame.sort_values(["_m", "_l", "_a", "month"])
    return ordered[EXPORT_COLUMNS].reset_index(drop=True)
