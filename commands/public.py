"""`manage.py public`: the six-monthly public summary as one HTML page or a CSV of its figures.

    python manage.py public --out PATH [--format html|csv] [--date YYYY-MM-DD] [--publish]
    python manage.py public --issued N --out PATH [--format html|csv]
    python manage.py public --list

`--date` is the day of publication (default: today): the summary covers the latest complete
period of months that ended before it, and "You said, we did" commentary up to that month.
Every file written is audited (who, which summary, which format). `--publish` (analyst or
admin: `Can.PUBLISH_SUMMARY`) also keeps the summary as issued (`publicsummary.issue`) and
writes the kept bytes; `--issued N` writes publication N again exactly as issued; `--list`
lists the publications.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from auth import refusal
from auth.proof import command_identity
from commands.arguments import day_argument
from config import get_catalogue
from config.access import Can
from db import publications
from db.engine import make_engine, read_scope, session_scope
from db.migrate import current_revision, head_revision
from metrics.periods import shift_month
from present import public_wording as pw
from present.exports import csv_bytes
from publicsummary import export, gather, issue

FORMATS = ("html", "csv")


def add_public_commands(commands: argparse._SubParsersAction) -> None:
    public = commands.add_parser(
        "public",
        help="the six-monthly public summary for residents (HTML or CSV)",
        description="Write the public summary: the latest six complete months ending in "
        f"{get_catalogue().public.end_month_names} (config/public.toml) against the same "
        "months a year earlier (and two years earlier when loaded), for the force, divisions "
        "and districts, with rates per 1,000 residents, counts below SMALL_NUMBER_THRESHOLD "
        'withheld (and any figure that would give one away), and "You said, we did" from public '
        "commentary.",
    )
    public.add_argument("--out", type=Path, metavar="PATH", help="file to write")
    public.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="html (one self-contained page) or csv (its figures); default: csv for a PATH "
        "ending .csv, otherwise html",
    )
    public.add_argument(
        "--date",
        type=day_argument,
        default=None,
        metavar="YYYY-MM-DD",
        help="day of publication: only months that ended before it (default: today)",
    )
    which = public.add_mutually_exclusive_group()
    which.add_argument(
        "--publish",
        action="store_true",
        help="keep the summary as issued (who, when, figures, files) and audit it "
        "(analyst or admin)",
    )
    which.add_argument(
        "--issued", type=int, metavar="N", help="write publication N again exactly as issued"
    )
    which.add_argument("--list", action="store_true", help="list the publications (CSV)")
    public.set_defaults(parser=public)


def _schema_problem(engine) -> str | None:
    if current_revision(engine) == head_revision():
        return None
    where = engine.url.render_as_string(hide_password=True)
    return (
        f"The data store at {where} has no schema or an older one: run "
        "`python manage.py init` first."
    )


LIMITED_REFUSAL = (
    "The public summary files cover the whole force, and the account {name!r} may see only "
    "some areas: read its areas on the Public summary page instead."
)


def cmd_public(args: argparse.Namespace) -> int:
    """Write the summary to `args.out`; exit status 1, writing nothing, when the store has no
    schema or no complete period yet, or the publication asked for is unknown (the reason on
    standard error)."""
    if not args.list and args.out is None:
        args.parser.error("--out is required (except with --list)")
    engine = make_engine()
    try:
        if problem := _schema_problem(engine):
            print(problem, file=sys.stderr)
            return 1
        who = command_identity(engine=engine)
        if who.areas is not None:  # access by area (issue 26): the files are force-wide
            print(LIMITED_REFUSAL.format(name=who.name), file=sys.stderr)
            return 1
        if args.publish and not who.can(Can.PUBLISH_SUMMARY):
            print(refusal(who, Can.PUBLISH_SUMMARY), file=sys.stderr)
            return 1
        if args.list:
            with read_scope(engine) as session:
                sys.stdout.write(
                    csv_bytes(publications.issued(session=session)).decode("utf-8-sig")
                )
            return 0
        kind = args.format or ("csv" if args.out.suffix.lower() == ".csv" else "html")
        if args.issued is not None:
            return _reissue(engine, args, who.name, kind)
        return _write(engine, args, who.name, kind)
    finally:
        engine.dispose()


def _reissue(engine, args, actor: str, kind: str) -> int:
    with session_scope(engine) as session:
        written = issue.reissue(session=session, issue=args.issued, actor=actor, kind=kind)
    if written is None:
        print(f"No public summary numbered {args.issued} has been published.", file=sys.stderr)
        return 1
    args.out.write_bytes(written)
    print(f"Wrote published summary {args.issued} ({kind.upper()}) as issued to {args.out}.")
    return 0


def _write(engine, args, actor: str, kind: str) -> int:
    catalogue = get_catalogue()
    on = args.date or date.today()
    through = shift_month(on.replace(day=1), -1)
    with session_scope(engine) as session:
        summary = gather(session=session, catalogue=catalogue, through=through)
        if summary.period is None:
            print(f"No public summary written: {pw.no_period(summary, catalogue)}", file=sys.stderr)
            return 1
        if args.publish:
            kept = issue.publish(
                session=session,
                summary=summary,
                catalogue=catalogue,
                actor=actor,
                channel=issue.COMMAND,
                today=on,
            )
            written, done = (kept.html if kind == "html" else kept.csv), f" as summary {kept.issue}"
        else:
            written = (
                export.csv(summary, catalogue)
                if kind == "csv"
                else export.html(summary, catalogue, today=on)
            )
            done = ""
            publications.note(
                session=session,
                actor=actor,
                action=publications.WRITTEN,
                detail=f"{kind.upper()} (not published): {issue.what(summary)}",
            )
    args.out.write_bytes(written)
    demo = " (DEMONSTRATION data)" if summary.is_demo else ""
    withheld = sum(m.withheld for m in summary.measures)
    print(
        f"Wrote the {kind.upper()} public summary for {pw.period(summary.period)}{demo}"
        f"{' and published it' + done if args.publish else ''} to {args.out} "
        f"({len(written):,} bytes): {len(summary.measures)} measures, {withheld} figures withheld."
    )
    return 0
