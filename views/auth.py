"""Sign-in on the pages (issue 14): who is using this browser session, the sign-in form, the
identity provider's sign-in, session expiry, and the gate at the top of every page.

The open demonstration (a store with no account at all) needs no sign-in and says so, with
what the store holds, on every page. Otherwise a person signs
in with a local account (`auth.sign_in`) or, when `.streamlit/secrets.toml` configures an
identity provider ([auth]), with `st.login`; their role is their account's, read again on every
page run, so a changed role or a disabled account takes effect at once."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

import auth
from auth import Identity
from auth.setup import has_accounts
from config import get_settings
from config.force import POLICE_FORCE
from db.queries import StoreSummary
from present import setup_wording
from views import reads, sessions_view
from views.signin import SIGNED_IN, continue_as  # noqa: F401 (as before)

CURRENT = "auth.current"  # session state: this run's Identity (`current_identity`)
PROVIDER_SEEN = "auth.provider_seen"  # the identity-provider sign-in already audited
SIGN_IN_INTRO = f"This dashboard holds {POLICE_FORCE} data: sign in to continue."
NO_ACCOUNT_YET = setup_wording.NO_ACCOUNT_YET
EXPIRED = "Your session ended after {minutes} minutes without use: sign in again."


def provider_configured() -> bool:
    """True when `.streamlit/secrets.toml` configures an identity provider for `st.login`."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def gate(info: StoreSummary) -> Identity:
    """The identity using this page: draws the sign-in form and stops the page when nobody
    is signed in (and sign-in is required)."""
    who = _identity()
    if who is None:
        sign_in_form()
        st.stop()
    st.session_state[CURRENT] = who
    from views import setup_view  # it imports this module

    if who.is_open:  # in the sidebar, on every page, without moving the page's own content
        st.sidebar.markdown(f":material/lock_open: {setup_wording.open_notice(info)}")
        setup_view.sidebar_button()
    setup_view.draw_asked(who)
    return who


def current_identity() -> Identity:
    """This run's identity, set by `gate` (which every page passes first)."""
    who = st.session_state.get(CURRENT)
    if who is None:
        raise RuntimeError("current_identity() before the page's gate")
    return who


def _identity() -> Identity | None:
    engine = reads.engine(reads.url())
    if not auth.login_required(has_accounts=has_accounts(engine)):
        return auth.open_identity()
    if provider_configured() and st.user.is_logged_in:
        return _provider_identity(engine)
    signed = st.session_state.get(SIGNED_IN) or sessions_view.from_cookie()
    if signed is None:
        return None
    if signed.get("token"):  # a server-side session (issue 26): checked on every run
        st.session_state[SIGNED_IN] = signed
        signed["name"] = sessions_view.account(engine, signed)
        if signed["name"] is None:
            del st.session_state[SIGNED_IN]
            return None
    minutes = get_settings().SESSION_MINUTES
    now = datetime.now()
    if now - signed["seen"] > timedelta(minutes=minutes):
        del st.session_state[SIGNED_IN]
        st.warning(EXPIRED.format(minutes=minutes), icon=":material/timer_off:")
        return None
    signed["seen"] = now
    who = auth.account_identity(engine=engine, name=signed["name"])
    if who is None:
        del st.session_state[SIGNED_IN]
    return who


def _provider_identity(engine) -> Identity | None:
    """The identity provider's user, with their account's role (None without an account)."""
    email = str(st.user.get("email") or "")
    if st.session_state.get(PROVIDER_SEEN) != email:  # audited once per browser session
        st.session_state[PROVIDER_SEEN] = email
        who = auth.provider_identity(engine=engine, email=email)
    else:
        who = auth.account_identity(engine=engine, name=email)
    if who is None:
        st.error(
            "You are signed in with the force's identity provider, but no account here gives "
            "you a role. Ask an admin to add one "
            "(`python manage.py user add EMAIL --role ROLE --identity-provider`).",
            icon=":material/block:",
        )
        st.button("Sign out", on_click=st.logout)
        st.stop()
    return who


def sign_in_form() -> None:
    """The sign-in form (and the identity provider's button when one is configured)."""
    st.write(SIGN_IN_INTRO)
    engine = reads.engine(reads.url())
    if not has_accounts(engine):  # sign-in asked for (DASHBOARD_REQUIRE_LOGIN), no account
        from views import setup_view  # it imports this module

        st.info(NO_ACCOUNT_YET, icon=":material/person_add:")
        with st.expander(setup_wording.SETUP_BUTTON, icon=":material/person_add:"):
            setup_view.setup_form(setup_wording.SETUP_INTRO, key="setup:signin")
    if provider_configured():
        st.button("Sign in with your force account", on_click=st.login, type="primary")
        st.caption("Or, with a local account:")
    with st.form("sign_in"):
        name = st.text_input("Name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        address = sessions_view.client_address()
        result = auth.sign_in(engine=engine, name=name, password=password, address=address)
        if result.identity is None:
            st.error(result.message, icon=":material/lock:")
            return
        signed = sessions_view.signed_in(engine, result.identity.name)
        if signed is None:  # the browser goes to the cookie route and comes back signed in
            return
        st.session_state[SIGNED_IN] = signed
        st.rerun()


def sign_out() -> None:
    """Forget this browser session's sign-in (and the identity provider's, if used)."""
    sessions_view.sign_out(reads.engine(reads.url()), st.session_state.get(SIGNED_IN))
    st.session_state.pop(SIGNED_IN, None)
    st.session_state.pop(CURRENT, None)
    if provider_configured() and st.user.is_logged_in:
        st.logout()
