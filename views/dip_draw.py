"""The Draw a sample tab of the Dip-sampling page: period, places, filters, size or margin of
error, how to share among districts, and the seed; the draw is stored and never altered."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

import dipsampling
from config import Catalogue
from config.dipsampling import Allocation
from db.dipsamples import FLAGS, Population
from db.engine import session_scope
from views import dip_wording as w
from views.user import current_user

BY_NUMBER = "A number of cases"
BY_MARGIN = "From a margin of error"
DEFAULT_MONTHS = 3  # the latest three months unless others are chosen
DEFAULT_SIZE = 60
DEFAULT_MARGIN = 5.0  # percent


def draw_form(*, engine: Engine, catalogue: Catalogue, first_month, latest_month) -> None:
    district_names = [d.name for d in catalogue.geography.district]
    with st.form("draw"):
        months = pd.date_range(first_month, latest_month, freq="MS")
        first, last = st.select_slider(
            "Months",
            options=list(months),
            value=(months[max(len(months) - DEFAULT_MONTHS, 0)], months[-1]),
            format_func=lambda m: m.strftime("%B %Y"),
        )
        places = st.multiselect(
            "Divisions or districts (none: the whole force)",
            [d.name for d in catalogue.geography.division] + district_names,
        )
        categories = st.multiselect(
            "ASB categories (none: every category)",
            list(catalogue.measure("asb_incidents").breakdown.values),
        )
        flags = st.multiselect("Only incidents flagged", list(FLAGS), format_func=w.FLAG_WORDS.get)
        how = st.radio("Size", [BY_MARGIN, BY_NUMBER], horizontal=True)
        size = st.number_input("Cases", min_value=1, value=DEFAULT_SIZE)
        margin = st.number_input(
            "Margin of error (%)", min_value=1.0, max_value=20.0, value=DEFAULT_MARGIN, step=0.5
        )
        allocation = st.radio(
            "Share among districts",
            [a.value for a in Allocation],
            format_func=w.ALLOCATION_WORDS.get,
            horizontal=True,
        )
        seed = st.number_input("Seed (0: choose one)", min_value=0, value=0)
        go = st.form_submit_button("Draw the sample")
    if not go:
        return
    with session_scope(engine) as session:
        drawn = dipsampling.draw(
            session=session,
            catalogue=catalogue,
            of=Population(
                first.date(),
                last.date(),
                dipsampling.districts_for(catalogue, places),
                tuple(categories),
                tuple(flags),
            ),
            actor=current_user(),
            size=int(size) if how == BY_NUMBER else None,
            margin=margin / 100 if how == BY_MARGIN else None,
            allocation=Allocation(allocation),
            seed=int(seed) or None,
        )
    st.success(w.drawn_line(drawn))
