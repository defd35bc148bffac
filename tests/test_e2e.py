"""End-to-end: every page in a real browser, with accessibility checks and drill-down links.

A demonstration store (seed 11) is built in a temporary folder with `manage.py demo`, the
dashboard is started on it with `streamlit run` on a free local port, and Debian's Chromium
(`/usr/bin/chromium`, driven by Playwright, never a downloaded browser) opens each page. Every
page must run without an exception, show its title and the demonstration-data warning, and
have no axe-core violation of impact "serious" or "critical". Full-page screenshots are saved
in `tests/screenshots/` (git-ignored) for a person to look at.

Without Chromium or Playwright the tests skip with a reason, except under CI (CI=true), where
that is a failure.

Streamlit DOM hooks relied on (checked against Streamlit 1.67):
`[data-testid="stApp"]` with `data-test-script-state` ("initial", "running", "notRunning", ...),
`stStatusWidget` / `stStatusWidgetRunningIcon` (aria-label "Running..."), `stMain` (the scrolling
main column), `stSidebar`, `stException`, `stAlertContentWarning`, `stPageLink-NavLink`, and the
selectbox's `<input role="combobox" aria-label="<label>">` with `role="option"` choices.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import parse_qs, urlsplit

import pytest

from config import PROJECT_ROOT, get_catalogue
from tests.conftest import IN_CI, SHARED
from views.ui import NAVIGATION

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BOUNDARY_FILE = SHARED / "data" / "geo" / "lancashire_districts.geojson"
SCREENSHOTS = PROJECT_ROOT / "tests" / "screenshots"
E2E_SEED = 11
VIEWPORT = {"width": 1400, "height": 900}
MAX_SCREENSHOT_HEIGHT = 12_000  # pixels; a runaway page should not make a giant image

START_TIMEOUT = 60  # seconds for `streamlit run` to answer its health check
# seconds for one script run: a cold operation page fits forecasts (about 10 s on an idle
# machine, several times that on a busy one)
RUN_TIMEOUT = 150
SETTLE = 0.6  # seconds the app must stay idle before a run counts as finished
LOST_SERVER = 10  # seconds without a connection to the server before giving up on a run
ELEMENT_TIMEOUT = 5_000  # milliseconds for an element or URL to appear once the run is done

# url path -> the title each page shows as its h1 heading (and in the sidebar links): every
# page of the navigation, so a new page is driven and checked by axe without editing this file
PAGES = {url: title for pages in NAVIGATION.values() for _, title, _, url in pages}
DEMO_WARNING = "Demonstration data"
BLOCKING_IMPACTS = {"serious", "critical"}

MAIN = '[data-testid="stMain"], [data-testid="stAppViewContainer"]'
SIDEBAR = '[data-testid="stSidebar"]'
EXCEPTION = '[data-testid="stException"]'
WARNING = '[data-testid="stAlertContentWarning"]'
PAGE_LINK = '[data-testid="stPageLink-NavLink"]'

# What the browser reports about the current script run: finished only when the app says so
# and the status widget shows no running indicator.
RUN_STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const widget = document.querySelector('[data-testid="stStatusWidget"]');
  const running = !!widget && (
    !!widget.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    || !!widget.querySelector('[aria-label^="Running"]')
    || /Running/.test(widget.innerText));
  return {
    state: app ? app.getAttribute("data-test-script-state") : null,
    connection: app ? app.getAttribute("data-test-connection-state") : null,
    running: running,
  };
}"""
IDLE_STATES = {"notRunning", "compilationError"}
# Counts changes of the script state from now on, so an action can wait for the run it causes
# (right after a click or `go_back` the previous run still looks finished for a moment).
WATCH_RUNS_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (app && window.__e2eStateChanges === undefined) {
    window.__e2eStateChanges = 0;
    new MutationObserver(() => { window.__e2eStateChanges += 1; })
      .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  }
  return window.__e2eStateChanges ?? -1;
}"""
REACT_TIMEOUT = 5  # seconds for the app to start a run after an action


def _need(what: str) -> NoReturn:
    """Skip for a missing browser dependency, but fail under CI."""
    if IN_CI:
        pytest.fail(f"{what} is missing under CI: the end-to-end tests must run", pytrace=False)
    pytest.skip(f"{what} not available: end-to-end browser tests need it")


# ---------------------------------------------------------------------------- fixtures


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit exited with status {process.returncode} before answering:\n"
                + _tail(log),
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"{url} did not answer 'ok' within {START_TIMEOUT} s:\n{_tail(log)}", pytrace=False)


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen
    log: Path

    def require_running(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(
                f"the streamlit server exited (status {self.process.returncode}):\n"
                + _tail(self.log),
                pytrace=False,
            )


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The dashboard served by `streamlit run` over a fresh demonstration store."""
    tmp = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}", "PYTHONUNBUFFERED": "1"}
    if BOUNDARY_FILE.exists():
        env["BOUNDARY_FILE"] = str(BOUNDARY_FILE)
    demo = subprocess.run(
        [sys.executable, "manage.py", "demo", "--seed", str(E2E_SEED)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert demo.returncode == 0, f"manage.py demo failed:\n{demo.stdout}\n{demo.stderr}"

    with _serve(tmp, env) as server:
        yield server


@contextmanager
def _serve(tmp: Path, env: dict[str, str]) -> Iterator[AppServer]:
    """`streamlit run serve.py` (app.py with the session-cookie routes) on a free port with
    `env`, stopped afterwards."""
    port = _free_port()
    log = tmp / "streamlit.log"
    command = [
        *(sys.executable, "-m", "streamlit", "run", "serve.py"),
        *("--server.headless", "true", "--server.port", str(port)),
        *("--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"),
        # Pages may be edited while the suite runs: no "File change. Rerun" prompt in shots.
        *("--server.fileWatcherType", "none"),
    ]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(f"{base}/_stcore/health", process, log)
        yield AppServer(base, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium under Playwright (no browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("the Python package playwright")
    if not CHROMIUM.exists():
        _need(f"{CHROMIUM} (Debian package chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, app_server: AppServer) -> Iterator[Page]:
    """A fresh browser tab (own cookies and history) on the running dashboard."""
    app_server.require_running()
    context = browser.new_context(
        base_url=app_server.url, viewport=VIEWPORT, reduced_motion="reduce"
    )
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """tests/screenshots, emptied of last session's PNGs."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


# ----------------------------------------------------------------------------- helpers


def wait_for_run(page: Page, timeout: float = RUN_TIMEOUT) -> None:
    """Wait until Streamlit has finished running the script and stayed idle for SETTLE s.

    Right after a click the app can still report the previous run as finished for a moment,
    so a run only counts as done once it has been idle for a whole settle period.
    """
    deadline = time.monotonic() + timeout
    idle_since: float | None = None
    connected_at = time.monotonic()
    status: dict = {}
    while time.monotonic() < deadline:
        try:
            status = page.evaluate(RUN_STATE_JS)
        except Exception:  # a full navigation (the sign-in's cookie route) replaced the page
            time.sleep(0.1)
            continue
        now = time.monotonic()
        if status["connection"] == "CONNECTED":
            connected_at = now
        elif now - connected_at > LOST_SERVER:
            raise AssertionError(f"{page.url}: lost the streamlit server ({status})")
        if status["state"] in IDLE_STATES and not status["running"]:
            idle_since = idle_since or now
            if now - idle_since >= SETTLE:
                return
        else:
            idle_since = None
        time.sleep(0.1)
    raise AssertionError(f"{page.url}: script still running after {timeout} s ({status})")


def open_page(page: Page, path_and_query: str) -> None:
    """Navigate to a page of the app (e.g. "districts?area=Preston") and wait for its run."""
    page.goto("/" + path_and_query.lstrip("/"))
    page.locator(MAIN).first.wait_for(state="attached", timeout=RUN_TIMEOUT * 1000)
    wait_for_run(page)


def act_and_wait(page: Page, action: Callable[[], object]) -> None:
    """Do `action` (a click, `go_back`, ...) and wait for the script run it starts to finish."""
    before = page.evaluate(WATCH_RUNS_JS)
    action()
    deadline = time.monotonic() + REACT_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if page.evaluate("() => window.__e2eStateChanges ?? -1") != before:
                break
        except Exception:  # the document was replaced by a full navigation: it has reacted
            break
        time.sleep(0.05)
    wait_for_run(page)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def path(page: Page) -> str:
    return urlsplit(page.url).path


def wait_for_url(page: Page, *, url_path: str | None = None, **params: str) -> None:
    """Wait until the browser URL has this path and these query parameters."""

    def matches(url: str) -> bool:
        parts = urlsplit(url)
        found = parse_qs(parts.query)
        return (url_path is None or parts.path == url_path) and all(
            found.get(key) == [value] for key, value in params.items()
        )

    try:
        page.wait_for_url(matches, timeout=ELEMENT_TIMEOUT)
    except Exception as exc:  # Playwright's TimeoutError; say what the URL was instead
        raise AssertionError(
            f"URL is {page.url}, expected path {url_path!r} with {params}"
        ) from exc


def area_select(page: Page) -> Locator:
    """The sidebar's st.selectbox labelled "Area" (its combobox input)."""
    return page.locator(SIDEBAR).get_by_role("combobox", name="Area", exact=True)


def names(area: str) -> re.Pattern[str]:
    """Text naming an area, whatever the label adds to it ("Burnley (East)", "East division")."""
    return re.compile(rf"(^|\W){re.escape(area)}(\W|$)")


def choose_area(page: Page, area: str) -> None:
    """Pick `area` in the sidebar's Area selectbox by typing it and clicking its option."""
    box = area_select(page)
    box.click()
    box.fill(area)
    option = page.get_by_role("option").filter(has_text=re.compile(rf"^\s*{re.escape(area)}\b"))
    act_and_wait(page, option.first.click)


def follow_sidebar_link(page: Page, title: str) -> None:
    """Click the sidebar st.page_link whose text is `title` and wait for the new page."""
    link = page.locator(SIDEBAR).locator(PAGE_LINK).filter(has=page.get_by_text(title, exact=True))
    act_and_wait(page, link.first.click)


def expect_page(page: Page, title: str) -> None:
    """The page ran without an exception and shows its h1 title and the demo warning."""
    from playwright.sync_api import expect

    not_found = page.get_by_role("dialog").filter(has_text="Page not found")
    assert not_found.count() == 0, f"{page.url}: Streamlit says 'Page not found'"
    exceptions = page.locator(EXCEPTION)
    assert exceptions.count() == 0, f"{page.url} shows an exception:\n" + "\n\n".join(
        exceptions.all_inner_texts()
    )
    expect(page.locator("h1").filter(has_text=title).first).to_be_visible(timeout=ELEMENT_TIMEOUT)
    expect(page.locator(WARNING).filter(has_text=DEMO_WARNING).first).to_be_visible(
        timeout=ELEMENT_TIMEOUT
    )


def full_page_screenshot(page: Page, target: Path) -> None:
    """Screenshot the whole page: Streamlit scrolls inside stMain, so grow the viewport."""
    height = page.evaluate(
        """(sel) => Math.max(...[...document.querySelectorAll(sel)].map(e => e.scrollHeight),
                               document.documentElement.scrollHeight)""",
        MAIN,
    )
    tall = min(max(height, VIEWPORT["height"]), MAX_SCREENSHOT_HEIGHT)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": tall})
    try:
        page.wait_for_timeout(400)
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)
        page.wait_for_timeout(200)


def blocking_violations(page: Page) -> list[str]:
    """axe-core violations of impact serious or critical, one readable line each."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _need("the Python package axe-playwright-python")
    violations = Axe().run(page).response["violations"]
    lines = []
    for violation in violations:
        if violation.get("impact") in BLOCKING_IMPACTS:
            node = (violation.get("nodes") or [{}])[0]
            checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
            why = f" ({checks[0]['message']})" if checks else ""
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}"
                f" - first node {node.get('target', '-')}{why}"
            )
    return lines


# ------------------------------------------------------------------------------- tests


def record_requests(page: Page) -> list[str]:
    """Every URL the tab requests from now on (pages, scripts, fonts, map glyphs, images)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def outside(requests: list[str], base: str) -> list[str]:
    """The requests that leave the machine: to any host but the app's own (data: and blob:
    URLs are made in the browser)."""
    own = urlsplit(base).netloc
    leaving = (u for u in requests if urlsplit(u).scheme not in ("data", "blob"))
    return sorted({u for u in leaving if urlsplit(u).netloc != own})


@pytest.mark.parametrize(("url_path", "title"), PAGES.items(), ids=[p or "overview" for p in PAGES])
def test_page_renders_accessibly(
    page: Page, app_server: AppServer, screenshot_dir: Path, url_path: str, title: str
):
    requests = record_requests(page)
    open_page(page, url_path)
    full_page_screenshot(page, screenshot_dir / f"{url_path or 'overview'}.png")
    expect_page(page, title)
    # nothing is fetched from another host: no font, icon, map tile or map glyph
    assert outside(requests, app_server.url) == [], f"{page.url} fetched from outside"
    assert len(requests) > 10  # the page's own scripts and styles were seen
    problems = blocking_violations(page)
    assert not problems, f"{page.url}: axe-core found serious or critical violations:\n" + (
        "\n".join(problems)
    )


def test_pasted_url_opens_the_drilled_view(page: Page):
    from playwright.sync_api import expect

    open_page(page, "districts?area=Preston")
    expect_page(page, PAGES["districts"])
    expect(area_select(page)).to_have_value(names("Preston"), timeout=ELEMENT_TIMEOUT)
    expect(page.locator(MAIN).first).to_contain_text("Preston", timeout=ELEMENT_TIMEOUT)
    assert path(page) == "/districts"
    assert query(page).get("area") == ["Preston"], page.url


def test_area_chosen_on_one_page_is_kept_on_another_and_by_the_back_button(page: Page):
    """Overview -> pick Burnley -> sidebar link to Operation Centurion -> browser back.

    One test, as a person would do it, so the slow Centurion page is opened only once."""
    from playwright.sync_api import expect

    open_page(page, "")
    expect_page(page, PAGES[""])
    choose_area(page, "Burnley")
    wait_for_url(page, url_path="/", area="Burnley")

    follow_sidebar_link(page, PAGES["centurion"])
    wait_for_url(page, url_path="/centurion", area="Burnley")
    expect_page(page, PAGES["centurion"])
    on_centurion = "Operation Centurion, reached by the sidebar link"
    expect(area_select(page), f"{on_centurion}: the Area selector").to_have_value(
        names("Burnley"), timeout=ELEMENT_TIMEOUT
    )
    expect(page.locator(MAIN).first, f"{on_centurion}: the page").to_contain_text(
        "Burnley", timeout=ELEMENT_TIMEOUT
    )

    act_and_wait(page, page.go_back)
    wait_for_url(page, url_path="/", area="Burnley")
    expect_page(page, PAGES[""])
    expect(area_select(page), "Overview after the back button: the Area selector").to_have_value(
        names("Burnley"), timeout=ELEMENT_TIMEOUT
    )


E2E_ANALYST, E2E_PASSWORD = "e2e analyst", "a long e2e password"


@pytest.fixture
def empty_server(tmp_path: Path) -> Iterator[AppServer]:
    """The dashboard served by `streamlit run` over a fresh, empty store (schema only) that
    requires sign-in, with one analyst account made as an admin would."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "PYTHONUNBUFFERED": "1",
        "DASHBOARD_REQUIRE_LOGIN": "1",
    }
    for command, given in (
        (["init"], None),
        (["user", "add", E2E_ANALYST, "--role", "analyst"], E2E_PASSWORD + "\n"),
    ):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_ROOT,
            env=env,
            input=given,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"manage.py {command} failed:\n{done.stdout}\n{done.stderr}"
    with _serve(tmp_path, env) as server:
        yield server


def sign_in(page: Page, name: str, password: str) -> None:
    """Fill in the sign-in form and wait for the page it lets in."""
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    act_and_wait(page, page.get_by_role("button", name="Sign in").click)


def test_data_page_refuses_a_bad_file_and_loads_a_good_one(
    browser: Browser, empty_server: AppServer, screenshot_dir: Path, tmp_path: Path
):
    """On an empty store: upload a bad monthly return and see its problems by row and column,
    then a good one, confirm it, and see it in the load history."""
    from playwright.sync_api import expect

    header = "measure,month,area,breakdown,value,numerator,denominator,note\n"
    bad, good = tmp_path / "bad_return.csv", tmp_path / "june_return.csv"
    bad.write_text(header + "hotspot_patrol_hours,2025-13,Burnley,,120,,,\n")
    good.write_text(header + "hotspot_patrol_hours,2025-06,Burnley,,120,,,\n")

    context = browser.new_context(
        base_url=empty_server.url, viewport=VIEWPORT, reduced_motion="reduce"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        # Nothing but the sign-in form before signing in; a wrong password is refused. A
        # reload starts a new session, so move between pages by the sidebar's links.
        open_page(page, "")
        main = page.locator(MAIN).first
        expect(main).to_contain_text("sign in to continue")
        assert page.locator(SIDEBAR).locator(PAGE_LINK).count() == 0
        problems_found = blocking_violations(page)
        assert not problems_found, "axe-core on the sign-in form:\n" + "\n".join(problems_found)
        sign_in(page, E2E_ANALYST, "not the password")
        expect(main).to_contain_text("That name and password do not match")
        sign_in(page, E2E_ANALYST, E2E_PASSWORD)
        expect(page.locator(SIDEBAR)).to_contain_text("Signed in as e2e analyst (analyst)")
        follow_sidebar_link(page, PAGES["data"])
        expect(page.locator("h1").filter(has_text=PAGES["data"]).first).to_be_visible()
        upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')

        act_and_wait(page, lambda: upload.set_input_files(str(bad)))
        expect(main).to_contain_text("bad_return.csv cannot be loaded: 1 problem found")
        expect(main).to_contain_text("Nothing was written")
        problems = page.locator('[data-testid="stDataFrame"]').filter(has_text="Problem").first
        expect(problems).to_contain_text("'2025-13' is not a month in the form YYYY-MM")
        expect(problems).to_contain_text("month")

        act_and_wait(page, lambda: upload.set_input_files(str(good)))
        expect(main).to_contain_text("june_return.csv passed every check")
        load = page.get_by_role("button", name="Load this file")
        act_and_wait(page, load.click)
        expect(main).to_contain_text(
            "june_return.csv: loaded as load 1; return rows: 1; monthly figures written: 1."
        )
        history = page.locator('[data-testid="stDataFrame"]').filter(has_text="What it did").first
        expect(history).to_contain_text("june_return.csv")
        expect(history).to_contain_text("e2e analyst")
        expect(history).to_contain_text("active")
        assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()

        full_page_screenshot(page, screenshot_dir / "data-load.png")
        problems_found = blocking_violations(page)
        assert not problems_found, "axe-core found serious or critical violations:\n" + (
            "\n".join(problems_found)
        )
    finally:
        context.close()


def test_draw_a_dip_sample_review_three_cases_and_see_the_results(page: Page, screenshot_dir: Path):
    """The Oversight Board's round: draw a sample, review three cases in the form, and find
    the results following."""
    from playwright.sync_api import expect

    main = page.locator(MAIN).first
    open_page(page, "dip-sampling")
    act_and_wait(page, lambda: page.get_by_role("tab", name="Draw a sample").click())
    act_and_wait(page, lambda: page.get_by_text("A number of cases").click())
    cases = page.get_by_label("Cases", exact=True)
    cases.fill("6")
    page.get_by_label("Seed (0: choose one)").fill("3")
    act_and_wait(page, lambda: page.get_by_role("button", name="Draw the sample").click())
    expect(main).to_contain_text("Drew sample 3: 6 of")

    questions = get_catalogue().dipsampling.questions()
    open_page(page, "dip-sampling?sample=3")
    for position in (1, 2, 3):
        act_and_wait(page, lambda: page.get_by_role("tab", name="Review a case").click())
        expect(main).to_contain_text(f"Case {position}")
        for words in questions.values():
            group = page.get_by_role("radiogroup", name=words)
            group.get_by_text("Yes" if position != 2 else "No", exact=True).click()
        page.get_by_label("Panel's verdict").click()
        page.get_by_role("option", name="Appropriate", exact=True).click()
        act_and_wait(page, lambda: page.get_by_role("button", name="Save this case").click())
        expect(main).to_contain_text(f"Case {position} saved")
    open_page(page, "dip-sampling?sample=3")
    expect(main).to_contain_text("3 of 6 cases of the sample reviewed")
    compliance = page.locator('[data-testid="stDataFrame"]').first
    expect(compliance).to_contain_text("67%")
    chart = page.locator(".js-plotly-plot").first  # samples 1-3 drawn as a p-chart
    expect(chart).to_contain_text("compliance in each sample")
    expect(chart).to_contain_text("sample 3")  # the months sampled, then the sample
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    full_page_screenshot(page, screenshot_dir / "dip-sampling-reviewed.png")

    # the review sheet downloaded, case 4 filled in, uploaded back and recorded
    act_and_wait(page, lambda: page.get_by_role("tab", name="Review a case").click())
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the review sheet (Excel)").click()
    sheet = _fill_case(Path(download.value.path()), position=4, questions=questions)
    upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    act_and_wait(page, lambda: upload.set_input_files(str(sheet)))
    expect(main).to_contain_text(f"{sheet.name} passed every check")
    act_and_wait(page, lambda: page.get_by_role("button", name="Record these answers").click())
    expect(main).to_contain_text(f"{sheet.name}: {len(questions) + 1} answer(s) recorded.")
    open_page(page, "dip-sampling?sample=3")
    expect(main).to_contain_text("4 of 6 cases of the sample reviewed")


def _fill_case(path: Path, *, position: int, questions: dict[str, str]) -> Path:
    """The downloaded review sheet with every answer of case `position` yes and its verdict."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(path.read_bytes()))  # the download's name has no suffix
    sheet = book["Review"]
    header = [c.value for c in sheet[1]]
    at = header.index("case") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, at).value == position)
    for code in questions:
        sheet.cell(row, header.index(code) + 1, "yes")
    sheet.cell(row, header.index("verdict") + 1, "appropriate")
    filled = path.with_name("review-sheet-filled.xlsx")
    book.save(filled)
    return filled


def test_first_request_to_a_fresh_server_can_be_any_page(browser: Browser, tmp_path: Path):
    """A page URL as the very first request of a new server (a bookmark after a restart) runs
    inside app.py: the dashboard's own sidebar, the area from the URL, no module list."""
    from playwright.sync_api import expect

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    demo = subprocess.run(
        [sys.executable, "manage.py", "demo", "--seed", str(E2E_SEED)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    with _serve(tmp_path, env) as server:
        context = browser.new_context(base_url=server.url, viewport=VIEWPORT)
        context.set_default_timeout(30_000)
        tab = context.new_page()
        try:
            open_page(tab, "data?area=Burnley")
            expect_page(tab, PAGES["data"])
            expect(area_select(tab)).to_have_value(names("Burnley"), timeout=ELEMENT_TIMEOUT)
            assert tab.locator('[data-testid="stSidebarNav"]').count() == 0
            assert query(tab).get("area") == ["Burnley"], tab.url
        finally:
            context.close()


def test_a_former_helper_module_is_not_served_as_a_page(
    browser: Browser, app_server: AppServer, tmp_path: Path
):
    """The first URL a fresh server is asked for names a former helper module of pages/
    (now in views/): Streamlit's page-not-found notice and the Overview, run by app.py, never
    a blank page with a sidebar listing modules. The fresh servers read the module server's
    demonstration store (beside its log), so no second store is built."""
    from playwright.sync_api import expect

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{app_server.log.parent / 'e2e.db'}"}
    for former in ("dip_results", "ui"):
        with _serve(tmp_path, env) as server:  # a fresh server for each first request
            context = browser.new_context(base_url=server.url, viewport=VIEWPORT)
            context.set_default_timeout(30_000)
            tab = context.new_page()
            try:
                open_page(tab, former)
                not_found = tab.get_by_role("dialog").filter(has_text="Page not found")
                expect(not_found).to_be_visible(timeout=ELEMENT_TIMEOUT)
                expect(tab.locator("h1").filter(has_text=PAGES[""]).first).to_be_visible()
                assert tab.locator('[data-testid="stSidebarNav"]').count() == 0, former
                assert tab.locator(EXCEPTION).count() == 0, former
            finally:
                context.close()
