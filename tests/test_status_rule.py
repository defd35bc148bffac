"""The status rule: one rule for every measure, area and month, driven by the chance of meeting
the target. Hand-built cases, including each contradiction a board member found before."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from config import get_catalogue
from config.models import Status
from config.signals import StatusThresholds
from metrics import scorecard, status, targets
from present import wording

DEFAULT = StatusThresholds(on_track=0.75, off_track=0.25)


@pytest.mark.parametrize(
    ("probability", "complete", "met", "expected"),
    [
        (0.88, False, None, Status.ON_TRACK),
        (0.75, False, None, Status.ON_TRACK),  # the threshold itself is on track
        (0.746, False, None, Status.ON_TRACK),  # shown as 75%: judged as shown
        (0.744, False, None, Status.AT_RISK),  # shown as 74%
        (0.59, False, None, Status.AT_RISK),  # never "achieved" beside a 59% chance
        (0.25, False, None, Status.AT_RISK),
        (0.246, False, None, Status.AT_RISK),  # shown as 25%
        (0.244, False, None, Status.OFF_TRACK),  # shown as 24%
        (0.0, False, None, Status.OFF_TRACK),
        (1.0, False, None, Status.ON_TRACK),  # certain, but the year is not over: not achieved
        (np.nan, False, None, Status.INSUFFICIENT),
        (1.0, True, True, Status.ACHIEVED),
        (0.0, True, False, Status.MISSED),
        (np.nan, True, None, Status.INSUFFICIENT),
    ],
)
def test_status_rule(probability, complete, met, expected):
    word = status.classify(
        probability=probability, target_year_complete=complete, met=met, thresholds=DEFAULT
    )
    assert word == expected


@pytest.mark.parametrize(
    ("probability", "shown"),
    [(0.746, "75%"), (0.744, "74%"), (1.0, "over 95%"), (0.996, "over 95%"), (0.954, "95%"),
     (0.956, "over 95%"), (0.0, "under 5%"), (0.044, "under 5%"), (0.046, "5%"), (0.5, "50%"),
     (np.nan, "n/a")],
)  # fmt: skip
def test_the_chance_is_shown_as_it_is_judged(probability, shown):
    assert wording.chance(probability) == shown


def test_thresholds_come_from_configuration():
    strict = StatusThresholds(on_track=0.9, off_track=0.5)
    words = [
        status.classify(probability=p, target_year_complete=False, met=None, thresholds=strict)
        for p in (0.95, 0.8, 0.4)
    ]
    assert words == [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]
    assert get_catalogue().signals.status == DEFAULT


def test_a_higher_chance_never_gives_a_worse_status():
    """West Lancashire +2.6 pts 'at risk' beside Fylde +2.9 pts 'on track' was judged against
    different things; now the status orders exactly as the chance does."""
    chances = np.linspace(0, 1, 101)
    ranks = [
        status.EXCEPTION_ORDER[
            status.classify(probability=p, target_year_complete=False, met=None, thresholds=DEFAULT)
        ]
        for p in chances
    ]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(
    ("directional", "baseline", "direction", "unit", "strict"),
    [
        (True, 54064, "decrease", "count", True),
        (True, 0, "decrease", "count", False),  # zero fatal collisions: holding zero meets it
        (True, 100, "increase", "percent", False),
        (True, 70, "increase", "percent", True),
        (False, 0, "decrease", "count", False),
    ],
)
def test_a_baseline_at_its_best_is_met_by_holding_it(
    directional, baseline, direction, unit, strict
):
    assert (
        targets.strict(
            directional=directional, baseline=baseline, good_direction=direction, unit=unit
        )
        is strict
    )


# --- whole scores on hand-built monthly frames -------------------------------------------------


def frame(values, start="2022-04", numerators=None, denominators=None) -> pd.DataFrame:
    months = pd.date_range(start + "-01", periods=len(values), freq="MS").date
    return pd.DataFrame(
        {
            "month": months,
            "value": np.asarray(values, dtype=float),
            "numerator": numerators if numerators is not None else np.nan,
            "denominator": denominators if denominators is not None else np.nan,
        }
    )


def judge(code: str, data: pd.DataFrame, as_of: date, **changes) -> scorecard.Score:
    catalogue = get_catalogue()
    measure = catalogue.measure(code).model_copy(update=changes)
    return scorecard.score(
        data.assign(measure=code),
        measure=measure,
        target=catalogue.force_target(code),
        own_target=True,
        force_baseline=np.nan,
        as_of=as_of,
        signals=catalogue.signals,
    )


OCTOBER_2026 = date(2026, 10, 1)


def test_zero_against_zero_reads_the_same_everywhere_and_is_never_achieved_early():
    """Fatal e-bike collisions 0 vs 0 were 'achieved' in one district and 'on track' in
    another. Two districts with the same figures now get the same status and reason, from a
    count model, and nothing is achieved before the target year ends."""
    quiet = frame([0] * 55)
    first, second = (judge("ebike_fatal_collisions", quiet, OCTOBER_2026) for _ in range(2))
    assert first.status == second.status == Status.ON_TRACK
    assert first.forecast.method == "count model"
    # Jeffreys' prior: no collision in 24 months gives (24 / 29) ** 0.5 for 5 more months.
    assert first.probability == pytest.approx((24 / 29) ** 0.5)
    measure = get_catalogue().measure("ebike_fatal_collisions")
    assert wording.reason(first, measure) == (
        "on track: 91% chance of ending the year to March 2027 at the baseline of 0, the best "
        "it can be"
    )


def test_a_small_number_measure_already_past_its_baseline_is_off_track():
    values = [0] * 48 + [1, 0, 1, 0, 0, 0, 1]  # three collisions since April 2026, baseline 0
    result = judge("ebike_fatal_collisions", frame(values), OCTOBER_2026)
    assert result.baseline == 0 and result.probability == 0.0
    assert result.status == Status.OFF_TRACK


def test_halving_civil_orders_is_off_track():
    """Rossendale's civil orders at half the previous year were only 'at risk'."""
    values = [2, 3] * 24 + [1, 1, 2, 1, 1, 1, 1]  # about 30 a year, now about 14
    result = judge("civil_orders", frame(values), OCTOBER_2026)
    assert result.probability < 0.25
    assert result.status == Status.OFF_TRACK
    measure = get_catalogue().measure("civil_orders")
    assert wording.reason(result, measure).startswith("off track: ")


def test_the_status_is_explained_with_the_figures_it_is_judged_on():
    values = [4600, 4400] * 24 + [4300] * 7
    result = judge("asb_incidents", frame(values), OCTOBER_2026)
    assert result.baseline == 54000  # October 2024 - September 2025
    assert result.status == Status.ON_TRACK
    measure = get_catalogue().measure("asb_incidents")
    assert wording.reason(result, measure) == (
        f"on track: {wording.chance(result.probability)} chance of ending the year to March "
        "2027 below the baseline of 54,000"
    )


def test_achieved_or_missed_only_once_the_target_year_is_complete():
    values = [100] * 60  # April 2022 - March 2027: a flat count against a falling target
    result = judge("asb_incidents", frame(values), date(2027, 3, 1))
    assert result.status == Status.MISSED
    assert result.target_year == 1200
    before = judge("asb_incidents", frame(values[:-1]), date(2027, 2, 1))
    assert before.status in (Status.OFF_TRACK, Status.AT_RISK)


def test_provisional_months_are_left_out_of_the_status():
    """The only force-wide 'off track' was outcome lag: the latest months of positive
    outcomes are low because outcomes of recent crimes are not known yet."""
    settled = [200, 210] * 27 + [205]  # April 2022 - October 2026
    lagging = [*settled[:-3], 115, 155, 185]
    with_lag = judge("shoplifting_positive_outcomes", frame(lagging), OCTOBER_2026)
    settled_score = judge("shoplifting_positive_outcomes", frame(settled), OCTOBER_2026)
    assert with_lag.judged_to == date(2026, 7, 1) and with_lag.provisional
    assert with_lag.probability == settled_score.probability
    assert with_lag.status == settled_score.status
    assert with_lag.rolling_12m == settled_score.rolling_12m
    assert with_lag.variation == settled_score.variation == "common_cause"
    assert list(with_lag.spc.frame["point_type"].iloc[-3:]) == ["provisional"] * 3
    judged_as_final = judge(
        "shoplifting_positive_outcomes", frame(lagging), OCTOBER_2026, maturity_months=0
    )
    assert judged_as_final.variation == "concern_low"
