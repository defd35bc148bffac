"""From a checked plan to the store: the second pass over the file, written by `db.writes`."""

from __future__ import annotations

from sqlalchemy import Engine

from config import Catalogue
from db.writes import FileToLoad, LoadResult, load_file
from ingest import Plan, Progress, records
from ingest.policeuk import AsbRow

__all__ = ["load_plan"]


def load_plan(
    *,
    engine: Engine,
    catalogue: Catalogue,
    plan: Plan,
    actor: str,
    progress: Progress | None = None,
) -> LoadResult:
    """Load a plan that has no problems (`inspect` first). Loading the same file twice changes
    nothing and says so."""
    if not plan.ok:
        raise ValueError(f"{plan.name} has problems: it cannot be loaded")

    def stored_records():
        return (r for r in records(plan, progress) if not isinstance(r, AsbRow | str))

    file = FileToLoad(
        file_name=plan.name,
        file_hash=plan.table.facts.sha256,
        kind=plan.kind.name,
        source=plan.kind.source,
        rows=plan.rows,
        months=plan.months,
        facts=dict(plan.kind.facts),
        observations=plan.observations(),
        records=stored_records,
    )
    return load_file(engine=engine, catalogue=catalogue, file=file, actor=actor)
