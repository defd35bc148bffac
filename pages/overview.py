"""Overview: every measure of the three operations for the chosen area, exception first."""

import pandas as pd
import streamlit as st

from metrics import views
from metrics.status import STATUSES
from pages import reads, ui

VARIATION = {
    "common_cause": "no real change",
    "improvement_high": "improving ↑",
    "improvement_low": "improving ↓",
    "concern_high": "worsening ↑",
    "concern_low": "worsening ↓",
    "neutral_high": "real rise",
    "neutral_low": "real fall",
    "none": "n/a",
}
ASSURANCE = {
    "pass": "will pass",
    "fail": "will fail",
    "hit_and_miss": "hit and miss",
    "none": "n/a",
}

info, filters = ui.page_header("Overview")
cat = reads.catalogue()
OPERATION = {op.code: op.short_name for op in cat.operations.operation}
st.markdown(f"### {filters.area} · 12 months to {filters.as_of:%B %Y}")
rows = reads.overview(filters.url, filters.version, filters.area, filters.level, filters.as_of)

counts = rows["status"].value_counts()
for column, word in zip(st.columns(len(STATUSES)), STATUSES, strict=True):
    column.metric(
        views.status_label(word),
        int(counts.get(word, 0)),
        help=f"Measures {word} in {filters.area}",
    )


def target_text(row) -> str:
    measure = cat.measure(row.code)
    if row.target_kind == "directional":
        side = "above" if measure.good_direction == "increase" else "below"
        return f"{side} {ui.fmt(row.baseline, measure.unit)}"
    return ui.fmt(row.target, measure.unit)


def change_text(row) -> str:
    measure = cat.measure(row.code)
    return ui.change_text(row.change_on_baseline, row.change_on_baseline_pct, measure)


shown = {
    "Status": rows["status_label"],
    "Measure": rows["code"].map(lambda c: cat.measure(c).short_title),
    "Operation": rows["code"].map(
        lambda c: ", ".join(OPERATION[o] for o in cat.measure(c).operations)
    ),
    "Latest 12 months": [
        ui.fmt(r.rolling_12m, cat.measure(r.code).unit) for r in rows.itertuples()
    ],
    "Baseline": [ui.fmt(r.baseline, cat.measure(r.code).unit) for r in rows.itertuples()],
    "Target Mar 2027": [target_text(r) for r in rows.itertuples()],
    "vs baseline": [change_text(r) for r in rows.itertuples()],
    "SPC variation": rows["variation"].map(VARIATION),
    "SPC assurance": rows["assurance"].map(ASSURANCE),
    "Last 24 months": rows["sparkline"],
    "Since last month": [
        f"was {r.previous_status}" if r.status_changed else "unchanged" for r in rows.itertuples()
    ],
}
ui.table(
    pd.DataFrame(shown),
    "overview",
    column_config={
        "Last 24 months": st.column_config.LineChartColumn(width="small"),
        "Operation": st.column_config.TextColumn(width="small"),
    },
)
st.caption(
    "Status words and icons carry the meaning; *Definitions and targets* gives the rules. "
    "Baseline: October 2024 - September 2025. The plan sets directions, not figures, so each "
    "target is to be better than the baseline. SPC variation: whether the latest month shows a "
    "real change. SPC assurance: whether the process as it now runs will meet the target."
)
st.markdown("**Look closer**")
for column, (path, title, icon, _) in zip(st.columns(3), ui.NAVIGATION["Operations"], strict=True):
    column.page_link(path, label=title, icon=icon, query_params=ui.carried_params())
