"""Signing in and the command line's roles (issue 14): local accounts with argon2 hashes and a
lockout on both databases, the sign-in form in AppTest, sessions that expire, and every
`manage.py` command for every role (generated from `config.access.COMMAND_NEEDS`)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

import auth
import manage
from auth.tokens import make_token
from commands.users import authorise, command_key
from config import get_catalogue, get_settings
from config.access import COMMAND_NEEDS, Role, allowed
from db import accounts
from db.engine import session_scope
from db.models import AuditEntry
from db.models.account import Account
from db.store import init_store
from tests.conftest import Store, app_test

PASSWORD = "correct horse battery staple"


@pytest.fixture
def with_accounts(store: Store, use_store) -> Store:
    """A store with the schema and four local accounts: ana (analyst), bo (board), the
    disabled dee (analyst) and ad (admin: with one, the command line asks for accounts)."""
    use_store(store)
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    with session_scope(store.engine) as session:
        people = (("ana", "analyst"), ("bo", "board"), ("dee", "analyst"), ("ad", "admin"))
        for name, role in people:
            accounts.add(
                session=session,
                name=name,
                role=role,
                password_hash=auth.hash_password(PASSWORD),
                actor="tests",
            )
        accounts.change(session=session, name="dee", actor="tests", disable=True)
    return store


def _audit(store: Store, action: str) -> list[str]:
    with session_scope(store.engine) as session:
        return list(
            session.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


def test_a_right_password_signs_in_and_is_audited(with_accounts):
    result = auth.sign_in(engine=with_accounts.engine, name="  ana\u202e ", password=PASSWORD)
    assert result.identity == auth.Identity(name="ana", roles=frozenset({Role.ANALYST}))
    assert _audit(with_accounts, "signed in") == ["ana (password)"]


@pytest.mark.parametrize(
    ("name", "password"),
    [("ana", "wrong password here"), ("nobody", PASSWORD), ("dee", PASSWORD), ("", "")],
)
def test_a_failed_sign_in_says_the_same_whatever_failed(with_accounts, name, password):
    result = auth.sign_in(engine=with_accounts.engine, name=name, password=password)
    assert result.identity is None
    assert result.message == auth.SIGNIN_REFUSED
    assert len(_audit(with_accounts, "sign-in failed")) == 1


def test_repeated_failures_delay_the_name_until_unlocked(with_accounts):
    attempts = get_settings().SIGNIN_ATTEMPTS
    for _ in range(attempts):
        auth.sign_in(engine=with_accounts.engine, name="bo", password="not the password")
    delayed = auth.sign_in(engine=with_accounts.engine, name="bo", password=PASSWORD)
    assert delayed.identity is None
    assert delayed.message == auth.SIGNIN_REFUSED
    assert "name delayed until" in _audit(with_accounts, "sign-in failed")[attempts - 1]
    with session_scope(with_accounts.engine) as session:
        accounts.change(session=session, name="bo", actor="admin", unlock=True)
    assert auth.sign_in(engine=with_accounts.engine, name="bo", password=PASSWORD).identity
    assert _audit(with_accounts, "account changed")[-1] == "bo: unlocked"


def test_passwords_are_stored_as_argon2_hashes(with_accounts):
    with session_scope(with_accounts.engine) as session:
        stored = session.scalar(select(Account.password_hash).where(Account.name == "ana"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


# --- the sign-in form -------------------------------------------------------------------


@pytest.fixture
def required(with_accounts, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    get_settings.cache_clear()
    return with_accounts


def _form(at, name: str, password: str):
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


@pytest.mark.usefixtures("required")
def test_the_sign_in_form_lets_an_account_in_and_out():
    from views.auth import SIGNED_IN

    at = app_test(account="ana")
    del at.session_state[SIGNED_IN]
    at.switch_page("pages/definitions.py")
    at.run()
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    at = _form(at, "ana", "a wrong password")
    assert at.error[0].value == auth.SIGNIN_REFUSED
    at = _form(at, "ana", PASSWORD)
    assert not at.exception
    assert [t.value for t in at.title] == ["Definitions and targets"]
    assert "Signed in as `ana` (analyst)" in [c.value for c in at.sidebar.caption]
    at.sidebar.button(key="sign_out").click()
    at.run()
    assert [t.label for t in at.text_input] == ["Name", "Password"]


@pytest.mark.usefixtures("required")
def test_a_session_unused_too_long_ends():
    from views.auth import SIGNED_IN

    at = app_test(account="ana")
    minutes = get_settings().SESSION_MINUTES
    at.session_state[SIGNED_IN] = {
        "name": "ana",
        "seen": datetime.now() - timedelta(minutes=minutes + 1),
    }
    at.switch_page("pages/definitions.py")
    at.run()
    assert (
        at.warning[0].value
        == f"Your session ended after {minutes} minutes without use: sign in again."
    )
    assert [t.label for t in at.text_input] == ["Name", "Password"]


@pytest.mark.usefixtures("required")
def test_a_disabled_account_is_signed_out_at_once():
    at = app_test(account="dee")
    at.switch_page("pages/definitions.py")
    at.run()
    assert [t.label for t in at.text_input] == ["Name", "Password"]


# --- the command line ----------------------------------------------------------------


def _args(command: str):
    """Parsed arguments of a command line that `authorise` can judge (values need not run)."""
    words = {
        "load": ["load", "x.csv"],
        "unload": ["unload", "1"],
        "pack": ["pack", "--date", "2026-01-05", "--out", "x.pdf"],
        "public": ["public", "--out", "x.html"],
        "sample draw": ["sample", "draw", "--from", "2025-01", "--to", "2025-02", "--size", "5"],
        "sample export": ["sample", "export", "1"],
        "sample import": ["sample", "import", "x.xlsx"],
        "sample report": ["sample", "report", "1"],
        "user": ["user", "list"],
        "backup": ["backup", "x.zip"],
        "restore": ["restore", "x.zip"],
    }.get(command, [command])
    return manage.build_parser().parse_args(words)


@pytest.fixture(scope="module")
def role_store(tmp_path_factory) -> Store:
    """A SQLite store with one account per role, named as the role (the role check is the
    same SQL on both databases, tested on both above)."""
    created = Store("sqlite", tmp_path_factory.mktemp("roles"))
    init_store(engine=created.engine, catalogue=get_catalogue(), actor="tests")
    with session_scope(created.engine) as session:
        for role in Role:
            accounts.add(
                session=session, name=role.value, role=role.value, password_hash=None, actor="t"
            )
    created.tokens = {
        role: make_token(engine=created.engine, account=role.value, name="tests", days=1)
        for role in Role
    }
    yield created
    created.close()


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("command", list(COMMAND_NEEDS))
def test_each_command_for_each_role(role_store, monkeypatch, command, role):
    monkeypatch.setenv("DASHBOARD_TOKEN", role_store.tokens[role])  # proven: auth.proof
    get_settings.cache_clear()
    args = _args(command)
    assert command_key(args) == command
    judged = authorise(args, role_store.engine)
    get_settings.cache_clear()
    if allowed({role}, COMMAND_NEEDS[command]):
        assert judged == auth.Identity(name=role.value, roles=frozenset({role}))
    else:
        assert isinstance(judged, str) and judged.endswith(f"'{role}' has the {role} role.")


def test_a_refused_command_changes_nothing_and_sends_nothing(
    with_accounts, monkeypatch, capsys, tmp_path
):
    returns = tmp_path / "june_return.csv"
    returns.write_text(
        "measure,month,area,breakdown,value,numerator,denominator,note\n"
        "hotspot_patrol_hours,2025-06,Burnley,,120,,,\n"
    )
    monkeypatch.setenv("DASHBOARD_ACCOUNT", "bo")  # proven by password (stdin)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n" + PASSWORD + "\n"))
    get_settings.cache_clear()
    assert manage.main(["load", str(returns)]) == 1
    assert manage.main(["user", "list"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "Only the analyst role may load and undo data, and write commentary; "
        "'bo' has the board role.",
        "Only the admin role may manage accounts; 'bo' has the board role.",
    ]
    with session_scope(with_accounts.engine) as session:
        assert accounts.count(session=session) == 4
    monkeypatch.setenv("DASHBOARD_ACCOUNT", "ana")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    get_settings.cache_clear()
    assert manage.main(["load", str(returns)]) == 0
    assert _audit(with_accounts, "loaded")


@pytest.mark.usefixtures("with_accounts")
def test_someone_without_an_account_is_refused(monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_ACCOUNT", "stranger")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    get_settings.cache_clear()
    assert manage.main(["loads"]) == 1
    assert capsys.readouterr().err.startswith(auth.SIGNIN_REFUSED)


def test_user_add_reads_the_password_from_stdin_never_the_command_line(
    store, use_store, monkeypatch, capsys
):
    use_store(store)
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n" + PASSWORD + "\n"))
    assert manage.main(["user", "add", "bea", "--role", "board"]) == 0  # by the operator,
    assert manage.main(["user", "add", "ada", "--role", "admin"]) == 0  # until an admin exists
    assert manage.main(["user", "list"]) == 1  # then the operator needs an account too
    monkeypatch.setenv("DASHBOARD_ACCOUNT", "ada")  # her password, then the new one
    get_settings.cache_clear()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\ntoo short\n"))
    assert manage.main(["user", "add", "bo", "--role", "board"]) == 1
    assert (
        "A password needs at least 12 characters. Nothing was changed." in capsys.readouterr().err
    )
    assert auth.sign_in(engine=store.engine, name="ada", password=PASSWORD).identity
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert manage.main(["user", "role", "ada", "analyst"]) == 1  # the only admin: refused
    assert "the only admin that may sign in" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert manage.main(["user", "role", "bea", "admin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert manage.main(["user", "role", "ada", "analyst"]) == 0  # bea is admin too now
    assert _audit(store, "account changed") == [
        "bea: role board -> admin",
        "ada: role admin -> analyst",
    ]
    with pytest.raises(SystemExit):  # no --password option exists
        manage.main(["user", "add", "cy", "--role", "board", "--password", "x"])


# --- the force's identity provider (st.login) ---------------------------------------------


@pytest.mark.parametrize(
    ("email", "shown"),
    [("ana", "Definitions and targets"), ("stranger@force.example", None)],
)
def test_an_identity_provider_user_has_their_accounts_role(required, email, shown):
    from views.auth import SIGNED_IN

    at = app_test(account="ana")
    del at.session_state[SIGNED_IN]
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback"}
    at.user = {"is_logged_in": True, "email": email}
    at.switch_page("pages/definitions.py")
    at.run()
    assert not at.exception, at.exception
    assert "Password" not in [t.label for t in at.text_input]
    if shown:
        assert [t.value for t in at.title] == [shown]
        assert at.dataframe
        assert _audit(required, "signed in") == ["ana (identity provider)"]
    else:
        assert at.error[0].value.startswith("You are signed in with the force's identity provider")
        assert not at.dataframe
        assert _audit(required, "sign-in failed") == [f"{email} (identity provider)"]
