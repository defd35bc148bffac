"""Commentary: measure owners write what happened, why, the actions, owner and due date for a
measure in the chosen area and month. Each save is a new version (the history is kept). The
exceptions are the measures missed, off track or at risk with nothing written since their
status turned. Commentary marked public waits for a second person (scrutiny or admin, not its
writer) to approve it, confirming each finding of the check on its words, or to refuse it."""

from datetime import date

import streamlit as st

from config.access import Can
from present import commentary_wording as cw
from present import wording as w
from views import audit_trail, reads, ui
from views import auth as auth_view
from views import commentary_store as store
from views import commentary_view as cv
from views.user import current_user

SAVED = "commentary:saved"

info, filters = ui.page_header("Commentary")
who = auth_view.current_identity()
writes = who.can(Can.CHANGE_DATA)  # others read the commentary and its history
cat = reads.catalogue()
engine = reads.engine(filters.url)
titles = {m.code: m.title for m in cat.measures.measure}
month = filters.as_of

st.subheader(f"Awaiting commentary in {filters.area} ({w.month(month)})")
found = store.awaiting(engine, cat, as_of=month, area=filters.area)
if found.rows.empty:
    st.write(cw.NO_EXCEPTIONS)
else:
    areas = cat.area_names()
    st.write(cw.exceptions_summary(found, {a: cat.area_level(a) for a in areas}))
    ui.table(cw.exceptions_table(found, titles, areas), "Awaiting commentary")
    st.caption(cw.exceptions_caption(found.months_scored))

heading = "Write commentary" if writes else "Commentary"
st.subheader(f"{heading}: {filters.area}, {w.month(month)}")
code = ui.url_select(
    "Measure",
    list(titles),
    param=ui.MEASURE,
    default=found.rows["measure"].iloc[0] if not found.rows.empty else next(iter(titles)),
    key="commentary_measure",
    noun="measure",
    reason="is not a measure",
    format_func=titles.get,
)
versions = store.history(engine, code=code, area=filters.area, month=month)
if saved := st.session_state.pop(SAVED, None):
    st.success(saved)
if not writes:
    st.caption(audit_trail.refusal(who, Can.CHANGE_DATA))
else:
    before = versions.iloc[0].to_dict() if not versions.empty else store.blank()
    with st.form(f"commentary_{code}_{filters.area}_{month}"):
        what = st.text_area("What happened", value=before["what"])
        why = st.text_area("Why", value=before["why"])
        actions = st.text_area("Actions", value=before["actions"])
        owner = st.text_input("Owner of the actions (a role, not a name)", value=before["owner"])
        due = st.date_input("Due", value=before["due"] or None)
        public = st.checkbox(cw.PUBLIC_LABEL, value=bool(before["public"]), help=cw.PUBLIC_HELP)
        save = st.form_submit_button("Save commentary")
    if save:
        text = store.cleaned(
            what=what,
            why=why,
            actions=actions,
            owner=owner,
            due=due if isinstance(due, date) else None,
            public=public,
        )
        if not text.what:
            st.error(cw.NEEDS_WHAT)
        else:
            version = store.write(
                engine, actor=current_user(), code=code, area=filters.area, month=month, text=text
            )
            st.session_state[SAVED] = cw.saved(version, public=text.public)
            st.rerun()

if decided := st.session_state.pop(cv.DECIDED, None):
    st.success(decided)
cv.draw_publication(engine, versions, code=code, area=filters.area, month=month)

st.subheader("History")
if versions.empty:
    st.write(cw.HISTORY_EMPTY.format(area=filters.area, month=w.month(month)))
else:
    ui.table(cw.history_table(versions), f"Commentary history {code} {filters.area}")

cv.draw_queue(engine, titles)
