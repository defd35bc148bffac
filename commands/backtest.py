"""`manage.py backtest`: the rolling-origin backtest of the forecast over the loaded data, as
CSV (`scoring.trackrecord.store_trials`; the method in `metrics.backtest`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commands.arguments import positive_int
from config import get_catalogue
from db.engine import make_engine, read_scope
from db.queries import LEVELS
from present.exports import csv_number
from scoring.trackrecord import COLUMNS, store_trials

DEFAULT_STEP = 3  # a window every 3 months: every measure and area in minutes, not hours
TEXT_COLUMNS = ("measure", "level", "area", "method")
MONTH_COLUMNS = ("window_end", "origin")
FLAG_COLUMNS = ("hit80", "hit95")


def csv_text(table) -> str:
    """The trials as CSV: months as YYYY-MM, flags as true/false, numbers as exported."""
    lines = [",".join(COLUMNS)]
    for row in table.itertuples(index=False):
        cells = []
        for column, value in zip(COLUMNS, row, strict=True):
            if column in TEXT_COLUMNS:
                cells.append(str(value))
            elif column in MONTH_COLUMNS:
                cells.append(f"{value:%Y-%m}")
            elif column in FLAG_COLUMNS:
                cells.append("true" if value else "false")
            else:
                cells.append(csv_number(value))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def cmd_backtest(args: argparse.Namespace) -> int:
    catalogue = get_catalogue()
    if args.measure and args.measure not in catalogue.measure_by_code:
        args.parser.error(
            f"--measure: unknown measure code {args.measure!r}; known codes: "
            + ", ".join(catalogue.measure_by_code)
        )
    with read_scope(make_engine()) as session:
        table = store_trials(
            session=session,
            catalogue=catalogue,
            measures=[args.measure] if args.measure else None,
            levels=[args.level] if args.level else LEVELS,
            step=args.step,
        )
    text = csv_text(table)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{len(table):,} trials written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def add_backtest_command(commands: argparse._SubParsersAction) -> None:
    """Add `backtest` to manage.py's sub-commands."""
    parser = commands.add_parser(
        "backtest",
        help="rolling-origin backtest of the forecast over the loaded data, as CSV",
        description="For every measure and area with enough history (24 months before the "
        "first origin): windows of 12 months ending every --step months back from the latest, "
        "each forecast 1 to 18 months before its end from the months up to then. One row per "
        "trial: " + ",".join(COLUMNS) + ". The target is the plan's directional one (better "
        "than the 12 months before the window); probability and met are empty where that year "
        "was not yet known at the origin.",
    )
    parser.add_argument("--measure", metavar="CODE", help="one measure code (default: all)")
    parser.add_argument("--level", choices=LEVELS, help="one level (default: all three)")
    parser.add_argument(
        "--step",
        type=positive_int,
        default=DEFAULT_STEP,
        help=f"months between window ends (default: {DEFAULT_STEP}; 1 tries every window)",
    )
    parser.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")
    parser.set_defaults(parser=parser)
