"""Scores computed once per data version, stored, and read by every page and command.

`refresh` brings the stored scores (`db.scores`) in line with the store: it works out the input
key of every measure x area x month wanted (`metrics.scoreset`), computes only the scores whose
key differs from the stored one, in parallel processes when there are many, and records the
version it brought them up to. Every command that changes data (`manage.py init`, `demo`,
`load`, `unload`) runs it; the dashboard runs it when a page finds the store's version newer
than the scores' (a load from another tool), and for a month nobody has asked for before.

Months stored: the latest month of data and the one before (the Overview's "since last
month"), and an earlier month someone asks for (a page, `status --as-of`) until the next
change of data, when it is dropped and computed again if asked for again. So the work after a
load is bounded: two months of scores, whatever was looked at before.
"""

from __future__ import annotations

import os
import sys
import time
import types
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from multiprocessing import get_context

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from config import get_settings
from config.areascope import EVERY_AREA, AreaScope
from config.loader import Catalogue
from config.vocabulary import Level
from db import scores as stored
from db.engine import read_scope, session_scope
from db.queries import LEVELS, data_version, monthly_values, store_summary
from metrics import codec, scoreset
from metrics.forecast import SEASONAL_MIN_MONTHS
from metrics.periods import shift_month

EAGER_MONTHS = 2  # the latest month of data and the one before, always computed
# Starting worker processes costs a few seconds (each imports pandas and statsmodels): worth it
# only for many scores of long series (those fit a seasonal forecasting model).
PARALLEL_FROM = 100
Progress = Callable[[int, int], object]  # (scores done, scores to compute); returns unused


@dataclass(frozen=True)
class Refresh:
    """What a refresh did."""

    version: str
    months: tuple[date, ...]  # the months scores are now stored for
    stored: int  # scores stored after it
    computed: int  # scores computed by it (the rest were still right)
    seconds: float


def store_version(*, session, catalogue: Catalogue) -> str:
    """The version scores must be brought up to: the data version and configuration digest."""
    return f"{data_version(session=session)}|{scoreset.catalogue_digest(catalogue)}"


def is_current(*, engine: Engine, catalogue: Catalogue, months: Iterable[date] = ()) -> bool:
    """Whether the stored scores are those of the store as it is now, for every month of
    `months` as well as the latest two (a few small queries: pages ask on every run)."""
    with read_scope(engine) as session:
        if stored.score_state(session=session) != store_version(
            session=session, catalogue=catalogue
        ):
            return False
        return set(months) <= set(stored.stored_months(session=session))


def refresh(
    *,
    engine: Engine,
    catalogue: Catalogue,
    months: Iterable[date] = (),
    progress: Progress | None = None,
    workers: int | None = None,
) -> Refresh:
    """Bring the stored scores up to date (see the module docstring), adding `months`."""
    try:
        return _refresh(engine, catalogue, set(months), progress, workers)
    except IntegrityError:  # another process stored the same scores meanwhile: check again
        return _refresh(engine, catalogue, set(months), progress, workers)


def _refresh(engine, catalogue, months, progress, workers) -> Refresh:
    started = time.perf_counter()
    with read_scope(engine) as session:  # the version and the figures of one snapshot
        version = store_version(session=session, catalogue=catalogue)
        wanted = _months(session, months)
        values = pd.concat(
            [monthly_values(session=session, level=level) for level in LEVELS],
            ignore_index=True,
        )
        before = stored.stored_keys(session=session)
    keys = scoreset.input_keys(values, catalogue=catalogue, months=sorted(wanted))
    merged = keys.merge(before, on=stored.KEY_COLUMNS, how="left", suffixes=("", "_stored"))
    todo = merged[merged["key"] != merged["key_stored"]]
    same = merged["key"] == merged["key_stored"]
    moved = merged[same & (merged["has_data"] != merged["has_data_stored"])]
    computed = compute_keyed(todo, values, catalogue, progress, workers)
    now = datetime.now()
    with session_scope(engine) as session:
        stored.delete_months(session=session, keep=wanted)
        stored.write_scores(session=session, rows=(asdict(c) for c in computed), at=now)
        stored.update_has_data(session=session, rows=moved.to_dict("records"))
        seconds = time.perf_counter() - started
        total = len(keys)
        stored.set_score_state(
            session=session,
            version=version,
            at=now,
            scores=total,
            computed=len(computed),
            seconds=seconds,
        )
    from scoring.trackrecord import refresh_track_record

    refresh_track_record(engine=engine, catalogue=catalogue, version=version)
    return Refresh(version, tuple(sorted(wanted)), total, len(computed), round(seconds, 2))


def _months(session, asked: set[date]) -> set[date]:
    latest = store_summary(session=session).latest_month
    if latest is None:
        return set()
    wanted = asked | {shift_month(latest, -i) for i in range(EAGER_MONTHS)}
    return {m for m in wanted if m <= latest}


def compute_keyed(
    keys: pd.DataFrame,
    values: pd.DataFrame,
    catalogue: Catalogue,
    progress: Progress | None,
    workers: int | None,
) -> list[scoreset.Computed]:
    """The score of every row of `keys` (measure, level, area, as_of, key): each distinct key
    computed once (areas with the same inputs share one score), from the monthly `values`."""
    unique = keys.drop_duplicates("key")
    found = _compute(_tasks(unique, values), catalogue, _key_lookup(unique), progress, workers)
    by_key = {c.key: c for c in found}
    return [
        replace(by_key[row.key], measure=row.measure, level=row.level, area=row.area)
        for row in keys.itertuples()
    ]


def _tasks(todo: pd.DataFrame, values: pd.DataFrame) -> list[scoreset.Task]:
    by_area = {k: g for k, g in values.groupby(["measure", "area"], sort=False)}
    empty = values.iloc[0:0]
    force = values[values["level"] == Level.FORCE]
    force_by_measure = {k: g for k, g in force.groupby("measure", sort=False)}
    tasks = []
    for (measure, level, area), group in todo.groupby(["measure", "level", "area"], sort=False):
        tasks.append(
            scoreset.Task(
                measure=measure,
                level=level,
                area=area,
                months=tuple(sorted(group["as_of"])),
                frame=by_area.get((measure, area), empty),
                force=force_by_measure.get(measure, empty),
            )
        )
    return tasks


def _key_lookup(todo: pd.DataFrame) -> dict[tuple[str, str], dict[date, str]]:
    lookup: dict[tuple[str, str], dict[date, str]] = {}
    for row in todo.itertuples():
        lookup.setdefault((row.measure, row.area), {})[row.as_of] = row.key
    return lookup


def _compute(tasks, catalogue, keys, progress, workers) -> list[scoreset.Computed]:
    total = sum(len(t.months) for t in tasks)
    done: list[scoreset.Computed] = []
    if progress:
        progress(0, total)
    workers = workers or get_settings().SCORE_WORKERS or os.cpu_count() or 1
    heavy = sum(len(t.months) for t in tasks if len(t.frame) >= SEASONAL_MIN_MONTHS)
    if workers <= 1 or heavy < PARALLEL_FROM:
        for task in tasks:
            done += scoreset.compute(task, catalogue, keys[(task.measure, task.area)])
            if progress:
                progress(len(done), total)
        return done
    with ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=_context(),
        initializer=_start_worker,
        initargs=(catalogue,),
    ) as pool:
        with _one_thread_each(), _no_main_script():  # the workers start at the first submits
            futures = [pool.submit(_work, t, keys[(t.measure, t.area)]) for t in tasks]
        for future in as_completed(futures):
            done += future.result()
            if progress:
                progress(len(done), total)
    return done


# Linear algebra libraries start a thread per CPU in every process: with a process per CPU as
# well, the threads fight over the cores (four times slower on two). Workers get one each.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _one_thread_each():
    """Start worker processes with one linear-algebra thread each (they copy the environment
    when they start); the calling process's own environment is put back afterwards."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update({name: "1" for name in THREAD_VARIABLES})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _no_main_script():
    """Start worker processes without the caller's main script. A new process runs the main
    module's file again before its work (multiprocessing's `spawn.prepare`); under Streamlit
    or AppTest that is app.py, whose start-up would open and migrate the store from every
    worker at once. While workers start (at the first submissions), `__main__` is an empty
    module; the caller's is put back afterwards."""
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved


def _context():
    """Workers forked from a fork server that imports nothing of its own: never forked from a
    server's threads (see `_no_main_script` for what a worker imports)."""
    context = get_context("forkserver")
    context.set_forkserver_preload([])
    return context


_WORKER_CATALOGUE: Catalogue | None = None


def _start_worker(catalogue: Catalogue) -> None:
    global _WORKER_CATALOGUE
    _WORKER_CATALOGUE = catalogue


def _work(task: scoreset.Task, keys: dict[date, str]) -> list[scoreset.Computed]:
    assert _WORKER_CATALOGUE is not None
    return scoreset.compute(task, _WORKER_CATALOGUE, keys)


def read(
    *,
    session,
    as_of: date,
    level: str | None = None,
    area: str | None = None,
    measure: str | None = None,
    scope: AreaScope = EVERY_AREA,
) -> pd.DataFrame:
    """Stored scores at `as_of` (of one level, area or measure when given, of the areas
    `scope` may see), decoded. Columns: measure, level, area, has_data, status, probability,
    score (a `metrics.scorecard.Score`)."""
    frame = stored.read_scores(
        session=session, as_of=as_of, level=level, area=area, measure=measure, scope=scope
    )
    frame["score"] = [codec.decode(text) for text in frame["payload"]]
    return frame.drop(columns=["payload"])
