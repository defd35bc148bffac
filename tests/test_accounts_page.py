"""The Accounts page (issue 26): only admins see it; every action (add, role, password,
disable, enable, unlock) on an account of every role (`config.access.Role`) is done through
the page, audited with the admin as actor and takes effect; a disabled account cannot sign in
until enabled; the last admin can be neither disabled nor demoted; a weak password is refused;
no password is shown or kept in session state; `manage.py user enable`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import auth
import manage
from auth import tokens
from config import PROJECT_ROOT, get_catalogue, get_settings
from config.access import Can, Role, allowed
from db import accounts
from db.engine import session_scope
from db.models import AuditEntry
from db.store import init_store
from present import accounts_wording as w
from tests.conftest import Store
from views import accounts_view as view
from views.auth import SIGNED_IN

PAGE = "pages/accounts.py"
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a quite different passphrase"
ADMIN = "admin"  # the admin acting in every test (one account per role, named as the role)
ACTIONS = ["add", "role", "password", "disable", "enable", "unlock"]
ROLES = [role.value for role in Role]


def _make(store: Store, name: str, role: str, *, password: str | None = PASSWORD) -> None:
    with session_scope(store.engine) as session:
        accounts.add(
            session=session,
            name=name,
            role=role,
            password_hash=auth.hash_password(password) if password else None,
            actor="test",
        )


@pytest.fixture(scope="module")
def people(tmp_path_factory) -> Iterator[Store]:
    """An empty store (schema only: the page needs no data) with one account per role,
    named as the role, and sign-in required."""
    store = Store("sqlite", tmp_path_factory.mktemp("accounts"))
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="test")
    for role in ROLES:
        _make(store, role, role)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", store.url)
        patch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
        get_settings.cache_clear()
        yield store
    get_settings.cache_clear()
    store.close()


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.switch_page(PAGE)
    at.session_state[SIGNED_IN] = {"name": name, "seen": datetime.now()}
    at.run()
    assert not at.exception, at.exception
    return at


def _row(store: Store, name: str) -> accounts.AccountRow | None:
    with session_scope(store.engine) as session:
        return accounts.find(session=session, name=name)


def _audit(store: Store, after: int = 0) -> list[tuple[str, str, str]]:
    with session_scope(store.engine) as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.detail)
            .where(AuditEntry.id > after)
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]


def _last_id(store: Store) -> int:
    with session_scope(store.engine) as session:
        return session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


def _add(at: AppTest, name: str, role: str, password: str, again: str | None = None) -> AppTest:
    at.text_input(key=view.ADD_NAME).input(name)
    at.selectbox(key=view.ADD_ROLE).select(role)
    at.text_input(key=view.ADD_PASSWORD).input(password)
    at.text_input(key=view.ADD_AGAIN).input(password if again is None else again)
    next(b for b in at.button if b.label == w.ADD_BUTTON).click()
    at.run()
    assert not at.exception, at.exception
    return at


def _choose(at: AppTest, name: str) -> AppTest:
    at.selectbox(key=view.CHOSEN).select(name).run()
    assert not at.exception, at.exception
    return at


def _press(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def _lock(store: Store, name: str) -> None:
    """Fail to sign in as `name` until its name is delayed (`auth.throttle`)."""
    for _ in range(get_settings().SIGNIN_ATTEMPTS + 1):
        auth.sign_in(engine=store.engine, name=name, password="not the password at all")
    with session_scope(store.engine) as session:
        assert accounts.has_failures(session=session, name=name)


def _other(role: str) -> str:
    return ROLES[(ROLES.index(role) + 1) % len(ROLES)]


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_see_the_accounts_page(people, role):
    at = page(role)
    refused = [e.value for e in at.error if e.value.startswith("Only the")]
    links = {link.proto.label for link in at.sidebar.get("page_link")}
    if allowed({Role(role)}, Can.MANAGE_ACCOUNTS):
        assert not refused and w.ADD_BUTTON in [b.label for b in at.button]
        assert set(at.dataframe[0].value["Name"]) >= set(ROLES)
        assert w.TITLE in links
    else:
        assert refused == [auth.refusal(auth.account_identity(engine=people.engine, name=role),
                                        Can.MANAGE_ACCOUNTS)]  # fmt: skip
        assert not at.dataframe and not at.text_input and w.TITLE not in links


def _do(at: AppTest, store: Store, action: str, role: str) -> tuple[str, str]:
    """Do `action` on an account of `role` through the page; returns (account, audit detail)."""
    name = f"{action} {role}"
    if action == "add":
        _add(at, name, role, PASSWORD)
        return name, f"{name}: role {role}, signs in with local password"
    _make(store, name, role)
    if action == "enable":
        with session_scope(store.engine) as session:
            accounts.change(session=session, name=name, actor="test", disable=True)
    if action == "unlock":
        _lock(store, name)
    at.run()  # the new account is in the list
    _choose(at, name)
    if action == "role":
        at.selectbox(key=f"accounts.role:{name}").select(_other(role))
        _press(at, w.ROLE_BUTTON)
        return name, f"{name}: role {role} -> {_other(role)}"
    if action == "password":
        at.text_input(key=f"accounts.password:{name}").input(NEW_PASSWORD)
        at.text_input(key=f"accounts.again:{name}").input(NEW_PASSWORD)
        _press(at, w.PASSWORD_BUTTON)
        return name, f"{name}: password set"
    _press(at, {"disable": w.DISABLE, "enable": w.ENABLE, "unlock": w.UNLOCK}[action])
    return name, f"{name}: {view.SWITCHES[action]}"


def _took_effect(store: Store, action: str, role: str, name: str) -> None:
    row = _row(store, name)
    assert row is not None
    signs_in = auth.sign_in(
        engine=store.engine, name=name, password=NEW_PASSWORD if action == "password" else PASSWORD
    ).identity
    if action == "disable":
        assert row.disabled and signs_in is None
    else:
        expected = _other(role) if action == "role" else role
        assert not row.disabled and row.role == expected
        assert signs_in is not None and signs_in.roles == frozenset({Role(expected)})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_on_an_account_of_each_role_is_audited_with_the_admin(people, action, role):
    at = page(ADMIN)
    since = _last_id(people)
    name, detail = _do(at, people, action, role)
    assert [e.value for e in at.error] == []
    assert len(at.success) == 1 and w.code_span(name) in at.success[0].value
    assert PASSWORD not in at.success[0].value and NEW_PASSWORD not in at.success[0].value
    by_page = [r for r in _audit(people, since) if r[0] != "test"]  # not the test's own setup
    changes = [r for r in by_page if r[1] in ("account added", "account changed")]
    assert changes == [(ADMIN, "account added" if action == "add" else "account changed", detail)]
    _took_effect(people, action, role, name)
    for key in (view.ADD_PASSWORD, view.ADD_AGAIN, f"accounts.password:{name}"):
        assert at.session_state[key] == "" if key in at.session_state else True


def test_a_disabled_account_cannot_sign_in_until_an_admin_enables_it(people):
    _make(people, "dee", "analyst")
    at = _choose(page(ADMIN), "dee")
    _press(at, w.DISABLE)
    assert auth.sign_in(engine=people.engine, name="dee", password=PASSWORD).identity is None
    assert [b.label for b in at.button if b.label in (w.DISABLE, w.ENABLE)] == [w.ENABLE]
    _press(at, w.ENABLE)
    assert auth.sign_in(engine=people.engine, name="dee", password=PASSWORD).identity


@pytest.fixture
def one_admin(store, use_store, monkeypatch) -> Store:
    """A store with one admin ("solo") and an analyst, sign-in required."""
    use_store(store)
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="test")
    _make(store, "solo", "admin")
    _make(store, "ana", "analyst")
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    get_settings.cache_clear()
    return store


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_the_last_admin_can_be_neither_disabled_nor_demoted(one_admin):
    at = _choose(page("solo"), "solo")
    since = _last_id(one_admin)
    _press(at, w.DISABLE)
    assert [e.value for e in at.error] == [w.last_admin("solo", yourself=True)]
    at.selectbox(key="accounts.role:solo").select("analyst")
    _press(at, w.ROLE_BUTTON)
    assert [e.value for e in at.error] == [w.last_admin("solo", yourself=True)]
    assert _row(one_admin, "solo").role == "admin" and not _row(one_admin, "solo").disabled
    assert _audit(one_admin, since) == []
    _choose(at, "ana")  # a second admin, then the first may step down
    at.selectbox(key="accounts.role:ana").select("admin")
    _press(at, w.ROLE_BUTTON)
    _choose(at, "solo")
    at.selectbox(key="accounts.role:solo").select("board")
    _press(at, w.ROLE_BUTTON)
    assert _row(one_admin, "solo").role == "board"
    assert at.error[0].value.startswith("Only the admin role")  # no longer may use the page


@pytest.mark.parametrize(
    ("password", "again", "said"),
    [
        ("too short", None, "A password needs at least"),
        (PASSWORD, "a different one entirely", w.PASSWORDS_DIFFER),
    ],
)
def test_a_weak_or_mistyped_password_is_refused_and_never_kept(people, password, again, said):
    since = _last_id(people)
    at = _add(page(ADMIN), "weak one", "board", password, again)
    assert len(at.error) == 1 and said in at.error[0].value
    assert _row(people, "weak one") is None and _audit(people, since) == []
    assert at.session_state[view.ADD_PASSWORD] == at.session_state[view.ADD_AGAIN] == ""
    assert at.text_input(key=view.ADD_NAME).value == "weak one"  # the rest is kept to correct
    kinds = ("error", "success", "markdown")
    shown = " ".join(str(e.value) for kind in kinds for e in at.get(kind))
    assert password not in shown


@pytest.mark.usefixtures("people")
def test_a_successful_add_empties_the_form():
    at = _add(page(ADMIN), "new board member", "board", PASSWORD)
    assert at.success[0].value == w.added("new board member", "board")
    assert at.text_input(key=view.ADD_NAME).value == ""
    assert at.text_input(key=view.ADD_PASSWORD).value == ""


def test_an_identity_provider_account_needs_an_email_and_no_password(people):
    at = page(ADMIN)
    at.radio(key=view.ADD_KIND).set_value(w.PROVIDER)
    _add(at, "not an address", "board", "")
    assert [e.value for e in at.error] == [w.NEEDS_EMAIL]
    at.radio(key=view.ADD_KIND).set_value(w.PROVIDER)
    _add(at, "someone@force.example", "scrutiny", "")
    assert _row(people, "someone@force.example").password_hash is None


def test_user_enable_on_the_command_line(people, monkeypatch):
    _make(people, "cli dee", "board")
    token = tokens.make_token(engine=people.engine, account=ADMIN, name="tests", days=1)
    monkeypatch.setenv("DASHBOARD_TOKEN", token)  # the admin, proven
    get_settings.cache_clear()
    assert manage.main(["user", "disable", "cli dee"]) == 0
    assert auth.sign_in(engine=people.engine, name="cli dee", password=PASSWORD).identity is None
    assert manage.main(["user", "enable", "cli dee"]) == 0
    assert auth.sign_in(engine=people.engine, name="cli dee", password=PASSWORD).identity
    changed = [row for row in _audit(people) if row[1] == "account changed"]
    assert changed[-1][1:] == ("account changed", "cli dee: enabled")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert manage.main(["user", "enable", "nobody here"]) == 1
