"""Audit log (admins only): every load, undo, revision, target, commentary edit, sample draw,
review, account change, sign-in and failed sign-in, with who, when and what; filtered by
person, action and days, and downloadable as CSV. Then the accounts that may sign in."""

from datetime import date, timedelta

import streamlit as st

from config.access import Can
from db import accounts
from db.engine import read_scope
from views import account_areas, reads, ui
from views.user import current_user

DEFAULT_DAYS = 30  # the period the page opens on

ui.page_header("Audit log", needs=Can.SEE_AUDIT, empty_ok=True)
engine = reads.engine(reads.url())
with read_scope(engine) as session:
    actors, actions = accounts.audit_choices(session=session)

who_col, what_col, when_col = st.columns([2, 2, 2])
chosen_actors = who_col.multiselect("Who", actors, placeholder="Everyone")
chosen_actions = what_col.multiselect("Action", actions, placeholder="Every action")
today = date.today()
opening = (today - timedelta(days=DEFAULT_DAYS), today)
days = when_col.date_input("Days", value=opening, max_value=today, format="DD/MM/YYYY")
start, end = (days[0], days[-1]) if days else (None, None)

with read_scope(engine) as session:
    entries = accounts.audit_entries(
        session=session, actors=chosen_actors, actions=chosen_actions, start=start, end=end
    )
    people = accounts.listing(session=session)

if entries.empty:
    st.write("No audit entries match these filters.")
else:
    st.caption(f"{len(entries):,} entries, newest first.")
    ui.table(entries.rename(columns=str.capitalize), "Audit log", download=entries)

st.subheader("Accounts")
if people.empty:
    st.write(
        "No account yet: the first admin is added on the server with "
        "`python manage.py user add NAME --role admin`."
    )
else:
    ui.table(people.rename(columns=str.capitalize), "Accounts")
    st.caption(
        "Accounts are added and changed on the server: `python manage.py user add|role|"
        "password|unlock|disable` (see the README)."
    )
    # access by area (issue 26); the lead moves this to the Accounts page at merge
    account_areas.show(
        engine=engine, catalogue=reads.catalogue(), actor=current_user(), names=list(people["name"])
    )
