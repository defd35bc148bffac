"""Rare events: a c chart with exact Poisson limits, for counts too small for an XmR chart.

**Which measures.** A count measure configured as `small_numbers` (fatal e-bike collisions),
and any count measure whose fitting window (the months the limits are fitted on) averages
fewer than `rare_event_mean` events a month in an area (config/signals.toml `[spc]`): civil
orders in a small district, say. There the XmR chart misleads: its limits rest on moving
ranges of 0s and 1s, its lower limit is 0, and a run of ordinary months with no event reads as
a "shift below the mean", an improvement, while one or two events read as special causes.

**Why a c chart and not a g chart.** A g chart plots the days (or incidents) between events;
the store holds monthly counts only (police.uk files and the monthly returns carry no event
dates), and "months between events" loses every month with two events and cannot tell a month
with no event from a month with no file. A c chart keeps one point per calendar month, so the
months, gaps, provisional months, recalculation points and fitting window are those of every
other chart, and the same chart code draws it. The g chart's one strength, seeing a long gap
between events as a fall, is kept below (rule 2) on monthly counts. With exact Poisson limits
the c chart is right at any rate, however small (probability limits for attribute charts with
a small mean: Montgomery, *Introduction to Statistical Quality Control*, on the c chart;
rare-event charts: Provost and Murray, *The Health Care Data Guide*, 2011, chapter 7).

**Limits.** The centre line is the mean count of the fitting window. The limits are Poisson
quantiles (scipy) at that mean at the normal 3-sigma tail probabilities (0.135% each side):
the upper limit is the smallest count with at most a 0.135% chance of being exceeded, the lower
the largest count below which there is at most 0.135%; the 2-sigma lines likewise at 2.275%.
A count can take nothing below 0, so no truncation is needed; below a mean of 6.6 a month the
lower limit is 0 and no month can fall below it.

**Special cause** (no rule fires on one or two events):

1. **Outside**: a month above the upper limit *with at least 3 events*, or below a lower limit
   above 0. With a centre of 0 (no event in the fitting window) the upper limit is 0, and one
   death must not read as a change in the process: 3 in one month, when the usual month has
   none and at 2 a year fewer than 1 month in 1,400 would have 3, is a change.
2. **Shift**: a run on one side of the centre line as unlikely as the usual run of
   `shift_run` (7) points on one side of a symmetric process (1 in 2^7): the run needs
   `max(shift_run, ceil(shift_run x ln 1/2 / ln p))` points, where p is the Poisson chance of
   a month on that side at the centre's rate. Under a centre of 1 event a month, a month with
   none is the usual month (p = e^-centre, over 37%): at 2 a year it takes 30 months with no
   event in a row to signal a fall, never a run of 7 ordinary ones. A run above needs at least
   `shift_run` months with an event each, so at least 7 events.
3. **Trend**: `trend_run` (7) months each strictly higher (or lower) than the one before: at
   least 0 + 1 + ... + 6 = 21 events.

The two-of-three rule is not used: at a mean under a few events the 2-sigma line lies at 1 or
2 events, so two months of one or two events would signal. Special causes are an improvement
or a concern by the side they are on and the good direction, as on an XmR chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from config.vocabulary import Direction, Improvement
from metrics import spc

THREE_SIGMA_TAIL = float(stats.norm.sf(3))  # 0.135%: the chance beyond each 3-sigma limit
TWO_SIGMA_TAIL = float(stats.norm.sf(2))  # 2.275%: beyond each 2-sigma line
MIN_EVENTS_OUTSIDE = 3  # a month above the upper limit signals only with this many events
SYMMETRIC_SIDE = 0.5  # the chance of a side in the run rule's own, symmetric, process

# --- validate --------------------------------------------------------------------------------


def _validate(
    values: Sequence[float] | pd.Series | np.ndarray,
    improvement: Improvement | Direction,
    baseline_points: int | None,
    shift_run: int,
    trend_run: int,
) -> np.ndarray:
    array = spc._validate(values, improvement, baseline_points, shift_run, trend_run)
    if (array < 0).any() or not np.allclose(array, np.round(array)):
        raise ValueError("a c chart needs counts: whole numbers from 0")
    return array


# --- calculate -------------------------------------------------------------------------------


def poisson_limits(centre: float) -> dict[str, float]:
    """Exact Poisson limits and 2-sigma lines at a mean of `centre` events a month."""
    if np.isnan(centre):
        return dict.fromkeys(("lpl", "upl", "lower_2sigma", "upper_2sigma"), float("nan"))
    rate = stats.poisson(max(centre, 0.0))
    return {
        "lpl": float(rate.ppf(THREE_SIGMA_TAIL)),
        "upl": float(rate.ppf(1 - THREE_SIGMA_TAIL)),
        "lower_2sigma": float(rate.ppf(TWO_SIGMA_TAIL)),
        "upper_2sigma": float(rate.ppf(1 - TWO_SIGMA_TAIL)),
    }


def run_length(side_chance: float, shift_run: int) -> float:
    """Points in a run on a side with chance `side_chance` that are as unlikely as `shift_run`
    on one side of a symmetric process (at least `shift_run`; infinite where every month is
    on that side, so no run there means anything)."""
    if side_chance >= 1:
        return math.inf
    if side_chance <= 0:
        return float(shift_run)
    needed = math.ceil(shift_run * math.log(SYMMETRIC_SIDE) / math.log(side_chance) - 1e-9)
    return float(max(shift_run, needed))


def side_chances(centre: float) -> tuple[float, float]:
    """The Poisson chances of a month above and below the centre line at its own rate."""
    rate = stats.poisson(max(centre, 0.0))
    above = float(rate.sf(math.floor(centre)))  # P(X > centre)
    below = float(rate.cdf(math.ceil(centre) - 1))  # P(X < centre)
    return above, below


def run_lengths(centre: float, shift_run: int) -> tuple[float, float]:
    """The points a run above and a run below the centre line need to signal (rule 2)."""
    above, below = side_chances(centre)
    return run_length(above, shift_run), run_length(below, shift_run)


# --- classify --------------------------------------------------------------------------------


def c_chart(
    values: Sequence[float] | pd.Series | np.ndarray,
    *,
    improvement: Improvement | Direction = Improvement.DECREASE,
    baseline_points: int | None = None,
    baseline_start: int = 0,
    shift_run: int = 7,
    trend_run: int = 7,
    target: float | None = None,
) -> pd.DataFrame:
    """A c chart of monthly counts (see the module docstring for the rules), one row per
    value, with the columns of `metrics.spc.xmr` (the centre line in `mean`). `frame.attrs`
    holds `trial_limits`, `variation` and `assurance` (the target against the exact limits)."""
    array = _validate(values, improvement, baseline_points, shift_run, trend_run)
    base = array[baseline_start : baseline_start + (baseline_points or array.size)]
    centre = float(base.mean()) if base.size else float("nan")
    limits = poisson_limits(centre)
    side = np.sign(array - centre).astype(int) if base.size else np.zeros(array.size, int)

    outside_high = (array > limits["upl"]) & (array >= MIN_EVENTS_OUTSIDE)
    outside_low = array < limits["lpl"]
    long_high, long_low = run_lengths(centre, shift_run) if base.size else (shift_run,) * 2
    run_high = spc._runs(np.where(side > 0, 1, 0), long_high)
    run_low = spc._runs(np.where(side < 0, -1, 0), long_low)
    rising, falling = spc._trend(array, trend_run)

    positional_high, positional_low = outside_high | run_high, outside_low | run_low
    high = positional_high | (rising & ~positional_low)
    low = positional_low | (falling & ~positional_high)
    point_type = spc.point_types(high, low, improvement)

    trial = int(baseline_points or array.size) < spc.MIN_POINTS_FOR_LIMITS
    frame = pd.DataFrame(
        {
            "value": array,
            "mean": centre,
            **limits,
            "outside": outside_high | outside_low,
            "shift": run_high | run_low,
            "trend": rising | falling,
            "two_in_three": np.zeros(array.size, bool),
            "special_cause": high | low,
            "point_type": point_type,
            "trial_limits": trial,
            "target": np.nan if target is None else float(target),
        }
    )
    frame.attrs.update(
        trial_limits=trial,
        variation=spc.variation_icon(frame),
        assurance=spc.assurance_icon(frame, target=target, improvement=improvement),
    )
    return frame
