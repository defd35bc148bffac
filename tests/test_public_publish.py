"""What was published is kept (issue 25): publishing stores the summary as issued and audits
it; a past summary is downloaded again byte for byte; a later summary says which published
figures were revised (never revealing a withheld figure); the summary reads at about reading
age 9; the page lets a resident choose an area."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest
import textstat
import textstat.backend.counts._count_syllables as syllables
from sqlalchemy import select

from commands.public import add_public_commands, cmd_public
from db.engine import session_scope
from db.models import AuditEntry
from ingest import inspect
from ingest.load import load_plan
from present import public_area_wording as aw
from present import public_wording as pw
from publicsummary import export, issue
from publicsummary.periods import Period
from tests.conftest import Store, open_page
from tests.test_public_summary import CAT, CURRENT, PAGE, _build, _returns, _summary

TODAY = date(2025, 10, 15)
READING_GRADE = 5.5  # Flesch-Kincaid grade: reading age about 9-10 (grade + 5), GOV.UK's aim


@pytest.fixture
def built(tmp_path):
    store = _build(Store("sqlite", tmp_path), tmp_path)
    yield store
    store.close()


def _republish(store: Store, tmp: Path, **changed: int) -> None:
    """Load April 2025 again with `changed` districts' counts (the rest as before)."""
    counts = dict(CURRENT) | changed
    path = _returns(tmp / "again.csv", {date(2025, 4, 1): counts})
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[: 1 + len(counts)]) + "\n", encoding="utf-8")
    plan = inspect(path, catalogue=CAT, kind="returns")
    assert plan.ok, plan.messages()
    load_plan(engine=store.engine, catalogue=CAT, plan=plan, actor="tests")


def _publish(store: Store, actor: str = "Analyst A"):
    summary = _summary(store, threshold=5)
    with session_scope(store.engine) as session:
        return issue.publish(
            session=session, summary=summary, catalogue=CAT, actor=actor, channel=issue.PAGE,
            today=TODAY,
        )  # fmt: skip


def _audit(store: Store) -> list[tuple[str, str, str]]:
    with session_scope(store.engine) as session:
        rows = session.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.detail))
        return [tuple(r) for r in rows if "public summary" in r[1]]


def test_publishing_keeps_the_files_as_issued_and_audits_who_and_what(built):
    kept = _publish(built)
    summary = _summary(built, threshold=5)
    assert kept.html == export.html(summary, CAT, today=TODAY)
    assert kept.csv == export.csv(summary, CAT)
    assert (kept.issued_by, kept.period_first, kept.period_last) == (
        "Analyst A",
        date(2025, 4, 1),
        date(2025, 9, 1),
    )
    assert kept.data_version == summary.version
    [(actor, action, detail)] = _audit(built)
    assert (actor, action) == ("Analyst A", "public summary published")
    assert detail.startswith(f"summary {kept.issue}: page: April to September 2025 against ")
    assert "April to September 2024" in detail


def test_a_revised_figure_is_said_with_its_published_value_never_a_withheld_one(built, tmp_path):
    kept = _publish(built)
    _republish(built, tmp_path, Blackpool=47, Wyre=4, Burnley=2)
    summary = _summary(built, threshold=5)
    notes = {(r.area, r.period.first): (r.was, r.now) for r in summary.revised}
    assert notes[("Blackpool", date(2025, 4, 1))] == (40, 47)
    assert notes[("Wyre", date(2025, 4, 1))] == (6, None)  # now 4: withheld, not said
    assert ("Burnley", date(2025, 4, 1)) not in notes  # never published (3, withheld)
    blackpool = next(r for r in summary.revised if r.area == "Blackpool")
    assert aw.revision(blackpool, CAT) == (
        "Orders and powers used, Blackpool, April to September 2025: revised since published "
        f"on {pw.day(date.today())}: was 40, now 47."
    )
    wyre = next(r for r in summary.revised if r.area == "Wyre")
    assert aw.revision(wyre, CAT).endswith("was 6, now withheld.")
    html = export.html(summary, CAT).decode()
    assert aw.REVISED in html and "was 40, now 47" in html
    rows = export.rows(summary, CAT).set_index(["measure", "area"]).loc["civil_orders"]
    assert "was 40, now 47" in rows.loc["Blackpool", "revised_note"]
    # the earlier summary is still there, byte for byte
    with session_scope(built.engine) as session:
        again = issue.reissue(session=session, issue=kept.issue, actor="Board B", kind="html")
    assert again == kept.html and b"was 40" not in again
    assert _audit(built)[-1][:2] == ("Board B", "public summary downloaded as issued")


def test_an_unchanged_republication_has_no_revision_note(built, tmp_path):
    _publish(built)
    _republish(built, tmp_path)
    assert _summary(built, threshold=5).revised == ()


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="manage.py")
    add_public_commands(parser.add_subparsers(dest="command"))
    return cmd_public(parser.parse_args(["public", *argv]))


def test_the_command_publishes_reissues_and_audits(built, use_store, tmp_path, capsys):
    use_store(built)
    draft, issued, again = tmp_path / "d.html", tmp_path / "p.csv", tmp_path / "a.csv"
    assert _run("--out", str(draft), "--date", "2025-10-15") == 0
    assert _run("--out", str(issued), "--date", "2025-10-15", "--publish") == 0
    assert "and published it as summary 1" in capsys.readouterr().out
    assert _run("--out", str(again), "--issued", "1") == 0
    assert again.read_bytes() == issued.read_bytes()
    assert _run("--out", str(again), "--issued", "9") == 1
    assert "No public summary numbered 9" in capsys.readouterr().err
    actions = [a for _, a, _ in _audit(built)]
    assert actions == [
        "public summary written",
        "public summary published",
        "public summary downloaded as issued",
    ]


def _prose(summary) -> str:
    parts = [pw.intro(summary, CAT)]
    parts += [pw.sentence(m, summary, CAT) for m in summary.measures]
    parts += [pw.definition(m.code, CAT) for m in summary.measures]
    parts += [*pw.how_to_read(summary, CAT), aw.TREND_NOTE, aw.REVISED_NOTE, pw.DEMO]
    return " ".join(parts)


def test_the_summary_reads_at_about_reading_age_nine(demo_sqlite, monkeypatch):
    """Flesch-Kincaid grade of the generated prose (sentences, notes, definitions), syllables
    counted with Pyphen's hyphenation (textstat's fallback: NLTK's CMU dictionary is not
    installed here)."""
    monkeypatch.setattr(syllables, "get_cmudict", lambda _lang: None)
    syllables.count_syllables.cache_clear() if hasattr(
        syllables.count_syllables, "cache_clear"
    ) else None
    grade = textstat.flesch_kincaid_grade(_prose(_summary(demo_sqlite)))
    assert grade <= READING_GRADE, grade


def test_the_page_shows_the_chosen_areas_figures_and_trend(demo_sqlite, use_store):
    use_store(demo_sqlite)
    at = open_page(PAGE)
    area = next(s for s in at.selectbox if s.label == aw.CHOOSE_AREA)
    area.set_value("Burnley").run()
    tables = [d.value for d in at.dataframe]
    summary = _summary(demo_sqlite)
    assert tables[0].equals(aw.area_table(summary, "Burnley", CAT))
    asb = summary.measures[0]
    assert tables[1].equals(aw.trend_table(asb, summary, "Burnley"))
    assert len(tables[1]) == len(summary.trend) >= 2
    alt = [c.value for c in at.caption if c.value.startswith("Bar chart of")]
    assert alt and "Burnley" in alt[0]
    assert [b.label for b in at.button if b.label == aw.PUBLISH] == [aw.PUBLISH]  # open demo


def test_the_page_publishes_the_summary_and_offers_it_again_as_issued(demo_copy):
    earlier = len(_audit(demo_copy))  # the shared demo store may hold writes of other tests
    at = open_page(PAGE)
    assert "No summary has been published yet." in [m.value for m in at.markdown]
    next(b for b in at.button if b.label == aw.PUBLISH).click().run(timeout=240)
    assert at.success[0].value == aw.published_done(1)
    [(actor, action, detail)] = _audit(demo_copy)[earlier:]
    assert actor and action == "public summary published" and detail.startswith("summary 1: page: ")
    assert "DEMONSTRATION data" in detail
    past = next(s for s in at.selectbox if s.label == aw.PUBLISHED_BEFORE)
    assert past.options and past.options[0].startswith("Summary 1: April to September 2026")


def test_a_half_year_is_withheld_the_same_way_in_every_summary_that_shows_it(demo_sqlite):
    """Two summaries that both show a half year (unchanged data) must withhold the same cells
    of it: two different patterns for the same figures could be put together to undo both."""
    later = _summary(demo_sqlite)
    earlier = _summary(demo_sqlite, through=date(2026, 4, 1))
    assert earlier.period != later.period
    common = [p for p in earlier.trend if p in later.trend]
    assert len(common) >= 2
    for old, new in zip(earlier.measures, later.measures, strict=True):
        for p in common:
            column = f"{p.first:%Y-%m}"
            assert old.trend_withheld[column].equals(new.trend_withheld[column]), (old.code, p)
            assert old.trend[column].equals(new.trend[column]), (old.code, p)


def test_real_force_months_are_compared_with_the_same_half_year_a_year_before():
    """police.uk's real force-wide ASB, December 2019 to October 2022 with the pandemic's gaps:
    April to September 2022 is set against April to September 2021 (down), not the winter just
    before it (which would read as a rise); April to September 2020 has gaps, so it is left out
    rather than compared."""
    import pandas as pd

    from publicsummary import periods
    from tests.conftest import require_shared

    real = pd.read_csv(require_shared("reference", "policeuk_lancashire_force_monthly.csv"))
    real["month"] = pd.to_datetime(real["month"]).dt.date
    found = periods.available([set(real["month"])], rules=CAT.public)
    shown = periods.compared(found[0], found)
    assert shown == (
        Period(date(2022, 4, 1), date(2022, 9, 1)),
        Period(date(2021, 4, 1), date(2021, 9, 1)),
    )
    asb = real.set_index("month")["asb_incidents"]

    def total(p: Period) -> int:
        return int(asb.reindex(p.months()).sum())

    assert [total(p) for p in shown] == [30_861, 39_612]
    winter = Period(date(2021, 10, 1), date(2022, 3, 1))
    assert winter in found and total(winter) == 27_298  # "up 3,563" had it been compared
    assert Period(date(2020, 4, 1), date(2020, 9, 1)) not in found


@pytest.mark.parametrize(("role", "published"), [("board", False), ("analyst", True)])
def test_only_an_analyst_or_admin_may_publish_from_the_command_line(
    built, use_store, monkeypatch, tmp_path, capsys, role, published
):
    from auth.tokens import make_token
    from config import get_settings
    from db import accounts

    with session_scope(built.engine) as session:
        for name in ("admin", role):
            accounts.add(session=session, name=name, role=name, password_hash=None, actor="t")
    use_store(built)
    token = make_token(engine=built.engine, account=role, name="tests", days=1)
    monkeypatch.setenv("DASHBOARD_TOKEN", token)  # proven, not claimed (auth.proof)
    get_settings.cache_clear()
    try:
        status = _run("--out", str(tmp_path / "p.html"), "--date", "2025-10-15", "--publish")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert status == (0 if published else 1)
    assert (tmp_path / "p.html").exists() is published
    if not published:
        assert capsys.readouterr().err.startswith(
            "Only the analyst or admin roles may publish the public summary"
        )
    assert [a for _, a, _ in _audit(built)] == (["public summary published"] if published else [])
