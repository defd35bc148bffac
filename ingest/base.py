"""What every kind of file has in common: its columns, a check of one row that returns the
record to store (or reports problems), and shared checks of months, areas and text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar

import pandas as pd

from config import Catalogue
from ingest.read import Rows

EARLIEST_MONTH = date(2015, 1, 1)
FORMULA_START = ("=", "+", "-", "@")
MONTH_TEXT = re.compile(r"^(\d{4})-(\d{2})$")

Report = Callable[[int, str, str], None]  # (row, column, message)
# Rows read from the file again, by row number, as {column: value} (for checks across rows)
RowsAgain = Callable[[set[int]], dict[int, dict[str, Any]]]


def current_month(today: date | None = None) -> date:
    today = today or date.today()
    return today.replace(day=1)


class Kind:
    """One kind of file. Subclasses set the class attributes and implement `check` (one row);
    `check_batch` checks a batch of rows with it unless a kind checks whole columns at once."""

    name: ClassVar[str]  # e.g. "policeuk-street"
    source: ClassVar[str]  # the source that decides priority: incidents | policeuk | returns
    title: ClassVar[str]
    required: ClassVar[tuple[str, ...]]
    optional: ClassVar[tuple[str, ...]] = ()
    # The type of the records the store keeps (pass 1 keeps them for pass 2 to write); None
    # for a kind whose records are not stored (monthly returns give figures).
    record_type: ClassVar[type | None] = None

    def __init__(self, catalogue: Catalogue, *, today: date | None = None) -> None:
        self.catalogue = catalogue
        self.latest_month = current_month(today)
        self.months: set[date] = set()
        self._month_cache: dict[str, date] = {}
        self.facts: dict[str, int] = {}
        districts = catalogue.geography.district
        self.district_by_name = {d.name.casefold(): d.ons_code for d in districts}
        self.district_by_code = {d.ons_code.casefold(): d.ons_code for d in districts}

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        return cls.required + cls.optional

    def check(self, row: int, values: dict[str, Any], report: Report) -> Any | None:
        raise NotImplementedError

    def check_batch(self, rows: Rows, names: list[str], report: Report) -> pd.DataFrame | None:
        """Check a batch of rows (values in the order of `names`, the kind's column names);
        count each valid record (`add`) and return the records to store as a frame (None for
        a kind that stores none)."""
        stored = self.record_type
        kept = []
        for number, values in zip(rows.numbers.tolist(), rows.lists(), strict=True):
            record = self.check(number, dict(zip(names, values, strict=True)), report)
            if record is not None:
                self.add(record)
                if stored is not None and type(record) is stored:
                    kept.append(record)
        return None if stored is None else pd.DataFrame(kept, columns=list(stored._fields))

    def add(self, record: Any) -> None:
        """Count a valid record into what the preview shows (first pass only)."""

    def finish(self, report: Report, rows_again: RowsAgain) -> None:
        """Checks across rows, once every row has been seen (first pass only); `rows_again`
        reads given rows of the file again."""

    def counts(self) -> Any | None:
        """Counts of the records to store made while checking (`db.aggregates.IncidentCounts`
        for an incident extract), else None."""
        return None

    def close(self) -> None:
        """Release what checking kept on disk."""

    def observations(self) -> pd.DataFrame | None:
        """Monthly observations known from the first pass alone, if the kind has them."""
        return None

    def count(self, fact: str, n: int = 1) -> None:
        self.facts[fact] = self.facts.get(fact, 0) + n

    # --- shared checks ---------------------------------------------------------------------

    def month(self, row: int, column: str, value: Any, report: Report) -> date | None:
        """A month as YYYY-MM text (or an Excel date), within 2015-01 and the current month.
        Valid month texts are remembered: a file has a few distinct months in millions of rows."""
        known = self._month_cache.get(value) if isinstance(value, str) else None
        if known is not None:
            return known
        if isinstance(value, datetime | date):
            month = date(value.year, value.month, 1)
        else:
            match = MONTH_TEXT.match(text(value))
            if not match or not 1 <= int(match.group(2)) <= 12:
                report(row, column, f"{text(value)!r} is not a month in the form YYYY-MM")
                return None
            month = date(int(match.group(1)), int(match.group(2)), 1)
        checked = self.month_in_range(row, column, month, report)
        if checked is not None and isinstance(value, str):
            self._month_cache[value] = checked
        return checked

    def month_in_range(self, row: int, column: str, month: date, report: Report) -> date | None:
        if month > self.latest_month:
            report(row, column, f"{month:%Y-%m} is in the future")
            return None
        if month < EARLIEST_MONTH:
            report(
                row,
                column,
                f"{month:%Y-%m} is before {EARLIEST_MONTH:%Y-%m}, the earliest month kept",
            )
            return None
        return month

    def district(self, row: int, column: str, value: Any, report: Report) -> str | None:
        """A district by name or ONS code, case-insensitively; returns the ONS code."""
        name = text(value)
        found = self.district_by_name.get(name.casefold()) or self.district_by_code.get(
            name.casefold()
        )
        if found is None:
            report(
                row,
                column,
                f"unknown district {shown(name)}: use one of the 14 district names or ONS codes",
            )
        return found


def text(value: Any) -> str:
    """A cell as trimmed text ('' when empty)."""
    if value.__class__ is str:  # every CSV cell: the fast path
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for a message, cut short, and marked when it looks like a formula."""
    cut = value if len(value) <= limit else value[: limit - 1] + "…"
    if value.startswith(FORMULA_START) and not _is_number(value):
        return f"{cut!r} (a spreadsheet formula?)"
    return repr(cut)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
