"""The second person's decision on public commentary (issue 25; the rule is in
`db.commentary`'s docstring): what awaits a decision, and the decision itself, kept and
audited. What the check finds in the words (`metrics.publictext`) is worked out by
`governance.approval`, which calls `decide` with the findings' labels: the store does no
checking of its own."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from config.text import clean_text
from db.commentary import APPROVED, current, history
from db.loads import audit
from db.models.comment import CommentaryDecision

PUBLISHED_FIELDS = ("what", "actions")  # what the public summary prints
REFUSED = "refused"
PUBLISHED, REFUSAL = "commentary published", "commentary refused"  # audit actions


def awaiting_approval(*, session: Session) -> pd.DataFrame:
    """Current versions marked public with no decision yet, oldest month first."""
    now = current(session=session)
    if now.empty:
        return now
    decided = session.execute(
        select(
            CommentaryDecision.measure_code,
            CommentaryDecision.area,
            CommentaryDecision.month,
            CommentaryDecision.version,
        )
    ).all()
    keys = {(m, a, mo, v) for m, a, mo, v in decided}
    rows = [
        (n.measure_code, n.area, n.month, n.version) not in keys and bool(n.public)
        for n in now.itertuples()
    ]
    return now[rows].sort_values(["month", "measure_code", "area"]).reset_index(drop=True)


def decide(
    *,
    session: Session,
    actor: str,
    measure_code: str,
    area: str,
    month: date,
    version: int,
    approve: bool,
    labels: Sequence[str],
    checked: Collection[str] = (),
    reason: str = "",
) -> None:
    """Approve or refuse `version` of a commentary as `actor`, recorded and audited. ValueError,
    with nothing recorded, when it is not the current version, not marked public or already
    decided; when `actor` wrote it; when approving with a finding of the check (`labels`: the
    labels of `governance.approval.findings` of the version) not in `checked`; or when
    refusing with no reason."""
    versions = history(session=session, measure_code=measure_code, area=area, month=month)
    if versions.empty or int(versions["version"].iloc[0]) != version:
        raise ValueError("Only the latest version of a commentary can be published or refused.")
    note = versions.iloc[0]
    if not note["public"]:
        raise ValueError("This version is not marked public: there is nothing to publish.")
    if isinstance(note["decision"], str):
        raise ValueError(f"This version was already {note['decision']} by {note['decided_by']}.")
    if clean_text(actor) == clean_text(note["written_by"]):
        raise ValueError("A second person must decide: the writer cannot publish their own.")
    reason = clean_text(reason, multiline=True)
    labels = list(labels)
    unchecked = [label for label in labels if label not in set(checked)]
    if approve and unchecked:
        raise ValueError(f"Confirm each finding has been checked: {'; '.join(unchecked)}.")
    if not approve and not reason:
        raise ValueError("Give the reason for refusing, for the writer to act on.")
    decision = APPROVED if approve else REFUSED
    session.add(
        CommentaryDecision(
            measure_code=measure_code,
            area=area,
            month=month,
            version=version,
            decision=decision,
            decided_by=actor,
            decided_at=datetime.now().replace(microsecond=0),
            reason=reason,
            checked="\n".join(labels if approve else ()),
        )
    )
    detail = f"{month:%Y-%m} version {version} written by {note['written_by']}"
    detail += f"; {len(labels)} finding(s) checked" if approve else f"; reason: {reason}"
    audit(
        session=session,
        actor=actor,
        action=PUBLISHED if approve else REFUSAL,
        entity=f"{measure_code} / {area}",
        detail=detail,
    )
