"""SPC: one small hand-built series per rule, with exact expected output (NHSRplotthedots style).

The baseline in most cases is [12, 10] x 4: mean 11, mean moving range 2, so the process limits
are 11 +/- 5.32 (5.68 and 16.32) and the 2-sigma lines 11 +/- 3.5467 (7.4533 and 14.5467).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics.spc import assurance_icon, variation_icon, xmr
from present.spc_wording import ASSURANCE_TEXT, VARIATION_TEXT

BASE = [12, 10] * 4
B = len(BASE)

CASES = [
    # id, extension, expected flagged indices (after the baseline), side
    ("outside-high", [17], [0], "high"),
    ("outside-low", [5], [0], "low"),
    ("on-the-limit-is-inside", [16.32], [], None),
    ("shift-of-7", [12] * 7, list(range(7)), "high"),
    ("shift-of-6", [12] * 6, [], None),
    ("shift-of-7-low", [12] + [10.5] * 7, list(range(1, 8)), "low"),
    ("point-on-mean-breaks-shift", [12, 12, 12, 11, 12, 12, 12], [], None),
    ("trend-of-7-rising", [8, 9, 10, 11.5, 12, 13, 14], list(range(7)), "high"),
    ("trend-of-6-rising", [9, 10, 11.5, 12, 13, 14], [], None),
    ("trend-of-7-falling", [14, 13, 12, 11.5, 10, 9, 8], list(range(7)), "low"),
    ("equal-neighbours-break-trend", [8, 9, 10, 10, 12, 13, 14], [], None),
    ("two-of-three-high", [15, 13, 15], [0, 2], "high"),
    ("two-of-three-low", [7, 9, 7], [0, 2], "low"),
    ("two-of-three-one-beyond-limit", [17, 15, 12], [0, 1], "high"),
    ("two-of-three-across-the-mean", [15, 10, 15], [], None),
    ("one-of-three-is-not-enough", [15, 13, 12], [], None),
]


def _expected_types(side: str | None, improvement: str) -> str:
    if side is None:
        return "common_cause"
    if improvement == "neutral":
        return "neutral"
    good = "high" if improvement == "increase" else "low"
    return "improvement" if side == good else "concern"


@pytest.mark.parametrize("improvement", ["increase", "decrease", "neutral"])
@pytest.mark.parametrize(
    ("_case", "extension", "flagged", "side"), CASES, ids=[c[0] for c in CASES]
)
def test_rules(_case, extension, flagged, side, improvement):
    chart = xmr(BASE + extension, improvement=improvement, baseline_points=B)
    assert chart["mean"].iat[0] == 11
    assert chart["upl"].iat[0] == pytest.approx(16.32)
    assert chart["lpl"].iat[0] == pytest.approx(5.68)
    special = [i - B for i in np.flatnonzero(chart["special_cause"])]
    assert special == flagged
    assert not chart["special_cause"].iloc[:B].any()
    expected = [
        _expected_types(side, improvement) if i in flagged else "common_cause"
        for i in range(len(extension))
    ]
    assert list(chart["point_type"].iloc[B:]) == expected


@pytest.mark.parametrize(
    ("_case", "extension", "rule"),
    [
        ("outside", [17], "outside"),
        ("shift", [12] * 7, "shift"),
        ("trend", [8, 9, 10, 11.5, 12, 13, 14], "trend"),
        ("two", [15, 13, 15], "two_in_three"),
    ],
)
def test_each_rule_reports_its_own_column(_case, extension, rule):
    chart = xmr(BASE + extension, baseline_points=B)
    columns = ["outside", "shift", "trend", "two_in_three"]
    fired = [c for c in columns if chart[c].iloc[B:].any()]
    assert fired == [rule]


def test_screening_outliers_recomputes_the_mean_moving_range():
    values = [10, 12, 10, 12, 10, 40, 10, 12, 10, 12, 10, 12]
    plain = xmr(values)
    screened = xmr(values, screen_outliers=True)
    assert plain.attrs["mean_moving_range"] == pytest.approx(78 / 11)
    assert screened.attrs["mean_moving_range"] == pytest.approx(2.0)
    assert plain["upl"].iat[0] == pytest.approx(160 / 12 + 2.66 * 78 / 11)
    assert screened["upl"].iat[0] == pytest.approx(160 / 12 + 2.66 * 2)
    assert list(np.flatnonzero(screened["outside"])) == [5]


@pytest.mark.parametrize(("points", "trial"), [(1, True), (2, True), (11, True), (12, False)])
def test_fewer_than_12_points_have_trial_limits(points, trial):
    chart = xmr(list(range(points)))
    assert chart.attrs["trial_limits"] is trial
    assert chart["trial_limits"].all() == trial
    assert len(chart) == points


def test_a_single_point_has_no_limits_and_no_signal():
    chart = xmr([5.0])
    assert np.isnan(chart["upl"].iat[0]) and not chart["special_cause"].any()
    assert chart.attrs["variation"] == "common_cause"
    assert chart.attrs["assurance"] == "none"


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="missing values"):
        xmr([1, float("nan"), 3])
    with pytest.raises(ValueError, match="improvement must be one of"):
        xmr([1, 2, 3], improvement="up")


@pytest.mark.parametrize(
    ("extension", "improvement", "icon"),
    [
        ([11], "increase", "common_cause"),
        ([17], "increase", "improvement_high"),
        ([17], "decrease", "concern_high"),
        ([5], "decrease", "improvement_low"),
        ([5], "neutral", "neutral_low"),
        ([14, 13, 12, 11.5, 10, 9, 8], "increase", "concern_low"),
    ],
)
def test_variation_icon_of_the_latest_point(extension, improvement, icon):
    chart = xmr(BASE + extension, improvement=improvement, baseline_points=B)
    assert variation_icon(chart) == chart.attrs["variation"] == icon
    assert icon in VARIATION_TEXT


@pytest.mark.parametrize(
    ("target", "improvement", "icon"),
    [
        (5.0, "increase", "pass"),
        (17.0, "increase", "fail"),
        (12.0, "increase", "hit_and_miss"),
        (5.0, "decrease", "fail"),
        (17.0, "decrease", "pass"),
        (12.0, "neutral", "none"),
        (None, "increase", "none"),
        (float("nan"), "decrease", "none"),  # no baseline yet, so no target
    ],
)
def test_assurance_icon(target, improvement, icon):
    chart = xmr(BASE, improvement=improvement, target=target)
    assert assurance_icon(chart, target=target, improvement=improvement) == icon
    assert chart.attrs["assurance"] == icon and icon in ASSURANCE_TEXT


series = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=60
)


@given(series)
def test_limits_are_symmetric_about_the_mean(values):
    chart = xmr(values)
    assert chart["upl"].iat[0] - chart["mean"].iat[0] == pytest.approx(
        chart["mean"].iat[0] - chart["lpl"].iat[0], abs=1e-6
    )


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(1, 60))
def test_a_constant_series_has_no_special_cause(value, length):
    assert not xmr([value] * length)["special_cause"].any()


@given(series)
def test_reversing_the_improvement_direction_swaps_improvement_and_concern(values):
    up = xmr(values, improvement="increase")["point_type"]
    down = xmr(values, improvement="decrease")["point_type"]
    swap = {"improvement": "concern", "concern": "improvement", "common_cause": "common_cause"}
    assert list(down) == [swap[t] for t in up]
