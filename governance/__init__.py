"""Governance outputs (issue 13): commentary and the exceptions awaiting it, what changed since
the last meeting, the board pack and the public six-monthly summary. Reads the stored scores
(`scoring`) the pages show, so a pack prints the same signals.

    exceptions(session=..., catalogue=..., as_of=..., area=...)   # awaiting commentary

The commentary store is `db.commentary`; the rule for an exception is `metrics.exceptions`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from config import Catalogue
from config.vocabulary import Level
from db import commentary, scores
from metrics.exceptions import Exceptions, awaiting
from metrics.periods import shift_month


def scored_months(as_of: date) -> list[date]:
    """The months whose statuses say when a status turned: `as_of` and the month before (the
    two months every page keeps scored)."""
    return [shift_month(as_of, -1), as_of]


def exceptions(
    *, session: Session, catalogue: Catalogue, as_of: date, areas: list[str] | None = None
) -> Exceptions:
    """Measures missed, off track or at risk at `as_of` (in `areas`, or every area) with no
    commentary since their status turned, from the stored scores of `scored_months(as_of)`
    (which the caller keeps current: `scoring.refresh(months=...)`; not decoded: only the
    status is read)."""
    frames = [
        scores.read_scores(session=session, as_of=month).assign(as_of=month)
        for month in scored_months(as_of)
    ]
    statuses = pd.concat(frames, ignore_index=True)
    statuses = statuses[statuses["has_data"]]
    if areas is not None:
        statuses = statuses[statuses["area"].isin(areas)]
    statuses = statuses[statuses["measure"].isin([m.code for m in catalogue.measures.measure])]
    written = commentary.current(session=session, up_to=as_of)
    return awaiting(statuses[["measure", "area", "as_of", "status"]], written)


def areas_within(catalogue: Catalogue, area: str) -> list[str]:
    """`area` and every area inside it: the force holds its divisions and districts, a
    division its districts, a district itself."""
    level = catalogue.area_level(area)
    if level == Level.FORCE:
        return catalogue.area_names()
    if level == Level.DIVISION:
        return [area] + [d.name for d in catalogue.geography.districts_of(area)]
    return [area]
