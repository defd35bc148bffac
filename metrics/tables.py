"""The tables the dashboard pages draw, computed from monthly frames (no drawing here).

- The **overview** has a row per measure for one area: the figures the status is judged on
  (rolling 12 months to the latest mature month, baseline, target, chance of meeting it), the
  status, SPC variation and assurance, the last 24 calendar months for a sparkline (a month
  with no figure is a gap, never closed up), and the status a month earlier. Rows are
  ordered exception first (missed, off track, at risk, on track, achieved, insufficient
  data). `exceptions_within` names the divisions and districts behind
  a force or division figure that are off track or at risk.
- A **league table** compares the areas of one level on one measure: rolling 12 months, rate
  per 1,000 residents (count measures), change on the previous 12 months, and the baseline,
  target, chance and status.
- The **peak window** is the run of consecutive hours (3 by default) holding the largest share
  of incidents across all days of the week; the plan's own peak window (18:00-21:00) is shown
  beside it with its share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from config.loader import Catalogue
from config.models import Measure
from config.vocabulary import Aggregation, Level
from metrics import periods, targets
from metrics.maturity import mature_rows
from metrics.scorecard import Score, target_for
from metrics.status import EXCEPTION_ORDER

SPARKLINE_MONTHS = 24


def area_frame(values: pd.DataFrame, measure: Measure, area: str) -> pd.DataFrame:
    """The monthly rows of one measure in one area."""
    return values[(values["measure"] == measure.code) & (values["area"] == area)]


def overview(now: dict[str, Score], before: dict[str, Score], catalogue: Catalogue) -> pd.DataFrame:
    """A row per measure for one area, exception first (see the module docstring), from its
    stored scores at the month chosen (`now`) and a month earlier (`before`), by measure code."""
    rows = []
    for order, measure in enumerate(catalogue.measures.measure):
        score, previous = now[measure.code], before[measure.code]
        recent = sparkline(score)
        rows.append(
            {
                "code": measure.code,
                "order": order,
                "status": score.status,
                "probability": score.probability,
                "judged_to": score.judged_to,
                "rolling_12m": score.rolling_12m,
                "baseline": score.baseline,
                "target": score.target,
                "target_kind": score.target_kind,
                "strict": score.strict,
                "change_on_baseline": score.rolling_12m - score.baseline,
                "change_on_baseline_pct": periods.Comparison(
                    score.rolling_12m, score.baseline
                ).change_pct,
                "variation": score.variation,
                "assurance": score.assurance,
                "forecast": score.forecast.value,
                "previous_status": previous.status,
                "status_changed": previous.status != score.status,
                "sparkline": [float(v) for v in recent],
                "score": score,
            }
        )
    frame = pd.DataFrame(rows)
    frame["_rank"] = frame["status"].map(EXCEPTION_ORDER)
    return frame.sort_values(["_rank", "order"]).drop(columns=["_rank", "order"])


def sparkline(score: Score) -> pd.Series:
    """The monthly values of the last `SPARKLINE_MONTHS` calendar months to the month chosen
    (from the first month with data, if later): missing months stay, as missing values."""
    values = score.spc.frame["value"]
    if values.empty:
        return values.astype(float)
    last = pd.Timestamp(score.as_of)
    first = max(last - pd.DateOffset(months=SPARKLINE_MONTHS - 1), values.index.min())
    return values.reindex(pd.date_range(first, last, freq="MS")).astype(float)


def exceptions_within(leagues: dict[str, pd.DataFrame], areas: list[str]) -> dict[str, list[str]]:
    """For each status word, the `areas` (divisions or districts, in the order given) whose
    league row has it. `leagues` maps a level to its league table for one measure."""
    found: dict[str, list[str]] = {}
    for table in leagues.values():
        for row in table.itertuples():
            if row.area in areas:
                found.setdefault(row.status, []).append(row.area)
    order = {a: i for i, a in enumerate(areas)}
    return {word: sorted(names, key=order.__getitem__) for word, names in found.items()}


def area_population(catalogue: Catalogue, area: str) -> int:
    """Residents of a district, a division or the force (population used for rates)."""
    geo = catalogue.geography
    level = catalogue.area_level(area)
    if level == Level.DISTRICT:
        districts = [geo.district_by_name(area)]
    elif level == Level.DIVISION:
        districts = geo.districts_of(area)
    else:
        districts = geo.district
    return sum(geo.population(d) for d in districts)


LEAGUE_COLUMNS = [
    "area", "rolling_12m", "rate_per_1000", "previous_12m", "change", "change_pct", "baseline",
    "target", "strict", "target_kind", "probability", "status", "judged_to", "population",
    "score",
]  # fmt: skip


def league(scores: dict[str, Score], catalogue: Catalogue, measure: Measure) -> pd.DataFrame:
    """Every area of one level with figures of `measure` (`scores`: its stored score by area):
    rolling 12 months, rate per 1,000, change on the previous 12 months, the baseline and
    target the status is judged on, the chance of meeting the target and the status; highest
    rate (or value) first."""
    rows = []
    for area, result in scores.items():
        population = area_population(catalogue, area)
        rate = (
            periods.rate_per_1000(result.rolling_12m, population)
            if measure.rate_per_1000
            else np.nan
        )
        rows.append(
            {
                "area": area,
                "rolling_12m": result.rolling_12m,
                "rate_per_1000": rate,
                "previous_12m": result.previous_12m,
                "change": result.change,
                "change_pct": result.change_pct,
                "baseline": result.baseline,
                "target": result.target,
                "strict": result.strict,
                "target_kind": result.target_kind,
                "probability": result.probability,
                "status": result.status,
                "judged_to": result.judged_to,
                "population": population,
                "score": result,
            }
        )
    frame = pd.DataFrame(rows, columns=LEAGUE_COLUMNS)
    if frame.empty:
        return frame
    key = "rate_per_1000" if measure.rate_per_1000 else "rolling_12m"
    return frame.sort_values([key, "area"], ascending=[False, True]).reset_index(drop=True)


def survey_interval(
    values: pd.DataFrame, measure: Measure, area: str, as_of: date
) -> tuple[float, float]:
    """Wilson 95% interval of a survey or ratio measure over the 12 months to `as_of`."""
    frame = area_frame(values, measure, area)
    window = periods.complete(frame, periods.shift_month(as_of, -11), as_of)
    return periods.wilson_interval(window["numerator"].sum(), window["denominator"].sum())


def cumulative_since(
    values: pd.DataFrame, measure: Measure, area: str, first: date, as_of: date
) -> float:
    """Total of a count measure from `first` to `as_of` (for small numbers)."""
    frame = area_frame(values, measure, area)
    window = periods.complete(frame, first, as_of)
    return float(window["value"].sum())


def hour_weekday_matrix(cells: pd.DataFrame, area: str) -> pd.DataFrame:
    """24 x 7 counts (rows: hour 0-23; columns: Monday-Sunday) for one area."""
    mine = cells[cells["area"] == area]
    matrix = mine.pivot_table(
        index="hour", columns="weekday", values="count", aggfunc="sum", fill_value=0
    )
    return matrix.reindex(index=range(24), columns=range(7), fill_value=0).astype(int)


def matrix_total(matrix: pd.DataFrame) -> int:
    """All incidents in an hour x weekday matrix."""
    return int(matrix.to_numpy().sum())


def window_share(matrix: pd.DataFrame, first: int, end: int) -> float:
    """Share of all incidents from hour `first` up to (not including) hour `end`."""
    by_hour = matrix.sum(axis=1).to_numpy(dtype=float)
    total = by_hour.sum()
    return float(by_hour[first:end].sum() / total) if total else float("nan")


def peak_window(matrix: pd.DataFrame, hours: int = 3) -> tuple[int, int, float]:
    """(first hour, hour after the last, share of all incidents) of the busiest run of
    `hours` consecutive hours, summed over the days of the week."""
    shares = [window_share(matrix, start, start + hours) for start in range(24 - hours + 1)]
    if all(np.isnan(shares)):
        return 0, hours, float("nan")
    start = int(np.nanargmax(shares))
    return start, start + hours, shares[start]


@dataclass(frozen=True)
class Detail:
    """Everything an operation page shows for one measure in one area."""

    score: Score
    has_data: bool
    rolling: pd.Series  # rolling 12 months, by the window's last month; gaps as missing values
    gaps: tuple[date, ...]  # months with no row between the area's first and last month
    trajectory: pd.Series  # expected rolling 12 months from the baseline to the target
    target_end: pd.Timestamp
    interval: tuple[float, float]  # Wilson 95% interval of a survey or ratio (else nan)
    cumulative: float  # small numbers: total since the data begin
    cumulative_since_baseline: float  # small numbers: total since the baseline began


def measure_detail(
    values: pd.DataFrame,
    result: Score,
    catalogue: Catalogue,
    measure: Measure,
    area: str,
    loaded: Iterable[date] = (),
) -> Detail:
    """From the area's stored score `result` and its monthly `values`: the rolling 12-month
    series (mature months only, every calendar month from the first complete window, gaps as
    missing values), the months with no data, the trajectory, the survey interval and, for
    small numbers, cumulative totals since the data begin and since the baseline began.
    `loaded`: the months the measure was loaded for (the force's; see `score_in`)."""
    young = frozenset(pd.Timestamp(m) for m in result.provisional_months)
    rows = periods.with_loaded_months(
        area_frame(values, measure, area), loaded, measure.aggregation
    )
    frame = mature_rows(rows, young, result.judged_to)
    target, _ = target_for(catalogue, measure.code, area)
    interval = (np.nan, np.nan)
    if measure.aggregation != Aggregation.SUM:
        interval = survey_interval(values, measure, area, result.judged_to)
    cumulative = since_baseline = np.nan
    if measure.small_numbers and not frame.empty:
        first = pd.to_datetime(frame["month"]).min().date()
        cumulative = cumulative_since(values, measure, area, first, result.judged_to)
        since_baseline = cumulative_since(
            values, measure, area, measure.baseline.first, result.judged_to
        )
    rolling = periods.rolling_12(frame, aggregation=measure.aggregation)
    if rolling.notna().any():  # from the first complete window
        rolling = rolling.loc[rolling.first_valid_index() :]
    gaps: tuple[date, ...] = ()  # months with no row: a provisional month is not a gap
    shown = rows[pd.to_datetime(rows["month"]) <= pd.Timestamp(result.as_of)]
    if not shown.empty:
        months = pd.to_datetime(shown["month"])
        gaps = periods.window(shown, months.min().date(), months.max().date()).missing
    return Detail(
        score=result,
        has_data=not frame.empty,
        rolling=rolling if rolling.notna().any() else rolling.iloc[:0],
        gaps=gaps,
        trajectory=targets.trajectory(
            baseline=result.baseline,
            target=result.target,
            start=measure.baseline.last,
            end=target.period.last,
            shape=target.trajectory,
        ),
        target_end=pd.Timestamp(target.period.last),
        interval=interval,
        cumulative=cumulative,
        cumulative_since_baseline=since_baseline,
    )
