"""Commentary beside a measure: the latest commentary on it in the area, up to the month shown,
or a note that it is awaited (`present/commentary_wording.py` words it); and on the Commentary
page, the publication of public commentary (a second person approves or refuses it). What
people wrote is drawn with st.text (or escaped, in a label), so no link, image, HTML or
markdown in it takes effect."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from config import get_settings
from config.access import Can, roles_that
from config.text import clean_text
from db import commentapproval, commentary
from db.engine import read_scope, session_scope
from governance import approval
from metrics.exceptions import NEEDS_COMMENTARY
from metrics.publictext import known_names
from present import commentary_wording as cw
from views import audit_trail, reads, ui
from views.auth import current_identity

DECIDED = "commentary:decided"


def notes_in(url: str, area: str | None, as_of: date) -> pd.DataFrame:
    """The current commentary in `area` (every area: None) up to `as_of` (not cached:
    commentary changes without a new data version, and the table is small)."""
    with read_scope(reads.engine(url)) as session:
        return commentary.current(session=session, up_to=as_of, area=area)


def draw_beside(notes: pd.DataFrame, *, measure_code: str, area: str, status: str) -> None:
    """The latest commentary on the measure (of `notes_in`), or why there is none."""
    mine = notes[notes["measure_code"] == measure_code].sort_values("month")
    with st.container(border=True):
        if mine.empty:
            if status in {s.value for s in NEEDS_COMMENTARY}:
                st.warning(cw.awaiting(status, area), icon=":material/edit_note:")
            else:
                st.caption(cw.NO_COMMENTARY.format(area=area))
            return
        note = mine.iloc[-1]
        st.markdown(cw.heading(note))
        st.text(cw.written_by(note))
        for label, text in cw.fields(note):
            st.markdown(f"**{label}**")
            st.text(text)


def draw_summary(notes: pd.DataFrame, rows: pd.DataFrame, titles: dict[str, str], area: str):
    """Under a table of measures (`rows`: code, status): what was last written on each, and
    how many measures that need commentary have none."""
    latest = notes.sort_values("month").groupby("measure_code").tail(1).set_index("measure_code")
    written = [c for c in rows["code"] if c in latest.index]
    needing = {s.value for s in NEEDS_COMMENTARY}
    awaiting = [
        c
        for c, s in zip(rows["code"], rows["status"], strict=True)
        if s in needing and c not in latest.index
    ]
    if not written and not awaiting:
        st.caption(cw.NO_COMMENTARY_HERE.format(area=area))
        return
    for code in written:
        _latest(titles[code], latest.loc[code])
    if awaiting:
        st.caption(cw.awaiting_count(len(awaiting), area))


def draw_by_area(notes: pd.DataFrame, *, measure_code: str, areas: list[str]) -> None:
    """The latest commentary on one measure in each of `areas` that has any, in their order."""
    mine = notes[(notes["measure_code"] == measure_code) & notes["area"].isin(areas)]
    if mine.empty:
        st.caption(cw.NONE_IN_AREAS)
        return
    latest = mine.sort_values("month").groupby("area").tail(1).set_index("area")
    for area in [a for a in areas if a in latest.index]:
        _latest(area, latest.loc[area])


def _latest(title: str, note: pd.Series) -> None:
    """One latest commentary in brief: its title and month, then what happened as plain text."""
    st.markdown(cw.summary_label(title, note))
    st.text(note["what"])


def draw_publication(engine, versions: pd.DataFrame, *, code: str, area: str, month: date):
    """Where the latest version stands with the public summary; when it awaits approval, the
    check's findings, and for a second person who may decide (`Can.APPROVE_PUBLICATION`, not
    the writer) the form to approve it, confirming each finding, or refuse it with a reason."""
    st.subheader(cw.PUBLICATION)
    if versions.empty:
        return
    note = versions.iloc[0]
    if not note["public"]:
        st.caption(cw.NOT_PUBLIC)
        return
    if isinstance(note["decision"], str) and note["decision"]:
        st.text(f"Version {note['version']}: {cw.publication(note)}")
        return
    threshold, known = get_settings().SMALL_NUMBER_THRESHOLD, known_names(reads.catalogue())
    found = approval.findings(note, threshold=threshold, known=known)
    who = current_identity()
    roles = " or ".join(r.value for r in roles_that(Can.APPROVE_PUBLICATION))
    st.info(cw.AWAITS.format(version=note["version"], writer=note["written_by"], roles=roles))
    (st.warning if found else st.caption)(cw.findings_text(len(found), threshold))
    for finding in found:
        st.text(finding.label)
    if not who.can(Can.APPROVE_PUBLICATION):
        st.caption(audit_trail.refusal(who, Can.APPROVE_PUBLICATION))
        return
    if clean_text(who.name) == clean_text(note["written_by"]):
        st.caption(cw.OWN)
        return
    with st.form(f"publish_{code}_{area}_{month}_{note['version']}"):
        ticks = [st.checkbox(cw.CONFIRM.format(label=cw.plain(f.label))) for f in found]
        reason = st.text_area(cw.REASON)
        approve = st.form_submit_button(cw.PUBLISH)
        refuse = st.form_submit_button(cw.REFUSE)
    if not (approve or refuse):
        return
    checked = [f.label for f, tick in zip(found, ticks, strict=True) if tick]
    try:
        with session_scope(engine) as session:
            approval.decide(
                session=session,
                actor=who.name,
                measure_code=code,
                area=area,
                month=month,
                version=int(note["version"]),
                approve=approve,
                threshold=threshold,
                known=known,
                checked=checked,
                reason=reason,
            )
    except ValueError as problem:
        st.error(str(problem))
        return
    st.session_state[DECIDED] = cw.DECIDED[approve].format(version=note["version"])
    st.rerun()


def draw_queue(engine, titles: dict[str, str]) -> None:
    """Every current public commentary awaiting a decision, for the approvers to find."""
    st.subheader(cw.QUEUE)
    with read_scope(engine) as session:
        waiting = commentapproval.awaiting_approval(session=session)
    if waiting.empty:
        st.caption(cw.QUEUE_EMPTY)
    else:
        ui.table(cw.queue_table(waiting, titles), cw.QUEUE)
