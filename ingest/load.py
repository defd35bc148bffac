"""From a checked plan to the store: the second pass over the file, written by `db.writes`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from config import Catalogue, parse_month
from config.vocabulary import QualityFact
from db.writes import FileToLoad, LoadResult, load_file, load_files
from ingest import Plan, Progress, records
from ingest.archive import MonthFiles

__all__ = ["file_to_load", "load_month", "load_plan"]


def file_to_load(
    plan: Plan,
    progress: Progress | None = None,
    quality: dict[tuple[date, str], int] | None = None,
) -> FileToLoad:
    """What `db.writes` needs of a plan that has no problems (`inspect` first); `quality`
    adds data-quality facts found outside the file (other forces' files in an archive)."""
    if not plan.ok:
        raise ValueError(f"{plan.name} has problems: it cannot be loaded")

    facts = plan.quality
    for key, n in (quality or {}).items():
        facts[key] = facts.get(key, 0) + n
    return FileToLoad(
        file_name=plan.name,
        file_hash=plan.table.facts.sha256,
        kind=plan.kind.name,
        source=plan.kind.source,
        rows=plan.rows,
        months=plan.months,
        facts=dict(plan.kind.facts),
        records=lambda: records(plan, progress),
        observations=plan.observations(),
        quality=facts,
        expected_records=_kept(plan),
        incident_counts=plan.kind.counts(),
    )


def _kept(plan: Plan) -> int | None:
    """The records pass 1 counted to store: street rows kept, incidents counted (None for
    other kinds of file)."""
    counts = plan.kind.counts()
    if counts is not None:
        return counts.rows
    if plan.kind.name != "policeuk-street":
        return None
    return sum(n for (_, fact), n in plan.quality.items() if fact == QualityFact.KEPT)


def load_plan(
    *,
    engine: Engine,
    catalogue: Catalogue,
    plan: Plan,
    actor: str,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> LoadResult:
    """Load a plan that has no problems (`inspect` first). Loading the same file twice changes
    nothing and says so. With `dry_run`, nothing is kept: the result says what would change."""
    file = file_to_load(plan, progress)
    return load_file(engine=engine, catalogue=catalogue, file=file, actor=actor, dry_run=dry_run)


def load_month(
    *, engine: Engine, catalogue: Catalogue, month: MonthFiles, plans: list[Plan], actor: str
) -> list[LoadResult]:
    """Load the checked files of one month of a police.uk archive in one transaction, the
    other forces' files skipped in it recorded with the month's first file."""
    skipped = {(parse_month(month.month), QualityFact.OTHER_FORCES): month.other_forces}
    files = [
        file_to_load(plan, quality=skipped if i == 0 else None) for i, plan in enumerate(plans)
    ]
    return load_files(engine=engine, catalogue=catalogue, files=files, actor=actor)
