"""Public summary: the six-monthly progress report for residents (issues 13 and 25). The force,
divisions and districts against the same months a year before, rates per 1,000 people, small
numbers withheld (`publicsummary`), a chosen area's figures and trend, in the words of
`present.public_wording`; the summary as a web page and a CSV to download; and, for roles that
may publish (`Can.PUBLISH_SUMMARY`), "Publish this summary", which keeps it as issued."""

from datetime import date

import streamlit as st

from config.access import Can
from present import public_area_wording as aw
from present import public_wording as pw
from present.commentary_wording import plain
from present.public_chart import trend_chart
from publicsummary import export, issue
from views import audit_trail, public_areas, reads, ui
from views import auth as auth_view
from views import publication_store as store
from views.user import current_user

PUBLISHED = "public.published"  # session state: the summary this session published

info, filters = ui.page_header(pw.TITLE, empty_ok=True)
cat = reads.catalogue()
engine = reads.engine(reads.url())
st.caption(pw.PAGE_NOTE)
summary = store.gather(engine, cat, through=filters.as_of if filters else None)
if summary.period is None:
    st.info(pw.no_period(summary, cat), icon=":material/info:")
    st.stop()

st.header(pw.heading(summary))
st.markdown(plain(pw.intro(summary, cat)))
if not (scope := reads.current_scope()).is_wide:  # access by area (issue 26)
    public_areas.draw(summary, cat, scope)
    st.stop()

name = f"public_summary_{summary.period.first:%Y-%m}_to_{summary.period.last:%Y-%m}"
html_bytes, csv_bytes = export.html(summary, cat), export.csv(summary, cat)
if auth_view.current_identity().can(Can.PUBLISH_SUMMARY):
    if st.button(aw.PUBLISH, help=aw.PUBLISH_HELP, icon=":material/publish:"):
        kept = store.publish(engine, summary, cat, actor=current_user())
        st.session_state[PUBLISHED] = kept
    kept = st.session_state.get(PUBLISHED)
    if kept is not None and kept.data_version == summary.version:
        st.success(aw.published_done(kept.issue), icon=":material/check_circle:")
        html_bytes, csv_bytes, name = kept.html, kept.csv, f"{name}_issue_{kept.issue}"
html_file, csv_file = st.columns(2)
audit_trail.download_button(
    pw.DOWNLOAD_HTML, html_bytes, file_name=f"{name}.html", mime="text/html", where=html_file
)
audit_trail.download_button(
    pw.DOWNLOAD_CSV, csv_bytes, file_name=f"{name}.csv", mime="text/csv", where=csv_file
)

st.subheader(aw.YOUR_AREA)
area = st.selectbox(
    aw.CHOOSE_AREA, aw.area_choices(cat), format_func=lambda a: aw.area_name(a, cat)
)
ui.table(aw.area_table(summary, area, cat), f"{aw.area_name(area, cat)}: summary")
if len(summary.trend) > 1:
    codes = [m.code for m in summary.measures]
    code = st.selectbox(aw.CHOOSE_MEASURE, codes, format_func=lambda c: pw.words(c, cat).heading)
    figures = next(m for m in summary.measures if m.code == code)
    shown = aw.trend_table(figures, summary, area)
    chart, numbers = st.columns([3, 2])
    title = aw.trend_title(figures, area, cat)
    chart.plotly_chart(trend_chart(shown, title, aw.short_periods(summary)), width="stretch")
    with numbers:
        ui.table(shown, title)
    st.caption(plain(aw.trend_text(figures, summary, area, cat) + " " + aw.TREND_NOTE))

for figures in summary.measures:
    said = pw.words(figures.code, cat)
    st.subheader(said.heading)
    st.markdown(plain(pw.sentence(figures, summary, cat)))
    notes = [pw.provisional(figures), pw.definition(figures.code, cat)]
    st.caption(plain(" ".join(n for n in notes if n)))
    if figures.complete_current or figures.complete_previous:
        shown = pw.table(figures, summary, indent=True)
        right = st.column_config.TextColumn(alignment="right")
        with st.expander(pw.BY_AREA):
            ui.table(
                shown,
                f"{said.heading} by area",
                download=export.measure_rows(figures, summary, cat),
                column_config={column: right for column in shown.columns[1:]},
            )

if summary.revised:
    st.subheader(aw.REVISED)
    st.markdown(plain(aw.REVISED_NOTE))
    st.markdown("\n".join(f"- {plain(aw.revision(r, cat))}" for r in summary.revised))

st.subheader(pw.SAID_DID)
items = pw.said_did_items(summary, cat)
if not items:
    st.write(pw.said_did_none(summary))
for heading, what, did in items:  # what people wrote as plain text: markdown links addresses
    st.markdown(f"**{plain(heading)}**")
    st.text(f"{what}\n{did}")

st.subheader(pw.HOW_TO_READ)
st.markdown("\n".join(f"- {plain(note)}" for note in pw.how_to_read(summary, cat)))
st.caption(plain(pw.prepared(summary, date.today())))

with st.expander(aw.PUBLISHED_BEFORE):
    issued = store.issued(engine)  # read after any publishing above
    if issued.empty:
        st.write(aw.NONE_PUBLISHED)
    else:
        staff = auth_view.current_identity().can(Can.SEE_AGGREGATES)  # names for staff only
        labels = {int(r["issue"]): aw.published_label(r, by=staff) for _, r in issued.iterrows()}
        chosen = st.selectbox(aw.PUBLISHED_BEFORE, list(labels), format_func=labels.get)
        past = store.past(engine, chosen)

        old_html, old_csv = st.columns(2)
        stem = f"public_summary_issue_{chosen}"
        for kind, data, column in (("html", past.html, old_html), ("csv", past.csv, old_csv)):
            audit_trail.download_button(  # audited as issue.reissue does, with the file named
                pw.DOWNLOAD_HTML if kind == "html" else pw.DOWNLOAD_CSV, data,
                file_name=f"{stem}.{kind}", mime=f"text/{kind}", key=f"past_{kind}",
                where=column, action=store.REISSUED, entity="public summary",
                detail=issue.reissued(past, kind),
            )  # fmt: skip
