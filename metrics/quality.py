"""The quality of police.uk data month by month: one row per month, and the months missing
from the series (pure pandas: the facts come from `db.quality`)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from config.vocabulary import QualityFact as F
from metrics.periods import months_between

COLUMNS = (
    F.ROWS,
    F.KEPT,
    F.NO_LOCATION,
    F.UNRECOGNISED_CODE,
    F.OUTSIDE,
    F.REPEATED,
    F.LSOA_2011,
    F.LSOA_2021,
    F.OTHER_FORCES,
    F.OUTCOME_ROWS,
    F.PUBLISHED,  # a month as YYYYMM, not a count: 0 where not recorded
)


def missing_months(present: list[date]) -> list[date]:
    """Months between the first and last present month that are not present."""
    if not present:
        return []
    have = set(present)
    return [m for m in months_between(min(present), max(present)) if m not in have]


def by_month(facts: pd.DataFrame, street: list[date]) -> pd.DataFrame:
    """One row per month from the first to the last month with a street file (and any month
    with only outcomes): `month`, `street_file` (False for a missing month), `facts_kept`
    (False for a street load made before data-quality facts were kept), `load_id` and a column
    per fact in COLUMNS (0 where none was counted)."""
    months = sorted(set(missing_months(street)) | set(street) | set(facts["month"]))
    counted = facts.dropna(subset=["fact"])
    street_facts = counted[counted["load_id"].notna()]
    table = (
        counted.pivot_table(index="month", columns="fact", values="count", aggfunc="sum")
        .reindex(index=months, columns=[str(c) for c in COLUMNS])
        .fillna(0)
        .astype(int)
    )
    loads = facts.dropna(subset=["load_id"]).groupby("month")["load_id"].max()
    table.insert(0, "load_id", loads.reindex(months))
    table.insert(0, "facts_kept", [m in set(street_facts["month"]) for m in months])
    table.insert(0, "street_file", [m in set(street) for m in months])
    return table.rename_axis("month").reset_index()
