"""Who sees and changes what (issue 14): every page for every role, signed in on a store that
requires sign-in, generated from `config.access` and the navigation; nothing case-level sent
to a role that may not see it (the check fails if a reference is anywhere in what the page
sends, tables included); and the sign-in form before anything else."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from auth import hash_password
from config import PROJECT_ROOT, get_catalogue, get_settings
from config.access import Can, Role, allowed, page_needs
from db import accounts
from db.engine import session_scope
from db.models import AsbIncident
from db.models.dip import DipCase
from db.store import init_store
from tests.conftest import Store, sqlite_copy, switch_to
from views.auth import SIGNED_IN
from views.navigation import PUBLIC_PAGE
from views.ui import NAVIGATION

# Each page by its URL path ("": the Overview; the operations' pages share one file).
PAGES = [(url, title) for pages in NAVIGATION.values() for _, title, _, url in pages]
PASSWORD = "correct horse battery staple"
COLD_RUN = 420  # seconds: a cold page fits forecasts for every measure (a busy machine: ~240)
LANDING_PAGE = ""  # the default page's URL path (the Overview)
PUBLIC_URL = next(u for v in NAVIGATION.values() for p, _, _, u in v if p == PUBLIC_PAGE)
PUBLIC_TITLE = dict(PAGES)[PUBLIC_URL]
REFERENCE = re.compile(rb"[A-Z]{2,5}-[0-9A-F]{8,16}")  # the shape of a pseudonymous reference


@pytest.fixture(scope="module")
def locked_store(demo_sqlite: Store, tmp_path_factory) -> Iterator[Store]:
    """A copy of the demonstration store with one account per role (named as the role),
    and sign-in required (`DASHBOARD_REQUIRE_LOGIN`), as the store of every test here."""
    copy = sqlite_copy(demo_sqlite, tmp_path_factory.mktemp("access"))
    with session_scope(copy.engine) as session:
        for role in Role:
            accounts.add(
                session=session,
                name=role.value,
                role=role.value,
                password_hash=hash_password(PASSWORD),
                actor="test",
            )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", copy.url)
        patch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
        get_settings.cache_clear()
        yield copy
    get_settings.cache_clear()
    copy.close()


@pytest.fixture(scope="module")
def references(locked_store: Store) -> set[bytes]:
    """Every incident reference in the store (incidents and dip-sample cases)."""
    with session_scope(locked_store.engine) as session:
        refs = set(session.scalars(select(AsbIncident.reference)))
        refs |= set(session.scalars(select(DipCase.reference)))
    return {r.encode() for r in refs if r}


def run_page(path: str, *, name: str | None) -> AppTest:
    """Run `path` (a page file or URL path: `switch_to`) through app.py, signed in as the
    account `name` (None: nobody)."""
    # the module's first run scores the store cold (now a public account's landing page)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=COLD_RUN)
    switch_to(at, path)
    if name is not None:
        at.session_state[SIGNED_IN] = {"name": name, "seen": datetime.now()}
    at.run()
    assert not at.exception, at.exception
    return at


def sent_bytes(at: AppTest) -> bytes:
    """Everything the page sent to the browser, serialised (tables' Arrow data included)."""

    def protos(node):
        if getattr(node, "proto", None) is not None:
            yield node.proto.SerializeToString()
        for child in getattr(node, "children", {}).values():
            yield from protos(child)

    return b"".join(protos(at._tree))


def leaked(at: AppTest, references: set[bytes]) -> set[bytes]:
    return {found for found in REFERENCE.findall(sent_bytes(at)) if found in references}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize(("path", "title"), PAGES, ids=[t for _, t in PAGES])
@pytest.mark.usefixtures("locked_store")
def test_each_role_on_each_page(references, role, path, title):
    at = run_page(path, name=role.value)
    needs = page_needs(path)
    refused = [e.value for e in at.error if e.value.startswith("Only the")]
    if role is Role.PUBLIC and path == LANDING_PAGE:  # a public account lands on its page
        path, title, needs = PUBLIC_URL, PUBLIC_TITLE, Can.SEE_PUBLIC
    assert [t.value for t in at.title] == [title]
    if allowed({role}, needs):
        assert not refused, refused
        assert "Password" not in [t.label for t in at.text_input], "sign-in form drawn again"
    else:
        assert refused and f"'{role.value}' has the {role.value} role" in refused[0]
        assert not at.dataframe and not at.get("plotly_chart") and not at.tabs
    found = leaked(at, references)
    if allowed({role}, Can.SEE_CASES) and path == "dip-sampling":
        assert found, "a reviewer's dip-sampling page shows cases: the leak check must see them"
    elif not allowed({role}, Can.SEE_CASES):
        assert not found, f"{role} received incident references: {sorted(found)[:3]}"


@pytest.mark.parametrize(("path", "_title"), PAGES, ids=[t for _, t in PAGES])
@pytest.mark.usefixtures("locked_store")
def test_nobody_sees_anything_before_signing_in(references, path, _title):
    at = run_page(path, name=None)
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    assert not at.dataframe and not at.get("plotly_chart") and not at.sidebar.selectbox
    assert not leaked(at, references)


@pytest.mark.usefixtures("locked_store")
def test_sidebar_lists_only_the_pages_a_role_may_open():
    for role in Role:
        at = run_page("pages/public-summary.py", name=role.value)
        links = {link.proto.label for link in at.sidebar.get("page_link")}
        may = {t for p, t in PAGES if allowed({role}, page_needs(p))}
        assert links == may, role


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.usefixtures("locked_store")
def test_only_roles_that_change_data_get_the_data_stores_controls(role):
    at = run_page("pages/data.py", name=role.value)
    if not allowed({role}, Can.SEE_AGGREGATES):
        return  # refused whole: see test_each_role_on_each_page
    may = allowed({role}, Can.CHANGE_DATA)
    headers = [h.value for h in at.subheader]
    assert ("Load a file" in headers) is may
    assert bool(at.get("file_uploader")) is may
    assert ("**Undo a load**" in [m.value for m in at.markdown]) is may
    refusals = [c.value for c in at.caption if c.value.startswith("Only the analyst role")]
    assert bool(refusals) is not may


@pytest.mark.usefixtures("locked_store")
def test_the_audit_page_filters_by_action_and_person():
    at = run_page("pages/audit.py", name="admin")
    assert at.dataframe[0].value.shape[0] > len(Role)  # the demonstration's loads and more
    assert "Download Audit log (CSV)" in [b.label for b in at.get("download_button")]
    next(m for m in at.multiselect if m.label == "Action").select("account added").run()
    entries = at.dataframe[0].value
    assert sorted(entries["Detail"]) == sorted(
        f"{r}: role {r}, signs in with local password" for r in Role
    )
    assert set(entries["Actor"]) == {"test"}
    who = next(m for m in at.multiselect if m.label == "Who")
    who.select(next(name for name in who.options if name != "test")).run()
    assert "No audit entries match these filters." in [m.value for m in at.markdown]
    assert not at.dataframe  # the accounts are on the Accounts page, linked from here
    assert any(link.proto.label.startswith("Accounts") for link in at.main.get("page_link"))


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.usefixtures("locked_store")
def test_only_roles_that_change_data_may_write_commentary(role):
    at = run_page("pages/commentary.py", name=role.value)
    if not allowed({role}, Can.SEE_AGGREGATES):
        return  # refused whole: see test_each_role_on_each_page
    may = allowed({role}, Can.CHANGE_DATA)
    assert ("Save commentary" in [b.label for b in at.button]) is may
    assert bool(at.text_area) is may
    refusals = [c.value for c in at.caption if c.value.startswith("Only the analyst role")]
    assert bool(refusals) is not may
    assert "History" in [h.value for h in at.subheader]


def test_a_store_without_accounts_says_how_the_first_is_made(store, use_store, monkeypatch):
    from views.auth import NO_ACCOUNT_YET

    use_store(store)
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    get_settings.cache_clear()
    at = run_page("pages/overview.py", name=None)
    assert [i.value for i in at.info][:1] == [NO_ACCOUNT_YET]
    assert [t.label for t in at.text_input][-2:] == ["Name", "Password"]
