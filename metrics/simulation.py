"""Simulated monthly counts for checking forecasts: the kind of series the plan's counts are.

Each series has a **level that wanders** (a random walk on the log scale), optionally a
**trend** (a steady percentage change a month), a **12-month season** (a sine wave of the
given amplitude, with a random phase) and **Poisson noise**: exact integer counts. The set
used by the calibration tests and `bench/calibration.py` (`SIMULATION_SET`) covers small and
large counts, with and without trend, and 3 to 8 years of history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

START = pd.Timestamp("2017-01-01")


@dataclass(frozen=True)
class Scenario:
    """One kind of series: `months` of Poisson counts around `level` a month."""

    name: str
    level: float
    months: int
    trend: float = 0.0  # change in the level a month, as a fraction (0.01 = 1%)
    wander: float = 0.03  # month-to-month standard deviation of the log level
    season: float = 0.15  # amplitude of the 12-month season, as a fraction of the level


SIMULATION_SET = (
    Scenario("season, 36 months", level=400, months=36),
    Scenario("season, 60 months", level=150, months=60),
    Scenario("trend and season, 48 months", level=300, months=48, trend=0.01),
    Scenario("falling trend and season, 72 months", level=1000, months=72, trend=-0.008),
    Scenario("small counts, 60 months", level=25, months=60, wander=0.04),
    Scenario("large counts, 96 months", level=5000, months=96, wander=0.02, season=0.2),
)


def simulate(scenario: Scenario, seed: int) -> pd.DataFrame:
    """A monthly frame (month, value, numerator, denominator) of `scenario`'s counts."""
    rng = np.random.default_rng(seed)
    steps = np.arange(scenario.months)
    walk = np.cumsum(rng.normal(0.0, scenario.wander, scenario.months))
    phase = rng.uniform(0, 2 * np.pi)
    log_level = np.log(scenario.level) + walk + steps * np.log1p(scenario.trend)
    mean = np.exp(log_level) * (1 + scenario.season * np.sin(2 * np.pi * steps / 12 + phase))
    counts = rng.poisson(np.clip(mean, 0, None)).astype(float)
    return pd.DataFrame(
        {
            "month": pd.date_range(START, periods=scenario.months, freq="MS"),
            "value": counts,
            "numerator": np.nan,
            "denominator": np.nan,
        }
    )
