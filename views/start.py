"""How every run of the dashboard starts (app.py): the page settings, the store prepared (on the
embedded SQLite default: created, and filled with demonstration data when empty and without any
account), then the page the URL asks for, run inside the navigation of `views.navigation`, with
any failure told plainly (`views.errors.run_safely`).

Streamlit has an older convention for a folder named `pages/` next to the entry script: on a
fresh server's first URL (and on every AppTest run) it runs the asked-for page file by itself,
without app.py. Every page starts with `views.ui.page_header`, which calls `within_app`: in that
case it starts the app here, by calling `run_app` (st.navigation switches the old convention off
for the rest of the server's life and runs the page properly), then stops the outer run. Nothing
is re-executed from a file path: pages and app.py call the same function. serve.py switches the
convention off before the first run (`navigation_only`), so a fresh server's first URL runs
app.py too."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from auth import setup
from auth.setup import has_accounts
from config import get_catalogue, get_settings
from db.engine import make_engine
from db.migrate import current_revision, head_revision
from db.store import init_store
from demo import load_demo_if_empty
from views.errors import check_url, run_safely
from views.navigation import CURRENT, LANDING, pages

PAGE_TITLE = "ASB Action Plan dashboard"
# The page icon is an emoji (drawn by the browser from a data: URL): without one, Streamlit
# sets each page's Material icon as the tab's icon, fetched from fonts.gstatic.com.
PAGE_ICON = "📊"


@st.cache_resource(show_spinner="Preparing the data store (first start only)...")
def prepare_store(url: str) -> str | None:
    """Returns a problem to show, or None when the store at `url` is ready."""
    settings = get_settings()
    engine = make_engine(url)
    if settings.is_default_store:
        catalogue = get_catalogue()
        init_store(engine=engine, catalogue=catalogue, actor="dashboard start-up")
        if not has_accounts(engine):  # the open demonstration: only without any account
            load_demo_if_empty(engine=engine, catalogue=catalogue, seed=settings.DEMO_SEED)
    elif current_revision(engine) != head_revision():
        return (
            "The data store's schema is missing or out of date. "
            "Run `python manage.py init` with the same DATABASE_URL, then reload."
        )
    setup.announce(engine)  # a store without accounts: its one-time set-up code, in the log
    return None


def main() -> None:
    """Prepare the store, then run the page the URL asks for."""
    store_url = get_settings().DATABASE_URL
    check_url(store_url)
    problem = prepare_store(store_url)
    if problem:
        st.error(problem)
        st.stop()
    page = st.navigation(
        pages(),
        position="hidden",  # drawn by views.ui.sidebar, whose links carry the area and month
    )
    st.session_state[LANDING] = page.url_path == ""  # a public account's landing (views.ui)
    st.session_state[CURRENT] = page.url_path  # what the page needs (`config.access`)
    page.run()


def run_app() -> None:
    """The whole run: page settings, then `main`, a failure told plainly with a reference to
    the server's log."""
    st.set_page_config(page_title=PAGE_TITLE, page_icon=PAGE_ICON, layout="wide")
    run_safely(main)


def navigation_only() -> None:
    """Switch Streamlit's `pages/` folder convention off for this server before its first run
    (serve.py calls it as the server starts), as app.py's st.navigation does on its first run:
    then even the first URL a fresh server is asked for runs app.py, and an operation's page
    (one file for every operation, `pages/operation.py`) is found by its URL path rather than
    "not found" among the files of `pages/`."""
    PagesManager.uses_pages_directory = False


def within_app() -> None:
    """Make sure the page runs inside the app's navigation: when Streamlit ran a page file by
    itself (its `pages/` folder convention, see the module docstring), run the app instead, in
    the same script run (so no widget action is lost), and stop this outer run."""
    if PagesManager.uses_pages_directory:
        run_app()
        st.stop()
