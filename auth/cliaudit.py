"""The command line's audit (issue 26): every command that runs is audited once it ends (its
words, exit status, the account and how it was proven), as "command output" when what it
writes leaves the store (`config.access.COMMAND_OUTPUTS`: files and standard output), else
"command run"; every refused command is audited as "command refused" (who was claimed and
how, the command, why). Each entry, like every other entry the command makes, names the
operating-system user and host (`db.origin`).

A run is this thread's (`command_run`): `commands.users.authorise` records who was proven in it,
and `auth.proof.command_identity` reads it, so a command proves its identity once."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from auth import Identity
from config.access import COMMAND_OUTPUTS
from db.engine import make_engine, session_scope
from db.loads import audit
from db.migrate import current_revision, head_revision
from db.origin import command_origin

ENTITY = "command line"
ACTOR_LENGTH = 120  # audit_log.actor
WORDS_LENGTH = 400  # the command's words kept in an entry


@dataclass
class CommandRun:
    """One command line being run: its words, and once authorised who runs it and how."""

    words: str
    key: str = ""
    identity: Identity | None = None
    how: str = ""
    status: int | None = None  # the exit status, once it ends


_RUN: ContextVar[CommandRun | None] = ContextVar("command_run", default=None)


def current() -> CommandRun | None:
    """The command line running in this thread, or None."""
    return _RUN.get()


def audit_key(args) -> str:
    """The key of a parsed command line in `COMMAND_OUTPUTS` ("user list", "sample export")."""
    if args.command in ("user", "sample"):
        return f"{args.command} {args.action}"
    return args.command


@contextmanager
def command_run(argv: Sequence[str] | None) -> Iterator[CommandRun]:
    """Run one command line (the caller sets `status`): its audit entries name the OS user
    and host, and when it ends, if it was authorised, its own entry is written."""
    words = "manage.py " + shlex.join(sys.argv[1:] if argv is None else list(argv))
    run = CommandRun(words=words[:WORDS_LENGTH])
    token = _RUN.set(run)
    try:
        with command_origin():
            try:
                yield run
            except SystemExit as exc:  # a usage error found after authorising (status 2)
                run.status = exc.code if isinstance(exc.code, int) else 2
                raise
            finally:
                if run.identity is not None:
                    _record_run(run)  # an error of the store's own propagates as it was
    finally:
        _RUN.reset(token)


def _schema_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def _record_run(run: CommandRun) -> None:
    engine = make_engine()
    try:
        if not _schema_current(engine):  # a failed init or restore: nowhere to write it
            return
    except SQLAlchemyError:
        if run.status is None:  # the store failed the command itself: say that, not this
            return
        raise
    action = "command output" if run.key in COMMAND_OUTPUTS else "command run"
    outcome = "stopped by an error" if run.status is None else f"exit status {run.status}"
    with session_scope(engine) as session:
        audit(
            session=session,
            actor=run.identity.name[:ACTOR_LENGTH],
            action=action,
            entity=ENTITY,
            detail=f"{run.words} ({outcome}); proven by {run.how}",
        )


def record_refusal(engine: Engine, *, claimed: str, how: str, key: str, why: str) -> None:
    """Audit a refused command (when the store has its schema: otherwise nowhere to)."""
    run = current()
    words = run.words if run else key
    if not _schema_current(engine):
        return
    with session_scope(engine) as session:
        audit(
            session=session,
            actor=(claimed or "(nobody)")[:ACTOR_LENGTH],
            action="command refused",
            entity=ENTITY,
            detail=f"{words}: {claimed!r} {how}; refused: {why}",
        )
