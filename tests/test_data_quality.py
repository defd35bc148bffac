"""police.uk data quality in view (Streamlit AppTest, SQLite): a police.uk archive uploaded on
the Data page, checked month by month and loaded; the quality of each month with the missing
month named; the revision history of a republished month; and a chart that marks the missing
month instead of drawing a silent zero. Counts are checked against the raw files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ingest
from config import get_catalogue
from db.store import init_store
from ingest.load import load_plan
from tests.conftest import Store, app_test, require_shared, switch_to

MONTHS = ("2024-01", "2024-02", "2024-04")  # March is missing
MISSING = "No police.uk file for 2024-03: the month is a gap, not a zero."


def street(month: str) -> Path:
    return require_shared("data", "policeuk", f"{month}-lancashire-street.csv")


def archive_bytes() -> bytes:
    """An archive as police.uk lays it out, with another force's file in January."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for month in MONTHS:
            archive.write(street(month), f"{month}/{month}-lancashire-street.csv")
        lines = street("2024-01").read_text(encoding="utf-8").splitlines(keepends=True)[:11]
        other = "".join(lines).replace("Lancashire Constabulary", "Cumbria Constabulary")
        archive.writestr("2024-01/2024-01-cumbria-street.csv", other)
    return buffer.getvalue()


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, first_column: str, containing: str) -> pd.DataFrame:
    for shown in at.dataframe:
        columns = list(shown.value.columns)
        if columns and columns[0] == first_column and containing in columns:
            return shown.value
    raise AssertionError(f"no table starting with {first_column!r} holding {containing!r}")


def number(shown: str) -> int:
    """A count as the page shows it ("13,974")."""
    return int(str(shown).replace(",", ""))


def raw_rows(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture
def sqlite_store(tmp_path: Path, use_store) -> Store:
    store = Store("sqlite", tmp_path)
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    yield store
    store.close()


@pytest.mark.usefixtures("sqlite_store")
def test_an_archive_is_checked_loaded_and_its_quality_shown():
    at = app_test(make_account=True)  # its load makes sign-in required
    at.switch_page("pages/data.py")
    at = run(at)
    at.file_uploader[0].set_value(("police.zip", archive_bytes(), "application/zip"))
    at = run(at)
    months = table(at, "Month", "Other forces' files skipped")
    assert months[["Month", "Rows", "Other forces' files skipped", "Result"]].to_dict(
        "records"
    ) == [
        {"Month": f"{m[:3]} 2024", "Rows": len(raw_rows(street(k))), "Other forces' files "
         "skipped": int(k == "2024-01"), "Result": "Ready to load"}
        for m, k in zip(("Jan", "Feb", "Apr"), MONTHS, strict=True)
    ]  # fmt: skip
    next(b for b in at.button if b.label == "Load 3 ready months").click()
    at = run(at)
    assert len(at.success) == 1 and at.success[0].value.count("loaded as load") == 3

    quality = table(at, "Month", "Repeated Crime IDs")
    by_month = quality.set_index("Month")
    assert by_month.loc["Mar 2024", "Street file"] == "Missing"
    assert "outcomes as published in April 2024 (the archive's newest month)" in at.success[0].value
    assert by_month.loc["Jan 2024", "Published"] == "April 2024 (3 months on)"  # its newest
    assert by_month.loc["Apr 2024", "Published"] == "April 2024 (same month)"
    assert any(MISSING in w.value for w in at.warning)
    lookup = pd.read_csv(require_shared("data", "lookups", "lancashire_lsoa_districts.csv"))
    for month in MONTHS:
        rows = raw_rows(street(month))
        label = pd.Timestamp(month).strftime("%b %Y")
        ids = rows["Crime ID"][rows["Crime ID"] != ""]
        expected = {
            "Rows": len(rows),
            "No location": int((rows["LSOA code"] == "").sum()),
            "Outside the districts": int(
                ((rows["LSOA code"] != "") & ~rows["LSOA code"].isin(lookup["lsoa_code"])).sum()
            ),
            "Repeated Crime IDs": int(ids.duplicated().sum()),
            "2021 LSOA codes": int(
                sum(
                    (c[0] == "E" and c >= "E01033769") or (c[0] == "W" and c >= "W01001959")
                    for c in rows["LSOA code"]
                    if c
                )
            ),
            "Other forces' files skipped": int(month == "2024-01"),
        }
        got = {column: number(by_month.loc[label, column]) for column in expected}
        assert got == expected, month


def test_a_republished_month_is_in_the_revision_history(sqlite_store, tmp_path):
    catalogue = get_catalogue()
    first = ingest.inspect(street("2024-01"), catalogue=catalogue)
    load_plan(engine=sqlite_store.engine, catalogue=catalogue, plan=first, actor="tests")
    lines = street("2024-01").read_text(encoding="utf-8").splitlines(keepends=True)
    shoplifting = [i for i, line in enumerate(lines) if ",Shoplifting," in line][:7]
    again = tmp_path / "2024-01-lancashire-street.csv"
    again.write_text("".join(x for i, x in enumerate(lines) if i not in shoplifting), "utf-8")
    second = ingest.inspect(again, catalogue=catalogue)
    result = load_plan(engine=sqlite_store.engine, catalogue=catalogue, plan=second, actor="t")
    assert [(n.rows_before, n.rows_after, n.added, n.removed) for n in result.revisions] == [
        (len(lines) - 1, len(lines) - 8, 0, 7)
    ]
    at = app_test()
    at.switch_page("pages/data.py")
    at = run(at)
    history = table(at, "Month", "Records removed")
    assert history[["Month", "Load", "Replaced load", "Records removed"]].to_dict("records") == [
        {"Month": "Jan 2024", "Load": 2, "Replaced load": 1, "Records removed": "7"}
    ]
    assert number(history["Rows before"].iat[0]) == len(lines) - 1
    changes = table(at, "Measure", "Before")
    recorded = changes[changes["Measure"] == "Shoplifting crimes"]
    falls = [
        int(before.replace(",", "")) - int(after.replace(",", ""))
        for before, after in zip(recorded["Before"], recorded["After"], strict=True)
    ]
    assert sum(falls) == 7 and min(falls) > 0  # the districts' (and unallocated) falls add to 7


def test_the_chart_marks_a_missing_month_as_a_gap(sqlite_store):
    catalogue = get_catalogue()
    for month in MONTHS:
        plan = ingest.inspect(street(month), catalogue=catalogue)
        load_plan(engine=sqlite_store.engine, catalogue=catalogue, plan=plan, actor="tests")
    at = app_test()
    switch_to(at, "centurion")
    at = run(at)
    notes = [m.value for m in at.markdown if MISSING in m.value]
    assert notes, "the ASB incidents chart does not name the missing month"
