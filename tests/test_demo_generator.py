"""The generator on its own (no database): determinism and the published figures for any seed."""

from __future__ import annotations

import pandas as pd
import pytest

from config import get_catalogue
from demo import profile as p
from demo.asb import generate_incidents
from demo.monthly import generate_monthly


@pytest.fixture(scope="module")
def catalogue():
    return get_catalogue()


def test_same_seed_same_data(catalogue):
    pd.testing.assert_frame_equal(generate_monthly(catalogue, 3), generate_monthly(catalogue, 3))
    first = generate_incidents(catalogue, 3)
    pd.testing.assert_frame_equal(first, generate_incidents(catalogue, 3))
    assert not first.equals(generate_incidents(catalogue, 4))


@pytest.mark.parametrize("seed", [0, 99])
def test_published_figures_hold_for_any_seed(catalogue, seed):
    frame = generate_incidents(catalogue, seed)
    division = frame["district_code"].map(
        {d.ons_code: d.division for d in catalogue.geography.district}
    )
    when = pd.to_datetime(frame["occurred_at"])
    baseline = when.between("2024-10-01", "2025-09-30 23:59")
    previous = when.between("2023-10-01", "2024-09-30 23:59")
    now = division[baseline].value_counts()
    before = division[previous].value_counts()
    assert now.to_dict() == {"East": 19561, "West": 18549, "South": 15954}
    assert (100 * (now / before - 1)).round(1).to_dict() == {"East": 9.2, "South": 4.4, "West": 6.7}
    table = p.hour_weekday_table().set_index(["division", "hour"])[p.WEEKDAYS]
    cells = (
        frame[baseline]
        .assign(division=division[baseline])
        .groupby(["division", "hour", "weekday"])
        .size()
        .unstack(fill_value=0)
    )
    assert (cells.to_numpy() == table.to_numpy()).all()


def test_published_hour_weekday_copy_is_the_reference_file():
    from tests.conftest import require_shared

    shared = pd.read_csv(require_shared("reference", "asb_hour_weekday_oct2024_sep2025.csv"))
    pd.testing.assert_frame_equal(p.hour_weekday_table(), shared)


def test_baseline_district_totals_add_to_the_published_divisions(catalogue):
    table = p.hour_weekday_table().groupby("division")["total"].sum().to_dict()
    for division in catalogue.geography.division:
        assert sum(p.BASELINE_DISTRICT_ASB[d] for d in division.districts) == table[division.name]


def test_seasonality_summer_above_winter(catalogue):
    frame = generate_incidents(catalogue, 1)
    month = pd.to_datetime(frame["occurred_at"]).dt.month
    assert (month == 7).sum() > 1.2 * (month == 2).sum()


def test_survey_and_ratio_rows_are_consistent(catalogue):
    frame = generate_monthly(catalogue, 1)
    rated = frame[frame["numerator"].notna()]
    assert (rated["numerator"] <= rated["denominator"]).all()
    assert (rated["denominator"] > 0).all()
    assert ((100 * rated["numerator"] / rated["denominator"] - rated["value"]).abs() < 1e-9).all()
