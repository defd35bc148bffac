"""One measure in one area at one month: every figure the board asks for, in one place.

It strings the other modules together: rolling 12 months and the year before (periods), the
baseline, the target and the trajectory (targets), the SPC reading as drawn (control), the
forecast of the target year with the chance of meeting the target (forecast) and the status
that chance gives (status).

**Complete windows.** The latest 12 months (to `judged_to`) and the baseline year are judged
only when every one of their months is loaded (`metrics.periods.window`): a partial one has no
figure, no forecast and no chance, and the status is "insufficient data". The score keeps how
many of each window's months are present and which are missing, so every page can say so.

**Provisional months** (`metrics.maturity`): a measure's latest `maturity_months` months, and
for police.uk outcomes every month whose outcomes were younger than `outcome_maturity_months`
at the publication it came from, wherever it lies. The status, the chance, the 12-month
figures and special-cause judgements are all taken at the latest *mature* month (`judged_to`)
without any provisional month's figure; provisional months are only drawn.

**Survey measures** carry their respondents and the Wilson 95% interval of the 12 months to
`judged_to` (`respondents`, `interval`), shown wherever the figure is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from config.loader import Catalogue
from config.models import Measure, Status, Target
from config.signals import Signals
from config.vocabulary import Aggregation, TargetKind
from metrics import control, fitting, forecast, maturity, periods, status, targets

NO_INTERVAL = (float("nan"), float("nan"))


@dataclass(frozen=True)
class Score:
    as_of: date  # the month chosen
    judged_to: date  # the latest mature month: every figure below is taken there
    rolling_12m: float
    previous_12m: float
    baseline: float
    target: float
    target_kind: str  # absolute, percent_change or directional
    strict: bool  # meeting the target needs a strict improvement on it
    target_end: date  # the last month of the target year (March 2027)
    target_year: float  # the target year's figure once it is complete (else nan)
    trajectory: float
    forecast: forecast.Forecast
    status: Status
    spc: control.Reading
    months_present: int  # of the 12 months to `judged_to`, those loaded
    months_missing: tuple[date, ...]  # and those not
    baseline_present: int  # of the baseline year's months (to `judged_to`), those loaded
    baseline_missing: tuple[date, ...]  # and those not
    provisional_months: tuple[date, ...] = ()  # months with a figure not yet mature, to as_of
    respondents: float = float("nan")  # survey: respondents in the 12 months to judged_to
    interval: tuple[float, float] = NO_INTERVAL  # survey: Wilson 95% interval of rolling_12m

    @property
    def change(self) -> float:
        return self.rolling_12m - self.previous_12m

    @property
    def change_pct(self) -> float:
        return periods.Comparison(self.rolling_12m, self.previous_12m).change_pct

    @property
    def probability(self) -> float:
        return self.forecast.probability

    @property
    def variation(self) -> str:
        return self.spc.variation

    @property
    def assurance(self) -> str:
        return self.spc.assurance

    @property
    def window_complete(self) -> bool:
        """Whether every month of the latest 12 is loaded."""
        return not self.months_missing

    @property
    def baseline_complete(self) -> bool:
        """Whether every month of the baseline year is loaded (and mature)."""
        return not self.baseline_missing

    @property
    def provisional(self) -> bool:
        """Whether later months than `judged_to` are drawn as provisional."""
        return self.judged_to < self.as_of


def mature_month(measure: Measure, as_of: date, frame: pd.DataFrame | None = None) -> date:
    """The latest mature month at `as_of` of the monthly rows `frame` (`metrics.maturity`);
    without rows, `maturity_months` earlier."""
    if frame is None:
        return periods.shift_month(as_of, -measure.maturity_months)
    return maturity.judged_to(frame, measure, as_of)


def survey_figures(
    mature: pd.DataFrame, measure: Measure, judged_to: date
) -> tuple[float, tuple[float, float]]:
    """(respondents, Wilson 95% interval) of a survey measure over the 12 months to
    `judged_to`; nothing for other measures."""
    if measure.aggregation != Aggregation.SURVEY or mature.empty:
        return float("nan"), NO_INTERVAL
    window = periods.complete(mature, periods.shift_month(judged_to, -11), judged_to)
    respondents = float(window["denominator"].sum())
    return respondents, periods.wilson_interval(window["numerator"].sum(), respondents)


def monthly_target(measure: Measure, target_12m: float) -> float:
    """A 12-month target as the monthly value the SPC chart is assured against."""
    return target_12m / 12 if measure.aggregation == Aggregation.SUM else target_12m


def monthly_series(frame: pd.DataFrame, measure: Measure, as_of: date) -> pd.Series:
    """The monthly values SPC reads (a percentage for ratios and surveys), gaps left out."""
    monthly = periods.complete(frame, last=as_of).dropna(subset=["value"])
    if measure.aggregation == Aggregation.SUM:
        return monthly["value"]
    return periods.ratio_percent(monthly["numerator"], monthly["denominator"])


def _goal(target: Target, own: bool, baseline: float, force: float) -> float:
    if own:
        return targets.target_value(kind=target.kind, value=target.value, baseline=baseline)
    return targets.shared_target(
        kind=target.kind, value=target.value, force_baseline=force, area_baseline=baseline
    )


def _window(
    mature: pd.DataFrame, young: frozenset[pd.Timestamp], first: date, last: date
) -> periods.Window:
    """The months of a window with a figure that counts, and those with no row at all: a
    provisional month (`young`, its figure blanked in `mature`) is neither, so the window is
    not judged and the words can say why."""
    found = periods.window(mature, first, last)
    gone = tuple(m for m in found.missing if pd.Timestamp(m) not in young)
    return periods.Window(months=found.months, present=found.present, missing=gone)


def score(
    frame: pd.DataFrame,
    *,
    measure: Measure,
    target: Target,
    own_target: bool,
    force_baseline: float,
    as_of: date,
    signals: Signals,
    recalculations: tuple[tuple[pd.Timestamp, str], ...] = (),
    exceptional: tuple[tuple[pd.Timestamp, pd.Timestamp, str], ...] = (),
) -> Score:
    """Score one area's monthly frame (see `metrics.periods`) for `measure` at `as_of`.

    `target` is the area's own target when `own_target`, otherwise the force target, shared
    by the same percentage change on the area's baseline."""
    history = frame[pd.to_datetime(frame["month"]) <= pd.Timestamp(as_of)]
    young = maturity.provisional_months(history, measure, as_of)
    judged_to = maturity.judged_to(history, measure, as_of)
    mature = maturity.mature_rows(history, young, judged_to)
    aggregation = measure.aggregation
    period = measure.baseline
    baseline = float("nan")  # until the whole baseline year is mature
    if pd.Timestamp(judged_to) >= pd.Timestamp(period.last):
        baseline = periods.period_value(
            mature, aggregation=aggregation, first=period.first, last=period.last
        )
    goal = _goal(target, own_target, baseline, force_baseline)
    strict = targets.strict(
        directional=target.kind == TargetKind.DIRECTIONAL,
        baseline=baseline,
        good_direction=measure.good_direction,
        unit=measure.unit,
    )
    path = targets.trajectory(
        baseline=baseline,
        target=goal,
        start=period.last,
        end=target.period.last,
        shape=target.trajectory,
    )
    compared = periods.year_on_year(mature, aggregation=aggregation, as_of=judged_to)
    reading = control.read(
        monthly_series(history, measure, as_of),
        improvement=measure.good_direction,
        unit=measure.unit,
        baseline=(pd.Timestamp(period.first), pd.Timestamp(period.last)),
        settings=signals.spc,
        target=monthly_target(measure, goal),
        recalculations=recalculations,
        exceptional=exceptional,
        provisional_from=pd.Timestamp(periods.shift_month(judged_to, 1)),
        seasonal=measure.seasonal,
        small_numbers=measure.small_numbers,
        directional=target.kind == TargetKind.DIRECTIONAL,
        provisional=young,
    )
    latest = _window(mature, young, periods.shift_month(judged_to, -11), judged_to)
    base = _window(mature, young, period.first, period.last)
    predicted = forecast.NO_FORECAST
    # no baseline yet: nothing to forecast against; a partial latest 12 months: not judged
    if not np.isnan(goal) and latest.is_complete:
        predicted = forecast.forecast_period(
            mature,
            aggregation=aggregation,
            unit=measure.unit,
            as_of=judged_to,
            first=target.period.first,
            last=target.period.last,
            target=goal,
            good_direction=measure.good_direction,
            directional=strict,
            small_numbers=measure.small_numbers,
            excluded=fitting.months_of(exceptional),
        )
    complete = pd.Timestamp(judged_to) >= pd.Timestamp(target.period.last)
    year = periods.period_value(
        mature, aggregation=aggregation, first=target.period.first, last=target.period.last
    )
    met = None
    if complete and not np.isnan(year) and not np.isnan(goal):
        met = bool(
            targets.meets(year, goal, good_direction=measure.good_direction, directional=strict)
        )
    word = status.classify(
        probability=predicted.probability,
        target_year_complete=complete,
        met=met,
        thresholds=signals.status,
    )
    respondents, interval = survey_figures(mature, measure, judged_to)
    held = set(pd.to_datetime(history["month"]))
    return Score(
        as_of=as_of,
        judged_to=judged_to,
        rolling_12m=compared.current,
        previous_12m=compared.previous,
        baseline=baseline,
        target=goal,
        target_kind=target.kind,
        strict=strict,
        target_end=target.period.last,
        target_year=year if complete else float("nan"),
        trajectory=targets.trajectory_at(path, judged_to, baseline),
        forecast=predicted,
        status=word,
        spc=reading,
        months_present=latest.present,
        months_missing=latest.missing,
        baseline_present=base.present,
        baseline_missing=base.missing,
        provisional_months=tuple(m.date() for m in sorted(young & held)),
        respondents=respondents,
        interval=interval,
    )


STATUS_COLUMNS = [
    "measure", "level", "area", "as_of", "judged_to", "rolling_12m", "baseline", "target",
    "trajectory", "forecast", "forecast_low", "forecast_high", "probability", "status",
    "variation", "assurance", "limits_from", "limits_to", "months_present", "respondents",
    "interval_low", "interval_high",
]  # fmt: skip


def force_baseline(force: pd.DataFrame, measure: Measure, as_of: date | None = None) -> float:
    """The force's baseline value of `measure`, from the force-level frame."""
    mine = force[force["measure"] == measure.code]
    if as_of is not None:
        mine = mine[pd.to_datetime(mine["month"]) <= pd.Timestamp(as_of)]
        judged_to = maturity.judged_to(mine, measure, as_of)
        if pd.Timestamp(judged_to) < pd.Timestamp(measure.baseline.last):
            return float("nan")
        young = maturity.provisional_months(mine, measure, as_of)
        mine = maturity.mature_rows(mine, young, judged_to)
    return periods.period_value(
        mine,
        aggregation=measure.aggregation,
        first=measure.baseline.first,
        last=measure.baseline.last,
    )


def target_for(catalogue: Catalogue, code: str, area: str) -> tuple[Target, bool]:
    """The target that applies to `area`: its own if configured, else the force target."""
    for target in catalogue.targets.target:
        if target.measure == code and target.area == area:
            return target, True
    return catalogue.force_target(code), False


def score_in(
    catalogue: Catalogue,
    frame: pd.DataFrame,
    force: pd.DataFrame,
    measure: Measure,
    area: str,
    as_of: date,
) -> Score:
    """Score `measure` in `area` from its monthly rows `frame`, with the catalogue's target,
    recalculation points, exceptional periods and signal settings for that area. A ratio's
    month loaded for the force with no row in the area had no case there: present, not
    missing."""
    target, own = target_for(catalogue, measure.code, area)
    loaded = force.loc[force["measure"] == measure.code, "month"]
    return score(
        periods.with_loaded_months(frame, loaded, measure.aggregation),
        measure=measure,
        target=target,
        own_target=own,
        force_baseline=force_baseline(force, measure, as_of),
        as_of=as_of,
        signals=catalogue.signals,
        recalculations=tuple(
            (pd.Timestamp(r.first), r.reason) for r in catalogue.recalculations(measure.code, area)
        ),
        exceptional=exceptional_periods(catalogue, measure.code, area),
    )


def exceptional_periods(
    catalogue: Catalogue, code: str, area: str
) -> tuple[tuple[pd.Timestamp, pd.Timestamp, str], ...]:
    """The exceptional periods of `code` in `area` as (first month, last month, name): what
    `control.read` (and any model fitted on the months) leaves out."""
    return tuple(
        (pd.Timestamp(e.first), pd.Timestamp(e.last), e.name)
        for e in catalogue.exceptional(code, area)
    )
