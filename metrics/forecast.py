"""Forecast of the 12 months ending March 2027, with intervals and the chance of meeting the target.

Months already observed in the target year count as they are; the months still to come are
simulated from a model of the monthly series, many times over, and each simulation gives one
possible value for the target year. The forecast is the median of those values, the 80% and 95%
intervals the middle 80% and 95% of them, and the probability of meeting the target the share
that meet it.

- **Seasonal model** (24 months of data or more): Holt-Winters exponential smoothing from
  statsmodels, with an additive damped trend and additive 12-month seasonality.
- **Fallback** (shorter series, series too small or flat for that model, or a model that fails to
  fit): the mean of the latest 12 months (or fewer) carried forward, with simulated months drawn
  from a Poisson distribution for counts and from a normal distribution with the series'
  month-to-month spread for percentages and hours.

- **Small numbers** (`small_numbers` measures such as fatal collisions): a count model instead of
  simulation. The monthly rate is estimated from the latest 24 months (fewer if the series is
  shorter) with Jeffreys' prior, so the total of the months still to come follows a negative
  binomial (Poisson counts with a gamma-distributed rate): no zero-event history makes the
  future certain. The chance and intervals are exact sums over that distribution.

For ratio and survey measures the monthly percentage is modelled; each future month is weighted
by the average denominator of the latest 12 months when it is combined with the observed months.
Counts never go below zero.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from metrics.periods import complete, ratio_percent

SEASONAL_MIN_MONTHS = 24
SIMULATIONS = 1000
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
    method: str  # "holt-winters", "mean", "observed" or "none"


NO_FORECAST = Forecast(*(float("nan"),) * 6, method="none")


def _holt_winters(history: pd.Series, steps: int, rng: np.random.Generator) -> np.ndarray | None:
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    if len(history) < SEASONAL_MIN_MONTHS or history.nunique() < 3:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", UserWarning)
            fitted = ExponentialSmoothing(
                history.to_numpy(),
                trend="add",
                damped_trend=True,
                seasonal="add",
                seasonal_periods=12,
                initialization_method="estimated",
            ).fit(use_brute=False)
            paths = fitted.simulate(
                steps, repetitions=SIMULATIONS, error="add", anchor="end", rng=rng
            )
    except (ValueError, np.linalg.LinAlgError):
        return None
    paths = np.asarray(paths).reshape(steps, SIMULATIONS)
    return paths if np.isfinite(paths).all() else None


def _fallback(
    history: pd.Series, steps: int, is_count: bool, rng: np.random.Generator
) -> np.ndarray:
    recent = history.iloc[-12:]
    level = max(float(recent.mean()), 0.0)
    if is_count:
        return rng.poisson(level, size=(steps, SIMULATIONS)).astype(float)
    spread = float(recent.diff().abs().mean() / 1.128) if len(recent) > 1 else 0.0
    return rng.normal(level, spread or 1e-9, size=(steps, SIMULATIONS))


def forecast_period(
    frame: pd.DataFrame,
    *,
    aggregation: str,
    unit: str,
    as_of: date,
    first: date,
    last: date,
    target: float | None = None,
    good_direction: str = "increase",
    directional: bool = False,
    seed: int = 0,
    small_numbers: bool = False,
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
    gaps = observed["value"].isna().any() if aggregation == "sum" else False
    if len(observed) + len(future) != months_needed or gaps:
        return NO_FORECAST
    history = full["value"].interpolate().bfill()
    is_sum = aggregation == "sum"
    rng = np.random.default_rng(seed)
    if len(future):
        paths = _holt_winters(history, len(future), rng)
        method = "holt-winters"
        if paths is None:
            paths = _fallback(history, len(future), is_sum and unit == "count", rng)
            method = "mean"
        if is_sum or unit == "percent":
            paths = np.clip(paths, 0, None if is_sum else 100)
    else:
        paths, method = np.zeros((0, SIMULATIONS)), "observed"

    if is_sum:
        totals = observed["value"].sum() + paths.sum(axis=0)
    else:
        weight = float(full["denominator"].iloc[-12:].mean())
        numerator = observed["numerator"].sum() + (paths * weight / 100).sum(axis=0)
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
