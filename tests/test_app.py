"""Every page runs without an exception and shows what it should (Streamlit AppTest).

The pages read the demonstration data (seed 11); figures asserted here are that dataset's.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from config import PROJECT_ROOT, get_catalogue
from config.models import Status
from tests.conftest import address, open_page, require_shared
from views.ui import DEMO_NOTICE, NAVIGATION

PAGES = [(address(p, u), t) for pages in NAVIGATION.values() for p, t, _, u in pages]


def link_queries(at: AppTest) -> set[str]:
    """The query strings the sidebar's page links carry to the other pages."""
    return {link.proto.query_string for link in at.sidebar.get("page_link")}


@pytest.fixture(autouse=True)
def pages_store(demo_sqlite, use_store, monkeypatch):
    use_store(demo_sqlite)
    boundary = PROJECT_ROOT.parent / "shared" / "data" / "geo" / "lancashire_districts.geojson"
    if boundary.exists():
        monkeypatch.setenv("BOUNDARY_FILE", str(boundary))


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[t for _, t in PAGES])
def test_every_page_runs_and_says_it_shows_demo_data(path, title):
    at = open_page(path)
    assert at.title[0].value == title
    assert [w.value for w in at.warning][:1] == [DEMO_NOTICE]
    assert any("Latest month of data: **October 2026**" in c.value for c in at.caption)
    assert [s.label for s in at.sidebar.selectbox] == ["Area", "Month"]


def overview_table(at: AppTest) -> pd.DataFrame:
    return at.table[0].value.reset_index()


def test_overview_shows_statuses_with_reasons_exception_first_and_where():
    at = open_page()
    table = overview_table(at).set_index("Measure")
    assert table.loc["ASB incidents", "Status"] == "● on track"
    assert table.loc["ASB incidents", "Why"] == (
        "80% chance of ending below the baseline of 54,064"
    )
    assert table.loc["ASB incidents", "Latest 12 months"] == "53,044"
    assert table.loc["ASB incidents", "Where: divisions and districts"] == (
        "✖ off track: West, Blackpool, Wyre; ▲ at risk: Rossendale, South Ribble, "
        "West Lancashire, Fylde, Lancaster"
    )
    assert table.loc["Vehicles seized", "Status"] == "▲ at risk"
    # Outcomes still arriving: judged three months back, and said so beside the figure.
    assert table.loc["Shoplifting positive outcomes", "Latest 12 months"] == (
        "2,694 (to July 2026; later months provisional)"
    )
    words = [s.split(" ", 1)[1] for s in table["Status"]]
    ranks = [list(Status).index(w) for w in words]
    assert ranks == sorted(ranks)
    assert {m.label: m.value for m in at.metric}["✖ off track"] == str(words.count("off track"))
    assert len(table) == 15
    assert "achieved" not in words and "missed" not in words  # the target year is not over


@pytest.mark.parametrize(
    ("area", "heading", "asb_status"),
    [
        ("East", "East · 12 months to October 2026", None),
        ("Blackpool", "Blackpool · 12 months to October 2026", "✖ off track"),
        ("Lancashire", "Lancashire · 12 months to October 2026", "● on track"),
    ],
)
def test_drill_down_by_query_parameter(area, heading, asb_status):
    at = open_page(area=area)
    assert at.sidebar.selectbox[0].value == area
    assert f"### {heading}" in [m.value for m in at.markdown]
    table = overview_table(at)
    assert ("Where: divisions and districts" in table.columns) == (area != "Blackpool")
    if asb_status:
        assert table.loc[table["Measure"] == "ASB incidents", "Status"].item() == asb_status


def test_drill_down_survives_moving_between_pages():
    at = open_page(area="Burnley", period="2025-09")
    assert link_queries(at) == {"area=Burnley&period=2025-09"}
    at = open_page("centurion", area="Burnley", period="2025-09")  # where the link leads
    assert at.sidebar.selectbox[0].value == "Burnley"
    assert at.sidebar.selectbox[1].value == "2025-09"
    assert "### Burnley · 12 months to September 2025" in [m.value for m in at.markdown]
    assert link_queries(at) == {"area=Burnley&period=2025-09"}


def test_changing_the_area_is_carried_by_every_link():
    at = open_page()
    assert link_queries(at) == {""}
    at.sidebar.selectbox[0].select("West").run()
    assert "### West · 12 months to October 2026" in [m.value for m in at.markdown]
    assert link_queries(at) == {"area=West"}


def test_operation_page_leads_with_its_measures_and_draws_one_in_full():
    at = open_page("centurion")
    table = at.table[0].value
    ours = [m for m in get_catalogue().measures.measure if "centurion" in m.operations]
    assert sorted(table.index) == sorted(m.short_title for m in ours)
    assert table.loc["ASB incidents", "Status"] == "● on track"
    assert table.loc["ASB incidents", "Why"] == "80% chance of ending below the baseline of 54,064"
    # one measure in full: the first of the operation unless the link names another
    assert [h.value for h in at.subheader] == ["Reduction in ASB calls"]
    texts = [m.value for m in at.markdown]
    first = texts.index(
        "**● on track** in Lancashire: 80% chance of ending the year to March 2027 below the "
        "baseline of 54,064."
    )
    assert texts[first + 1].startswith("**Commentary for October 2026** (version 1, ")
    assert texts[first + 2] == "**What happened.**"  # what people wrote: plain text (st.text)
    assert any(t.startswith("ASB calls fell") for t in at.text.values)  # demonstration
    assert texts[texts.index("**Owner.**") + 1].startswith(
        "53,044 in the 12 months to October 2026; 54,064 in the baseline year (October 2024 to "
        "September 2025). Target for the year to March 2027: below 54,064"
    )
    assert len(at.get("plotly_chart")) == 4  # SPC, 12 months to date, districts, categories
    asb = next(c.value for c in at.caption if c.value.startswith("Seasonally adjusted"))
    assert "fitted on the baseline year" in asb
    assert "1. July 2023: Operation Centurion launched (national ASB Awareness Week)." in texts
    # Hotspot patrols: limits recalculated where the patrols began, each with its reason.
    at = open_page("centurion", measure="hotspot_patrol_hours")
    assert [h.value for h in at.subheader] == [
        "Increase in foot patrols in identified town centres"
    ]
    patrols = next(c.value for c in at.caption if "hours around" in c.value)
    assert "From July 2023 the limits were recalculated: Operation Centurion began" in patrols
    assert "fitted on the latest 15 months, April 2022 to June 2023." in patrols  # issue 24


def test_a_measure_of_another_operation_in_the_link_is_named_and_the_first_shown():
    at = open_page("vulture", measure="asb_incidents")
    assert any(
        "`asb_incidents`, which is not a measure of this operation" in w.value for w in at.warning
    )
    first = next(m for m in get_catalogue().measures.measure if m.operations[0] == "vulture")
    assert [h.value for h in at.subheader] == [first.title]  # its own first, with figures


def test_survey_measure_shows_its_confidence_interval_and_small_numbers_no_percentage():
    centurion = open_page("centurion", measure="public_confidence")
    assert any(
        "(95% interval " in m.value and " respondents)" in m.value for m in centurion.markdown
    )
    wheels = open_page("on-wheels", measure="ebike_fatal_collisions")
    fatal = next(m.value for m in wheels.markdown if "since October 2024" in m.value)
    assert "no percentage change is shown" in fatal
    tables = [
        d.value
        for d in wheels.dataframe
        if "Change on previous 12 months" not in d.value.columns
        and "Chance of meeting it" in d.value.columns
    ]
    assert [len(t) for t in tables] == [3, 14]  # fatal collisions by division and district
    assert list(tables[1].columns) == [
        "District", "Latest 12 months", "Baseline", "Target", "Chance of meeting it", "Status"
    ]  # fmt: skip


def test_districts_league_table_ranks_by_rate():
    at = open_page("pages/districts.py", measure="asb_incidents")
    league = at.dataframe[0].value
    assert len(league) == 14
    assert league["District"].iloc[0] == "Blackpool"
    rates = league["Rate per 1,000 residents"].astype(float)
    assert rates.is_monotonic_decreasing
    blackpool = league.iloc[0]
    # Issue 24: the figure the status is judged on stands beside every status icon.
    assert (blackpool["Baseline"], blackpool["Target"], blackpool["Status"]) == (
        "8,704",
        "below 8,704",
        f"✖ off track · {blackpool['Latest 12 months']} in 12 months (baseline year 8,704)",
    )
    assert blackpool["Chance of meeting it"] == "under 5%"
    statuses = at.dataframe[1].value.set_index("District")
    assert list(statuses.columns)[:1] == ["ASB incidents"]
    assert statuses.loc["Blackpool", "ASB incidents"] == (
        f"✖ off track (under 5%) · {blackpool['Latest 12 months']} in 12 months (baseline "
        "year 8,704)"
    )


def test_districts_show_the_count_beside_every_status_of_a_rare_measure():
    """Fatal collisions: every status in the league and the matrix carries its count in 12
    months and the baseline year's count, never a percentage change."""
    at = open_page("pages/districts.py", measure="ebike_fatal_collisions")
    league = at.dataframe[0].value
    assert "Change on previous 12 months" not in league.columns
    for row in league.to_dict("records"):
        figure = f"{row['Latest 12 months']} in 12 months (baseline year {row['Baseline']})"
        assert row["Status"].endswith(f" · {figure}"), row
    matrix = at.dataframe[1].value.set_index("District")["Fatal e-bike collisions"]
    for district, cell in matrix.items():
        assert " in 12 months (baseline year " in cell, district
        assert cell.count("%") <= 1, cell  # the chance only: no percentage change
    chart_captions = " ".join(c.value for c in at.caption)
    assert "its baseline year (counts, never a percentage change)" in chart_captions


def test_heat_map_cells_equal_the_plans_tables():
    published = pd.read_csv(require_shared("reference", "asb_hour_weekday_oct2024_sep2025.csv"))
    at = open_page("pages/time-patterns.py", period="2025-09")
    texts = [m.value for m in at.markdown]
    # In the plan's own tables the busiest three hours force-wide are 17:00-20:00; its stated
    # peak, 18:00-21:00, is a close second. Both are shown.
    assert (
        "**Peak: 17:00-20:00 carries 22.6% of ASB** in Lancashire (54,064 incidents). The "
        "plan's peak window, 18:00-21:00, carries 22.3%."
    ) in texts
    assert any(t.startswith("**Peak: 18:00-21:00 carries 23.0% of ASB** in East") for t in texts)
    shown = [t.value for t in at.dataframe]
    assert len(shown) == 4  # force and three divisions
    for frame, division in zip(shown[1:], ["East", "South", "West"], strict=True):
        expected = published[published["division"] == division][
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        ].to_numpy()
        assert (frame.drop(columns="Hour").to_numpy() == expected).all(), division


def test_definitions_quote_the_rules_from_the_code():
    from metrics import spc, status

    at = open_page("pages/definitions.py")
    texts = "\n".join(m.value for m in at.markdown)
    assert "Offender given a caution" in texts
    assert status.__doc__.split("\n")[1].strip()[:40] in texts
    assert "2.66 times the mean moving" in texts and spc.__doc__
    assert len(at.dataframe[0].value) == 15
    assert len(at.expander) >= 15 + 7  # a block per measure, one per set of rules


def test_every_operation_page_is_linked_by_its_own_url_path():
    """The operations' pages share one file: each link names its own page (its URL path)."""
    at = open_page()
    urls = [o.url_path for o in get_catalogue().operations.operation]
    assert [link.proto.page for link in at.main.get("page_link")] == urls  # "Look closer"
    names = {o.name: o.url_path for o in get_catalogue().operations.operation}
    sidebar = {link.proto.label: link.proto.page for link in at.sidebar.get("page_link")}
    assert {name: sidebar[name] for name in names} == names
