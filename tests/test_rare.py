"""Rare events (metrics.rare, dispatched by metrics.control) and assurance: one tiny
hand-built series per rule, with limits checked against scipy's exact Poisson quantiles.

A "2 a year" series has 2 events in its 12-month fitting window: centre 1/6 a month, exact
limits 0 to 2 (P(X > 2) = 0.07% at 1/6, P(X > 1) = 1.3%)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError
from scipy import stats

from config import get_catalogue
from config.signals import SpcSettings
from metrics import calculation, control, rare, scoreset, spc
from present import spc_wording, wording
from tests.conftest import require_shared

SETTINGS = SpcSettings(
    limit_points=20, min_points=15, shift_run=7, trend_run=7, seasonal_min_months=24,
    rare_event_mean=1.0,
)  # fmt: skip
BASELINE = (pd.Timestamp("2024-10-01"), pd.Timestamp("2025-09-01"))
START = "2023-10-01"  # a year before the baseline year
TWO_A_YEAR = [0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]  # the baseline year: 2 events


def monthly(values, start: str = START) -> pd.Series:
    index = pd.date_range(start, periods=len(values), freq="MS")
    return pd.Series(np.asarray(values, dtype=float), index=index)


def read(values, **options) -> control.Reading:
    arguments = dict(
        improvement="decrease", unit="count", baseline=BASELINE, settings=SETTINGS,
        small_numbers=True,
    )  # fmt: skip
    return control.read(monthly(values), **(arguments | options))


def special(reading: control.Reading) -> list[str]:
    frame = reading.frame
    return [f"{m:%Y-%m}" for m in frame.index[frame["special_cause"]]]


# --- limits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        TWO_A_YEAR,  # centre 1/6: limits 0 to 2
        [0] * 12,  # centre 0: limits 0 to 0
        [0, 1] * 6,  # centre 0.5
        [2, 3, 1, 2, 4, 2, 1, 3, 2, 2, 1, 1],  # centre 2: limits 0 to 7
        [9, 7, 8, 6, 10, 8, 7, 9, 8, 8, 7, 9],  # centre 8: a lower limit above 0 (1)
    ],
)
def test_c_chart_limits_are_scipys_exact_poisson_quantiles(values):
    chart = rare.c_chart(values)
    centre = float(np.mean(values))
    rate = stats.poisson(centre)
    expected = (
        centre,
        rate.ppf(stats.norm.sf(3)),
        rate.ppf(stats.norm.cdf(3)),
        rate.ppf(stats.norm.sf(2)),
        rate.ppf(stats.norm.cdf(2)),
    )
    columns = ["mean", "lpl", "upl", "lower_2sigma", "upper_2sigma"]
    assert tuple(chart[columns].iloc[0]) == pytest.approx(expected)
    # Each limit leaves at most 0.135% beyond it at the centre's rate.
    assert rate.sf(chart["upl"].iat[0]) <= stats.norm.sf(3)
    assert rate.cdf(chart["lpl"].iat[0] - 1) <= stats.norm.sf(3)


def test_the_two_a_year_limits_by_hand():
    chart = rare.c_chart(TWO_A_YEAR)
    assert (round(chart["mean"].iat[0], 4), chart["lpl"].iat[0], chart["upl"].iat[0]) == (
        0.1667,
        0.0,
        2.0,
    )


def test_a_c_chart_refuses_what_is_not_a_count():
    with pytest.raises(ValueError, match="counts"):
        rare.c_chart([0, 1.5, 2])
    with pytest.raises(ValueError, match="counts"):
        rare.c_chart([0, -1, 2])


# --- no special cause from one or two events ------------------------------------------------------


@pytest.mark.parametrize(
    ("later", "why"),
    [
        ([0] * 12, "twelve ordinary months with none: below the centre, but the usual month"),
        ([1] + [0] * 29, "29 months with none: one short of as unlikely as 7 in a row (30)"),
        ([2] + [0] * 11, "two deaths in one month: at the upper limit, not beyond it"),
        ([1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], "one each in two months"),
    ],
)
def test_no_special_cause_from_one_or_two_events(later, why):
    reading = read(TWO_A_YEAR + TWO_A_YEAR + later)
    assert reading.kind == control.RARE
    assert special(reading) == [], why
    assert reading.variation == "common_cause"


def test_with_no_event_in_the_fitting_window_one_or_two_in_a_month_are_no_signal():
    """A centre of 0 has limits 0 to 0: every event is beyond the limit, but it takes 3 in one
    month to signal."""
    reading = read([0] * 24 + [1, 0, 2, 0, 0, 2, 0, 1])
    assert (reading.latest.centre, reading.latest.upper) == (0.0, 0.0)
    assert special(reading) == []


# --- real signals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("later", "flagged", "variation"),
    [
        # Three in one month, beyond the limit of 2: a concern (fewer is better).
        ([0, 0, 3], ["2025-12"], "concern_high"),
        # An event every month for 7 months (at 2 a year, a month with one has a 15% chance).
        (
            [1] * 7,
            [f"2025-{m:02d}" for m in range(10, 13)] + [f"2026-{m:02d}" for m in range(1, 5)],
            "concern_high",
        ),
        # 30 months in a row with none: as unlikely at 2 a year as 7 in a row on a fair chart.
        ([0] * 30, None, "improvement_low"),
    ],
)
def test_a_genuine_change_signals(later, flagged, variation):
    reading = read(TWO_A_YEAR + TWO_A_YEAR + later)
    assert reading.variation == variation
    if flagged is not None:
        assert special(reading) == flagged
    else:  # the run of 30 zero months, and the baseline year's trailing zeros before it
        assert special(reading)[-30:] == [f"{m:%Y-%m}" for m in reading.frame.index[-30:]]


def test_run_lengths_follow_the_poisson_chance_of_each_side():
    assert rare.run_lengths(1 / 6, 7) == (7, 30)  # ln(1/2) x 7 / (-1/6) = 29.1 -> 30
    assert rare.run_lengths(0.5, 7) == (7, 10)
    assert rare.run_lengths(3.0, 7) == (7, 7)  # a balanced count: the usual 7
    assert rare.run_lengths(0.0, 7) == (7, 7)  # nothing can lie below a centre of 0


# --- which chart ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "options", "kind"),
    [
        # Civil orders in a small district: about 0.4 a month in the fitting window.
        ([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0] * 2, {"small_numbers": False}, control.RARE),
        # The same measure in a larger area: 1.5 a month is not rare (threshold 1.0).
        ([1, 2] * 12, {"small_numbers": False}, control.XMR),
        # Configured as small numbers: a c chart whatever the mean.
        ([2, 3, 4, 3] * 6, {"small_numbers": True}, control.RARE),
        # Hours and percentages are not counts of events: never a c chart.
        ([0, 1, 0, 0] * 6, {"small_numbers": False, "unit": "hours"}, control.XMR),
        ([0, 1, 0, 0] * 6, {"small_numbers": False, "unit": "percent"}, control.XMR),
        # Too few months for limits: a run chart, rare or not.
        ([0, 1, 0] * 4, {"small_numbers": True}, control.RUN),
    ],
)
def test_which_chart_reads_a_series(values, options, kind):
    assert read(values, **options).kind == kind


def test_a_tiny_district_is_read_by_its_latest_fitting_window():
    """Recalculated from a month: the latest segment's window decides."""
    values = [5, 6, 4, 5] * 4 + [0, 1, 0, 0] * 4
    recalc = [(pd.Timestamp("2025-02-01"), "orders moved to another team")]
    reading = read(values, small_numbers=False, baseline=(pd.Timestamp("2030-01-01"),) * 2,
                   recalculations=recalc)  # fmt: skip
    assert reading.kind == control.RARE
    assert [round(s.centre, 2) for s in reading.segments] == [5.0, 0.25]


def test_the_threshold_is_configured_validated_and_in_the_score_key():
    catalogue = get_catalogue()
    assert catalogue.signals.spc.rare_event_mean == 1.0
    with pytest.raises(ValidationError):
        SpcSettings(**(SETTINGS.model_dump() | {"rare_event_mean": 0}))
    before = scoreset.configuration_digest(catalogue, "civil_orders", "Burnley")
    changed = catalogue.signals.spc.model_copy(update={"rare_event_mean": 2.0})
    other = dataclasses.replace(
        catalogue, signals=catalogue.signals.model_copy(update={"spc": changed})
    )
    assert scoreset.configuration_digest(other, "civil_orders", "Burnley") != before
    assert "metrics.rare" in calculation.calculation_key().module_names


def test_the_real_force_wide_counts_are_never_rare():
    path = require_shared("reference", "policeuk_lancashire_force_monthly.csv")
    counts = pd.read_csv(path)
    index = pd.to_datetime(counts["month"])
    for column in ("asb_incidents", "shoplifting_recorded"):
        series = pd.Series(counts[column].to_numpy(float), index=index).dropna()
        reading = control.read(
            series, improvement="decrease", unit="count", baseline=BASELINE, settings=SETTINGS
        )
        assert reading.kind == control.XMR, column


# --- the words ------------------------------------------------------------------------------------


def test_the_caption_names_the_chart_and_its_rule():
    measure = get_catalogue().measure("ebike_fatal_collisions")
    reading = read(TWO_A_YEAR + TWO_A_YEAR + [0] * 6, target=1 / 6, directional=True)
    assert spc_wording.spc_title(reading) == "c chart for rare events"
    caption = spc_wording.spc_caption(reading, measure, SETTINGS)
    assert caption.startswith(
        "Rare events (configured as small numbers): a c chart with exact Poisson limits, not "
        "an XmR chart. A month is a special cause only above the upper limit with at least 3 "
        "events, in a run of 7 months in a row above the centre line, 30 in a row below it"
    )
    assert "never one or two events" in caption
    assert "Limits 0 to 2 around 0.17 a month, fitted on the baseline year." in caption
    assert "Common cause: no significant change." in caption
    assert "Special cause" not in caption
    district = get_catalogue().measure("civil_orders")
    tiny = read([0, 1, 0, 0] * 6, small_numbers=False)
    assert "fewer than 1 a month on average here" in spc_wording.spc_caption(
        tiny, district, SETTINGS
    )


# --- assurance ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "improvement", "icon"),
    [
        (5.0, "increase", "hit_and_miss"),  # on the lower limit: the process reaches it
        (17.0, "increase", "hit_and_miss"),  # on the upper limit
        (5.0, "decrease", "hit_and_miss"),
        (17.0, "decrease", "hit_and_miss"),
        (4.99, "increase", "pass"),
        (17.01, "increase", "fail"),
        (4.99, "decrease", "fail"),
        (17.01, "decrease", "pass"),
    ],
)
def test_a_target_on_a_limit_is_hit_and_miss_in_both_directions(target, improvement, icon):
    limits = pd.DataFrame({"lpl": [5.0], "upl": [17.0]})
    assert spc.assurance_icon(limits, target=target, improvement=improvement) == icon


@pytest.mark.parametrize("improvement", ["increase", "decrease"])
def test_a_target_on_an_xmr_limit_as_drawn_is_hit_and_miss(improvement):
    values = [10, 12] * 8  # limits 5.68 to 16.32
    for target in (11 - 5.32, 11 + 5.32):
        reading = read(values, improvement=improvement, target=target, small_numbers=False)
        assert reading.assurance == "hit_and_miss"


@pytest.mark.parametrize(
    ("values", "options", "kind"),
    [
        ([10, 12] * 8, {"small_numbers": False}, control.XMR),
        (TWO_A_YEAR * 2, {}, control.RARE),
        ([10, 12] * 5, {"small_numbers": False}, control.RUN),
    ],
)
def test_a_directional_target_has_no_assurance_and_says_so(values, options, kind):
    reading = read(values, target=11.0, directional=True, **options)
    assert (reading.kind, reading.assurance) == (kind, spc.NOT_APPLICABLE)
    assert read(values, target=11.0, **options).assurance != spc.NOT_APPLICABLE
    measure = get_catalogue().measure("civil_orders")
    caption = spc_wording.spc_caption(reading, measure, SETTINGS)
    assert "Assurance does not apply" in caption and "chance of meeting the target" in caption
    assert "Hit and miss" not in caption
    assert spc_wording.ASSURANCE_SHORT[reading.assurance] == "not applicable (see the chance)"


def test_no_months_no_assurance_even_for_a_directional_target():
    assert read([], directional=True).assurance == "none"


def test_a_c_chart_assures_a_figure_target_against_its_exact_limits():
    """A set figure of 3 a month against limits 0 to 2 (2 a year): consistently passed."""
    assert read(TWO_A_YEAR * 2, target=3.0).assurance == "pass"
    assert read(TWO_A_YEAR * 2, target=2.0).assurance == "hit_and_miss"


def test_the_league_figure_is_a_count_never_a_percentage():
    measure = get_catalogue().measure("ebike_fatal_collisions")
    score = SimpleNamespace(rolling_12m=1.0, baseline=2.0, probability=0.03, status="off track")
    assert wording.league_figure(score, measure) == "1 in 12 months (baseline year 2)"
    assert wording.status_with_figure(score, measure) == (
        "✖ off track (under 5%) · 1 in 12 months (baseline year 2)"
    )
    rate = get_catalogue().measure("shoplifting_positive_outcome_rate")
    percent = SimpleNamespace(rolling_12m=24.06, baseline=26.3)
    assert wording.league_figure(percent, rate) == "24.1% over 12 months (baseline year 26.3%)"


def test_every_assurance_icon_has_its_words():
    for icon in spc.ASSURANCE_ICONS:
        assert icon in spc_wording.ASSURANCE_TEXT and icon in spc_wording.ASSURANCE_SHORT


@pytest.mark.parametrize(
    ("quiet", "listed"),
    [
        (18, False),  # a run of months with no event at 2 a year is the usual month: no candidate
        (40, True),  # as unlikely as a candidate's 8 in a row on an ordinary chart: listed
    ],
)
def test_a_rare_event_chart_lists_only_runs_as_unlikely_as_a_candidate(quiet, listed):
    """The chart reads runs below a rare-event centre by the rare rule (30 months at 2 a year),
    so the candidate recalculation points under it must not list 18 quiet months as a shift."""
    series = monthly([0] * 12 + TWO_A_YEAR + [0] * quiet)  # limits fitted on the baseline year
    reading = control.read(
        series, improvement="decrease", unit="count", baseline=BASELINE, settings=SETTINGS,
        small_numbers=True,
    )  # fmt: skip
    assert reading.kind == control.RARE
    below = [c for c in reading.candidates if "below the centre line" in c[2]]
    assert bool(below) is listed
