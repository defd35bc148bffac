"""The backup commands of manage.py: backup and restore (see `db.backup` and the README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from db.backup import BackupRefused, backup, restore
from db.engine import make_engine
from scoring.progress import refresh_scores


def cmd_backup(args: argparse.Namespace, _actor: str) -> int:
    if args.path.exists():
        print(f"{args.path}: already exists: choose a new file name", file=sys.stderr)
        return 1
    summary = backup(engine=make_engine(), path=args.path)
    print(summary.message("backed up"))
    return 0


def cmd_restore(args: argparse.Namespace, actor: str) -> int:
    """Restore, then bring the stored scores up to date (the backup's were computed by the
    code and configuration of its day)."""
    engine = make_engine()
    try:
        summary = restore(engine=engine, path=args.path, actor=actor)
    except BackupRefused as refused:
        print(f"{refused} Nothing was changed.", file=sys.stderr)
        return 1
    print(summary.message("restored"))
    refresh_scores(engine, out=sys.stderr)
    return 0


BACKUP_COMMANDS = {"backup": cmd_backup, "restore": cmd_restore}


def add_backup_commands(commands: argparse._SubParsersAction) -> None:
    """Add backup and restore to manage.py's sub-commands."""
    taken = commands.add_parser(
        "backup",
        help="write the whole store to one file (while the dashboard runs)",
        description="Write every table of the store to PATH (a zip file: a manifest with the "
        "schema revision, row counts and checksums, and one file per table), read in one "
        "snapshot so that it is consistent while the dashboard and loads run. A backup of "
        "SQLite restores into PostgreSQL and back.",
    )
    taken.add_argument("path", type=Path, metavar="PATH", help="the backup file to write (new)")
    put_back = commands.add_parser(
        "restore",
        help="replace the whole store's contents by a backup",
        description="Check the backup at PATH whole (manifest, checksums, the schema revision "
        "equal to the store's: run `init` first), then replace every table's rows by the "
        "backup's in one transaction and bring the stored scores up to date. A damaged file "
        "or one of another revision is refused and nothing is changed.",
    )
    put_back.add_argument("path", type=Path, metavar="PATH", help="the backup file to restore")
