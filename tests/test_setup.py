"""The first accounts made in the app with the server's one-time set-up code (issue 26):
`auth.setup` by itself (the code printed once, compared, spent; refusals audited; nothing
made on any refusal) and end to end in AppTest (the sidebar's "Set up accounts", the first
real load on the Data store page, the sign-in form of a store that asks for sign-in)."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import auth
from auth import setup
from config import PROJECT_ROOT, get_catalogue, get_settings
from config.access import Role
from db import accounts
from db.engine import session_scope
from db.models import AuditEntry
from db.models.account import Account
from db.store import init_store
from present import setup_wording as sw
from tests.conftest import Store, switch_to

ADMIN_PASSWORD = "a long admin passphrase"
ANALYST_PASSWORD = "an analyst's own long passphrase"
CODE_LINE = re.compile(r"^ {6}(\S+)$", re.MULTILINE)  # the code, alone on its line
RETURN = "measure,month,area,breakdown,value,numerator,denominator,note\n"
GOOD = RETURN + "hotspot_patrol_hours,2025-06,Burnley,,120,,,\n"


@pytest.fixture
def bare(tmp_path, use_store) -> Store:
    """An empty SQLite store with its schema and no account, that the app reads."""
    made = Store("sqlite", tmp_path)
    init_store(engine=made.engine, catalogue=get_catalogue(), actor="tests")
    use_store(made)
    yield made
    made.close()


def announced(store: Store) -> str:
    """The set-up code `setup.announce` prints for `store` (as the server's start does)."""
    out = io.StringIO()
    assert setup.announce(store.engine, out=out)
    printed = out.getvalue()
    assert store.url.removeprefix("sqlite:///") in printed
    return CODE_LINE.search(printed).group(1)


def claim(store: Store, code: str, **given: str) -> setup.SetupResult:
    people = {
        "admin": "first admin",
        "admin_password": ADMIN_PASSWORD,
        "analyst": "first analyst",
        "analyst_password": ANALYST_PASSWORD,
    }
    return setup.claim(engine=store.engine, code=code, **{**people, **given})


def names(store: Store) -> dict[str, str]:
    """Every account's name and role."""
    with session_scope(store.engine) as session:
        return dict(session.execute(select(Account.name, Account.role)).all())


def audited(store: Store, action: str) -> list[tuple[str, str]]:
    with session_scope(store.engine) as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.detail).where(AuditEntry.action == action)
        )
        return [tuple(r) for r in rows]


# --- the rules of auth.setup ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("has_accounts", "required", "expected"),
    [(False, False, False), (True, False, True), (False, True, True), (True, True, True)],
)
def test_sign_in_follows_the_accounts(monkeypatch, has_accounts, required, expected):
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1" if required else "0")
    get_settings.cache_clear()
    try:
        assert auth.login_required(has_accounts=has_accounts) is expected
    finally:
        get_settings.cache_clear()


def test_the_code_is_printed_once_per_store_and_kept_only_as_a_digest(bare):
    code = announced(bare)
    assert len(code) >= 32
    again = io.StringIO()
    assert not setup.announce(bare.engine, out=again) and again.getvalue() == ""
    assert code.encode() not in repr(setup._digests).encode()
    assert setup.awaiting(bare.engine)


def test_no_code_for_a_store_that_has_accounts(bare):
    with session_scope(bare.engine) as session:
        accounts.add(session=session, name="ad", role="admin", password_hash=None, actor="tests")
    out = io.StringIO()
    assert not setup.announce(bare.engine, out=out) and out.getvalue() == ""


def test_the_right_code_makes_both_accounts_once_audited_through_set_up(bare):
    code = announced(bare)
    made = claim(bare, f" {code} ")
    assert made.identity == auth.Identity(name="first analyst", roles=frozenset({Role.ANALYST}))
    assert names(bare) == {"first admin": "admin", "first analyst": "analyst"}
    assert [a for a, _ in audited(bare, "account added")] == ["first analyst (through set-up)"] * 2
    assert audited(bare, "accounts set up")[0][0] == "first analyst"
    assert auth.sign_in(engine=bare.engine, name="first admin", password=ADMIN_PASSWORD).identity
    again = claim(bare, code, admin="second admin", analyst="second analyst")
    assert again == setup.SetupResult(None, setup.REFUSED_SPENT)
    assert len(names(bare)) == 2 and not setup.awaiting(bare.engine)
    assert [a for a, _ in audited(bare, "set-up refused")] == ["second analyst"]


@pytest.mark.parametrize(
    ("code", "given", "message"),
    [
        ("wrong", {}, setup.REFUSED_CODE),
        ("", {}, setup.REFUSED_CODE),
        (None, {"admin_password": "short"}, "The admin account's password: A password needs"),
        (None, {"analyst_password": " " * 5}, "The analyst account's password: A password"),
        (None, {"analyst": "first admin"}, "The admin account and your own analyst account"),
        (None, {"admin": "  "}, "Give a name for both accounts."),
    ],
    ids=["wrong code", "no code", "weak admin", "weak analyst", "same name", "no name"],
)
def test_a_refused_set_up_makes_nothing(bare, code, given, message):
    right = announced(bare)
    result = claim(bare, right if code is None else code, **given)
    assert result.identity is None and result.message.startswith(message)
    assert names(bare) == {}
    assert len(audited(bare, "set-up refused")) == (1 if code is not None else 0)
    assert claim(bare, right).identity is not None  # the code was not spent


def test_without_an_announced_code_nothing_can_be_set_up(bare):
    assert claim(bare, "anything").message == setup.REFUSED_NO_CODE
    assert names(bare) == {}


# --- end to end in AppTest ------------------------------------------------------------------


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    if page:
        switch_to(at, page)
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, key: str, code: str, **given: str) -> AppTest:
    """Fill in the set-up form drawn with `key` and submit it."""
    people = {
        "admin": "first admin",
        "admin_password": ADMIN_PASSWORD,
        "analyst": "first analyst",
        "analyst_password": ANALYST_PASSWORD,
    }
    at.text_input(key=f"{key}:code").input(code)
    for field, value in {**people, **given}.items():
        at.text_input(key=f"{key}:{field}").input(value)
    next(b for b in at.button if b.label == sw.SUBMIT).click()
    return run(at)


def sidebar_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.sidebar.markdown) + " ".join(
        c.value for c in at.sidebar.caption
    )


def test_set_up_in_the_app_wrong_code_weak_password_then_right_and_reused(bare):
    code = announced(bare)
    at = app()
    assert sw.HOLDS_NOTHING in sidebar_text(at) and sw.HOLDS_DEMO not in sidebar_text(at)
    other = app()  # a second browser, with the form open before the set-up is done
    for each in (at, other):
        each.sidebar.button(key="setup:open").click()
        run(each)
        assert [s.value for s in each.subheader] == [sw.SETUP_TITLE]
    fill(at, "setup:asked", "not the code")
    assert [e.value for e in at.error] == [setup.REFUSED_CODE]
    fill(at, "setup:asked", code, admin_password="too short")
    assert at.error[0].value.startswith("The admin account's password")
    assert names(bare) == {} and len(audited(bare, "set-up refused")) == 1
    fill(at, "setup:asked", code)
    assert names(bare) == {"first admin": "admin", "first analyst": "analyst"}
    assert at.success[0].value.startswith("Accounts set up")
    assert "Signed in as `first analyst` (analyst)" in sidebar_text(at)
    assert not at.sidebar.button or "setup:open" not in [b.key for b in at.sidebar.button]
    fill(other, "setup:asked", code, admin="intruder", analyst="intruder analyst")
    assert [t.label for t in other.text_input] == ["Name", "Password"]  # sign in, nothing made
    assert names(bare) == {"first admin": "admin", "first analyst": "analyst"}


def test_the_first_real_load_asks_for_the_set_up_then_loads_as_the_analyst(bare):
    code = announced(bare)
    at = app("pages/data.py")
    at.file_uploader[0].set_value(("june.csv", GOOD.encode(), "text/csv"))
    run(at)
    assert sw.FIRST_LOAD_INTRO in [i.value for i in at.info]
    assert "Load this file" not in [b.label for b in at.button]
    fill(at, "setup:load", code)
    assert names(bare) == {"first admin": "admin", "first analyst": "analyst"}
    load = next(b for b in at.button if b.label == "Load this file")  # the file still chosen
    load.click()
    run(at)
    assert any("loaded as load 1" in s.value for s in at.success)
    with session_scope(bare.engine) as session:
        actor = session.scalar(select(AuditEntry.actor).where(AuditEntry.entity == "loads"))
    assert actor == "first analyst"


def test_a_store_that_asks_for_sign_in_without_accounts_offers_the_set_up(bare, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    get_settings.cache_clear()
    code = announced(bare)
    at = app()
    assert sw.NO_ACCOUNT_YET in [i.value for i in at.info]
    fill(at, "setup:signin", code)
    assert "Signed in as `first analyst` (analyst)" in sidebar_text(at)
    assert names(bare) == {"first admin": "admin", "first analyst": "analyst"}
