"""The dip-sampling follow-up log in the store: the entry of each case as it stands (its newest
version), every version of a case's entry, and a change written as a new version, audited with
each field's value before and after."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.loads import audit
from db.models.dip import DipCase
from db.models.followup import DipFollowUp

FIELDS = ("owner", "action", "due", "closed_on", "closed_by", "note")
ENTRY_COLUMNS = ["case_id", "version", *FIELDS, "written_by", "written_at"]
EMPTY = "(none)"  # an empty field in the audit's before -> after


@dataclass(frozen=True)
class Entry:
    """What a follow-up entry says. Closed when `closed_on` is set (and `closed_by` says who)."""

    owner: str | None = None
    action: str | None = None
    due: date | None = None
    closed_on: date | None = None
    closed_by: str | None = None
    note: str | None = None


def current(*, session: Session, sample_id: int) -> pd.DataFrame:
    """The newest version of the entry of each case of a sample that has one (ENTRY_COLUMNS)."""
    newest = (
        select(DipFollowUp.case_id, func.max(DipFollowUp.version).label("version"))
        .join(DipCase, DipCase.id == DipFollowUp.case_id)
        .where(DipCase.sample_id == sample_id)
        .group_by(DipFollowUp.case_id)
        .subquery()
    )
    stmt = (
        select(*(getattr(DipFollowUp, c) for c in ENTRY_COLUMNS))
        .join(
            newest,
            (newest.c.case_id == DipFollowUp.case_id) & (newest.c.version == DipFollowUp.version),
        )
        .order_by(DipFollowUp.case_id)
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=ENTRY_COLUMNS)


def history(*, session: Session, case_id: int) -> pd.DataFrame:
    """Every version of a case's entry, oldest first (ENTRY_COLUMNS)."""
    stmt = (
        select(*(getattr(DipFollowUp, c) for c in ENTRY_COLUMNS))
        .where(DipFollowUp.case_id == case_id)
        .order_by(DipFollowUp.version)
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=ENTRY_COLUMNS)


def save(*, session: Session, actor: str, case_id: int, entry: Entry) -> list[str]:
    """Write `entry` as the case's newest version when it differs from the one standing;
    returns what changed ("field: before -> after"; empty when nothing did), audited."""
    case = session.get(DipCase, case_id)
    if case is None:
        raise KeyError(f"no dip case {case_id}")
    found = history(session=session, case_id=case_id)
    before = Entry() if found.empty else _entry(found.iloc[-1])
    changes = [
        f"{field}: {_shown(getattr(before, field))} -> {_shown(value)}"
        for field, value in asdict(entry).items()
        if value != getattr(before, field)
    ]
    if not changes:
        return []
    session.add(
        DipFollowUp(
            case_id=case_id,
            version=len(found) + 1,
            written_by=actor,
            written_at=datetime.now().replace(microsecond=0),
            **asdict(entry),
        )
    )
    audit(
        session=session,
        actor=actor,
        action="follow-up opened" if found.empty else "follow-up changed",
        entity=f"dip sample {case.sample_id}",
        detail=f"case {case.position}: " + "; ".join(changes),
    )
    return changes


def _entry(row: pd.Series) -> Entry:
    return Entry(**{f: None if pd.isna(row[f]) else _day(row[f]) for f in FIELDS})


def _day(value):
    """A stored date as a `date` (SQLite and pandas may hand back a Timestamp)."""
    return value.date() if isinstance(value, pd.Timestamp | datetime) else value


def _shown(value) -> str:
    if value is None:
        return EMPTY
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else repr(str(value))
