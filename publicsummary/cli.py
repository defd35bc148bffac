"""`manage.py public`: the six-monthly public summary as one HTML page or a CSV of its figures.

    python manage.py public --out PATH [--format html|csv] [--date YYYY-MM-DD]

`--date` is the day of publication (default: today): the summary covers the latest complete
period of months that ended before it, and "You said, we did" commentary up to that month.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from config import get_catalogue
from db.engine import make_engine, read_scope
from db.migrate import current_revision, head_revision
from metrics.periods import shift_month
from publicsummary import export, gather
from scoring.cli import day_argument
from views import public_wording as pw

FORMATS = ("html", "csv")


def add_public_commands(commands: argparse._SubParsersAction) -> None:
    public = commands.add_parser(
        "public",
        help="the six-monthly public summary for residents (HTML or CSV)",
        description="Write the public summary: the latest six complete months ending in March "
        "or September (config/public.toml) against the six months before, for the force, "
        "divisions and districts, with counts below SMALL_NUMBER_THRESHOLD withheld (and any "
        'figure that would give one away), and "You said, we did" from public commentary.',
    )
    public.add_argument("--out", type=Path, required=True, metavar="PATH", help="file to write")
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
    public.set_defaults(parser=public)


def cmd_public(args: argparse.Namespace) -> int:
    """Write the summary to `args.out`; exit status 1, writing nothing, when the store has no
    schema or no complete period yet (the reason on standard error)."""
    catalogue = get_catalogue()
    kind = args.format or ("csv" if args.out.suffix.lower() == ".csv" else "html")
    on = args.date or date.today()
    engine = make_engine()
    try:
        if current_revision(engine) != head_revision():
            where = engine.url.render_as_string(hide_password=True)
            print(
                f"The data store at {where} has no schema or an older one: run "
                "`python manage.py init` first.",
                file=sys.stderr,
            )
            return 1
        with read_scope(engine) as session:
            summary = gather(
                session=session, catalogue=catalogue, through=shift_month(on.replace(day=1), -1)
            )
    finally:
        engine.dispose()
    if summary.period is None:
        print(f"No public summary written: {pw.no_period(summary, catalogue)}", file=sys.stderr)
        return 1
    written = export.csv(summary, catalogue) if kind == "csv" else export.html(summary, catalogue)
    args.out.write_bytes(written)
    demo = " (DEMONSTRATION data)" if summary.is_demo else ""
    withheld = sum(m.withheld for m in summary.measures)
    print(
        f"Wrote the {kind.upper()} public summary for {pw.period(summary.period)}{demo} to "
        f"{args.out} ({len(written):,} bytes): {len(summary.measures)} measures, "
        f"{withheld} figures withheld."
    )
    return 0
