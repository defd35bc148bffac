"""Rolling-origin backtest of the target-year forecast (`metrics.forecast.forecast_period`).

The forecast is made as the product makes it, and checked against what happened:

- **Windows** are 12 consecutive months (a target year). A window is tried when the series
  has its 12 months and the 12 before it (the comparison year), ending every `step` months
  back from the latest month.
- **Origins** are 1 to 18 months before the window's end (the *horizon*): the forecast uses
  only the months up to the origin, with months of the window already seen counted as they
  are, as the scorecard does. An origin needs `min_history` months of data before it.
- Each trial records the forecast, its 80% and 95% intervals, the outcome (the window's
  figure) and whether each interval held it.
- The **chance** is checked against the plan's directional target: "better than the 12
  months before the window", in the measure's good direction. It is recorded only where that
  comparison year is wholly known at the origin (horizons of 12 months or less), as in the
  product, where a baseline is always known before its chance is stated.

Summaries: coverage of each interval by horizon band (1-6, 7-12, 13-18 months); the Brier
score of the chance (mean squared difference between the chance and what happened, 0 is
perfect) against climatology's (the same score for always stating the base rate: how often
the target was met over the trials); and a reliability table ("when we said 70-90%, the
target was met N of M times").
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

from config.vocabulary import Aggregation, Direction, Unit
from metrics.forecast import Forecast, forecast_period
from metrics.periods import complete, period_value, shift_month

WINDOW = 12
HORIZONS = range(1, 19)
BANDS = ((1, 6), (7, 12), (13, 18))
NOMINAL = {"80": 0.80, "95": 0.95}
RELIABILITY_BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
TRIAL_COLUMNS = [
    "window_end", "horizon", "origin", "forecast", "low80", "high80", "low95", "high95",
    "outcome", "hit80", "hit95", "target", "probability", "met", "method",
]  # fmt: skip


def window_ends(frame: pd.DataFrame, *, step: int = 1, min_history: int = 24) -> list[pd.Timestamp]:
    """The last months of the windows tried: every `step` months back from the latest, while
    the window and the year before it lie within the series and the shortest horizon's
    origin has `min_history` months before it."""
    months = complete(frame).index
    if months.empty:
        return []
    first = months.min() + pd.DateOffset(months=max(2 * WINDOW, min_history + 1) - 1)
    ends = pd.date_range(first, months.max(), freq="MS")[::-1][::step]
    return sorted(end.date() for end in ends)


def backtest(
    frame: pd.DataFrame,
    *,
    aggregation: str = Aggregation.SUM,
    unit: str = Unit.COUNT,
    good_direction: str = Direction.DECREASE,
    small_numbers: bool = False,
    excluded: Collection[pd.Timestamp] = (),
    step: int = 1,
    min_history: int = 24,
    horizons: Collection[int] = HORIZONS,
) -> pd.DataFrame:
    """One row per (window, horizon) trial (TRIAL_COLUMNS; module docstring)."""
    frame = frame.assign(month=pd.to_datetime(frame["month"]))
    start = frame["month"].min()
    rows = []
    for end in window_ends(frame, step=step, min_history=min_history):
        first = shift_month(end, 1 - WINDOW)
        outcome = period_value(frame, aggregation=aggregation, first=first, last=end)
        target = period_value(
            frame, aggregation=aggregation, first=shift_month(first, -WINDOW),
            last=shift_month(first, -1),
        )  # fmt: skip
        if np.isnan(outcome):
            continue
        for horizon in horizons:
            origin = shift_month(end, -horizon)
            if pd.Timestamp(origin) < start + pd.DateOffset(months=min_history - 1):
                continue
            chance_known = horizon <= WINDOW and not np.isnan(target)
            made = forecast_period(
                frame[frame["month"] <= pd.Timestamp(origin)],
                aggregation=aggregation, unit=unit, as_of=origin, first=first, last=end,
                target=target if chance_known else None, good_direction=good_direction,
                directional=True, small_numbers=small_numbers, excluded=excluded,
            )  # fmt: skip
            if np.isnan(made.value):
                continue
            met = np.nan
            if chance_known:
                met = float(
                    outcome < target if good_direction == Direction.DECREASE else outcome > target
                )
            rows.append(_trial(end, horizon, origin, made, outcome, target, met))
    return pd.DataFrame(rows, columns=TRIAL_COLUMNS)


def _trial(
    end: pd.Timestamp,
    horizon: int,
    origin: pd.Timestamp,
    made: Forecast,
    outcome: float,
    target: float,
    met: float,
) -> dict[str, Any]:
    return {
        "window_end": end, "horizon": horizon, "origin": origin, "forecast": made.value,
        "low80": made.low80, "high80": made.high80, "low95": made.low95,
        "high95": made.high95, "outcome": outcome,
        "hit80": bool(made.low80 <= outcome <= made.high80),
        "hit95": bool(made.low95 <= outcome <= made.high95),
        "target": target, "probability": made.probability, "met": met, "method": made.method,
    }  # fmt: skip


def band_of(horizon: int) -> str:
    for low, high in BANDS:
        if low <= horizon <= high:
            return f"{low}-{high}"
    return "other"


def coverage(trials: pd.DataFrame) -> pd.DataFrame:
    """Share of trials whose 80% and 95% intervals held the outcome, by horizon band."""
    columns = ["band", "trials", "coverage80", "coverage95"]
    if trials.empty:
        return pd.DataFrame(columns=columns)
    grouped = trials.assign(band=trials["horizon"].map(band_of)).groupby("band", sort=True)
    table = grouped.agg(
        trials=("hit80", "size"), coverage80=("hit80", "mean"), coverage95=("hit95", "mean")
    )
    return table.reset_index()[columns]


def judged(trials: pd.DataFrame) -> pd.DataFrame:
    """The trials that stated a chance (and whose target year has an outcome)."""
    if trials.empty:
        return trials
    return trials.dropna(subset=["probability", "met"])


def brier(trials: pd.DataFrame) -> float:
    """Mean squared difference between the stated chance and what happened (0 is perfect)."""
    scored = judged(trials)
    if scored.empty:
        return float("nan")
    return float(np.mean((scored["probability"] - scored["met"]) ** 2))


def climatology_brier(trials: pd.DataFrame) -> float:
    """The Brier score of always stating the base rate (how often the target was met)."""
    scored = judged(trials)
    if scored.empty:
        return float("nan")
    rate = float(scored["met"].mean())
    return float(np.mean((rate - scored["met"]) ** 2))


def reliability(trials: pd.DataFrame, bins: tuple[float, ...] = RELIABILITY_BINS) -> pd.DataFrame:
    """For each band of stated chance: how many times it was stated and how many times the
    target was met (the last band includes 100%)."""
    scored = judged(trials)
    columns = ["low", "high", "stated", "met", "share_met"]
    rows = []
    for low, high in itertools.pairwise(bins):
        top = scored["probability"] <= high if high >= 1 else scored["probability"] < high
        inside = scored[(scored["probability"] >= low) & top]
        met = int(inside["met"].sum())
        share = met / len(inside) if len(inside) else float("nan")
        rows.append(
            {"low": low, "high": high, "stated": len(inside), "met": met, "share_met": share}
        )
    return pd.DataFrame(rows, columns=columns)
