"""The forecast's track record in words (Definitions page, board pack), from hand-built rows."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from present import trackrecord_wording as tw
from scoring.trackrecord import summary_rows


def detail(bands: list[tuple[float, float, int, int]]) -> str:
    rows = [{"low": lo, "high": hi, "stated": n, "met": m} for lo, hi, n, m in bands]
    return json.dumps({"reliability": rows, "coverage": []})


def test_reliability_is_said_as_what_we_said_and_what_happened():
    text = tw.reliability_words(detail([(0.0, 0.1, 0, 0), (0.7, 0.9, 10, 8)]))
    assert text == "When we said 70% to 90%, the target was met 8 of 10 times"


@pytest.mark.parametrize(
    ("brier", "climatology", "verdict"),
    [
        (0.1, 0.2, "better than the base rate"),
        (0.2, 0.2, "no better than the base rate"),
        (np.nan, 0.2, "not enough checks"),
    ],
)
def test_the_verdict_compares_with_the_base_rate(brier, climatology, verdict):
    assert tw.verdict(brier, climatology) == verdict


def test_measures_without_forecasts_are_left_out_of_the_table():
    record = pd.DataFrame(
        {
            "measure": ["a", "b"],
            "forecasts": [120, 0],
            "stated": [80, 0],
            "brier": [0.1234, np.nan],
            "climatology": [0.25, np.nan],
            "detail": [detail([(0.9, 1.0, 5, 5)]), detail([])],
        }
    )
    table = tw.record_table(record, {"a": "Measure A"})
    assert list(table["Measure"]) == ["Measure A"]
    assert table.loc[0, "Brier score"] == "0.123"
    assert table.loc[0, "Verdict"] == "better than the base rate"


def test_summary_rows_cover_every_measure_asked():
    trials = pd.DataFrame(
        {
            "measure": ["a", "a"],
            "horizon": [1, 14],
            "hit80": [True, False],
            "hit95": [True, True],
            "probability": [0.8, np.nan],
            "met": [1.0, np.nan],
        }
    )
    rows = summary_rows(trials, ["a", "b"])
    assert [r["measure"] for r in rows] == ["a", "b"]
    assert (rows[0]["forecasts"], rows[0]["stated"]) == (2, 1)
    assert rows[0]["brier"] == pytest.approx(0.04)
    assert rows[1]["forecasts"] == 0
    stated = json.loads(rows[0]["detail"])["reliability"]
    assert sum(band["stated"] for band in stated) == 1
