"""Dip-sampling arithmetic (`metrics.sampling`): sizes, shares among districts, draws and
compliance with Wilson intervals, each on a tiny hand-built case with exact values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import hypergeom

from config import get_catalogue
from config.dipsampling import Allocation, Answer
from db.dipsamples import Population
from dipsampling.design import plan
from metrics.periods import wilson_interval
from metrics.sampledesign import (
    discovery_size,
    exact,
    stratum_size,
    unlimited_size,
    widest_half_width,
)
from metrics.sampling import allocate, compliance, draw, p_chart, sample_size


# Attribute-sampling tables at 95% confidence and 5% tolerable error (issue 12): "about 45
# cases for a population of 100, 54 for 500 and 57 for 1,000". The exact hypergeometric size
# is 45, 56 and 57 (and 59, the binomial size, for a large population).
@pytest.mark.parametrize(
    ("population", "table", "exact"),
    [(100, 45, 45), (500, 54, 56), (1000, 57, 57), (1_000_000, 59, 59)],
)
def test_size_from_a_margin_matches_the_attribute_sampling_table(population, table, exact):
    size = sample_size(population, margin=0.05, confidence=0.95)
    assert size == exact and abs(size - table) <= 2
    failing = population // 20  # 5% fail: no failure in the sample has a chance of at most 5%
    assert hypergeom.pmf(0, population, failing, size) <= 0.05
    assert hypergeom.pmf(0, population, failing, size - 1) > 0.05


@pytest.mark.parametrize(("population", "size"), [(0, 0), (1, 1), (5, 5), (20, 19)])
def test_size_of_a_small_population(population, size):
    assert sample_size(population, margin=0.05, confidence=0.95) == size


# The discovery rule in exact arithmetic. Floats gave 18 for 7% of 100 at 80% (0.07 * 100 is
# 7.000000000000001, so 8 failing) and 81 for 1% at 80% (1 - 0.8 is 0.19999999999999996).
@pytest.mark.parametrize(
    ("population", "margin", "confidence", "size", "_float_gave"),
    [
        (100, 0.07, 0.8, 20, 18),
        (100, 0.07, 0.95, 34, 31),
        (100, 0.07, 0.99, 47, 43),
        (100, 0.14, 0.95, 18, 17),
        (100, 0.01, 0.8, 80, 81),
        (100, 0.05, 0.95, 45, 45),
        (14_113, 0.05, 0.95, 59, 59),
    ],
)
def test_discovery_sizes_are_exact(population, margin, confidence, size, _float_gave):
    assert sample_size(population, margin=margin, confidence=confidence) == size
    failing = -(-population * exact(margin).numerator // exact(margin).denominator)
    assert hypergeom.pmf(0, population, failing, size) <= 1 - confidence + 1e-12
    assert hypergeom.pmf(0, population, failing, size - 1) > 1 - confidence
    # the same size however the settings are written
    assert discovery_size(population, margin=str(margin), confidence=str(confidence)) == size


def test_exact_reads_a_float_as_written():
    assert exact(0.07) * 100 == 7 and exact(0.1) + exact(0.2) == exact(0.3)
    assert 1 - exact(0.95) == exact("0.05")


# The estimate design: the Wilson interval at 50% is +/- z / (2 sqrt(n + z^2)); +/-15 points
# at 95% needs n0 = z^2 (1 - 4 * 0.15^2) / (4 * 0.15^2) = 38.84, so 39 cases from a large
# district; Cochran's finite population correction n0 N / (n0 + N - 1) gives fewer from a
# small one, and every case of a district that small.
@pytest.mark.parametrize(
    ("population", "precision", "size"),
    [
        (0, 0.15, 0),
        (1, 0.15, 1),
        (5, 0.15, 5),  # every case
        (10, 0.15, 9),
        (50, 0.15, 23),
        (100, 0.15, 29),
        (278, 0.15, 35),
        (1000, 0.15, 38),
        (2594, 0.15, 39),
        (1_000_000, 0.15, 39),
        (1_000_000, 0.10, 93),  # n0 = 92.2
        (1_000_000, 0.05, 381),  # n0 = 380.3
        (1000, 0.05, 276),
        (30, 0.5, 1),  # +/-50 points needs no case, but a district is never left out
    ],
)
def test_per_district_size_for_a_precision(population, precision, size):
    assert stratum_size(population, precision=precision, confidence=0.95) == size
    if 1 < size < population:  # the fewest cases whose corrected interval is narrow enough
        assert widest_half_width(size, population, confidence=0.95) <= 100 * precision
        assert widest_half_width(size - 1, population, confidence=0.95) > 100 * precision


def test_the_design_size_is_the_wilson_width_not_the_normal_approximation():
    n0 = unlimited_size(0.15, confidence=0.95)
    assert round(float(n0), 2) == 38.84  # the normal approximation z^2 / (4 e^2) gives 42.7
    assert widest_half_width(39, 10**9, confidence=0.95) == pytest.approx(14.97, abs=0.01)
    assert widest_half_width(5, 5, confidence=0.95) == 0  # a census is exact


def test_the_estimate_plan_sizes_each_district_and_the_discovery_plan_shares_one_size():
    settings = get_catalogue().dipsampling.sampling
    people = pd.DataFrame({"district_code": ["A"] * 1000 + ["B"] * 50 + ["C"] * 5})
    of = Population(pd.Timestamp("2025-01-01").date(), pd.Timestamp("2025-03-01").date(),
                    ("A", "B", "C", "D"))  # fmt: skip
    estimate = plan(people, of, settings, design=settings.design)
    assert estimate.strata["cases"].tolist() == [38, 23, 5, 0]
    assert (estimate.total, estimate.population) == (66, 1055)
    assert estimate.strata["widest"].round(1).tolist()[:3] == [14.9, 14.5, 0.0]
    stored = estimate.parameters(of)
    assert stored["design"] == "estimate" and stored["precision"] == 0.15
    assert stored["strata"] == {"A": [1000, 38], "B": [50, 23], "C": [5, 5], "D": [0, 0]}
    assert stored["allocation"] is None and stored["margin"] is None
    found = plan(people, of, settings, design="discovery", allocation=Allocation.PROPORTIONAL)
    assert found.total == 57 and found.strata["cases"].tolist() == [54, 3, 0, 0]


VOLUMES = pd.Series({"A": 1000, "B": 500, "C": 20, "D": 3})


@pytest.mark.parametrize(
    ("method", "size", "expected"),
    [
        (Allocation.PROPORTIONAL, 60, {"A": 39, "B": 20, "C": 1, "D": 0}),
        (Allocation.PROPORTIONAL, 1523, {"A": 1000, "B": 500, "C": 20, "D": 3}),
        (Allocation.EQUAL, 60, {"A": 19, "B": 19, "C": 19, "D": 3}),  # D holds 3: the rest shared
        (Allocation.EQUAL, 8, {"A": 2, "B": 2, "C": 2, "D": 2}),
        (Allocation.EQUAL, 9, {"A": 3, "B": 2, "C": 2, "D": 2}),  # a tie goes to the first
        (Allocation.EQUAL, 5000, {"A": 1000, "B": 500, "C": 20, "D": 3}),  # never more than held
    ],
)
def test_allocation(method, size, expected):
    assert allocate(VOLUMES, size, method=method).to_dict() == expected


def population(counts: dict[str, int]) -> pd.DataFrame:
    rows = [
        {"reference": f"{d}/{i:03d}", "occurred_at": pd.Timestamp("2025-01-01"), "district_code": d}
        for d, n in counts.items()
        for i in range(n)
    ]
    return pd.DataFrame(rows)


def test_the_same_seed_draws_the_same_cases_whatever_the_row_order():
    people = population({"A": 50, "B": 30})
    shares = pd.Series({"A": 5, "B": 3})
    first = draw(people, shares, seed=7)
    again = draw(people.sample(frac=1, random_state=1), shares, seed=7)
    assert first["reference"].tolist() == again["reference"].tolist()
    assert first.groupby("district_code").size().to_dict() == {"A": 5, "B": 3}
    assert draw(people, shares, seed=8)["reference"].tolist() != first["reference"].tolist()


def test_a_draw_asking_more_than_a_stratum_holds_is_refused():
    with pytest.raises(ValueError, match="A: 3 cases asked of 2"):
        draw(population({"A": 2}), pd.Series({"A": 3}), seed=1)


def test_wilson_interval_is_the_published_one():
    # Wilson 95% for 85 of 100: 76.7% to 90.7%; none answered: missing
    low, high = wilson_interval(np.array([85, 0]), np.array([100, 0]), alpha=0.05)
    assert [round(low[0], 1), round(high[0], 1)] == [76.7, 90.7]
    assert np.isnan([low[1], high[1]]).all()


def test_compliance_by_level_on_a_hand_built_sample():
    catalogue = get_catalogue()
    geo = catalogue.geography
    burnley, preston = (
        next(d for d in geo.district if d.name == n) for n in ("Burnley", "Preston")
    )
    areas = pd.DataFrame(
        [("force", geo.force, d.ons_code) for d in (burnley, preston)]
        + [("district", d.name, d.ons_code) for d in (burnley, preston)],
        columns=["level", "area", "district_code"],
    )
    answers = pd.DataFrame(
        [(1, burnley.ons_code, "risk_assessed", Answer.YES)] * 3
        + [(2, burnley.ons_code, "risk_assessed", Answer.NO)]
        + [(3, preston.ons_code, "risk_assessed", Answer.NOT_APPLICABLE)],
        columns=["case", "district_code", "question", "answer"],
    )
    table = compliance(answers, areas, confidence=0.95, min_compare=4).set_index("area")
    assert table.loc[geo.force, ["yes", "no", "not_applicable", "answered"]].tolist() == [
        3,
        1,
        1,
        4,
    ]
    assert table.loc[geo.force, "rate"] == 75.0
    assert table.loc[geo.force, "comparable"]
    assert table.loc["Preston", "answered"] == 0 and np.isnan(table.loc["Preston", "rate"])
    assert not table.loc["Preston", "comparable"]
    low, high = table.loc["Burnley", ["low", "high"]]
    assert (round(low, 1), round(high, 1)) == (30.1, 95.4)


def test_a_district_interval_carries_its_finite_population_correction():
    catalogue = get_catalogue()
    burnley = next(d for d in catalogue.geography.district if d.name == "Burnley")
    areas = pd.DataFrame(
        [
            ("force", catalogue.geography.force, burnley.ons_code),
            ("district", "Burnley", burnley.ons_code),
        ],
        columns=["level", "area", "district_code"],
    )
    answers = pd.DataFrame(
        [(i, burnley.ons_code, "q", Answer.YES if i < 4 else Answer.NO) for i in range(5)],
        columns=["case", "district_code", "question", "answer"],
    )
    plain = compliance(answers, areas, confidence=0.95, min_compare=4).set_index("area")
    every = pd.DataFrame({"district_code": [burnley.ons_code], "population": [5], "cases": [5]})
    census = compliance(answers, areas, confidence=0.95, min_compare=4, strata=every)
    census = census.set_index("area")
    assert census.loc["Burnley", ["low", "high"]].tolist() == [80.0, 80.0]  # every case: exact
    force = census.loc[catalogue.geography.force, "low"]  # other levels: uncorrected
    assert force == pytest.approx(plain.loc["Burnley", "low"])
    third = every.assign(population=15)
    corrected = compliance(answers, areas, confidence=0.95, min_compare=4, strata=third)
    low, high = corrected.set_index("area").loc["Burnley", ["low", "high"]]
    assert (round(low, 1), round(high, 1)) == (43.3, 95.4)  # 37.6 to 96.4 uncorrected


def test_checklist_is_configuration():
    settings = get_catalogue().dipsampling
    assert "contacted_in_time" in settings.questions()
    assert settings.questions()["contacted_in_time"] == "Victim contacted within 24 hours"
    assert list(settings.verdicts()) == [
        "appropriate",
        "appropriate_with_observations",
        "inappropriate",
        "unable_to_agree",
    ]


def test_p_chart_limits_and_signals_on_a_hand_built_series():
    # 3 samples of one question: 45/50, 44/50, 20/50; pooled centre 109/150 = 72.67%
    trend = pd.DataFrame(
        {
            "sample": [1, 2, 3],
            "question": ["risk_assessed"] * 3,
            "yes": [45, 44, 20],
            "answered": [50, 50, 50],
        }
    )
    chart = p_chart(trend, min_answered=10)
    centre = 109 / 150
    spread = 3 * np.sqrt(centre * (1 - centre) / 50)
    assert chart["centre"].round(2).tolist() == [72.67] * 3
    assert chart["lower"].round(2).tolist() == [round(100 * (centre - spread), 2)] * 3
    assert chart["upper"].round(2).tolist() == [round(100 * (centre + spread), 2)] * 3
    assert chart["signal"].tolist() == [0, 0, -1]  # 40% is below the lower limit (53.75%)
    none = p_chart(trend.assign(yes=0, answered=0), min_answered=10)
    assert none["signal"].isna().all()
    few = p_chart(trend, min_answered=51)  # 50 answered: too few to read against limits
    assert few["readable"].tolist() == [False] * 3 and few["signal"].isna().all()


def test_a_force_figure_weights_each_district_by_its_incidents():
    # A holds 1,000 incidents, B 100; 10 cases of each: A all yes, B all no. Pooled: 50%;
    # weighted: 1000/1100 = 90.9%, at Kish's effective n = 1 / ((10/11)^2/10 + (1/11)^2/10)
    areas = pd.DataFrame(
        [("force", "F", "A"), ("force", "F", "B"), ("district", "a", "A"), ("district", "b", "B")],
        columns=["level", "area", "district_code"],
    )
    answers = pd.DataFrame(
        [(i, "A", "q", Answer.YES) for i in range(10)]
        + [(10 + i, "B", "q", Answer.NO) for i in range(10)],
        columns=["case", "district_code", "question", "answer"],
    )
    strata = pd.DataFrame({"district_code": ["A", "B"], "population": [1000, 100], "cases": 10})
    table = compliance(answers, areas, confidence=0.95, min_compare=5, strata=strata)
    force = table.set_index("area").loc["F"]
    assert force[["yes", "no", "answered"]].tolist() == [10, 10, 20]  # the counts as found
    assert force["rate"] == pytest.approx(100 * 1000 / 1100)
    n_eff = 1210 / 101
    low, high = wilson_interval(n_eff * 10 / 11, n_eff, alpha=0.05)
    assert (force["low"], force["high"]) == (pytest.approx(low), pytest.approx(high))
    pooled = compliance(answers, areas, confidence=0.95, min_compare=5).set_index("area")
    assert pooled.loc["F", "rate"] == 50.0  # a sample with no strata stored: as before
