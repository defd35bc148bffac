"""Which six months the public summary covers, and what it is compared with (pure: dates in,
dates out).

A period is `months` consecutive months ending in one of `end_months` (the plan's half years:
April to September, October to March). It can be published when some measure of the summary
has complete figures (every district) for each of its months. Fixed, non-overlapping periods
mean two summaries never differ by a single month, which could be worked out by subtraction.

Like with like: anti-social behaviour is seasonal (more in summer), so a half year is compared
with the SAME months a year earlier (`year_before`), as police.uk and the ONS do, never with
the six months just before it; and with the same months two years earlier when those are
loaded too. April to September 2026 is compared with April to September 2025 and 2024.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from config.models import PublicSummary
from metrics.periods import shift_month

YEAR = 12  # months: a comparison is with the same months this many months earlier
YEARS_BACK = 2  # the same half year one and two years earlier, when their figures are complete


@dataclass(frozen=True)
class Period:
    """The months `first` to `last` (first days of months), inclusive."""

    first: date
    last: date

    def months(self) -> list[date]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = shift_month(month, 1)
        return found

    def year_before(self, years: int = 1) -> Period:
        """The same months `years` year(s) earlier: the like-for-like comparison."""
        step = -YEAR * years
        return Period(shift_month(self.first, step), shift_month(self.last, step))

    def overlaps(self, other: Period) -> bool:
        return self.first <= other.last and other.first <= self.last


def ending(last: date, *, months: int) -> Period:
    return Period(shift_month(last, -(months - 1)), last)


def available(
    complete: Iterable[frozenset[date] | set[date]], *, rules: PublicSummary
) -> list[Period]:
    """The periods (latest first) some measure has complete figures for: `complete` holds, for
    each measure, the months whose figures are complete."""
    sets = [set(months) for months in complete]
    held = set().union(*sets) if sets else set()
    if not held:
        return []
    found, month = [], max(held)
    while month >= min(held):
        if month.month in rules.end_months:
            period = ending(month, months=rules.months)
            wanted = set(period.months())
            if any(wanted <= months for months in sets):
                found.append(period)
        month = shift_month(month, -1)
    return found


def compared(period: Period, found: Iterable[Period]) -> tuple[Period, ...]:
    """The periods the summary's tables show: `period`, then the same months one year earlier
    (always, with or without figures: "no complete figures" is said), then two years earlier
    only when that period is in `found` (loaded and complete)."""
    shown = [period, period.year_before(1)]
    shown += [period.year_before(n) for n in range(2, YEARS_BACK + 1)]
    held = set(found)
    return tuple(p for i, p in enumerate(shown) if i < 2 or p in held)


def trend(period: Period, found: Iterable[Period]) -> tuple[Period, ...]:
    """Every complete period up to `period`, oldest first: the trend's half years."""
    return tuple(sorted((p for p in found if p.last <= period.last), key=lambda p: p.first))
