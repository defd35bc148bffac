"""`metrics.tables`: the tables the pages draw, one tiny hand-built case per rule (each fails
if its rule breaks). The real series and the stored scores are used in test_windows.py,
test_survey_figures.py and test_publication.py."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from config import get_catalogue
from metrics import tables

CAT = get_catalogue()
CODES = [m.code for m in CAT.measures.measure]


def score(status="on track", *, rolling=10.0, baseline=8.0, before=None, values=None):
    """The parts of a `Score` the tables read."""
    frame = pd.DataFrame({"value": pd.Series(values if values is not None else {}, dtype=float)})
    return SimpleNamespace(
        status=status,
        probability=0.5,
        judged_to=date(2024, 3, 1),
        as_of=date(2024, 3, 1),
        rolling_12m=rolling,
        previous_12m=before,
        change=np.nan,
        change_pct=np.nan,
        baseline=baseline,
        target=7.0,
        target_kind="reduction",
        strict=False,
        variation="common",
        assurance="inconsistent",
        forecast=SimpleNamespace(value=9.0),
        spc=SimpleNamespace(frame=frame),
    )


# --- overview ---------------------------------------------------------------------------------


def test_the_overview_puts_exceptions_first_then_the_catalogue_order():
    statuses = {CODES[0]: "achieved", CODES[1]: "off track", CODES[2]: "missed"}
    statuses |= {CODES[3]: "insufficient data", CODES[4]: "at risk", CODES[5]: "off track"}
    now = {code: score(statuses.get(code, "on track")) for code in CODES}
    before = {code: score("on track") for code in CODES}
    rows = tables.overview(now, before, CAT)
    on_track = [c for c in CODES if c not in statuses]
    assert list(rows["code"]) == [
        CODES[2], CODES[1], CODES[5], CODES[4], *on_track, CODES[0], CODES[3]
    ]  # fmt: skip


def test_the_overview_row_says_whether_the_status_changed_and_by_how_much_on_the_baseline():
    now = {code: score("on track", rolling=12.0, baseline=8.0) for code in CODES}
    before = {code: score("on track") for code in CODES}
    before[CODES[0]] = score("at risk")
    rows = tables.overview(now, before, CAT).set_index("code")
    assert rows.loc[CODES[0], "status_changed"]
    assert rows.loc[CODES[0], "previous_status"] == "at risk"
    assert not rows.loc[CODES[1], "status_changed"]
    assert rows.loc[CODES[0], "change_on_baseline"] == 4.0
    assert rows.loc[CODES[0], "change_on_baseline_pct"] == pytest.approx(50.0)


# --- sparkline --------------------------------------------------------------------------------


def months(first: str, count: int) -> pd.DatetimeIndex:
    return pd.date_range(first, periods=count, freq="MS")


@pytest.mark.parametrize(
    ("index", "first", "length"),
    [
        (months("2021-01-01", 39), "2022-04-01", 24),  # 24 calendar months to the month chosen
        (months("2023-01-01", 15), "2023-01-01", 15),  # from the first month with data
    ],
)
def test_the_sparkline_is_the_last_24_months_from_the_first_with_data(index, first, length):
    line = tables.sparkline(score(values=dict.fromkeys(index, 1.0)))
    assert line.index[0] == pd.Timestamp(first) and len(line) == length
    assert line.index[-1] == pd.Timestamp("2024-03-01")


def test_a_month_missing_in_the_sparkline_stays_a_gap_never_closed_up():
    index = months("2023-01-01", 15).delete([4, 5])  # May and June 2023 have no figure
    line = tables.sparkline(score(values=dict.fromkeys(index, 2.0)))
    assert len(line) == 15
    assert line.isna().tolist() == [False] * 4 + [True] * 2 + [False] * 9


def test_a_measure_without_values_has_an_empty_sparkline():
    assert tables.sparkline(score()).empty


# --- exceptions within an area ----------------------------------------------------------------


def test_exceptions_within_name_the_areas_asked_for_in_their_order_by_status():
    leagues = {
        "division": pd.DataFrame({"area": ["West", "East"], "status": ["off track", "at risk"]}),
        "district": pd.DataFrame(
            {"area": ["Preston", "Burnley", "Wyre"], "status": ["off track"] * 3}
        ),
    }
    found = tables.exceptions_within(leagues, ["East", "Burnley", "Preston", "West"])
    assert found == {"off track": ["Burnley", "Preston", "West"], "at risk": ["East"]}


# --- population and league --------------------------------------------------------------------


def test_an_areas_population_is_its_districts_added_up():
    geo = CAT.geography
    east = geo.districts_of("East")
    assert tables.area_population(CAT, "Burnley") == geo.population(geo.district_by_name("Burnley"))
    assert tables.area_population(CAT, "East") == sum(geo.population(d) for d in east)
    force = tables.area_population(CAT, CAT.area_names()[0])
    assert force == sum(geo.population(d) for d in geo.district)


def test_the_league_ranks_by_rate_per_1000_for_a_rate_measure_ties_by_name():
    measure = next(m for m in CAT.measures.measure if m.rate_per_1000)
    population = {a: tables.area_population(CAT, a) for a in ("Burnley", "Pendle", "Hyndburn")}
    # Burnley's and Pendle's rates tie; Hyndburn's is highest
    scores = {
        "Pendle": score(rolling=population["Pendle"] / 100),
        "Burnley": score(rolling=population["Burnley"] / 100),
        "Hyndburn": score(rolling=population["Hyndburn"] / 50),
    }
    league = tables.league(scores, CAT, measure)
    assert list(league["area"]) == ["Hyndburn", "Burnley", "Pendle"]
    assert league["rate_per_1000"].tolist() == pytest.approx([20.0, 10.0, 10.0])
    assert list(league.columns) == tables.LEAGUE_COLUMNS


def test_the_league_ranks_by_the_latest_12_months_without_a_rate():
    measure = next(m for m in CAT.measures.measure if not m.rate_per_1000)
    scores = {"Pendle": score(rolling=3.0), "Burnley": score(rolling=5.0)}
    league = tables.league(scores, CAT, measure)
    assert list(league["area"]) == ["Burnley", "Pendle"]
    assert league["rate_per_1000"].isna().all()


def test_a_league_without_scores_is_empty_with_its_columns():
    league = tables.league({}, CAT, CAT.measures.measure[0])
    assert league.empty and list(league.columns) == tables.LEAGUE_COLUMNS


# --- survey interval and cumulative totals ----------------------------------------------------


def monthly(first: str, count: int, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"month": [m.date() for m in months(first, count)], **columns})
    return frame.assign(measure="m", area="Burnley")


def test_the_survey_interval_is_wilsons_over_the_12_months_to_the_month_chosen():
    # 12 months of 5 of 10 (60 of 120), and an earlier month outside the window (90 of 90)
    values = monthly("2023-03-01", 13, numerator=[90] + [5] * 12, denominator=[90] + [10] * 12)
    measure = SimpleNamespace(code="m")
    low, high = tables.survey_interval(values, measure, "Burnley", date(2024, 3, 1))
    assert (low, high) == pytest.approx((41.194, 58.806), abs=1e-3)  # 60 of 120, 95%


def test_the_cumulative_total_runs_from_the_first_month_to_the_month_chosen():
    values = monthly("2023-01-01", 6, value=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    measure = SimpleNamespace(code="m")
    total = tables.cumulative_since(values, measure, "Burnley", date(2023, 2, 1), date(2023, 4, 1))
    assert total == 9.0  # February to April


# --- hour x weekday ---------------------------------------------------------------------------


def cells(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area", "hour", "weekday", "count"])


def test_the_hour_weekday_matrix_is_24_by_7_for_one_area_with_zeros_filled():
    matrix = tables.hour_weekday_matrix(
        cells(("Burnley", 18, 4, 3), ("Burnley", 18, 4, 2), ("Wyre", 18, 4, 100)), "Burnley"
    )
    assert matrix.shape == (24, 7)
    assert matrix.loc[18, 4] == 5  # the same cell added up; Wyre's left out
    assert tables.matrix_total(matrix) == 5


def matrix_of(by_hour: dict[int, int]) -> pd.DataFrame:
    return tables.hour_weekday_matrix(
        cells(*[("A", hour, 0, count) for hour, count in by_hour.items()]), "A"
    )


def test_a_window_share_runs_from_its_first_hour_up_to_but_not_including_its_end():
    matrix = matrix_of({17: 1, 18: 2, 20: 3, 21: 4})
    assert tables.window_share(matrix, 18, 21) == pytest.approx(5 / 10)
    assert np.isnan(tables.window_share(matrix_of({}), 18, 21))  # no incidents: no share


@pytest.mark.parametrize(
    ("by_hour", "expected"),
    [
        ({1: 1, 19: 2, 20: 2, 21: 2, 22: 1}, (19, 22, 0.75)),  # the busiest run of 3 hours
        ({2: 1, 10: 1}, (0, 3, 0.5)),  # a tie goes to the earliest run
        ({0: 1, 23: 1}, (0, 3, 0.5)),  # runs do not wrap past midnight
    ],
)
def test_the_peak_window_is_the_busiest_run_of_consecutive_hours(by_hour, expected):
    first, end, share = tables.peak_window(matrix_of(by_hour))
    assert (first, end) == expected[:2] and share == pytest.approx(expected[2])


def test_no_incidents_have_no_peak_window():
    first, end, share = tables.peak_window(matrix_of({}))
    assert (first, end) == (0, 3) and np.isnan(share)
