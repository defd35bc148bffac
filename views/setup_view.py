"""Setting up the first accounts in the app, and going back to the demonstration (issue 26).

In the open demonstration (no account at all) the sidebar offers "Set up accounts", and the
Data store page asks for the set-up before the first real load: the form takes the server's
one-time set-up code, the first admin and the loading analyst's own account (`auth.setup`);
on success the person continues signed in as the analyst, on the page they were on (on the
Data store page with their file still chosen: they press "Load this file" again). Once the
store has accounts and no real data, "Back to the demonstration" loads the demonstration data
again for a role that may (`Can.RESTORE_DEMO`)."""

from __future__ import annotations

import streamlit as st

import auth
from auth import Identity, setup
from config import get_settings
from config.access import Can
from db.queries import StoreSummary
from demo.again import load_demo_again
from present import setup_wording as sw
from present.wording import code_span
from views import reads
from views.signin import continue_as

OPEN = "setup.open"  # session state: the set-up form asked for from the sidebar
DONE = "setup.done"  # session state: the message to show once, after the set-up


def sidebar_button() -> None:
    """The open demonstration's "Set up accounts" action, in the sidebar."""
    st.sidebar.button(
        sw.SETUP_BUTTON,
        on_click=_show,
        args=(True,),
        key="setup:open",
        icon=":material/person_add:",
    )


def _show(shown: bool) -> None:
    st.session_state[OPEN] = shown


def draw_asked(who: Identity) -> None:
    """The set-up's outcome once it succeeded; and, when the open demonstration's user asked
    for the set-up, its form instead of the page (the page stops)."""
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(done, icon=":material/how_to_reg:")
    if not (who.is_open and st.session_state.get(OPEN)):
        return
    st.subheader(sw.SETUP_TITLE)
    setup_form(sw.SETUP_INTRO, key="setup:asked")
    st.button(sw.CANCEL, on_click=_show, args=(False,), key="setup:cancel")
    st.stop()


def ready_to_load(who: Identity) -> bool:
    """True when `who` may commit a load now; in the open demonstration the set-up form is
    drawn instead (a real load needs accounts first) and False returned."""
    if not who.is_open:
        return True
    setup_form(sw.FIRST_LOAD_INTRO, key="setup:load")
    return False


def setup_form(intro: str, *, key: str) -> None:
    """The set-up code and the two accounts; on success, signed in as the analyst (rerun)."""
    st.info(intro, icon=":material/person_add:")
    with st.form(key):
        code = st.text_input(sw.CODE_LABEL, type="password", autocomplete="off", key=f"{key}:code")
        admin = st.text_input(sw.ADMIN_NAME, autocomplete="off", key=f"{key}:admin")
        admin_password = _password(sw.ADMIN_PASSWORD, f"{key}:admin_password")
        analyst = st.text_input(sw.ANALYST_NAME, autocomplete="username", key=f"{key}:analyst")
        analyst_password = _password(sw.ANALYST_PASSWORD, f"{key}:analyst_password")
        submitted = st.form_submit_button(sw.SUBMIT, type="primary")
    if not submitted:
        return
    result = setup.claim(
        engine=reads.engine(reads.url()),
        code=code,
        admin=admin,
        admin_password=admin_password,
        analyst=analyst,
        analyst_password=analyst_password,
    )
    if result.identity is None:
        st.error(result.message, icon=":material/block:")
        return
    continue_as(result.identity.name)
    st.session_state[OPEN] = False
    named = {"admin": code_span(auth.clean_name(admin)), "analyst": code_span(result.identity.name)}
    st.session_state[DONE] = sw.SET_UP_DONE.format(**named)
    st.rerun()


def _password(label: str, key: str) -> str:
    return st.text_input(
        label, type="password", autocomplete="new-password", help=sw.PASSWORD_HELP, key=key
    )


def draw_back_to_demo(info: StoreSummary, who: Identity) -> None:
    """The "Back to the demonstration" action: for a role that may, when the store has accounts and
    holds no real data."""
    if who.is_open or info.has_real or not who.can(Can.RESTORE_DEMO):
        return
    st.subheader(sw.BACK_TO_DEMO)
    st.write(sw.BACK_TO_DEMO_INTRO)
    if not st.button(sw.BACK_TO_DEMO, key="setup:back_to_demo", icon=":material/science:"):
        return
    with st.spinner("Loading the demonstration data..."):
        result = load_demo_again(
            engine=reads.engine(reads.url()),
            catalogue=reads.catalogue(),
            seed=get_settings().DEMO_SEED,
            actor=who.name,
        )
    if result is None:
        st.error(sw.BACK_TO_DEMO_REFUSED, icon=":material/block:")
        return
    st.session_state[DONE] = sw.BACK_TO_DEMO_DONE.format(incidents=result.incidents)
    st.rerun()
