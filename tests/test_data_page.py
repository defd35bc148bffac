"""The Data page (pages/data.py) in Streamlit's AppTest: uploading a file (refused with its
problems, or checked, previewed and confirmed), the load history with undo, the completeness
grid and the same measure from two sources side by side.

Stores are fresh for every test: empty (on each backend), or a copy of the demonstration store.
Real police.uk files come from ../shared/data/policeuk.
"""

from __future__ import annotations

import gc
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ingest
from config import get_catalogue
from config.access import Role, allowed, page_needs
from db.store import init_store
from db.writes import LoadResult
from ingest import spool
from ingest.load import load_plan
from tests.conftest import TEST_ANALYST, Store, app_test, require_shared
from views.ui import DEMO_NOTICE, NAVIGATION

RETURNS = "measure,month,area,breakdown,value,numerator,denominator,note\n"
GOOD = RETURNS + "hotspot_patrol_hours,2025-06,Burnley,,120,,,\n"
BAD = (
    RETURNS
    + "hotspot_patrol_hours,2025-13,Burnley,,120,,,\n"
    + "hotspot_patrol_hours,2025-06,Nowhere,,-5,,,\n"
)


# ------------------------------------------------------------------------------- helpers


def open_data(*, own_store: bool = True) -> AppTest:
    """The Data store page signed in as an analyst, whose account is made in the test's
    `own_store` (the page's loads make it a store that requires sign-in); never in the
    shared demonstration store."""
    at = app_test(make_account=own_store)
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def frame(at: AppTest, first_column: str, *, containing: str | None = None) -> pd.DataFrame:
    """The page's table whose first column is `first_column` (and which has a column named
    `containing`, when given)."""
    for shown in at.dataframe:
        columns = list(shown.value.columns)
        if columns and columns[0] == first_column and (containing is None or containing in columns):
            return shown.value
    raise AssertionError(f"no table starting with {first_column!r}")


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def upload(at: AppTest, name: str, content: str) -> AppTest:
    at.file_uploader[0].set_value((name, content.encode(), "text/csv"))
    return rerun(at)


def load_file(store: Store, path: Path) -> LoadResult:
    """Load a file the way the page does, without the page."""
    catalogue = get_catalogue()
    plan = ingest.inspect(path, catalogue=catalogue)
    assert plan.ok, plan.messages()
    return load_plan(engine=store.engine, catalogue=catalogue, plan=plan, actor="tests")


def street(month: str) -> Path:
    return require_shared("data", "policeuk", f"{month}-lancashire-street.csv")


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture
def empty(store: Store, use_store) -> Store:
    """An empty store with its schema, on each backend, that the app reads."""
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    return store


# --------------------------------------------------------------------------------- tests


def test_demo_store_shows_its_facts_history_and_a_complete_grid(demo_sqlite, use_store):
    use_store(demo_sqlite)
    at = open_data(own_store=False)
    assert at.title[0].value == "Data store"
    assert texts(at.warning)[:1] == [DEMO_NOTICE]
    assert metrics(at) == {
        "Loads": "1",
        "Monthly observations": "24,360",
        "ASB incident records": "246,087",
    }
    history = frame(at, "Load")
    assert history[["Load", "Kind", "Status"]].to_dict("records") == [
        {"Load": 1, "Kind": "demonstration data", "Status": "demonstration"}
    ]
    assert "No real load to undo. Demonstration data are removed by the first real load." in texts(
        at.caption
    )
    grid = frame(at, "Measure", containing="Oct 2026")
    assert list(grid.columns) == ["Measure"] + [
        f"{m:%b %Y}" for m in pd.date_range("2025-11-01", "2026-10-01", freq="MS")
    ]
    assert len(grid) == 15
    counts = grid.set_index("Measure")
    # Demo districts with no ASB Case Review request that month have no figure.
    reviews = counts.loc["ASB Case Reviews on time"]
    assert (reviews["Sep 2026"], reviews["Oct 2026"]) == ("10/14", "6/14")
    assert (counts.drop(index="ASB Case Reviews on time") == "14/14").all().all()
    assert "**ASB incidents**: no district-month missing." in texts(at.markdown)
    sources = frame(at, "Month", containing="Shown on the dashboard")
    assert set(sources["Shown on the dashboard"]) == {"demonstration data"}
    assert list(sources.columns) == [
        "Month",
        "incident extracts",
        "police.uk",
        "demonstration data",
        "Shown on the dashboard",
    ]
    labels = [b.proto.label for b in at.get("download_button")]
    for label in [
        "Incident extract template (CSV)",
        "Incident extract template (Excel)",
        "Monthly return template (CSV)",
        "Monthly return template (Excel)",
    ]:
        assert label in labels
    assert {"Column", "What to enter"} <= set(frame(at, "Column").columns)


@pytest.mark.usefixtures("empty")
def test_empty_store_offers_loading_and_nothing_else_breaks():
    at = open_data()
    assert any(i.value.startswith("The store holds no figures yet") for i in at.info)
    assert metrics(at)["Loads"] == "0"
    assert at.file_uploader[0].label == "File to load"
    assert "Nothing has been loaded yet." in texts(at.markdown)
    assert not [d for d in at.dataframe if list(d.value.columns)[:1] == ["Load"]]
    assert "What is missing" not in texts(at.subheader)
    # every page the analyst may open is still reachable from the sidebar (the store has an
    # account, so the analyst is signed in: no Audit log)
    titles = [
        title
        for pages in NAVIGATION.values()
        for _, title, _, url in pages
        if allowed({Role.ANALYST}, page_needs(url))
    ]
    assert [link.label for link in at.sidebar.get("page_link")] == titles


@pytest.mark.usefixtures("demo_copy")
def test_bad_upload_lists_its_problems_and_writes_nothing():
    at = upload(open_data(), "bad.csv", BAD)
    assert texts(at.error) == [
        "**`bad.csv` cannot be loaded**: 3 problems found. Nothing was written. Correct the file "
        "and upload it again."
    ]
    assert frame(at, "File").to_dict("records") == [
        {
            "File": "bad.csv",
            "Row": 2,
            "Column": "month",
            "Problem": "'2025-13' is not a month in the form YYYY-MM",
        },
        {
            "File": "bad.csv",
            "Row": 3,
            "Column": "area",
            "Problem": "unknown district 'Nowhere': use one of the 14 district names or ONS codes",
        },
        {"File": "bad.csv", "Row": 3, "Column": "value", "Problem": "negative value -5"},
    ]
    assert "Download problems (CSV)" in [b.proto.label for b in at.get("download_button")]
    assert not [b for b in at.button if b.label == "Load this file"]
    assert metrics(at)["Loads"] == "1"
    assert texts(at.warning)[:1] == [DEMO_NOTICE]


@pytest.mark.usefixtures("demo_copy")
def test_good_upload_is_previewed_confirmed_and_replaces_the_demo_data():
    at = upload(open_data(), "good.csv", GOOD)
    assert texts(at.success) == [
        "`good.csv` passed every check: a monthly return, 1 row, June 2025."
    ]
    preview = frame(at, "Measure", containing="Figures in the file")
    assert preview.to_dict("records") == [
        {
            "Measure": "Hotspot foot patrol hours",
            "Month": "June 2025",
            "Figures in the file": 1,
            "New": 1,  # the demonstration figure it would replace goes with the demo data
            "Replace a figure": 0,
            "Of which change it": 0,
            "Held back by": "",
        }
    ]
    assert any("removes the demonstration data" in w for w in texts(at.warning))
    assert metrics(at)["Loads"] == "1"  # nothing written yet

    next(b for b in at.button if b.label == "Load this file").click()
    at = rerun(at)
    assert texts(at.success) == [
        "`good.csv`: loaded as load 2; return rows: 1; monthly figures written: 1. The "
        "demonstration data were removed: the dashboard now shows real loads only."
    ]
    assert DEMO_NOTICE not in texts(at.warning)
    assert at.file_uploader[0].value is None  # a fresh uploader for the next file
    assert metrics(at) == {
        "Loads": "1",
        "Monthly observations": "1",
        "ASB incident records": "0",
    }
    history = frame(at, "Load")
    assert history[["Load", "By", "Kind", "File", "Rows", "Months", "Status"]].to_dict(
        "records"
    ) == [
        {
            "Load": 2,
            "By": TEST_ANALYST,  # signed in: the store has an account (issue 26)
            "Kind": "monthly return",
            "File": "good.csv",
            "Rows": 1,
            "Months": "June 2025",
            "Status": "active",
        }
    ]
    grid = frame(at, "Measure", containing="Jun 2025")
    counts = dict(zip(grid["Measure"], grid["Jun 2025"], strict=True))
    assert counts["Hotspot foot patrol hours"] == "1/14"
    assert counts["ASB incidents"] == "—"
    at.selectbox(key="data:completeness_measure").select("hotspot_patrol_hours")
    at = rerun(at)
    districts = frame(at, "District", containing="Jun 2025")
    marks = dict(zip(districts["District"], districts["Jun 2025"], strict=True))
    assert marks["Burnley"] == "✓"
    assert marks["Preston"] == "✗ missing"
    assert sum(v == "✗ missing" for v in marks.values()) == 13
    assert "**Hotspot foot patrol hours**: 13 district-months missing." in texts(at.markdown)

    at = upload(at, "good.csv", GOOD)  # the same bytes again: said before any button
    assert texts(at.info) == [
        "`good.csv`: already loaded (load 2, the same bytes); nothing changed."
    ]
    assert not [b for b in at.button if b.label == "Load this file"]
    assert metrics(at)["Loads"] == "1"


def test_police_uk_file_gives_every_district_its_asb_figure(empty):
    result = load_file(empty, street("2024-01"))
    assert result.load_id == 1
    at = open_data()
    assert DEMO_NOTICE not in texts(at.warning)
    assert "The store holds one month: January 2024." in texts(at.markdown)
    grid = frame(at, "Measure", containing="Jan 2024")
    counts = dict(zip(grid["Measure"], grid["Jan 2024"], strict=True))
    assert counts["ASB incidents"] == "14/14"
    assert counts["Shoplifting crimes"] == "14/14"
    assert counts["Hotspot foot patrol hours"] == "—"
    districts = frame(at, "District", containing="Jan 2024")
    assert len(districts) == 14 and set(districts["Jan 2024"]) == {"✓"}
    sources = frame(at, "Month", containing="Shown on the dashboard")
    assert sources.to_dict("records") == [
        {
            "Month": "January 2024",
            "incident extracts": None,
            "police.uk": 3390,
            "Shown on the dashboard": "police.uk",
        }
    ]
    history = frame(at, "Load")
    assert history[["Load", "Kind", "Rows", "Months", "Status"]].to_dict("records") == [
        {
            "Load": 1,
            "Kind": "police.uk street-level crime and ASB file",
            "Rows": 13974,
            "Months": "January 2024",
            "Status": "active",
        }
    ]


def test_undo_through_the_page_brings_the_grid_back(empty):
    load_file(empty, street("2024-01"))
    load_file(empty, street("2024-02"))
    at = open_data()
    grid = frame(at, "Measure", containing="Feb 2024")
    assert grid.loc[grid["Measure"] == "ASB incidents", "Feb 2024"].item() == "14/14"
    undo = at.selectbox(key="data:undo_choice")
    assert undo.value is None
    assert [o.split(" (")[0] for o in undo.options] == [
        "Load 2: 2024-02-lancashire-street.csv",
        "Load 1: 2024-01-lancashire-street.csv",
    ]
    undo.select(2)
    at = rerun(at)
    next(b for b in at.button if b.label == "Undo load 2").click()
    at = rerun(at)
    assert len(at.success) == 1
    assert at.success[0].value.startswith(
        "Load 2 (`2024-02-lancashire-street.csv`) undone: removed"
    )
    history = frame(at, "Load")
    status = dict(zip(history["Load"], history["Status"], strict=True))
    assert status[1] == "active"
    assert status[2].startswith("undone on ") and status[2].endswith(f" by {TEST_ANALYST}")
    assert [o.split(" (")[0] for o in at.selectbox(key="data:undo_choice").options] == [
        "Load 1: 2024-01-lancashire-street.csv"
    ]
    grid = frame(at, "Measure", containing="Jan 2024")
    assert "Feb 2024" not in grid.columns  # the latest month is January again
    assert grid.loc[grid["Measure"] == "ASB incidents", "Jan 2024"].item() == "14/14"


def test_undo_refused_while_a_later_load_covers_the_months(empty, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(RETURNS + "hotspot_patrol_hours,2025-06,Burnley,,100,,,\n")
    second.write_text(GOOD)
    load_file(empty, first)
    load_file(empty, second)
    at = open_data()
    at.selectbox(key="data:undo_choice").select(1)
    at = rerun(at)
    next(b for b in at.button if b.label == "Undo load 1").click()
    at = rerun(at)
    assert texts(at.error) == [
        "Load 1 was not undone: load 1 cannot be undone while later load(s) 2 from returns "
        "cover the same months: undo those first"
    ]
    status = frame(at, "Load")["Status"].tolist()
    assert status == ["active", "active"]


@pytest.mark.usefixtures("empty")
def test_excel_return_and_chosen_kind_are_checked():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(RETURNS.strip().split(","))
    book.active.append(["civil_orders", "2025-05", "Preston", None, 4])
    data = io.BytesIO()
    book.save(data)
    at = open_data()
    at.selectbox(key="data:kind").select("Incident extract")
    at.file_uploader[0].set_value(("may.xlsx", data.getvalue(), "application/octet-stream"))
    at = rerun(at)
    assert len(at.error) == 1 and "cannot be loaded" in at.error[0].value
    assert frame(at, "File")["Column"].iloc[0] == "(header)"
    at.selectbox(key="data:kind").select("Detect from the header")
    at = rerun(at)
    assert texts(at.success) == [
        "`may.xlsx` passed every check: a monthly return, 1 row, May 2025."
    ]
    saved = at.session_state["data:pending"].folder
    assert (saved / "upload.xlsx").is_file()
    next(b for b in at.button if b.label == "Load this file").click()
    at = rerun(at)
    # load 1 on SQLite; PostgreSQL's sequence keeps the number the rolled-back preview took
    assert re.match(r"`may\.xlsx`: loaded as load [12];", texts(at.success)[0])
    assert not saved.exists()  # the temporary copy is removed once loaded


@pytest.mark.usefixtures("empty")
def test_file_changed_between_check_and_load_writes_nothing():
    header = "reference,occurred_at,district,category,vehicle_involved,repeat_victim,"
    header += "vulnerable_victim,channel\n"
    extract = header + "ASB/1,2025-06-01 18:30,Burnley,nuisance,N,N,N,101\n"
    at = upload(open_data(), "extract.csv", extract)
    assert texts(at.success)[0].startswith("`extract.csv` passed every check")
    saved = at.session_state["data:pending"].folder / "upload.csv"
    saved.write_text(extract + "ASB/2,2025-06-02 18:30,Wyre,nuisance,N,N,N,101\n")
    next(b for b in at.button if b.label == "Load this file").click()
    at = rerun(at)
    assert len(at.error) == 1
    assert at.error[0].value.startswith("`extract.csv` changed after it was checked")
    assert "nothing was written" in at.error[0].value
    assert metrics(at)["Loads"] == "0"


# ------------------------------------------------------- hostile file names, left copies

HOSTILE = (
    "[x](http://evil.example/a) ![i](http://evil.example/i.png) <script>alert(1)</script>\u202e.csv"
)
CLEANED = HOSTILE.replace("\u202e", "")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
MARKDOWN_ELEMENTS = ("markdown", "caption", "success", "info", "warning", "error", "subheader")


def assert_plain(at: AppTest) -> list[str]:
    """Every markdown body on the page, checked: outside code spans, no link, image or HTML
    of the hostile name, and no direction character anywhere. Returns the bodies."""
    bodies = [e.value for kind in MARKDOWN_ELEMENTS for e in getattr(at, kind)]
    for body in bodies:
        assert "\u202e" not in body, body
        bare = CODE_SPAN.sub("", body)
        for live in ("](", "<script", "evil.example"):
            assert live not in bare, body
    for box in at.selectbox:
        assert not any("\u202e" in str(option) for option in box.options)
    return bodies


@pytest.mark.usefixtures("empty")
def test_a_hostile_file_name_is_shown_as_plain_text_and_cleaned():
    at = upload(open_data(), HOSTILE, GOOD)
    assert texts(at.success) == [
        f"`{CLEANED}` passed every check: a monthly return, 1 row, June 2025."
    ]
    assert_plain(at)
    next(b for b in at.button if b.label == "Load this file").click()
    at = rerun(at)
    assert re.fullmatch(f"`{re.escape(CLEANED)}`: loaded as load [12]; .*", texts(at.success)[0])
    assert_plain(at)
    history = frame(at, "Load")
    assert history["File"].tolist() == [CLEANED]  # a table cell: plain text
    load_id = int(history["Load"].iloc[0])

    at = open_data()  # another person's session: the undo confirmation
    at.selectbox(key="data:undo_choice").select(load_id)
    at = rerun(at)
    assert_plain(at)
    next(b for b in at.button if b.label == f"Undo load {load_id}").click()
    at = rerun(at)
    assert texts(at.success)[0].startswith(f"Load {load_id} (`{CLEANED}`) undone: removed")
    assert_plain(at)


@pytest.mark.usefixtures("empty")
def test_a_refused_upload_keeps_its_problems_and_not_its_copy():
    at = upload(open_data(), "bad.csv", BAD)
    pending = at.session_state["data:pending"]
    assert pending.folder.parent == spool.temp_root()  # the dashboard's own folder
    assert not pending.folder.exists()
    assert len(frame(at, "File")) == 3
    at = rerun(at)  # shown again from the session, not checked again
    assert len(frame(at, "File")) == 3


@pytest.mark.usefixtures("empty")
def test_an_abandoned_upload_is_removed_when_its_session_ends():
    at = upload(open_data(), "good.csv", GOOD)
    folder = at.session_state["data:pending"].folder
    assert (folder / "upload.csv").is_file()
    del at  # the browser closed: the session and what it held are forgotten
    gc.collect()
    assert not folder.exists()


@pytest.mark.usefixtures("empty")
def test_an_excel_zip_bomb_is_refused_on_the_page_before_it_is_unpacked(monkeypatch):
    from ingest import xlsx_guard
    from tests.test_hostile_input import HEADER, ROW, workbook

    monkeypatch.setattr(xlsx_guard, "MAX_XLSX_PART_BYTES", 1 << 20)
    data = workbook([HEADER, ROW], filler=5 << 20)  # 10 KB that unpack to 5 MB
    at = open_data()
    at.file_uploader[0].set_value(("bomb.xlsx", data, "application/octet-stream"))
    at = rerun(at)
    assert texts(at.error) == [
        "**`bomb.xlsx` cannot be loaded**: 1 problem found. Nothing was written. Correct the "
        "file and upload it again."
    ]
    problem = frame(at, "File").to_dict("records")
    assert problem == [
        {
            "File": "bomb.xlsx",
            "Row": 1,
            "Column": "(file)",
            "Problem": "its part 'xl/worksheets/sheet1.xml' unpacks to more than 1 MB, the most "
            "read from one part of a workbook (MAX_XLSX_PART_BYTES): save it as CSV (CSV files "
            "of any size load)",
        }
    ]
    assert not at.session_state["data:pending"].folder.exists()
    assert metrics(at)["Loads"] == "0"
