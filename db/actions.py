"""The board's actions log (`db.models.action`): actions and matters arising raised at a
meeting, carried to every later meeting's pack until closed. Keyword-only functions taking a
session; frames out. Every change is audited, a change of a row with the values it had.

Rules:
- An action needs what is to be done, an owner (a role, not a name) and the meeting it was
  raised at; text is cleaned (`config.text.clean_text`) as commentary is.
- Closing records the date it was closed (`closed_at`, at or after the meeting it was raised
  at); reopening clears it.
- `at_meeting`: the actions a pack for a meeting shows are those raised at or before it that
  were still open at it, and those closed since the last meeting (after it, up to this one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from config.text import clean_text
from db.loads import audit
from db.models.action import BoardAction

OPEN, DONE = "open", "done"
STATUSES = (OPEN, DONE)
COLUMNS = [
    "id", "area", "measure_code", "what", "owner", "due", "raised_at", "status", "closed_at",
    "recorded_by", "recorded_at", "is_demo",
]  # fmt: skip


@dataclass(frozen=True)
class Action:
    """What is recorded for an action: what, whose, by when, about which measure (or none)."""

    what: str
    owner: str
    due: date | None = None
    measure_code: str | None = None


def _checked(action: Action) -> Action:
    what = clean_text(action.what, multiline=True)
    owner = clean_text(action.owner)
    if not what:
        raise ValueError("An action needs what is to be done.")
    if not owner:
        raise ValueError("An action needs an owner (a role, not a name).")
    return Action(what=what, owner=owner, due=action.due, measure_code=action.measure_code or None)


def add(
    *,
    session: Session,
    actor: str,
    area: str,
    raised_at: date,
    action: Action,
    is_demo: bool = False,
) -> int:
    """Record `action`, raised at the meeting of `raised_at` for `area`, as open; audited.
    Returns its number."""
    action = _checked(action)
    row = BoardAction(
        area=area,
        measure_code=action.measure_code,
        what=action.what,
        owner=action.owner,
        due=action.due,
        raised_at=raised_at,
        status=OPEN,
        closed_at=None,
        recorded_by=actor,
        recorded_at=datetime.now().replace(microsecond=0),
        is_demo=is_demo,
    )
    session.add(row)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="board action raised",
        entity=f"action {row.id} / {area}",
        detail=f"raised at {raised_at:%Y-%m-%d}; owner {action.owner}; due "
        f"{action.due or 'none'}; {action.what[:200]}",
    )
    return row.id


def set_status(
    *, session: Session, actor: str, action_id: int, status: str, closed_at: date | None = None
) -> bool:
    """Close (`done`, on `closed_at`) or reopen (`open`) an action; audited with the earlier
    status. Returns False when nothing changed."""
    if status not in STATUSES:
        raise ValueError(f"An action's status is one of {', '.join(STATUSES)}, not {status!r}.")
    row = session.get(BoardAction, action_id)
    if row is None:
        raise ValueError(f"There is no action {action_id}.")
    if status == DONE:
        if closed_at is None:
            raise ValueError("Closing an action needs the date it was closed.")
        if closed_at < row.raised_at:
            raise ValueError(
                f"Action {action_id} was raised on {row.raised_at:%d %B %Y}: it cannot be "
                f"closed on {closed_at:%d %B %Y}, before that."
            )
    new_closed = closed_at if status == DONE else None
    if row.status == status and row.closed_at == new_closed:
        return False
    before = f"was {row.status}" + (f" (closed {row.closed_at:%Y-%m-%d})" if row.closed_at else "")
    row.status, row.closed_at = status, new_closed
    now = f"now {status}" + (f" (closed {new_closed:%Y-%m-%d})" if new_closed else "")
    audit(
        session=session,
        actor=actor,
        action="board action closed" if status == DONE else "board action reopened",
        entity=f"action {action_id} / {row.area}",
        detail=f"{before}; {now}",
    )
    return True


def listed(*, session: Session, areas: list[str] | None = None) -> pd.DataFrame:
    """Every action (of `areas`, when given), by meeting raised and number."""
    query = select(BoardAction).order_by(BoardAction.raised_at, BoardAction.id)
    if areas is not None:
        query = query.where(BoardAction.area.in_(areas))
    rows = session.scalars(query)
    return pd.DataFrame([{c: getattr(r, c) for c in COLUMNS} for r in rows], columns=COLUMNS)


def at_meeting(actions: pd.DataFrame, meeting: date, previous: date | None) -> pd.DataFrame:
    """The actions a pack for `meeting` shows (see the module's rules), open ones first: those
    raised at or before it and not closed by it, then those closed after `previous` (every one
    closed by `meeting`, when no last meeting is given)."""
    if actions.empty:
        return actions.assign(open_at_meeting=pd.Series(dtype=bool))
    raised = actions["raised_at"] <= meeting
    closed = actions["closed_at"].map(lambda d: d is not None and d == d and d <= meeting)
    still_open = raised & ~closed
    since = closed & actions["closed_at"].map(
        lambda d: previous is None or (d is not None and d == d and d > previous)
    )
    shown = pd.concat([actions[still_open], actions[since]])
    return shown.assign(open_at_meeting=[True] * int(still_open.sum()) + [False] * int(since.sum()))
