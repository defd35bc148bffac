"""Periods and comparisons over a monthly series of one measure in one area.

A *monthly frame* has one row per month: `month` (first day of the month), `value`, and for
ratio and survey measures `numerator` and `denominator`. Missing months are gaps, never zeros.

- **Complete windows.** Every figure over several months (a rolling 12 months, a baseline year,
  a target year, a financial year to date) needs every one of its months *present*, counts,
  ratios and surveys alike: a month is present when the store has a row for it (a ratio's
  month with a zero denominator is present: it has no figure of its own but does not void the
  year; so is a month the measure was loaded for, force-wide, in which an area has no row:
  no case arose there, `with_loaded_months`); a month with no row is missing, and the figure
  is then missing too (a partial window is never judged). `window` says how many months of a
  window are present and which are not.
- **Rolling 12 months** at a month is the 12 months ending with it: the sum of the values for a
  count, or 100 x (sum of numerators) / (sum of denominators) for a ratio or survey.
- **Year on year** compares the rolling 12 months with the same 12 months a year earlier, as a
  change in the measure's unit and as a percentage of the earlier figure.
- **Financial year to date** runs from April to the month in question.
- **Rate per 1,000** divides a count by the area's population and multiplies by 1,000.
- **Survey percentages** combine numerators and sample sizes (respondents); the 95% interval is
  Wilson's score interval, which stays within 0-100% even for small samples.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from config.vocabulary import Aggregation, ratio_percent

MONTHS_IN_YEAR = 12
WILSON_ALPHA = 0.05  # a 95% interval beside a survey or ratio

__all__ = ["ratio_percent"]  # the one percentage rule, from config


def complete(
    frame: pd.DataFrame, first: date | None = None, last: date | None = None
) -> pd.DataFrame:
    """The frame indexed by every month from `first` to `last` (default: its own range), with
    gaps as missing values."""
    indexed = frame.assign(month=pd.to_datetime(frame["month"])).set_index("month").sort_index()
    if indexed.empty and (first is None or last is None):
        return indexed[["value", "numerator", "denominator"]]
    start = pd.Timestamp(first) if first else indexed.index.min()
    end = pd.Timestamp(last) if last else indexed.index.max()
    columns = [c for c in ("value", "numerator", "denominator") if c in indexed]
    return indexed[columns].reindex(pd.date_range(start, end, freq="MS")).astype(float)


def with_loaded_months(
    frame: pd.DataFrame, loaded: Iterable[date], aggregation: str
) -> pd.DataFrame:
    """A ratio's or survey's rows with a row of no cases (numerator and denominator 0, no
    value) for each month of `loaded` (the months the measure was loaded for anywhere: the
    force's) from the area's first month on that has no row: no case arose there, so the
    month is present, not missing. Counts, and an area with no rows, are left as they are."""
    if aggregation == Aggregation.SUM or frame.empty:
        return frame
    months = pd.to_datetime(frame["month"])
    extra = sorted({pd.Timestamp(m) for m in loaded} - set(months))
    extra = [m for m in extra if m >= months.min()]
    if not extra:
        return frame
    rows = pd.DataFrame({"month": [m.date() for m in extra]})
    for column in frame.columns.drop("month"):
        constant = column not in ("value", "numerator", "denominator")
        rows[column] = frame[column].iat[0] if constant else (np.nan if column == "value" else 0.0)
    return pd.concat([frame, rows], ignore_index=True)


def present(full: pd.DataFrame) -> pd.Series:
    """Whether each month of a `complete` frame has a row (any figure at all)."""
    return full.notna().any(axis=1)


@dataclass(frozen=True)
class Window:
    """Which months of a window are loaded: `present` of `months`, and the `missing` ones."""

    months: int
    present: int
    missing: tuple[date, ...]

    @property
    def is_complete(self) -> bool:
        return self.present == self.months


def window(frame: pd.DataFrame, first: date, last: date) -> Window:
    """The months `first`..`last` of `frame` that are present and those that are missing."""
    months = pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="MS")
    here = pd.Series(False, index=months)
    if not frame.empty:
        here = present(complete(frame, first, last))
    gone = tuple(m.date() for m in months[~here.to_numpy()])
    return Window(months=len(months), present=int(here.sum()), missing=gone)


def combine(frame: pd.DataFrame, aggregation: str) -> float:
    """One figure for several months (or areas): a sum for counts; 100 x sum of numerators /
    sum of denominators for ratios and surveys. Missing if any month is (see `present`)."""
    if frame.empty or not present(frame).all():
        return float("nan")
    if aggregation == Aggregation.SUM:
        return float("nan") if frame["value"].isna().any() else float(frame["value"].sum())
    return float(ratio_percent(frame["numerator"].sum(), frame["denominator"].sum()))


def period_value(frame: pd.DataFrame, *, aggregation: str, first: date, last: date) -> float:
    """The measure over the months `first`..`last` inclusive: missing when any of its months
    is (a complete window, see the module docstring)."""
    if frame.empty or pd.Timestamp(first) < pd.to_datetime(frame["month"]).min():
        return float("nan")
    return combine(complete(frame, first, last), aggregation)


def shift_month(month: date, months: int) -> date:
    shifted: date = (pd.Timestamp(month) + pd.DateOffset(months=months)).date()
    return shifted


def months_between(start: date, end: date) -> list[date]:
    """Every month from `start` to `end` inclusive (first days), oldest first."""
    if end < start:
        return []
    return [m.date() for m in pd.date_range(start.replace(day=1), end.replace(day=1), freq="MS")]


def rolling_12(frame: pd.DataFrame, *, aggregation: str) -> pd.Series:
    """Rolling 12-month values indexed by the last month of each window, every calendar month
    of the series: missing where any of the window's 12 months is (a gap stays a gap)."""
    full = complete(frame)
    if full.empty:
        return pd.Series(dtype=float)
    size = MONTHS_IN_YEAR
    whole = present(full).astype(float).rolling(size, min_periods=size).sum() == size
    if aggregation == Aggregation.SUM:
        rolling = full["value"].rolling(size, min_periods=size).sum()
    else:
        numerator = full["numerator"].fillna(0).rolling(size).sum()
        denominator = full["denominator"].fillna(0).rolling(size).sum()
        rolling = ratio_percent(numerator, denominator)
    return rolling.where(whole)


@dataclass(frozen=True)
class Comparison:
    current: float
    previous: float

    @property
    def change(self) -> float:
        return self.current - self.previous

    @property
    def change_pct(self) -> float:
        if not self.previous or np.isnan(self.previous):
            return float("nan")
        return 100 * (self.current / self.previous - 1)


def year_on_year(frame: pd.DataFrame, *, aggregation: str, as_of: date) -> Comparison:
    """The 12 months to `as_of` against the same 12 months a year earlier."""
    current = period_value(
        frame, aggregation=aggregation, first=shift_month(as_of, -11), last=as_of
    )
    previous = period_value(
        frame, aggregation=aggregation, first=shift_month(as_of, -23), last=shift_month(as_of, -12)
    )
    return Comparison(current, previous)


def financial_year_start(month: date) -> date:
    return date(month.year if month.month >= 4 else month.year - 1, 4, 1)


def financial_year_to_date(frame: pd.DataFrame, *, aggregation: str, as_of: date) -> float:
    """April of the financial year containing `as_of`, to `as_of`."""
    return period_value(
        frame, aggregation=aggregation, first=financial_year_start(as_of), last=as_of
    )


def rate_per_1000(value: float, population: int) -> float:
    return 1000 * value / population


@overload
def wilson_interval(
    successes: float, total: float, *, alpha: float = ..., correction: None = ...
) -> tuple[float, float]: ...
@overload
def wilson_interval(
    successes: ArrayLike,
    total: ArrayLike,
    *,
    alpha: float = ...,
    correction: ArrayLike | None = ...,
) -> tuple[np.ndarray, np.ndarray]: ...
def wilson_interval(
    successes: ArrayLike,
    total: ArrayLike,
    *,
    alpha: float = WILSON_ALPHA,
    correction: ArrayLike | None = None,
) -> tuple[Any, Any]:
    """Wilson's score interval of successes / total, in percent (statsmodels'
    `proportion_confint`, at confidence 1 - `alpha`): (nan, nan) where `total` is 0. A pair of
    floats for one proportion, a pair of arrays for many. `correction` (per proportion, 0 to
    1) is the finite population correction (N - n) / (N - 1) of a stratum: it scales z^2, so
    a census (0) is its own figure, exact; none leaves z as it is."""
    from scipy.stats import norm
    from statsmodels.stats.proportion import proportion_confint

    successes = np.asarray(successes, dtype=float)
    total = np.asarray(total, dtype=float)
    level: Any = alpha
    if correction is not None:  # the confidence whose z is z * sqrt(correction)
        z = norm.isf(alpha / 2) * np.sqrt(np.clip(np.asarray(correction, dtype=float), 0, 1))
        level = np.minimum(2 * norm.sf(z), 1.0)
    low, high = proportion_confint(
        successes, np.where(total > 0, total, 1), alpha=level, method="wilson"
    )
    low, high = np.where(total > 0, 100 * low, np.nan), np.where(total > 0, 100 * high, np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high
