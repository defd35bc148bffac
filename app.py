"""Entry point: `streamlit run app.py`.

On the embedded SQLite default the store is created, and filled with demonstration data when
empty and without any account, on first start. Any other store (PostgreSQL) is only read:
prepare it with `python manage.py init` and load data with the command line. A store without
accounts has its one-time set-up code printed to the server's log (`auth.setup`).
"""

import streamlit as st

from auth import setup
from auth.setup import has_accounts
from config import get_catalogue, get_settings
from db.engine import make_engine
from db.migrate import current_revision, head_revision
from db.store import init_store
from demo import load_demo_if_empty
from views.errors import check_url, run_safely
from views.navigation import LANDING
from views.ui import NAVIGATION

# The page icon is an emoji (drawn by the browser from a data: URL): without one, Streamlit
# sets each page's Material icon as the tab's icon, fetched from fonts.gstatic.com.
st.set_page_config(page_title="ASB Action Plan dashboard", page_icon="📊", layout="wide")


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
        {
            section: [
                st.Page(path, title=title, icon=icon, url_path=url or None, default=not url)
                for path, title, icon, url in pages
            ]
            for section, pages in NAVIGATION.items()
        },
        position="hidden",  # drawn by views.ui.sidebar, whose links carry the area and month
    )
    st.session_state[LANDING] = page.url_path == ""  # a public account's landing (views.ui)
    page.run()


run_safely(main)  # a failure is told plainly, with a reference to the server's log
