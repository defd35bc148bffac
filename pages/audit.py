"""Audit log (admins only): every load, undo, revision, target, commentary edit, sample draw,
review, account change, sign-in and failed sign-in, file downloaded and refusal, with who,
when and what; filtered by person, action and days, and downloadable as CSV. The accounts
themselves are on the Accounts page, linked from here."""

from datetime import date, timedelta

import streamlit as st

from config.access import Can
from views import account_store as store
from views import auth as auth_view
from views import reads, ui

DEFAULT_DAYS = 30  # the period the page opens on

ui.page_header("Audit log", empty_ok=True)
engine = reads.engine(reads.url())
actors, actions = store.audit_choices(engine)

who_col, what_col, when_col = st.columns([2, 2, 2])
chosen_actors = who_col.multiselect("Who", actors, placeholder="Everyone")
chosen_actions = what_col.multiselect("Action", actions, placeholder="Every action")
today = date.today()
opening = (today - timedelta(days=DEFAULT_DAYS), today)
days = when_col.date_input("Days", value=opening, max_value=today, format="DD/MM/YYYY")
start, end = (days[0], days[-1]) if days else (None, None)

entries = store.audit_entries(
    engine, actors=chosen_actors, actions=chosen_actions, start=start, end=end
)

if entries.empty:
    st.write("No audit entries match these filters.")
else:
    st.caption(f"{len(entries):,} entries, newest first.")
    ui.table(entries.rename(columns=str.capitalize), "Audit log", download=entries)

if auth_view.current_identity().can(Can.MANAGE_ACCOUNTS):
    st.page_link(
        "pages/accounts.py",
        label="Accounts: who may sign in, and adding or changing an account",
        icon=":material/manage_accounts:",
    )
