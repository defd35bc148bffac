"""Access by area (issue 26) below the pages: the scoped reads of `db/` return only the rows
of allowed areas even when asked for another area by name; the identity of a limited account
carries its areas (analysts and admins are force-wide whatever is recorded); the limit is set
by `manage.py user areas` (audited, bad input refused with nothing changed); and `export` and
`status` run as a limited account print only its areas."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

import manage
import scoring
from auth import account_identity, hash_password, tokens
from auth.areas import limit_asked, scope
from config import get_catalogue, get_settings
from config.areascope import EVERY_AREA, allowed_names, scope_of
from db import accounts, dipsamples
from db.account_areas import limit_of, set_limit
from db.engine import read_scope, session_scope
from db.history import by_source, completeness
from db.models import AuditEntry
from db.queries import (
    LEVELS,
    breakdown_totals,
    export_values,
    hour_weekday_counts,
    monthly_values,
    store_summary,
)
from dipsampling import report
from tests.conftest import sqlite_copy

GEO = get_catalogue().geography
EAST, SOUTH = GEO.division[0].name, GEO.division[1].name
EAST_DISTRICTS = [d for d in GEO.district if d.division == EAST]
BURNLEY = EAST_DISTRICTS[1]
OTHER = next(d for d in GEO.district if d.division != EAST)
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def store(demo_sqlite, tmp_path_factory):
    """The demonstration store with accounts: a board account per limit, an analyst whose
    recorded limit is ignored."""
    copy = sqlite_copy(demo_sqlite, tmp_path_factory.mktemp("areas-db"))
    with session_scope(copy.engine) as session:
        for name, role in [("admin1", "admin"), ("east", "board"), ("burnley", "reviewer"),
                           ("wide", "board"), ("analyst1", "analyst")]:  # fmt: skip
            accounts.add(session=session, name=name, role=role,
                         password_hash=hash_password(PASSWORD), actor="test")  # fmt: skip
        set_limit(session=session, name="east", limit=limit_asked(division=EAST), actor="t")
        burnley = limit_asked(districts=[BURNLEY.ons_code])
        set_limit(session=session, name="burnley", limit=burnley, actor="t")
        set_limit(session=session, name="analyst1", limit=burnley, actor="t")
        latest = store_summary(session=session).latest_month
    scoring.refresh(engine=copy.engine, catalogue=get_catalogue(), months=[latest])
    yield copy
    copy.close()


@pytest.mark.parametrize(
    ("level", "codes", "expected"),
    [
        ("division", [EAST], {EAST, *(d.name for d in EAST_DISTRICTS)}),
        ("district", [BURNLEY.ons_code], {BURNLEY.name}),
        ("district", [BURNLEY.name, OTHER.ons_code], {BURNLEY.name, OTHER.name}),
    ],
)
def test_a_division_brings_its_districts_and_districts_only_themselves(level, codes, expected):
    assert allowed_names(GEO, level, codes) == expected


@pytest.mark.parametrize(
    "asked",
    [{"division": "Nowhere"}, {"districts": ["E99999999"]}, {}, {"division": EAST, "every": True}],
)
def test_an_unknown_area_or_no_single_choice_is_refused(asked):
    with pytest.raises(ValueError):
        limit_asked(**asked)


def test_identities_carry_their_areas_and_analysts_are_force_wide(store):
    assert account_identity(engine=store.engine, name="east").areas == allowed_names(
        GEO, "division", [EAST]
    )
    assert account_identity(engine=store.engine, name="burnley").areas == {BURNLEY.name}
    assert account_identity(engine=store.engine, name="wide").areas is None
    assert account_identity(engine=store.engine, name="analyst1").areas is None


def _burnley():
    return scope_of(frozenset({BURNLEY.name}), GEO)


def _east():
    return scope_of(allowed_names(GEO, "division", [EAST]), GEO)


@pytest.mark.parametrize("level", LEVELS)
def test_monthly_values_hold_only_allowed_areas_even_when_asked_by_name(store, level):
    every = [a for a in get_catalogue().area_names() if get_catalogue().area_level(a) == level]
    with read_scope(store.engine) as session:
        for limited, allowed in [(_burnley(), {BURNLEY.name}), (_east(), _east().names)]:
            found = monthly_values(session=session, level=level, areas=every, scope=limited)
            assert set(found["area"]) <= allowed
            wide = monthly_values(session=session, level=level, areas=every)
            assert set(wide["area"]) == set(every)  # the wide read is unchanged
    if level == "force":
        assert found.empty


def test_other_area_reads_are_empty_for_a_limited_scope(store):
    start, end = date(2024, 1, 1), date(2024, 12, 1)
    with read_scope(store.engine) as session:
        asked = {"session": session, "measure": "asb_incidents", "start": start, "end": end}
        other = breakdown_totals(**asked, level="district", area=OTHER.name, scope=_burnley())
        force = breakdown_totals(**asked, level="force", area=GEO.force, scope=_east())
        hours = hour_weekday_counts(session=session, level="district", start=start, end=end,
                                    scope=_burnley())  # fmt: skip
        done = completeness(session=session, start=start, end=end, scope=_burnley())
        sources = by_source(session=session, measure="asb_incidents", aggregation="sum",
                            start=start, end=end, scope=_east())  # fmt: skip
        exported = export_values(session=session, catalogue=get_catalogue(), scope=_east())
        as_of = store_summary(session=session).latest_month
        scores = scoring.read(session=session, as_of=as_of, area=GEO.force, scope=_east())
        district_scores = scoring.read(session=session, as_of=as_of, level="district",
                                       scope=_burnley())  # fmt: skip
    assert other.empty and force.empty and sources.empty and scores.empty
    assert set(hours["area"]) == {BURNLEY.name}
    assert set(done["area_code"]) == {BURNLEY.ons_code}
    assert set(exported["area"]) <= _east().names and not exported.empty
    assert set(district_scores["area"]) == {BURNLEY.name}


def test_dip_sample_cases_and_report_hold_only_allowed_districts(store):
    with read_scope(store.engine) as session:
        sample = dipsamples.samples(session=session)[0]
        cases = dipsamples.cases(session=session, sample_id=sample.id, scope=_burnley())
        table = report(session=session, catalogue=get_catalogue(), sample_id=sample.id,
                       scope=_east())  # fmt: skip
        wide = report(session=session, catalogue=get_catalogue(), sample_id=sample.id)
    assert set(cases["district_code"]) <= {BURNLEY.ons_code}
    assert GEO.force in set(wide["area"])
    assert set(table["area"]) <= _east().names  # no force-wide pooled estimate


def _as(monkeypatch, store, name: str) -> None:
    """Run the command line as `name`, proven by a personal access token (as a script would):
    the token's identity carries the account's areas."""
    monkeypatch.setenv("DATABASE_URL", store.url)
    token = tokens.make_token(engine=store.engine, account=name, name="tests", days=1)
    monkeypatch.setenv("DASHBOARD_TOKEN", token)
    get_settings.cache_clear()


def _csv(capsys, argv: list[str]) -> pd.DataFrame:
    assert manage.main(argv) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


@pytest.mark.parametrize("command", [["export", "--from", "2025-01"], ["status"]])
def test_export_and_status_of_a_limited_account_hold_only_its_areas(
    store, monkeypatch, capsys, command
):
    _as(monkeypatch, store, "east")
    mine = _csv(capsys, command)
    assert not mine.empty and set(mine["area"]) <= _east().names
    assert set(mine["level"]) == {"division", "district"}
    _as(monkeypatch, store, "burnley")
    assert set(_csv(capsys, command)["area"]) == {BURNLEY.name}
    _as(monkeypatch, store, "analyst1")
    assert GEO.force in set(_csv(capsys, command)["area"])
    get_settings.cache_clear()


def test_manage_user_areas_sets_the_limit_audited_and_refuses_bad_input(store, monkeypatch, capsys):
    _as(monkeypatch, store, "admin1")
    assert manage.main(["user", "areas", "wide", "--district", OTHER.name, BURNLEY.ons_code]) == 0
    with read_scope(store.engine) as session:
        assert limit_of(session=session, name="wide").codes == tuple(
            sorted([OTHER.ons_code, BURNLEY.ons_code])
        )
        audited = session.query(AuditEntry).filter_by(action="account areas changed").all()
    assert any(e.detail.startswith("wide: areas every area -> districts") for e in audited)
    assert manage.main(["user", "areas", "wide", "--division", "Nowhere"]) == 1
    assert "unknown division 'Nowhere'" in capsys.readouterr().err
    assert manage.main(["user", "areas", "nobody", "--all"]) == 1
    with read_scope(store.engine) as session:
        assert limit_of(session=session, name="wide").level == "district"  # nothing changed
    assert manage.main(["user", "areas", "wide", "--all"]) == 0
    assert scope(account_identity(engine=store.engine, name="wide")) == EVERY_AREA
    get_settings.cache_clear()


def test_an_admin_sets_an_accounts_areas_in_the_app_audited(store, monkeypatch):
    from datetime import datetime

    from streamlit.testing.v1 import AppTest

    from config import PROJECT_ROOT
    from views.auth import SIGNED_IN

    monkeypatch.setenv("DATABASE_URL", store.url)
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    get_settings.cache_clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    at.switch_page("pages/accounts.py")
    at.session_state[SIGNED_IN] = {"name": "admin1", "seen": datetime.now()}
    at.run()
    assert not at.exception, at.exception
    form = next(s for s in at.selectbox if s.label == "Account to limit")
    form.set_value("wide")
    next(r for r in at.radio if r.label == "May see").set_value("One division")
    next(s for s in at.selectbox if s.label == "Division").set_value(SOUTH)
    next(b for b in at.button if b.label == "Save the account's areas").click()
    at.run()
    assert not at.exception, at.exception
    assert any("wide may now see division South" in s.value for s in at.success)
    with read_scope(store.engine) as session:
        assert limit_of(session=session, name="wide").codes == (SOUTH,)
        audited = session.query(AuditEntry).filter_by(action="account areas changed").all()
    assert any(e.actor == "admin1" and e.detail.startswith("wide: areas") for e in audited)
    get_settings.cache_clear()
