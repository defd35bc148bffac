"""Board pack: for a meeting date and the area chosen in the sidebar, the pack the Chief
Officer board and the PCC's scrutiny board read before the meeting, as PDF, one HTML file or
an Excel workbook (`boardpack`; the same as `python manage.py pack`)."""

from datetime import date

import streamlit as st

from boardpack import content, output
from boardpack import words as w
from views import reads, ui

FORMATS = {"PDF": "pdf", "HTML (one file)": "html", "Excel workbook": "xlsx"}
MADE = "pack:made"  # the last pack made in this session

info, filters = ui.page_header("Board pack")
st.write(w.PACK_INTRO.format(area=filters.area))
with st.form("pack"):
    meeting = st.date_input("Meeting date", value=date.today(), format="DD/MM/YYYY")
    since = st.checkbox("Open with what changed since the last meeting")
    previous = st.date_input("Last meeting", value=None, format="DD/MM/YYYY")
    kind = st.radio("Format", list(FORMATS), horizontal=True)
    make = st.form_submit_button("Make the pack")

if make and since and (previous is None or previous >= meeting):
    st.error(w.PACK_NEEDS_PREVIOUS)
elif make:
    bar = st.progress(0.0, text="Gathering the pack")
    try:
        pack = content.build(
            engine=reads.engine(filters.url),
            catalogue=reads.catalogue(),
            meeting=meeting,
            area=filters.area,
            previous=previous if since else None,
            progress=lambda share, text: bar.progress(min(share, 1.0), text=text),
        )
        made = output.render(
            pack,
            FORMATS[kind],
            progress=lambda share, text: bar.progress(min(share, 1.0), text=text),
        )
    except ValueError as problem:
        st.error(f"The pack cannot be made: {problem}")
    else:
        st.session_state[MADE] = (w.pack_made(pack), output.file_name(pack, FORMATS[kind]), made)
    bar.empty()

if (made := st.session_state.get(MADE)) is not None:
    said, name, data = made
    st.success(said)
    suffix = name.rsplit(".", 1)[-1]
    st.download_button(
        f"Download {name}",
        data,
        file_name=name,
        mime=output.MEDIA_TYPES[suffix],
        icon=":material/download:",
    )
