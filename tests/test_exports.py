"""Downloads: CSV that is safe in a spreadsheet and carries numbers as numbers.

A number never gets the formula-neutralising apostrophe (only text does, even text that looks
like a figure with a unit, such as "-0.5 pts"), and a page table's download is the raw frame the
page passes (`download=`), or the shown frame without its sparkline columns."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from present.exports import csv_bytes, list_columns, neutralise, neutralise_text, table_csv

BOM = "\ufeff"


def text_of(data: bytes) -> str:
    decoded = data.decode("utf-8")
    assert decoded.startswith(BOM)
    return decoded[len(BOM) :]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-0.5, -0.5),
        (-3, -3),
        (np.float64(-12.25), np.float64(-12.25)),
        (np.int64(-7), np.int64(-7)),
        ("-0.5", "-0.5"),
        ("-3.1%", "-3.1%"),
        ("+1,234", "+1,234"),
        ("12,775", "12,775"),
        ("19.8%", "19.8%"),
        ("-0.5 pts", "'-0.5 pts"),
        ("+2.0%  ", "'+2.0%  "),
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("@cmd", "'@cmd"),
        ("-", "'-"),
        ("\tx", "'\tx"),
        ("Burnley", "Burnley"),
        (None, None),
    ],
)
def test_neutralise_text(value, expected):
    result = neutralise_text(value)
    assert result == expected and type(result) is type(expected)


def test_numeric_columns_stay_numeric():
    frame = pd.DataFrame(
        {
            "count": [12775, -3],
            "change": [-0.5, 2.25],
            "mixed": [-0.5, "-0.5 pts"],
            "label": ["-0.5 pts", "=1+1"],
        }
    )
    safe = neutralise(frame)
    assert safe["count"].dtype == np.int64 and safe["change"].dtype == np.float64
    assert safe["mixed"].tolist() == [-0.5, "'-0.5 pts"]
    assert text_of(csv_bytes(frame)) == (
        "count,change,mixed,label\n12775,-0.5,-0.5,'-0.5 pts\n-3,2.25,'-0.5 pts,'=1+1\n"
    )


SHOWN = pd.DataFrame(
    {
        "Measure": ["ASB incidents", "Shoplifting positive outcome rate"],
        "Latest 12 months": ["12,775", "19.8%"],
        "Change": ["-3.1%", "-0.5 pts"],
        "Trend": [[1.0, 2.0, 3.0], [0.2, 0.1]],
        "Status": ["● on track", "✖ off track"],
    }
)
RAW = pd.DataFrame(
    {
        "measure": ["asb_incidents", "shoplifting_positive_outcome_rate"],
        "rolling_12m": [12775, 19.8],
        "change": [-3.1, -0.5],
        "status": ["on_track", "off_track"],
    }
)


@pytest.mark.parametrize(
    ("download", "expected"),
    [
        (
            None,
            "Measure,Latest 12 months,Change,Status\n"
            'ASB incidents,"12,775",-3.1%,● on track\n'
            "Shoplifting positive outcome rate,19.8%,'-0.5 pts,✖ off track\n",
        ),
        (
            RAW,
            "measure,rolling_12m,change,status\n"
            "asb_incidents,12775.0,-3.1,on_track\n"
            "shoplifting_positive_outcome_rate,19.8,-0.5,off_track\n",
        ),
    ],
    ids=["shown-without-sparklines", "raw-download"],
)
def test_table_csv(download, expected):
    assert text_of(table_csv(SHOWN, download)) == expected
    if download is not None:
        back = pd.read_csv(io.StringIO(text_of(table_csv(SHOWN, download))))
        assert back["change"].dtype == np.float64 and back["change"].tolist() == [-3.1, -0.5]


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (SHOWN, ["Trend"]),
        (RAW, []),
        (
            pd.DataFrame({"a": [None, (1, 2)], "b": [np.array([1]), None], "c": ["x", None]}),
            ["a", "b"],
        ),
        (pd.DataFrame({"a": pd.Series([], dtype=object)}), []),
    ],
    ids=["sparkline", "plain", "tuple-and-array", "empty"],
)
def test_list_columns(frame, expected):
    assert list_columns(frame) == expected
