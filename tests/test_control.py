"""SPC as drawn (metrics.control): one small hand-built series per rule, with exact expected
limits, plus the flat-versus-seasonal false-alarm comparison on simulated series.

Hand-built series alternate two values: [10, 12] repeated has mean 11 and mean moving range 2,
so its limits are 11 +/- 5.32 (5.68 to 16.32)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from config.signals import SpcSettings
from metrics import control
from present import spc_wording, wording

SETTINGS = SpcSettings(
    limit_points=20, min_points=15, shift_run=7, trend_run=7, seasonal_min_months=24
)
START = "2022-04-01"
FAR_BASELINE = (pd.Timestamp("2030-10-01"), pd.Timestamp("2031-09-01"))  # not in any series
SEASON = [0.55, 0.6, 0.8, 1.0, 1.3, 1.45, 1.5, 1.4, 1.1, 0.9, 0.7, 0.6]  # January first
# A smooth season (an annual and a half-yearly cycle), which the adjustment recovers exactly.
SMOOTH_SEASON = [
    1 + 0.4 * np.cos(2 * np.pi * (m - 7) / 12) + 0.1 * np.sin(4 * np.pi * m / 12)
    for m in range(1, 13)
]


def monthly(values, start: str = START) -> pd.Series:
    index = pd.date_range(start, periods=len(values), freq="MS")
    return pd.Series(np.asarray(values, dtype=float), index=index)


def read(values, **options) -> control.Reading:
    arguments = dict(improvement="increase", unit="count", baseline=FAR_BASELINE, settings=SETTINGS)
    return control.read(monthly(values), **(arguments | options))


def limits(reading: control.Reading) -> list[tuple[str, float, float, float]]:
    return [
        (f"{s.start:%Y-%m}", round(s.centre, 2), round(s.lower, 2), round(s.upper, 2))
        for s in reading.segments
    ]


STEP = [10, 12] * 8 + [30, 32] * 8  # a step after 16 months, as when hotspot patrols began


@pytest.mark.parametrize(
    ("recalculations", "expected_limits", "flagged"),
    [
        # Without a recalculation point the limits are fitted on the latest 20 points (issue
        # 24: the process as it runs now, not as it began), across the step: mean 27, and
        # every point is flagged (the first 16 below, the last 16 a shift above).
        ([], [("2022-04", 27.0, 19.44, 34.56)], 32),
        # Recalculated where the step happened: each segment has its own limits, and nothing
        # is flagged.
        (
            [(pd.Timestamp("2023-08-01"), "patrols began")],
            [("2022-04", 11.0, 5.68, 16.32), ("2023-08", 31.0, 25.68, 36.32)],
            0,
        ),
        # A recalculation point outside the series changes nothing.
        ([(pd.Timestamp("2035-01-01"), "later")], [("2022-04", 27.0, 19.44, 34.56)], 32),
    ],
)
def test_recalculation_points_fit_limits_per_segment(recalculations, expected_limits, flagged):
    reading = read(STEP, recalculations=recalculations)
    assert limits(reading) == expected_limits
    assert int(reading.frame["special_cause"].sum()) == flagged
    reasons = [r for _, r in recalculations][: len(reading.segments) - 1]
    assert [s.reason for s in reading.segments] == ["", *reasons]


def test_the_rules_never_run_across_a_break():
    # Six points above the first segment's mean, then a new segment: no run of seven.
    values = [10, 12] * 8 + [12] * 6 + [20, 22] * 8
    reading = read(values, recalculations=[(pd.Timestamp("2023-08-01"), "x")])
    assert list(reading.frame["segment"].unique()) == [0, 1]
    assert not reading.frame["shift"].iloc[:16].any()


def test_a_segment_holding_the_baseline_year_is_fitted_on_it():
    values = [10, 12] * 6 + [20, 22] * 6 + [20, 22] * 6  # the baseline year is the second
    baseline = (pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-01"))
    reading = read(values, baseline=baseline)
    segment = reading.latest
    assert (segment.on_baseline_year, f"{segment.fitted_from:%Y-%m}") == (True, "2023-04")
    assert f"{segment.fitted_to:%Y-%m}" == "2024-03"
    assert limits(reading) == [("2022-04", 21.0, 15.68, 26.32)]
    # The first year lies below the limits; its run of 12 points below the mean goes on into
    # the baseline year's first month (20, below the mean of 21).
    assert list(reading.frame["point_type"].iloc[:13].unique()) == ["concern"]
    assert not reading.frame["special_cause"].iloc[13:].any()


@pytest.mark.parametrize(
    ("values", "unit", "lower", "upper", "lower_2sigma"),
    [
        ([0, 2] * 8, "count", 0.0, 6.32, 0.0),  # 1 - 5.32 would be below zero
        ([0, 2] * 8, "hours", 0.0, 6.32, 0.0),
        ([95, 99] * 8, "percent", 86.36, 100.0, 89.91),  # 97 + 10.64 would be above 100
        ([40, 44] * 8, "percent", 31.36, 52.64, 34.91),  # inside 0-100: untouched
    ],
)
def test_limits_are_truncated_to_what_the_measure_can_take(
    values, unit, lower, upper, lower_2sigma
):
    reading = read(values, unit=unit)
    frame = reading.frame
    assert (round(frame["lpl"].iat[0], 2), round(frame["upl"].iat[0], 2)) == (lower, upper)
    assert round(frame["lower_2sigma"].iat[0], 2) == lower_2sigma
    assert (round(reading.latest.lower, 2), round(reading.latest.upper, 2)) == (lower, upper)


@pytest.mark.parametrize(
    ("values", "kind", "centre", "flagged"),
    [
        ([5, 6] * 7, control.RUN, 5.5, 0),  # 14 points: a run chart around the median
        ([1] * 7 + [10] * 7, control.RUN, 5.5, 14),  # two runs of 7 about the median
        ([5, 6] * 7 + [5], control.XMR, 5.4667, 0),  # 15 points: process limits
        ([], control.NONE, None, 0),
    ],
)
def test_under_15_points_a_run_chart_with_the_median_and_no_limits(values, kind, centre, flagged):
    reading = read(values)
    assert reading.kind == kind
    if kind == control.NONE:
        assert reading.frame.empty and reading.variation == "none"
        return
    assert round(reading.frame["centre"].iat[0], 4) == centre
    assert reading.frame["upl"].isna().all() == (kind == control.RUN)
    assert int(reading.frame["special_cause"].sum()) == flagged
    assert reading.assurance == "none" or kind == control.XMR
    assert ("run chart" in spc_wording.spc_title(reading)) == (kind == control.RUN)


def test_provisional_months_are_drawn_but_take_no_part():
    values = [100, 104] * 10 + [20, 40, 60]  # outcomes of the last three months still arriving
    final = read(values)
    assert final.variation == "concern_low"  # judged as final, the lag looks like a collapse
    provisional = read(values, provisional_from=pd.Timestamp("2023-12-01"))
    frame = provisional.frame
    assert list(frame["point_type"].iloc[-3:]) == ["provisional"] * 3
    assert list(frame["provisional"].iloc[-4:]) == [False, True, True, True]
    assert not frame["special_cause"].any()
    assert provisional.variation == "common_cause"
    assert limits(provisional) == [("2022-04", 102.0, 91.36, 112.64)]  # the 20 mature points
    assert frame["upl"].iat[-1] == pytest.approx(112.64)  # drawn against the latest limits


@pytest.mark.parametrize(
    ("target", "recalculations", "assurance"),
    [
        # The latest segment's limits (25.68-36.32) decide, not the first segment's.
        (20.0, [(pd.Timestamp("2023-08-01"), "x")], "pass"),
        (40.0, [(pd.Timestamp("2023-08-01"), "x")], "fail"),
        (31.0, [(pd.Timestamp("2023-08-01"), "x")], "hit_and_miss"),
        (20.0, [], "hit_and_miss"),  # one segment fitted across the step: 19.44-34.56
    ],
)
def test_assurance_and_caption_use_the_limits_as_drawn(target, recalculations, assurance):
    reading = read(STEP, recalculations=recalculations, target=target)
    assert reading.assurance == assurance
    latest = reading.latest
    drawn = reading.frame[reading.frame["segment"] == reading.frame["segment"].iat[-1]]
    assert (drawn["lpl"].iat[-1], drawn["upl"].iat[-1]) == (latest.lower, latest.upper)
    caption = spc_wording.spc_caption(reading, _measure("civil_orders"), SETTINGS)
    limits_text = f"{wording.fmt(latest.lower, 'count')} to {wording.fmt(latest.upper, 'count')}"
    assert f"target's monthly equivalent, {wording.fmt(target, 'count')}" in caption
    assert limits_text in caption


def test_a_target_at_a_truncated_limit_is_hit_and_miss():
    """Zero fatal collisions against limits of 0 to 6.32: the process reaches 0 routinely, so
    the target is neither consistently passed nor failed."""
    reading = read([0, 2] * 8, improvement="decrease", target=0.0)
    assert (reading.latest.lower, reading.assurance) == (0.0, "hit_and_miss")


def test_limits_of_no_width_give_no_assurance():
    reading = read([0] * 16, improvement="decrease", target=0.0)
    assert (reading.latest.lower, reading.latest.upper, reading.assurance) == (0.0, 0.0, "none")


def test_a_recalculation_point_at_the_first_month_keeps_its_reason():
    reading = read([10, 12] * 8, recalculations=[(pd.Timestamp(START), "new recording system")])
    assert [s.reason for s in reading.segments] == ["new recording system"]
    caption = spc_wording.spc_caption(reading, _measure("civil_orders"), SETTINGS)
    assert caption.startswith("new recording system. Limits 6 to 16 around 11")


def test_a_one_month_segment_says_it_has_no_limits_yet():
    reading = read([*STEP[:16], 30], recalculations=[(pd.Timestamp("2023-08-01"), "x")])
    assert np.isnan(reading.latest.upper) and reading.assurance == "none"
    caption = spc_wording.spc_caption(reading, _measure("civil_orders"), SETTINGS)
    assert "From August 2023 the limits were recalculated: x. Too few months since then" in caption


def test_seasonally_adjusted_limits_are_not_truncated():
    """Additive factors (a zero month) can take adjusted counts below 0: no floor there."""
    values = [round(8 * SEASON[m % 12]) for m in range(48)]
    values[42] = 0  # a peak month with nothing recorded, after the factors' years
    reading = read(values, seasonal=True)
    assert reading.seasonal is not None and not reading.seasonal.multiplicative
    assert reading.frame["judged"].iat[42] < 0
    latest = reading.latest
    assert latest.lower == pytest.approx(latest.centre - latest.spread)  # no floor applied
    rng = np.random.default_rng(3)  # a noisy small count: its lower limit falls below 0
    noisy = read(rng.poisson(np.resize(SEASON, 48) * 3).tolist(), seasonal=True)
    assert noisy.latest.lower < 0


def _measure(code: str):
    from config import get_catalogue

    return get_catalogue().measure(code)


def test_exact_seasonal_factors_take_the_season_out():
    months = pd.date_range(START, periods=54, freq="MS")
    values = [200 * SMOOTH_SEASON[m.month - 1] for m in months]
    reading = read(
        values, seasonal=True, baseline=(pd.Timestamp("2024-10-01"), pd.Timestamp("2025-09-01"))
    )
    factors = reading.seasonal
    assert factors.multiplicative
    assert list(factors.factors.round(4)) == [round(f, 4) for f in SMOOTH_SEASON]
    assert reading.frame["judged"].round(6).nunique() == 1  # flat once adjusted
    assert not reading.frame["special_cause"].any()
    assert "seasonally adjusted" in spc_wording.spc_title(reading)


def test_a_seasonal_measure_with_too_few_months_is_not_adjusted_and_says_so():
    reading = read([200 * SEASON[m % 12] for m in range(20)], seasonal=True)
    assert reading.seasonal is None and reading.seasonal_wanted
    caption = spc_wording.spc_caption(reading, _measure("asb_incidents"), SETTINGS)
    assert "Not seasonally adjusted yet: the season needs at least 24 months." in caption


def _false_alarms(*, seasonal_series: bool, adjust: bool, runs: int = 250) -> float:
    """Mean special-cause points per simulated Poisson series (no underlying change),
    April 2018 - October 2026, limits on the plan's baseline year."""
    rng = np.random.default_rng(2027)
    months = pd.date_range("2018-04-01", "2026-10-01", freq="MS")
    level = 60 * (np.array(SEASON)[months.month - 1] if seasonal_series else np.ones(len(months)))
    baseline = (pd.Timestamp("2024-10-01"), pd.Timestamp("2025-09-01"))
    total = 0
    for _ in range(runs):
        series = pd.Series(rng.poisson(level).astype(float), index=months)
        reading = control.read(
            series, improvement="decrease", unit="count", baseline=baseline,
            settings=SETTINGS, seasonal=adjust,
        )  # fmt: skip
        total += int(reading.frame["special_cause"].sum())
    return total / runs


def test_a_seasonal_series_raises_no_more_false_alarms_than_a_flat_one():
    flat = _false_alarms(seasonal_series=False, adjust=False)
    flat_adjusted = _false_alarms(seasonal_series=False, adjust=True)
    seasonal_adjusted = _false_alarms(seasonal_series=True, adjust=True)
    seasonal_raw = _false_alarms(seasonal_series=True, adjust=False)
    # Judged raw, the season itself is flagged nearly every month...
    assert seasonal_raw > 4 * flat
    # ...adjusted, the season adds nothing: no more alarms than a flat series, judged the same
    # way or plainly.
    assert seasonal_adjusted <= flat_adjusted
    assert seasonal_adjusted <= flat
