"""Public commentary's second-person decision, with the check of its words (issue 25): what
the check (`metrics.publictext`) finds in the words the public summary prints
(`db.commentapproval.PUBLISHED_FIELDS`), and the decision, which the store records only when
every finding has been confirmed as checked (`db.commentapproval.decide`). The check lives in
`metrics`, the record in `db`; this joins them, so the store never calls a calculation."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from db import commentapproval
from db.commentary import history
from metrics.publictext import Finding, check


def findings(
    note: pd.Series | dict, *, threshold: int, known: frozenset[str]
) -> tuple[Finding, ...]:
    """What the check finds in the published words of one version (`PUBLISHED_FIELDS`)."""
    fields = commentapproval.PUBLISHED_FIELDS
    return check({f: note[f] or "" for f in fields}, threshold=threshold, known=known)


def decide(
    *,
    session: Session,
    actor: str,
    measure_code: str,
    area: str,
    month: date,
    version: int,
    approve: bool,
    threshold: int,
    known: frozenset[str],
    checked: Collection[str] = (),
    reason: str = "",
) -> None:
    """Approve or refuse `version` of a commentary as `actor` (`db.commentapproval.decide`:
    ValueError, nothing recorded, on any refusal), with the findings of the check of the
    current version's words."""
    versions = history(session=session, measure_code=measure_code, area=area, month=month)
    latest = versions.iloc[0] if not versions.empty else None
    found = () if latest is None else findings(latest, threshold=threshold, known=known)
    commentapproval.decide(
        session=session,
        actor=actor,
        measure_code=measure_code,
        area=area,
        month=month,
        version=version,
        approve=approve,
        labels=[f.label for f in found],
        checked=checked,
        reason=reason,
    )
