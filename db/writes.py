"""Writing checked files to the store, and undoing a load: each in one transaction.

A load is refused as "already loaded" when the same bytes were loaded before (and not undone);
otherwise it removes any demonstration data, stores its records, derives the monthly figures
from the stored records (`db.derive`; monthly returns give figures as figures), records the
file's data-quality facts and any month it republishes (`db.revisions`), and brings `shown` up
to date (`db.priority`). `unload` deletes exactly the rows a load added, which brings back
whatever it had replaced. A dry run does all of it and rolls back: what a file would change is
worked out by the same code that changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, FromClause, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config import Catalogue
from config.vocabulary import FileLayout
from db import aggregates
from db.aggregates import IncidentCounts
from db.derive import incident_observations, months_touched_by_outcomes, policeuk_observations
from db.engine import session_scope
from db.history import preview
from db.loads import audit, bulk_insert, record_load, remove_demo_data
from db.models import (
    AsbIncident,
    Crime,
    CrimeOutcome,
    IncidentHours,
    IncidentMonth,
    Load,
    LoadFact,
    Observation,
)
from db.priority import refresh_incidents_shown, refresh_shown, replaced_by
from db.revisions import RevisionNote, counted, record_revisions, write_quality

SAME_BYTES_INDEX = "ix_loads_file_hash_current"  # PostgreSQL names it; SQLite the column
RECORD_TABLES: dict[str, FromClause] = {
    FileLayout.POLICEUK_STREET: Crime.__table__,
    FileLayout.POLICEUK_OUTCOMES: CrimeOutcome.__table__,
    FileLayout.INCIDENTS: AsbIncident.__table__,
}
# Rows a load adds, deleted by `unload`. Its revision records stay: the history of a month
# shows a revision that was undone (with the load's `undone_at`).
DATA_TABLES = (
    LoadFact, Observation, IncidentHours, IncidentMonth, AsbIncident, Crime, CrimeOutcome
)  # fmt: skip


class RecordsMismatch(RuntimeError):
    """Pass 2 gave other records than pass 1 checked (the load is rolled back)."""


class UnloadRefused(ValueError):
    """An undo that would leave the store inconsistent (the message says what to do)."""


@dataclass(frozen=True)
class FileToLoad:
    """A checked file: who it is, what it holds, and how to get its records (pass 2).
    `observations` are the figures of a file that gives figures (monthly returns), else None;
    `quality` the data-quality facts per (month, fact)."""

    file_name: str
    file_hash: str
    kind: str
    source: str
    rows: int
    months: list[date]
    facts: dict[str, int]
    records: Callable[[], Iterable[pd.DataFrame]]  # in batches, columns named as the table's
    observations: pd.DataFrame | None = None
    quality: dict[tuple[date, str], int] = field(default_factory=dict)
    expected_records: int | None = None  # what pass 1 counted: pass 2 must write as many
    incident_counts: IncidentCounts | None = None  # an incident extract's, from pass 1


@dataclass(frozen=True)
class LoadResult:
    file_name: str
    load_id: int
    already_loaded: bool = False
    records: int = 0
    observations: int = 0
    replaced: dict[int, tuple[int, int]] = field(default_factory=dict)
    demo_removed: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    revisions: tuple[RevisionNote, ...] = ()
    preview: pd.DataFrame | None = None  # a dry run's: what the load would change

    def message(self) -> str:
        if self.already_loaded:
            return (
                f"{self.file_name}: already loaded (load {self.load_id}, the same bytes); "
                "nothing changed."
            )
        parts = [f"{self.file_name}: loaded as load {self.load_id}"]
        parts += [f"{fact}: {n:,}" for fact, n in self.facts.items()]
        parts.append(f"monthly figures written: {self.observations:,}")
        for earlier, (figures, changed) in sorted(self.replaced.items()):
            parts.append(
                f"replaced {counted(figures, 'figure')} of load {earlier} ({changed:,} changed)"
            )
        parts += [note.message() for note in self.revisions]
        text = "; ".join(parts) + "."
        if self.demo_removed:
            text += " The demonstration data were removed: the dashboard now shows real loads only."
        return text


class _DryRun(Exception):
    def __init__(self, result: LoadResult) -> None:
        self.result = result


def load_file(
    *, engine: Engine, catalogue: Catalogue, file: FileToLoad, actor: str, dry_run: bool = False
) -> LoadResult:
    """Write one checked file in a single transaction (see the module docstring); with
    `dry_run`, roll it back and return what it would have done, `preview` included."""
    return load_files(
        engine=engine, catalogue=catalogue, files=[file], actor=actor, dry_run=dry_run
    )[0]


def load_files(
    *,
    engine: Engine,
    catalogue: Catalogue,
    files: list[FileToLoad],
    actor: str,
    dry_run: bool = False,
) -> list[LoadResult]:
    """Write several checked files (a month of an archive: street, then outcomes) in one
    transaction: all of them or none. A file loaded by someone else at the same moment (the
    database refuses a second load of the same bytes: migration 0010) is tried once more, and
    found "already loaded" like any file loaded before."""
    try:
        return _load_all(engine, catalogue, files, actor, dry_run)
    except IntegrityError as error:
        if SAME_BYTES_INDEX not in str(error.orig) and "loads.file_hash" not in str(error.orig):
            raise
    return _load_all(engine, catalogue, files, actor, dry_run)


def _load_all(
    engine: Engine, catalogue: Catalogue, files: list[FileToLoad], actor: str, dry_run: bool
) -> list[LoadResult]:
    try:
        with session_scope(engine) as session:
            results = [_load(session, catalogue, f, actor, dry_run) for f in files]
            if dry_run:
                raise _DryRun(results[0])
    except _DryRun as done:
        return [done.result]
    return results


def _load(
    session: Session, catalogue: Catalogue, file: FileToLoad, actor: str, dry_run: bool
) -> LoadResult:
    same = session.scalar(
        select(Load.id).where(Load.file_hash == file.file_hash, Load.undone_at.is_(None))
    )
    if same is not None:
        return LoadResult(file.file_name, same, already_loaded=True)
    demo_removed = remove_demo_data(session=session, actor=actor)
    load = record_load(
        session=session,
        source=file.source,
        file_name=file.file_name[:255],
        file_hash=file.file_hash,
        rows=file.rows,
        loaded_by=actor,
        is_demo=False,
    )
    load.kind = file.kind
    records = _write_records(session, file, load.id)
    if file.incident_counts is not None:
        aggregates.add_counts(session=session, load_id=load.id, counts=file.incident_counts)
    if file.expected_records is not None and records != file.expected_records:
        raise RecordsMismatch(
            f"{file.file_name}: {records:,} records read for writing but {file.expected_records:,}"
            " checked: nothing was written; load it again"
        )
    write_quality(session=session, load_id=load.id, quality=file.quality)
    facts = dict(file.facts)
    observations, months = _observations(session, catalogue, file, load.id, facts)
    load.first_month, load.last_month = (min(months), max(months)) if months else (None, None)
    revisions: list[RevisionNote] = []
    if file.kind == FileLayout.POLICEUK_STREET:
        revisions = record_revisions(
            session=session, load_id=load.id, months=file.months, observations=observations
        )
    changes = (
        preview(session=session, catalogue=catalogue, observations=observations, source=file.source)
        if dry_run
        else None
    )
    written = bulk_insert(
        session=session, table=Observation.__table__, frame=observations.assign(load_id=load.id)
    )
    replaced = replaced_by(
        session=session, catalogue=catalogue, load_id=load.id, source=file.source
    )
    refresh_shown(session=session, catalogue=catalogue, measures=observations["measure_code"])
    if file.kind == FileLayout.INCIDENTS:
        refresh_incidents_shown(session=session, months=months)
    result = LoadResult(
        file_name=file.file_name,
        load_id=load.id,
        records=records,
        observations=written,
        replaced=replaced,
        demo_removed=demo_removed,
        facts=facts,
        revisions=tuple(revisions),
        preview=changes,
    )
    load.summary = result.message()
    audit(session=session, actor=actor, action="loaded", entity="loads", detail=load.summary)
    for note in revisions:  # a republished month: its own entry, to find revisions by action
        detail = f"load {load.id} ({file.file_name}): {note.message()}"
        audit(session=session, actor=actor, action="month revised", entity="loads", detail=detail)
    return result


def _write_records(session: Session, file: FileToLoad, load_id: int) -> int:
    table = RECORD_TABLES.get(file.kind)
    if table is None:
        return 0
    written = 0
    for batch in file.records():
        written += bulk_insert(session=session, table=table, frame=batch.assign(load_id=load_id))
    return written


def _observations(
    session: Session,
    catalogue: Catalogue,
    file: FileToLoad,
    load_id: int,
    facts: dict[str, int],
) -> tuple[pd.DataFrame, list[date]]:
    """The load's monthly figures, derived from the records just written (or given by a
    monthly return), and every month they cover."""
    months = list(file.months)
    if file.kind == FileLayout.POLICEUK_STREET:
        frame = policeuk_observations(session=session, catalogue=catalogue, months=months)
    elif file.kind == FileLayout.POLICEUK_OUTCOMES:
        crime_months, matched = months_touched_by_outcomes(session=session, load_id=load_id)
        facts["crimes in the store given an outcome"] = matched
        frame = policeuk_observations(
            session=session, catalogue=catalogue, months=crime_months, outcomes_only=True
        )
        months = sorted(set(months) | set(crime_months))
    elif file.kind == FileLayout.INCIDENTS:
        frame = incident_observations(
            catalogue=catalogue, counts=file.incident_counts.flags, load_id=load_id
        )
    else:
        frame = file.observations
    return frame.drop(columns=["load_id"], errors="ignore"), months


def unload(*, engine: Engine, catalogue: Catalogue, load_id: int, actor: str) -> str:
    """Remove exactly what load `load_id` added, restoring the figures it replaced. Refused
    while a later load from the same source covers any of its months (undo that first)."""
    with session_scope(engine) as session:
        load = session.get(Load, load_id)
        if load is None:
            raise UnloadRefused(f"there is no load {load_id}")
        if load.undone_at is not None:
            raise UnloadRefused(f"load {load_id} was already undone on {load.undone_at:%d %b %Y}")
        later = _later_overlapping(session, load)
        if later:
            raise UnloadRefused(
                f"load {load_id} cannot be undone while later load(s) "
                f"{', '.join(map(str, later))} from {load.source} cover the same months: "
                "undo those first"
            )
        measures = session.scalars(
            select(Observation.measure_code).where(Observation.load_id == load_id).distinct()
        ).all()
        months = session.scalars(
            select(IncidentMonth.month).where(IncidentMonth.load_id == load_id)
        ).all()
        removed = {}
        for model in DATA_TABLES:
            result = session.execute(
                delete(model).where(model.load_id == load_id),
                execution_options={"synchronize_session": False},
            )
            removed[model.__tablename__] = result.rowcount
        session.execute(
            update(Load)
            .where(Load.id == load_id)
            .values(undone_at=datetime.now().replace(microsecond=0), undone_by=actor)
        )
        refresh_shown(session=session, catalogue=catalogue, measures=measures)
        refresh_incidents_shown(session=session, months=months)
        detail = f"load {load_id} ({load.file_name}) undone: removed " + ", ".join(
            f"{n:,} {table}" for table, n in removed.items() if n
        )
        audit(session=session, actor=actor, action="unloaded", entity="loads", detail=detail)
    return detail + "; any figures it had replaced are shown again."


def _later_overlapping(session: Session, load: Load) -> list[int]:
    if load.first_month is None:
        return []
    return list(
        session.scalars(
            select(Load.id).where(
                Load.id > load.id,
                Load.source == load.source,
                Load.undone_at.is_(None),
                Load.first_month <= load.last_month,
                Load.last_month >= load.first_month,
            )
        )
    )
