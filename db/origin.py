"""Where an audit entry came from (issue 26): while a command runs (`command_origin`), every
audit entry written in this thread names the operating-system user and host it ran as, as
well as the account (`actor`). Entries made by the dashboard leave both empty.

The operating-system user is the one the process runs as (`getpass.getuser`, which reads the
LOGNAME/USER environment first, as `whoami` does not): it says which server login ran the
command, not who that person is; the account, proven by password or token, says that."""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event

from db.models import AuditEntry

USER_LENGTH, HOST_LENGTH = 120, 255  # audit_log.os_user and audit_log.host


@dataclass(frozen=True)
class Origin:
    """The operating-system user and host a command runs as."""

    os_user: str
    host: str


_CURRENT: ContextVar[Origin | None] = ContextVar("command_origin", default=None)


def this_process() -> Origin:
    """The operating-system user and host of this process."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container, say)
        user = f"uid {os.getuid()}"
    return Origin(os_user=user[:USER_LENGTH], host=socket.gethostname()[:HOST_LENGTH])


def current() -> Origin | None:
    """The origin of the command running now, or None (the dashboard)."""
    return _CURRENT.get()


@contextmanager
def command_origin(origin: Origin | None = None) -> Iterator[Origin]:
    """Stamp every audit entry written inside with `origin` (default: this process's)."""
    origin = origin or this_process()
    token = _CURRENT.set(origin)
    try:
        yield origin
    finally:
        _CURRENT.reset(token)


@event.listens_for(AuditEntry, "before_insert")
def _stamp(_mapper, _connection, entry: AuditEntry) -> None:
    origin = _CURRENT.get()
    if origin is not None and entry.os_user is None:
        entry.os_user, entry.host = origin.os_user, origin.host
