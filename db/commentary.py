"""Commentary on measures (`db.models.comment`): written as versions, never updated in place.
Keyword-only functions taking a session; frames out, one row per version or per current
commentary.

Publication (issue 25): a version marked public awaits a second person's decision. Another
account than its writer approves it, confirming each finding of the check on its published
words (`metrics.publictext`: small numbers, names, addresses), or refuses it with a reason;
both are kept (`CommentaryDecision`, `db.commentapproval`) and audited. The public summary
reads only commentary whose current version is public and approved: a new version, even of
approved commentary, leaves the summary until it is approved in turn. Who may decide is for
`config.access` (`Can.APPROVE_PUBLICATION`), asked by the page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from config.text import clean_text
from db.loads import audit
from db.models.comment import CommentaryDecision, CommentaryVersion

COLUMNS = [
    "measure_code",
    "area",
    "month",
    "version",
    "what",
    "why",
    "actions",
    "owner",
    "due",
    "public",
    "written_by",
    "written_at",
    "is_demo",
]
DECISION_COLUMNS = ["decision", "decided_by", "decided_at", "reason", "checked"]
TEXT_FIELDS = ("what", "why", "actions", "owner", "due", "public")
APPROVED = "approved"  # the decision that lets the public summary show a version
MULTILINE_FIELDS = ("what", "why", "actions")  # paragraphs; the owner is one line


@dataclass(frozen=True)
class Text:
    """What a measure owner writes: what happened, why, the actions, who owns them and by when,
    and whether it may appear in the public summary's "You said, we did"."""

    what: str
    why: str = ""
    actions: str = ""
    owner: str = ""
    due: date | None = None
    public: bool = False


def cleaned(text: Text) -> Text:
    """`text` without control or direction-changing characters (`config.text.clean_text`), so
    what is stored reads as what every output shows (a right-to-left override could make a
    sentence read backwards)."""
    return replace(
        text,
        **{f: clean_text(getattr(text, f), multiline=True) for f in MULTILINE_FIELDS},
        owner=clean_text(text.owner),
    )


def _frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame([{c: getattr(r, c) for c in COLUMNS} for r in rows], columns=COLUMNS)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def write(
    *,
    session: Session,
    actor: str,
    measure_code: str,
    area: str,
    month: date,
    text: Text,
    is_demo: bool = False,
) -> int | None:
    """Store `text` as the next version of the commentary on `measure_code` in `area` for
    `month`, audited, cleaned (`cleaned`). Returns the version written, or None when it equals
    the current one."""
    text = cleaned(text)
    if not text.what:
        raise ValueError("Commentary needs at least what happened.")
    key = and_(
        CommentaryVersion.measure_code == measure_code,
        CommentaryVersion.area == area,
        CommentaryVersion.month == month,
    )
    latest = session.scalars(
        select(CommentaryVersion).where(key).order_by(CommentaryVersion.version.desc()).limit(1)
    ).first()
    if latest is not None and all(getattr(latest, f) == getattr(text, f) for f in TEXT_FIELDS):
        return None
    version = 1 if latest is None else latest.version + 1
    session.add(
        CommentaryVersion(
            measure_code=measure_code,
            area=area,
            month=month,
            version=version,
            **{f: getattr(text, f) for f in TEXT_FIELDS},
            written_by=actor,
            written_at=datetime.now().replace(microsecond=0),
            is_demo=is_demo,
        )
    )
    audit(
        session=session,
        actor=actor,
        action="commentary written",
        entity=f"{measure_code} / {area}",
        detail=f"{month:%Y-%m} version {version}",
    )
    return version


def current(
    *,
    session: Session,
    up_to: date | None = None,
    area: str | None = None,
    public_only: bool = False,
) -> pd.DataFrame:
    """The current (latest) version of every commentary, by measure, area and month (months up
    to `up_to`, of one `area`, or only public ones, when given)."""
    latest = (
        select(
            CommentaryVersion.measure_code,
            CommentaryVersion.area,
            CommentaryVersion.month,
            func.max(CommentaryVersion.version).label("version"),
        )
        .group_by(CommentaryVersion.measure_code, CommentaryVersion.area, CommentaryVersion.month)
        .subquery()
    )
    query = select(CommentaryVersion).join(
        latest,
        and_(
            CommentaryVersion.measure_code == latest.c.measure_code,
            CommentaryVersion.area == latest.c.area,
            CommentaryVersion.month == latest.c.month,
            CommentaryVersion.version == latest.c.version,
        ),
    )
    if up_to is not None:
        query = query.where(CommentaryVersion.month <= up_to)
    if area is not None:
        query = query.where(CommentaryVersion.area == area)
    if public_only:
        query = query.join(CommentaryDecision, _decision_of_version()).where(
            CommentaryVersion.public.is_(True), CommentaryDecision.decision == APPROVED
        )
    query = query.order_by(
        CommentaryVersion.measure_code, CommentaryVersion.area, CommentaryVersion.month
    )
    return _frame(session.scalars(query))


def _decision_of_version():
    return and_(
        CommentaryDecision.measure_code == CommentaryVersion.measure_code,
        CommentaryDecision.area == CommentaryVersion.area,
        CommentaryDecision.month == CommentaryVersion.month,
        CommentaryDecision.version == CommentaryVersion.version,
    )


def history(*, session: Session, measure_code: str, area: str, month: date) -> pd.DataFrame:
    """Every version of one commentary, newest first, with its decision (`DECISION_COLUMNS`:
    empty where none was taken)."""
    query = (
        select(CommentaryVersion, CommentaryDecision)
        .outerjoin(CommentaryDecision, _decision_of_version())
        .where(
            CommentaryVersion.measure_code == measure_code,
            CommentaryVersion.area == area,
            CommentaryVersion.month == month,
        )
        .order_by(CommentaryVersion.version.desc())
    )
    found = session.execute(query).all()
    frame = _frame(version for version, _ in found)
    for column in DECISION_COLUMNS:
        frame[column] = [getattr(d, column) if d else None for _, d in found]
    return frame
