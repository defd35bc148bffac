"""The loading commands of manage.py: load, loads, unload (see the README, "Loading data")."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from config import get_catalogue
from db.engine import make_engine, session_scope
from db.history import load_history
from db.store import init_store
from db.writes import UnloadRefused, unload
from ingest import inspect
from ingest.load import load_plan
from metrics.exports import neutralise


def cmd_load(args: argparse.Namespace, actor: str) -> int:
    engine = make_engine()
    catalogue = get_catalogue()
    init_store(engine=engine, catalogue=catalogue, actor=actor)
    refused = 0
    for path in args.paths:
        if not path.is_file():
            print(f"{path}:0:(file): no such file", file=sys.stderr)
            refused += 1
            continue
        plan = inspect(path, catalogue=catalogue, kind=args.kind, name=str(path))
        if not plan.ok:
            refused += 1
            for line in plan.messages():
                print(line, file=sys.stderr)
            count = plan.problem_count
            problems = f"{count:,} problem{'' if count == 1 else 's'}"
            print(f"{path}: refused ({problems}); nothing was written", file=sys.stderr)
            continue
        result = load_plan(engine=engine, catalogue=catalogue, plan=plan, actor=actor)
        print(result.message())
    return 1 if refused else 0


def cmd_loads(args: argparse.Namespace, actor: str) -> int:
    with session_scope(make_engine()) as session:
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
        "changes nothing. The first real load removes the demonstration data. Formats: "
        "see the README, 'Loading data'.",
    )
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="CSV or .xlsx files")
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
