"""Keep the reference tables (geography, operations, measures, targets) in step with `config/`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Catalogue
from db.loads import audit
from db.models import AuditEntry, District, Division, Measure, MeasureOperation, Operation, Target


def sync_reference(*, session: Session, catalogue: Catalogue, actor: str) -> int:
    """Insert or update every reference row from configuration. A target that differs from the
    one in force is superseded (kept, with when it ended) and the new one recorded with who set
    it. Returns the number of targets changed; running it twice changes nothing."""
    geo = catalogue.geography
    source = next(s for s in geo.population_sources if s.key == geo.population_for_rates)
    for division in geo.division:
        session.merge(Division(name=division.name))
    session.flush()
    for d in geo.district:
        session.merge(
            District(
                ons_code=d.ons_code,
                name=d.name,
                division=d.division,
                hotspot=d.hotspot,
                population=geo.population(d),
                population_source=f"{source.publisher}: {source.title}",
            )
        )
    for op in catalogue.operations.operation:
        session.merge(Operation(code=op.code, name=op.name, specific=op.specific))
    for m in catalogue.measures.measure:
        session.merge(
            Measure(
                code=m.code,
                title=m.title,
                unit=m.unit,
                good_direction=m.good_direction,
                aggregation=m.aggregation,
            )
        )
    session.flush()
    for m in catalogue.measures.measure:
        for op in m.operations:
            session.merge(MeasureOperation(measure_code=m.code, operation_code=op))
    _audit_recalculations(session=session, catalogue=catalogue, actor=actor)
    return _sync_targets(session=session, catalogue=catalogue, actor=actor)


RECALCULATIONS_SET = "recalculation points set"


def _audit_recalculations(*, session: Session, catalogue: Catalogue, actor: str) -> None:
    """Audit the recalculation points (config/signals.toml) when they differ from those the
    audit log last recorded: they live in configuration, so the log is their history."""
    points = "; ".join(
        f"{r.measure} in {r.area or 'every area'} from {r.month}: {r.reason}"
        for r in sorted(catalogue.signals.recalculation, key=lambda r: (r.measure, r.month))
    )
    detail = points or "none"
    last = session.scalar(
        select(AuditEntry.detail)
        .where(AuditEntry.action == RECALCULATIONS_SET)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if last != detail:
        audit(
            session=session,
            actor=actor,
            action=RECALCULATIONS_SET,
            entity="signals",
            detail=detail,
        )


def _sync_targets(*, session: Session, catalogue: Catalogue, actor: str) -> int:
    now = datetime.now().replace(microsecond=0)
    current = {
        (t.measure_code, t.area): t
        for t in session.scalars(select(Target).where(Target.superseded_at.is_(None)))
    }
    changed = 0
    for t in catalogue.targets.target:
        wanted = (t.kind, t.value, t.period.first, t.period.last, t.rationale, t.set_by)
        old = current.get((t.measure, t.area))
        if old is not None:
            if (
                old.kind,
                old.value,
                old.period_start,
                old.period_end,
                old.rationale,
                old.set_by,
            ) == wanted:
                continue
            old.superseded_at = now
        session.add(
            Target(
                measure_code=t.measure,
                area=t.area,
                kind=t.kind,
                value=t.value,
                period_start=t.period.first,
                period_end=t.period.last,
                rationale=t.rationale,
                set_by=t.set_by,
                set_at=now,
            )
        )
        audit(
            session=session,
            actor=actor,
            action="target set",
            entity=t.measure,
            detail=f"{t.area}: {t.kind} {'' if t.value is None else t.value} ({t.set_by})",
        )
        changed += 1
    return changed
