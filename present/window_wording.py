"""The words for months that are missing: a run of months as the board reads it ("October to
December 2024", "March 2020, May 2020"), a partial window ("9 of 12 months loaded (missing:
October to December 2024)") and the gap note of a chart or a pack ("25 months have no data:
November 2022 to December 2023, May to December 2024"). Nothing here computes which months are
missing (`metrics.periods.window` does) and nothing here draws."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

GAP_MARK = "·"  # a month with no figure in a sparkline drawn in characters
GAP_LABEL = "No data (gap)"  # the mark of a gap on a chart, in its legend and on the chart


def runs(months: Iterable[date | pd.Timestamp]) -> list[tuple[date, date]]:
    """Consecutive calendar months grouped into (first, last) runs, in order."""
    found: list[tuple[date, date]] = []
    for month in sorted({pd.Timestamp(m).date().replace(day=1) for m in months}):
        if found:
            first, last = found[-1]
            following = (pd.Timestamp(last) + pd.DateOffset(months=1)).date()
            if month == following:
                found[-1] = (first, month)
                continue
        found.append((month, month))
    return found


def month_range(first: date, last: date) -> str:
    """One run: "March 2020", "October to December 2024", "November 2022 to December 2023"."""
    if first == last:
        return f"{first:%B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def month_ranges(months: Iterable[date | pd.Timestamp]) -> str:
    """Months as runs, joined by commas: "March 2020, May 2020, October to December 2024"."""
    return ", ".join(month_range(first, last) for first, last in runs(months))


def months_loaded(
    present: int, missing: Iterable[date], of: int = 12, provisional: Iterable[date] = ()
) -> str:
    """A partial window: "9 of 12 months loaded (missing: October to December 2024)", or with
    months loaded but not yet mature "8 of 12 months mature (provisional, published young: July
    to October 2024)"."""
    missing, provisional = list(missing), list(provisional)
    notes = [f"missing: {month_ranges(missing)}"] if missing else []
    if provisional:
        notes.append(f"provisional, published young: {month_ranges(provisional)}")
    word = "mature" if provisional else "loaded"
    said = f" ({'; '.join(notes)})" if notes else ""
    return f"{present} of {of} months {word}{said}"


def gap_note(missing: Iterable[date]) -> str:
    """The note for a chart or a pack: "25 months have no data: November 2022 to December
    2023, May to December 2024" (empty when nothing is missing)."""
    missing = list(missing)
    if not missing:
        return ""
    have = "1 month has" if len(missing) == 1 else f"{len(missing)} months have"
    return f"{have} no data: {month_ranges(missing)}. Charts leave them as gaps, not zeros."


GAP_CHART_NOTE = (
    "On the charts a gap breaks the line and is shaded and labelled; a 12-month figure needs "
    "all 12 of its months, so the 12-months-to-date line also breaks for the 11 months after a "
    "gap."
)
SMALL_MULTIPLES_NOTE = (
    'A month with no figure in a district breaks its line and is shaded and labelled "gap"; '
    "it is never drawn as a zero or joined up."
)


def month_refused(given: date | None, first: date, latest: date, gaps: Iterable[date]) -> str:
    """Why the month a link asked for is not shown (the words after "which"): a month inside
    the store's range with no data, or a month outside it (or not a month at all)."""
    gaps = list(gaps)
    if given is not None and given in set(gaps):
        return f"has no data in this store (nothing is loaded for {month_ranges(gaps)})"
    return f"is not a month with data in this store ({first:%B %Y} to {latest:%B %Y})"
