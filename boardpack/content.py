"""What a board pack holds, gathered from the store (`Pack`): no drawing here, and nothing
computed that the pages do not also show. `build` reads the stored scores (brought up to date
for the months it needs first) and returns frames and words. The monthly figures hold every
level inside the pack's area (the force, its divisions and districts); the actions log holds
the actions open at the meeting and those closed since the last one (`db.actions`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

import governance
import scoring
from boardpack import changes as changes_since
from boardpack import figures, sections
from config import Catalogue
from config.areascope import EVERY_AREA, AreaScope
from db import actions, since
from db.engine import read_scope
from db.queries import StoreSummary, export_values, store_summary
from metrics import periods
from metrics.tables import overview
from present import measure_table

Progress = Callable[[float, str], object]  # what it returns is not used


@dataclass(frozen=True)
class Pack:
    """Everything one pack prints. Frames are as shown (words), except `monthly` and
    `summary_raw` (numbers, for the workbook)."""

    meeting: date
    area: str
    level: str
    as_of: date  # the latest month of data before the meeting
    previous: date | None  # the last meeting, when given
    store: StoreSummary
    summary: pd.DataFrame
    summary_raw: pd.DataFrame
    summary_typed: pd.DataFrame  # the summary as numbers (figures.summary_typed)
    operations: tuple[sections.Operation, ...]
    exceptions: pd.DataFrame
    league: pd.DataFrame
    league_typed: pd.DataFrame  # the league as numbers, a row per measure and district
    actions: pd.DataFrame  # db.actions.at_meeting: open at the meeting, closed since the last
    dip: sections.DipResults | None
    changes: changes_since.Changes | None
    definitions: pd.DataFrame
    track_record: pd.DataFrame  # how often the forecast's chance came true, per measure
    monthly: pd.DataFrame
    area_levels: tuple[tuple[str, str], ...]  # (area, level) of every area
    sources: tuple[str, ...] = ()  # the kinds of file the data came from (db.since.sources)

    @property
    def is_demo(self) -> bool:
        return self.store.has_demo

    @property
    def levels(self) -> dict[str, str]:
        """The level of every area (force, division, district)."""
        return dict(self.area_levels)

    @property
    def period(self) -> str:
        return f"12 months to {self.as_of:%B %Y}"


def pack_month(meeting: date, store: StoreSummary) -> date:
    """The month a pack for `meeting` reports: the latest month of data that ended before the
    meeting's month began (a meeting on 25 November reads October at the latest)."""
    if store.latest_month is None:
        raise ValueError("The store holds no data: load data before making a board pack.")
    before = periods.shift_month(date(meeting.year, meeting.month, 1), -1)
    as_of = min(store.latest_month, before)
    if store.first_month and as_of < store.first_month:
        raise ValueError(
            f"The store's data begin in {store.first_month:%B %Y}, after the meeting of "
            f"{meeting:%d %B %Y}: no month to report."
        )
    return as_of


def build(
    *,
    engine: Engine,
    catalogue: Catalogue,
    meeting: date,
    area: str,
    previous: date | None = None,
    progress: Progress = lambda _share, _text: None,
    scope: AreaScope = EVERY_AREA,
) -> Pack:
    """Gather a pack for `meeting` and `area` (and what changed since the `previous` meeting)
    of the areas `scope` may see (`config.areascope`): a limited account's pack holds only its
    areas, and it may not make one of an area it may not see."""
    if area not in scope.keep(catalogue.area_names()):
        known = ", ".join(scope.keep(catalogue.area_names()))
        raise ValueError(f"{area!r} is not an area you may see: one of {known}")
    with read_scope(engine) as session:
        store = store_summary(session=session)
    as_of = pack_month(meeting, store)
    months = set(governance.scored_months(as_of))
    if previous is not None:
        months.add(pack_month(previous, store))
    progress(0.05, "Bringing the stored scores up to date")
    scoring.refresh(engine=engine, catalogue=catalogue, months=months)
    level = catalogue.area_level(area)
    with read_scope(engine) as session:
        now = scoring.read(session=session, as_of=as_of, area=area, scope=scope)
        before = scoring.read(
            session=session, as_of=periods.shift_month(as_of, -1), area=area, scope=scope
        )
        rows = overview(_by_measure(now), _by_measure(before), catalogue)
        progress(0.15, "Reading each operation's measures")
        operations = sections.operations(
            session=session,
            catalogue=catalogue,
            area=area,
            rows=rows,
            progress=progress,
            scope=scope,
        )
        progress(0.8, "Exceptions, districts and dip samples")
        within = scope.keep(governance.areas_within(catalogue, area))
        found = governance.exceptions(
            session=session, catalogue=catalogue, as_of=as_of, areas=within
        )
        pack = Pack(
            meeting=meeting,
            area=area,
            level=level,
            as_of=as_of,
            previous=previous,
            store=store,
            summary=figures.summary_shown(rows, catalogue),
            summary_raw=measure_table.raw(rows),
            summary_typed=figures.summary_typed(rows, catalogue),
            operations=operations,
            exceptions=sections.exceptions_table(found, catalogue),
            league=sections.league(
                session=session, catalogue=catalogue, area=area, as_of=as_of, scope=scope
            ),
            league_typed=figures.league_typed(
                session=session, catalogue=catalogue, area=area, as_of=as_of, scope=scope
            ),
            actions=_titled(
                actions.at_meeting(
                    actions.listed(session=session, areas=within), meeting, previous
                ),
                catalogue,
            ),
            dip=sections.dip_results(session=session, catalogue=catalogue, area=area, scope=scope),
            changes=None
            if previous is None
            else changes_since.since_meeting(
                session=session,
                catalogue=catalogue,
                area=area,
                previous=previous,
                previous_month=pack_month(previous, store),
                as_of=as_of,
            ),
            definitions=sections.definitions(catalogue),
            track_record=sections.track_record(session=session, catalogue=catalogue, scope=scope),
            monthly=export_values(
                session=session, catalogue=catalogue, areas=within, end=as_of, scope=scope
            ),
            area_levels=tuple((a, catalogue.area_level(a)) for a in catalogue.area_names()),
            sources=tuple(since.sources(session=session)),
        )
    progress(0.9, "Pack gathered")
    return pack


def _by_measure(scores: pd.DataFrame) -> dict:
    return dict(zip(scores["measure"], scores["score"], strict=True))


def _titled(frame: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """`frame` with each measure code's title as `measure` (empty where there is none)."""
    titles = {m.code: m.title for m in catalogue.measures.measure}
    return frame.assign(measure=[titles.get(c, "") if c else "" for c in frame["measure_code"]])
