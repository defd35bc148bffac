"""From a checked plan to the store: the second pass over the file, written by `db.writes`.

**Publication.** A police.uk file's outcomes are as known when it was published, so a load
records, for every month of a police.uk file, the publication it came from
(`QualityFact.PUBLISHED`, as YYYYMM): for an archive its newest month (`MonthFiles.published`);
for files loaded one by one or together, the month the analyst gives (`manage.py load
--published`, the Data page's field) or else the newest month among the files loaded together.
A publication earlier than a month of the file is refused. The newest load of a month is the
one counted (`db.derive`), so a republished month takes the later load's publication.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from config import Catalogue, parse_month
from config.vocabulary import FileLayout, QualityFact, publication_code
from db.writes import FileToLoad, LoadResult, load_file, load_files
from ingest import Plan, Progress, records
from ingest.archive import MonthFiles

__all__ = [
    "PublicationRefused",
    "file_to_load",
    "load_month",
    "load_plan",
    "publication_problem",
    "publication_text",
]
POLICEUK_KINDS: tuple[str, ...] = (FileLayout.POLICEUK_STREET, FileLayout.POLICEUK_OUTCOMES)


class PublicationRefused(ValueError):
    """A publication month earlier than a month of the file (the message says which)."""


def publication_problem(published: date, months: list[date], name: str) -> str | None:
    """Why `published` cannot be the publication of a file holding `months` (else None)."""
    late = [m for m in months if (m.year, m.month) > (published.year, published.month)]
    if not late:
        return None
    return (
        f"{name}: published {published:%Y-%m} is before {max(late):%Y-%m}, a month the file "
        "holds: a month is published after it ends"
    )


def publication_text(published: date, *, given: bool) -> str:
    """How a load's confirmation names the publication its police.uk months came from."""
    why = (
        "as given"
        if given
        else "the newest month among the files loaded together; give the publication if "
        "they came from a later one"
    )
    return f"Outcomes as published in {published:%B %Y} ({why})."


def _publication(plan: Plan, published: date | None) -> dict[tuple[date, str], int]:
    """The PUBLISHED fact of every month of a police.uk file (nothing for other kinds)."""
    if plan.kind.name not in POLICEUK_KINDS or not plan.months:
        return {}
    when = published or max(plan.months)
    problem = publication_problem(when, plan.months, plan.name)
    if problem:
        raise PublicationRefused(problem)
    code = publication_code(when)
    return {(month, QualityFact.PUBLISHED): code for month in plan.months}


def file_to_load(
    plan: Plan,
    progress: Progress | None = None,
    quality: dict[tuple[date, str], int] | None = None,
    published: date | None = None,
) -> FileToLoad:
    """What `db.writes` needs of a plan that has no problems (`inspect` first); `quality`
    adds data-quality facts found outside the file (other forces' files in an archive);
    `published` is the publication of a police.uk file (default: its own newest month)."""
    if not plan.ok:
        raise ValueError(f"{plan.name} has problems: it cannot be loaded")

    facts = dict(plan.quality)
    for key, n in {**(quality or {}), **_publication(plan, published)}.items():
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
    if plan.kind.name != FileLayout.POLICEUK_STREET:
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
    published: date | None = None,
) -> LoadResult:
    """Load a plan that has no problems (`inspect` first). Loading the same file twice changes
    nothing and says so. With `dry_run`, nothing is kept: the result says what would change.
    `published`: see the module docstring."""
    file = file_to_load(plan, progress, published=published)
    return load_file(engine=engine, catalogue=catalogue, file=file, actor=actor, dry_run=dry_run)


def load_month(
    *,
    engine: Engine,
    catalogue: Catalogue,
    month: MonthFiles,
    plans: list[Plan],
    actor: str,
    published: date | None = None,
) -> list[LoadResult]:
    """Load the checked files of one month of a police.uk archive in one transaction, the
    other forces' files skipped in it recorded with the month's first file, each file as
    published in `published` (default: the archive's newest month)."""
    skipped = {(parse_month(month.month), QualityFact.OTHER_FORCES): month.other_forces}
    when = published or parse_month(month.published or month.month)
    files = [
        file_to_load(plan, quality=skipped if i == 0 else None, published=when)
        for i, plan in enumerate(plans)
    ]
    return load_files(engine=engine, catalogue=catalogue, files=files, actor=actor)
