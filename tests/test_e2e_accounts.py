"""End-to-end (issue 26): an admin adds an account on the Accounts page in Chromium, and that
account can then sign in. One server on an empty store that requires sign-in, whose first admin
is made on the command line; few page loads (the helpers of `tests/test_e2e.py`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import PROJECT_ROOT
from present import accounts_wording as w
from tests.test_e2e import (  # noqa: F401 (browser: a fixture)
    MAIN,
    SIDEBAR,
    VIEWPORT,
    AppServer,
    _serve,
    act_and_wait,
    blocking_violations,
    browser,
    follow_sidebar_link,
    open_page,
    sign_in,
)

pytestmark = pytest.mark.slow

ADMIN, ADMIN_PASSWORD = "e2e admin", "a long admin passphrase 7"
NEW, NEW_PASSWORD = "e2e board member", "another long passphrase 9"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory) -> Iterator[AppServer]:
    """`streamlit run serve.py` over an empty store (schema only) requiring sign-in, with one
    admin made on the command line."""
    tmp: Path = tmp_path_factory.mktemp("e2e_accounts")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'accounts.db'}",
        "PYTHONUNBUFFERED": "1",
        "DASHBOARD_REQUIRE_LOGIN": "1",
    }
    for command, given in (
        (["init"], None),
        (["user", "add", ADMIN, "--role", "admin"], ADMIN_PASSWORD + "\n"),
    ):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_ROOT,
            env=env,
            input=given,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"manage.py {command} failed:\n{done.stdout}\n{done.stderr}"
    with _serve(tmp, env) as server:  # the dashboard as README runs it: serve.py
        yield server


def test_an_admin_adds_an_account_that_can_then_sign_in(browser, admin_server):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=admin_server.url, viewport=VIEWPORT, reduced_motion="reduce"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        open_page(page, "")
        sign_in(page, ADMIN, ADMIN_PASSWORD)
        follow_sidebar_link(page, "Accounts")
        main = page.locator(MAIN).first
        expect(page.locator("h1").filter(has_text="Accounts").first).to_be_visible()
        form = page.locator('[data-testid="stForm"]').first
        form.get_by_role("textbox", name=w.NAME, exact=True).fill(NEW)
        form.get_by_role("combobox", name="Role").click()
        page.get_by_role("option", name="board", exact=True).click()
        form.get_by_label(w.PASSWORD, exact=True).fill(NEW_PASSWORD)
        form.get_by_label(w.AGAIN).fill(NEW_PASSWORD)
        act_and_wait(page, form.get_by_role("button", name="Add the account").click)
        expect(main).to_contain_text(f"Account {NEW} added with the board role.")
        expect(main).not_to_contain_text(NEW_PASSWORD)
        assert form.get_by_label(w.PASSWORD, exact=True).input_value() == ""
        problems = blocking_violations(page)
        assert not problems, "axe-core on the Accounts page:\n" + "\n".join(problems)
        act_and_wait(page, page.locator(SIDEBAR).get_by_role("button", name="Sign out").click)
        sign_in(page, NEW, NEW_PASSWORD)
        expect(page.locator(SIDEBAR)).to_contain_text(f"Signed in as {NEW} (board)")
    finally:
        context.close()
