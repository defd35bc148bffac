"""Definitions and targets: every measure, the positive-outcome definition, and the rules for
periods, targets, status, SPC and forecasts in the words of the code that applies them."""

import inspect

import pandas as pd
import streamlit as st

from metrics import forecast, periods, spc, status, suppression, targets, views
from pages import ui

ui.page_header("Definitions and targets", empty_ok=True)
cat = ui.catalogue()
operations = {op.code: op.name for op in cat.operations.operation}


def target_words(code: str) -> str:
    target = cat.force_target(code)
    if target.kind == "directional":
        return "Better than baseline (the plan states a direction, not a figure)"
    if target.kind == "percent_change":
        return f"{target.value:+g}% on baseline"
    return f"{target.value:,g}"


st.markdown("### Measures")
ui.table(
    pd.DataFrame(
        {
            "Code": m.code,
            "Measure": m.title,
            "Operations": ", ".join(operations[o] for o in m.operations),
            "Definition": m.definition,
            "Unit": m.unit,
            "Better when it goes": m.good_direction,
            "Combined by": {
                "sum": "adding",
                "ratio": "ratio of totals",
                "survey": "respondents (never averaging percentages)",
            }[m.aggregation],
            "Breakdown": m.breakdown.name if m.breakdown else "",
            "Source": m.source,
            "Owner": m.owner,
            "Baseline": f"{m.baseline.first:%B %Y} - {m.baseline.last:%B %Y}",
            "Target for the year to March 2027": target_words(m.code),
            "Caveats": " ".join(m.caveats),
        }
        for m in cat.measures.measure
    ),
    "measure definitions",
    height=560,
)

outcome = cat.outcomes.shoplifting_positive
st.markdown("### What counts as a positive outcome for shoplifting")
st.markdown(
    outcome.description
    + "\n\npolice.uk outcome categories counted:\n"
    + "".join(f"\n- {v}" for v in outcome.values)
    + "".join(f'\n- any category starting "{p}"' for p in outcome.prefixes)
)

st.markdown("### How the dashboard judges a measure")
for title, module in [
    ("Status", status),
    ("Statistical process control (SPC)", spc),
    ("Periods and comparisons", periods),
    ("Baselines, targets and trajectories", targets),
    ("Forecasts", forecast),
    ("Dashboard tables", views),
    ("Small numbers", suppression),
]:
    with st.expander(title, expanded=title == "Status"):
        st.markdown(inspect.cleandoc(module.__doc__))
