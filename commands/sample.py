"""`manage.py sample`: draw a dip sample, export its review sheet, import the filled-in sheet,
and report compliance as CSV."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from commands.arguments import month_argument
from config import Catalogue, get_catalogue
from config.areascope import EVERY_AREA, AreaScope
from config.dipsampling import Allocation
from db import dipsamples
from db.dipsamples import FLAGS, Population
from db.engine import make_engine, read_scope, session_scope
from dipsampling import districts_for, draw, record, report, sheets
from dipsampling.design import RepeatedDraw
from dipsampling.followup import follow_up_log
from present.exports import csv_number, neutralise

REPORT_COLUMNS = [
    "level",
    "area",
    "question",
    "question_text",
    "yes",
    "no",
    "not_applicable",
    "answered",
    "rate",
    "low",
    "high",
    "comparable",
    "demonstration",
]
# `sample report --follow-up`: the follow-up log as the board pack shows it (no reference, no
# reviewer's note: those are case detail, for reviewers and analysts on the page)
FOLLOW_UP_COLUMNS = [
    "case", "district", "reasons", "opened", "owner", "action", "due", "status",
    "days_overdue", "closed_on", "closed_by", "demonstration",
]  # fmt: skip


def add_sample_commands(commands: argparse._SubParsersAction) -> None:
    sample = commands.add_parser(
        "sample",
        help="dip-sampling: draw a sample, export and import its review sheet, report",
        description="ASB Oversight Board dip-sampling (checklist: config/dipsampling.toml).",
    )
    actions = sample.add_subparsers(dest="action", required=True, metavar="ACTION")
    drawing = actions.add_parser(
        "draw",
        help="draw a sample of ASB incidents (reproducible from its seed)",
        description="Draw a random sample of the ASB incidents of a period, stratified by "
        "district, and store it with its seed and parameters. By default every district gets "
        "enough cases to estimate its compliance to the configured precision (+/-15 points "
        "at 95%); --margin uses the discovery rule, --size a number of cases. A seed already "
        "drawn with the same months, areas, categories and flags is refused.",
    )
    drawing.add_argument(
        "--from",
        dest="first",
        type=month_argument,
        required=True,
        metavar="YYYY-MM",
        help="first month",
    )
    drawing.add_argument(
        "--to",
        dest="last",
        type=month_argument,
        required=True,
        metavar="YYYY-MM",
        help="last month",
    )
    drawing.add_argument(
        "--area",
        action="append",
        default=[],
        metavar="NAME",
        help="a division or district (repeatable; default: the force)",
    )
    drawing.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="NAME",
        help="an ASB category (repeatable; default: all)",
    )
    drawing.add_argument(
        "--flag",
        action="append",
        default=[],
        choices=FLAGS,
        help="only incidents with this flag set (repeatable)",
    )
    how_many = drawing.add_mutually_exclusive_group()
    how_many.add_argument(
        "--precision",
        type=float,
        help="estimate design (the default): enough cases in every district for its 95%% "
        "interval to be no wider than +/- this (e.g. 0.15; default: config/dipsampling.toml)",
    )
    how_many.add_argument(
        "--margin",
        type=float,
        help="discovery design: enough cases force-wide to find at least one failure if this "
        "share fail (e.g. 0.05), at the configured confidence",
    )
    how_many.add_argument("--size", type=int, help="a number of cases to draw")
    drawing.add_argument(
        "--allocation",
        choices=[a.value for a in Allocation],
        default=Allocation.PROPORTIONAL.value,
        help="share a discovery or number draw in proportion to each district's incidents, "
        "or equally (default: proportional; the estimate design sizes each district)",
    )
    drawing.add_argument("--seed", type=int, help="the random seed (default: chosen and stored)")
    drawing.set_defaults(parser=drawing)
    export = actions.add_parser("export", help="the review sheet of a sample as .xlsx")
    export.add_argument("sample_id", type=int, metavar="SAMPLE_ID")
    export.add_argument("--out", type=Path, help="file to write (default: dip-sample-ID.xlsx)")
    importing = actions.add_parser(
        "import", help="record the answers of a filled-in review sheet (all or nothing)"
    )
    importing.add_argument("path", type=Path, metavar="FILE")
    reported = actions.add_parser(
        "report", help="compliance of a sample by area, or its follow-up log, as CSV"
    )
    reported.add_argument("sample_id", type=int, metavar="SAMPLE_ID")
    reported.add_argument(
        "--follow-up",
        action="store_true",
        help="the sample's follow-up log (owner, action, due date, status) instead",
    )


def cmd_sample(args: argparse.Namespace, actor: str) -> int:
    actions: dict[str, Callable[[argparse.Namespace, str], int]] = {
        "draw": _draw,
        "export": _export,
        "import": _import,
        "report": _report,
    }
    return actions[args.action](args, actor)


def _draw(args: argparse.Namespace, actor: str) -> int:
    catalogue = get_catalogue()
    districts = _districts(args.area, catalogue, args.parser)
    categories = catalogue.measures.incident_categories
    unknown = [c for c in args.category if c not in categories]
    if unknown:
        args.parser.error(f"unknown category {unknown[0]!r} (known: {', '.join(categories)})")
    if args.size is not None and args.size < 1:
        args.parser.error("--size must be at least 1")
    if args.margin is not None and not 0 < args.margin < 0.5:
        args.parser.error("--margin must be between 0 and 0.5 (e.g. 0.05)")
    if args.precision is not None and not 0 < args.precision <= 0.5:
        args.parser.error("--precision must be above 0 and at most 0.5 (e.g. 0.15)")
    if args.first > args.last:
        args.parser.error("--from is after --to")
    try:
        with session_scope(make_engine()) as session:
            drawn = draw(
                session=session,
                catalogue=catalogue,
                of=Population(
                    args.first, args.last, districts, tuple(args.category), tuple(args.flag)
                ),
                actor=actor,
                size=args.size,
                margin=args.margin,
                precision=args.precision,
                allocation=Allocation(args.allocation),
                seed=args.seed,
            )
    except RepeatedDraw as repeated:
        print(f"Refused: {repeated}", file=sys.stderr)
        return 1
    if drawn.size == 0:
        print(f"Sample {drawn.sample_id}: no incidents match; nothing to review.")
        return 0
    shares = ", ".join(f"{name} {n}" for name, n in drawn.per_district.items())
    print(
        f"Drew sample {drawn.sample_id}: {drawn.size} of {drawn.population:,} incidents "
        f"(seed {drawn.seed}): {shares}."
    )
    return 0


def _districts(
    areas: list[str], catalogue: Catalogue, parser: argparse.ArgumentParser
) -> tuple[str, ...]:
    try:
        return districts_for(catalogue, areas)
    except KeyError as unknown:
        parser.error(
            f"unknown area {unknown.args[0]!r}: a division or district of "
            f"{catalogue.geography.force}"
        )


def _scope(args: argparse.Namespace) -> AreaScope:
    """The areas the command's identity may see (`manage.py` sets it; issue 26)."""
    return getattr(args, "scope", EVERY_AREA)


def _export(args: argparse.Namespace, _actor: str) -> int:
    catalogue = get_catalogue()
    with read_scope(make_engine()) as session:
        sample = dipsamples.sample(session=session, sample_id=args.sample_id)
        if sample is None:
            print(f"No dip sample {args.sample_id}.", file=sys.stderr)
            return 1
        drawn = dipsamples.cases(session=session, sample_id=sample.id, scope=_scope(args))
        given = dipsamples.answers(session=session, sample_ids=[sample.id])
    names = {d.ons_code: d.name for d in catalogue.geography.district}
    out = args.out or Path(f"dip-sample-{sample.id}.xlsx")
    verdicts = catalogue.dipsampling.verdicts()
    out.write_bytes(sheets.write(sample, drawn, given, names, verdicts))
    print(f"Wrote the review sheet of sample {sample.id} ({len(drawn)} cases) to {out}.")
    return 0


def _import(args: argparse.Namespace, actor: str) -> int:
    catalogue = get_catalogue()
    engine = make_engine()
    read = sheets.read(
        args.path,
        args.path.name,
        find=sheets.finder(engine),
        verdicts=catalogue.dipsampling.verdicts(),
        district_names={d.ons_code: d.name for d in catalogue.geography.district},
    )
    if read.problems:
        for problem in read.problems:
            print(problem, file=sys.stderr)
        print(f"{args.path.name}: refused; nothing was recorded.", file=sys.stderr)
        return 1
    with session_scope(engine) as session:
        changes = record(session=session, actor=actor, sample_id=read.sample_id, given=read.answers)
    print(f"Sample {read.sample_id}: {len(changes)} answer(s) recorded from {args.path.name}.")
    for change in changes:
        if change.before is not None or change.note_before is not None:
            print(f"  changed: {change}")  # an earlier answer replaced: said, not silent
    return 0


def _report(args: argparse.Namespace, _actor: str) -> int:
    catalogue = get_catalogue()
    with read_scope(make_engine()) as session:
        sample = dipsamples.sample(session=session, sample_id=args.sample_id)
        if sample is None:
            print(f"No dip sample {args.sample_id}.", file=sys.stderr)
            return 1
        if args.follow_up:
            log = follow_up_log(
                session=session,
                catalogue=catalogue,
                sample_id=sample.id,
                today=date.today(),
                scope=_scope(args),
            )
            table = follow_up_rows(log, catalogue, sample.questions)
            columns = FOLLOW_UP_COLUMNS
        else:
            table = report(
                session=session, catalogue=catalogue, sample_id=sample.id, scope=_scope(args)
            )
            columns = REPORT_COLUMNS
    table = table.assign(demonstration=sample.is_demo)  # a demonstration sample says so
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in neutralise(table[columns]).itertuples(index=False):
        writer.writerow([csv_number(v) if isinstance(v, float) else _cell(v) for v in row])
    return 0


def _cell(value):
    """A CSV cell: no value is empty, a day is YYYY-MM-DD."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else value


def follow_up_rows(log: pd.DataFrame, catalogue, questions: dict[str, str]) -> pd.DataFrame:
    """The follow-up log in plain columns (FOLLOW_UP_COLUMNS less `demonstration`)."""
    names = {d.ons_code: d.name for d in catalogue.geography.district}
    verdicts = catalogue.dipsampling.verdicts()
    return pd.DataFrame(
        {
            "case": log["position"],
            "district": log["district_code"].map(names),
            "reasons": [
                "; ".join(questions.get(q) or f"verdict: {verdicts.get(q, q)}" for q in r)
                for r in log["reasons"]
            ],
            "opened": log["opened"],
            "owner": log["owner"],
            "action": log["action"],
            "due": log["due"],
            "status": log["status"].astype(str),
            "days_overdue": log["days_overdue"],
            "closed_on": log["closed_on"],
            "closed_by": log["closed_by"],
        }
    )
