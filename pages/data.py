"""Data store: what is loaded; loading a file (checked, previewed, then confirmed); the load
history with undo; which district figures are missing; the same measure from two sources side
by side; and the measure catalogue and geography the data are read against."""

import pandas as pd
import streamlit as st

from config.access import Can
from config.vocabulary import Unit
from present import completeness
from views import audit_trail, data_history, data_load, data_quality, reads, setup_view, ui
from views import auth as auth_view

MONTH_WIDTH = 58  # pixels: twelve months of "14/14" fit beside the measure names
FORCE_WIDE_WITHHELD = (
    "The police.uk data-quality counts and republished months cover the whole force: they are "
    "not shown to an account that may see only some areas."
)

info, _ = ui.page_header("Data store", empty_ok=True)
changes = auth_view.current_identity().can(Can.CHANGE_DATA)  # loading and undoing
url = reads.url()
version = reads.current_version(url)
cat = reads.catalogue()

months_covered = (
    completeness.months_text(info.first_month, info.latest_month)
    if info.first_month
    else "no months yet"
)
left, middle, right = st.columns(3)
left.metric("Loads", f"{info.loads:,}")
middle.metric("Monthly observations", f"{info.observations:,}")
right.metric("ASB incident records", f"{info.incidents:,}")
st.write(f"Months covered: {months_covered}.")

if changes:
    st.subheader("Load a file")
    data_load.draw_upload(info, url)
    with st.expander(
        "Templates: incident extract and monthly return", icon=":material/description:"
    ):
        data_load.draw_templates()

setup_view.draw_back_to_demo(info, auth_view.current_identity())  # store without real data

st.subheader("Load history")
data_history.draw_history(url, version, can_undo=changes)
if not changes:
    st.caption(audit_trail.refusal(auth_view.current_identity(), Can.CHANGE_DATA))

st.subheader("police.uk data quality by month")
wide = reads.current_scope().is_wide  # access by area (issue 26): these counts are force-wide
if wide:
    data_quality.draw_quality(url, version)
    st.subheader("Republished police.uk months")
    data_quality.draw_revisions(url, version)
else:
    st.caption(FORCE_WIDE_WITHHELD)

if info.first_month and info.latest_month:
    st.subheader("What is missing")
    options = completeness.months_between(info.first_month, info.latest_month)
    if len(options) > 1:
        start, end = st.select_slider(
            "Months",
            options=options,
            value=completeness.latest_months(info.latest_month, 12, earliest=info.first_month),
            format_func=completeness.month_label,
            key="data:months",
            help="The latest 12 months of data unless you choose others.",
        )
    else:
        start = end = options[0]
        st.write(f"The store holds one month: {start:%B %Y}.")
    months = completeness.months_between(start, end)
    present = reads.completeness(url, version, start, end)
    measures = {m.code: m.short_title for m in cat.measures.measure}
    scope = reads.current_scope()  # access by area (issue 26): only the districts it may see
    districts = {d.ons_code: d.name for d in cat.geography.district if scope.allows(d.name)}
    narrow = {
        completeness.month_label(m): st.column_config.TextColumn(width=MONTH_WIDTH) for m in months
    }
    ui.table(
        completeness.district_counts(present, measures, months, list(districts)),
        "completeness",
        column_config={"Measure": st.column_config.TextColumn(width=230), **narrow},
    )
    st.caption(
        f"How many of the {len(districts)} districts have a figure on the dashboard for each "
        'measure and month (totals, not breakdowns). "—" means no district has one. A '
        "percentage needs at least one case, so a district with no case that month (no case "
        "review requests, no survey respondents) has no figure."
    )
    code = st.selectbox(
        "Measure to show district by district",
        list(measures),
        format_func=measures.get,
        key="data:completeness_measure",
    )
    grid = completeness.district_grid(present, code, months, districts)
    missing = completeness.missing_count(grid)
    st.markdown(
        f"**{measures[code]}**: "
        + (f"{missing:,} district-months missing." if missing else "no district-month missing.")
    )
    ui.table(
        grid,
        "district completeness",
        column_config={"District": st.column_config.TextColumn(width=170), **narrow},
    )

    st.subheader("Sources side by side")
    shared = {m.code: m for m in cat.measures.measure if len(m.sources) > 1}
    code = st.selectbox(
        "Measure given by more than one kind of file",
        list(shared),
        format_func=lambda c: shared[c].short_title,
        key="data:source_measure",
    )
    measure = shared[code]
    figures = reads.by_source(url, version, code, start, end)
    if figures.empty:
        st.write(f"No file gives {measure.short_title} for these months.")
    else:
        side = completeness.sources_side_by_side(
            figures,
            {s: completeness.SOURCE_LABELS[s] for s in measure.sources},
            months,
            decimals=1 if measure.unit == Unit.PERCENT else 0,
        )
        number = st.column_config.NumberColumn(
            format="%.1f" if measure.unit == Unit.PERCENT else "localized"
        )
        ui.table(
            side,
            "sources side by side",
            column_config={c: number for c in side.columns[1:-1]},
        )
    st.caption(
        "The force-wide figure each kind of file gives for the month, and which one the "
        "dashboard shows. Where two give the same month, the one first in this order is "
        f"shown: {', '.join(completeness.SOURCE_LABELS[s] for s in measure.sources)}. Within "
        "one kind of file the newest load is shown."
    )

st.subheader("Measures and areas")
operations = {op.code: op.name for op in cat.operations.operation}
with st.expander("Measure catalogue", icon=":material/list:"):
    st.dataframe(
        pd.DataFrame(
            {
                "Code": m.code,
                "Measure": m.title,
                "Operations": ", ".join(operations[o] for o in m.operations),
                "Unit": m.unit,
                "Better when it goes": m.good_direction,
                f"Target to {cat.target_month}": cat.force_target(m.code).kind.replace("_", " "),
                "Tier": m.tier,
                "Loaded from": ", ".join(completeness.SOURCE_LABELS[s] for s in m.sources),
            }
            for m in cat.measures.measure
        ),
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(cat.measures.measure)),
    )
with st.expander("Geography", icon=":material/map:"):
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
            if reads.current_scope().allows(d.name)  # access by area (issue 26)
        ),
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(cat.geography.district)),
        column_config={"Population": st.column_config.NumberColumn(format="localized")},
    )
