"""The public summary for an account limited by area (issue 26; `config.areascope`): only
its areas' tables and trends and the public commentary about them. The force-wide headline
sentences, the force-wide summary files (to download or as published before) and the
revisions list are withheld: each pools other areas."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from config import Catalogue
from config.areascope import AreaScope
from present import public_area_wording as aw
from present import public_wording as pw
from present.commentary_wording import plain
from present.public_chart import trend_chart
from publicsummary import Summary
from views import ui

LIMITED_NOTE = (
    "Your account may see only these areas: {areas}. Figures for the force as a whole and for "
    "other areas, and the force-wide summary files, are not shown to it."
)


def draw(summary: Summary, catalogue: Catalogue, scope: AreaScope) -> None:
    """Everything the page shows a limited account, below the heading."""
    choices = scope.keep(aw.area_choices(catalogue))
    st.info(LIMITED_NOTE.format(areas=", ".join(choices)), icon=":material/lock:")
    st.subheader(aw.YOUR_AREA)
    area = st.selectbox(aw.CHOOSE_AREA, choices, format_func=lambda a: aw.area_name(a, catalogue))
    ui.table(aw.area_table(summary, area, catalogue), f"{aw.area_name(area, catalogue)}: summary")
    if len(summary.trend) > 1:
        codes = [m.code for m in summary.measures]
        code = st.selectbox(
            aw.CHOOSE_MEASURE, codes, format_func=lambda c: pw.words(c, catalogue).heading
        )
        figures = next(m for m in summary.measures if m.code == code)
        shown = aw.trend_table(figures, summary, area)
        chart, numbers = st.columns([3, 2])
        title = aw.trend_title(figures, area, catalogue)
        chart.plotly_chart(trend_chart(shown, title, aw.short_periods(summary)), width="stretch")
        with numbers:
            ui.table(shown, title)
    mine = summary.said_did.loc[summary.said_did["area"].map(scope.allows).astype(bool)]
    st.subheader(pw.SAID_DID)
    items = pw.said_did_items(replace(summary, said_did=mine), catalogue)
    if not items:
        st.write(pw.said_did_none(summary))
    for heading, what, did in items:
        st.markdown(f"**{plain(heading)}**")
        st.text(f"{what}\n{did}")
    st.caption(plain(pw.prepared(summary, date.today())))
