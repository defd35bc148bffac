"""Backing up the whole store to one file, and restoring it, on either database.

A backup is a zip file: `manifest.json` (format, schema revision, when, from which database,
and per table its columns, row count and the SHA-256 of its file) and one JSON-lines file per
table (`tables/NAME.jsonl`, a JSON array of the row's values in column order, ordered by
primary key). Dates and times are ISO text and binary values base64, so a backup of SQLite
restores into PostgreSQL and back. It is taken in one reading transaction (one snapshot: a
load being written while it runs is in it whole or not at all), so the dashboard keeps running.

A restore checks the whole file first (manifest, every checksum, the schema revision equal to
the store's) and then replaces every table's rows in one writing transaction, resetting
PostgreSQL's sequences: a bad file is refused with a message and changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, Engine, LargeBinary, Table, delete, func, select, text
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session

import db.models.account
import db.models.comment
import db.models.dip  # noqa: F401 (every table's model in the metadata)
from db.engine import read_scope, session_scope
from db.models import Base

FORMAT = "asb-dashboard-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH_ROWS = 10_000
ALEMBIC_VERSION = text("SELECT version_num FROM alembic_version")


class BackupRefused(ValueError):
    """A backup file that cannot be restored (the message says why); nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    revision: str
    rows: dict[str, int]  # per table

    def message(self, verb: str) -> str:
        total = sum(self.rows.values())
        return (
            f"{self.path}: {verb} {total:,} rows in {len(self.rows)} tables "
            f"(schema revision {self.revision})."
        )


def tables() -> list[Table]:
    """Every table of the store, parents before the tables that refer to them."""
    return list(Base.metadata.sorted_tables)


def _encoder(column) -> Callable:
    if isinstance(column.type, Date | DateTime):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(column.type, LargeBinary):
        return lambda v: None if v is None else base64.b64encode(v).decode("ascii")
    return lambda v: v


def _decoder(column) -> Callable:
    if isinstance(column.type, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column.type, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(column.type, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return lambda v: v


def backup(*, engine: Engine, path: Path) -> BackupSummary:
    """Write every table of the store at `engine` to `path` (see the module docstring). The
    file appears whole or not at all (written beside it, then renamed)."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    manifest: dict = {"format": FORMAT, "version": FORMAT_VERSION, "tables": {}}
    try:
        with (
            read_scope(engine) as session,
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            manifest["revision"] = session.scalar(ALEMBIC_VERSION)
            manifest["database"] = engine.dialect.name
            manifest["taken_at"] = datetime.now().replace(microsecond=0).isoformat()
            for table in tables():
                manifest["tables"][table.name] = _write_table(session, archive, table)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    rows = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    return BackupSummary(path, manifest["revision"], rows)


def _write_table(session: Session, archive: zipfile.ZipFile, table: Table) -> dict:
    columns = list(table.columns)
    encoders = [_encoder(c) for c in columns]
    order = list(table.primary_key.columns) or columns
    statement = select(*columns).order_by(*order)
    digest, rows = hashlib.sha256(), 0
    with archive.open(f"tables/{table.name}.jsonl", "w") as member:
        result = session.execute(statement, execution_options={"yield_per": BATCH_ROWS})
        for row in result:
            line = json.dumps([f(v) for f, v in zip(encoders, row, strict=True)]) + "\n"
            data = line.encode("utf-8")
            member.write(data)
            digest.update(data)
            rows += 1
    return {"columns": [c.name for c in columns], "rows": rows, "sha256": digest.hexdigest()}


def read_manifest(path: Path, *, store_revision: str | None) -> dict:
    """The manifest of the backup at `path` after checking the file whole: every table of
    this version present with its columns, every checksum and row count right, and the schema
    revision the store's. Raises BackupRefused naming the problem."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive, path)
            _check_revision(manifest, path, store_revision)
            for table in tables():
                _check_table(archive, manifest, table, path)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
        if isinstance(error, BackupRefused):
            raise
        raise BackupRefused(f"{path}: not a readable backup file ({error})") from error
    return manifest


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise BackupRefused(f"{path}: no {MANIFEST}: not a backup of this dashboard") from error
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("tables"), dict)
    ):
        raise BackupRefused(f"{path}: {MANIFEST} is not a backup manifest of this dashboard")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupRefused(
            f"{path}: backup format {manifest.get('version')!r}; this version reads "
            f"format {FORMAT_VERSION}"
        )
    return manifest


def _check_revision(manifest: dict, path: Path, store_revision: str | None) -> None:
    if store_revision is None:
        raise BackupRefused(
            "The store has no schema yet: run `python manage.py init` first, then restore."
        )
    if manifest.get("revision") != store_revision:
        raise BackupRefused(
            f"{path}: the backup has schema revision {manifest.get('revision')}, the store "
            f"{store_revision}: restore it with the dashboard's version of that revision (or "
            "bring both to the same version first); nothing was changed."
        )


def _check_table(archive: zipfile.ZipFile, manifest: dict, table: Table, path: Path) -> None:
    entry = manifest["tables"].get(table.name)
    if entry is None:
        raise BackupRefused(f"{path}: table {table.name} is missing from the backup")
    if entry.get("columns") != [c.name for c in table.columns]:
        raise BackupRefused(
            f"{path}: table {table.name} has columns {entry.get('columns')}, the store "
            f"{[c.name for c in table.columns]}"
        )
    digest, rows = hashlib.sha256(), 0
    if f"tables/{table.name}.jsonl" not in archive.namelist():
        raise BackupRefused(f"{path}: tables/{table.name}.jsonl is missing: the file is damaged")
    with archive.open(f"tables/{table.name}.jsonl") as member:
        for line in member:
            digest.update(line)
            rows += 1
    if digest.hexdigest() != entry.get("sha256") or rows != entry.get("rows"):
        raise BackupRefused(
            f"{path}: tables/{table.name}.jsonl does not match its checksum ({rows:,} rows, "
            f"{entry.get('rows')} listed): the file is damaged"
        )


def restore(*, engine: Engine, path: Path, actor: str) -> BackupSummary:
    """Replace the whole store's contents by the backup at `path`, in one transaction, after
    checking it whole (`read_manifest`). Records the restore in the audit log."""
    path = Path(path)
    with read_scope(engine) as session:
        revision = session.scalar(ALEMBIC_VERSION) if _has_schema(session) else None
    manifest = read_manifest(path, store_revision=revision)
    try:
        with session_scope(engine) as session, zipfile.ZipFile(path) as archive:
            for table in reversed(tables()):
                session.execute(delete(table))
            for table in tables():
                written = _insert_table(session, archive, table)
                if written != manifest["tables"][table.name]["rows"]:
                    raise BackupRefused(f"{path}: {table.name} changed while it was read")
            _reset_sequences(session)
            _audit(session, actor, path, manifest)
    except (DBAPIError, StatementError, ValueError) as error:
        if isinstance(error, BackupRefused):
            raise
        raise BackupRefused(
            f"{path}: its rows could not be written ({type(error).__name__}: "
            f"{str(error).splitlines()[0]}); nothing was changed"
        ) from error
    rows = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    return BackupSummary(path, manifest["revision"], rows)


def _has_schema(session: Session) -> bool:
    from sqlalchemy import inspect

    return inspect(session.connection()).has_table("alembic_version")


def _insert_table(session: Session, archive: zipfile.ZipFile, table: Table) -> int:
    columns = list(table.columns)
    decoders = [(c.name, _decoder(c)) for c in columns]
    written = 0
    with archive.open(f"tables/{table.name}.jsonl") as member:
        for batch in _batches(member):
            rows = [
                {name: f(v) for (name, f), v in zip(decoders, json.loads(line), strict=True)}
                for line in batch
            ]
            session.execute(table.insert(), rows)
            written += len(rows)
    return written


def _batches(lines) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _reset_sequences(session: Session) -> None:
    """PostgreSQL: each table's id sequence continues after the largest id restored (SQLite
    takes the next id from the rows themselves)."""
    if session.connection().dialect.name != "postgresql":
        return
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        largest = session.scalar(select(func.max(column)))
        session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :value, :called)"),
            {
                "table": table.name,
                "column": column.name,
                "value": largest or 1,
                "called": largest is not None,
            },
        )


def _audit(session: Session, actor: str, path: Path, manifest: dict) -> None:
    from db.loads import audit

    audit(
        session=session,
        actor=actor,
        action="restored",
        entity="store",
        detail=f"the whole store replaced by the backup {path.name} taken at "
        f"{manifest.get('taken_at')} from {manifest.get('database')}",
    )
