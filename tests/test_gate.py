"""Sign-in follows the accounts, not the data (issue 26), on every page of
`views.navigation.NAVIGATION` in AppTest: a store with accounts and no data shows only the
sign-in form; an empty store without accounts is open and says it holds nothing; a public
account lands on the Public summary; "Back to the demonstration" for the roles that may; the
sidebar's sections by who they serve."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import ingest
from config import PROJECT_ROOT, get_catalogue
from config.access import Can, Role, allowed
from db import accounts
from db.engine import session_scope
from db.models import AuditEntry
from db.queries import StoreSummary, store_summary
from db.store import init_store
from demo import DemoResult
from demo.again import load_demo_again
from ingest.load import load_plan
from present import setup_wording as sw
from tests.conftest import Store, address, switch_to
from tests.test_setup import GOOD as RETURN
from views import setup_view
from views.auth import SIGN_IN_INTRO, SIGNED_IN
from views.navigation import NAVIGATION

PAGES = [(address(p, u), t) for pages in NAVIGATION.values() for p, t, _, u in pages]
IDS = [title for _, title in PAGES]


@pytest.fixture
def bare(tmp_path, use_store) -> Store:
    """An empty SQLite store with its schema and no account, that the app reads."""
    made = Store("sqlite", tmp_path)
    init_store(engine=made.engine, catalogue=get_catalogue(), actor="tests")
    use_store(made)
    yield made
    made.close()


@pytest.fixture
def accounts_no_data(bare: Store) -> Store:
    """The empty store with one account per role (named as the role), and no data at all:
    as after an analyst undid every real load."""
    with session_scope(bare.engine) as session:
        for role in Role:
            accounts.add(
                session=session, name=role.value, role=role, password_hash=None, actor="tests"
            )
    return bare


def run_page(path: str | None, *, name: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    if path:
        switch_to(at, path)
    if name is not None:
        at.session_state[SIGNED_IN] = {"name": name, "seen": datetime.now()}
    at.run()
    assert not at.exception, at.exception
    return at


def sidebar_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.sidebar.markdown)


@pytest.mark.parametrize(("path", "title"), PAGES, ids=IDS)
@pytest.mark.usefixtures("accounts_no_data")
def test_a_store_with_accounts_and_no_data_asks_for_sign_in_on_every_page(path, title):
    at = run_page(path)
    assert [t.value for t in at.title] == [title]
    assert SIGN_IN_INTRO in [m.value for m in at.markdown]
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert not at.sidebar.get("page_link")
    assert sw.SETUP_BUTTON not in [b.label for b in at.button]
    assert "Open demonstration" not in sidebar_text(at)


@pytest.mark.parametrize(("path", "title"), PAGES, ids=IDS)
@pytest.mark.usefixtures("bare")
def test_an_empty_store_without_accounts_is_open_and_says_it_holds_nothing(path, title):
    at = run_page(path)
    assert [t.value for t in at.title] == [title]
    assert "Password" not in [t.label for t in at.text_input]
    shown = sidebar_text(at)
    assert f"holds {sw.HOLDS_NOTHING}" in shown and sw.HOLDS_DEMO not in shown
    assert sw.SETUP_BUTTON in [b.label for b in at.sidebar.button]


@pytest.mark.parametrize(
    ("loads", "has_demo", "has_real", "holds"),
    [
        (0, False, False, sw.HOLDS_NOTHING),
        (1, True, False, sw.HOLDS_DEMO),
        (1, False, True, sw.HOLDS_REAL),
        (2, True, True, sw.HOLDS_REAL),
    ],
)
def test_the_open_notice_says_what_the_store_holds(loads, has_demo, has_real, holds):
    info = StoreSummary(
        loads=loads,
        observations=loads,
        incidents=0,
        first_month=None,
        latest_month=None,
        last_loaded_at=None,
        has_demo=has_demo,
        has_real=has_real,
    )
    assert sw.store_holds(info) == holds
    assert f"holds {holds}," in sw.open_notice(info)


@pytest.mark.usefixtures("accounts_no_data")
def test_a_public_account_lands_on_the_public_summary():
    at = run_page(None, name="public")
    assert [t.value for t in at.title] == ["Public summary"]
    assert not [e for e in at.error if e.value.startswith("Only the")]
    elsewhere = run_page("pages/districts.py", name="public")  # asked for by URL: refused
    assert elsewhere.error[0].value.startswith("Only the")


def test_the_sidebar_groups_pages_by_who_they_serve():
    assert list(NAVIGATION) == [
        "For the board",
        "Operations",
        "Oversight",
        "For analysts",
        "Administration",
        "Public",
        "Your account",
    ]
    assert [p for p, _, _, _ in NAVIGATION["Public"]] == ["pages/public-summary.py"]
    assert [p for p, _, _, _ in NAVIGATION["Your account"]] == ["pages/account.py"]


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.usefixtures("accounts_no_data")
def test_back_to_the_demonstration_is_offered_to_the_roles_that_may(role):
    at = run_page("pages/data.py", name=role.value)
    offered = sw.BACK_TO_DEMO in [b.label for b in at.button]
    may = allowed({role}, Can.RESTORE_DEMO) and allowed({role}, Can.SEE_AGGREGATES)
    assert offered is may


@pytest.mark.usefixtures("accounts_no_data")
def test_back_to_the_demonstration_on_the_page_loads_it_as_the_admin(monkeypatch):
    """The page's button calls the loader as the signed-in admin and says what it did (the
    loader is stood in for: the page after a real demonstration load takes minutes to score,
    and `load_demo_again` is tested on its own below)."""
    asked = []

    def loaded(**given):
        asked.append(given["actor"])
        return DemoResult(load_id=1, incidents=123, observations=4, replaced_loads=0, seconds=0)

    monkeypatch.setattr(setup_view, "load_demo_again", loaded)
    at = run_page("pages/data.py", name="admin")
    next(b for b in at.button if b.label == sw.BACK_TO_DEMO).click()
    at.run()
    assert not at.exception, at.exception
    assert asked == ["admin"]
    assert at.success[0].value == sw.BACK_TO_DEMO_DONE.format(incidents=123)


def test_load_demo_again_keeps_accounts_and_sign_in_and_never_mixes_with_real(
    accounts_no_data, tmp_path
):
    engine, catalogue = accounts_no_data.engine, get_catalogue()
    result = load_demo_again(engine=engine, catalogue=catalogue, seed=11, actor="admin")
    with session_scope(engine) as session:
        assert store_summary(session=session).has_demo and result.incidents > 0
        actors = session.execute(
            select(AuditEntry.actor).where(AuditEntry.action == "back to the demonstration")
        ).scalars()
        assert list(actors) == ["admin"]
        assert accounts.count(session=session) == len(Role)
    anonymous = run_page("pages/overview.py")
    assert [t.label for t in anonymous.text_input] == ["Name", "Password"]
    real = tmp_path / "june.csv"
    real.write_text(RETURN)
    plan = ingest.inspect(real, catalogue=catalogue)
    load_plan(engine=engine, catalogue=catalogue, plan=plan, actor="analyst")
    assert load_demo_again(engine=engine, catalogue=catalogue, seed=11, actor="admin") is None
