"""Command line for the ASB Action Plan dashboard's store.

    python manage.py init                  create or upgrade the schema at DATABASE_URL
    python manage.py demo [--seed N]       (re)load the demonstration dataset
    python manage.py export [options]      monthly figures as CSV on standard output
    python manage.py status [options]      every measure's status against target, as CSV
    python manage.py load PATH... [--kind K]   load police.uk files, incident extracts, returns
    python manage.py loads                 the history of loads, newest first
    python manage.py unload LOAD_ID        undo a load, restoring what it replaced
    python manage.py check                 recompute aggregates and stored scores (exit 1: differ)
    python manage.py backtest [options]    rolling-origin backtest of the forecast, as CSV
    python manage.py sample ACTION ...     dip-sampling: draw, export, import, report
    python manage.py pack --date D --out P  the board pack for a meeting (PDF, HTML or Excel)
    python manage.py public --out PATH     the six-monthly public summary (HTML or CSV)
    python manage.py user ACTION ...       accounts: add, list, role, password, unlock, disable
    python manage.py audit [options]       the audit log as CSV
    python manage.py backup PATH           the whole store to one file (while the app runs)
    python manage.py restore PATH          replace the whole store's contents by a backup

Once the store has an admin account, every command needs a proven identity: `--account NAME`
(or DASHBOARD_ACCOUNT) and that account's password (asked at the terminal, or the first line of
standard input), or DASHBOARD_TOKEN (or DASHBOARD_TOKEN_FILE) holding a personal access token
made on the dashboard's Your account page; its role is then checked
(`config.access.COMMAND_NEEDS`). Before that the store is run by its operator, recorded as the
operating-system user, who creates the first admin with `user add NAME --role admin`. Every
command, refused or run, is audited with the account, the operating-system user and the host.

Run `python manage.py COMMAND --help` for each command's options. Errors go to standard error
with exit status 2 for bad arguments and 1 for other failures (for `load`: any file refused,
each problem as `file:row:column: message`).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from auth.areas import scope as area_scope
from auth.cliaudit import command_run
from commands.arguments import month_argument
from commands.backtest import add_backtest_command, cmd_backtest
from commands.backup import BACKUP_COMMANDS, add_backup_commands
from commands.load import LOAD_COMMANDS, add_load_commands
from commands.pack import add_pack_command, check_pack_args, cmd_pack
from commands.public import add_public_commands, cmd_public
from commands.sample import add_sample_commands, cmd_sample
from commands.scores import SCORE_COMMANDS, add_score_commands
from commands.users import add_identity_option, add_user_commands, authorise, cmd_audit, cmd_user
from config import FORCE_AREA, ConfigError, get_catalogue, get_settings, month_text, parse_month
from config.areascope import EVERY_AREA, AreaScope
from db.engine import make_engine, read_scope, session_scope
from db.migrate import current_revision, head_revision
from db.queries import LEVELS, export_values
from db.store import init_store
from db.store import summary as store_summary_of
from demo.profile import FIRST_MONTH as DEMO_FIRST
from demo.profile import LAST_MONTH as DEMO_LAST
from metrics.periods import shift_month
from present.exports import WINDOW, csv_number, limits_months, months_present
from scoring.progress import refresh_scores

EXPORT_HEADER = [
    "measure", "level", "area", "month", "value", "numerator", "denominator",
    "limits_from", "limits_to", "months_present",
]  # fmt: skip
# Commands that only read or change an existing store (init, demo and load create the schema).
NEEDS_SCHEMA: tuple[str, ...] = (
    "export", "status", "loads", "unload", "check", "sample", "pack", "public", "user", "audit",
    "backtest",
)  # fmt: skip
NEEDS_SCHEMA += tuple(BACKUP_COMMANDS)
# Commands that can change data or targets: stored scores are brought up to date after them.
CHANGES_DATA = ("init", "demo", "load", "unload")


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


def cmd_init(_args: argparse.Namespace, actor: str) -> int:
    engine = make_engine()
    changed = init_store(engine=engine, catalogue=get_catalogue(), actor=actor)
    print(
        f"Schema is up to date at {engine.url.render_as_string(hide_password=True)}; "
        f"{changed} target(s) recorded from configuration."
    )
    return 0


def cmd_demo(args: argparse.Namespace, actor: str) -> int:
    from demo import load_demo

    engine = make_engine()
    catalogue = get_catalogue()
    init_store(engine=engine, catalogue=catalogue, actor=actor)
    if store_summary_of(engine=engine).has_real:
        print(
            "The store holds real loads: demonstration data would be mixed with them. "
            "Undo the real loads first (python manage.py loads; unload LOAD_ID).",
            file=sys.stderr,
        )
        return 1
    seed = get_settings().DEMO_SEED if args.seed is None else args.seed
    result = load_demo(engine=engine, catalogue=catalogue, seed=seed, actor=actor)
    replaced = (
        f", replacing {result.replaced_loads} earlier demo load(s)" if result.replaced_loads else ""
    )
    print(
        f"Loaded DEMONSTRATION data (seed {seed}): {result.incidents:,} ASB incidents and "
        f"{result.observations:,} monthly observations in {result.seconds} s{replaced}. "
        "Real loads were not touched."
    )
    return 0


def export_frame(
    *,
    measure: str | None,
    level: str | None,
    start: date | None,
    end: date | None,
    scope: AreaScope = EVERY_AREA,
) -> pd.DataFrame:
    """The rows `manage.py export` prints (`db.queries.export_values`), each with how many of
    the 12 months to its month are loaded (counted from before `start` too) and the months
    the SPC limits shown at its month were fitted on (`export_limits`)."""
    engine = make_engine()
    with session_scope(engine) as session:
        frame = export_values(
            session=session,
            catalogue=get_catalogue(),
            measures=[measure] if measure else None,
            levels=[level] if level else None,
            start=shift_month(start, 1 - WINDOW) if start else None,
            end=end,
            scope=scope,
        )
    frame = frame.assign(months_present=months_present(frame))
    if start:
        frame = frame[pd.to_datetime(frame["month"]) >= pd.Timestamp(start)]
    frame = frame.reset_index(drop=True)
    limits = export_limits(engine, frame, measure=measure, level=level)
    return frame.assign(limits_from=[a for a, _ in limits], limits_to=[b for _, b in limits])


def export_limits(
    engine: Engine, frame: pd.DataFrame, *, measure: str | None, level: str | None
) -> list[tuple[str, str]]:
    """For each row, the months its SPC limits were fitted on, as the chart of the latest
    month exported (or of the store) draws them: from the stored scores of that month."""
    import scoring

    if frame.empty:
        return []
    as_of = pd.to_datetime(frame["month"]).max().date()
    if not scoring.is_current(engine=engine, catalogue=get_catalogue(), months=[as_of]):
        refresh_scores(engine, months=[as_of], out=sys.stderr)
    with read_scope(engine) as session:
        stored = scoring.read(session=session, as_of=as_of, level=level, measure=measure)
    readings = {(r.measure, r.level, r.area): r.score.spc for r in stored.itertuples(index=False)}
    return [
        limits_months(readings.get((r.measure, r.level, r.area)), r.month)
        for r in frame.itertuples(index=False)
    ]


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
    frame = export_frame(
        measure=args.measure,
        level=args.level,
        start=args.start,
        end=args.end,
        scope=getattr(args, "scope", EVERY_AREA),
    )
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for row in frame.itertuples(index=False):
        writer.writerow(
            [
                row.measure,
                row.level,
                row.area,
                row.month.strftime("%Y-%m"),
                csv_number(row.value),
                csv_number(row.numerator),
                csv_number(row.denominator),
                row.limits_from,
                row.limits_to,
                row.months_present,
            ]
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="manage.py",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_identity_option(parser)
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
        description="Load the demonstration dataset "
        f"({month_text(parse_month(DEMO_FIRST))} - {month_text(parse_month(DEMO_LAST))}), "
        "replacing any earlier demonstration data. Real loads are never touched. Creates the "
        "schema first if needed.",
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
        f"and divisions to the force ({FORCE_AREA}). limits_from and limits_to are the months the "
        "SPC limits shown at that month were fitted on (empty: no limits); months_present is "
        "how many of the 12 months to that month are loaded.",
    )
    export.add_argument("--measure", metavar="CODE", help="one measure code (default: all)")
    export.add_argument("--level", choices=LEVELS, help="one level (default: all three)")
    export.add_argument(
        "--from",
        dest="start",
        type=month_argument,
        metavar="YYYY-MM",
        help="first month (default: the earliest)",
    )
    export.add_argument(
        "--to",
        dest="end",
        type=month_argument,
        metavar="YYYY-MM",
        help="last month (default: the latest)",
    )
    export.set_defaults(parser=export)
    add_load_commands(commands)
    add_score_commands(commands)
    add_backtest_command(commands)
    add_sample_commands(commands)
    add_pack_command(commands)
    add_public_commands(commands)
    add_user_commands(commands)
    add_backup_commands(commands)
    commands.choices["pack"].set_defaults(parser=commands.choices["pack"])
    return parser


def _changing(args: argparse.Namespace, actor: str) -> int:
    """Run a command that can change data or targets, then bring the stored scores up to
    date if it did (a refused file changes nothing and computes nothing). `init` also brings
    them up to date after new code or configuration."""
    import scoring

    engine = make_engine()
    before = _version(engine)
    if args.command == "init":
        status = cmd_init(args, actor)
    elif args.command == "demo":
        status = cmd_demo(args, actor)
    else:
        status = LOAD_COMMANDS[args.command](args, actor)
    after = _version(engine)
    stale = args.command == "init" and after is not None  # new code or configuration
    if after is not None and (
        after != before
        or (stale and not scoring.is_current(engine=engine, catalogue=get_catalogue()))
    ):
        refresh_scores(engine)
    return status


def _version(engine: Engine) -> str | None:
    """The store's data and configuration version (None before the schema exists)."""
    import scoring

    if current_revision(engine) != head_revision():
        return None
    with session_scope(engine) as session:
        return scoring.store_version(session=session, catalogue=get_catalogue())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line, audited (`auth.cliaudit`): refused, or run with its exit status."""
    with command_run(argv) as run:
        run.status = _main(argv)
        return run.status


def _main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()  # its help names dates from configuration
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            check_export_args(args, args.parser)  # usage errors first (status 2)
        if args.command == "pack":
            check_pack_args(args, args.parser)
        engine = make_engine()
        problem = schema_problem(engine) if args.command in NEEDS_SCHEMA else None
        who = authorise(args, engine) if not problem else None
        if problem or isinstance(who, str):
            print(problem or who, file=sys.stderr)
            return 1
        actor = who.name
        args.scope = area_scope(who)  # access by area (issue 26): what its reads may return
        if args.command in CHANGES_DATA:
            return _changing(args, actor)
        if args.command in SCORE_COMMANDS:
            return SCORE_COMMANDS[args.command](args)
        if args.command in LOAD_COMMANDS:
            return LOAD_COMMANDS[args.command](args, actor)
        if args.command == "backtest":
            return cmd_backtest(args)
        if args.command == "sample":
            return cmd_sample(args, actor)
        if args.command == "user":
            return cmd_user(args, actor)
        if args.command == "audit":
            return cmd_audit(args, actor)
        if args.command == "pack":
            return cmd_pack(args, actor)
        if args.command == "public":
            return cmd_public(args)
        if args.command in BACKUP_COMMANDS:
            return BACKUP_COMMANDS[args.command](args, actor)
        return cmd_export(args, args.parser)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (e.g. `head`) stopped early: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (left open for interpreter exit)
        return 0


if __name__ == "__main__":
    sys.exit(main())
