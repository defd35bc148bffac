"""The dip-sampling follow-up log (issue 25): every case answered no, or judged inappropriate
with no answer no, is on it; an entry is opened, edited and closed, each change kept as a
version and audited with what it changed; overdue entries are stated in words; the log is on
the page (AppTest), in the pack and in `manage.py sample report --follow-up`."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from config import get_catalogue
from db import dipsamples, followups
from db.engine import session_scope
from db.followups import Entry
from db.models import AuditEntry
from dipsampling.followup import Status, follow_up_log, overdue
from present import dip_followup_wording as fw
from tests.conftest import open_page
from tests.test_dipsampling import fill, loaded, run  # noqa: F401 (the store of four districts)

TODAY = date(2026, 3, 10)


@pytest.fixture
def reviewed(loaded, capsys, tmp_path):  # noqa: F811
    """Sample 1 of 4 Wyre cases: case 1 answered no, case 2 judged inappropriate with every
    answer yes, case 3 appropriate with every answer yes, case 4 not reviewed."""
    assert run(capsys, "draw", "--from", "2025-01", "--to", "2025-01", "--area", "Wyre",
               "--size", 4, "--seed", 9)[0] == 0  # fmt: skip
    sheet = tmp_path / "sample.xlsx"
    assert run(capsys, "export", 1, "--out", sheet)[0] == 0
    cells = {(2, "risk_assessed"): "no", (2, "verdict"): "Appropriate with observations",
             (3, "risk_assessed"): "yes", (3, "verdict"): "Inappropriate",
             (4, "risk_assessed"): "yes", (4, "verdict"): "appropriate"}  # fmt: skip
    assert run(capsys, "import", fill(sheet, cells, tmp_path / "filled.xlsx"))[0] == 0
    return loaded


def log_of(store, today: date = TODAY) -> pd.DataFrame:
    with session_scope(store.engine) as session:
        return follow_up_log(session=session, catalogue=get_catalogue(), sample_id=1, today=today)


def case_id(store, position: int) -> int:
    with session_scope(store.engine) as session:
        drawn = dipsamples.cases(session=session, sample_id=1)
    return int(drawn.loc[drawn["position"] == position, "case_id"].iloc[0])


def save(store, position: int, **fields) -> list[str]:
    with session_scope(store.engine) as session:
        return followups.save(
            session=session, actor="tests", case_id=case_id(store, position), entry=Entry(**fields)
        )


def test_a_no_answer_and_an_inappropriate_verdict_each_put_a_case_on_the_log(reviewed):
    log = log_of(reviewed)
    assert log["position"].tolist() == [1, 2]  # not case 3 (all yes), nor 4 (not reviewed)
    assert log["reasons"].tolist() == [["risk_assessed"], ["inappropriate"]]
    assert log["status"].tolist() == [Status.UNASSIGNED, Status.UNASSIGNED]
    assert log["opened"].tolist() == [date.today(), date.today()]


def test_an_entry_is_opened_edited_closed_and_each_version_kept(reviewed):
    due = TODAY + timedelta(days=7)
    assert save(reviewed, 1, owner="Sgt W", action="Re-contact the victim", due=due) == [
        "owner: (none) -> 'Sgt W'",
        "action: (none) -> 'Re-contact the victim'",
        f"due: (none) -> {due}",
    ]
    assert log_of(reviewed).loc[0, "status"] == Status.OPEN
    late = log_of(reviewed, today=due + timedelta(days=5))  # the same entry, five days past due
    assert (late.loc[0, "status"], late.loc[0, "days_overdue"]) == (Status.OVERDUE, 5)
    names = {d.ons_code: d.name for d in get_catalogue().geography.district}
    assert fw.overdue_lines(overdue(late), names) == [
        f"Case 1 (Wyre) is 5 days overdue: due {due:%d %B %Y}, owner Sgt W, action: "
        "Re-contact the victim."
    ]
    assert save(reviewed, 1, owner="Sgt W", action="Re-contact the victim", due=due) == []
    closed = TODAY + timedelta(days=9)
    changes = save(reviewed, 1, owner="Sgt W", action="Re-contact the victim", due=due,
                   closed_on=closed, closed_by="tests", note="Victim called back")  # fmt: skip
    assert changes == [
        f"closed_on: (none) -> {closed}",
        "closed_by: (none) -> 'tests'",
        "note: (none) -> 'Victim called back'",
    ]
    after = log_of(reviewed, today=due + timedelta(days=5))
    assert (after.loc[0, "status"], after.loc[0, "version"]) == (Status.CLOSED, 2)
    with session_scope(reviewed.engine) as session:
        versions = followups.history(session=session, case_id=case_id(reviewed, 1))
        audited = session.query(AuditEntry.action, AuditEntry.detail).all()
    assert versions["version"].tolist() == [1, 2]
    assert versions["closed_on"].isna().tolist() == [True, False]  # the first kept as it was
    follow = [(a, d) for a, d in audited if a.startswith("follow-up")]
    assert follow == [
        ("follow-up opened", "case 1: " + "; ".join(
            ["owner: (none) -> 'Sgt W'", "action: (none) -> 'Re-contact the victim'",
             f"due: (none) -> {due}"])),
        ("follow-up changed", "case 1: " + "; ".join(changes)),
    ]  # fmt: skip


def test_an_entry_stays_on_the_log_when_its_answers_change(reviewed, capsys, tmp_path):
    save(reviewed, 1, owner="Sgt W")
    sheet = tmp_path / "again.xlsx"
    assert run(capsys, "export", 1, "--out", sheet)[0] == 0
    assert run(capsys, "import", fill(sheet, {(2, "risk_assessed"): "yes"}, sheet))[0] == 0
    log = log_of(reviewed)
    assert log["position"].tolist() == [1, 2] and log.loc[0, "reasons"] == []
    assert fw.follow_up_reasons([], {}, {}).startswith("none now")


def test_the_report_lists_the_follow_up_log_without_case_detail(reviewed, capsys):
    due = date.today() - timedelta(days=3)
    save(reviewed, 2, owner="Inspector", action="Review the closure", due=due)
    code, out, _ = run(capsys, "report", 1, "--follow-up")
    assert code == 0
    table = pd.read_csv(pd.io.common.StringIO(out), keep_default_na=False)
    assert list(table.columns) == [
        "case", "district", "reasons", "opened", "owner", "action", "due", "status",
        "days_overdue", "closed_on", "closed_by", "demonstration",
    ]  # fmt: skip
    assert table["reasons"].tolist() == [
        "Risk assessment completed at first contact",
        "verdict: Inappropriate",
    ]
    assert table["status"].tolist() == ["not yet assigned", "overdue"]
    assert table.loc[1, ["due", "days_overdue"]].tolist() == [f"{due:%Y-%m-%d}", 3]
    assert "INC/" not in out  # no incident reference: the command is open to the board


def test_the_pack_lists_the_log_in_the_area_without_case_detail(reviewed):
    from boardpack import sections

    with session_scope(reviewed.engine) as session:
        sample = dipsamples.sample(session=session, sample_id=1)
        found = sections.dip_follow_up(
            session=session, catalogue=get_catalogue(), sample=sample, area="Wyre"
        )
        elsewhere = sections.dip_follow_up(
            session=session, catalogue=get_catalogue(), sample=sample, area="Burnley"
        )
    assert elsewhere is None
    assert found.summary == (
        "2 cases on the follow-up log: 0 closed, 2 still open (0 overdue, 2 with no owner yet)."
    )
    assert "Reference" not in found.log.columns and "Note" not in found.log.columns
    assert found.log["Status"].tolist() == ["Open: no owner yet"] * 2
    by_district = found.by_district.set_index("District")  # what the printed pack shows
    assert by_district.loc["Wyre", "On the log"] == 2 == by_district.loc["All districts"].iloc[0]
    assert by_district.loc["Wyre", "Not yet assigned"] == 2


@pytest.mark.usefixtures("demo_copy")
def test_the_follow_up_tab_shows_the_log_and_saves_a_change():
    at = open_page("pages/dip-sampling.py")
    assert [t.label for t in at.tabs] == ["Results", "Review a case", "Follow-up", "Draw a sample"]
    texts = [m.value for m in at.markdown]
    assert any("on the follow-up log: 1 closed" in t for t in texts), texts
    assert any(" is 7 days overdue: due " in w.value for w in at.warning)  # the demo's late one
    shown = next(d.value for d in at.dataframe if "Owner" in d.value.columns)
    assert "OVERDUE: 7 days past due" in shown["Status"].tolist()
    case = next(s for s in at.selectbox if s.label == "Case to follow up")
    position = shown["Case"].iloc[-1]  # a case the demonstration left without an entry
    case.set_value(position).run()
    next(t for t in at.text_input if t.label == "Owner").set_value("Neighbourhood sergeant")
    next(t for t in at.text_area if t.label == "Action agreed").set_value("Call the victim")
    next(b for b in at.button if b.label == "Save the follow-up").click()
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        f"Case {position}'s follow-up saved: owner: (none) -> 'Neighbourhood sergeant'; "
        "action: (none) -> 'Call the victim'."
    ]
    versions = next(d.value for d in at.dataframe if "Version" in d.value.columns)
    assert versions["Version"].tolist() == [1]
