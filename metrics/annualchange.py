"""The change-of-12-month-totals forecast (used by `metrics.forecast`, whose docstring states
the method and why it was chosen).

A 12-month total has no season; its change over a lead of h months, in a series whose monthly
level wanders as a random walk with monthly noise on top, has variance
walk x `walk_weight(h)` + noise x `noise_weight(h)`. Both are fitted by non-negative least
squares to the series' own changes at leads 1 to 18; the drift is the whole history's change
per month, with its uncertainty. The predictive spread is a Student t (few degrees of freedom:
overlapping totals carry little information), stretched by horizon as the simulation set
requires (`STRETCH_AT_9`, `STRETCH_SLOPE`; README "Calibrated forecasts").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from metrics.periods import MONTHS_IN_YEAR

MAX_HORIZON = 18  # longest lead the change model is fitted for (months)
DEGREES_PER_PAIR = 8.0  # pairs of 12-month totals per degree of freedom of the spread
MIN_DEGREES = 3.0  # heaviest tails of the Student t spread
# Stretch of the spread by horizon h (months to the year's end): STRETCH_AT_9 + STRETCH_SLOPE x
# (h - 9.5), learned and checked on the simulation set (bench/calibration.py; README).
STRETCH_AT_9 = 1.04
STRETCH_SLOPE = 0.02


@lru_cache(maxsize=64)
def walk_weight(lag: int) -> float:
    """Variance of the change of a 12-month total over `lag` months when the monthly level is
    a random walk with unit steps: the sum of squares of how many of the 12 months each step
    enters (12 ones for one month; up to 12 x 12 at a year)."""
    steps = np.arange(2 - MONTHS_IN_YEAR, lag + 1)
    offsets = np.arange(MONTHS_IN_YEAR)[:, None]
    counts = ((-offsets < steps) & (steps <= lag - offsets)).sum(axis=0)
    return float((counts**2).sum())


def noise_weight(lag: int) -> float:
    """Months of independent noise in the change of a 12-month total over `lag` months."""
    return 2.0 * min(lag, MONTHS_IN_YEAR)


@dataclass(frozen=True)
class ChangeModel:
    """How 12-month totals of one series change: drift a month, walk and noise variances."""

    drift: float
    drift_variance: float  # of the drift estimate
    walk: float
    noise: float
    pairs: int  # one-month changes observed

    def variance(self, horizon: int) -> float:
        return (
            self.walk * walk_weight(horizon)
            + self.noise * noise_weight(horizon)
            + self.drift_variance * horizon**2
        )


def change_model(totals: pd.Series, relative: bool) -> ChangeModel | None:
    """Fit the change model to the observed changes of 12-month totals at leads of 1 to 18
    months (non-negative least squares, scipy), with the drift from the whole span."""
    from scipy.optimize import nnls

    known = totals.dropna()
    if len(known) < 3:
        return None
    span = (known.index[-1].year - known.index[0].year) * 12 + (
        known.index[-1].month - known.index[0].month
    )
    total_change = (
        np.log(known.iloc[-1] / known.iloc[0]) if relative else known.iloc[-1] - known.iloc[0]
    )
    drift = float(total_change) / span
    values = totals.to_numpy(dtype=float)
    rows, observed, weights = [], [], []
    for lag in range(1, MAX_HORIZON + 1):
        later, earlier = values[lag:], values[:-lag]
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.log(later / earlier) if relative else (later - earlier)
        change = change[np.isfinite(change)]
        if len(change) < 2:
            continue
        mean_square = max(float(np.mean(change**2)), 1e-12)
        rows.append([walk_weight(lag), noise_weight(lag)])
        observed.append(mean_square)
        weights.append(np.sqrt(len(change)) / mean_square)
    if not rows:
        return None
    scale = np.array(weights)[:, None]
    (walk, noise), _ = nnls(np.array(rows) * scale, np.array(observed) * scale[:, 0])
    spread = walk * walk_weight(span) + noise * noise_weight(span)
    return ChangeModel(
        drift=drift,
        drift_variance=float(spread) / span**2,
        walk=float(walk),
        noise=float(noise),
        pairs=int(totals.diff().notna().sum()),
    )


def future_draws(
    history: pd.Series,
    fitted: pd.Series,
    *,
    horizon: int,
    months: int,
    relative: bool,
    draws: int,
) -> np.ndarray | None:
    """`draws` evenly spaced quantiles of the total of the target year's last `months`
    months, `horizon` months ahead (module docstring); None when nothing can be fitted."""
    from scipy.stats import t as student

    model = change_model(fitted.rolling(MONTHS_IN_YEAR).sum(), relative)
    if model is None or len(history) < MONTHS_IN_YEAR:
        return None
    level = float(history.iloc[-MONTHS_IN_YEAR:].sum())
    base = level if months >= MONTHS_IN_YEAR else float(history.iloc[-12 : months - 12].sum())
    degrees = max(model.pairs / DEGREES_PER_PAIR, MIN_DEGREES)
    quantiles = (np.arange(draws) + 0.5) / draws
    stretch = STRETCH_AT_9 + STRETCH_SLOPE * (horizon - 9.5)
    spread = stretch * np.sqrt(model.variance(horizon)) * student.ppf(quantiles, degrees)
    change = model.drift * horizon + spread
    return np.asarray(base + (level * np.expm1(change) if relative else change))
