"""Exceptional periods, fitting windows and candidate recalculation points (issue 24): one tiny
hand-built series per rule, then Lancashire's real force-wide counts of December 2019 to
October 2022 (../shared/reference), whose limits were fitted on the pandemic before.

Hand-built series alternate two values: [10, 12] repeated has mean 11 and mean moving range 2,
so its limits are 11 +/- 5.32 (5.68 to 16.32)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from config import get_catalogue
from config.loader import ConfigError, load_catalogue
from config.signals import SpcSettings
from metrics import codec, control, fitting, scorecard
from present import charts
from present import spc_wording as sw
from tests.conftest import require_shared
from tests.test_config import _broken_config

SETTINGS = SpcSettings(
    limit_points=20, min_points=15, shift_run=7, trend_run=7, seasonal_min_months=24
)
START = "2022-04-01"
FAR_BASELINE = (pd.Timestamp("2030-10-01"), pd.Timestamp("2031-09-01"))  # not in any series
T = pd.Timestamp


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


def fitted(segment: control.Segment) -> tuple[str, str, int, str]:
    return (
        f"{segment.fitted_from:%Y-%m}",
        f"{segment.fitted_to:%Y-%m}",
        segment.fitted_points,
        segment.fitted_on,
    )


# --- configuration ---------------------------------------------------------------------------


def test_the_covid_restrictions_apply_to_every_measure_and_area():
    catalogue = get_catalogue()
    for code in ("asb_incidents", "shoplifting_recorded", "shoplifting_positive_outcome_rate"):
        for area in ("Lancashire", "Burnley"):
            (period,) = catalogue.exceptional(code, area)
            assert (period.start, period.end, period.name) == (
                "2020-03",
                "2021-07",
                "COVID-19 restrictions",
            )
            assert "Sources:" in period.reason
    assert scorecard.exceptional_periods(catalogue, "asb_incidents", "Burnley") == (
        (T("2020-03-01"), T("2021-07-01"), "COVID-19 restrictions"),
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('start = "2020-03"', 'start = "2021-08"', "period ends (2021-07) before it starts"),
        (
            'name = "COVID-19 restrictions"',
            'name = "COVID-19 restrictions"\nmeasure = "asb_incident"',
            "exceptional entry 1: measure: no measure has the code 'asb_incident'",
        ),
        (
            'name = "COVID-19 restrictions"',
            'name = "COVID-19 restrictions"\narea = "Burnly"',
            "exceptional entry 1: area: unknown area 'Burnly'",
        ),
        ('name = "COVID-19 restrictions"\n', "", "required key is missing"),
    ],
    ids=["last-before-first", "unknown-measure", "unknown-area", "no-name"],
)
def test_a_bad_exceptional_period_is_refused(tmp_path, old, new, expected):
    directory = _broken_config(tmp_path, "signals.toml", old, new)
    with pytest.raises(ConfigError) as caught:
        load_catalogue(directory)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_a_period_for_one_measure_and_area_applies_there_only(tmp_path):
    extra = (
        '\n[[exceptional]]\nname = "CCTV outage"\nstart = "2023-02"\nend = "2023-03"\n'
        'reason = "Cameras off."\nmeasure = "civil_orders"\narea = "Burnley"\n'
    )
    directory = _broken_config(tmp_path, "signals.toml", "# Annotations:", extra + "# Annotations:")
    catalogue = load_catalogue(directory)
    assert [e.name for e in catalogue.exceptional("civil_orders", "Burnley")] == [
        "COVID-19 restrictions",
        "CCTV outage",
    ]
    assert [e.name for e in catalogue.exceptional("civil_orders", "Pendle")] == [
        "COVID-19 restrictions"
    ]
    assert [e.name for e in catalogue.exceptional("asb_incidents", "Burnley")] == [
        "COVID-19 restrictions"
    ]


def test_the_score_key_changes_when_the_periods_change(tmp_path):
    from metrics.scoreset import configuration_digest

    before = configuration_digest(get_catalogue(), "asb_incidents", "Lancashire")
    directory = _broken_config(tmp_path, "signals.toml", 'end = "2021-07"', 'end = "2021-06"')
    after = configuration_digest(load_catalogue(directory), "asb_incidents", "Lancashire")
    assert before != after


# --- the rules, one small series each ---------------------------------------------------------

PANDEMIC = [(T("2023-08-01"), T("2024-01-01"), "lockdown")]  # months 17-22 of a series from START
AROUND = [10, 12] * 8 + [50] * 6 + [10, 12] * 8  # 16 normal months, 6 odd ones, 16 normal


def test_exceptional_months_are_drawn_but_never_judged_nor_fitted_on():
    plain = read(AROUND)
    assert plain.frame["special_cause"].any()  # judged, the odd months are a special cause
    reading = read(AROUND, exceptional=PANDEMIC)
    frame = reading.frame
    odd = frame.loc["2023-08":"2024-01"]
    assert list(odd["point_type"]) == [control.EXCEPTIONAL] * 6
    assert odd["exceptional"].all() and not odd["provisional"].any()
    assert odd[["centre", "lpl", "upl"]].isna().all().all()  # no limits drawn across them
    assert list(odd["value"]) == [50.0] * 6  # ...but the months are drawn
    assert not frame["special_cause"].any()
    # The month after the period starts a segment that names it; neither is fitted on it.
    assert limits(reading) == [("2022-04", 11.0, 5.68, 16.32), ("2024-02", 11.0, 5.68, 16.32)]
    assert [(s.reason, s.after) for s in reading.segments] == [("", ""), ("lockdown", "lockdown")]
    assert reading.exceptional == tuple(PANDEMIC)


def test_runs_never_cross_an_exceptional_period():
    values = [10, 12] * 8 + [14] * 4 + [50] * 6 + [14] * 4 + [10, 12] * 8
    joined = read(values, exceptional=[], recalculations=[])
    assert joined.frame["shift"].any()  # without the period the eight 14s would make a run
    reading = read(values, exceptional=[(T("2023-12-01"), T("2024-05-01"), "lockdown")])
    assert not reading.frame["shift"].any()


BREAK = [(T("2023-12-01"), "new team")]  # the 21st month of a series from START


@pytest.mark.parametrize(
    ("values", "recalculations", "expected_fit", "trial"),
    [
        # No complete baseline year: the latest 20 months, not the first 20 (which would mix
        # the old level of 11 into the limits and flag every recent month).
        ([10, 12] * 5 + [30, 32] * 10, [], ("2023-02", "2024-09", 20, fitting.LATEST), False),
        # 14 months after a recalculation point: fewer than 20, all of them.
        ([10, 12] * 10 + [30, 32] * 7, BREAK, ("2023-12", "2025-01", 14, fitting.LATEST), False),
        # Fewer than 12 months after the break: trial limits on all of them.
        ([10, 12] * 10 + [30, 32] * 5, BREAK, ("2023-12", "2024-09", 10, fitting.LATEST), True),
    ],
)
def test_without_a_baseline_year_the_latest_complete_months_fit_the_limits(
    values, recalculations, expected_fit, trial
):
    reading = read(values, recalculations=recalculations)
    latest = reading.latest
    assert fitted(latest) == expected_fit
    assert (round(latest.centre, 2), latest.trial) == (31.0, trial)
    assert not latest.on_baseline_year
    assert not reading.frame["special_cause"].iloc[-10:].any()


def test_fitting_skips_missing_and_exceptional_months_and_says_with_data():
    series = monthly([10, 12] * 16).drop([T("2023-06-01"), T("2023-07-01")])
    reading = control.read(
        series,
        improvement="increase",
        unit="count",
        baseline=FAR_BASELINE,
        settings=SETTINGS,
        exceptional=[(T("2022-04-01"), T("2022-09-01"), "lockdown")],
    )
    latest = reading.latest
    # 26 months after the period less 2 missing = 24 present: the latest 20 of them, which
    # span 22 calendar months.
    assert fitted(latest) == ("2023-02", "2024-11", 20, fitting.LATEST)
    assert "the latest 20 months with data, February 2023 to November 2024" in (
        sw.fitted_words(latest)
    )


def test_a_baseline_year_with_an_exceptional_month_is_not_complete():
    values = [10, 12] * 18
    baseline = (T("2023-04-01"), T("2024-03-01"))
    whole = read(values, baseline=baseline)
    assert fitted(whole.latest) == ("2023-04", "2024-03", 12, fitting.BASELINE_YEAR)
    assert sw.fitted_words(whole.latest) == "the baseline year"
    reading = read(values, baseline=baseline, exceptional=[(T("2023-09-01"), T("2023-09-01"), "x")])
    assert fitted(reading.latest) == ("2023-10", "2025-03", 18, fitting.LATEST)


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ([13] * 8, [("2023-09", fitting.SHIFT, "8 months in a row above the centre line")]),
        ([13] * 7, []),  # a special cause (7 in a row), but not yet a sustained shift
        ([9] * 9, [("2023-09", fitting.SHIFT, "9 months in a row below the centre line")]),
        (
            [10, 10.5, 11, 11.5, 12, 12.5],
            [("2023-09", fitting.TREND, "6 months in a row, each higher than the last")],
        ),
        ([10, 10.5, 11, 11.5, 12], []),
    ],
)
def test_sustained_shifts_are_candidate_recalculation_points(tail, expected):
    baseline = (T(START), T("2023-03-01"))  # limits on the first 12 months: centre 11
    values = [10, 12] * 8 + [11] + tail + [11] + [10, 12] * 2  # 11: on the centre line
    reading = read(values, baseline=baseline)
    assert [(f"{m:%Y-%m}", kind, seen) for m, kind, seen in reading.candidates] == expected
    note = sw.candidates_note(reading)
    assert bool(note) == bool(expected)
    if expected:
        assert "September 2023: " + expected[0][2] in note and "config/signals.toml" in note


def test_no_candidate_across_a_recalculation_point():
    values = [10, 12] * 8 + [30, 32] * 8  # the step is a configured recalculation point
    reading = read(values, recalculations=[(T("2023-08-01"), "patrols began")])
    assert reading.candidates == ()


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before it starts"):
        read([10, 12] * 8, exceptional=[(T("2023-01-01"), T("2022-01-01"), "x")])


def test_the_caption_names_the_period_and_the_months_fitted_on():
    reading = read(AROUND, exceptional=PANDEMIC)
    caption = sw.spc_caption(reading, get_catalogue().measure("civil_orders"), SETTINGS)
    assert (
        "lockdown (August 2023 to January 2024, shaded): an exceptional period, drawn but not "
        "judged; no limits are fitted on its months"
    ) in caption
    assert "fitted on the latest 16 months, April 2022 to July 2023." in caption
    assert (
        "From February 2024: limits 6 to 16 around 11, fitted on the latest 16 months, "
        "February 2024 to May 2025, after the lockdown."
    ) in caption


def test_a_run_chart_has_a_median_of_its_own_after_a_period():
    reading = read(
        [5, 6] * 3 + [40] * 4 + [20, 21] * 3, exceptional=[(T("2022-10-01"), T("2023-01-01"), "x")]
    )
    assert reading.kind == control.RUN
    assert list(reading.frame["centre"].dropna().unique()) == [5.5, 20.5]
    caption = sw.spc_caption(reading, get_catalogue().measure("civil_orders"), SETTINGS)
    assert "median of each stretch between exceptional periods (latest 20)" in caption


# --- the chart --------------------------------------------------------------------------------


def test_gaps_are_runs_of_calendar_months():
    months = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-04-01", "2020-08-01"])
    assert charts.gaps(months) == [
        (T("2020-03-01"), T("2020-03-01"), charts.NO_DATA),
        (T("2020-05-01"), T("2020-07-01"), charts.NO_DATA),
    ]


def test_every_line_breaks_at_a_missing_month_and_the_gap_is_marked():
    series = monthly([10, 12] * 10).drop([T("2023-01-01"), T("2023-02-01")])
    reading = control.read(
        series,
        improvement="increase",
        unit="count",
        baseline=FAR_BASELINE,
        settings=SETTINGS,
        exceptional=[(T("2022-06-01"), T("2022-07-01"), "lockdown")],
    )
    figure = charts.spc_chart(reading.frame, "t", "Number", periods=reading.exceptional)
    centre = next(t for t in figure.data if t.name == "Centre line (mean)")
    xs = [None if x is None else T(x) for x in centre.x]
    assert xs.count(None) == 2  # at the period and at the gap
    after = xs.index(None, xs.index(None) + 1)
    assert (f"{xs[after - 1]:%Y-%m}", f"{xs[after + 1]:%Y-%m}") == ("2022-12", "2023-03")
    labels = [a.text for a in figure.layout.annotations]
    assert labels.count(charts.NO_DATA) == 1
    assert "lockdown: not judged" in labels
    held_out = next(t for t in figure.data if t.name == "Exceptional period (not judged)")
    assert [f"{T(x):%Y-%m}" for x in held_out.x] == ["2022-06", "2022-07"]


@pytest.mark.parametrize("chart", ["rolling", "small multiples"])
def test_the_other_charts_shade_and_name_the_exceptional_period_too(chart):
    """Every chart names the period (issue 24: 'shaded and named on every chart'), clipped to
    the months the chart shows; a period outside them is not drawn."""
    months = pd.date_range("2019-12-01", "2022-10-01", freq="MS")
    values = pd.Series(np.arange(len(months), dtype=float), index=months)
    periods = [(T("2020-03-01"), T("2021-07-01"), "COVID-19 restrictions"),
               (T("2015-01-01"), T("2015-06-01"), "long ago")]  # fmt: skip
    if chart == "rolling":
        empty = pd.Series(dtype=float)
        figure = charts.rolling_chart(values, empty, np.nan, None, T("2027-03-01"), "t", "Number",
                                      periods=periods)  # fmt: skip
    else:
        frame = pd.DataFrame({"area": "Burnley", "month": months, "value": values.to_numpy()})
        figure = charts.small_multiples(frame, "t", "Number", periods=periods)
    labels = [a.text for a in figure.layout.annotations]
    assert "COVID-19 restrictions: not judged" in labels
    assert "long ago: not judged" not in labels


# --- real counts: Lancashire, December 2019 to October 2022 ----------------------------------


def _real_frame(code: str) -> pd.DataFrame:
    path = require_shared("reference", "policeuk_lancashire_force_monthly.csv")
    counts = pd.read_csv(path)
    months = pd.to_datetime(counts["month"] + "-01").dt.date
    if code == "shoplifting_positive_outcome_rate":
        numerator, denominator = (
            counts["shoplifting_positive_outcomes"],
            counts["shoplifting_recorded"],
        )
        value = 100 * numerator / denominator
    else:
        value, numerator, denominator = counts[code], np.nan, np.nan
    return pd.DataFrame(
        {
            "measure": code,
            "month": months,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
        }
    )


@pytest.mark.parametrize("code", ["asb_incidents", "shoplifting_recorded"])
def test_real_counts_are_judged_on_limits_fitted_after_the_pandemic(code):
    catalogue = get_catalogue()
    measure = catalogue.measure(code)
    frame = _real_frame(code)
    score = scorecard.score_in(
        catalogue, frame, frame, measure, "Lancashire", pd.Timestamp("2022-10-01").date()
    )
    reading = score.spc
    assert reading.kind == control.XMR
    for segment in reading.segments:
        assert segment.fitted_to < T("2020-03-01") or segment.fitted_from > T("2021-07-01")
    latest = reading.latest
    assert fitted(latest) == ("2021-08", "2022-10", 15, fitting.LATEST)
    assert latest.after == "COVID-19 restrictions"
    months = reading.frame.loc["2022"]
    assert (months["point_type"] == "common_cause").sum() >= 8  # not all improvement/concern
    pandemic = reading.frame.loc["2020-03":"2021-07"]
    assert (pandemic["point_type"] == control.EXCEPTIONAL).all()
    caption = sw.spc_caption(reading, measure, catalogue.signals.spc)
    assert "COVID-19 restrictions (March 2020 to July 2021, shaded)" in caption
    assert (
        "fitted on the latest 15 months, August 2021 to October 2022, after the COVID-19 "
        "restrictions"
    ) in caption
    assert "Common cause: no significant change." in caption
    assert _same(codec.decode(codec.encode(score)), score)  # stored and read back exactly


def _same(decoded, score) -> bool:
    pd.testing.assert_frame_equal(decoded.spc.frame, score.spc.frame)
    return (decoded.spc.segments, decoded.spc.exceptional, decoded.spc.candidates) == (
        score.spc.segments,
        score.spc.exceptional,
        score.spc.candidates,
    )


def test_the_real_positive_outcome_rate_no_longer_reads_as_failing_on_pandemic_limits():
    catalogue = get_catalogue()
    measure = catalogue.measure("shoplifting_positive_outcome_rate")
    frame = _real_frame(measure.code)
    score = scorecard.score_in(
        catalogue, frame, frame, measure, "Lancashire", pd.Timestamp("2022-10-01").date()
    )
    reading = score.spc
    assert all(
        s.fitted_to < T("2020-03-01") or s.fitted_from > T("2021-07-01") for s in reading.segments
    )
    assert f"{reading.latest.fitted_from:%Y-%m}" == "2021-08"
