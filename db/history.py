"""Reads about loads rather than about measures: history, what a file would change,
completeness, and the same figure from different sources side by side."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, false, func, select, true
from sqlalchemy.orm import Session

from config import Catalogue
from config.areascope import EVERY_AREA, AreaScope
from config.vocabulary import Aggregation, Level
from db.models import TOTAL, Load, Observation
from db.priority import KEY, rank_of

HISTORY_COLUMNS = [
    "id",
    "loaded_at",
    "loaded_by",
    "kind",
    "source",
    "file_name",
    "rows",
    "first_month",
    "last_month",
    "is_demo",
    "undone_at",
    "undone_by",
    "summary",
]


def load_history(*, session: Session) -> pd.DataFrame:
    """Every load, undone ones included, newest first."""
    columns = [getattr(Load, c) for c in HISTORY_COLUMNS]
    rows = session.execute(select(*columns).order_by(Load.id.desc())).all()
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def shown_figures(*, session: Session, measures: list[str], start: date, end: date) -> pd.DataFrame:
    """The figures the dashboard shows now for `measures` and months `start`-`end`, with the
    source and load they come from. Columns: the observation key, value, source, load_id."""
    stmt = (
        select(
            *(getattr(Observation, c) for c in KEY),
            Observation.value,
            Load.source,
            Observation.load_id,
        )
        .join(Load, Load.id == Observation.load_id)
        .where(
            Observation.shown.is_(True),
            Observation.measure_code.in_(measures),
            Observation.month >= start,
            Observation.month <= end,
        )
    )
    frame = pd.DataFrame(session.execute(stmt).all(), columns=[*KEY, "value", "source", "load_id"])
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def preview(
    *, session: Session, catalogue: Catalogue, observations: pd.DataFrame, source: str
) -> pd.DataFrame:
    """What loading `observations` from `source` would change, per measure and month:
    figures in the file, how many are new, replace a figure (and how many of those change
    it), or would be held back because a higher-priority source covers the month."""
    if observations.empty:
        return pd.DataFrame(
            columns=["measure", "month", "figures", "new", "replace", "change", "held back by"]
        )
    now = shown_figures(
        session=session,
        measures=sorted(observations["measure_code"].unique()),
        start=min(observations["month"]),
        end=max(observations["month"]),
    )
    merged = observations.merge(now, on=list(KEY), how="left", suffixes=("", "_now"))
    merged["new"] = merged["source"].isna()
    ahead = merged.apply(
        lambda r: (
            pd.notna(r["source"])
            and rank_of(catalogue, r["measure_code"], r["source"])
            < rank_of(catalogue, r["measure_code"], source)
        ),
        axis=1,
    )
    merged["held"] = ahead.astype(bool)
    merged["replace"] = ~merged["new"] & ~merged["held"]
    same = np.isclose(
        merged["value"].astype(float), merged["value_now"].astype(float), equal_nan=True
    )
    merged["change"] = merged["replace"] & ~same
    merged["held_by"] = merged["source"].where(merged["held"], "")
    table = merged.groupby(["measure_code", "month"], sort=True).agg(
        figures=("value", "size"),
        new=("new", "sum"),
        replace=("replace", "sum"),
        change=("change", "sum"),
        held_by=("held_by", lambda s: ", ".join(sorted({v for v in s if v}))),
    )
    return table.reset_index().rename(
        columns={"measure_code": "measure", "held_by": "held back by"}
    )


def completeness(
    *, session: Session, start: date, end: date, scope: AreaScope = EVERY_AREA
) -> pd.DataFrame:
    """Which districts (of those `scope` may see) have a shown figure for each measure and
    month (totals only). Columns: measure, month, area_code."""
    stmt = (
        select(Observation.measure_code, Observation.month, Observation.area_code)
        .where(
            Observation.shown.is_(True),
            Observation.level == Level.DISTRICT,
            Observation.breakdown == TOTAL,
            Observation.month >= start,
            Observation.month <= end,
            *([] if scope.is_wide else [Observation.area_code.in_(sorted(scope.codes))]),
        )
        .distinct()
    )
    frame = pd.DataFrame(session.execute(stmt).all(), columns=["measure", "month", "area_code"])
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def by_source(
    *,
    session: Session,
    measure: str,
    aggregation: str,
    start: date,
    end: date,
    scope: AreaScope = EVERY_AREA,
) -> pd.DataFrame:
    """One measure's force-wide monthly figure from each source that gives it (the newest load
    per area within each source), and whether it is the one shown; none for a limited `scope`
    (a force-wide figure pools other areas). Columns: month, source, value, shown."""
    newest = (
        select(
            Observation.month,
            Observation.value,
            Observation.numerator,
            Observation.denominator,
            Observation.shown,
            Load.source,
            func.row_number()
            .over(
                partition_by=[*(getattr(Observation, c) for c in KEY), Load.source],
                order_by=Observation.load_id.desc(),
            )
            .label("newest"),
        )
        .join(Load, Load.id == Observation.load_id)
        .where(
            Observation.measure_code == measure,
            Observation.breakdown == TOTAL,
            Observation.month >= start,
            Observation.month <= end,
        )
        .subquery()
    )
    if aggregation == Aggregation.SUM:
        value = func.sum(newest.c.value)
    else:
        value = (
            100.0 * func.sum(newest.c.numerator) / func.nullif(func.sum(newest.c.denominator), 0)
        )
    stmt = (
        select(
            newest.c.month,
            newest.c.source,
            value,
            func.max(case((newest.c.shown.is_(True), 1), else_=0)),
        )
        .where(and_(newest.c.newest == 1), true() if scope.is_wide else false())
        .group_by(newest.c.month, newest.c.source)
        .order_by(newest.c.month, newest.c.source)
    )
    frame = pd.DataFrame(session.execute(stmt).all(), columns=["month", "source", "value", "shown"])
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["shown"] = frame["shown"].astype(bool)
    return frame
