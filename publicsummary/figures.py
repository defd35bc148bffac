"""One measure's figures for the public summary (pure pandas): six-month counts of the force,
divisions and districts, suppressed together (`metrics.suppression.suppress_hierarchy`).

The force is the sum of its divisions and of the figures linked to no district (police.uk
rows with no location, stored at force level as "unallocated"); each division is the sum of
its districts. Those unlinked figures are a row of their own under the force, suppressed like
any other, so that every total shown is the sum of the rows under it and a withheld figure
cannot be worked out from the rest. The row is left out when it is zero in both periods.

A change is given only where both periods' figures are shown: it is then the difference of two
published numbers and reveals nothing. Where either is withheld, so is the change.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from config import Catalogue
from config.vocabulary import UNALLOCATED
from metrics.suppression import AREA, PARENT, suppress_hierarchy
from publicsummary.periods import Period

UNLINKED = UNALLOCATED  # the area of figures linked to no district
CURRENT, PREVIOUS = "current", "previous"
LEVEL = "level"


@dataclass(frozen=True)
class MeasureFigures:
    """What the summary may show of one measure. `rows` is indexed by area (force, divisions
    each followed by its districts, then the unlinked row when there is one) with columns
    level, current, previous (the counts shown: NaN when withheld or when there is no figure),
    current_withheld, previous_withheld (bool) and change (current - previous, only where both
    are shown). `complete_current`/`complete_previous`: whether the period has figures for
    every district in every month (otherwise its column is empty). `provisional`: the
    period's latest months are still provisional (the measure's `maturity_months`)."""

    code: str
    rows: pd.DataFrame
    complete_current: bool
    complete_previous: bool
    withheld: int
    provisional: bool

    @property
    def force(self) -> pd.Series:
        return self.rows.iloc[0]


def areas(catalogue: Catalogue) -> pd.DataFrame:
    """The tree of areas in display order: columns area, parent, level."""
    geo = catalogue.geography
    rows = [(geo.force, None, "force")]
    for division in geo.division:
        rows.append((division.name, geo.force, "division"))
        kids = [d.name for d in geo.district if d.division == division.name]
        rows += [(name, division.name, "district") for name in kids]
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


def table(
    catalogue: Catalogue, current: pd.Series | None, previous: pd.Series | None
) -> pd.DataFrame:
    """The tree with both periods' counts (NaN: no figure), parents the sums of children."""
    frame = areas(catalogue)
    unlinked = [c[UNLINKED] for c in (current, previous) if c is not None]
    if any(value != 0 for value in unlinked):
        extra = (UNLINKED, catalogue.geography.force, "unlinked")
        frame = pd.concat([frame, pd.DataFrame([extra], columns=frame.columns)], ignore_index=True)
    for column, counts in ((CURRENT, current), (PREVIOUS, previous)):
        values = pd.Series(float("nan"), index=frame[AREA])
        if counts is not None:
            values = counts.reindex(frame[AREA]).astype(float)
            for division in catalogue.geography.division:
                kids = frame.loc[frame[PARENT] == division.name, AREA]
                values[division.name] = values[kids].sum(min_count=1)
            kids = frame.loc[frame[PARENT] == catalogue.geography.force, AREA]
            values[catalogue.geography.force] = values[kids].sum(min_count=1)
        frame[column] = values.to_numpy()
    return frame


def suppressed(
    code: str, frame: pd.DataFrame, *, threshold: int, provisional: bool = False
) -> MeasureFigures:
    """Suppress both periods of a `table` and give what may be shown."""
    result = suppress_hierarchy(
        frame[[AREA, PARENT, CURRENT, PREVIOUS]], columns=[CURRENT, PREVIOUS], threshold=threshold
    )
    rows = frame.set_index(AREA)[[LEVEL]].copy()
    for column in (CURRENT, PREVIOUS):
        rows[column] = result.values[column]
        rows[f"{column}_withheld"] = result.mask[column]
    rows["change"] = rows[CURRENT] - rows[PREVIOUS]
    return MeasureFigures(
        code=code,
        rows=rows,
        complete_current=bool(frame[CURRENT].notna().any()),
        complete_previous=bool(frame[PREVIOUS].notna().any()),
        withheld=int(result.mask.to_numpy().sum()),
        provisional=provisional,
    )
