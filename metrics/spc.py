"""Statistical process control: XmR charts in the NHS "Making Data Count" style.

An XmR chart asks whether a change is real or noise. The centre line is the mean of the
baseline points; the process limits are the mean plus and minus 2.66 times the mean moving
range (the average absolute difference between consecutive baseline points), which is where
about three standard deviations of routine variation lie. A point is **special cause** (a real
change) when any of four rules holds:

1. **Outside the limits**: the point is above the upper or below the lower process limit.
2. **Shift**: it is one of a run of 7 or more consecutive points on the same side of the mean.
   A point exactly on the mean breaks the run.
3. **Trend**: it is one of a run of 7 or more consecutive points each strictly higher (or each
   strictly lower) than the one before, counting the first. Equal neighbours break the trend.
4. **Two of three**: two of three consecutive points lie beyond the 2-sigma line (two thirds of
   the way from the mean to a process limit) on the same side, with all three on that side of
   the mean. The points beyond the 2-sigma line are flagged (a point beyond the process limit
   is also beyond the 2-sigma line).

Special-cause points are an **improvement** or a **concern** according to the side they are on
(for a trend, its direction) and the direction that is good; where no direction is good they
are **neutral**. All other points are **common cause**: routine variation. With fewer than 12
points the limits are computed but marked as trial limits. When `screen_outliers` is set, moving
ranges above 3.267 times the mean moving range (the moving-range chart's upper limit) are left
out and the mean moving range is recomputed, so one extreme month does not widen the limits.

Limits are **truncated** to what the measure can take (`floor`, `ceiling`): a count has no
lower limit below 0, a percentage no upper limit above 100.

The assurance icon compares a target with the limits: a target outside the limits on the bad
side will **consistently fail**, outside on the good side will **consistently pass**, and inside
the limits **or on one** will be **hit and miss** unless the process changes (a target exactly on
a limit is hit and miss in NHSRplotthedots and PowerBI-SPC alike: the process reaches its limits).
Where the target is directional ("better than the baseline") its monthly equivalent is the
baseline mean, inside the limits by construction, so assurance **does not apply**
(`not_applicable`, decided by `metrics.control`): the chance of meeting the target says more.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from config.vocabulary import Assurance, Direction, Improvement, PointType, Variation

LIMIT_FACTOR = 2.66  # mean moving range -> 3-sigma process limits
MOVING_RANGE_LIMIT = 3.267  # upper limit of the moving-range chart, for screening outliers
TWO_SIGMA_SHARE = 2 / 3  # the 2-sigma line lies two thirds of the way to the process limit
MIN_POINTS_FOR_LIMITS = 12  # fewer baseline points: trial limits
IMPROVEMENTS = tuple(i.value for i in Improvement)  # as plain strings, for messages
# the point types the rules give (metrics.control adds provisional and exceptional months)
POINT_TYPES = (PointType.COMMON_CAUSE, PointType.IMPROVEMENT, PointType.CONCERN, PointType.NEUTRAL)
NOT_APPLICABLE = Assurance.NOT_APPLICABLE  # assurance of a directional target (see the docstring)
ASSURANCE_ICONS = tuple(a.value for a in Assurance)

# --- validate --------------------------------------------------------------------------------


def _validate(
    values: Sequence[float] | pd.Series | np.ndarray,
    improvement: Improvement | Direction,
    baseline_points: int | None,
    shift_run: int,
    trend_run: int,
) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError("values must be one-dimensional")
    if np.isnan(array).any():
        raise ValueError("values must not contain missing values (NaN)")
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {IMPROVEMENTS}, not {improvement!r}")
    if baseline_points is not None and not baseline_points >= 1:
        raise ValueError("baseline_points must be at least 1")
    if shift_run < 2 or trend_run < 2:
        raise ValueError("shift_run and trend_run must be at least 2")
    return array


# --- calculate -------------------------------------------------------------------------------


def _limits(
    values: np.ndarray, baseline_points: int | None, baseline_start: int, screen_outliers: bool
) -> tuple[float, float]:
    """Mean and mean moving range of the baseline points."""
    base = values[baseline_start : baseline_start + (baseline_points or len(values))]
    if base.size == 0:
        return float("nan"), float("nan")
    ranges = np.abs(np.diff(base))
    if ranges.size == 0:
        return float(base.mean()), float("nan")
    mean_range = ranges.mean()
    if screen_outliers:
        kept = ranges[ranges <= MOVING_RANGE_LIMIT * mean_range]
        mean_range = kept.mean() if kept.size else mean_range
    return float(base.mean()), float(mean_range)


# --- classify --------------------------------------------------------------------------------


def _runs(labels: np.ndarray, length: float) -> np.ndarray:
    """True where a point belongs to a run of at least `length` equal non-zero labels."""
    flagged = np.zeros(labels.size, dtype=bool)
    start = 0
    for i in range(1, labels.size + 1):
        if i == labels.size or labels[i] != labels[start]:
            if labels[start] != 0 and i - start >= length:
                flagged[start:i] = True
            start = i
    return flagged


def _trend(values: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in runs of `length` or more strictly rising / strictly falling points."""
    rising = np.zeros(values.size, dtype=bool)
    falling = np.zeros(values.size, dtype=bool)
    steps = np.sign(np.diff(values))
    start = 0
    for i in range(1, steps.size + 1):
        if i == steps.size or steps[i] != steps[start]:
            points = i - start + 1  # steps start..i-1 join points start..i
            if steps.size and steps[start] != 0 and points >= length:
                (rising if steps[start] > 0 else falling)[start : i + 1] = True
            start = i
    return rising, falling


def _two_in_three(values: np.ndarray, mean: float, sigma2: float) -> tuple[np.ndarray, np.ndarray]:
    high = np.zeros(values.size, dtype=bool)
    low = np.zeros(values.size, dtype=bool)
    for i in range(values.size - 2):
        window = values[i : i + 3]
        for flags, beyond, side in (
            (high, window > mean + sigma2, window > mean),
            (low, window < mean - sigma2, window < mean),
        ):
            if beyond.sum() >= 2 and side.all():
                flags[i : i + 3] |= beyond
    return high, low


def xmr(
    values: Sequence[float] | pd.Series | np.ndarray,
    *,
    improvement: Improvement | Direction = Improvement.INCREASE,
    baseline_points: int | None = None,
    baseline_start: int = 0,
    shift_run: int = 7,
    trend_run: int = 7,
    screen_outliers: bool = False,
    target: float | None = None,
    floor: float | None = None,
    ceiling: float | None = None,
) -> pd.DataFrame:
    """XmR chart of `values` (see the module docstring for the rules), one row per value.

    Columns: value, mean, lpl, upl, lower_2sigma, upper_2sigma, outside, shift, trend,
    two_in_three, special_cause, point_type, trial_limits, target. `frame.attrs` holds
    `trial_limits`, `mean_moving_range`, `variation` and `assurance`. Limits (and 2-sigma
    lines) are truncated at `floor` and `ceiling` where given. The limits are fitted on
    `baseline_points` points from index `baseline_start` (default: from the first point).
    """
    array = _validate(values, improvement, baseline_points, shift_run, trend_run)
    mean, mean_range = _limits(array, baseline_points, baseline_start, screen_outliers)
    spread = LIMIT_FACTOR * mean_range
    sigma2 = TWO_SIGMA_SHARE * spread
    has_limits = not np.isnan(spread)
    low_bound = -np.inf if floor is None else floor
    high_bound = np.inf if ceiling is None else ceiling
    lpl, upl = max(mean - spread, low_bound), min(mean + spread, high_bound)

    # Differences within floating-point rounding of the mean count as on the line.
    tolerance = 1e-9 * max(1.0, abs(mean)) if array.size else 0.0
    offset = array - mean
    side = np.where(np.abs(offset) <= tolerance, 0, np.sign(offset))
    no_flags = np.zeros(array.size, bool)
    outside_high = array - upl > tolerance if has_limits else no_flags
    outside_low = lpl - array > tolerance if has_limits else no_flags
    shift_flags = _runs(side.astype(int), shift_run)
    rising, falling = _trend(array, trend_run)
    if has_limits and spread > tolerance:
        two_high, two_low = _two_in_three(array, mean, sigma2)
    else:
        two_high = two_low = np.zeros(array.size, bool)

    # The side a special cause is on: position for limits, runs and 2-of-3; direction for trends.
    # Position rules take precedence over a trend pointing the other way.
    positional_high = outside_high | two_high | (shift_flags & (side > 0))
    positional_low = outside_low | two_low | (shift_flags & (side < 0))
    high = positional_high | (rising & ~positional_low)
    low = positional_low | (falling & ~positional_high)
    special = high | low

    point_type = point_types(high, low, improvement)

    trial = int(baseline_points or array.size) < MIN_POINTS_FOR_LIMITS
    frame = pd.DataFrame(
        {
            "value": array,
            "mean": mean,
            "lpl": lpl if has_limits else np.nan,
            "upl": upl if has_limits else np.nan,
            "lower_2sigma": max(mean - sigma2, low_bound) if has_limits else np.nan,
            "upper_2sigma": min(mean + sigma2, high_bound) if has_limits else np.nan,
            "outside": outside_high | outside_low,
            "shift": shift_flags,
            "trend": rising | falling,
            "two_in_three": two_high | two_low,
            "special_cause": special,
            "point_type": point_type,
            "trial_limits": trial,
            "target": np.nan if target is None else float(target),
        }
    )
    frame.attrs.update(
        trial_limits=trial,
        mean_moving_range=mean_range,
        variation=variation_icon(frame),
        assurance=assurance_icon(frame, target=target, improvement=improvement),
    )
    return frame


def run_chart(
    values: Sequence[float] | pd.Series | np.ndarray,
    *,
    improvement: Improvement | Direction = Improvement.INCREASE,
    shift_run: int = 7,
    trend_run: int = 7,
) -> pd.DataFrame:
    """A run chart: the same columns as `xmr`, with the **median** as the centre line (in
    `mean`), no process limits, and only the shift (around the median) and trend rules."""
    array = _validate(values, improvement, None, shift_run, trend_run)
    median = float(np.median(array)) if array.size else float("nan")
    side = np.where(np.isclose(array, median), 0, np.sign(array - median)).astype(int)
    shift_flags = _runs(side, shift_run)
    rising, falling = _trend(array, trend_run)
    high = (shift_flags & (side > 0)) | (rising & ~(shift_flags & (side < 0)))
    low = (shift_flags & (side < 0)) | (falling & ~(shift_flags & (side > 0)))
    point_type = point_types(high, low, improvement)
    none = np.zeros(array.size, bool)
    frame = pd.DataFrame(
        {
            "value": array,
            "mean": median,
            "lpl": np.nan,
            "upl": np.nan,
            "lower_2sigma": np.nan,
            "upper_2sigma": np.nan,
            "outside": none,
            "shift": shift_flags,
            "trend": rising | falling,
            "two_in_three": none,
            "special_cause": high | low,
            "point_type": point_type,
            "trial_limits": False,
            "target": np.nan,
        }
    )
    return frame


def point_types(
    high: np.ndarray, low: np.ndarray, improvement: Improvement | Direction
) -> np.ndarray:
    """The point type of each point, from the flags of special causes above (`high`) and below
    (`low`) the centre line: common cause where neither is set; improvement or concern by the
    side that is good; neutral either side where no direction is good. The one rule for every
    chart (`xmr`, `run_chart`, `metrics.rare.c_chart`)."""
    point_type = np.full(high.size, PointType.COMMON_CAUSE, dtype=object)
    if improvement == Improvement.NEUTRAL:
        point_type[high | low] = PointType.NEUTRAL
        return point_type
    good_high = improvement == Improvement.INCREASE
    point_type[high] = PointType.IMPROVEMENT if good_high else PointType.CONCERN
    point_type[low] = PointType.CONCERN if good_high else PointType.IMPROVEMENT
    return point_type


def variation_icon(frame: pd.DataFrame) -> Variation:
    """The variation icon of the latest point: `common_cause`, or `<type>_<high|low>` for a
    special cause (for example `improvement_low`), or `none` for an empty chart."""
    if frame.empty:
        return Variation.NONE
    last = frame.iloc[-1]
    if not last["special_cause"]:
        return Variation.COMMON_CAUSE
    if last["trend"] and not (last["outside"] or last["shift"] or last["two_in_three"]):
        direction = "high" if len(frame) < 2 or last["value"] > frame["value"].iloc[-2] else "low"
    else:
        direction = "high" if last["value"] > last["mean"] else "low"
    return Variation(f"{last['point_type']}_{direction}")


def assurance_icon(
    frame: pd.DataFrame, *, target: float | None, improvement: Improvement | Direction
) -> Assurance:
    """`pass`, `fail` or `hit_and_miss` (a target inside the limits or on one) for a target
    against the process limits; `none` when there is no target (None or NaN), no good
    direction or no limits."""
    if (
        target is None
        or np.isnan(target)
        or improvement == Improvement.NEUTRAL
        or frame.empty
        or np.isnan(frame["upl"].iat[0])
    ):
        return Assurance.NONE
    lpl, upl = frame["lpl"].iat[0], frame["upl"].iat[0]
    if lpl <= target <= upl:
        return Assurance.HIT_AND_MISS
    target_below = target < lpl
    if improvement == Improvement.INCREASE:
        return Assurance.PASS if target_below else Assurance.FAIL
    return Assurance.FAIL if target_below else Assurance.PASS
