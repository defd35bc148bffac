"""The forecast's intervals and chances hold up on a rolling-origin backtest (issue 24).

A simulation set (`metrics.simulation.SIMULATION_SET`: a level that wanders, a 12-month
season, Poisson noise, with and without trend, 3 to 8 years of history) is backtested with
`metrics.backtest`: every 80% and 95% interval must hold the outcome within 5 points of as
often as it says, in every horizon band, and the chance must beat climatology. The real
force-wide counts (December 2019 - October 2022, gaps and the pandemic) check gaps and
excluded months; small hand-built frames check each rule of the backtest's summaries.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from metrics import backtest as bt
from metrics.forecast import fitting_history, forecast_period, months_to_end
from metrics.simulation import SIMULATION_SET, Scenario, simulate
from tests.conftest import require_shared

SEEDS = (1, 2)
STEP = 4  # a window every 4 months keeps the set within about a minute on one core
TOLERANCE = 0.05
COVID = pd.date_range("2020-03-01", "2021-07-01", freq="MS")  # restrictions, excluded


@pytest.fixture(scope="module")
def trials() -> pd.DataFrame:
    runs = [
        bt.backtest(simulate(scenario, seed), step=STEP).assign(scenario=scenario.name)
        for scenario in SIMULATION_SET
        for seed in SEEDS
    ]
    return pd.concat(runs, ignore_index=True)


def test_the_simulation_set_covers_every_horizon_band(trials):
    table = bt.coverage(trials).set_index("band")
    assert list(table.index) == ["1-6", "13-18", "7-12"]
    assert (table["trials"] >= 150).all()


@pytest.mark.parametrize("band", ["1-6", "7-12", "13-18"])
def test_intervals_hold_the_outcome_as_often_as_they_say(trials, band):
    row = bt.coverage(trials).set_index("band").loc[band]
    assert row["coverage80"] == pytest.approx(0.80, abs=TOLERANCE)
    assert row["coverage95"] == pytest.approx(0.95, abs=TOLERANCE)


def test_the_chance_beats_climatology(trials):
    assert bt.brier(trials) < bt.climatology_brier(trials)
    table = bt.reliability(trials)
    confident = table[table["low"] >= 0.7]
    assert confident["stated"].sum() > 0
    assert confident["met"].sum() / confident["stated"].sum() >= 0.7


def pandemic_counts() -> pd.DataFrame:
    path = require_shared("reference", "policeuk_lancashire_force_monthly.csv")
    raw = pd.read_csv(path)
    return pd.DataFrame(
        {
            "month": pd.to_datetime(raw["month"] + "-01"),
            "value": raw["asb_incidents"].astype(float),
            "numerator": np.nan,
            "denominator": np.nan,
        }
    )


def forecast_of(frame: pd.DataFrame, **options):
    settings = {
        "aggregation": "sum", "unit": "count", "as_of": date(2022, 10, 1),
        "first": date(2022, 4, 1), "last": date(2023, 3, 1), "target": 60_000.0,
        "good_direction": "decrease", "directional": True,
    }  # fmt: skip
    return forecast_period(frame, **(settings | options))


def test_excluded_months_do_not_shape_the_forecast():
    frame = pandemic_counts()
    covid = frame["month"].isin(COVID)
    wild = frame.assign(value=frame["value"].where(~covid, 99_999.0))
    kept = forecast_of(frame, excluded=COVID)
    assert kept == forecast_of(wild, excluded=COVID)
    assert kept != forecast_of(wild)
    assert kept.low95 <= kept.low80 <= kept.value <= kept.high80 <= kept.high95


def test_observed_months_of_the_target_year_count_even_when_excluded():
    frame = pandemic_counts()
    seen = frame.loc[frame["month"] >= "2022-04-01", "value"].sum()
    made = forecast_of(frame, excluded=[*COVID, pd.Timestamp("2022-05-01")])
    assert made.low95 > seen  # the seven months seen, plus five to come
    whole = forecast_of(
        frame, as_of=date(2022, 10, 1), first=date(2021, 11, 1), last=date(2022, 10, 1)
    )
    assert whole.method == "observed"
    assert whole.value == frame["value"].iloc[-12:].sum()


def test_the_pandemic_series_is_backtested_through_its_gaps():
    frame = pandemic_counts()
    trials = bt.backtest(frame, excluded=COVID, min_history=12)
    assert not trials.empty
    ordered = (trials["low95"] <= trials["low80"]) & (trials["high80"] <= trials["high95"])
    assert ordered.all()
    assert np.isfinite(trials[["forecast", "low95", "high95"]].to_numpy()).all()


@pytest.mark.parametrize(
    ("values", "excluded", "expected_first"),
    [
        ([1.0] * 30, (), "2020-01-01"),  # nothing missing: every month
        ([np.nan] * 13 + [1.0] * 24, (), "2021-02-01"),  # after a gap of 13 months
        ([1.0] * 5 + [np.nan] * 13 + [1.0] * 10, (), "2020-01-01"),  # too little after it
    ],
)
def test_fitting_history_starts_after_a_long_gap(values, excluded, expected_first):
    series = pd.Series(values, index=pd.date_range("2020-01-01", periods=len(values), freq="MS"))
    history = fitting_history(series, excluded)
    assert history.index[0] == pd.Timestamp(expected_first)


def test_excluded_months_are_missing_for_fitting():
    series = pd.Series([5.0] * 30, index=pd.date_range("2020-01-01", periods=30, freq="MS"))
    history = fitting_history(series, [pd.Timestamp("2020-06-01")])
    assert np.isnan(history.loc["2020-06-01"])
    assert history.drop(pd.Timestamp("2020-06-01")).eq(5.0).all()


@pytest.mark.parametrize(
    ("as_of", "last", "horizon"),
    [(date(2026, 3, 1), date(2027, 3, 1), 12), (date(2025, 9, 1), date(2027, 3, 1), 18)],
)
def test_the_horizon_is_months_to_the_year_end(as_of, last, horizon):
    assert months_to_end(as_of, last) == horizon


def test_small_number_counts_keep_their_intervals_honest():
    rare = Scenario("rare events", level=2, months=72, wander=0.0, season=0.0)
    runs = [bt.backtest(simulate(rare, seed), step=6, small_numbers=True) for seed in (3, 4)]
    table = bt.coverage(pd.concat(runs, ignore_index=True))
    assert (table["coverage80"] >= 0.75).all()
    assert (table["coverage95"] >= 0.90).all()


def hand_trials() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "horizon": [1, 7, 13, 14],
            "hit80": [True, False, True, True],
            "hit95": [True, True, True, False],
            "probability": [0.8, 0.2, np.nan, 0.75],
            "met": [1.0, 0.0, np.nan, 0.0],
        }
    )


def test_coverage_is_the_share_of_hits_by_band():
    table = bt.coverage(hand_trials()).set_index("band")
    assert table.loc["13-18", "trials"] == 2
    assert table.loc["13-18", "coverage95"] == 0.5
    assert table.loc["7-12", "coverage80"] == 0.0


def test_brier_scores_the_stated_chances_only():
    # (0.8 - 1)^2, (0.2 - 0)^2, (0.75 - 0)^2 over three stated chances
    assert bt.brier(hand_trials()) == pytest.approx((0.04 + 0.04 + 0.5625) / 3)
    # climatology states the base rate, 1 in 3, every time
    assert bt.climatology_brier(hand_trials()) == pytest.approx(2 / 9)


def test_reliability_counts_what_was_said_and_what_happened():
    table = bt.reliability(hand_trials()).set_index(["low", "high"])
    assert table.loc[(0.7, 0.9), "stated"] == 2
    assert table.loc[(0.7, 0.9), "met"] == 1
    assert table.loc[(0.1, 0.3), "stated"] == 1
    assert table["stated"].sum() == 3
