"""The SPC reading of one measure in one area, exactly as it is drawn: one set of limits for the
chart, its caption and both icons.

validate > calculate > classify, in the Making Data Count way:

- **Provisional months** (the measure's latest `maturity_months`, whose figures still rise as
  late outcomes or survey returns arrive) are drawn but take no part: they fit no limits, raise
  no special cause and set no icon.
- **Seasonal measures** are judged on seasonally adjusted values (see `metrics.seasonal`).
- **Too few points**: with fewer than `min_points` mature points (15 by default) the chart is a
  *run chart*: the median, no limits, and only the shift and trend rules.
- **Segments**: configured *recalculation points* (a known change, with its reason) split the
  series; every segment has limits of its own and the rules never run across a break.
- **Limits of a segment** are fitted on the measure's **baseline year** when the segment holds
  all of it (the plan asks whether the process has changed since then), otherwise on the
  segment's first `limit_points` points (12-20); fewer than 12 points give *trial* limits.
- **Truncated limits**: never below 0, and for percentages never above 100 (not on seasonally
  adjusted values, which additive factors can take below 0).
- **Icons**: the variation icon is that of the latest mature point; the assurance icon compares
  the target's monthly equivalent with the limits of the latest segment, as drawn (a target at
  a truncated bound is hit and miss; limits of no width give no assurance).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from config.signals import SpcSettings
from metrics import seasonal as seasonal_adjustment
from metrics import spc

XMR, RUN, NONE = "xmr", "run", "none"  # the kinds of chart
PROVISIONAL = "provisional"  # the point type of a month that is not yet mature
FIRST_SEGMENT_REASON = ""


@dataclass(frozen=True)
class Segment:
    """A stretch of months with limits of its own."""

    start: pd.Timestamp
    end: pd.Timestamp
    reason: str  # why the limits were recalculated at `start` ("" for the first segment)
    fitted_from: pd.Timestamp  # the months the limits were computed from
    fitted_to: pd.Timestamp
    on_baseline_year: bool
    centre: float
    lower: float
    upper: float
    spread: float  # the untruncated distance from the centre line to each limit
    trial: bool


@dataclass(frozen=True)
class Reading:
    """An SPC chart as drawn. `frame` is indexed by month with the columns value (as
    recorded), judged (the value the rules see: seasonally adjusted where that applies),
    centre, lpl, upl, lower_2sigma, upper_2sigma, segment, outside, shift, trend,
    two_in_three, special_cause, point_type (common_cause, improvement, concern, neutral or
    provisional) and provisional."""

    frame: pd.DataFrame
    kind: str  # XMR, RUN or NONE
    variation: str  # an icon of metrics.spc.variation_icon
    assurance: str  # an icon of metrics.spc.assurance_icon
    segments: tuple[Segment, ...]
    seasonal: seasonal_adjustment.SeasonalFactors | None
    seasonal_wanted: bool  # configured as seasonal (adjusted only with enough months)
    target: float  # the monthly equivalent of the target (nan without one)

    @property
    def latest(self) -> Segment | None:
        return self.segments[-1] if self.segments else None


def bounds(unit: str) -> tuple[float, float | None]:
    """What a measure can take: counts and hours from 0, percentages 0-100."""
    return 0.0, (100.0 if unit == "percent" else None)


def _segment_starts(
    index: pd.DatetimeIndex, recalculations: Sequence[tuple[pd.Timestamp, str]]
) -> list[tuple[int, str]]:
    starts = [(0, FIRST_SEGMENT_REASON)]
    for month, reason in sorted(recalculations):
        position = int(index.searchsorted(month))
        if position == 0 and month >= index[0]:  # at the first month: the series' own reason
            starts[0] = (0, reason)
        elif 0 < position < len(index):
            starts.append((position, reason))
    return starts


def _fit_window(
    months: pd.DatetimeIndex, baseline: tuple[pd.Timestamp, pd.Timestamp], limit_points: int
) -> tuple[int, int, bool]:
    """(first position, number of points, fitted on the baseline year) for one segment."""
    inside = (months >= baseline[0]) & (months <= baseline[1])
    expected = len(pd.date_range(baseline[0], baseline[1], freq="MS"))
    if inside.sum() == expected:
        return int(np.flatnonzero(inside)[0]), expected, True
    return 0, min(limit_points, len(months)), False


def _xmr_segments(
    judged: pd.Series,
    *,
    starts: list[tuple[int, str]],
    improvement: str,
    baseline: tuple[pd.Timestamp, pd.Timestamp],
    settings: SpcSettings,
    target: float,
    unit: str,
    adjusted: bool,
) -> tuple[pd.DataFrame, list[Segment]]:
    # Seasonally adjusted values can fall below 0 (additive factors): no truncation there.
    floor, ceiling = (None, None) if adjusted else bounds(unit)
    parts, segments = [], []
    edges = [s for s, _ in starts] + [len(judged)]
    for number, ((first, reason), end) in enumerate(zip(starts, edges[1:], strict=True)):
        piece = judged.iloc[first:end]
        offset, points, on_baseline = _fit_window(piece.index, baseline, settings.limit_points)
        frame = spc.xmr(
            piece.to_numpy(),
            improvement=improvement,
            baseline_points=points,
            baseline_start=offset,
            shift_run=settings.shift_run,
            trend_run=settings.trend_run,
            target=target,
            floor=floor,
            ceiling=ceiling,
        )
        frame.index = piece.index
        frame["segment"] = number
        parts.append(frame)
        segments.append(
            Segment(
                start=piece.index[0],
                end=piece.index[-1],
                reason=reason,
                fitted_from=piece.index[offset],
                fitted_to=piece.index[offset + points - 1],
                on_baseline_year=on_baseline,
                centre=float(frame["mean"].iat[0]),
                lower=float(frame["lpl"].iat[0]),
                upper=float(frame["upl"].iat[0]),
                spread=spc.LIMIT_FACTOR * float(frame.attrs["mean_moving_range"]),
                trial=points < spc.MIN_POINTS_FOR_LIMITS,
            )
        )
    return pd.concat(parts), segments


def _assurance(segment: Segment, target: float, improvement: str) -> str:
    """The assurance icon against the latest segment's limits. Where a limit is truncated
    (a count's lower limit at 0), the process reaches that bound routinely, so a target at the
    bound is hit and miss, not consistently passed or failed: the untruncated limits decide.
    Limits of no width (a baseline year with the same figure every month, such as no fatal
    collision at all) describe no variation to assure against: no assurance."""
    if not segment.spread > 0:
        return "none"
    limits = pd.DataFrame(
        {"lpl": [segment.centre - segment.spread], "upl": [segment.centre + segment.spread]}
    )
    return spc.assurance_icon(limits, target=target, improvement=improvement)


def _provisional_rows(provisional: pd.Series, judged: pd.Series, last: pd.Series | None):
    """Rows for the months that are not yet mature: drawn against the latest limits."""
    rows = pd.DataFrame(index=provisional.index)
    rows["value"] = judged.reindex(provisional.index)
    for column in ("mean", "lpl", "upl", "lower_2sigma", "upper_2sigma", "segment", "target"):
        rows[column] = np.nan if last is None else last[column]
    for column in ("outside", "shift", "trend", "two_in_three", "special_cause"):
        rows[column] = False
    rows["point_type"] = PROVISIONAL
    return rows


def read(
    series: pd.Series,
    *,
    improvement: str,
    unit: str,
    baseline: tuple[pd.Timestamp, pd.Timestamp],
    settings: SpcSettings,
    target: float = float("nan"),
    recalculations: Sequence[tuple[pd.Timestamp, str]] = (),
    provisional_from: pd.Timestamp | None = None,
    seasonal: bool = False,
    provisional: Collection[pd.Timestamp] = (),
) -> Reading:
    """The SPC reading of a monthly `series` (indexed by month, gaps left out). `target` is
    the target's monthly equivalent; `provisional_from` the first month not yet mature and
    `provisional` any other months not yet mature (wherever they lie: police.uk months
    published young)."""
    series = series.dropna().astype(float)
    young = series.index.isin(pd.DatetimeIndex(list(provisional)))
    if provisional_from is not None:
        young |= series.index >= provisional_from
    mature = series[~young]
    provisional_points = series.loc[series.index.difference(mature.index)]
    factors = None
    if seasonal:
        factors = seasonal_adjustment.estimate(
            mature, baseline_end=baseline[1], min_months=settings.seasonal_min_months
        )
    judged = factors.adjust(series) if factors else series

    if mature.empty:
        kind, segments = NONE, []
        frame = spc.run_chart([], improvement=improvement).assign(segment=0)
    elif len(mature) < settings.min_points:
        kind, segments = RUN, []
        frame = spc.run_chart(
            judged.loc[mature.index].to_numpy(),
            improvement=improvement,
            shift_run=settings.shift_run,
            trend_run=settings.trend_run,
        )
        frame.index = mature.index
        frame["segment"] = 0
    else:
        kind = XMR
        frame, segments = _xmr_segments(
            judged.loc[mature.index],
            starts=_segment_starts(mature.index, recalculations),
            improvement=improvement,
            baseline=baseline,
            settings=settings,
            target=target,
            unit=unit,
            adjusted=factors is not None,
        )
    last = frame.iloc[-1] if len(frame) else None
    latest = frame[frame["segment"] == frame["segment"].iat[-1]] if len(frame) else frame
    variation = spc.variation_icon(latest) if kind != NONE else "none"
    assurance = _assurance(segments[-1], target, improvement) if kind == XMR else "none"
    if len(provisional_points):
        rows = _provisional_rows(provisional_points, judged, last)
        frame = pd.concat([frame, rows]).sort_index()
    frame = frame.rename(columns={"value": "judged", "mean": "centre"})
    frame.insert(0, "value", series.reindex(frame.index))
    frame["provisional"] = frame["point_type"] == PROVISIONAL
    frame["target"] = target
    return Reading(
        frame=frame.drop(columns=["trial_limits"], errors="ignore"),
        kind=kind,
        variation=variation,
        assurance=assurance,
        segments=tuple(segments),
        seasonal=factors,
        seasonal_wanted=seasonal,
        target=target,
    )
