"""The Follow-up tab of the Dip-sampling page: the sample's follow-up log (every case answered
no, or given a verdict that needs follow-up: `dipsampling.followup`), overdue entries in
words, and a form to give an entry its owner, action, due date, closing day and note. Each save
is a new version of the entry, audited; the entry's versions are shown under the form. Drawn
only for roles that may see cases and record reviews (`config.access`)."""

from __future__ import annotations

from datetime import date

import streamlit as st
from sqlalchemy.engine import Engine

from config import Catalogue
from db import followups
from db.dipsamples import Sample
from db.engine import read_scope, session_scope
from db.followups import Entry
from dipsampling.followup import follow_up_log, overdue
from present import dip_followup_wording as fw
from views import reads, ui
from views.user import current_user

SAVED = "dip:follow_up_saved"  # the message of an entry just saved, shown after the rerun


def draw_follow_up(*, engine: Engine, catalogue: Catalogue, sample: Sample) -> None:
    names = {d.ons_code: d.name for d in catalogue.geography.district}
    today = date.today()
    with read_scope(engine) as session:
        log = follow_up_log(
            session=session,
            catalogue=catalogue,
            sample_id=sample.id,
            today=today,
            scope=reads.current_scope(),  # access by area (issue 26)
        )
    if saved := st.session_state.pop(SAVED, None):
        st.success(saved)
    if log.empty:
        st.write(fw.NO_FOLLOW_UP_LOG)
        return
    st.write(fw.follow_up_summary(log))
    for line in fw.overdue_lines(overdue(log), names):
        st.warning(line, icon=":material/schedule:")
    verdicts = catalogue.dipsampling.verdicts()
    shown = fw.follow_up_log_table(log, sample.questions, verdicts, names, cases=True)
    ui.table(shown, "Follow-up log")
    st.caption(fw.FOLLOW_UP_HELP)
    position = st.selectbox(
        "Case to follow up",
        log["position"].tolist(),
        format_func=lambda p: fw.case_choice(log[log["position"] == p].iloc[0], names),
        key=f"follow_up_case_{sample.id}",
    )
    row = log[log["position"] == position].iloc[0]
    _form(engine, sample, row)
    with read_scope(engine) as session:
        versions = followups.history(session=session, case_id=int(row["case_id"]))
    if not versions.empty:
        ui.table(fw.follow_up_history_table(versions), f"the versions of case {position}'s entry")


def _form(engine: Engine, sample: Sample, row) -> None:
    """The entry of one case, filled with what it says now; saved as a new version."""
    key = f"follow_up_{sample.id}_{row['position']}"
    with st.form(key):
        owner = st.text_input("Owner", value=_text(row["owner"]), max_chars=120)
        action = st.text_area("Action agreed", value=_text(row["action"]), height=80)
        due = st.date_input("Due by", value=row["due"], format="YYYY-MM-DD")
        closed_on = st.date_input(
            "Closed on (leave empty while open)", value=row["closed_on"], format="YYYY-MM-DD"
        )
        note = st.text_area("Note", value=_text(row["note"]), height=80)
        saved = st.form_submit_button("Save the follow-up")
    if not saved:
        return
    closed_by = (_text(row["closed_by"]) or current_user()) if closed_on else None
    entry = Entry(
        owner=owner.strip() or None,
        action=action.strip() or None,
        due=due,
        closed_on=closed_on,
        closed_by=closed_by,
        note=note.strip() or None,
    )
    with session_scope(engine) as session:
        changes = followups.save(
            session=session, actor=current_user(), case_id=int(row["case_id"]), entry=entry
        )
    st.session_state[SAVED] = fw.follow_up_saved(int(row["position"]), changes)
    st.rerun()


def _text(value) -> str:
    return value if isinstance(value, str) else ""
