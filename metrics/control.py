"""The SPC reading of one measure in one area, exactly as it is drawn: one set of limits for the
chart, its caption and both icons.

validate > calculate > classify, in the Making Data Count way:

- **Provisional months** (the measure's latest `maturity_months`, whose figures still rise as
  late outcomes or survey returns arrive) are drawn but take no part: they fit no limits, raise
  no special cause and set no icon.
- **Seasonal measures** are judged on seasonally adjusted values (see `metrics.seasonal`).
- **Too few points**: with fewer than `min_points` mature points (15 by default) the chart is a
  *run chart*: the median, no limits, and only the shift and trend rules.
- **Exceptional periods** (the COVID-19 restrictions, March 2020 to July 2021) are drawn but
  take no part, like provisional months: they fit no limits and are never judged.
- **Segments**: configured *recalculation points* (a known change, with its reason) and the
  end of every exceptional period split the series; every segment has limits of its own and
  the rules never run across a break.
- **Limits of a segment** are fitted on the measure's **baseline year** when the segment holds
  all of it (the plan asks whether the process has changed since then), otherwise on the
  segment's latest `limit_points` (12-20) complete months; fewer than 12 give *trial* limits
  (see `metrics.fitting`, which also lists sustained shifts as candidate recalculation points).
- **Truncated limits**: never below 0, and for percentages never above 100 (not on seasonally
  adjusted values, which additive factors can take below 0).
- **Rare events**: a count measure configured as `small_numbers`, or one whose latest
  segment's fitting window averages under `rare_event_mean` events a month in the area, is read
  on a c chart with exact Poisson limits (`metrics.rare`), never XmR: same segments, fitting
  window and provisional months, on the counts as recorded (no seasonal adjustment).
- **Icons**: the variation icon is that of the latest mature point; the assurance icon compares
  the target's monthly equivalent with the limits of the latest segment, as drawn (a target on
  a limit, or at a truncated bound, is hit and miss; limits of no width give no assurance).
  A directional target ("better than the baseline") has the baseline mean as its monthly
  equivalent, inside the limits by construction: its assurance is `not_applicable`.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from config.signals import SpcSettings
from config.vocabulary import (
    Assurance,
    ChartKind,
    Direction,
    Improvement,
    PointType,
    Unit,
    Variation,
)
from metrics import fitting, rare, spc
from metrics import seasonal as seasonal_adjustment

XMR, RUN, NONE = ChartKind.XMR, ChartKind.RUN, ChartKind.NONE  # the kinds of chart
RARE = ChartKind.RARE  # a c chart with exact Poisson limits, for rare events (metrics.rare)
PROVISIONAL = PointType.PROVISIONAL  # the point type of a month that is not yet mature
EXCEPTIONAL = PointType.EXCEPTIONAL  # the point type of a month in an exceptional period


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
    fitted_on: str = fitting.BASELINE_YEAR  # fitting.BASELINE_YEAR or fitting.LATEST
    fitted_points: int = 0  # how many months the limits were fitted on
    after: str = ""  # the exceptional period the segment follows ("" when none)


@dataclass(frozen=True)
class Reading:
    """An SPC chart as drawn. `frame` is indexed by month with the columns value (as
    recorded), judged (the value the rules see: seasonally adjusted where that applies),
    centre, lpl, upl, lower_2sigma, upper_2sigma, segment, outside, shift, trend,
    two_in_three, special_cause, point_type (common_cause, improvement, concern, neutral,
    provisional or exceptional), provisional and exceptional. `exceptional` lists the
    exceptional periods within the chart's months (first, last, name); `candidates` the
    candidate recalculation points (first month, kind, what was seen)."""

    frame: pd.DataFrame
    # the words as plain strings once decoded (metrics.codec): a ChartKind, a Variation and an
    # Assurance, which compare equal to them
    kind: str  # XMR, RARE, RUN or NONE
    variation: str  # an icon of metrics.spc.variation_icon
    assurance: str  # an icon of metrics.spc.assurance_icon
    segments: tuple[Segment, ...]
    seasonal: seasonal_adjustment.SeasonalFactors | None
    seasonal_wanted: bool  # configured as seasonal (adjusted only with enough months)
    target: float  # the monthly equivalent of the target (nan without one)
    exceptional: tuple[fitting.Period, ...] = ()
    candidates: tuple[fitting.Candidate, ...] = ()

    @property
    def latest(self) -> Segment | None:
        return self.segments[-1] if self.segments else None


def bounds(unit: str) -> tuple[float, float | None]:
    """What a measure can take: counts and hours from 0, percentages 0-100."""
    return 0.0, (100.0 if unit == Unit.PERCENT else None)


def _xmr_segments(
    judged: pd.Series,
    *,
    starts: list[fitting.Start],
    improvement: Improvement | Direction,
    baseline: tuple[pd.Timestamp, pd.Timestamp],
    settings: SpcSettings,
    target: float,
    unit: str,
    adjusted: bool,
    rare_events: bool = False,
) -> tuple[pd.DataFrame, list[Segment]]:
    # Seasonally adjusted values can fall below 0 (additive factors): no truncation there.
    floor, ceiling = (None, None) if adjusted else bounds(unit)
    parts, segments = [], []
    edges = [s.position for s in starts] + [len(judged)]
    for number, (start, end) in enumerate(zip(starts, edges[1:], strict=True)):
        piece = judged.iloc[start.position : end]
        window = fitting.fit_window(piece.index, baseline, settings.limit_points)
        fit: dict[str, Any] = dict(
            improvement=improvement,
            baseline_points=window.points,
            baseline_start=window.offset,
            shift_run=settings.shift_run,
            trend_run=settings.trend_run,
            target=target,
        )
        if rare_events:
            frame = rare.c_chart(piece.to_numpy(), **fit)
        else:
            frame = spc.xmr(piece.to_numpy(), **fit, floor=floor, ceiling=ceiling)
        frame.index = piece.index
        frame["segment"] = number
        parts.append(frame)
        segments.append(
            Segment(
                start=piece.index[0],
                end=piece.index[-1],
                reason=start.reason,
                fitted_from=piece.index[window.offset],
                fitted_to=piece.index[window.offset + window.points - 1],
                on_baseline_year=window.fitted_on == fitting.BASELINE_YEAR,
                centre=float(frame["mean"].iat[0]),
                lower=float(frame["lpl"].iat[0]),
                upper=float(frame["upl"].iat[0]),
                spread=float(frame["upl"].iat[0] - frame["mean"].iat[0])
                if rare_events
                else spc.LIMIT_FACTOR * float(frame.attrs["mean_moving_range"]),
                trial=window.points < spc.MIN_POINTS_FOR_LIMITS,
                fitted_on=window.fitted_on,
                fitted_points=window.points,
                after=start.after,
            )
        )
    return pd.concat(parts), segments


def _run_segments(
    judged: pd.Series,
    *,
    starts: list[fitting.Start],
    improvement: Improvement | Direction,
    settings: SpcSettings,
) -> pd.DataFrame:
    """A run chart, with a median of its own after each exceptional period (the rules never
    run across one; recalculation points need limits, which a run chart has not)."""
    cuts = [s.position for s in starts if s.after or s.position == 0] + [len(judged)]
    parts = []
    for number, (first, end) in enumerate(itertools.pairwise(cuts)):
        piece = judged.iloc[first:end]
        frame = spc.run_chart(
            piece.to_numpy(),
            improvement=improvement,
            shift_run=settings.shift_run,
            trend_run=settings.trend_run,
        )
        frame.index = piece.index
        frame["segment"] = number
        parts.append(frame)
    return pd.concat(parts)


def _candidates(frame: pd.DataFrame, rare_events: bool) -> tuple[fitting.Candidate, ...]:
    """Candidate recalculation points in every segment of the judged frame; on a chart of
    rare events a run must be as unlikely as the usual candidate's (`metrics.rare`)."""
    found: list[fitting.Candidate] = []
    for _, piece in frame.groupby("segment", sort=True):
        lengths: tuple[float, float] = (fitting.CANDIDATE_SHIFT, fitting.CANDIDATE_SHIFT)
        if rare_events:
            lengths = rare.run_lengths(float(piece["mean"].iat[0]), fitting.CANDIDATE_SHIFT)
        found += fitting.candidates(piece["value"], piece["mean"], lengths)
    return tuple(found)


def _assurance(
    segments: list[Segment],
    target: float,
    improvement: Improvement | Direction,
    *,
    kind: ChartKind,
    directional: bool,
) -> Assurance:
    """The assurance icon against the latest segment's limits. A directional target is
    `not_applicable` on any chart (see the module docstring); a run chart has no limits to
    assure against. Where an XmR limit is truncated (a count's lower limit at 0), the process
    reaches that bound routinely, so a target at the bound is hit and miss, not consistently
    passed or failed: the untruncated limits decide; a c chart's exact limits are never
    truncated. Limits of no width (a baseline year with the same figure every month, such as
    no fatal collision at all) describe no variation to assure against: no assurance."""
    if kind == NONE:
        return Assurance.NONE
    if directional:
        return Assurance.NOT_APPLICABLE
    if kind == RUN or not segments[-1].spread > 0:
        return Assurance.NONE
    segment = segments[-1]
    low, high = segment.centre - segment.spread, segment.centre + segment.spread
    if kind == RARE:
        low, high = segment.lower, segment.upper
    limits = pd.DataFrame({"lpl": [low], "upl": [high]})
    return spc.assurance_icon(limits, target=target, improvement=improvement)


def _rows_not_judged(
    months: pd.Index, judged: pd.Series, last: pd.Series | None, point_type: PointType
) -> pd.DataFrame:
    """Rows for the months that are drawn but not judged: provisional months against the
    latest limits, months of an exceptional period against none."""
    rows = pd.DataFrame(index=months)
    rows["value"] = judged.reindex(months)
    drawn = last is not None and point_type == PROVISIONAL
    for column in ("mean", "lpl", "upl", "lower_2sigma", "upper_2sigma", "segment", "target"):
        rows[column] = last[column] if drawn and last is not None else np.nan
    for column in ("outside", "shift", "trend", "two_in_three", "special_cause"):
        rows[column] = False
    rows["point_type"] = point_type
    return rows


def _is_rare(
    counts: pd.Series,
    starts: list[fitting.Start],
    baseline: tuple[pd.Timestamp, pd.Timestamp],
    settings: SpcSettings,
) -> bool:
    """Whether a count's latest fitting window averages under `rare_event_mean` a month."""
    if not counts.round().eq(counts).all() or (counts < 0).any():
        return False  # not counts of events: no c chart
    last = starts[-1].position
    piece = counts.iloc[last:]
    window = fitting.fit_window(piece.index, baseline, settings.limit_points)
    fitted = piece.iloc[window.offset : window.offset + window.points]
    return float(fitted.mean()) < settings.rare_event_mean


def _judge(
    judged: pd.Series,
    *,
    improvement: Improvement | Direction,
    unit: str,
    baseline: tuple[pd.Timestamp, pd.Timestamp],
    settings: SpcSettings,
    target: float,
    starts: list[fitting.Start],
    adjusted: bool,
    rare_events: bool = False,
) -> tuple[ChartKind, pd.DataFrame, list[Segment]]:
    """The kind of chart, its frame and its segments, from the months that are judged
    (`rare_events`: counts as recorded, read on a c chart)."""
    if judged.empty:
        return NONE, spc.run_chart([], improvement=improvement).assign(segment=0), []
    if len(judged) < settings.min_points:
        frame = _run_segments(judged, starts=starts, improvement=improvement, settings=settings)
        return RUN, frame, []
    frame, segments = _xmr_segments(
        judged,
        starts=starts,
        improvement=improvement,
        baseline=baseline,
        settings=settings,
        target=target,
        unit=unit,
        adjusted=adjusted,
        rare_events=rare_events,
    )
    return (RARE if rare_events else XMR), frame, segments


def read(
    series: pd.Series,
    *,
    improvement: Improvement | Direction,
    unit: str,
    baseline: tuple[pd.Timestamp, pd.Timestamp],
    settings: SpcSettings,
    target: float = float("nan"),
    recalculations: Sequence[tuple[pd.Timestamp, str]] = (),
    provisional_from: pd.Timestamp | None = None,
    seasonal: bool = False,
    exceptional: Sequence[fitting.Period] = (),
    small_numbers: bool = False,
    directional: bool = False,
    provisional: Collection[pd.Timestamp] = (),
) -> Reading:
    """The SPC reading of a monthly `series` (indexed by month, gaps left out). `target` is
    the target's monthly equivalent; `provisional_from` the first month not yet mature and
    `provisional` any other months not yet mature (wherever they lie: police.uk months
    published young); `exceptional` the exceptional periods (first month, last month, name)
    that apply; `small_numbers` a measure configured as rare events; `directional` a target
    that is only "better than the baseline" (assurance does not apply)."""
    series = series.dropna().astype(float)
    young = series.index.isin(pd.DatetimeIndex(list(provisional)))
    if provisional_from is not None:
        young |= series.index >= provisional_from
    mature = series[~young]
    provisional_points = series.loc[series.index.difference(mature.index)]
    periods = fitting.overlapping(exceptional, series.index)
    held_out = fitting.held_out(mature.index, periods)
    months = mature.index[~held_out]
    starts = fitting.segment_starts(months, recalculations, periods)
    rare_events = (
        unit == Unit.COUNT
        and len(months) >= settings.min_points
        and (small_numbers or _is_rare(series.loc[months], starts, baseline, settings))
    )
    factors = None
    if seasonal and not rare_events:  # the season is estimated on the months that are judged
        factors = seasonal_adjustment.estimate(
            mature[~held_out], baseline_end=baseline[1], min_months=settings.seasonal_min_months
        )
    judged = factors.adjust(series) if factors else series
    kind, frame, segments = _judge(
        judged.loc[months],
        improvement=improvement,
        unit=unit,
        baseline=baseline,
        settings=settings,
        target=target,
        starts=starts,
        adjusted=factors is not None,
        rare_events=rare_events,
    )
    candidates = _candidates(frame, kind == RARE) if len(frame) else ()
    last = frame.iloc[-1] if len(frame) else None
    latest = frame[frame["segment"] == frame["segment"].iat[-1]] if len(frame) else frame
    variation = spc.variation_icon(latest) if kind != NONE else Variation.NONE
    assurance = _assurance(segments, target, improvement, kind=kind, directional=directional)
    extra = [_rows_not_judged(mature.index[held_out], judged, last, EXCEPTIONAL)]
    extra.append(_rows_not_judged(provisional_points.index, judged, last, PROVISIONAL))
    extra = [rows for rows in extra if len(rows)]
    if extra:
        frame = pd.concat([frame, *extra]).sort_index()
    frame = frame.rename(columns={"value": "judged", "mean": "centre"})
    frame.insert(0, "value", series.reindex(frame.index))
    frame["provisional"] = frame["point_type"] == PROVISIONAL
    frame["exceptional"] = frame["point_type"] == EXCEPTIONAL
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
        exceptional=periods,
        candidates=candidates,
    )
