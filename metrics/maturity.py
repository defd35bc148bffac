"""Which months of a measure are provisional at the month chosen, and the latest mature month.

- **By publication** (a measure with `outcome_maturity_months` = N, police.uk outcomes): a
  month whose figure came from a police.uk file of known publication (`published`, from
  `db.queries.monthly_values`) is provisional while its **age at publication** (whole months
  from the month to the publication) is under N, wherever it lies in the series: a 2022 month
  published a month after it ends stays provisional after 2025 months published later are
  judged. A republished month takes its newest load's publication.
- **Otherwise** (other sources, loads made before publications were recorded, measures without
  `outcome_maturity_months`): the latest `maturity_months` months up to the month chosen.

The latest mature month (`judged_to`) is the latest month up to the month chosen that is not
provisional; a month with no figure at all is not provisional unless it is among the latest
`maturity_months`. Provisional months are drawn (hollow) and take no part in any judgement
or 12-month figure: `mature_rows` blanks their figures.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from config.models import Measure

FIGURES = ("value", "numerator", "denominator")


def ages(frame: pd.DataFrame) -> pd.Series:
    """Age at publication in whole months, by month (first day); NaN where not known."""
    if "published" not in frame or frame.empty:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    month = pd.to_datetime(frame["month"])
    published = pd.to_datetime(frame["published"])
    age = (published.dt.year - month.dt.year) * 12 + (published.dt.month - month.dt.month)
    return pd.Series(age.to_numpy(dtype=float), index=pd.DatetimeIndex(month)).sort_index()


def _young(frame: pd.DataFrame, measure: Measure) -> dict[pd.Timestamp, bool]:
    """Months whose provisional state their publication decides: month -> provisional."""
    if not measure.outcome_maturity_months:
        return {}
    known = ages(frame).dropna()
    return {m: bool(a < measure.outcome_maturity_months) for m, a in known.items()}


def _latest(measure: Measure, as_of: date) -> pd.Timestamp:
    """The first of the latest `maturity_months` months up to `as_of`."""
    return pd.Timestamp(as_of) - pd.DateOffset(months=measure.maturity_months - 1)


def provisional_months(
    frame: pd.DataFrame, measure: Measure, as_of: date
) -> frozenset[pd.Timestamp]:
    """The months up to `as_of` (Timestamps, first day) not yet mature (module docstring)."""
    end = pd.Timestamp(as_of)
    decided = _young(frame, measure)
    months = set(pd.to_datetime(frame["month"])) if len(frame) else set()
    months |= set(pd.date_range(_latest(measure, as_of), end, freq="MS"))
    found = set()
    for month in months:
        if month > end:
            continue
        young = decided.get(month)
        if young if young is not None else month >= _latest(measure, as_of):
            found.add(month)
    return frozenset(found)


def judged_to(frame: pd.DataFrame, measure: Measure, as_of: date) -> date:
    """The latest mature month up to `as_of` (module docstring)."""
    provisional = provisional_months(frame, measure, as_of)
    month = pd.Timestamp(as_of)
    while month in provisional:
        month -= pd.DateOffset(months=1)
    judged: date = month.date()
    return judged


def mature_rows(
    frame: pd.DataFrame, provisional: frozenset[pd.Timestamp], last: date
) -> pd.DataFrame:
    """The rows up to `last`, with the figures of provisional months blanked (gaps)."""
    month = pd.to_datetime(frame["month"])
    kept = frame[month <= pd.Timestamp(last)].copy()
    young = pd.to_datetime(kept["month"]).isin(pd.DatetimeIndex(sorted(provisional)))
    for column in FIGURES:
        if column in kept:
            kept[column] = kept[column].astype(float).where(~young, np.nan)
    return kept
