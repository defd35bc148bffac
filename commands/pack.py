"""`manage.py pack`: the board pack for a meeting date and area, as PDF, HTML or Excel."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from boardpack.output import MEDIA_TYPES
from commands.arguments import day_argument
from config import get_catalogue
from config.areascope import EVERY_AREA, first_area
from db.engine import make_engine

FORMATS = tuple(MEDIA_TYPES)


def add_pack_command(commands: argparse._SubParsersAction) -> None:
    pack = commands.add_parser(
        "pack",
        help="the board pack for a meeting (PDF, HTML or Excel)",
        description="Write the board pack for a meeting: every measure's status and reason, "
        "one section per operation with charts and commentary, exceptions, the district "
        "league table, the latest dip-sample results and definitions. It reports the latest "
        "month of data before the meeting's month.",
    )
    pack.add_argument(
        "--date", type=day_argument, required=True, metavar="YYYY-MM-DD", help="meeting"
    )
    pack.add_argument(
        "--area", default=None, help="force, division or district (default: the force)"
    )
    pack.add_argument(
        "--since",
        type=day_argument,
        default=None,
        metavar="YYYY-MM-DD",
        help="the last meeting: the pack opens with what changed since",
    )
    pack.add_argument("--format", choices=FORMATS, default="pdf", help="default: pdf")
    pack.add_argument("--out", type=Path, required=True, metavar="PATH", help="file to write")


def check_pack_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Exit with status 2 for an area no store could answer."""
    catalogue = get_catalogue()
    if args.area is not None and args.area not in catalogue.area_names():
        parser.error(
            f"--area: unknown area {args.area!r}; known areas: " + ", ".join(catalogue.area_names())
        )
    if args.since is not None and args.since >= args.date:
        parser.error("--since: the last meeting must be before --date")


def cmd_pack(args: argparse.Namespace, actor: str = "command line") -> int:
    """Write the pack and audit it (`boardpack.audit`: who, meeting, area, format)."""
    from boardpack import content, output
    from boardpack.audit import record_pack

    catalogue = get_catalogue()
    started = time.perf_counter()
    engine = make_engine()
    scope = getattr(args, "scope", EVERY_AREA)  # access by area (issue 26)
    try:
        pack = content.build(
            engine=engine,
            catalogue=catalogue,
            meeting=args.date,
            area=args.area or first_area(scope, catalogue.area_names()) or "",
            previous=args.since,
            scope=scope,
        )
    except ValueError as problem:
        print(f"Cannot make the pack: {problem}", file=sys.stderr)
        return 1
    written = output.render(pack, args.format)
    args.out.write_bytes(written)
    record_pack(engine=engine, actor=actor, pack=pack, fmt=args.format, how="made")
    demo = " (DEMONSTRATION data)" if pack.is_demo else ""
    print(
        f"Wrote the {args.format.upper()} board pack for {pack.area}, {pack.period}{demo}, to "
        f"{args.out} ({len(written):,} bytes) in {time.perf_counter() - started:.1f} s."
    )
    return 0
