"""The board's actions log (`db.actions`) and the pack's scrutiny figures that need no pack:
actions carried from meeting to meeting until closed, every change audited with the earlier
values, bad input refused with nothing changed; the change on the baseline in words and
numbers; the workbook's typing of text that is a number."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from sqlalchemy import select

from boardpack import figures, xlsx
from config import get_catalogue
from config.access import Can, Role, allowed
from db import actions
from db.engine import read_scope, session_scope
from db.models import AuditEntry
from db.store import init_store
from present import pack_words as words

M1, M2, M3, M4 = date(2026, 9, 20), date(2026, 10, 20), date(2026, 11, 20), date(2026, 12, 18)


@pytest.fixture
def empty(store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    return store


def _audit(engine) -> list[tuple[str, str, str, str]]:
    with read_scope(engine) as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(r.actor, r.action, r.entity, r.detail) for r in rows if "action" in r.action]


def test_an_action_is_carried_from_meeting_to_meeting_until_closed(empty):
    with session_scope(empty.engine) as session:
        first = actions.add(
            session=session, actor="board secretary", area="Burnley", raised_at=M1,
            action=actions.Action(what="Report on repeat victims", owner="Head of NP",
                                  due=date(2026, 11, 1), measure_code="asb_incidents"),
        )  # fmt: skip
        later = actions.add(
            session=session, actor="board secretary", area="Lancashire", raised_at=M2,
            action=actions.Action(what="Check patrol hours", owner="Analyst"),
        )  # fmt: skip
    with session_scope(empty.engine) as session:
        assert actions.set_status(
            session=session, actor="chair", action_id=first, status="done",
            closed_at=date(2026, 11, 5),
        )  # fmt: skip
    with read_scope(empty.engine) as session:
        found = actions.listed(session=session)
    shown = {
        meeting: actions.at_meeting(found, meeting, previous)
        for meeting, previous in ((M1, None), (M2, M1), (M3, M2), (M4, M3))
    }
    opened = {m: list(s.loc[s["open_at_meeting"], "id"]) for m, s in shown.items()}
    closed = {m: list(s.loc[~s["open_at_meeting"], "id"]) for m, s in shown.items()}
    assert opened == {M1: [first], M2: [first, later], M3: [later], M4: [later]}
    assert closed == {M1: [], M2: [], M3: [first], M4: []}  # closed since the last meeting only
    assert _audit(empty.engine) == [
        ("board secretary", "board action raised", f"action {first} / Burnley",
         "raised at 2026-09-20; owner Head of NP; due 2026-11-01; Report on repeat victims"),
        ("board secretary", "board action raised", f"action {later} / Lancashire",
         "raised at 2026-10-20; owner Analyst; due none; Check patrol hours"),
        ("chair", "board action closed", f"action {first} / Burnley",
         "was open; now done (closed 2026-11-05)"),
    ]  # fmt: skip
    with session_scope(empty.engine) as session:
        actions.set_status(session=session, actor="chair", action_id=first, status="open")
    assert _audit(empty.engine)[-1][1:] == (
        "board action reopened",
        f"action {first} / Burnley",
        "was done (closed 2026-11-05); now open",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"what": "  "}, "An action needs what is to be done."),
        ({"owner": ""}, "An action needs an owner (a role, not a name)."),
    ],
)
def test_an_action_without_what_or_owner_is_refused_and_nothing_stored(empty, change, message):
    action = actions.Action(**({"what": "Do it", "owner": "Chair"} | change))
    with (
        pytest.raises(ValueError, match=re.escape(message)),
        session_scope(empty.engine) as session,
    ):
        actions.add(session=session, actor="t", area="Burnley", raised_at=M1, action=action)
    with read_scope(empty.engine) as session:
        assert actions.listed(session=session).empty
    assert _audit(empty.engine) == []


@pytest.mark.parametrize(
    ("status", "closed_at", "message"),
    [
        ("done", date(2026, 9, 1), "cannot be closed on 01 September 2026, before that"),
        ("done", None, "Closing an action needs the date it was closed."),
        ("finished", M2, "An action's status is one of open, done, not 'finished'."),
    ],
)
def test_a_bad_close_is_refused_and_nothing_changes(empty, status, closed_at, message):
    with session_scope(empty.engine) as session:
        number = actions.add(
            session=session, actor="t", area="Burnley", raised_at=M1,
            action=actions.Action(what="Do it", owner="Chair"),
        )  # fmt: skip
    with (
        pytest.raises(ValueError, match=re.escape(message)),
        session_scope(empty.engine) as session,
    ):
        actions.set_status(
            session=session, actor="t", action_id=number, status=status, closed_at=closed_at
        )
    with read_scope(empty.engine) as session:
        assert actions.listed(session=session)["status"].tolist() == ["open"]


def test_the_board_analysts_and_admins_may_record_actions_scrutiny_may_not():
    may = {role for role in Role if allowed({role}, Can.RECORD_ACTIONS)}
    assert may == {Role.BOARD, Role.ANALYST, Role.ADMIN}


def _measure(unit="count", small=False):
    return SimpleNamespace(unit=unit, small_numbers=small)


def _score(rolling, baseline):
    return SimpleNamespace(rolling_12m=rolling, baseline=baseline)


@pytest.mark.parametrize(
    ("score", "measure", "said", "numbers"),
    [
        (_score(53_208, 54_064), _measure(), "−856 (-1.6%)", (-856, -0.01583)),
        (_score(120, 100), _measure(), "+20 (+20.0%)", (20, 0.2)),
        (_score(62.1, 60.0), _measure("percent"), "+2.1 percentage points (+3.5%)", (2.1, 0.035)),
        (_score(3, 5), _measure(small=True), "-2 (no per cent: small numbers)", (-2, None)),
        (_score(3_600, 3_400), _measure("hours"), "+200 hours (+5.9%)", (200, 0.05882)),
        (_score(10, float("nan")), _measure(), "none yet", (None, None)),
    ],
)
def test_the_change_on_the_baseline_year_as_a_number_and_a_per_cent(score, measure, said, numbers):
    text = words.baseline_change(score, measure)
    assert said.replace("−", "-") in text, text
    change, share = figures.baseline_numbers(score, measure)
    for got, want in ((change, numbers[0]), (share, numbers[1])):
        if want is None:
            assert pd.isna(got)
        else:
            assert got == pytest.approx(want, abs=1e-4)


@pytest.mark.parametrize(
    ("cells", "typed", "percent"),
    [
        (["12,775", "3", ""], [12775.0, 3.0, None], False),
        (["24.1%", "100%"], [0.241, 1.0], True),
        (["12,775", "not loaded"], ["12,775", "not loaded"], False),  # words stay words
        (["-0.5 pts"], ["-0.5 pts"], False),
        (["1,0000"], ["1,0000"], False),  # not a number as written
    ],
)
def test_text_that_is_only_a_number_becomes_a_number(cells, typed, percent):
    frame, percents = xlsx.numbers_from_text(pd.DataFrame({"x": cells}))
    got = [None if isinstance(v, float) and pd.isna(v) else v for v in frame["x"]]
    assert got == typed
    assert ("x" in percents) is percent
