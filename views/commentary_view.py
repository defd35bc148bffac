"""Commentary beside a measure: the latest commentary on it in the area, up to the month shown,
or a note that it is awaited (`views/commentary_wording.py` words it). What people wrote is
drawn with st.text, so no link, image, HTML or markdown in it takes effect."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from db import commentary
from db.engine import read_scope
from metrics.exceptions import NEEDS_COMMENTARY
from views import commentary_wording as cw
from views import reads


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
