"""Demonstration reviews of dip samples: answers and verdicts drawn at plausible rates, so the
dip-sampling pages show what a board would see. Not real reviews: they belong to the
demonstration load and are labelled as such wherever they are shown."""

from __future__ import annotations

import numpy as np
import pandas as pd

from config.dipsampling import Answer, DipSampling
from db.dipsamples import VERDICT

# The chance a case meets each standard, and the share of cases a question does not apply to
YES_RATE = {
    "category_correct": 0.94,
    "risk_assessed": 0.78,
    "repeat_identified": 0.86,
    "vulnerability_identified": 0.81,
    "contacted_in_time": 0.72,
    "case_review_info": 0.62,
    "problem_solving": 0.58,
    "closure_rationale": 0.88,
}
DEFAULT_RATE = 0.8  # a question configured later than this generator
NOT_APPLICABLE = {"case_review_info": 0.55, "problem_solving": 0.6}
VERDICT_SHARES = (0.68, 0.22, 0.08, 0.02)  # in the configured order of verdicts
NO_NOTES = ("not recorded on the incident log", "recorded, but late", "no evidence on file")


def generate_reviews(
    cases: pd.DataFrame, checklist: DipSampling, *, seed: int, better: float = 0.0
) -> pd.DataFrame:
    """An answer to every question and a verdict for every case (case_id, question, answer,
    note); `better` raises every rate (a later sample after the board's feedback)."""
    rng = np.random.default_rng(seed)
    rows = []
    verdicts = list(checklist.verdicts())
    shares = np.array(VERDICT_SHARES[: len(verdicts)], dtype=float)
    shares = shares / shares.sum()
    for case_id in cases["case_id"]:
        for question in checklist.questions():
            if rng.random() < NOT_APPLICABLE.get(question, 0.0):
                rows.append((case_id, question, Answer.NOT_APPLICABLE.value, None))
            elif rng.random() < min(YES_RATE.get(question, DEFAULT_RATE) + better, 0.99):
                rows.append((case_id, question, Answer.YES.value, None))
            else:
                rows.append((case_id, question, Answer.NO.value, str(rng.choice(NO_NOTES))))
        rows.append((case_id, VERDICT, str(rng.choice(verdicts, p=shares)), None))
    return pd.DataFrame(rows, columns=["case_id", "question", "answer", "note"])


# A few follow-up entries on the latest demonstration sample, so its Follow-up tab is not empty:
# (owner, action, days from today it is due, days ago it was closed or None, note)
FOLLOW_UPS = (
    ("Neighbourhood inspector", "Re-contact the victim and record the risk assessment", 14,
     None, None),
    ("Neighbourhood sergeant", "Brief the team on the 24-hour contact standard", -7, None,
     "Briefing slipped: rota change"),
    ("ASB coordinator", "Refer the case to the problem-solving meeting", -20, 3,
     "Referred and accepted"),
)  # fmt: skip


def seed_follow_ups(session, log: pd.DataFrame, *, actor: str, today) -> int:
    """Write FOLLOW_UPS to the first cases of a follow-up log (`dipsampling.followup`)."""
    from datetime import timedelta

    from db.followups import Entry, save

    for (owner, action, due, closed, note), case_id in zip(
        FOLLOW_UPS, log["case_id"], strict=False
    ):
        closed_on = None if closed is None else today - timedelta(days=closed)
        entry = Entry(
            owner=owner,
            action=action,
            due=today + timedelta(days=due),
            closed_on=closed_on,
            closed_by=None if closed_on is None else actor,
            note=note,
        )
        save(session=session, actor=actor, case_id=int(case_id), entry=entry)
    return min(len(FOLLOW_UPS), len(log))
