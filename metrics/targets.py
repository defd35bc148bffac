"""Baselines, targets and the trajectory to them.

- The **baseline** is the measure's configured 12-month period (by default October 2024 -
  September 2025, the plan's evidence period) and its value.
- The **target** is the value to reach in the 12 months ending March 2027. An *absolute* target
  is that value; a *percent change* target is the baseline changed by that percentage; a
  *directional* target (all the plan states) means "better than the baseline", so its value is
  the baseline itself and it is met by any improvement on it.
- A district or division without a target of its own **shares the force target** as the same
  percentage change on its own baseline (an absolute force target is turned into the
  percentage change it means for the force).
- The **trajectory** is the rolling 12-month value expected each month from the end of the
  baseline (where it equals the baseline) to March 2027 (where it equals the target): a
  straight line by default, or `quadratic` for plans that expect slow progress at first
  (progress proportional to the square of elapsed time).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from config.vocabulary import Direction, TargetKind, Unit

TRAJECTORY_SHAPES = ("linear", "quadratic")


def target_value(*, kind: str, value: float | None, baseline: float) -> float:
    """The target for an area that has its own target (or for the force)."""
    if kind != TargetKind.DIRECTIONAL and value is None:
        raise ValueError(f"a {kind} target needs a value")
    if kind == TargetKind.ABSOLUTE and value is not None:
        return float(value)
    if kind == TargetKind.PERCENT_CHANGE and value is not None:
        return baseline * (1 + float(value) / 100)
    if kind == TargetKind.DIRECTIONAL:
        return baseline
    raise ValueError(f"unknown target kind {kind!r}")


def shared_target(
    *, kind: str, value: float | None, force_baseline: float, area_baseline: float
) -> float:
    """An area's share of a force target: the same percentage change on its own baseline."""
    if kind == TargetKind.DIRECTIONAL:
        return area_baseline
    force_target = target_value(kind=kind, value=value, baseline=force_baseline)
    if not force_baseline:
        return float("nan")
    return area_baseline * force_target / force_baseline


def meets(
    value: float | np.ndarray, target: float, *, good_direction: str, directional: bool
) -> bool | np.ndarray:
    """Whether `value` meets `target`: at or beyond it in the good direction, and strictly
    beyond it for a directional ("better than baseline") target. Works on arrays too."""
    values = np.asarray(value, dtype=float)
    if good_direction == Direction.INCREASE:
        result = values > target if directional else values >= target
    else:
        result = values < target if directional else values <= target
    result = result & ~np.isnan(values) & (not np.isnan(target))
    return bool(result) if result.ndim == 0 else result


def strict(*, directional: bool, baseline: float, good_direction: str, unit: str) -> bool:
    """Whether meeting the target needs a strict improvement on it. A directional ("better than
    the baseline") target does, unless the baseline is already the best the measure can take
    (0 for a measure that should fall, 100% for a percentage that should rise): there, holding
    the baseline meets the target, so zero fatal collisions against a baseline of zero is met."""
    if not directional:
        return False
    if good_direction == Direction.DECREASE:
        return not baseline <= 0
    return not (unit == Unit.PERCENT and baseline >= 100)


def trajectory(
    *, baseline: float, target: float, start: date, end: date, shape: str = "linear"
) -> pd.Series:
    """Expected rolling 12-month value for every month from `start` (the baseline's last
    month, value = baseline) to `end` (the target's last month, value = target)."""
    if shape not in TRAJECTORY_SHAPES:
        raise ValueError(f"trajectory shape must be one of {TRAJECTORY_SHAPES}")
    months = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="MS")
    progress = np.linspace(0.0, 1.0, len(months)) if len(months) > 1 else np.ones(1)
    if shape == "quadratic":
        progress = progress**2
    return pd.Series(baseline + (target - baseline) * progress, index=months)


def trajectory_at(path: pd.Series, month: date, baseline: float) -> float:
    """The trajectory's value at `month`: the baseline before it starts, the target after."""
    stamp = pd.Timestamp(month)
    if stamp < path.index[0]:
        return baseline
    if stamp > path.index[-1]:
        return float(path.iloc[-1])
    return float(path.loc[stamp])
