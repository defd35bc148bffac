"""Benchmark: how long each dashboard page's script takes on the demonstration data.

Each page is run in Streamlit's AppTest with empty caches (a first visit: database reads,
SPC, forecasts) and then again with warm caches (a board member moving between pages). Times
are reported in seconds and as a ratio to a baseline measured in the same run: a trivial
Streamlit script that only writes a title, so the ratios hold across machines.

    python bench/page_times.py [--repeat 3] [--store sqlite:///path.db]

Without --store, a SQLite store with the demonstration data is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(page: str | None, script: Path, clear: bool) -> float:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    if clear:
        st.cache_data.clear()
    started = time.perf_counter()
    at = AppTest.from_file(str(script), default_timeout=600)
    if page and page.endswith(".py"):
        at.switch_page(page)
    elif page:  # an operation's URL path: their pages share one file (tests.conftest.switch_to)
        from streamlit.util import calc_hash

        at._page_hash = calc_hash(page)
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page or script}: {at.exception}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (median is shown)")
    parser.add_argument("--store", help="DATABASE_URL of a store holding data (default: demo)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    url = args.store
    if not url:
        url = f"sqlite:///{folder / 'bench.db'}"
        os.environ["DATABASE_URL"] = url
        from config import get_catalogue
        from db.engine import make_engine
        from db.store import init_store
        from demo import load_demo

        engine = make_engine(url)
        init_store(engine=engine, catalogue=get_catalogue(), actor="bench")
        load_demo(engine=engine, catalogue=get_catalogue(), seed=2027, actor="bench")
    os.environ["DATABASE_URL"] = url
    from views.navigation import OPERATION_PAGE
    from views.ui import NAVIGATION

    baseline_script = folder / "baseline.py"
    baseline_script.write_text("import streamlit as st\nst.title('Baseline')\n")
    app = ROOT / "app.py"
    _timed("pages/data.py", app, clear=False)  # warm imports and the store check
    base = statistics.median(_timed(None, baseline_script, True) for _ in range(args.repeat))
    print(f"baseline (trivial script): {base:.3f} s")
    print(f"{'page':28} {'cold s':>8} {'cold x':>8} {'warm s':>8} {'warm x':>8}")
    for pages in NAVIGATION.values():
        for path, title, _, url in pages:
            path = url if path == OPERATION_PAGE else path
            cold = statistics.median(_timed(path, app, True) for _ in range(args.repeat))
            warm = statistics.median(_timed(path, app, False) for _ in range(args.repeat))
            print(f"{title:28} {cold:8.2f} {cold / base:8.0f} {warm:8.2f} {warm / base:8.0f}")


if __name__ == "__main__":
    main()
