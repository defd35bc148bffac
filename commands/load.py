"""The loading commands of manage.py: load, loads, unload (see the README, "Loading data")."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd

import ingest
from commands.arguments import month_argument
from config import get_catalogue, parse_month
from config.vocabulary import FileKind
from db.engine import make_engine, read_scope
from db.history import load_history
from db.store import init_store
from db.writes import UnloadRefused, unload
from ingest import inspect
from ingest.archive import (
    MONTHLY_FILE,
    Archive,
    ArchiveRefused,
    MonthFiles,
    is_archive,
    open_archive,
)
from ingest.load import POLICEUK_KINDS, PublicationRefused, load_month, load_plan, publication_text
from present.exports import neutralise


def cmd_load(args: argparse.Namespace, actor: str) -> int:
    engine = make_engine()
    catalogue = get_catalogue()
    init_store(engine=engine, catalogue=catalogue, actor=actor)
    loader = _Loader(engine=engine, catalogue=catalogue, kind=args.kind, actor=actor)
    loader.published, loader.together = args.published, newest_named(args.paths)
    for path in args.paths:
        if is_archive(path):
            loader.archive(path)
        elif path.is_file():
            loader.file(path, str(path))
        else:
            loader.refuse(f"{path}:0:(file): no such file or folder")
    return 1 if loader.refused else 0


def newest_named(paths: list[Path]) -> date | None:
    """The newest month among the police.uk files named as such (`YYYY-MM-<force>-street.csv`)
    among `paths` given as files: the default publication of files loaded together."""
    named = [MONTHLY_FILE.search(p.name.lower()) for p in paths if p.is_file()]
    months = [parse_month(m["month"]) for m in named if m]
    return max(months) if months else None


class _Loader:
    """Loads files, folders and police.uk archives for `manage.py load`, printing a summary
    per file (per month for an archive) and each problem on standard error."""

    def __init__(self, *, engine, catalogue, kind: str | None, actor: str) -> None:
        self.engine, self.catalogue, self.kind, self.actor = engine, catalogue, kind, actor
        self.refused = 0
        self.published: date | None = None  # as given (--published)
        self.together: date | None = None  # the newest month among the files named together

    def refuse(self, message: str) -> None:
        self.refused += 1
        print(message, file=sys.stderr)

    def _checked(self, path: Path, name: str, kind: str | None = FileKind.POLICEUK) -> ingest.Plan:
        """The plan of the file; a refused file's problems printed, and the plan closed."""
        plan = inspect(path, catalogue=self.catalogue, kind=kind, name=name)
        if plan.ok:
            return plan
        for line in plan.messages():
            print(line, file=sys.stderr)
        # the name as cleaned (`config.text.clean_text`): no direction character in a terminal
        self.refuse(f"{plan.name}: refused ({problems(plan.problem_count)}); nothing was written")
        plan.close()
        return plan

    def file(self, path: Path, name: str) -> None:
        plan = self._checked(path, name, self.kind)
        if not plan.ok:
            return
        when = self.published
        if when is None and plan.kind.name in POLICEUK_KINDS and plan.months:
            when = max(filter(None, [self.together, max(plan.months)]))
        try:
            result = load_plan(
                engine=self.engine,
                catalogue=self.catalogue,
                plan=plan,
                actor=self.actor,
                published=when,
            )
        except PublicationRefused as exc:
            self.refuse(f"{exc}; nothing was written")
            return
        finally:
            plan.close()
        print(result.message())
        if when is not None and not result.already_loaded:
            print(f"  {publication_text(when, given=self.published is not None)}")

    def archive(self, path: Path) -> None:
        try:
            opened = open_archive(path, catalogue=self.catalogue)
        except ArchiveRefused as exc:
            self.refuse(str(exc))
            return
        with opened as archive:
            if not (archive.has_force_files or archive.plain or archive.archives):
                force = self.catalogue.geography.police_force
                self.refuse(f"{path}:0:(file): no file of {force} to load in it")
            try:
                for month in archive.months:
                    self.month(archive, month)
            except ArchiveRefused as exc:  # past a limit, or the temporary disk full
                first = month == archive.months[0]
                loaded = "" if first else " (the months before it stay loaded)"
                self.refuse(f"{exc}; {month.month} and the months after it were not loaded{loaded}")
                return
            for name, plain in archive.plain:
                self.file(plain, name)
            for inner in archive.archives:
                self.archive(inner)
            if archive.skipped:
                print(f"{path}: {len(archive.skipped):,} other files skipped (not loaded)")

    def month(self, archive: Archive, month: MonthFiles) -> None:
        n = month.other_forces
        others = (
            f"; {n:,} other force's file skipped"
            if n == 1
            else f"; {n:,} other forces' files skipped"
        )
        if not month.files:
            print(f"{month.month}: no {self.catalogue.geography.police_force} file{others}")
            return
        plans = []
        try:  # a zip's files unpacked one at a time, each removed once checked
            for name, where in month.files:
                plans.append(archive.check(where, partial(self._checked, name=name)))
        except BaseException:
            for plan in plans:
                plan.close()
            raise
        plans = [plan if plan.ok else None for plan in plans]
        if any(plan is None for plan in plans):
            for plan in filter(None, plans):
                plan.close()
            self.refuse(f"{month.month}: not loaded (a file was refused); nothing was written")
            return
        when = self.published or parse_month(month.published or month.month)
        try:
            results = load_month(
                engine=self.engine,
                catalogue=self.catalogue,
                month=month,
                plans=plans,
                actor=self.actor,
                published=when,
            )
        except PublicationRefused as exc:
            self.refuse(f"{exc}; nothing was written")
            return
        finally:
            for plan in plans:
                plan.close()
        why = "as given" if self.published else "the archive's newest month"
        print(
            f"{month.month}: loaded in one transaction{others}; outcomes as published in "
            f"{when:%B %Y} ({why})."
        )
        for result in results:
            print(f"  {result.message()}")


def problems(count: int) -> str:
    return f"{count:,} problem{'' if count == 1 else 's'}"


def cmd_loads(_args: argparse.Namespace, _actor: str) -> int:
    with read_scope(make_engine()) as session:
        history = load_history(session=session)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(list(history.columns))
    for row in neutralise(history).itertuples(index=False):
        writer.writerow(["" if pd.isna(v) else v for v in row])
    return 0


def cmd_unload(args: argparse.Namespace, actor: str) -> int:
    try:
        message = unload(
            engine=make_engine(), catalogue=get_catalogue(), load_id=args.load_id, actor=actor
        )
    except UnloadRefused as exc:
        print(f"unload: {exc}", file=sys.stderr)
        return 1
    print(message)
    return 0


def add_load_commands(commands: argparse._SubParsersAction) -> None:
    """Add load, loads and unload to manage.py's sub-commands."""
    load = commands.add_parser(
        "load",
        help="load police.uk files, incident extracts or monthly returns",
        description="Check every row of each file, then load it in one transaction. A file "
        "with any problem is refused whole (each problem on standard error as "
        "file:row:column: message) and nothing is written. Loading the same file twice "
        "changes nothing. The first real load removes the demonstration data. A police.uk "
        "archive (.zip as downloaded, one YYYY-MM folder per month) or a folder loads the "
        "configured force's street and outcomes files month by month, each month in one "
        "transaction, and skips (and counts) other forces' files. Formats: see the README, "
        "'Loading data'.",
    )
    load.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="CSV or .xlsx files, police.uk archives (.zip) or folders (every file inside)",
    )
    load.add_argument(
        "--published",
        type=month_argument,
        metavar="YYYY-MM",
        help="the police.uk publication the files came from (the newest month of the archive "
        "or download), which says how old each month's outcomes were; default: an archive's "
        "newest month, or the newest month among the police.uk files named together",
    )
    load.add_argument(
        "--kind",
        choices=["policeuk", "incidents", "returns"],
        help="the kind of file (default: told from each file's header)",
    )
    commands.add_parser(
        "loads",
        help="the history of loads as CSV, newest first",
        description="Every load (including undone ones) as CSV: id, when, who, kind, file, "
        "rows, months covered, and what it did.",
    )
    unload = commands.add_parser(
        "unload",
        help="undo a load",
        description="Remove exactly what a load added and show again what it had replaced. "
        "Refused while a later load from the same source covers the same months.",
    )
    unload.add_argument("load_id", type=int, metavar="LOAD_ID", help="from `manage.py loads`")


LOAD_COMMANDS: dict[str, Callable[[argparse.Namespace, str], int]] = {
    "load": cmd_load,
    "loads": cmd_loads,
    "unload": cmd_unload,
}
