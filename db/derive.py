"""Every monthly figure counted from stored records, in SQL, one way for every source.

- police.uk street records (`crimes`) give the measures with a `policeuk` mapping: for each
  month, the records of the newest street load that holds it (a republished month replaces the
  earlier rows), with each crime's last outcome (`last_outcome`);
- ASB incident records (incident extracts and the demonstration data) give the measures with
  `from_incidents`, from the load's own records.

Counting happens in the database (GROUP BY month, district and what the measures filter on);
pandas only receives the counts and lays them on one grid (`grid`): every district and month,
zeros included, and for police.uk the rows with no district at force level ("unallocated") so
that force totals equal the records. A percentage is `config.vocabulary.ratio_percent`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select, union_all
from sqlalchemy.orm import Session

from config import Catalogue
from config.models import Measure
from config.vocabulary import TOTAL, UNALLOCATED, Aggregation, Level, QualityFact, ratio_percent
from db.models import AsbIncident, Crime, CrimeOutcome, LoadFact
from db.queries import as_date

OBSERVATION_COLUMNS = [
    "measure_code",
    "level",
    "area_code",
    "month",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "note",
]
COUNT_COLUMNS = ["month", "district_code", "breakdown", "n", "of"]  # see `grid`


def grid(
    counts: pd.DataFrame,
    *,
    measure: Measure,
    months: Iterable[date],
    districts: list[str],
    unallocated: bool,
    by_breakdown: bool,
) -> pd.DataFrame:
    """One measure's observations from its counts: for every month, district (and, with
    `unallocated`, the force-level row of records with no district) and breakdown (TOTAL, and
    with `by_breakdown` each of the measure's breakdown values), zeros included. `counts` has
    COUNT_COLUMNS: `n` records counted and `of` the records they are counted from (a ratio's
    denominator; equal to `n` for a sum); a district_code of None is unallocated."""
    values = measure.breakdown.values if measure.breakdown and by_breakdown else []
    breakdowns = [TOTAL, *values]
    areas: list[str | None] = [*districts, *([None] if unallocated else [])]
    index = pd.MultiIndex.from_product(
        [sorted(set(months)), areas, breakdowns], names=["month", "district_code", "breakdown"]
    )
    keyed = counts.astype({"district_code": object}).set_index(index.names)[["n", "of"]]
    summed = keyed.groupby(level=index.names, dropna=False).sum()
    full = summed.reindex(index, fill_value=0).reset_index()
    allocated = full["district_code"].notna()
    frame = pd.DataFrame(
        {
            "measure_code": measure.code,
            "level": allocated.map({True: Level.DISTRICT, False: Level.FORCE}),
            "area_code": full["district_code"].where(allocated, UNALLOCATED),
            "month": full["month"],
            "breakdown": full["breakdown"],
            "note": None,
        }
    )
    if measure.aggregation == Aggregation.RATIO:
        frame["numerator"] = full["n"].astype(float)
        frame["denominator"] = full["of"].astype(float)
        frame["value"] = ratio_percent(frame["numerator"], frame["denominator"])
    else:
        frame["value"] = full["n"].astype(float)
        frame["numerator"] = frame["denominator"] = None
    return frame[OBSERVATION_COLUMNS]


def _frame(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS)
    return pd.concat(parts, ignore_index=True)


# --- police.uk -------------------------------------------------------------------------------


def last_outcome() -> ColumnElement:
    """A crime's last outcome: the latest from outcomes files (by month, then load, then row),
    else the street file's own. Rows without a Crime ID keep the street file's."""
    latest = (
        select(CrimeOutcome.outcome)
        .where(CrimeOutcome.crime_id == Crime.crime_id)
        .order_by(CrimeOutcome.month.desc(), CrimeOutcome.load_id.desc(), CrimeOutcome.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return case(
        (Crime.crime_id.is_(None), Crime.last_outcome),
        else_=func.coalesce(latest, Crime.last_outcome),
    )


def in_group(catalogue: Catalogue, group: str, outcome: ColumnElement) -> ColumnElement:
    """SQL for membership of an outcome group of config/outcomes.toml (exact, case-sensitive)."""
    definition = catalogue.outcomes[group]
    prefixes = [func.substr(outcome, 1, len(p)) == p for p in definition.prefixes]
    return or_(outcome.in_(definition.values), *prefixes)


def policeuk_measures(catalogue: Catalogue, *, outcomes_only: bool = False) -> list[Measure]:
    """The measures counted from police.uk records (only those that read outcomes, if asked)."""
    return [
        m
        for m in catalogue.measures.measure
        if m.policeuk and (m.policeuk.outcomes or not outcomes_only)
    ]


def newest_street_loads(months: Iterable[date] | None = None):
    """SELECT month, load_id: the street load each month is counted from, the newest that holds
    it, by its records or by its rows at all (a file with no counted rows still replaces the
    month; loads made before data-quality facts were kept hold months by their records).
    Undone loads hold nothing: their records and facts are deleted."""
    records = select(Crime.month.label("month"), Crime.load_id.label("load_id"))
    rows = select(LoadFact.month, LoadFact.load_id).where(LoadFact.fact == QualityFact.ROWS.value)
    if months is not None:  # in each branch, where the indexes on month serve it
        chosen = sorted(set(months))
        records = records.where(Crime.month.in_(chosen))
        rows = rows.where(LoadFact.month.in_(chosen))
    held = union_all(records, rows).subquery()
    stmt = select(held.c.month, func.max(held.c.load_id).label("load_id"))
    return stmt.group_by(held.c.month)


def policeuk_counts(
    *, session: Session, catalogue: Catalogue, months: Iterable[date]
) -> pd.DataFrame:
    """Street records by month, district and crime type, from the newest street load of each
    month: `records`, and per outcome group a column of the records whose last outcome is in
    it. One GROUP BY in the database."""
    groups = sorted({m.policeuk.outcomes for m in policeuk_measures(catalogue, outcomes_only=True)})
    newest = newest_street_loads(months).subquery()
    outcome = last_outcome() if groups else None
    columns = [
        func.count().label("records"),
        *(func.sum(case((in_group(catalogue, g, outcome), 1), else_=0)).label(g) for g in groups),
    ]
    keys = [Crime.month, Crime.district_code, Crime.crime_type]
    stmt = (
        select(*keys, *columns)
        .join(newest, and_(Crime.month == newest.c.month, Crime.load_id == newest.c.load_id))
        .group_by(*keys)
    )
    frame = pd.DataFrame(
        session.execute(stmt).all(),
        columns=["month", "district_code", "crime_type", "records", *groups],
    )
    frame["month"] = frame["month"].map(as_date)
    return frame


def policeuk_observations(
    *,
    session: Session,
    catalogue: Catalogue,
    months: Iterable[date],
    outcomes_only: bool = False,
) -> pd.DataFrame:
    """The police.uk measures' observations for `months` (see the module docstring)."""
    months = sorted(set(months))
    measures = policeuk_measures(catalogue, outcomes_only=outcomes_only)
    if not months or not measures:
        return _frame([])
    counts = policeuk_counts(session=session, catalogue=catalogue, months=months)
    districts = [d.ons_code for d in catalogue.geography.district]
    parts = []
    for measure in measures:
        mapping = measure.policeuk
        rows = counts[counts["crime_type"].isin(mapping.crime_types)]
        counted = rows[mapping.outcomes] if mapping.outcomes else rows["records"]
        of = rows["records"] if measure.aggregation == Aggregation.RATIO else counted
        measure_counts = pd.DataFrame(
            {
                "month": rows["month"],
                "district_code": rows["district_code"],
                "breakdown": TOTAL,
                "n": counted,
                "of": of,
            }
        )
        parts.append(
            grid(
                measure_counts,
                measure=measure,
                months=months,
                districts=districts,
                unallocated=True,
                by_breakdown=False,  # police.uk gives totals only
            )
        )
    return _frame(parts)


def months_touched_by_outcomes(*, session: Session, load_id: int) -> tuple[list[date], int]:
    """The months of stored crimes an outcomes load gives outcomes for, and how many crimes
    (distinct Crime IDs) in the store it gives outcomes for."""
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


# --- ASB incident records --------------------------------------------------------------------

FLAGS = ("vehicle_involved", "repeat_victim", "vulnerable_victim")


def incident_counts(*, session: Session, load_id: int) -> pd.DataFrame:
    """One load's stored incidents counted per month, district, category and flags (columns
    month, district_code, category, the flags, n), in the database."""
    keys = [AsbIncident.month, AsbIncident.district_code, AsbIncident.category]
    flags = [getattr(AsbIncident, f) for f in FLAGS]
    counts = pd.DataFrame(
        session.execute(
            select(*keys, *flags, func.count())
            .where(AsbIncident.load_id == load_id)
            .group_by(*keys, *flags)
        ).all(),
        columns=["month", "district_code", "category", *FLAGS, "n"],
    )
    counts["month"] = counts["month"].map(as_date)
    return counts


def incident_observations(
    *, catalogue: Catalogue, counts: pd.DataFrame, load_id: int
) -> pd.DataFrame:
    """The `from_incidents` measures' observations from one load's incident counts (as
    `incident_counts`), for every month the load holds: a total per district and month
    (zeros included) and, where the measure has a breakdown by ASB category, one row per
    category."""
    measures = [m for m in catalogue.measures.measure if m.from_incidents]
    if counts.empty or not measures:
        return _frame([])
    first, last = counts["month"].min(), counts["month"].max()
    months = pd.date_range(first, last, freq="MS").date
    districts = [d.ons_code for d in catalogue.geography.district]
    parts = []
    for measure in measures:
        flag = measure.from_incidents
        rows = counts if flag == "all" else counts[counts[flag].astype(bool)]
        total = rows.assign(breakdown=TOTAL)
        by_category = [rows.assign(breakdown=rows["category"])] if measure.breakdown else []
        measure_counts = pd.concat([total, *by_category], ignore_index=True)
        measure_counts["of"] = measure_counts["n"]
        parts.append(
            grid(
                measure_counts[COUNT_COLUMNS],
                measure=measure,
                months=months,
                districts=districts,
                unallocated=False,
                by_breakdown=True,
            )
        )
    frame = _frame(parts)
    return frame.assign(load_id=load_id)
