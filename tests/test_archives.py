"""police.uk archives as downloaded: a zip of YYYY-MM/ folders, a folder of months, a folder of
files. The force's files load month by month; other forces' files are skipped and counted; a
zip gives the same store as its CSVs loaded one by one."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

import manage

# Columns that name the file or the moment rather than the data: they differ by design.
from auth.cliaudit import ENTITY as CLI_ENTITY
from config import get_catalogue
from db.engine import session_scope
from db.models import Base, LoadFact
from db.store import init_store
from ingest.policeuk import OTHER_FORCES
from tests.conftest import POLICEUK_MONTHS, Store, require_shared

VARYING = {
    "loads": {"file_name", "loaded_at", "summary"},
    "audit_log": {"id", "at", "detail"},  # ids: the commands' own entries come between
    "targets": {"set_at"},
    "score_state": {"version", "refreshed_at", "seconds", "computed"},  # how it came about
    "scores": {"computed_at"},
    "track_record": {"version", "computed_at"},  # the data version it was computed for
}


def street(month: str) -> Path:
    return require_shared("data", "policeuk", f"{month}-lancashire-street.csv")


def other_force(month: str, folder: Path, rows: int = 20) -> Path:
    """A small street file of another force: the first rows of a sample with Cumbria's name."""
    lines = street(month).read_text(encoding="utf-8").splitlines(keepends=True)[: rows + 1]
    path = folder / f"{month}-cumbria-street.csv"
    path.write_text("".join(lines).replace("Lancashire Constabulary", "Cumbria Constabulary"))
    return path


def months_folder(root: Path, months=POLICEUK_MONTHS, others: bool = False) -> Path:
    """A folder laid out as police.uk's monthly archive: one YYYY-MM/ folder per month."""
    for month in months:
        folder = root / month
        folder.mkdir(parents=True)
        shutil.copy(street(month), folder)
        if others:
            other_force(month, folder)
            (folder / f"{month}-lancashire-stop-and-search.csv").write_text("Type,Date\n")
    return root


def zipped(folder: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(folder.rglob("*")):
            if item.is_file():
                archive.write(item, item.relative_to(folder).as_posix())
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    status = manage.main([str(a) for a in args])
    out = capsys.readouterr()
    return status, out.out, out.err


def contents(store: Store) -> dict[str, pd.DataFrame]:
    """Every table's rows, sorted, without the columns that name a file or a moment."""
    tables = {}
    with session_scope(store.engine) as session:
        for name, table in sorted(Base.metadata.tables.items()):
            rows = select(table)
            if name == "audit_log":  # the commands' own entries name how each was run
                rows = rows.where(table.c.entity != CLI_ENTITY)
            frame = pd.DataFrame(session.execute(rows).mappings().all())
            frame = frame.drop(columns=sorted(VARYING.get(name, set()) & set(frame.columns)))
            if not frame.empty:
                frame = frame.sort_values(list(frame.columns)).reset_index(drop=True)
            tables[name] = frame
    return tables


@pytest.fixture
def two_stores(store, tmp_path):
    other = Store(store.backend, tmp_path / "second")
    for each in (store, other):
        init_store(engine=each.engine, catalogue=get_catalogue(), actor="tests")
    yield store, other
    other.close()


def test_a_zip_of_the_four_months_gives_the_same_store_as_the_csvs_one_by_one(
    two_stores, use_store, capsys, tmp_path
):
    one_by_one, from_zip = two_stores
    use_store(one_by_one)
    for month in POLICEUK_MONTHS:  # as published with April 2024, the archive's newest month
        assert run(capsys, "load", street(month), "--published", "2024-04")[0] == 0
    archive = zipped(months_folder(tmp_path / "archive"), tmp_path / "police.zip")
    use_store(from_zip)
    status, out, err = run(capsys, "load", archive)
    assert (status, err) == (0, "")
    assert [line[:13] for line in out.splitlines() if not line.startswith(" ")] == [
        *(f"{m}: load" for m in POLICEUK_MONTHS),
        "Scores up to ",  # then the stored scores are brought up to date, once
    ]
    first, second = contents(one_by_one), contents(from_zip)
    assert first.keys() == second.keys()
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)
    assert len(first["crimes"]) > 0 and len(first["load_facts"]) > 0


def test_other_forces_files_are_skipped_and_counted_per_month(store, use_store, capsys, tmp_path):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    archive = zipped(
        months_folder(tmp_path / "archive", POLICEUK_MONTHS[:2], others=True),
        tmp_path / "police.zip",
    )
    status, out, err = run(capsys, "load", archive)
    assert (status, err) == (0, "")
    assert out.count("1 other force's file skipped") == 2
    assert "2 other files skipped (not loaded)" in out  # the force's stop-and-search files
    with session_scope(store.engine) as session:
        facts = session.execute(
            select(LoadFact.month, LoadFact.count).where(LoadFact.fact == OTHER_FORCES)
        ).all()
    assert sorted((str(m)[:7], n) for m, n in facts) == [("2024-01", 1), ("2024-02", 1)]
    status, out, _ = run(capsys, "export", "--level", "force")
    # Cumbria's 20 rows are nowhere: January's ASB total is Lancashire's file alone
    exported = pd.read_csv(io.StringIO(out), dtype={"month": str})
    asb = exported.query("measure == 'asb_incidents' and month == '2024-01'")["value"]
    assert asb.tolist() == [3390]


def test_a_folder_of_months_and_a_folder_of_files_load(store, use_store, capsys, tmp_path):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    status, out, err = run(capsys, "load", months_folder(tmp_path / "months", POLICEUK_MONTHS[:1]))
    assert (status, err) == (0, ""), err
    assert out.startswith("2024-01: loaded in one transaction")
    flat = tmp_path / "flat"
    flat.mkdir()
    shutil.copy(street("2024-02"), flat)
    status, out, err = run(capsys, "load", flat)
    assert (status, err) == (0, ""), err
    assert "2024-02: loaded in one transaction" in out


def test_a_refused_month_does_not_stop_the_others(store, use_store, capsys, tmp_path):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    root = months_folder(tmp_path / "months", POLICEUK_MONTHS[:2])
    broken = root / "2024-02" / "2024-02-lancashire-street.csv"
    broken.write_text(broken.read_text(encoding="utf-8").replace(",2024-02,", ",2024-13,", 1))
    status, out, err = run(capsys, "load", root)
    assert status == 1
    assert "2024-01: loaded in one transaction" in out
    assert ":2:Month: '2024-13' is not a month in the form YYYY-MM" in err
    assert "refused (1 problem); nothing was written" in err
    assert "2024-02: not loaded (a file was refused); nothing was written" in err


def test_a_missing_path_and_a_damaged_zip_are_refused(store, use_store, capsys, tmp_path):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    damaged = tmp_path / "police.zip"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    status, _, err = run(capsys, "load", tmp_path / "nowhere.csv", damaged)
    assert status == 1
    assert "nowhere.csv:0:(file): no such file or folder" in err
    assert "police.zip: not a readable .zip archive" in err


def test_an_archive_without_the_forces_files_is_refused(store, use_store, capsys, tmp_path):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    folder = tmp_path / "archive" / "2024-01"
    folder.mkdir(parents=True)
    other_force("2024-01", folder)
    status, out, err = run(capsys, "load", zipped(tmp_path / "archive", tmp_path / "c.zip"))
    assert status == 1
    assert "no file of Lancashire Constabulary to load in it" in err
    assert "2024-01: no Lancashire Constabulary file; 1 other force's file skipped" in out
