"""The follow-up log of a dip sample: every case that needs follow-up, with its entry as it
stands (owner, action, due date, closed on and by, note) and its status.

Rules:
- A case needs follow-up when any question is answered no, or when its verdict is one the
  checklist marks `follow_up = true` (`config/dipsampling.toml`: "inappropriate"), even with no
  answer no. It is on the log from then on (opened: the day of the earliest such answer).
- A case whose entry was written stays on the log if its answers change later (its reasons then
  read "none now"): a log is never shortened.
- Status: closed when a closing day is set; otherwise overdue when the due date has passed;
  otherwise open (assigned when it has an owner, not yet assigned when it has none).
- Each change is a new version of the entry, audited (`db.followups`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pandas as pd
from sqlalchemy.orm import Session

from config import Catalogue
from config.areascope import EVERY_AREA, AreaScope
from config.dipsampling import Answer
from db import dipsamples, followups
from db.dipsamples import VERDICT
from db.followups import FIELDS

LOG_COLUMNS = [
    "case_id", "position", "reference", "district_code", "reasons", "opened", *FIELDS,
    "version", "written_by", "written_at", "status", "days_overdue",
]  # fmt: skip


class Status(StrEnum):
    CLOSED = "closed"
    OVERDUE = "overdue"
    OPEN = "open"
    UNASSIGNED = "not yet assigned"


def reasons(given: pd.DataFrame, follow_up_verdicts: frozenset[str]) -> pd.DataFrame:
    """The answers that put a case on the log (case_id, reason, reviewed_at): every answer no
    (reason: the question's code), and every verdict in `follow_up_verdicts` (the verdict's)."""
    is_no = (given["question"] != VERDICT) & (given["answer"] == Answer.NO.value)
    is_verdict = (given["question"] == VERDICT) & given["answer"].isin(follow_up_verdicts)
    found = given[is_no | is_verdict]
    reason = found["question"].where(found["question"] != VERDICT, found["answer"])
    return found.assign(reason=reason)[["case_id", "reason", "reviewed_at"]]


def follow_up_log(
    *,
    session: Session,
    catalogue: Catalogue,
    sample_id: int,
    today: date,
    scope: AreaScope = EVERY_AREA,
) -> pd.DataFrame:
    """The sample's follow-up log (LOG_COLUMNS), in case order: `reasons` lists the codes of
    the questions answered no, then the verdict's code when it calls for follow-up."""
    drawn = dipsamples.cases(session=session, sample_id=sample_id, scope=scope)  # issue 26
    given = dipsamples.answers(session=session, sample_ids=[sample_id])
    why = reasons(given, catalogue.dipsampling.follow_up_verdicts())
    entries = followups.current(session=session, sample_id=sample_id)
    on_log = set(why["case_id"]) | set(entries["case_id"])
    cases = drawn[drawn["case_id"].isin(on_log)]
    grouped = why.groupby("case_id")
    # dicts, not Series: pandas cannot map through an empty Series of datetimes (no case needs
    # follow-up yet)
    listed, first = grouped["reason"].agg(list).to_dict(), grouped["reviewed_at"].min().to_dict()
    frame = cases[["case_id", "position", "reference", "district_code"]].assign(
        reasons=[listed.get(c, []) for c in cases["case_id"]],
        opened=[first.get(c) for c in cases["case_id"]],
    )
    frame["opened"] = pd.to_datetime(frame["opened"]).dt.date
    frame = frame.merge(entries, on="case_id", how="left")
    for column in ("due", "closed_on"):
        frame[column] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame[column]]
    frame["status"] = [_status(r, today) for r in frame.itertuples()]
    frame["days_overdue"] = [
        (today - r.due).days if r.status == Status.OVERDUE else 0 for r in frame.itertuples()
    ]
    frame = frame.astype({"version": "Int64"})
    return frame[LOG_COLUMNS].sort_values("position").reset_index(drop=True)


def _status(row, today: date) -> Status:
    if row.closed_on is not None:
        return Status.CLOSED
    if row.due is not None and row.due < today:
        return Status.OVERDUE
    return Status.UNASSIGNED if pd.isna(row.owner) or not row.owner else Status.OPEN


def overdue(log: pd.DataFrame) -> pd.DataFrame:
    """The entries of a log that are overdue, longest overdue first."""
    late = log[log["status"] == Status.OVERDUE]
    return late.sort_values(["days_overdue", "position"], ascending=[False, True])
