"""Figures of an earlier published summary that are different now (pure pandas).

When a month is republished (police.uk republishes, a return is corrected), a half year that a
past summary already gave can change. The later summary says so for every figure it shows
again: "revised since published on <date>: was X, now Y". X is the figure as last published
(taken from the stored publication, `db.publications`), so it was public already; Y is given
only when it is shown now (otherwise "now withheld"). A revision note therefore never holds a
figure that is not published, and no small number can leak through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from publicsummary.figures import MeasureFigures, key
from publicsummary.periods import Period

FIGURE_COLUMNS = ["measure", "area", "period_first", "period_last", "count", "withheld"]


@dataclass(frozen=True)
class Revision:
    """A figure shown in an earlier summary (issued on `issued_on`, publication `issue`) that
    is different now: `was` as published; `now` the figure now (None when withheld or no
    longer a figure)."""

    measure: str
    area: str
    period: Period
    issued_on: date
    issue: int
    was: float
    now: float | None


def shown(measures: tuple[MeasureFigures, ...], periods: set[Period]) -> pd.DataFrame:
    """What a summary shows, one row per measure, area and period of its trend (`FIGURE_COLUMNS`:
    count NaN when withheld or no figure). The trend holds every complete period the tables
    compare (a compared period missing from it has no figures at all)."""
    rows = []
    for m in measures:
        for period in sorted(periods, key=lambda p: p.first):
            column = key(period)
            if column not in m.trend.columns:
                continue
            values, mask = m.trend[column], m.trend_withheld[column]
            rows += [
                (m.code, area, period.first, period.last, values[area], bool(mask[area]))
                for area in m.rows.index
            ]
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def find(
    before: pd.DataFrame, measures: tuple[MeasureFigures, ...], *, periods: set[Period]
) -> tuple[Revision, ...]:
    """Every figure last published (shown, in `before`: `FIGURE_COLUMNS` plus issue and
    issued_at) that is now different or no longer shown, in table order."""
    if before.empty or not measures:
        return ()
    published = before[~before["withheld"].astype(bool) & before["count"].notna()]
    last = published.sort_values("issued_at").drop_duplicates(
        ["measure", "area", "period_first"], keep="last"
    )
    now = shown(measures, periods).set_index(["measure", "area", "period_first"])
    found = []
    for row in last.itertuples(index=False):
        place = (row.measure, row.area, row.period_first)
        if place not in now.index:
            continue
        current = now.loc[place]
        value = None if current["withheld"] or pd.isna(current["count"]) else current["count"]
        if value is not None and float(value) == float(row.count):
            continue
        found.append(
            Revision(
                measure=row.measure,
                area=row.area,
                period=Period(row.period_first, current["period_last"]),
                issued_on=pd.Timestamp(row.issued_at).date(),
                issue=int(row.issue),
                was=float(row.count),
                now=None if value is None else float(value),
            )
        )
    order = {m.code: i for i, m in enumerate(measures)}
    return tuple(sorted(found, key=lambda r: (order[r.measure], r.period.first)))
