"""The database engine and sessions. The only place that knows which database is in use.

One engine (one connection pool) per store URL per process: `make_engine` hands back the
same engine for the same URL, and a forked child process forgets the pools it inherited
(SQLAlchemy's "Using Connection Pools with Multiprocessing") so it never shares a parent's
connection.

Transactions, so that writers queue and readers never see half a write:
- `session_scope` is a writing transaction. On SQLite it starts with `BEGIN IMMEDIATE`,
  taking the write lock at once: a second writer waits for it (up to the
  `SQLITE_BUSY_TIMEOUT` setting) instead of failing when a read lock cannot be upgraded.
  On PostgreSQL it is READ COMMITTED; the database's own constraints settle races.
- `read_scope` is a reading transaction that sees one snapshot for all of its queries (a
  store summary and the figures read beside it agree): a deferred `BEGIN` on SQLite (in WAL
  mode readers never wait for the writer), REPEATABLE READ READ ONLY on PostgreSQL.
pysqlite by default runs SELECTs outside any transaction (each sees the latest commit) and
begins one only before the first INSERT; the driver's own transaction handling is turned off
and the BEGIN is emitted here instead (SQLAlchemy's pysqlite documentation, "Serializable
isolation / Savepoints / Transactional DDL").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from config import PROJECT_ROOT, get_settings

READING = "store_reading"  # a connection execution option: this transaction only reads
READ_OPTIONS: dict[str, dict[str, Any]] = {
    "sqlite": {READING: True},
    "postgresql": {
        READING: True,
        "isolation_level": "REPEATABLE READ",
        "postgresql_readonly": True,
    },
}
# Enough connections for a server's visitors (Streamlit runs each in a thread) and a command;
# pre-ping replaces a connection the server closed (a restart, an idle timeout) before use.
POOL_OPTIONS = {"pool_size": 5, "max_overflow": 15, "pool_timeout": 120, "pool_recycle": 1800}

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def resolve_url(url: str) -> str:
    """Make a relative SQLite path absolute (from the project folder) and create its folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return url
    path = Path(parsed.database)
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return parsed.set(database=str(path)).render_as_string(hide_password=False)


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN: `_sqlite_begin` emits it
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    reading = connection.get_execution_options().get(READING, False)
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def make_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: the `DATABASE_URL` setting): one per URL per process."""
    resolved = resolve_url(url or get_settings().DATABASE_URL)
    with _engines_lock:
        engine = _engines.get(resolved)
        if engine is None:
            engine = _engines[resolved] = _create(resolved)
        return engine


def _create(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **POOL_OPTIONS)
    if make_url(url).database in (None, "", ":memory:"):
        engine = create_engine(url)
    else:
        timeout = get_settings().SQLITE_BUSY_TIMEOUT
        engine = create_engine(url, connect_args={"timeout": timeout}, **POOL_OPTIONS)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _forget_inherited_pools() -> None:
    """In a forked child: drop the parent's pooled connections without closing them (closing
    would end the parent's sessions too); the child opens its own."""
    for engine in list(_engines.values()):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_pools)


def read_options(engine: Engine) -> dict[str, Any]:
    """Execution options of a reading transaction on `engine` (see the module docstring)."""
    return READ_OPTIONS.get(engine.dialect.name, {})


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A writing session in one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A reading session: every query in it sees the same snapshot of the store."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, session.begin():
        session.connection(execution_options=read_options(engine))
        yield session
