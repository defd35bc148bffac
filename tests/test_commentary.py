"""Commentary: versions kept on SQLite and PostgreSQL, the rule for an exception awaiting
commentary on hand-built statuses, and the Commentary page and operation pages in AppTest."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import select

from config import get_catalogue, get_settings
from db import commentapproval, commentary
from db.commentary import Text
from db.engine import session_scope
from db.models import AuditEntry
from db.store import init_store
from governance import approval
from metrics.exceptions import awaiting
from metrics.publictext import known_names
from present import commentary_wording as cw
from tests.conftest import app_test, open_page
from tests.test_inert_text import HOSTILE_SHOWN, HOSTILE_TEXT, markup_in

OCT, SEP = date(2026, 10, 1), date(2026, 9, 1)


def test_each_edit_is_a_new_version_and_the_history_is_kept(store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    first = Text(what="Calls fell.", why="Patrols.", actions="Keep patrols.", owner="Lead")
    second = Text(what="Calls fell.", why="Patrols.", actions="More patrols.", owner="Lead")
    with session_scope(store.engine) as session:
        kw = {"session": session, "measure_code": "asb_incidents", "area": "Burnley", "month": OCT}
        assert commentary.write(actor="ana", text=first, **kw) == 1
        assert commentary.write(actor="ana", text=first, **kw) is None  # unchanged: no version
        assert commentary.write(actor="bea", text=second, **kw) == 2
        commentary.write(actor="ana", text=first, **{**kw, "month": SEP})
    with session_scope(store.engine) as session:
        versions = commentary.history(
            session=session, measure_code="asb_incidents", area="Burnley", month=OCT
        )
        now = commentary.current(session=session, up_to=OCT)
        earlier = commentary.current(session=session, up_to=SEP)
        audited = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "commentary written")
        ).all()
    assert versions[["version", "written_by", "actions"]].values.tolist() == [
        [2, "bea", "More patrols."],
        [1, "ana", "Keep patrols."],
    ]
    assert isinstance(versions["written_at"].iloc[0], datetime)
    assert now[["month", "version"]].values.tolist() == [[SEP, 1], [OCT, 2]]
    assert earlier["month"].tolist() == [SEP]
    assert audited == ["2026-10 version 1", "2026-10 version 2", "2026-09 version 1"]


def test_commentary_needs_what_happened(store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    with session_scope(store.engine) as session, pytest.raises(ValueError, match="what happened"):
        commentary.write(
            session=session,
            actor="ana",
            measure_code="asb_incidents",
            area="Burnley",
            month=OCT,
            text=Text(what="  "),
        )


def _statuses(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(measure, September status, October status) in Burnley."""
    frame = [
        (measure, "Burnley", month, status)
        for measure, sep, oct_ in rows
        for month, status in ((SEP, sep), (OCT, oct_))
    ]
    return pd.DataFrame(frame, columns=["measure", "area", "as_of", "status"])


NONE_WRITTEN = pd.DataFrame(columns=["measure_code", "area", "month"])


@pytest.mark.parametrize(
    ("sep", "oct_", "written", "expected"),
    [
        ("on track", "off track", None, [("off track", OCT, 1, False)]),
        ("at risk", "at risk", None, [("at risk", SEP, 2, True)]),
        ("off track", "at risk", None, [("at risk", OCT, 1, False)]),
        ("on track", "on track", None, []),
        ("missed", "missed", None, [("missed", SEP, 2, True)]),
        ("at risk", "at risk", SEP, []),  # written in the month the status turned
        ("on track", "off track", SEP, [("off track", OCT, 1, False)]),  # written before
        ("on track", "off track", OCT, []),
    ],
)
def test_an_exception_is_a_status_needing_commentary_with_none_since_it_turned(
    sep, oct_, written, expected
):
    notes = (
        NONE_WRITTEN
        if written is None
        else pd.DataFrame([("m", "Burnley", written)], columns=["measure_code", "area", "month"])
    )
    found = awaiting(_statuses([("m", sep, oct_)]), notes)
    assert found.months_scored == (SEP, OCT)
    assert [
        (r.status, r.since, r.months, r.open_ended) for r in found.rows.itertuples()
    ] == expected


def _bodies(at) -> list[str]:
    """The markdown of every element that Streamlit reads as markdown."""
    kinds = ("markdown", "caption", "title", "subheader", "success", "error", "warning", "info")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


@pytest.mark.usefixtures("demo_copy")
def test_commentary_written_on_the_page_is_versioned_and_shown_beside_the_measure():
    """Typed with a link, an image, HTML, a formula and a right-to-left override: stored
    without the override, shown as plain text (st.text) and never in markdown."""
    at = open_page("pages/commentary.py", measure="civil_orders", area="Burnley")
    assert any(s.value.startswith("Awaiting commentary in Burnley") for s in at.subheader)
    for round_, actions in enumerate(("Two closure orders applied for.", "Orders granted."), 1):
        next(t for t in at.text_area if t.label == "What happened").set_value(HOSTILE_TEXT)
        next(t for t in at.text_area if t.label == "Actions").set_value(actions)
        next(b for b in at.button if b.label == "Save commentary").click()
        at.run()
        assert not at.exception
        assert [s.value for s in at.success] == [
            f"Commentary saved as version {round_}; earlier versions are kept below."
        ]
    history = at.dataframe[-1].value
    assert history["Version"].tolist() == [2, 1]
    assert history["Actions"].tolist() == ["Orders granted.", "Two closure orders applied for."]
    assert history["What happened"].tolist() == [HOSTILE_SHOWN, HOSTILE_SHOWN]
    assert markup_in(_bodies(at)) == []
    districts = open_page("pages/districts.py", measure="civil_orders")
    assert "**Burnley** (October 2026)" in districts.markdown.values
    assert HOSTILE_SHOWN in districts.text.values  # as typed, as plain text (st.text)
    assert markup_in(_bodies(districts)) == []
    page = open_page("centurion", measure="civil_orders", area="Burnley")
    shown = page.markdown.values
    assert shown[shown.index("**What happened.**") + 1 :].count("**Actions.**") == 1
    assert HOSTILE_SHOWN in page.text.values and "Orders granted." in page.text.values
    assert markup_in(_bodies(page)) == []


@pytest.mark.usefixtures("demo_copy")
def test_the_overview_lists_the_latest_commentary_and_counts_what_awaits_it():
    at = open_page()
    shown = [m.value for m in at.markdown]
    start = shown.index("**Commentary in Lancashire**")
    # in the table's order (worst status first), what happened as plain text under its label
    assert "**Reduction in ASB calls** (October 2026)" in shown[start + 1 : start + 4]
    assert "ASB calls fell in the town-centre hotspots after the summer peak." in at.text.values
    waiting = [c.value for c in at.caption if "have no commentary yet" in c.value]
    assert len(waiting) == 1 and waiting[0].endswith("the Commentary page lists them.")


# --- publication: a second person approves public commentary (issue 25) ----------------------

ISSUE_TEXT = (
    "3 Criminal Behaviour Orders were granted, 2 of them against the same family on Colne Road."
)
FINDINGS = [
    'small number: "3" (what)',
    'small number: "2" (what)',
    'address: "Colne Road" (what)',
]
RULES = {"threshold": 5, "known": known_names(get_catalogue())}


def approve(session, *, measure_code: str, area: str, month: date, actor: str = "scrutiny"):
    """Approve the latest version of a public commentary as a second person confirming every
    finding, as publication needs (for tests that show public commentary)."""
    note = commentary.history(session=session, measure_code=measure_code, area=area, month=month)
    found = approval.findings(note.iloc[0], **RULES)
    approval.decide(
        session=session, actor=actor, measure_code=measure_code, area=area, month=month,
        version=int(note["version"].iloc[0]), approve=True, checked=[f.label for f in found],
        **RULES,
    )  # fmt: skip


def _audit(session, action: str) -> list[tuple[str, str]]:
    rows = session.execute(
        select(AuditEntry.actor, AuditEntry.detail).where(AuditEntry.action == action)
    ).all()
    return [tuple(r) for r in rows]


def test_public_commentary_is_published_only_once_a_second_person_approves_it(store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    key = {"measure_code": "civil_orders", "area": "Burnley", "month": OCT}
    with session_scope(store.engine) as session:
        commentary.write(session=session, actor="ana", text=Text(ISSUE_TEXT, public=True), **key)
        assert commentary.current(session=session, public_only=True).empty  # awaiting
        waiting = commentapproval.awaiting_approval(session=session)
        assert waiting[["area", "version"]].values.tolist() == [["Burnley", 1]]
        note = commentary.history(session=session, **key).iloc[0]
        assert [f.label for f in approval.findings(note, **RULES)] == FINDINGS
    refusals = [
        ({"actor": "ana", "approve": True, "checked": FINDINGS}, "the writer cannot"),
        ({"actor": "sam", "approve": True, "checked": FINDINGS[:2]}, 'address: "Colne Road"'),
        ({"actor": "sam", "approve": False}, "reason for refusing"),
        ({"actor": "sam", "approve": True, "checked": FINDINGS, "version": 2}, "latest version"),
    ]
    for options, message in refusals:
        with session_scope(store.engine) as session, pytest.raises(ValueError, match=message):
            approval.decide(session=session, **{"version": 1, **key, **RULES, **options})
    with session_scope(store.engine) as session:
        approval.decide(
            session=session, actor="sam", version=1, approve=True, checked=FINDINGS, **key, **RULES
        )
    with session_scope(store.engine) as session:
        shown = commentary.current(session=session, public_only=True)
        assert shown[["what", "version"]].values.tolist() == [[ISSUE_TEXT, 1]]
        assert _audit(session, "commentary published") == [
            ("sam", "2026-10 version 1 written by ana; 3 finding(s) checked")
        ]
        assert commentapproval.awaiting_approval(session=session).empty
        with pytest.raises(ValueError, match="already approved by sam"):
            approval.decide(
                session=session, actor="tom", version=1, approve=False, reason="x", **key, **RULES
            )
        second = Text("Orders were granted.", actions="Review in March.", public=True)
        assert commentary.write(session=session, actor="ana", text=second, **key) == 2
    with session_scope(store.engine) as session:
        assert commentary.current(session=session, public_only=True).empty  # approval again
        approval.decide(
            session=session, actor="sam", version=2, approve=False, reason="Too soon.", **key,
            **RULES,
        )  # fmt: skip
    with session_scope(store.engine) as session:
        history = commentary.history(session=session, **key)
        assert commentary.current(session=session, public_only=True).empty
        assert _audit(session, "commentary refused") == [
            ("sam", "2026-10 version 2 written by ana; reason: Too soon.")
        ]
    assert history[["version", "decision", "decided_by", "reason"]].values.tolist() == [
        [2, "refused", "sam", "Too soon."],
        [1, "approved", "sam", ""],
    ]
    assert history["checked"].tolist() == ["", "\n".join(FINDINGS)]


def test_commentary_not_marked_public_cannot_be_published(store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    key = {"measure_code": "civil_orders", "area": "Burnley", "month": OCT}
    with session_scope(store.engine) as session:
        commentary.write(session=session, actor="ana", text=Text("Calls fell."), **key)
        assert commentapproval.awaiting_approval(session=session).empty
        with pytest.raises(ValueError, match="not marked public"):
            approval.decide(
                session=session, actor="sam", version=1, approve=True, **key, **RULES
            )


def _commentary_page(account: str, role: str):
    at = app_test(account=account, role=role, make_account=True, timeout=900)
    at.switch_page("pages/commentary.py")
    at.query_params.update({"measure": "civil_orders", "area": "Burnley"})
    at.run()
    assert not at.exception, at.exception
    return at


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_second_account_approves_public_commentary_on_the_page(demo_copy, monkeypatch):
    """Signed in: the analyst marks commentary public and sees the findings; a board account
    may not decide; a scrutiny account must tick every finding, then approves it; the audit
    says so and the history shows it published."""
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "true")
    get_settings.cache_clear()
    writer = _commentary_page("ana", "analyst")
    next(t for t in writer.text_area if t.label == "What happened").set_value(ISSUE_TEXT)
    next(c for c in writer.checkbox if c.label == cw.PUBLIC_LABEL).check()
    _button(writer, "Save commentary").click()
    writer.run()
    assert writer.success[0].value == cw.saved(1, public=True)
    assert [t for t in writer.text.values if t in FINDINGS] == FINDINGS
    assert any(w.value.startswith("The check on the published words") for w in writer.warning)
    assert not [b for b in writer.button if b.label == cw.PUBLISH]  # an analyst may not
    board = _commentary_page("bo", "board")
    assert not [b for b in board.button if b.label == cw.PUBLISH]
    assert any("may approve or refuse commentary" in c.value for c in board.caption)
    scrutiny = _commentary_page("sam", "scrutiny")
    ticks = [c for c in scrutiny.checkbox if c.label.startswith("Checked:")]
    assert len(ticks) == len(FINDINGS)
    ticks[0].check()
    _button(scrutiny, cw.PUBLISH).click()
    scrutiny.run()
    assert "Confirm each finding has been checked" in scrutiny.error[0].value
    for tick in [c for c in scrutiny.checkbox if c.label.startswith("Checked:")]:
        tick.check()
    _button(scrutiny, cw.PUBLISH).click()
    scrutiny.run()
    assert not scrutiny.exception
    assert scrutiny.success[0].value == cw.DECIDED[True].format(version=1)
    history = next(d.value for d in scrutiny.dataframe if "Public" in d.value.columns)
    assert history["Public"].iloc[0].startswith("published on ")
    assert history["Public"].iloc[0].endswith(" approved by sam")
    with session_scope(demo_copy.engine) as session:
        published = [row for row in _audit(session, "commentary published") if row[0] == "sam"]
        assert published == [("sam", "2026-10 version 1 written by ana; 3 finding(s) checked")]
        shown = commentary.current(session=session, public_only=True, area="Burnley")
    assert shown["what"].tolist() == [ISSUE_TEXT]
    get_settings.cache_clear()


@pytest.mark.usefixtures("demo_copy")
def test_in_the_open_demonstration_the_writer_cannot_approve_their_own():
    at = open_page("pages/commentary.py", measure="civil_orders", area="Burnley")
    next(t for t in at.text_area if t.label == "What happened").set_value("PC Smith attended.")
    next(c for c in at.checkbox if c.label == cw.PUBLIC_LABEL).check()
    _button(at, "Save commentary").click()
    at.run()
    assert 'name of a person: "PC Smith" (what)' in at.text.values
    assert cw.OWN in [c.value for c in at.caption]
    assert not [b for b in at.button if b.label == cw.PUBLISH]


@pytest.mark.parametrize(
    ("public", "decision", "expected"),
    [
        (False, None, "no"),
        (True, None, "awaiting approval"),
        (True, "approved", "published on 07 December 2026 approved by sam"),
        (True, "refused", "refused on 07 December 2026 by sam: Names a family."),
    ],
)
def test_the_history_says_where_each_version_stands(public, decision, expected):
    note = pd.Series(
        {
            "public": public,
            "decision": decision,
            "decided_by": "sam" if decision else None,
            "decided_at": datetime(2026, 12, 7, 9, 30) if decision else None,
            "reason": "Names a family." if decision == "refused" else "",
        }
    )
    assert cw.publication(note) == expected
