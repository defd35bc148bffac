"""The six-monthly public summary for residents (issues 13 and 25), gathered from the store.

It covers the latest complete period of `config/public.toml` (six months ending in March or
September) against the SAME months a year earlier, and two years earlier when those are loaded
(`publicsummary.periods`: like with like, as ASB is seasonal), for the count measures listed
there: force, division and district totals and rates per 1,000 residents, small counts withheld
with any figure that would give them away (`publicsummary.figures`), the half-year totals of
every complete half year as a trend, and "You said, we did" from commentary marked public.
Figures already published in an earlier summary and since revised are listed
(`publicsummary.revisions`). It reads monthly figures, commentary and past publications only:
never an incident, never a dip-sample case. The words are in `present.public_wording`; the
exports in `publicsummary.export`; issuing and keeping a summary in `publicsummary.issue`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from config import Catalogue, get_catalogue, get_settings
from config.vocabulary import Level
from db import commentary, publications
from db.queries import data_version, monthly_values, store_summary
from metrics.periods import shift_month
from publicsummary import figures, periods, revisions
from publicsummary.figures import MeasureFigures
from publicsummary.periods import Period
from publicsummary.revisions import Revision

SAID_DID_COLUMNS = ["month", "area", "measure", "what", "actions"]


@dataclass(frozen=True)
class Summary:
    """The public summary. `period` is None when no period has complete figures (then
    `held` says which months the store holds, if any). `compared`: the periods of the tables
    (the period, the same months a year earlier, and two years earlier when complete);
    `trend`: every complete half year up to the period, oldest first. `said_did`: public
    commentary from the first month of the period to `through` (columns month, area, measure
    (its code), what, actions; oldest first). `periods`: every period that could be shown,
    latest first. `revised`: figures published before that are different now.
    `version`: the store's data version the figures were read at."""

    period: Period | None
    measures: tuple[MeasureFigures, ...]
    said_did: pd.DataFrame
    threshold: int
    is_demo: bool
    held: Period | None
    through: date | None
    periods: tuple[Period, ...]
    compared: tuple[Period, ...] = ()
    trend: tuple[Period, ...] = ()
    revised: tuple[Revision, ...] = ()
    version: str = ""

    @property
    def previous(self) -> Period | None:
        """The same months a year earlier."""
        return self.compared[1] if len(self.compared) > 1 else None

    @property
    def earlier(self) -> Period | None:
        """The same months two years earlier, when their figures are complete."""
        return self.compared[2] if len(self.compared) > 2 else None


def complete_months(rows: pd.DataFrame, districts: list[str]) -> frozenset[date]:
    """The months in which every district has a figure (`rows`: one measure's district rows)."""
    held = rows[rows["value"].notna() & rows["area"].isin(districts)]
    per_month = held.drop_duplicates(["area", "month"]).groupby("month").size()
    return frozenset(per_month[per_month == len(districts)].index)


def said_did(*, session: Session, first: date, through: date | None, codes: list[str]):
    """Public commentary from `first` to `through`, oldest first, then by measure in `codes`
    order (any measure: an owner marked it public)."""
    found = commentary.current(session=session, up_to=through, public_only=True)
    found = found[found["month"] >= first]
    found = found.rename(columns={"measure_code": "measure"})
    order = found["measure"].map({code: i for i, code in enumerate(codes)}).fillna(len(codes))
    found = found.assign(_order=order).sort_values(["month", "_order", "area"])
    return found[SAID_DID_COLUMNS].reset_index(drop=True)


def _measure(code, *, district, force, names, catalogue, compared, trend, threshold):
    """One measure's suppressed figures over the compared periods and the trend."""
    counts = {
        figures.key(p): figures.period_counts(district, force, period=p, names=names)
        for p in (*trend, *compared)
    }
    frame = figures.table(catalogue, counts)
    maturity = catalogue.measure(code).maturity_months
    latest = force["month"].max() if not force.empty else compared[0].last
    late = maturity > 0 and compared[0].last > shift_month(latest, -maturity)
    return figures.suppressed(
        code,
        frame,
        catalogue=catalogue,
        compared=compared,
        trend=trend,
        threshold=threshold,
        provisional=late,
    )


def gather(
    *,
    session: Session,
    catalogue: Catalogue | None = None,
    through: date | None = None,
    threshold: int | None = None,
) -> Summary:
    """The summary from figures up to the month `through` (default: every month held), with
    counts from 1 to `threshold` - 1 withheld (default: the SMALL_NUMBER_THRESHOLD setting)."""
    catalogue = catalogue or get_catalogue()
    if threshold is None:
        threshold = get_settings().SMALL_NUMBER_THRESHOLD
    codes = list(catalogue.public.measures)
    read: dict[str, Any] = {"session": session, "measures": codes, "end": through}
    district = monthly_values(level=Level.DISTRICT, **read)
    force = monthly_values(level=Level.FORCE, **read)
    names = [d.name for d in catalogue.geography.district]
    by_measure = {c: district[district["measure"] == c] for c in codes}
    found = periods.available(
        [complete_months(rows, names) for rows in by_measure.values()], rules=catalogue.public
    )
    held = Period(force["month"].min(), force["month"].max()) if not force.empty else None
    base: dict[str, Any] = {
        "threshold": threshold,
        "is_demo": store_summary(session=session).has_demo,
        "held": held,
        "through": through,
        "periods": tuple(found),
        "version": data_version(session=session),
    }
    if not found:
        return Summary(period=None, measures=(), said_did=_no_items(), **base)
    period = found[0]
    compared, trend = periods.compared(period, found), periods.trend(period, found)
    shown = tuple(
        _measure(
            code,
            district=by_measure[code],
            force=force[force["measure"] == code],
            names=names,
            catalogue=catalogue,
            compared=compared,
            trend=trend,
            threshold=threshold,
        )
        for code in codes
    )
    every = codes + [m.code for m in catalogue.measures.measure if m.code not in codes]
    items = said_did(session=session, first=period.first, through=through, codes=every)
    before = publications.figures(session=session, firsts=[p.first for p in (*trend, *compared)])
    return Summary(
        period=period,
        measures=shown,
        said_did=items,
        compared=compared,
        trend=trend,
        revised=revisions.find(before, shown, periods={*trend, *compared}),
        **base,
    )


def _no_items() -> pd.DataFrame:
    return pd.DataFrame(columns=SAID_DID_COLUMNS)
