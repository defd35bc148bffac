"""One measure in one area at one month: every figure the board asks for, in one place.

It strings the other modules together: rolling 12 months and the year before (periods), the
baseline, the target and the trajectory (targets), SPC of the monthly series with its limits
fixed on the months up to the end of the baseline, so later months are judged against the
process before the plan (spc), the forecast of the target year (forecast) and the status
(status). The assurance icon asks whether the process as it is now will meet the target, so it
uses limits re-based on the latest 12 months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from config.models import Measure, Target
from metrics import forecast, periods, spc, status, targets


@dataclass(frozen=True)
class Score:
    as_of: date
    rolling_12m: float
    previous_12m: float
    change: float
    change_pct: float
    baseline: float
    target: float
    trajectory: float
    forecast: forecast.Forecast
    status: str
    variation: str
    assurance: str
    chart: pd.DataFrame  # the SPC frame, indexed by month


def monthly_target(measure: Measure, target_12m: float) -> float:
    """A 12-month target as the monthly value the SPC chart is assured against."""
    return target_12m / 12 if measure.aggregation == "sum" else target_12m


def score(
    frame: pd.DataFrame,
    *,
    measure: Measure,
    target: Target,
    own_target: bool,
    force_baseline: float,
    as_of: date,
    seed: int = 0,
    with_forecast: bool = True,
) -> Score:
    """Score one area's monthly frame (see `metrics.periods`) for `measure` at `as_of`.

    `target` is the area's own target when `own_target`, otherwise the force target, which is
    shared by the same percentage change on the area's baseline. Without `with_forecast` the
    (slow) forecast is skipped; the status does not depend on it."""
    history = frame[pd.to_datetime(frame["month"]) <= pd.Timestamp(as_of)]
    aggregation = measure.aggregation
    period = measure.baseline
    baseline = periods.period_value(
        history, aggregation=aggregation, first=period.first, last=period.last
    )
    if own_target:
        goal = targets.target_value(kind=target.kind, value=target.value, baseline=baseline)
    else:
        goal = targets.shared_target(
            kind=target.kind,
            value=target.value,
            force_baseline=force_baseline,
            area_baseline=baseline,
        )
    path = targets.trajectory(
        baseline=baseline,
        target=goal,
        start=period.last,
        end=target.period.last,
        shape=target.trajectory,
    )
    expected = targets.trajectory_at(path, as_of, baseline)
    compared = periods.year_on_year(history, aggregation=aggregation, as_of=as_of)

    monthly = periods.complete(history, last=as_of).dropna(subset=["value"])
    series = (
        monthly["value"]
        if aggregation == "sum"
        else (100 * monthly["numerator"] / monthly["denominator"])
    )
    base_points = int((monthly.index <= pd.Timestamp(period.last)).sum()) or None
    chart = spc.xmr(
        series.to_numpy(),
        improvement=measure.good_direction,
        baseline_points=base_points,
        target=monthly_target(measure, goal),
    )
    chart.index = monthly.index
    current = spc.xmr(
        series.to_numpy()[-12:],
        improvement=measure.good_direction,
        target=monthly_target(measure, goal),
    )
    directional = target.kind == "directional"
    predicted = forecast.NO_FORECAST
    if with_forecast and not np.isnan(goal):  # no baseline yet: nothing to forecast against
        predicted = forecast.forecast_period(
            history,
            aggregation=aggregation,
            unit=measure.unit,
            as_of=as_of,
            first=target.period.first,
            last=target.period.last,
            target=goal,
            good_direction=measure.good_direction,
            directional=directional,
            seed=seed,
        )
    word = status.classify(
        rolling=compared.current,
        baseline=baseline,
        target=goal,
        trajectory=expected,
        good_direction=measure.good_direction,
        directional=directional,
        variation=chart.attrs["variation"],
        target_year_complete=pd.Timestamp(as_of) >= pd.Timestamp(target.period.last),
    )
    return Score(
        as_of,
        compared.current,
        compared.previous,
        compared.change,
        compared.change_pct,
        baseline,
        goal,
        expected,
        predicted,
        word,
        chart.attrs["variation"],
        current.attrs["assurance"],
        chart,
    )


STATUS_COLUMNS = [
    "measure",
    "level",
    "area",
    "as_of",
    "rolling_12m",
    "baseline",
    "target",
    "trajectory",
    "forecast",
    "forecast_low",
    "forecast_high",
    "probability",
    "status",
    "variation",
    "assurance",
]


def force_baseline(force: pd.DataFrame, measure: Measure) -> float:
    """The force's baseline value of `measure`, from the force-level frame."""
    mine = force[force["measure"] == measure.code]
    return periods.period_value(
        mine,
        aggregation=measure.aggregation,
        first=measure.baseline.first,
        last=measure.baseline.last,
    )


def target_for(catalogue, code: str, area: str) -> tuple[Target, bool]:
    """The target that applies to `area`: its own if configured, else the force target."""
    for target in catalogue.targets.target:
        if target.measure == code and target.area == area:
            return target, True
    return catalogue.force_target(code), False


def status_table(
    *, catalogue, values: pd.DataFrame, force: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """A row per measure and area of `values` (the output of `db.queries.monthly_values` for one
    level), with the columns of `manage.py status`. `force` is the force-level frame, needed
    to share force targets with divisions and districts. Forecast bounds are the 95% interval."""
    rows = []
    for measure in catalogue.measures.measure:
        base = force_baseline(force, measure)
        mine = values[values["measure"] == measure.code]
        for (level, area), frame in mine.groupby(["level", "area"], sort=False):
            target, own = target_for(catalogue, measure.code, area)
            result = score(
                frame,
                measure=measure,
                target=target,
                own_target=own,
                force_baseline=base,
                as_of=as_of,
            )
            rows.append(
                [
                    measure.code,
                    level,
                    area,
                    as_of,
                    result.rolling_12m,
                    result.baseline,
                    result.target,
                    result.trajectory,
                    result.forecast.value,
                    result.forecast.low95,
                    result.forecast.high95,
                    result.forecast.probability,
                    result.status,
                    result.variation,
                    result.assurance,
                ]
            )
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)
