"""Issued public summaries (`db.models.published`): recording one, listing them, reading one
back exactly as issued, and the figures they showed. The only SQL of publication; each record
is audited (`db.loads.audit`) with who, when and what, in the same transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.loads import audit
from db.models.published import Publication, PublishedFigure

PUBLISHED = "public summary published"
REISSUED = "public summary downloaded as issued"
WRITTEN = "public summary written"
LIST_COLUMNS = ["issue", "issued_at", "issued_by", "channel", "period_first", "period_last"]


@dataclass(frozen=True)
class Issue:
    """What a publication holds (`html`, `csv`: the bytes as issued)."""

    issue: int
    issued_at: datetime
    issued_by: str
    channel: str
    period_first: date
    period_last: date
    data_version: str
    threshold: int
    is_demo: bool
    html: bytes
    csv: bytes


def digest(html: bytes, csv: bytes) -> str:
    return hashlib.sha256(html + b"\0" + csv).hexdigest()


def record(
    *,
    session: Session,
    actor: str,
    channel: str,
    period: tuple[date, date],
    data_version: str,
    threshold: int,
    is_demo: bool,
    html: bytes,
    csv: bytes,
    figures: pd.DataFrame,
    detail: str,
) -> int:
    """Keep an issued summary and its figures (`figures`: measure, area, period_first,
    period_last, count (NaN withheld), withheld) and audit it; returns its number."""
    kept = Publication(
        issued_at=datetime.now().replace(microsecond=0),
        issued_by=actor,
        channel=channel,
        period_first=period[0],
        period_last=period[1],
        data_version=data_version,
        threshold=threshold,
        is_demo=is_demo,
        html=html,
        csv=csv,
        sha256=digest(html, csv),
    )
    session.add(kept)
    session.flush()
    session.add_all(
        PublishedFigure(
            publication_id=kept.id,
            measure=row.measure,
            area=row.area,
            period_first=row.period_first,
            period_last=row.period_last,
            count=None if row.withheld or pd.isna(row.count) else float(row.count),
            withheld=bool(row.withheld),
        )
        for row in figures.itertuples(index=False)
    )
    what = f"summary {kept.id}: {detail}; sha256 {kept.sha256[:12]}; data version {data_version}"
    audit(session=session, actor=actor, action=PUBLISHED, entity="public summary", detail=what)
    return kept.id


def issued(*, session: Session) -> pd.DataFrame:
    """Every publication, newest first (`LIST_COLUMNS`)."""
    rows = session.execute(
        select(
            Publication.id,
            Publication.issued_at,
            Publication.issued_by,
            Publication.channel,
            Publication.period_first,
            Publication.period_last,
        ).order_by(Publication.id.desc())
    ).all()
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def get(*, session: Session, issue: int) -> Issue | None:
    found = session.get(Publication, issue)
    if found is None:
        return None
    return Issue(
        issue=found.id,
        issued_at=found.issued_at,
        issued_by=found.issued_by,
        channel=found.channel,
        period_first=found.period_first,
        period_last=found.period_last,
        data_version=found.data_version,
        threshold=found.threshold,
        is_demo=found.is_demo,
        html=bytes(found.html),
        csv=bytes(found.csv),
    )


def figures(*, session: Session, firsts: list[date]) -> pd.DataFrame:
    """The figures published for half years starting in `firsts`: columns measure, area,
    period_first, period_last, count, withheld, issue, issued_at."""
    columns = ["measure", "area", "period_first", "period_last", "count", "withheld"]
    if not firsts:
        return pd.DataFrame(columns=[*columns, "issue", "issued_at"])
    rows = session.execute(
        select(
            *(getattr(PublishedFigure, c) for c in columns),
            Publication.id,
            Publication.issued_at,
        )
        .join(Publication, Publication.id == PublishedFigure.publication_id)
        .where(PublishedFigure.period_first.in_(sorted(set(firsts))))
        .order_by(Publication.id, PublishedFigure.id)
    ).all()
    return pd.DataFrame(rows, columns=[*columns, "issue", "issued_at"])


def note(*, session: Session, actor: str, action: str, detail: str) -> None:
    """Audit a summary written or downloaded again (no new publication)."""
    audit(session=session, actor=actor, action=action, entity="public summary", detail=detail)
