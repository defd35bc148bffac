"""Dip-sampling: the ASB Oversight Board's samples of incidents, each case reviewed against the
checklist (`config/dipsampling.toml`), and compliance in the chosen area with 95% intervals.
The sample shown is kept in the URL as `sample`."""

import pandas as pd
import streamlit as st

import dipsampling
import dipsampling.sheets
from config.dipsampling import Allocation, Answer
from db import dipsamples
from db.dipsamples import FLAGS, VERDICT, Population
from db.engine import session_scope
from metrics.sampling import p_chart
from pages import dip_wording as w
from pages import reads, ui
from pages.user import current_user

SAVED = "dip:saved"  # the message of a case just saved, shown after the rerun
NEXT = ":next"  # suffix of the case to show after a save

info, filters = ui.page_header("Dip-sampling", empty_ok=True)
cat = reads.catalogue()
settings = cat.dipsampling
engine = reads.engine(reads.url())
district_names = {d.ons_code: d.name for d in cat.geography.district}

with session_scope(engine) as session:
    samples = dipsamples.samples(session=session)

if not samples:
    st.info(w.NO_SAMPLES if info.incidents else w.NO_SAMPLES_NO_INCIDENTS)
    chosen = None
else:
    labels = {str(s.id): w.sample_label(s) for s in samples}
    picked = ui.url_select(
        "Sample",
        list(labels),
        param="sample",
        default=str(samples[0].id),
        key="dip_sample",
        name_of=str,
        format_func=labels.get,
        help="Each draw is a sample of its own; a sample is never altered.",
    )
    chosen = next(s for s in samples if str(s.id) == picked)
    if chosen.is_demo:
        st.warning(w.DEMO_SAMPLE, icon=":material/science:")
    st.caption(w.sample_caption(chosen, district_names))

results, review, drawing = st.tabs(["Results", "Review a case", "Draw a sample"])

with results:
    if chosen is None or filters is None:
        st.write(w.NO_RESULTS if info.incidents else w.NO_RESULTS_NO_INCIDENTS)
    else:
        area = filters.area
        with session_scope(engine) as session:
            table = dipsampling.report(session=session, catalogue=cat, sample_id=chosen.id)
            done = dipsampling.progress(
                session=session, sample_id=chosen.id, questions=list(chosen.questions)
            )
            follow_up = dipsampling.failures(session=session, sample_id=chosen.id)
            history = dipsampling.trend(session=session, catalogue=cat, area=area)
        in_area = dipsampling.districts_in(cat, area)
        st.subheader(f"Compliance in {area}")
        st.write(
            w.review_progress(done)
            + " "
            + w.area_cases(int(done["district_code"].isin(in_area).sum()), area)
        )
        shown = table[table["area"] == area]
        if shown.empty:
            st.write(w.NO_ANSWERS_IN_AREA.format(area=area))
        else:
            ui.table(w.compliance_table(shown), "Compliance", download=shown)
            st.caption(w.compliance_caption(settings.sampling))
        st.subheader("Across samples")
        if history["sample"].nunique() < 2:
            st.write(w.ONE_SAMPLE)
        else:
            chart = p_chart(history)
            ui.table(w.trend_table(chart, chosen.questions), "Compliance across samples")
            st.caption(w.TREND_CAPTION)
        st.subheader(f"Verdicts in {area}")
        ui.table(
            w.verdict_table(done[done["district_code"].isin(in_area)], settings.verdicts()),
            "Verdicts",
        )
        st.subheader(f"Answered no in {area}: for follow-up")
        follow_up = follow_up[follow_up["district_code"].isin(in_area)]
        if follow_up.empty:
            st.write("No case here has an answer of no.")
        else:
            ui.table(w.follow_up_table(follow_up, chosen.questions, district_names), "Follow-up")

with review:
    if chosen is None:
        st.write(w.NO_RESULTS if info.incidents else w.NO_RESULTS_NO_INCIDENTS)
    else:
        with session_scope(engine) as session:
            done = dipsampling.progress(
                session=session, sample_id=chosen.id, questions=list(chosen.questions)
            )
            given = dipsamples.answers(session=session, sample_ids=[chosen.id])
        reviewed = int(done["verdict"].notna().sum())
        st.progress(reviewed / max(len(done), 1), text=w.review_progress(done))
        if saved_message := st.session_state.pop(SAVED, None):
            st.success(saved_message)
        case_key = f"dip_case_{chosen.id}"
        if (following := st.session_state.pop(case_key + NEXT, None)) is not None:
            st.session_state[case_key] = following  # set before the widget is drawn
        st.session_state.setdefault(case_key, dipsampling.next_case(done, after=0))
        position = st.number_input(
            "Case",
            min_value=1,
            max_value=len(done),
            key=case_key,
            help="Cases in the order drawn; after a save, the next case not yet reviewed.",
        )
        case = done[done["position"] == position].iloc[0]
        st.write(w.case_line(case, district_names))
        kept = given[given["case_id"] == case["case_id"]].set_index("question")
        options = [a.value for a in Answer]
        with st.form(f"review_{chosen.id}_{position}"):
            answers = {}
            for code, words in chosen.questions.items():
                before = kept["answer"].get(code)
                answers[code] = st.radio(
                    words,
                    options,
                    index=options.index(before) if before in options else None,
                    format_func=w.ANSWER_WORDS.get,
                    horizontal=True,
                    key=f"answer_{chosen.id}_{position}_{code}",
                )
                answers[code + " note"] = st.text_input(
                    "Note",
                    value=kept["note"].get(code) or "",
                    key=f"note_{chosen.id}_{position}_{code}",
                    label_visibility="collapsed",
                    placeholder="Note (optional)",
                )
            verdicts = settings.verdicts()
            before = kept["answer"].get(VERDICT)
            verdict = st.selectbox(
                "Panel's verdict",
                list(verdicts),
                index=list(verdicts).index(before) if before in verdicts else None,
                format_func=verdicts.get,
            )
            saved = st.form_submit_button("Save this case")
        if saved:
            rows = [
                (case["case_id"], code, answers[code], answers[code + " note"] or None)
                for code in chosen.questions
                if answers[code]
            ]
            if verdict:
                rows.append((case["case_id"], VERDICT, verdict, None))
            frame = pd.DataFrame(rows, columns=["case_id", "question", "answer", "note"])
            with session_scope(engine) as session:
                changed = dipsamples.save_answers(
                    session=session, actor=current_user(), sample_id=chosen.id, given=frame
                )
                done = dipsampling.progress(
                    session=session, sample_id=chosen.id, questions=list(chosen.questions)
                )
            st.session_state[SAVED] = f"Case {position} saved ({changed} answer(s) changed)."
            st.session_state[case_key + NEXT] = dipsampling.next_case(done, after=position)
            st.rerun()  # every figure on the page from the answers as they are now
        with session_scope(engine) as session:
            drawn = dipsamples.cases(session=session, sample_id=chosen.id)
            given = dipsamples.answers(session=session, sample_ids=[chosen.id])
        st.download_button(
            "Download the review sheet (Excel)",
            dipsampling.sheets.write(chosen, drawn, given, district_names),
            file_name=f"dip-sample-{chosen.id}.xlsx",
            icon=":material/download:",
        )
        st.caption(w.SHEET_HELP)
        uploaded = st.file_uploader("Upload a filled-in review sheet", type=["xlsx"])
        if uploaded is not None:
            read = dipsampling.sheets.read_upload(
                uploaded.getvalue(),
                uploaded.name,
                engine=engine,
                verdicts=list(settings.verdicts()),
            )
            if read.problems:
                st.error(f"{uploaded.name} cannot be recorded: nothing was recorded.")
                ui.table(w.sheet_problems(read), "Sheet problems")
            else:
                st.success(w.sheet_summary(read, uploaded.name))
                if st.button("Record these answers"):
                    with session_scope(engine) as session:
                        changed = dipsampling.record(
                            session=session,
                            actor=current_user(),
                            sample_id=read.sample_id,
                            given=read.answers,
                        )
                    st.session_state[SAVED] = f"{uploaded.name}: {changed} answer(s) recorded."
                    st.rerun()

with drawing:
    if info.incidents == 0 or filters is None:
        st.write(w.NO_INCIDENTS)
    else:
        with st.form("draw"):
            months = pd.date_range(info.first_month, info.latest_month, freq="MS")
            first, last = st.select_slider(
                "Months",
                options=list(months),
                value=(months[max(len(months) - 3, 0)], months[-1]),
                format_func=lambda m: m.strftime("%B %Y"),
            )
            places = st.multiselect(
                "Divisions or districts (none: the whole force)",
                [d.name for d in cat.geography.division] + list(district_names.values()),
            )
            categories = st.multiselect(
                "ASB categories (none: every category)",
                list(cat.measure("asb_incidents").breakdown.values),
            )
            flags = st.multiselect(
                "Only incidents flagged", list(FLAGS), format_func=w.FLAG_WORDS.get
            )
            how = st.radio("Size", ["From a margin of error", "A number of cases"], horizontal=True)
            size = st.number_input("Cases", min_value=1, value=60)
            margin = st.number_input(
                "Margin of error (%)", min_value=1.0, max_value=20.0, value=5.0, step=0.5
            )
            allocation = st.radio(
                "Share among districts",
                [a.value for a in Allocation],
                format_func=w.ALLOCATION_WORDS.get,
                horizontal=True,
            )
            seed = st.number_input("Seed (0: choose one)", min_value=0, value=0)
            go = st.form_submit_button("Draw the sample")
        if go:
            chosen_districts = dipsampling.districts_for(cat, places)
            with session_scope(engine) as session:
                drawn = dipsampling.draw(
                    session=session,
                    catalogue=cat,
                    of=Population(
                        first.date(),
                        last.date(),
                        chosen_districts,
                        tuple(categories),
                        tuple(flags),
                    ),
                    actor=current_user(),
                    size=int(size) if how == "A number of cases" else None,
                    margin=margin / 100 if how != "A number of cases" else None,
                    allocation=Allocation(allocation),
                    seed=int(seed) or None,
                )
            st.success(w.drawn_line(drawn))
