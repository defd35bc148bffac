"""Public summary: the six-monthly progress report for residents (issue 13). The force,
divisions and districts with small numbers withheld (`publicsummary`), in the words of
`views.public_wording`, and the same summary as a web page and a CSV to download."""

from datetime import date

import streamlit as st

import publicsummary
from config.access import Can
from db.engine import read_scope
from publicsummary import export
from views import public_wording as pw
from views import reads, ui
from views.commentary_wording import plain

info, filters = ui.page_header(pw.TITLE, needs=Can.SEE_PUBLIC, empty_ok=True)
cat = reads.catalogue()
st.caption(pw.PAGE_NOTE)
with read_scope(reads.engine(reads.url())) as session:
    summary = publicsummary.gather(
        session=session, catalogue=cat, through=filters.as_of if filters else None
    )
if summary.period is None:
    st.info(pw.no_period(summary, cat), icon=":material/info:")
    st.stop()

st.header(pw.heading(summary))
st.markdown(plain(pw.intro(summary, cat)))
html_file, csv_file = st.columns(2)
name = f"public_summary_{summary.period.first:%Y-%m}_to_{summary.period.last:%Y-%m}"
html_file.download_button(
    pw.DOWNLOAD_HTML,
    export.html(summary, cat),
    file_name=f"{name}.html",
    mime="text/html",
    icon=":material/download:",
)
csv_file.download_button(
    pw.DOWNLOAD_CSV,
    export.csv(summary, cat),
    file_name=f"{name}.csv",
    mime="text/csv",
    icon=":material/download:",
)

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

st.subheader(pw.SAID_DID)
items = pw.said_did_items(summary, cat)
if not items:
    st.write(pw.said_did_none(summary))
for heading, what, did in items:  # what people wrote as plain text: markdown links addresses
    st.markdown(f"**{plain(heading)}**")
    st.text(f"{what}\n{did}")

st.subheader(pw.HOW_TO_READ)
st.markdown("\n".join(f"- {plain(note)}" for note in pw.how_to_read(summary)))
st.caption(plain(pw.prepared(summary, date.today())))
