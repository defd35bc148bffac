"""Sessions and throttling (issue 26) on the store: server-side sessions with idle and
absolute ends, single-use tickets, revocation by `accounts.change`, the cookie routes and
their flags, and sign-in delays per name and per address that an attacker cannot extend."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from starlette.requests import Request

import auth
from auth import session_routes, sessions, throttle
from config import get_settings
from db import accounts
from db.engine import session_scope
from db.models.session import SigninThrottle, WebSession
from tests import test_auth
from tests.conftest import app_test
from tests.test_auth import PASSWORD, _audit

MIN = timedelta(minutes=1)
with_accounts, required = test_auth.with_accounts, test_auth.required  # their fixtures


@pytest.fixture(autouse=True)
def write_at_once(monkeypatch):
    """A session's use is recorded in the background: here at once, to be checked."""
    monkeypatch.setattr(sessions, "_write_soon", sessions._write)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [
        (1, None),
        (4, None),  # SIGNIN_ATTEMPTS (5) failures are free...
        (5, timedelta(seconds=30)),  # ...then 30 seconds,
        (6, timedelta(seconds=60)),  # doubling,
        (7, timedelta(seconds=120)),
        (10, timedelta(minutes=15)),  # at most SIGNIN_LOCK_MINUTES (16 min capped),
        (10**6, timedelta(minutes=15)),  # however many
    ],
)
def test_delays_grow_by_doubling_to_a_cap(failures, delay):
    assert throttle.delay_for(failures=failures, free=5, cap=timedelta(minutes=15)) == delay


ADDRESS = "203.0.113.7"  # a documentation address (RFC 5737)


def _sign_in(store, name, password=PASSWORD, address=None):
    return auth.sign_in(engine=store.engine, name=name, password=password, address=address)


def _throttle(store, kind, value):
    with session_scope(store.engine) as session:
        row = session.scalar(
            select(SigninThrottle).where(SigninThrottle.kind == kind, SigninThrottle.value == value)
        )
        return (row.failures, row.delayed_until) if row else None


def _fail(store, name, times, address=None):
    for attempt in range(times):
        _sign_in(store, name, f"wrong password {attempt}", address)


@pytest.mark.parametrize("name", ["bo", "no such account"])
def test_an_existing_name_and_an_unknown_one_are_delayed_alike(with_accounts, name):
    attempts = get_settings().SIGNIN_ATTEMPTS
    _fail(with_accounts, name, attempts)
    failures, until = _throttle(with_accounts, "name", name)
    assert failures == attempts and until > datetime.now()
    refused = _sign_in(with_accounts, name)
    assert (refused.identity, refused.message) == (None, auth.SIGNIN_REFUSED)
    assert "password not checked: name delayed" in _audit(with_accounts, "sign-in failed")[-1]


def test_attempts_during_a_delay_do_not_extend_it(with_accounts):
    _fail(with_accounts, "bo", get_settings().SIGNIN_ATTEMPTS)
    before = _throttle(with_accounts, "name", "bo")
    for _ in range(3):
        assert _sign_in(with_accounts, "bo").identity is None  # even the right password
    assert _throttle(with_accounts, "name", "bo") == before
    assert len(_audit(with_accounts, "sign-in failed")) == get_settings().SIGNIN_ATTEMPTS + 3


def test_a_delay_ends_by_itself_and_success_restarts_the_names_count(with_accounts):
    _fail(with_accounts, "bo", get_settings().SIGNIN_ATTEMPTS, address=ADDRESS)
    with session_scope(with_accounts.engine) as session:
        session.execute(update(SigninThrottle).values(delayed_until=datetime.now() - MIN))
    assert _sign_in(with_accounts, "bo", address=ADDRESS).identity is not None
    assert _throttle(with_accounts, "name", "bo") is None
    assert _throttle(with_accounts, "address", ADDRESS)[0] == 5  # kept


def test_without_an_address_only_the_name_is_counted(with_accounts):
    """The command line and a browser on the server itself give no address: one shared
    "unknown address" would let a few failures with any names delay every one of them."""
    free = get_settings().SIGNIN_ATTEMPTS * throttle.ADDRESS_FACTOR
    for n in range(free + 1):
        _sign_in(with_accounts, f"guess {n}", "wrong")
    assert _sign_in(with_accounts, "ana").identity is not None


def test_one_address_trying_many_names_is_delayed(with_accounts):
    free = get_settings().SIGNIN_ATTEMPTS * throttle.ADDRESS_FACTOR
    for n in range(free):
        _sign_in(with_accounts, f"guess {n}", "wrong", address="203.0.113.9")
    assert _sign_in(with_accounts, "ana", address="203.0.113.9").identity is None
    assert "address delayed" in _audit(with_accounts, "sign-in failed")[-1]
    assert _sign_in(with_accounts, "ana", address="198.51.100.4").identity is not None


def test_unlock_clears_a_names_delay(with_accounts):
    _fail(with_accounts, "bo", get_settings().SIGNIN_ATTEMPTS)
    with session_scope(with_accounts.engine) as session:
        listed = accounts.listing(session=session).set_index("name")
        assert listed.loc["bo", "locked until"] is not None
        accounts.change(session=session, name="bo", actor="ad", unlock=True)
    assert _throttle(with_accounts, "name", "bo") is None
    assert _sign_in(with_accounts, "bo").identity is not None


# --- sessions ----------------------------------------------------------------------------


def test_a_session_is_found_by_its_token_and_only_its_hash_is_stored(with_accounts):
    token = sessions.start(with_accounts.engine, account="ana")
    assert sessions.lookup(with_accounts.engine, token) == sessions.Lookup(account="ana")
    with session_scope(with_accounts.engine) as session:
        stored = session.scalars(select(WebSession.token_hash)).all()
    assert stored == [sessions.token_hash(token)] and token not in stored
    assert sessions.lookup(with_accounts.engine, "made up").ended == sessions.UNKNOWN


@pytest.mark.parametrize(
    ("column", "ended"),
    [("seen_at", sessions.IDLE), ("expires_at", sessions.ABSOLUTE)],
)
def test_a_session_ends_when_idle_or_at_its_absolute_end(with_accounts, column, ended):
    token = sessions.start(with_accounts.engine, account="ana")
    long_ago = datetime.now() - timedelta(minutes=get_settings().SESSION_MINUTES + 1)
    with session_scope(with_accounts.engine) as session:
        session.execute(update(WebSession).values({column: long_ago}))
    assert sessions.lookup(with_accounts.engine, token) == sessions.Lookup(None, ended)
    assert sessions.lookup(with_accounts.engine, token).ended == sessions.UNKNOWN  # forgotten


def test_a_ticket_is_used_once_and_only_in_time(with_accounts):
    engine = with_accounts.engine
    ticket = sessions.ticket(engine, account="ana")
    token = sessions.exchange(engine, ticket)
    assert sessions.lookup(engine, token).account == "ana"
    assert sessions.exchange(engine, ticket) is None  # used
    assert sessions.lookup(engine, ticket).ended == sessions.UNKNOWN  # not a session
    late = sessions.ticket(engine, account="ana")
    with session_scope(engine) as session:
        session.execute(update(WebSession).values(expires_at=datetime.now() - MIN))
    assert sessions.exchange(engine, late) is None


@pytest.mark.parametrize(
    ("change", "ends"),
    [
        ({"role": "analyst"}, True),
        ({"disable": True}, True),
        ({"password_hash": "new hash"}, True),
        ({"role": "board"}, False),  # no change of role
        ({"unlock": True}, False),
    ],
)
def test_a_changed_account_is_signed_out_of_every_browser(with_accounts, change, ends):
    engine = with_accounts.engine
    tokens = [sessions.start(engine, account="bo") for _ in range(2)]
    other = sessions.start(engine, account="ana")
    with session_scope(engine) as session:
        accounts.change(session=session, name="bo", actor="ad", **change)
    found = [sessions.lookup(engine, t).account for t in tokens]
    assert found == ([None, None] if ends else ["bo", "bo"])
    assert sessions.lookup(engine, other).account == "ana"
    signed_out = "signed out of every browser" in " ".join(_audit(with_accounts, "account changed"))
    assert signed_out == ends


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/data?area=Burnley", "/data?area=Burnley"),
        (None, "/"),
        ("", "/"),
        ("data", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
    ],
)
def test_the_cookie_routes_send_the_browser_only_to_this_site(target, safe):
    assert sessions.safe_next(target) == safe


def _request(path: str, query: str = "", headers: dict | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode()}
    return Request({**scope, "headers": raw})


def test_the_begin_route_sets_a_secure_httponly_strict_cookie(with_accounts):
    ticket = sessions.ticket(with_accounts.engine, account="ana")
    response = session_routes.begin(_request("/session/begin", f"ticket={ticket}&next=/data"))
    assert (response.status_code, response.headers["location"]) == (303, "/data")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{sessions.SECURE_COOKIE}=")
    for flag in ("HttpOnly", "Path=/", "SameSite=strict", "Secure", "Max-Age=43200"):
        assert flag in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert sessions.lookup(with_accounts.engine, token).account == "ana"
    again = session_routes.begin(_request("/session/begin", f"ticket={ticket}"))
    assert "set-cookie" not in again.headers  # the ticket was used


def test_the_routes_refuse_another_sites_request_and_end_clears_the_cookie(with_accounts):
    ticket = sessions.ticket(with_accounts.engine, account="ana")
    cross = {"Sec-Fetch-Site": "cross-site"}
    assert session_routes.begin(_request("/", f"ticket={ticket}", cross)).status_code == 403
    assert session_routes.end(_request("/", "", cross)).status_code == 403
    token = sessions.start(with_accounts.engine, account="ana")
    cookie = {"Cookie": f"{sessions.SECURE_COOKIE}={token}", "Sec-Fetch-Site": "same-origin"}
    response = session_routes.end(_request("/session/end", "", cookie))
    assert response.status_code == 303 and "Max-Age=0" in response.headers["set-cookie"]
    assert sessions.lookup(with_accounts.engine, token).ended == sessions.UNKNOWN


def test_without_secure_cookies_the_cookie_has_no_host_prefix(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    get_settings.cache_clear()
    options = sessions.cookie_options()
    assert (options["key"], options["secure"], options["httponly"]) == ("asb_session", False, True)


# --- the pages (AppTest: no browser, so no cookie; the tab holds the session) --------------


def test_a_tabs_sign_in_is_a_server_side_session_that_a_role_change_ends(required):
    from views.auth import SIGNED_IN

    at = app_test(account="bo")
    del at.session_state[SIGNED_IN]
    at.switch_page("pages/definitions.py")
    at.run()
    at.text_input[0].input("bo")
    at.text_input[1].input(PASSWORD)
    at.button[0].click()
    at.run()
    assert "Signed in as `bo` (board)" in [c.value for c in at.sidebar.caption]
    token = at.session_state[SIGNED_IN]["token"]
    assert sessions.lookup(required.engine, token).account == "bo"
    with session_scope(required.engine) as session:
        accounts.change(session=session, name="bo", actor="ad", role="scrutiny")
    at.run()
    assert [t.label for t in at.text_input] == ["Name", "Password"]
