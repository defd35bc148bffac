"""A local account's session on the pages (issue 26): the browser's session cookie read on
every run, the hand-over of a sign-in to the cookie route, and sign-out.

The rules: a tab's sign-in (`views.auth.SIGNED_IN`) holds the token of a server-side
session (`auth.sessions`), checked on every run, so a revoked or expired session signs the
tab out at once. Where serve.py serves the cookie routes, a checked password makes a
single-use ticket and sends the browser to the route that sets the cookie; a new tab or a
reload then finds the session by its cookie. Without the routes (`streamlit run app.py`,
AppTest) the sign-in lasts as long as the tab."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode, urlsplit

import streamlit as st
from sqlalchemy import Engine

from auth import sessions
from config import get_settings

IDLE_ENDED = "Your session ended after {minutes} minutes without use: sign in again."
ABSOLUTE_ENDED = "Your session ended {hours} hours after you signed in: sign in again."
SIGNING_IN = "Signing you in..."


def from_cookie() -> dict | None:
    """The tab's sign-in from the browser's session cookie, or None without a valid one."""
    token = _cookie()
    if not token:
        return None
    return {"name": "", "seen": datetime.now(), "token": token}


def account(engine: Engine, signed: dict) -> str | None:
    """The account of the tab's session now, or None (with why, when it ran out)."""
    found = sessions.lookup(engine, signed["token"])
    if found.ended == sessions.IDLE:
        minutes = get_settings().SESSION_MINUTES
        st.warning(IDLE_ENDED.format(minutes=minutes), icon=":material/timer_off:")
    elif found.ended == sessions.ABSOLUTE:
        hours = get_settings().SESSION_HOURS
        st.warning(ABSOLUTE_ENDED.format(hours=hours), icon=":material/timer_off:")
    return found.account


def signed_in(engine: Engine, name: str) -> dict | None:
    """After a checked password: the tab's sign-in, or None when the browser is sent to the
    cookie route instead (the page reloads signed in)."""
    if sessions.cookie_routes_served():
        ticket = sessions.ticket(engine, account=name)
        query = urlencode({"ticket": ticket, "next": _here()})
        _redirect(f"{sessions.BEGIN_PATH}?{query}")
        st.info(SIGNING_IN, icon=":material/login:")
        return None
    token = sessions.start(engine, account=name)
    return {"name": name, "seen": datetime.now(), "token": token}


def sign_out(engine: Engine, signed: dict | None) -> None:
    """End the tab's session and the cookie's, and have the cookie route clear the cookie."""
    tokens = {(signed or {}).get("token"), _cookie()}
    for token in tokens - {None, ""}:
        sessions.end(engine, token)
    if sessions.cookie_routes_served():
        _redirect(sessions.END_PATH)


def _cookie() -> str | None:
    """The session cookie's token, if the browser sent one (AppTest sends none)."""
    token = st.context.cookies.get(sessions.cookie_name())
    return token if isinstance(token, str) else None


def client_address() -> str | None:
    """The browser's address as Streamlit sees it (None for this computer, and in AppTest)."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def _here() -> str:
    """This page's path and query, to come back to after the cookie route."""
    url = st.context.url
    url = urlsplit(url if isinstance(url, str) else "/")
    return sessions.safe_next(url.path + (f"?{url.query}" if url.query else ""))


def _redirect(path: str) -> None:
    """Send the browser to `path` of this server, as `st.login` does (Streamlit 1.67's
    auth-redirect message: the page sets window.location)."""
    from streamlit import config
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    from streamlit.url_util import make_url_path

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    message = ForwardMsg()
    message.auth_redirect.url = make_url_path(config.get_option("server.baseUrlPath"), path)
    ctx.enqueue(message)
