"""End-to-end (issue 26): a local account's session in Chromium, served by `streamlit run
serve.py` on a port of its own, over an empty store with accounts (so sign-in is required).

- signed in, a reload and a second tab stay signed in; sign-out ends it for good (a reload
  shows the sign-in form); the cookie's flags as the browser holds them;
- an attacker's wrong passwords delay the name: then the right password is refused with the
  same words as an unknown name, and attempts during the delay do not lengthen it;
- Streamlit's settings of `.streamlit/config.toml` still apply (static files served).

Reuses tests/test_e2e.py's browser, waits and server start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy import select

import auth
from auth import sessions
from config import PROJECT_ROOT
from db import accounts
from db.engine import make_engine, session_scope
from db.models.session import SigninThrottle
from tests import test_e2e as e2e
from tests.test_e2e import MAIN, SIDEBAR, VIEWPORT, AppServer, browser, open_page, wait_for_run

pytestmark = pytest.mark.slow
__all__ = ["browser"]  # the fixture, reused

PORTS = range(8611, 8615)  # this file's ports
USER, ATTACKED, PASSWORD = "e2e board", "e2e target", "correct horse battery staple"
PAGE, TITLE = "definitions", "Definitions and targets"
FORM_TEXT = "sign in to continue"


def _port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail(f"none of the ports {PORTS} is free")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    """serve.py over an empty store (schema only) with two board accounts."""
    tmp = tmp_path_factory.mktemp("e2e_sessions")
    url = f"sqlite:///{tmp / 'sessions.db'}"
    env = {**os.environ, "DATABASE_URL": url, "DASHBOARD_REQUIRE_LOGIN": "1"}
    env["PYTHONUNBUFFERED"] = "1"
    made = subprocess.run(
        [sys.executable, "manage.py", "init"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    with session_scope(make_engine(url)) as session:
        for name in (USER, ATTACKED):
            accounts.add(
                session=session, name=name, role="board",
                password_hash=auth.hash_password(PASSWORD), actor="tests",
            )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(e2e, "_free_port", _port)
        with e2e._serve(tmp, env) as served:
            yield served, url


def _context(browser, served: AppServer):
    context = browser.new_context(base_url=served.url, viewport=VIEWPORT, reduced_motion="reduce")
    context.set_default_timeout(30_000)
    return context


def _submit(page, name: str, password: str, *, navigates: bool) -> None:
    """Fill in the sign-in form; when the sign-in succeeds the browser goes to the cookie
    route and comes back to the page."""
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    button = page.get_by_role("button", name="Sign in")
    if navigates:
        with page.expect_navigation(url=lambda u: sessions.BEGIN_PATH not in u, timeout=60_000):
            button.click()
        page.locator(MAIN).first.wait_for(state="attached")
        wait_for_run(page)
    else:
        e2e.act_and_wait(page, button.click)


def _signed_in(page, name: str = USER) -> bool:
    sidebar = page.locator(SIDEBAR)
    return sidebar.count() > 0 and f"Signed in as {name}" in sidebar.first.inner_text()


def _shows_form(page) -> bool:
    return FORM_TEXT in page.locator(MAIN).first.inner_text()


def test_a_session_survives_reloads_and_tabs_and_ends_at_sign_out(browser, server):
    from playwright.sync_api import expect

    served, _ = server
    context = _context(browser, served)
    page = context.new_page()
    try:
        open_page(page, PAGE)
        assert _shows_form(page)
        _submit(page, USER, PASSWORD, navigates=True)
        assert e2e.path(page) == f"/{PAGE}" and _signed_in(page), page.url
        expect(page.locator("h1").filter(has_text=TITLE).first).to_be_visible()
        (cookie,) = [c for c in context.cookies() if c["name"] == sessions.SECURE_COOKIE]
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Strict", True)
        assert cookie["path"] == "/" and not page.evaluate("document.cookie").count("asb_")

        page.reload()
        page.locator(MAIN).first.wait_for(state="attached")
        wait_for_run(page)
        assert _signed_in(page), "a reload signed the account out"
        second = context.new_page()
        open_page(second, PAGE)
        assert f"Signed in as {USER}" in second.locator(SIDEBAR).inner_text(), "a new tab"
        second.close()

        with page.expect_navigation(url=lambda u: sessions.END_PATH not in u):
            page.locator(SIDEBAR).get_by_role("button", name="Sign out").click()
        page.locator(MAIN).first.wait_for(state="attached")
        wait_for_run(page)
        assert _shows_form(page)
        assert not [c for c in context.cookies() if c["name"] == sessions.SECURE_COOKIE]
        page.reload()
        page.locator(MAIN).first.wait_for(state="attached")
        wait_for_run(page)
        assert _shows_form(page) and not _signed_in(page)
        glyph = next((PROJECT_ROOT / "static").rglob("*.pbf")).relative_to(PROJECT_ROOT)
        served_file = f"{served.url}/app/{urllib.parse.quote(glyph.as_posix())}"
        with urllib.request.urlopen(served_file, timeout=5) as static:  # enableStaticServing
            assert static.status == 200
    finally:
        context.close()


def _refused(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as refusal:
        return refusal.code


def test_streamlits_own_protections_still_hold_under_serve_py(server):
    """An upload without the XSRF token, another site's request to the cookie routes, and a
    websocket from another origin are refused (no page load needed)."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    served, _ = server
    upload = urllib.request.Request(f"{served.url}/_stcore/upload_file/a/b", method="PUT")
    assert _refused(upload) == 403
    for route in (sessions.BEGIN_PATH + "?ticket=x", sessions.END_PATH):
        cross = {"Sec-Fetch-Site": "cross-site"}
        assert _refused(urllib.request.Request(served.url + route, headers=cross)) == 403
    socket_url = served.url.replace("http", "ws") + "/_stcore/stream"
    with connect(socket_url, origin=served.url, open_timeout=10):  # the app's own origin
        pass
    with pytest.raises(InvalidStatus), connect(socket_url, origin="http://evil.example"):
        pass


def _delay(url: str) -> tuple[int, object]:
    with session_scope(make_engine(url)) as session:
        row = session.scalar(
            select(SigninThrottle).where(
                SigninThrottle.kind == "name", SigninThrottle.value == ATTACKED
            )
        )
        return row.failures, row.delayed_until


def test_an_attacker_is_delayed_and_cannot_tell_names_or_lengthen_the_delay(browser, server):
    served, url = server
    context = _context(browser, served)
    page = context.new_page()
    try:
        open_page(page, PAGE)
        _submit(page, "nobody by this name", "a guess at a password", navigates=False)
        unknown = page.get_by_role("alert").first.inner_text().strip()
        assert auth.SIGNIN_REFUSED in unknown
        for attempt in range(auth.get_settings().SIGNIN_ATTEMPTS):
            _submit(page, ATTACKED, f"wrong guess number {attempt}", navigates=False)
        failures, until = _delay(url)
        assert until is not None
        for _ in range(2):  # the right password during the delay: refused, delay unchanged
            _submit(page, ATTACKED, PASSWORD, navigates=False)
            assert page.get_by_role("alert").first.inner_text().strip() == unknown
            assert not _signed_in(page, ATTACKED) and _delay(url) == (failures, until)
        assert not [c for c in context.cookies() if c["name"] == sessions.SECURE_COOKIE]
    finally:
        context.close()
