"""Uploads bounded as a whole (`ingest.limits`, `ingest.archive_zip`, `ingest.xlsx_scan`):
police.uk archives refused by their directory before anything is unpacked (many files, files
declared to unpack past their size, their ratio or together), a directory that lies stopped
while unpacking, an archive's files unpacked one at a time; workbooks refused while their XML
is read (a huge cell, inline or shared, many shared strings, too much shared text, a huge
sheet); a full temporary disk named as such. Each refusal names file, row or member, column
and the setting, changes nothing in the store, leaves nothing in the temporary folder, and
holds memory to a few megabytes (tracemalloc: a generous bound, not time).
"""

from __future__ import annotations

import errno
import pickle
import tempfile
import tracemalloc
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

import manage
from bench import hostile
from config import get_catalogue
from config.settings import get_settings
from db.engine import session_scope
from db.store import init_store
from ingest import archive as archive_module
from ingest import archive_zip, inspect, spool, xlsx_guard
from ingest.limits import upload_limits
from tests.conftest import POLICEUK_MONTHS, require_shared, store_counts

MB = 1 << 20
PEAK_BOUND = 24 * MB  # the refusals below hold well under this; before, a 50 MB cell took 150+
STREET = "2024-01/2024-01-lancashire-street.csv"


@pytest.fixture
def ready(store, use_store, monkeypatch, tmp_path):
    """An empty store on each backend that manage.py uses, and the dashboard's temporary
    folder inside this test's folder."""
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    return store


@pytest.fixture
def settings(monkeypatch):
    """Set upload limits as the environment would, for one test."""

    def put(**values: int) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key, str(value))
        get_settings.cache_clear()

    yield put
    get_settings.cache_clear()


def counts(store) -> dict[str, int]:
    with session_scope(store.engine) as session:
        return store_counts(session=session)


def refused(capsys, *args: str) -> tuple[str, int]:
    """manage.py's standard error for a refused load, and its peak traced memory."""
    capsys.readouterr()
    tracemalloc.start()
    try:
        assert manage.main([*args]) == 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return capsys.readouterr().err, peak


def left_in_temp() -> list[Path]:
    return [p for p in spool.temp_root().rglob("*") if p.is_file()]


# ------------------------------------------------------------------------------- archives

ARCHIVES = [
    # (case, settings, members as (name, unpacked size), empty files, refusal)
    ("many files", {"UPLOAD_ARCHIVE_MEMBERS": 10}, [(STREET, MB)], 30,
     "police.zip: its directory lists 31 files, more than 10, the most read from an archive "
     "(UPLOAD_ARCHIVE_MEMBERS): nothing was unpacked or loaded"),
    ("files declared past the total",
     {"UPLOAD_ARCHIVE_UNPACKED_MB": 5, "UPLOAD_ARCHIVE_RATIO": 100_000},
     [(STREET, 3 * MB), ("2024-02/2024-02-lancashire-street.csv", 3 * MB)], 0,
     "police.zip: the files to load in it are declared to unpack to more than 5 MB together, "
     "the most unpacked from an archive (UPLOAD_ARCHIVE_UNPACKED_MB)"),
    ("a file declared past its size",
     {"UPLOAD_ARCHIVE_MEMBER_MB": 1, "UPLOAD_ARCHIVE_RATIO": 100_000}, [(STREET, 3 * MB)], 0,
     f"police.zip:{STREET}: is declared to unpack to more than 1 MB, the most unpacked from one "
     "file of an archive (UPLOAD_ARCHIVE_MEMBER_MB)"),
    ("a file declared past the ratio", {}, [(STREET, 200 * MB)], 0,
     f"police.zip:{STREET}: is declared to unpack to more than 100 times its packed size"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("_case", "limits", "members", "empty", "words"), ARCHIVES, ids=[a[0] for a in ARCHIVES]
)
def test_an_archive_past_a_limit_is_refused_by_its_directory_before_anything_is_unpacked(
    ready, settings, capsys, tmp_path, monkeypatch, _case, limits, members, empty, words
):
    settings(**limits)
    path = hostile.archive(
        tmp_path / "police.zip",
        {name: hostile.bomb_member(size) for name, size in members},
        empty=empty,
    )
    unpacked = []
    monkeypatch.setattr(archive_module, "unpack", lambda *a, **_k: unpacked.append(a))
    before = counts(ready)
    err, peak = refused(capsys, "load", str(path))
    assert words in err, err
    assert "Errno" not in err
    assert unpacked == []  # refused by the directory alone
    assert counts(ready) == before and left_in_temp() == []
    assert peak < PEAK_BOUND


def test_a_directory_that_understates_a_file_is_stopped_at_its_declared_size(
    ready, capsys, tmp_path
):
    path = hostile.archive(tmp_path / "police.zip", {STREET: hostile.bomb_member(200 * MB)})
    hostile.lie(path, STREET, 1000)  # 200 MB declared as 1,000 bytes
    before = counts(ready)
    err, peak = refused(capsys, "load", str(path))
    assert f"police.zip:{STREET}: not as the archive's directory describes it (Bad CRC-32" in err
    assert "a damaged or forged archive; nothing was unpacked or loaded" in err
    assert counts(ready) == before and left_in_temp() == []
    assert peak < PEAK_BOUND


@pytest.mark.parametrize(
    ("limits", "declared", "words"),
    [
        (dict(archive_member_bytes=MB), 10 * MB, "unpacks to more than 1 MB, the most unpacked"),
        (dict(archive_unpacked_bytes=MB), 10 * MB, "unpack to more than 1 MB together"),
        (dict(archive_ratio=2), 10 * MB, "unpacks to more than 2 times its packed size"),
        ({}, 1000, "unpacks to more than the 1,000 bytes the archive's directory declares"),
    ],
)
def test_a_file_is_stopped_at_each_limit_while_it_is_unpacked(tmp_path, limits, declared, words):
    """The limits hold while unpacking too, whatever the directory said (the zip module
    stops at the declared size; this is the count that does not trust it)."""
    path = hostile.archive(tmp_path / "a.zip", {STREET: hostile.bomb_member(5 * MB)})
    with zipfile.ZipFile(path) as zipped:
        packed = zipped.getinfo(STREET).compress_size
    member = archive_zip.Member(path, STREET, f"a.zip:{STREET}", declared, packed)
    limits = {"archive_ratio": 100_000, **limits}
    target = tmp_path / "member.csv"
    with pytest.raises(archive_zip.ArchiveRefused, match=words) as refusal:
        archive_zip.unpack(
            member, target, replace(upload_limits(), **limits), name="a.zip", before=0
        )
    assert str(refusal.value).endswith("what was unpacked of it is removed; nothing was loaded")
    assert not target.exists()


def test_an_archives_files_are_unpacked_one_at_a_time(ready, tmp_path, monkeypatch):
    """The real police.uk months load from a zip as before, and the temporary folder never
    holds more than the one file being checked."""
    path = tmp_path / "police.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for month in POLICEUK_MONTHS:
            source = require_shared("data", "policeuk", f"{month}-lancashire-street.csv")
            zipped.write(source, f"{month}/{source.name}")
    held, real = [], archive_module.unpack

    def counted(member, target, *args, **kwargs):
        size = real(member, target, *args, **kwargs)
        held.append(len([p for p in target.parent.iterdir() if p.is_file()]))
        return size

    monkeypatch.setattr(archive_module, "unpack", counted)
    assert manage.main(["load", str(path)]) == 0
    assert held == [1] * len(POLICEUK_MONTHS)
    assert counts(ready)["loads"] == len(POLICEUK_MONTHS) and left_in_temp() == []


# ------------------------------------------------------------------------------ workbooks

WORKBOOKS = [
    # (case, workbook, settings, refusal line after "bomb.xlsx:")
    ("a huge inline cell", dict(huge=50 * MB), {},
     "2:note: sheet 'Return', cell H2: its text is more than 32,767 characters long, the most "
     "a cell may hold (UPLOAD_XLSX_CELL_CHARS, Excel's own limit): shorten it, or save it as "
     "CSV (CSV files of any size load)"),
    ("a huge shared string", dict(huge=50 * MB, shared=True), {},
     "2:note: sheet 'Return', cell H2: its text is more than 32,767 characters long"),
    ("a cell past a lower limit", dict(huge=1000, shared=True), {"UPLOAD_XLSX_CELL_CHARS": 500},
     "2:note: sheet 'Return', cell H2: its text is more than 500 characters long"),
    ("many shared strings", dict(shared=True, extra=100), {"UPLOAD_XLSX_SHARED_STRINGS": 50},
     "1:(file): its shared strings number more than 50, the most read from a workbook "
     "(UPLOAD_XLSX_SHARED_STRINGS): save it as CSV"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("_case", "made", "limits", "words"), WORKBOOKS, ids=[w[0] for w in WORKBOOKS]
)
def test_a_workbook_past_a_limit_is_refused_while_its_xml_is_read(
    ready, settings, capsys, tmp_path, _case, made, limits, words
):
    settings(**limits)
    path = hostile.workbook(tmp_path / "bomb.xlsx", [hostile.ROW], **made)
    assert path.stat().st_size < MB  # a few hundred kilobytes at most
    before = counts(ready)
    err, peak = refused(capsys, "load", str(path))
    assert err.splitlines()[0] == f"{path}:{words}" or err.startswith(f"{path}:{words}"), err
    assert counts(ready) == before
    assert peak < PEAK_BOUND


def test_too_much_shared_text_is_refused(tmp_path):
    path = hostile.workbook(tmp_path / "many.xlsx", [hostile.ROW] * 20, shared=True)
    limits = replace(upload_limits(), xlsx_shared_chars=100)
    with pytest.raises(xlsx_guard.FileRefused) as refusal:
        xlsx_guard.check_workbook(path, "many.xlsx", limits)
    assert refusal.value.problems[0].message.startswith(
        "its shared strings hold more than 100 characters together, the most read from a "
        "workbook (UPLOAD_XLSX_SHARED_TEXT_MB)"
    )


def test_a_huge_sheet_is_refused_by_the_workbooks_directory(ready, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_XLSX_PART_BYTES", MB)
    path = hostile.workbook(tmp_path / "bomb.xlsx", [hostile.ROW] * 20_000)
    before = counts(ready)
    err, peak = refused(capsys, "load", str(path))
    assert "its part 'xl/worksheets/sheet1.xml' unpacks to more than 1 MB" in err
    assert counts(ready) == before and peak < PEAK_BOUND


def test_a_workbook_within_the_limits_loads_with_shared_strings(ready, tmp_path):
    path = hostile.workbook(tmp_path / "return.xlsx", [hostile.ROW], huge=30_000, shared=True)
    plan = inspect(path, catalogue=get_catalogue())
    assert [(p.row, p.column) for p in plan.problems] == [(2, "note")]
    assert "is longer than 500 characters" in plan.problems[0].message  # the note's own rule
    small = hostile.workbook(tmp_path / "small.xlsx", [hostile.ROW], shared=True)
    assert manage.main(["load", str(small)]) == 0
    assert counts(ready)["observations"] == 1


# ---------------------------------------------------------------------- a full temp disk

FULL = OSError(errno.ENOSPC, "No space left on device")


def test_a_full_temporary_disk_while_unpacking_is_named_as_such(
    ready, capsys, tmp_path, monkeypatch
):
    source = require_shared("data", "policeuk", "2024-01-lancashire-street.csv")
    path = tmp_path / "police.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(source, f"2024-01/{source.name}")
    opened = Path.open

    def full(self, mode="r", *args, **kwargs):
        if "w" in mode and self.name.startswith("member-"):
            raise FULL
        return opened(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full)
    before = counts(ready)
    err, _ = refused(capsys, "load", str(path))
    assert (
        f"police.zip:2024-01/{source.name}: the server's temporary folder is full (no space left "
        "on its disk while unpacking it): nothing was loaded" in err
    )
    assert "not a readable .zip archive" not in err
    assert counts(ready) == before and left_in_temp() == []


def test_a_full_temporary_disk_while_checking_is_named_as_such(ready, capsys, monkeypatch):
    source = require_shared("data", "policeuk", "2024-01-lancashire-street.csv")

    def full(*_args, **_kwargs):
        raise FULL

    monkeypatch.setattr(pickle, "dump", full)  # the checked records kept on disk
    before = counts(ready)
    err, _ = refused(capsys, "load", str(source))
    assert (
        f"{source}:0:(file): the server's temporary folder is full (no space left on its disk "
        "while checking it): nothing was loaded" in err
    )
    assert counts(ready) == before


# ------------------------------------------------------------ pass 2 and the Data page


def test_an_archive_changed_after_its_check_loads_nothing_of_the_month(ready, tmp_path):
    """Pass 2 hashes each file again from the zip (nothing written to disk): a zip changed
    since its check is refused and the month's transaction rolled back."""
    import ingest
    from ingest.archive import open_archive
    from ingest.load import load_month

    source = require_shared("data", "policeuk", "2024-01-lancashire-street.csv")
    path = tmp_path / "police.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(source, f"2024-01/{source.name}")
    catalogue = get_catalogue()
    with open_archive(path, catalogue=catalogue) as archive:
        month = archive.months[0]
        plans = [
            archive.check(where, lambda p, n=name: inspect(p, catalogue=catalogue, name=n))
            for name, where in month.files
        ]
        assert all(plan.ok for plan in plans) and left_in_temp() == []
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:  # changed meanwhile
            zipped.writestr(f"2024-01/{source.name}", source.read_text()[:-200])
        before = counts(ready)
        with pytest.raises(ingest.FileChanged, match="changed after it was checked"):
            load_month(
                engine=ready.engine, catalogue=catalogue, month=month, plans=plans, actor="tests"
            )
        assert counts(ready) == before


@pytest.fixture
def page(ready):  # noqa: ARG001 (a fixture needs `ready`'s store in use)
    from tests.test_data_page import open_data

    return open_data()


def upload(at, name: str, data: bytes):
    from tests.test_data_page import rerun

    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    return rerun(at)


def test_the_data_page_refuses_a_zip_bomb_by_its_directory(page, tmp_path):
    from tests.test_data_page import metrics, texts

    path = hostile.archive(tmp_path / "p.zip", {STREET: hostile.bomb_member(200 * MB)})
    at = upload(page, "police.zip", path.read_bytes())
    assert len(at.error) == 1
    assert (
        f"`police.zip`:{STREET}: is declared to unpack to more than 100 times"
        in (texts(at.error)[0])
    )
    assert texts(at.error)[0].endswith("nothing was unpacked or loaded. Nothing was written.")
    assert left_in_temp() == [] and metrics(at)["Loads"] == "0"


def test_the_data_page_names_a_full_temporary_disk(page, monkeypatch):
    from tests.test_data_page import metrics, texts

    def full(_self, _data):
        raise FULL

    monkeypatch.setattr(Path, "write_bytes", full)
    at = upload(page, "police.zip", b"PK\x05\x06" + bytes(18))
    assert texts(at.error) == [
        "`police.zip`: the server's temporary folder is full (no space left on its disk while "
        "saving the upload): nothing was loaded. Free space in the temporary folder, or ask "
        "whoever runs the server for a larger one, then load the file again. Nothing was "
        "written."
    ]
    assert metrics(at)["Loads"] == "0"


def test_the_data_page_refuses_a_huge_cell_naming_row_and_column(page, tmp_path):
    from tests.test_data_page import frame, metrics

    path = hostile.workbook(tmp_path / "r.xlsx", [hostile.ROW], huge=50 * MB, shared=True)
    at = upload(page, "return.xlsx", path.read_bytes())
    problem = frame(at, "File").to_dict("records")
    assert [(p["Row"], p["Column"]) for p in problem] == [(2, "note")]
    assert problem[0]["Problem"].startswith("sheet 'Return', cell H2: its text is more than")
    assert metrics(at)["Loads"] == "0"
