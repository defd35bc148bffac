"""What a person sees when something goes wrong: a plain message with a reference, never a
traceback, SQL or a password; the traceback is in the server's log under that reference."""

from __future__ import annotations

import logging
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from config import PROJECT_ROOT, get_settings
from tests.conftest import switch_to
from views import errors, reads
from views.ui import NAVIGATION

SECRET = "secret"
CLOSED_PORT_URL = f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/x"
REFERENCE = re.compile(r"reference ([0-9a-f]{8})\b")


def _refused() -> BaseException:
    engine = create_engine(CLOSED_PORT_URL)
    try:
        engine.connect()
    except Exception as error:  # the real error is the value under test
        return error
    finally:
        engine.dispose()
    raise AssertionError("a closed port accepted a connection")


def _locked(tmp: Path) -> BaseException:
    """SQLite's real "database is locked": another connection holds the write lock."""
    path = tmp / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x TEXT)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": SECRET})
    except Exception as error:
        return error
    finally:
        engine.dispose()
        holder.close()
    raise AssertionError("the write went through a held lock")


def _raised(call) -> BaseException:
    try:
        call()
    except Exception as error:
        return error
    raise AssertionError("no error")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda _tmp: _refused(), errors.UNREACHABLE),
        (_locked, errors.BUSY),
        (lambda _tmp: _raised(lambda: make_url(f"not a url://u:{SECRET}@")), errors.BAD_URL),
        (lambda _tmp: _raised(lambda: errors.check_url(f"pg://u:{SECRET}@h:x/")), errors.BAD_URL),
        (lambda _tmp: _raised(lambda: create_engine(f"foo://u:{SECRET}@h/x")), errors.BAD_URL),
        (
            lambda tmp: _raised(
                lambda: create_engine(f"sqlite:///{tmp}/no/such/folder/x.db").connect()
            ),
            errors.UNREACHABLE,
        ),
        (lambda _tmp: ValueError(f"SELECT {SECRET}"), errors.UNEXPECTED),
    ],
    ids=[
        "refused",
        "locked",
        "malformed",
        "bad-port",
        "unknown-dialect",
        "no-sqlite-file",
        "other",
    ],
)
def test_each_kind_of_failure_gets_its_own_plain_words(make, expected, tmp_path, caplog):
    error = make(tmp_path)
    assert errors.wording(error) == expected
    with caplog.at_level(logging.ERROR, logger=errors.LOG.name):
        failure = errors.report(error)
    assert failure.message == expected.format(ref=failure.reference)
    assert re.fullmatch("[0-9a-f]{8}", failure.reference)
    assert SECRET not in failure.message and "SELECT" not in failure.message
    (record,) = [r for r in caplog.records if r.name == errors.LOG.name]
    assert failure.reference in record.getMessage() and record.exc_info[1] is error


def _run(page: str | None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    if page:
        switch_to(at, page)
    at.run()
    return at


def _shown(at: AppTest) -> str:
    """Every text the run put on the page (main area and sidebar), as one string."""
    parts = [
        str(node.value)
        for kind in ("error", "markdown", "caption", "exception")
        for node in at.get(kind)
    ]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        (CLOSED_PORT_URL, None, errors.UNREACHABLE),
        (CLOSED_PORT_URL, "pages/districts.py", errors.UNREACHABLE),
        (f"postgresql+psycopg://u:{SECRET}@@:x/", None, errors.BAD_URL),
        (f"nonsense u:{SECRET}", "pages/commentary.py", errors.BAD_URL),
    ],
    ids=["closed-port", "closed-port-page", "malformed", "malformed-page"],
)
def test_a_store_that_cannot_be_used_is_told_plainly_at_start(
    url, page, expected, monkeypatch, caplog
):
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    with caplog.at_level(logging.ERROR, logger=errors.LOG.name):
        at = _run(page)
    get_settings.cache_clear()
    assert not at.exception
    (shown,) = [e.value for e in at.error]
    reference = REFERENCE.search(shown).group(1)
    assert shown == expected.format(ref=reference)
    assert SECRET not in _shown(at) and "Traceback" not in _shown(at)
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_page_that_fails_inside_shows_a_reference_found_in_the_log(
    demo_sqlite, use_store, monkeypatch, caplog
):
    use_store(demo_sqlite)

    def broken(*_args, **_kwargs):
        raise RuntimeError(f"SELECT * FROM accounts WHERE password = '{SECRET}'")

    monkeypatch.setattr(reads, "store_summary", broken)
    with caplog.at_level(logging.ERROR, logger=errors.LOG.name):
        at = _run(None)
    assert not at.exception
    assert at.title[0].value == "Overview"  # drawn before the failure, and kept
    (shown,) = [e.value for e in at.error]
    reference = REFERENCE.search(shown).group(1)
    assert shown == errors.UNEXPECTED.format(ref=reference)
    assert SECRET not in _shown(at) and "Traceback" not in _shown(at)
    (record,) = [r for r in caplog.records if reference in r.getMessage()]
    assert "broken" in caplog.text and SECRET in str(record.exc_info[1])  # the analyst's view


def test_streamlit_control_flow_is_not_caught():
    """st.stop and st.rerun raise BaseExceptions that `except Exception` lets through."""
    from streamlit.runtime.scriptrunner_utils.exceptions import (
        RerunException,
        StopException,
    )

    for control in (StopException, RerunException):
        assert not issubclass(control, Exception)


def test_tracebacks_are_never_sent_to_the_browser():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_every_file_in_pages_is_a_page_of_the_navigation():
    """A helper module in pages/ would be served as a page of its own (a blank page listing
    the modules) when it is the first URL a fresh server is asked for: helpers live in views/."""
    files = {
        f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").iterdir() if p.name != "__pycache__"
    }
    assert files == {path for pages in NAVIGATION.values() for path, *_ in pages}
