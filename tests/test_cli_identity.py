"""A command line that cannot be impersonated (issue 26): the impersonation the issue found
(`LOADED_BY=admin1 manage.py user role board1 admin`) is refused and audited with the
operating-system user and host; a right password or token works; wrong, expired, revoked and
disabled are refused (a table of cases); a token is stored as its digest only; every command
of `config.access.COMMAND_NEEDS` writes its audit entry; the Your account page in AppTest."""

from __future__ import annotations

import io
import os
import pwd
import shlex
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text, update

import auth
import manage
from auth import tokens as token_rules
from auth.cliaudit import audit_key
from config import PROJECT_ROOT, get_catalogue, get_settings
from config.access import COMMAND_NEEDS, COMMAND_OUTPUTS, Role, roles_that
from db import accounts, tokens
from db.engine import session_scope
from db.models import AuditEntry
from db.models.token import AccessToken
from db.origin import this_process
from db.store import init_store
from tests.conftest import Store, app_test

PASSWORD = "correct horse battery staple"
# One account per role (the admin as in the issue), and a disabled admin
ACCOUNTS = {
    Role.ADMIN: "admin1",
    Role.BOARD: "board1",
    Role.ANALYST: "ana",
    Role.REVIEWER: "rev",
    Role.SCRUTINY: "scr",
    Role.PUBLIC: "pub",
}
DISABLED = "dee"
# What leaves the store, as the issue lists it: each must be audited as output
LEAVES_THE_STORE = {
    "export", "pack", "public", "sample export", "audit", "user list", "backup",
}  # fmt: skip


def _people(store: Store) -> dict[str, str]:
    """Schema, the accounts above with PASSWORD, and tokens: one per account, and an expired,
    a revoked and a disabled account's one (keys "expired", "revoked", DISABLED)."""
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    hashed = auth.hash_password(PASSWORD)
    with session_scope(store.engine) as session:
        for role, name in [*ACCOUNTS.items(), (Role.ADMIN, DISABLED)]:
            accounts.add(session=session, name=name, role=role, password_hash=hashed, actor="t")
    made = {
        key: token_rules.make_token(engine=store.engine, account=name, name=key, days=1)
        for key, name in [
            *((n, n) for n in ACCOUNTS.values()),
            ("expired", "admin1"),
            ("revoked", "admin1"),
            (DISABLED, DISABLED),
        ]
    }
    with session_scope(store.engine) as session:
        session.execute(
            update(AccessToken)
            .where(AccessToken.name == "expired")
            .values(expires_at=datetime.now() - timedelta(minutes=1))
        )
        revoked = session.scalar(select(AccessToken.id).where(AccessToken.name == "revoked"))
        tokens.revoke(session=session, account="admin1", actor="t", token_id=revoked)
        accounts.change(session=session, name=DISABLED, actor="t", disable=True)
    return made


@pytest.fixture
def people(store: Store, use_store, monkeypatch) -> tuple[Store, dict[str, str]]:
    use_store(store)
    for name in ("LOADED_BY", "DASHBOARD_ACCOUNT", "DASHBOARD_TOKEN", "DASHBOARD_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    return store, _people(store)


def _entries(store: Store, action: str) -> list[AuditEntry]:
    with session_scope(store.engine) as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(query))


def test_the_impersonation_in_the_issue_is_refused_and_audited(tmp_path):
    """As the issue ran it, from the shell, with nothing on standard input."""
    store = Store("sqlite", tmp_path)
    _people(store)
    result = subprocess.run(
        [sys.executable, "manage.py", "user", "role", "board1", "admin"],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": store.url, "PATH": "/usr/bin:/bin", "LOADED_BY": "admin1"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("LOADED_BY is no longer read")
    assert "--account NAME" in result.stderr and "DASHBOARD_TOKEN" in result.stderr
    with session_scope(store.engine) as session:
        assert accounts.find(session=session, name="board1").role == "board"
    [refused] = _entries(store, "command refused")
    assert refused.actor == "admin1" and refused.entity == "command line"
    assert "manage.py user role board1 admin" in refused.detail
    assert "claimed by LOADED_BY" in refused.detail
    assert refused.os_user == pwd.getpwuid(os.getuid()).pw_name  # no USER in that environment
    assert refused.host == socket.gethostname()
    assert not [e for e in _entries(store, "account changed") if "board1" in e.detail]
    store.close()


# (case, environment, words before the command, standard input, refusal's start or None: runs)
PROOFS = [
    ("password", {"DASHBOARD_ACCOUNT": "admin1"}, [], PASSWORD, None),
    ("password, --account", {}, ["--account", "admin1"], PASSWORD, None),
    ("token", {"DASHBOARD_TOKEN": "admin1"}, [], "", None),
    ("token file", {"DASHBOARD_TOKEN_FILE": "admin1"}, [], "", None),
    ("token naming its account", {"DASHBOARD_TOKEN": "admin1"}, ["--account", "admin1"], "", None),
    ("nothing", {}, [], PASSWORD, "This store has an admin account, so every command needs"),
    ("LOADED_BY", {"LOADED_BY": "admin1"}, [], PASSWORD, "LOADED_BY is no longer read"),
    (
        "LOADED_BY with a password",
        {"LOADED_BY": "admin1", "DASHBOARD_ACCOUNT": "admin1"},
        [],
        PASSWORD,
        "LOADED_BY is no longer read",
    ),
    ("wrong password", {"DASHBOARD_ACCOUNT": "admin1"}, [], "guessed wrong, sorry", "That name"),
    ("empty password", {"DASHBOARD_ACCOUNT": "admin1"}, [], "", "That name and password"),
    ("no such account", {"DASHBOARD_ACCOUNT": "admin9"}, [], PASSWORD, "That name and password"),
    ("disabled account", {"DASHBOARD_ACCOUNT": DISABLED}, [], PASSWORD, "That name and password"),
    ("expired token", {"DASHBOARD_TOKEN": "expired"}, [], "", "The personal access token given"),
    ("revoked token", {"DASHBOARD_TOKEN": "revoked"}, [], "", "The personal access token given"),
    ("disabled's token", {"DASHBOARD_TOKEN": DISABLED}, [], "", "The personal access token given"),
    ("unknown token", {"DASHBOARD_TOKEN": "asbd_x"}, [], "", "The personal access token given"),
    ("another's token", {"DASHBOARD_TOKEN": "ana"}, ["--account", "admin1"], "", "The token"),
    ("role may not", {"DASHBOARD_ACCOUNT": "board1"}, [], PASSWORD, "Only the admin role may"),
]


@pytest.mark.parametrize(
    ("case", "env", "before", "stdin", "refused"), PROOFS, ids=[p[0] for p in PROOFS]
)
def test_who_may_run_a_command(
    people, monkeypatch, capsys, tmp_path, case, env, before, stdin, refused
):
    store, made = people
    for name, value in env.items():
        if name == "DASHBOARD_TOKEN":
            value = made.get(value, value)
        if name == "DASHBOARD_TOKEN_FILE":
            (tmp_path / "token").write_text(made[value] + "\n")
            value = str(tmp_path / "token")
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin + "\n"))
    status = manage.main([*before, "user", "list"])
    out, err = capsys.readouterr()
    origin = this_process()
    if refused is None:
        assert status == 0 and out.startswith("name,role,"), err
        [entry] = _entries(store, "command output")
        assert (entry.actor, entry.os_user, entry.host) == ("admin1", origin.os_user, origin.host)
        assert entry.detail.startswith(shlex.join(["manage.py", *before, "user", "list"]))
        assert not _entries(store, "command refused")
    else:
        assert status == 1 and out == ""
        assert err.startswith(refused), err
        assert "DASHBOARD_TOKEN" in err or "DASHBOARD_ACCOUNT" in err or "role" in err
        [entry] = _entries(store, "command refused")
        assert "manage.py " + shlex.join([*before, "user", "list"]) in entry.detail
        assert (entry.os_user, entry.host) == (origin.os_user, origin.host)
        assert not _entries(store, "command output")
    if case in ("wrong password", "empty password", "no such account", "disabled account"):
        assert [e.os_user for e in _entries(store, "sign-in failed")] == [origin.os_user]


def test_a_token_is_stored_as_its_digest_only(people):
    store, made = people
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM access_tokens")).all()
    stored = " ".join(str(value) for row in rows for value in row)
    assert len(rows) == len(made)
    for token in made.values():
        assert token.startswith(token_rules.PREFIX) and len(token) >= 40
        assert token not in stored and token[len(token_rules.PREFIX) :] not in stored
        assert token_rules.digest(token) in stored
    assert len(set(made.values())) == len(made)


@pytest.mark.parametrize("days", [0, -1, "max + 1"])
def test_a_token_lasts_at_most_the_setting(people, days):
    store, _ = people
    if days == "max + 1":
        days = get_settings().TOKEN_MAX_DAYS + 1
    with pytest.raises(ValueError, match="TOKEN_MAX_DAYS"):
        token_rules.make_token(engine=store.engine, account="ana", name="x", days=days)


def test_an_admin_lists_and_revokes_anothers_tokens(people, monkeypatch, capsys):
    store, made = people
    monkeypatch.setenv("DASHBOARD_TOKEN", made["admin1"])
    get_settings.cache_clear()
    assert manage.main(["user", "revoke", "ana"]) == 0
    assert capsys.readouterr().out == "Revoked 1 token(s) of 'ana': 'ana'\n"
    assert token_rules.prove(engine=store.engine, token=made["ana"]).problem.startswith(
        "was revoked"
    )
    assert manage.main(["user", "tokens", "ana"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0] == "id,name,made,expires,last used,revoked" and len(listed) == 2
    assert [e.detail for e in _entries(store, "token revoked")][-1] == "ana: 'ana'"
    monkeypatch.setenv("DASHBOARD_TOKEN", made["ana"])
    get_settings.cache_clear()
    assert manage.main(["loads"]) == 1
    assert "was revoked" in capsys.readouterr().err


def test_a_new_password_is_the_line_after_your_own(people, monkeypatch):
    """With a password as proof, `user password` reads it first, then the new password."""
    store, _ = people
    new = "a much longer new password"
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n{new}\n"))
    assert manage.main(["--account", "admin1", "user", "password", "board1"]) == 0
    assert auth.sign_in(engine=store.engine, name="board1", password=new).identity
    assert not auth.sign_in(engine=store.engine, name="board1", password=PASSWORD).identity


# Words that make each command run (or stop quickly) on a store without data; the command
# itself need not succeed: its entry says how it ended
WORDS = {
    "load": ["load", "missing.csv"],
    "unload": ["unload", "1"],
    "pack": ["pack", "--date", "2026-01-05", "--out", "{tmp}/pack.pdf"],
    "public": ["public", "--out", "{tmp}/public.html"],
    "sample draw": ["sample", "draw", "--from", "2025-01", "--to", "2025-02", "--size", "5"],
    "sample export": ["sample", "export", "1"],
    "sample import": ["sample", "import", "missing.xlsx"],
    "sample report": ["sample", "report", "1"],
    "user": ["user", "list"],
    "backup": ["backup", "{tmp}/store.zip"],
    "restore": ["restore", "{tmp}/missing.zip"],
}


@pytest.mark.parametrize("command", [*COMMAND_NEEDS, "user tokens"])
def test_every_command_writes_its_audit_entry(people, monkeypatch, tmp_path, command):
    store, made = people
    key = command.split()[0] if command == "user tokens" else command
    words = ["user", "tokens", "ana"] if command == "user tokens" else WORDS.get(key, [key])
    words = [w.format(tmp=tmp_path) for w in words]
    name = ACCOUNTS[roles_that(COMMAND_NEEDS[key])[0]]
    monkeypatch.setenv("DASHBOARD_TOKEN", made[name])
    get_settings.cache_clear()
    demo = SimpleNamespace(incidents=0, observations=0, seconds=0, replaced_loads=0)
    monkeypatch.setattr("demo.load_demo", lambda **_: demo)  # its work is tested elsewhere
    try:
        status = manage.main(words)
    except SystemExit as exc:  # a usage error found after authorising
        status = exc.code
    args = manage.build_parser().parse_args(words)
    leaves = audit_key(args) in COMMAND_OUTPUTS
    [entry] = _entries(store, "command output" if leaves else "command run")
    origin = this_process()
    assert (entry.actor, entry.os_user, entry.host) == (name, origin.os_user, origin.host)
    assert entry.detail.startswith(f"{shlex.join(['manage.py', *words])} (exit status {status})")
    assert f"proven by token {name!r}" in entry.detail


def test_what_leaves_the_store_is_audited_as_output():
    assert LEAVES_THE_STORE <= COMMAND_OUTPUTS
    keys = set(COMMAND_NEEDS) - {"user"} | {"user list", "user tokens"}
    assert COMMAND_OUTPUTS.issubset(keys), "a command output that is no command"


# --- the Your account page --------------------------------------------------------------


@pytest.fixture
def signed_in(store: Store, use_store, monkeypatch) -> Store:
    """A store requiring sign-in with the analyst "ana" (PASSWORD), no data."""
    use_store(store)
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    get_settings.cache_clear()
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    with session_scope(store.engine) as session:
        accounts.add(
            session=session,
            name="ana",
            role="analyst",
            password_hash=auth.hash_password(PASSWORD),
            actor="t",
        )
    return store


def _click(at, label: str):
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_your_account_makes_a_token_shown_once_and_revokes_it(signed_in):
    at = app_test(account="ana")
    at.switch_page("pages/account.py")
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Your account"]
    assert "You have no personal access tokens." in [m.value for m in at.markdown]
    next(t for t in at.text_input if t.label == "What the token is for").input("laptop")
    at.number_input[0].set_value(7)
    _click(at, "Make a token")
    [shown] = [c.value for c in at.code]
    proof = token_rules.prove(engine=signed_in.engine, token=shown)
    assert (proof.name, proof.token_name, proof.problem) == ("ana", "laptop", None)
    assert at.dataframe[0].value["Token"].tolist() == ["laptop"]
    assert at.dataframe[0].value["State"].tolist() == ["Can be used"]
    at.run()
    assert not at.code, "a token is shown once only"
    _click(at, "Revoke")
    assert at.success[0].value == "Token 'laptop' revoked: it no longer proves anything."
    assert at.dataframe[0].value["State"].tolist()[0].startswith("Revoked")
    assert token_rules.prove(engine=signed_in.engine, token=shown).problem.startswith("was")
    assert [e.actor for e in _entries(signed_in, "token made")] == ["ana"]
    assert [e.os_user for e in _entries(signed_in, "token revoked")] == [None]  # the app's


@pytest.mark.parametrize(
    ("current", "new", "again", "said"),
    [
        ("wrong password here", "a new long password", "a new long password", "That name"),
        (PASSWORD, "a new long password", "another long password", "The two new passwords"),
        (PASSWORD, "short", "short", "A password needs at least 12"),
        (PASSWORD, "a new long password", "a new long password", None),
    ],
    ids=["wrong current", "differ", "too short", "changed"],
)
def test_your_account_changes_your_own_password(signed_in, current, new, again, said):
    at = app_test(account="ana")
    at.switch_page("pages/account.py")
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["Current password"].input(current)
    fields["New password"].input(new)
    fields["New password again"].input(again)
    _click(at, "Change my password")
    works = auth.sign_in(engine=signed_in.engine, name="ana", password=new).identity
    if said is None:
        assert at.success[0].value.startswith("Your password is changed")
        assert works
    else:
        assert at.error[0].value.startswith(said)
        assert not works


def test_your_account_in_the_open_demonstration(store, use_store):
    use_store(store)
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    at = app_test(account="nobody")
    at.switch_page("pages/account.py")
    at.run()
    assert not at.exception, at.exception
    assert at.info[-1].value.startswith("In the open demonstration nobody is signed in")
    assert not at.text_input
