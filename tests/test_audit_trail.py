"""Everything that leaves the store through a page is audited (issue 26): every download
button of every page, found in the AppTest element tree (not a hand list), clicked, writes one
audit row naming the file and never its content; refusals of a page or an action to a
signed-in identity are audited once per browser session and page.

The file a button hands out is learnt from Streamlit's own media store (the name it was given
when the page registered the file), not from the dashboard's code."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from auth import OPEN_DEMO_USER, hash_password
from config import PROJECT_ROOT, get_settings
from config.access import Can, Role, allowed, page_needs
from db import accounts
from db.engine import session_scope
from db.models import AuditEntry
from db.models.dip import DipCase
from tests.conftest import Store, address, sqlite_copy, switch_to
from views import audit_trail
from views.auth import SIGNED_IN
from views.ui import NAVIGATION

WALKER = OPEN_DEMO_USER  # the open demonstration's name in the audit
PAGES = [address(path, url) for pages in NAVIGATION.values() for path, _, _, url in pages]
# Pages whose download buttons appear only after something is done on them, and what.
AFTER = {
    "pages/board-pack.py": ("button", "Make the pack", {}),
    "pages/public-summary.py": ("button", "Publish this summary", {}),
    "pages/dip-sampling.py": (None, None, {"sample": "2"}),
}


@pytest.fixture
def file_names(monkeypatch) -> dict[str, str]:
    """Media file id -> the file name a page gave it, as Streamlit registers each file."""
    names: dict[str, str] = {}
    register = MemoryMediaFileStorage.load_and_get_id

    def remember(self, path_or_data, mimetype, kind, filename=None):
        file_id = register(self, path_or_data, mimetype, kind, filename)
        names[file_id] = filename
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", remember)
    return names


def _rows(store: Store) -> list[tuple[str, str, str]]:
    with session_scope(store.engine) as session:
        found = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.detail).order_by(AuditEntry.id)
        )
        return [tuple(r) for r in found]


def _run(path: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=600)
    switch_to(at, path)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _prepared(path: str) -> AppTest:
    kind, label, params = AFTER.get(path, (None, None, {}))
    at = _run(path, params)
    if kind == "button":
        next(b for b in at.button if b.label == label).click()
        at.run()
        assert not at.exception, at.exception
    return at


def _file_of(button, names: dict[str, str]) -> str:
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    return names[file_id]


@pytest.mark.parametrize("path", PAGES, ids=[p.removeprefix("pages/") for p in PAGES])
def test_every_download_button_on_every_page_audits_its_click(demo_copy, file_names, path):
    get_settings.cache_clear()
    with session_scope(demo_copy.engine) as session:
        references = set(session.scalars(select(DipCase.reference)))
    at = _prepared(path)
    count = len(at.get("download_button"))
    if path in AFTER:
        assert count, f"{path}: no download button after {AFTER[path]}"
    buttons = [at.get("download_button")[index] for index in range(count)]
    names = [_file_of(button, file_names) for button in buttons]
    before = _rows(demo_copy)
    for button in buttons:  # every click goes with the same rerun: one page run, not one each
        button.click()
    at.run()
    assert not at.exception, at.exception
    new = _rows(demo_copy)[len(before) :]
    for name, button in zip(names, buttons, strict=True):
        downloads = [r for r in new if f"file {name}" in r[2]]
        assert len(downloads) == names.count(name), (path, button.proto.label, new)
        actor, _, detail = downloads[0]
        assert actor == WALKER
        assert not any(ref in detail for ref in references if ref)
        assert len(detail) < 300, detail  # a description, never the file's content


# --- refusals ---------------------------------------------------------------------------------


@pytest.fixture
def locked(demo_sqlite: Store, tmp_path, monkeypatch) -> Store:
    """A copy of the demonstration store with one account per role, sign-in required."""
    copy = sqlite_copy(demo_sqlite, tmp_path)
    with session_scope(copy.engine) as session:
        for role in Role:
            accounts.add(
                session=session,
                name=role.value,
                role=role.value,
                password_hash=hash_password("correct horse battery staple"),
                actor="test",
            )
    monkeypatch.setenv("DATABASE_URL", copy.url)
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    get_settings.cache_clear()
    yield copy
    get_settings.cache_clear()
    copy.close()


def _refusals(store: Store, actor: str) -> list[tuple[str, str]]:
    with session_scope(store.engine) as session:
        return [
            tuple(r)
            for r in session.execute(
                select(AuditEntry.action, AuditEntry.detail)
                .where(
                    AuditEntry.actor == actor,
                    AuditEntry.action.in_([audit_trail.PAGE_REFUSED, audit_trail.ACTION_REFUSED]),
                )
                .order_by(AuditEntry.id)
            )
        ]


def test_a_refused_page_is_audited_once_per_browser_session(locked):
    path = "pages/audit.py"
    assert not allowed({Role.BOARD}, page_needs("audit"))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    switch_to(at, path)
    at.session_state[SIGNED_IN] = {"name": "board", "seen": datetime.now()}
    at.run()
    assert at.error[0].value.startswith("Only the admin role may see the audit log")
    refused = "page Audit log: may not see the audit log (board role)"
    expected = [(audit_trail.PAGE_REFUSED, refused)]
    assert _refusals(locked, "board") == expected
    at.run()  # a rerun of the same session (a widget, a refresh of the script) adds none
    assert _refusals(locked, "board") == expected
    again = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    again.switch_page(path)
    again.session_state[SIGNED_IN] = {"name": "board", "seen": datetime.now()}
    again.run()  # a new browser session: audited again
    assert _refusals(locked, "board") == expected * 2


def test_a_refused_action_on_an_allowed_page_is_audited_and_allowed_ones_are_not(locked):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    at.switch_page("pages/data.py")
    at.session_state[SIGNED_IN] = {"name": "board", "seen": datetime.now()}
    at.run()
    assert not at.exception
    assert _refusals(locked, "board") == [
        (
            audit_trail.ACTION_REFUSED,
            f"page Data store: may not {Can.CHANGE_DATA} (board role)",
        )
    ]
    analyst = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    analyst.switch_page("pages/data.py")
    analyst.session_state[SIGNED_IN] = {"name": "analyst", "seen": datetime.now()}
    analyst.run()
    assert _refusals(locked, "analyst") == []
