"""Complete windows and gaps shown as gaps: every 12-month figure and baseline needs its 12
months (counts and ratios alike), a partial one is not judged and says which months are
missing, and every chart, small multiple and sparkline breaks and marks a month with no data.
Hand-built gapped frames, and the real force-wide police.uk counts (Dec 2019 - Oct 2022,
with 2020-06, 2020-08 and 2020-09 missing)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from config import get_catalogue
from config.models import Status
from metrics import codec, periods, scorecard, tables
from present import charts
from present import window_wording as ww
from present import wording as w
from present.exports import limits_months, months_present
from tests.conftest import require_shared

CAT = get_catalogue()
RATE = CAT.measure("shoplifting_positive_outcome_rate")
ASB = CAT.measure("asb_incidents")
REAL_GAPS = (date(2020, 6, 1), date(2020, 8, 1), date(2020, 9, 1))


def frame(months, values, ratio=False) -> pd.DataFrame:
    """Monthly rows of the months given (YYYY-MM): a gap is a month left out."""
    values = np.asarray(values, dtype=float)
    return pd.DataFrame(
        {
            "month": [pd.Timestamp(m + "-01").date() for m in months],
            "value": 100 * values / 400 if ratio else values,
            "numerator": values if ratio else np.nan,
            "denominator": 400.0 if ratio else np.nan,
        }
    )


def span(first: str, last: str, skip=()) -> list[str]:
    months = pd.date_range(first + "-01", last + "-01", freq="MS").strftime("%Y-%m")
    return [m for m in months if m not in skip]


@pytest.fixture(scope="module")
def real_force() -> pd.DataFrame:
    """The real force-wide ASB counts from police.uk, as a monthly frame."""
    path = require_shared("reference", "policeuk_lancashire_force_monthly.csv")
    raw = pd.read_csv(path)
    return frame(list(raw["month"]), raw["asb_incidents"])


# --- the window rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aggregation", "ratio"), [("sum", False), ("ratio", True), ("survey", True)]
)
@pytest.mark.parametrize(
    ("skip", "as_of", "has_figure"),
    [
        ((), "2024-12", True),  # 12 of 12
        (("2024-06",), "2024-12", False),  # a month inside the window missing
        (("2024-06",), "2025-06", True),  # the window after the gap is whole again
        (("2024-06",), "2025-05", False),  # ... but not a month earlier
        (("2024-01",), "2024-12", False),  # the window's first month missing
    ],
)
def test_a_12_month_figure_needs_all_12_months(aggregation, ratio, skip, as_of, has_figure):
    data = frame(
        span("2024-01", "2025-06", skip), [40] * len(span("2024-01", "2025-06", skip)), ratio
    )
    rolling = periods.rolling_12(data, aggregation=aggregation)
    assert pd.notna(rolling.get(pd.Timestamp(as_of + "-01"), np.nan)) == has_figure
    first = periods.shift_month(pd.Timestamp(as_of + "-01").date(), -11)
    value = periods.period_value(
        data, aggregation=aggregation, first=first, last=pd.Timestamp(as_of + "-01").date()
    )
    assert pd.notna(value) == has_figure


def test_a_ratio_month_with_no_cases_is_present_and_a_month_with_no_row_is_missing():
    data = frame(span("2024-01", "2024-12"), [40] * 12, ratio=True)
    no_cases = data.copy()
    no_cases.loc[5, ["value", "numerator", "denominator"]] = [np.nan, 0, 0]
    assert periods.rolling_12(no_cases, aggregation="ratio").iloc[-1] == pytest.approx(10.0)
    assert np.isnan(periods.rolling_12(data.drop(index=5), aggregation="ratio").iloc[-1])
    # the month has no row in the area but the measure was loaded for it (force): no cases
    filled = periods.with_loaded_months(data.drop(index=5), data["month"], "ratio")
    assert periods.rolling_12(filled, aggregation="ratio").iloc[-1] == pytest.approx(10.0)
    counts = frame(span("2024-01", "2024-12"), [40] * 12).drop(index=5)
    assert periods.with_loaded_months(counts, data["month"], "sum").equals(counts)


def test_the_window_names_what_is_present_and_what_is_missing():
    data = frame(span("2024-01", "2025-09", skip=("2024-10", "2024-11", "2024-12")), [1] * 18)
    found = periods.window(data, date(2024, 10, 1), date(2025, 9, 1))
    assert (found.months, found.present, found.is_complete) == (12, 9, False)
    assert found.missing == (date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1))
    assert periods.window(data.iloc[:0], date(2024, 1, 1), date(2024, 3, 1)).present == 0


def test_the_real_pandemic_series_has_no_12_month_figure_across_its_gaps(real_force):
    """Dec 2019 - Oct 2022 with June, August and September 2020 missing: the first whole
    window ends in September 2021, and none before it is made up."""
    rolling = periods.rolling_12(real_force, aggregation="sum")
    assert rolling.index.min() == pd.Timestamp("2019-12-01")
    assert len(rolling) == 35  # every calendar month, the gaps kept as months
    assert rolling.first_valid_index() == pd.Timestamp("2021-09-01")
    assert rolling.loc[:"2021-08-01"].isna().all()
    assert rolling.loc["2021-09-01":].notna().all()
    expected = real_force[pd.to_datetime(real_force["month"]) >= "2020-10-01"]["value"]
    assert rolling.loc["2021-09-01"] == expected.iloc[:12].sum()


# --- the score: partial windows are not judged --------------------------------------------------


def _score(data: pd.DataFrame, measure, as_of: date):
    target, own = scorecard.target_for(CAT, measure.code, "Lancashire")
    return scorecard.score(
        data,
        measure=measure,
        target=target,
        own_target=own,
        force_baseline=np.nan,
        as_of=as_of,
        signals=CAT.signals,
    )


@pytest.mark.parametrize("measure", [RATE, ASB], ids=["ratio", "count"])
def test_a_partial_baseline_year_is_not_judged_and_says_which_months_are_missing(measure):
    """The real shape: Oct-Dec 2024 missing from the baseline year Oct 2024 - Sep 2025."""
    months = span("2023-01", "2026-04", skip=("2024-10", "2024-11", "2024-12"))
    data = frame(months, [100] * len(months), ratio=measure.aggregation != "sum")
    result = _score(data, measure, date(2026, 4, 1))  # judged to January 2026 at the latest
    assert result.status == Status.INSUFFICIENT
    assert np.isnan(result.baseline) and np.isnan(result.probability)
    assert (result.baseline_present, result.months_present) == (9, 12)
    assert w.baseline_text(result, measure) == (
        "9 of 12 months loaded (missing: October to December 2024)"
    )
    assert w.reason(result, measure).endswith(
        "has 9 of 12 months loaded (missing: October to December 2024): nothing to judge against"
    )
    assert codec.decode(codec.encode(result)).baseline_missing == result.baseline_missing


@pytest.mark.parametrize("measure", [RATE, ASB], ids=["ratio", "count"])
def test_a_partial_latest_12_months_is_not_judged(measure):
    months = span("2024-01", "2026-06", skip=("2026-02",))
    data = frame(months, [100] * len(months), ratio=measure.aggregation != "sum")
    result = _score(data, measure, date(2026, 6, 1))
    assert not np.isnan(result.baseline)  # the baseline year is whole
    assert result.status == Status.INSUFFICIENT and np.isnan(result.probability)
    assert np.isnan(result.rolling_12m)
    assert result.months_missing == (date(2026, 2, 1),)
    assert w.latest_12_months(result, measure) == "11 of 12 months loaded (missing: February 2026)"
    said = f"the 12 months to {w.month(result.judged_to)} are not judged: 11 of 12 months"
    assert said in w.reason(result, measure)


# --- words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "words"),
    [
        (["2020-03"], "March 2020"),
        (["2020-03", "2020-05"], "March 2020, May 2020"),
        (["2024-10", "2024-11", "2024-12"], "October to December 2024"),
        (span("2022-11", "2023-12") + span("2024-05", "2024-12"),
         "November 2022 to December 2023, May to December 2024"),
        (["2024-12", "2024-10", "2024-11"], "October to December 2024"),  # any order
    ],
)  # fmt: skip
def test_month_ranges(months, words):
    assert ww.month_ranges(pd.Timestamp(m + "-01").date() for m in months) == words


def test_the_gap_note_counts_the_months():
    real = [
        "2020-06",
        "2020-08",
        "2020-09",
        *span("2022-11", "2023-12"),
        *span("2024-05", "2024-12"),
    ]
    gaps = [pd.Timestamp(m).date() for m in real]  # the real police.uk archive's gaps
    assert ww.gap_note(gaps).startswith(
        "25 months have no data: June 2020, August to September 2020, November 2022 to "
        "December 2023, May to December 2024."
    )
    assert ww.gap_note([date(2020, 6, 1)]).startswith("1 month has no data: June 2020.")
    assert ww.gap_note([]) == ""


# --- charts -----------------------------------------------------------------------------------


def _line(figure, name):
    trace = next(t for t in figure.data if t.name == name)
    return pd.Series(list(trace.y), index=pd.to_datetime(list(trace.x)), dtype=float)


def test_the_rolling_chart_breaks_and_marks_a_gap_and_has_no_baseline_line_without_one():
    months = span("2023-01", "2025-12", skip=span("2024-05", "2024-07"))
    rolling = periods.rolling_12(frame(months, [10] * len(months)), aggregation="sum")
    rolling = rolling.loc[rolling.first_valid_index() :]
    trajectory = pd.Series(np.nan, index=rolling.index)
    figure = charts.rolling_chart(rolling, trajectory, np.nan, None, pd.Timestamp("2027-03-01"),
                                  "t", "Number")  # fmt: skip
    line = _line(figure, "Rolling 12 months")
    assert line.loc["2024-04-01"] == 120 and np.isnan(line.loc["2024-05-01"])
    assert line.loc["2025-05-01":"2025-06-01"].isna().all() and line.loc["2025-07-01"] == 120
    labels = [a.text for a in figure.layout.annotations]
    assert "No 12-month figure (months missing)" in labels  # a mark, not only a break
    assert "Baseline" not in labels and not any(
        t.name.startswith("Trajectory") for t in figure.data
    )
    ends_in_a_gap = charts.rolling_chart(rolling.loc[:"2025-03-01"], trajectory, np.nan, None,
                                         pd.Timestamp("2027-03-01"), "t", "Number")  # fmt: skip
    assert _line(ends_in_a_gap, "Rolling 12 months").index.max() == pd.Timestamp("2025-03-01")
    shaded = [(s.x0, s.x1) for s in ends_in_a_gap.layout.shapes]
    assert len(shaded) == 1 and pd.Timestamp(shaded[0][1]) > pd.Timestamp("2025-03-01")
    with_baseline = charts.rolling_chart(rolling, trajectory, 100.0, None,
                                         pd.Timestamp("2027-03-01"), "t", "Number")  # fmt: skip
    assert "Baseline" in [a.text for a in with_baseline.layout.annotations]


def test_small_multiples_break_and_mark_each_areas_gaps(real_force):
    both = pd.concat(
        [real_force.assign(area="Lancashire"), real_force.iloc[5:].assign(area="Other")],
        ignore_index=True,
    )
    figure = charts.small_multiples(both, "t", "Number")
    for trace in figure.data:
        line = pd.Series(list(trace.y), index=pd.to_datetime(list(trace.x)), dtype=float)
        assert line.index.equals(pd.date_range("2019-12-01", "2022-10-01", freq="MS"))
        assert line.loc[[pd.Timestamp(g) for g in REAL_GAPS]].isna().all()
    gaps = [a for a in figure.layout.annotations if a.text == "gap"]
    assert len(gaps) == 4  # June, August-September 2020 in each area: two runs each


def test_the_sparkline_is_the_last_24_calendar_months_with_gaps_as_gaps(real_force):
    reading = pd.DataFrame(
        {"value": real_force["value"].to_numpy()},
        index=pd.to_datetime(real_force["month"]),
    )

    class Stub:  # the parts of a Score the sparkline reads
        as_of = date(2021, 12, 1)
        spc = type("R", (), {"frame": reading})

    line = tables.sparkline(Stub)
    assert line.index[0] == pd.Timestamp("2020-01-01") and len(line) == 24
    assert line.loc[[pd.Timestamp(g) for g in REAL_GAPS]].isna().all()
    text = w.sparkline(list(line))
    assert len(text) == 24 and text.count(ww.GAP_MARK) == 3 and text[5] == ww.GAP_MARK


# --- status and export columns ----------------------------------------------------------------


def test_months_present_counts_the_12_months_to_each_rows_month(real_force):
    rows = real_force.assign(measure="asb_incidents", level="force", area="Lancashire")
    found = months_present(rows).set_axis(pd.to_datetime(rows["month"]))
    assert found.loc["2019-12-01"] == 1
    assert found.loc["2020-11-01"] == 9  # Dec 2019 - Nov 2020 less June, August, September
    assert found.loc["2021-09-01"] == 12 and found.loc["2021-08-01"] == 11


def test_limits_months_are_the_fitting_months_or_empty(real_force):
    from metrics import control

    series = real_force.set_index(pd.to_datetime(real_force["month"]))["value"]
    reading = control.read(
        series,
        improvement="decrease",
        unit="count",
        baseline=(pd.Timestamp("2024-10-01"), pd.Timestamp("2025-09-01")),
        settings=CAT.signals.spc,
    )
    first, last = limits_months(reading)
    segment = reading.latest
    assert (first, last) == (f"{segment.fitted_from:%Y-%m}", f"{segment.fitted_to:%Y-%m}")
    assert limits_months(reading, pd.Timestamp("2020-06-01")) == ("", "")  # a gap: no limits
    assert limits_months(None) == ("", "")


def test_the_pack_says_which_months_have_no_data_beside_each_measure():
    from present import pack_words as words

    months = span("2023-01", "2026-04", skip=("2024-10", "2024-11", "2024-12"))
    result = _score(frame(months, [100] * len(months)), ASB, date(2026, 4, 1))
    gaps = (date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1))
    line = words.figures_line(result, ASB, gaps)
    assert "Baseline year: 9 of 12 months loaded (missing: October to December 2024)." in line
    assert "3 months have no data: October to December 2024." in line
    assert "no data" not in words.figures_line(result, ASB, ())


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (date(2023, 6, 1), "has no data in this store (nothing is loaded for November 2022 to "
         "December 2023, May to December 2024)"),
        (date(2030, 1, 1), "is not a month with data in this store (December 2019 to "
         "December 2025)"),
        (None, "is not a month with data in this store (December 2019 to December 2025)"),
    ],
)  # fmt: skip
def test_a_month_with_no_data_is_named_as_such(given, reason):
    gaps = [pd.Timestamp(m).date() for m in span("2022-11", "2023-12") + span("2024-05", "2024-12")]
    assert ww.month_refused(given, date(2019, 12, 1), date(2025, 12, 1), gaps) == reason
