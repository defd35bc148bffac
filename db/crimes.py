"""Shoplifting figures counted in the database from police.uk crimes and their outcomes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, case, distinct, func, or_, select
from sqlalchemy.orm import Session

from config import Catalogue
from db.models import UNALLOCATED, Crime, CrimeOutcome
from db.queries import as_date

SHOPLIFTING_MEASURES = (
    "shoplifting_recorded",
    "shoplifting_positive_outcomes",
    "shoplifting_positive_outcome_rate",
)


def last_outcome() -> ColumnElement:
    """A crime's last outcome: the latest from outcomes files (by month, then load), else the
    street file's own."""
    latest = (
        select(CrimeOutcome.outcome)
        .where(CrimeOutcome.crime_id == Crime.crime_id)
        .order_by(CrimeOutcome.month.desc(), CrimeOutcome.load_id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, Crime.last_outcome)


def is_positive(catalogue: Catalogue, outcome: ColumnElement) -> ColumnElement:
    """SQL for config/outcomes.toml's positive-outcome definition (exact, case-sensitive)."""
    definition = catalogue.outcomes.shoplifting_positive
    prefixes = [func.substr(outcome, 1, len(p)) == p for p in definition.prefixes]
    return or_(outcome.in_(definition.values), *prefixes)


def shoplifting_observations(
    *, session: Session, catalogue: Catalogue, months: Iterable[date], measures=SHOPLIFTING_MEASURES
) -> pd.DataFrame:
    """Recorded shoplifting, positive outcomes and the positive-outcome rate for each month,
    each district (zeros included) and the unallocated crimes at force level. Each month is
    counted from the newest street load that holds it, so a month loaded twice counts once."""
    months = sorted(set(months))
    districts = [d.ons_code for d in catalogue.geography.district]
    positive = case((is_positive(catalogue, last_outcome()), 1), else_=0)
    newest = dict(
        session.execute(
            select(Crime.month, func.max(Crime.load_id))
            .where(Crime.month.in_(months))
            .group_by(Crime.month)
        ).all()
    )
    counts: dict[tuple[date, str | None], tuple[int, int]] = {}
    for month, load_id in newest.items():
        for district, recorded, positives in session.execute(
            select(Crime.district_code, func.count(), func.sum(positive))
            .where(Crime.month == month, Crime.load_id == load_id)
            .group_by(Crime.district_code)
        ).all():
            counts[(as_date(month), district)] = (recorded, positives or 0)
    rows = []
    for month in months:
        for area in [*districts, None]:
            recorded, positives = counts.get((month, area), (0, 0))
            base = {
                "level": "district" if area else "force",
                "area_code": area or UNALLOCATED,
                "month": month,
                "breakdown": "total",
                "note": None,
            }
            values = {
                "shoplifting_recorded": (recorded, None, None),
                "shoplifting_positive_outcomes": (positives, None, None),
                "shoplifting_positive_outcome_rate": (
                    100 * positives / recorded if recorded else 0.0,
                    positives,
                    recorded,
                ),
            }
            for code in measures:
                value, numerator, denominator = values[code]
                rows.append(
                    {
                        **base,
                        "measure_code": code,
                        "value": float(value),
                        "numerator": numerator,
                        "denominator": denominator,
                    }
                )
    return pd.DataFrame(rows)


def months_touched_by_outcomes(*, session: Session, load_id: int) -> tuple[list[date], int]:
    """The months of crimes (and of outcomes) an outcomes load touches, and how many crimes
    in the store it gives outcomes for."""
    crime_months = session.execute(
        select(Crime.month)
        .join(CrimeOutcome, CrimeOutcome.crime_id == Crime.crime_id)
        .where(CrimeOutcome.load_id == load_id)
        .distinct()
    ).scalars()
    matched = session.scalar(
        select(func.count(distinct(CrimeOutcome.crime_id)))
        .join(Crime, Crime.crime_id == CrimeOutcome.crime_id)
        .where(CrimeOutcome.load_id == load_id)
    )
    return sorted({as_date(m) for m in crime_months}), matched or 0
