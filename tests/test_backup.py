"""Backup and restore (`db.backup`, `manage.py backup|restore`) on SQLite and PostgreSQL: every
table's rows come back equal, across databases too; a backup taken while a load is written
holds the store from before it; a damaged file, or one of another schema revision, is refused
and changes nothing."""

from __future__ import annotations

import json
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, select, update

import manage
import scoring
from config import get_catalogue
from db.backup import BackupRefused, backup, restore, tables
from db.dipsamples import Population
from db.engine import read_scope, session_scope
from db.migrate import current_revision, head_revision
from db.models import ScoreState
from db.store import init_store
from dipsampling import draw, record
from tests.conftest import BACKENDS, Store, require_shared, table_counts
from tests.test_concurrency import RETURNS, load
from tests.test_dipsampling import extract

DIP_AREAS = ("Burnley", "Wyre")


def fill(store: Store, folder: Path) -> None:
    """A store with a row in nearly every table: incidents, a police.uk street file, monthly
    returns, an undone load, a dip sample with answers, and stored scores."""
    catalogue = get_catalogue()
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    load(store.engine, extract(folder / "incidents.csv"))
    load(store.engine, require_shared("data", "policeuk", "2024-01-lancashire-street.csv"))
    returns = folder / "returns.csv"
    returns.write_text(RETURNS)
    from db.writes import unload

    unload(engine=store.engine, catalogue=catalogue, load_id=load(store.engine, returns).load_id,
           actor="tests")  # fmt: skip
    codes = tuple(d.ons_code for d in catalogue.geography.district if d.name in DIP_AREAS)
    of = Population(date(2025, 1, 1), date(2025, 1, 1), codes)
    with session_scope(store.engine) as session:
        sample = draw(session=session, catalogue=catalogue, of=of, actor="tests", size=5, seed=3)
        given = {"position": [1, 2], "question": ["verdict"] * 2, "answer": ["appropriate"] * 2}
        record(session=session, actor="tests", sample_id=sample.sample_id,
               given=_frame(given, note=["", "checked"]))  # fmt: skip
    scoring.refresh(engine=store.engine, catalogue=catalogue, workers=1)


def _frame(columns: dict, **more):
    import pandas as pd

    return pd.DataFrame({**columns, **more})


def contents(engine) -> dict[str, list[tuple]]:
    """Every table's rows in primary-key order, without the audit entry a restore adds."""
    found = {}
    with read_scope(engine) as session:
        for table in tables():
            order = list(table.primary_key.columns) or list(table.columns)
            rows = session.execute(select(table).order_by(*order)).all()
            if table.name == "audit_log":
                rows = [r for r in rows if r.action != "restored"]
            found[table.name] = [tuple(r) for r in rows]
    return found


@pytest.fixture(scope="module")
def _filled_sqlite(tmp_path_factory):
    folder = tmp_path_factory.mktemp("filled-sqlite")
    made = Store("sqlite", folder)
    fill(made, folder)
    made.backup = folder / "backup.zip"
    backup(engine=made.engine, path=made.backup)
    yield made
    made.close()


@pytest.fixture(scope="module", params=BACKENDS)
def filled(request, tmp_path_factory, _filled_sqlite):
    """A filled store on each backend and its backup, shared by the tests that change nothing
    (a refused restore) or put it back as it was (a round trip). PostgreSQL's is restored
    from SQLite's backup (computing the stored scores again would double the time)."""
    if request.param == "sqlite":
        yield _filled_sqlite
        return
    folder = tmp_path_factory.mktemp("filled-postgresql")
    made = Store("postgresql", folder)
    init_store(engine=made.engine, catalogue=get_catalogue(), actor="tests")
    restore(engine=made.engine, path=_filled_sqlite.backup, actor="tests")
    made.backup = folder / "backup.zip"
    backup(engine=made.engine, path=made.backup)
    yield made
    made.close()


def test_every_non_empty_table_is_in_the_backup_with_its_rows(filled):
    with zipfile.ZipFile(filled.backup) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    counts = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    assert manifest["revision"] == current_revision(filled.engine) == head_revision()
    with read_scope(filled.engine) as session:
        assert counts == table_counts(session=session)
    empty = sorted(name for name, n in counts.items() if n == 0)
    assert empty == [
        "access_tokens",
        "account_areas",
        "accounts",
        "board_actions",
        "commentary",
        "commentary_decision",
        "crime_outcomes",
        "dip_follow_ups",
        "publication",
        "published_figure",
        "revision_changes",
        "revisions",
        "signin_throttle",
        "web_sessions",
    ]


def test_a_restore_puts_back_every_row_and_ids_continue_after_it(filled, tmp_path):
    before = contents(filled.engine)
    later = tmp_path / "later.csv"
    later.write_text(RETURNS.replace("Burnley", "Wyre"))
    added = load(filled.engine, later).load_id
    summary = restore(engine=filled.engine, path=filled.backup, actor="tests")
    assert contents(filled.engine) == before
    assert summary.rows["loads"] == 3 < added
    again = load(filled.engine, later)  # the ids continue after the restored ones
    assert not again.already_loaded and again.load_id > 3
    restore(engine=filled.engine, path=filled.backup, actor="tests")


@pytest.mark.parametrize("filled", ["sqlite"], indirect=True)
def test_a_sqlite_backup_restores_into_postgresql_and_back(filled, tmp_path):
    other, back = Store("postgresql", tmp_path), Store("sqlite", tmp_path)
    try:
        for made in (other, back):
            init_store(engine=made.engine, catalogue=get_catalogue(), actor="tests")
        restore(engine=other.engine, path=filled.backup, actor="tests")
        assert contents(other.engine) == contents(filled.engine)
        backup(engine=other.engine, path=tmp_path / "from-postgresql.zip")
        restore(engine=back.engine, path=tmp_path / "from-postgresql.zip", actor="tests")
        assert contents(back.engine) == contents(filled.engine)
    finally:
        other.close()
        back.close()


def test_a_backup_taken_while_a_load_is_written_holds_the_store_before_it(store, tmp_path):
    """The load is run, whole, after the backup has read its first tables (loads among them)
    and before it reads the figures: the backup must hold neither its load nor its figures."""
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    load(store.engine, extract(tmp_path / "incidents.csv"))
    before = contents(store.engine)
    returns = tmp_path / "returns.csv"
    returns.write_text(RETURNS)
    reading = threading.get_ident()
    loaded = []

    def load_now(_conn, _cursor, statement, *_) -> None:
        if threading.get_ident() == reading and "FROM observations" in statement and not loaded:
            writer = threading.Thread(target=lambda: loaded.append(load(store.engine, returns)))
            writer.start()
            writer.join()

    event.listen(store.engine, "before_cursor_execute", load_now)
    try:
        backup(engine=store.engine, path=tmp_path / "during.zip")
    finally:
        event.remove(store.engine, "before_cursor_execute", load_now)
    assert not loaded[0].already_loaded
    after = contents(store.engine)
    assert len(after["loads"]) == 2
    backup(engine=store.engine, path=tmp_path / "after.zip")
    for name, expected in (("during.zip", before), ("after.zip", after)):
        restore(engine=store.engine, path=tmp_path / name, actor="tests")
        assert contents(store.engine) == expected, name


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the backup `source` with `change(name, data) -> data | None` applied to each
    member (None leaves it out)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return target


def _manifest_with(**values):
    def change(name, data):
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), **values}).encode()

    return change


def _truncated(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes()[: source.stat().st_size // 2])


def _flipped(source: Path, target: Path) -> None:
    """A byte changed inside the compressed data of the largest table (the zip's own check)."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        member = max(archive.infolist(), key=lambda info: info.compress_size)
    middle = member.header_offset + 30 + len(member.filename) + member.compress_size // 2
    data[middle] ^= 0xFF
    target.write_bytes(bytes(data))


DAMAGE = {
    "truncated": (_truncated, "not a readable backup file"),
    "a byte flipped": (_flipped, "not a readable backup file"),
    "a row changed": (
        lambda source, target: _rewrite(
            source,
            target,
            lambda name, data: (
                data.replace(b"Burnley", b"Burnlee") if name == "tables/districts.jsonl" else data
            ),
        ),
        "tables/districts.jsonl does not match its checksum",
    ),
    "a table left out": (
        lambda source, target: _rewrite(
            source, target, lambda name, data: None if name == "tables/loads.jsonl" else data
        ),
        "tables/loads.jsonl is missing",
    ),
    "no manifest": (
        lambda source, target: _rewrite(
            source, target, lambda name, data: None if name == "manifest.json" else data
        ),
        "no manifest.json: not a backup of this dashboard",
    ),
    "another revision": (
        lambda source, target: _rewrite(source, target, _manifest_with(revision="0009")),
        f"the backup has schema revision 0009, the store {head_revision()}",
    ),
    "not a zip": (
        lambda _source, target: target.write_text("measure,month\n"),
        "not a readable backup file",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_bad_backup_is_refused_and_changes_nothing(filled, tmp_path, damage):
    make, message = DAMAGE[damage]
    bad = tmp_path / "bad.zip"
    make(filled.backup, bad)
    before = contents(filled.engine)
    with pytest.raises(BackupRefused, match=message):
        restore(engine=filled.engine, path=bad, actor="tests")
    assert contents(filled.engine) == before


def test_manage_backup_and_restore(filled, use_store, capsys, tmp_path):
    use_store(filled)
    path = tmp_path / "store.zip"
    with read_scope(filled.engine) as session:
        rows = sum(table_counts(session=session).values())
    said = f"{rows:,} rows in {len(tables())} tables (schema revision {head_revision()}).\n"
    assert manage.main(["backup", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: backed up {said}"
    assert manage.main(["backup", str(path)]) == 1
    assert capsys.readouterr().err == f"{path}: already exists: choose a new file name\n"
    stale = tmp_path / "stale.zip"  # a backup whose stored scores are not current
    with session_scope(filled.engine) as session:
        session.execute(update(ScoreState).values(version="of another day"))
    assert not scoring.is_current(engine=filled.engine, catalogue=get_catalogue())
    backup(engine=filled.engine, path=stale)
    with read_scope(filled.engine) as session:  # with the two commands above, audited
        rows = sum(table_counts(session=session).values())
    said = f"{rows:,} rows in {len(tables())} tables (schema revision {head_revision()}).\n"
    assert manage.main(["restore", str(stale)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{stale}: restored {said}"
    assert "Scores up to date for" in err
    assert scoring.is_current(engine=filled.engine, catalogue=get_catalogue())
    bad = tmp_path / "bad.zip"
    bad.write_text("not a backup")
    assert manage.main(["restore", str(bad)]) == 1
    assert capsys.readouterr().err.startswith(f"{bad}: not a readable backup file (")
    restore(engine=filled.engine, path=filled.backup, actor="tests")  # as the others had it
