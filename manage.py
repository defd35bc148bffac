"""Command line for the ASB Action Plan dashboard's store.

    python manage.py init                  create or upgrade the schema at DATABASE_URL
    python manage.py demo [--seed N]       (re)load the demonstration dataset
    python manage.py export [options]      monthly figures as CSV on standard output
    python manage.py status [options]      every measure's status against target, as CSV
    python manage.py load PATH... [--kind K]   load police.uk files, incident extracts, returns
    python manage.py loads                 the history of loads, newest first
    python manage.py unload LOAD_ID        undo a load, restoring what it replaced

Run `python manage.py COMMAND --help` for each command's options. Errors go to standard error
with exit status 2 for bad arguments and 1 for other failures (for `load`: any file refused,
each problem as `file:row:column: message`).
"""

from __future__ import annotations

import argparse
import csv
import getpass
import os
import sys
from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from config import ConfigError, get_catalogue, get_settings, parse_month
from db.engine import make_engine, session_scope
from db.migrate import current_revision, head_revision
from db.queries import LEVELS, monthly_values, store_summary
from db.store import init_store
from db.store import summary as store_summary_of
from ingest.cli import LOAD_COMMANDS, add_load_commands

EXPORT_HEADER = ["measure", "level", "area", "month", "value", "numerator", "denominator"]
# Commands that only read or change an existing store (init, demo and load create the schema).
NEEDS_SCHEMA = ("export", "status", "loads", "unload")


def _actor() -> str:
    return get_settings().LOADED_BY or getpass.getuser()


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def schema_problem(engine: Engine) -> str | None:
    """Why the store at `engine` cannot be used yet (no schema, or an older one), or None."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return None
    where = engine.url.render_as_string(hide_password=True)
    if current is None:
        return f"The data store at {where} has no schema yet: run `python manage.py init` first."
    return (
        f"The data store at {where} has schema revision {current}, but this version of the "
        f"dashboard needs {head}: run `python manage.py init` first."
    )


def cmd_init(args: argparse.Namespace) -> int:
    engine = make_engine()
    changed = init_store(engine=engine, catalogue=get_catalogue(), actor=_actor())
    print(
        f"Schema is up to date at {engine.url.render_as_string(hide_password=True)}; "
        f"{changed} target(s) recorded from configuration."
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from demo import load_demo

    engine = make_engine()
    catalogue = get_catalogue()
    init_store(engine=engine, catalogue=catalogue, actor=_actor())
    if store_summary_of(engine=engine).has_real:
        print(
            "The store holds real loads: demonstration data would be mixed with them. "
            "Undo the real loads first (python manage.py loads; unload LOAD_ID).",
            file=sys.stderr,
        )
        return 1
    seed = get_settings().DEMO_SEED if args.seed is None else args.seed
    result = load_demo(engine=engine, catalogue=catalogue, seed=seed, actor=_actor())
    replaced = (
        f", replacing {result.replaced_loads} earlier demo load(s)" if result.replaced_loads else ""
    )
    print(
        f"Loaded DEMONSTRATION data (seed {seed}): {result.incidents:,} ASB incidents and "
        f"{result.observations:,} monthly observations in {result.seconds} s{replaced}. "
        "Real loads were not touched."
    )
    return 0


def _format(value: float | None) -> str:
    """A number in the CSV outputs: whole numbers as integers, others to 4 decimals."""
    if value is None or pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"


def export_frame(
    *, measure: str | None, level: str | None, start: date | None, end: date | None
) -> pd.DataFrame:
    """The rows `manage.py export` prints, in catalogue, level and geography order."""
    catalogue = get_catalogue()
    levels = [level] if level else list(LEVELS)
    measures = [measure] if measure else None
    engine = make_engine()
    with session_scope(engine) as session:
        frames = [
            monthly_values(session=session, level=lvl, measures=measures, start=start, end=end)
            for lvl in levels
        ]
    frame = pd.concat(frames, ignore_index=True)
    order = {code: i for i, code in enumerate(catalogue.measure_by_code)}
    areas = {name: i for i, name in enumerate(catalogue.area_names())}
    frame = frame.assign(
        _m=frame["measure"].map(order),
        _l=frame["level"].map(LEVELS.index),
        _a=frame["area"].map(areas),
    )
    return frame.sort_values(["_m", "_l", "_a", "month"]).drop(columns=["_m", "_l", "_a"])


def check_export_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Exit with status 2 for a measure code or month range no store could answer."""
    catalogue = get_catalogue()
    if args.measure and args.measure not in catalogue.measure_by_code:
        parser.error(
            f"--measure: unknown measure code {args.measure!r}; known codes: "
            + ", ".join(catalogue.measure_by_code)
        )
    if args.start and args.end and args.start > args.end:
        parser.error("--from is after --to")


def cmd_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    check_export_args(args, parser)  # also done by main() before looking at the store
    frame = export_frame(measure=args.measure, level=args.level, start=args.start, end=args.end)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for row in frame.itertuples(index=False):
        writer.writerow(
            [
                row.measure,
                row.level,
                row.area,
                row.month.strftime("%Y-%m"),
                _format(row.value),
                _format(row.numerator),
                _format(row.denominator),
            ]
        )
    return 0


def cmd_status(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from metrics.scorecard import STATUS_COLUMNS, status_table
    from pages.wording import reason

    catalogue = get_catalogue()
    engine = make_engine()
    with session_scope(engine) as session:
        latest = store_summary(session=session).latest_month
        as_of = args.as_of or latest
        if as_of is None:
            parser.error("the store holds no data: load some first (python manage.py demo)")
        if latest and as_of > latest:
            parser.error(
                f"--as-of {as_of:%Y-%m} is after the latest month of data ({latest:%Y-%m})"
            )
        force = monthly_values(session=session, level="force", end=as_of)
        levels = [args.level] if args.level else list(LEVELS)
        frames = [
            force if lvl == "force" else monthly_values(session=session, level=lvl, end=as_of)
            for lvl in levels
        ]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([*STATUS_COLUMNS, "reason"])
    for frame in frames:
        table = status_table(catalogue=catalogue, values=frame, force=force, as_of=as_of)
        for row in table.itertuples(index=False):
            writer.writerow(
                [
                    row.measure,
                    row.level,
                    row.area,
                    f"{row.as_of:%Y-%m}",
                    f"{row.judged_to:%Y-%m}",
                    *(_format(getattr(row, c)) for c in STATUS_COLUMNS[5:13]),
                    row.status,
                    row.variation,
                    row.assurance,
                    reason(row.score, catalogue.measure(row.measure)),
                ]
            )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="manage.py",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "init",
        help="create or upgrade the schema at DATABASE_URL (safe to repeat)",
        description="Create or upgrade the database schema at DATABASE_URL with "
        "alembic, and record configuration (geography, measures, targets). "
        "Safe to run twice.",
    )
    demo = commands.add_parser(
        "demo",
        help="load the demonstration dataset",
        description="Load the demonstration dataset (April 2022 - October "
        "2026), replacing any earlier demonstration data. Real loads are "
        "never touched. Creates the schema first if needed.",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed (default: the DEMO_SEED setting); the same seed gives the same data",
    )
    export = commands.add_parser(
        "export",
        help="monthly figures as CSV on standard output",
        description="Write monthly figures as CSV with header "
        + ",".join(EXPORT_HEADER)
        + ". Districts add up to divisions "
        "and divisions to the force (Lancashire).",
    )
    export.add_argument("--measure", metavar="CODE", help="one measure code (default: all)")
    export.add_argument("--level", choices=LEVELS, help="one level (default: all three)")
    export.add_argument(
        "--from",
        dest="start",
        type=_month,
        metavar="YYYY-MM",
        help="first month (default: the earliest)",
    )
    export.add_argument(
        "--to", dest="end", type=_month, metavar="YYYY-MM", help="last month (default: the latest)"
    )
    export.set_defaults(parser=export)
    status = commands.add_parser(
        "status",
        help="every measure's status against its March 2027 target, as CSV",
        description="For every measure and area: the rolling 12 months to --as-of, baseline, "
        "target for the 12 months ending March 2027, trajectory value at --as-of, forecast with "
        "its 95% interval (forecast_low, forecast_high) and the probability of meeting the "
        "target, the status word, and the SPC variation and assurance icons. Columns: "
        "measure,level,area,as_of,rolling_12m,baseline,target,trajectory,forecast,"
        "forecast_low,forecast_high,probability,status,variation,assurance.",
    )
    status.add_argument("--level", choices=LEVELS, help="one level (default: all three)")
    status.add_argument(
        "--as-of",
        dest="as_of",
        type=_month,
        metavar="YYYY-MM",
        help="the month to judge at (default: the latest month of data)",
    )
    status.set_defaults(parser=status)
    add_load_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            check_export_args(args, args.parser)  # usage errors first (status 2)
        if args.command in NEEDS_SCHEMA:
            engine = make_engine()
            problem = schema_problem(engine)
            engine.dispose()
            if problem:
                print(problem, file=sys.stderr)
                return 1
        if args.command == "init":
            return cmd_init(args)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "status":
            return cmd_status(args, args.parser)
        if args.command in LOAD_COMMANDS:
            return LOAD_COMMANDS[args.command](args, _actor())
        return cmd_export(args, args.parser)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (e.g. `head`) stopped early: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (left open for interpreter exit)
        return 0


if __name__ == "__main__":
    sys.exit(main())
