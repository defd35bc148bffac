"""Reading and checking data files before anything is written.

    plan = inspect(path, catalogue=...)    # pass 1: every row checked, nothing written
    if plan.ok: ingest.load.load_plan(...)   # pass 2: the checked records, one transaction

Pass 1 reads the file once, checks every row and keeps the valid records to store on disk
(`ingest.spool`); pass 2 writes exactly those records, after checking that the file's bytes
have not changed, so a file of any size loads in constant memory. Nothing here counts a
figure: files of records (police.uk, incident extracts) give records, and the store derives
their monthly figures in SQL (`db.derive`); only monthly returns give figures as figures.
Kinds of file (`ingest.policeuk`, `ingest.extracts`) are told apart by their header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from config import Catalogue
from config.text import clean_text
from config.vocabulary import FileKind
from ingest.base import Kind
from ingest.examine import FILE, HEADER, FileRefused, Problem, file_hash
from ingest.extracts import Incidents
from ingest.policeuk import Outcomes, Street
from ingest.read import Rows, Table, delimiter_hint, open_table
from ingest.returns import Returns
from ingest.schema import FILE_NAME_LENGTH
from ingest.spool import Spool, is_disk_full, temp_full_message

KINDS: tuple[type[Kind], ...] = (Street, Outcomes, Incidents, Returns)
KIND_OPTIONS: dict[str, tuple[type[Kind], ...]] = {
    FileKind.POLICEUK: (Street, Outcomes),
    FileKind.INCIDENTS: (Incidents,),
    FileKind.RETURNS: (Returns,),
}
MAX_LISTED = 10_000  # problems listed per file; any more are counted
BATCH_ROWS = 50_000  # rows checked together (and between progress reports)
UNNAMED = "(unnamed file)"  # a name with nothing left once cleaned

Progress = Callable[[float], object]  # what it returns is not used

__all__ = [
    "KINDS",
    "KIND_OPTIONS",
    "FileChanged",
    "FileRefused",
    "Plan",
    "Problem",
    "inspect",
    "records",
]


@dataclass
class Plan:
    """What one file would do to the store: its kind, problems, and (when it has none) the
    months and monthly observations it gives."""

    name: str
    table: Table | None
    kind: Kind | None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    unlisted: int = 0  # problems beyond MAX_LISTED
    spool: Spool | None = None  # the records to store, as checked
    # the hash of the file's bytes now, for pass 2 (default: of the file at `table.path`;
    # an archive's file is hashed from the archive: `ingest.archive.Archive.check`)
    source_hash: Callable[[], str] | None = None

    def close(self) -> None:
        """Remove the checked records kept on disk."""
        if self.spool is not None:
            self.spool.close()

    @property
    def ok(self) -> bool:
        return self.kind is not None and not self.problems

    @property
    def problem_count(self) -> int:
        """Every problem found, listed or not."""
        return len(self.problems) + self.unlisted

    @property
    def months(self) -> list[date]:
        return sorted(self.kind.months) if self.kind else []

    def observations(self) -> pd.DataFrame | None:
        """The monthly figures a file gives as figures (monthly returns); None for files of
        records, whose figures the store derives while loading them (`db.derive`)."""
        return self.kind.observations() if self.ok else None

    @property
    def quality(self) -> dict[tuple[date, str], int]:
        """Data-quality facts per month and fact (police.uk files), from pass 1."""
        return dict(getattr(self.kind, "quality", {}) or {})

    def report(self, row: int, column: str, message: str) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(Problem(self.name, row, column, message))
        else:
            self.unlisted += 1

    def messages(self) -> list[str]:
        lines = [str(p) for p in sorted(self.problems, key=lambda p: p.row)]
        if self.unlisted:
            lines.append(f"{self.name}: and {self.unlisted:,} more problems not listed")
        return lines


def inspect(
    path: Path,
    *,
    catalogue: Catalogue,
    kind: str | None = None,
    name: str | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> Plan:
    """Check every row of the file at `path` (shown to people as `name`) and return its plan.
    `kind` limits the kinds considered (policeuk, incidents, returns); by default the header
    decides. Nothing is written. The name is cleaned of control and direction characters
    (`config.text.clean_text`): it is stored and shown as cleaned."""
    name = clean_text(name or path.name) or UNNAMED
    named = _name_problems(name)
    try:
        table = open_table(path, name)
    except FileRefused as refused:
        return Plan(name, None, None, problems=named + refused.problems)
    plan = Plan(name, table, None, problems=named)
    chosen = _choose_kind(table, KIND_OPTIONS[kind] if kind else KINDS, plan)
    if chosen is None:
        return plan
    plan.kind = chosen(catalogue, today=today)
    plan.spool = Spool() if plan.kind.record_type is not None else None
    names = _names(table.header, plan.kind)
    try:
        for rows in _batches(table, plan, progress):
            plan.rows += len(rows.numbers)
            records = plan.kind.check_batch(rows, names, plan.report)
            if records is not None and not plan.problems:
                plan.spool.add(records)
        if plan.rows == 0:
            plan.report(2, HEADER, "the file has a header but no rows of data")
        plan.kind.finish(plan.report, lambda wanted: _rows_again(table, names, wanted))
    except FileRefused as refused:
        plan.problems.extend(refused.problems)
    except OSError as exc:  # the checked records fill the temporary folder's disk
        if not is_disk_full(exc):
            raise
        plan.close()
        plan.problems.append(Problem(name, 0, FILE, temp_full_message()))
    finally:
        plan.kind.close()
    return plan


def records(plan: Plan, progress: Progress | None = None) -> Iterator[pd.DataFrame]:
    """Pass 2: the records to store of a plan that had no problems, in batches, exactly as
    pass 1 checked them. Raises FileChanged, before yielding anything, when the file's bytes
    are no longer those checked."""
    if not plan.ok:
        raise ValueError(f"{plan.name} has problems and must not be loaded")
    now = plan.source_hash() if plan.source_hash else file_hash(plan.table.path)
    if now != plan.table.facts.sha256:
        raise FileChanged(
            f"{plan.name} changed after it was checked: nothing was written; load it again"
        )
    if plan.spool is None:
        return
    done = 0
    for batch in plan.spool.batches():
        done += len(batch)
        if progress:
            progress(done / max(plan.spool.count, 1))
        yield batch


def _name_problems(name: str) -> list[Problem]:
    """A name longer than the store keeps (`loads.file_name`) is refused, not cut short."""
    if len(name) <= FILE_NAME_LENGTH:
        return []
    return [
        Problem(
            name,
            0,
            FILE,
            f"the file's name is {len(name):,} characters long; the store keeps names of up to "
            f"{FILE_NAME_LENGTH}: rename the file (or load it from a shorter path)",
        )
    ]


class FileChanged(RuntimeError):
    """The file read in pass 2 is not the file checked in pass 1 (the load is rolled back)."""


def _names(header: list[str], kind: Kind) -> list[str]:
    """The kind's name of each header cell, in order (`_choose_kind` refuses other cells)."""
    names = [""] * len(header)
    for column, i in _positions(header, kind).items():
        names[i] = column
    return names


def _batches(table: Table, plan: Plan, progress: Progress | None) -> Iterator[Rows]:
    """The rows in batches of up to BATCH_ROWS rows; rows left out for their shape are
    reported."""
    for rows in table.batches(BATCH_ROWS):
        for problem in rows.problems:
            plan.report(problem.row, problem.column, problem.message)
        if len(rows.numbers):
            yield rows
        if progress:
            progress(table.fraction_read())
    if progress:
        progress(1.0)


def _rows_again(table: Table, names: list[str], wanted: set[int]) -> dict[int, dict[str, Any]]:
    """The given rows read from the file again, as {column: value}."""
    found = {}
    for rows in _batches(table, Plan(table.name, table, None), None):
        for number, values in zip(rows.numbers.tolist(), rows.lists(), strict=True):
            if number in wanted:
                found[number] = dict(zip(names, values, strict=True))
    return found


def _positions(header: list[str], kind: type[Kind] | Kind) -> dict[str, int]:
    folded = {cell.casefold(): i for i, cell in enumerate(header)}
    return {c: folded[c.casefold()] for c in kind.columns() if c.casefold() in folded}


def _choose_kind(table: Table, candidates: tuple[type[Kind], ...], plan: Plan) -> type[Kind] | None:
    """The kind whose columns best match the header, reporting missing, unexpected and
    repeated columns; None when no kind fits well enough to check rows against."""
    header = table.header
    folded = [cell.casefold() for cell in header]
    earlier = plan.problem_count  # a problem with the file's name does not stop its rows

    def score(kind: type[Kind]) -> float:
        return sum(c.casefold() in folded for c in kind.required) / len(kind.required)

    best = max(candidates, key=score)
    if score(best) < 0.5:
        expected = "; ".join(f"{k.title}: {','.join(k.required)}" for k in candidates)
        plan.report(
            1,
            HEADER,
            "cannot tell what kind of file this is from its header "
            f"{','.join(header)[:120]!r}.{delimiter_hint(header)} Expected one of: {expected}",
        )
        return None
    known = {c.casefold() for c in best.columns()}
    for i, cell in enumerate(header):
        if cell.casefold() not in known:
            plan.report(
                1, cell or f"column {i + 1}", f"unexpected column {cell!r} in a {best.title}"
            )
        elif folded.index(cell.casefold()) != i:
            plan.report(1, cell, f"column {cell!r} appears twice")
    for column in best.required:
        if column.casefold() not in folded:
            plan.report(1, column, f"missing column {column!r} of a {best.title}")
    return None if plan.problem_count > earlier else best
