"""What a person sees when a page fails: a plain message and a short reference, never a
traceback, SQL, parameters or a password from DATABASE_URL. The full traceback goes to the
server's log under the same reference, so an analyst can find it.

Streamlit's own control flow (st.stop, st.rerun, st.switch_page) raises
`ScriptControlException`, a BaseException: `except Exception` never catches it, so a page
that stops or reruns does so as before."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import exc
from sqlalchemy.engine import make_url

LOG = logging.getLogger("dashboard.errors")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REFERENCE_LENGTH = 8  # hex characters: short enough to read out, unique enough for one log
BUSY_MARKER = "database is locked"  # SQLite's words when another connection is writing
UNREACHABLE_MARKERS = ("unable to open database file",)  # SQLite's words for a missing store

UNREACHABLE = (
    "The data store cannot be reached: its database server may be down, or the DATABASE_URL "
    "setting may name the wrong host or port. Nothing was changed. Try again in a few minutes; "
    "if it goes on, tell the dashboard's administrator the reference {ref}."
)
BAD_URL = (
    "The DATABASE_URL setting is not a database address the dashboard can use (it should look "
    "like postgresql+psycopg://user:password@host:5432/database). Nothing was changed. The "
    "dashboard's administrator needs to correct the setting (reference {ref})."
)
BUSY = (
    "The data store is busy: another change is being written. Nothing was changed; try again "
    "in a minute (reference {ref})."
)
UNEXPECTED = (
    "This page stopped because of an unexpected problem, so it could not be shown in full. "
    "Tell the dashboard's administrator the reference {ref}: the details are in the server's "
    "log."
)


class BadStoreAddress(Exception):
    """DATABASE_URL cannot be read as a database address (SQLAlchemy raises ArgumentError for
    some such URLs, a plain ValueError for others, such as a port that is not a number)."""


def check_url(url: str) -> None:
    """Raise BadStoreAddress (without the URL's text, which may hold a password) unless `url`
    parses as a SQLAlchemy URL."""
    try:
        make_url(url)
    except Exception:  # whatever the parser raises, the address is unusable
        raise BadStoreAddress("DATABASE_URL is not a SQLAlchemy URL") from None


@dataclass(frozen=True)
class Failure:
    """What to tell the person: the message (with the reference in it) and the reference."""

    message: str
    reference: str


def _server_log() -> logging.Logger:
    """The logger, writing with a time stamp to the server's standard error when nothing else
    (such as a test's log capture on the root logger) has been set up for it."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
    return LOG


def wording(error: BaseException) -> str:
    """The message template for `error`, chosen by its kind, never by showing its text."""
    if isinstance(error, BadStoreAddress | exc.ArgumentError):  # unparsable, unknown dialect
        return BAD_URL
    if isinstance(error, exc.DBAPIError):
        said = str(error.orig).lower()
        if BUSY_MARKER in said:
            return BUSY
        if error.connection_invalidated or any(m in said for m in UNREACHABLE_MARKERS):
            return UNREACHABLE
        if type(error.orig).__module__.startswith("psycopg") and isinstance(
            error, exc.OperationalError | exc.InterfaceError
        ):  # psycopg raises these for a refused, unresolved or dropped connection
            return UNREACHABLE
    return UNEXPECTED


def report(error: BaseException) -> Failure:
    """Log `error` with its traceback under a new reference; return what to show."""
    reference = uuid.uuid4().hex[:REFERENCE_LENGTH]
    template = wording(error)
    _server_log().error(
        "Page failed (reference %s, shown as %s)",
        reference,
        {BAD_URL: "bad DATABASE_URL", UNREACHABLE: "store unreachable", BUSY: "store busy"}.get(
            template, "unexpected"
        ),
        exc_info=error,
    )
    return Failure(message=template.format(ref=reference), reference=reference)


def run_safely(body: Callable[[], object]) -> None:
    """Run `body` (app.py's preparation and the page); on any failure show a plain message and
    stop the run (st.stop, st.rerun and st.switch_page pass through untouched)."""
    try:
        body()
    except Exception as error:  # every failure is logged and told plainly
        failure = report(error)
        st.error(failure.message, icon=":material/error:")
        st.stop()
