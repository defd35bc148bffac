"""The Data page's tables (present.completeness): plain pandas in, text the page shows out."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from present import completeness as c

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
JUN = date(2025, 6, 1)
DISTRICTS = {"E1": "Alpha", "E2": "Beta", "E3": "Gamma"}


def present(*rows: tuple[str, date, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["measure", "month", "area_code"])


def test_months_between_and_the_latest_twelve():
    assert c.months_between(JAN, MAR) == [JAN, FEB, MAR]
    assert c.months_between(MAR, JAN) == []
    assert c.latest_months(date(2026, 10, 1)) == (date(2025, 11, 1), date(2026, 10, 1))
    assert c.latest_months(FEB, 12, earliest=JAN) == (JAN, FEB)
    assert c.month_label(FEB) == "Feb 2024"


def test_district_counts_say_how_many_districts_have_a_figure():
    frame = present(
        ("asb", JAN, "E1"),
        ("asb", JAN, "E2"),
        ("asb", JAN, "E3"),
        ("asb", FEB, "E2"),
        ("asb", FEB, "E2"),  # counted once
        ("asb", FEB, "W99"),  # not one of the districts
        ("hours", MAR, "E1"),
    )
    grid = c.district_counts(
        frame, {"asb": "ASB", "hours": "Hours", "none": "None"}, [JAN, FEB, MAR], list(DISTRICTS)
    )
    assert grid.to_dict("records") == [
        {"Measure": "ASB", "Jan 2024": "3/3", "Feb 2024": "1/3", "Mar 2024": "—"},
        {"Measure": "Hours", "Jan 2024": "—", "Feb 2024": "—", "Mar 2024": "1/3"},
        {"Measure": "None", "Jan 2024": "—", "Feb 2024": "—", "Mar 2024": "—"},
    ]


def test_district_grid_marks_present_and_missing_in_words():
    frame = present(("asb", JAN, "E1"), ("asb", FEB, "E1"), ("asb", FEB, "E3"), ("x", JAN, "E2"))
    grid = c.district_grid(frame, "asb", [JAN, FEB], DISTRICTS)
    assert grid.to_dict("records") == [
        {"District": "Alpha", "Jan 2024": "✓", "Feb 2024": "✓"},
        {"District": "Beta", "Jan 2024": "✗ missing", "Feb 2024": "✗ missing"},
        {"District": "Gamma", "Jan 2024": "✗ missing", "Feb 2024": "✓"},
    ]
    assert c.missing_count(grid) == 3
    assert c.missing_count(c.district_grid(present(), "asb", [], DISTRICTS)) == 0


def test_sources_side_by_side_name_the_one_shown():
    figures = pd.DataFrame(
        [
            (JAN, "incidents", 3402.0, True),
            (JAN, "policeuk", 3390.0, False),
            (FEB, "policeuk", 3100.4, True),
            (MAR, "demo", 2999.0, True),
        ],
        columns=["month", "source", "value", "shown"],
    )
    table = c.sources_side_by_side(
        figures, {"incidents": "incident extracts", "policeuk": "police.uk"}, [JAN, FEB, MAR]
    )
    assert list(table.columns) == [
        "Month",
        "incident extracts",
        "police.uk",
        "demonstration data",
        "Shown on the dashboard",
    ]
    rows = table.to_dict("records")
    assert rows[0]["Month"] == "January 2024"
    assert (rows[0]["incident extracts"], rows[0]["police.uk"]) == (3402, 3390)
    assert rows[0]["Shown on the dashboard"] == "incident extracts"
    assert rows[1]["police.uk"] == 3100 and pd.isna(rows[1]["incident extracts"])
    assert rows[1]["Shown on the dashboard"] == "police.uk"
    assert rows[2]["Shown on the dashboard"] == "demonstration data"
    empty = c.sources_side_by_side(figures.iloc[:0], {"returns": "monthly returns"}, [JAN])
    assert empty.to_dict("records") == [
        {"Month": "January 2024", "monthly returns": None, "Shown on the dashboard": "no figure"}
    ]


def test_history_table_gives_each_load_a_status_in_words():
    history = pd.DataFrame(
        [
            (1, datetime(2026, 1, 2, 9, 5), "tests", None, "demo", "demo (seed 11)", 10, None,
             None, True, None, None, "Synthetic"),
            (2, datetime(2026, 1, 3, 10, 0), "ann", "returns", "returns", "june.csv", 1, JUN,
             JUN, False, datetime(2026, 1, 4, 11, 30), "bob", "june.csv: loaded as load 2."),
            (3, datetime(2026, 1, 5, 8, 0), "ann", "policeuk-street", "policeuk", "s.csv", 9, JAN,
             MAR, False, None, None, None),
        ],
        columns=[
            "id", "loaded_at", "loaded_by", "kind", "source", "file_name", "rows", "first_month",
            "last_month", "is_demo", "undone_at", "undone_by", "summary",
        ],
    )  # fmt: skip
    table = c.history_table(history, {"returns": "monthly return", "policeuk-street": "street"})
    assert table.to_dict("records") == [
        {
            "Load": 3, "Loaded": "05 Jan 2026 08:00", "By": "ann", "Kind": "street",
            "File": "s.csv", "Rows": 9, "Months": "January 2024 to March 2024",
            "Status": "active", "What it did": "",
        },
        {
            "Load": 2, "Loaded": "03 Jan 2026 10:00", "By": "ann", "Kind": "monthly return",
            "File": "june.csv", "Rows": 1, "Months": "June 2025",
            "Status": "undone on 04 Jan 2026 11:30 by bob",
            "What it did": "june.csv: loaded as load 2.",
        },
        {
            "Load": 1, "Loaded": "02 Jan 2026 09:05", "By": "tests", "Kind": "demonstration data",
            "File": "demo (seed 11)", "Rows": 10, "Months": "—", "Status": "demonstration",
            "What it did": "Synthetic",
        },
    ]  # fmt: skip


def test_preview_table_uses_titles_month_names_and_source_words():
    preview = pd.DataFrame(
        [("asb", JAN, 15, 14, 1, 1, ""), ("rate", JAN, 14, 0, 0, 0, "incidents, returns")],
        columns=["measure", "month", "figures", "new", "replace", "change", "held back by"],
    )
    table = c.preview_table(preview, {"asb": "ASB incidents"})
    assert table.to_dict("records") == [
        {
            "Measure": "ASB incidents", "Month": "January 2024", "Figures in the file": 15,
            "New": 14, "Replace a figure": 1, "Of which change it": 1, "Held back by": "",
        },
        {
            "Measure": "rate", "Month": "January 2024", "Figures in the file": 14, "New": 0,
            "Replace a figure": 0, "Of which change it": 0,
            "Held back by": "incident extracts, monthly returns",
        },
    ]  # fmt: skip
