"""Where an SPC chart's limits come from: its segments, the exceptional periods it leaves out,
the months each segment's limits are fitted on, and the sustained shifts that may call for a
new recalculation point.

- **Exceptional periods** (`[[exceptional]]` in config/signals.toml: the COVID-19 restrictions,
  March 2020 to July 2021, for every measure and area) are months that are no fair basis for
  limits: they are drawn, never judged and never fitted on. The rules never run across one:
  the first month after it starts a new segment, like a recalculation point, and that segment
  names the period.
- **Fitting window.** A segment's limits are fitted on the measure's **baseline year** when the
  segment holds all twelve of its months (present, mature and none exceptional). Otherwise they
  are fitted on the segment's **latest** `limit_points` (12 to 20) complete months: the process
  as it runs now, after the last recalculation point or exceptional period, not as it ran when
  the series began. Fewer than 12 complete months give *trial* limits on all of them.
- **Candidate recalculation points.** A sustained shift within a segment (8 or more months in a
  row on one side of its centre line, or 6 or more each higher, or each lower, than the last)
  is listed for analysts as a candidate recalculation point, dated at the run's first month. It
  is never applied by itself: as Making Data Count advises, a recalculation point needs a known
  cause, and an analyst adds it to config/signals.toml with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

Period = tuple[pd.Timestamp, pd.Timestamp, str]  # first month, last month, name
Candidate = tuple[pd.Timestamp, str, str]  # first month of the run, kind, what was seen

BASELINE_YEAR, LATEST = "baseline year", "latest months"  # what a segment was fitted on
SHIFT, TREND = "shift", "trend"  # the kinds of candidate recalculation point
CANDIDATE_SHIFT = 8  # months in a row on one side of the centre line
CANDIDATE_TREND = 6  # months in a row each higher (or lower) than the last


@dataclass(frozen=True)
class Start:
    """Where a segment starts: its position among the judged months, why, and the name of the
    exceptional period it follows ("" when it follows none)."""

    position: int
    reason: str
    after: str


@dataclass(frozen=True)
class Window:
    """The months a segment's limits are fitted on: `points` from position `offset`."""

    offset: int
    points: int
    fitted_on: str  # BASELINE_YEAR or LATEST


# --- validate --------------------------------------------------------------------------------


def overlapping(periods: Sequence[Period], months: pd.DatetimeIndex) -> tuple[Period, ...]:
    """The periods (first <= last) that overlap the months of a series, in date order."""
    for first, last, name in periods:
        if last < first:
            raise ValueError(f"exceptional period {name!r} ends before it starts")
    if months.empty:
        return ()
    found = [p for p in periods if p[0] <= months.max() and p[1] >= months.min()]
    return tuple(sorted((pd.Timestamp(a), pd.Timestamp(b), n) for a, b, n in found))


def months_of(periods: Sequence[Period]) -> tuple[pd.Timestamp, ...]:
    """Every month of the periods, in order: the months no model is fitted on."""
    found = {m for first, last, _ in periods for m in pd.date_range(first, last, freq="MS")}
    return tuple(sorted(found))


def held_out(months: pd.DatetimeIndex, periods: Sequence[Period]) -> np.ndarray:
    """True for the months inside any of the periods."""
    mask = np.zeros(len(months), dtype=bool)
    for first, last, _ in periods:
        mask |= np.asarray((months >= first) & (months <= last))
    return mask


# --- calculate -------------------------------------------------------------------------------


def segment_starts(
    months: pd.DatetimeIndex,
    recalculations: Sequence[tuple[pd.Timestamp, str]],
    periods: Sequence[Period],
) -> list[Start]:
    """Where the segments of the judged `months` start: the first month, each recalculation
    point and the first month after each exceptional period (events at the same position are
    joined). An event at or before the first month gives the first segment its reason."""
    events = [(pd.Timestamp(month), reason, "") for month, reason in recalculations]
    events += [(last + pd.offsets.MonthBegin(1), name, name) for _, last, name in periods]
    reasons: dict[int, list[str]] = {0: []}
    after: dict[int, str] = {0: ""}
    for month, reason, name in sorted(events, key=lambda e: e[0]):
        position = int(months.searchsorted(month))
        if position >= len(months) or (position == 0 and month < months[0]):
            continue  # after the series, or before it began
        reasons.setdefault(position, []).append(reason)
        after[position] = name or after.get(position, "")
    return [Start(p, "; ".join(reasons[p]), after[p]) for p in sorted(reasons)]


def fit_window(
    months: pd.DatetimeIndex, baseline: tuple[pd.Timestamp, pd.Timestamp], limit_points: int
) -> Window:
    """The months of one segment (its judged months) its limits are fitted on."""
    inside = (months >= baseline[0]) & (months <= baseline[1])
    expected = len(pd.date_range(baseline[0], baseline[1], freq="MS"))
    if inside.sum() == expected:
        return Window(int(np.flatnonzero(inside)[0]), expected, BASELINE_YEAR)
    points = min(limit_points, len(months))
    return Window(len(months) - points, points, LATEST)


# --- classify --------------------------------------------------------------------------------


def _runs(labels: Sequence[int] | np.ndarray, length: int) -> list[tuple[int, int, int]]:
    """(start, stop, label) of every run of at least `length` equal non-zero labels."""
    found, start = [], 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if labels[start] != 0 and i - start >= length:
                found.append((start, i, int(labels[start])))
            start = i
    return found


def candidates(
    values: pd.Series,
    centre: pd.Series,
    shift_lengths: tuple[float, float] = (CANDIDATE_SHIFT, CANDIDATE_SHIFT),
) -> list[Candidate]:
    """Sustained shifts and trends in one segment's judged `values` (indexed by month) about
    its `centre` line: (first month, SHIFT or TREND, what was seen). `shift_lengths`: the
    months a run above and a run below must last (longer on a chart of rare events, where a
    month with no event is the usual month: `metrics.rare.run_lengths`)."""
    tolerance = 1e-9 * max(1.0, float(np.nanmax(np.abs(centre)))) if len(centre) else 0.0
    offset = (values - centre).to_numpy()
    side = np.where(np.abs(offset) <= tolerance, 0, np.sign(offset)).astype(int)
    found = []
    for start, stop, label in _runs(side, CANDIDATE_SHIFT):
        if stop - start < shift_lengths[0 if label > 0 else 1]:
            continue
        where = "above" if label > 0 else "below"
        text = f"{stop - start} months in a row {where} the centre line"
        found.append((values.index[start], SHIFT, text))
    steps = np.sign(np.diff(values.to_numpy())).astype(int)
    for start, stop, label in _runs(steps, CANDIDATE_TREND - 1):
        how = "higher" if label > 0 else "lower"
        text = f"{stop - start + 1} months in a row, each {how} than the last"
        found.append((values.index[start], TREND, text))
    return sorted(found, key=lambda c: (c[0], c[1]))
