"""Hostile input on the loading path: Excel zip bombs, numbers a sum cannot hold, text longer
than the store keeps, rows with several problems, and copies left in the temporary folder.
Each is refused (or removed) with file, row and column, and the store is left as it was.

The pages' side (file names shown as plain text, uploaded copies removed when a session
ends) is tested with the Data page in tests/test_data_page.py.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import String, select

import manage
from config import get_catalogue
from config.vocabulary import UNALLOCATED
from db.engine import session_scope
from db.models import Load
from db.store import init_store
from ingest import inspect, schema, spool, xlsx_guard
from ingest.extracts import IncidentRow
from ingest.incident_batch import LSOA
from ingest.policeuk import CRIME_ID, LSOA_CODE, OUTCOME_COLUMNS, STREET_COLUMNS
from tests.conftest import store_counts

RETURNS = "measure,month,area,breakdown,value,numerator,denominator,note\n"
INCIDENTS = (
    "reference,occurred_at,district,category,vehicle_involved,repeat_victim,vulnerable_victim,"
    "channel\n"
)
STREET = ",".join(STREET_COLUMNS) + "\n"
OUTCOMES = ",".join(OUTCOME_COLUMNS) + "\n"
CRIME = "c" * 64
PLACE = "-2.46,53.76,On or near X,E01012607,Blackburn with Darwen 001A"
FORCE = "Lancashire Constabulary"
MB = 1 << 20


# ------------------------------------------------------------------------------- helpers


@pytest.fixture
def ready(store, use_store):
    """An empty store with its schema on each backend, that manage.py uses."""
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    return store


def counts(store) -> dict[str, int]:
    with session_scope(store.engine) as session:
        return store_counts(session=session)


def refused(capsys, path: Path) -> list[str]:
    """manage.py load's problem lines for a file it refuses (exit status 1)."""
    capsys.readouterr()
    assert manage.main(["load", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"{path}: refused (") and err[-1].endswith("nothing was written")
    return err[:-1]


def workbook(
    rows: list[list], *, filler: int = 0, dimension: bool = True, title: str | None = None
) -> bytes:
    """A monthly return as .xlsx whose note cell holds `filler` bytes of one letter (deflate
    packs a megabyte of it into about a kilobyte); without `dimension`, the sheet does not
    declare its size, and a last row far down is declared by its number alone."""
    book = Workbook()
    book.active.title = title or book.active.title
    for row in rows:
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                if not dimension:
                    start = data.index(b"<dimension")
                    data = data[:start] + data[data.index(b"/>", start) + 2 :]
                    far = (
                        b'<row r="100000"><c r="A100000" t="inlineStr"><is><t>x</t></is></c></row>'
                    )
                    data = data.replace(b"</sheetData>", far + b"</sheetData>")
                head, _, tail = data.partition(b"FILLER")
                part = zipfile.ZipInfo(info.filename)
                part.compress_type = zipfile.ZIP_DEFLATED
                with zipped.open(part, "w") as stream:
                    stream.write(head)
                    for _ in range(filler // MB):
                        stream.write(b"A" * MB)
                    stream.write(tail)
            else:
                zipped.writestr(info, data)
    return out.getvalue()


HEADER = RETURNS.strip().split(",")
ROW = ["civil_orders", "2025-06", "Burnley", None, 3, None, None, "FILLER"]


def lying(data: bytes, part: str, size: int) -> bytes:
    """The zip with its central directory giving `part` the unpacked size `size` (the entry's
    fields: the unpacked size at byte 24, the name's length at 28, the name from 46)."""
    data = bytearray(data)
    for entry in (m.start() for m in re.finditer(b"PK\x01\x02", data)):
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + name_length] == part.encode():
            data[entry + 24 : entry + 28] = size.to_bytes(4, "little")
            return bytes(data)
    raise AssertionError(f"no {part} in the zip's directory")


# ------------------------------------------------------------------- 1. Excel zip bombs

BOMBS = [
    # (case, workbook, limits lowered for the test, words of the refusal)
    ("one part past its limit", dict(filler=5 * MB), {"MAX_XLSX_PART_BYTES": MB},
     "its part 'xl/worksheets/sheet1.xml' unpacks to more than 1 MB, the most read from one "
     "part of a workbook (MAX_XLSX_PART_BYTES): save it as CSV"),
    ("all parts past their limit", dict(filler=2 * MB), {"MAX_XLSX_TOTAL_BYTES": MB},
     "the workbook unpacks to more than 1 MB, the most read from a workbook "
     "(MAX_XLSX_TOTAL_BYTES)"),
    ("a directory that understates a part", dict(filler=5 * MB, lie=1000), {},
     "not a readable Excel .xlsx workbook (Bad CRC-32"),
    ("a sheet declaring too many cells", dict(), {"MAX_XLSX_CELLS": 15},
     "its first sheet declares 2 rows of 8 columns: more than 15 cells, the most read from a "
     "workbook (MAX_XLSX_CELLS)"),
    ("a sheet holding too many cells", dict(dimension=False), {"MAX_XLSX_CELLS": 1_000},
     "its first sheet holds more cells than that: more than 1,000 cells"),
]  # fmt: skip


@pytest.mark.parametrize(("_case", "made", "limits", "words"), BOMBS, ids=[b[0] for b in BOMBS])
def test_excel_zip_bomb_is_refused_before_it_is_unpacked(
    ready, capsys, tmp_path, monkeypatch, _case, made, limits, words
):
    for limit, value in limits.items():
        monkeypatch.setattr(xlsx_guard, limit, value)
    made = dict(made)  # the case is shared by both backends
    lie = made.pop("lie", None)
    data = workbook([HEADER, ROW], **made)
    if lie:
        data = lying(data, "xl/worksheets/sheet1.xml", lie)
        monkeypatch.setattr(xlsx_guard, "MAX_XLSX_PART_BYTES", 2 * MB)  # read with a limit
    assert len(data) < 20_000  # a few kilobytes that unpack to megabytes
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    before = counts(ready)
    lines = refused(capsys, path)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:1:(file): ")
    assert words in lines[0]
    assert counts(ready) == before


def test_workbook_within_the_limits_loads(ready, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_XLSX_CELLS", 16)  # exactly its 2 rows of 8 cells
    path = tmp_path / "return.xlsx"
    path.write_bytes(workbook([HEADER, [*ROW[:-1], "a note"]]))
    assert manage.main(["load", str(path)]) == 0
    assert counts(ready)["observations"] == 1


# ----------------------------------------------------------------------------- 2. numbers

EXACT = " (sums of figures must stay exact)"
NUMBERS = [
    ("value", "nan", "'nan': must be a number (not NaN or infinity)"),
    ("value", "inf", "'inf': must be a number (not NaN or infinity)"),
    ("value", "-Infinity", "'-Infinity': must be a number (not NaN or infinity)"),
    ("value", "1e400", "'1e400': must be a number (not NaN or infinity)"),
    ("value", "1e308", "'1e308': is beyond 1,000,000,000,000, the largest figure accepted" + EXACT),
    (
        "value",
        "-1e308",
        "'-1e308': is beyond 1,000,000,000,000, the largest figure accepted" + EXACT,
    ),
    ("numerator", "nan", "'nan': must be a number (not NaN or infinity)"),
    (
        "numerator",
        "1e13",
        "'1e13': is beyond 1,000,000,000,000, the largest figure accepted" + EXACT,
    ),
    ("denominator", "inf", "'inf': must be a number (not NaN or infinity)"),
    (
        "denominator",
        "2e12",
        "'2e12': is beyond 1,000,000,000,000, the largest figure accepted" + EXACT,
    ),
]


@pytest.mark.parametrize(("column", "number", "message"), NUMBERS)
def test_numbers_a_sum_cannot_hold_are_refused(tmp_path, column, number, message):
    """Returns' value, numerator and denominator are the only numbers any kind of file gives
    the store (police.uk coordinates are never read; incident extracts give none)."""
    figures = {"value": "", "numerator": "", "denominator": ""}
    figures[column] = number
    measure = "civil_orders" if column == "value" else "public_confidence"
    path = tmp_path / "return.csv"
    path.write_text(RETURNS + f"{measure},2025-06,Burnley,,{','.join(figures.values())},\n")
    plan = inspect(path, catalogue=get_catalogue())
    assert plan.messages() == [f"return.csv:2:{column}: {message}"]


def test_numbers_refused_on_each_backend_write_nothing_and_the_largest_loads(
    ready, capsys, tmp_path
):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        RETURNS
        + "civil_orders,2025-06,Burnley,,nan,,,\n"
        + "civil_orders,2025-06,Wyre,,inf,,,\n"
        + "civil_orders,2025-06,Preston,,1e308,,,\n"
    )
    before = counts(ready)
    assert [line.split(": ")[0] for line in refused(capsys, bad)] == [
        f"{bad}:2:value",
        f"{bad}:3:value",
        f"{bad}:4:value",
    ]
    assert counts(ready) == before
    largest = tmp_path / "largest.csv"
    largest.write_text(RETURNS + "civil_orders,2025-06,Burnley,,1000000000000,,,\n")
    assert manage.main(["load", str(largest)]) == 0
    with ready.engine.connect() as connection:
        from db.models import Observation

        values = connection.execute(select(Observation.value)).scalars().all()
    assert values == [1e12]


# ------------------------------------------------------------ 3. the checks know the schema


def test_every_text_column_a_load_writes_is_checked():
    """A new text column in a table a load writes fails here until its check is named."""
    written = {
        (model.__tablename__, name)
        for model in schema.STORED_TABLES
        for name in schema.text_columns(model)
    }
    assert written == set(schema.CHECKED)


def test_lengths_are_read_from_the_models():
    columns = {
        (m.__tablename__, c.name): c.type.length
        for m in schema.STORED_TABLES
        for c in m.__table__.c
        if isinstance(c.type, String)
    }
    assert (
        columns[("asb_incidents", "reference")],
        columns[("asb_incidents", "channel")],
        min(columns[("crimes", "last_outcome")], columns[("crime_outcomes", "outcome")]),
        columns[("loads", "file_name")],
    ) == (
        schema.REFERENCE_LENGTH,
        schema.CHANNEL_LENGTH,
        schema.OUTCOME_LENGTH,
        schema.FILE_NAME_LENGTH,
    )
    assert IncidentRow.model_fields["channel"].metadata[1].max_length == schema.CHANNEL_LENGTH


def test_what_the_catalogue_and_patterns_write_fits_its_column():
    cat = get_catalogue()
    fits = {
        ("asb_incidents", "district_code"): [d.ons_code for d in cat.geography.district],
        ("crimes", "district_code"): [d.ons_code for d in cat.geography.district],
        ("observations", "area_code"): [
            UNALLOCATED,
            *(d.ons_code for d in cat.geography.district),
        ],
        ("asb_incidents", "category"): list(cat.measure("asb_incidents").breakdown.values),
        ("observations", "measure_code"): [m.code for m in cat.measures.measure],
        ("observations", "breakdown"): [
            v for m in cat.measures.measure if m.breakdown for v in m.breakdown.values
        ],
        ("crimes", "crime_type"): list(cat.policeuk_crime_types()),
    }
    lengths = {
        (m.__tablename__, name): n
        for m in schema.STORED_TABLES
        for name, n in schema.text_columns(m).items()
    }
    for column, values in fits.items():
        assert max(map(len, values)) <= lengths[column], column
    # patterns: the longest text each can match
    assert (LSOA, LSOA_CODE.pattern) == (r"[EW]0\d{7}", r"^[EW]01\d{6}$")  # 9 characters
    assert min(lengths[("asb_incidents", "lsoa_code")], lengths[("crimes", "lsoa_code")]) >= 9
    assert CRIME_ID.pattern == r"^[0-9a-f]{64}$" and schema.CRIME_ID_LENGTH >= 64


def _long(n: int) -> str:
    return "o" * n


def _file_name(tmp_path: Path, length: int) -> Path:
    """A path of exactly `length` characters in `tmp_path` (as manage.py load names it)."""
    stem = length - len(str(tmp_path)) - len("/.csv")
    assert 0 < stem < 250
    return tmp_path / ("n" * stem + ".csv")


# (case, file content with {text} where the text goes, the problem's row and column, the
# column's length)
INCIDENT_ROW = "ASB/1,2025-06-01 18:30,Burnley,nuisance,N,N,N,{text}\n"
STREET_ROW = f"{CRIME},2024-01,{FORCE},{FORCE},{PLACE},Shoplifting,{{text}},\n"
OUTCOME_ROW = f"{CRIME},2024-01,{FORCE},{FORCE},{PLACE},{{text}}\n"
OVERLONG = [
    ("incident channel", INCIDENTS + INCIDENT_ROW, "2:channel", schema.CHANNEL_LENGTH),
    ("street outcome", STREET + STREET_ROW, "2:Last outcome category", schema.OUTCOME_LENGTH),
    ("outcomes outcome", OUTCOMES + OUTCOME_ROW, "2:Outcome type", schema.OUTCOME_LENGTH),
]


@pytest.mark.parametrize(
    ("_case", "content", "where", "length"), OVERLONG, ids=[c[0] for c in OVERLONG]
)
def test_text_longer_than_its_column_is_refused_and_its_length_loads(
    ready, capsys, tmp_path, _case, content, where, length
):
    path = tmp_path / "file.csv"
    path.write_text(content.format(text=_long(length + 1)))
    before = counts(ready)
    lines = refused(capsys, path)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:{where}: "), lines
    assert str(length) in lines[0]
    assert counts(ready) == before
    path.write_text(
        content.format(text=_long(length))
    )  # as long as the column: written on PostgreSQL too
    assert manage.main(["load", str(path)]) == 0


def test_file_name_longer_than_the_store_keeps_is_refused_and_its_length_loads(
    ready, capsys, tmp_path
):
    content = RETURNS + "civil_orders,2025-06,Burnley,,3,,,\n"
    long = _file_name(tmp_path, schema.FILE_NAME_LENGTH + 1)
    long.write_text(content)
    before = counts(ready)
    lines = refused(capsys, long)
    assert lines == [
        f"{long}:0:(file): the file's name is 256 characters long; the store keeps names of "
        "up to 255: rename the file (or load it from a shorter path)"
    ]
    assert counts(ready) == before
    fits = _file_name(tmp_path, schema.FILE_NAME_LENGTH)
    fits.write_text(content)
    assert manage.main(["load", str(fits)]) == 0
    with ready.engine.connect() as connection:
        assert connection.execute(select(Load.file_name)).scalars().all() == [str(fits)]


def test_file_names_are_cleaned_when_they_enter(tmp_path):
    path = tmp_path / "return.csv"
    path.write_text(RETURNS + "civil_orders,2025-06,Burnley,,3,,,\n")
    plan = inspect(path, catalogue=get_catalogue(), name="gpj\u202e.exe\x07\tname.csv")
    assert plan.name == "gpj.exe name.csv"
    assert plan.ok


# -------------------------------------------------------------- 4. every problem of a row

SEVERAL = [
    ("monthly return", RETURNS + "civil_orders,2025-13,Nowhere,,abc,,,\n",
     [("month", "'2025-13' is not a month in the form YYYY-MM"),
      ("area", "unknown district 'Nowhere': use one of the 14 district names or ONS codes"),
      ("value", "'abc': must be a number")]),
    ("incident extract", INCIDENTS + "John Smith,2025-06-01 18:30,Nowhere,noise,N,N,N,101\n",
     [("reference", "'John Smith': must be a pseudonymous reference of letters, digits, / _ . - "
                    "(no spaces, names or addresses), up to 64 characters"),
      ("district", "unknown district 'Nowhere': use one of the 14 district names or ONS codes"),
      ("category", "'noise' is not one of personal, nuisance, environmental")]),
    ("police.uk street file",
     STREET + f"{CRIME},2024-13,{FORCE},Merseyside Police,{PLACE},Shoplifting,{_long(121)},\n",
     [("Month", "'2024-13' is not a month in the form YYYY-MM"),
      ("Falls within", "'Merseyside Police' is not Lancashire Constabulary"),
      ("Last outcome category", "longer than 120 characters: not a police.uk category")]),
    ("police.uk outcomes file",
     OUTCOMES + f"bad id,2024-01,{FORCE},Merseyside Police,{PLACE},{_long(121)}\n",
     [("Falls within", "'Merseyside Police' is not Lancashire Constabulary"),
      ("Crime ID", "'bad id' is not a police.uk Crime ID (64 hex digits)"),
      ("Outcome type", "longer than 120 characters: not a police.uk category")]),
]  # fmt: skip


@pytest.mark.parametrize(("_case", "content", "expected"), SEVERAL, ids=[c[0] for c in SEVERAL])
def test_every_problem_of_a_row_is_listed(tmp_path, _case, content, expected):
    path = tmp_path / "file.csv"
    path.write_text(content)
    plan = inspect(path, catalogue=get_catalogue())
    assert sorted((p.row, p.column, p.message) for p in plan.problems) == sorted(
        (2, column, message) for column, message in expected
    )


# ------------------------------------------------------------- 6. copies in the temp folder


@pytest.fixture
def temp_root(tmp_path, monkeypatch) -> Path:
    """The dashboard's temporary folder, inside this test's own folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return spool.temp_root()


def test_sweep_removes_copies_older_than_the_stale_age_only(temp_root):
    old, fresh = spool.new_folder("asb-upload-"), spool.new_folder("asb-upload-")
    (old / "upload.csv").write_text("left behind")
    stray = temp_root / "stray.csv"
    stray.write_text("left behind")
    now = time.time()
    aged = now - spool.STALE_COPY_AGE.total_seconds() - 60
    for item in (old, stray):
        os.utime(item, (aged, aged))
    assert sorted(spool.sweep(now=now)) == sorted([old, stray])
    assert [p.name for p in temp_root.iterdir()] == [fresh.name]
    assert spool.sweep(timedelta(0), now=now + 1) == [fresh]


@pytest.mark.usefixtures("ready")
def test_archive_members_are_extracted_to_the_dashboards_folder_and_removed(temp_root, tmp_path):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "2024-01/2024-01-lancashire-street.csv",
            STREET + f"{CRIME},2024-01,{FORCE},{FORCE},{PLACE},Shoplifting,Under investigation,\n",
        )
    assert manage.main(["load", str(archive)]) == 0
    assert list(temp_root.iterdir()) == []


@pytest.mark.usefixtures("ready")
def test_the_command_line_names_a_file_as_cleaned(capsys, tmp_path):
    path = tmp_path / "bad\u202e\x1b[31m.csv"
    path.write_text(RETURNS + "civil_orders,2025-06,Nowhere,,3,,,\n")
    shown = str(path).replace("\u202e", "").replace("\x1b", "")
    capsys.readouterr()
    assert manage.main(["load", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{shown}:2:area: unknown district 'Nowhere': use one of the 14 district names or ONS "
        "codes",
        f"{shown}: refused (1 problem); nothing was written",
    ]


@pytest.mark.parametrize(
    ("made", "limits", "words"),
    [
        (dict(filler=5 * MB), {"MAX_XLSX_PART_BYTES": MB}, "(MAX_XLSX_PART_BYTES)"),
        (dict(dimension=False), {"MAX_XLSX_CELLS": 10}, "(MAX_XLSX_CELLS)"),
    ],
)
def test_a_dip_sample_review_sheet_is_held_to_the_same_limits(
    tmp_path, monkeypatch, made, limits, words
):
    from dipsampling import sheets

    for limit, value in limits.items():
        monkeypatch.setattr(xlsx_guard, limit, value)
    path = tmp_path / "review.xlsx"
    path.write_bytes(workbook([HEADER, ROW], title=sheets.SHEET, **made))
    back = sheets.read(path, "review.xlsx", find=lambda _sample_id: None, verdicts=[])
    assert back.answers.empty
    assert len(back.problems) == 1 and words in back.problems[0].message
