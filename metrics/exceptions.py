"""Exceptions awaiting commentary: a measure off track or at risk in an area, with no
commentary written for it since its status turned. Pure pandas: statuses and commentary in,
one row per exception out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from config.models import Status

NEEDS_COMMENTARY = (Status.MISSED, Status.OFF_TRACK, Status.AT_RISK)


@dataclass(frozen=True)
class Exceptions:
    """`rows`: measure, area, status, since (the first scored month of the status's current
    run), months (the months of that run among those scored) and open_ended (the run began
    at or before the earliest month scored, so it may be longer). `months_scored`: the months
    the statuses were read from, oldest first."""

    rows: pd.DataFrame
    months_scored: tuple[date, ...]


def awaiting(statuses: pd.DataFrame, written: pd.DataFrame) -> Exceptions:
    """`statuses`: measure, area, as_of, status for every measure and area at each scored month;
    `written`: measure_code, area, month of every commentary. A measure whose status at the
    latest month needs commentary (missed, off track or at risk) is an exception unless
    commentary was written for it in a month of its current run or later."""
    columns = ["measure", "area", "status", "since", "months", "open_ended"]
    months = tuple(sorted(set(statuses["as_of"])))
    if not months:
        return Exceptions(rows=pd.DataFrame(columns=columns), months_scored=())
    wide = statuses.pivot_table(
        index=["measure", "area"], columns="as_of", values="status", aggfunc="first"
    ).reindex(columns=list(months))
    latest = wide[months[-1]]
    wide = wide[latest.isin([s.value for s in NEEDS_COMMENTARY])]
    rows = []
    for (measure, area), row in wide.iterrows():
        status = row[months[-1]]
        run = 0
        for month in reversed(months):
            if row[month] != status:
                break
            run += 1
        since = months[-run]
        covered = written[
            (written["measure_code"] == measure)
            & (written["area"] == area)
            & (pd.to_datetime(written["month"]).dt.date >= since)
        ]
        if covered.empty:
            rows.append((measure, area, status, since, run, run == len(months)))
    return Exceptions(rows=pd.DataFrame(rows, columns=columns), months_scored=months)
