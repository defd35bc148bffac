"""Benchmark: how well the forecast's intervals and chances hold up on a rolling-origin
backtest (`metrics.backtest`), on the simulation set and optionally on a store.

    python bench/calibration.py [--seeds 1,2,3] [--step 4] [--store URL [--levels force,division]]

The simulation set (`metrics.simulation.SIMULATION_SET`: a level that wanders, a 12-month
season, Poisson noise, with and without trend, 3 to 8 years of history) is backtested with
windows every --step months and origins 1 to 18 months before each window's end. Printed:
coverage of the 80% and 95% intervals by horizon band (1-6, 7-12, 13-18 months), the Brier
score of the chance of meeting the directional target ("better than the year before")
against climatology's (always stating the base rate), the reliability table, and the time
taken. With --store, the same for the store's monthly figures (`manage.py backtest`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def simulation_trials(seeds: list[int], step: int) -> pd.DataFrame:
    from metrics.backtest import backtest
    from metrics.simulation import SIMULATION_SET, simulate

    runs = [
        backtest(simulate(scenario, seed), step=step).assign(scenario=scenario.name)
        for scenario in SIMULATION_SET
        for seed in seeds
    ]
    return pd.concat(runs, ignore_index=True)


def store_trials(url: str, levels: list[str], step: int) -> pd.DataFrame:
    os.environ["DATABASE_URL"] = url
    from config import get_catalogue
    from db.engine import make_engine, read_scope
    from scoring.trackrecord import store_trials as trials_of

    with read_scope(make_engine()) as session:
        return trials_of(session=session, catalogue=get_catalogue(), levels=levels, step=step)


def report(name: str, trials: pd.DataFrame, seconds: float) -> None:
    from metrics import backtest as bt

    print(f"== {name}: {len(trials):,} forecasts in {seconds:.0f} s")
    table = bt.coverage(trials)
    table["band"] = pd.Categorical(table["band"], ["1-6", "7-12", "13-18"], ordered=True)
    print(table.sort_values("band").to_string(index=False, float_format="{:.3f}".format))
    print(
        f"Brier score {bt.brier(trials):.3f} against climatology "
        f"{bt.climatology_brier(trials):.3f} ({len(bt.judged(trials)):,} stated chances)"
    )
    print(bt.reliability(trials).to_string(index=False, float_format="{:.2f}".format))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1,2,3", help="simulation seeds (default 1,2,3)")
    parser.add_argument("--step", type=int, default=4, help="months between windows")
    parser.add_argument("--store", metavar="URL", help="also backtest this store")
    parser.add_argument("--levels", default="force,division", help="levels of the store")
    args = parser.parse_args()
    started = time.perf_counter()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    trials = simulation_trials(seeds, args.step)
    report("simulation set", trials, time.perf_counter() - started)
    if args.store:
        started = time.perf_counter()
        trials = store_trials(args.store, args.levels.split(","), args.step)
        report(f"store ({args.levels})", trials, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
