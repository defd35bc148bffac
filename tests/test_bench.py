"""bench/load_policeuk.py keeps working: its input file is exact and passes the loader's
checks, and a small run of the whole benchmark (SQLite only) prints its table."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from collections import Counter
from datetime import date

import ingest
from config import PROJECT_ROOT, get_catalogue
from tests.conftest import require_shared

BENCH = PROJECT_ROOT / "bench" / "load_policeuk.py"


def _bench():
    spec = importlib.util.spec_from_file_location("load_policeuk", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_months_go_back_from_april_2024_and_wrap_before_2015():
    bench = _bench()
    assert bench.month_back(0) == date(2024, 4, 1)
    assert bench.month_back(4) == date(2023, 12, 1)
    assert bench.month_back(111) == date(2015, 1, 1)
    assert bench.month_back(112) == date(2024, 4, 1)


def test_generated_file_has_exactly_the_rows_asked_for_and_passes_the_checks(tmp_path):
    bench = _bench()
    sources = bench.source_files(require_shared())
    path = tmp_path / "street.csv"
    rows = 60_000  # just over one copy of the four sample files (58,881 rows)
    made = bench.generate(path, rows, sources)
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        with sources[0].open(encoding="utf-8-sig", newline="") as source:
            assert reader.fieldnames == next(csv.reader(source))
        records = list(reader)
    assert made["rows"] == len(records) == rows
    months = Counter(r["Month"] for r in records)
    assert sorted(months) == ["2023-12", "2024-01", "2024-02", "2024-03", "2024-04"]
    shoplifting = [r["Crime ID"] for r in records if r["Crime type"] == "Shoplifting"]
    assert made["shoplifting"] == len(shoplifting) == len(set(shoplifting))
    plan = ingest.inspect(path, catalogue=get_catalogue())
    assert plan.ok, plan.messages()[:5]
    assert plan.rows == rows


def test_a_small_run_prints_the_table():
    require_shared("data", "policeuk")
    done = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "20000", "--backends", "sqlite"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "| sqlite | product: inspect + load_plan |" in done.stdout
    assert "| sqlite | baseline: read_csv + to_sql default (executemany) |" in done.stdout
    # stored: the rows of the crime types a measure counts among the first 20,000 (April, then
    # March), counted here from the sample files themselves
    kept = get_catalogue().policeuk_crime_types()
    rows = []
    for source in _bench().source_files(require_shared()):
        with source.open(encoding="utf-8-sig", newline="") as stream:
            rows += [r["Crime type"] for r in csv.DictReader(stream)]
    stored = sum(crime_type in kept for crime_type in rows[:20_000])
    assert f"the product stored {stored:,} crimes" in done.stdout


RUN = PROJECT_ROOT / "bench" / "run.py"


def test_synthetic_incidents_load_and_every_step_reports():
    """bench/run.py end to end on a few thousand rows (SQLite): the file passes the loader's
    checks, and every step prints a JSON line with its figures."""
    import json

    done = subprocess.run(
        [sys.executable, str(RUN), "--rows", "3000", "--backends", "sqlite"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    steps = Counter(line["step"] for line in lines)
    assert steps == {"file": 1, "load": 1, "scores": 1, "read": 6, "status": 1}
    load = next(line for line in lines if line["step"] == "load")
    assert load["rows"] == 3000 and load["rows_per_s"] > 0 and load["ratio"] > 0
    assert load["peak_mb"] > 0 and load["baseline_peak_mb"] > 0  # each its own process
    assert next(line for line in lines if line["step"] == "status")["exit"] == 0
    reads = [line for line in lines if line["step"] == "read"]
    assert all(r["seconds"] > 0 and r["duckdb_seconds"] > 0 for r in reads)
