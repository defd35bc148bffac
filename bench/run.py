"""Benchmark: a store of N synthetic ASB incidents over 10 years and 14 districts, built through
the product's own load path, and what every page reads from it.

    python bench/run.py --rows N [--backends sqlite,postgresql] [--pg-url URL] [--seed 7]

Each result is one JSON line on standard output:

- `load`: the incident extract loaded by the product (`ingest.inspect`, then
  `ingest.load.load_plan`: every row checked, stored, the aggregates and monthly figures
  derived) against `pandas.read_csv` + `DataFrame.to_sql` of the same file into a plain table
  of the same database (baseline, same run); rows per second, ratio product / baseline, and
  the peak memory of each (each load runs in a process of its own).
- `scores`: the stored scores brought up to date after the load (`scoring.refresh`).
- `read`: each page's data reads once the scores are stored (what a page run asks the store
  for on a cold cache), against two equivalents over the raw incident rows: "naive" (every
  incident row read into pandas, then grouped) and "duckdb" (the same GROUP BY in DuckDB over
  the same incidents, read from the CSV into a DuckDB table beforehand); ratio = product /
  DuckDB (at most 1 is the budget).
- `status`: `python manage.py status` on the store, in a subprocess.

The file: N rows, references BENCH/1..N, times uniform over the 120 months to October 2026,
districts in proportion to their population, the catalogue's ASB categories, flags Y/N at
fixed rates. PostgreSQL comes from --pg-url, else TEST_DATABASE_URL; without either it is
skipped with a note. Every backend starts from an empty database that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MONTHS = 120  # ten years
LAST_MONTH = date(2026, 10, 1)
CHUNK = 200_000  # rows written to the CSV at a time
FLAG_RATES = {"vehicle_involved": 0.08, "repeat_victim": 0.2, "vulnerable_victim": 0.1}


def generate(path: Path, rows: int, seed: int) -> None:
    """The synthetic incident extract (see the module docstring), written in chunks."""
    from config import get_catalogue

    catalogue = get_catalogue()
    geo = catalogue.geography
    names = [d.name for d in geo.district]
    weights = np.array([geo.population(d) for d in geo.district], dtype=float)
    categories = catalogue.measures.incident_categories
    start = pd.Timestamp(LAST_MONTH) - pd.DateOffset(months=MONTHS - 1)
    span = (pd.Timestamp(LAST_MONTH) + pd.DateOffset(months=1) - start).total_seconds()
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        header = True
        for first in range(0, rows, CHUNK):
            n = min(CHUNK, rows - first)
            seconds = np.sort(rng.uniform(0, span, n)).astype("int64")
            frame = pd.DataFrame(
                {
                    "reference": [f"BENCH/{i}" for i in range(first + 1, first + n + 1)],
                    "occurred_at": (start + pd.to_timedelta(seconds, unit="s")).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "district": rng.choice(names, n, p=weights / weights.sum()),
                    "category": rng.choice(categories, n),
                    **{
                        flag: np.where(rng.random(n) < rate, "Y", "N")
                        for flag, rate in FLAG_RATES.items()
                    },
                    "channel": rng.choice(["999", "101", "online"], n),
                }
            )
            frame.to_csv(out, header=header, index=False)
            header = False


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def reset_peak() -> None:
    """Start counting this process's peak memory from now. A spawned process inherits the peak
    of the process that started it (Linux keeps `ru_maxrss` across exec), so a load measured
    after a big one would report the big one's peak."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset the high-water mark to the current resident size


def peak_mb() -> float:
    """This process's peak resident memory since `reset_peak` (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc/self/status")


def in_own_process(action: Callable, *args: Any) -> Any:
    """`action(*args)` in a fresh process (spawned), so the peak memory it reports is its own."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(action, *args).result()


def load_product(url: str, path: Path) -> tuple[float, float]:
    from config import get_catalogue
    from db.engine import make_engine
    from db.store import init_store
    from ingest import inspect
    from ingest.load import load_plan

    catalogue = get_catalogue()
    engine = make_engine(url)
    init_store(engine=engine, catalogue=catalogue, actor="bench")

    def load() -> None:
        reset_peak()
        plan = inspect(path, catalogue=catalogue)
        if not plan.ok:
            raise SystemExit("\n".join(plan.messages()[:10]))
        load_plan(engine=engine, catalogue=catalogue, plan=plan, actor="bench")

    seconds, _ = timed(load)
    return seconds, peak_mb()


def load_baseline(url: str, path: Path) -> tuple[float, float]:
    from sqlalchemy import create_engine

    engine = create_engine(url)

    def load() -> None:
        reset_peak()
        with engine.begin() as conn:
            for chunk in pd.read_csv(path, dtype=str, chunksize=CHUNK):
                chunk.to_sql("incidents_raw", conn, if_exists="append", index=False)

    seconds, _ = timed(load)
    engine.dispose()
    return seconds, peak_mb()


def page_reads(url: str) -> dict[str, Callable[[], Any]]:
    """What each page asks the store for on a cold cache, by page."""
    import scoring
    from config import get_catalogue
    from db.engine import make_engine, session_scope
    from db.queries import breakdown_totals, hour_weekday_counts, monthly_values, store_summary

    catalogue = get_catalogue()
    engine = make_engine(url)
    year = (date(2025, 11, 1), LAST_MONTH)

    def read(action: Callable) -> Callable[[], Any]:
        def run() -> Any:
            with session_scope(engine) as session:
                return action(session)

        return run

    return {
        "every page: store summary and version": read(
            lambda s: (
                store_summary(session=s), scoring.store_version(session=s, catalogue=catalogue)
            )
        ),
        "Overview: stored scores of the force": read(
            lambda s: scoring.read(session=s, as_of=LAST_MONTH, area="Lancashire")
        ),
        "Districts: stored scores of one measure": read(
            lambda s: scoring.read(
                session=s, as_of=LAST_MONTH, level="district", measure="asb_incidents"
            )
        ),
        "Operation: monthly figures by district": read(
            lambda s: monthly_values(session=s, level="district", measures=["asb_incidents"])
        ),
        "Operation: categories of the year": read(
            lambda s: breakdown_totals(
                session=s, measure="asb_incidents", level="force", area="Lancashire",
                start=year[0], end=year[1],
            )
        ),
        "Time patterns: hour x weekday by division": read(
            lambda s: hour_weekday_counts(session=s, level="division", start=year[0], end=year[1])
        ),
    }  # fmt: skip


RAW_QUERIES = {  # the GROUP BY over raw incident rows each page read stands for
    "monthly": "SELECT district, strftime(occurred_at, '%Y-%m') AS month, COUNT(*) "
    "FROM incidents GROUP BY 1, 2",
    "hour_weekday": "SELECT district, hour(occurred_at), dayofweek(occurred_at), COUNT(*) "
    "FROM incidents WHERE occurred_at >= DATE '2025-11-01' GROUP BY 1, 2, 3",
}


def duckdb_reads(path: Path) -> dict[str, float]:
    import duckdb

    connection = duckdb.connect()
    connection.execute(
        f"CREATE TABLE incidents AS SELECT * FROM read_csv_auto('{path}', "
        "types={'occurred_at': 'TIMESTAMP'})"
    )
    found = {}
    for name, sql in RAW_QUERIES.items():
        found[name] = min(
            timed(lambda sql=sql: connection.execute(sql).fetchall())[0] for _ in range(3)
        )
    return found


def naive_read(url: str) -> float:
    """Every incident row into pandas, then the monthly GROUP BY there."""
    from sqlalchemy import create_engine

    engine = create_engine(url)

    def read() -> Any:
        with engine.connect() as conn:
            frame = pd.read_sql(
                "SELECT district_code, month, hour, weekday FROM asb_incidents", conn
            )
        return frame.groupby(["district_code", "month"]).size()

    seconds, _ = timed(read)
    engine.dispose()
    return seconds


@contextmanager
def empty_database(backend: str, folder: Path, pg_url: str | None) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in pg_url else "?"
    try:
        yield f"{pg_url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def emit(**fields: Any) -> None:
    print(
        json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in fields.items()}),
        flush=True,
    )


def bench_backend(backend: str, url: str, path: Path, rows: int, raw: dict[str, float]) -> None:
    import scoring
    from config import get_catalogue
    from db.engine import make_engine

    product, product_mb = in_own_process(load_product, url, path)
    baseline, baseline_mb = in_own_process(load_baseline, url, path)
    emit(
        step="load", backend=backend, rows=rows, seconds=product, rows_per_s=rows / product,
        baseline_seconds=baseline, baseline_rows_per_s=rows / baseline,
        ratio=product / baseline, peak_mb=product_mb, baseline_peak_mb=baseline_mb,
    )  # fmt: skip
    engine = make_engine(url)
    seconds, result = timed(lambda: scoring.refresh(engine=engine, catalogue=get_catalogue()))
    emit(step="scores", backend=backend, rows=rows, seconds=seconds, computed=result.computed)
    naive = naive_read(url)
    for name, action in page_reads(url).items():
        action()  # a first run warms the connection pool, not the data
        seconds = min(timed(action)[0] for _ in range(3))
        kind = "hour_weekday" if name.startswith("Time patterns") else "monthly"
        emit(
            step="read", backend=backend, rows=rows, page=name, seconds=seconds,
            naive_seconds=naive, duckdb_seconds=raw[kind], ratio_duckdb=seconds / raw[kind],
        )  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url}
    seconds, done = timed(
        lambda: subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "status"],
            env=env, capture_output=True, text=True, check=False,
        )
    )  # fmt: skip
    emit(step="status", backend=backend, rows=rows, seconds=seconds, exit=done.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "incidents.csv"
        seconds, _ = timed(lambda: generate(path, args.rows, args.seed))
        emit(step="file", rows=args.rows, seconds=seconds, mb=path.stat().st_size / 2**20)
        raw = duckdb_reads(path)
        for backend in args.backends.split(","):
            if backend == "postgresql" and not args.pg_url:
                emit(step="skipped", backend=backend, why="no --pg-url or TEST_DATABASE_URL")
                continue
            with empty_database(backend, folder, args.pg_url) as url:
                bench_backend(backend, url, path, args.rows, raw)


if __name__ == "__main__":
    main()
