"""Which six months the public summary covers (pure: dates in, dates out).

A period is `months` consecutive months ending in one of `end_months` (the plan's half years:
April to September, October to March). It can be published when some measure of the summary
has complete figures (every district) for each of its months. Fixed, non-overlapping periods
mean two summaries never differ by a single month, which could be worked out by subtraction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from config.models import PublicSummary
from metrics.periods import shift_month


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

    def before(self) -> Period:
        """The period of the same length just before this one."""
        length = len(self.months())
        return Period(shift_month(self.first, -length), shift_month(self.first, -1))


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
