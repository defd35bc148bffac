"""Benchmark: loading a million police.uk street-level rows, against pandas `to_sql`.

    python bench/load_policeuk.py [--rows 1000000] [--repeats 1] [--pg-url URL]
                                  [--backends sqlite,postgresql] [--profile]

The input is made by streaming the four real Lancashire street files in
`../shared/data/policeuk/` (2024-01 to 2024-04) into one temporary CSV, over and over, until
it holds exactly --rows rows. File k of the output (k = 0, 1, ...) is given the month 2024-04
minus k months: the first four keep their real months, then 2023-12, 2023-11, ... back to
2015-01, after which the months start again from 2024-04. Every Crime ID after the first copy
of the four files is replaced by sha256(original id:copy number), so shoplifting crimes stay
unique. The file must pass the loader's own checks (`plan.ok`), or the run stops.

PostgreSQL comes from --pg-url, else TEST_DATABASE_URL; without either it is skipped with a
note. Every run starts from an empty database (a new SQLite file, or a new PostgreSQL schema
that is dropped afterwards) and runs in a subprocess of its own, so that its peak memory
(`ru_maxrss`) is its own. On each backend:

- product: `ingest.inspect` (pass 1: every row checked, the records to store kept on disk,
  nothing written) then `ingest.load.load_plan` (pass 2: those records written and the monthly
  figures derived in one transaction), into
  a store made by `db.store.init_store` (not timed);
- baseline: `pandas.read_csv(path, dtype=str)` then `DataFrame.to_sql("policeuk_raw", ...)`
  in chunks of 50,000 rows with the insertion method pandas points to as the fast one for the
  backend. On SQLite its default (one executemany per chunk): the user guide says
  `method="multi"` suits analytic databases and is slower on traditional ones when the table
  has many columns (measured here on 200,000 rows: 6 s by default, 352 s with "multi" in
  chunks of 2,000, the most SQLite's 32,766 parameters allow). On PostgreSQL the COPY
  callable given in the user guide, adapted to psycopg 3 (measured on 20,000 rows: 0.4 s,
  against 1.1 s by default and 16 s or more with "multi").

Printed on stdout: a markdown table of seconds (median of --repeats runs), rows per second,
product / baseline time, the CPU seconds of the Python process (steadier than wall time on a
busy machine; a PostgreSQL server's own work is not in it) and peak memory (the largest of the
runs). With --profile, one more product run per backend under cProfile, and the top 10
functions of each pass.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LATEST = date(2024, 4, 1)  # the newest month of the sample files
EARLIEST = date(2015, 1, 1)  # the loader keeps nothing older (ingest.base.EARLIEST_MONTH)
SOURCES = "2024-0[1-4]-lancashire-street.csv"
CHUNKSIZE = 50_000  # rows per to_sql chunk (the product writes 50,000 records a batch too)
BASELINE_TABLE = "policeuk_raw"
SHOPLIFTING = "Shoplifting"
BASELINE_METHOD = {
    "sqlite": "to_sql default (executemany)",
    "postgresql": "to_sql COPY callable",
}
NOT_IN_BASELINE = """\
The baseline only copies text: it checks nothing (months, force, LSOA codes, Crime IDs,
duplicates), maps no LSOA to a district, computes no monthly figures, keeps all rows as
twelve text columns (the product stores the rows of the crime types its measures count, ASB
and shoplifting, about a third of the rows, counts the quality of every row, and derives the
monthly figures from the stored rows in SQL), does not hash the file to refuse a second load
of it, records no load or audit entry, and holds the whole file in memory. The product reads
the file once, keeping the checked records on disk until every row has passed, so as to load a
file of any size in constant memory."""


# --- the input file --------------------------------------------------------------------------


def source_files(shared: Path) -> list[Path]:
    """The four sample street files, newest month first; exits when they are absent."""
    folder = shared / "data" / "policeuk"
    files = sorted(folder.glob(SOURCES), reverse=True)
    if len(files) != 4:
        raise SystemExit(
            f"load_policeuk: needs the four sample files {folder / SOURCES} (found {len(files)}):"
            " the shared reference data must sit beside the project folder, in ../shared"
        )
    return files


def month_back(k: int) -> date:
    """2024-04 minus k months, wrapping round to 2024-04 after 2015-01."""
    span = (LATEST.year - EARLIEST.year) * 12 + LATEST.month - EARLIEST.month + 1
    index = LATEST.year * 12 + LATEST.month - 1 - k % span
    return date(index // 12, index % 12 + 1, 1)


def generate(path: Path, rows: int, sources: list[Path]) -> dict[str, Any]:
    """Write exactly `rows` rows to `path`, streaming (see the module docstring). Only the
    sample files are held in memory (about 60,000 rows)."""
    started = time.perf_counter()
    header: list[str] | None = None
    samples = []
    for source in sources:
        with source.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            head = next(reader)
            if header is not None and head != header:
                raise SystemExit(f"load_policeuk: {source} has another header than {sources[0]}")
            header = head
            samples.append([row for row in reader if row])
    assert header is not None
    month_at, id_at, type_at = (header.index(c) for c in ("Month", "Crime ID", "Crime type"))
    written = shoplifting = files = 0
    months = set()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        while written < rows:
            copy, sample = divmod(files, len(samples))
            month = month_back(files)
            months.add(month)
            text = f"{month:%Y-%m}"
            for original in samples[sample][: rows - written]:
                row = list(original)
                row[month_at] = text
                if copy and row[id_at]:
                    row[id_at] = hashlib.sha256(f"{row[id_at]}:{copy}".encode()).hexdigest()
                shoplifting += row[type_at] == SHOPLIFTING
                writer.writerow(row)
                written += 1
            files += 1
    return {
        "rows": written,
        "shoplifting": shoplifting,
        "months": len(months),
        "first_month": f"{min(months):%Y-%m}",
        "last_month": f"{max(months):%Y-%m}",
        "bytes": path.stat().st_size,
        "seconds": time.perf_counter() - started,
    }


# --- one run, in a subprocess of its own -------------------------------------------------------


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _top(profiler: Any, sort: str, limit: int = 10) -> str:
    import io
    import pstats

    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(limit)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(line for line in lines[start:] if line.strip())


def run_product(url: str, path: Path, profile: bool) -> dict[str, Any]:
    """inspect + load_plan on a fresh store at `url`, each pass timed."""
    import cProfile

    import ingest
    from config import get_catalogue
    from db.engine import make_engine
    from db.store import init_store
    from ingest.load import load_plan

    catalogue = get_catalogue()
    engine = make_engine(url)
    init_store(engine=engine, catalogue=catalogue, actor="bench")
    setup = _peak_mb()
    first, second = (cProfile.Profile() if profile else None for _ in range(2))

    cpu = time.process_time()
    started = time.perf_counter()
    if first:
        first.enable()
    plan = ingest.inspect(path, catalogue=catalogue)
    if first:
        first.disable()
    checked = time.perf_counter()
    after_first = _peak_mb()
    if not plan.ok:
        print("\n".join(plan.messages()[:20]), file=sys.stderr)
        raise SystemExit(f"load_policeuk: the generated file fails the loader's checks: {path}")
    if second:
        second.enable()
    result = load_plan(engine=engine, catalogue=catalogue, plan=plan, actor="bench")
    if second:
        second.disable()
    loaded = time.perf_counter()
    cpu = time.process_time() - cpu
    if result.already_loaded:
        raise SystemExit("load_policeuk: the store was not empty")
    engine.dispose()
    report: dict[str, Any] = {
        "first": checked - started,
        "second": loaded - checked,
        "cpu": cpu,
        "rows": plan.rows,
        "records": result.records,
        "observations": result.observations,
        "setup_mb": setup,
        "first_mb": after_first,
        "peak_mb": _peak_mb(),
    }
    if profile:
        report["profile"] = {
            f"pass {n}, {sort}": _top(p, sort)
            for n, p in ((1, first), (2, second))
            for sort in ("tottime", "cumulative")
        }
    return report


def _copy_method(table: Any, conn: Any, keys: list[str], data_iter: Any) -> int:
    """The pandas user guide's PostgreSQL COPY insertion method, for psycopg 3."""
    name = f'"{table.schema}"."{table.name}"' if table.schema else f'"{table.name}"'
    columns = ", ".join(f'"{k}"' for k in keys)
    written = 0
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
        for row in data_iter:
            copy.write_row(row)
            written += 1
    return written


def run_baseline(url: str, path: Path) -> dict[str, Any]:
    """read_csv + to_sql into an empty database at `url`, each step timed."""
    import pandas as pd
    from sqlalchemy import text

    from db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:  # connect before timing, as init_store does
        connection.execute(text("SELECT 1"))
    setup = _peak_mb()
    method = _copy_method if engine.dialect.name == "postgresql" else None
    cpu = time.process_time()
    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str)
    read = time.perf_counter()
    after_read = _peak_mb()
    frame.to_sql(
        BASELINE_TABLE,
        engine,
        if_exists="replace",
        index=False,
        chunksize=CHUNKSIZE,
        method=method,
    )
    written = time.perf_counter()
    cpu = time.process_time() - cpu
    with engine.connect() as connection:
        count = connection.scalar(text(f"SELECT count(*) FROM {BASELINE_TABLE}"))
    if count != len(frame):
        raise SystemExit(f"load_policeuk: to_sql wrote {count:,} rows of {len(frame):,}")
    engine.dispose()
    return {
        "first": read - started,
        "second": written - read,
        "cpu": cpu,
        "rows": len(frame),
        "records": count,
        "setup_mb": setup,
        "first_mb": after_read,
        "peak_mb": _peak_mb(),
    }


def child(kind: str, url: str, path: Path, profile: bool) -> dict[str, Any]:
    """Run one measurement in a new Python process; its report is its last line of output."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--url", url]
    command += ["--file", str(path), *(["--profile"] if profile else [])]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"load_policeuk: the {kind} run failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- databases -------------------------------------------------------------------------------


@contextmanager
def empty_database(backend: str, folder: Path, pg_url: str | None) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file, or a new PostgreSQL schema (dropped
    on the way out, with everything in it)."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        path = folder / f"{name}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, text

    assert pg_url
    admin = create_engine(pg_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {name}"))
        separator = "&" if "?" in pg_url else "?"
        yield f"{pg_url}{separator}options={quote(f'-csearch_path={name}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        admin.dispose()


def server_version(backend: str, pg_url: str | None) -> str:
    if backend == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    engine = create_engine(pg_url)
    try:
        with engine.connect() as connection:
            return "PostgreSQL " + connection.scalar(text("SHOW server_version"))
    except OperationalError as exc:
        shown = make_url(pg_url).render_as_string(hide_password=True)
        raise SystemExit(f"load_policeuk: cannot connect to PostgreSQL at {shown}: {exc}") from None
    finally:
        engine.dispose()


# --- the report ------------------------------------------------------------------------------


def summarise(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {
        "first": statistics.median(r["first"] for r in runs),
        "second": statistics.median(r["second"] for r in runs),
        "total": statistics.median(r["first"] + r["second"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "setup_mb": max(r["setup_mb"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def table(results: dict[str, dict[str, dict[str, float]]], rows: int) -> str:
    lines = [
        "| backend | load | pass 1 / read_csv s | pass 2 / to_sql s | total s | rows/s "
        "| product ÷ baseline | Python CPU s | RSS before timing MB | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for backend, pair in results.items():
        product, baseline = pair["product"], pair["baseline"]
        for label, figures in (
            ("product: inspect + load_plan", product),
            (f"baseline: read_csv + {BASELINE_METHOD[backend]}", baseline),
        ):
            ratio = f"{product['total'] / baseline['total']:.2f}×" if figures is product else ""
            lines.append(
                f"| {backend} | {label} | {figures['first']:.1f} | {figures['second']:.1f} "
                f"| {figures['total']:.1f} | {rows / figures['total']:,.0f} | {ratio} "
                f"| {figures['cpu']:.1f} | {figures['setup_mb']:,.0f} | {figures['peak_mb']:,.0f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the input file")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each load (median)")
    parser.add_argument("--pg-url", help="PostgreSQL URL (default: TEST_DATABASE_URL)")
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql"
    )
    parser.add_argument(
        "--profile", action="store_true", help="then profile each pass of one product load"
    )
    parser.add_argument("--child", choices=["product", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child == "product":
            report = run_product(args.url, args.file, args.profile)
        else:
            report = run_baseline(args.url, args.file)
        print(json.dumps(report))
        return
    if args.rows < 1 or args.repeats < 1:
        parser.error("--rows and --repeats must be at least 1")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := set(backends) - set(BASELINE_METHOD):
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")

    from config import PROJECT_ROOT

    sources = source_files(PROJECT_ROOT.parent / "shared")
    pg_url = args.pg_url or os.environ.get("TEST_DATABASE_URL") or None
    notes = []
    if "postgresql" in backends and not pg_url:
        backends.remove("postgresql")
        notes.append("PostgreSQL skipped: give --pg-url or set TEST_DATABASE_URL.")
    versions = [server_version(backend, pg_url) for backend in backends]  # fail early
    load_before = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="bench-policeuk-"))
    path = folder / "policeuk-street.csv"
    try:
        print(f"writing {args.rows:,} rows to {path} ...", file=sys.stderr)
        made = generate(path, args.rows, sources)
        results: dict[str, dict[str, dict[str, float]]] = {}
        stored = {}
        profiles = {}
        for backend in backends:
            runs: dict[str, list[dict[str, Any]]] = {"product": [], "baseline": []}
            for repeat in range(args.repeats):
                for kind in runs:
                    print(f"{backend} {kind} run {repeat + 1} ...", file=sys.stderr)
                    with empty_database(backend, folder, pg_url) as url:
                        runs[kind].append(child(kind, url, path, profile=False))
            stored[backend] = runs["product"][0]
            results[backend] = {kind: summarise(r) for kind, r in runs.items()}
            if args.profile:
                print(f"{backend} product run under cProfile ...", file=sys.stderr)
                with empty_database(backend, folder, pg_url) as url:
                    profiles[backend] = child("product", url, path, profile=True)["profile"]
    finally:
        path.unlink(missing_ok=True)
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()

    import pandas as pd

    print(f"# Loading {made['rows']:,} police.uk street-level rows\n")
    print(
        f"Input: {made['rows']:,} rows ({made['bytes'] / 1e6:,.0f} MB, written in "
        f"{made['seconds']:.1f} s), months {made['first_month']} to {made['last_month']} "
        f"({made['months']} months), {made['shoplifting']:,} shoplifting rows. "
        f"Median of {args.repeats} run(s), each in a fresh process and an empty database; "
        f"peak RSS is the largest. Python {platform.python_version()}, pandas {pd.__version__}, "
        f"{', '.join(versions) or 'no database'}, {os.cpu_count()} CPUs (load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after: other work on the machine "
        "slows every row alike; Python CPU s is the measuring process's own user + system "
        "time, without the PostgreSQL server's).\n"
    )
    if results:
        print(table(results, made["rows"]))
        print()
        for backend, report in stored.items():
            print(
                f"- {backend}: the product stored {report['records']:,} crimes and "
                f"{report['observations']:,} monthly figures; the baseline stored "
                f"{made['rows']:,} rows of 12 text columns."
            )
        print()
    for note in notes:
        print(f"- {note}")
    print("\n" + NOT_IN_BASELINE)
    if profiles:
        print(
            "\nThe cProfile runs are extra runs, several times slower than the timed ones "
            "(the profiler's cost per call): read them for where the time goes, not for how much."
        )
    for backend, sections in profiles.items():
        for title, text in sections.items():
            print(f"\n## cProfile, {backend}, {title} (top 10)\n\n```\n{text}\n```")


if __name__ == "__main__":
    main()
