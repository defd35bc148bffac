"""Data store: what is loaded, how recent it is, and the measure catalogue it is read against."""

import pandas as pd
import streamlit as st

from pages.reads import catalogue
from pages.ui import page_header, table_height

info, _ = page_header("Data store", empty_ok=True)

months = (
    f"{info.first_month:%B %Y} to {info.latest_month:%B %Y}"
    if info.first_month and info.latest_month
    else "no months yet"
)
left, middle, right = st.columns(3)
left.metric("Loads", f"{info.loads:,}")
middle.metric("Monthly observations", f"{info.observations:,}")
right.metric("ASB incident records", f"{info.incidents:,}")
st.write(f"Months covered: {months}.")

cat = catalogue()
operations = {op.code: op.name for op in cat.operations.operation}
st.subheader("Measures")
st.dataframe(
    pd.DataFrame(
        {
            "Code": m.code,
            "Measure": m.title,
            "Operations": ", ".join(operations[o] for o in m.operations),
            "Unit": m.unit,
            "Better when it goes": m.good_direction,
            "Target to March 2027": cat.force_target(m.code).kind.replace("_", " "),
            "Tier": m.tier,
        }
        for m in cat.measures.measure
    ),
    hide_index=True,
    width="stretch",
    height=table_height(len(cat.measures.measure)),
)
st.subheader("Geography")
st.dataframe(
    pd.DataFrame(
        {
            "Division": d.division,
            "District": d.name,
            "ONS code": d.ons_code,
            "Op Centurion hotspot": d.hotspot,
            "Population": cat.geography.population(d),
        }
        for d in cat.geography.district
    ),
    hide_index=True,
    width="stretch",
    height=table_height(len(cat.geography.district)),
    column_config={"Population": st.column_config.NumberColumn(format="localized")},
)
