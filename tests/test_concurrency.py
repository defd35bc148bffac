"""Many people at once, on SQLite and PostgreSQL: twenty readers reading what a page reads
while a load and dip-sample reviews are written, and the same file loaded twice at once.

Every reading must be the store before the load or after it, never between; no write may be
lost, doubled or refused because another was running.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from config import get_catalogue
from db.dipsamples import Population, cases
from db.engine import read_scope, session_scope
from db.models import Load
from db.models.dip import DipAnswer
from db.queries import monthly_values, store_summary
from db.store import init_store
from dipsampling import draw, record
from ingest import inspect
from ingest.load import load_plan
from tests.test_dipsampling import extract

READERS = 20
REVIEWERS = 3  # each answers its own cases of the one sample, at the same time as the load
CASES_EACH = 4
# Between one reader's page reads: twenty threads reading without a pause keep Python's one
# interpreter lock so busy that the writers crawl (a load of 0.04 s took 50 s), which no
# dashboard's visitors do; with it the readers still read some hundred times during the writes.
PAUSE = 0.02
RETURNS = "measure,month,area,value\n" + "".join(
    f"hotspot_patrol_hours,2025-0{m},{area},{100 + m}\n"
    for m in (1, 2)
    for area in ("Burnley", "Pendle", "Preston")
)


@dataclass(frozen=True)
class Reading:
    """What one page read saw: the summary's loads and figures, and the figures' total."""

    loads: int
    observations: int
    latest: date | None
    total: float


def read_page(engine) -> Reading:
    """The store summary and the force's monthly figures, read in one session as a page does."""
    with read_scope(engine) as session:
        summary = store_summary(session=session)
        figures = monthly_values(session=session, level="force")
    return Reading(
        summary.loads, summary.observations, summary.latest_month, round(figures["value"].sum(), 6)
    )


def load(engine, path: Path):
    catalogue = get_catalogue()
    plan = inspect(path, catalogue=catalogue)
    assert plan.ok, plan.messages()
    try:
        return load_plan(engine=engine, catalogue=catalogue, plan=plan, actor="tests")
    finally:
        plan.close()


@pytest.fixture
def sampled(store, tmp_path):
    """A store holding an incident extract and a drawn sample of 12 cases."""
    catalogue = get_catalogue()
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    load(store.engine, extract(tmp_path / "incidents.csv"))
    of = Population(
        date(2025, 1, 1), date(2025, 2, 1), tuple(d.ons_code for d in catalogue.geography.district)
    )
    with session_scope(store.engine) as session:
        drawn = draw(
            session=session,
            catalogue=catalogue,
            of=of,
            actor="tests",
            size=REVIEWERS * CASES_EACH,
            seed=7,
        )
    return store, drawn.sample_id


def review(engine, sample_id: int, reviewer: int) -> int:
    """Reviewer `reviewer` answers every question of its own cases, one case per transaction
    (as the Dip-sampling page saves a case)."""
    questions = list(get_catalogue().dipsampling.questions())
    first = reviewer * CASES_EACH + 1
    saved = 0
    for position in range(first, first + CASES_EACH):
        given = pd.DataFrame(
            {"position": position, "question": questions, "answer": "yes", "note": ""}
        )
        with session_scope(engine) as session:
            saved += len(record(session=session, actor=f"reviewer {reviewer}",
                                sample_id=sample_id, given=given))  # fmt: skip
    return saved


def test_readers_see_before_or_after_while_a_load_and_reviews_are_written(sampled, tmp_path):
    store, sample_id = sampled
    engine = store.engine
    returns = tmp_path / "returns.csv"
    returns.write_text(RETURNS)
    before = read_page(engine)
    start = threading.Barrier(READERS + 1 + REVIEWERS)
    writing = threading.Event()
    readings: list[Reading] = []
    errors: list[BaseException] = []
    loaded, saved = [], []

    def reader() -> None:
        start.wait()
        while True:
            finished = not writing.is_set()  # read once more after the writers end
            readings.append(read_page(engine))
            if finished:
                return
            time.sleep(PAUSE)

    def guarded(work):
        def run() -> None:
            try:
                work()
            except BaseException as error:  # reported below, with the others
                errors.append(error)

        return run

    def loader() -> None:
        start.wait()
        loaded.append(load(engine, returns))

    def reviewer(n: int):
        def run() -> None:
            start.wait()
            saved.append(review(engine, sample_id, n))

        return run

    writing.set()
    writers = [threading.Thread(target=guarded(loader))]
    writers += [threading.Thread(target=guarded(reviewer(n))) for n in range(REVIEWERS)]
    readers = [threading.Thread(target=guarded(reader)) for _ in range(READERS)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    writing.clear()
    for thread in readers:
        thread.join()

    assert errors == []
    after = read_page(engine)
    assert (before.loads, after.loads) == (1, 2)
    assert after.observations - before.observations == 6
    assert round(after.total - before.total, 6) == 101 * 3 + 102 * 3
    assert len(readings) >= READERS
    assert set(readings) <= {before, after}, set(readings) - {before, after}
    assert not loaded[0].already_loaded
    questions = len(get_catalogue().dipsampling.questions())
    assert sorted(saved) == [CASES_EACH * questions] * REVIEWERS
    with read_scope(engine) as session:
        answers = session.scalar(select(func.count()).select_from(DipAnswer))
        drawn = cases(session=session, sample_id=sample_id)
    assert answers == REVIEWERS * CASES_EACH * questions
    assert len(drawn) == REVIEWERS * CASES_EACH


def test_the_same_file_loaded_twice_at_once_is_stored_once(store, tmp_path):
    catalogue = get_catalogue()
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    path = tmp_path / "returns.csv"
    path.write_text(RETURNS)
    plans = [inspect(path, catalogue=catalogue) for _ in range(2)]
    together = threading.Barrier(2)
    results, errors = [], []

    def run(plan) -> None:
        together.wait()
        try:
            results.append(
                load_plan(engine=store.engine, catalogue=catalogue, plan=plan, actor="tests")
            )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for plan in plans:
        plan.close()
    assert errors == []
    assert sorted(r.already_loaded for r in results) == [False, True]
    assert results[0].load_id == results[1].load_id
    assert [r.message() for r in results if r.already_loaded] == [
        f"returns.csv: already loaded (load {results[0].load_id}, the same bytes); nothing changed."
    ]
    with read_scope(store.engine) as session:
        assert session.scalar(select(func.count()).select_from(Load)) == 1
        assert store_summary(session=session).observations == 6
