"""Commentary: versions kept on SQLite and PostgreSQL, the rule for an exception awaiting
commentary on hand-built statuses, and the Commentary page and operation pages in AppTest."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import select

from config import get_catalogue
from db import commentary
from db.commentary import Text
from db.engine import session_scope
from db.models import AuditEntry
from db.store import init_store
from metrics.exceptions import awaiting
from tests.conftest import open_page
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


def test_commentary_written_on_the_page_is_versioned_and_shown_beside_the_measure(demo_copy):
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
    page = open_page("pages/centurion.py", measure="civil_orders", area="Burnley")
    shown = page.markdown.values
    assert shown[shown.index("**What happened.**") + 1 :].count("**Actions.**") == 1
    assert HOSTILE_SHOWN in page.text.values and "Orders granted." in page.text.values
    assert markup_in(_bodies(page)) == []


def test_the_overview_lists_the_latest_commentary_and_counts_what_awaits_it(demo_copy):
    at = open_page()
    shown = [m.value for m in at.markdown]
    start = shown.index("**Commentary in Lancashire**")
    # in the table's order (worst status first), what happened as plain text under its label
    assert "**Reduction in ASB calls** (October 2026)" in shown[start + 1 : start + 4]
    assert "ASB calls fell in the town-centre hotspots after the summer peak." in at.text.values
    waiting = [c.value for c in at.caption if "have no commentary yet" in c.value]
    assert len(waiting) == 1 and waiting[0].endswith("the Commentary page lists them.")
