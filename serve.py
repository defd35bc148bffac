"""Entry point: `streamlit run serve.py` (issue 26). It serves app.py, the dashboard, as
Streamlit 1.67's `st.App`, with the routes that set and clear a local account's session
cookie (`auth.session_routes`), so a sign-in survives a reload and a second tab. Streamlit's
own routes, its `.streamlit/config.toml` settings (upload size, static files, toolbar, error
details) and its XSRF and websocket-origin checks are as under `streamlit run app.py`, which
still works, with sign-ins that last as long as the tab."""

import streamlit as st

from auth import sessions
from auth.session_routes import ROUTES

sessions.serve_cookie_routes()  # pages hand each sign-in to the cookie route
app = st.App("app.py", routes=ROUTES)
