"""`manage.py check`: every maintained aggregate and every stored score recomputed from the
records and compared with what is stored. A difference means a write path forgot to keep
something in step; it is listed in words (and the command exits 1)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from config.loader import Catalogue
from db import aggregates
from db import scores as stored
from db.engine import read_scope
from db.queries import LEVELS, monthly_values
from metrics import scoreset
from scoring import Progress, compute_keyed, store_version

SHOWN_DIFFERENCES = 5  # differences named one by one; the rest are counted


@dataclass(frozen=True)
class Checked:
    scores: int  # stored scores recomputed
    months: tuple  # the months they are stored for
    problems: tuple[str, ...]  # every difference found, in words


def check(*, engine: Engine, catalogue: Catalogue, progress: Progress | None = None) -> Checked:
    """Recount the incident aggregates and recompute every stored score (see the module
    docstring)."""
    with read_scope(engine) as session:  # one snapshot: the records and scores agree
        problems = aggregates.recount(session=session)
        state = stored.score_state(session=session)
        version = store_version(session=session, catalogue=catalogue)
        months = stored.stored_months(session=session)
        values = pd.concat(
            [monthly_values(session=session, level=level) for level in LEVELS],
            ignore_index=True,
        )
        kept = stored.stored_keys(session=session)
        texts = stored.stored_texts(session=session)
    if state != version:
        problems.append(
            "the stored scores are not those of the store as it is now (computed for version "
            f"{state}, the store is at {version}): open the dashboard or run a load to bring "
            "them up to date"
        )
    fresh = scoreset.input_keys(values, catalogue=catalogue, months=months)
    computed = compute_keyed(fresh, values, catalogue, progress, None)
    problems += _compare(fresh, kept, computed, texts)
    return Checked(len(kept), tuple(months), tuple(problems))


def _compare(fresh, kept, computed, texts) -> list[str]:
    both = fresh.merge(kept, on=stored.KEY_COLUMNS, how="outer", suffixes=("", "_kept"))
    found = []
    missing = both[both["key_kept"].isna()]
    extra = both[both["key"].isna()]
    stale = both[both["key"].notna() & both["key_kept"].notna() & (both["key"] != both["key_kept"])]
    for label, frame in (
        ("missing (not stored)", missing),
        ("stored for nothing the store holds", extra),
        ("computed from other inputs than the store now holds", stale),
    ):
        if len(frame):
            found.append(f"{len(frame):,} score(s) {label}: {_named(frame)}")
    differ = [
        c
        for c in computed
        if texts.get((c.measure, c.level, c.area, c.as_of)) not in (None, c.text)
    ]
    if differ:
        frame = pd.DataFrame([vars(c) for c in differ])
        found.append(
            f"{len(differ):,} stored score(s) differ from a fresh computation: {_named(frame)}"
        )
    return found


def _named(frame: pd.DataFrame) -> str:
    names = [
        f"{r.measure} {r.area} {r.as_of:%Y-%m}" for r in frame.head(SHOWN_DIFFERENCES).itertuples()
    ]
    more = len(frame) - len(names)
    return "; ".join(names) + (f" and {more:,} more" if more > 0 else "")
