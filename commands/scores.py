"""The score commands of manage.py: `status` (every measure's stored status as CSV) and `check`
(every maintained aggregate and stored score recomputed and compared). The refresh every
command that changes data runs is `scoring.progress.refresh_scores`."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable

import scoring
from commands.arguments import month_argument
from config import get_catalogue
from config.areascope import EVERY_AREA
from db.engine import make_engine, read_scope
from db.queries import LEVELS, store_summary
from present.exports import csv_number, limits_months
from scoring.check import check
from scoring.progress import refresh_scores


def cmd_status(args: argparse.Namespace) -> int:
    parser = args.parser
    from metrics.scorecard import STATUS_COLUMNS
    from present.wording import reason

    catalogue = get_catalogue()
    engine = make_engine()
    with read_scope(engine) as session:
        latest = store_summary(session=session).latest_month
    as_of = args.as_of or latest
    if as_of is None:
        parser.error("the store holds no data: load some first (python manage.py demo)")
    if latest and as_of > latest:
        parser.error(f"--as-of {as_of:%Y-%m} is after the latest month of data ({latest:%Y-%m})")
    if not scoring.is_current(engine=engine, catalogue=catalogue, months=[as_of]):
        refresh_scores(engine, months=[as_of], out=sys.stderr)
    with read_scope(engine) as session:
        table = scoring.read(  # only the areas the command's identity may see (issue 26)
            session=session, as_of=as_of, level=args.level, scope=getattr(args, "scope", EVERY_AREA)
        )
    order = {code: i for i, code in enumerate(catalogue.measure_by_code)}
    areas = {name: i for i, name in enumerate(catalogue.area_names())}
    table = table.assign(
        _l=table["level"].map(LEVELS.index),
        _m=table["measure"].map(order),
        _a=table["area"].map(areas),
    ).sort_values(["_l", "_m", "_a"])
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([*STATUS_COLUMNS, "reason"])
    for row in table.itertuples(index=False):
        result = row.score
        figures = [
            result.rolling_12m,
            result.baseline,
            result.target,
            result.trajectory,
            result.forecast.value,
            result.forecast.low95,
            result.forecast.high95,
            result.probability,
        ]
        writer.writerow(
            [
                row.measure,
                row.level,
                row.area,
                f"{result.as_of:%Y-%m}",
                f"{result.judged_to:%Y-%m}",
                *(csv_number(v) for v in figures),
                str(result.status),
                result.variation,
                result.assurance,
                *limits_months(result.spc),
                result.months_present,
                *(csv_number(v) for v in (result.respondents, *result.interval)),
                reason(result, catalogue.measure(row.measure)),
            ]
        )
    return 0


def cmd_check(_args: argparse.Namespace) -> int:
    """Recompute every maintained aggregate and stored score; exit 1 on any difference."""

    engine = make_engine()
    result = check(engine=engine, catalogue=get_catalogue())
    months = ", ".join(f"{m:%Y-%m}" for m in result.months) or "no month"
    if result.problems:
        for problem in result.problems:
            print(f"check: {problem}", file=sys.stderr)
        return 1
    print(
        f"Every incident aggregate and all {result.scores:,} stored scores ({months}) equal "
        "a fresh computation from the records."
    )
    return 0


def add_score_commands(commands: argparse._SubParsersAction) -> None:
    """Add status and check to manage.py's sub-commands."""
    target_month = get_catalogue().target_month
    status = commands.add_parser(
        "status",
        help=f"every measure's status against its {target_month} target, as CSV",
        description="For every measure and area: the rolling 12 months to --as-of, baseline, "
        f"target for the 12 months ending {target_month}, trajectory value at --as-of, forecast "
        "with its 95% interval (forecast_low, forecast_high) and the probability of meeting the "
        "target, the status word, the SPC variation and assurance icons (assurance: "
        "pass, fail, hit_and_miss, none, or not_applicable where the target is directional, "
        "only to beat the baseline: then the probability says more), the months the SPC "
        "limits shown were fitted on (limits_from, limits_to; empty: no limits), how many "
        "of the 12 months to judged_to are loaded (months_present) and, for a survey "
        "measure, its respondents and the 95% interval of the rolling 12 months. Columns: "
        "measure,level,area,as_of,judged_to,rolling_12m,baseline,target,trajectory,forecast,"
        "forecast_low,forecast_high,probability,status,variation,assurance,limits_from,"
        "limits_to,months_present,respondents,interval_low,interval_high,reason.",
    )
    status.add_argument("--level", choices=LEVELS, help="one level (default: all three)")
    status.add_argument(
        "--as-of",
        dest="as_of",
        type=month_argument,
        metavar="YYYY-MM",
        help="the month to judge at (default: the latest month of data)",
    )
    status.set_defaults(parser=status)
    commands.add_parser(
        "check",
        help="recompute every maintained aggregate and stored score and report differences",
        description="Recount the incident aggregates (hour x weekday cells, rows per load and "
        "month) from the incident records, and recompute every stored score from the monthly "
        "figures, the configuration and the code; compare each with what is stored. Prints "
        "one line when everything agrees; otherwise lists each difference on standard error "
        "and exits with status 1.",
    )


SCORE_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "status": cmd_status,
    "check": cmd_check,
}
