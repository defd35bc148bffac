"""Commentary beside a measure: the latest commentary on it in the area, up to the month shown,
or a note that it is awaited (`pages/commentary_wording.py` words it)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from db import commentary
from db.engine import session_scope
from metrics.exceptions import NEEDS_COMMENTARY
from pages import commentary_wording as cw
from pages import reads


def notes_in(url: str, area: str, as_of: date) -> pd.DataFrame:
    """The current commentary in `area` up to `as_of` (not cached: commentary changes without
    a new data version, and the table is small)."""
    with session_scope(reads.engine(url)) as session:
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
        st.markdown(cw.body(note))
