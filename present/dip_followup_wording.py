"""The words and display tables of the dip-sampling follow-up log (issue 25): the Follow-up
tab (`views/dip_followup.py`), `manage.py sample report --follow-up` and the board pack. Case
detail (the incident reference, the entry's note) only where `cases` is True."""

from __future__ import annotations

import pandas as pd

from dipsampling.followup import Status
from present import wording as w
from present.wording import NO_FIGURE

NO_FOLLOW_UP_LOG = "No case of this sample needs follow-up: none was answered no or judged so."
FOLLOW_UP_HELP = (
    "Every case answered no to any question, or given a verdict that needs follow-up, is on "
    "this log. Give it an owner, the action agreed and a due date; close it when done. Each "
    "save is kept as a new version and recorded in the audit log."
)
FOLLOW_UP_STATUS_WORDS = {
    "closed": "Closed",
    "overdue": "OVERDUE",
    "open": "Open",
    "not yet assigned": "Open: no owner yet",
}
CLOSE_NEEDS_DATE = "To close an entry give the day it was closed."
DUE_BEFORE_OPENED = "The due date is before the case was reviewed: check it."


def follow_up_reasons(reasons: list[str], questions: dict[str, str], verdicts: dict) -> str:
    """Why a case is on the log, in words ("none now" when its answers have since changed)."""
    said = [
        questions[r] + ": no" if r in questions else f"Verdict: {verdicts.get(r, r)}"
        for r in reasons
    ]
    return "; ".join(said) or "none now (its answers were changed after the entry was written)"


def follow_up_log_table(
    log: pd.DataFrame,
    questions: dict[str, str],
    verdicts: dict[str, str],
    district_names: dict[str, str],
    *,
    cases: bool,
) -> pd.DataFrame:
    """The log as shown: with `cases`, the incident reference and the entry's note too."""
    shown = {  # what a reader acts on first: status, owner, due date and action
        "Case": log["position"],
        "Reference": log["reference"],
        "District": log["district_code"].map(district_names),
        "Status": [_status_words(r) for r in log.itertuples()],
        "Owner": log["owner"].fillna(NO_FIGURE),
        "Due": [_day_or_none(d) for d in log["due"]],
        "Action": log["action"].fillna(NO_FIGURE),
        "Why": [follow_up_reasons(r, questions, verdicts) for r in log["reasons"]],
        "Reviewed": [_day_or_none(d) for d in log["opened"]],
        "Closed": [
            f"{w.day(r.closed_on)} by {r.closed_by or NO_FIGURE}" if r.closed_on else NO_FIGURE
            for r in log.itertuples()
        ],
        "Note": log["note"].fillna(NO_FIGURE),
    }
    if not cases:
        del shown["Reference"], shown["Note"]
    return pd.DataFrame(shown)


def _day_or_none(value) -> str:
    return NO_FIGURE if value is None or pd.isna(value) else w.day(value)


def _status_words(row) -> str:
    words = FOLLOW_UP_STATUS_WORDS[str(row.status)]
    if str(row.status) == "overdue":
        words += f": {w.counted(int(row.days_overdue), 'day')} past due"
    return words


def follow_up_summary(log: pd.DataFrame) -> str:
    """How the log stands, in one sentence."""
    status = log["status"].astype(str)
    closed, late = int((status == "closed").sum()), int((status == "overdue").sum())
    unassigned = int((status == "not yet assigned").sum())
    return (
        f"{w.counted(len(log), 'case')} on the follow-up log: {closed} closed, "
        f"{len(log) - closed} still open ({late} overdue, {unassigned} with no owner yet)."
    )


def overdue_lines(late: pd.DataFrame, district_names: dict[str, str]) -> list[str]:
    """Each overdue entry in words, longest overdue first (`dipsampling.followup.overdue`)."""
    return [
        f"Case {r.position} ({district_names.get(r.district_code, r.district_code)}) is "
        f"{w.counted(int(r.days_overdue), 'day')} overdue: due {w.day(r.due)}, owner "
        f"{r.owner or 'not named'}, action: {r.action or 'none recorded'}."
        for r in late.itertuples()
    ]


def follow_up_saved(position: int, changes: list[str]) -> str:
    if not changes:
        return f"Case {position}: nothing changed, so nothing was saved."
    return f"Case {position}'s follow-up saved: " + "; ".join(changes) + "."


def follow_up_history_table(versions: pd.DataFrame) -> pd.DataFrame:
    """Every version of one entry, oldest first: who wrote it and what it said."""
    return pd.DataFrame(
        {
            "Version": versions["version"],
            "Written": [
                f"{pd.Timestamp(t):%d %B %Y %H:%M} by {b}"
                for t, b in zip(versions["written_at"], versions["written_by"], strict=True)
            ],
            "Owner": versions["owner"].fillna(NO_FIGURE),
            "Action": versions["action"].fillna(NO_FIGURE),
            "Due": [_day_or_none(d) for d in versions["due"]],
            "Closed": [_day_or_none(d) for d in versions["closed_on"]],
            "Note": versions["note"].fillna(NO_FIGURE),
        }
    )


def recorded_with_changes(name: str, changes) -> str:
    """A sheet recorded, with every earlier answer it replaced (`db.dipsamples.Change`) named,
    so no reviewer's answer is overwritten in silence."""
    replaced = [str(c) for c in changes if c.before is not None or c.note_before is not None]
    said = f"{name}: {len(changes)} answer(s) recorded."
    return said + (" Earlier answers replaced: " + "; ".join(replaced) + "." if replaced else "")


def case_choice(row: pd.Series, district_names: dict[str, str]) -> str:
    """A case in the follow-up form's list: its number, district and status."""
    district = district_names.get(row["district_code"], row["district_code"])
    return f"Case {row['position']} ({district}): {_status_words(row)}"


FOLLOW_UP_IN_WORKBOOK = (
    "Counted here by district; every entry (its owner, action, due date and why it is on the "
    "log) is in the workbook's sheet 'Dip follow-up'."
)


def follow_up_by_district(log: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The log counted by district and status (a row per district with entries, in name
    order, and a total row): how the printed pack shows it, the entries being in its workbook.
    """
    columns = {s.value: s.value.capitalize() for s in Status}
    district = log["district_code"].map(names).fillna(log["district_code"])
    counts = (
        pd.crosstab(district, log["status"])
        .reindex(columns=list(columns), fill_value=0)
        .rename(columns=columns)
        .sort_index()
    )
    counts.insert(0, "On the log", counts.sum(axis=1))
    counts.loc["All districts"] = counts.sum()
    counts.index.name = "District"
    return counts.reset_index()
