"""Board pack: for a meeting date and the area chosen in the sidebar, the pack the Chief
Officer board and the PCC's scrutiny board read before the meeting, as PDF, one HTML file or
an Excel workbook (`boardpack`; the same as `python manage.py pack`), and the board's actions
log carried from meeting to meeting. Every pack made and downloaded is audited (who, meeting,
area, format)."""

from datetime import date

import streamlit as st

from boardpack import content, output
from boardpack.audit import ACTIONS, record_pack
from boardpack.audit import detail as pack_detail
from present import pack_words as w
from views import actions_view, audit_trail, commentary_store, reads, ui
from views import auth as auth_view
from views.user import current_user

FORMATS = {"PDF": "pdf", "HTML (one file)": "html", "Excel workbook": "xlsx"}
MADE = "pack:made"  # the last pack made in this session

info, filters = ui.page_header("Board pack")
engine = reads.engine(filters.url)
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
            engine=engine,
            catalogue=reads.catalogue(),
            meeting=meeting,
            area=filters.area,
            previous=previous if since else None,
            progress=lambda share, text: bar.progress(min(share, 1.0), text=text),
            scope=reads.current_scope(),  # access by area (issue 26)
        )
        made = output.render(
            pack,
            FORMATS[kind],
            progress=lambda share, text: bar.progress(min(share, 1.0), text=text),
        )
    except ValueError as problem:
        st.error(f"The pack cannot be made: {problem}")
    else:
        record_pack(engine=engine, actor=current_user(), pack=pack, fmt=FORMATS[kind], how="made")
        audit = (pack.meeting, pack.area, FORMATS[kind], pack.is_demo)
        said = (w.pack_made(pack), output.file_name(pack, FORMATS[kind]), made, audit)
        st.session_state[MADE] = said
    bar.empty()

if (made := st.session_state.get(MADE)) is not None:
    said, name, data, (day, area, fmt, demo) = made
    st.success(said)
    audit_trail.download_button(  # one audit row: the pack's own action, with the file named
        f"Download {name}",
        data,
        file_name=name,
        mime=output.MEDIA_TYPES[fmt],
        action=ACTIONS["downloaded"],
        entity=f"board pack / {area}",
        detail=pack_detail(meeting=day, area=area, fmt=fmt, demo=demo),
    )

actions_view.show(
    engine=engine,
    catalogue=reads.catalogue(),
    area=filters.area,
    areas=commentary_store.areas_within(reads.catalogue(), filters.area),
    who=auth_view.current_identity(),
    actor=current_user(),
    demo=not info.has_real,
)
