"""Shared fixtures: a real SQLite and a real PostgreSQL store for every database test.

PostgreSQL comes from TEST_DATABASE_URL (`.ci/run` starts a throwaway server and sets it).
Without it the PostgreSQL cases skip with a reason, except under CI (CI=true), where a
missing database is a failure, never a silent skip. Each store lives in its own PostgreSQL
schema (or SQLite file) and is dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, create_engine, text

from config import PROJECT_ROOT, get_catalogue, get_settings
from db.engine import make_engine, session_scope
from db.store import init_store

SHARED = PROJECT_ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgresql"]
DEMO_SEED = 11


def require_shared(*parts: str) -> Path:
    """A path under ../shared, skipping the test where it is absent (failing under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing under CI: ../shared must sit beside the clone")
        pytest.skip(f"{path} not found: the published reference files live in ../shared")
    return path


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set under CI: PostgreSQL tests must run")
        pytest.skip("TEST_DATABASE_URL not set: run `bash .ci/run` for the PostgreSQL cases")
    return url


class Store:
    """A fresh, empty database of one backend, and its URL for the command line."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        if backend == "sqlite":
            self.url = f"sqlite:///{tmp / 'store.db'}"
            self._drop = None
        else:
            base = _postgres_url()
            schema = f"t_{uuid.uuid4().hex[:12]}"
            admin = create_engine(base)
            with admin.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            separator = "&" if "?" in base else "?"
            self.url = f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
            self._drop = (admin, schema)
        self.engine: Engine = make_engine(self.url)

    def close(self) -> None:
        self.engine.dispose()
        if self._drop:
            admin, schema = self._drop
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store, with no schema yet, on each backend."""
    created = Store(request.param, tmp_path)
    yield created
    created.close()


@pytest.fixture(scope="session")
def _demo_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Store]]:
    """The demonstration dataset, loaded once per run on each backend asked for: the stores
    are read by many tests (and their scores, computed by the first test that needs them,
    are shared)."""
    from demo import load_demo

    made: dict[str, Store] = {}

    def get(backend: str) -> Store:
        if backend not in made:
            created = Store(backend, tmp_path_factory.mktemp(f"demo-{backend}"))
            catalogue = get_catalogue()
            init_store(engine=created.engine, catalogue=catalogue, actor="tests")
            load_demo(engine=created.engine, catalogue=catalogue, seed=DEMO_SEED, actor="tests")
            made[backend] = created
        return made[backend]

    yield get
    for created in made.values():
        created.close()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_store(request: pytest.FixtureRequest, _demo_stores: Callable[[str], Store]) -> Store:
    """A store on each backend holding the demonstration dataset (not to be changed)."""
    return _demo_stores(request.param)


@pytest.fixture
def use_store(monkeypatch: pytest.MonkeyPatch):
    """Point the settings (and so manage.py and the app) at a store's URL for one test."""

    def point(store: Store) -> None:
        monkeypatch.setenv("DATABASE_URL", store.url)
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def demo_sqlite(_demo_stores: Callable[[str], Store]) -> Store:
    """The demonstration dataset on SQLite only, for the page tests (AppTest is slow enough
    once; the database layer itself is tested on both backends): `demo_store`'s SQLite one."""
    return _demo_stores("sqlite")


def sqlite_copy(source: Store, folder: Path) -> Store:
    """A copy of a SQLite store in `folder` (SQLite's online backup: consistent as it is)."""
    copy = Store("sqlite", folder)
    reading = sqlite3.connect(source.url.removeprefix("sqlite:///"))
    writing = sqlite3.connect(copy.url.removeprefix("sqlite:///"))
    with writing:
        reading.backup(writing)
    reading.close()
    writing.close()
    return copy


@pytest.fixture
def demo_copy(demo_sqlite: Store, use_store, tmp_path: Path) -> Iterator[Store]:
    """A copy of the demonstration store (SQLite) that a test may change, used as the store."""
    copy = sqlite_copy(demo_sqlite, tmp_path)
    use_store(copy)
    yield copy
    copy.close()


@dataclass(frozen=True)
class OneDistrictSample:
    """`demo_copy` with a sample of one district drawn after the demonstration samples."""

    store: Store
    latest: object  # the newest demonstration sample (`db.dipsamples.Sample`), the force's
    sample_id: int  # the one-district sample: Burnley, incidents flagged vulnerable victim


@pytest.fixture
def one_district_sample(demo_copy: Store) -> OneDistrictSample:
    """A copy of the demonstration store (the store in use) with one more sample, of one
    district: Burnley's incidents flagged vulnerable victim over the months of the newest
    demonstration sample, 12 cases, seed 3; nothing answered yet (`answer_every_case`)."""
    import dipsampling
    from db import dipsamples

    catalogue = get_catalogue()
    with session_scope(demo_copy.engine) as session:
        latest = dipsamples.samples(session=session)[0]
        drawn = dipsampling.draw(
            session=session,
            catalogue=catalogue,
            of=dipsamples.Population(
                latest.first_month,
                latest.last_month,
                dipsampling.districts_for(catalogue, ["Burnley"]),
                (),
                ("vulnerable_victim",),
            ),
            actor="tests",
            size=12,
            seed=3,
        )
    return OneDistrictSample(store=demo_copy, latest=latest, sample_id=drawn.sample_id)


def answer_every_case(*, session, sample_id: int, questions, answer: str = "yes") -> None:
    """Answer every question of every case of a sample the same way (no notes)."""
    import pandas as pd

    from db import dipsamples

    cases = dipsamples.cases(session=session, sample_id=sample_id)
    dipsamples.save_answers(
        session=session,
        actor="tests",
        sample_id=sample_id,
        given=pd.DataFrame(
            [(c, q, answer, None) for c in cases["case_id"] for q in questions],
            columns=["case_id", "question", "answer", "note"],
        ),
    )


POLICEUK_MONTHS = ("2024-01", "2024-02", "2024-03", "2024-04")  # ../shared/data/policeuk


@pytest.fixture(scope="session")
def policeuk_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A SQLite store of real data only: the four police.uk street files in ../shared (no
    time of day, no returns, no baseline year), for the page tests."""
    from ingest import inspect
    from ingest.load import load_plan

    catalogue = get_catalogue()
    created = Store("sqlite", tmp_path_factory.mktemp("policeuk"))
    init_store(engine=created.engine, catalogue=catalogue, actor="tests")
    for month in POLICEUK_MONTHS:
        path = require_shared("data", "policeuk", f"{month}-lancashire-street.csv")
        plan = inspect(path, catalogue=catalogue)
        assert plan.ok, plan.messages()
        load_plan(  # as loaded together: published with April 2024, the newest of them
            engine=created.engine,
            catalogue=catalogue,
            plan=plan,
            actor="tests",
            published=date(2024, 4, 1),
        )
    yield created
    created.close()


TEST_ANALYST = "test analyst"  # the account page tests sign in as, on stores that need it


def app_test(
    *,
    timeout: int = 240,
    account: str = TEST_ANALYST,
    role: str = "analyst",
    make_account: bool = False,
):
    """AppTest of app.py on the store DATABASE_URL names, signed in as `account`, made with
    `role` in that store when missing and sign-in is required or `make_account` (a test that
    loads real data through a page: sign-in is required from then on). A store with an
    account asks the command line for one too, so shared demonstration stores get none."""
    from streamlit.testing.v1 import AppTest

    from db import accounts
    from db.migrate import current_revision, head_revision
    from db.queries import store_summary
    from views.auth import SIGNED_IN

    engine = make_engine(get_settings().DATABASE_URL)
    if current_revision(engine) == head_revision():
        with session_scope(engine) as session:
            required = get_settings().DASHBOARD_REQUIRE_LOGIN
            needed = make_account or required or store_summary(session=session).has_real
            needed = needed or accounts.count(session=session) > 0  # sign-in follows accounts
            if needed and accounts.find(session=session, name=account) is None:
                accounts.add(
                    session=session, name=account, role=role, password_hash=None, actor="tests"
                )
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=timeout)
    at.session_state[SIGNED_IN] = {"name": account, "seen": datetime.now()}
    return at


def address(path: str, url: str) -> str:
    """How a test asks for the page of a navigation entry (`views.navigation.NAVIGATION`):
    its file, or for an operation's page (one file for every operation) its URL path."""
    from views.navigation import OPERATION_PAGE

    return url if path == OPERATION_PAGE else path


def switch_to(at, page: str) -> None:
    """Ask AppTest `at` for `page`: a page file ("pages/data.py"), or a URL path ("districts",
    "centurion"; "": the Overview). The operations' pages share one file, pages/operation.py,
    so AppTest's switch_page (by file) cannot tell them apart: a URL path is asked for as a
    browser asks, by the hash Streamlit gives it (`st.Page` hashes its url_path)."""
    from streamlit.util import calc_hash

    if page.endswith(".py"):
        at.switch_page(page)
    elif page:
        at._page_hash = calc_hash(page)


def open_page(page: str | None = None, **params: str):
    """Run app.py on `page` (a page file or URL path, see `switch_to`; default: the Overview)
    as a pasted URL with `params` as its query string would, in Streamlit's AppTest, signed in
    as an analyst (`app_test`); fails on any exception the page raises."""
    at = app_test()
    if page:
        switch_to(at, page)  # AppTest's switch_page drops the query string: set it after
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def table_counts(*, session) -> dict[str, int]:
    """Rows in every table of the store (used to prove a refused file changed nothing)."""
    from sqlalchemy import func, select

    from db.models import Base

    return {
        name: session.scalar(select(func.count()).select_from(table))
        for name, table in sorted(Base.metadata.tables.items())
    }


def store_counts(*, session) -> dict[str, int]:
    """Rows in every table (`table_counts`), the audit log's without the command line's own
    entries: a refused command is audited as run or refused (issue 26), which records the
    attempt but changes nothing in the store."""
    from sqlalchemy import func, select

    from auth.cliaudit import ENTITY
    from db.models import AuditEntry

    counts = table_counts(session=session)
    counts["audit_log"] = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.entity != ENTITY)
    )
    return counts
