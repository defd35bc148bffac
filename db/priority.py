"""Which of several loads of the same figure the dashboard shows.

For each measure and month, the highest-priority source with any figure wins (the order of the
measure's `sources` in config/measures.toml); within that source, for each area and breakdown,
the newest load wins, so a corrected file replaces the earlier figures and undoing it brings
them back. The outcome is stored in `observations.shown` (and `asb_incidents.shown`, where the
newest incident load of each month wins) so that reads stay simple and fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from config import Catalogue
from config.vocabulary import FileKind
from db.models import AsbIncident, IncidentMonth, Load, Observation

LOWEST = 99  # the rank of a source a measure does not list (the demonstration data)
KEY = ("measure_code", "level", "area_code", "month", "breakdown")


def source_rank(
    catalogue: Catalogue, measure: ColumnElement, source: ColumnElement
) -> ColumnElement:
    """SQL for a source's rank for a measure: 0 for the measure's first source, and so on."""
    whens = [
        (and_(measure == m.code, source == s), rank)
        for m in catalogue.measures.measure
        for rank, s in enumerate(m.sources)
    ]
    return case(*whens, else_=LOWEST)


def rank_of(catalogue: Catalogue, measure: str, source: str) -> int:
    sources = catalogue.measure(measure).sources
    return sources.index(FileKind(source)) if source in sources else LOWEST


def refresh_shown(*, session: Session, catalogue: Catalogue, measures: Iterable[str]) -> None:
    """Recompute `shown` for every observation of `measures` (two statements in the database)."""
    codes = sorted(set(measures))
    if not codes:
        return
    rank = source_rank(catalogue, Observation.measure_code, Load.source)
    key = [getattr(Observation, c) for c in KEY]
    ranked = (
        select(
            Observation.id,
            rank.label("rank"),
            func.min(rank)
            .over(partition_by=[Observation.measure_code, Observation.month])
            .label("best"),
            func.row_number()
            .over(partition_by=[*key, rank], order_by=Observation.load_id.desc())
            .label("newest"),
        )
        .join(Load, Load.id == Observation.load_id)
        .where(Observation.measure_code.in_(codes))
        .subquery()
    )
    winners = select(ranked.c.id).where(ranked.c.newest == 1, ranked.c.rank == ranked.c.best)
    session.execute(
        update(Observation)
        .where(Observation.measure_code.in_(codes))
        .values(shown=Observation.id.in_(winners)),
        execution_options={"synchronize_session": False},
    )


def refresh_incidents_shown(*, session: Session, months: Iterable[date]) -> None:
    """For each month, show the incident records of the newest load that has any and hide
    the other loads' (the loads of a month are found in the maintained `incident_months`;
    each update reads one load's rows of one month by index, and writes only rows whose flag
    changes)."""
    months = sorted(set(months))
    if not months:
        return
    loads: dict[date, list[int]] = {}
    for month, load_id in session.execute(
        select(IncidentMonth.month, IncidentMonth.load_id).where(IncidentMonth.month.in_(months))
    ):
        loads.setdefault(month, []).append(load_id)
    for month, held in loads.items():
        newest = max(held)
        for load_id in held:
            shown = load_id == newest
            session.execute(
                update(AsbIncident)
                .where(
                    AsbIncident.load_id == load_id,
                    AsbIncident.month == month,
                    AsbIncident.shown != shown,
                )
                .values(shown=shown),
                execution_options={"synchronize_session": False},
            )


def differ(old: ColumnElement, new: ColumnElement) -> ColumnElement:
    """SQL: two figures differ (by more than rounding), an empty figure (a percentage of
    nothing) differing from any number."""
    return or_(
        and_(old.is_(None), new.is_not(None)),
        and_(old.is_not(None), new.is_(None)),
        func.abs(old - new) > 1e-9,
    )


def replaced_by(*, session: Session, catalogue: Catalogue, load_id: int, source: str) -> dict:
    """Before `refresh_shown`: the figures now shown that a new load's own figures will replace,
    per earlier load: {load_id: (figures, figures whose value changes)}."""
    old = aliased(Observation)
    new = aliased(Observation)
    rows = session.execute(
        select(
            old.load_id,
            Load.source,
            old.measure_code,
            func.count(),
            func.sum(case((differ(old.value, new.value), 1), else_=0)),
        )
        .select_from(new)
        .join(old, and_(*(getattr(old, c) == getattr(new, c) for c in KEY)))
        .join(Load, Load.id == old.load_id)
        .where(new.load_id == load_id, old.load_id != load_id, old.shown.is_(True))
        .group_by(old.load_id, Load.source, old.measure_code)
    ).all()
    replaced: dict[int, tuple[int, int]] = {}
    for earlier, earlier_source, measure, figures, changed in rows:
        if rank_of(catalogue, measure, source) <= rank_of(catalogue, measure, earlier_source):
            total, different = replaced.get(earlier, (0, 0))
            replaced[earlier] = (total + figures, different + (changed or 0))
    return replaced
