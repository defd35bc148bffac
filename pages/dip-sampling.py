"""Dip-sampling: the ASB Oversight Board's samples of incidents, each case reviewed against the
checklist (`config/dipsampling.toml`), and compliance in the chosen area with 95% intervals.
The sample shown is kept in the URL as `sample`. Each tab is drawn by its own module."""

import streamlit as st

from config.access import Can
from present import dip_wording as w
from views import auth as auth_view
from views import page_figures, reads, ui
from views.dip_draw import draw_form
from views.dip_followup import draw_follow_up
from views.dip_results import draw_results
from views.dip_review import draw_review

info, filters = ui.page_header("Dip-sampling", empty_ok=True)
who = auth_view.current_identity()
cat = reads.catalogue()
engine = reads.engine(reads.url())
district_names = {d.ons_code: d.name for d in cat.geography.district}

samples = page_figures.samples(engine)

chosen = None
if not samples:
    st.info(w.NO_SAMPLES if info.incidents else w.NO_SAMPLES_NO_INCIDENTS)
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

# Reviewing and drawing show cases: only for roles that may (never board or scrutiny).
reviews = who.can(Can.REVIEW) and who.can(Can.SEE_CASES)
tabs = st.tabs(
    ["Results", "Review a case", "Follow-up", "Draw a sample"] if reviews else ["Results"]
)
nothing = w.NO_RESULTS if info.incidents else w.NO_RESULTS_NO_INCIDENTS

with tabs[0]:
    if chosen is None or filters is None:
        st.write(nothing)
    else:
        draw_results(
            engine=engine,
            catalogue=cat,
            sample=chosen,
            area=filters.area,
            cases=who.can(Can.SEE_CASES),
        )
    if not reviews:
        st.caption(w.REVIEWERS_ONLY)
if not reviews:
    st.stop()
review, follow_up, drawing = tabs[1:]

with review:
    if chosen is None:
        st.write(nothing)
    else:
        draw_review(engine=engine, catalogue=cat, sample=chosen)

with follow_up:
    if chosen is None:
        st.write(nothing)
    else:
        draw_follow_up(engine=engine, catalogue=cat, sample=chosen)

with drawing:
    if info.incidents == 0 or filters is None:
        st.write(w.NO_INCIDENTS)
    else:
        draw_form(
            engine=engine,
            catalogue=cat,
            first_month=info.first_month,
            latest_month=info.latest_month,
        )
