"""The actions log on the Board pack page: the actions of the chosen area (and the areas
inside it) as a table, and, for the roles that may record them (`Can.RECORD_ACTIONS`), forms
to raise one and to close or reopen one. Every change goes through `db.actions` (audited)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from config.access import Can
from db import actions
from db.engine import read_scope, session_scope
from present import pack_words as words
from views import audit_trail, ui

SAID = "actions:said"
NO_MEASURE = "(no measure: a matter arising)"


def show(*, engine, catalogue, area: str, areas: list[str], who, actor: str, demo: bool) -> None:
    """The log, then the forms for those who may change it."""
    st.header(f"Actions and matters arising: {area}")
    st.write(words.ACTIONS_NOTE)
    if said := st.session_state.pop(SAID, None):
        st.success(said)
    with read_scope(engine) as session:
        found = actions.listed(session=session, areas=areas)
    titles = {m.code: m.title for m in catalogue.measures.measure}
    found = found.assign(measure=[titles.get(c, "") if c else "" for c in found["measure_code"]])
    if found.empty:
        st.write("No action has been recorded for this area yet.")
    else:
        ui.table(words.actions_table(found), "actions")  # scrolls by keyboard too
    if not who.can(Can.RECORD_ACTIONS):
        st.caption(audit_trail.refusal(who, Can.RECORD_ACTIONS))
        return
    _raise_form(engine, titles, area, actor, demo)
    still_open = found[found["status"] == actions.OPEN] if not found.empty else found
    if not still_open.empty:
        _close_form(engine, still_open, actor)


def _raise_form(engine, titles: dict[str, str], area: str, actor: str, demo: bool) -> None:
    with st.form("action_raise", clear_on_submit=True):
        st.markdown(f"**Record an action for {area}**")
        what = st.text_area("Action or matter arising")
        code = st.selectbox(
            "Measure", [None, *titles], format_func=lambda c: NO_MEASURE if c is None else titles[c]
        )
        owner = st.text_input("Owner (a role, not a name)")
        due = st.date_input("Due", value=None, format="DD/MM/YYYY")
        raised = st.date_input("Raised at the meeting of", value=date.today(), format="DD/MM/YYYY")
        add = st.form_submit_button("Record the action")
    if not add:
        return
    try:
        with session_scope(engine) as session:
            number = actions.add(
                session=session,
                actor=actor,
                area=area,
                raised_at=raised,
                action=actions.Action(what=what, owner=owner, due=due, measure_code=code),
                is_demo=demo,
            )
    except ValueError as problem:
        st.error(f"The action was not recorded: {problem}")
        return
    st.session_state[SAID] = f"Action {number} recorded for {area}."
    st.rerun()


def _close_form(engine, still_open: pd.DataFrame, actor: str) -> None:
    labels = {int(r.id): f"{r.id}: {r.what[:80]}" for r in still_open.itertuples()}
    with st.form("action_close"):
        st.markdown("**Close an action**")
        chosen = st.selectbox("Action", list(labels), format_func=labels.get)
        closed = st.date_input("Closed on", value=date.today(), format="DD/MM/YYYY")
        close = st.form_submit_button("Close the action")
    if not close:
        return
    try:
        with session_scope(engine) as session:
            actions.set_status(
                session=session, actor=actor, action_id=chosen, status=actions.DONE,
                closed_at=closed,
            )  # fmt: skip
    except ValueError as problem:
        st.error(f"The action was not closed: {problem}")
        return
    st.session_state[SAID] = f"Action {chosen} closed on {closed:%d %B %Y}."
    st.rerun()
