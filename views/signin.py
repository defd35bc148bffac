"""Signing a browser tab in: the session-state key that holds who is signed in, and signing
in as an account just made by the set-up. Its own module so that both the sign-in gate
(`views.auth`) and the set-up form (`views.setup_view`) use it without importing each other."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from auth import sessions
from views import reads

SIGNED_IN = "auth.signed_in"  # session state: {"name", "seen", "token" (its server-side session)}


def continue_as(name: str) -> None:
    """Sign this browser tab in as the account `name` (just made by the set-up), with a
    server-side session kept by the tab, not the cookie: going through the cookie route would
    reload the page and lose the file the analyst chose. A reload asks for sign-in once."""
    engine = reads.engine(reads.url())
    token = sessions.start(engine, account=name)
    st.session_state[SIGNED_IN] = {"name": name, "seen": datetime.now(), "token": token}
