"""The demonstration dataset: generated (`demo.asb`, `demo.monthly`) and written as one load
marked `is_demo`, so every page can say the figures are not real."""

from __future__ import annotations

import getpass
import hashlib
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from config import Catalogue
from config.vocabulary import Level
from db import aggregates, dipsamples
from db.derive import incident_counts, incident_observations
from db.dipsamples import Population
from db.engine import session_scope
from db.loads import audit, bulk_insert, record_load, remove_demo_data
from db.models import AsbIncident, Observation
from demo.asb import generate_incidents
from demo.commentary import write_demo_commentary
from demo.monthly import generate_monthly
from demo.reviews import generate_reviews, seed_follow_ups
from metrics.periods import shift_month

DEMO_VERSION = "2"  # change when the generator changes, so loads record which version made them


@dataclass(frozen=True)
class DemoResult:
    load_id: int
    incidents: int
    observations: int
    replaced_loads: int
    seconds: float


def load_demo(
    *, engine: Engine, catalogue: Catalogue, seed: int, actor: str | None = None
) -> DemoResult:
    """Replace any earlier demonstration data with the dataset for `seed`, in one transaction.
    Real loads are never touched."""
    started = time.perf_counter()
    actor = actor or getpass.getuser()
    incidents = generate_incidents(catalogue, seed)
    monthly = generate_monthly(catalogue, seed)
    with session_scope(engine) as session:
        replaced = remove_demo_data(session=session, actor=actor)
        load = record_load(
            session=session,
            source="demo",
            file_name=f"demonstration dataset (seed {seed})",
            file_hash=hashlib.sha256(f"demo:{DEMO_VERSION}:{seed}".encode()).hexdigest(),
            rows=len(incidents) + len(monthly),
            loaded_by=actor,
            is_demo=True,
            summary="Synthetic figures for demonstration: not real police data.",
        )
        bulk_insert(
            session=session, table=AsbIncident.__table__, frame=incidents.assign(load_id=load.id)
        )
        aggregates.add_load(session=session, load_id=load.id)
        derived = incident_observations(
            catalogue=catalogue,
            counts=incident_counts(session=session, load_id=load.id),
            load_id=load.id,
        )
        generated = monthly.rename(columns={"district_code": "area_code"}).assign(
            level=Level.DISTRICT, load_id=load.id
        )
        observations = bulk_insert(session=session, table=Observation.__table__, frame=derived)
        observations += bulk_insert(session=session, table=Observation.__table__, frame=generated)
        latest = incidents["month"].max()
        samples = _demo_samples(session, catalogue, seed, latest)
        notes = write_demo_commentary(
            session=session, catalogue=catalogue, latest=date(latest.year, latest.month, 1)
        )
        audit(
            session=session,
            actor=actor,
            action="demo loaded",
            entity="loads",
            detail=f"load {load.id}: seed {seed}, {len(incidents)} incidents, "
            f"{observations} observations, {samples} reviewed dip samples, {notes} commentary "
            f"versions; replaced {replaced} "
            "earlier demo load(s)",
        )
    return DemoResult(
        load.id, len(incidents), observations, replaced, round(time.perf_counter() - started, 1)
    )


def load_demo_if_empty(*, engine: Engine, catalogue: Catalogue, seed: int) -> DemoResult | None:
    """Load the demonstration dataset when the store holds no loads at all (first start of the
    dashboard on the embedded SQLite store). Returns None when the store already had data."""
    from db.store import summary

    if not summary(engine=engine).is_empty:
        return None
    return load_demo(engine=engine, catalogue=catalogue, seed=seed, actor="dashboard start-up")


DEMO_SAMPLE_MONTHS = 3  # each demonstration sample covers a quarter...
DEMO_SAMPLE_GAP = 6  # ...the latest one, and the one six months before
DEMO_REVIEWER = "demonstration panel"


def _demo_samples(session, catalogue: Catalogue, seed: int, latest) -> int:
    """Two reviewed dip samples of the demonstration incidents (the estimate design: enough
    cases in every district to read its compliance to the configured precision)."""
    from dipsampling import draw

    last = date(latest.year, latest.month, 1)
    districts = tuple(d.ons_code for d in catalogue.geography.district)
    for k, ends in enumerate((shift_month(last, -DEMO_SAMPLE_GAP), last)):
        drawn = draw(
            session=session,
            catalogue=catalogue,
            of=Population(shift_month(ends, 1 - DEMO_SAMPLE_MONTHS), ends, districts),
            actor=DEMO_REVIEWER,
            seed=seed + k,
            is_demo=True,
        )
        drawn_cases = dipsamples.cases(session=session, sample_id=drawn.sample_id)
        answers = generate_reviews(
            drawn_cases, catalogue.dipsampling, seed=seed + k, better=0.05 * k
        )
        dipsamples.save_answers(
            session=session, actor=DEMO_REVIEWER, sample_id=drawn.sample_id, given=answers
        )
    from dipsampling.followup import follow_up_log

    log = follow_up_log(session=session, catalogue=catalogue, sample_id=drawn.sample_id,
                        today=date.today())  # fmt: skip
    seed_follow_ups(session, log, actor=DEMO_REVIEWER, today=date.today())
    return 2
