"""Definitions and targets: every measure, the positive-outcome definition, and the rules for
periods, targets, status, SPC and forecasts in the words of the code that applies them."""

import pandas as pd
import streamlit as st

from config.access import Can
from config.vocabulary import Aggregation, TargetKind
from present import spc_wording as sw
from present import trackrecord_wording as tw
from present import wording as w
from views import auth as auth_view
from views import page_figures, reads, ui

_, filters = ui.page_header("Definitions and targets", empty_ok=True)
cat = reads.catalogue()
operations = {op.code: op.name for op in cat.operations.operation}
TARGET_YEAR = "Target for the year to " + w.month(
    cat.force_target(cat.measures.measure[0].code).period.last
)


def target_words(code: str) -> str:
    target = cat.force_target(code)
    if target.kind == TargetKind.DIRECTIONAL:
        return "Better than baseline (the plan states a direction, not a figure)"
    if target.kind == TargetKind.PERCENT_CHANGE:
        return f"{target.value:+g}% on baseline"
    return f"{target.value:,g}"


COMBINED = {
    Aggregation.SUM: "adding",
    Aggregation.RATIO: "ratio of totals",
    Aggregation.SURVEY: "respondents (never by averaging percentages)",
}
full = pd.DataFrame(
    {
        "Code": m.code,
        "Measure": m.title,
        "Operations": ", ".join(operations[o] for o in m.operations),
        "Definition": m.definition,
        "Unit": m.unit,
        "Better when it goes": m.good_direction,
        "Combined by": COMBINED[m.aggregation],
        "Breakdown": m.breakdown.name if m.breakdown else "",
        "Source": m.source,
        "Owner": m.owner,
        "Baseline": f"{m.baseline.first:%B %Y} - {m.baseline.last:%B %Y}",
        TARGET_YEAR: target_words(m.code),
        "Seasonally adjusted for SPC": "yes" if m.seasonal else "no",
        "Provisional months": m.maturity_months,
        "Caveats": " ".join(m.caveats),
    }
    for m in cat.measures.measure
)
st.markdown("### Measures")
ui.table(
    full[
        [
            "Code",
            "Measure",
            "Operations",
            "Unit",
            "Better when it goes",
            TARGET_YEAR,
        ]
    ],
    "measure definitions",
    column_config={TARGET_YEAR: st.column_config.TextColumn(width="large")},
)
st.caption("The download holds every field below for every measure.")
for m, row in zip(cat.measures.measure, full.itertuples(index=False), strict=True):
    with st.expander(f"{m.title} ({m.code})"):
        st.markdown(
            f"{m.definition}\n\n"
            f"- **Operations:** {row.Operations}\n"
            f"- **Unit:** {m.unit}; better when it goes **{m.good_direction}**; combined across "
            f"areas and months by {COMBINED[m.aggregation]}"
            + (f"; broken down by {m.breakdown.name}" if m.breakdown else "")
            + "\n"
            f"- **Source:** {m.source}\n- **Owner:** {m.owner}\n"
            f"- **Baseline:** {row.Baseline}\n"
            f"- **{TARGET_YEAR}:** {target_words(m.code)}\n"
            + ("- **SPC:** on seasonally adjusted values\n" if m.seasonal else "")
            + (
                f"- **Provisional:** the latest {m.maturity_months} month(s), left out of the "
                "status until they mature\n"
                if m.maturity_months
                else ""
            )
            + (
                f"- **Outcomes as published:** a month from police.uk files is provisional "
                f"until its outcomes were {m.outcome_maturity_months} months old when published\n"
                if m.outcome_maturity_months
                else ""
            )
            + "".join(f"- **Caveat:** {c}\n" for c in m.caveats)
        )

outcome = cat.outcomes["shoplifting_positive"]
st.markdown("### What counts as a positive outcome for shoplifting")
st.markdown(
    outcome.description
    + "\n\npolice.uk outcome categories counted:\n"
    + "".join(f"\n- {v}" for v in outcome.values)
    + "".join(f'\n- any category starting "{p}"' for p in outcome.prefixes)
)

st.markdown("### Recalculation points and notes on the charts")
signals = cat.signals
ui.static_table(
    pd.DataFrame(
        [
            {
                "Month": r.month,
                "Measure": cat.measure(r.measure).short_title,
                "Area": r.area or "every area",
                "What": "SPC limits recalculated",
                "Why": r.reason,
            }
            for r in signals.recalculation
        ]
        + [
            {
                "Month": a.month,
                "Measure": cat.measure(a.measure).short_title
                if a.measure
                else f"every measure of {operations[a.operation]}",
                "Area": a.area or "every area",
                "What": "note",
                "Why": a.text,
            }
            for a in signals.annotation
        ],
        columns=["Month", "Measure", "Area", "What", "Why"],
    ).set_index("Month"),
    "recalculation points and notes",
)
st.caption(
    f"Status thresholds: on track at a chance of {signals.status.on_track:.0%} or more, off "
    f"track below {signals.status.off_track:.0%}. SPC: limits from the baseline year or the "
    f"latest {signals.spc.limit_points} complete months of a segment; a run chart under "
    f"{signals.spc.min_points} points; shifts of {signals.spc.shift_run} and trends of "
    f"{signals.spc.trend_run} points; rare events (a count under "
    f"{signals.spc.rare_event_mean:g} a month, or configured as small numbers) on a c chart "
    "(config/signals.toml)."
)

exceptional = [
    {
        "Months": w.period(e.first, e.last),
        "Name": e.name,
        "Measure": cat.measure(e.measure).short_title if e.measure else "every measure",
        "Area": e.area or "every area",
        "Why": e.reason,
    }
    for e in signals.exceptional
]
if exceptional:
    st.markdown("### Exceptional periods: drawn, never judged")
    ui.static_table(pd.DataFrame(exceptional).set_index("Months"), "exceptional periods")
    st.caption(
        "These months are no fair basis for limits, baselines or models: SPC limits and "
        "seasonal factors are never fitted on them, they are shaded and named on the charts, "
        "and the month after each starts new limits (config/signals.toml)."
    )

if filters is not None and auth_view.current_identity().can(Can.CHANGE_DATA):
    st.markdown(f"### {sw.CANDIDATES_TITLE}, {w.month(filters.as_of)}")
    found = reads.candidates(filters.url, filters.version, filters.as_of)
    if found.empty:
        st.caption(f"No sustained shift in any measure or area at {w.month(filters.as_of)}.")
    else:
        ui.table(
            sw.candidates_table(found, cat),
            f"candidate recalculation points {filters.as_of:%Y-%m}",
            download=found,
        )
        st.caption(sw.CANDIDATES_ADVICE)
st.markdown(f"### {tw.RECORD_TITLE}")
st.markdown(tw.RECORD_INTRO)
record = reads.track_record(reads.url(), reads.current_version(reads.url()))
shown = tw.record_table(record, {m.code: m.title for m in cat.measures.measure})
if shown.empty:
    st.info(tw.NO_RECORD)
else:
    ui.table(shown, "forecast track record")

st.markdown("### How the dashboard judges a measure")
for title, rule in page_figures.rules():
    with st.expander(title, expanded=title == "Status"):
        st.markdown(rule)
