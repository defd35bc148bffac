"""Since the last meeting: status moves, new special causes, data loaded, months republished,
dip-sample activity and each commentary version written after the previous meeting date in
the pack's area or an area inside it (what, measure, area, by, when: a list, not a count).
Statuses at the previous meeting's month are read as the data now stand (revisions included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pandas as pd
from sqlalchemy.orm import Session

import governance
import scoring
from config import Catalogue
from config.models import Status
from config.vocabulary import PointType
from db import since
from present import wording as w

SPECIAL = {
    PointType.IMPROVEMENT: "improvement",
    PointType.CONCERN: "concern",
    PointType.NEUTRAL: "neither good nor bad",
}


@dataclass(frozen=True)
class Changes:
    previous: date
    previous_month: date
    moves: pd.DataFrame  # Measure, Area, Then, Now, level, better (a move up the Status list)
    special_causes: pd.DataFrame  # Measure, Month, Special cause
    loads: pd.DataFrame  # as db.since.loads
    revisions: pd.DataFrame  # as db.since.revisions
    dip: pd.DataFrame  # as db.since.dip_activity
    commentary: pd.DataFrame  # as db.since.commentary_versions, of the areas within

    @property
    def nothing(self) -> bool:
        frames = (self.moves, self.special_causes, self.loads, self.revisions, self.dip)
        return all(f.empty for f in (*frames, self.commentary))


def since_meeting(
    *,
    session: Session,
    catalogue: Catalogue,
    area: str,
    previous: date,
    previous_month: date,
    as_of: date,
) -> Changes:
    after = datetime.combine(previous, time.max)  # everything after the meeting day
    return Changes(
        previous=previous,
        previous_month=previous_month,
        moves=_moves(session, catalogue, area, previous_month, as_of),
        special_causes=_special_causes(session, catalogue, area, previous_month, as_of),
        loads=since.loads(session=session, after=after),
        revisions=since.revisions(session=session, after=after),
        dip=since.dip_activity(session=session, after=after),
        commentary=_commentary(session, catalogue, area, after),
    )


def _moves(session, catalogue, area, then: date, now: date) -> pd.DataFrame:
    """Status moves in `area` and the areas inside it, from `then` to `now`."""
    within = governance.areas_within(catalogue, area)
    before = scoring.read(session=session, as_of=then)
    after = scoring.read(session=session, as_of=now)
    both = after.merge(before, on=["measure", "area"], suffixes=("", "_then"))
    both = both[both["area"].isin(within) & (both["status"] != both["status_then"])]
    both = both[both["has_data"] | both["has_data_then"]]
    order = {a: i for i, a in enumerate(catalogue.area_names())}
    measures = {m.code: i for i, m in enumerate(catalogue.measures.measure)}
    both = both.assign(_a=both["area"].map(order), _m=both["measure"].map(measures))
    both = both.sort_values(["_a", "_m"])
    worst = {s.value: i for i, s in enumerate(Status)}  # Status lists the worst first
    return pd.DataFrame(
        {
            "Measure": [catalogue.measure(c).title for c in both["measure"]],
            "Area": both["area"],
            "Then": [w.status_label(Status(s)) for s in both["status_then"]],
            "Now": [w.status_label(Status(s)) for s in both["status"]],
            "level": [catalogue.area_level(a) for a in both["area"]],
            "better": [
                worst[now] > worst[then]
                for now, then in zip(both["status"], both["status_then"], strict=True)
            ],
        }
    )


def _special_causes(session, catalogue, area, then: date, now: date) -> pd.DataFrame:
    """Months after `then` up to `now` that the SPC chart of `area` marks as special causes."""
    rows = []
    for measure, score in zip(*_scores(session, area, now), strict=True):
        frame = score.spc.frame
        later = frame[(frame.index > pd.Timestamp(then)) & frame["point_type"].isin(SPECIAL)]
        for month, kind in later["point_type"].items():
            rows.append((catalogue.measure(measure).title, w.month(month), SPECIAL[kind]))
    return pd.DataFrame(rows, columns=["Measure", "Month", "Special cause"])


def _scores(session, area, as_of):
    found = scoring.read(session=session, as_of=as_of, area=area)
    found = found[found["has_data"]]
    return list(found["measure"]), list(found["score"])


def _commentary(session, catalogue, area, after: datetime) -> pd.DataFrame:
    written = since.commentary_versions(session=session, after=after)
    written = written[written["area"].isin(governance.areas_within(catalogue, area))]
    return written.assign(measure=[catalogue.measure(c).title for c in written["measure_code"]])
