"""Periods, targets, trajectory, status, forecast and suppression, on small hand-built frames."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics import periods, targets
from metrics.forecast import forecast_period
from metrics.suppression import suppress


def monthly(values, start="2023-01", numerators=None, denominators=None) -> pd.DataFrame:
    months = pd.date_range(start + "-01", periods=len(values), freq="MS").date
    return pd.DataFrame(
        {
            "month": months,
            "value": values,
            "numerator": numerators if numerators is not None else np.nan,
            "denominator": denominators if denominators is not None else np.nan,
        }
    )


def test_rolling_12_needs_every_month_of_a_count():
    frame = monthly(list(range(1, 15)))  # Jan 2023 .. Feb 2024, values 1..14
    rolling = periods.rolling_12(frame, aggregation="sum")
    assert rolling.isna().sum() == 11
    assert rolling.loc["2023-12-01"] == sum(range(1, 13))
    assert rolling.loc["2024-02-01"] == sum(range(3, 15))
    gappy = frame.drop(index=5)
    assert (
        periods.rolling_12(gappy, aggregation="sum").loc["2024-02-01"]
        != periods.rolling_12(gappy, aggregation="sum").loc["2024-02-01"]
    )  # NaN: a gap


def test_rolling_12_of_a_survey_combines_respondents_not_percentages():
    numerators = [90] + [10] * 11
    denominators = [100] + [100] * 11
    frame = monthly([90.0] + [10.0] * 11, numerators=numerators, denominators=denominators)
    assert periods.rolling_12(frame, aggregation="survey").iloc[-1] == pytest.approx(
        100 * 200 / 1200
    )
    without_sample = frame.copy()  # a month with no respondents does not void the year
    without_sample.loc[3, ["value", "numerator", "denominator"]] = [np.nan, 0, 0]
    assert periods.rolling_12(without_sample, aggregation="survey").iloc[-1] == pytest.approx(
        100 * 190 / 1100
    )
    no_row = frame.drop(index=3)  # a month with no row at all is missing: the year is partial
    assert np.isnan(periods.rolling_12(no_row, aggregation="survey").iloc[-1])


@pytest.mark.parametrize(
    ("as_of", "current", "previous", "change", "change_pct"),
    [
        (date(2024, 12, 1), 24 * 12, 12 * 12, 144, 100.0),
        (date(2024, 6, 1), 6 * 12 + 6 * 24, 12 * 12, 72, 50.0),
    ],
)
def test_year_on_year(as_of, current, previous, change, change_pct):
    frame = monthly([12] * 24 + [24] * 12, start="2022-01")  # 12 a month to 2023, then 24
    result = periods.year_on_year(frame, aggregation="sum", as_of=as_of)
    assert (result.current, result.previous, result.change) == (current, previous, change)
    assert result.change_pct == pytest.approx(change_pct)


def test_no_comparison_before_the_series_starts():
    result = periods.year_on_year(monthly([12] * 24), aggregation="sum", as_of=date(2024, 6, 1))
    assert result.current == 144 and np.isnan(result.previous) and np.isnan(result.change_pct)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2023, 4, 1), 4),
        (date(2023, 12, 1), sum(range(4, 13))),
        (date(2024, 2, 1), sum(range(4, 15))),
    ],
)
def test_financial_year_to_date(as_of, expected):
    frame = monthly(list(range(1, 15)))
    assert periods.financial_year_to_date(frame, aggregation="sum", as_of=as_of) == expected


def test_rate_per_1000():
    assert periods.rate_per_1000(8704, 141_100) == pytest.approx(61.686746)


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    [
        (50, 100, 40.383, 59.617),
        (0, 10, 0.0, 27.753),
        (10, 10, 72.247, 100.0),
        (823, 1000, 79.812, 84.541),
    ],
)
def test_wilson_interval(successes, total, low, high):
    assert periods.wilson_interval(successes, total) == pytest.approx((low, high), abs=1e-3)


def test_the_one_wilson_interval_takes_many_proportions_and_a_population_correction():
    # the same figures for many proportions at once; nothing answered: missing, not 0-100
    low, high = periods.wilson_interval(np.array([50, 823, 0]), np.array([100, 1000, 0]))
    assert low[:2].tolist() == pytest.approx([40.383, 79.812], abs=1e-3)
    assert high[:2].tolist() == pytest.approx([59.617, 84.541], abs=1e-3)
    assert np.isnan([low[2], high[2]]).all()
    assert np.isnan(periods.wilson_interval(0, 0)).all()
    # a census (correction 0) is its own figure, exact; a correction of 1 changes nothing
    low, high = periods.wilson_interval(np.array([50, 50]), np.array([100, 100]), correction=[0, 1])
    assert (low[0], high[0]) == pytest.approx((50.0, 50.0))
    assert (low[1], high[1]) == pytest.approx((40.383, 59.617), abs=1e-3)
    # 90% is narrower than 95%
    assert periods.wilson_interval(50, 100, alpha=0.1) == pytest.approx((41.9, 58.1), abs=0.05)


@pytest.mark.parametrize(
    ("kind", "value", "baseline", "expected"),
    [
        ("absolute", 50_000, 54_064, 50_000),
        ("percent_change", -5, 54_064, 51_360.8),
        ("percent_change", 10, 200, 220),
        ("directional", None, 54_064, 54_064),
    ],
)
def test_target_value(kind, value, baseline, expected):
    assert targets.target_value(kind=kind, value=value, baseline=baseline) == pytest.approx(
        expected
    )


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("percent_change", -10, 900.0),
        ("absolute", 45_000, 1000 * 45_000 / 50_000),
        ("directional", None, 1000.0),
    ],
)
def test_force_target_is_shared_by_the_same_percentage(kind, value, expected):
    shared = targets.shared_target(
        kind=kind, value=value, force_baseline=50_000, area_baseline=1000
    )
    assert shared == pytest.approx(expected)


def test_trajectory_runs_from_baseline_to_target():
    path = targets.trajectory(baseline=120, target=96, start=date(2025, 9, 1), end=date(2027, 3, 1))
    assert len(path) == 19
    assert path.iloc[0] == 120 and path.iloc[-1] == 96
    assert path.loc["2026-06-01"] == pytest.approx(120 - 24 * 9 / 18)
    assert targets.trajectory_at(path, date(2025, 1, 1), 120) == 120
    assert targets.trajectory_at(path, date(2027, 6, 1), 120) == 96
    slow = targets.trajectory(
        baseline=120, target=96, start=date(2025, 9, 1), end=date(2027, 3, 1), shape="quadratic"
    )
    assert slow.loc["2026-06-01"] == pytest.approx(120 - 24 * 0.25)


@pytest.mark.parametrize(
    ("value", "direction", "directional", "met"),
    [
        (99, "decrease", True, True),
        (100, "decrease", True, False),
        (100, "decrease", False, True),
        (101, "increase", True, True),
        (100, "increase", True, False),
        (np.nan, "increase", False, False),
    ],
)
def test_meets(value, direction, directional, met):
    assert targets.meets(value, 100, good_direction=direction, directional=directional) is met


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (1, "fewer than 5"),
        (4, "fewer than 5"),
        (5, "5"),
        (1234, "1,234"),
        (None, ""),
        (np.nan, ""),
    ],
)
def test_small_number_suppression(value, text):
    assert suppress(value) == text


def test_suppression_threshold_is_configurable():
    assert suppress(7, threshold=10) == "fewer than 10"


def seasonal(months: int, level: float = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    season = 1 + 0.2 * np.sin(np.arange(months) * 2 * np.pi / 12)
    return monthly(rng.poisson(level * season).astype(float), start="2022-04")


def test_forecast_uses_the_change_model_and_orders_its_interval():
    frame = seasonal(55)  # April 2022 - October 2026
    result = forecast_period(
        frame,
        aggregation="sum",
        unit="count",
        as_of=date(2026, 10, 1),
        first=date(2026, 4, 1),
        last=date(2027, 3, 1),
        target=4000,
        good_direction="decrease",
    )
    observed = frame["value"].iloc[-7:].sum()
    assert result.method == "annual change"
    assert result.low95 <= result.low80 <= result.value <= result.high80 <= result.high95
    assert observed < result.low95  # five months still to come
    assert 4300 < result.value < 5300
    assert result.probability < 0.01  # 4,000 is far below anything plausible


def test_forecast_falls_back_for_short_series():
    frame = seasonal(13, level=3, seed=2)  # April 2022 - April 2023: no year-on-year change
    result = forecast_period(
        frame,
        aggregation="sum",
        unit="count",
        as_of=date(2023, 4, 1),
        first=date(2023, 4, 1),
        last=date(2024, 3, 1),
        target=100,
        good_direction="decrease",
    )
    assert result.method == "mean"
    assert result.probability == 1.0
    assert result.value == pytest.approx(
        frame["value"].iloc[-12:].mean() * 11 + frame["value"].iloc[-1], rel=0.3
    )


def test_forecast_of_a_short_series_uses_the_same_months_a_year_earlier():
    frame = seasonal(18)  # April 2022 - September 2023: six changes on a year earlier
    result = forecast_period(
        frame,
        aggregation="sum",
        unit="count",
        as_of=date(2023, 9, 1),
        first=date(2023, 4, 1),
        last=date(2024, 3, 1),
    )
    assert result.method == "same months"
    seen, last_year = frame["value"].iloc[-6:].sum(), frame["value"].iloc[6:12].sum()
    assert result.value == pytest.approx(seen + last_year)
    assert result.low95 < result.low80 < result.value < result.high80 < result.high95


def test_forecast_of_a_complete_year_is_what_was_observed():
    frame = seasonal(24)
    result = forecast_period(
        frame,
        aggregation="sum",
        unit="count",
        as_of=date(2024, 3, 1),
        first=date(2023, 4, 1),
        last=date(2024, 3, 1),
    )
    assert result.method == "observed"
    assert result.value == result.low95 == result.high95 == frame["value"].iloc[-12:].sum()


district_values = st.lists(st.integers(0, 500), min_size=30, max_size=30)


@settings(max_examples=40, deadline=None)
@given(st.lists(district_values, min_size=2, max_size=6), st.integers(24, 29))
def test_districts_add_to_their_division_in_every_comparison(districts, as_of_index):
    frames = [monthly([float(v) for v in values]) for values in districts]
    summed = monthly([float(sum(vs)) for vs in zip(*districts, strict=True)])
    as_of = frames[0]["month"].iloc[as_of_index]
    parts = [periods.year_on_year(f, aggregation="sum", as_of=as_of) for f in frames]
    whole = periods.year_on_year(summed, aggregation="sum", as_of=as_of)
    assert whole.current == sum(p.current for p in parts)
    assert whole.previous == sum(p.previous for p in parts)
    assert whole.change == sum(p.change for p in parts)
    fytd = [periods.financial_year_to_date(f, aggregation="sum", as_of=as_of) for f in frames]
    assert periods.financial_year_to_date(summed, aggregation="sum", as_of=as_of) == sum(fytd)
    rolling = sum(periods.rolling_12(f, aggregation="sum") for f in frames)
    pd.testing.assert_series_equal(periods.rolling_12(summed, aggregation="sum"), rolling)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 60)), min_size=2, max_size=6))
def test_survey_areas_combine_by_respondents(areas):
    """A division's survey figure is its districts' agreeing respondents over all respondents."""
    frames = [
        monthly([100 * min(a, n) / n] * 12, numerators=[min(a, n)] * 12, denominators=[n] * 12)
        for a, n in areas
    ]
    agree = sum(min(a, n) for a, n in areas) * 12
    asked = sum(n for _, n in areas) * 12
    combined = (
        pd.concat(frames).groupby("month", as_index=False)[["numerator", "denominator"]].sum()
    )
    combined["value"] = 100 * combined["numerator"] / combined["denominator"]
    as_of = frames[0]["month"].iloc[-1]
    result = periods.period_value(
        combined, aggregation="survey", first=frames[0]["month"].iloc[0], last=as_of
    )
    assert result == pytest.approx(100 * agree / asked)
