"""Benchmark: what secondary suppression costs and what an exact attacker learns, now and with
an earlier revision of `metrics/suppression.py` (default: the rule that checked each sum on its
own, before issue 25).

    python bench/suppression.py [--tables 1000] [--seed 25] [--against REV] [--demo]

The tables are those of tests/test_suppression.py (`random_table`, same seed: the suite's
1,000); with --demo, also every measure of every period of the demonstration's public summary
(a fresh demonstration store, seed 11, in a temporary folder). For each method: the cells
withheld (primary and secondary) and, from the exact attacker of the tests (`attack`, integer
programming over the published text), the withheld cells pinned to one value, those narrower
than the threshold, and the tables with either. One JSON line per method and source.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEFORE = "ba749d4"  # the last revision whose secondary suppression checked each sum on its own


def old_module(revision: str) -> types.ModuleType:
    """`metrics/suppression.py` as it was at `revision` (read with git show)."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:metrics/suppression.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("suppression_then")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{revision}:metrics/suppression.py", "exec"), module.__dict__)
    return module


def tally(results: list[tuple[int, dict]], threshold: int = 5) -> dict:
    """Totals over (withheld cells, attacker's ranges) of each table."""
    pinned = [sum(low is not None and low == high for low, high in r.values()) for _, r in results]
    narrow = [sum(high - (low or 1) < threshold for low, high in r.values()) for _, r in results]
    return {
        "tables": len(results),
        "withheld": int(sum(w for w, _ in results)),
        "pinned": int(sum(pinned)),
        "narrower_than_threshold": int(sum(narrow)),
        "tables_pinned": int(sum(p > 0 for p in pinned)),
        "tables_narrowed": int(sum(n > 0 for n in narrow)),
    }


def random_tables(count: int, seed: int, old: types.ModuleType) -> dict[str, list]:
    from tests.test_suppression import attack, random_table

    rng = np.random.default_rng(seed)
    found: dict[str, list] = {"now": [], "before": []}
    for _ in range(count):
        frame = random_table(rng)
        parents = dict(
            zip(frame["area"], frame["parent"].where(frame["parent"].notna()), strict=True)
        )
        parents = {a: None if pd.isna(p) else p for a, p in parents.items()}
        for name, module in (("now", sys.modules["metrics.suppression"]), ("before", old)):
            result = module.suppress_hierarchy(frame)
            ranges = attack(module.public_text(result), parents)
            found[name].append((int(result.mask.to_numpy().sum()), ranges))
    return found


def demo_summaries(old: types.ModuleType) -> dict[str, list]:
    from config import get_catalogue
    from db.engine import make_engine, read_scope
    from db.store import init_store
    from demo import load_demo
    from publicsummary import figures, gather
    from tests.test_disclosure_demo import PARENTS, published
    from tests.test_suppression import attack

    catalogue = get_catalogue()
    found: dict[str, list] = {"now": [], "before": []}
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'demo.db'}")
        init_store(engine=engine, catalogue=catalogue, actor="bench")
        load_demo(engine=engine, catalogue=catalogue, seed=11, actor="bench")
        now = figures.suppress_hierarchy
        for name, method in (("now", now), ("before", old.suppress_hierarchy)):
            figures.suppress_hierarchy = method
            with read_scope(engine) as session:
                latest = gather(session=session)
                for period in latest.periods:
                    for measure in gather(session=session, through=period.last).measures:
                        text = published(measure.rows)
                        ranges = attack(text, {a: PARENTS[a] for a in text.index})
                        found[name].append((measure.withheld, ranges))
        figures.suppress_hierarchy = now
        engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--against", default=BEFORE)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args()
    import metrics.suppression  # noqa: F401  (the method now)

    old = old_module(args.against)
    sources = {"random": lambda: random_tables(args.tables, args.seed, old)}
    if args.demo:
        sources["demo"] = lambda: demo_summaries(old)
    for source, run in sources.items():
        start = time.perf_counter()
        found = run()
        seconds = round(time.perf_counter() - start, 1)
        for name, results in found.items():
            line = {"source": source, "method": name, **tally(results), "seconds": seconds}
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
