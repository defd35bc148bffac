"""Time patterns: ASB by hour of day and day of week, force-wide and per division, for the
12 months to the chosen month, with the busiest three hours named in words."""

import streamlit as st

from metrics import views
from metrics.periods import shift_month
from pages import charts, reads, ui

_, filters = ui.page_header("Time patterns")
cat = reads.catalogue()
start = shift_month(filters.as_of, -11)
st.markdown(f"### ASB incidents by hour and day, {start:%B %Y} to {filters.as_of:%B %Y}")
st.caption(
    "Counted from incident records with a time of day. Choose another month in the "
    "sidebar to move the 12 months; October 2024 - September 2025 (month: September "
    "2025) is the period of the plan's Evidence Base tables."
)

if filters.level == "district":
    areas = [("district", filters.area)]
elif filters.level == "division":
    areas = [("division", filters.area)]
else:
    areas = [("force", cat.geography.force)] + [
        ("division", d.name) for d in cat.geography.division
    ]
for level, area in areas:
    cells = reads.hour_weekday(filters.url, filters.version, level, start, filters.as_of)
    matrix = views.hour_weekday_matrix(cells, area)
    first, last, share = views.peak_window(matrix)
    title = area if level != "division" else f"{area} division"
    st.subheader(title)
    plan_first, plan_end = cat.operations.plan_peak_hours
    st.markdown(
        f"**Peak: {first:02d}:00-{last:02d}:00 carries {share:.1%} of ASB** in "
        f"{title} ({views.matrix_total(matrix):,} incidents). The plan's peak window, "
        f"{plan_first:02d}:00-{plan_end:02d}:00, carries "
        f"{views.window_share(matrix, plan_first, plan_end):.1%}."
    )
    st.plotly_chart(
        charts.heat_map(matrix, f"ASB incidents by hour and day: {title}"), key=f"heat_{area}"
    )
    with st.expander(f"Figures behind this heat map: {title}"):
        table = matrix.rename(columns=dict(enumerate(charts.WEEKDAY_NAMES)))
        ui.table(table.reset_index(names="Hour"), f"hour by weekday {area} {filters.as_of:%Y-%m}")
