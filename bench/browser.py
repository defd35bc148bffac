"""Benchmark: every page in Chromium, from navigation until Streamlit is idle with every chart
drawn, on the demonstration data.

    python bench/browser.py [--store sqlite:///path.db] [--port 8765] [--repeat 3]

A Streamlit server is started on the store (by default a new SQLite store with the
demonstration data and its stored scores, built first and not timed). Then, in Debian's
Chromium (`/usr/bin/chromium`) driven by Playwright, as JSON lines on standard output:

- `fresh`: each page opened once on the new server (its first visit: cold caches);
- `warm`: each page opened again, the median of --repeat visits;
- `area`: on the Overview, choosing another area in the sidebar until the page is idle again.

"Idle" is the app's script state `notRunning` with no status widget running, seen on several
polls in a row, and every plotly chart on the page drawn (its SVG present). Budgets (issue 11):
every page under 4 s fresh and 2 s warm; changing the area under 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
POLL = 0.1  # seconds between looks at the page
IDLE_POLLS = 3  # idle this many polls in a row
STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const widget = document.querySelector('[data-testid="stStatusWidget"]');
  const running = !!widget && /Running|Stop/.test(widget.innerText);
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]').length;
  const drawn = document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length;
  return {state: app && app.getAttribute("data-test-script-state"), running, charts, drawn};
}"""
BUDGETS = {"fresh": 4.0, "warm": 2.0, "area": 1.5}


def pages() -> list[str]:
    from views.ui import NAVIGATION

    return [url for section in NAVIGATION.values() for _, _, _, url in section]


def wait_idle(page, started: float, timeout: float = 300) -> float:
    """Seconds from `started` until the page is idle with every chart drawn."""
    idle = 0
    while time.perf_counter() - started < timeout:
        state = page.evaluate(STATE)
        done = state["state"] == "notRunning" and not state["running"]
        if done and state["drawn"] >= state["charts"]:
            idle += 1
            if idle >= IDLE_POLLS:
                return time.perf_counter() - started - IDLE_POLLS * POLL
        else:
            idle = 0
        time.sleep(POLL)
    raise TimeoutError(f"{page.url} not idle after {timeout} s")


def visit(page, base: str, path: str) -> float:
    started = time.perf_counter()
    page.goto(f"{base}/{path}")
    return wait_idle(page, started)


def change_area(page, base: str, area: str) -> float:
    page.goto(base)
    wait_idle(page, time.perf_counter())
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    started = time.perf_counter()
    page.get_by_role("option", name=re.compile(f"^{re.escape(area)}")).click()
    time.sleep(POLL * 3)  # let the rerun start
    return wait_idle(page, started)


def prepared_store(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench-browser.db'}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "demo"], env=env, check=True)
    return url


def serve(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url}
    server = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
            "--server.port", str(port), "--server.headless", "true",
        ],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return server


def emit(**fields) -> None:
    shown = {k: round(v, 2) if isinstance(v, float) else v for k, v in fields.items()}
    print(json.dumps(shown), flush=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default="")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.store or prepared_store(Path(tmp))
        server = serve(url, args.port)
        base = f"http://127.0.0.1:{args.port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                for _ in range(300):  # the server starting
                    try:
                        page.goto(base)
                        break
                    except Exception:
                        time.sleep(0.2)
                page.goto("about:blank")
                for path in pages():
                    seconds = visit(page, base, path)
                    emit(step="fresh", page=path or "overview", seconds=seconds,
                         budget=BUDGETS["fresh"], within=seconds <= BUDGETS["fresh"])  # fmt: skip
                for path in pages():
                    seconds = statistics.median(visit(page, base, path) for _ in range(args.repeat))
                    emit(step="warm", page=path or "overview", seconds=seconds,
                         budget=BUDGETS["warm"], within=seconds <= BUDGETS["warm"])  # fmt: skip
                for area in ("Burnley", "East division", "Lancashire"):
                    seconds = change_area(page, base, area)
                    emit(step="area", area=area, seconds=seconds, budget=BUDGETS["area"],
                         within=seconds <= BUDGETS["area"])  # fmt: skip
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
