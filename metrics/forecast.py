"""Forecast of the 12 months ending March 2027, with intervals and the chance of meeting the target.

Months already observed in the target year count as they are; the total of the months still
to come has a predictive distribution, drawn at 2,000 evenly spaced quantiles. The forecast is
its median, the 80% and 95% intervals its middle 80% and 95%, and the probability of meeting
the target the share of it that meets the target. The *horizon* is the number of months from
the latest month used to the end of the target year (1 to 18 on the backtest).

- **Change of 12-month totals** (24 months of data or more; `SEASONAL_MIN_MONTHS`). A
  12-month total carries no season, so the months still to come are forecast as the same
  months a year earlier (all 12 when the year has not begun: the latest 12-month total), moved
  by the series' drift. How far that is from the outcome is measured on the series itself:
  the change of its 12-month totals over every lead of 1 to 18 months in its own history
  (as a proportion for counts, in points for percentages) is fitted, by non-negative least
  squares (scipy), as a monthly level that wanders (a random walk: the variance of the change
  grows with the lead as `walk_weight`) plus independent monthly noise (`noise_weight`). The
  drift is the change over the whole history per month, and its own uncertainty is added.
  The spread is a Student t with one degree of freedom per `DEGREES_PER_PAIR` observed
  one-month changes (at least 3): overlapping 12-month totals hold far less information than
  their number suggests, and the tails say so. Finally the spread is stretched by horizon
  (`STRETCH_AT_9`, `STRETCH_SLOPE`), as learned on a simulation set and checked on others.
- **Same months a year earlier** (14 to 23 months of data): the months to come as the same
  months a year earlier (the latest 12-month total beyond a year), spread by the series'
  observed changes on a year earlier (`_seasonal_naive`; a Student t, few degrees of freedom).
- **Fallback** (13 months or fewer, or too flat to fit): the mean of the latest 12 months (or
  fewer) carried forward, with Poisson spread for counts and the month-to-month spread
  otherwise, plus the mean's own uncertainty, growing with the horizon. Too short a history
  to check: its intervals are not calibrated.
- **Small numbers** (`small_numbers` measures such as fatal collisions): a count model
  instead. The monthly rate is estimated from the latest 24 months (fewer if the series is
  shorter) with Jeffreys' prior, so the total of the months still to come follows a negative
  binomial (Poisson counts with a gamma-distributed rate): no zero-event history makes the
  future certain. The chance and intervals are exact sums over that distribution.
- **Gaps and excluded months**: months missing from the data, and months passed as `excluded`
  (periods configuration marks as no fair basis for model fitting, such as COVID-19
  restrictions), are missing for fitting: no 12-month total containing one is used. After a
  run of more than 12 such months, only the months after it are used when there are 24 or
  more; otherwise short gaps are filled by straight lines where a value is needed. Months of
  the target year already observed count as they are, excluded or not.

**Why this model.** The earlier model (statsmodels Holt-Winters, damped additive trend and
12-month season, simulated with its fitted parameters) left out parameter and model
uncertainty: on a rolling-origin backtest of simulated counts (a wandering level, a 12-month
season, Poisson noise) its 80% intervals held the outcome 45-65% of the time and its 95%
intervals 58-81%, worst 13-18 months ahead, and the misses varied from series to series by a
factor of 5 in spread. Stretching its intervals by horizon could not fix that; it also cost a
fitted model per score. The change model measures the error of exactly the quantity forecast
(a 12-month total) at exactly the lead asked, from the series' own history, costs no model
fit (a few milliseconds), and its coverage is checked in `tests/test_forecast_calibration.py`
and printed by `bench/calibration.py` (README, "Calibrated forecasts").

For ratio and survey measures the monthly percentage is modelled; each future month is weighted
by the average denominator of the latest 12 months when it is combined with the observed months.
Counts never go below zero.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from config.vocabulary import Aggregation, Direction, Unit
from metrics import annualchange
from metrics.periods import MONTHS_IN_YEAR, complete, ratio_percent

SEASONAL_MIN_MONTHS = 24  # months of data the annual-change model needs
SIMULATIONS = 2000  # draws of the target year (evenly spaced quantiles, not random)
NAIVE_SHARE = 0.6  # of the cautious variance of the same-months forecast (simulation set)
NAIVE_EXTRA_DEGREES = 2  # degrees of freedom of its spread beyond the changes observed
COUNT_MODEL_MONTHS = 24  # months the small-number rate is estimated from
JEFFREYS_SHAPE = 0.5  # prior shape of the Poisson rate (Jeffreys' prior)


@dataclass(frozen=True)
class Forecast:
    value: float
    low80: float
    high80: float
    low95: float
    high95: float
    probability: float  # of meeting the target; nan without a target
    method: str  # "annual change", "same months", "mean", "observed", "count model" or "none"


NO_FORECAST = Forecast(*(float("nan"),) * 6, method="none")


def months_to_end(as_of: date, last: date) -> int:
    """The horizon: months from the latest month used to the target year's last month."""
    origin, end = pd.Timestamp(as_of), pd.Timestamp(last)
    return int((end.year - origin.year) * 12 + end.month - origin.month)


def _seasonal_naive(
    history: pd.Series, fitted: pd.Series, months: int, horizon: int
) -> np.ndarray | None:
    """Draws of the total of `months` months from 14 to 23 months of data: the same months a
    year earlier (all 12 beyond a year), spread by the observed changes on a year earlier
    (taken as moving together, which is cautious, so `NAIVE_SHARE` of that variance), a
    Student t with `NAIVE_EXTRA_DEGREES` more degrees of freedom than there are changes."""
    from scipy.stats import t as student

    changes = (fitted - fitted.shift(MONTHS_IN_YEAR)).dropna().to_numpy()
    if len(changes) < 2 or len(history) < MONTHS_IN_YEAR:
        return None
    base = history.iloc[-MONTHS_IN_YEAR:]
    base = float(base.sum() if months >= MONTHS_IN_YEAR else base.iloc[:months].sum())
    variance = (
        NAIVE_SHARE * months**2 * float(np.mean(changes**2)) * max(1.0, horizon / MONTHS_IN_YEAR)
    )
    quantiles = (np.arange(SIMULATIONS) + 0.5) / SIMULATIONS
    return np.asarray(
        base + np.sqrt(variance) * student.ppf(quantiles, len(changes) + NAIVE_EXTRA_DEGREES)
    )


def _fallback(history: pd.Series, months: int, horizon: int, is_count: bool) -> np.ndarray:
    """Draws of the total of `months` months from a short series: the recent mean carried
    forward, with Poisson spread for counts and the month-to-month spread otherwise, and the
    mean's own uncertainty growing with the horizon."""
    from scipy.stats import norm

    recent = history.iloc[-12:]
    level = max(float(recent.mean()), 0.0)
    step = float(recent.diff().abs().mean() / 1.128) if len(recent) > 1 else 0.0
    monthly = max(level if is_count else 0.0, step**2)
    variance = months * monthly * (1 + months / len(recent) * (1 + horizon / MONTHS_IN_YEAR))
    quantiles = (np.arange(SIMULATIONS) + 0.5) / SIMULATIONS
    return np.asarray(months * level + np.sqrt(variance) * norm.ppf(quantiles))


def fitting_history(values: pd.Series, excluded: Collection[pd.Timestamp] = ()) -> pd.Series:
    """The monthly values a model is fitted on: excluded months and gaps are missing; after a
    run of more than 12 missing months, only the months after it are used when they are
    `SEASONAL_MIN_MONTHS` or more."""
    marked = {pd.Timestamp(month) for month in excluded}
    history = values.mask(values.index.isin(list(marked)))
    missing = history.isna()
    runs = missing.ne(missing.shift()).cumsum()
    long_gap = missing & (missing.groupby(runs).transform("sum") > MONTHS_IN_YEAR)
    if long_gap.any():
        after = history.loc[long_gap[long_gap].index.max() + pd.offsets.MonthBegin() :]
        if after.notna().sum() >= SEASONAL_MIN_MONTHS:
            history = after
    return history.loc[history.first_valid_index() :] if history.notna().any() else history


def _future(
    history: pd.Series, *, as_of: date, last: date, months: int, is_sum: bool, unit: str
) -> tuple[np.ndarray, str]:
    """Draws of the total of the target year's `months` still to come (all months of the
    year when the origin is before it), and the method that made them. `history` has
    excluded months and gaps as missing."""
    if not months:
        return np.zeros(SIMULATIONS), "observed"
    horizon = months_to_end(as_of, last)
    filled = history.interpolate(limit_area="inside").ffill().bfill()
    totals_positive = bool((filled.rolling(MONTHS_IN_YEAR).sum().dropna() > 0).all())
    relative = is_sum and unit == Unit.COUNT and totals_positive
    draws, method = None, "annual change"
    if history.notna().sum() >= SEASONAL_MIN_MONTHS and filled.nunique() >= 3:
        draws = annualchange.future_draws(
            filled, history, horizon=horizon, months=months, relative=relative, draws=SIMULATIONS
        )
    if draws is None:
        draws, method = _seasonal_naive(filled, history, months, horizon), "same months"
    if draws is None:
        draws = _fallback(filled, months, horizon, is_sum and unit == Unit.COUNT)
        method = "mean"
    if is_sum:
        draws = np.clip(draws, 0, None)
    elif unit == Unit.PERCENT:
        draws = np.clip(draws, 0, 100 * months)
    return draws, method


def forecast_period(
    frame: pd.DataFrame,
    *,
    aggregation: str,
    unit: str,
    as_of: date,
    first: date,
    last: date,
    target: float | None = None,
    good_direction: str = Direction.INCREASE,
    directional: bool = False,
    small_numbers: bool = False,
    excluded: Collection[pd.Timestamp] = (),
) -> Forecast:
    """Forecast the measure over `first`..`last` from the monthly frame up to `as_of`."""
    from metrics.targets import meets

    if small_numbers:
        return _count_model(
            frame,
            as_of=as_of,
            first=first,
            last=last,
            target=target,
            good_direction=good_direction,
            directional=directional,
        )
    full = complete(frame, last=as_of)
    if full.empty or full["value"].isna().all():
        return NO_FORECAST
    full = full.loc[full["value"].first_valid_index() :]
    future = pd.date_range(
        max(pd.Timestamp(first), pd.Timestamp(as_of) + pd.offsets.MonthBegin()),
        pd.Timestamp(last),
        freq="MS",
    )
    observed = full.loc[pd.Timestamp(first) : pd.Timestamp(as_of)]
    months_needed = len(pd.date_range(first, last, freq="MS"))
    gaps = observed["value"].isna().any() if aggregation == Aggregation.SUM else False
    if len(observed) + len(future) != months_needed or gaps:
        return NO_FORECAST
    history = fitting_history(full["value"], excluded)
    if history.notna().sum() == 0:
        return NO_FORECAST
    is_sum = aggregation == Aggregation.SUM
    draws, method = _future(
        history, as_of=as_of, last=last, months=len(future), is_sum=is_sum, unit=unit
    )
    if is_sum:
        totals = observed["value"].sum() + draws
    else:
        weight = float(full["denominator"].iloc[-12:].mean())
        numerator = observed["numerator"].sum() + draws * weight / 100
        denominator = observed["denominator"].sum() + weight * len(future)
        totals = ratio_percent(numerator, denominator)
    low95, low80, median, high80, high95 = np.percentile(totals, [2.5, 10, 50, 90, 97.5])
    probability = float("nan")
    if target is not None and not np.isnan(target):
        hits = meets(totals, target, good_direction=good_direction, directional=directional)
        probability = float(np.mean(hits))
    return Forecast(
        float(median), float(low80), float(high80), float(low95), float(high95), probability, method
    )


def _count_model(
    frame: pd.DataFrame,
    *,
    as_of: date,
    first: date,
    last: date,
    target: float | None,
    good_direction: str,
    directional: bool,
) -> Forecast:
    """The small-number forecast (module docstring): exact, from a negative binomial."""
    from scipy.stats import nbinom

    from metrics.targets import meets

    full = complete(frame, last=as_of)
    if full.empty or full["value"].isna().all():
        return NO_FORECAST
    full = full.loc[full["value"].first_valid_index() :]
    months = pd.date_range(first, last, freq="MS")
    observed = full["value"].reindex(months[months <= pd.Timestamp(as_of)])
    future = int((months > pd.Timestamp(as_of)).sum())
    history = full["value"].iloc[-COUNT_MODEL_MONTHS:]
    if observed.isna().any() or history.isna().any():
        return NO_FORECAST
    seen = float(observed.sum())
    if future == 0:
        support, weights = np.array([0.0]), np.array([1.0])
    else:
        share = len(history) / (len(history) + future)
        dist = nbinom(history.sum() + JEFFREYS_SHAPE, share)
        support = np.arange(0, int(dist.ppf(1 - 1e-9)) + 2, dtype=float)
        weights = dist.pmf(support)
        weights = weights / weights.sum()
    totals = seen + support
    cumulative = np.cumsum(weights)

    def quantile(q: float) -> float:
        return float(totals[min(int(np.searchsorted(cumulative, q)), len(totals) - 1)])

    probability = float("nan")
    if target is not None and not np.isnan(target):
        hits = meets(totals, target, good_direction=good_direction, directional=directional)
        probability = float(np.clip(weights[hits].sum(), 0, 1))
    return Forecast(
        quantile(0.5),
        quantile(0.1),
        quantile(0.9),
        quantile(0.025),
        quantile(0.975),
        probability,
        "count model" if future else "observed",
    )
