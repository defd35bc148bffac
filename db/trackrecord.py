"""The stored track record of the forecast: reading and writing the `track_record` table.

What goes in it is decided in `scoring.trackrecord`; this module only moves rows. `detail`
is JSON (the reliability table and coverage by horizon band), opaque here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config.areascope import EVERY_AREA, AreaScope
from db.models import TrackRecord

COLUMNS = ["measure", "version", "computed_at", "forecasts", "stated", "brier", "climatology",
           "detail"]  # fmt: skip


def track_record(*, session: Session, scope: AreaScope = EVERY_AREA) -> pd.DataFrame:
    """Every stored row (COLUMNS), in measure-code order; none for a limited `scope` (the
    track record pools every area's forecasts: `config.areascope`)."""
    if not scope.is_wide:
        return pd.DataFrame(columns=COLUMNS)
    rows = session.execute(
        select(
            TrackRecord.measure_code, TrackRecord.version, TrackRecord.computed_at,
            TrackRecord.forecasts, TrackRecord.stated, TrackRecord.brier,
            TrackRecord.climatology, TrackRecord.detail,
        ).order_by(TrackRecord.measure_code)
    ).all()  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def track_record_version(*, session: Session) -> str | None:
    """The data version the stored track record was computed for (None: never computed)."""
    return session.scalars(select(TrackRecord.version).limit(1)).first()


def write_track_record(
    *, session: Session, version: str, rows: Iterable[Mapping], at: datetime
) -> int:
    """Replace the whole track record by `rows` (mappings with the keys measure, forecasts,
    stated, brier, climatology, detail)."""
    rows = list(rows)
    session.execute(delete(TrackRecord))
    for row in rows:
        session.add(
            TrackRecord(
                measure_code=row["measure"],
                version=version,
                computed_at=at,
                forecasts=int(row["forecasts"]),
                stated=int(row["stated"]),
                brier=None if pd.isna(row["brier"]) else float(row["brier"]),
                climatology=None if pd.isna(row["climatology"]) else float(row["climatology"]),
                detail=row["detail"],
            )
        )
    return len(rows)
