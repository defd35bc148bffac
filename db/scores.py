"""Stored scores: reading and writing the `scores` and `score_state` tables.

What a score is and when it is computed again is decided in `metrics.scoreset` and `scoring`;
this module only moves rows. A row's `payload` is `metrics.codec` text, opaque here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

import pandas as pd
from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from config.areascope import EVERY_AREA, AreaScope
from db.models import ScoreState, StoredScore
from db.queries import as_date

STATE_ID = 1
KEY_COLUMNS = ["measure", "level", "area", "as_of"]
# the stored columns of KEY_COLUMNS
KEY = (StoredScore.measure_code, StoredScore.level, StoredScore.area, StoredScore.as_of)


def stored_months(*, session: Session) -> list[date]:
    """The months scores are stored for, oldest first."""
    found = session.scalars(select(StoredScore.as_of).distinct().order_by(StoredScore.as_of))
    return [as_date(m) for m in found]


def stored_keys(*, session: Session) -> pd.DataFrame:
    """The input key of every stored score. Columns: measure, level, area, as_of, key,
    has_data."""
    rows = session.execute(select(*KEY, StoredScore.input_key, StoredScore.has_data)).all()
    frame = pd.DataFrame(rows, columns=[*KEY_COLUMNS, "key", "has_data"])
    frame["as_of"] = pd.Series([as_date(m) for m in frame["as_of"]], dtype=object)
    return frame


def write_scores(*, session: Session, rows: Iterable[Mapping], at: datetime) -> int:
    """Store scores (mappings with the keys measure, level, area, as_of, key, has_data,
    status, probability, text), replacing any stored for the same measure, level, area and
    month. Returns the number written."""
    rows = list(rows)
    if not rows:
        return 0
    keys = [(r["as_of"], r["measure"], r["level"], r["area"]) for r in rows]
    identity = tuple_(
        StoredScore.as_of, StoredScore.measure_code, StoredScore.level, StoredScore.area
    )
    for start in range(0, len(keys), 500):
        session.execute(delete(StoredScore).where(identity.in_(keys[start : start + 500])))
    session.execute(
        StoredScore.__table__.insert(),
        [
            {
                "as_of": r["as_of"],
                "measure_code": r["measure"],
                "level": r["level"],
                "area": r["area"],
                "input_key": r["key"],
                "has_data": r["has_data"],
                "status": r["status"],
                "probability": None if pd.isna(r["probability"]) else r["probability"],
                "payload": r["text"],
                "computed_at": at,
            }
            for r in rows
        ],
    )
    return len(rows)


def update_has_data(*, session: Session, rows: Iterable[Mapping]) -> None:
    """Correct `has_data` of stored scores whose inputs are unchanged (an area's first row of
    a measure in a later month changes no earlier score, but puts the area in league tables)."""
    for r in rows:
        session.execute(
            StoredScore.__table__.update()
            .where(
                StoredScore.as_of == r["as_of"],
                StoredScore.measure_code == r["measure"],
                StoredScore.level == r["level"],
                StoredScore.area == r["area"],
            )
            .values(has_data=r["has_data"])
        )


def delete_months(*, session: Session, keep: Iterable[date]) -> int:
    """Remove the scores of every month not in `keep`. Returns the rows removed."""
    result = session.execute(delete(StoredScore).where(StoredScore.as_of.not_in(list(keep))))
    return result.rowcount or 0


def read_scores(
    *,
    session: Session,
    as_of: date,
    level: str | None = None,
    area: str | None = None,
    measure: str | None = None,
    scope: AreaScope = EVERY_AREA,
) -> pd.DataFrame:
    """Stored scores at `as_of`, of one level, area or measure when given, of the areas
    `scope` may see (a limited scope never gets the force's). Columns: measure, level, area,
    has_data, status, probability, payload."""
    stmt = select(
        StoredScore.measure_code,
        StoredScore.level,
        StoredScore.area,
        StoredScore.has_data,
        StoredScore.status,
        StoredScore.probability,
        StoredScore.payload,
    ).where(StoredScore.as_of == as_of)
    if level is not None:
        stmt = stmt.where(StoredScore.level == level)
    if area is not None:
        stmt = stmt.where(StoredScore.area == area)
    if measure is not None:
        stmt = stmt.where(StoredScore.measure_code == measure)
    if not scope.is_wide:
        stmt = stmt.where(StoredScore.area.in_(sorted(scope.names)))
    columns = ["measure", "level", "area", "has_data", "status", "probability", "payload"]
    return pd.DataFrame(session.execute(stmt).all(), columns=columns)


def score_state(*, session: Session) -> str | None:
    """The version the stored scores were last brought up to date for (None: never)."""
    return session.scalar(select(ScoreState.version).where(ScoreState.id == STATE_ID))


def set_score_state(
    *, session: Session, version: str, at: datetime, scores: int, computed: int, seconds: float
) -> None:
    session.execute(delete(ScoreState))
    session.add(
        ScoreState(
            id=STATE_ID,
            version=version,
            refreshed_at=at,
            scores=scores,
            computed=computed,
            seconds=round(seconds, 2),
        )
    )


def stored_texts(*, session: Session) -> dict[tuple, str]:
    """Every stored score's text by (measure, level, area, month)."""
    rows = session.execute(select(*KEY, StoredScore.payload)).all()
    return {(m, lvl, a, as_date(d)): text for m, lvl, a, d, text in rows}
