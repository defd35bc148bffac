"""One measure's figures for the public summary (pure pandas): half-year counts of the force,
divisions and districts, suppressed together (`metrics.suppression.suppress_hierarchy`), with
rates per 1,000 residents (`publicsummary.rates`).

The force is the sum of its divisions and of the figures linked to no district (police.uk
rows with no location, stored at force level as "unallocated"); each division is the sum of
its districts. Those unlinked figures are a row of their own under the force, suppressed like
any other, so that every total shown is the sum of the rows under it and a withheld figure
cannot be worked out from the rest. The row is left out when it is zero in every period.

Every half year the summary shows anywhere (its table's three columns and the trend's half
years) is suppressed in ONE call, so a half year has one pattern of withheld cells wherever it
appears: two patterns for the same figures could be put together to undo both.

A change is given only where both periods' figures are shown: it is then the difference of two
published numbers and reveals nothing, so it is given exactly, however small. Where either is
withheld, so is the change. A rate is withheld wherever its count is (it would reveal it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from config import Catalogue
from config.vocabulary import UNALLOCATED, Level
from metrics.suppression import AREA, PARENT, suppress_hierarchy
from publicsummary import rates
from publicsummary.periods import Period

UNLINKED = UNALLOCATED  # the area of figures linked to no district
CURRENT, PREVIOUS, EARLIER = "current", "previous", "earlier"  # now, a year and two years before
SHOWN = (CURRENT, PREVIOUS, EARLIER)
LEVEL = "level"


def key(period: Period) -> str:
    """A period's column name: its first month, YYYY-MM."""
    return f"{period.first:%Y-%m}"


@dataclass(frozen=True)
class MeasureFigures:
    """What the summary may show of one measure. `rows` is indexed by area (force, divisions
    each followed by its districts, then the unlinked row when there is one) with columns
    level; current, previous (the same months a year before), earlier (two years before: all
    NaN when not compared) - the counts shown, NaN when withheld or when there is no figure;
    their `_withheld` (bool) and `_rate` (per 1,000 residents, NaN when withheld, no figure or
    unlinked) columns; and change (current - previous, only where both are shown).
    `complete`: for current, previous and earlier, whether the period has figures for every
    district in every month. `trend`: the count shown in every half year of the trend (columns
    `key(period)`, oldest first; NaN when withheld), `trend_withheld` its mask.
    `provisional`: the period's latest months are still provisional (`maturity_months`)."""

    code: str
    rows: pd.DataFrame
    complete: dict[str, bool]
    withheld: int
    provisional: bool
    trend: pd.DataFrame
    trend_withheld: pd.DataFrame

    @property
    def force(self) -> pd.Series:
        return self.rows.iloc[0]

    @property
    def complete_current(self) -> bool:
        return self.complete[CURRENT]

    @property
    def complete_previous(self) -> bool:
        return self.complete[PREVIOUS]

    def trend_of(self, area: str, periods: Iterable[Period]) -> list[tuple[float, bool]]:
        """`area`'s count in each of `periods` (NaN when withheld) and whether it is withheld,
        in their order: the words (`present`) need no period key of their own."""
        return [
            (self.trend.loc[area, key(p)], bool(self.trend_withheld.loc[area, key(p)]))
            for p in periods
        ]


def areas(catalogue: Catalogue) -> pd.DataFrame:
    """The tree of areas in display order: columns area, parent, level."""
    geo = catalogue.geography
    rows: list[tuple[str, str | None, Level]] = [(geo.force, None, Level.FORCE)]
    for division in geo.division:
        rows.append((division.name, geo.force, Level.DIVISION))
        kids = [d.name for d in geo.district if d.division == division.name]
        rows += [(name, division.name, Level.DISTRICT) for name in kids]
    return pd.DataFrame(rows, columns=[AREA, PARENT, LEVEL])


def period_counts(
    districts: pd.DataFrame, force: pd.DataFrame, *, period: Period, names: list[str]
) -> pd.Series | None:
    """One measure's counts over `period` by district, and the unlinked figure (`UNLINKED`):
    None unless every district has a figure for every month. `districts` and `force` are its
    monthly rows (columns area, month, value) at district and force level."""
    months = period.months()
    held = districts[districts["month"].isin(months) & districts["value"].notna()]
    if len(held.drop_duplicates(["area", "month"])) < len(names) * len(months):
        return None
    counts = held.groupby("area")["value"].sum().reindex(names)
    whole = force[force["month"].isin(months)]["value"].sum()
    counts[UNLINKED] = round(whole - counts.sum())
    return counts.round()


def table(catalogue: Catalogue, counts: dict[str, pd.Series | None]) -> pd.DataFrame:
    """The tree with each period's counts (`counts`: column name -> district counts or None;
    NaN: no figure), parents the sums of children."""
    frame = areas(catalogue)
    unlinked = [c[UNLINKED] for c in counts.values() if c is not None]
    if any(value != 0 for value in unlinked):
        extra = (UNLINKED, catalogue.geography.force, "unlinked")
        frame = pd.concat([frame, pd.DataFrame([extra], columns=frame.columns)], ignore_index=True)
    for column, found in counts.items():
        values = pd.Series(float("nan"), index=frame[AREA])
        if found is not None:
            values = found.reindex(frame[AREA]).astype(float)
            for division in catalogue.geography.division:
                kids = frame.loc[frame[PARENT] == division.name, AREA]
                values[division.name] = values[kids].sum(min_count=1)
            kids = frame.loc[frame[PARENT] == catalogue.geography.force, AREA]
            values[catalogue.geography.force] = values[kids].sum(min_count=1)
        frame[column] = values.to_numpy()
    return frame


def suppressed(
    code: str,
    frame: pd.DataFrame,
    *,
    catalogue: Catalogue,
    compared: tuple[Period, ...],
    trend: tuple[Period, ...],
    threshold: int,
    provisional: bool = False,
) -> MeasureFigures:
    """Suppress every period of a `table` (columns `key(period)`) at once, and give what may be
    shown: the compared periods as current/previous/earlier, and the trend."""
    columns = list(dict.fromkeys(key(p) for p in (*trend, *compared)))
    result = suppress_hierarchy(
        frame[[AREA, PARENT, *columns]], columns=columns, threshold=threshold
    )
    rows = frame.set_index(AREA)[[LEVEL]].copy()
    complete = {}
    for name in SHOWN:
        column = key(compared[SHOWN.index(name)]) if SHOWN.index(name) < len(compared) else None
        values = result.values[column] if column else pd.Series(float("nan"), index=rows.index)
        mask = result.mask[column] if column else pd.Series(False, index=rows.index)
        rows[name], rows[f"{name}_withheld"] = values, mask.astype(bool)
        rows[f"{name}_rate"] = rates.per_thousand(rows[name], rows[LEVEL], catalogue)
        complete[name] = bool(column and frame[column].notna().any())
    rows["change"] = rows[CURRENT] - rows[PREVIOUS]
    keys = [key(p) for p in trend]
    return MeasureFigures(
        code=code,
        rows=rows,
        complete=complete,
        withheld=int(result.mask[[key(p) for p in compared]].to_numpy().sum()),
        provisional=provisional,
        trend=result.values[keys].reindex(rows.index),
        trend_withheld=result.mask[keys].reindex(rows.index).astype(bool),
    )
