"""Republished police.uk months: what a street load replaced, and its data-quality facts.

A street load holding a month that an earlier street load (not undone) already holds is a
revision: its rows replace the earlier rows (the newest load of a month is the one counted,
`db.derive`), and what changed is recorded: the files' rows before and after, the stored
records added and removed (compared as multisets), and every figure that changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import Session

from config.vocabulary import FileKind, FileLayout, QualityFact
from db.loads import bulk_insert
from db.models import Crime, Load, LoadFact, Observation, Revision, RevisionChange
from db.priority import KEY
from db.queries import as_date

ROWS_FACT = QualityFact.ROWS.value
RECORD_KEY = (
    Crime.crime_id,
    Crime.crime_type,
    Crime.district_code,
    Crime.lsoa_code,
    Crime.last_outcome,
)


@dataclass(frozen=True)
class RevisionNote:
    """What one revision changed, for the load summary."""

    month: date
    replaced_load_id: int
    rows_before: int | None
    rows_after: int | None
    added: int
    removed: int
    figures_changed: int

    def message(self) -> str:
        rows = (
            f"{counted(self.rows_before, 'row')} before, {self.rows_after:,} after; "
            if self.rows_before is not None and self.rows_after is not None
            else ""
        )
        return (
            f"{self.month:%Y-%m} republished, replacing load {self.replaced_load_id} ({rows}"
            f"{counted(self.added, 'record')} added, {self.removed:,} removed, "
            f"{counted(self.figures_changed, 'figure')} changed)"
        )


def counted(n: int, noun: str) -> str:
    """A count with its noun: "1 row", "2 rows"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def write_quality(*, session: Session, load_id: int, quality: dict[tuple[date, str], int]) -> None:
    """Store a file's data-quality facts per month (a fact of zero is not stored)."""
    frame = pd.DataFrame(
        [(month, str(fact), n) for (month, fact), n in sorted(quality.items()) if n],
        columns=["month", "fact", "count"],
    )
    bulk_insert(session=session, table=LoadFact.__table__, frame=frame.assign(load_id=load_id))


def _replaced(session: Session, load_id: int, month: date) -> int | None:
    """The newest earlier street load (not undone) holding `month`, by its records or facts."""
    held = union_all(
        select(Crime.load_id.label("load_id")).where(Crime.month == month),
        select(LoadFact.load_id).where(LoadFact.month == month, LoadFact.fact == ROWS_FACT),
    ).subquery()
    return session.scalar(
        select(func.max(held.c.load_id))
        .join(Load, Load.id == held.c.load_id)
        .where(
            held.c.load_id < load_id,
            Load.kind == FileLayout.POLICEUK_STREET,
            Load.undone_at.is_(None),
        )
    )


def _record_changes(session: Session, month: date, new: int, old: int) -> tuple[int, int]:
    """Records added and removed between two loads of a month, compared as multisets."""
    counted = (
        select(
            *RECORD_KEY,
            func.sum(case((Crime.load_id == new, 1), else_=0)).label("new"),
            func.sum(case((Crime.load_id == old, 1), else_=0)).label("old"),
        )
        .where(Crime.month == month, Crime.load_id.in_([new, old]))
        .group_by(*RECORD_KEY)
        .subquery()
    )
    zero = literal(0)
    added, removed = session.execute(
        select(
            func.sum(
                case((counted.c.new > counted.c.old, counted.c.new - counted.c.old), else_=zero)
            ),
            func.sum(
                case((counted.c.old > counted.c.new, counted.c.old - counted.c.new), else_=zero)
            ),
        )
    ).one()
    return int(added or 0), int(removed or 0)


def _rows(session: Session, load_id: int, month: date) -> int | None:
    return session.scalar(
        select(LoadFact.count).where(
            LoadFact.load_id == load_id, LoadFact.month == month, LoadFact.fact == ROWS_FACT
        )
    )


def _figure_changes(
    session: Session, month: date, observations: pd.DataFrame, load_id: int
) -> pd.DataFrame:
    """The new load's figures for `month` that differ from those police.uk gave before: the
    newest earlier police.uk figure of each measure and area, whether or not a source of higher
    priority is the one shown."""
    after = observations[observations["month"] == month]
    if after.empty:
        return after
    key = [getattr(Observation, c) for c in KEY]
    ranked = (
        select(
            *key,
            Observation.value,
            func.row_number()
            .over(partition_by=key, order_by=Observation.load_id.desc())
            .label("newest"),
        )
        .join(Load, Load.id == Observation.load_id)
        .where(
            Observation.month == month,
            Observation.load_id != load_id,
            Load.source == FileKind.POLICEUK,
            Load.undone_at.is_(None),
            Observation.measure_code.in_(sorted(after["measure_code"].unique())),
        )
        .subquery()
    )
    shown = pd.DataFrame(
        session.execute(
            select(*(ranked.c[c] for c in KEY), ranked.c.value).where(ranked.c.newest == 1)
        ).all(),
        columns=[*KEY, "before"],
    )
    shown["month"] = shown["month"].map(as_date)
    merged = after.merge(shown, on=list(KEY), how="outer")
    before = merged["before"].astype(float)
    value = merged["value"].astype(float)
    differ = ~(np.isclose(before, value, equal_nan=True))
    changed = merged[differ]
    return pd.DataFrame(
        {
            "month": changed["month"],
            "measure_code": changed["measure_code"],
            "level": changed["level"],
            "area_code": changed["area_code"],
            "before": changed["before"].astype(float),
            "after": changed["value"].astype(float),
        }
    )


def record_revisions(
    *, session: Session, load_id: int, months: list[date], observations: pd.DataFrame
) -> list[RevisionNote]:
    """Before the new load's figures are written: record each month it republishes."""
    notes = []
    for month in sorted(months):
        old = _replaced(session, load_id, month)
        if old is None:
            continue
        added, removed = _record_changes(session, month, load_id, old)
        changes = _figure_changes(session, month, observations, load_id)
        bulk_insert(
            session=session,
            table=RevisionChange.__table__,
            frame=changes.assign(load_id=load_id),
        )
        note = RevisionNote(
            month=month,
            replaced_load_id=old,
            rows_before=_rows(session, old, month),
            rows_after=_rows(session, load_id, month),
            added=added,
            removed=removed,
            figures_changed=len(changes),
        )
        session.add(
            Revision(
                load_id=load_id,
                replaced_load_id=old,
                month=month,
                rows_before=note.rows_before,
                rows_after=note.rows_after,
                records_added=added,
                records_removed=removed,
            )
        )
        notes.append(note)
    session.flush()
    return notes
