"""A catalogue of bad files: each is refused whole with `file:row:column: message` on standard
error, exit status 1, and every table of the store exactly as it was.

And the other side: files that are awkward but valid (a byte-order mark, Windows-1252, Excel,
formulas in free text) load.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

import manage
from config import get_catalogue
from db.engine import session_scope
from db.models import Observation
from db.store import init_store
from ingest import inspect
from ingest.policeuk import STREET_COLUMNS
from present.exports import neutralise_text
from tests.conftest import store_counts

RETURNS = "measure,month,area,breakdown,value,numerator,denominator,note\n"
STREET = ",".join(STREET_COLUMNS) + "\n"
CRIME = "c" * 64
STREET_ROW = (
    f"{CRIME},2024-01,Lancashire Constabulary,Lancashire Constabulary,-2.46,53.76,"
    "On or near Tintern Crescent,E01012607,Blackburn with Darwen 001A,Shoplifting,"
    "Under investigation,\n"
)
INCIDENTS = (
    "reference,occurred_at,district,category,vehicle_involved,repeat_victim,vulnerable_victim,"
    "channel\n"
)

# name, file name, content, expected problems: (row, column, words in the message)
CATALOGUE = [
    ("missing column", "street.csv",
     (STREET + STREET_ROW).replace(",LSOA name", "").replace(",Blackburn with Darwen 001A", ""),
     [(1, "LSOA name", "missing column 'LSOA name'")]),
    ("renamed column", "returns.csv",
     RETURNS.replace("measure,", "measure_code,") + "civil_orders,2025-06,Burnley,,12,,,\n",
     [(1, "measure_code", "unexpected column"), (1, "measure", "missing column 'measure'")]),
    ("wrong delimiter", "returns.csv",
     RETURNS.replace(",", ";") + "hotspot_patrol_hours;2025-06;Burnley;;120;;;\n",
     [(1, "(header)", "separated by semicolons")]),
    ("empty file", "returns.csv", "", [(1, "(header)", "the file is empty")]),
    ("header only", "returns.csv", RETURNS, [(2, "(header)", "no rows of data")]),
    ("binary file", "returns.csv", bytes(range(256)) * 8, [(1, "(file)", "binary file")]),
    ("UTF-16 text", "returns.csv",
     (RETURNS + "hotspot_patrol_hours,2025-06,Burnley,,120,,,\n").encode("utf-16"),
     [(1, "(file)", "UTF-16")]),
    ("undecodable bytes", "returns.csv",
     (RETURNS + "hotspot_patrol_hours,2025-06,Burnley,,120,,,Burnley \x81\n").encode("latin-1"),
     [(2, "(file)", "neither UTF-8 nor Windows-1252")]),
    ("negative value", "returns.csv", RETURNS + "civil_orders,2025-06,Burnley,,-3,,,\n",
     [(2, "value", "negative value -3")]),
    ("unknown district", "returns.csv", RETURNS + "civil_orders,2025-06,Manchester,,3,,,\n",
     [(2, "area", "unknown district 'Manchester'")]),
    ("unknown measure", "returns.csv", RETURNS + "asb_calls,2025-06,Burnley,,3,,,\n",
     [(2, "measure", "unknown measure code 'asb_calls'")]),
    ("measure from another source", "returns.csv",
     RETURNS + "asb_vehicle_incidents,2025-06,Burnley,,3,,,\n",
     [(2, "measure", "is not loaded from monthly returns")]),
    ("future month", "returns.csv", RETURNS + "civil_orders,2099-01,Burnley,,3,,,\n",
     [(2, "month", "2099-01 is in the future")]),
    ("month before 2015", "street.csv", STREET + STREET_ROW.replace("2024-01", "2014-12"),
     [(2, "Month", "before 2015-01")]),
    ("not a month", "returns.csv", RETURNS + "civil_orders,June 2025,Burnley,,3,,,\n",
     [(2, "month", "not a month in the form YYYY-MM")]),
    ("duplicate rows", "returns.csv",
     RETURNS + "civil_orders,2025-06,Burnley,,3,,,\n" * 2,
     [(3, "measure", "duplicate of row 2")]),
    ("numerator > denominator", "returns.csv",
     RETURNS + "public_confidence,2025-06,Burnley,,,60,50,\n",
     [(2, "numerator", "numerator 60 is greater than denominator 50")]),
    ("formula injection", "returns.csv",
     RETURNS + 'civil_orders,2025-06,"=HYPERLINK(""http://x"",""Burnley"")",,3,,,\n',
     [(2, "area", "(a spreadsheet formula?)")]),
    ("truncated last line", "street.csv",
     STREET + STREET_ROW + STREET_ROW.replace(CRIME, "d" * 64)[:70],
     [(3, "Reported by", "the row has 2 values but the header has 12 (a truncated line?)")]),
    ("unterminated quote", "returns.csv", RETURNS + 'civil_orders,2025-06,Burnley,,3,,,"late\n',
     [(2, "(file)", "cannot be read from here on")]),
    ("name as a reference", "incidents.csv",
     INCIDENTS + "John Smith,2025-06-01 18:30,Burnley,nuisance,N,N,N,101\n",
     [(2, "reference", "pseudonymous reference")]),
    ("bad flag and category", "incidents.csv",
     INCIDENTS + "ASB/1,2025-06-01 18:30,Burnley,noise,maybe,N,N,101\n",
     [(2, "vehicle_involved", "must be Y or N")]),
    ("another force", "street.csv",
     STREET + STREET_ROW.replace("Lancashire Constabulary,-2.46", "Merseyside Police,-2.46"),
     [(2, "Falls within", "'Merseyside Police' is not Lancashire Constabulary")]),
    ("breakdown not adding up", "returns.csv",
     RETURNS + "enforcement_actions,2025-06,Wyre,,9,,,\n"
     "enforcement_actions,2025-06,Wyre,Arrest,4,,,\nenforcement_actions,2025-06,Wyre,Warning,3,,,\n",
     [(2, "value", "total 9 is not the sum of its breakdown rows (7)")]),
]  # fmt: skip


@pytest.fixture
def loaded(store, use_store):
    """A store holding one good load, so 'unchanged' is tested against real rows."""
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    return store


def _counts(store) -> dict[str, int]:
    with session_scope(store.engine) as session:
        return store_counts(session=session)


@pytest.mark.parametrize(
    ("_case", "name", "content", "expected"), CATALOGUE, ids=[c[0] for c in CATALOGUE]
)
def test_bad_file_is_refused_whole_and_changes_nothing(
    loaded, capsys, tmp_path, _case, name, content, expected
):
    good = tmp_path / "good.csv"
    good.write_text(RETURNS + "civil_orders,2025-05,Burnley,,3,,,\n")
    assert manage.main(["load", str(good)]) == 0
    before = _counts(loaded)
    bad = tmp_path / name
    bad.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    capsys.readouterr()
    assert manage.main(["load", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    for row, column, words in expected:
        prefix = f"{bad}:{row}:{column}: "
        assert any(line.startswith(prefix) and words in line for line in err), (prefix, words, err)
    assert err[-1].endswith("nothing was written")
    count = len(err) - 1  # one line per problem, then the verdict
    assert err[-1] == f"{bad}: refused ({count} problem{'' if count == 1 else 's'}); " + (
        "nothing was written"
    )
    assert _counts(loaded) == before


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    bad = tmp_path / "returns.csv"
    bad.write_text(
        RETURNS
        + "civil_orders,2025-06,Burnley,,-1,,,\n"
        + "civil_orders,2099-06,Nowhere,,2,,,\n"
        + "public_confidence,2025-06,Burnley,,,5,4,\n"
    )
    plan = inspect(bad, catalogue=get_catalogue())
    assert [(p.row, p.column) for p in plan.problems] == [
        (2, "value"), (3, "month"), (3, "area"), (4, "numerator"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "note"),
    [("utf-8", "café £5"), ("utf-8-sig", "café £5"), ("cp1252", "café £5 – late")],
)
def test_utf8_bom_and_windows_1252_files_load(loaded, tmp_path, encoding, note):
    path = tmp_path / "returns.csv"
    path.write_bytes((RETURNS + f"civil_orders,2025-06,Pendle,,4,,,{note}\n").encode(encoding))
    assert manage.main(["load", str(path)]) == 0
    with session_scope(loaded.engine) as session:
        assert session.query(Observation.note).filter_by(area_code="E07000122").scalar() == note


def test_excel_returns_load_with_dates_as_months(loaded, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["measure", "month", "area", "value", "numerator", "denominator"])
    sheet.append(["public_confidence", datetime(2025, 6, 1), "E06000008", None, 41, 60])
    sheet.append(["vehicles_seized", "2025-06", "Blackburn with Darwen", 7, None, None])
    path = tmp_path / "returns.xlsx"
    book.save(path)
    plan = inspect(path, catalogue=get_catalogue())
    assert plan.ok, plan.messages()
    assert manage.main(["load", str(path)]) == 0
    with session_scope(loaded.engine) as session:
        rows = session.query(Observation.measure_code, Observation.value).order_by(Observation.id)
        values = {code: round(value, 2) for code, value in rows if code != "civil_orders"}
    assert values == {"public_confidence": 68.33, "vehicles_seized": 7.0}


def test_formula_in_free_text_is_stored_as_text_and_neutralised_in_exports(
    loaded, capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    path = Path("=cmd.csv")
    path.write_text(RETURNS + 'civil_orders,2025-06,Fylde,,2,,,"=HYPERLINK(""http://x"")"\n')
    assert manage.main(["load", str(path)]) == 0
    with session_scope(loaded.engine) as session:
        assert session.query(Observation.note).filter_by(area_code="E07000119").scalar() == (
            '=HYPERLINK("http://x")'
        )
    capsys.readouterr()
    assert manage.main(["loads"]) == 0
    history = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert history["file_name"].iloc[0] == "'=cmd.csv"
    assert history["summary"].iloc[0].startswith("'=cmd.csv: loaded as load 1;")


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+44 1772", "'+44 1772"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("-3.1%", "-3.1%"), ("12", "12"), ("Burnley", "Burnley"), (5, 5)],
)  # fmt: skip
def test_neutralise_text(value, safe):
    assert neutralise_text(value) == safe


def test_every_format_column_is_documented_in_the_readme():
    from config import PROJECT_ROOT
    from ingest.templates import COLUMNS, KINDS

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for kind, columns in COLUMNS.items():
        assert set(columns) == set(KINDS[kind].columns())
        for column in columns:
            assert f"`{column}`" in readme, f"README does not document the {kind} column {column}"
