"""Issuing a public summary: what was published is kept, as published (`db.publications`).

Publishing (the page's "Publish this summary", for roles that may `Can.PUBLISH_SUMMARY`, or
`manage.py public --publish`) stores who, when, the period, the data version, the HTML and CSV
bytes exactly as issued and every figure shown (`publicsummary.revisions.shown`), and audits
it in the same transaction. The files handed out are the stored bytes, so a past summary can
be downloaded again byte for byte (`reissue`), and a later summary that shows the same half
years says which published figures were revised since.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from config import Catalogue
from db import publications
from db.publications import Issue
from present import public_wording as pw
from publicsummary import Summary, export, revisions
from publicsummary.periods import Period

PAGE, COMMAND = "page", "command"  # where a summary was published from


def what(summary: Summary) -> str:
    """The audit's words for a summary: its period, what it compares and how much it holds."""
    withheld = sum(m.withheld for m in summary.measures)
    compared = ", ".join(pw.period(p) for p in summary.compared[1:])
    demo = "; DEMONSTRATION data" if summary.is_demo else ""
    return (
        f"{pw.period(summary.period)} against {compared}; {len(summary.measures)} measures, "
        f"{withheld} figures withheld, {len(summary.revised)} revised since published{demo}"
    )


def publish(
    *,
    session: Session,
    summary: Summary,
    catalogue: Catalogue,
    actor: str,
    channel: str,
    today: date | None = None,
) -> Issue:
    """Keep `summary` as issued today and audit it; returns what was kept."""
    html = export.html(summary, catalogue, today=today or date.today())
    csv = export.csv(summary, catalogue)
    shown = revisions.shown(summary.measures, {*summary.trend, *summary.compared})
    issue = publications.record(
        session=session,
        actor=actor,
        channel=channel,
        period=(summary.period.first, summary.period.last),
        data_version=summary.version,
        threshold=summary.threshold,
        is_demo=summary.is_demo,
        html=html,
        csv=csv,
        figures=shown,
        detail=f"{channel}: {what(summary)}",
    )
    session.flush()
    return publications.get(session=session, issue=issue)


def reissue(*, session: Session, issue: int, actor: str, kind: str) -> bytes | None:
    """A past summary's file (`kind` html or csv) exactly as issued, audited; None if unknown."""
    found = publications.get(session=session, issue=issue)
    if found is None:
        return None
    publications.note(
        session=session, actor=actor, action=publications.REISSUED, detail=reissued(found, kind)
    )
    return found.html if kind == "html" else found.csv


def reissued(found: Issue, kind: str) -> str:
    """The audit's words for a past summary handed out again: "summary 2 (HTML), <period>"."""
    span = pw.period(Period(found.period_first, found.period_last))
    return f"summary {found.issue} ({kind.upper()}), {span}"
