"""The Review a case tab of the Dip-sampling page: the checklist form for one case at a time
(progress through the sample; save and come back), and the review sheet as Excel, downloaded
and uploaded back."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

import dipsampling
import dipsampling.sheets
from config import Catalogue
from config.dipsampling import Answer
from db import dipsamples
from db.dipsamples import VERDICT, Sample
from db.engine import read_scope, session_scope
from present import dip_wording as w
from present.dip_followup_wording import recorded_with_changes
from views import audit_trail, reads, ui
from views.user import current_user

SAVED = "dip:saved"  # the message of a case just saved, shown after the rerun
NEXT = ":next"  # suffix of the case to show after a save
OPTIONS = [a.value for a in Answer]


def _progress(session, sample: Sample) -> pd.DataFrame:
    return dipsampling.progress(
        session=session, sample_id=sample.id, questions=list(sample.questions)
    )


def _case_position(sample: Sample, done: pd.DataFrame) -> int:
    """The case number input; after a save it moves on to the next case not yet reviewed."""
    case_key = f"dip_case_{sample.id}"
    if (following := st.session_state.pop(case_key + NEXT, None)) is not None:
        st.session_state[case_key] = following  # set before the widget is drawn
    st.session_state.setdefault(case_key, dipsampling.next_case(done, after=0))
    return st.number_input(
        "Case",
        min_value=1,
        max_value=len(done),
        key=case_key,
        help="Cases in the order drawn; after a save, the next case not yet reviewed.",
    )


def _form(sample: Sample, position: int, kept: pd.DataFrame, verdicts: dict[str, str]):
    """The checklist for one case, filled with what was saved before. Returns the answers
    given (code -> answer, code + " note" -> note), the verdict and whether it was saved."""
    with st.form(f"review_{sample.id}_{position}"):
        answers = {}
        for code, words in sample.questions.items():
            before = kept["answer"].get(code)
            answers[code] = st.radio(
                words,
                OPTIONS,
                index=OPTIONS.index(before) if before in OPTIONS else None,
                format_func=w.ANSWER_WORDS.get,
                horizontal=True,
                key=f"answer_{sample.id}_{position}_{code}",
            )
            answers[code + " note"] = st.text_input(
                "Note",
                value=_note(kept["note"].get(code)),
                key=f"note_{sample.id}_{position}_{code}",
                label_visibility="collapsed",
                placeholder="Note (optional)",
            )
        before = kept["answer"].get(VERDICT)
        verdict = st.selectbox(
            "Panel's verdict",
            list(verdicts),
            index=list(verdicts).index(before) if before in verdicts else None,
            format_func=verdicts.get,
        )
        return answers, verdict, st.form_submit_button("Save this case")


def _note(saved: object) -> str:
    """A saved note, or "" when there is none (a missing note reads back as None or NaN)."""
    return saved if isinstance(saved, str) else ""


def _given(sample: Sample, case_id: int, answers: dict, verdict: str | None) -> pd.DataFrame:
    rows = [
        (case_id, code, answers[code], answers[code + " note"] or None)
        for code in sample.questions
        if answers[code]
    ]
    if verdict:
        rows.append((case_id, VERDICT, verdict, None))
    return pd.DataFrame(rows, columns=["case_id", "question", "answer", "note"])


def draw_review(*, engine: Engine, catalogue: Catalogue, sample: Sample) -> None:
    district_names = {d.ons_code: d.name for d in catalogue.geography.district}
    with read_scope(engine) as session:
        done = _progress(session, sample)
        given = dipsamples.answers(session=session, sample_ids=[sample.id])
    reviewed = int(done["verdict"].notna().sum())
    st.progress(reviewed / max(len(done), 1), text=w.review_progress(done))
    if saved_message := st.session_state.pop(SAVED, None):
        st.success(saved_message)
    position = _case_position(sample, done)
    case = done[done["position"] == position].iloc[0]
    st.write(w.case_line(case, district_names))
    kept = given[given["case_id"] == case["case_id"]].set_index("question")
    verdicts = catalogue.dipsampling.verdicts()
    answers, verdict, saved = _form(sample, position, kept, verdicts)
    if saved:
        with session_scope(engine) as session:
            changes = dipsamples.save_answers(
                session=session,
                actor=current_user(),
                sample_id=sample.id,
                given=_given(sample, case["case_id"], answers, verdict),
            )
            done = _progress(session, sample)
        st.session_state[SAVED] = w.case_saved(position, len(changes))
        st.session_state[f"dip_case_{sample.id}" + NEXT] = dipsampling.next_case(
            done, after=position
        )
        st.rerun()  # every figure on the page from the answers as they are now
    draw_sheet(engine=engine, catalogue=catalogue, sample=sample)


def draw_sheet(*, engine: Engine, catalogue: Catalogue, sample: Sample) -> None:
    """The review sheet to download, and a filled-in sheet uploaded, checked whole, then
    recorded on confirmation."""
    district_names = {d.ons_code: d.name for d in catalogue.geography.district}
    with read_scope(engine) as session:
        drawn = dipsamples.cases(session=session, sample_id=sample.id, scope=reads.current_scope())
        given = dipsamples.answers(session=session, sample_ids=[sample.id])
    verdicts = catalogue.dipsampling.verdicts()
    audit_trail.download_button(
        "Download the review sheet (Excel)",
        dipsampling.sheets.write(sample, drawn, given, district_names, verdicts),
        file_name=f"dip-sample-{sample.id}.xlsx",
        detail=f"review sheet of sample {sample.id}",
    )
    st.caption(w.SHEET_HELP)
    uploaded = st.file_uploader("Upload a filled-in review sheet", type=["xlsx"])
    if uploaded is None:
        return
    read = dipsampling.sheets.read_upload(
        uploaded.getvalue(),
        uploaded.name,
        engine=engine,
        verdicts=verdicts,
        district_names=district_names,
    )
    if read.problems:
        st.error(w.sheet_refused(uploaded.name))
        ui.table(w.sheet_problems(read), "Sheet problems")
        return
    st.success(w.sheet_summary(read, uploaded.name))
    if st.button("Record these answers"):
        with session_scope(engine) as session:
            changes = dipsampling.record(
                session=session,
                actor=current_user(),
                sample_id=read.sample_id,
                given=read.answers,
            )
        st.session_state[SAVED] = recorded_with_changes(uploaded.name, changes)
        st.rerun()
