"""The exact attacker of tests/test_suppression.py against the demonstration's own public
summaries: every measure of every period `publicsummary.gather` can show on the demonstration
store, every count column the summary publishes (each `<column>_withheld` of the rows, so
that columns and periods added later are attacked too), all at once."""

from __future__ import annotations

import pandas as pd

from config import get_catalogue
from config.vocabulary import UNALLOCATED
from db.engine import read_scope
from metrics.suppression import WITHHELD
from publicsummary import gather
from tests.test_suppression import attack, narrow

CAT = get_catalogue()
FORCE = CAT.geography.force
PARENTS = {
    FORCE: None,
    UNALLOCATED: FORCE,
    **{d.name: FORCE for d in CAT.geography.division},
    **{d.name: d.division for d in CAT.geography.district},
}
FLAG = "_withheld"


def published(rows: pd.DataFrame) -> pd.DataFrame:
    """The counts as the public reads them: the number, "withheld", or blank (no figure)."""
    columns = [c.removesuffix(FLAG) for c in rows.columns if c.endswith(FLAG)]
    text = pd.DataFrame(index=rows.index)
    for column in columns:
        shown = rows[column].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
        text[column] = shown.mask(rows[column + FLAG].astype(bool), WITHHELD)
    return text


def test_no_withheld_figure_of_the_demonstration_summaries_can_be_narrowed(demo_sqlite):
    with read_scope(demo_sqlite.engine) as session:
        latest = gather(session=session)
        summaries = [gather(session=session, through=p.last) for p in latest.periods]
    assert len(summaries) >= 2
    attacked = withheld = 0
    for summary in summaries:
        for measure in summary.measures:
            text = published(measure.rows)
            assert len(text.columns) >= 2, measure.code  # both periods at least
            parents = {area: PARENTS[area] for area in text.index}
            ranges = attack(text, parents)
            assert narrow(ranges, summary.threshold) == [], (summary.period, measure.code)
            attacked += 1
            withheld += len(ranges)
    assert withheld > 0 and attacked == len(summaries) * len(CAT.public.measures)


def test_a_change_is_shown_only_beside_two_counts_shown(demo_sqlite):
    """The change column adds no equation over withheld figures (so the attacker above, on the
    count columns, has the whole table): it is a number only where both counts are shown."""
    with read_scope(demo_sqlite.engine) as session:
        summary = gather(session=session)
    for measure in summary.measures:
        rows = measure.rows
        flags = [f"{c}{FLAG}" for c in ("current", "previous") if f"{c}{FLAG}" in rows]
        if "change" in rows and flags:
            assert not (rows["change"].notna() & rows[flags].any(axis=1)).any(), measure.code
