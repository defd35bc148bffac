"""Writing data: loads, fast bulk inserts, removal of demonstration data, and the audit log."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Date, DateTime, Dialect, Table, and_, delete, exists, func, select
from sqlalchemy.orm import Session

from db.models import AsbIncident, AuditEntry, IncidentHours, IncidentMonth, Load, Observation
from db.models.comment import CommentaryDecision, CommentaryVersion
from db.models.dip import DipAnswer, DipCase, DipSample
from db.models.followup import DipFollowUp

BATCH_ROWS = 20_000
KEY = ("measure_code", "area", "month", "version")  # of a commentary version


def audit(*, session: Session, actor: str, action: str, entity: str, detail: str) -> None:
    """Record a change to data or targets."""
    session.add(
        AuditEntry(
            at=datetime.now().replace(microsecond=0),
            actor=actor,
            action=action,
            entity=entity,
            detail=detail,
        )
    )


def record_load(
    *,
    session: Session,
    source: str,
    file_name: str,
    file_hash: str,
    rows: int,
    loaded_by: str,
    is_demo: bool,
    summary: str = "",
) -> Load:
    """Create the load that the rows written next will point to."""
    load = Load(
        source=source,
        file_name=file_name,
        file_hash=file_hash,
        rows=rows,
        loaded_by=loaded_by,
        loaded_at=datetime.now().replace(microsecond=0),
        is_demo=is_demo,
        summary=summary,
    )
    session.add(load)
    session.flush()
    return load


# How a datetime64 column is written as text for a Date or DateTime column: the forms
# SQLAlchemy's own SQLite conversion writes (and PostgreSQL's COPY reads), made for the
# whole column at once instead of value by value
TEXT_FORMATS = {Date: "%Y-%m-%d", DateTime: "%Y-%m-%d %H:%M:%S.%f"}


def _columns(frame: pd.DataFrame, table: Table, dialect: Dialect, *, process: bool) -> list[list]:
    """Each column as a list of plain Python values (NaN as None), passed through the column
    type's own conversion for the database when `process` is set."""
    columns = []
    for name in frame.columns:
        series = frame[name]
        column_type = table.c[name].type
        text_format = TEXT_FORMATS.get(type(column_type))
        if series.dtype.kind == "M" and text_format:
            values = series.dt.strftime(text_format)
            columns.append(values.astype(object).where(series.notna(), None).tolist())
            continue
        if series.dtype.kind == "b" and process:  # as the Boolean type binds them: 0 and 1
            columns.append(series.astype(np.int8).tolist())  # (sqlite3 binds an int, not a
            continue  # bool, without looking for an adapter: a third of the insert's time)
        if series.dtype.kind in "biu":  # no missing values; the drivers take them as they are
            columns.append(series.tolist())
            continue
        values = series.to_numpy(dtype=object, na_value=None).tolist()
        impl = column_type.dialect_impl(dialect)
        processor = impl.bind_processor(dialect) if process else None
        if processor is not None:
            values = [None if v is None else processor(v) for v in values]
        columns.append(values)
    return columns


def bulk_insert(*, session: Session, table: Table, frame: pd.DataFrame) -> int:
    """Insert every row of `frame` (columns named as the table's) in the session's transaction.
    PostgreSQL uses COPY; other databases use the driver's executemany in batches, bypassing
    per-row ORM work. Returns the rows written."""
    if frame.empty:
        return 0
    names = list(frame.columns)
    connection = session.connection()
    dialect = connection.dialect
    raw = connection.connection.driver_connection
    if dialect.name == "postgresql":
        rows = zip(*_columns(frame, table, dialect, process=False), strict=True)
        statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return len(frame)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([marker] * len(names))})"
    )
    cursor = raw.cursor()
    try:
        for start in range(0, len(frame), BATCH_ROWS):
            chunk = frame.iloc[start : start + BATCH_ROWS]
            cursor.executemany(
                statement, list(zip(*_columns(chunk, table, dialect, process=True), strict=True))
            )
    finally:
        cursor.close()
    return len(frame)


def remove_demo_data(*, session: Session, actor: str) -> int:
    """Delete every demonstration load and the rows it added, the demonstration dip-samples
    and commentary; real loads and samples are never touched. Returns the number of demo loads
    removed."""
    demo_ids = select(Load.id).where(Load.is_demo.is_(True))
    count = session.scalar(select(func.count()).select_from(Load).where(Load.is_demo.is_(True)))
    if not count:
        return 0
    plain = {"synchronize_session": False}
    demo_samples = select(DipSample.id).where(DipSample.is_demo.is_(True))
    demo_cases = select(DipCase.id).where(DipCase.sample_id.in_(demo_samples))
    for statement in (  # the demonstration samples first: their cases are demo incidents
        delete(DipAnswer).where(DipAnswer.case_id.in_(demo_cases)),
        delete(DipFollowUp).where(DipFollowUp.case_id.in_(demo_cases)),
        delete(DipCase).where(DipCase.sample_id.in_(demo_samples)),
        delete(DipSample).where(DipSample.is_demo.is_(True)),
        delete(Observation).where(Observation.load_id.in_(demo_ids)),
    ):
        session.execute(statement, execution_options=plain)
    for model in (IncidentHours, IncidentMonth, AsbIncident):
        session.execute(delete(model).where(model.load_id.in_(demo_ids)), execution_options=plain)
    session.execute(delete(Load).where(Load.is_demo.is_(True)), execution_options=plain)
    demo_version = and_(  # decisions on demonstration commentary go with it
        CommentaryVersion.is_demo.is_(True),
        *(getattr(CommentaryVersion, c) == getattr(CommentaryDecision, c) for c in KEY),
    )
    session.execute(delete(CommentaryDecision).where(exists().where(demo_version)))
    demo_notes = delete(CommentaryVersion).where(CommentaryVersion.is_demo.is_(True))
    session.execute(demo_notes, execution_options=plain)
    audit(
        session=session,
        actor=actor,
        action="demo removed",
        entity="loads",
        detail=f"{count} demonstration load(s) removed",
    )
    return count
