"""Your account (every signed-in account, issue 26): personal access tokens for the command
line (make one, shown once; your tokens with when made, expiring and last used; revoke one)
and your own password (the current one needed, checked and throttled as a sign-in)."""

from datetime import datetime

import streamlit as st

from config import get_settings
from present import account_wording as words
from views import account_store as store
from views import reads, ui
from views.auth import current_identity

FLASH = "account.flash"  # session state: what was done, said after the page runs again
DEFAULT_DAYS = 30  # a new token's life, unless TOKEN_MAX_DAYS is shorter

ui.page_header("Your account", empty_ok=True)
who = current_identity()
if who.is_open:
    st.info(words.OPEN_DEMO, icon=":material/lock_open:")
    st.stop()
engine = reads.engine(reads.url())
st.markdown(words.who_line(who.name, who.role_text))
if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check:")

st.subheader("Personal access tokens")
st.markdown(words.TOKENS_INTRO)
most = get_settings().TOKEN_MAX_DAYS
with st.form("make_token", clear_on_submit=True):
    name = st.text_input("What the token is for", max_chars=store.TOKEN_NAME_LENGTH)
    days = st.number_input(
        "Lasts (days)", min_value=1, max_value=most, value=min(DEFAULT_DAYS, most), step=1
    )
    make = st.form_submit_button("Make a token")
if make:
    try:
        made = store.make_token(engine, account=who.name, name=name, days=int(days))
    except ValueError as exc:
        st.error(str(exc), icon=":material/error:")
    else:
        st.success(words.SHOWN_ONCE, icon=":material/key:")
        st.code(made, language=None)

mine = store.my_tokens(engine, who.name)
now = datetime.now()
if mine.empty:
    st.write(words.NO_TOKENS)
else:
    ui.table(words.token_table(mine, now), "Your tokens")
    live = mine[mine["revoked"].isna() & (mine["expires"] > now)]
    if not live.empty:
        labels = {row["id"]: words.token_choice(row) for _, row in live.iterrows()}
        with st.form("revoke_token"):
            chosen = st.selectbox("Token to revoke", list(labels), format_func=labels.get)
            revoke = st.form_submit_button("Revoke")
        if revoke:
            done = store.revoke_token(engine, account=who.name, token_id=int(chosen))
            st.session_state[FLASH] = words.REVOKED.format(name=", ".join(map(repr, done)))
            st.rerun()

st.subheader("Your password")
if not store.has_password(engine, who.name):
    st.write(words.PROVIDER_PASSWORD)
    st.stop()
with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Current password", type="password", autocomplete="current-password")
    new = st.text_input("New password", type="password", autocomplete="new-password")
    again = st.text_input("New password again", type="password", autocomplete="new-password")
    change = st.form_submit_button("Change my password")
if change:
    problem = words.PASSWORDS_DIFFER if new != again else store.password_problem(new)
    if not problem:
        problem = store.wrong_password(engine, account=who.name, password=current)
    if problem:
        st.error(problem, icon=":material/error:")
    else:
        store.change_password(engine, account=who.name, password=new)
        st.success(words.PASSWORD_CHANGED, icon=":material/check:")
