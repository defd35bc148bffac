"""Entry point: `streamlit run serve.py` (issue 26). It serves app.py, the dashboard, as
Streamlit 1.67's `st.App`, with the routes that set and clear a local account's session
cookie (`auth.session_routes`), so a sign-in survives a reload and a second tab. Streamlit's
own routes, its `.streamlit/config.toml` settings (upload size, static files, toolbar, error
details) and its XSRF and websocket-origin checks are as under `streamlit run app.py`, which
still works, with sign-ins that last as long as the tab.

At start, a store that already has its schema and no account gets its one-time set-up code
printed to the log (`auth.setup.announce`); a store made on the first page run (the embedded
default on a new machine) gets it then, from app.py."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

from auth import sessions, setup
from auth.session_routes import ROUTES
from config import get_settings
from db.engine import make_engine
from db.migrate import current_revision, head_revision
from views.start import navigation_only


@asynccontextmanager
async def announce_at_start(_app: st.App) -> AsyncIterator[None]:
    """Print the set-up code of a ready store without accounts as the server starts."""
    engine = make_engine(get_settings().DATABASE_URL)
    if current_revision(engine) == head_revision():
        setup.announce(engine)
    yield


sessions.serve_cookie_routes()  # pages hand each sign-in to the cookie route
navigation_only()  # app.py's st.navigation, never the pages/ folder, from the first URL on
app = st.App("app.py", routes=ROUTES, lifespan=announce_at_start)
