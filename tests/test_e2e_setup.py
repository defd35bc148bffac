"""End-to-end (issue 26), in Debian's Chromium as `tests/test_e2e.py` drives it: the first
accounts set up in the browser with the set-up code read from the server's log, and then an
anonymous browser gets the sign-in form on every page URL of that store (accounts, no data).

One server (module-scoped) over a fresh store with its schema and no account: the set-up
turns it into a store with accounts and no data, the case the issue saw left open. The port
is E2E_SETUP_PORT when set (else any free one)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

import pytest

from config import get_catalogue
from db.engine import make_engine
from db.store import init_store
from present import setup_wording as sw
from tests.test_e2e import (  # noqa: F401 (browser: a fixture used by name)
    MAIN,
    PAGE_LINK,
    PAGES,
    SIDEBAR,
    VIEWPORT,
    AppServer,
    _free_port,
    _serve,
    act_and_wait,
    blocking_violations,
    browser,
    open_page,
)

pytestmark = pytest.mark.slow

CODE_LINE = re.compile(r"^ {6}(\S+)$", re.MULTILINE)  # as `auth.setup.ANNOUNCEMENT` prints it
LOG_WAIT = 10  # seconds for the code to reach the log after the first page run
ADMIN, ANALYST = "e2e admin", "e2e first analyst"
PASSWORD = "a browser-made passphrase"


@pytest.fixture(scope="module")
def bare_server(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch_module
) -> Iterator[AppServer]:
    """The dashboard over a fresh store with its schema and no account (so no demonstration
    data are loaded: the store is not the default one)."""
    tmp = tmp_path_factory.mktemp("e2e-setup")
    url = f"sqlite:///{tmp / 'setup.db'}"
    engine = make_engine(url)
    init_store(engine=engine, catalogue=get_catalogue(), actor="tests")
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    env.pop("DASHBOARD_REQUIRE_LOGIN", None)
    port = int(os.environ.get("E2E_SETUP_PORT") or _free_port())
    monkeypatch_module.setattr("tests.test_e2e._free_port", lambda: port)
    with _serve(tmp, env) as server:
        yield server


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def code_from_log(server: AppServer) -> str:
    """The set-up code the server printed to its log (waiting briefly for it)."""
    deadline = time.monotonic() + LOG_WAIT
    while time.monotonic() < deadline:
        found = CODE_LINE.findall(server.log.read_text(errors="replace"))
        if found:
            assert len(found) == 1, "the set-up code was printed more than once"
            return found[0]
        time.sleep(0.2)
    pytest.fail("the server printed no set-up code to its log")


def fill_set_up(page, code: str) -> None:
    for label, value in (
        (sw.CODE_LABEL, code),
        (sw.ADMIN_NAME, ADMIN),
        (sw.ADMIN_PASSWORD, PASSWORD),
        (sw.ANALYST_NAME, ANALYST),
        (sw.ANALYST_PASSWORD, PASSWORD),
    ):
        page.get_by_role("textbox", name=label, exact=True).fill(value)
    act_and_wait(page, page.get_by_role("button", name=sw.SUBMIT).click)


def test_set_up_in_the_browser_then_every_page_asks_for_sign_in(browser, bare_server):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=bare_server.url, viewport=VIEWPORT, reduced_motion="reduce"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        open_page(page, "")
        sidebar, main = page.locator(SIDEBAR), page.locator(MAIN).first
        expect(sidebar).to_contain_text(f"holds {sw.HOLDS_NOTHING}")
        code = code_from_log(bare_server)
        act_and_wait(page, sidebar.get_by_role("button", name=sw.SETUP_BUTTON).click)
        expect(main).to_contain_text(sw.SETUP_TITLE)
        problems = blocking_violations(page)
        assert not problems, "axe-core on the set-up form:\n" + "\n".join(problems)
        fill_set_up(page, "not the code")
        expect(main).to_contain_text("That set-up code is not the one this server printed")
        fill_set_up(page, code)
        expect(sidebar).to_contain_text(f"Signed in as {ANALYST} (analyst)")
        expect(main).to_contain_text("Accounts set up")
    finally:
        context.close()

    anonymous = browser.new_context(base_url=bare_server.url, viewport=VIEWPORT)
    anonymous.set_default_timeout(30_000)
    page = anonymous.new_page()
    try:
        for url_path, title in PAGES.items():
            open_page(page, url_path)
            main = page.locator(MAIN).first
            expect(main).to_contain_text("sign in to continue")
            expect(page.locator("h1").filter(has_text=title).first).to_be_visible()
            assert page.locator(SIDEBAR).locator(PAGE_LINK).count() == 0, url_path
            assert page.get_by_role("button", name=sw.SETUP_BUTTON).count() == 0, url_path
    finally:
        anonymous.close()
    assert code not in bare_server.log.read_text().replace(f"      {code}\n", "", 1)
